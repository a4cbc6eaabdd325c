//! Loading the published catalogue for a widget: a loading state, then the widget, or a plain
//! error with a way to try again. Shared by the finder and the map.

use guanai_core::Lang;
use guanai_core::i18n::Ui;
use leptos::prelude::*;

use crate::api::{LoadedCatalogue, fetch_catalogue};
use crate::element::Host;

/// Fetches the catalogue from `api` and shows `ready(catalogue)` once it is there; dispatches
/// `guanai:ready`, or `guanai:error` with the failure's code.
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
    F: Fn(std::sync::Arc<LoadedCatalogue>) -> AnyView + Clone + Send + Sync + 'static,
{
    let catalogue = LocalResource::new(move || fetch_catalogue(api.get()));
    let loading =
        move || view! { <p class="state" role="status">{move || Ui::Loading.get(lang.get())}</p> };
    view! {
        <Transition fallback=loading>
            {move || {
                let (host, ready) = (host.clone(), ready.clone());
                Suspend::new(async move {
                    match catalogue.await {
                        Ok(loaded) => {
                            host.dispatch("guanai:ready", &[]);
                            ready(loaded)
                        }
                        Err(error) => {
                            host.dispatch("guanai:error", &[("code", error.code())]);
                            view! { <LoadFailed lang retry=move || catalogue.refetch() /> }.into_any()
                        }
                    }
                })
            }}
        </Transition>
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
            <p>{move || Ui::LoadError.get(lang.get())}</p>
            <button type="button" class="button" on:click=move |_| retry()>
                {move || Ui::Retry.get(lang.get())}
            </button>
        </div>
    }
}
