//! One benefit in the result list, with its details on demand.

use chrono::NaiveDate;
use guanai_core::describe::{self, Standing};
use guanai_core::i18n::Ui;
use guanai_core::{Benefit, Lang, Partner};
use leptos::prelude::*;

use super::{FinderApi, Loaded};
use crate::element::{Host, bool_attr, tr};
use crate::share::{Handed, share_link};

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
    /// With `link-state`: the one benefit whose details are open, kept in the host's URL.
    opened: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let expanded = RwSignal::new(false);
    // The closures below read the benefit from the shared catalogue rather than from copies:
    // no clone per card, and no clone code for benefits and partners in the wasm.
    let benefit = &loaded.catalogue.benefits[index];
    let details_id = format!("benefit-{}-details", benefit.id);
    let benefit_id = benefit.id.clone();
    if let Some(opened) = opened {
        let id = benefit.id.clone();
        Effect::new(move |_| {
            let open = opened.with(|open| open.as_deref() == Some(id.as_str()));
            if expanded.get_untracked() != open {
                expanded.set(open);
            }
        });
    }
    let toggle = move |_| {
        let open = !expanded.get_untracked();
        expanded.set(open);
        if let Some(opened) = opened {
            opened.set(open.then(|| benefit_id.clone()));
        }
        if open {
            host.dispatch("guanai:select", &[("kind", "benefit"), ("id", &benefit_id)]);
        }
    };
    let status = Standing::of(benefit, today);
    let data_id = benefit.id.clone();
    let (for_summary, for_details, for_actions) = (loaded.clone(), loaded.clone(), loaded);

    view! {
        <li class="card" part="card" data-benefit=data_id>
            {move || {
                let lang = lang.get();
                let benefit = &for_summary.catalogue.benefits[index];
                let area = benefit.area.label();
                let partner = for_summary.catalogue.partner(&benefit.partner);
                let partner_name = partner.map(|p| p.name.get(lang).to_string()).unwrap_or_default();
                view! {
                    <h3>{benefit.title.get(lang).to_string()}</h3>
                    <p class="meta">
                        <span class="badge">{area.get(lang).to_string()}</span>
                        {status.map(|standing| {
                            let ended = standing == Standing::Ended;
                            view! { <span class="badge" class:ended=ended>{standing.label().get(lang)}</span> }
                        })}
                        {partner_name}
                    </p>
                    <p class="meta">{describe::validity(benefit, lang)}</p>
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
                {move || expanded.get().then(|| {
                    let benefit = &for_details.catalogue.benefits[index];
                    details(benefit, for_details.catalogue.partner(&benefit.partner), lang.get())
                })}
                {move || expanded.get().then(|| view! { <Actions loaded=for_actions.clone() index lang /> })}
            </div>
        </li>
    }
}

/// The details list, built only when opened.
fn details(benefit: &Benefit, partner: Option<&Partner>, lang: Lang) -> impl IntoView + use<> {
    let eligible = describe::eligibility(benefit, lang);
    let where_ = describe::coverage(benefit, lang);
    let locations: Vec<String> = partner
        .map(|p| {
            p.locations
                .iter()
                .map(|location| describe::place_line(location, lang))
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

/// Share and print: both go to the benefit's plain page on the edge (`/catalog/<id>`), which
/// opens anywhere without the widget and prints cleanly. The host page's own URL is not touched.
#[component]
fn Actions(loaded: Loaded, index: usize, lang: Signal<Lang>) -> impl IntoView {
    let api = use_context::<FinderApi>()?;
    let benefit = &loaded.catalogue.benefits[index];
    let id = StoredValue::new(benefit.id.clone());
    let page = move || {
        let query = if lang.get() == Lang::En {
            "?lang=en"
        } else {
            ""
        };
        let api = api.0.get();
        format!(
            "{}/catalog/{}{query}",
            api.trim_end_matches('/'),
            id.get_value()
        )
    };
    let handed = RwSignal::new(None::<(Handed, String)>);
    let share = move |_| {
        let title = &loaded.catalogue.benefits[index].title;
        let (title, url) = (title.get(lang.get_untracked()).to_string(), page());
        leptos::task::spawn_local(async move {
            let result = share_link(&title, &url).await;
            handed.set(Some((result, url)));
        });
    };
    Some(view! {
        <div class="actions">
            <button type="button" class="link-button share" on:click=share>{tr(lang, Ui::Share)}</button>
            <a class="link-button print" href=page target="_blank" rel="noopener">{tr(lang, Ui::Print)}</a>
            <p class="shared" role="status">
                {move || handed.get().and_then(|(result, url)| {
                    let said = match result {
                        Handed::Shared => return None,
                        Handed::Copied => Ui::ShareCopied,
                        Handed::ByHand => Ui::ShareByHand,
                    };
                    Some(view! { {said.get(lang.get())}<a href=url.clone() data-shared=url.clone()>{url.clone()}</a> })
                })}
            </p>
        </div>
    })
}
