//! The raster tiles under the pins, when a tile source is set: one `<image>` per tile and
//! layer, placed relative to the anchor, so a pan moves their group and creates only the tiles
//! that scrolled in.

use guanai_core::decimal::fixed;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::pins::anchor;
use super::tiles::TileSource;

/// The tile layer: `keys` are the `(z, x, y)` tiles in view, `transform` the anchored group's.
#[component]
pub fn TileLayer(
    /// Where tiles come from (nothing is drawn without one).
    source: Memo<Option<TileSource>>,
    /// The tiles covering the view.
    keys: Memo<Vec<(u8, u32, u32)>>,
    /// Pixels per world unit.
    scale: Memo<f64>,
    /// The anchored group's transform.
    transform: Signal<String>,
) -> impl IntoView {
    let anchor = anchor();
    move || {
        source.get().map(|source| {
            let layers = source.layers.clone();
            view! {
                <g class="tiles" transform=transform aria-hidden="true">
                    <For each=move || keys.get() key=|tile| *tile let:tile>
                        {
                            let (z, x, y) = tile;
                            let per_side = f64::from(1u32 << z);
                            let left = f64::from(x) / per_side - anchor.x;
                            let top = f64::from(y) / per_side - anchor.y;
                            let source = source.clone();
                            layers
                                .iter()
                                .map(|layer| {
                                    view! {
                                        <image
                                            href=source.url(layer, z, x, y)
                                            x=move || fixed(left * scale.get(), 2)
                                            y=move || fixed(top * scale.get(), 2)
                                            width=move || fixed(scale.get() / per_side + 0.5, 2)
                                            height=move || fixed(scale.get() / per_side + 0.5, 2)
                                            // A tile that cannot load (offline, blocked by the
                                            // host's CSP) leaves the offline map showing, not a
                                            // broken-image icon.
                                            on:error=|event: web_sys::ErrorEvent| {
                                                if let Some(tile) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                                                    let _ = tile.set_attribute("class", "failed");
                                                }
                                            }
                                        ></image>
                                    }
                                })
                                .collect_view()
                        }
                    </For>
                </g>
            }
        })
    }
}
