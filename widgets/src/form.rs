//! What the sign-up form and the partner application share: field error display, drafts in
//! localStorage, idempotency keys, and the submission pipeline (proof of work, POST, retries with
//! backoff while offline).

use std::cell::RefCell;
use std::rc::Rc;

use guanai_core::challenge;
use guanai_core::i18n::ErrorBody;
use guanai_core::i18n::{ErrorCode, FormUi, fill};
use guanai_core::validate::FieldError;
use guanai_core::{Lang, Text};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::prelude::*;

use crate::api::endpoint;
use crate::element::{Host, tr};
use crate::http;

/// Which fields have been left (blurred) and whether every error should show (after a submit
/// attempt); server-side errors from the last answer, until the field is edited.
#[derive(Debug, Clone, Copy)]
pub struct ErrorDisplay {
    pub touched: RwSignal<Vec<String>>,
    pub show_all: RwSignal<bool>,
    pub server: RwSignal<Vec<FieldError>>,
}

impl ErrorDisplay {
    pub fn new() -> ErrorDisplay {
        ErrorDisplay {
            touched: RwSignal::new(Vec::new()),
            show_all: RwSignal::new(false),
            server: RwSignal::new(Vec::new()),
        }
    }

    /// Marks `field` as visited (on blur): its client-side error may now show.
    pub fn touch(&self, field: &str) {
        if !self
            .touched
            .with_untracked(|t| t.iter().any(|f| f == field))
        {
            self.touched.update(|t| t.push(field.to_string()));
        }
    }

    /// The field was edited: a server error about it no longer applies.
    pub fn edited(&self, field: &str) {
        if self
            .server
            .with_untracked(|s| s.iter().any(|e| e.field == field))
        {
            self.server.update(|s| s.retain(|e| e.field != field));
        }
    }

    /// The message to show beside `field`, if any.
    pub fn message(&self, errors: &[FieldError], field: &str, lang: Lang) -> Option<String> {
        let visible = self.show_all.get() || self.touched.with(|t| t.iter().any(|f| f == field));
        let client = errors.iter().find(|e| e.field == field).filter(|_| visible);
        let server = self
            .server
            .with(|s| s.iter().find(|e| e.field == field).cloned());
        client
            .cloned()
            .or(server)
            .map(|error| error.message.get(lang).to_string())
    }
}

impl Default for ErrorDisplay {
    fn default() -> Self {
        ErrorDisplay::new()
    }
}

/// A draft in localStorage: what was typed, never the consent ticks (consent must be given
/// knowingly at submit time). Storage may be unavailable (private mode, sandboxed iframe):
/// then drafts are simply not kept.
pub struct Draft {
    key: String,
}

impl Draft {
    pub fn new(key: impl Into<String>) -> Draft {
        Draft { key: key.into() }
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn load<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&Draft::storage()?.get_item(&self.key).ok()??).ok()
    }

    pub fn save<T: Serialize>(&self, value: &T) {
        if let (Some(storage), Ok(text)) = (Draft::storage(), serde_json::to_string(value)) {
            let _ = storage.set_item(&self.key, &text);
        }
    }

    pub fn clear(&self) {
        if let Some(storage) = Draft::storage() {
            let _ = storage.remove_item(&self.key);
        }
    }
}

/// A fresh key for one submission attempt.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "k-{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}

/// Where a submission stands, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Editing,
    Verifying,
    Sending,
    /// Not sent; trying again after `seconds` (or when back online, or on "try now").
    Waiting {
        seconds: u32,
        offline: bool,
    },
    /// The server answered (accepted or refused).
    Answered,
}

/// What is sent, and where.
#[derive(Debug, Clone)]
pub struct Submission {
    pub api: String,
    /// `/v1/signups` or `/v1/partner-applications`.
    pub path: &'static str,
    /// The same on every retry of this attempt.
    pub idempotency_key: String,
    pub form: serde_json::Value,
    /// The honeypot field's content (empty for people).
    pub honeypot: String,
    /// When the form appeared (`Date.now()`), for the minimum fill time.
    pub shown_at: f64,
}

/// The server's answer to a submission.
#[derive(Debug, Clone)]
pub enum Answer {
    Accepted(serde_json::Value),
    Refused { status: u16, body: ErrorBody },
}

