//! Guanai's admin view: the Leptos app association staff use at `/admin`, served by the edge
//! worker as its own wasm bundle (the public widgets never carry it).
//!
//! It is a client of `/v1/admin/*` and nothing more: every permission is checked there, on the
//! server. What this app hides for a role is a courtesy to the person, never the check.
//!
//! - [`api`]: fetch with the session cookie and the CSRF token, errors as bilingual messages.
//! - [`ui`]: the language switch, form fields that show the server's field errors, tables.
//! - one module per page: [`login`], [`dashboard`] (SVG charts), [`signups`], [`catalogue`]
//!   (with [`partner_form`] and [`benefit_form`]), [`applications`], [`embed`] (partner sites
//!   and the embed-code builder), [`staff`], [`audit`].

pub mod api;
pub mod applications;
pub mod audit;
pub mod benefit_form;
pub mod catalogue;
pub mod chart;
pub mod dashboard;
pub mod embed;
pub mod login;
pub mod partner_form;
pub mod requests;
pub mod signups;
pub mod staff;
pub mod ui;

use guanai_core::Lang;
use guanai_core::staff::{Action, Staff};
use guanai_core::wire::Empty;
use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::ui::t;

/// Who is signed in, as `GET /v1/admin/session` and the login answer it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SessionInfo {
    pub staff: Staff,
    pub csrf_token: String,
    pub expires_at_ms: u64,
}

impl SessionInfo {
    /// Whether the server would allow `action` on the staff member's own data. Used only to
    /// leave out buttons that would be refused; the server decides.
    pub fn may(&self, action: Action) -> bool {
        self.staff.may(action, self.staff.association).is_ok()
    }
}

/// What every page shares: the language and the session.
#[derive(Debug, Clone, Copy)]
pub struct Admin {
    pub lang: RwSignal<Lang>,
    /// `None` until someone signs in, and again once the server says the session ended.
    pub session: RwSignal<Option<SessionInfo>>,
    /// Said on the login page after the server ended a session (expiry, logout elsewhere).
    pub ended: RwSignal<bool>,
}

/// The shared state from context (every page is mounted under [`App`]).
pub fn admin() -> Admin {
    expect_context::<Admin>()
}

/// The pages, one per `#/name` in the address bar (so the back button and bookmarks work).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Dashboard,
    Signups,
    Catalogue,
    Applications,
    Embed,
    Staff,
    Audit,
}

impl Page {
    pub const ALL: [Page; 7] = [
        Page::Dashboard,
        Page::Signups,
        Page::Catalogue,
        Page::Applications,
        Page::Embed,
        Page::Staff,
        Page::Audit,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Page::Dashboard => "dashboard",
            Page::Signups => "signups",
            Page::Catalogue => "catalogue",
            Page::Applications => "applications",
            Page::Embed => "embed",
            Page::Staff => "staff",
            Page::Audit => "audit",
        }
    }

    fn from_hash(hash: &str) -> Page {
        let slug = hash.trim_start_matches('#').trim_start_matches('/');
        Page::ALL
            .into_iter()
            .find(|page| page.slug() == slug)
            .unwrap_or(Page::Dashboard)
    }

    fn title(self) -> (&'static str, &'static str) {
        match self {
            Page::Dashboard => ("概览", "Overview"),
            Page::Signups => ("社工报名", "Sign-ups"),
            Page::Catalogue => ("合作单位与福利", "Partners & benefits"),
            Page::Applications => ("合作申请", "Partner applications"),
            Page::Embed => ("嵌入代码", "Embed"),
            Page::Staff => ("工作人员", "Staff"),
            Page::Audit => ("操作日志", "Audit log"),
        }
    }

    /// Whether the page has anything for this session (the server checks each request).
    fn shown_to(self, session: &SessionInfo) -> bool {
        match self {
            Page::Staff => session.may(Action::ManageStaff),
            Page::Audit => session.may(Action::ReadAudit),
            _ => true,
        }
    }
}

/// Runs when the admin bundle loads: mounts the app on `<body>`.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}

