//! Keystroke → DOM updated in the benefit finder over 10,000 benefits, in headless Chromium:
//! `cargo xtask bench` runs this with wasm-bindgen-test's bench runner and prints the figures.
//!
//! One iteration is one `input` event on the search field — a term typed, or the field cleared
//! or pinyin — then the reactive update (search over the index, the keyed list diff, the count) and a
//! forced style and layout read, as the next frame would need. Painting is not included.

use guanai_core::Lang;
use guanai_widgets::api::LoadedCatalogue;
use guanai_widgets::benefit_finder::{FinderView, Presets};
use guanai_widgets::element::{Attributes, Host};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{Criterion, Instant, wasm_bindgen_bench};
use web_sys::{HtmlElement, HtmlInputElement};

mod support;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// What is typed in turn: whole terms (as an IME commits them), a partial Latin word, pinyin by
/// initials and by syllables (matched against every title, partner name and area), and an
/// empty field — clearing the search re-lists everything, the costliest update.
const INPUTS: [&str; 10] = [
    "口腔",
    "",
    "dental",
    "",
    "示例合作单位9",
    "",
    "kq",
    "",
    "kouqiang",
    "",
];

/// Mounts the finder over `benefits` synthetic benefits in a 390 px wide shadow root (a phone)
/// and returns its search field and its root.
async fn mounted_finder(
    benefits: usize,
) -> Option<(HtmlInputElement, HtmlElement, Box<dyn std::any::Any>)> {
    let root = support::shadow_root(390)?;
    let mut catalogue = guanai_core::synthetic::catalogue(benefits);
    guanai_core::pinyin::generate::table().annotate(&mut catalogue);
    let loaded = LoadedCatalogue::new(catalogue);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let presets = Presets::from_attributes(&Attributes::from_pairs(&[]));
        view! {
            <section class="guanai benefit-finder">
                <FinderView loaded lang=Signal::stored(Lang::ZhCn) presets host=Host::detached() />
            </section>
        }
    });
    tick().await;
    let input = root
        .query_selector("input[type=search]")
        .ok()??
        .dyn_into()
        .ok()?;
    Some((input, root, Box::new(handle)))
}

#[wasm_bindgen_bench]
async fn keystroke_with_10000_benefits(c: &mut Criterion) {
    let Some((input, root, _handle)) = mounted_finder(10_000).await else {
        // A bench that measured nothing must not look like a result.
        panic!("the finder could not be mounted in the bench page");
    };
    c.bench_async_function(
        "keystroke to DOM, 10,000 benefits (typing and clearing the search)",
        move |b| {
            let (input, root) = (input.clone(), root.clone());
            Box::pin(b.iter_custom_future(move |iterations| {
                let (input, root) = (input.clone(), root.clone());
                async move {
                    let mut elapsed = std::time::Duration::ZERO;
                    for i in 0..iterations {
                        let text = INPUTS[i as usize % INPUTS.len()];
                        let started = Instant::now();
                        input.set_value(text);
                        if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &{
                            let init = web_sys::EventInit::new();
                            init.set_bubbles(true);
                            init
                        }) {
                            let _ = input.dispatch_event(&event);
                        }
                        tick().await;
                        let _ = root.offset_height();
                        elapsed += started.elapsed();
                    }
                    elapsed
                }
            }))
        },
    )
    .await;
}
