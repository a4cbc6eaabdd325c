//! The SVG map: offline province outlines, optional tiles, clustered pins and the "you are
//! here" dot, with pan and zoom by pointer, wheel, pinch and keyboard.
//!
//! Smooth at 2,000 locations because a pan frame touches almost nothing: pins and tiles sit in
//! groups positioned relative to a fixed anchor ([`pins::anchor`]), so panning rewrites two
//! `transform` attributes; clusters are recomputed only when the zoom crosses a quarter step;
//! the pins drawn are the clusters inside the view (culled in Rust), keyed, so a frame creates
//! only the pins that scrolled in. Here: the component and its event wiring; the parts are
//! [`super::pins`], [`super::tile_layer`], [`super::controls`] and the pure
//! [`super::gesture`] reducer.

use std::sync::Arc;

use guanai_core::Lang;
use guanai_core::boundaries::Outline;
use guanai_core::cities;
use guanai_core::cluster::Cluster;
use guanai_core::decimal::fixed;
use guanai_core::geo::{LatLon, Viewport, WorldPoint, gcj02_to_wgs84, unproject, world_scale};
use guanai_core::i18n::{MapUi, fill};
use guanai_core::places::Place;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::controls::Controls;
use super::gesture::Gesture;
use super::pins::{self, Clustering, PinKey, Pins, from_anchor, translate};
use super::tile_layer::TileLayer;
use super::tiles::{Datum, TileSource, TilesProblem};
use super::view::{MapState, NearMe, display_point};
use crate::benefit_finder::Loaded;
use crate::element::tr;

/// Zoom at which the outline paths are written; the group's scale covers other zooms.
const OUTLINE_ZOOM: f64 = 10.0;

/// How far an arrow key moves the map, in pixels.
const KEY_PAN_PX: f64 = 96.0;

/// Every view change the person makes goes through here: from then on a resize keeps their
/// view instead of showing the home view again.
fn user_moves(state: MapState, to: impl FnOnce(&Viewport) -> Viewport) {
    state.moved.set_value(true);
    state.viewport.update(|v| *v = to(v));
}

/// Where a client position is on the map, in its own pixels.
fn on_map(svg: NodeRef<leptos::svg::Svg>, client_x: i32, client_y: i32) -> Option<(f64, f64)> {
    let rect = svg.get_untracked()?.get_bounding_client_rect();
    Some((
        f64::from(client_x) - rect.left(),
        f64::from(client_y) - rect.top(),
    ))
}

