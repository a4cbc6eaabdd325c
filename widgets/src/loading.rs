//! Loading the published catalogue for a widget: a loading state, then the widget, or a plain
//! error with a way to try again. Shared by the finder and the map.

use guanai_core::Lang;
use guanai_core::i18n::{Ui, fill};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{LoadError, LoadedCatalogue, fetch_catalogue_text, prepare};
use crate::element::{Host, tr};
use crate::offline;

/// Where loading the catalogue stands.
#[derive(Clone)]
enum Loading {
    Pending,
    Ready(Arc<LoadedCatalogue>),
    Failed,
}

/// Fetches the catalogue from `api` and shows `ready(catalogue)` once it is there; dispatches
/// `guanai:ready`, or `guanai:error` with the failure's code. The copy kept on the device
/// (`crate::offline`) is shown at once and replaced if the edge has another; when the edge
/// cannot be reached, the copy stays with a line saying when it was saved. A new `api` keeps what is shown
/// until the new catalogue is in. (A plain signal and a spawned fetch rather than a resource
/// under `<Transition>`: the same states for a fraction of the framework's code.)
#[component]
pub fn WithCatalogue<F>(
    /// Base URL of the edge API, e.g. `https://edge.example`.
    api: Signal<String>,
    /// Language of the loading and error messages.
    lang: Signal<Lang>,
    /// The custom element, for `guanai:ready` / `guanai:error`.
    host: Host,
    /// Builds the widget over the loaded catalogue.
    ready: F,
) -> impl IntoView
where
    F: Fn(Arc<LoadedCatalogue>) -> AnyView + Clone + Send + Sync + 'static,
{
    let state = RwSignal::new(Loading::Pending);
    // When the edge cannot be reached and the kept copy is shown: when it was saved.
    let offline_since = RwSignal::new(None::<f64>);
    // Only the latest request may set the state: an older answer arriving late is dropped.
    let latest = StoredValue::new(0_u32);
    let load = {
        let host = host.clone();
        move |api: String| {
            let request = latest.get_value().wrapping_add(1);
            latest.set_value(request);
            let host = host.clone();
            spawn_local(async move {
                let current = move || latest.try_get_value() == Some(request);
                // The copy kept on this device first: shown at once, then checked with the edge.
                let kept = offline::read(&api).await;
                let shown = kept
                    .as_ref()
                    .and_then(|kept| prepare(&kept.text).ok().map(|loaded| (kept, loaded)));
                if let Some((_, loaded)) = &shown
                    && current()
                    && matches!(state.get_untracked(), Loading::Pending)
                {
                    state.set(Loading::Ready(loaded.clone()));
                }
                let fetched = fetch_catalogue_text(&api).await;
                if !current() {
                    return;
                }
                match (fetched, shown) {
                    (Ok(text), shown) => {
                        offline_since.set(None);
                        // The same catalogue as the copy (the usual case): nothing to redraw.
                        if shown.as_ref().is_some_and(|(kept, _)| kept.text == text) {
                            return;
                        }
                        match prepare(&text) {
                            Ok(loaded) => {
                                state.set(Loading::Ready(loaded));
                                offline::keep(&api, &text).await;
                            }
                            Err(error) => fail(&host, state, error),
                        }
                    }
                    (Err(_), Some((kept, _))) => offline_since.set(Some(kept.saved_ms)),
                    (Err(error), None) => fail(&host, state, error),
                }
            });
        }
    };
    Effect::new({
        let load = load.clone();
        move |_| load(api.get())
    });
    let retry = move || {
        state.set(Loading::Pending);
        load(api.get_untracked());
    };
    move || match state.get() {
        Loading::Pending => {
            view! { <p class="state" role="status">{tr(lang, Ui::Loading)}</p> }.into_any()
        }
        Loading::Ready(loaded) => {
            host.dispatch("guanai:ready", &[]);
            let offline = move || {
                offline_since.get().map(|saved_ms| {
                    let at = guanai_core::time::shanghai_minute(saved_ms as u64);
                    let line = fill(Ui::OfflineCopy.get(lang.get()), &[("at", &at)]);
                    view! { <p class="notice offline" role="status">{line}</p> }
                })
            };
            view! { {offline} {untrack(|| ready(loaded))} }.into_any()
        }
        Loading::Failed => view! { <LoadFailed lang retry=retry.clone() /> }.into_any(),
    }
}

/// Says why the catalogue cannot be shown (`guanai:error`) and shows the error state.
fn fail(host: &Host, state: RwSignal<Loading>, error: LoadError) {
    host.dispatch("guanai:error", &[("code", error.code())]);
    state.set(Loading::Failed);
}

/// The error state: a plain explanation and a way to try again.
#[component]
fn LoadFailed(
    /// Language of the message.
    lang: Signal<Lang>,
    /// Called when the person asks to try again.
    retry: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <div class="state" role="alert">
            <p>{tr(lang, Ui::LoadError)}</p>
            <button type="button" class="button" on:click=move |_| retry()>
                {tr(lang, Ui::Retry)}
            </button>
        </div>
    }
}
