//! Filters the finder and the map share, so both speak the same vocabulary: the 6+1 service
//! areas and the GB/T 2260 regions.

use guanai_core::i18n::{Ui, fill};
use guanai_core::{Lang, ServiceArea, regions};
use leptos::prelude::*;

use crate::element::bool_attr;
use crate::element::tr;

/// The 6+1 service areas as toggle chips; none pressed means all areas.
#[component]
pub fn AreaChips(
    /// The selected areas.
    areas: RwSignal<Vec<ServiceArea>>,
    /// Language of the labels.
    lang: Signal<Lang>,
    /// Prefix of element ids, unique within the widget's shadow root.
    id_prefix: &'static str,
) -> impl IntoView {
    let label_id = format!("{id_prefix}-areas-label");
    let toggle = move |area: ServiceArea| {
        areas.update(|selected| match selected.iter().position(|a| *a == area) {
            Some(at) => {
                selected.remove(at);
            }
            None => selected.push(area),
        })
    };
    view! {
        <div>
            <span class="label" id=label_id.clone()>{tr(lang, Ui::AreasLabel)}</span>
            <div class="chips" role="group" aria-labelledby=label_id>
                <button
                    type="button"
                    class="chip"
                    aria-pressed=move || bool_attr(areas.with(Vec::is_empty))
                    on:click=move |_| areas.set(Vec::new())
                >
                    {tr(lang, Ui::AllAreas)}
                </button>
                {ServiceArea::ALL
                    .iter()
                    .map(|&area| {
                        view! {
                            <button
                                type="button"
                                class="chip"
                                data-area=area.code()
                                aria-pressed=move || bool_attr(areas.with(|selected| selected.contains(&area)))
                                on:click=move |_| toggle(area)
                            >
                                {move || area.label().get(lang.get()).to_string()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
}

/// Province → district/city choice, as one native select with a group per province.
#[component]
pub fn RegionSelect(
    /// The chosen GB/T 2260 code, if any.
    region: RwSignal<Option<String>>,
    /// Language of the labels.
    lang: Signal<Lang>,
    /// Prefix of element ids, unique within the widget's shadow root.
    id_prefix: &'static str,
) -> impl IntoView {
    let select_id = format!("{id_prefix}-region");
    let option = move |code: &'static str, label: String| {
        view! {
            <option value=code prop:selected=move || region.with(|r| r.as_deref() == Some(code))>
                {label}
            </option>
        }
    };
    let options = move || {
        let lang = lang.get();
        regions::provinces()
            .map(|province| {
                let whole = fill(
                    Ui::WholeProvince.get(lang),
                    &[("name", province.name().get(lang))],
                );
                let children = regions::children_of(province.code)
                    .map(|child| option(child.code, child.name().get(lang).to_string()))
                    .collect_view();
                view! {
                    <optgroup label=province.name().get(lang).to_string()>
                        {option(province.code, whole)}
                        {children}
                    </optgroup>
                }
            })
            .collect_view()
    };
    view! {
        <div>
            <label for=select_id.clone()>{tr(lang, Ui::RegionLabel)}</label>
            <select
                id=select_id
                on:change=move |event| {
                    let code = event_target_value(&event);
                    region.set(regions::find(&code).map(|r| r.code.to_string()));
                }
            >
                <option value="" prop:selected=move || region.with(Option::is_none)>
                    {tr(lang, Ui::AllRegions)}
                </option>
                {options}
            </select>
        </div>
    }
}
