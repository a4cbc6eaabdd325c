//! The buttons over the map: zoom in, zoom out, and back to the home view.

use guanai_core::Lang;
use guanai_core::i18n::MapUi;
use leptos::prelude::*;

use crate::element::tr;

/// Zoom and reset buttons; `zoom_by` takes steps (±1), `reset` shows the home view.
#[component]
pub fn Controls(
    /// Language of the labels.
    lang: Signal<Lang>,
    /// Zooms by this many steps about the centre.
    zoom_by: Callback<f64>,
    /// Shows the home view again.
    reset: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="controls">
            <button type="button" class="zoom-in" aria-label=tr(lang, MapUi::ZoomIn) on:click=move |_| zoom_by.run(1.0)>
                "+"
            </button>
            <button type="button" class="zoom-out" aria-label=tr(lang, MapUi::ZoomOut) on:click=move |_| zoom_by.run(-1.0)>
                "−"
            </button>
            <button type="button" class="reset" on:click=move |_| reset.run(())>
                {tr(lang, MapUi::ResetView)}
            </button>
        </div>
    }
}
