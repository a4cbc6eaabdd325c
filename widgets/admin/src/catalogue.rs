//! Partners and benefits: the drafts staff edit, publishing them as a new catalogue snapshot,
//! rolling back to an earlier one, CSV import and the Open Referral HSDS export.
//!
//! At programme size (10,000 benefits, 2,000 partners) the page never holds the whole
//! catalogue: each list shows a page of 100 with "load more" and a search the server runs; the
//! long jobs (drafts from the published catalogue, a large import) go a page of 900 writes at
//! a time, with a progress bar, and resume where they stopped.

pub use guanai_core::model::{DraftBenefit, DraftPartner};
use guanai_core::staff::Action;
use guanai_core::wire::{
    DraftPage, DraftsCreated, Imported, PartnerChoice, PublishOptions, Published, Resume, Rollback,
};
use guanai_core::{Lang, Text};
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::{self, Failure, wire_body};
use crate::benefit_form::BenefitForm;
use crate::partner_form::PartnerForm;
use crate::ui::{Check, Choice, Done, Problem, label, t, when};
use crate::{admin, t_str};

/// One list of drafts as the server pages it: the rows so far and where it goes on.
struct DraftList<T: Send + Sync + 'static> {
    rows: RwSignal<Vec<T>>,
    cursor: RwSignal<Option<String>>,
}

// By hand: a derive would ask `T: Copy`, and signals are `Copy` whatever they hold.
impl<T: Send + Sync + 'static> Clone for DraftList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for DraftList<T> {}

impl<T: Clone + Send + Sync + 'static> DraftList<T> {
    fn new() -> DraftList<T> {
        DraftList {
            rows: RwSignal::new(Vec::new()),
            cursor: RwSignal::new(None),
        }
    }

    fn take(self, rows: Vec<T>, cursor: Option<String>, more: bool) {
        self.cursor.set(cursor);
        if more {
            self.rows.update(|all| all.extend(rows));
        } else {
            self.rows.set(rows);
        }
    }
}

/// What the page holds of the catalogue: a page of each list, the search, the published
/// version, and the partner choices (names for the benefit list and its form). Its operations
/// load, search and page.
#[derive(Clone, Copy)]
struct Drafts {
    partners: DraftList<DraftPartner>,
    benefits: DraftList<DraftBenefit>,
    query: RwSignal<String>,
    published: RwSignal<Option<String>>,
    choices: RwSignal<Vec<PartnerChoice>>,
    loading: RwSignal<bool>,
    failure: RwSignal<Option<Failure>>,
}

impl Drafts {
    fn new(failure: RwSignal<Option<Failure>>) -> Drafts {
        Drafts {
            partners: DraftList::new(),
            benefits: DraftList::new(),
            query: RwSignal::new(String::new()),
            published: RwSignal::new(None),
            choices: RwSignal::new(Vec::new()),
            loading: RwSignal::new(false),
            failure,
        }
    }

    /// The first page of both lists for the current search, and the partner choices.
    fn reload(self) {
        self.fetch(None);
        leptos::task::spawn_local(async move {
            if let Ok(choices) =
                api::get::<Vec<PartnerChoice>>("/v1/admin/catalog/partner-choices").await
            {
                self.choices.set(choices);
            }
        });
    }

    /// The next page of one list (`partners` or `benefits`).
    fn more(self, kind: &'static str) {
        self.fetch(Some(kind));
    }

    fn fetch(self, more: Option<&'static str>) {
        let mut query = vec![("q", self.query.get_untracked())];
        if let Some(kind) = more {
            let (cursor, name) = match kind {
                "partners" => (self.partners.cursor, "partners_cursor"),
                _ => (self.benefits.cursor, "benefits_cursor"),
            };
            query.push(("kind", kind.to_string()));
            query.push((name, cursor.get_untracked().unwrap_or_default()));
        }
        let url = api::with_query("/v1/admin/catalog", &query);
        self.loading.set(true);
        leptos::task::spawn_local(async move {
            match api::get::<DraftPage>(&url).await {
                Ok(page) => {
                    self.published.set(page.published);
                    // A first page replaces both lists; "more" appends to its own list only.
                    let appending = more.is_some();
                    if more != Some("benefits") {
                        self.partners
                            .take(page.partners, page.partners_cursor, appending);
                    }
                    if more != Some("partners") {
                        self.benefits
                            .take(page.benefits, page.benefits_cursor, appending);
                    }
                }
                Err(problem) => self.failure.set(Some(problem)),
            }
            self.loading.set(false);
        });
    }

