//! One benefit in the result list, with its details on demand.

use chrono::NaiveDate;
use guanai_core::i18n::{Ui, fill};
use guanai_core::{Benefit, Lang, Partner, regions};
use leptos::prelude::*;

use super::Loaded;
use crate::element::Host;
use crate::element::bool_attr;

/// A result card: title, partner, area and validity; "details" reveals how to redeem, who can
/// use it, where, and the partner's locations and honours.
#[component]
pub fn BenefitCard(
    /// The catalogue the benefit belongs to.
    loaded: Loaded,
    /// Index of the benefit in `loaded.catalogue.benefits`.
    index: usize,
    /// Language of every label.
    lang: Signal<Lang>,
    /// The custom element, for `guanai:select`.
    host: Host,
    /// Today in Asia/Shanghai, to mark ended and future offers.
    today: NaiveDate,
) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let benefit = loaded.catalogue.benefits[index].clone();
    let partner = loaded.catalogue.partner(&benefit.partner).cloned();
    let details_id = format!("benefit-{}-details", benefit.id);
    let benefit_id = benefit.id.clone();
    let toggle = move |_| {
        expanded.update(|open| *open = !*open);
        if expanded.get_untracked() {
            host.dispatch("guanai:select", &[("kind", "benefit"), ("id", &benefit_id)]);
        }
    };
    let status = status_badge(&benefit, today);
    let data_id = benefit.id.clone();
    let for_details = (benefit.clone(), partner.clone());

    view! {
        <li class="card" part="card" data-benefit=data_id>
            {move || {
                let lang = lang.get();
                let area = benefit.area.label();
                let partner_name = partner.as_ref().map(|p| p.name.get(lang).to_string()).unwrap_or_default();
                view! {
                    <h3>{benefit.title.get(lang).to_string()}</h3>
                    <p class="meta">
                        <span class="badge">{area.get(lang).to_string()}</span>
                        {status.map(|(ended, key)| {
                            view! { <span class="badge" class:ended=ended>{key.get(lang)}</span> }
                        })}
                        {partner_name}
                    </p>
                    <p class="meta">{validity_text(&benefit, lang)}</p>
                }
            }}
            <button
                type="button"
                class="link-button"
                aria-expanded=move || bool_attr(expanded.get())
                aria-controls=details_id.clone()
                on:click=toggle
            >
                {move || if expanded.get() { Ui::HideDetails.get(lang.get()) } else { Ui::ShowDetails.get(lang.get()) }}
            </button>
            <div class="details" id=details_id.clone() hidden=move || !expanded.get()>
                {move || expanded.get().then(|| details(&for_details.0, for_details.1.as_ref(), lang.get()))}
            </div>
        </li>
    }
}

/// "Ended" or "not started yet", when the offer is not valid today.
fn status_badge(benefit: &Benefit, today: NaiveDate) -> Option<(bool, Ui)> {
    if benefit.valid_until.is_some_and(|until| until < today) {
        Some((true, Ui::Expired))
    } else if benefit.valid_from.is_some_and(|from| today < from) {
        Some((false, Ui::NotYetStarted))
    } else {
        None
    }
}

/// "Valid: 2026-01-01 to 2026-12-31" and its open-ended variants.
fn validity_text(benefit: &Benefit, lang: Lang) -> String {
    let date = guanai_core::time::iso_date;
    let range = match (benefit.valid_from, benefit.valid_until) {
        (Some(from), Some(until)) => fill(
            Ui::ValidRange.get(lang),
            &[("from", &date(from)), ("until", &date(until))],
        ),
        (Some(from), None) => fill(Ui::ValidFrom.get(lang), &[("from", &date(from))]),
        (None, Some(until)) => fill(Ui::ValidUntil.get(lang), &[("until", &date(until))]),
        (None, None) => Ui::NoEndDate.get(lang).to_string(),
    };
    format!(
        "{}{}{range}",
        Ui::Validity.get(lang),
        if lang == Lang::ZhCn { "：" } else { ": " }
    )
}

/// The details list, built only when opened.
fn details(benefit: &Benefit, partner: Option<&Partner>, lang: Lang) -> impl IntoView + use<> {
    let eligible = if benefit.eligible_levels.is_empty() {
        Ui::EligibleEveryone.get(lang).to_string()
    } else {
        let names: Vec<String> = benefit
            .eligible_levels
            .iter()
            .map(|l| l.label().get(lang).to_string())
            .collect();
        names.join(if lang == Lang::ZhCn { "、" } else { ", " })
    };
    let where_ = if benefit.regions.is_empty() {
        Ui::AllRegions.get(lang).to_string()
    } else {
        let names: Vec<String> = benefit
            .regions
            .iter()
            .filter_map(|code| regions::find(code))
            .map(|region| region.name().get(lang).to_string())
            .collect();
        names.join(if lang == Lang::ZhCn { "、" } else { ", " })
    };
    let locations: Vec<String> = partner
        .map(|p| {
            p.locations
                .iter()
                .map(|location| match &location.name {
                    Some(name) => format!("{} — {}", name.get(lang), location.address.get(lang)),
                    None => location.address.get(lang).to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let awards: Vec<String> = partner
        .map(|p| {
            p.awards
                .iter()
                .map(|a| format!("{} {}", a.year, a.title.get(lang)))
                .collect()
        })
        .unwrap_or_default();
    let contact = partner.and_then(|p| {
        p.contact
            .phone
            .clone()
            .or_else(|| p.contact.website.clone())
    });

    view! {
        <p>{benefit.description.get(lang).to_string()}</p>
        <dl>
            <dt>{Ui::HowToRedeem.get(lang)}</dt>
            <dd>{benefit.how_to_redeem.get(lang).to_string()}</dd>
            <dt>{Ui::Eligible.get(lang)}</dt>
            <dd>{eligible}</dd>
            <dt>{Ui::Regions.get(lang)}</dt>
            <dd>{where_}</dd>
            {(!locations.is_empty()).then(|| view! {
                <dt>{Ui::Locations.get(lang)}</dt>
                <dd><ul>{locations.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul></dd>
            })}
            {contact.map(|contact| view! {
                <dt>{Ui::Contact.get(lang)}</dt>
                <dd>{contact}</dd>
            })}
            {(!awards.is_empty()).then(|| view! {
                <dt>{Ui::Awards.get(lang)}</dt>
                <dd>{awards.join(" · ")}</dd>
            })}
        </dl>
    }
}
