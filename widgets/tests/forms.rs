//! The sign-up form, the partner application and the management view in a real browser where
//! no server answers: errors appear and clear, focus goes to the first invalid field, drafts
//! keep personal fields only when asked and never consent ticks; the management view without a
//! link and offline. (With the real worker: the end-to-end `tests/tests/my_signup.rs`.)

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use std::any::Any;

use guanai_core::Lang;
use guanai_core::i18n::OwnUi;
use guanai_widgets::element::Host;
use guanai_widgets::my_signup::{MySignupView, secret_from_fragment};
use guanai_widgets::partner_apply::PartnerApplyView;
use guanai_widgets::signup_form::{DRAFT_KEY, SignupFormView};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens here: the catalogue fails to load and the form must still work.
const UNREACHABLE_API: &str = "http://127.0.0.1:9";

struct Mounted {
    host: web_sys::Element,
    shadow: ShadowRoot,
    handle: Option<Box<dyn Any>>,
}

impl Mounted {
    fn new<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Mounted {
        let document = web_sys::window().unwrap().document().unwrap();
        let host = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&host).unwrap();
        let shadow = host
            .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .unwrap();
        let root: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
        shadow.append_child(&root).unwrap();
        let handle = leptos::mount::mount_to(root, view);
        Mounted {
            host,
            shadow,
            handle: Some(Box::new(handle)),
        }
    }

    fn signup() -> Mounted {
        Mounted::new(|| {
            view! {
                <SignupFormView api=Signal::stored(UNREACHABLE_API.to_string()) lang=Signal::stored(Lang::ZhCn)
                    association=Signal::stored(None) host=Host::detached() />
            }
        })
    }

    fn my_signup(secret: Option<String>) -> Mounted {
        Mounted::new(move || {
            view! {
                <MySignupView api=Signal::stored(UNREACHABLE_API.to_string()) lang=Signal::stored(Lang::ZhCn)
                    host=Host::detached() secret />
            }
        })
    }

    fn element<T: JsCast>(&self, selector: &str) -> T {
        self.shadow
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
            .dyn_into()
            .unwrap()
    }

    fn text(&self, selector: &str) -> String {
        self.shadow
            .query_selector(selector)
            .unwrap()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    async fn type_into(&self, selector: &str, text: &str) {
        let input: HtmlInputElement = self.element(selector);
        input.set_value(text);
        input
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
        input
            .dispatch_event(&web_sys::Event::new("blur").unwrap())
            .unwrap();
        tick().await;
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.handle.take();
        self.host.remove();
    }
}

