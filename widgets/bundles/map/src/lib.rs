//! The map's bundle: what a page with `<guanai-partner-map>` downloads. It carries the finder
//! too, because the map points a finder on the same page at the partner picked (`finder="#id"`):
//! the two share the framework and the catalogue code in one module instead of two.

use guanai_widgets::element::Widget;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::HtmlElement;

/// `<guanai-partner-map>`.
#[wasm_bindgen]
pub fn mount_partner_map(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    guanai_widgets::partner_map::mount(host, root, default_api)
}

/// `<guanai-benefit-finder>`, on a page with a map.
#[wasm_bindgen]
pub fn mount_benefit_finder(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    guanai_widgets::benefit_finder::mount(host, root, default_api)
}
