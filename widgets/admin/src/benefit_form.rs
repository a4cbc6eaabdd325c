//! Creating and editing a benefit, with the same validation the catalogue gets when published
//! (the server runs it on every save): partner, service area, zh + en texts, regions, eligible
//! levels, validity dates, how to redeem.

use guanai_core::validate::FieldError;
use guanai_core::wire::BenefitChange;
use guanai_core::{Benefit, QualificationLevel, ServiceArea, Text};
use leptos::prelude::*;

use crate::catalogue::DraftBenefit;
use crate::ui::{
    Check, Choice, DraftFooter, DraftForm, DraftHeading, Field, Input, bind, label, region_name,
    region_options, t,
};
use crate::{admin, t_str};
use guanai_core::wire::PartnerChoice;

fn empty_benefit(partner: &str) -> Benefit {
    Benefit {
        id: String::new(),
        partner: partner.to_string(),
        area: ServiceArea::ALL[0],
        title: Text::new("", ""),
        description: Text::new("", ""),
        regions: Vec::new(),
        eligible_levels: Vec::new(),
        valid_from: None,
        valid_until: None,
        how_to_redeem: Text::new("", ""),
    }
}

fn date(value: &str) -> Option<chrono::NaiveDate> {
    guanai_core::time::parse_iso_date(value)
}

/// The benefit form.
#[component]
pub fn BenefitForm(
    /// The draft to edit; `None` for a new benefit.
    draft: Option<DraftBenefit>,
    /// Partners to choose from.
    partners: Vec<PartnerChoice>,
    /// Called with a confirmation once the server has stored it.
    saved: Callback<Text>,
    /// Leaves the form without saving.
    cancel: Callback<()>,
) -> impl IntoView {
    let lang = admin().lang;
    let is_new = draft.is_none();
    let first_partner = partners.first().map(|p| p.id.clone()).unwrap_or_default();
    let state = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.benefit.clone())
            .unwrap_or_else(|| empty_benefit(&first_partner)),
    );
    let archived = RwSignal::new(draft.as_ref().is_some_and(|d| d.archived));
    let form = DraftForm::new(saved);
    let errors = form.errors;

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let benefit = state.get_untracked();
        let id = benefit.id.trim().to_string();
        let said = Text::new(
            format!("已保存福利 {id}（草稿，发布后生效）。"),
            format!("Benefit {id} saved (a draft until published)."),
        );
        let change = BenefitChange {
            benefit,
            archived: archived.get_untracked(),
        };
        form.save("benefits", &id, change, &["benefits[0].", "benefit."], said);
    };

    let (id, set_id) = bind(
        state,
        |b| b.id.clone(),
        |b, v| b.id = v.trim().to_ascii_lowercase(),
    );
    let (title_zh, set_title_zh) = bind(state, |b| b.title.zh.clone(), |b, v| b.title.zh = v);
    let (title_en, set_title_en) = bind(state, |b| b.title.en.clone(), |b, v| b.title.en = v);
    let (description_zh, set_description_zh) = bind(
        state,
        |b| b.description.zh.clone(),
        |b, v| b.description.zh = v,
    );
    let (description_en, set_description_en) = bind(
        state,
        |b| b.description.en.clone(),
        |b, v| b.description.en = v,
    );
    let (redeem_zh, set_redeem_zh) = bind(
        state,
        |b| b.how_to_redeem.zh.clone(),
        |b, v| b.how_to_redeem.zh = v,
    );
    let (redeem_en, set_redeem_en) = bind(
        state,
        |b| b.how_to_redeem.en.clone(),
        |b, v| b.how_to_redeem.en = v,
    );
    let (from, set_from) = bind(
        state,
        |b| {
            b.valid_from
                .map(guanai_core::time::iso_date)
                .unwrap_or_default()
        },
        |b, v| b.valid_from = date(&v),
    );
    let (until, set_until) = bind(
        state,
        |b| {
            b.valid_until
                .map(guanai_core::time::iso_date)
                .unwrap_or_default()
        },
        |b, v| b.valid_until = date(&v),
    );
    let partner_options = Signal::derive(move || {
        let lang = lang.get();
        partners
            .iter()
            .map(|p| (p.id.clone(), format!("{} ({})", p.name.get(lang), p.id)))
            .collect()
    });
    let area_options = Signal::derive(move || {
        let lang = lang.get();
        ServiceArea::ALL
            .iter()
            .map(|a| (a.code().to_string(), a.label().get(lang).to_string()))
            .collect()
    });
    view! {
        <form class="edit benefit" on:submit=submit novalidate>
            <DraftHeading is_new titles=(label("新建福利", "New benefit"), label("编辑福利", "Edit benefit"))
                id_label=label("编号（小写字母、数字和连字符）", "Id (lower-case letters, digits and hyphens)") id set_id errors />
            <Choice label=label("合作单位", "Partner") value=Signal::derive(move || state.with(|b| b.partner.clone())) set=Callback::new(move |v| state.update(|b| b.partner = v)) options=partner_options path="partner".into() errors=errors />
            <Choice label=label("服务领域", "Service area") value=Signal::derive(move || state.with(|b| b.area.code().to_string())) set=Callback::new(move |v: String| state.update(|b| if let Ok(area) = v.parse() { b.area = area })) options=area_options path="area".into() errors=errors />
            <Field label=label("标题（中文）", "Title (Chinese)") value=title_zh set=set_title_zh path="title.zh".into() errors required=true />
            <Field label=label("标题（英文）", "Title (English)") value=title_en set=set_title_en path="title.en".into() errors required=true />
            <Field label=label("说明（中文）", "Description (Chinese)") value=description_zh set=set_description_zh path="description.zh".into() errors input=Input::Multiline required=true />
            <Field label=label("说明（英文）", "Description (English)") value=description_en set=set_description_en path="description.en".into() errors input=Input::Multiline required=true />
            <Field label=label("如何使用（中文）", "How to redeem (Chinese)") value=redeem_zh set=set_redeem_zh path="how_to_redeem.zh".into() errors input=Input::Multiline required=true />
            <Field label=label("如何使用（英文）", "How to redeem (English)") value=redeem_en set=set_redeem_en path="how_to_redeem.en".into() errors input=Input::Multiline required=true />
            <RegionsAndLevels state errors />
            <Field label=label("开始日期（可选）", "First day (optional)") value=from set=set_from path="valid_from".into() errors input=Input::Date />
            <Field label=label("结束日期（可选）", "Last day (optional)") value=until set=set_until path="valid_until".into() errors input=Input::Date />
            <DraftFooter archived_label=label("已下架（归档，不再发布）", "Withdrawn (archived, not published)") archived form cancel />
        </form>
    }
}

