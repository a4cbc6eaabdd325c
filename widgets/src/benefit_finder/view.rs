//! The finder over a loaded catalogue: search box, filters, result count and result list.
//!
//! Smooth at 10,000 benefits: a keystroke re-runs the search in Rust (a scan of prepared
//! strings) and the list renders only the first [`PAGE`] matches, keyed by benefit, so rows that
//! still match are kept and never rebuilt. "Show more" renders the next page.

use guanai_core::i18n::{Ui, fill};
use guanai_core::search::Filter;
use guanai_core::{Lang, QualificationLevel};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::card::BenefitCard;
use super::link::{self, Linked};
use super::{Loaded, Presets};
use crate::element::{Host, bool_attr, now, tr};
use crate::filters::{AreaChips, RegionSelect};
use guanai_core::link_state::FinderState;

/// How many result cards are rendered at first, and added by each "show more".
pub const PAGE: usize = 20;

/// The finder itself, over an already loaded catalogue.
#[component]
pub fn FinderView(
    /// The catalogue and its search index.
    loaded: Loaded,
    /// Language of every label.
    lang: Signal<Lang>,
    /// Filters fixed by the host page.
    presets: Presets,
    /// The custom element, for `guanai:select`.
    host: Host,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let areas = RwSignal::new(presets.areas.get_untracked());
    let region = RwSignal::new(presets.region.get_untracked());
    let level = RwSignal::new(None::<QualificationLevel>);
    let valid_now = RwSignal::new(true);
    // Attribute changes after mount reset the matching filter.
    Effect::new(move |_| areas.set(presets.areas.get()));
    Effect::new(move |_| region.set(presets.region.get()));

    let today = guanai_core::time::shanghai_date(now());
    let filter = Memo::new(move |_| Filter {
        query: query.get(),
        areas: areas.get(),
        region: region.get(),
        partner: presets.partner.get(),
        level: level.get(),
        valid_on: valid_now.get().then_some(today),
    });
    let results = Memo::new({
        let loaded = loaded.clone();
        move |_| filter.with(|filter| loaded.index.search(&loaded.catalogue, filter))
    });
    // With `link-state` (and an id to file it under), the host's URL fragment holds all this.
    let opened = RwSignal::new(None::<String>);
    let linked = presets.link_state.then(|| host.id()).flatten().map(|id| {
        let baseline = FinderState {
            areas: presets.areas.get_untracked(),
            region: presets.region.get_untracked(),
            ..FinderState::default()
        };
        let signals = Linked {
            query,
            areas,
            region,
            level,
            valid_now,
            opened,
        };
        link::bind(id, signals, baseline);
        opened
    });
    let shown = RwSignal::new(PAGE);
    Effect::new(move |_| {
        filter.track();
        shown.set(PAGE);
    });

    let clear = move |_| {
        query.set(String::new());
        areas.set(presets.areas.get_untracked());
        region.set(presets.region.get_untracked());
        level.set(None);
        valid_now.set(true);
    };
    let sample = loaded.catalogue.sample;
    let partner_name = {
        let loaded = loaded.clone();
        move || {
            let id = presets.partner.get()?;
            let partner = loaded.catalogue.partner(&id)?;
            Some(format!(
                "{}：{}",
                Ui::Partner.get(lang.get()),
                partner.name.get(lang.get())
            ))
        }
    };
    // On a phone the filters fold behind one control, so the first results are on the first
    // screen; from 540 px of widget width (finder.css) they stay open and the control is gone.
    let filters_open = RwSignal::new(false);
    let active = Signal::derive(move || {
        areas.with(Vec::len)
            + usize::from(region.with(Option::is_some))
            + usize::from(level.with(Option::is_some))
    });
    let visible =
        move || results.with(|found| found.iter().take(shown.get()).copied().collect::<Vec<_>>());
    let remaining = move || results.with(Vec::len).saturating_sub(shown.get());

    view! {
        <h2>{tr(lang, Ui::FinderName)}</h2>
        {move || partner_name().map(|name| view! { <p class="partner-scope">{name}</p> })}
        // Plain optional views rather than `<Show>`: the same DOM for less code (≈ 0.3 KB brotli).
        {sample.then(|| view! { <p class="notice">{tr(lang, Ui::SampleData)}</p> })}
        <div class="search" part="search" role="search">
            <label for="finder-query">{tr(lang, Ui::SearchLabel)}</label>
            <input
                id="finder-query"
                type="search"
                enterkeyhint="search"
                autocomplete="off"
                placeholder=tr(lang, Ui::SearchPlaceholder)
                prop:value=move || query.get()
                on:input=move |event| {
                    // Pinyin being composed is not a search term yet: wait for compositionend.
                    let composing = event
                        .dyn_ref::<web_sys::InputEvent>()
                        .is_some_and(web_sys::InputEvent::is_composing);
                    if !composing {
                        query.set(event_target_value(&event));
                    }
                }
                on:compositionend=move |event| query.set(event_target_value(&event))
            />
        </div>
        <FiltersToggle open=filters_open active lang />
        <div class="filters" part="filters" id="finder-filters" data-open=move || bool_attr(filters_open.get())>
            <AreaChips areas lang id_prefix="finder" />
            <div class="selects">
                <RegionSelect region lang id_prefix="finder" />
                <LevelSelect level lang />
            </div>
            <div class="toggles">
                <label class="toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || valid_now.get()
                        on:change=move |event| valid_now.set(event_target_checked(&event))
                    />
                    {tr(lang, Ui::ValidNow)}
                </label>
                <button type="button" class="link-button" on:click=clear>
                    {tr(lang, Ui::ClearFilters)}
                </button>
            </div>
        </div>
        <p class="count" role="status" aria-live="polite">
            {move || {
                let count = results.with(Vec::len);
                if count == 1 {
                    Ui::ResultCountOne.get(lang.get()).to_string()
                } else {
                    fill(Ui::ResultCount.get(lang.get()), &[("n", &count.to_string())])
                }
            }}
        </p>
        {move || results.with(Vec::is_empty).then(|| view! { <p class="state">{tr(lang, Ui::Empty)}</p> })}
        <ul class="results" part="results">
            <For each=visible key=|index| *index let:index>
                <BenefitCard loaded=loaded.clone() index lang host=host.clone() today opened=linked />
            </For>
        </ul>
        {move || (remaining() > 0).then(|| view! {
            <div class="more">
                <button type="button" class="button secondary" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || fill(Ui::ShowMore.get(lang.get()), &[("n", &remaining().to_string())])}
                </button>
            </div>
        })}
    }
}

