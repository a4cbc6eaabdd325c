//! A person's request, handled by staff (PIPL Art. 46–47, 50): correct the sign-up, replace a
//! lost management link, or delete everything. For plan admins and the association's admins;
//! each needs a reason, which the audit log keeps (so it names the request, never the
//! person's data).

use guanai_core::own_data;
use guanai_core::signup::SignupForm;
use guanai_core::wire::{LinkIssued, Reason, StaffCorrection};
use guanai_core::{Association, Text};
use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::signups::SignupDetail;
use crate::ui::{Done, Field, Problem, label, t};

/// The management link for `secret`, on this (the edge's) origin.
fn link_of(secret: &str) -> String {
    let origin = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    own_data::management_link(&origin, secret)
}

#[component]
pub fn PersonsRequest(
    /// The sign-up as loaded.
    detail: SignupDetail,
    /// Told after a correction or a new link (reload the detail).
    on_changed: Callback<()>,
    /// Told after the deletion.
    on_deleted: Callback<()>,
) -> impl IntoView {
    let path = format!(
        "/v1/admin/signups/{}/{}",
        detail.association, detail.reference
    );
    let form = RwSignal::new(own_data::stored_form(
        &detail.personal,
        detail.association.parse().ok(),
        &detail.region,
        detail.level.as_deref().and_then(|level| level.parse().ok()),
    ));
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(None::<Text>);
    let issued = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let started = move || {
        failure.set(None);
        errors.set(Vec::new());
        done.set(None);
    };
    let failed = move |problem: Failure| {
        errors.set(problem.fields.clone());
        failure.set(Some(problem));
    };
    let correct = {
        let path = path.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            started();
            let body = StaffCorrection {
                form: form.get_untracked(),
                reason: reason.get_untracked(),
            };
            let path = path.clone();
            leptos::task::spawn_local(async move {
                match api::send::<serde_json::Value>("PUT", &path, &body).await {
                    Ok(_) => {
                        done.set(Some(Text::new("已保存更正。", "Correction saved.")));
                        on_changed.run(());
                    }
                    Err(problem) => failed(problem),
                }
            });
        }
    };
    let new_link = {
        let path = format!("{path}/link");
        move |_| {
            started();
            let body = Reason {
                reason: reason.get_untracked(),
            };
            let path = path.clone();
            leptos::task::spawn_local(async move {
                match api::send::<LinkIssued>("POST", &path, &body).await {
                    Ok(answer) => issued.set(Some(link_of(&answer.secret))),
                    Err(problem) => failed(problem),
                }
            });
        }
    };
    let delete = move |_| {
        started();
        let body = Reason {
            reason: reason.get_untracked(),
        };
        let path = path.clone();
        leptos::task::spawn_local(async move {
            match api::send::<serde_json::Value>("DELETE", &path, &body).await {
                Ok(_) => on_deleted.run(()),
                Err(problem) => {
                    confirming.set(false);
                    failed(problem);
                }
            }
        });
    };
    let text = move |zh: &'static str,
                     en: &'static str,
                     path: &'static str,
                     get: fn(&SignupForm) -> String,
                     set: fn(&mut SignupForm, String)| {
        view! {
            <Field label=label(zh, en) value=Signal::derive(move || form.with(get))
                set=Callback::new(move |value| form.update(|f| set(f, value))) path=path.into() errors />
        }
    };
    view! {
        <form class="person-request" on:submit=correct>
            <fieldset>
                <legend>{t("本人请求：更正、补发管理链接或删除", "The person's request: correct, new link or delete")}</legend>
                <Field label=label("依据（必填，记入审计日志；请勿写入个人信息）", "Reason (required, kept in the audit log; no personal data)")
                    value=reason.into() set=Callback::new(move |v| reason.set(v)) path="reason".into() errors required=true />
                {text("姓名", "Name", "name", |f| f.name.clone(), |f, v| f.name = v)}
                {text("手机", "Mobile", "mobile", |f| f.mobile.clone(), |f, v| f.mobile = v)}
                {text("工作单位", "Employer", "employer", |f| f.employer.clone(), |f, v| f.employer = v)}
                {text("证书编号", "Certificate number", "certificate_number", |f| f.certificate_number.clone(), |f, v| f.certificate_number = v)}
                <label>
                    {t("协会（更换即转至该协会）", "Association (changing it moves the sign-up)")}
                    <select name="association" on:change=move |event| {
                        let code = event_target_value(&event);
                        form.update(|f| f.association = code.parse().ok());
                    }>
                        {Association::ALL.iter().map(|&association| view! {
                            <option value=association.code()
                                prop:selected=move || form.with(|f| f.association == Some(association))>
                                {association.name().zh}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                {text("地区代码（GB/T 2260）", "Region code (GB/T 2260)", "region", |f| f.region.clone(), |f, v| f.region = v)}
            </fieldset>
            <Problem failure />
            <Done message=done />
            {move || issued.get().map(|link| view! {
                <p role="status">
                    {t("新的管理链接（旧链接已失效；仅显示这一次，请交给本人）：", "The new management link (the old one no longer works; shown only now, give it to the person):")}
                    <input type="text" readonly prop:value=link aria-label=label("新的管理链接", "New management link") />
                </p>
            })}
            <div class="actions">
                <button type="submit">{t("保存更正", "Save correction")}</button>
                <button type="button" class="secondary" on:click=new_link>{t("补发管理链接", "Issue a new link")}</button>
                {move || if confirming.get() {
                    view! {
                        <button type="button" class="danger" on:click=delete.clone()>{t("确认删除全部信息", "Confirm: delete everything")}</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{t("取消", "Cancel")}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| confirming.set(true)>{t("删除报名", "Delete the sign-up")}</button>
                    }.into_any()
                }}
            </div>
        </form>
    }
}
