//! What every page is made of: bilingual text, the language switch, labelled form fields that
//! show the server's per-field errors, and the line that reports a failed call.

use std::sync::atomic::{AtomicUsize, Ordering};

use guanai_core::validate::FieldError;
use guanai_core::{Lang, Text};
use leptos::prelude::*;

use crate::api::Failure;
use crate::{admin, t_str};

const LANG_KEY: &str = "guanai-admin-lang";

/// Text in the current language: `t("保存", "Save")` wherever a view needs words.
pub fn t(zh: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync {
    let lang = admin().lang;
    move || t_str(lang.get(), zh, en)
}

/// The language chosen last time on this device (Chinese first).
pub fn stored_lang() -> Lang {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(LANG_KEY).ok().flatten());
    Lang::from_attribute(stored.as_deref())
}

pub fn store_lang(lang: Lang) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(LANG_KEY, lang.tag());
    }
}

/// A fresh id for tying a `<label>` to its control.
pub fn next_id(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A date and time of day in Beijing time, `2026-11-30 16:05`.
pub use guanai_core::time::shanghai_minute as when;

/// Switches between 中文 and English; the choice is remembered on this device.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = admin().lang;
    view! {
        <button
            type="button"
            class="secondary lang"
            lang=move || match lang.get() { Lang::ZhCn => "en", Lang::En => "zh-CN" }
            on:click=move |_| lang.update(|l| *l = match l { Lang::ZhCn => Lang::En, Lang::En => Lang::ZhCn })
        >
            {move || match lang.get() { Lang::ZhCn => "English", Lang::En => "中文" }}
        </button>
    }
}

/// A failed call as a sentence (role `alert`), with every field problem listed below it so
/// nothing the server said is lost, even for a field the form does not show.
#[component]
pub fn Problem(
    /// The failure to show, if any.
    failure: RwSignal<Option<Failure>>,
) -> impl IntoView {
    let lang = admin().lang;
    move || {
        failure.get().map(|failure| {
            let lang = lang.get();
            let fields = failure
                .fields
                .iter()
                .map(|f| view! { <li><code>{f.field.clone()}</code>" "{f.message.get(lang).to_string()}</li> })
                .collect_view();
            view! {
                <div class="problem" role="alert">
                    <p>{failure.message.get(lang).to_string()}</p>
                    <ul>{fields}</ul>
                </div>
            }
        })
    }
}

/// A short confirmation after something worked (role `status`).
#[component]
pub fn Done(
    /// The message, if any.
    message: RwSignal<Option<Text>>,
) -> impl IntoView {
    let lang = admin().lang;
    move || {
        message
            .get()
            .map(|m| view! { <p class="done" role="status">{m.get(lang.get()).to_string()}</p> })
    }
}

/// The messages for the field at `path` among `errors` (paths as [`relative`] left them).
pub fn messages_for(errors: &[FieldError], path: &str, lang: Lang) -> Vec<String> {
    errors
        .iter()
        .filter(|e| e.field == path)
        .map(|e| e.message.get(lang).to_string())
        .collect()
}

/// The server's field paths relative to one form: `partners[0].name.en` and `partner.id`
/// become `name.en` and `id` when `prefixes` are `["partners[0].", "partner."]`.
pub fn relative(fields: Vec<FieldError>, prefixes: &[&str]) -> Vec<FieldError> {
    fields
        .into_iter()
        .map(|mut error| {
            if let Some(rest) = prefixes.iter().find_map(|p| error.field.strip_prefix(p)) {
                error.field = rest.to_string();
            }
            error
        })
        .collect()
}

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Multiline,
    Date,
    Password,
    Number,
}