/// Sends `form` to `path` until the server answers: solves a fresh proof-of-work challenge,
/// posts with `idempotency_key` (the same key on every retry, so the server never stores twice),
/// and on network failure or a 5xx waits with exponential backoff (1 s, 2 s, 4 s … 30 s),
/// cut short when the browser comes back online or `wake` is called.
pub async fn submit_until_answered(
    submission: Submission,
    phase: RwSignal<Phase>,
    wake: Wake,
) -> Answer {
    // A draft restored and sent at once is faster than the server's bot screen allows: hold it
    // back for the rest of the minimum fill time instead of getting refused.
    let remaining = challenge::MIN_FILL_MS as f64 - (js_sys::Date::now() - submission.shown_at);
    if remaining > 0.0 {
        phase.set(Phase::Verifying);
        Wake::new().wait(remaining.ceil() as u32).await;
    }
    let mut backoff = 1;
    let mut challenge_retries = 0;
    loop {
        match attempt(&submission, phase).await {
            Ok(Answer::Refused { body, .. })
                if body.error.code.starts_with("challenge_") && challenge_retries < 2 =>
            {
                // Expired or already used (a slow phone, a double tap): solve a new one.
                challenge_retries += 1;
            }
            Ok(answer) => {
                phase.set(Phase::Answered);
                return answer;
            }
            Err(()) => {
                let offline = !web_sys::window()
                    .map(|w| w.navigator().on_line())
                    .unwrap_or(true);
                phase.set(Phase::Waiting {
                    seconds: backoff,
                    offline,
                });
                wake.wait(backoff * 1000).await;
                backoff = (backoff * 2).min(30);
            }
        }
    }
}

/// One try. `Err` means "no answer": network failure or a server error that stored nothing.
async fn attempt(submission: &Submission, phase: RwSignal<Phase>) -> Result<Answer, ()> {
    let Submission {
        api,
        path,
        idempotency_key,
        form,
        honeypot,
        shown_at,
    } = submission;
    let elapsed_ms = (js_sys::Date::now() - shown_at).max(0.0) as u64;
    phase.set(Phase::Verifying);
    let answer = http::get(&endpoint(api, "/v1/challenge"))
        .await
        .map_err(|_| ())?;
    if !answer.ok() {
        return Err(());
    }
    let issued: serde_json::Value = serde_json::from_str(&answer.text).map_err(|_| ())?;
    let token = issued["token"].as_str().ok_or(())?.to_string();
    let nonce = solve_without_freezing(&token).await.ok_or(())?;
    phase.set(Phase::Sending);
    let body = serde_json::json!({
        "form": form,
        "challenge": {"token": token, "nonce": nonce},
        "website": honeypot,
        "elapsed_ms": elapsed_ms,
    });
    let http::Answer { status, text } = http::post_json(
        &endpoint(api, path),
        &body.to_string(),
        &[("Idempotency-Key", idempotency_key.as_str())],
    )
    .await
    .map_err(|_| ())?;
    if status >= 500 {
        return Err(());
    }
    if (200..300).contains(&status) {
        return Ok(Answer::Accepted(
            serde_json::from_str(&text).unwrap_or_default(),
        ));
    }
    let body = serde_json::from_str(&text).map_err(|_| ())?;
    Ok(Answer::Refused { status, body })
}

/// Solves the proof of work in slices, yielding to the browser between them so the page keeps
/// responding (and the status line can paint) on slow phones.
async fn solve_without_freezing(token: &str) -> Option<u64> {
    const SLICE: u64 = 4_096;
    let mut start = 0;
    while start < u64::MAX - SLICE {
        if let Some(nonce) = challenge::solve(token, start, SLICE) {
            return Some(nonce);
        }
        start += SLICE;
        Wake::new().wait(0).await;
    }
    None
}

/// A wait that ends after a delay, or earlier when [`Wake::now`] is called or the browser comes
/// back online.
#[derive(Clone)]
pub struct Wake(SendWrapper<Rc<RefCell<Option<js_sys::Function>>>>);

impl Default for Wake {
    fn default() -> Wake {
        Wake(SendWrapper::new(Rc::default()))
    }
}

impl Wake {
    pub fn new() -> Wake {
        Wake::default()
    }

