//! The benefit finder as a person sees it: example pages in headless Chromium, the bundle and
//! the catalogue from the real worker.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use fantoccini::{Client, Locator};
use guanai_e2e::{HostSite, base, browser, shadow, visit, wait_until};

/// Types `text` into the search box of finder `id`, like a person on a keyboard.
async fn type_query(client: &Client, id: &str, text: &str) {
    let host = client
        .find(Locator::Id(id))
        .await
        .expect("the finder element");
    let root = host.shadow_root().await.expect("an open shadow root");
    let input = root
        .find(Locator::Css("input[type=search]"))
        .await
        .expect("the search box");
    input.clear().await.expect("cleared");
    input.send_keys(text).await.expect("typed");
}

async fn click(client: &Client, id: &str, css: &str) {
    let host = client
        .find(Locator::Id(id))
        .await
        .expect("the finder element");
    let root = host.shadow_root().await.expect("an open shadow root");
    root.find(Locator::Css(css))
        .await
        .expect(css)
        .click()
        .await
        .expect("clicked");
}

/// Waits until finder `id` shows `count` result cards and returns their benefit ids.
async fn wait_for_cards(client: &Client, id: &str, count: usize) -> Vec<String> {
    let ids = wait_until(
        client,
        &format!(
            "const cards = [...({}?.querySelectorAll('.card') ?? [])]; \
             return cards.length === {count} && cards.map(c => c.dataset.benefit);",
            shadow(id)
        ),
    )
    .await;
    serde_json::from_value(ids).expect("a list of ids")
}

#[tokio::test]
async fn partner_page_shows_only_its_own_offers_despite_hostile_css_and_strict_csp() {
    let mut client = browser().await;
    visit(
        &mut client,
        &format!("{}/examples/partner-site.html", base()),
    )
    .await;
    let ids = wait_for_cards(&client, "finder", 2).await;
    assert!(
        ids.iter().all(|id| id.starts_with("weier-dental")),
        "{ids:?}"
    );

    let root = shadow("finder");
    let text = wait_until(
        &client,
        &format!("return {root}.querySelector('.notice')?.textContent"),
    )
    .await;
    assert!(
        text.as_str().unwrap_or_default().contains("示例数据"),
        "sample data is labelled: {text}"
    );
    // The page sets `* {{ color: red !important; font-size: 30px }}`: none of it inside.
    let style = wait_until(
        &client,
        &format!(
            "const s = getComputedStyle({root}.querySelector('.card h3')); \
             return [s.color, s.fontSize, s.textTransform, s.display];"
        ),
    )
    .await;
    assert_ne!(style[0], "rgb(255, 0, 0)", "host colour leaked in: {style}");
    assert_eq!(style[1], "17px", "host font size leaked in: {style}");
    assert_eq!(style[2], "none", "host text-transform leaked in: {style}");
    assert_eq!(style[3], "block", "host display rule leaked in: {style}");
    let partner = wait_until(
        &client,
        &format!("return {root}.querySelector('.partner-scope')?.textContent"),
    )
    .await;
    assert!(
        partner
            .as_str()
            .unwrap_or_default()
            .contains("北京维尔口腔医院"),
        "{partner}"
    );
    client.close().await.expect("closed");
}

