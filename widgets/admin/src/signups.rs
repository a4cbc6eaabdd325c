//! Sign-ups: a filtered, paged list (no personal data), the detail with decrypted personal data
//! for the roles allowed to see it (the server logs each view), the qualification review, and
//! the spreadsheet export of the filtered list.

use guanai_core::staff::Action;
use guanai_core::wire::{ConsentRecord, Decided, DecisionBody, PersonalData, RecordKind, Status};
use guanai_core::{Association, Lang, QualificationLevel, Text};
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::{self, Failure};
use crate::requests::PersonsRequest;
use crate::ui::{
    Choice, Done, Field, Input, Problem, label, or_dash, region_name, region_options, t, when,
};
use crate::{admin, t_str};

/// One row of `GET /v1/admin/signups`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Row {
    pub association: String,
    pub reference: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub level: Option<String>,
    pub status: Status,
    #[serde(default)]
    pub created_at_ms: u64,
}

/// The list's filters as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub association: String,
    pub region: String,
    pub level: String,
    pub status: String,
    /// `YYYY-MM-DD`, Beijing time, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, Beijing time, inclusive.
    pub until: String,
    pub reference: String,
}

/// Milliseconds of Beijing midnight at the start of `date` (`YYYY-MM-DD`), `days` later.
pub fn midnight_ms(date: &str, days: i64) -> String {
    guanai_core::time::parse_iso_date(date)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| {
            ((t - chrono::Duration::hours(8) + chrono::Duration::days(days))
                .and_utc()
                .timestamp_millis())
            .to_string()
        })
        .unwrap_or_default()
}

impl Filters {
    /// The query string pairs the list and the export share.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("association", self.association.clone()),
            ("region", self.region.clone()),
            ("level", self.level.clone()),
            ("status", self.status.clone()),
            ("from_ms", midnight_ms(&self.from, 0)),
            ("until_ms", midnight_ms(&self.until, 1)),
            ("reference", self.reference.trim().to_ascii_uppercase()),
        ]
    }
}

fn status_label(status: Status, lang: Lang) -> String {
    status.label(RecordKind::Signup).get(lang).to_string()
}

fn level_label(level: Option<&str>, lang: Lang) -> String {
    level
        .and_then(|code| code.parse::<QualificationLevel>().ok())
        .map(|l| l.label().get(lang).to_string())
        .unwrap_or_else(|| t_str(lang, "未填写", "Not given").to_string())
}

fn association_label(code: &str, lang: Lang) -> String {
    code.parse::<Association>()
        .map(|a| a.name().get(lang).to_string())
        .unwrap_or_else(|_| code.to_string())
}

/// The choices of the association, level and status filters, each with "all" first.
type Options = Signal<Vec<(String, String)>>;
fn filter_options(lang: RwSignal<Lang>) -> (Options, Options, Options) {
    let association_options = Signal::derive(move || {
        let lang = lang.get();
        let mut options = vec![(
            String::new(),
            t_str(lang, "全部协会", "All associations").to_string(),
        )];
        options.extend(
            Association::ALL
                .iter()
                .map(|a| (a.code().to_string(), a.name().get(lang).to_string())),
        );
        options
    });
    let level_options = Signal::derive(move || {
        let lang = lang.get();
        let mut options = vec![(
            String::new(),
            t_str(lang, "全部水平", "All levels").to_string(),
        )];
        options.extend(
            QualificationLevel::ALL
                .iter()
                .map(|l| (l.code().to_string(), l.label().get(lang).to_string())),
        );
        options
    });
    let status_options = Signal::derive(move || {
        let lang = lang.get();
        let all = (
            String::new(),
            t_str(lang, "全部状态", "All statuses").to_string(),
        );
        std::iter::once(all)
            .chain(
                RecordKind::Signup
                    .statuses()
                    .iter()
                    .map(|s| (s.code().to_string(), status_label(*s, lang))),
            )
            .collect::<Vec<_>>()
    });
    (association_options, level_options, status_options)
}

