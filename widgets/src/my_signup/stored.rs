//! Everything stored about the person, as a definition list: the record's facets, the
//! decrypted personal fields and the consents as recorded.

use guanai_core::i18n::OwnUi;
use guanai_core::wire::OwnSignup;
use guanai_core::{Lang, Text, regions, time};
use leptos::prelude::*;

use crate::element::tr;

/// The date of `ms` (Beijing), ISO.
fn day(ms: u64) -> String {
    let at = chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
    time::iso_date(time::shanghai_date(at))
}

#[component]
pub fn Stored(
    own: OwnSignup,
    lang: Signal<Lang>,
    partner_name: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let yes_no = |on: bool| if on { OwnUi::Yes } else { OwnUi::NoneGiven };
    let personal = own.personal.clone();
    let region = regions::find(&own.region).map(|r| r.name());
    let interests: Vec<Text> = personal.interests.iter().map(|a| a.label()).collect();
    let partners = own.consent.partners.clone();
    let row = move |label: OwnUi, value: Signal<String>| {
        view! { <dt>{tr(lang, label)}</dt><dd>{move || value.get()}</dd> }
    };
    let fixed = |text: String| Signal::derive(move || text.clone());
    let text = move |text: Text| Signal::derive(move || text.get(lang.get()).to_string());
    let list = move |items: Vec<Text>| {
        Signal::derive(move || {
            let lang = lang.get();
            if items.is_empty() {
                OwnUi::NoneGiven.get(lang).to_string()
            } else {
                items
                    .iter()
                    .map(|t| t.get(lang))
                    .collect::<Vec<_>>()
                    .join("、")
            }
        })
    };
    let consented = move |on: bool| Signal::derive(move || yes_no(on).get(lang.get()).to_string());
    let partner_names = Signal::derive(move || {
        if partners.is_empty() {
            OwnUi::NoneGiven.get(lang.get()).to_string()
        } else {
            partners
                .iter()
                .map(|p| partner_name(p))
                .collect::<Vec<_>>()
                .join("、")
        }
    });
    let certificate = if personal.certificate_number.is_empty() {
        Signal::derive(move || OwnUi::NoneGiven.get(lang.get()).to_string())
    } else {
        fixed(personal.certificate_number.clone())
    };
    view! {
        <h3>{tr(lang, OwnUi::StoredHeading)}</h3>
        <dl class="stored">
            {row(OwnUi::Reference, fixed(own.reference.clone()))}
            {row(OwnUi::Association, text(own.association.name()))}
            {row(OwnUi::Region, region.map(text).unwrap_or_else(|| fixed(own.region.clone())))}
            {row(OwnUi::Level, text(own.level.label()))}
            {row(OwnUi::Name, fixed(personal.name.clone()))}
            {row(OwnUi::Mobile, fixed(personal.mobile.clone()))}
            {row(OwnUi::Employer, fixed(personal.employer.clone()))}
            {row(OwnUi::Certificate, certificate)}
            {row(OwnUi::Interests, list(interests))}
            {row(OwnUi::ContactTime, text(personal.contact_time.label()))}
            {row(OwnUi::RegisteredOn, fixed(day(own.created_at_ms)))}
            {row(OwnUi::NoticeAgreed, fixed(format!("{} ({})", own.consent.notice_version, day(own.consent.given_at_ms))))}
            {row(OwnUi::CrossBorder, consented(own.consent.cross_border))}
            {row(OwnUi::HealthConsent, consented(personal.health_consent))}
            {row(OwnUi::PartnerConsents, partner_names)}
            {row(OwnUi::KeptUntil, fixed(own.kept_until.clone()))}
        </dl>
    }
}
