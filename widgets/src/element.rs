//! What every widget shares with its custom element: attribute signals, events, mounting.
//!
//! The loader (`guanai.js`) attaches an open shadow root, adopts the shared stylesheet, creates
//! a `<div>` inside it and calls a `mount_*` export with the element and that div. The returned
//! [`Widget`] receives attribute changes and is told to unmount when the element leaves the page.

use std::any::Any;

use guanai_core::Lang;
use guanai_core::i18n::Key;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// The element's observed attributes as signals, so a change after mount takes effect.
#[derive(Debug, Clone)]
pub struct Attributes(Vec<(&'static str, RwSignal<Option<String>>)>);

impl Attributes {
    /// Reads `names` from `host` into new signals owned by the current reactive owner.
    pub fn read(host: &HtmlElement, names: &[&'static str]) -> Attributes {
        Attributes(
            names
                .iter()
                .map(|name| (*name, RwSignal::new(host.get_attribute(name))))
                .collect(),
        )
    }

    /// Attributes with given values, for tests.
    pub fn from_pairs(pairs: &[(&'static str, Option<&str>)]) -> Attributes {
        Attributes(
            pairs
                .iter()
                .map(|(name, value)| (*name, RwSignal::new(value.map(str::to_string))))
                .collect(),
        )
    }

    /// The signal of attribute `name`; a never-set signal for unknown names.
    pub fn get(&self, name: &str) -> RwSignal<Option<String>> {
        self.0
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, signal)| *signal)
            .unwrap_or_else(|| RwSignal::new(None))
    }

    /// The `api` attribute (falling back to `default_api`, where `guanai.js` came from) and the
    /// `lang` attribute (zh-CN unless English is asked for), as every widget reads them.
    pub fn api_and_lang(&self, default_api: String) -> (Signal<String>, Signal<Lang>) {
        let (api, lang) = (self.get("api"), self.get("lang"));
        (
            Signal::derive(move || {
                api.get()
                    .filter(|api| !api.trim().is_empty())
                    .unwrap_or_else(|| default_api.clone())
            }),
            Signal::derive(move || Lang::from_attribute(lang.get().as_deref())),
        )
    }

    /// Applies an attribute change. Ignored for unobserved names and after unmount.
    pub fn set(&self, name: &str, value: Option<String>) {
        if let Some((_, signal)) = self.0.iter().find(|(known, _)| *known == name) {
            signal.try_set(value);
        }
    }
}

/// The custom element, for dispatching the contract's events on it.
#[derive(Debug, Clone)]
pub struct Host(SendWrapper<Option<HtmlElement>>);

impl Host {
    pub fn new(element: HtmlElement) -> Host {
        Host(SendWrapper::new(Some(element)))
    }

    /// The element's `id`, if it has one.
    pub fn id(&self) -> Option<String> {
        self.0
            .as_ref()
            .map(|element| element.id())
            .filter(|id| !id.is_empty())
    }

    /// A host that dispatches nothing, for component tests without an element.
    pub fn detached() -> Host {
        Host(SendWrapper::new(None))
    }

    /// Dispatches a bubbling, composed `CustomEvent` named `name` whose `detail` is an object of
    /// `fields`. Never put personal data in `fields`: host pages and their analytics see it.
    pub fn dispatch(&self, name: &str, fields: &[(&str, &str)]) {
        let Some(element) = self.0.as_ref() else {
            return;
        };
        let detail = js_sys::Object::new();
        for (key, value) in fields {
            let _ =
                js_sys::Reflect::set(&detail, &JsValue::from_str(key), &JsValue::from_str(value));
        }
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = element.dispatch_event(&event);
        }
    }
}

/// A mounted widget, owned by its custom element.
#[wasm_bindgen]
pub struct Widget {
    attributes: Attributes,
    /// The Leptos unmount handle; dropping it unmounts the view and disposes its signals.
    mounted: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl Widget {
    /// Called from `attributeChangedCallback`.
    pub fn set_attribute(&self, name: &str, value: Option<String>) {
        self.attributes.set(name, value);
    }

    /// Called from `disconnectedCallback`: removes the view and its reactive state.
    pub fn unmount(&mut self) {
        self.mounted = None;
    }
}

/// Mounts `view` into `root` with the attributes `names` (and `lang-switch`) read from `host`.
pub fn mount<V: IntoView + 'static>(
    host: HtmlElement,
    root: HtmlElement,
    names: &'static [&'static str],
    view: impl FnOnce(Attributes, Host) -> V + 'static,
) -> Widget {
    // The signals are created inside the mount so that its owner disposes them on unmount.
    let created = std::rc::Rc::new(std::cell::RefCell::new(None));
    let slot = created.clone();
    let handle = leptos::mount::mount_to(root, move || {
        let mut attributes = Attributes::read(&host, names);
        attributes
            .0
            .push((LANG_SWITCH, RwSignal::new(host.get_attribute(LANG_SWITCH))));
        *slot.borrow_mut() = Some(attributes.clone());
        let (switch, lang) = (attributes.get(LANG_SWITCH), attributes.get("lang"));
        if switch.get_untracked().is_some()
            && let Some(remembered) = remembered_lang()
        {
            lang.set(Some(remembered.tag().to_string()));
        }
        view! {
            {move || switch.with(Option::is_some).then(|| view! { <LangSwitch lang /> })}
            {view(attributes, Host::new(host))}
        }
    });
    let attributes = created.take().unwrap_or_else(|| Attributes(Vec::new()));
    Widget {
        attributes,
        mounted: Some(Box::new(handle)),
    }
}

/// With this attribute, a visitor can flip the widget between 中文 and English.
pub const LANG_SWITCH: &str = "lang-switch";

/// Where the host page's origin remembers the visitor's choice: a language, nothing personal,
/// and only once they have chosen. Every widget with `lang-switch` on that host follows it.
const REMEMBERED_LANG: &str = "guanai-lang";

fn storage() -> Option<web_sys::Storage> {
    // Storage may be refused (sandboxed frames, some privacy modes): then nothing is kept.
    web_sys::window()?.local_storage().ok().flatten()
}

fn remembered_lang() -> Option<Lang> {
    let value = storage()?.get_item(REMEMBERED_LANG).ok().flatten()?;
    Some(Lang::from_attribute(Some(&value)))
}

fn remember_lang(lang: Lang) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(REMEMBERED_LANG, lang.tag());
    }
}

/// The language switch above a widget: names the other language in that language.
#[component]
fn LangSwitch(
    /// The `lang` attribute's signal, which the widget reads.
    lang: RwSignal<Option<String>>,
) -> impl IntoView {
    let other = move || match Lang::from_attribute(lang.get().as_deref()) {
        Lang::ZhCn => Lang::En,
        Lang::En => Lang::ZhCn,
    };
    let flip = move |_| {
        let next = other();
        lang.set(Some(next.tag().to_string()));
        remember_lang(next);
    };
    view! {
        <div class="guanai lang-switch">
            <button type="button" lang=move || other().tag() on:click=flip>
                {move || match other() {
                    Lang::En => "English",
                    Lang::ZhCn => "中文",
                }}
            </button>
        </div>
    }
}

/// The text of `key` in the element's language, following `lang`: for labels in views and
/// attributes. Every label of one string table is then the same closure type, so the
/// framework's code for a reactive text or attribute exists once per table instead of once per
/// label — the widgets' wasm is mostly such generic code.
pub fn tr<K: Key>(
    lang: Signal<Lang>,
    key: K,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || key.text(lang.get())
}

/// `"true"` / `"false"` for ARIA state attributes.
pub fn bool_attr(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// The current instant, from the browser clock.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}