/// The map itself.
#[component]
pub fn MapCanvas(
    /// The catalogue, for pin names.
    loaded: Loaded,
    /// Places, points, selection and view.
    state: MapState,
    /// Language of labels.
    lang: Signal<Lang>,
    /// Raster tiles to draw under the pins, if any.
    tiles: Signal<Result<Option<TileSource>, TilesProblem>>,
    /// Selects a location: `(place, reveal)`.
    select: Callback<(Place, bool)>,
    /// Whether a click on the map (not on a pin) places a location.
    pick: Signal<bool>,
    /// Where the placed location's marker stands, as the host set it.
    picked: Signal<Option<LatLon>>,
    /// Called with the WGS-84 position a person placed.
    on_pick: Callback<LatLon>,
) -> impl IntoView {
    // The marker follows the host's `picked` and the person's own clicks.
    let marker = RwSignal::new(picked.get_untracked());
    Effect::new(move |_| marker.set(picked.get()));
    let viewport = state.viewport;
    let scale = Memo::new(move |_| viewport.with(Viewport::scale));
    let (clustering, visible) = pins::clusters_in_view(state, viewport);
    let selected_index = Memo::new(move |_| {
        let selected = state.selected.get()?;
        state
            .places
            .with(|places| places.iter().position(|p| *p == selected))
    });
    // The transform of everything drawn relative to the anchor: the only thing a pan changes.
    let anchored =
        Signal::derive(move || translate(viewport.with(|v| v.to_screen(pins::anchor()))));
    let tile_source = Memo::new(move |_| tiles.get().ok().flatten());
    let tile_keys = Memo::new(move |_| {
        if tile_source.with(Option::is_none) {
            return Vec::new();
        }
        viewport.with(|v| v.tiles().iter().map(|t| (t.z, t.x, t.y)).collect())
    });
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let frame_ref = NodeRef::<leptos::html::Div>::new();
    let focus_after = focus_after_expanding(clustering, visible, svg_ref);
    follow_size(frame_ref, state);
    let gesture = StoredValue::new_local(Gesture::default());
    let pins = Pins {
        loaded,
        state,
        clustering,
        scale,
        selected_index,
        lang,
        gesture,
        select,
        expand: Callback::new(move |cluster: Arc<Cluster>| expand(state, &cluster, focus_after)),
    };
    // Placing a location: the screen point back to the world, to WGS-84 (undoing GCJ-02 when
    // the tiles are shifted), announced to the host.
    let place_at = move |(x, y): (f64, f64)| {
        let shown = unproject(viewport.with_untracked(|v| v.to_world(x, y)));
        let position = match state.datum.get_untracked() {
            Datum::Gcj02 => gcj02_to_wgs84(shown),
            Datum::Wgs84 => shown,
        };
        marker.set(Some(position));
        on_pick.run(position);
    };
    let handlers = Handlers {
        state,
        gesture,
        svg: svg_ref,
        pick,
        place_at: Callback::new(place_at),
    };
    let zoom_by = Callback::new(move |steps: f64| user_moves(state, |v| v.zoomed_by(steps)));
    let reset = Callback::new(move |()| {
        state.moved.set_value(false);
        viewport.set(state.home_view());
    });

    view! {
        <div class="map-area">
            <div class="frame" part="map" node_ref=frame_ref>
                <svg
                    node_ref=svg_ref
                    class="map"
                    class:tiled=move || tile_source.with(Option::is_some)
                    tabindex="0"
                    role="group"
                    aria-label=move || {
                        if pick.get() { MapUi::PickLabel } else { MapUi::MapLabel }.get(lang.get())
                    }
                    class:picking=pick
                    viewBox=move || viewport.with(|v| format!("0 0 {} {}", fixed(v.width.max(1.0), 0), fixed(v.height.max(1.0), 0)))
                    on:pointerdown=move |event| handlers.pointer_down(&event)
                    on:pointermove=move |event| handlers.pointer_move(&event)
                    on:pointerup=move |event| handlers.pointer_up(&event)
                    on:pointercancel=move |event| handlers.pointer_up(&event)
                    on:wheel=move |event| handlers.wheel(&event)
                    on:keydown=move |event| handlers.key(&event)
                    on:click=move |event| handlers.click(&event)
                >
                    <TileLayer source=tile_source keys=tile_keys scale transform=anchored />
                    <Outlines state scale />
                    <CityLabels
                        state
                        scale
                        lang
                        transform=anchored
                        over_tiles=Signal::derive(move || tile_source.with(Option::is_some))
                    />
                    <g class="pins" transform=anchored>
                        <For each=move || visible.get() key=|key| *key let:key>
                            {pins.pin(key)}
                        </For>
                        <Overlays state scale lang marker />
                    </g>
                </svg>
                <Controls lang zoom_by reset />
            </div>
            {move || (tiles.get() == Err(TilesProblem::MissingKey)).then(|| view! {
                <p class="notice">{tr(lang, MapUi::TilesNeedKey)}</p>
            })}
            {move || pick.get().then(|| view! {
                <p class="picked-at" aria-live="polite">
                    {move || marker.get().map(|p| fill(
                        MapUi::Picked.get(lang.get()),
                        &[("lat", &fixed(p.lat, 6)), ("lon", &fixed(p.lon, 6))],
                    ))}
                </p>
            })}
            <p class="credit">{move || credit(lang.get(), tile_source.get())}</p>
        </div>
    }
}

