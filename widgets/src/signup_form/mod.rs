//! `<guanai-signup-form>`: a social worker signs up to the care plan from any page.
//!
//! The rules are `guanai_core::signup::validate`, run here as the person types (errors show once
//! a field is left, all of them after a submit attempt) and again by the edge. What is typed is
//! kept as a draft in localStorage (never the consent ticks; personal fields only if the person
//! ticks "remember") until the server acknowledges it, which shows the management link;
//! sending survives flaky networks (same Idempotency-Key on every retry, backoff while offline).

use guanai_core::consent::{self, NOTICE_VERSION, SignupConsents};
use guanai_core::i18n::{FormUi, fill};
use guanai_core::own_data;
use guanai_core::signup::{self, ContactTime, SignupForm};
use guanai_core::{Association, Lang, QualificationLevel, ServiceArea, Text, regions};
use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::api::fetch_catalogue;
use crate::element::{self, Host, Widget, tr};
use crate::form::{
    Acknowledged, ConsentCheck, Draft, ErrorDisplay, ErrorSummary, FieldError, FormSession,
    Honeypot, Received, RememberCheck, Status, Target, TextInput, Wake, bool_attr, error_id,
};
use link::ManagementLink;

pub mod link;

/// Attributes of `<guanai-signup-form>` that take effect when changed after mount.
pub const ATTRIBUTES: &[&str] = &["api", "lang", "association"];

/// localStorage key of the draft.
pub const DRAFT_KEY: &str = "guanai:signup-draft";

/// Mounts a sign-up form for the custom element `host` into `root`.
pub fn mount(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    element::mount(host, root, ATTRIBUTES, move |attributes, host| {
        let (api, lang) = attributes.api_and_lang(default_api);
        let association_attribute = attributes.get("association");
        let association = Signal::derive(move || {
            association_attribute
                .get()
                .and_then(|code| code.parse().ok())
        });
        view! { <SignupFormView api lang association host /> }
    })
}

