//! The SVG map: offline province outlines, optional tiles, clustered pins and the "you are
//! here" dot, with pan and zoom by pointer, wheel, pinch and keyboard.
//!
//! Smooth at 2,000 locations because a pan frame touches almost nothing: pins and tiles sit in
//! groups positioned relative to a fixed anchor, so panning rewrites two `transform` attributes;
//! clusters are recomputed only when the zoom crosses a quarter step; the pins drawn are the
//! clusters inside the view (culled in Rust), keyed, so a frame creates only the pins that
//! scrolled in.

use guanai_core::decimal::fixed;
use std::sync::Arc;

use guanai_core::Lang;
use guanai_core::boundaries::Outline;
use guanai_core::cluster::{Cluster, DEFAULT_RADIUS_PX, cluster};
use guanai_core::geo::{
    LatLon, Viewport, WorldPoint, gcj02_to_wgs84, project, unproject, world_scale,
};
use guanai_core::i18n::{MapUi, fill};
use guanai_core::places::Place;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::tiles::{Datum, TileSource, TilesProblem};
use super::view::{MapState, NearMe, display_point};
use crate::benefit_finder::Loaded;
use crate::element::bool_attr;
use crate::element::tr;

/// Pins closer than this many pixels form a cluster.
pub const PIN_RADIUS_PX: f64 = DEFAULT_RADIUS_PX;

/// Zoom at which the outline paths are written; the group's scale covers other zooms.
const OUTLINE_ZOOM: f64 = 10.0;

/// How far an arrow key moves the map, in pixels.
const KEY_PAN_PX: f64 = 96.0;

/// Movement below this many pixels is a click, not a drag.
const DRAG_THRESHOLD_PX: f64 = 4.0;

/// The zoom clusters are computed at: quarter steps, so a pinch does not re-cluster per frame.
pub fn zoom_step(zoom: f64) -> f64 {
    (zoom * 4.0).round() / 4.0
}

/// The fixed point pins, tiles and outlines are positioned from: the north-west corner of the
/// region. Keeping numbers relative to it keeps them small enough for SVG's float precision at
/// street level.
fn anchor() -> WorldPoint {
    project(LatLon::new(42.7, 113.4))
}

/// The clusters at one zoom step, numbered so that pins of an older clustering are never
/// mistaken for current ones.
#[derive(Debug, Clone, PartialEq)]
struct Clustering {
    generation: u64,
    clusters: Vec<Cluster>,
}

/// A pin in the view: which clustering, which cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct PinKey {
    generation: u64,
    seed: usize,
    index: usize,
}

/// A gesture in progress.
#[derive(Debug, Default)]
struct Gesture {
    /// Pointers down: id and last client position.
    pointers: Vec<(i32, f64, f64)>,
    /// Where the first pointer went down.
    start: (f64, f64),
    /// The map's top-left on the page when the gesture began.
    origin: (f64, f64),
    dragging: bool,
    /// A drag ended on a pin: its click is not a selection.
    swallow_click: bool,
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
    let anchor = anchor();
    let scale = Memo::new(move |_| viewport.with(Viewport::scale));
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
    let selected_index = Memo::new(move |_| {
        let selected = state.selected.get()?;
        state
            .places
            .with(|places| places.iter().position(|p| *p == selected))
    });

    // The transform of everything drawn relative to the anchor: the only thing a pan changes.
    let anchored = move || {
        let (x, y) = viewport.with(|v| v.to_screen(anchor));
        format!("translate({} {})", fixed(x, 2), fixed(y, 2))
    };
    let outline_transform = move || {
        let (x, y) = viewport.with(|v| v.to_screen(anchor));
        format!(
            "translate({} {}) scale({})",
            fixed(x, 2),
            fixed(y, 2),
            fixed(scale.get() / world_scale(OUTLINE_ZOOM), 6)
        )
    };
    let outlines = Memo::new(move |_| {
        let datum = state.datum.get();
        state
            .outlines
            .with_value(|outlines| outline_paths(outlines, datum, anchor))
    });
    let tile_source = Memo::new(move |_| tiles.get().ok().flatten());
    let tile_keys = Memo::new(move |_| {
        if tile_source.with(Option::is_none) {
            return Vec::new();
        }
        viewport.with(|v| {
            v.tiles()
                .iter()
                .map(|t| (t.z, t.x, t.y))
                .collect::<Vec<_>>()
        })
    });

    // Expanding a cluster moves focus to the pin or cluster that now holds its first member,
    // instead of dropping it on the page (what Leaflet.markercluster #273/#1058 complain of).
    let focus_after = RwSignal::new(None::<usize>);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
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