/// Where a benefit applies (regions added one at a time, none meaning all of Jing-Jin-Ji) and
/// who may use it (levels ticked, none meaning everyone).
#[component]
fn RegionsAndLevels(
    /// The benefit being edited.
    state: RwSignal<Benefit>,
    /// Field errors, client and server.
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let lang = admin().lang;
    let adding_region = RwSignal::new(String::new());
    let region_choices = Signal::derive(move || {
        let lang = lang.get();
        region_options(
            lang,
            Some(t_str(lang, "选择要添加的地区…", "Choose a region to add…")),
        )
    });
    let chosen_regions = move || {
        let lang = lang.get();
        let regions = state.with(|b| b.regions.clone());
        if regions.is_empty() {
            return view! { <li>{t_str(lang, "京津冀全域", "All of Jing-Jin-Ji")}</li> }.into_any();
        }
        regions
            .into_iter()
            .enumerate()
            .map(|(i, code)| {
                let name = region_name(&code, lang);
                let problems = errors.with(|e| crate::ui::messages_for(e, &format!("regions[{i}]"), lang)).join(" ");
                view! {
                    <li>
                        {name.clone()}" "
                        <button type="button" class="secondary small" on:click=move |_| state.update(|b| { if i < b.regions.len() { b.regions.remove(i); } })>
                            {t_str(lang, "移除", "Remove")}<span class="visually-hidden">" "{name.clone()}</span>
                        </button>
                        {(!problems.is_empty()).then(|| view! { <span class="field-error">{problems}</span> })}
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    let levels = move || {
        let lang = lang.get();
        QualificationLevel::ALL
            .iter()
            .copied()
            .map(|level| {
                view! {
                    <Check
                        label=Signal::stored(level.label().get(lang).to_string())
                        checked=Signal::derive(move || state.with(|b| b.eligible_levels.contains(&level)))
                        set=Callback::new(move |on: bool| state.update(|b| {
                            b.eligible_levels.retain(|l| *l != level);
                            if on { b.eligible_levels.push(level) }
                        }))
                    />
                }
            })
            .collect_view()
    };

    view! {
    <fieldset>
        <legend>{t("适用地区（不选即京津冀全域）", "Where it applies (none chosen: all of Jing-Jin-Ji)")}</legend>
        <ul class="chosen">{chosen_regions}</ul>
        <Choice label=label("添加地区", "Add a region") value=adding_region.into() set=Callback::new(move |code: String| {
            if !code.is_empty() {
                state.update(|b| if !b.regions.contains(&code) { b.regions.push(code.clone()) });
            }
            adding_region.set(String::new());
        }) options=region_choices />
    </fieldset>
    <fieldset>
        <legend>{t("适用对象（不选即所有社工及在读学生）", "Who can use it (none ticked: everyone, students included)")}</legend>
        {levels}
    </fieldset>
    }
}
