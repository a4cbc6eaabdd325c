//! Loading the published catalogue for a widget: a loading state, then the widget, or a plain
//! error with a way to try again. Shared by the finder and the map.

use guanai_core::Lang;
use guanai_core::i18n::Ui;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{LoadedCatalogue, fetch_catalogue};
use crate::element::{Host, tr};

/// Where loading the catalogue stands.
#[derive(Clone)]
enum Loading {
    Pending,
    Ready(Arc<LoadedCatalogue>),
    Failed,
}

/// Fetches the catalogue from `api` and shows `ready(catalogue)` once it is there; dispatches
/// `guanai:ready`, or `guanai:error` with the failure's code. A new `api` keeps what is shown
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
    // Only the latest request may set the state: an older answer arriving late is dropped.
    let latest = StoredValue::new(0_u32);
    let load = {
        let host = host.clone();
        move |api: String| {
            let request = latest.get_value().wrapping_add(1);
            latest.set_value(request);
            let host = host.clone();
            spawn_local(async move {
                let result = fetch_catalogue(api).await;
                if latest.try_get_value() != Some(request) {
                    return;
                }
                match result {
                    Ok(loaded) => state.set(Loading::Ready(loaded)),
                    Err(error) => {
                        host.dispatch("guanai:error", &[("code", error.code())]);
                        state.set(Loading::Failed);
                    }
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
            untrack(|| ready(loaded))
        }
        Loading::Failed => view! { <LoadFailed lang retry=retry.clone() /> }.into_any(),
    }
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
