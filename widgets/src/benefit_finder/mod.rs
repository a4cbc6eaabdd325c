//! `<guanai-benefit-finder>`: search the published benefits by keyword, service area, region,
//! qualification level and validity.
//!
//! [`BenefitFinder`] loads the catalogue and shows loading / error states; [`FinderView`] is the
//! finder itself over an already loaded catalogue (what the browser tests mount directly).

mod card;
mod link;
mod view;

use std::sync::Arc;

use guanai_core::i18n::Ui;
use guanai_core::{Lang, ServiceArea, regions};
use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::api::LoadedCatalogue;
use crate::element::tr;
use crate::element::{self, Attributes, Host, Widget};
use crate::loading::WithCatalogue;
pub use view::{FinderView, PAGE};

/// Attributes of `<guanai-benefit-finder>` that take effect when changed after mount.
pub const ATTRIBUTES: &[&str] = &["api", "lang", "area", "region", "partner", "link-state"];

/// Filters fixed by the host page through attributes.
#[derive(Debug, Clone, Copy)]
pub struct Presets {
    /// `area="health"` or `area="health,family"`; unknown codes are ignored.
    pub areas: Signal<Vec<ServiceArea>>,
    /// `region="110105"`; codes outside Jing-Jin-Ji are ignored.
    pub region: Signal<Option<String>>,
    /// `partner="weier-dental"`: the finder shows only this partner's offers.
    pub partner: Signal<Option<String>>,
    /// `link-state`: the search, filters and open benefit live in the host page's URL fragment
    /// under the element's id (read once, at mount).
    pub link_state: bool,
}

impl Presets {
    /// Reads the presets from the element's attribute signals.
    pub fn from_attributes(attributes: &Attributes) -> Presets {
        let (area, region, partner) = (
            attributes.get("area"),
            attributes.get("region"),
            attributes.get("partner"),
        );
        Presets {
            link_state: attributes.get("link-state").get_untracked().is_some(),
            areas: Signal::derive(move || {
                area.get()
                    .unwrap_or_default()
                    .split([',', ' '])
                    .filter_map(|code| code.parse().ok())
                    .collect()
            }),
            region: Signal::derive(move || {
                region
                    .get()
                    .map(|code| code.trim().to_string())
                    .filter(|code| regions::find(code).is_some())
            }),
            partner: Signal::derive(move || {
                partner
                    .get()
                    .map(|id| id.trim().to_string())
                    .filter(|id| !id.is_empty())
            }),
        }
    }
}

/// Mounts a finder for the custom element `host` into `root` (a `<div>` in its shadow root).
/// `default_api` is where `guanai.js` came from, used when the element has no `api` attribute.
pub fn mount(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    element::mount(host, root, ATTRIBUTES, move |attributes, host| {
        let (api, lang) = attributes.api_and_lang(default_api);
        let presets = Presets::from_attributes(&attributes);
        view! { <BenefitFinder api lang presets host /> }
    })
}

/// The finder with its data loading: fetches the catalogue from `api`, shows a loading state,
/// then the finder, or an error with a retry button.
#[component]
pub fn BenefitFinder(
    /// Base URL of the edge API, e.g. `https://edge.example`.
    api: Signal<String>,
    /// Language of every label.
    lang: Signal<Lang>,
    /// Filters fixed by the host page.
    presets: Presets,
    /// The custom element, for `guanai:ready` / `guanai:error` / `guanai:select`.
    host: Host,
) -> impl IntoView {
    // The cards link to the plain catalogue pages of the same edge (share, print).
    provide_context(FinderApi(api));
    view! {
        <section class="guanai finder" lang=move || lang.get().tag() aria-label=tr(lang, Ui::FinderName)>
            <WithCatalogue api lang host=host.clone() ready=move |loaded| {
                view! { <FinderView loaded lang presets host=host.clone() /> }.into_any()
            } />
        </section>
    }
}

/// The edge the finder reads, for the cards' links to `/catalog/<benefit-id>`; absent where a
/// test mounts [`FinderView`] alone (the cards then offer no link).
#[derive(Debug, Clone, Copy)]
pub struct FinderApi(pub Signal<String>);

/// A loaded catalogue for [`FinderView`], shared by every card.
pub type Loaded = Arc<LoadedCatalogue>;
