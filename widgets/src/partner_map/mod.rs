//! `<guanai-partner-map>`: where social workers can use their benefits — every partner location
//! on a map of Beijing, Tianjin and Hebei, with a list that is its accessible twin.
//!
//! - [`MapView`] (view.rs) owns the filters, the selection, "near me" and the view; it is what
//!   the browser tests mount over an in-memory catalogue.
//! - canvas.rs draws the SVG map (province outlines, the "you are here" dot) and wires pointer,
//!   wheel, pinch and keys to the view; pins.rs clusters, culls and draws the pins;
//!   tile_layer.rs draws the tiles; controls.rs the zoom and reset buttons; gesture.rs is the
//!   pure pointer state machine (drag, pinch, a click that ended a drag).
//! - list.rs is the list of locations, card.rs the partner card, tiles.rs the tile providers,
//!   locate.rs the browser's geolocation.
//!
//! Coordinates stay WGS-84 from the catalogue to here; they are shifted to GCJ-02 only when
//! drawn on AMap or Tencent tiles.

mod canvas;
mod card;
mod controls;
pub mod gesture;
mod list;
mod locate;
mod pins;
mod tile_layer;
pub mod tiles;
mod view;

use guanai_core::geo::LatLon;
use guanai_core::i18n::MapUi;
use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::benefit_finder::Presets;
use crate::element::tr;
use crate::element::{self, Attributes, Widget};
use crate::loading::WithCatalogue;
pub use pins::PIN_RADIUS_PX;
pub use tiles::{Datum, TileSource, TilesProblem};
pub use view::MapView;

/// Attributes of `<guanai-partner-map>` that take effect when changed after mount.
pub const ATTRIBUTES: &[&str] = &[
    "api",
    "lang",
    "area",
    "region",
    "partner",
    "tiles",
    "tiles-key",
    "tiles-crs",
    "tiles-attribution",
    "finder",
    "pick",
    "picked",
];

/// What the host page sets besides the shared filters.
#[derive(Debug, Clone, Copy)]
pub struct MapOptions {
    /// Raster tiles under the pins, from `tiles` (and `tiles-key`, `tiles-crs`,
    /// `tiles-attribution`); `Ok(None)` for the offline base map alone.
    pub tiles: Signal<Result<Option<TileSource>, TilesProblem>>,
    /// `finder="#benefits"`: a `<guanai-benefit-finder>` on the same page that the card's
    /// "show in the benefit finder" button points at that partner.
    pub finder: Signal<Option<String>>,
    /// `pick`: staff place a location — a click (or Enter, for the map's centre) puts a marker
    /// there and dispatches `guanai:pick` `{lat, lon}` (WGS-84, six decimals).
    pub pick: Signal<bool>,
    /// `picked="lat,lon"` (WGS-84): where the marker stands, e.g. coordinates typed by hand.
    pub picked: Signal<Option<LatLon>>,
}

impl MapOptions {
    /// Reads the options from the element's attribute signals.
    pub fn from_attributes(attributes: &Attributes) -> MapOptions {
        let (tiles, key, crs, attribution, finder) = (
            attributes.get("tiles"),
            attributes.get("tiles-key"),
            attributes.get("tiles-crs"),
            attributes.get("tiles-attribution"),
            attributes.get("finder"),
        );
        let (pick, picked) = (attributes.get("pick"), attributes.get("picked"));
        MapOptions {
            tiles: Signal::derive(move || {
                TileSource::from_attributes(
                    tiles.get().as_deref(),
                    key.get().as_deref(),
                    crs.get().as_deref(),
                    attribution.get().as_deref(),
                )
            }),
            finder: Signal::derive(move || {
                finder
                    .get()
                    .map(|selector| selector.trim().to_string())
                    .filter(|selector| !selector.is_empty())
            }),
            pick: Signal::derive(move || pick.with(Option::is_some)),
            picked: Signal::derive(move || picked.with(|text| parse_lat_lon(text.as_deref()?))),
        }
    }

    /// Options with no tiles and no finder, for tests.
    pub fn offline() -> MapOptions {
        MapOptions {
            tiles: Signal::stored(Ok(None)),
            finder: Signal::stored(None),
            pick: Signal::stored(false),
            picked: Signal::stored(None),
        }
    }
}

/// `"39.9042,116.4074"` (latitude, longitude) as a position; `None` unless both are finite
/// numbers in range.
pub fn parse_lat_lon(text: &str) -> Option<LatLon> {
    let (lat, lon) = text.split_once(',')?;
    let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
        .then(|| LatLon::new(lat, lon))
}

/// Mounts a map for the custom element `host` into `root` (a `<div>` in its shadow root).
pub fn mount(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    element::mount(host, root, ATTRIBUTES, move |attributes, host| {
        let (api, lang) = attributes.api_and_lang(default_api);
        let presets = Presets::from_attributes(&attributes);
        let options = MapOptions::from_attributes(&attributes);
        view! {
            <section
                class="guanai partner-map"
                lang=move || lang.get().tag()
                aria-label=tr(lang, MapUi::MapName)
            >
                <WithCatalogue api lang host=host.clone() ready=move |loaded| {
                    view! { <MapView loaded lang presets options host=host.clone() /> }.into_any()
                } />
            </section>
        }
    })
}