    let expand = move |cluster: &Cluster| {
        let bounds = state.points.with_untracked(|points| cluster.bounds(points));
        let current = viewport.get_untracked();
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
        viewport.set(Viewport { zoom, ..fitted });
    };

    // Measure the map and follow its size; the first measurement shows the home view.
    let frame_ref = NodeRef::<leptos::html::Div>::new();
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
                let _ = viewport.try_update(|v| {
                    v.width = width;
                    v.height = height;
                });
                if refit {
                    let _ = viewport.try_set(state.home_view());
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

    // Every view change the person makes goes through here: from then on a resize keeps their
    // view instead of showing the home view again.
    let user_moves = move |change: &dyn Fn(&mut Viewport)| {
        state.moved.set_value(true);
        viewport.update(|v| change(v));
    };
    let gesture = StoredValue::new_local(Gesture::default());
    let on_pointerdown = move |event: web_sys::PointerEvent| {
        if event.button() != 0 && event.pointer_type() == "mouse" {
            return;
        }
        let Some(svg) = svg_ref.get_untracked() else {
            return;
        };
        let rect = svg.get_bounding_client_rect();
        let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
        let pinching = gesture.with_value(|g| !g.pointers.is_empty());
        gesture.update_value(|g| {
            if g.pointers.is_empty() {
                *g = Gesture {
                    start: (x, y),
                    origin: (rect.left(), rect.top()),
                    ..Gesture::default()
                };
            }
            g.pointers.retain(|(id, _, _)| *id != event.pointer_id());
            g.pointers.push((event.pointer_id(), x, y));
        });
        if pinching {
            let _ = svg.set_pointer_capture(event.pointer_id());
        }
    };
    let on_pointermove = move |event: web_sys::PointerEvent| {
        let (id, x, y) = (
            event.pointer_id(),
            f64::from(event.client_x()),
            f64::from(event.client_y()),
        );
        let Some((before, start_drag, origin)) = gesture
            .try_update_value(|g| {
                let before = g.pointers.clone();
                let index = before.iter().position(|(p, _, _)| *p == id)?;
                g.pointers[index] = (id, x, y);
                let moved = (x - g.start.0).hypot(y - g.start.1);
                let start_drag = !g.dragging && moved > DRAG_THRESHOLD_PX;
                if start_drag {
                    g.dragging = true;
                    g.swallow_click = true;
                }
                Some((before, start_drag, g.origin))
            })
            .flatten()
        else {
            return;
        };
        if start_drag && let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.set_pointer_capture(id);
        }
        let after = gesture.with_value(|g| g.pointers.clone());
        match (before.as_slice(), after.as_slice()) {
            ([(_, x0, y0)], [_]) if gesture.with_value(|g| g.dragging) => {
                user_moves(&|v: &mut Viewport| {
                    *v = v.panned(x - x0, y - y0).kept_within(state.limits)
                });
            }
            ([a0, b0], [a1, b1]) => {
                // Pinch: zoom by the change in finger distance around their midpoint, and pan
                // by the midpoint's movement.
                let (d0, d1) = (
                    (a0.1 - b0.1).hypot(a0.2 - b0.2),
                    (a1.1 - b1.1).hypot(a1.2 - b1.2),
                );
                let mid0 = (
                    (a0.1 + b0.1) / 2.0 - origin.0,
                    (a0.2 + b0.2) / 2.0 - origin.1,
                );
                let mid1 = (
                    (a1.1 + b1.1) / 2.0 - origin.0,
                    (a1.2 + b1.2) / 2.0 - origin.1,
                );
                if d0 > 0.0 && d1 > 0.0 {
                    user_moves(&|v: &mut Viewport| {
                        *v = v
                            .zoomed_at(v.zoom + (d1 / d0).log2(), mid0.0, mid0.1)
                            .panned(mid1.0 - mid0.0, mid1.1 - mid0.1)
                            .kept_within(state.limits)
                    });
                }
            }
            _ => {}
        }
    };
    let on_pointerup = move |event: web_sys::PointerEvent| {
        gesture.update_value(|g| {
            g.pointers.retain(|(id, _, _)| *id != event.pointer_id());
            if g.pointers.is_empty() {
                g.dragging = false;
            }
        });
    };
    let on_wheel = move |event: web_sys::WheelEvent| {
        event.prevent_default();
        let per_unit = match event.delta_mode() {
            1 => 40.0,  // lines
            2 => 800.0, // pages
            _ => 1.0,   // pixels
        };
        let delta = (event.delta_y() * per_unit).clamp(-400.0, 400.0);
        let Some(svg) = svg_ref.get_untracked() else {
            return;
        };
        let rect = svg.get_bounding_client_rect();
        let (x, y) = (
            f64::from(event.client_x()) - rect.left(),
            f64::from(event.client_y()) - rect.top(),
        );
        user_moves(&|v: &mut Viewport| {
            *v = v
                .zoomed_at(v.zoom - delta / 300.0, x, y)
                .kept_within(state.limits)
        });
    };
    let zoom_by = move |steps: f64| {
        user_moves(&|v: &mut Viewport| {
            *v = v.zoomed_at(v.zoom + steps, v.width / 2.0, v.height / 2.0)
        });
    };
    // Placing a location: the screen point back to the world, to WGS-84 (undoing GCJ-02 when
    // the tiles are shifted), announced to the host.
    let place_at = move |x: f64, y: f64| {
        let world = viewport.with_untracked(|v| v.to_world(x, y));
        let shown = unproject(world);
        let position = match state.datum.get_untracked() {
            Datum::Gcj02 => gcj02_to_wgs84(shown),
            Datum::Wgs84 => shown,
        };
        marker.set(Some(position));
        on_pick.run(position);
    };
    let on_click = move |event: web_sys::MouseEvent| {
        if !pick.get_untracked()
            || gesture.try_update_value(|g| std::mem::take(&mut g.swallow_click)) == Some(true)
        {
            return;
        }
        // A click on a pin selects it; only the map itself places.
        let on_pin = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[data-key]").ok().flatten())
            .is_some();
        let Some(svg) = svg_ref.get_untracked() else {
            return;
        };
        if on_pin {
            return;
        }
        let rect = svg.get_bounding_client_rect();
        place_at(
            f64::from(event.client_x()) - rect.left(),
            f64::from(event.client_y()) - rect.top(),
        );
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        let on_map_itself = event
            .target()
            .zip(svg_ref.get_untracked())
            .is_some_and(|(target, svg)| JsValue::from(target) == JsValue::from(svg));
        if pick.get_untracked() && on_map_itself && event.key() == "Enter" {
            event.prevent_default();
            let (width, height) = viewport.with_untracked(|v| (v.width, v.height));
            place_at(width / 2.0, height / 2.0);
            return;
        }
        let pan = |dx: f64, dy: f64| {
            user_moves(&|v: &mut Viewport| *v = v.panned(dx, dy).kept_within(state.limits))
        };
        match event.key().as_str() {
            "ArrowLeft" => pan(KEY_PAN_PX, 0.0),
            "ArrowRight" => pan(-KEY_PAN_PX, 0.0),
            "ArrowUp" => pan(0.0, KEY_PAN_PX),
            "ArrowDown" => pan(0.0, -KEY_PAN_PX),
            "+" | "=" => zoom_by(1.0),
            "-" | "_" => zoom_by(-1.0),
            _ => return,
        }
        event.prevent_default();
    };

