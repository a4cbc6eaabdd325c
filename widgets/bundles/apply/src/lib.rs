//! The partner application's bundle: what a page with `<guanai-partner-apply>` downloads.

use guanai_widgets::element::Widget;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::HtmlElement;

/// `<guanai-partner-apply>`.
#[wasm_bindgen]
pub fn mount_partner_apply(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    guanai_widgets::partner_apply::mount(host, root, default_api)
}
