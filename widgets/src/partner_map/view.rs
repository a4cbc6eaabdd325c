//! The map widget over a loaded catalogue: filters, the map, the partner card and the list,
//! all driven by one [`MapState`] so that a selection made in either place shows in both.

use guanai_core::boundaries::{self, Outline};
use guanai_core::cluster::cluster;
use guanai_core::decimal::fixed;
use guanai_core::geo::{
    LatLon, Viewport, WorldBounds, WorldPoint, project, wgs84_to_gcj02, world_scale,
};
use guanai_core::i18n::{MapUi, Ui, fill};
use guanai_core::places::{self, Place, PlaceFilter};
use guanai_core::{Lang, ServiceArea};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::MapOptions;
use super::canvas::MapCanvas;
use super::card::PlaceCard;
use super::list::PlaceList;
use super::locate::{LocateError, current_position};
use super::pins::{PIN_RADIUS_PX, zoom_step};
use super::tiles::Datum;
use crate::benefit_finder::{Loaded, Presets};
use crate::element::{Host, now, tr};
use crate::filters::{AreaChips, RegionSelect};

/// Where "near me" stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NearMe {
    Off,
    Locating,
    Found(LatLon),
    Failed(LocateError),
}

/// The map's shared state: what is shown, what is selected, and the view.
#[derive(Debug, Clone, Copy)]
pub struct MapState {
    /// The locations passing the filters, in catalogue order.
    pub places: Memo<Vec<Place>>,
    /// Where each of `places` is drawn, in world units (GCJ-02-shifted on AMap/Tencent tiles).
    pub points: Memo<Vec<WorldPoint>>,
    /// The selected location, shown in the card and highlighted on the map and in the list.
    pub selected: RwSignal<Option<Place>>,
    pub viewport: RwSignal<Viewport>,
    /// The view "show all" returns to: the filtered locations, or the three provinces.
    pub home: Memo<WorldBounds>,
    /// The map may not be dragged away from these bounds (the three provinces, with a margin).
    pub limits: WorldBounds,
    pub near: RwSignal<NearMe>,
    pub datum: Memo<Datum>,
    /// Whether the person has moved the map: until then, a resize shows the home view again.
    pub moved: StoredValue<bool>,
    /// The province outlines, parsed once per map: the bounds and the drawing both use them.
    pub outlines: StoredValue<Vec<Outline>>,
}

impl MapState {
    /// Where `position` is drawn under the current tiles.
    pub fn display_point(&self, position: LatLon) -> WorldPoint {
        display_point(position, self.datum.get_untracked())
    }

    /// The view that shows the whole of `home` in the current map size.
    pub fn home_view(&self) -> Viewport {
        let current = self.viewport.get_untracked();
        Viewport::fit(
            self.home.get_untracked(),
            current.width,
            current.height,
            // Pins stand up to 31 px above their point; clusters are up to 24 px wide.
            44.0,
            12.0,
        )
    }

    /// Centres the map on `place`, zooming in until it stands alone rather than in a cluster.
    pub fn reveal(&self, place: Place) {
        let Some(index) = self
            .places
            .with_untracked(|all| all.iter().position(|p| *p == place))
        else {
            return;
        };
        let mut view = self.viewport.get_untracked();
        self.points.with_untracked(|points| {
            while view.zoom < Viewport::MAX_ZOOM {
                let alone = cluster(points, world_scale(zoom_step(view.zoom)), PIN_RADIUS_PX)
                    .iter()
                    .any(|c| c.is_single() && c.key() == index);
                if alone {
                    break;
                }
                view.zoom = (view.zoom.floor() + 1.0).min(Viewport::MAX_ZOOM);
            }
            if let Some(point) = points.get(index) {
                view.center = *point;
            }
        });
        self.moved.set_value(true);
        self.viewport.set(view.kept_within(self.limits));
    }
}

/// `position` in world units as drawn on tiles of `datum`.
pub fn display_point(position: LatLon, datum: Datum) -> WorldPoint {
    match datum {
        Datum::Wgs84 => project(position),
        Datum::Gcj02 => project(wgs84_to_gcj02(position)),
    }
}