/// The one control the filters fold behind on a phone, with the number of active filters.
#[component]
fn FiltersToggle(
    /// Whether the filters are unfolded.
    open: RwSignal<bool>,
    /// How many filters narrow the results.
    active: Signal<usize>,
    /// Language of the label.
    lang: Signal<Lang>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="filters-toggle"
            aria-controls="finder-filters"
            aria-expanded=move || bool_attr(open.get())
            on:click=move |_| open.update(|open| *open = !*open)
        >
            {move || match active.get() {
                0 => Ui::FiltersToggle.get(lang.get()).to_string(),
                n => fill(Ui::FiltersActive.get(lang.get()), &[("n", &n.to_string())]),
            }}
        </button>
    }
}

/// Qualification level filter: show only offers open to this level.
#[component]
fn LevelSelect(
    /// The chosen level, if any.
    level: RwSignal<Option<QualificationLevel>>,
    /// Language of the labels.
    lang: Signal<Lang>,
) -> impl IntoView {
    view! {
        <div>
            <label for="finder-level">{tr(lang, Ui::LevelLabel)}</label>
            <select id="finder-level" on:change=move |event| level.set(event_target_value(&event).parse().ok())>
                <option value="" prop:selected=move || level.with(Option::is_none)>
                    {tr(lang, Ui::AnyLevel)}
                </option>
                {QualificationLevel::ALL
                    .iter()
                    .map(|&choice| {
                        view! {
                            <option value=choice.code() prop:selected=move || level.get() == Some(choice)>
                                {move || choice.label().get(lang.get()).to_string()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