    /// Ends the current wait, if any.
    pub fn now(&self) {
        if let Some(resolve) = self.0.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }

    /// Waits up to `ms` milliseconds.
    pub async fn wait(&self, ms: u32) {
        let mut resolver = None;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| resolver = Some(resolve));
        let (Some(resolve), Some(window)) = (resolver, web_sys::window()) else {
            return;
        };
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        if ms > 0 {
            let _ = window.add_event_listener_with_callback("online", &resolve);
        }
        *self.0.borrow_mut() = Some(resolve.clone());
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        if ms > 0 {
            let _ = window.remove_event_listener_with_callback("online", &resolve);
        }
        self.0.borrow_mut().take();
    }
}

pub use crate::element::bool_attr;

/// A `NodeRef` that moves keyboard focus to its element (give it `tabindex="-1"`) once it is in
/// the page. The success message replaces the form and the focused submit button with it, so
/// focus must land on the message, not fall back to the top of the host page.
pub fn focus_when_shown() -> NodeRef<leptos::html::Div> {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        if let Some(element) = node.get() {
            let _ = element.focus();
        }
    });
    node
}

/// Moves keyboard focus to the first field marked invalid inside `container`.
pub fn focus_first_invalid(container: &web_sys::Element) {
    if let Ok(Some(field)) = container.query_selector("[aria-invalid=true]")
        && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = field.focus();
    }
}

/// The message beside a field, announced to screen readers through `aria-describedby`.
#[component]
pub fn FieldError(
    /// Id prefix of the form (`signup`, `apply`).
    prefix: &'static str,
    /// Field name, for the element id.
    field: &'static str,
    /// The message, if any.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("{prefix}-{}-error", field.replace(['.', '[', ']'], "-"));
    view! { <p class="field-error" id=id aria-live="polite">{move || error.get()}</p> }
}

/// "N fields need correcting", after a submit attempt.
#[component]
pub fn ErrorSummary(
    /// Client-side errors.
    errors: Memo<Vec<guanai_core::validate::FieldError>>,
    /// Which errors are visible.
    display: ErrorDisplay,
    /// Language.
    lang: Signal<Lang>,
) -> impl IntoView {
    let count = move || {
        let mut fields: Vec<String> = errors.with(|e| e.iter().map(|e| e.field.clone()).collect());
        fields.extend(
            display
                .server
                .with(|s| s.iter().map(|e| e.field.clone()).collect::<Vec<_>>()),
        );
        fields.sort();
        fields.dedup();
        fields.len()
    };
    view! {
        <Show when=move || { display.show_all.get() && count() > 0 }>
            <p class="error-summary" role="alert">{move || fill(FormUi::FixErrors.get(lang.get()), &[("n", &count().to_string())])}</p>
        </Show>
    }
}

/// The status line: checking, sending, offline with automatic retry, or a refusal.
#[component]
pub fn Status(
    /// Where the submission stands.
    phase: RwSignal<Phase>,
    /// Language.
    lang: Signal<Lang>,
    /// Ends a backoff wait ("try now").
    wake: Wake,
    /// A refusal without field errors (rate limit, bot screen), shown as it came.
    refusal: RwSignal<Option<Text>>,
) -> impl IntoView {
    let message = move || {
        let lang = lang.get();
        match phase.get() {
            Phase::Verifying => Some(FormUi::Verifying.get(lang).to_string()),
            Phase::Sending => Some(FormUi::Sending.get(lang).to_string()),
            Phase::Waiting { offline: true, .. } => Some(FormUi::Offline.get(lang).to_string()),
            Phase::Waiting { seconds, .. } => Some(fill(
                FormUi::RetryingIn.get(lang),
                &[("n", &seconds.to_string())],
            )),
            Phase::Editing | Phase::Answered => {
                refusal.get().map(|text| text.get(lang).to_string())
            }
        }
    };
    let waiting = move || matches!(phase.get(), Phase::Waiting { .. });
    view! {
        <div class="status" role="status" aria-live="polite">
            <p>{message}</p>
            <Show when=waiting>
                <button type="button" class="button secondary" on:click={
                    let wake = wake.clone();
                    move |_| wake.now()
                }>{tr(lang, FormUi::RetryNow)}</button>
            </Show>
        </div>
    }
}

