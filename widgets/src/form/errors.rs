//! Which error shows where: client-side rules once a field is left (all of them after a submit
//! attempt), server-side errors until the field is edited; the message elements, the summary,
//! and the one rule that names a field's element and its error's element.

use guanai_core::Lang;
use guanai_core::i18n::{FormUi, fill};
use guanai_core::validate::FieldError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The id of `field`'s input in form `prefix` (`signup`, `apply`): the field's path with `.`,
/// `[` and `]` as `-` (`offers[0].area` → `apply-offers-0--area`).
pub fn field_id(prefix: &str, field: &str) -> String {
    format!("{prefix}-{}", field.replace(['.', '[', ']'], "-"))
}

/// The id of the element that holds `field`'s error message: what its input's
/// `aria-describedby` names.
pub fn error_id(prefix: &str, field: &str) -> String {
    format!("{}-error", field_id(prefix, field))
}

/// Which fields have been left (blurred) and whether every error should show (after a submit
/// attempt); server-side errors from the last answer, until the field is edited.
#[derive(Debug, Clone, Copy)]
pub struct ErrorDisplay {
    pub touched: RwSignal<Vec<String>>,
    pub show_all: RwSignal<bool>,
    pub server: RwSignal<Vec<FieldError>>,
}

impl ErrorDisplay {
    pub fn new() -> ErrorDisplay {
        ErrorDisplay {
            touched: RwSignal::new(Vec::new()),
            show_all: RwSignal::new(false),
            server: RwSignal::new(Vec::new()),
        }
    }

    /// Marks `field` as visited (on blur): its client-side error may now show.
    pub fn touch(&self, field: &str) {
        if !self
            .touched
            .with_untracked(|t| t.iter().any(|f| f == field))
        {
            self.touched.update(|t| t.push(field.to_string()));
        }
    }

    /// The field was edited: a server error about it no longer applies.
    pub fn edited(&self, field: &str) {
        if self
            .server
            .with_untracked(|s| s.iter().any(|e| e.field == field))
        {
            self.server.update(|s| s.retain(|e| e.field != field));
        }
    }

    /// The message to show beside `field`, if any.
    pub fn message(&self, errors: &[FieldError], field: &str, lang: Lang) -> Option<String> {
        let visible = self.show_all.get() || self.touched.with(|t| t.iter().any(|f| f == field));
        let client = errors.iter().find(|e| e.field == field).filter(|_| visible);
        let server = self
            .server
            .with(|s| s.iter().find(|e| e.field == field).cloned());
        client
            .cloned()
            .or(server)
            .map(|error| error.message.get(lang).to_string())
    }
}

impl Default for ErrorDisplay {
    fn default() -> Self {
        ErrorDisplay::new()
    }
}

/// A `NodeRef` that moves keyboard focus to its element (give it `tabindex="-1"`) once it is in
/// the page. The success message replaces the form and the focused submit button with it, so
/// focus must land on the message, not fall back to the top of the host page.
pub fn focus_when_shown() -> NodeRef<leptos::html::Div> {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        if let Some(element) = node.get() {
            let _ = element.focus();
        }
    });
    node
}

/// Moves keyboard focus to the first field marked invalid inside `container`.
pub fn focus_first_invalid(container: &web_sys::Element) {
    if let Ok(Some(field)) = container.query_selector("[aria-invalid=true]")
        && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = field.focus();
    }
}

/// The message beside a field, announced to screen readers through `aria-describedby`.
#[component]
pub fn FieldError(
    /// Id prefix of the form (`signup`, `apply`).
    prefix: &'static str,
    /// Field path, for the element id.
    #[prop(into)]
    field: String,
    /// The message, if any.
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! { <p class="field-error" id=error_id(prefix, &field) aria-live="polite">{move || error.get()}</p> }
}

/// "N fields need correcting", after a submit attempt.
#[component]
pub fn ErrorSummary(
    /// Client-side errors.
    errors: Memo<Vec<FieldError>>,
    /// Which errors are visible.
    display: ErrorDisplay,
    /// Language.
    lang: Signal<Lang>,
) -> impl IntoView {
    let count = move || {
        let mut fields: Vec<String> = errors.with(|e| e.iter().map(|e| e.field.clone()).collect());
        fields.extend(
            display
                .server
                .with(|s| s.iter().map(|e| e.field.clone()).collect::<Vec<_>>()),
        );
        fields.sort();
        fields.dedup();
        fields.len()
    };
    view! {
        <Show when=move || { display.show_all.get() && count() > 0 }>
            <p class="error-summary" role="alert">{move || fill(FormUi::FixErrors.get(lang.get()), &[("n", &count().to_string())])}</p>
        </Show>
    }
}
