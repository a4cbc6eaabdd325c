//! The list of locations: the map's accessible twin. Same filters, same selection; a plain
//! list of buttons that keyboard and screen-reader users can move through, sorted by distance
//! once "near me" knows where they are.

use guanai_core::Lang;
use guanai_core::i18n::{MapUi, Ui, fill};
use guanai_core::places::{Place, distance_label, nearest_first};
use guanai_core::regions;
use leptos::prelude::*;

use super::view::{MapState, NearMe};
use crate::benefit_finder::Loaded;
use crate::element::bool_attr;
use crate::element::tr;

/// How many locations are listed at first, and added by each "show more".
pub const LIST_PAGE: usize = 30;

/// The list beside or below the map.
#[component]
pub fn PlaceList(
    /// The catalogue, for names and addresses.
    loaded: Loaded,
    /// Places, selection and "near me".
    state: MapState,
    /// Language of labels.
    lang: Signal<Lang>,
    /// Selects a location: `(place, reveal)`.
    select: Callback<(Place, bool)>,
) -> impl IntoView {
    let ordered = Memo::new({
        let loaded = loaded.clone();
        move |_| match state.near.get() {
            NearMe::Found(from) => state.places.with(|places| {
                nearest_first(&loaded.catalogue, places, from)
                    .into_iter()
                    .map(|(place, km)| (place, Some(km)))
                    .collect::<Vec<_>>()
            }),
            _ => state
                .places
                .with(|places| places.iter().map(|p| (*p, None)).collect::<Vec<_>>()),
        }
    });
    let shown = RwSignal::new(LIST_PAGE);
    // A location selected on the map is always in the rendered part of the list.
    Effect::new(move |_| {
        let Some(selected) = state.selected.get() else {
            return;
        };
        let at = ordered.with_untracked(|all| all.iter().position(|(p, _)| *p == selected));
        if let Some(at) = at
            && at >= shown.get_untracked()
        {
            shown.set((at / LIST_PAGE + 1) * LIST_PAGE);
        }
    });
    let visible = move || {
        ordered.with(|all| {
            all.iter()
                .take(shown.get())
                .map(|(place, km)| (*place, km.map(|km| (km * 1000.0).round() as u64)))
                .collect::<Vec<_>>()
        })
    };
    let remaining = move || ordered.with(Vec::len).saturating_sub(shown.get());

    view! {
        <ul class="places" part="list" aria-label=tr(lang, MapUi::ListName)>
            <For each=visible key=|item| *item let:item>
                {
                    let (place, metres) = item;
                    let partner = place.partner(&loaded.catalogue).clone();
                    let location = place.location(&loaded.catalogue).clone();
                    let region = regions::find(&location.region).map(|r| r.name());
                    let is_selected = move || state.selected.get() == Some(place);
                    view! {
                        <li>
                            <button
                                type="button"
                                class="place"
                                data-location=location.id.clone()
                                aria-pressed=move || bool_attr(is_selected())
                                on:click=move |_| select.run((place, true))
                            >
                                {move || {
                                    let lang = lang.get();
                                    let branch = location.name.as_ref().map(|n| n.get(lang).to_string());
                                    let place_line = [
                                        branch,
                                        region.as_ref().map(|r| r.get(lang).to_string()),
                                    ]
                                    .into_iter()
                                    .flatten()
                                    .collect::<Vec<_>>()
                                    .join(" · ");
                                    view! {
                                        <span class="name">{partner.name.get(lang).to_string()}</span>
                                        <span class="where">{place_line}</span>
                                        {metres.map(|m| view! {
                                            <span class="distance">
                                                {fill(MapUi::Distance.get(lang), &[("d", &distance_label(m as f64 / 1000.0))])}
                                            </span>
                                        })}
                                    }
                                }}
                            </button>
                        </li>
                    }
                }
            </For>
        </ul>
        <Show when=move || { remaining() > 0 }>
            <div class="more">
                <button type="button" class="button secondary" on:click=move |_| shown.update(|n| *n += LIST_PAGE)>
                    {move || fill(Ui::ShowMore.get(lang.get()), &[("n", &remaining().to_string())])}
                </button>
            </div>
        </Show>
    }
}
