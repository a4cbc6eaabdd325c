//! The audit log: every admin action, newest first — who, when, what, from which address — and
//! its spreadsheet export (plan admins).

use guanai_core::Lang;
use leptos::prelude::*;
use serde::Deserialize;

use crate::admin;
use crate::api;
use crate::ui::{Problem, t, when};

/// One event of `GET /v1/admin/audit`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Event {
    pub at_ms: u64,
    pub actor: String,
    pub action: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub ip: String,
}

/// What an action code means, for people reading the log.
pub fn action_label(action: &str, lang: Lang) -> String {
    let (zh, en) = match action {
        "login" => ("登录", "Signed in"),
        "login_failed" => ("登录失败", "Failed sign-in"),
        "logout" => ("退出登录", "Signed out"),
        "staff_created" => ("创建账号", "Created an account"),
        "signup_viewed" => ("查看报名个人信息", "Viewed a sign-up's personal data"),
        "signup_verified" => ("报名核验通过", "Verified a sign-up"),
        "signup_rejected" => ("报名核验不通过", "Rejected a sign-up"),
        "signups_exported" => ("导出报名表", "Exported sign-ups"),
        "application_viewed" => ("查看合作申请", "Viewed an application"),
        "application_accepted" => ("接受合作申请", "Accepted an application"),
        "application_declined" => ("婉拒合作申请", "Declined an application"),
        "partner_saved" => ("保存合作单位草稿", "Saved a partner draft"),
        "partner_archived" => ("归档合作单位", "Archived a partner"),
        "benefit_saved" => ("保存福利草稿", "Saved a benefit draft"),
        "benefit_archived" => ("下架福利", "Withdrew a benefit"),
        "catalog_published" => ("发布目录", "Published the catalogue"),
        "catalog_rolled_back" => ("恢复目录版本", "Rolled the catalogue back"),
        "partners_imported" => ("导入合作单位 CSV", "Imported partners from CSV"),
        "benefits_imported" => ("导入福利 CSV", "Imported benefits from CSV"),
        "drafts_from_published" => ("从发布版本生成草稿", "Drafts from the published catalogue"),
        "audit_exported" => ("导出操作日志", "Exported the audit log"),
        other => return other.to_string(),
    };
    crate::t_str(lang, zh, en).to_string()
}

/// The audit page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = admin().lang;
    let list = api::Paged::<Event>::new();
    let (events, cursor, failure) = (list.rows, list.cursor, list.failure);
    let load = move |more: bool| list.load("/v1/admin/audit", Vec::new(), more);
    load(false);
    let rows = move || {
        let lang = lang.get();
        events
            .get()
            .into_iter()
            .map(|e| {
                view! {
                    <tr>
                        <td>{when(e.at_ms)}</td>
                        <td>{e.actor}</td>
                        <td>{action_label(&e.action, lang)}</td>
                        <td><code>{e.target}</code></td>
                        <td>{e.ip}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Problem failure />
        <p>
            <a class="button secondary" href="/v1/admin/audit.csv" download="guanai-audit.csv">
                {t("导出为表格（CSV）", "Export as spreadsheet (CSV)")}
            </a>
        </p>
        <table class="list">
            <caption class="visually-hidden">{t("操作日志，最新在前", "Audit log, newest first")}</caption>
            <thead><tr>
                <th scope="col">{t("时间（北京）", "When (Beijing)")}</th>
                <th scope="col">{t("谁", "Who")}</th>
                <th scope="col">{t("操作", "What")}</th>
                <th scope="col">{t("对象", "Target")}</th>
                <th scope="col">{t("来源地址", "From address")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <Show when=move || cursor.with(Option::is_some)>
            <button type="button" class="secondary" on:click=move |_| load(true)>{t("加载更多", "Load more")}</button>
        </Show>
    }
}
