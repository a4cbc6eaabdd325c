//! The sign-up form's bundle: what a page with `<guanai-signup-form>` or `<guanai-my-signup>`
//! downloads (the management view corrects with the form's own fields and rules).

use guanai_widgets::element::Widget;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::HtmlElement;

/// `<guanai-signup-form>`.
#[wasm_bindgen]
pub fn mount_signup_form(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    guanai_widgets::signup_form::mount(host, root, default_api)
}

/// `<guanai-my-signup>`.
#[wasm_bindgen]
pub fn mount_my_signup(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    guanai_widgets::my_signup::mount(host, root, default_api)
}