#[tokio::test]
async fn association_page_from_another_origin_narrows_to_dental_offers_when_typing() {
    let site = HostSite::start();
    let mut client = browser().await;
    visit(
        &mut client,
        &format!("{}/association-site.html", site.origin),
    )
    .await;
    // The full finder: more than the two dental offers before typing.
    let everything = wait_until(
        &client,
        &format!(
            "const n = {}?.querySelectorAll('.card').length; return n > 2 && n;",
            shadow("finder")
        ),
    )
    .await;
    assert!(everything.as_u64().unwrap_or(0) > 2);

    type_query(&client, "finder", "口腔").await;
    let ids = wait_for_cards(&client, "finder", 2).await;
    assert!(
        ids.iter().all(|id| id.starts_with("weier-dental")),
        "{ids:?}"
    );
    let count = wait_until(
        &client,
        &format!(
            "const t = {}.querySelector('.count').textContent; return t === '共 2 项福利' && t;",
            shadow("finder")
        ),
    )
    .await;
    assert_eq!(count, "共 2 项福利");

    // The same two by pinyin, as people type before their IME composes anything (readings from
    // the snapshot: 北京维尔口腔医院 is the partner's name). Between two queries, one that finds
    // nothing, so each count is this query's own.
    for typed in ["kq", "KQ", "kouqiang", "kou qiang", "口qiang"] {
        type_query(&client, "finder", "zzzz").await;
        wait_for_cards(&client, "finder", 0).await;
        type_query(&client, "finder", typed).await;
        let ids = wait_for_cards(&client, "finder", 2).await;
        assert!(
            ids.iter().all(|id| id.starts_with("weier-dental")),
            "{typed}: {ids:?}"
        );
    }

    // Picking an area narrows further; an area without dental offers leaves nothing. (On this
    // phone-sized window the filters are folded behind one control.)
    click(&client, "finder", ".filters-toggle").await;
    click(&client, "finder", "button[data-area=leisure]").await;
    wait_for_cards(&client, "finder", 0).await;
    let empty = wait_until(
        &client,
        &format!(
            "return {}.querySelector('.state')?.textContent",
            shadow("finder")
        ),
    )
    .await;
    assert!(
        empty
            .as_str()
            .unwrap_or_default()
            .contains("没有符合条件的福利"),
        "{empty}"
    );

    // The English sidebar finder (health offers only) did not move.
    let sidebar = wait_until(
        &client,
        &format!("const t = {}?.querySelector('.count')?.textContent; return t && t.endsWith('benefits') && t;", shadow("sidebar-finder")),
    )
    .await;
    let health = wait_until(
        &client,
        &format!(
            "return [...{}.querySelectorAll('.card .badge')].map(b => b.textContent)",
            shadow("sidebar-finder")
        ),
    )
    .await;
    assert!(
        health
            .as_array()
            .is_some_and(|badges| !badges.is_empty()
                && badges.iter().all(|b| b == "Physical & mental health")),
        "{sidebar} {health}"
    );
    client.close().await.expect("closed");
}

#[tokio::test]
async fn elements_announce_readiness_follow_attribute_changes_and_unmount_when_removed() {
    let mut client = browser().await;
    visit(
        &mut client,
        &format!("{}/examples/association-site.html", base()),
    )
    .await;
    wait_until(
        &client,
        &format!(
            "return {}?.querySelectorAll('.card').length > 0",
            shadow("finder")
        ),
    )
    .await;

    // A finder added later by the host page loads from the already initialised module.
    client
        .execute(
            "document.addEventListener('guanai:ready', e => { window.readyFrom = e.target.id; }); \
             const el = document.createElement('guanai-benefit-finder'); \
             el.id = 'late'; el.setAttribute('area', 'family'); document.body.append(el);",
            vec![],
        )
        .await
        .expect("script runs");
    assert_eq!(wait_until(&client, "return window.readyFrom").await, "late");
    wait_until(
        &client,
        &format!(
            "return {}?.querySelectorAll('.card').length > 0",
            shadow("late")
        ),
    )
    .await;

    // lang changes after mount take effect.
    client
        .execute(
            "document.getElementById('late').setAttribute('lang', 'en')",
            vec![],
        )
        .await
        .expect("script runs");
    wait_until(
        &client,
        &format!(
            "return {}.querySelector('h2').textContent === 'Social worker benefit finder'",
            shadow("late")
        ),
    )
    .await;

    // Removing the element unmounts it: its shadow root empties, the other finders stay.
    client
        .execute(
            "window.late = document.getElementById('late'); window.late.remove();",
            vec![],
        )
        .await
        .expect("script runs");
    wait_until(
        &client,
        "return window.late.shadowRoot.childElementCount === 0",
    )
    .await;
    wait_until(
        &client,
        &format!(
            "return {}.querySelectorAll('.card').length > 0",
            shadow("finder")
        ),
    )
    .await;
    client.close().await.expect("closed");
}

