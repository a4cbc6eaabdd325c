//! Signing in: username and password, sent once to `POST /v1/admin/login`; the server sets the
//! `HttpOnly` session cookie and answers with the CSRF token this view then sends.

use guanai_core::wire::Login;
use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::ui::{Field, Input, LangSwitch, Problem, label, t};
use crate::{SessionInfo, admin};

/// The sign-in page.
#[component]
pub fn Login() -> impl IntoView {
    let admin = admin();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        errors.set(Vec::new());
        let body = Login {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::send::<SessionInfo>("POST", "/v1/admin/login", &body).await {
                Ok(session) => {
                    api::set_csrf(&session.csrf_token);
                    // The password leaves memory with the form.
                    password.set(String::new());
                    admin.ended.set(false);
                    admin.session.set(Some(session));
                }
                Err(problem) => {
                    errors.set(problem.fields.clone());
                    failure.set(Some(problem));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <main id="main" class="login">
            <LangSwitch />
            <h1>{t("关爱计划管理后台", "Guanai admin")}</h1>
            <p>{t("京津冀社会工作者关爱计划 · 协会工作人员登录", "Jing-Jin-Ji Social Worker Care Plan · sign-in for association staff")}</p>
            <Show when=move || admin.ended.get()>
                <p class="notice" role="status">{t("登录已过期或已在别处退出，请重新登录。", "Your session has ended. Please sign in again.")}</p>
            </Show>
            <form on:submit=submit novalidate>
                <Field
                    label=label("用户名", "Username")
                    value=username.into()
                    set=Callback::new(move |v| username.set(v))
                    path="username".into()
                    errors
                    required=true
                    autocomplete="username"
                />
                <Field
                    label=label("密码", "Password")
                    value=password.into()
                    set=Callback::new(move |v| password.set(v))
                    path="password".into()
                    errors
                    input=Input::Password
                    required=true
                    autocomplete="current-password"
                />
                <Problem failure />
                <button type="submit" aria-busy=move || busy.get().then_some("true")>
                    {t("登录", "Sign in")}
                </button>
            </form>
        </main>
    }
}
