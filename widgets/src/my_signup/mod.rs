//! `<guanai-my-signup>`: a social worker's own sign-up, opened with the private management
//! link (`…/me#<secret>`; the secret is read from the page's fragment and sent only as an
//! `Authorization` header). PIPL Art. 44–47 on one screen: the status and the association's
//! note, everything stored, a download, a correction with the sign-up form's own rules, one-tap
//! withdrawals, and deletion after one confirmation.
//!
//! - [`MySignup`]: the state and its operations (load, correct, withdraw, delete);
//! - [`stored`]: what is stored, as a definition list;
//! - [`correction`]: the correction form;
//! - here: the element and the view that switches between them.
//!
//! Events (`guanai:my-signup` `{action}`: `loaded`, `corrected`, `withdrawn`, `deleted`) carry
//! no personal data.

pub mod correction;
pub mod stored;

use guanai_core::i18n::{ErrorBody, ErrorCode, OwnUi};
use guanai_core::validate::FieldError;
use guanai_core::wire::{OwnSignup, Status, Withdrawal};
use guanai_core::{Lang, Text};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::api::{endpoint, fetch_catalogue};
use crate::element::{self, Host, Widget, bool_attr, tr};
use crate::form::focus_when_shown;
use crate::http::{self, Answer, NoAnswer};

/// Attributes of `<guanai-my-signup>` that take effect when changed after mount.
pub const ATTRIBUTES: &[&str] = &["api", "lang"];

/// The name of the element's events.
pub const EVENT: &str = "guanai:my-signup";

/// Mounts the management view for the custom element `host` into `root`.
pub fn mount(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    element::mount(host, root, ATTRIBUTES, move |attributes, host| {
        let (api, lang) = attributes.api_and_lang(default_api);
        view! { <MySignupView api lang host secret=secret_from_fragment() /> }
    })
}

/// The secret in the page's fragment (`#<secret>`), if it has the secret's form.
pub fn secret_from_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let secret = hash.trim_start_matches('#').trim().to_ascii_lowercase();
    (secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit())).then_some(secret)
}

/// What the view shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    /// The page was opened without a link.
    NoLink,
    Loading,
    /// The stored sign-up, and the answer's text exactly as the server sent it (the download).
    Shown {
        own: Box<OwnSignup>,
        raw: String,
    },
    /// The server refused (wrong or replaced link, rate limit): its message.
    Refused(Text),
    /// No answer: offline or unreachable.
    Offline,
    Deleted,
}

/// A person's sign-up as this view holds it, with the operations on it.
#[derive(Clone, Copy)]
pub struct MySignup {
    api: Signal<String>,
    secret: StoredValue<Option<String>>,
    host: StoredValue<Host>,
    pub load: RwSignal<Load>,
    /// A request is under way.
    pub busy: RwSignal<bool>,
    /// What the last action did, for the status line.
    pub done: RwSignal<Option<OwnUi>>,
}

impl MySignup {
    pub fn new(api: Signal<String>, secret: Option<String>, host: Host) -> MySignup {
        let load = if secret.is_some() {
            Load::Loading
        } else {
            Load::NoLink
        };
        MySignup {
            api,
            secret: StoredValue::new(secret),
            host: StoredValue::new(host),
            load: RwSignal::new(load),
            busy: RwSignal::new(false),
            done: RwSignal::new(None),
        }
    }

    /// `method /v1/me…` with the secret.
    async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<Answer, NoAnswer> {
        let secret = self.secret.get_value().ok_or(NoAnswer)?;
        let url = endpoint(&self.api.get_untracked(), path);
        let authorization = format!("Bearer {secret}");
        http::request(
            method,
            &url,
            body.as_deref(),
            &[("Authorization", &authorization)],
        )
        .await
    }

    /// Runs one request and shows its answer: the new state, or the field errors of a 422.
    async fn run(
        self,
        method: &str,
        path: &str,
        body: Option<String>,
        action: &str,
        done: Option<OwnUi>,
    ) -> Vec<FieldError> {
        self.busy.set(true);
        let answer = self.call(method, path, body).await;
        self.busy.set(false);
        let answer = match answer {
            Ok(answer) => answer,
            Err(NoAnswer) => {
                self.load.set(Load::Offline);
                return Vec::new();
            }
        };
        if answer.status == 204 {
            self.load.set(Load::Deleted);
            self.forget_link();
            self.announce(action);
            return Vec::new();
        }
        if answer.ok()
            && let Ok(own) = serde_json::from_str::<OwnSignup>(&answer.text)
        {
            self.load.set(Load::Shown {
                own: Box::new(own),
                raw: answer.text,
            });
            self.done.set(done);
            self.announce(action);
            return Vec::new();
        }
        match serde_json::from_str::<ErrorBody>(&answer.text) {
            Ok(body) if !body.error.fields.is_empty() => body.error.fields,
            Ok(body) => {
                self.load.set(Load::Refused(body.error.message));
                Vec::new()
            }
            Err(_) => {
                let internal = ErrorCode::Internal;
                let message = Text::new(internal.get(Lang::ZhCn), internal.get(Lang::En));
                self.load.set(Load::Refused(message));
                Vec::new()
            }
        }
    }

