//! The correction form: the sign-up form's fields and rules (`own_data::correct`, which the
//! edge applies again), the association shown but fixed (moving is a staff action), and the
//! health consent when the health interest is chosen.

use guanai_core::i18n::{FormUi, OwnUi};
use guanai_core::own_data::{self, Corrector};
use guanai_core::signup::SignupForm;
use guanai_core::wire::OwnSignup;
use guanai_core::{Lang, ServiceArea};
use leptos::prelude::*;

use super::MySignup;
use crate::element::{bool_attr, tr};
use crate::form::{ConsentCheck, ErrorDisplay, ErrorSummary, TextInput, focus_first_invalid};
use crate::signup_form::{AssociationAndRegion, ContactTimeSelect, Interests, LevelSelect};

#[component]
pub fn Correction(
    state: MySignup,
    own: OwnSignup,
    lang: Signal<Lang>,
    /// Set back to `false` when done or cancelled.
    correcting: RwSignal<bool>,
) -> impl IntoView {
    let form = RwSignal::new(own_data::stored_form(
        &own.personal,
        Some(own.association),
        &own.region,
        Some(own.level),
    ));
    let display = ErrorDisplay::new();
    let (association, consent) = (own.association, own.consent.clone());
    let errors = Memo::new(move |_| {
        form.with(|f| {
            own_data::correct(f, association, &consent, Corrector::Person)
                .err()
                .unwrap_or_default()
        })
    });
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|all| display.message(all, field, lang.get())))
    };
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let focus_invalid = move || {
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            if let Some(element) = form_ref.get_untracked() {
                focus_first_invalid(&element);
            }
        });
    };
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        display.show_all.set(true);
        if state.busy.get_untracked() {
            return;
        }
        if !errors.with_untracked(Vec::is_empty) {
            focus_invalid();
            return;
        }
        leptos::task::spawn_local(async move {
            let refused = state.correct(&form.get_untracked()).await;
            if refused.is_empty() {
                correcting.set(false);
            } else {
                display.server.set(refused);
                focus_invalid();
            }
        });
    };
    let text_input = move |field: &'static str,
                           label: FormUi,
                           kind: &'static str,
                           autocomplete: &'static str,
                           get: fn(&SignupForm) -> String,
                           set: fn(&mut SignupForm, String)| {
        view! {
            <div class="field">
                <label for=format!("signup-{field}")>{tr(lang, label)}</label>
                <TextInput prefix="signup" field kind autocomplete display
                    value=Signal::derive(move || form.with(get))
                    set=Callback::new(move |value| form.update(|f| set(f, value)))
                    error=error_for(field) />
            </div>
        }
    };
    let wants_health = move || form.with(|f| f.interests.contains(&ServiceArea::Health));
    view! {
        <form class="correction" novalidate node_ref=form_ref on:submit=on_submit>
            <h3>{tr(lang, OwnUi::Correct)}</h3>
            <ErrorSummary errors display lang />
            {text_input("name", FormUi::Name, "text", "name", |f| f.name.clone(), |f, v| f.name = v)}
            {text_input("mobile", FormUi::Mobile, "tel", "tel-national", |f| f.mobile.clone(), |f, v| f.mobile = v)}
            <AssociationAndRegion form display lang error_for locked=true />
            <p class="hint">{tr(lang, OwnUi::AssociationFixed)}</p>
            {text_input("employer", FormUi::Employer, "text", "organization", |f| f.employer.clone(), |f, v| f.employer = v)}
            <LevelSelect form display lang error=error_for("level") />
            {text_input("certificate_number", FormUi::CertificateNumber, "text", "off", |f| f.certificate_number.clone(), |f, v| f.certificate_number = v)}
            <Interests form display lang />
            <ContactTimeSelect form lang />
            <Show when=wants_health>
                <ConsentCheck prefix="signup" field="consents.health" display
                    label=Signal::derive(move || FormUi::ConsentHealth.get(lang.get()).to_string())
                    checked=Signal::derive(move || form.with(|f| f.consents.health))
                    set=Callback::new(move |on| form.update(|f| f.consents.health = on))
                    error=error_for("consents.health") />
            </Show>
            <div class="link-actions">
                <button type="submit" class="button" aria-disabled=move || bool_attr(state.busy.get())>
                    {tr(lang, OwnUi::SaveCorrection)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| correcting.set(false)>
                    {tr(lang, OwnUi::Cancel)}
                </button>
            </div>
        </form>
    }
}