impl MapState {
    /// The state of a map over `loaded`, showing the locations that pass `areas`, `region` and
    /// the host's presets, drawn for `options`' tiles.
    fn new(
        loaded: &Loaded,
        areas: RwSignal<Vec<ServiceArea>>,
        region: RwSignal<Option<String>>,
        presets: Presets,
        options: MapOptions,
        today: chrono::NaiveDate,
    ) -> MapState {
        let places = Memo::new({
            let loaded = loaded.clone();
            move |_| {
                places::matching(
                    &loaded.catalogue,
                    &PlaceFilter {
                        areas: areas.get(),
                        region: region.get(),
                        partner: presets.partner.get(),
                        valid_on: Some(today),
                    },
                )
            }
        });
        let datum = Memo::new(move |_| match options.tiles.get() {
            Ok(Some(source)) => source.datum,
            _ => Datum::Wgs84,
        });
        let points = Memo::new({
            let loaded = loaded.clone();
            move |_| {
                let datum = datum.get();
                places.with(|places| {
                    places
                        .iter()
                        .map(|place| display_point(place.position(&loaded.catalogue), datum))
                        .collect::<Vec<_>>()
                })
            }
        });
        let outlines = boundaries::provinces();
        let provinces = WorldBounds::around(
            outlines
                .iter()
                .flat_map(|outline| outline.rings.iter().flatten())
                .map(|position| project(*position)),
        )
        .unwrap_or(WorldBounds {
            min: project(LatLon::new(42.7, 113.4)),
            max: project(LatLon::new(36.0, 119.9)),
        });
        let home = Memo::new(move |_| {
            points.with(|points| WorldBounds::around(points.iter().copied()).unwrap_or(provinces))
        });
        MapState {
            places,
            points,
            selected: RwSignal::new(None),
            viewport: RwSignal::new(Viewport::fit(provinces, 640.0, 400.0, 32.0, 12.0)),
            home,
            limits: provinces,
            near: RwSignal::new(NearMe::Off),
            datum,
            moved: StoredValue::new(false),
            outlines: StoredValue::new(outlines),
        }
    }

    /// "Near me": asks the browser where the person is, then sorts the list by distance and,
    /// when they are in the region, centres the map on them.
    fn locate(self) {
        let state = self;
        state.near.set(NearMe::Locating);
        spawn_local(async move {
            let found = current_position().await;
            let _ = state.near.try_set(match found {
                Ok(position) => NearMe::Found(position),
                Err(error) => NearMe::Failed(error),
            });
            if let Ok(position) = found {
                // Centre on the person when they are in the region; from elsewhere (a traveller,
                // a VPN exit) the map stays over the partners and only the list re-sorts.
                let center = state.display_point(position);
                let limits = state.limits;
                let in_region = (limits.min.x..=limits.max.x).contains(&center.x)
                    && (limits.min.y..=limits.max.y).contains(&center.y);
                if in_region {
                    let _ = state.moved.try_set_value(true);
                    let _ = state.viewport.try_update(|view| {
                        *view = Viewport {
                            center,
                            zoom: view.zoom.max(11.0),
                            ..*view
                        }
                    });
                }
            }
        });
    }
}

