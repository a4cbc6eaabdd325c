//! Staff accounts: who has access, and creating accounts (plan admins for every association,
//! association admins for their own). Passwords are hashed on the server and never shown again.

use guanai_core::staff::Role;
use guanai_core::wire::NewStaff;
use guanai_core::{Association, Text};
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::{self, Failure};
use crate::ui::{Choice, Done, Field, Input, Problem, label, t};
use crate::{admin, t_str};

/// One account of `GET /v1/admin/staff`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Account {
    pub username: String,
    pub role: Role,
    #[serde(default)]
    pub association: Option<Association>,
    pub role_label: Text,
}

#[derive(Debug, Clone, Deserialize)]
struct Accounts {
    staff: Vec<Account>,
}

fn role_code(role: Role) -> &'static str {
    match role {
        Role::PlanAdmin => "plan_admin",
        Role::AssociationAdmin => "association_admin",
        Role::Viewer => "viewer",
    }
}

/// The staff page.
#[component]
pub fn StaffPage() -> impl IntoView {
    let admin = admin();
    let lang = admin.lang;
    let own = admin
        .session
        .with_untracked(|s| s.as_ref().and_then(|s| s.staff.association));
    let accounts = LocalResource::new(|| api::get::<Accounts>("/v1/admin/staff"));
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_string());
    let association = RwSignal::new(own.map(|a| a.code().to_string()).unwrap_or_default());
    let errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<Failure>);
    let load_failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(None::<Text>);
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let association: Option<Association> = association.get_untracked().parse().ok();
        let name = username.get_untracked().trim().to_string();
        let body = NewStaff {
            username: name.clone(),
            password: password.get_untracked(),
            role: serde_json::from_value(serde_json::Value::String(role.get_untracked()))
                .unwrap_or(Role::Viewer),
            association,
        };
        failure.set(None);
        errors.set(Vec::new());
        leptos::task::spawn_local(async move {
            match api::send::<serde_json::Value>("POST", "/v1/admin/staff", &body).await {
                Ok(_) => {
                    password.set(String::new());
                    username.set(String::new());
                    done.set(Some(Text::new(
                        format!("已创建账号 {name}。请通过安全渠道告知初始密码。"),
                        format!("Account {name} created. Pass the password on by a safe channel."),
                    )));
                    accounts.refetch();
                }
                Err(problem) => {
                    errors.set(problem.fields.clone());
                    failure.set(Some(problem));
                }
            }
        });
    };
    let role_options = Signal::derive(move || {
        let lang = lang.get();
        let mut roles = vec![Role::Viewer, Role::AssociationAdmin];
        if own.is_none() {
            roles.push(Role::PlanAdmin);
        }
        roles
            .into_iter()
            .map(|r| {
                let (zh, en) = match r {
                    Role::PlanAdmin => ("关爱计划管理员（全部权限）", "Plan admin (everything)"),
                    Role::AssociationAdmin => (
                        "协会管理员（本协会数据）",
                        "Association admin (own association's data)",
                    ),
                    Role::Viewer => (
                        "只读查看（不含个人信息导出）",
                        "Viewer (read-only, no personal data export)",
                    ),
                };
                (role_code(r).to_string(), t_str(lang, zh, en).to_string())
            })
            .collect()
    });
    let association_options = Signal::derive(move || {
        let lang = lang.get();
        let mut options = Vec::new();
        if own.is_none() {
            options.push((
                String::new(),
                t_str(lang, "全计划", "Plan-wide").to_string(),
            ));
        }
        options.extend(
            Association::ALL
                .iter()
                .filter(|a| own.is_none_or(|o| o == **a))
                .map(|a| (a.code().to_string(), a.name().get(lang).to_string())),
        );
        options
    });
    let rows = move || {
        let lang = lang.get();
        accounts.get().map(|answer| match answer {
            Ok(list) => list.staff.into_iter().map(|a| view! {
                <tr>
                    <td>{a.username.clone()}</td>
                    <td>{a.role_label.get(lang).to_string()}</td>
                    <td>{a.association.map(|x| x.name().get(lang).to_string()).unwrap_or_else(|| t_str(lang, "全计划", "Plan-wide").to_string())}</td>
                </tr>
            }).collect_view().into_any(),
            Err(problem) => {
                load_failure.set(Some(problem));
                ().into_any()
            }
        })
    };
    view! {
        <Problem failure=load_failure />
        <table class="list">
            <caption class="visually-hidden">{t("工作人员账号", "Staff accounts")}</caption>
            <thead><tr>
                <th scope="col">{t("用户名", "Username")}</th>
                <th scope="col">{t("角色", "Role")}</th>
                <th scope="col">{t("协会", "Association")}</th>
            </tr></thead>
            <tbody><Transition>{rows}</Transition></tbody>
        </table>
        <form class="edit" on:submit=create novalidate>
            <h2>{t("新建账号", "New account")}</h2>
            <Field label=label("用户名", "Username") value=username.into() set=Callback::new(move |v| username.set(v)) path="username".into() errors required=true autocomplete="off" />
            <Field label=label("初始密码（至少 12 个字符）", "Initial password (at least 12 characters)") value=password.into() set=Callback::new(move |v| password.set(v)) path="password".into() errors input=Input::Password required=true autocomplete="new-password" />
            <Choice label=label("角色", "Role") value=role.into() set=Callback::new(move |v| role.set(v)) options=role_options path="role".into() errors=errors />
            <Choice label=label("协会", "Association") value=association.into() set=Callback::new(move |v| association.set(v)) options=association_options path="association".into() errors=errors />
            <Problem failure />
            <Done message=done />
            <button type="submit">{t("创建账号", "Create account")}</button>
        </form>
    }
}