/// Where a form goes and what it announces once acknowledged.
#[derive(Debug, Clone)]
pub struct Target {
    pub api: String,
    /// `/v1/signups` or `/v1/partner-applications`.
    pub path: &'static str,
    /// localStorage key of the form's draft, cleared once acknowledged.
    pub draft_key: &'static str,
    /// `guanai:signup` or `guanai:apply`.
    pub event: &'static str,
    pub host: Host,
}

/// The submission state of one form: what both public forms share beyond their fields.
#[derive(Debug, Clone, Copy)]
pub struct FormSession {
    pub display: ErrorDisplay,
    pub phase: RwSignal<Phase>,
    /// `(reference, already_registered)` once the server has acknowledged the form.
    pub acknowledged: RwSignal<Option<(String, bool)>>,
    /// A refusal without field errors (rate limit, bot screen), shown in the status line.
    pub refusal: RwSignal<Option<Text>>,
    /// The honeypot field's content.
    pub honeypot: RwSignal<String>,
    pub form_ref: NodeRef<leptos::html::Form>,
    /// The key of the current attempt: kept across retries, dropped after a refusal.
    attempt_key: RwSignal<Option<String>>,
    /// When the form appeared (`Date.now()`).
    shown_at: f64,
}

impl FormSession {
    pub fn new() -> FormSession {
        FormSession {
            display: ErrorDisplay::new(),
            phase: RwSignal::new(Phase::Editing),
            acknowledged: RwSignal::new(None),
            refusal: RwSignal::new(None),
            honeypot: RwSignal::new(String::new()),
            form_ref: NodeRef::new(),
            attempt_key: RwSignal::new(None),
            shown_at: js_sys::Date::now(),
        }
    }

    /// Whether a submission is under way (tracked: for `aria-disabled`).
    pub fn busy(&self) -> bool {
        matches!(
            self.phase.get(),
            Phase::Verifying | Phase::Sending | Phase::Waiting { .. }
        )
    }

    /// Focuses the first invalid field once the error messages have rendered.
    pub fn focus_first_invalid(&self) {
        let form_ref = self.form_ref;
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            if let Some(form) = form_ref.get_untracked() {
                focus_first_invalid(&form);
            }
        })
    }

    /// The submit button was pressed: shows every error if the form is not `valid`, otherwise
    /// sends `form` until the server answers, and records the answer.
    pub fn submit(&self, valid: bool, form: serde_json::Value, target: Target, wake: Wake) {
        if self.phase.with_untracked(|phase| {
            matches!(
                phase,
                Phase::Verifying | Phase::Sending | Phase::Waiting { .. }
            )
        }) {
            return;
        }
        self.display.show_all.set(true);
        self.refusal.set(None);
        if !valid {
            self.focus_first_invalid();
            return;
        }
        let key = self
            .attempt_key
            .get_untracked()
            .unwrap_or_else(new_idempotency_key);
        self.attempt_key.set(Some(key.clone()));
        let session = *self;
        let submission = Submission {
            api: target.api,
            path: target.path,
            idempotency_key: key,
            form,
            honeypot: self.honeypot.get_untracked(),
            shown_at: self.shown_at,
        };
        leptos::task::spawn_local(async move {
            match submit_until_answered(submission, session.phase, wake).await {
                Answer::Accepted(body) => {
                    let reference = body["reference"].as_str().unwrap_or_default().to_string();
                    Draft::new(target.draft_key).clear();
                    target
                        .host
                        .dispatch(target.event, &[("reference", &reference)]);
                    session.acknowledged.set(Some((reference, false)));
                }
                Answer::Refused { body, .. }
                    if body.error.code == ErrorCode::AlreadyRegistered.code() =>
                {
                    Draft::new(target.draft_key).clear();
                    session
                        .acknowledged
                        .set(Some((body.error.reference.unwrap_or_default(), true)));
                }
                Answer::Refused { body, .. } => {
                    session.attempt_key.set(None);
                    session.phase.set(Phase::Editing);
                    if body.error.fields.is_empty() {
                        session.refusal.set(Some(body.error.message));
                    } else {
                        session.display.server.set(body.error.fields);
                        session.focus_first_invalid();
                    }
                }
            }
        });
    }
}

impl Default for FormSession {
    fn default() -> Self {
        FormSession::new()
    }
}