/// The map, its filters, the card of the selected location and the list of locations.
#[component]
pub fn MapView(
    /// The catalogue and its search index.
    loaded: Loaded,
    /// Language of every label.
    lang: Signal<Lang>,
    /// Filters fixed by the host page (`area`, `region`, `partner`).
    presets: Presets,
    /// Tiles and the linked finder.
    options: MapOptions,
    /// The custom element, for `guanai:select`.
    host: Host,
) -> impl IntoView {
    let areas = RwSignal::new(presets.areas.get_untracked());
    let region = RwSignal::new(presets.region.get_untracked());
    Effect::new(move |_| areas.set(presets.areas.get()));
    Effect::new(move |_| region.set(presets.region.get()));
    let today = guanai_core::time::shanghai_date(now());
    let state = MapState::new(&loaded, areas, region, presets, options, today);
    let places = state.places;

    // A filter change that hides the selected location clears the selection and shows the
    // locations that remain.
    Effect::new(move |previous: Option<()>| {
        places.track();
        if previous.is_some() {
            let still_shown = state
                .selected
                .get_untracked()
                .is_none_or(|selected| places.with_untracked(|all| all.contains(&selected)));
            if !still_shown {
                state.selected.set(None);
            }
            state.viewport.set(state.home_view());
        }
    });

    let select = Callback::new({
        let (loaded, host) = (loaded.clone(), host.clone());
        move |(place, reveal): (Place, bool)| {
            state.selected.set(Some(place));
            if reveal {
                state.reveal(place);
            }
            let id = place.location(&loaded.catalogue).id.clone();
            host.dispatch("guanai:select", &[("kind", "location"), ("id", &id)]);
        }
    });

    let locate = move |_| state.locate();

    let count = move || {
        let n = places.with(Vec::len);
        let lang = lang.get();
        if n == 1 {
            MapUi::PlaceCountOne.get(lang).to_string()
        } else {
            fill(MapUi::PlaceCount.get(lang), &[("n", &n.to_string())])
        }
    };
    let near_status = move || match state.near.get() {
        NearMe::Locating => Some(MapUi::Locating),
        NearMe::Found(_) => Some(MapUi::NearMeSorted),
        _ => None,
    };
    let near_problem = move || match state.near.get() {
        NearMe::Failed(error) => Some(error.message()),
        _ => None,
    };
    let selected_name = {
        let loaded = loaded.clone();
        move || {
            let place = state.selected.get()?;
            let name = place.partner(&loaded.catalogue).name.get(lang.get());
            Some(fill(MapUi::Selected.get(lang.get()), &[("name", name)]))
        }
    };
    let sample = loaded.catalogue.sample;
    let card_loaded = loaded.clone();

    view! {
        <h2>{tr(lang, MapUi::MapName)}</h2>
        <Show when=move || sample>
            <p class="notice">{tr(lang, Ui::SampleData)}</p>
        </Show>
        <div class="filters" part="filters">
            <AreaChips areas lang id_prefix="map" />
            <div class="selects">
                <RegionSelect region lang id_prefix="map" />
            </div>
            <div class="toggles">
                <button
                    type="button"
                    class="button secondary near-me"
                    aria-busy=move || crate::element::bool_attr(state.near.get() == NearMe::Locating)
                    on:click=locate
                >
                    {tr(lang, MapUi::NearMe)}
                </button>
            </div>
        </div>
        <p class="count" role="status" aria-live="polite">
            {count}
            {move || near_status().map(|status| format!(" {}", status.get(lang.get())))}
        </p>
        {move || near_problem().map(|problem| view! { <p class="problem" role="alert">{problem.get(lang.get())}</p> })}
        <p class="visually-hidden" aria-live="polite">{selected_name}</p>
        <div class="layout">
            <MapCanvas
                loaded=loaded.clone()
                state
                lang
                tiles=options.tiles
                select
                pick=options.pick
                picked=options.picked
                on_pick=Callback::new({
                    let host = host.clone();
                    move |position: LatLon| {
                        host.dispatch(
                            "guanai:pick",
                            &[
                                ("lat", &fixed(position.lat, 6)),
                                ("lon", &fixed(position.lon, 6)),
                            ],
                        )
                    }
                })
            />
            <div class="side">
                {move || {
                    state.selected.get().map(|place| {
                        view! {
                            <PlaceCard
                                loaded=card_loaded.clone()
                                place
                                lang
                                near=state.near
                                finder=options.finder
                                today
                                close=move || state.selected.set(None)
                            />
                        }
                    })
                }}
                <Show when=move || places.with(Vec::is_empty)>
                    <p class="state">{tr(lang, MapUi::NoPlaces)}</p>
                </Show>
                <PlaceList loaded state lang select />
            </div>
        </div>
    }
}