    fn announce(&self, action: &str) {
        self.host
            .with_value(|host| host.dispatch(EVENT, &[("action", action)]));
    }

    /// After deletion the link opens nothing: take it out of the address bar too.
    fn forget_link(&self) {
        self.secret.set_value(None);
        if let Some(window) = web_sys::window()
            && let Ok(history) = window.history()
        {
            let path = window.location().pathname().unwrap_or_default();
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }

    pub fn load(self) {
        leptos::task::spawn_local(async move {
            self.run("GET", "/v1/me", None, "loaded", None).await;
        });
    }

    /// Sends a correction; the field errors of a refusal come back.
    pub async fn correct(self, form: &guanai_core::signup::SignupForm) -> Vec<FieldError> {
        let body = serde_json::to_string(form).unwrap_or_default();
        self.run(
            "PUT",
            "/v1/me",
            Some(body),
            "corrected",
            Some(OwnUi::Corrected),
        )
        .await
    }

    pub fn withdraw(self, withdrawal: Withdrawal) {
        leptos::task::spawn_local(async move {
            let body = serde_json::to_string(&withdrawal).unwrap_or_default();
            let path = "/v1/me/withdraw";
            self.run(
                "POST",
                path,
                Some(body),
                "withdrawn",
                Some(OwnUi::Withdrawn),
            )
            .await;
        });
    }

    pub fn delete(self) {
        leptos::task::spawn_local(async move {
            self.run("DELETE", "/v1/me", None, "deleted", None).await;
        });
    }
}

/// Saves `text` as a file named `name` (the browser's download).
pub fn download(name: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(anchor) = document.create_element("a")
        && let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The whole view.
#[component]
pub fn MySignupView(
    /// Base URL of the edge API.
    api: Signal<String>,
    /// Language.
    lang: Signal<Lang>,
    /// The custom element, for `guanai:my-signup`.
    host: Host,
    /// The management secret, from the link.
    secret: Option<String>,
) -> impl IntoView {
    let state = MySignup::new(api, secret, host);
    if state.load.get_untracked() == Load::Loading {
        state.load();
    }
    let catalogue = LocalResource::new(move || fetch_catalogue(api.get()));
    let partner_name = move |id: &str| -> String {
        let lang = lang.get();
        catalogue
            .get()
            .and_then(Result::ok)
            .and_then(|loaded| {
                let partner = loaded.catalogue.partners.iter().find(|p| p.id == id)?;
                Some(partner.name.get(lang).to_string())
            })
            .unwrap_or_else(|| id.to_string())
    };
    view! {
        <section class="guanai form-widget my-signup" lang=move || lang.get().tag() aria-labelledby="me-title"
            aria-busy=move || bool_attr(state.busy.get())>
            <h2 id="me-title">{tr(lang, OwnUi::Title)}</h2>
            {move || match state.load.get() {
                Load::NoLink => view! { <p class="notice">{tr(lang, OwnUi::NoLink)}</p> }.into_any(),
                Load::Loading => view! { <p class="status" role="status">{tr(lang, OwnUi::Loading)}</p> }.into_any(),
                Load::Offline => view! {
                    <div class="notice" role="alert">
                        <p>{tr(lang, OwnUi::Offline)}</p>
                        <button type="button" class="button" on:click=move |_| state.load()>{tr(lang, OwnUi::Retry)}</button>
                    </div>
                }.into_any(),
                Load::Refused(message) => view! {
                    <p class="notice" role="alert">{move || message.get(lang.get()).to_string()}</p>
                }.into_any(),
                Load::Deleted => view! {
                    <div class="success" role="status" tabindex="-1" node_ref=focus_when_shown()>
                        <p>{tr(lang, OwnUi::Deleted)}</p>
                    </div>
                }.into_any(),
                Load::Shown { own, raw } => view! {
                    <Shown state own=*own raw lang partner_name />
                }.into_any(),
            }}
        </section>
    }
}

/// The sign-up, once loaded: status, what is stored, and the actions.
#[component]
fn Shown(
    state: MySignup,
    own: OwnSignup,
    raw: String,
    lang: Signal<Lang>,
    partner_name: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let status = match own.status {
        Status::Verified => OwnUi::Verified,
        Status::Rejected => OwnUi::Rejected,
        _ => OwnUi::Received,
    };
    let note = own
        .decision
        .as_ref()
        .map(|d| d.note.clone())
        .filter(|n| !n.is_empty());
    let correcting = RwSignal::new(false);
    let file = format!("guanai-my-signup-{}.json", own.reference);
    let for_correction = own.clone();
    view! {
        <div class="status-box" role="status">
            <h3>{tr(lang, OwnUi::StatusHeading)}</h3>
            <p class="own-status" data-status=own.status.code()>{tr(lang, status)}</p>
            {note.map(|note| view! {
                <p class="own-note"><strong>{tr(lang, OwnUi::Note)}"："</strong>{note}</p>
            })}
            <p class="hint">{move || state.done.get().map(|done| done.get(lang.get()).to_string())}</p>
        </div>
        {move || if correcting.get() {
            view! { <correction::Correction state own=for_correction.clone() lang correcting /> }.into_any()
        } else {
            view! {
                <stored::Stored own=own.clone() lang partner_name />
                <div class="link-actions">
                    <button type="button" class="button" on:click={
                        let (file, raw) = (file.clone(), raw.clone());
                        move |_| download(&file, &raw)
                    }>{tr(lang, OwnUi::Download)}</button>
                    <button type="button" class="button secondary" on:click=move |_| correcting.set(true)>
                        {tr(lang, OwnUi::Correct)}
                    </button>
                </div>
                <Withdrawals state own=own.clone() lang partner_name />
                <DeleteEverything state lang />
            }.into_any()
        }}
    }
}

/// One button per consent that can be withdrawn.
#[component]
fn Withdrawals(
    state: MySignup,
    own: OwnSignup,
    lang: Signal<Lang>,
    partner_name: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let health = own.personal.health_consent;
    let partners = own.consent.partners.clone();
    (health || !partners.is_empty()).then(|| view! {
        <div class="withdrawals">
            <h3>{tr(lang, OwnUi::WithdrawHeading)}</h3>
            {health.then(|| view! {
                <button type="button" class="button secondary"
                    aria-disabled=move || bool_attr(state.busy.get())
                    on:click=move |_| if !state.busy.get_untracked() { state.withdraw(Withdrawal::Health) }>
                    {tr(lang, OwnUi::WithdrawHealth)}
                </button>
            })}
            {partners.into_iter().map(|partner| {
                let id = partner.clone();
                view! {
                    <button type="button" class="button secondary"
                        aria-disabled=move || bool_attr(state.busy.get())
                        on:click=move |_| if !state.busy.get_untracked() {
                            state.withdraw(Withdrawal::Partner { partner: id.clone() })
                        }>
                        {move || guanai_core::i18n::fill(OwnUi::WithdrawPartner.get(lang.get()), &[("partner", &partner_name(&partner))])}
                    </button>
                }
            }).collect_view()}
        </div>
    })
}

/// Deletion, after one confirmation.
#[component]
fn DeleteEverything(state: MySignup, lang: Signal<Lang>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    view! {
        <div class="delete-box">
            <h3>{tr(lang, OwnUi::DeleteHeading)}</h3>
            <p>{tr(lang, OwnUi::DeleteExplain)}</p>
            {move || if confirming.get() {
                view! {
                    <div class="link-actions">
                        <button type="button" class="button danger" node_ref=focus_button()
                            aria-disabled=move || bool_attr(state.busy.get())
                            on:click=move |_| if !state.busy.get_untracked() { state.delete() }>
                            {tr(lang, OwnUi::ConfirmDelete)}
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                            {tr(lang, OwnUi::Cancel)}
                        </button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>
                        {tr(lang, OwnUi::Delete)}
                    </button>
                }.into_any()
            }}
        </div>
    }
}

/// Focus for a button that appears in place of the one just pressed.
fn focus_button() -> NodeRef<leptos::html::Button> {
    let node = NodeRef::<leptos::html::Button>::new();
    Effect::new(move || {
        if let Some(button) = node.get() {
            let _ = button.focus();
        }
    });
    node
}
