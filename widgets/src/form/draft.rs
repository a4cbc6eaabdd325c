//! Drafts in localStorage, and the key of one submission attempt.

use serde::{Serialize, de::DeserializeOwned};

/// A draft in localStorage: what was typed, never the consent ticks (consent must be given
/// knowingly at submit time). The storage is the host site's, readable by any script of it, so
/// personal fields are kept only when the person asks ([`Draft::remembered`]). Storage may be
/// unavailable (private mode, sandboxed iframe): then drafts are simply not kept.
pub struct Draft {
    key: String,
}

impl Draft {
    pub fn new(key: impl Into<String>) -> Draft {
        Draft { key: key.into() }
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn load<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&Draft::storage()?.get_item(&self.key).ok()??).ok()
    }

    pub fn save<T: Serialize>(&self, value: &T) {
        if let (Some(storage), Ok(text)) = (Draft::storage(), serde_json::to_string(value)) {
            let _ = storage.set_item(&self.key, &text);
        }
    }

    /// Whether the person asked to remember what they type on this device.
    pub fn remembered(&self) -> bool {
        Draft::storage()
            .and_then(|storage| storage.get_item(&self.remember_key()).ok().flatten())
            .is_some()
    }

    /// Records the person's choice to remember (or no longer remember) what they type.
    pub fn set_remembered(&self, on: bool) {
        if let Some(storage) = Draft::storage() {
            let _ = if on {
                storage.set_item(&self.remember_key(), "1")
            } else {
                storage.remove_item(&self.remember_key())
            };
        }
    }

    fn remember_key(&self) -> String {
        format!("{}:remember", self.key)
    }

    /// Removes the draft and the choice to remember.
    pub fn clear(&self) {
        if let Some(storage) = Draft::storage() {
            let _ = storage.remove_item(&self.key);
            let _ = storage.remove_item(&self.remember_key());
        }
    }
}

/// A fresh key for one submission attempt.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "k-{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}