    let pin = {
        let loaded = loaded.clone();
        move |key: PinKey| {
            let Some(cluster) = clustering.with_untracked(|c| c.clusters.get(key.index).cloned())
            else {
                return ().into_any();
            };
            let center = cluster.center;
            let position = move || {
                let s = scale.get();
                format!(
                    "translate({} {})",
                    fixed((center.x - anchor.x) * s, 2),
                    fixed((center.y - anchor.y) * s, 2)
                )
            };
            let members: Arc<[usize]> = cluster.members.clone().into();
            let has_selected = {
                let members = members.clone();
                move || selected_index.get().is_some_and(|i| members.contains(&i))
            };
            // Clusters index the places they were computed from; a mismatch would be a bug, and
            // an empty pin is a better outcome than a panic that stops every widget on the page.
            let single = state
                .places
                .with_untracked(|p| p.get(cluster.key()).copied())
                .filter(|_| cluster.is_single());
            if let Some(place) = single {
                let partner = place.partner(&loaded.catalogue).clone();
                let location = place.location(&loaded.catalogue).clone();
                let label = move || {
                    let lang = lang.get();
                    match &location.name {
                        Some(name) => format!("{} · {}", partner.name.get(lang), name.get(lang)),
                        None => partner.name.get(lang).to_string(),
                    }
                };
                let activate = move || {
                    if gesture.try_update_value(|g| std::mem::take(&mut g.swallow_click))
                        != Some(true)
                    {
                        select.run((place, false));
                    }
                };
                view! {
                    <g
                        class="pin"
                        class:selected=has_selected.clone()
                        role="button"
                        tabindex="0"
                        data-key=key.seed
                        data-location=place.location(&loaded.catalogue).id.clone()
                        aria-label=label
                        aria-pressed=move || bool_attr(has_selected())
                        transform=position
                        on:click=move |_| activate()
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
            } else {
                let count = cluster.len();
                let radius = 16.0 + (count as f64).log10() * 5.0;
                let cluster = Arc::new(cluster);
                let activate = move || {
                    if gesture.try_update_value(|g| std::mem::take(&mut g.swallow_click))
                        != Some(true)
                    {
                        expand(&cluster);
                    }
                };
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
                        transform=position
                        on:click={
                            let activate = activate.clone();
                            move |_| activate()
                        }
                        on:keydown={
                            move |event| {
                                if matches!(event.key().as_str(), "Enter" | " ") {
                                    event.prevent_default();
                                    activate();
                                }
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
    };

    let me = move || match state.near.get() {
        NearMe::Found(position) => {
            let point = display_point(position, state.datum.get());
            Some(view! {
                <circle
                    class="me"
                    r="8"
                    role="img"
                    aria-label=tr(lang, MapUi::YouAreHere)
                    cx=move || fixed((point.x - anchor.x) * scale.get(), 2)
                    cy=move || fixed((point.y - anchor.y) * scale.get(), 2)
                ></circle>
            })
        }
        _ => None,
    };

    let tile_images = move || {
        tile_source.get().map(|source| {
            let layers = source.layers.clone();
            view! {
                <g class="tiles" transform=anchored aria-hidden="true">
                    <For each=move || tile_keys.get() key=|tile| *tile let:tile>
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
    };
    let credit = move || {
        let lang = lang.get();
        let base = MapUi::BaseMapCredit.get(lang).to_string();
        match tile_source.get() {
            Some(source) if !source.credit(lang).is_empty() => {
                format!("{} · {base}", source.credit(lang))
            }
            _ => base,
        }
    };
    let has_tiles = move || tile_source.with(Option::is_some);

    view! {
        <div class="map-area">
            <div class="frame" part="map" node_ref=frame_ref>
                <svg
                    node_ref=svg_ref
                    class="map"
                    class:tiled=has_tiles
                    tabindex="0"
                    role="group"
                    aria-label=move || {
                        if pick.get() { MapUi::PickLabel } else { MapUi::MapLabel }.get(lang.get())
                    }
                    class:picking=pick
                    viewBox=move || viewport.with(|v| format!("0 0 {} {}", fixed(v.width.max(1.0), 0), fixed(v.height.max(1.0), 0)))
                    on:pointerdown=on_pointerdown
                    on:pointermove=on_pointermove
                    on:pointerup=on_pointerup
                    on:pointercancel=on_pointerup
                    on:wheel=on_wheel
                    on:keydown=on_keydown
                    on:click=on_click
                >
                    {tile_images}
                    <g class="outlines" transform=outline_transform aria-hidden="true">
                        {move || {
                            outlines
                                .get()
                                .into_iter()
                                .map(|(code, d)| view! { <path data-region=code d=d vector-effect="non-scaling-stroke"></path> })
                                .collect_view()
                        }}
                    </g>
                    <g class="pins" transform=anchored>
                        <For each=move || visible.get() key=|key| *key let:key>
                            {pin.clone()(key)}
                        </For>
                        {me}
                        {move || marker.get().map(|position| {
                            let point = display_point(position, state.datum.get());
                            let s = scale.get();
                            view! {
                                <g
                                    class="picked"
                                    aria-hidden="true"
                                    transform=format!("translate({} {})", fixed((point.x - anchor.x) * s, 2), fixed((point.y - anchor.y) * s, 2))
                                >
                                    <circle r="9"></circle>
                                    <path d="M-16 0H-5M5 0H16M0 -16V-5M0 5V16"></path>
                                </g>
                            }
                        })}
                    </g>
                </svg>
                <div class="controls">
                    <button type="button" class="zoom-in" aria-label=tr(lang, MapUi::ZoomIn) on:click=move |_| zoom_by(1.0)>
                        "+"
                    </button>
                    <button type="button" class="zoom-out" aria-label=tr(lang, MapUi::ZoomOut) on:click=move |_| zoom_by(-1.0)>
                        "−"
                    </button>
                    <button type="button" class="reset" on:click=move |_| {
                        state.moved.set_value(false);
                        viewport.set(state.home_view());
                    }>
                        {tr(lang, MapUi::ResetView)}
                    </button>
                </div>
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
            <p class="credit">{credit}</p>
        </div>
    }
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