    /// The name of partner `id` in `lang`, or the id while the choices are not in.
    fn partner_name(self, id: &str, lang: Lang) -> String {
        self.choices
            .with(|choices| crate::ui::partner_name(choices, id, lang))
    }
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
    let failure = RwSignal::new(None::<Failure>);
    let drafts = Drafts::new(failure);
    drafts.reload();
    let versions = LocalResource::new(|| api::get::<Versions>("/v1/admin/catalog/versions"));
    let editing = RwSignal::new(Editing::Nothing);
    let done = RwSignal::new(None::<Text>);
    let saved = Callback::new(move |message: Text| {
        editing.set(Editing::Nothing);
        done.set(Some(message));
        drafts.reload();
    });
    let cancel = Callback::new(move |()| editing.set(Editing::Nothing));

    view! {
        <Show
            when=move || editing.with(|e| *e == Editing::Nothing)
            fallback=move || match editing.get() {
                Editing::Partner(draft) => view! { <PartnerForm draft saved cancel /> }.into_any(),
                Editing::Benefit(draft) => {
                    // An association admin adds offers for their association's partners only.
                    // Read untracked: a reload of the choices (after an action, an import) must
                    // not re-create the form and throw away what staff have typed.
                    let own = admin.session.with_untracked(|s| s.as_ref().and_then(|s| s.staff.association));
                    let partners: Vec<PartnerChoice> = drafts
                        .choices
                        .get_untracked()
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
                <Import on_done=Callback::new(move |message| { done.set(Some(message)); drafts.reload(); }) />
                <div class="toolbar">
                    <button type="button" class="new-partner" on:click=move |_| editing.set(Editing::Partner(None))>{t("新建合作单位", "New partner")}</button>
                    <button type="button" class="new-benefit" on:click=move |_| editing.set(Editing::Benefit(None)) disabled=move || drafts.choices.with(Vec::is_empty)>{t("新建福利", "New benefit")}</button>
                </div>
            </Show>
            <Search drafts />
            {move || view! { <DraftLists drafts lang=lang.get() editing may_edit /> }}
        </Show>
    }
}

/// The search over both lists, run by the server over every draft.
#[component]
fn Search(drafts: Drafts) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let id = crate::ui::next_id("draft-search");
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        drafts.query.set(typed.get_untracked().trim().to_string());
        drafts.fetch(None);
    };
    view! {
        <form class="toolbar search" role="search" on:submit=submit>
            <label for=id.clone()>{t("搜索草稿（编号、名称、标题）", "Search drafts (id, name, title)")}</label>
            <input id=id type="search" prop:value=move || typed.get() on:input=move |e| typed.set(event_target_value(&e)) />
            <button type="submit" class="secondary">{t("搜索", "Search")}</button>
            // The live region stays; the `.loading` marker is there only while a page loads.
            <span role="status">{move || drafts.loading.get().then(|| view! { <span class="loading">{t_str(admin().lang.get(), "正在加载…", "Loading…")}</span> })}</span>
        </form>
    }
}

