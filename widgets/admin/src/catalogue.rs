//! Partners and benefits: the drafts staff edit, publishing them as a new catalogue snapshot,
//! rolling back to an earlier one, CSV import and the Open Referral HSDS export.

pub use guanai_core::model::{DraftBenefit, DraftPartner};
use guanai_core::staff::Action;
use guanai_core::wire::{DraftsCreated, Empty, PublishOptions, Published, Rollback};
use guanai_core::{Lang, Text};
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::{self, Failure, wire_body};
use crate::benefit_form::BenefitForm;
use crate::partner_form::PartnerForm;
use crate::ui::{Check, Choice, Done, Problem, label, t, when};
use crate::{admin, t_str};

/// `GET /v1/admin/catalog`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Drafts {
    pub partners: Vec<DraftPartner>,
    pub benefits: Vec<DraftBenefit>,
    pub published: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Version {
    version: String,
    #[serde(default)]
    published_at_ms: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
struct Versions {
    versions: Vec<serde_json::Value>,
}

/// What the page shows: the lists, or one form.
#[derive(Debug, Clone, PartialEq)]
pub enum Editing {
    Nothing,
    Partner(Option<DraftPartner>),
    Benefit(Option<DraftBenefit>),
}

/// The catalogue page.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let admin = admin();
    let lang = admin.lang;
    let session = admin.session.get_untracked();
    let may = |action| session.as_ref().is_some_and(|s| s.may(action));
    let (may_edit, may_publish) = (may(Action::Edit), may(Action::Publish));
    let drafts = LocalResource::new(|| api::get::<Drafts>("/v1/admin/catalog"));
    let versions = LocalResource::new(|| api::get::<Versions>("/v1/admin/catalog/versions"));
    let editing = RwSignal::new(Editing::Nothing);
    let failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(None::<Text>);
    let saved = Callback::new(move |message: Text| {
        editing.set(Editing::Nothing);
        done.set(Some(message));
        drafts.refetch();
    });
    let cancel = Callback::new(move |()| editing.set(Editing::Nothing));

    let lists = move || {
        let lang = lang.get();
        drafts.get().map(|answer| match answer {
            Ok(drafts) => view! { <DraftLists drafts lang editing may_edit /> }.into_any(),
            Err(problem) => {
                failure.set(Some(problem));
                ().into_any()
            }
        })
    };
    view! {
        <Show
            when=move || editing.with(|e| *e == Editing::Nothing)
            fallback=move || match editing.get() {
                Editing::Partner(draft) => view! { <PartnerForm draft saved cancel /> }.into_any(),
                Editing::Benefit(draft) => {
                    // An association admin adds offers for their association's partners only.
                    // Read untracked: a reload of the drafts (after an action, an import) must not
                    // re-create the form and throw away what staff have typed.
                    let own = admin.session.with_untracked(|s| s.as_ref().and_then(|s| s.staff.association));
                    let partners: Vec<DraftPartner> = drafts
                        .get_untracked()
                        .and_then(Result::ok)
                        .map(|d| d.partners)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|p| own.is_none() || p.association == own)
                        .collect();
                    view! { <BenefitForm draft partners saved cancel /> }.into_any()
                }
                Editing::Nothing => ().into_any(),
            }
        >
            <Done message=done />
            <Problem failure />
            <Publishing drafts versions may_publish done failure />
            <Show when=move || may_edit>
                <Import on_done=Callback::new(move |message| { done.set(Some(message)); drafts.refetch(); }) />
                <div class="toolbar">
                    <button type="button" class="new-partner" on:click=move |_| editing.set(Editing::Partner(None))>{t("新建合作单位", "New partner")}</button>
                    <button type="button" class="new-benefit" on:click=move |_| editing.set(Editing::Benefit(None)) disabled=move || drafts.with(Option::is_none)>{t("新建福利", "New benefit")}</button>
                </div>
            </Show>
            <Transition fallback=move || view! { <p class="loading" role="status">{t("正在加载…", "Loading…")}</p> }>
                {lists}
            </Transition>
        </Show>
    }
}

