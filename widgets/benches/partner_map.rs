//! Pan frame time of the partner map at 2,000 locations, in headless Chromium: `cargo xtask
//! bench` runs this with wasm-bindgen-test's bench runner and prints the figures.
//!
//! One iteration is one pointer move of a drag: the handler, the reactive update (viewport,
//! culling, keyed pin diff, new pins for what scrolled in), then a forced style and layout
//! read. Painting and compositing happen on the GPU thread after that and are not included.

use guanai_core::Lang;
use guanai_widgets::api::LoadedCatalogue;
use guanai_widgets::benefit_finder::Presets;
use guanai_widgets::element::{Attributes, Host};
use guanai_widgets::partner_map::{MapOptions, MapView};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen_test::{Criterion, Instant, wasm_bindgen_bench};
use web_sys::Element;

mod support;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Lets the browser run a task (timers, the harness's own polling) before continuing.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn pointer(target: &Element, kind: &str, x: i32, y: i32) {
    let init = web_sys::PointerEventInit::new();
    init.set_pointer_id(1);
    init.set_pointer_type("mouse");
    init.set_client_x(x);
    init.set_client_y(y);
    init.set_bubbles(true);
    if let Ok(event) = web_sys::PointerEvent::new_with_event_init_dict(kind, &init) {
        let _ = target.dispatch_event(&event);
    }
}

/// Mounts the map over `locations` generated locations in an 800 px wide shadow root and
/// returns its SVG.
async fn mounted_map(locations: usize) -> Option<(Element, Box<dyn std::any::Any>)> {
    let root = support::shadow_root(800)?;
    // Ten offers per partner and one location each: 2,000 locations.
    let loaded = LoadedCatalogue::new(guanai_core::synthetic::catalogue(locations * 10));
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let attributes = Attributes::from_pairs(&[]);
        let presets = Presets::from_attributes(&attributes);
        view! {
            <section class="guanai partner-map">
                <MapView loaded lang=Signal::stored(Lang::ZhCn) presets options=MapOptions::offline() host=Host::detached() />
            </section>
        }
    });
    for _ in 0..3 {
        tick().await;
    }
    let svg = root.query_selector("svg.map").ok()??;
    Some((svg, Box::new(handle)))
}

#[wasm_bindgen_bench]
async fn pan_with_2000_locations(c: &mut Criterion) {
    let Some((svg, _handle)) = mounted_map(2_000).await else {
        // A bench that measured nothing must not look like a result.
        panic!("the map could not be mounted in the bench page");
    };
    let rect = svg.get_bounding_client_rect();
    let (x0, y0) = (rect.left() as i32 + 400, rect.top() as i32 + 300);
    for (zoom_keys, label) in [
        (0, "home view"),
        (1, "1 zoom step in"),
        (2, "3 zoom steps in"),
    ] {
        for _ in 0..zoom_keys {
            let init = web_sys::KeyboardEventInit::new();
            init.set_key("+");
            init.set_bubbles(true);
            if let Ok(event) =
                web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
            {
                let _ = svg.dispatch_event(&event);
            }
            tick().await;
        }
        for _ in 0..5 {
            tick().await;
        }
        let pins = svg
            .query_selector_all(".pins > g")
            .map(|l| l.length())
            .unwrap_or(0);
        let description =
            format!("pan frame, 2,000 locations, {label}: {pins} pins and clusters in view");
        let svg = svg.clone();
        c.bench_async_function(&description, move |b| {
            let svg = svg.clone();
            Box::pin(b.iter_custom_future(move |iterations| {
                let svg = svg.clone();
                async move {
                    pointer(&svg, "pointerdown", x0, y0);
                    let (mut x, mut step) = (x0, 24);
                    let mut elapsed = std::time::Duration::ZERO;
                    for i in 0..iterations {
                        // Sweep back and forth so the view stays over the data, and give the
                        // browser its event loop back between sweeps (outside the measured
                        // time): a renderer kept busy for 30 s is declared hung by ChromeDriver.
                        if i % 16 == 0 {
                            step = -step;
                            yield_to_browser().await;
                        }
                        x += step;
                        let started = Instant::now();
                        pointer(&svg, "pointermove", x, y0);
                        tick().await;
                        let _ = svg.get_bounding_client_rect();
                        if let Ok(Some(pin)) = svg.query_selector(".pins > g") {
                            let _ = pin.get_bounding_client_rect();
                        }
                        elapsed += started.elapsed();
                    }
                    pointer(&svg, "pointerup", x, y0);
                    elapsed
                }
            }))
        })
        .await;
    }
}
