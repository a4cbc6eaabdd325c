//! The finder's bundle: what a page with `<guanai-benefit-finder>` (and no map) downloads.

use guanai_widgets::element::Widget;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::HtmlElement;

/// `<guanai-benefit-finder>`.
#[wasm_bindgen]
pub fn mount_benefit_finder(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    guanai_widgets::benefit_finder::mount(host, root, default_api)
}
