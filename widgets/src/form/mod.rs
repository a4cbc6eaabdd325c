//! What the sign-up form and the partner application share, one concern per module:
//! - [`errors`]: which error shows where, the message elements, the id rule;
//! - [`fields`]: the text input and the consent tick both forms draw;
//! - [`draft`]: drafts in localStorage (never consent) and idempotency keys;
//! - [`pipeline`]: sending until answered (challenge, proof of work, POST, backoff);
//! - [`wake`]: the wait a "try now" or the network coming back ends;
//! - [`status`]: the status line;
//! - here: [`FormSession`], a form's submission state and its submit handler.

pub mod draft;
pub mod errors;
pub mod fields;
pub mod pipeline;
pub mod status;
pub mod wake;

use guanai_core::Text;
use guanai_core::i18n::ErrorCode;
use guanai_core::wire::Acknowledgement;
use leptos::prelude::*;

pub use crate::element::bool_attr;
pub use draft::{Draft, new_idempotency_key};
pub use errors::{
    ErrorDisplay, ErrorSummary, FieldError, error_id, field_id, focus_first_invalid,
    focus_when_shown,
};
pub use fields::{Acknowledged, ConsentCheck, Honeypot, RememberCheck, TextInput};
pub use pipeline::{Answer, Phase, Submission, submit_until_answered};
pub use status::Status;
pub use wake::Wake;

use crate::element::Host;

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

/// How the server took a form, once it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Stored: the reference (and for a sign-up, the management secret).
    Acknowledged(Acknowledgement),
    /// This mobile number has signed up before (the server says no more than that).
    AlreadyRegistered,
}

/// The submission state of one form: what both public forms share beyond their fields.
#[derive(Debug, Clone, Copy)]
pub struct FormSession {
    pub display: ErrorDisplay,
    pub phase: RwSignal<Phase>,
    /// How the server took the form, once it has.
    pub acknowledged: RwSignal<Option<Received>>,
    /// The person asked to keep what they type on this device, personal fields included.
    pub remember: RwSignal<bool>,
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
            remember: RwSignal::new(false),
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

    /// Keeps what is typed into `form` as `draft` until the server acknowledges it: passed
    /// through `without_consent` always (a draft never holds a consent tick), and through
    /// `without_personal` unless the person ticked "remember" (the host site's scripts can
    /// read its storage).
    pub fn keep_draft<T>(
        &self,
        draft: Draft,
        form: RwSignal<T>,
        without_consent: fn(T) -> T,
        without_personal: fn(T) -> T,
    ) where
        T: serde::Serialize + Clone + Send + Sync + 'static,
    {
        let (acknowledged, remember) = (self.acknowledged, self.remember);
        remember.set(draft.remembered());
        Effect::new(move |_| {
            let current = without_consent(form.get());
            let remembered = remember.get();
            if acknowledged.with_untracked(Option::is_none) {
                draft.set_remembered(remembered);
                draft.save(&if remembered {
                    current
                } else {
                    without_personal(current)
                });
            }
        });
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
                    Draft::new(target.draft_key).clear();
                    target
                        .host
                        .dispatch(target.event, &[("reference", &body.reference)]);
                    session.acknowledged.set(Some(Received::Acknowledged(body)));
                }
                Answer::Refused { body, .. }
                    if body.error.code == ErrorCode::AlreadyRegistered.code() =>
                {
                    Draft::new(target.draft_key).clear();
                    session.acknowledged.set(Some(Received::AlreadyRegistered));
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