/// A labelled input whose errors (from `errors`, matched by `path`) are shown under it and
/// tied to it with `aria-describedby`, and which is marked `aria-invalid` while they stand.
#[component]
pub fn Field(
    /// The label, in the current language.
    label: Signal<String>,
    /// The value shown.
    value: Signal<String>,
    /// Called with the new value as the person types (or picks a date).
    set: Callback<String>,
    /// The field's path in the server's error list, e.g. `name.zh`.
    path: String,
    /// Errors of the whole form.
    errors: RwSignal<Vec<FieldError>>,
    /// Text, multi-line, date, password or number.
    #[prop(default = Input::Text)]
    input: Input,
    /// Whether the server requires it (shown, and announced).
    #[prop(optional)]
    required: bool,
    /// `autocomplete` hint.
    #[prop(optional)]
    autocomplete: &'static str,
) -> impl IntoView {
    let lang = admin().lang;
    let id = next_id("field");
    let error_id = format!("{id}-error");
    let path_for_errors = path.clone();
    let problems = Memo::new(move |_| {
        errors.with(|errors| messages_for(errors, &path_for_errors, lang.get()))
    });
    let invalid = move || (!problems.with(Vec::is_empty)).then_some("true");
    let described = {
        let error_id = error_id.clone();
        move || (!problems.with(Vec::is_empty)).then(|| error_id.clone())
    };
    let control = match input {
        Input::Multiline => view! {
            <textarea
                id=id.clone()
                rows="3"
                prop:value=move || value.get()
                aria-invalid=invalid
                aria-describedby=described
                required=required
                on:input=move |ev| set.run(event_target_value(&ev))
            ></textarea>
        }
        .into_any(),
        _ => {
            let kind = match input {
                Input::Date => "date",
                Input::Password => "password",
                _ => "text",
            };
            view! {
                <input
                    id=id.clone()
                    type=kind
                    inputmode=(input == Input::Number).then_some("decimal")
                    autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                    prop:value=move || value.get()
                    aria-invalid=invalid
                    aria-describedby=described
                    required=required
                    on:input=move |ev| set.run(event_target_value(&ev))
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" data-path=path>
            <label for=id.clone()>{move || label.get()}{required.then_some(" *")}</label>
            {control}
            <Show when=move || !problems.with(Vec::is_empty)>
                <p class="field-error" id=error_id.clone()>{move || problems.get().join(" ")}</p>
            </Show>
        </div>
    }
}

/// A labelled `<select>` of `options` (`(value, label)`).
#[component]
pub fn Choice(
    /// The label, in the current language.
    label: Signal<String>,
    /// The selected value.
    value: Signal<String>,
    /// Called with the chosen value.
    set: Callback<String>,
    /// `(value, label)` pairs in the current language.
    options: Signal<Vec<(String, String)>>,
    /// The field's path in the server's error list.
    #[prop(optional)]
    path: String,
    /// Errors of the whole form (none for filters).
    #[prop(optional)]
    errors: Option<RwSignal<Vec<FieldError>>>,
) -> impl IntoView {
    let lang = admin().lang;
    let id = next_id("choice");
    let path_for_errors = path.clone();
    let problems = Memo::new(move |_| {
        errors
            .map(|e| e.with(|e| messages_for(e, &path_for_errors, lang.get())))
            .unwrap_or_default()
    });
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || (!problems.with(Vec::is_empty)).then(|| error_id.clone())
    };
    view! {
        <div class="field" data-path=path>
            <label for=id.clone()>{move || label.get()}</label>
            <select
                id=id.clone()
                aria-describedby=described
                aria-invalid=move || (!problems.with(Vec::is_empty)).then_some("true")
                on:change=move |ev| set.run(event_target_value(&ev))
            >
                {move || {
                    let current = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <Show when=move || !problems.with(Vec::is_empty)>
                <p class="field-error" id=error_id.clone()>{move || problems.get().join(" ")}</p>
            </Show>
        </div>
    }
}

/// A labelled checkbox.
#[component]
pub fn Check(
    /// The label, in the current language.
    label: Signal<String>,
    /// Whether it is ticked.
    checked: Signal<bool>,
    /// Called with the new state.
    set: Callback<bool>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || checked.get()
                on:change=move |ev| set.run(event_target_checked(&ev))
            />
            " "
            {move || label.get()}
        </label>
    }
}

/// A label in both languages as a signal of the current one.
pub fn label(zh: &'static str, en: &'static str) -> Signal<String> {
    let lang = admin().lang;
    Signal::derive(move || t_str(lang.get(), zh, en).to_string())
}

/// Region options for selects: Beijing, Tianjin, Hebei and their districts, with the
/// districts indented under their province. `any` adds a first "all" option with `""`.
pub fn region_options(lang: Lang, any: Option<&'static str>) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = any
        .map(|label| vec![(String::new(), label.to_string())])
        .unwrap_or_default();
    for province in guanai_core::regions::provinces() {
        options.push((
            province.code.to_string(),
            province.name().get(lang).to_string(),
        ));
        for district in guanai_core::regions::children_of(province.code) {
            options.push((
                district.code.to_string(),
                format!("\u{3000}{}", district.name().get(lang)),
            ));
        }
    }
    options
}

/// The name of partner `id` among `partners` in `lang`, or the id while the choices are not in.
pub fn partner_name(partners: &[guanai_core::wire::PartnerChoice], id: &str, lang: Lang) -> String {
    partners
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.name.get(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The name of region `code`, or the code itself when unknown.
pub fn region_name(code: &str, lang: Lang) -> String {
    guanai_core::regions::find(code)
        .map(|r| r.name().get(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// The current time from the browser's clock.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// A text field bound to part of `state`.
pub fn bind<T: Send + Sync + 'static>(
    state: RwSignal<T>,
    get: impl Fn(&T) -> String + Send + Sync + 'static,
    set: impl Fn(&mut T, String) + Send + Sync + 'static,
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || state.with(&get)),
        Callback::new(move |value: String| state.update(|s| set(s, value))),
    )
}

/// After a refused save: the first field marked invalid gets focus (and scrolls into view), so
/// a person at the bottom of a long form, or on a screen reader, lands on what to correct.
pub fn focus_first_invalid() {
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Ok(Some(field)) = document().query_selector("main [aria-invalid=\"true\"]")
            && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = field.focus();
        }
    });
}

/// The failure said when fields were refused before anything was sent.
pub fn correct_marked_fields(fields: Vec<FieldError>) -> Failure {
    Failure {
        status: 0,
        code: "validation".into(),
        message: Text::new("请更正标出的字段。", "Please correct the marked fields."),
        fields,
    }
}

/// A value for a definition list: the text, or a dash when there is none (an empty `<dd>` reads
/// as a missing line).
pub fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".to_string()
    } else {
        text.to_string()
    }
}

