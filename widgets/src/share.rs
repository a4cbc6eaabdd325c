//! Handing a link on: the system share sheet where the browser has one (phones, WeChat's
//! WebView on Android and iOS), else the clipboard, else the link shown for copying by hand
//! (older WebViews and plain-http pages have no `navigator.clipboard`).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What became of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handed {
    /// Given to the system share sheet (or the person closed it: nothing to say).
    Shared,
    /// On the clipboard.
    Copied,
    /// Neither works here: the person copies the link shown.
    ByHand,
}

/// Writes `text` to the clipboard; `false` where there is none or it is refused.
pub async fn copy_text(text: &str) -> bool {
    let clipboard = web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).ok())
        .filter(JsValue::is_object)
        .map(|clipboard| clipboard.unchecked_into::<web_sys::Clipboard>());
    match clipboard {
        Some(clipboard) => JsFuture::from(clipboard.write_text(text)).await.is_ok(),
        None => false,
    }
}

/// `navigator.share({title, url})` where it exists, else [`copy_text`].
pub async fn share_link(title: &str, url: &str) -> Handed {
    if let Some(shared) = system_share(title, url) {
        // A closed sheet rejects the promise too; either way the person has decided.
        let _ = JsFuture::from(shared).await;
        return Handed::Shared;
    }
    if copy_text(url).await {
        Handed::Copied
    } else {
        Handed::ByHand
    }
}

fn system_share(title: &str, url: &str) -> Option<js_sys::Promise> {
    let navigator = web_sys::window()?.navigator();
    let share = js_sys::Reflect::get(&navigator, &"share".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let data = js_sys::Object::new();
    js_sys::Reflect::set(&data, &"title".into(), &title.into()).ok()?;
    js_sys::Reflect::set(&data, &"url".into(), &url.into()).ok()?;
    share.call1(&navigator, &data).ok()?.dyn_into().ok()
}