/// The credit line: the tiles' provider, if any, and the base map's source.
fn credit(lang: Lang, source: Option<TileSource>) -> String {
    let base = MapUi::BaseMapCredit.get(lang).to_string();
    match source {
        Some(source) if !source.credit(lang).is_empty() => {
            format!("{} · {base}", source.credit(lang))
        }
        _ => base,
    }
}

/// Zooms into `cluster` (at least one step), and asks for focus to follow its first member.
fn expand(state: MapState, cluster: &Cluster, focus_after: RwSignal<Option<usize>>) {
    let bounds = state.points.with_untracked(|points| cluster.bounds(points));
    let current = state.viewport.get_untracked();
    let fitted = Viewport::fit(
        bounds,
        current.width,
        current.height,
        48.0,
        Viewport::MAX_ZOOM,
    );
    let zoom = fitted.zoom.max(current.zoom + 1.0).min(Viewport::MAX_ZOOM);
    focus_after.set(Some(cluster.members[0]));
    state.moved.set_value(true);
    state.viewport.set(Viewport { zoom, ..fitted });
}

/// Expanding a cluster moves focus to the pin or cluster that now holds its first member,
/// instead of dropping it on the page (what Leaflet.markercluster #273/#1058 complain of).
/// Returns where to ask for that: the member's index.
fn focus_after_expanding(
    clustering: Memo<Clustering>,
    visible: Memo<Vec<PinKey>>,
    svg_ref: NodeRef<leptos::svg::Svg>,
) -> RwSignal<Option<usize>> {
    let focus_after = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        visible.track();
        let Some(member) = focus_after.get_untracked() else {
            return;
        };
        focus_after.set(None);
        let key = clustering.with_untracked(|c| {
            c.clusters
                .iter()
                .find(|cl| cl.members.contains(&member))
                .map(Cluster::key)
        });
        if let (Some(key), Some(svg)) = (key, svg_ref.get_untracked()) {
            request_animation_frame(move || {
                if let Ok(Some(pin)) = svg.query_selector(&format!("[data-key=\"{key}\"]"))
                    && let Ok(pin) = pin.dyn_into::<web_sys::SvgElement>()
                {
                    let _ = pin.focus();
                }
            });
        }
    });
    focus_after
}

/// Measures the map and follows its size; the first measurement shows the home view, and so
/// does every later one until the person has moved the map.
fn follow_size(frame_ref: NodeRef<leptos::html::Div>, state: MapState) {
    Effect::new(move |_| {
        let Some(frame) = frame_ref.get() else {
            return;
        };
        let measure = {
            let frame = frame.clone();
            move || {
                let rect = frame.get_bounding_client_rect();
                let (width, height) = (rect.width(), rect.height());
                if width < 1.0 || height < 1.0 {
                    return;
                }
                let refit = !state.moved.get_value();
                let _ = state.viewport.try_update(|v| {
                    v.width = width;
                    v.height = height;
                });
                if refit {
                    let _ = state.viewport.try_set(state.home_view());
                }
            }
        };
        measure();
        let callback = Closure::<dyn Fn()>::new(measure);
        if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            observer.observe(&frame);
            let kept = send_wrapper::SendWrapper::new((observer, callback));
            on_cleanup(move || kept.0.disconnect());
        }
    });
}

/// The map's input: pointer, wheel, click and keys, turned into [`Gesture`] inputs and view
/// changes.
#[derive(Clone, Copy)]
struct Handlers {
    state: MapState,
    gesture: StoredValue<Gesture, LocalStorage>,
    svg: NodeRef<leptos::svg::Svg>,
    pick: Signal<bool>,
    place_at: Callback<(f64, f64)>,
}

impl Handlers {
    fn pointer_down(&self, event: &web_sys::PointerEvent) {
        if event.button() != 0 && event.pointer_type() == "mouse" {
            return;
        }
        let Some(svg) = self.svg.get_untracked() else {
            return;
        };
        let rect = svg.get_bounding_client_rect();
        let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
        let id = event.pointer_id();
        let capture = self
            .gesture
            .try_update_value(|g| g.down(id, x, y, (rect.left(), rect.top())));
        if capture == Some(true) {
            let _ = svg.set_pointer_capture(id);
        }
    }

