//! What every browser bench needs before it mounts a widget: an element in the page with a
//! shadow root styled by the widgets' stylesheet, as `guanai.js` prepares one.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// A `width_px` wide host with an open shadow root carrying the widgets' stylesheet; returns
/// the `<div>` inside the shadow root to mount into.
pub fn shadow_root(width_px: u32) -> Option<HtmlElement> {
    let document = web_sys::window()?.document()?;
    let host = document.create_element("div").ok()?;
    host.set_attribute("style", &format!("display:block;width:{width_px}px"))
        .ok()?;
    document.body()?.append_child(&host).ok()?;
    let shadow = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .ok()?;
    let sheet = web_sys::CssStyleSheet::new().ok()?;
    sheet.replace_sync(guanai_widgets::STYLESHEET).ok()?;
    js_sys::Reflect::set(
        &shadow,
        &"adoptedStyleSheets".into(),
        &js_sys::Array::of1(&sheet),
    )
    .ok()?;
    let root: HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
    shadow.append_child(&root).ok()?;
    Some(root)
}
