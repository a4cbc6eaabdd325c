//! The partner map in a real browser (headless Chromium via wasm-bindgen-test), mounted in a
//! shadow root as `guanai.js` mounts it, over the in-memory demo programme (no network).

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use std::any::Any;

use guanai_core::Lang;
use guanai_widgets::api::LoadedCatalogue;
use guanai_widgets::benefit_finder::{Loaded, Presets};
use guanai_widgets::element::{Attributes, Host};
use guanai_widgets::partner_map::{MapOptions, MapView};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A map mounted in its own 800 × 900 px shadow root; unmounted when dropped.
struct Mounted {
    host: Element,
    shadow: web_sys::ShadowRoot,
    handle: Option<Box<dyn Any>>,
}

impl Mounted {
    async fn new(
        loaded: Loaded,
        lang: Lang,
        attributes: &'static [(&'static str, Option<&'static str>)],
    ) -> Mounted {
        let document = web_sys::window().unwrap().document().unwrap();
        let host = document.create_element("div").unwrap();
        host.set_attribute("style", "display:block;width:800px")
            .unwrap();
        document.body().unwrap().append_child(&host).unwrap();
        let shadow = host
            .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .unwrap();
        let sheet = web_sys::CssStyleSheet::new().unwrap();
        sheet.replace_sync(guanai_widgets::STYLESHEET).unwrap();
        let sheets = js_sys::Array::of1(&sheet);
        js_sys::Reflect::set(&shadow, &"adoptedStyleSheets".into(), &sheets).unwrap();
        let root: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
        shadow.append_child(&root).unwrap();
        let handle = leptos::mount::mount_to(root, move || {
            let attributes = Attributes::from_pairs(attributes);
            let presets = Presets::from_attributes(&attributes);
            let options = MapOptions::from_attributes(&attributes);
            view! {
                <section class="guanai partner-map">
                    <MapView loaded lang=Signal::stored(lang) presets options host=Host::detached() />
                </section>
            }
        });
        let mounted = Mounted {
            host,
            shadow,
            handle: Some(Box::new(handle)),
        };
        mounted.settle().await;
        mounted
    }

    /// Lets effects and the animation frame that moves focus run.
    async fn settle(&self) {
        for _ in 0..3 {
            tick().await;
        }
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .request_animation_frame(&resolve)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(frame).await.unwrap();
        tick().await;
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let found = self.shadow.query_selector_all(selector).unwrap();
        (0..found.length())
            .map(|i| found.item(i).unwrap().dyn_into().unwrap())
            .collect()
    }

    fn one(&self, selector: &str) -> Element {
        self.shadow
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
    }

    fn text(&self) -> String {
        self.shadow.text_content().unwrap_or_default()
    }

    /// How many locations the pins and clusters on the map stand for.
    fn pinned_locations(&self) -> usize {
        self.all(".pins .pin").len()
            + self
                .all(".pins .cluster")
                .iter()
                .map(|c| {
                    c.get_attribute("data-count")
                        .unwrap()
                        .parse::<usize>()
                        .unwrap()
                })
                .sum::<usize>()
    }