/// The sign-ups page.
#[component]
pub fn Signups() -> impl IntoView {
    let admin = admin();
    let lang = admin.lang;
    let session = admin.session.get_untracked();
    let plan_wide = session
        .as_ref()
        .is_some_and(|s| s.staff.association.is_none());
    let may_export = session
        .as_ref()
        .is_some_and(|s| s.may(Action::ExportPersonalData));
    // Viewers see the list but never personal data: no "open" for them.
    let may_open = session
        .as_ref()
        .is_some_and(|s| s.may(Action::ReadPersonalData));
    let typed = RwSignal::new(Filters::default());
    let applied = RwSignal::new(Filters::default());
    let list = api::Paged::<Row>::new();
    let (rows, cursor, loading, failure) = (list.rows, list.cursor, list.loading, list.failure);
    let open = RwSignal::new(None::<Row>);
    let load = move |more: bool| {
        list.load(
            "/v1/admin/signups",
            applied.with_untracked(Filters::query),
            more,
        )
    };
    load(false);
    let apply = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        applied.set(typed.get_untracked());
        open.set(None);
        load(false);
    };
    let export_href =
        move || api::with_query("/v1/admin/signups.csv", &applied.with(Filters::query));

    let set = move |change: fn(&mut Filters, String)| {
        Callback::new(move |value: String| typed.update(|f| change(f, value)))
    };
    let (association_options, level_options, status_options) = filter_options(lang);
    let region_choices = Signal::derive(move || {
        let lang = lang.get();
        region_options(lang, Some(t_str(lang, "全部地区", "All regions")))
    });
    let no_errors = RwSignal::new(Vec::new());

    let table = move || {
        let lang = lang.get();
        rows.get()
            .into_iter()
            .map(|row| {
                let shown = row.clone();
                let opened = row.clone();
                view! {
                    <tr>
                        <td><code>{shown.reference.clone()}</code></td>
                        <td>{association_label(&shown.association, lang)}</td>
                        <td>{region_name(&shown.region, lang)}</td>
                        <td>{level_label(shown.level.as_deref(), lang)}</td>
                        <td class=format!("status {}", shown.status)>{status_label(shown.status, lang)}</td>
                        <td>{when(shown.created_at_ms)}</td>
                        <td>
                            {may_open.then(|| view! {
                                <button type="button" class="secondary" on:click=move |_| open.set(Some(opened.clone()))>
                                    {t_str(lang, "查看", "Open")}
                                    <span class="visually-hidden">" "{row.reference.clone()}</span>
                                </button>
                            })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <form class="filters" on:submit=apply aria-label=t("筛选报名", "Filter sign-ups")>
            <Show when=move || plan_wide>
                <Choice label=label("协会", "Association") value=Signal::derive(move || typed.with(|f| f.association.clone())) set=set(|f, v| f.association = v) options=association_options />
            </Show>
            <Choice label=label("地区", "Region") value=Signal::derive(move || typed.with(|f| f.region.clone())) set=set(|f, v| f.region = v) options=region_choices />
            <Choice label=label("职业水平", "Qualification level") value=Signal::derive(move || typed.with(|f| f.level.clone())) set=set(|f, v| f.level = v) options=level_options />
            <Choice label=label("状态", "Status") value=Signal::derive(move || typed.with(|f| f.status.clone())) set=set(|f, v| f.status = v) options=status_options />
            <Field label=label("报名日期从", "Signed up from") value=Signal::derive(move || typed.with(|f| f.from.clone())) set=set(|f, v| f.from = v) path="from_ms".into() errors=no_errors input=Input::Date />
            <Field label=label("报名日期至", "Signed up until") value=Signal::derive(move || typed.with(|f| f.until.clone())) set=set(|f, v| f.until = v) path="until_ms".into() errors=no_errors input=Input::Date />
            <Field label=label("报名编号", "Reference") value=Signal::derive(move || typed.with(|f| f.reference.clone())) set=set(|f, v| f.reference = v) path="reference".into() errors=no_errors />
            <button type="submit">{t("筛选", "Apply filters")}</button>
        </form>
        <Problem failure />
        <div class="toolbar">
            <Show when=move || may_export>
                <a class="button secondary" href=export_href download="guanai-signups.csv">
                    {t("导出为表格（CSV）", "Export as spreadsheet (CSV)")}
                </a>
            </Show>
            <p role="status" class="count">
                {move || {
                    let lang = lang.get();
                    if loading.get() {
                        t_str(lang, "正在加载…", "Loading…").to_string()
                    } else {
                        let n = rows.with(Vec::len);
                        match lang {
                            Lang::ZhCn => format!("已显示 {n} 条报名"),
                            Lang::En => format!("{n} sign-ups shown"),
                        }
                    }
                }}
            </p>
        </div>
        <table class="list">
            <caption class="visually-hidden">{t("报名列表", "Sign-ups")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("编号", "Reference")}</th>
                    <th scope="col">{t("协会", "Association")}</th>
                    <th scope="col">{t("地区", "Region")}</th>
                    <th scope="col">{t("职业水平", "Level")}</th>
                    <th scope="col">{t("状态", "Status")}</th>
                    <th scope="col">{t("报名时间", "Signed up")}</th>
                    <th scope="col"><span class="visually-hidden">{t("操作", "Actions")}</span></th>
                </tr>
            </thead>
            <tbody>{table}</tbody>
        </table>
        <Show when=move || cursor.with(Option::is_some)>
            <button type="button" class="secondary" on:click=move |_| load(true)>{t("加载更多", "Load more")}</button>
        </Show>
        {move || open.get().map(|row| {
            let deleted = row.reference.clone();
            view! {
            <Detail row on_reviewed=Callback::new(move |(reference, status): (String, Status)| {
                rows.update(|rows| {
                    if let Some(r) = rows.iter_mut().find(|r| r.reference == reference) {
                        r.status = status;
                    }
                });
            }) on_deleted=Callback::new(move |()| {
                rows.update(|rows| rows.retain(|r| r.reference != deleted));
                open.set(None);
            }) close=Callback::new(move |()| open.set(None)) />
        }})}
    }
}

/// `GET /v1/admin/signups/<association>/<reference>`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SignupDetail {
    pub reference: String,
    pub association: String,
    pub region: String,
    #[serde(default)]
    pub level: Option<String>,
    pub status: Status,
    pub created_at_ms: u64,
    pub consent: ConsentRecord,
    pub personal: PersonalData,
    #[serde(default)]
    pub review: Option<serde_json::Value>,
}

/// One sign-up with its personal data and the review form.
#[component]
fn Detail(
    /// The row opened.
    row: Row,
    /// Told `(reference, new status)` after a review.
    on_reviewed: Callback<(String, Status)>,
    /// Told after the sign-up was deleted on the person's request.
    on_deleted: Callback<()>,
    /// Closes the panel.
    close: Callback<()>,
) -> impl IntoView {
    let admin = admin();
    let lang = admin.lang;
    let may_review = admin
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.may(Action::Edit)));
    let may_act = admin
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.may(Action::ActOnRequest)));
    let path = format!("/v1/admin/signups/{}/{}", row.association, row.reference);
    let detail = LocalResource::new({
        let path = path.clone();
        move || {
            let path = path.clone();
            async move { api::get::<SignupDetail>(&path).await }
        }
    });
    let decision = RwSignal::new(Status::Verified);
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(None::<Text>);
    let load_failure = RwSignal::new(None::<Failure>);
    let reference = row.reference.clone();
    let review = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let body = DecisionBody::new(decision.get_untracked(), &note.get_untracked());
        let path = format!("{path}/review");
        let reference = reference.clone();
        failure.set(None);
        errors.set(Vec::new());
        leptos::task::spawn_local(async move {
            match api::send::<Decided>("POST", &path, &body).await {
                Ok(answer) => {
                    let status = answer.status;
                    done.set(Some(Text::new("已保存核验结果。", "Review saved.")));
                    on_reviewed.run((reference, status));
                    detail.refetch();
                }
                Err(problem) => {
                    errors.set(problem.fields.clone());
                    failure.set(Some(problem));
                }
            }
        });
    };
    let heading = row.reference.clone();
    // Opening a record moves focus to it: the panel appears below the list, out of sight of a
    // keyboard or screen-reader user who pressed "open".
    let heading_ref = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading_ref.get() {
            let _ = heading.focus();
        }
    });
    view! {
        <section class="detail" aria-labelledby="signup-detail-heading">
            <h2 id="signup-detail-heading" tabindex="-1" node_ref=heading_ref>{t("报名详情", "Sign-up")}" "<code>{heading}</code></h2>
            <button type="button" class="secondary close" on:click=move |_| close.run(())>{t("关闭", "Close")}</button>
            <Transition fallback=move || view! { <p class="loading" role="status">{t("正在加载…", "Loading…")}</p> }>
                {move || detail.get().map(|answer| match answer {
                    Ok(d) => {
                        let lang = lang.get();
                        let interests = d
                            .personal
                            .interests
                            .iter()
                            .map(|a| a.label().get(lang).to_string())
                            .collect::<Vec<_>>()
                            .join("、");
                        let yes = |b: bool| t_str(lang, if b { "是" } else { "否" }, if b { "yes" } else { "no" });
                        let note = d
                            .review
                            .as_ref()
                            .and_then(|r| r["note"].as_str())
                            .unwrap_or_default()
                            .to_string();
                        let request = may_act.then(|| view! {
                            <PersonsRequest detail=d.clone()
                                on_changed=Callback::new(move |()| detail.refetch()) on_deleted />
                        });
                        view! {
                            <dl class="facts">
                                <dt>{t_str(lang, "姓名", "Name")}</dt><dd>{d.personal.name.clone()}</dd>
                                <dt>{t_str(lang, "手机", "Mobile")}</dt><dd>{d.personal.mobile.clone()}</dd>
                                <dt>{t_str(lang, "工作单位", "Employer")}</dt><dd>{or_dash(&d.personal.employer)}</dd>
                                <dt>{t_str(lang, "证书编号", "Certificate number")}</dt><dd>{or_dash(&d.personal.certificate_number)}</dd>
                                <dt>{t_str(lang, "协会", "Association")}</dt><dd>{association_label(&d.association, lang)}</dd>
                                <dt>{t_str(lang, "地区", "Region")}</dt><dd>{region_name(&d.region, lang)}</dd>
                                <dt>{t_str(lang, "职业水平", "Level")}</dt><dd>{level_label(d.level.as_deref(), lang)}</dd>
                                <dt>{t_str(lang, "关注领域", "Interests")}</dt><dd>{or_dash(&interests)}</dd>
                                <dt>{t_str(lang, "同意处理健康信息", "Agreed to health data processing")}</dt><dd>{yes(d.personal.health_consent)}</dd>
                                <dt>{t_str(lang, "隐私政策版本", "Privacy notice version")}</dt><dd>{d.consent.notice_version.clone()}</dd>
                                <dt>{t_str(lang, "同意提供信息的合作单位", "Consented to share with partners")}</dt><dd>{or_dash(&d.consent.partners.join("、"))}</dd>
                                <dt>{t_str(lang, "报名时间", "Signed up")}</dt><dd>{when(d.created_at_ms)}</dd>
                                <dt>{t_str(lang, "状态", "Status")}</dt><dd class="status">{status_label(d.status, lang)}</dd>
                                {d.review.as_ref().map(|review| view! {
                                    <dt>{t_str(lang, "核验人", "Reviewed by")}</dt>
                                    <dd>{review["by"].as_str().unwrap_or_default().to_string()}" · "{when(review["at_ms"].as_u64().unwrap_or_default())}</dd>
                                })}
                                <dt>{t_str(lang, "核验备注", "Review note")}</dt><dd>{or_dash(&note)}</dd>
                            </dl>
                            {request}
                        }
                        .into_any()
                    }
                    Err(problem) => {
                        load_failure.set(Some(problem));
                        view! { <Problem failure=load_failure /> }.into_any()
                    }
                })}
            </Transition>
            <Show when=move || may_review>
                <form class="review" on:submit=review.clone()>
                    <fieldset>
                        <legend>{t("资格核验", "Qualification review")}</legend>
                        <label class="check"><input type="radio" name="decision" value=Status::Verified.code() prop:checked=move || decision.get() == Status::Verified on:change=move |_| decision.set(Status::Verified) />" "{t("核验通过", "Verified")}</label>
                        <label class="check"><input type="radio" name="decision" value=Status::Rejected.code() prop:checked=move || decision.get() == Status::Rejected on:change=move |_| decision.set(Status::Rejected) />" "{t("不通过", "Rejected")}</label>
                    </fieldset>
                    <Field label=label("备注（不通过时必填，将告知社工）", "Note (required for a rejection; the social worker is told)") value=note.into() set=Callback::new(move |v| note.set(v)) path="note".into() errors input=Input::Multiline />
                    <Problem failure />
                    <Done message=done />
                    <button type="submit">{t("保存核验结果", "Save review")}</button>
                </form>
            </Show>
        </section>
    }
}
