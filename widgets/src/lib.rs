//! Guanai's embeddable widgets: Leptos components, compiled to WebAssembly, mounted by the
//! custom elements that `guanai.js` defines (one folder per widget).
//!
//! With the admin view (`widgets/admin/`), the only crates that know Leptos and the DOM. The domain (model, search, strings)
//! comes from `guanai-core`; the loader (`widgets/loader/guanai.js`) owns the custom element
//! lifecycle and calls the `mount_*` functions exported here once per element.

pub mod api;
pub mod benefit_finder;
pub mod catalogue_json;
pub mod element;
pub mod filters;
pub mod form;
pub mod http;
pub mod loading;
pub mod my_signup;
pub mod offline;
pub mod partner_apply;
pub mod partner_map;
pub mod share;
pub mod signup_form;

/// The CSS of every widget (each bundle's stylesheet is the part its elements use, see
/// `xtask/src/build.rs`), which the loader adopts into each shadow root through one shared
/// constructed stylesheet. Here for the browser tests, which style their shadow roots alike.
pub const STYLESHEET: &str = concat!(
    include_str!("base.css"),
    include_str!("benefit_finder/finder.css"),
    include_str!("form.css"),
    include_str!("partner_map/map.css"),
);
