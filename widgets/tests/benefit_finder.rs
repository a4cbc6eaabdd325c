//! The finder component in a real browser (headless Chromium via wasm-bindgen-test), mounted in
//! a shadow root as `guanai.js` mounts it, over an in-memory catalogue (no network).

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use std::any::Any;

use guanai_core::Lang;
use guanai_widgets::api::LoadedCatalogue;
use guanai_widgets::benefit_finder::{FinderView, Loaded, Presets};
use guanai_widgets::element::{Attributes, Host};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A finder mounted in its own shadow root; unmounted when dropped.
struct Mounted {
    host: web_sys::Element,
    root: HtmlElement,
    handle: Option<Box<dyn Any>>,
}

impl Mounted {
    fn new(
        loaded: Loaded,
        lang: Lang,
        attributes: &'static [(&'static str, Option<&'static str>)],
    ) -> Mounted {
        let document = web_sys::window().unwrap().document().unwrap();
        let host = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&host).unwrap();
        let shadow = host
            .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .unwrap();
        let root: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
        shadow.append_child(&root).unwrap();
        let handle = leptos::mount::mount_to(root.clone(), move || {
            let presets = Presets::from_attributes(&Attributes::from_pairs(attributes));
            view! { <FinderView loaded lang=Signal::stored(lang) presets host=Host::detached() /> }
        });
        Mounted {
            host,
            root,
            handle: Some(Box::new(handle)),
        }
    }

    fn count_text(&self) -> String {
        self.root
            .query_selector(".count")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    }

    fn card_ids(&self) -> Vec<String> {
        let cards = self.root.query_selector_all(".card").unwrap();
        (0..cards.length())
            .map(|i| {
                cards
                    .item(i)
                    .unwrap()
                    .dyn_into::<web_sys::Element>()
                    .unwrap()
                    .get_attribute("data-benefit")
                    .unwrap()
            })
            .collect()
    }

    fn element<T: JsCast>(&self, selector: &str) -> T {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
            .dyn_into()
            .unwrap()
    }

    async fn type_query(&self, text: &str) {
        let input: HtmlInputElement = self.element("input[type=search]");
        input.set_value(text);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        input
            .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
        tick().await;
    }

    async fn click(&self, selector: &str) {
        self.element::<HtmlElement>(selector).click();
        tick().await;
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.handle.take();
        self.host.remove();
    }
}

fn demo() -> Loaded {
    LoadedCatalogue::new(guanai_core::demo::programme())
}

#[wasm_bindgen_test]
async fn typing_a_chinese_keyword_narrows_to_the_dental_offers() {
    let finder = Mounted::new(demo(), Lang::ZhCn, &[]);
    tick().await;
    let everything = finder.card_ids().len();
    assert!(everything > 5, "{everything} cards");
    finder.type_query("口腔").await;
    assert_eq!(finder.count_text(), "共 2 项福利");
    let ids = finder.card_ids();
    assert_eq!(ids.len(), 2);
    assert!(
        ids.iter().all(|id| id.starts_with("weier-dental")),
        "{ids:?}"
    );
}

#[wasm_bindgen_test]
async fn area_chips_filter_and_report_their_state() {
    let finder = Mounted::new(demo(), Lang::ZhCn, &[]);
    tick().await;
    finder.click("button[data-area=civic]").await;
    let chip: HtmlElement = finder.element("button[data-area=civic]");
    assert_eq!(chip.get_attribute("aria-pressed").as_deref(), Some("true"));
    let ids = finder.card_ids();
    assert!(!ids.is_empty());
    let catalogue = guanai_core::demo::programme();
    for id in ids {
        let benefit = catalogue.benefits.iter().find(|b| b.id == id).unwrap();
        assert_eq!(benefit.area, guanai_core::ServiceArea::Civic);
    }
    finder.click("button[data-area=civic]").await;
    assert_eq!(
        finder
            .element::<HtmlElement>("button[data-area=civic]")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn nothing_found_says_so_and_clear_filters_brings_everything_back() {
    let finder = Mounted::new(demo(), Lang::En, &[]);
    tick().await;
    let everything = finder.card_ids().len();
    finder.type_query("no such offer anywhere").await;
    assert_eq!(finder.count_text(), "0 benefits");
    assert!(
        finder
            .root
            .text_content()
            .unwrap()
            .contains("No benefits match")
    );
    finder.click(".toggles .link-button").await;
    assert_eq!(finder.card_ids().len(), everything);
    assert_eq!(
        finder
            .element::<HtmlInputElement>("input[type=search]")
            .value(),
        ""
    );
}

#[wasm_bindgen_test]
async fn partner_attribute_scopes_the_finder() {
    let finder = Mounted::new(demo(), Lang::ZhCn, &[("partner", Some("hanting-xingkong"))]);
    tick().await;
    let ids = finder.card_ids();
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| id.starts_with("hanting-xingkong")),
        "{ids:?}"
    );
    assert!(
        finder
            .root
            .text_content()
            .unwrap()
            .contains("汉庭星空酒店北京分店")
    );
}

