//! `<guanai-partner-apply>`: a company answers the care plan's open call for partners
//! (战略合作伙伴招募). Same rules on both sides (`guanai_core::application::validate`), same
//! anti-spam, idempotency, drafts and retries as the sign-up form.

use guanai_core::application::{self, MAX_OFFERS, OfferedBenefit, PartnerApplication};
use guanai_core::consent::{self, ApplicationConsents, NOTICE_VERSION};
use guanai_core::i18n::{FormUi, fill};
use guanai_core::{Lang, ServiceArea, regions};
use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::element::{self, Host, Widget, tr};
use crate::form::{
    Acknowledged, ConsentCheck, Draft, ErrorDisplay, ErrorSummary, FieldError, FormSession,
    Honeypot, Received, RememberCheck, Status, Target, TextInput, Wake, bool_attr, error_id,
    field_id,
};

/// Attributes of `<guanai-partner-apply>` that take effect when changed after mount.
pub const ATTRIBUTES: &[&str] = &["api", "lang"];

/// localStorage key of the draft.
pub const DRAFT_KEY: &str = "guanai:partner-apply-draft";

/// Mounts a partner application form for the custom element `host` into `root`.
pub fn mount(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    element::mount(host, root, ATTRIBUTES, move |attributes, host| {
        let (api, lang) = attributes.api_and_lang(default_api);
        view! { <PartnerApplyView api lang host /> }
    })
}

/// The draft as kept: consent is never restored.
fn without_consent(typed: PartnerApplication) -> PartnerApplication {
    PartnerApplication {
        consents: ApplicationConsents::default(),
        ..typed
    }
}

/// The contact person's details stay out of the host site's storage unless asked.
fn without_contact(typed: PartnerApplication) -> PartnerApplication {
    PartnerApplication {
        contact_person: String::new(),
        mobile: String::new(),
        email: String::new(),
        ..typed
    }
}

/// The answer to a submitted application: its reference and what happens next.
#[component]
fn ApplicationReceived(
    /// What the server answered.
    received: Received,
    /// Language.
    lang: Signal<Lang>,
) -> impl IntoView {
    let reference = match received {
        Received::Acknowledged(answer) => Some(answer.reference),
        Received::AlreadyRegistered => None,
    };
    view! {
        <Acknowledged reference lang next=Some(FormUi::ApplySuccessNext)
            message=Signal::derive(move || FormUi::ApplySuccess.get(lang.get()).to_string()) />
    }
}

