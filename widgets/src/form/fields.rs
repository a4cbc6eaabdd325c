//! The fields both public forms draw the same way: a text input and a consent tick, each with
//! its error message under it, named by [`field_id`] / [`error_id`].

use guanai_core::Lang;
use guanai_core::i18n::FormUi;
use leptos::prelude::*;

use super::errors::{ErrorDisplay, FieldError, error_id, field_id, focus_when_shown};
use crate::element::{bool_attr, tr};

/// A labelled-elsewhere text input for `field` of form `prefix`, with its error message.
#[component]
pub fn TextInput(
    /// Id prefix of the form (`signup`, `apply`).
    prefix: &'static str,
    /// The field's path, also the input's `name`.
    field: &'static str,
    /// The input's `type` (`text`, `tel`, `email`).
    kind: &'static str,
    /// The input's `inputmode` (empty for the type's own).
    #[prop(default = "")]
    inputmode: &'static str,
    /// The input's `autocomplete`.
    autocomplete: &'static str,
    /// What is typed.
    value: Signal<String>,
    /// Called with the new text on every keystroke.
    set: Callback<String>,
    /// The message to show, if any.
    error: Signal<Option<String>>,
    /// Error visibility (the field is touched on blur, edited on input).
    display: ErrorDisplay,
) -> impl IntoView {
    view! {
        <input
            id=field_id(prefix, field)
            name=field
            type=kind
            inputmode=(!inputmode.is_empty()).then_some(inputmode)
            autocomplete=autocomplete
            aria-invalid=move || bool_attr(error.get().is_some())
            aria-describedby=error_id(prefix, field)
            prop:value=move || value.get()
            on:input=move |event| {
                set.run(event_target_value(&event));
                display.edited(field);
            }
            on:blur=move |_| display.touch(field)
        />
        <FieldError prefix field error />
    }
}

/// A consent tick for `field` of form `prefix`: the box, its label, and its error message.
/// Ticking counts as leaving the field, so a missing consent shows at once.
#[component]
pub fn ConsentCheck(
    /// Id prefix of the form (`signup`, `apply`).
    prefix: &'static str,
    /// The consent's path, e.g. `consents.privacy`.
    field: &'static str,
    /// What the person agrees to, in the current language.
    label: Signal<String>,
    /// Whether it is ticked.
    checked: Signal<bool>,
    /// Called with the new state.
    set: Callback<bool>,
    /// The message to show, if any.
    error: Signal<Option<String>>,
    /// Error visibility.
    display: ErrorDisplay,
) -> impl IntoView {
    view! {
        <div class="check-field">
            <label class="check">
                <input type="checkbox" id=field_id(prefix, field) name=field
                    aria-invalid=move || bool_attr(error.get().is_some())
                    aria-describedby=error_id(prefix, field)
                    prop:checked=move || checked.get()
                    on:change=move |event| {
                        set.run(event_target_checked(&event));
                        display.edited(field);
                        display.touch(field);
                    } />
                {move || label.get()}
            </label>
            <FieldError prefix field error />
        </div>
    }
}

/// The person's choice to keep what they type on this device, personal fields included (off
/// unless ticked: the host site's scripts can read its storage).
#[component]
pub fn RememberCheck(
    /// Id prefix of the form (`signup`, `apply`).
    prefix: &'static str,
    /// Whether it is ticked.
    remember: RwSignal<bool>,
    /// Language of the label.
    lang: Signal<Lang>,
) -> impl IntoView {
    view! {
        <div class="check-field">
            <label class="check">
                <input type="checkbox" id=field_id(prefix, "remember") name="remember"
                    prop:checked=move || remember.get()
                    on:change=move |event| remember.set(event_target_checked(&event)) />
                {tr(lang, FormUi::RememberDevice)}
            </label>
        </div>
    }
}

/// The honeypot: a field hidden from people (and from screen readers); anything typed in it
/// was typed by a bot, and the server refuses the submission.
#[component]
pub fn Honeypot(
    /// Id prefix of the form (`signup`, `apply`).
    prefix: &'static str,
    /// What was typed.
    value: RwSignal<String>,
    /// Language of the label.
    lang: Signal<Lang>,
) -> impl IntoView {
    let id = field_id(prefix, "website");
    view! {
        <div class="honeypot" aria-hidden="true">
            <label for=id.clone()>{tr(lang, FormUi::Honeypot)}</label>
            <input id=id name="website" type="text" tabindex="-1" autocomplete="off"
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event)) />
        </div>
    }
}

/// What replaces a form once the server has taken it: the message, the reference to quote
/// (none for "already registered": the server names none), what happens next, and anything
/// the form adds (the sign-up's management link). Focus moves here (the form and its button
/// are gone).
#[component]
pub fn Acknowledged(
    /// The message, in the current language.
    message: Signal<String>,
    /// The reference the server gave.
    reference: Option<String>,
    /// What happens next.
    next: Option<FormUi>,
    /// Language.
    lang: Signal<Lang>,
    /// What follows, e.g. the management link.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="success" role="status" tabindex="-1" node_ref=focus_when_shown()>
            <p>{move || message.get()}</p>
            {reference.map(|reference| view! { <p class="reference">{reference}</p> })}
            {next.map(|next| view! { <p>{tr(lang, next)}</p> })}
            {children.map(|children| children())}
        </div>
    }
}