/// The whole admin view: the login form, or the signed-in shell with the page in the address.
#[component]
pub fn App() -> impl IntoView {
    let stored = ui::stored_lang();
    let admin = Admin {
        lang: RwSignal::new(stored),
        session: RwSignal::new(None),
        ended: RwSignal::new(false),
    };
    provide_context(admin);
    api::on_session_ended(move || {
        if admin.session.get_untracked().is_some() {
            admin.ended.set(true);
            admin.session.set(None);
        }
    });
    Effect::new(move |_| {
        let lang = admin.lang.get();
        ui::store_lang(lang);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });
    // An existing session (a reload) is picked up without asking for the password again.
    let checked = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(session) = api::get::<SessionInfo>("/v1/admin/session").await {
            api::set_csrf(&session.csrf_token);
            admin.session.set(Some(session));
        }
        checked.set(true);
    });
    Effect::new(move |_| {
        let title = if admin.session.with(Option::is_some) {
            t_str(admin.lang.get(), "关爱计划管理后台", "Guanai admin")
        } else {
            t_str(
                admin.lang.get(),
                "登录 · 关爱计划管理后台",
                "Sign in · Guanai admin",
            )
        };
        document().set_title(title);
    });
    view! {
        <Show when=move || checked.get() fallback=move || view! { <p class="loading" role="status">{t("正在加载…", "Loading…")}</p> }>
            <Show when=move || admin.session.with(Option::is_some) fallback=login::Login>
                <Shell />
            </Show>
        </Show>
    }
}

/// `zh` or `en` for `lang`.
pub fn t_str(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// The signed-in frame: skip link, header with who is signed in, the language switch and
/// sign-out, navigation, and the current page.
#[component]
fn Shell() -> impl IntoView {
    let admin = admin();
    let page = RwSignal::new(Page::from_hash(
        &window().location().hash().unwrap_or_default(),
    ));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        page.set(Page::from_hash(
            &window().location().hash().unwrap_or_default(),
        ));
        // The new page's heading is where a screen reader continues.
        if let Some(main) = document().get_element_by_id("main") {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    });
    on_cleanup(move || listener.remove());
    let who = move || {
        admin.session.with(|s| {
            s.as_ref()
                .map(|s| {
                    let lang = admin.lang.get();
                    let role = match s.staff.role {
                        guanai_core::staff::Role::PlanAdmin => {
                            t_str(lang, "关爱计划管理员", "plan admin")
                        }
                        guanai_core::staff::Role::AssociationAdmin => {
                            t_str(lang, "协会管理员", "association admin")
                        }
                        guanai_core::staff::Role::Viewer => t_str(lang, "只读查看", "viewer"),
                    };
                    let association = s
                        .staff
                        .association
                        .map(|a| format!(" · {}", a.name().get(lang)))
                        .unwrap_or_default();
                    format!("{} ({role}{association})", s.staff.username)
                })
                .unwrap_or_default()
        })
    };
    let logout = move |_| {
        leptos::task::spawn_local(async move {
            // Signed out on the server or not (e.g. already expired), the view forgets it.
            let _ = api::send::<serde_json::Value>("POST", "/v1/admin/logout", &Empty {}).await;
            admin.ended.set(false);
            admin.session.set(None);
        });
    };
    let nav = move || {
        let session = admin.session.get()?;
        let lang = admin.lang.get();
        Some(
            Page::ALL
                .into_iter()
                .filter(|p| p.shown_to(&session))
                .map(|p| {
                    let (zh, en) = p.title();
                    view! {
                        <a
                            href=format!("#/{}", p.slug())
                            aria-current=move || (page.get() == p).then_some("page")
                        >
                            {t_str(lang, zh, en)}
                        </a>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <a class="skip" href="#main">{t("跳到主要内容", "Skip to main content")}</a>
        <header class="top">
            <p class="brand">{t("关爱 · 京津冀社会工作者关爱计划", "Guanai · Jing-Jin-Ji Social Worker Care Plan")}</p>
            <p class="who">{who}</p>
            <ui::LangSwitch />
            <button type="button" class="secondary logout" on:click=logout>{t("退出登录", "Sign out")}</button>
        </header>
        <nav class="pages" aria-label=t("管理页面", "Admin pages")>{nav}</nav>
        <main id="main" tabindex="-1">
            {move || {
                let (zh, en) = page.get().title();
                view! { <h1>{move || t_str(admin.lang.get(), zh, en)}</h1> }
            }}
            {move || match page.get() {
                Page::Dashboard => view! { <dashboard::Dashboard /> }.into_any(),
                Page::Signups => view! { <signups::Signups /> }.into_any(),
                Page::Catalogue => view! { <catalogue::CataloguePage /> }.into_any(),
                Page::Applications => view! { <applications::Applications /> }.into_any(),
                Page::Embed => view! { <embed::EmbedPage /> }.into_any(),
                Page::Staff => view! { <staff::StaffPage /> }.into_any(),
                Page::Audit => view! { <audit::AuditPage /> }.into_any(),
            }}
        </main>
    }
}
