//! The management view's bundle: what `/me` and a page with `<guanai-my-signup>` download. Its
//! own bundle, so the sign-up page does not carry the stored-data view, the correction form's
//! reader of the stored sign-up and the download.

use guanai_widgets::element::Widget;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::HtmlElement;

/// `<guanai-my-signup>`.
#[wasm_bindgen]
pub fn mount_my_signup(host: HtmlElement, root: HtmlElement, default_api: String) -> Widget {
    guanai_widgets::my_signup::mount(host, root, default_api)
}
