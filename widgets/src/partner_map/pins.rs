//! The pins: clusters at the current quarter zoom step, culled to the view, each a keyed SVG
//! group — a marker for one location, a counted circle for several. Everything is placed
//! relative to the map's fixed [`anchor`], so a pan changes one `transform` on their group.

use std::sync::Arc;

use guanai_core::Lang;
use guanai_core::cluster::{Cluster, DEFAULT_RADIUS_PX, cluster};
use guanai_core::decimal::fixed;
use guanai_core::geo::{LatLon, Viewport, WorldPoint, project, world_scale};
use guanai_core::i18n::{MapUi, fill};
use guanai_core::places::Place;
use leptos::prelude::*;

use super::gesture::Gesture;
use super::view::MapState;
use crate::benefit_finder::Loaded;
use crate::element::bool_attr;

/// Pins closer than this many pixels form a cluster.
pub const PIN_RADIUS_PX: f64 = DEFAULT_RADIUS_PX;

/// The zoom clusters are computed at: quarter steps, so a pinch does not re-cluster per frame.
pub fn zoom_step(zoom: f64) -> f64 {
    (zoom * 4.0).round() / 4.0
}

/// The fixed point pins, tiles and outlines are positioned from: the north-west corner of the
/// region. Keeping numbers relative to it keeps them small enough for SVG's float precision at
/// street level.
/// Projected once: every pin, tile and outline position of every frame is relative to it.
pub fn anchor() -> WorldPoint {
    static ANCHOR: std::sync::OnceLock<WorldPoint> = std::sync::OnceLock::new();
    *ANCHOR.get_or_init(|| project(LatLon::new(42.7, 113.4)))
}

/// `point`'s place inside the anchored groups at `scale` pixels per world unit.
pub fn from_anchor(point: WorldPoint, scale: f64) -> (f64, f64) {
    let anchor = anchor();
    ((point.x - anchor.x) * scale, (point.y - anchor.y) * scale)
}

/// An SVG `translate` to `(x, y)`, in hundredths of a pixel.
pub fn translate((x, y): (f64, f64)) -> String {
    format!("translate({} {})", fixed(x, 2), fixed(y, 2))
}

/// The clusters at one zoom step, numbered so that pins of an older clustering are never
/// mistaken for current ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    pub generation: u64,
    pub clusters: Vec<Cluster>,
}

/// A pin in the view: which clustering, which cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PinKey {
    pub generation: u64,
    pub seed: usize,
    pub index: usize,
}

/// The clustering of `state`'s points at `viewport`'s zoom step, recomputed only when the step
/// changes, and the pins of it inside the view.
pub fn clusters_in_view(
    state: MapState,
    viewport: RwSignal<Viewport>,
) -> (Memo<Clustering>, Memo<Vec<PinKey>>) {
    let step = Memo::new(move |_| viewport.with(|v| zoom_step(v.zoom)));
    let generation = StoredValue::new(0u64);
    let clustering = Memo::new(move |_| {
        let zoom = step.get();
        let clusters = state
            .points
            .with(|points| cluster(points, world_scale(zoom), PIN_RADIUS_PX));
        generation.update_value(|g| *g += 1);
        Clustering {
            generation: generation.get_value(),
            clusters,
        }
    });
    let visible = Memo::new(move |_| {
        let view = viewport.get();
        clustering.with(|clustering| {
            clustering
                .clusters
                .iter()
                .enumerate()
                .filter(|(_, c)| view.shows(view.to_screen(c.center), PIN_RADIUS_PX))
                .map(|(index, c)| PinKey {
                    generation: clustering.generation,
                    seed: c.key(),
                    index,
                })
                .collect::<Vec<_>>()
        })
    });
    (clustering, visible)
}

/// What drawing a pin needs.
#[derive(Clone)]
pub struct Pins {
    pub loaded: Loaded,
    pub state: MapState,
    pub clustering: Memo<Clustering>,
    pub scale: Memo<f64>,
    pub selected_index: Memo<Option<usize>>,
    pub lang: Signal<Lang>,
    pub gesture: StoredValue<Gesture, LocalStorage>,
    /// Selects a location: `(place, reveal)`.
    pub select: Callback<(Place, bool)>,
    /// Zooms into a cluster.
    pub expand: Callback<Arc<Cluster>>,
}