/// Publishing: the version that is live, publish and "start from the published version" for
/// plan admins, earlier versions to roll back to, and the HSDS export.
#[component]
fn Publishing(
    /// The drafts (reloaded after an action).
    drafts: Drafts,
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
                    drafts.reload();
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
    // Drafts from the published catalogue go a page of 900 writes at a time; the bar shows how
    // far, and after a failure "continue" goes on from the last page that was stored.
    let progress = RwSignal::new(None::<(usize, usize)>);
    let resume_at = RwSignal::new(None::<String>);
    let from_published = move |_| {
        busy.set(true);
        failure.set(None);
        done.set(None);
        leptos::task::spawn_local(async move {
            let mut created = 0;
            loop {
                let body = wire_body(&Resume {
                    cursor: resume_at.get_untracked(),
                });
                let path = "/v1/admin/catalog/drafts-from-published";
                match api::send_text::<DraftsCreated>("POST", path, "application/json", body).await
                {
                    Ok(page) => {
                        created += page.created;
                        progress.set(Some((page.done, page.total)));
                        resume_at.set(page.cursor.clone());
                        if page.cursor.is_none() {
                            done.set(Some(Text::new(
                                format!("已从发布版本新建 {created} 份草稿。"),
                                format!("{created} drafts created from the published catalogue."),
                            )));
                            break;
                        }
                    }
                    Err(problem) => {
                        failure.set(Some(problem));
                        break;
                    }
                }
            }
            drafts.reload();
            busy.set(false);
        });
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
            .published
            .get()
            .unwrap_or_else(|| t_str(lang.get(), "尚未发布", "nothing yet").to_string())
    };
    let version_rows = move || {
        let lang = lang.get();
        let current = drafts.published.get();
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
                    <button type="button" class="secondary" on:click=from_published disabled=move || busy.get()>
                        {move || if resume_at.get().is_some() && !busy.get() {
                            t_str(lang.get(), "继续从发布版本新建草稿", "Continue creating drafts from the published version")
                        } else {
                            t_str(lang.get(), "从发布版本开始编辑", "Start editing from the published version")
                        }}
                    </button>
                </div>
                <Progress progress label=label("从发布版本新建草稿", "Drafts from the published version") />
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

/// The partner and benefit drafts as tables, a page at a time, each row with its edit button.
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
    let state = move |archived: bool| {
        if archived {
            t_str(lang, "已归档", "Archived")
        } else {
            t_str(lang, "合作中", "Active")
        }
    };
    let partner_row = move |draft: DraftPartner| {
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
                        <EditButton lang name=name.clone() open={
                            let opened = opened.clone();
                            move || editing.set(Editing::Partner(Some(opened.clone())))
                        } />
                    </Show>
                </td>
            </tr>
        }
    };
    let benefit_row = move |draft: DraftBenefit| {
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
        let partner = draft.benefit.partner.clone();
        view! {
            <tr data-benefit=draft.benefit.id.clone()>
                <td>{title.clone()}</td>
                <td><code>{draft.benefit.id.clone()}</code></td>
                <td>{move || drafts.partner_name(&partner, lang)}</td>
                <td>{draft.benefit.area.label().get(lang).to_string()}</td>
                <td>{validity}</td>
                <td>{state(draft.archived)}</td>
                <td>
                    <Show when=move || may_edit>
                        <EditButton lang name=title.clone() open={
                            let opened = opened.clone();
                            move || editing.set(Editing::Benefit(Some(opened.clone())))
                        } />
                    </Show>
                </td>
            </tr>
        }
    };
    let nothing_yet = move || {
        (drafts.partners.rows.with(Vec::is_empty) && !drafts.loading.get()).then(|| {
            let text = if drafts.query.with(String::is_empty) {
                t_str(
                    lang,
                    "还没有草稿。可从发布版本开始编辑（计划管理员），或新建、从 CSV 导入。",
                    "No drafts yet. Start from the published version (plan admins), or create or import from CSV.",
                )
            } else {
                t_str(lang, "没有符合搜索的合作单位。", "No partner matches the search.")
            };
            view! { <p class="notice">{text}</p> }
        })
    };
    let more = move |kind: &'static str, cursor: RwSignal<Option<String>>| {
        move || {
            cursor.with(Option::is_some).then(|| {
                view! {
                    <button type="button" class="secondary more" on:click=move |_| drafts.more(kind) disabled=move || drafts.loading.get()>
                        {if kind == "partners" { t_str(lang, "加载更多合作单位", "Load more partners") } else { t_str(lang, "加载更多福利", "Load more benefits") }}
                    </button>
                }
            })
        }
    };
    let shown = move |n: usize, complete: bool| {
        if complete {
            format!(" ({n})")
        } else {
            format!(" ({} {n}+)", t_str(lang, "已显示", "showing"))
        }
    };
    view! {
        {nothing_yet}
        <section aria-labelledby="partners-heading">
            <h2 id="partners-heading">{t_str(lang, "合作单位草稿", "Partner drafts")}{move || shown(drafts.partners.rows.with(Vec::len), drafts.partners.cursor.with(Option::is_none))}</h2>
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
                <tbody>{move || drafts.partners.rows.get().into_iter().map(partner_row).collect_view()}</tbody>
            </table>
            {more("partners", drafts.partners.cursor)}
        </section>
        <section aria-labelledby="benefits-heading">
            <h2 id="benefits-heading">{t_str(lang, "福利草稿", "Benefit drafts")}{move || shown(drafts.benefits.rows.with(Vec::len), drafts.benefits.cursor.with(Option::is_none))}</h2>
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
                <tbody>{move || drafts.benefits.rows.get().into_iter().map(benefit_row).collect_view()}</tbody>
            </table>
            {more("benefits", drafts.benefits.cursor)}
        </section>
    }
}

