//! The partner map as a person sees it: the example page with the map and the finder, the
//! bundle and the catalogue from the real worker, in headless Chromium (a 390 px phone).

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use guanai_core::Catalogue;
use guanai_e2e::{base, browser, http, shadow, visit, wait_until};

/// The catalogue the worker serves (what the seeded KV holds).
fn published() -> Catalogue {
    let body = http()
        .get(&format!("{}/v1/catalog", base()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str(&body).unwrap()
}

/// Opens the map page and waits until the map has drawn pins for every location.
async fn open_map(client: &mut Client, catalogue: &Catalogue) {
    visit(client, &format!("{}/examples/map.html", base())).await;
    let locations: usize = catalogue.partners.iter().map(|p| p.locations.len()).sum();
    // Pins count one location each, clusters their data-count.
    wait_until(
        client,
        &format!(
            "const root = {}; if (!root) return false; \
             const pins = root.querySelectorAll('.pins .pin').length; \
             const clustered = [...root.querySelectorAll('.pins .cluster')] \
                 .reduce((n, c) => n + Number(c.dataset.count), 0); \
             return pins + clustered === {locations} && pins + clustered;",
            shadow("map")
        ),
    )
    .await;
}

async fn press(client: &Client, key: Key) {
    let key: char = key.into();
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(actions).await.expect("key pressed");
}

/// Class and data-location of the element focused inside the map's shadow root.
async fn focused_in_map(client: &Client) -> (String, String) {
    let value = client
        .execute(
            &format!(
                "const a = {}.activeElement; return [a?.getAttribute('class') ?? '', a?.dataset?.location ?? ''];",
                shadow("map")
            ),
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn every_location_is_pinned_and_clicking_a_pin_opens_its_card_and_the_finder() {
    let catalogue = published();
    let mut client = browser().await;
    open_map(&mut client, &catalogue).await;
    let listed = wait_until(
        &client,
        &format!(
            "return [...{}.querySelectorAll('.places .place')].map(b => b.dataset.location);",
            shadow("map")
        ),
    )
    .await;
    let mut listed: Vec<String> = serde_json::from_value(listed).unwrap();
    listed.sort();
    let mut expected: Vec<String> = catalogue
        .partners
        .iter()
        .flat_map(|p| p.locations.iter().map(|l| l.id.clone()))
        .collect();
    expected.sort();
    assert_eq!(listed, expected);

    // A real click on the Tianjin partner's pin.
    let host = client.find(Locator::Id("map")).await.unwrap();
    let root = host.shadow_root().await.unwrap();
    root.find(Locator::Css(".pin[data-location=yikang-tianjin-xiqing]"))
        .await
        .expect("the Tianjin location stands alone at the home view")
        .click()
        .await
        .expect("clicked");
    let offers = wait_until(
        &client,
        &format!(
            "const card = {}.querySelector('.card[data-location=yikang-tianjin-xiqing]'); \
             return card && [...card.querySelectorAll('.offers li')].map(li => li.dataset.benefit);",
            shadow("map")
        ),
    )
    .await;
    let offers: Vec<String> = serde_json::from_value(offers).unwrap();
    let today = guanai_core::time::shanghai_date(chrono::Utc::now());
    let expected: Vec<String> = catalogue
        .benefits
        .iter()
        .filter(|b| b.partner == "yikang-tianjin" && b.is_valid_on(today))
        .map(|b| b.id.clone())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(offers, expected);
    let card_text = wait_until(
        &client,
        &format!(
            "return {}.querySelector('.card').textContent;",
            shadow("map")
        ),
    )
    .await;
    let card_text = card_text.as_str().unwrap();
    assert!(card_text.contains("天津"), "{card_text}");
    assert!(card_text.contains("39.06400, 117.12900"), "{card_text}");

    // "Show in the benefit finder" scopes the finder on the same page to this partner.
    root.find(Locator::Css(".card .actions .button:not(.secondary)"))
        .await
        .expect("the finder button")
        .click()
        .await
        .expect("clicked");
    let ids = wait_until(
        &client,
        &format!(
            "const ids = [...({}?.querySelectorAll('.card') ?? [])].map(c => c.dataset.benefit); \
             return ids.length > 0 && ids.every(id => id.startsWith('yikang-tianjin')) && ids;",
            shadow("finder")
        ),
    )
    .await;
    assert!(ids.as_array().unwrap().len() >= expected.len());
}

#[tokio::test]
async fn keyboard_only_selection_through_the_list() {
    let catalogue = published();
    let mut client = browser().await;
    open_map(&mut client, &catalogue).await;
    // Tab from the top of the page until focus reaches the list, as a keyboard user would.
    let mut focused = focused_in_map(&client).await;
    for _ in 0..80 {
        if focused.0 == "place" {
            break;
        }
        press(&client, Key::Tab).await;
        focused = focused_in_map(&client).await;
    }
    assert_eq!(focused.0, "place", "Tab never reached the list");
    press(&client, Key::Tab).await;
    let (class, location) = focused_in_map(&client).await;
    assert_eq!(class, "place");
    press(&client, Key::Enter).await;
    let selected = wait_until(
        &client,
        &format!(
            "const root = {}; \
             const card = root.querySelector('.card[data-location={location}]'); \
             const item = root.querySelector('.place[data-location={location}]'); \
             const pin = root.querySelector('.pin[data-location={location}]'); \
             return card && item.getAttribute('aria-pressed') === 'true' \
                 && pin?.getAttribute('aria-pressed') === 'true' \
                 && root.activeElement === item;",
            shadow("map")
        ),
    )
    .await;
    assert_eq!(selected, serde_json::json!(true));
}

/// The city labels drawn now: `[region code, text, left, top, right, bottom]` each.
async fn city_labels(client: &Client) -> Vec<(String, String, f64, f64, f64, f64)> {
    let value = wait_until(
        client,
        &format!(
            "const labels = [...({}?.querySelectorAll('.cities .city') ?? [])]; \
             return labels.length > 0 && labels.map(g => {{ const r = g.getBoundingClientRect(); \
                 return [g.dataset.region, g.textContent, r.left, r.top, r.right, r.bottom]; }});",
            shadow("map")
        ),
    )
    .await;
    serde_json::from_value(value).unwrap()
}

fn assert_apart(labels: &[(String, String, f64, f64, f64, f64)]) {
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            let apart = a.4 <= b.2 || b.4 <= a.2 || a.5 <= b.3 || b.5 <= a.3;
            assert!(apart, "{} and {} overlap: {labels:?}", a.1, b.1);
        }
    }
}

#[tokio::test]
async fn the_offline_map_names_the_capitals_and_more_cities_as_it_zooms_without_overlap() {
    let catalogue = published();
    let mut client = browser().await;
    open_map(&mut client, &catalogue).await;
    let home = city_labels(&client).await;
    // Named as the list names regions (the regions table), never Natural Earth's spelling.
    for (code, text, ..) in &home {
        let region = guanai_core::regions::find(code).expect("a known region");
        assert_eq!(text, region.name_zh, "{home:?}");
    }
    let codes: Vec<&str> = home.iter().map(|label| label.0.as_str()).collect();
    for capital in ["110000", "120000"] {
        assert!(codes.contains(&capital), "{capital}: {home:?}");
    }
    assert_apart(&home);

    // Two steps in, around Beijing and Tianjin: more room, so Langfang between them is named.
    let root = shadow("map");
    for _ in 0..2 {
        client
            .execute(&format!("{root}.querySelector('.zoom-in').click()"), vec![])
            .await
            .unwrap();
    }
    let zoomed = wait_until(
        &client,
        &format!(
            "const codes = [...{root}.querySelectorAll('.cities .city')].map(g => g.dataset.region); \
             return codes.includes('131000') && codes;"
        ),
    )
    .await;
    assert!(zoomed.as_array().is_some_and(|c| c.len() >= 3), "{zoomed}");
    assert_apart(&city_labels(&client).await);
    client.close().await.expect("closed");
}