impl Pins {
    /// The pin for `key`: nothing when the clustering it came from is gone.
    pub fn pin(&self, key: PinKey) -> AnyView {
        let Some(cluster) = self
            .clustering
            .with_untracked(|c| c.clusters.get(key.index).cloned())
        else {
            return ().into_any();
        };
        // Clusters index the places they were computed from; a mismatch would be a bug, and
        // an empty pin is a better outcome than a panic that stops every widget on the page.
        let single = self
            .state
            .places
            .with_untracked(|p| p.get(cluster.key()).copied())
            .filter(|_| cluster.is_single());
        let members: Arc<[usize]> = cluster.members.clone().into();
        match single {
            Some(place) => self.marker(key, cluster.center, members, place),
            None => self.group(key, cluster, members),
        }
    }

    /// Whether the selected location is among `members`.
    fn holds_selected(&self, members: Arc<[usize]>) -> impl Fn() -> bool + Clone + 'static {
        let selected_index = self.selected_index;
        move || selected_index.get().is_some_and(|i| members.contains(&i))
    }

    /// A click that ended a drag is no click.
    fn clicked(&self) -> bool {
        self.gesture
            .try_update_value(Gesture::take_drag_click)
            .is_none_or(|swallowed| !swallowed)
    }

    fn marker(
        &self,
        key: PinKey,
        center: WorldPoint,
        members: Arc<[usize]>,
        place: Place,
    ) -> AnyView {
        let scale = self.scale;
        let has_selected = self.holds_selected(members);
        let partner = place.partner(&self.loaded.catalogue).clone();
        let location = place.location(&self.loaded.catalogue).clone();
        let lang = self.lang;
        let label = move || {
            let lang = lang.get();
            match &location.name {
                Some(name) => format!("{} · {}", partner.name.get(lang), name.get(lang)),
                None => partner.name.get(lang).to_string(),
            }
        };
        let (pins, select) = (self.clone(), self.select);
        view! {
            <g
                class="pin"
                class:selected=has_selected.clone()
                role="button"
                tabindex="0"
                data-key=key.seed
                data-location=place.location(&self.loaded.catalogue).id.clone()
                aria-label=label
                aria-pressed=move || bool_attr(has_selected())
                transform=move || translate(from_anchor(center, scale.get()))
                on:click=move |_| {
                    if pins.clicked() {
                        select.run((place, false));
                    }
                }
                on:keydown=move |event| {
                    if matches!(event.key().as_str(), "Enter" | " ") {
                        event.prevent_default();
                        select.run((place, false));
                    }
                }
            >
                <path class="marker" d="M0 0 C-3 -8 -11 -12 -11 -20 A11 11 0 1 1 11 -20 C11 -12 3 -8 0 0 Z"></path>
                <circle class="dot" cy="-20" r="4"></circle>
            </g>
        }
        .into_any()
    }

    fn group(&self, key: PinKey, cluster: Cluster, members: Arc<[usize]>) -> AnyView {
        let scale = self.scale;
        let center = cluster.center;
        let count = cluster.len();
        let radius = 16.0 + (count as f64).log10() * 5.0;
        let has_selected = self.holds_selected(members);
        let cluster = Arc::new(cluster);
        let pins = self.clone();
        let activate = move || {
            if pins.clicked() {
                pins.expand.run(cluster.clone());
            }
        };
        let on_key = activate.clone();
        let lang = self.lang;
        let label = move || {
            fill(
                MapUi::ClusterLabel.get(lang.get()),
                &[("n", &count.to_string())],
            )
        };
        view! {
            <g
                class="cluster"
                class:selected=has_selected
                role="button"
                tabindex="0"
                data-key=key.seed
                data-count=count
                aria-label=label
                transform=move || translate(from_anchor(center, scale.get()))
                on:click=move |_| activate()
                on:keydown=move |event| {
                    if matches!(event.key().as_str(), "Enter" | " ") {
                        event.prevent_default();
                        on_key();
                    }
                }
            >
                <circle r=fixed(radius, 1)></circle>
                <text dy="0.35em" text-anchor="middle" aria-hidden="true">{count}</text>
            </g>
        }
        .into_any()
    }
}
