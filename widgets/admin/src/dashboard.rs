//! The overview: sign-ups per week by association and by qualification level, benefits per
//! service area, partners per province — as charts, each with its table.

use std::collections::BTreeMap;

use guanai_core::{Association, Lang, QualificationLevel, ServiceArea};
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::{self, Failure};
use crate::chart::{Bar, BarChart};
use crate::ui::{Problem, region_name, t};
use crate::{admin, t_str};

/// Weeks shown in the sign-up charts.
const WEEKS: usize = 12;

/// `GET /v1/admin/insight`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Insight {
    /// ISO week (`2026-W48`) → association code → sign-ups.
    pub signups_per_week_by_association: BTreeMap<String, BTreeMap<String, u64>>,
    /// ISO week → level code (`none` when not given) → sign-ups.
    pub signups_per_week_by_level: BTreeMap<String, BTreeMap<String, u64>>,
    /// Service area code → benefits published.
    pub benefits_by_area: BTreeMap<String, u64>,
    /// Province code → partners with a location there.
    pub partners_by_province: BTreeMap<String, u64>,
}

/// Bars for the last [`WEEKS`] weeks of `per_week`, one value per series code; the weeks before
/// them are summed in one first bar labelled `earlier`, so that the chart's totals are every
/// sign-up, not just the recent ones.
pub fn weekly_bars(
    per_week: &BTreeMap<String, BTreeMap<String, u64>>,
    series: &[&str],
    earlier: &str,
) -> Vec<Bar> {
    let values = |counts: &BTreeMap<String, u64>| -> Vec<u64> {
        series
            .iter()
            .map(|code| counts.get(*code).copied().unwrap_or(0))
            .collect()
    };
    let skip = per_week.len().saturating_sub(WEEKS);
    let before = (skip > 0).then(|| Bar {
        label: earlier.to_string(),
        values: per_week
            .values()
            .take(skip)
            .map(values)
            .fold(vec![0; series.len()], |sum, week| {
                sum.iter().zip(week).map(|(a, b)| a + b).collect()
            }),
    });
    before
        .into_iter()
        .chain(per_week.iter().skip(skip).map(|(week, counts)| Bar {
            label: week.clone(),
            values: values(counts),
        }))
        .collect()
}

/// The charts of `insight` in `lang`.
#[component]
pub fn Charts(
    /// The figures.
    insight: Insight,
    /// Language of labels.
    lang: Lang,
) -> impl IntoView {
    let tr = |zh, en| t_str(lang, zh, en).to_string();
    let associations: Vec<&str> = Association::ALL.iter().map(|a| a.code()).collect();
    let association_names = Association::ALL
        .iter()
        .map(|a| a.name().get(lang).to_string())
        .collect();
    // `none` is one of the levels ("none yet / student"): every sign-up has exactly one.
    let levels: Vec<&str> = QualificationLevel::ALL.iter().map(|l| l.code()).collect();
    let level_names: Vec<String> = QualificationLevel::ALL
        .iter()
        .map(|l| l.label().get(lang).to_string())
        .collect();
    let earlier = tr("更早", "Earlier");
    let areas = ServiceArea::ALL
        .iter()
        .map(|area| Bar {
            label: area.label().get(lang).to_string(),
            values: vec![
                insight
                    .benefits_by_area
                    .get(area.code())
                    .copied()
                    .unwrap_or(0),
            ],
        })
        .collect();
    let provinces = guanai_core::regions::provinces()
        .map(|p| Bar {
            label: region_name(p.code, lang),
            values: vec![
                insight
                    .partners_by_province
                    .get(p.code)
                    .copied()
                    .unwrap_or(0),
            ],
        })
        .collect();
    let empty = tr("暂无数据。", "No data yet.");
    let total = tr("合计", "Total");
    view! {
        <div class="charts">
            <BarChart
                title=tr("每周报名人数（按协会）", "Sign-ups per week, by association")
                series=association_names
                bars=weekly_bars(&insight.signups_per_week_by_association, &associations, &earlier)
                empty=empty.clone()
                row_heading=tr("周", "Week")
                total_heading=total.clone()
            />
            <BarChart
                title=tr("每周报名人数（按职业水平）", "Sign-ups per week, by qualification level")
                series=level_names
                bars=weekly_bars(&insight.signups_per_week_by_level, &levels, &earlier)
                empty=empty.clone()
                row_heading=tr("周", "Week")
                total_heading=total.clone()
            />
            <BarChart
                title=tr("已发布福利（按服务领域）", "Published benefits, by service area")
                series=vec![tr("福利", "Benefits")]
                bars=areas
                empty=empty.clone()
                row_heading=tr("服务领域", "Service area")
                total_heading=total.clone()
            />
            <BarChart
                title=tr("合作单位（按省市）", "Partners, by province")
                series=vec![tr("合作单位", "Partners")]
                bars=provinces
                empty
                row_heading=tr("省市", "Province")
                total_heading=total
            />
        </div>
    }
}

/// The overview page.
#[component]
pub fn Dashboard() -> impl IntoView {
    let lang = admin().lang;
    let insight = LocalResource::new(|| api::get::<Insight>("/v1/admin/insight"));
    let failure = RwSignal::new(None::<Failure>);
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{t("正在加载…", "Loading…")}</p> }>
            {move || {
                insight.get().map(|answer| match answer {
                    Ok(insight) => view! { <Charts insight lang=lang.get() /> }.into_any(),
                    Err(problem) => {
                        failure.set(Some(problem));
                        view! { <Problem failure /> }.into_any()
                    }
                })
            }}
        </Transition>
    }
}
