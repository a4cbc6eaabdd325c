//! Answers to the call for partners: the list, the detail with the contact person (the server
//! logs each view), and the decision — accepting creates archived draft partner and benefits
//! for staff to complete in the catalogue.

use guanai_core::staff::Action;
use guanai_core::wire::{Decided, DecisionBody, RecordKind, Status};
use guanai_core::{Lang, Text};
use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::ui::{Done, Field, Input, Problem, label, region_name, t, when};
use crate::{admin, t_str};

/// One row of `GET /v1/admin/applications`.
pub use guanai_core::wire::ApplicationRow as Row;

fn status_label(status: Status, lang: Lang) -> String {
    status.label(RecordKind::Application).get(lang).to_string()
}

/// The applications page.
#[component]
pub fn Applications() -> impl IntoView {
    let admin = admin();
    let lang = admin.lang;
    // The contact person is plan-wide personal data: only the plan admin opens an application.
    let may_open = admin.session.with_untracked(|s| {
        s.as_ref()
            .is_some_and(|s| s.staff.may(Action::ReadPersonalData, None).is_ok())
    });
    let list = api::Paged::<Row>::new();
    let (rows, cursor, failure) = (list.rows, list.cursor, list.failure);
    let open = RwSignal::new(None::<String>);
    let load = move |more: bool| list.load("/v1/admin/applications", Vec::new(), more);
    load(false);
    let table = move || {
        let lang = lang.get();
        rows.get()
            .into_iter()
            .map(|row| {
                let reference = row.reference.clone();
                view! {
                    <tr>
                        <td><code>{row.reference.clone()}</code></td>
                        <td>{row.company.clone()}</td>
                        <td>{status_label(row.status, lang)}</td>
                        <td>{when(row.created_at_ms)}</td>
                        <td>
                            {may_open.then(|| view! {
                                <button type="button" class="secondary" on:click=move |_| open.set(Some(reference.clone()))>
                                    {t_str(lang, "查看", "Open")}<span class="visually-hidden">" "{row.company.clone()}</span>
                                </button>
                            })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Problem failure />
        <table class="list">
            <caption class="visually-hidden">{t("合作申请列表", "Partner applications")}</caption>
            <thead><tr>
                <th scope="col">{t("编号", "Reference")}</th>
                <th scope="col">{t("单位", "Company")}</th>
                <th scope="col">{t("状态", "Status")}</th>
                <th scope="col">{t("提交时间", "Received")}</th>
                <th scope="col"><span class="visually-hidden">{t("操作", "Actions")}</span></th>
            </tr></thead>
            <tbody>{table}</tbody>
        </table>
        <Show when=move || rows.with(Vec::is_empty)>
            <p>{t("暂无合作申请。", "No applications yet.")}</p>
        </Show>
        <Show when=move || cursor.with(Option::is_some)>
            <button type="button" class="secondary" on:click=move |_| load(true)>{t("加载更多", "Load more")}</button>
        </Show>
        {move || open.get().map(|reference| view! {
            <Detail reference on_decided=Callback::new(move |(reference, status): (String, Status)| {
                rows.update(|rows| if let Some(r) = rows.iter_mut().find(|r| r.reference == reference) { r.status = status });
            }) close=Callback::new(move |()| open.set(None)) />
        })}
    }
}

/// One application and the decision form.
#[component]
fn Detail(
    /// The application's reference.
    reference: String,
    /// Told `(reference, status)` after a decision.
    on_decided: Callback<(String, Status)>,
    /// Closes the panel.
    close: Callback<()>,
) -> impl IntoView {
    let admin = admin();
    let lang = admin.lang;
    let may_decide = admin
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.may(Action::Edit)));
    let path = format!("/v1/admin/applications/{reference}");
    let detail = LocalResource::new({
        let path = path.clone();
        move || {
            let path = path.clone();
            async move { api::get::<serde_json::Value>(&path).await }
        }
    });
    let decision = RwSignal::new(Status::Accepted);
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<Failure>);
    let load_failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(None::<Text>);
    let decide = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let body = DecisionBody::new(decision.get_untracked(), &note.get_untracked());
        let path = format!("{path}/decision");
        let reference = reference.clone();
        failure.set(None);
        leptos::task::spawn_local(async move {
            match api::send::<Decided>("POST", &path, &body).await {
                Ok(answer) => {
                    let status = answer.status;
                    done.set(Some(if status == Status::Accepted {
                        Text::new("已接受：已在“合作单位与福利”中生成归档草稿，请补充地点后发布。", "Accepted: archived drafts are waiting under Partners & benefits; add locations, then publish.")
                    } else {
                        Text::new("已婉拒。", "Declined.")
                    }));
                    on_decided.run((reference, status));
                    detail.refetch();
                }
                Err(problem) => {
                    errors.set(problem.fields.clone());
                    failure.set(Some(problem));
                }
            }
        });
    };
    // Opening a record moves focus to it: the panel appears below the list, out of sight of a
    // keyboard or screen-reader user who pressed "open".
    let heading_ref = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading_ref.get() {
            let _ = heading.focus();
        }
    });
    view! {
        <section class="detail" aria-labelledby="application-heading">
            <h2 id="application-heading" tabindex="-1" node_ref=heading_ref>{t("合作申请", "Application")}</h2>
            <button type="button" class="secondary close" on:click=move |_| close.run(())>{t("关闭", "Close")}</button>
            <Transition fallback=move || view! { <p class="loading" role="status">{t("正在加载…", "Loading…")}</p> }>
                {move || detail.get().map(|answer| match answer {
                    Ok(d) => {
                        let lang = lang.get();
                        let text = |v: &serde_json::Value| crate::ui::or_dash(v.as_str().unwrap_or_default());
                        let offers = d["offers"].as_array().cloned().unwrap_or_default().into_iter().map(|offer| {
                            let area = offer["area"].as_str().and_then(|a| a.parse::<guanai_core::ServiceArea>().ok()).map(|a| a.label().get(lang).to_string()).unwrap_or_default();
                            let regions = offer["regions"].as_array().map(|r| r.iter().filter_map(|c| c.as_str()).map(|c| region_name(c, lang)).collect::<Vec<_>>().join("、")).unwrap_or_default();
                            view! { <li><strong>{area}</strong>" "{text(&offer["description"])}" "<span class="muted">{regions}</span></li> }
                        }).collect_view();
                        view! {
                            <dl class="facts">
                                <dt>{t_str(lang, "单位", "Company")}</dt><dd>{text(&d["company"])}</dd>
                                <dt>{t_str(lang, "统一社会信用代码", "Unified social credit code")}</dt><dd>{text(&d["credit_code"])}</dd>
                                <dt>{t_str(lang, "联系人", "Contact person")}</dt><dd>{text(&d["contact"]["contact_person"])}</dd>
                                <dt>{t_str(lang, "手机", "Mobile")}</dt><dd>{text(&d["contact"]["mobile"])}</dd>
                                <dt>{t_str(lang, "电子邮箱", "Email")}</dt><dd>{text(&d["contact"]["email"])}</dd>
                                <dt>{t_str(lang, "留言", "Message")}</dt><dd>{text(&d["contact"]["message"])}</dd>
                                <dt>{t_str(lang, "状态", "Status")}</dt><dd>{status_label(d["status"].as_str().unwrap_or_default().parse().unwrap_or(Status::Received), lang)}</dd>
                                <dt>{t_str(lang, "提交时间", "Received")}</dt><dd>{when(d["created_at_ms"].as_u64().unwrap_or_default())}</dd>
                                {d["decision"].is_object().then(|| view! {
                                    <dt>{t_str(lang, "决定", "Decided by")}</dt>
                                    <dd>{text(&d["decision"]["by"])}" · "{when(d["decision"]["at_ms"].as_u64().unwrap_or_default())}</dd>
                                    <dt>{t_str(lang, "决定备注", "Decision note")}</dt>
                                    <dd>{text(&d["decision"]["note"])}</dd>
                                })}
                            </dl>
                            <h3>{t_str(lang, "拟提供的福利", "Benefits offered")}</h3>
                            <ul>{offers}</ul>
                        }.into_any()
                    }
                    Err(problem) => {
                        load_failure.set(Some(problem));
                        view! { <Problem failure=load_failure /> }.into_any()
                    }
                })}
            </Transition>
            <Show when=move || may_decide>
                <form class="review" on:submit=decide.clone()>
                    <fieldset>
                        <legend>{t("决定", "Decision")}</legend>
                        <label class="check"><input type="radio" name="app-decision" prop:checked=move || decision.get() == Status::Accepted on:change=move |_| decision.set(Status::Accepted) />" "{t("接受，生成草稿", "Accept and create drafts")}</label>
                        <label class="check"><input type="radio" name="app-decision" prop:checked=move || decision.get() == Status::Declined on:change=move |_| decision.set(Status::Declined) />" "{t("婉拒", "Decline")}</label>
                    </fieldset>
                    <Field label=label("备注", "Note") value=note.into() set=Callback::new(move |v| note.set(v)) path="note".into() errors input=Input::Multiline />
                    <Problem failure />
                    <Done message=done />
                    <button type="submit">{t("保存决定", "Save decision")}</button>
                </form>
            </Show>
        </section>
    }
}
