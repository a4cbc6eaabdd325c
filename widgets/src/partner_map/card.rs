//! The card of the selected location: who the partner is, its honours, where it is, what it
//! offers, and how to get there.

use chrono::NaiveDate;
use guanai_core::decimal::fixed;
use guanai_core::describe;
use guanai_core::geo::LatLon;
use guanai_core::i18n::{MapUi, fill};
use guanai_core::places::{Place, distance_label};
use guanai_core::{Lang, regions};
use leptos::prelude::*;

use super::view::NearMe;
use crate::benefit_finder::Loaded;
use crate::element::tr;

/// The partner card.
#[component]
pub fn PlaceCard(
    /// The catalogue the place belongs to.
    loaded: Loaded,
    /// The selected location.
    place: Place,
    /// Language of labels.
    lang: Signal<Lang>,
    /// Where the person is, if they asked ("near me"), for the distance and Baidu's route.
    near: RwSignal<NearMe>,
    /// Selector of a finder on the page to show this partner's offers in.
    finder: Signal<Option<String>>,
    /// Today in Asia/Shanghai: only offers valid today are listed.
    today: NaiveDate,
    /// Closes the card (clears the selection).
    close: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let partner = place.partner(&loaded.catalogue).clone();
    let location = place.location(&loaded.catalogue).clone();
    let benefits: Vec<_> = loaded
        .catalogue
        .benefits
        .iter()
        .filter(|b| b.partner == partner.id && b.is_valid_on(today))
        .cloned()
        .collect();
    let heading_id = format!("card-{}", location.id);
    let region = regions::find(&location.region).map(|r| r.name());
    let partner_id = partner.id.clone();
    let show_in_finder = move |_| {
        let Some(selector) = finder.get_untracked() else {
            return;
        };
        let target = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten());
        if let Some(target) = target {
            let _ = target.set_attribute("partner", &partner_id);
            target.scroll_into_view();
        }
    };

    let (labelled_by, location_id) = (heading_id.clone(), location.id.clone());
    view! {
        <article class="card" part="card" aria-labelledby=labelled_by data-location=location_id>
            {move || {
                let lang = lang.get();
                let name = partner.name.get(lang).to_string();
                let branch = location.name.as_ref().map(|n| n.get(lang).to_string());
                let origin = match near.get() {
                    NearMe::Found(position) => Some(position),
                    _ => None,
                };
                let distance = origin.map(|from| {
                    let km = guanai_core::geo::great_circle_km(from, LatLon::new(location.lat, location.lon));
                    fill(MapUi::Distance.get(lang), &[("d", &distance_label(km))])
                });
                let amap = describe::amap_directions(&location, &name, encode);
                let baidu = describe::baidu_directions(
                    &location,
                    &name,
                    describe::province_zh(&location),
                    origin,
                    encode,
                );
                view! {
                    <h3 id=heading_id.clone()>{name.clone()}</h3>
                    {branch.map(|b| view! { <p class="branch">{b}</p> })}
                    <p class="meta">
                        <span class="badge kind">{partner.kind.label().get(lang).to_string()}</span>
                        {partner
                            .awards
                            .iter()
                            .map(|award| view! {
                                <span class="badge award">{format!("{} {}", award.year, award.title.get(lang))}</span>
                            })
                            .collect_view()}
                    </p>
                    <dl>
                        <dt>{MapUi::Address.get(lang)}</dt>
                        <dd>
                            {location.address.get(lang).to_string()}
                            {region.as_ref().map(|name| match lang {
                                Lang::ZhCn => format!("（{}）", name.get(lang)),
                                Lang::En => format!(" ({})", name.get(lang)),
                            })}
                            {distance.map(|d| view! { <span class="distance">{format!(" · {d}")}</span> })}
                        </dd>
                        <dt>{MapUi::Benefits.get(lang)}</dt>
                        <dd>
                            {if benefits.is_empty() {
                                view! { <p>{MapUi::NoBenefits.get(lang)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="offers">
                                        {benefits
                                            .iter()
                                            .map(|b| view! {
                                                <li data-benefit=b.id.clone()>
                                                    <span class="badge">{b.area.label().get(lang).to_string()}</span>
                                                    " "
                                                    {b.title.get(lang).to_string()}
                                                </li>
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                        </dd>
                        <dt>{MapUi::Directions.get(lang)}</dt>
                        <dd class="directions">
                            <a href=amap target="_blank" rel="noopener noreferrer">{MapUi::AmapDirections.get(lang)}</a>
                            <a href=baidu target="_blank" rel="noopener noreferrer">{MapUi::BaiduDirections.get(lang)}</a>
                        </dd>
                        <dt>{MapUi::Coordinates.get(lang)}</dt>
                        <dd class="coordinates">{format!("{}, {}", fixed(location.lat, 5), fixed(location.lon, 5))}</dd>
                    </dl>
                }
            }}
            <div class="actions">
                {move || finder.get().map(|_| view! {
                    <button type="button" class="button" on:click=show_in_finder.clone()>
                        {tr(lang, MapUi::SeeInFinder)}
                    </button>
                })}
                <button type="button" class="button secondary" on:click=move |_| close()>
                    {tr(lang, MapUi::CloseCard)}
                </button>
            </div>
        </article>
    }
}

/// A URI component, percent-encoded by the browser (no encoder of our own in the wasm).
fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}