/// The whole form: fields, privacy notice and consents, status, and the success view.
#[component]
pub fn SignupFormView(
    /// Base URL of the edge API.
    api: Signal<String>,
    /// Language of every label and message.
    lang: Signal<Lang>,
    /// Association preset by the host page (`association="tianjin"`).
    association: Signal<Option<Association>>,
    /// The custom element, for `guanai:signup`.
    host: Host,
) -> impl IntoView {
    let draft = Draft::new(DRAFT_KEY);
    let restored: Option<SignupForm> = draft
        .load()
        .filter(|saved: &SignupForm| *saved != SignupForm::default());
    let draft_restored = restored.is_some();
    let mut initial = restored.unwrap_or_default();
    // Consent is never restored: it must be given knowingly, now, to the current notice.
    initial.consents = SignupConsents {
        notice_version: NOTICE_VERSION.into(),
        ..SignupConsents::default()
    };
    if initial.association.is_none() {
        initial.association = association.get_untracked();
    }
    let form = RwSignal::new(initial);
    Effect::new(move |previous: Option<Option<Association>>| {
        let preset = association.get();
        if previous.is_some() && preset.is_some() {
            form.update(|f| {
                f.association = preset;
                f.region.clear();
            });
        }
        preset
    });

    let catalogue = LocalResource::new(move || fetch_catalogue(api.get()));
    let partners = Signal::derive(move || {
        catalogue.get().and_then(Result::ok).map(|loaded| {
            loaded
                .catalogue
                .partners
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect::<Vec<(String, Text)>>()
        })
    });
    let session = FormSession::new();
    let display = session.display;
    let errors = Memo::new(move |_| {
        let known = partners.get().unwrap_or_default();
        form.with(|f| {
            signup::validate(f, |id| known.iter().any(|(known, _)| known == id))
                .err()
                .unwrap_or_default()
        })
    });
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|all| display.message(all, field, lang.get())))
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

    session.keep_draft(draft, form, without_consent, without_personal);

    let wake_for_submit = wake.clone();
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let target = Target {
            api: api.get_untracked(),
            path: "/v1/signups",
            draft_key: DRAFT_KEY,
            event: "guanai:signup",
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
                           inputmode: &'static str,
                           autocomplete: &'static str,
                           get: fn(&SignupForm) -> String,
                           set: fn(&mut SignupForm, String)| {
        view! {
            <TextInput prefix="signup" field kind inputmode autocomplete display
                value=Signal::derive(move || form.with(get))
                set=Callback::new(move |value| form.update(|f| set(f, value)))
                error=error_for(field) />
        }
    };

    view! {
        <section class="guanai form-widget" lang=move || lang.get().tag() aria-labelledby="signup-title">
            <h2 id="signup-title">{tr(lang, FormUi::SignupTitle)}</h2>
            {move || match acknowledged.get() {
                Some(received) => view! { <SignupReceived received api lang /> }.into_any(),
                None => view! {
                    <p class="intro">{tr(lang, FormUi::SignupIntro)}</p>
                    <Show when=move || draft_restored>
                        <p class="notice">{tr(lang, FormUi::DraftRestored)}</p>
                    </Show>
                    <form part="form" novalidate node_ref=form_ref on:submit=on_submit.clone()>
                        <ErrorSummary errors display lang />
                        <div class="field">
                            <label for="signup-name">{tr(lang, FormUi::Name)}" *"</label>
                            {text_input("name", "text", "text", "name", |f| f.name.clone(), |f, v| f.name = v)}
                        </div>
                        <div class="field">
                            <label for="signup-mobile">{tr(lang, FormUi::Mobile)}" *"</label>
                            <p class="hint" id="signup-mobile-hint">{tr(lang, FormUi::MobileHint)}</p>
                            {text_input("mobile", "tel", "tel", "tel-national", |f| f.mobile.clone(), |f, v| f.mobile = v)}
                        </div>
                        <AssociationAndRegion form display lang error_for />
                        <div class="field">
                            <label for="signup-employer">{tr(lang, FormUi::Employer)}" *"</label>
                            {text_input("employer", "text", "text", "organization", |f| f.employer.clone(), |f, v| f.employer = v)}
                        </div>
                        <LevelSelect form display lang error=error_for("level") />
                        <div class="field">
                            <label for="signup-certificate_number">{tr(lang, FormUi::CertificateNumber)}</label>
                            {text_input("certificate_number", "text", "text", "off", |f| f.certificate_number.clone(), |f, v| f.certificate_number = v)}
                        </div>
                        <Interests form display lang />
                        <ContactTimeSelect form lang />
                        <Honeypot prefix="signup" value=honeypot lang />
                        <Consents form display lang partners error_for />
                        <RememberCheck prefix="signup" remember=session.remember lang />
                        <Status phase lang wake=wake.clone() refusal />
                        <button type="submit" class="button" part="submit"
                            aria-disabled=move || bool_attr(session.busy())>
                            {tr(lang, FormUi::Submit)}
                        </button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// The draft as kept: consent is never restored.
fn without_consent(typed: SignupForm) -> SignupForm {
    SignupForm {
        consents: SignupConsents::default(),
        ..typed
    }
}

/// What identifies the person, and the interests (health is sensitive), stay out of the host
/// site's storage unless the person asks to be remembered on this device.
fn without_personal(typed: SignupForm) -> SignupForm {
    SignupForm {
        name: String::new(),
        mobile: String::new(),
        employer: String::new(),
        certificate_number: String::new(),
        interests: Vec::new(),
        ..typed
    }
}

/// The answer to a submitted sign-up: the reference and management link, or the kind refusal
/// of a number already registered.
#[component]
fn SignupReceived(
    /// What the server answered.
    received: Received,
    /// Base URL of the edge API, which serves the management page.
    api: Signal<String>,
    /// Language.
    lang: Signal<Lang>,
) -> impl IntoView {
    match received {
        Received::Acknowledged(answer) => {
            let link = answer
                .secret
                .map(|secret| own_data::management_link(&api.get_untracked(), &secret));
            view! {
                <Acknowledged reference=Some(answer.reference) lang next=Some(FormUi::SuccessNext)
                    message=Signal::derive(move || FormUi::Success.get(lang.get()).to_string())>
                    {link.map(|link| view! { <ManagementLink link lang /> })}
                </Acknowledged>
            }
            .into_any()
        }
        Received::AlreadyRegistered => view! {
            <Acknowledged reference=None lang next=None
                message=Signal::derive(move || FormUi::AlreadyRegistered.get(lang.get()).to_string()) />
        }
        .into_any(),
    }
}

/// Association, then a district (Beijing, Tianjin) or city (Hebei) of its province.
#[component]
pub(crate) fn AssociationAndRegion(
    /// The form.
    form: RwSignal<SignupForm>,
    /// Error visibility.
    display: ErrorDisplay,
    /// Language.
    lang: Signal<Lang>,
    /// Error message of a field.
    error_for: impl Fn(&'static str) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
    /// The association cannot be changed here (a correction by the person).
    #[prop(optional)]
    locked: bool,
) -> impl IntoView {
    let association_error = error_for("association");
    let region_error = error_for("region");
    let chosen = move || form.with(|f| f.association);
    view! {
        <div class="field">
            <label for="signup-association">{tr(lang, FormUi::Association)}" *"</label>
            <select id="signup-association" name="association" prop:disabled=locked
                aria-invalid=move || bool_attr(association_error.get().is_some())
                aria-describedby=error_id("signup", "association")
                on:change=move |event| {
                    let code = event_target_value(&event);
                    form.update(|f| { f.association = code.parse().ok(); f.region.clear(); });
                    display.edited("association");
                    display.touch("association");
                }>
                <option value="" prop:selected=move || chosen().is_none()>{tr(lang, FormUi::ChooseAssociation)}</option>
                {Association::ALL.iter().map(|&association| view! {
                    <option value=association.code() prop:selected=move || chosen() == Some(association)>
                        {move || association.name().get(lang.get()).to_string()}
                    </option>
                }).collect_view()}
            </select>
            <FieldError prefix="signup" field="association" error=association_error />
        </div>
        <div class="field">
            <label for="signup-region">{tr(lang, FormUi::Region)}" *"</label>
            <select id="signup-region" name="region"
                aria-invalid=move || bool_attr(region_error.get().is_some())
                aria-describedby=error_id("signup", "region")
                prop:disabled=move || chosen().is_none()
                on:change=move |event| {
                    let code = event_target_value(&event);
                    form.update(|f| f.region = code);
                    display.edited("region");
                    display.touch("region");
                }>
                {move || {
                    let lang = lang.get();
                    let Some(association) = chosen() else {
                        return view! { <option value="">{FormUi::ChooseAssociationFirst.get(lang)}</option> }.into_any();
                    };
                    let current = form.with_untracked(|f| f.region.clone());
                    view! {
                        <option value="" prop:selected=current.is_empty()>{FormUi::ChooseRegion.get(lang)}</option>
                        {regions::children_of(association.province_code()).map(|region| {
                            let selected = current == region.code;
                            view! { <option value=region.code prop:selected=selected>{region.name().get(lang).to_string()}</option> }
                        }).collect_view()}
                    }.into_any()
                }}
            </select>
            <FieldError prefix="signup" field="region" error=region_error />
        </div>
    }
}

/// Qualification level.
#[component]
pub(crate) fn LevelSelect(
    /// The form.
    form: RwSignal<SignupForm>,
    /// Error visibility.
    display: ErrorDisplay,
    /// Language.
    lang: Signal<Lang>,
    /// The level's error message.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let chosen = move || form.with(|f| f.level);
    view! {
        <div class="field">
            <label for="signup-level">{tr(lang, FormUi::Level)}" *"</label>
            <select id="signup-level" name="level"
                aria-invalid=move || bool_attr(error.get().is_some())
                aria-describedby=error_id("signup", "level")
                on:change=move |event| {
                    let code = event_target_value(&event);
                    form.update(|f| f.level = code.parse().ok());
                    display.edited("level");
                    display.touch("level");
                }>
                <option value="" prop:selected=move || chosen().is_none()>{tr(lang, FormUi::ChooseLevel)}</option>
                {QualificationLevel::ALL.iter().map(|&level| view! {
                    <option value=level.code() prop:selected=move || chosen() == Some(level)>
                        {move || level.label().get(lang.get()).to_string()}
                    </option>
                }).collect_view()}
            </select>
            <FieldError prefix="signup" field="level" error />
        </div>
    }
}

/// The 6+1 areas as checkboxes.
#[component]
pub(crate) fn Interests(
    /// The form.
    form: RwSignal<SignupForm>,
    /// Error visibility.
    display: ErrorDisplay,
    /// Language.
    lang: Signal<Lang>,
) -> impl IntoView {
    view! {
        <fieldset class="field checkboxes">
            <legend>{tr(lang, FormUi::Interests)}</legend>
            {ServiceArea::ALL.iter().map(|&area| view! {
                <label class="check">
                    <input type="checkbox" name="interests" value=area.code()
                        prop:checked=move || form.with(|f| f.interests.contains(&area))
                        on:change=move |event| {
                            let on = event_target_checked(&event);
                            form.update(|f| {
                                f.interests.retain(|a| *a != area);
                                if on { f.interests.push(area); }
                                if !f.interests.contains(&ServiceArea::Health) { f.consents.health = false; }
                            });
                            display.edited("consents.health");
                        } />
                    {move || area.label().get(lang.get()).to_string()}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// Preferred contact time.
#[component]
pub(crate) fn ContactTimeSelect(
    /// The form.
    form: RwSignal<SignupForm>,
    /// Language.
    lang: Signal<Lang>,
) -> impl IntoView {
    let chosen = move || form.with(|f| f.contact_time.unwrap_or(ContactTime::Any));
    view! {
        <div class="field">
            <label for="signup-contact_time">{tr(lang, FormUi::ContactTime)}</label>
            <select id="signup-contact_time" name="contact_time"
                on:change=move |event| {
                    let code = event_target_value(&event);
                    form.update(|f| f.contact_time = ContactTime::ALL.iter().copied().find(|t| t.code() == code));
                }>
                {ContactTime::ALL.iter().map(|&time| view! {
                    <option value=time.code() prop:selected=move || chosen() == time>{move || time.label().get(lang.get()).to_string()}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// The versioned privacy notice and the separate consents PIPL asks for.
#[component]
fn Consents(
    /// The form.
    form: RwSignal<SignupForm>,
    /// Error visibility.
    display: ErrorDisplay,
    /// Language.
    lang: Signal<Lang>,
    /// Partners of the published catalogue (`None` until loaded or if it failed).
    partners: Signal<Option<Vec<(String, Text)>>>,
    /// Error message of a field.
    error_for: impl Fn(&'static str) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let consent = move |field: &'static str,
                        label: FormUi,
                        get: fn(&SignupConsents) -> bool,
                        set: fn(&mut SignupConsents, bool)| {
        view! {
            <ConsentCheck prefix="signup" field display
                label=Signal::derive(move || label.get(lang.get()).to_string())
                checked=Signal::derive(move || form.with(|f| get(&f.consents)))
                set=Callback::new(move |on| form.update(|f| set(&mut f.consents, on)))
                error=error_for(field) />
        }
    };
    let wants_health = move || form.with(|f| f.interests.contains(&ServiceArea::Health));
    view! {
        <div class="notice-box" role="region" aria-labelledby="signup-notice-title" tabindex="0">
            <h3 id="signup-notice-title">{move || fill(FormUi::NoticeTitle.get(lang.get()), &[("version", NOTICE_VERSION)])}</h3>
            {move || consent::notice().into_iter().map(|paragraph| view! { <p>{paragraph.get(lang.get()).to_string()}</p> }).collect_view()}
        </div>
        {consent("consents.privacy", FormUi::ConsentPrivacy, |c| c.privacy, |c, v| c.privacy = v)}
        {consent("consents.cross_border", FormUi::ConsentCrossBorder, |c| c.cross_border, |c, v| c.cross_border = v)}
        <Show when=wants_health>
            {consent("consents.health", FormUi::ConsentHealth, |c| c.health, |c, v| c.health = v)}
        </Show>
        <fieldset class="field checkboxes partners">
            <legend>{tr(lang, FormUi::ConsentPartners)}</legend>
            {move || match partners.get() {
                None => view! { <p class="hint">{FormUi::PartnersUnavailable.get(lang.get())}</p> }.into_any(),
                Some(list) => list.into_iter().map(|(id, name)| {
                    let for_check = id.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" name="partners" value=id.clone()
                                prop:checked=move || form.with(|f| f.consents.partners.contains(&for_check))
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    let id = id.clone();
                                    form.update(|f| {
                                        f.consents.partners.retain(|p| *p != id);
                                        if on { f.consents.partners.push(id); }
                                    });
                                } />
                            {name.get(lang.get()).to_string()}
                        </label>
                    }
                }).collect_view().into_any(),
            }}
            <FieldError prefix="signup" field="consents.partners" error=error_for("consents.partners") />
        </fieldset>
    }
}
