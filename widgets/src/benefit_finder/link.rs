//! `link-state` in the browser: the finder's state follows the host page's URL fragment and the
//! fragment follows the state (`guanai_core::link_state` encodes it). Typing and filtering
//! replace the history entry; opening a benefit pushes one, so back closes it again; a reload,
//! back and forward show what was shown.

use guanai_core::link_state::{FinderState, UriComponent, read, write};
use guanai_core::{QualificationLevel, ServiceArea};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The finder's signals that the fragment holds.
#[derive(Clone, Copy)]
pub struct Linked {
    pub query: RwSignal<String>,
    pub areas: RwSignal<Vec<ServiceArea>>,
    pub region: RwSignal<Option<String>>,
    pub level: RwSignal<Option<QualificationLevel>>,
    pub valid_now: RwSignal<bool>,
    pub opened: RwSignal<Option<String>>,
}

impl Linked {
    fn state(self) -> FinderState {
        FinderState {
            query: self.query.get(),
            areas: self.areas.get(),
            region: self.region.get(),
            level: self.level.get(),
            all_dates: !self.valid_now.get(),
            open: self.opened.get(),
        }
    }

    fn show(self, state: FinderState) {
        self.query.set(state.query);
        self.areas.set(state.areas);
        self.region.set(state.region);
        self.level.set(state.level);
        self.valid_now.set(!state.all_dates);
        self.opened.set(state.open);
    }
}

/// The browser's `encodeURIComponent` and `decodeURIComponent`.
struct Browser;

impl UriComponent for Browser {
    fn encode(&self, text: &str) -> String {
        js_sys::encode_uri_component(text).into()
    }

    fn decode(&self, text: &str) -> Option<String> {
        js_sys::decode_uri_component(text).ok().map(String::from)
    }
}

fn fragment() -> String {
    let hash = window().location().hash().unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_string()
}

/// Binds `linked` to the fragment entry `id`. `baseline` is what the finder shows with no entry
/// (the host's presets): that state writes no entry, so the address stays as the host made it
/// until the visitor changes something.
pub fn bind(id: String, linked: Linked, baseline: FinderState) {
    let restore = {
        let (id, baseline) = (id.clone(), baseline.clone());
        move || linked.show(read(&fragment(), &id, &Browser).unwrap_or_else(|| baseline.clone()))
    };
    restore();
    let last_open = StoredValue::new(linked.opened.get_untracked());
    Effect::new(move |_| {
        let state = linked.state();
        let current = fragment();
        let entry = if state == baseline {
            FinderState::default()
        } else {
            state.clone()
        };
        let next = write(&current, &id, &entry, &Browser);
        let opening = state.open.is_some() && state.open != last_open.get_value();
        last_open.set_value(state.open.clone());
        if next == current {
            return;
        }
        let location = window().location();
        let url = format!(
            "{}{}#{next}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if let Ok(history) = window().history() {
            let _ = if opening {
                history.push_state_with_url(&JsValue::NULL, "", Some(&url))
            } else {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
            };
        }
    });
    let listener = window_event_listener(leptos::ev::popstate, move |_| restore());
    on_cleanup(move || listener.remove());
}