/// On a slow cross-border link every round trip counts: the catalogue is fetched together with
/// the bundle (the loader starts it), once, not after the wasm has started.
#[tokio::test]
async fn the_catalogue_is_fetched_with_the_bundle_once() {
    let mut client = browser().await;
    visit(
        &mut client,
        &format!("{}/examples/partner-site.html", base()),
    )
    .await;
    wait_for_cards(&client, "finder", 2).await;
    let timing = client
        .execute(
            "const entries = performance.getEntriesByType('resource');
             const catalogue = entries.filter((e) => e.name.endsWith('/v1/catalog'));
             const wasm = entries.find((e) => e.name.endsWith('.wasm'));
             return [catalogue.length, catalogue[0].startTime < wasm.responseEnd];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        timing,
        serde_json::json!([1, true]),
        "one catalogue request, started before the wasm had arrived"
    );
}

/// `lang-switch` (the first finder on the association page has it, the sidebar's does not): a
/// visitor flips the finder between 中文 and English by keyboard, and the choice stays for that
/// host across a reload.
#[tokio::test]
async fn the_language_switch_flips_the_finder_and_is_remembered_for_the_host() {
    let site = HostSite::start();
    let mut client = browser().await;
    let page = format!("{}/association-site.html", site.origin);
    visit(&mut client, &page).await;
    let root = shadow("finder");
    let shown = |expected: &str| {
        format!(
            "const s = {root}?.querySelector('section.finder'); \
             return s?.getAttribute('lang') === {expected:?} && s.querySelector('h2')?.textContent"
        )
    };
    let heading = wait_until(&client, &shown("zh-CN")).await;
    assert_eq!(heading, "社工关爱福利查询");
    assert_eq!(
        wait_until(
            &client,
            &format!("return {}?.querySelector('section.finder') && ({}.querySelector('.lang-switch') === null)", shadow("sidebar-finder"), shadow("sidebar-finder"))
        )
        .await,
        true,
        "no switch without the attribute"
    );

    // By keyboard: focus the switch and press Enter.
    let switch = client
        .find(fantoccini::Locator::Id("finder"))
        .await
        .unwrap()
        .shadow_root()
        .await
        .unwrap()
        .find(Locator::Css(".lang-switch button"))
        .await
        .unwrap();
    assert_eq!(switch.text().await.unwrap(), "English");
    switch.send_keys("\u{E007}").await.unwrap();
    assert_eq!(
        wait_until(&client, &shown("en")).await,
        "Social worker benefit finder"
    );
    let label = wait_until(
        &client,
        &format!("return {root}.querySelector('.lang-switch button')?.textContent"),
    )
    .await;
    assert_eq!(label, "中文");

    // Remembered for this host.
    visit(&mut client, &page).await;
    assert_eq!(
        wait_until(&client, &shown("en")).await,
        "Social worker benefit finder"
    );
    client.close().await.unwrap();
}

/// At 390 × 844 the filters fold behind "筛选 / Filters" (with the count of those active) and the
/// first result card ends within 450 px of the widget's top; on a desktop the layout stays open.
#[tokio::test]
async fn on_a_phone_the_first_result_is_on_the_first_screen_with_the_filters_folded() {
    let site = HostSite::start();
    let mut client = browser().await;
    client.set_window_size(390, 844).await.unwrap();
    visit(
        &mut client,
        &format!("{}/association-site.html", site.origin),
    )
    .await;
    let root = shadow("finder");
    let layout = "const host = document.getElementById('finder'); const root = host.shadowRoot; \
         const card = root?.querySelector('.card'); if (!card) return false; \
         const toggle = root.querySelector('.filters-toggle'); \
         return { cardBottom: card.getBoundingClientRect().bottom - host.getBoundingClientRect().top, \
                  filters: getComputedStyle(root.querySelector('.filters')).display, \
                  toggle: getComputedStyle(toggle).display, expanded: toggle.getAttribute('aria-expanded'), \
                  label: toggle.textContent, width: innerWidth };";
    let phone = wait_until(&client, layout).await;
    eprintln!("phone layout: {phone}");
    assert!(phone["width"].as_f64().unwrap() <= 400.0, "{phone}");
    assert!(
        phone["cardBottom"].as_f64().unwrap() <= 450.0,
        "the first card ends {} px below the widget's top",
        phone["cardBottom"]
    );
    assert_eq!(phone["filters"], "none", "{phone}");
    assert_eq!(phone["expanded"], "false");
    assert_eq!(phone["label"], "筛选");

    click(&client, "finder", ".filters-toggle").await;
    click(&client, "finder", "button[data-area=health]").await;
    let opened = wait_until(
        &client,
        &format!(
            "const t = {root}.querySelector('.filters-toggle'); \
             return t.getAttribute('aria-expanded') === 'true' && t.textContent === '筛选（1）' \
             && getComputedStyle({root}.querySelector('.filters')).display"
        ),
    )
    .await;
    assert_eq!(opened, "grid");
    let unfolded = wait_until(&client, layout).await;
    eprintln!("phone layout, filters open: {unfolded}");

    // A desktop window: the filters are open and the control is gone.
    client.set_window_size(1280, 900).await.unwrap();
    visit(
        &mut client,
        &format!("{}/association-site.html", site.origin),
    )
    .await;
    let desktop = wait_until(&client, layout).await;
    assert_eq!(desktop["filters"], "grid", "{desktop}");
    assert_eq!(desktop["toggle"], "none", "{desktop}");
    client.close().await.expect("closed");
}