/// A row's edit button, named for screen readers by what it opens.
#[component]
fn EditButton(
    lang: Lang,
    /// The partner's name or the benefit's title.
    name: String,
    /// Opens the draft's form.
    open: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="secondary" on:click=move |_| open()>
            {t_str(lang, "编辑", "Edit")}<span class="visually-hidden">" "{name}</span>
        </button>
    }
}

/// How far a long job is: a labelled bar and the count, announced politely.
#[component]
fn Progress(
    /// Items done and in all, once the job has started.
    progress: RwSignal<Option<(usize, usize)>>,
    /// What the job is.
    label: Signal<String>,
) -> impl IntoView {
    let lang = admin().lang;
    move || {
        progress.get().map(|(done, total)| {
            let text = match lang.get() {
                Lang::ZhCn => format!("{}：{done} / {total}", label.get()),
                Lang::En => format!("{}: {done} of {total}", label.get()),
            };
            view! {
                <div class="progress">
                    <progress max=total.max(1).to_string() value=done.to_string() aria-label=label.get()></progress>
                    <span role="status">{text}</span>
                </div>
            }
        })
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
    // A file of more than 900 rows is stored a page at a time: the bar shows how far, and a
    // page that failed can be sent again ("continue") without uploading the file again.
    let progress = RwSignal::new(None::<(usize, usize)>);
    let resume_at = RwSignal::new(None::<String>);
    let store_pages = move |mut path: String, mut body: String| async move {
        loop {
            let sent =
                api::send_text::<Imported>("POST", &path, "text/csv; charset=utf-8", body).await;
            match sent {
                Ok(answer) => {
                    progress.set(Some((answer.written, answer.total)));
                    resume_at.set(answer.cursor.clone());
                    let Some(cursor) = answer.cursor else {
                        let (p, b) = (answer.partners, answer.benefits);
                        on_done.run(Text::new(
                            format!("已导入为草稿：{p} 家合作单位，{b} 项福利。"),
                            format!("Imported as drafts: {p} partners, {b} benefits."),
                        ));
                        return;
                    };
                    path = api::with_query("/v1/admin/catalog/import", &[("cursor", cursor)]);
                    body = String::new();
                }
                Err(problem) => {
                    failure.set(Some(problem));
                    return;
                }
            }
        }
    };
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
        progress.set(None);
        let kind = kind.get_untracked();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            resume_at.set(None);
            let first = format!("/v1/admin/catalog/import?kind={kind}");
            store_pages(first, text).await;
            busy.set(false);
        });
    };
    let resume = move |_| {
        let Some(cursor) = resume_at.get_untracked() else {
            return;
        };
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let next = api::with_query("/v1/admin/catalog/import", &[("cursor", cursor)]);
            store_pages(next, String::new()).await;
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
                <Progress progress label=label("导入行数", "Rows imported") />
                <div class="toolbar">
                    <button type="submit" class="secondary" disabled=move || busy.get()>{t("导入", "Import")}</button>
                    <Show when=move || resume_at.with(Option::is_some) && !busy.get()>
                        <button type="button" class="secondary" on:click=resume>{t("继续导入", "Continue the import")}</button>
                    </Show>
                </div>
            </fieldset>
        </form>
        </details>
    }
}
