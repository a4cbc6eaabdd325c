//! The sign-up form's bundle: what a page with `<guanai-signup-form>` downloads.

use guanai_widgets::element::Widget;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::HtmlElement;

/// `<guanai-signup-form>`.
#[wasm_bindgen]
pub fn mount_signup_form(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    guanai_widgets::signup_form::mount(host, root, default_api)
}