/// A benefit shared from the finder: the link (copied, or shown to copy by hand where the
/// browser has no clipboard) is the edge's plain page of that benefit, which opens on its own
/// and is also what "Print" opens; the host page's address is not touched.
#[tokio::test]
async fn a_shared_benefit_link_opens_the_same_benefit_on_its_own_page() {
    let site = HostSite::start();
    let mut client = browser().await;
    let page = format!("{}/association-site.html", site.origin);
    visit(&mut client, &page).await;
    let ids = wait_until(
        &client,
        &format!(
            "const cards = [...({}?.querySelectorAll('.card') ?? [])]; return cards.length > 0 && cards.map(c => c.dataset.benefit);",
            shadow("finder")
        ),
    )
    .await;
    let first = ids[0].as_str().unwrap().to_string();
    click(
        &client,
        "finder",
        &format!("li[data-benefit='{first}'] button[aria-expanded]"),
    )
    .await;
    let title = wait_until(
        &client,
        &format!(
            "return {}.querySelector(\"li[data-benefit='{first}'] h3\")?.textContent",
            shadow("finder")
        ),
    )
    .await;
    click(
        &client,
        "finder",
        &format!("li[data-benefit='{first}'] .share"),
    )
    .await;
    let shared = wait_until(
        &client,
        &format!(
            "const card = {}.querySelector(\"li[data-benefit='{first}']\"); \
             const link = card.querySelector('.shared a[data-shared]'); \
             return link && [link.dataset.shared, card.querySelector('.print').href, card.querySelector('.shared').textContent];",
            shadow("finder")
        ),
    )
    .await;
    let url = shared[0].as_str().unwrap().to_string();
    assert_eq!(url, format!("{}/catalog/{first}", base()));
    assert_eq!(shared[1], url.as_str(), "print opens the same page");
    let said = shared[2].as_str().unwrap();
    assert!(
        said.starts_with("已复制链接") || said.starts_with("请复制此链接"),
        "a visible confirmation: {said}"
    );
    let here = client.current_url().await.unwrap();
    assert_eq!(here.as_str(), page, "the host's address is not touched");

    visit(&mut client, &url).await;
    let heading = wait_until(&client, "return document.querySelector('h1')?.textContent").await;
    assert!(
        heading.as_str().unwrap().contains(title.as_str().unwrap()),
        "{heading} / {title}"
    );
    client.close().await.unwrap();
}