/// Publishing: the version that is live, publish and "start from the published version" for
/// plan admins, earlier versions to roll back to, and the HSDS export.
#[component]
fn Publishing(
    /// The drafts (refetched after an action).
    drafts: LocalResource<Result<Drafts, Failure>>,
    /// The published versions (refetched after an action).
    versions: LocalResource<Result<Versions, Failure>>,
    /// Whether the publishing actions are offered.
    may_publish: bool,
    /// Where a finished action says so.
    done: RwSignal<Option<Text>>,
    /// Where a failed one says why.
    failure: RwSignal<Option<Failure>>,
) -> impl IntoView {
    let lang = admin().lang;
    let sample = RwSignal::new(false);
    let busy = RwSignal::new(false);

    // `said` reads the action's answer (its `guanai_core::wire` type) into the confirmation.
    let act = move |path: &'static str,
                    body: String,
                    said: fn(serde_json::Value) -> Option<Text>| {
        busy.set(true);
        failure.set(None);
        done.set(None);
        leptos::task::spawn_local(async move {
            match api::send_text::<serde_json::Value>("POST", path, "application/json", body).await
            {
                Ok(answer) => {
                    let fallback = || Text::new("已完成。", "Done.");
                    done.set(Some(said(answer).unwrap_or_else(fallback)));
                    drafts.refetch();
                    versions.refetch();
                }
                Err(problem) => failure.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let publish = move |_| {
        act(
            "/v1/admin/catalog/publish",
            wire_body(&PublishOptions {
                sample: sample.get_untracked(),
            }),
            |answer| {
                let Published {
                    version: v,
                    partners: p,
                    benefits: b,
                } = serde_json::from_value(answer).ok()?;
                Some(Text::new(
                    format!(
                        "已发布版本 {v}：{p} 家合作单位，{b} 项福利。各网站的组件一分钟内显示新内容。"
                    ),
                    format!(
                        "Published version {v}: {p} partners, {b} benefits. Widgets everywhere show it within a minute."
                    ),
                ))
            },
        )
    };
    let from_published = move |_| {
        act(
            "/v1/admin/catalog/drafts-from-published",
            wire_body(&Empty {}),
            |answer| {
                let DraftsCreated { created: n } = serde_json::from_value(answer).ok()?;
                Some(Text::new(
                    format!("已从发布版本新建 {n} 份草稿。"),
                    format!("{n} drafts created from the published catalogue."),
                ))
            },
        )
    };
    let rollback = move |version: String| {
        act(
            "/v1/admin/catalog/rollback",
            wire_body(&Rollback { version }),
            |answer| {
                let Rollback { version: v } = serde_json::from_value(answer).ok()?;
                Some(Text::new(
                    format!("已恢复发布版本 {v}。"),
                    format!("Version {v} is published again."),
                ))
            },
        )
    };
    let published = move || {
        drafts
            .get()
            .and_then(Result::ok)
            .and_then(|d| d.published)
            .unwrap_or_else(|| t_str(lang.get(), "尚未发布", "nothing yet").to_string())
    };
    let version_rows = move || {
        let lang = lang.get();
        let current = drafts.get().and_then(Result::ok).and_then(|d| d.published);
        versions
            .get()
            .and_then(Result::ok)
            .map(|v| {
                v.versions
                    .into_iter()
                    .filter_map(|v| serde_json::from_value::<Version>(v).ok())
                    .rev()
                    .map(|v| {
                        let is_current = current.as_deref() == Some(v.version.as_str());
                        let version = v.version.clone();
                        view! {
                            <li>
                                <code>{v.version.clone()}</code>
                                {v.published_at_ms.map(|ms| format!(" · {}", when(ms)))}
                                {is_current.then(|| view! { <strong>{format!(" · {}", t_str(lang, "当前发布", "published now"))}</strong> })}
                                <Show when=move || may_publish && !is_current>
                                    <button type="button" class="secondary" on:click={
                                        let version = version.clone();
                                        move |_| rollback(version.clone())
                                    }>
                                        {t_str(lang, "恢复此版本", "Publish this version again")}
                                    </button>
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()
            })
    };

    view! {
        <section class="publishing" aria-labelledby="publishing-heading">
            <h2 id="publishing-heading">{t("发布", "Publishing")}</h2>
            <p>{t("当前发布版本：", "Published version: ")}<code>{published}</code></p>
            <Show when=move || may_publish>
                <div class="toolbar">
                    <Check label=label("标记为示例数据", "Mark as sample data") checked=sample.into() set=Callback::new(move |v| sample.set(v)) />
                    <button type="button" class="publish" on:click=publish disabled=move || busy.get()>{t("发布草稿为新版本", "Publish the drafts as a new version")}</button>
                    <button type="button" class="secondary" on:click=from_published disabled=move || busy.get()>{t("从发布版本开始编辑", "Start editing from the published version")}</button>
                </div>
            </Show>
            <details>
                <summary>{t("历史版本", "Earlier versions")}</summary>
                <ul class="versions">{version_rows}</ul>
            </details>
            <p>
                <a class="button secondary" href="/v1/admin/catalog/hsds.json" download="guanai-hsds.json">
                    {t("导出 Open Referral HSDS（JSON）", "Export as Open Referral HSDS (JSON)")}
                </a>
            </p>
        </section>
    }
}

/// The partner and benefit drafts as tables, each row with its edit button.
#[component]
fn DraftLists(
    /// The drafts.
    drafts: Drafts,
    /// Language of labels.
    lang: Lang,
    /// Which form is open.
    editing: RwSignal<Editing>,
    /// Whether the edit buttons are offered.
    may_edit: bool,
) -> impl IntoView {
    let partner_name = {
        let partners = drafts.partners.clone();
        move |id: &str| {
            partners
                .iter()
                .find(|p| p.partner.id == id)
                .map(|p| p.partner.name.get(lang).to_string())
                .unwrap_or_else(|| id.to_string())
        }
    };
    let state = move |archived: bool| {
        if archived {
            t_str(lang, "已归档", "Archived")
        } else {
            t_str(lang, "合作中", "Active")
        }
    };
    let partners = drafts
        .partners
        .iter()
        .map(|draft| {
            let name = draft.partner.name.get(lang).to_string();
            let opened = draft.clone();
            view! {
                <tr data-partner=draft.partner.id.clone()>
                    <td>{name.clone()}</td>
                    <td><code>{draft.partner.id.clone()}</code></td>
                    <td>{draft.partner.kind.label().get(lang).to_string()}</td>
                    <td>{draft.association.map(|a| a.name().get(lang).to_string()).unwrap_or_else(|| t_str(lang, "全计划", "Plan-wide").to_string())}</td>
                    <td>{draft.partner.locations.len()}</td>
                    <td>{state(draft.archived)}</td>
                    <td>{format!("{} · {}", draft.updated_by, when(draft.updated_at_ms))}</td>
                    <td>
                        <Show when=move || may_edit>
                            <button type="button" class="secondary" on:click={
                                let opened = opened.clone();
                                move |_| editing.set(Editing::Partner(Some(opened.clone())))
                            }>
                                {t_str(lang, "编辑", "Edit")}<span class="visually-hidden">" "{name.clone()}</span>
                            </button>
                        </Show>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let benefits = drafts
        .benefits
        .iter()
        .map(|draft| {
            let title = draft.benefit.title.get(lang).to_string();
            let opened = draft.clone();
            let validity = match (draft.benefit.valid_from, draft.benefit.valid_until) {
                (None, None) => t_str(lang, "长期", "No end date").to_string(),
                (from, until) => format!(
                    "{} – {}",
                    from.map(guanai_core::time::iso_date).unwrap_or_default(),
                    until.map(guanai_core::time::iso_date).unwrap_or_default()
                ),
            };
            view! {
                <tr data-benefit=draft.benefit.id.clone()>
                    <td>{title.clone()}</td>
                    <td><code>{draft.benefit.id.clone()}</code></td>
                    <td>{partner_name(&draft.benefit.partner)}</td>
                    <td>{draft.benefit.area.label().get(lang).to_string()}</td>
                    <td>{validity}</td>
                    <td>{state(draft.archived)}</td>
                    <td>
                        <Show when=move || may_edit>
                            <button type="button" class="secondary" on:click={
                                let opened = opened.clone();
                                move |_| editing.set(Editing::Benefit(Some(opened.clone())))
                            }>
                                {t_str(lang, "编辑", "Edit")}<span class="visually-hidden">" "{title.clone()}</span>
                            </button>
                        </Show>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let nothing_yet = drafts.partners.is_empty().then(|| {
        view! {
            <p class="notice">
                {t_str(
                    lang,
                    "还没有草稿。可从发布版本开始编辑（计划管理员），或新建、从 CSV 导入。",
                    "No drafts yet. Start from the published version (plan admins), or create or import from CSV.",
                )}
            </p>
        }
    });
    view! {
        {nothing_yet}
        <section aria-labelledby="partners-heading">
            <h2 id="partners-heading">{t_str(lang, "合作单位草稿", "Partner drafts")}" ("{drafts.partners.len()}")"</h2>
            <table class="list partners">
                <thead><tr>
                    <th scope="col">{t_str(lang, "名称", "Name")}</th>
                    <th scope="col">{t_str(lang, "编号", "Id")}</th>
                    <th scope="col">{t_str(lang, "类型", "Kind")}</th>
                    <th scope="col">{t_str(lang, "负责协会", "Association")}</th>
                    <th scope="col">{t_str(lang, "地点", "Locations")}</th>
                    <th scope="col">{t_str(lang, "合作状态", "Partnership")}</th>
                    <th scope="col">{t_str(lang, "最后修改", "Last change")}</th>
                    <th scope="col"><span class="visually-hidden">{t_str(lang, "操作", "Actions")}</span></th>
                </tr></thead>
                <tbody>{partners}</tbody>
            </table>
        </section>
        <section aria-labelledby="benefits-heading">
            <h2 id="benefits-heading">{t_str(lang, "福利草稿", "Benefit drafts")}" ("{drafts.benefits.len()}")"</h2>
            <table class="list benefits">
                <thead><tr>
                    <th scope="col">{t_str(lang, "标题", "Title")}</th>
                    <th scope="col">{t_str(lang, "编号", "Id")}</th>
                    <th scope="col">{t_str(lang, "合作单位", "Partner")}</th>
                    <th scope="col">{t_str(lang, "服务领域", "Service area")}</th>
                    <th scope="col">{t_str(lang, "有效期", "Valid")}</th>
                    <th scope="col">{t_str(lang, "状态", "Status")}</th>
                    <th scope="col"><span class="visually-hidden">{t_str(lang, "操作", "Actions")}</span></th>
                </tr></thead>
                <tbody>{benefits}</tbody>
            </table>
        </section>
    }
}

/// CSV import: a file of partners or benefits becomes drafts, all rows or none.
#[component]
fn Import(
    /// Told what was imported.
    on_done: Callback<Text>,
) -> impl IntoView {
    let lang = admin().lang;
    let kind = RwSignal::new("partners".to_string());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let file_ref = NodeRef::<leptos::html::Input>::new();
    let file_id = crate::ui::next_id("import");
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(file) = file_ref
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            failure.set(Some(Failure {
                status: 0,
                code: "required".into(),
                message: Text::new("请选择一个 CSV 文件。", "Choose a CSV file."),
                fields: Vec::new(),
            }));
            return;
        };
        busy.set(true);
        failure.set(None);
        let kind = kind.get_untracked();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            let path = format!("/v1/admin/catalog/import?kind={kind}");
            match api::send_text::<serde_json::Value>(
                "POST",
                &path,
                "text/csv; charset=utf-8",
                text,
            )
            .await
            {
                Ok(answer) => {
                    let (p, b) = (
                        answer["partners"].as_array().map_or(0, Vec::len),
                        answer["benefits"].as_array().map_or(0, Vec::len),
                    );
                    on_done.run(Text::new(
                        format!("已导入为草稿：{p} 家合作单位，{b} 项福利。"),
                        format!("Imported as drafts: {p} partners, {b} benefits."),
                    ));
                }
                Err(problem) => failure.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    view! {
        <details class="import">
        <summary>{t("从 CSV 导入", "Import from CSV")}</summary>
        <form on:submit=submit>
            <fieldset>
                <legend>{t("从 CSV 导入（全部成功才导入）", "Import from CSV (all rows or none)")}</legend>
                <Choice
                    label=label("内容", "Contents")
                    value=kind.into()
                    set=Callback::new(move |v| kind.set(v))
                    options=Signal::derive(move || {
                        let lang = lang.get();
                        vec![
                            ("partners".into(), t_str(lang, "合作单位", "Partners").into()),
                            ("benefits".into(), t_str(lang, "福利", "Benefits").into()),
                        ]
                    })
                />
                <div class="field">
                    <label for=file_id.clone()>{t("CSV 文件（UTF-8，可带 BOM）", "CSV file (UTF-8, BOM allowed)")}</label>
                    <input id=file_id type="file" accept=".csv,text/csv" node_ref=file_ref />
                </div>
                <Problem failure />
                <button type="submit" class="secondary" disabled=move || busy.get()>{t("导入", "Import")}</button>
            </fieldset>
        </form>
        </details>
    }
}