#[wasm_bindgen_test]
async fn details_open_on_demand_with_how_to_redeem() {
    let finder = Mounted::new(demo(), Lang::En, &[("partner", Some("weier-dental"))]);
    tick().await;
    let toggle: HtmlElement = finder.element(".card .link-button");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    toggle.click();
    tick().await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let details: HtmlElement = finder.element(".card .details");
    assert!(!details.hidden());
    let text = details.text_content().unwrap();
    assert!(text.contains("How to redeem"), "{text}");
    assert!(
        text.contains("Haidian campus"),
        "locations are listed: {text}"
    );
}

#[wasm_bindgen_test]
async fn ten_thousand_benefits_render_one_page_and_keep_rows_across_keystrokes() {
    let loaded = LoadedCatalogue::new(guanai_core::synthetic::catalogue(10_000));
    let finder = Mounted::new(loaded, Lang::ZhCn, &[]);
    tick().await;
    assert_eq!(
        finder.card_ids().len(),
        guanai_widgets::benefit_finder::PAGE
    );
    let first = finder.root.query_selector(".card").unwrap().unwrap();
    let first_id = first.get_attribute("data-benefit").unwrap();
    // A query that the first row still matches keeps that very DOM node: rows are keyed.
    let title = finder
        .element::<HtmlElement>(".card h3")
        .text_content()
        .unwrap();
    finder.type_query(&title).await;
    let still_first = finder.root.query_selector(".card").unwrap().unwrap();
    assert_eq!(still_first.get_attribute("data-benefit").unwrap(), first_id);
    assert!(
        still_first.is_same_node(Some(&first)),
        "the matching row was rebuilt"
    );
    finder.type_query("").await;
    finder.click(".more button").await;
    assert_eq!(
        finder.card_ids().len(),
        2 * guanai_widgets::benefit_finder::PAGE
    );
}

#[wasm_bindgen_test]
async fn two_finders_on_one_page_are_independent_and_unmount_cleanly() {
    let first = Mounted::new(demo(), Lang::ZhCn, &[]);
    let second = Mounted::new(demo(), Lang::En, &[]);
    tick().await;
    let before = second.count_text();
    first.type_query("口腔").await;
    assert_eq!(first.card_ids().len(), 2);
    assert_eq!(second.count_text(), before);
    assert!(
        second.count_text().ends_with("benefits"),
        "English labels: {}",
        second.count_text()
    );
    let second_root = second.root.clone();
    drop(second);
    assert_eq!(
        second_root.child_element_count(),
        0,
        "unmount leaves nothing behind"
    );
    assert_eq!(first.card_ids().len(), 2, "the other finder is untouched");
}

#[wasm_bindgen_test]
async fn hostile_catalogue_text_is_shown_as_text_never_run() {
    let hostile = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>\u{202e}evil\u{2067} 👩‍👩‍👧 &amp;";
    let long = "长".repeat(10_000);
    let mut programme = guanai_core::demo::programme();
    programme.benefits[0].title.zh = hostile.into();
    programme.benefits[1].title.zh = long.clone();
    let first = programme.benefits[0].id.clone();
    let partner = programme.benefits[0].partner.clone();
    if let Some(owner) = programme.partners.iter_mut().find(|p| p.id == partner) {
        owner.name.zh = hostile.into();
    }
    let finder = Mounted::new(LoadedCatalogue::new(programme), Lang::ZhCn, &[]);
    tick().await;
    let title: web_sys::Element = finder.element(&format!(".card[data-benefit={first:?}] h3"));
    assert_eq!(
        title.text_content().unwrap(),
        hostile,
        "shown exactly as typed"
    );
    assert!(
        finder.root.query_selector("img, script").unwrap().is_none(),
        "no markup was created from the text"
    );
    assert!(
        finder.root.text_content().unwrap().contains(&long),
        "a 10,000-character title is shown whole"
    );
    // Give any injected handler a chance to run before checking it never did.
    tick().await;
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"pwned".into()).unwrap();
    assert!(pwned.is_undefined(), "nothing ran");
}