    fn pointer_move(&self, event: &web_sys::PointerEvent) {
        let (id, x, y) = (
            event.pointer_id(),
            f64::from(event.client_x()),
            f64::from(event.client_y()),
        );
        let Some(moved) = self.gesture.try_update_value(|g| g.moved(id, x, y)) else {
            return;
        };
        if moved.capture
            && let Some(svg) = self.svg.get_untracked()
        {
            let _ = svg.set_pointer_capture(id);
        }
        if let Some(change) = moved.change {
            let limits = self.state.limits;
            user_moves(self.state, |v| change.apply(v, limits));
        }
    }

    fn pointer_up(&self, event: &web_sys::PointerEvent) {
        let id = event.pointer_id();
        self.gesture.update_value(|g| g.up(id));
    }

    fn wheel(&self, event: &web_sys::WheelEvent) {
        event.prevent_default();
        let Some((x, y)) = on_map(self.svg, event.client_x(), event.client_y()) else {
            return;
        };
        let (delta, mode, limits) = (event.delta_y(), event.delta_mode(), self.state.limits);
        user_moves(self.state, |v| {
            v.wheeled(delta, mode, x, y).kept_within(limits)
        });
    }

    fn click(&self, event: &web_sys::MouseEvent) {
        let ended_drag = self.gesture.try_update_value(Gesture::take_drag_click);
        if !self.pick.get_untracked() || ended_drag == Some(true) {
            return;
        }
        // A click on a pin selects it; only the map itself places.
        let on_pin = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[data-key]").ok().flatten())
            .is_some();
        if let (false, Some(point)) = (on_pin, on_map(self.svg, event.client_x(), event.client_y()))
        {
            self.place_at.run(point);
        }
    }

    fn key(&self, event: &web_sys::KeyboardEvent) {
        let on_map_itself = event
            .target()
            .zip(self.svg.get_untracked())
            .is_some_and(|(target, svg)| JsValue::from(target) == JsValue::from(svg));
        let state = self.state;
        if self.pick.get_untracked() && on_map_itself && event.key() == "Enter" {
            event.prevent_default();
            let (width, height) = state.viewport.with_untracked(|v| (v.width, v.height));
            self.place_at.run((width / 2.0, height / 2.0));
            return;
        }
        let pan =
            |dx: f64, dy: f64| user_moves(state, |v| v.panned(dx, dy).kept_within(state.limits));
        match event.key().as_str() {
            "ArrowLeft" => pan(KEY_PAN_PX, 0.0),
            "ArrowRight" => pan(-KEY_PAN_PX, 0.0),
            "ArrowUp" => pan(0.0, KEY_PAN_PX),
            "ArrowDown" => pan(0.0, -KEY_PAN_PX),
            "+" | "=" => user_moves(state, |v| v.zoomed_by(1.0)),
            "-" | "_" => user_moves(state, |v| v.zoomed_by(-1.0)),
            _ => return,
        }
        event.prevent_default();
    }
}

/// The province outlines, drawn once at [`OUTLINE_ZOOM`] and scaled by their group.
#[component]
fn Outlines(state: MapState, scale: Memo<f64>) -> impl IntoView {
    let viewport = state.viewport;
    let transform = move || {
        let (x, y) = viewport.with(|v| v.to_screen(pins::anchor()));
        format!(
            "{} scale({})",
            translate((x, y)),
            fixed(scale.get() / world_scale(OUTLINE_ZOOM), 6)
        )
    };
    let outlines = Memo::new(move |_| {
        let datum = state.datum.get();
        state
            .outlines
            .with_value(|outlines| outline_paths(outlines, datum, pins::anchor()))
    });
    view! {
        <g class="outlines" transform=transform aria-hidden="true">
            {move || {
                outlines
                    .get()
                    .into_iter()
                    .map(|(code, d)| view! { <path data-region=code d=d vector-effect="non-scaling-stroke"></path> })
                    .collect_view()
            }}
        </g>
    }
}