/// The state of a partner or benefit form while it is saved: its field errors, its failure,
/// whether it is busy, and who to tell once the server has stored it.
#[derive(Clone, Copy)]
pub struct DraftForm {
    pub errors: RwSignal<Vec<FieldError>>,
    pub failure: RwSignal<Option<Failure>>,
    pub busy: RwSignal<bool>,
    pub saved: Callback<Text>,
}

impl DraftForm {
    /// A form with no errors yet, that tells `saved` once stored.
    pub fn new(saved: Callback<Text>) -> DraftForm {
        DraftForm {
            errors: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            busy: RwSignal::new(false),
            saved,
        }
    }

    /// `PUT /v1/admin/<kind>/<id>` with `change`. The id is checked here (it is the address);
    /// everything else by the server, whose field errors (named under `prefixes`) are shown
    /// beside their fields. `said` is the confirmation.
    pub fn save<B: serde::Serialize + 'static>(
        self,
        kind: &'static str,
        id: &str,
        change: B,
        prefixes: &'static [&'static str],
        said: Text,
    ) {
        let DraftForm {
            errors,
            failure,
            busy,
            saved,
        } = self;
        if id.is_empty() {
            let missing = vec![FieldError::new(
                "id",
                "required",
                "请填写编号。",
                "The id is required.",
            )];
            errors.set(missing.clone());
            failure.set(Some(correct_marked_fields(missing)));
            focus_first_invalid();
            return;
        }
        busy.set(true);
        failure.set(None);
        errors.set(Vec::new());
        let path = format!("/v1/admin/{kind}/{}", js_sys::encode_uri_component(id));
        leptos::task::spawn_local(async move {
            match crate::api::send::<serde_json::Value>("PUT", &path, &change).await {
                Ok(_) => saved.run(said),
                Err(problem) => {
                    errors.set(relative(problem.fields.clone(), prefixes));
                    failure.set(Some(problem));
                    focus_first_invalid();
                    busy.set(false);
                }
            }
        });
    }
}

/// The heading of a draft form and its id: typed for a new item, shown for an existing one
/// (an id is the item's address, so it is never edited).
#[component]
pub fn DraftHeading(
    /// Whether the item is new.
    is_new: bool,
    /// The heading for a new item and for an edit.
    titles: (Signal<String>, Signal<String>),
    /// The id field's label.
    id_label: Signal<String>,
    /// The id.
    id: Signal<String>,
    /// Called as the id is typed.
    set_id: Callback<String>,
    /// Errors of the whole form.
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let (new_title, edit_title) = titles;
    view! {
        <h2>{move || if is_new { new_title.get() } else { edit_title.get() }}</h2>
        {if is_new {
            view! { <Field label=id_label value=id set=set_id path="id".into() errors required=true /> }.into_any()
        } else {
            view! { <p>{t("编号：", "Id: ")}<code>{move || id.get()}</code></p> }.into_any()
        }}
    }
}

/// The end of a draft form: whether the item is archived, what went wrong, save and cancel.
#[component]
pub fn DraftFooter(
    /// What archiving means for this kind of item.
    archived_label: Signal<String>,
    /// Whether the item is archived.
    archived: RwSignal<bool>,
    /// The form's saving state.
    form: DraftForm,
    /// Leaves the form without saving.
    cancel: Callback<()>,
) -> impl IntoView {
    let (failure, busy) = (form.failure, form.busy);
    view! {
        <Check label=archived_label checked=archived.into() set=Callback::new(move |v| archived.set(v)) />
        <Problem failure />
        <div class="toolbar">
            <button type="submit" class="save" disabled=move || busy.get()>{t("保存草稿", "Save draft")}</button>
            <button type="button" class="secondary" on:click=move |_| cancel.run(())>{t("取消", "Cancel")}</button>
        </div>
    }
}