    async fn click(&self, selector: &str) {
        let element = self.one(selector);
        let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &{
            let init = web_sys::MouseEventInit::new();
            init.set_bubbles(true);
            init.set_composed(true);
            init
        })
        .unwrap();
        element.dispatch_event(&event).unwrap();
        self.settle().await;
    }

    async fn key(&self, target: &Element, key: &str) {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_cancelable(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        target.dispatch_event(&event).unwrap();
        self.settle().await;
    }

    fn focused(&self) -> Option<Element> {
        self.shadow.active_element()
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
async fn every_demo_location_is_on_the_map_as_a_pin_or_in_a_cluster() {
    let map = Mounted::new(demo(), Lang::ZhCn, &[]).await;
    assert_eq!(map.pinned_locations(), 10);
    assert!(map.text().contains("共 10 个服务地点"));
    assert_eq!(map.all(".places .place").len(), 10);
    // The offline base map: the three provinces, no tiles, Natural Earth credited.
    assert_eq!(map.all(".outlines path").len(), 3);
    assert!(map.all(".tiles image").is_empty());
    assert!(map.text().contains("Natural Earth"));
}

#[wasm_bindgen_test]
async fn selecting_in_the_list_highlights_the_pin_and_opens_the_card() {
    let map = Mounted::new(demo(), Lang::ZhCn, &[]).await;
    map.click(".place[data-location=weier-dental-xicheng]")
        .await;
    // The map zoomed in until the location stands alone, and marks it.
    let pin = map.one(".pin[data-location=weier-dental-xicheng]");
    assert_eq!(pin.get_attribute("aria-pressed").as_deref(), Some("true"));
    let card = map.one(".card");
    assert_eq!(
        card.get_attribute("data-location").as_deref(),
        Some("weier-dental-xicheng")
    );
    let text = card.text_content().unwrap();
    assert!(text.contains("北京维尔口腔医院"), "{text}");
    assert!(text.contains("2020 爱心单位"), "{text}");
    // Its current offers, and directions that pass WGS-84 coordinates as such.
    let offers: Vec<String> = map
        .all(".card .offers li")
        .iter()
        .map(|li| li.get_attribute("data-benefit").unwrap())
        .collect();
    assert!(!offers.is_empty() && offers.iter().all(|id| id.starts_with("weier-dental")));
    let links: Vec<String> = map
        .all(".card .directions a")
        .iter()
        .map(|a| a.get_attribute("href").unwrap())
        .collect();
    assert!(
        links[0].starts_with("https://uri.amap.com/navigation?to=116.36")
            && links[0].contains("coordinate=wgs84")
    );
    assert!(
        links[1].starts_with("https://api.map.baidu.com/marker?location=39.94")
            && links[1].contains("coord_type=wgs84")
    );

    // Back to the whole map, the selection is still marked (on its pin or its cluster);
    // selecting another location on the map moves the selection in the list.
    map.click(".controls .reset").await;
    assert_eq!(map.all(".pins .selected").len(), 1);
    let other = map
        .all(".pins .pin")
        .into_iter()
        .find(|p| p.get_attribute("data-location").as_deref() != Some("weier-dental-xicheng"))
        .expect("a single pin at the home view");
    let id = other.get_attribute("data-location").unwrap();
    map.click(&format!(".pin[data-location={id}]")).await;
    let listed = map.one(&format!(".place[data-location={id}]"));
    assert_eq!(
        listed.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let before = map.one(".place[data-location=weier-dental-xicheng]");
    assert_eq!(
        before.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert_eq!(map.one(".card").get_attribute("data-location"), Some(id));
}

#[wasm_bindgen_test]
async fn expanding_a_cluster_by_keyboard_zooms_in_and_keeps_focus_on_the_map() {
    let map = Mounted::new(demo(), Lang::En, &[]).await;
    let cluster = map
        .all(".pins .cluster")
        .into_iter()
        .next()
        .expect("a cluster at the home view");
    let count: usize = cluster
        .get_attribute("data-count")
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        cluster
            .get_attribute("aria-label")
            .unwrap()
            .contains("press Enter to zoom in")
    );
    cluster
        .dyn_ref::<web_sys::SvgElement>()
        .unwrap()
        .focus()
        .unwrap();
    map.key(&cluster, "Enter").await;
    let focused = map.focused().expect("focus stays inside the widget");
    let class = focused.get_attribute("class").unwrap_or_default();
    assert!(
        class.contains("pin") || class.contains("cluster"),
        "focus went to {class:?}"
    );
    // The cluster split: more pins or clusters than before, none bigger than it was.
    assert!(map.all(".pins .cluster").iter().all(|c| {
        c.get_attribute("data-count")
            .unwrap()
            .parse::<usize>()
            .unwrap()
            < count
    }));
}

#[wasm_bindgen_test]
async fn arrow_keys_pan_and_plus_minus_zoom() {
    let map = Mounted::new(demo(), Lang::ZhCn, &[]).await;
    let svg = map.one("svg.map");
    let transform = || map.one(".pins").get_attribute("transform").unwrap();
    let start = transform();
    map.key(&svg, "ArrowRight").await;
    assert_ne!(transform(), start);
    map.key(&svg, "ArrowLeft").await;
    assert_eq!(transform(), start);
    let outlines = || map.one(".outlines").get_attribute("transform").unwrap();
    let before = outlines();
    map.key(&svg, "+").await;
    assert_ne!(outlines(), before);
    map.key(&svg, "-").await;
    assert_eq!(outlines(), before);
}

#[wasm_bindgen_test]
async fn filters_use_the_finder_vocabulary() {
    let map = Mounted::new(demo(), Lang::ZhCn, &[("region", Some("120000"))]).await;
    assert_eq!(map.pinned_locations(), 1);
    assert_eq!(map.all(".places .place").len(), 1);
    let map = Mounted::new(demo(), Lang::ZhCn, &[]).await;
    map.click("button[data-area=civic]").await;
    let shown = map.all(".places .place").len();
    assert!(shown > 0 && shown < 10, "{shown}");
    assert_eq!(map.pinned_locations(), shown);
}

#[wasm_bindgen_test]
async fn amap_tiles_are_credited_and_requested_at_web_mercator_tile_addresses() {
    let map = Mounted::new(demo(), Lang::ZhCn, &[("tiles", Some("amap"))]).await;
    let images = map.all(".tiles image");
    assert!(!images.is_empty());
    assert!(images.iter().all(|i| {
        i.get_attribute("href")
            .unwrap()
            .contains("is.autonavi.com/appmaptile")
    }));
    assert!(map.text().contains("© 高德地图"));
    let needs_key = Mounted::new(demo(), Lang::En, &[("tiles", Some("tianditu"))]).await;
    assert!(needs_key.all(".tiles image").is_empty());
    assert!(needs_key.text().contains("Tianditu needs a tiles-key"));
}

/// Replaces `navigator.geolocation` for this page with one that answers `script`'s way.
fn fake_geolocation(script: &str) {
    js_sys::eval(&format!(
        "Object.defineProperty(navigator, 'geolocation', {{ configurable: true, value: {{ getCurrentPosition: {script} }} }})"
    ))
    .unwrap();
}

#[wasm_bindgen_test]
async fn near_me_sorts_by_distance_or_explains_a_refusal() {
    // In Tianjin: the Tianjin location comes first, with its distance.
    fake_geolocation(
        "(ok) => setTimeout(() => ok({ coords: { latitude: 39.0842, longitude: 117.2009 } }), 0)",
    );
    let map = Mounted::new(demo(), Lang::En, &[]).await;
    map.click(".near-me").await;
    map.settle().await;
    let first = map.all(".places .place").into_iter().next().unwrap();
    let text = first.text_content().unwrap();
    assert!(
        text.contains("Tianjin") && text.contains("km away"),
        "{text}"
    );
    assert!(map.text().contains("Sorted by distance from you."));
    assert!(map.all(".pins .me").len() == 1);

    fake_geolocation("(ok, fail) => setTimeout(() => fail({ code: 1 }), 0)");
    let refused = Mounted::new(demo(), Lang::ZhCn, &[]).await;
    refused.click(".near-me").await;
    refused.settle().await;
    let alert = refused.one("[role=alert]").text_content().unwrap();
    assert!(alert.contains("您拒绝了定位权限"), "{alert}");
    // The list still works, in catalogue order.
    assert_eq!(refused.all(".places .place").len(), 10);
}

/// Dispatches a pointer event of `kind` at client `(x, y)` on `target`.
fn pointer(target: &Element, kind: &str, x: i32, y: i32) {
    pointer_with_id(target, kind, x, y, 1);
}

/// Dispatches a pointer event of pointer `id` (fingers of a pinch have their own ids).
fn pointer_with_id(target: &Element, kind: &str, x: i32, y: i32, id: i32) {
    let init = web_sys::PointerEventInit::new();
    init.set_pointer_id(id);
    init.set_pointer_type(if id == 1 { "mouse" } else { "touch" });
    init.set_is_primary(id == 1);
    init.set_client_x(x);
    init.set_client_y(y);
    init.set_bubbles(true);
    init.set_composed(true);
    let event = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn dragging_pans_the_map_and_a_drag_is_not_a_click() {
    let map = Mounted::new(demo(), Lang::ZhCn, &[]).await;
    let svg = map.one("svg.map");
    let rect = svg.get_bounding_client_rect();
    let pins = || map.one(".pins").get_attribute("transform").unwrap();
    let before = pins();
    let pin = map.all(".pins .pin").into_iter().next().expect("a pin");
    let (x, y) = (rect.left() as i32 + 200, rect.top() as i32 + 150);
    pointer(&pin, "pointerdown", x, y);
    pointer(&svg, "pointermove", x + 30, y + 10);
    pointer(&svg, "pointermove", x + 60, y + 20);
    pointer(&svg, "pointerup", x + 60, y + 20);
    map.click(".pins .pin").await; // the click a browser sends after the drag
    let parse = |t: String| -> (f64, f64) {
        let inner = t.trim_start_matches("translate(").trim_end_matches(')');
        let (a, b) = inner.split_once(' ').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    let (bx, by) = parse(before);
    let (ax, ay) = parse(pins());
    assert!(
        (ax - bx - 60.0).abs() < 0.1 && (ay - by - 20.0).abs() < 0.1,
        "{ax},{ay} vs {bx},{by}"
    );
    assert!(map.all(".card").is_empty(), "a drag selected a pin");
    // A plain click still selects.
    map.click(".pins .pin").await;
    assert_eq!(map.all(".card").len(), 1);
}

/// The outline layer's `translate(x y) scale(k)`: where the map is and how far it is zoomed.
fn outline_transform(map: &Mounted) -> (f64, f64, f64) {
    let transform = map.one(".outlines").get_attribute("transform").unwrap();
    let numbers: Vec<f64> = transform
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().unwrap())
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

fn outline_scale(map: &Mounted) -> f64 {
    outline_transform(map).2
}

#[wasm_bindgen_test]
async fn the_wheel_and_a_pinch_zoom_about_the_pointer() {
    let map = Mounted::new(demo(), Lang::ZhCn, &[]).await;
    let svg = map.one("svg.map");
    let rect = svg.get_bounding_client_rect();
    let (x, y) = (rect.left() + 150.0, rect.top() + 120.0);
    let before = outline_scale(&map);
    // The map point under the pointer, in the outline layer's own units.
    let under_pointer = |map: &Mounted| {
        let (tx, ty, k) = outline_transform(map);
        ((x - rect.left() - tx) / k, (y - rect.top() - ty) / k)
    };
    let anchored = under_pointer(&map);
    let init = web_sys::WheelEventInit::new();
    init.set_delta_y(-300.0);
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let wheel = web_sys::WheelEvent::new_with_event_init_dict("wheel", &init).unwrap();
    svg.dispatch_event(&wheel).unwrap();
    map.settle().await;
    // One wheel notch of 300 px is one zoom level: twice the scale. The page must not scroll.
    assert!((outline_scale(&map) / before - 2.0).abs() < 0.01);
    assert!(wheel.default_prevented());
    // ... about the pointer: what was under it still is (to a tenth of a pixel).
    let (ax, ay) = anchored;
    let (bx, by) = under_pointer(&map);
    let k = outline_scale(&map);
    assert!(
        ((ax - bx) * k).abs() < 0.1 && ((ay - by) * k).abs() < 0.1,
        "{anchored:?} vs {bx},{by}"
    );

    // Two fingers 100 px apart move to 200 px apart: twice the scale again.
    let before = outline_scale(&map);
    let (x, y) = (x as i32, y as i32);
    pointer_with_id(&svg, "pointerdown", x - 50, y, 11);
    pointer_with_id(&svg, "pointerdown", x + 50, y, 12);
    pointer_with_id(&svg, "pointermove", x + 150, y, 12);
    pointer_with_id(&svg, "pointerup", x + 150, y, 12);
    pointer_with_id(&svg, "pointerup", x - 50, y, 11);
    map.settle().await;
    let ratio = outline_scale(&map) / before;
    assert!((ratio - 2.0).abs() < 0.01, "pinch zoomed by {ratio}");
}

/// The `.picked` marker's translation within the pins group.
fn marker_position(map: &Mounted) -> (f64, f64) {
    let transform = map.one(".picked").get_attribute("transform").unwrap();
    let numbers: Vec<f64> = transform
        .trim_start_matches("translate(")
        .trim_end_matches(')')
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    (numbers[0], numbers[1])
}

#[wasm_bindgen_test]
async fn in_pick_mode_enter_and_a_click_place_the_location_and_say_where() {
    let map = Mounted::new(
        demo(),
        Lang::En,
        &[("pick", Some("")), ("picked", Some("39.904200,116.407400"))],
    )
    .await;
    let svg = map.one("svg.map");
    assert!(
        svg.get_attribute("aria-label")
            .unwrap()
            .contains("press Enter to place"),
        "the map says how to place by keyboard"
    );
    // The host's coordinates show as a marker and in words.
    let typed = marker_position(&map);
    assert!(
        map.one(".picked-at")
            .text_content()
            .unwrap()
            .contains("39.904200, 116.407400")
    );

    // Enter places it at the centre of the view: somewhere else, inside the region.
    map.key(&svg, "Enter").await;
    let centred = marker_position(&map);
    assert_ne!(typed, centred);
    let said = map.one(".picked-at").text_content().unwrap();
    let numbers: Vec<f64> = said
        .trim_start_matches("Location placed at ")
        .split(", ")
        .map(|n| n.parse().unwrap())
        .collect();
    assert!((36.0..43.0).contains(&numbers[0]), "{said}");
    assert!((113.0..120.0).contains(&numbers[1]), "{said}");

    // A click 100 px right of the centre places it there: 100 px further east.
    let rect = svg.get_bounding_client_rect();
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((rect.left() + rect.width() / 2.0 + 100.0) as i32);
    init.set_client_y((rect.top() + rect.height() / 2.0) as i32);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    svg.dispatch_event(&click).unwrap();
    map.settle().await;
    let clicked = marker_position(&map);
    assert!(
        (clicked.0 - centred.0 - 100.0).abs() < 2.0,
        "{clicked:?} vs {centred:?}"
    );
    assert!((clicked.1 - centred.1).abs() < 2.0);
}

#[wasm_bindgen_test]
async fn without_pick_a_click_on_the_map_places_nothing() {
    let map = Mounted::new(demo(), Lang::En, &[]).await;
    map.click("svg.map").await;
    assert!(map.all(".picked").is_empty());
    assert!(map.all(".picked-at").is_empty());
}

#[wasm_bindgen_test]
fn pointers_become_drags_pinches_and_clicks_as_the_gesture_reducer_says() {
    use guanai_widgets::partner_map::gesture::{DRAG_THRESHOLD_PX, Gesture, Moved, ViewChange};
    let mut gesture = Gesture::default();
    // A press and a small wobble is still a click.
    assert!(!gesture.down(1, 100.0, 100.0, (10.0, 20.0)));
    assert_eq!(gesture.moved(1, 102.0, 101.0), Moved::default());
    gesture.up(1);
    assert!(!gesture.take_drag_click(), "a click is a click");
    // Past the threshold it is a drag: the pointer is captured once, the map follows it, and
    // the click that ends it selects nothing.
    gesture.down(1, 100.0, 100.0, (10.0, 20.0));
    let far = 100.0 + DRAG_THRESHOLD_PX + 1.0;
    let first = gesture.moved(1, far, 100.0);
    assert!(first.capture);
    assert_eq!(first.change, Some(ViewChange::Pan(far - 100.0, 0.0)));
    let next = gesture.moved(1, far + 10.0, 90.0);
    assert_eq!(
        next,
        Moved {
            capture: false,
            change: Some(ViewChange::Pan(10.0, -10.0))
        }
    );
    gesture.up(1);
    assert!(gesture.take_drag_click());
    assert!(!gesture.take_drag_click(), "asking consumes the answer");
    // A second finger makes it a pinch, in the map's own pixels.
    gesture.down(1, 110.0, 120.0, (10.0, 20.0));
    assert!(
        gesture.down(2, 210.0, 120.0, (0.0, 0.0)),
        "the second finger is captured"
    );
    let pinch = gesture.moved(2, 310.0, 120.0);
    assert_eq!(
        pinch.change,
        Some(ViewChange::Pinch(
            [(100.0, 100.0), (200.0, 100.0)],
            [(100.0, 100.0), (300.0, 100.0)]
        ))
    );
    // An unknown pointer changes nothing.
    assert_eq!(gesture.moved(9, 0.0, 0.0), Moved::default());
}