/// City names on the offline base map, under the pins (tiles carry their own names, so none
/// over tiles). Which fit is decided per quarter zoom step, rounded down so the labels are
/// never closer than `guanai_core::cities` reckoned. Hidden from screen readers: the list
/// beside the map names each location's region in the same words.
#[component]
fn CityLabels(
    state: MapState,
    scale: Memo<f64>,
    lang: Signal<Lang>,
    transform: Signal<String>,
    over_tiles: Signal<bool>,
) -> impl IntoView {
    let cities = StoredValue::new(cities::cities());
    let step = Memo::new(move |_| (state.viewport.with(|v| v.zoom) * 4.0).floor() / 4.0);
    let drawn = Memo::new(move |_| {
        if over_tiles.get() {
            return Vec::new();
        }
        let (zoom, lang) = (step.get(), lang.get());
        cities.with_value(|cities| {
            cities::labelled_offline(cities, zoom, lang)
                .into_iter()
                .map(|(i, point)| {
                    (
                        cities[i].region.code,
                        cities[i].name(lang),
                        cities[i].capital,
                        point,
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <g class="cities" transform=transform aria-hidden="true">
            {move || {
                drawn
                    .get()
                    .into_iter()
                    .map(|(code, name, capital, point)| {
                        let at = move || translate(from_anchor(point, scale.get()));
                        view! {
                            <g data-region=code class=if capital { "city capital" } else { "city" } transform=at>
                                <circle r=if capital { "3.5" } else { "2.5" }></circle>
                                <text x=fixed(cities::TEXT_OFFSET_PX, 0) y="4">{name}</text>
                            </g>
                        }
                    })
                    .collect_view()
            }}
        </g>
    }
}

/// What stands over the pins: "you are here" and the placed location's cross.
#[component]
fn Overlays(
    state: MapState,
    scale: Memo<f64>,
    lang: Signal<Lang>,
    marker: RwSignal<Option<LatLon>>,
) -> impl IntoView {
    let me = move || match state.near.get() {
        NearMe::Found(position) => {
            let point = display_point(position, state.datum.get());
            let at = move || from_anchor(point, scale.get());
            Some(view! {
                <circle
                    class="me"
                    r="8"
                    role="img"
                    aria-label=tr(lang, MapUi::YouAreHere)
                    cx=move || fixed(at().0, 2)
                    cy=move || fixed(at().1, 2)
                ></circle>
            })
        }
        _ => None,
    };
    let placed = move || {
        marker.get().map(|position| {
            let point = display_point(position, state.datum.get());
            view! {
                <g class="picked" aria-hidden="true" transform=translate(from_anchor(point, scale.get()))>
                    <circle r="9"></circle>
                    <path d="M-16 0H-5M5 0H16M0 -16V-5M0 5V16"></path>
                </g>
            }
        })
    };
    view! { {me} {placed} }
}

/// The province outlines as SVG path data, relative to `anchor` at [`OUTLINE_ZOOM`], shifted
/// to GCJ-02 when drawn over GCJ-02 tiles.
fn outline_paths(outlines: &[Outline], datum: Datum, anchor: WorldPoint) -> Vec<(String, String)> {
    let scale = world_scale(OUTLINE_ZOOM);
    outlines
        .iter()
        .map(|outline| {
            let mut d = String::new();
            for ring in &outline.rings {
                for (i, position) in ring.iter().enumerate() {
                    let p = display_point(*position, datum);
                    let (x, y) = ((p.x - anchor.x) * scale, (p.y - anchor.y) * scale);
                    d.push_str(&format!(
                        "{}{} {}",
                        if i == 0 { "M" } else { "L" },
                        fixed(x, 1),
                        fixed(y, 1)
                    ));
                }
                d.push('Z');
            }
            (outline.code.clone(), d)
        })
        .collect()
}