fn clear_drafts() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_field_error_appears_when_the_field_is_left_and_clears_when_fixed() {
    clear_drafts();
    let form = Mounted::signup();
    tick().await;
    assert_eq!(
        form.text("#signup-mobile-error"),
        "",
        "no error before the field is visited"
    );
    form.type_into("#signup-mobile", "123").await;
    assert!(
        form.text("#signup-mobile-error").contains("11位"),
        "{}",
        form.text("#signup-mobile-error")
    );
    let mobile: HtmlInputElement = form.element("#signup-mobile");
    assert_eq!(
        mobile.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        mobile.get_attribute("aria-describedby").as_deref(),
        Some("signup-mobile-error")
    );
    form.type_into("#signup-mobile", "+86 139 1234 5678").await;
    assert_eq!(form.text("#signup-mobile-error"), "");
    assert_eq!(
        mobile.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn submitting_an_empty_form_lists_the_errors_and_focuses_the_first_field() {
    clear_drafts();
    let form = Mounted::signup();
    tick().await;
    form.element::<HtmlElement>("button[type=submit]").click();
    tick().await;
    tick().await;
    assert!(
        form.text(".error-summary").contains("处需要修改"),
        "{}",
        form.text(".error-summary")
    );
    assert!(!form.text("#signup-name-error").is_empty());
    assert!(!form.text("#signup-consents-privacy-error").is_empty());
    let focused = form
        .shadow
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default();
    assert_eq!(focused, "signup-name");
}

#[wasm_bindgen_test]
async fn health_interest_asks_for_its_own_consent() {
    clear_drafts();
    let form = Mounted::signup();
    tick().await;
    assert!(
        form.shadow
            .query_selector("#signup-consents-health")
            .unwrap()
            .is_none()
    );
    form.element::<HtmlElement>("input[name=interests][value=health]")
        .click();
    tick().await;
    assert!(
        form.shadow
            .query_selector("#signup-consents-health")
            .unwrap()
            .is_some()
    );
}

#[wasm_bindgen_test]
async fn personal_fields_stay_out_of_the_host_pages_storage_unless_the_person_asks() {
    clear_drafts();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    {
        let form = Mounted::signup();
        tick().await;
        form.type_into("#signup-name", "王芳").await;
        form.type_into("#signup-mobile", "13700001111").await;
        form.type_into("#signup-employer", "和平区社工站").await;
        let saved = storage.get_item(DRAFT_KEY).unwrap().unwrap_or_default();
        for personal in ["王芳", "13700001111", "和平区社工站"] {
            assert!(!saved.contains(personal), "{personal} was kept: {saved}");
        }
    }
    let again = Mounted::signup();
    tick().await;
    assert_eq!(
        again.element::<HtmlInputElement>("#signup-name").value(),
        "",
        "nothing personal comes back without the person's choice"
    );
}

#[wasm_bindgen_test]
async fn a_remembered_draft_comes_back_without_its_consents() {
    clear_drafts();
    {
        let form = Mounted::signup();
        tick().await;
        form.element::<HtmlElement>("#signup-remember").click();
        form.type_into("#signup-name", "王芳").await;
        form.type_into("#signup-mobile", "13700001111").await;
        form.element::<HtmlElement>("#signup-consents-privacy")
            .click();
        tick().await;
        assert!(
            form.element::<HtmlInputElement>("#signup-consents-privacy")
                .checked()
        );
    }
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let saved = storage.get_item(DRAFT_KEY).unwrap().unwrap();
    assert!(saved.contains("王芳"));
    assert!(
        !saved.contains("\"privacy\":true"),
        "consent ticks are never saved: {saved}"
    );

    let again = Mounted::signup();
    tick().await;
    assert!(
        again
            .element::<HtmlInputElement>("#signup-remember")
            .checked(),
        "the choice to remember is remembered"
    );
    assert_eq!(
        again.element::<HtmlInputElement>("#signup-name").value(),
        "王芳"
    );
    assert_eq!(
        again.element::<HtmlInputElement>("#signup-mobile").value(),
        "13700001111"
    );
    assert!(
        !again
            .element::<HtmlInputElement>("#signup-consents-privacy")
            .checked()
    );
    assert!(again.text(".notice").contains("已恢复"));
    clear_drafts();
}

#[wasm_bindgen_test]
async fn the_partner_application_checks_the_credit_code_as_you_type() {
    clear_drafts();
    let form = Mounted::new(|| {
        view! { <PartnerApplyView api=Signal::stored(UNREACHABLE_API.to_string()) lang=Signal::stored(Lang::En) host=Host::detached() /> }
    });
    tick().await;
    form.type_into("#apply-credit_code", "91110000802100433C")
        .await;
    assert!(
        form.text("#apply-credit_code-error")
            .contains("check character"),
        "{}",
        form.text("#apply-credit_code-error")
    );
    form.type_into("#apply-credit_code", "91110000802100433B")
        .await;
    assert_eq!(form.text("#apply-credit_code-error"), "");
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
    let view = Mounted::my_signup(None);
    let shadow = &view.shadow;
    let notice = text_once_shown(shadow, ".notice").await;
    assert_eq!(notice, OwnUi::NoLink.get(Lang::ZhCn));
    assert!(shadow.query_selector("button").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn offline_the_view_says_so_and_offers_a_retry() {
    let view = Mounted::my_signup(Some("ab".repeat(16)));
    let shadow = &view.shadow;
    let retry = text_once_shown(shadow, ".notice[role=alert] button").await;
    assert_eq!(retry, OwnUi::Retry.get(Lang::ZhCn));
    let notice = text_once_shown(shadow, ".notice[role=alert] p").await;
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