/// The application form and its success view.
#[component]
pub fn PartnerApplyView(
    /// Base URL of the edge API.
    api: Signal<String>,
    /// Language of every label and message.
    lang: Signal<Lang>,
    /// The custom element, for `guanai:apply`.
    host: Host,
) -> impl IntoView {
    let draft = Draft::new(DRAFT_KEY);
    let restored: Option<PartnerApplication> = draft
        .load()
        .filter(|saved: &PartnerApplication| *saved != PartnerApplication::default());
    let draft_restored = restored.is_some();
    let mut initial = restored.unwrap_or_default();
    initial.consents = ApplicationConsents {
        notice_version: NOTICE_VERSION.into(),
        ..ApplicationConsents::default()
    };
    if initial.offers.is_empty() {
        initial.offers.push(OfferedBenefit::default());
    }
    let form = RwSignal::new(initial);
    let session = FormSession::new();
    let display = session.display;
    let errors =
        Memo::new(move |_| form.with(|f| application::validate(f).err().unwrap_or_default()));
    let error_for = move |field: String| {
        Signal::derive(move || errors.with(|all| display.message(all, &field, lang.get())))
    };

    let FormSession {
        phase,
        acknowledged,
        refusal,
        honeypot,
        form_ref,
        ..
    } = session;
    let wake = Wake::new();

    session.keep_draft(draft, form, without_consent, without_contact);
    let wake_for_submit = wake.clone();
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let target = Target {
            api: api.get_untracked(),
            path: "/v1/partner-applications",
            draft_key: DRAFT_KEY,
            event: "guanai:apply",
            host: host.clone(),
        };
        let body = serde_json::to_value(form.get_untracked()).unwrap_or_default();
        session.submit(
            errors.with_untracked(Vec::is_empty),
            body,
            target,
            wake_for_submit.clone(),
        );
    };

    let text_input = move |field: &'static str,
                           kind: &'static str,
                           autocomplete: &'static str,
                           get: fn(&PartnerApplication) -> String,
                           set: fn(&mut PartnerApplication, String)| {
        view! {
            <TextInput prefix="apply" field kind autocomplete display
                value=Signal::derive(move || form.with(get))
                set=Callback::new(move |value| form.update(|f| set(f, value)))
                error=error_for(field.to_string()) />
        }
    };
    let consent = move |field: &'static str,
                        label: FormUi,
                        get: fn(&ApplicationConsents) -> bool,
                        set: fn(&mut ApplicationConsents, bool)| {
        view! {
            <ConsentCheck prefix="apply" field display
                label=Signal::derive(move || label.get(lang.get()).to_string())
                checked=Signal::derive(move || form.with(|f| get(&f.consents)))
                set=Callback::new(move |on| form.update(|f| set(&mut f.consents, on)))
                error=error_for(field.to_string()) />
        }
    };

    let offer_count = move || form.with(|f| f.offers.len());

    view! {
        <section class="guanai form-widget" lang=move || lang.get().tag() aria-labelledby="apply-title">
            <h2 id="apply-title">{tr(lang, FormUi::ApplyTitle)}</h2>
            {move || match acknowledged.get() {
                Some(received) => view! { <ApplicationReceived received lang /> }.into_any(),
                None => view! {
                    <p class="intro">{tr(lang, FormUi::ApplyIntro)}</p>
                    <Show when=move || draft_restored>
                        <p class="notice">{tr(lang, FormUi::DraftRestored)}</p>
                    </Show>
                    <form part="form" novalidate node_ref=form_ref on:submit=on_submit.clone()>
                        <ErrorSummary errors display lang />
                        <div class="field">
                            <label for="apply-company">{tr(lang, FormUi::Company)}" *"</label>
                            {text_input("company", "text", "organization", |f| f.company.clone(), |f, v| f.company = v)}
                        </div>
                        <div class="field">
                            <label for="apply-credit_code">{tr(lang, FormUi::CreditCode)}" *"</label>
                            <p class="hint">{tr(lang, FormUi::CreditCodeHint)}</p>
                            {text_input("credit_code", "text", "off", |f| f.credit_code.clone(), |f, v| f.credit_code = v)}
                        </div>
                        <div class="field">
                            <label for="apply-contact_person">{tr(lang, FormUi::ContactPerson)}" *"</label>
                            {text_input("contact_person", "text", "name", |f| f.contact_person.clone(), |f, v| f.contact_person = v)}
                        </div>
                        <p class="hint">{tr(lang, FormUi::ContactEither)}</p>
                        <div class="field">
                            <label for="apply-mobile">{tr(lang, FormUi::Mobile)}</label>
                            {text_input("mobile", "tel", "tel-national", |f| f.mobile.clone(), |f, v| f.mobile = v)}
                        </div>
                        <div class="field">
                            <label for="apply-email">{tr(lang, FormUi::Email)}</label>
                            {text_input("email", "email", "email", |f| f.email.clone(), |f, v| f.email = v)}
                        </div>
                        <fieldset class="field">
                            <legend>{tr(lang, FormUi::Offers)}" *"</legend>
                            <FieldError prefix="apply" field="offers" error=error_for("offers".into()) />
                            {move || (0..offer_count()).map(|index| view! { <OfferFields index form display lang error_for /> }).collect_view()}
                            <Show when=move || { offer_count() < MAX_OFFERS }>
                                <button type="button" class="button secondary" on:click=move |_| form.update(|f| f.offers.push(OfferedBenefit::default()))>
                                    {tr(lang, FormUi::AddOffer)}
                                </button>
                            </Show>
                        </fieldset>
                        <div class="field">
                            <label for="apply-message">{tr(lang, FormUi::Message)}</label>
                            <textarea id="apply-message" name="message"
                                aria-describedby=error_id("apply", "message")
                                prop:value=move || form.with(|f| f.message.clone())
                                on:input=move |event| { let value = event_target_value(&event); form.update(|f| f.message = value); }
                                on:blur=move |_| display.touch("message")></textarea>
                            <FieldError prefix="apply" field="message" error=error_for("message".into()) />
                        </div>
                        <Honeypot prefix="apply" value=honeypot lang />
                        <div class="notice-box" role="region" aria-labelledby="apply-notice-title" tabindex="0">
                            <h3 id="apply-notice-title">{move || fill(FormUi::NoticeTitle.get(lang.get()), &[("version", NOTICE_VERSION)])}</h3>
                            {move || consent::notice().into_iter().map(|paragraph| view! { <p>{paragraph.get(lang.get()).to_string()}</p> }).collect_view()}
                        </div>
                        {consent("consents.privacy", FormUi::ConsentPrivacy, |c| c.privacy, |c, v| c.privacy = v)}
                        {consent("consents.cross_border", FormUi::ConsentCrossBorder, |c| c.cross_border, |c, v| c.cross_border = v)}
                        <RememberCheck prefix="apply" remember=session.remember lang />
                        <Status phase lang wake=wake.clone() refusal />
                        <button type="submit" class="button" part="submit"
                            aria-disabled=move || bool_attr(session.busy())>
                            {tr(lang, FormUi::SubmitApplication)}
                        </button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// One proposed benefit: area, description, and the provinces it applies in.
#[component]
fn OfferFields(
    /// Position in `offers`.
    index: usize,
    /// The form.
    form: RwSignal<PartnerApplication>,
    /// Error visibility.
    display: ErrorDisplay,
    /// Language.
    lang: Signal<Lang>,
    /// Error message of a field.
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let area_field = format!("offers[{index}].area");
    let description_field = format!("offers[{index}].description");
    let area_error = error_for(area_field.clone());
    let description_error = error_for(description_field.clone());
    let offer = move || form.with(|f| f.offers.get(index).cloned().unwrap_or_default());
    let (area_touch, description_touch, description_edit) = (
        area_field.clone(),
        description_field.clone(),
        description_field.clone(),
    );
    view! {
        <div class="offer">
            <label for=field_id("apply", &area_field)>{tr(lang, FormUi::OfferArea)}" *"</label>
            <select id=field_id("apply", &area_field) aria-invalid=move || bool_attr(area_error.get().is_some())
                aria-describedby=error_id("apply", &area_field)
                on:change=move |event| {
                    let code = event_target_value(&event);
                    form.update(|f| if let Some(offer) = f.offers.get_mut(index) { offer.area = code.parse().ok() });
                    display.touch(&area_touch);
                }>
                <option value="" prop:selected=move || offer().area.is_none()>{tr(lang, FormUi::ChooseRegion)}</option>
                {ServiceArea::ALL.iter().map(|&area| view! {
                    <option value=area.code() prop:selected=move || offer().area == Some(area)>{move || area.label().get(lang.get()).to_string()}</option>
                }).collect_view()}
            </select>
            <FieldError prefix="apply" field=area_field.clone() error=area_error />
            <label for=field_id("apply", &description_field)>{tr(lang, FormUi::OfferDescription)}" *"</label>
            <textarea id=field_id("apply", &description_field) aria-invalid=move || bool_attr(description_error.get().is_some())
                aria-describedby=error_id("apply", &description_field)
                prop:value=move || offer().description
                on:input=move |event| {
                    let value = event_target_value(&event);
                    form.update(|f| if let Some(offer) = f.offers.get_mut(index) { offer.description = value });
                    display.edited(&description_edit);
                }
                on:blur=move |_| display.touch(&description_touch)></textarea>
            <FieldError prefix="apply" field=description_field.clone() error=description_error />
            <fieldset class="checkboxes">
                <legend>{tr(lang, FormUi::OfferRegions)}</legend>
                {regions::provinces().map(|province| {
                    let code = province.code.to_string();
                    let checked_code = code.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" value=code.clone()
                                prop:checked=move || offer().regions.contains(&checked_code)
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    let code = code.clone();
                                    form.update(|f| if let Some(offer) = f.offers.get_mut(index) {
                                        offer.regions.retain(|r| *r != code);
                                        if on { offer.regions.push(code); }
                                    });
                                } />
                            {move || province.name().get(lang.get()).to_string()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <Show when=move || { index > 0 }>
                <button type="button" class="link-button" on:click=move |_| form.update(|f| { if index < f.offers.len() { f.offers.remove(index); } })>
                    {tr(lang, FormUi::RemoveOffer)}
                </button>
            </Show>
        </div>
    }
}
