//! The status line under a form.

use guanai_core::i18n::{FormUi, fill};
use guanai_core::{Lang, Text};
use leptos::prelude::*;

use super::pipeline::Phase;
use super::wake::Wake;
use crate::element::tr;

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