/// The last catalogue stays on the device: with only the API blocked (the bundle is still
/// served), a reload shows the kept catalogue, and a line says when it was saved.
#[tokio::test]
async fn with_the_api_unreachable_a_reload_shows_the_kept_catalogue() {
    let site = HostSite::start();
    let mut client = browser().await;
    let page = format!("{}/association-site.html", site.origin);
    visit(&mut client, &page).await;
    let cards = format!(
        "const n = {}?.querySelectorAll('.card').length; return n > 0 && n;",
        shadow("finder")
    );
    let online = wait_until(&client, &cards).await;
    // Kept once the edge's answer is in: wait until IndexedDB holds it.
    let kept = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const poll = () => { const open = indexedDB.open('guanai'); \
               open.onsuccess = () => { const db = open.result; \
                 if (!db.objectStoreNames.contains('catalogues')) { db.close(); return setTimeout(poll, 25); } \
                 const count = db.transaction('catalogues').objectStore('catalogues').count(); \
                 count.onsuccess = () => { db.close(); count.result > 0 ? done(count.result) : setTimeout(poll, 25); }; }; }; \
             poll();",
            vec![],
        )
        .await
        .unwrap();
    assert!(kept.as_u64().unwrap_or(0) > 0, "{kept}");

    guanai_e2e::devtools(&client, "Network.enable", serde_json::json!({})).await;
    guanai_e2e::devtools(
        &client,
        "Network.setCacheDisabled",
        serde_json::json!({ "cacheDisabled": true }),
    )
    .await;
    guanai_e2e::devtools(
        &client,
        "Network.setBlockedURLs",
        serde_json::json!({ "urls": ["*/v1/catalog*"] }),
    )
    .await;
    visit(&mut client, &page).await;
    let offline = wait_until(
        &client,
        &format!(
            "const root = {}; const line = root?.querySelector('.offline')?.textContent; \
             return line && [line, root.querySelectorAll('.card').length];",
            shadow("finder")
        ),
    )
    .await;
    assert!(
        offline[0]
            .as_str()
            .unwrap()
            .contains("保存在本机的福利目录"),
        "{offline}"
    );
    assert_eq!(offline[1], online, "the same catalogue as before");
    client.close().await.unwrap();
}

/// `link-state`: the search and the open benefit live in the host page's fragment under the
/// element's id (two finders do not clash); typing replaces the history entry, opening a
/// benefit pushes one; reload, back and forward show what was shown.
#[tokio::test]
async fn with_link_state_reload_back_and_forward_restore_what_was_shown() {
    let (directory, site) = guanai_e2e::blank_page(
        "link-state",
        &format!(
            "<script type=\"module\" src=\"{}/guanai.js\"></script>",
            base()
        ),
        "<guanai-benefit-finder id=\"finder\" link-state></guanai-benefit-finder>\
         <guanai-benefit-finder id=\"second\" link-state></guanai-benefit-finder>",
    );
    let mut client = browser().await;
    visit(&mut client, &format!("{}/index.html#top", site.origin)).await;
    wait_until(
        &client,
        &format!(
            "return ({}?.querySelectorAll('.card').length ?? 0) > 2",
            shadow("second")
        ),
    )
    .await;
    let entries = client
        .execute("return history.length", vec![])
        .await
        .unwrap();

    type_query(&client, "finder", "口腔").await;
    let ids = wait_for_cards(&client, "finder", 2).await;
    let hash = wait_until(
        &client,
        "return location.hash.includes('finder=') && location.hash",
    )
    .await;
    assert!(
        hash.as_str().unwrap().starts_with("#top&finder="),
        "the host's anchor stays: {hash}"
    );
    assert_eq!(
        client
            .execute("return history.length", vec![])
            .await
            .unwrap(),
        entries,
        "typing replaces the entry"
    );

    let open = &ids[0];
    click(
        &client,
        "finder",
        &format!("li[data-benefit='{open}'] button[aria-expanded]"),
    )
    .await;
    wait_until(
        &client,
        &format!("return location.hash.includes('open%3D{open}')"),
    )
    .await;
    assert_eq!(
        client
            .execute("return history.length", vec![])
            .await
            .unwrap(),
        entries.as_u64().unwrap() + 1,
        "opening a benefit pushes one"
    );

    let shown = |expanded: bool| {
        format!(
            "const root = {}; const input = root?.querySelector('input[type=search]'); \
             const button = root?.querySelector(\"li[data-benefit='{open}'] button[aria-expanded]\"); \
             return input?.value === '口腔' && button?.getAttribute('aria-expanded') === '{expanded}' \
               && {}.querySelector('input[type=search]').value === '';",
            shadow("finder"),
            shadow("second")
        )
    };
    client.refresh().await.unwrap();
    wait_until(&client, &shown(true)).await;
    client.back().await.unwrap();
    wait_until(&client, &shown(false)).await;
    client.forward().await.unwrap();
    wait_until(&client, &shown(true)).await;
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&directory);
}
