//! `<guanai-my-signup>` in a real browser where no server answers: what a person sees without a
//! link and offline, and which fragments count as a link. (With the real worker: the end-to-end
//! `tests/tests/my_signup.rs`.)

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use guanai_core::Lang;
use guanai_core::i18n::OwnUi;
use guanai_widgets::element::Host;
use guanai_widgets::my_signup::{MySignupView, secret_from_fragment};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens here.
const UNREACHABLE_API: &str = "http://127.0.0.1:9";

/// The view mounted in a shadow root of its own, as the loader mounts it.
fn mounted(secret: Option<String>) -> (ShadowRoot, impl Sized) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let shadow = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    shadow.append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root, move || {
        view! {
            <MySignupView api=Signal::stored(UNREACHABLE_API.to_string()) lang=Signal::stored(Lang::ZhCn)
                host=Host::detached() secret />
        }
    });
    (shadow, handle)
}

/// The next animation frame.
async fn frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().request_animation_frame(&resolve);
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// The text of `selector` once it is there (a refused connection takes a few frames).
async fn text_once_shown(shadow: &ShadowRoot, selector: &str) -> String {
    for _ in 0..1_200 {
        if let Some(element) = shadow.query_selector(selector).unwrap() {
            return element.text_content().unwrap_or_default();
        }
        frame().await;
    }
    panic!("{selector} never appeared: {:?}", shadow.inner_html());
}

#[wasm_bindgen_test]
async fn without_a_link_the_view_says_how_to_get_one_and_calls_nothing() {
    let (shadow, _handle) = mounted(None);
    let notice = text_once_shown(&shadow, ".notice").await;
    assert_eq!(notice, OwnUi::NoLink.get(Lang::ZhCn));
    assert!(shadow.query_selector("button").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn offline_the_view_says_so_and_offers_a_retry() {
    let (shadow, _handle) = mounted(Some("ab".repeat(16)));
    let retry = text_once_shown(&shadow, ".notice[role=alert] button").await;
    assert_eq!(retry, OwnUi::Retry.get(Lang::ZhCn));
    let notice = text_once_shown(&shadow, ".notice[role=alert] p").await;
    assert_eq!(notice, OwnUi::Offline.get(Lang::ZhCn));
}

#[wasm_bindgen_test]
fn only_a_fragment_of_the_secrets_form_counts_as_a_link() {
    let location = web_sys::window().unwrap().location();
    location.set_hash(&"AB12".repeat(8)).unwrap();
    assert_eq!(secret_from_fragment(), Some("ab12".repeat(8)));
    for not_a_secret in ["", "ab12", "zz12zz12zz12zz12zz12zz12zz12zz12", "search=kq"] {
        location.set_hash(not_a_secret).unwrap();
        assert_eq!(secret_from_fragment(), None, "{not_a_secret}");
    }
    location.set_hash("").unwrap();
}
