//! Older engines and broken networks, as a social worker's phone meets them: the example pages
//! in headless Chromium with a feature taken away before the page's own scripts run, and the
//! bundle served from a static origin of its own (a partner's server or a CDN in the mainland).
//! Each test asserts what a person sees.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use guanai_e2e::{base, before_every_page, browser, root, shadow, visit, wait_until};
use serde_json::Value;

/// Collects every `guanai:error` code (they bubble out of the shadow roots, composed) and every
/// CSP violation, from the first script of the page on.
const RECORD: &str = "window.guanaiErrors = []; window.cspViolations = [];
    addEventListener('guanai:error', (event) => guanaiErrors.push(event.detail.code), true);
    document.addEventListener('securitypolicyviolation', (event) =>
        cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));";

/// Every resource the page fetched, as URLs.
async fn fetched(client: &fantoccini::Client) -> Vec<String> {
    let urls = client
        .execute(
            "return performance.getEntriesByType('resource').map((entry) => entry.name);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(urls).unwrap()
}

/// Waits until finder `id` shows result cards (it mounted and read the catalogue).
async fn wait_for_results(client: &fantoccini::Client, id: &str) {
    wait_until(
        client,
        &format!(
            "return ({}?.querySelectorAll('.card').length ?? 0) > 0",
            shadow(id)
        ),
    )
    .await;
}

#[tokio::test]
async fn without_webassembly_the_host_content_stays_with_a_plain_message_and_nothing_is_fetched() {
    let mut client = browser().await;
    before_every_page(&client, &format!("{RECORD} delete window.WebAssembly;")).await;
    visit(
        &mut client,
        &format!("{}/examples/association-site.html", base()),
    )
    .await;
    let message = wait_until(
        &client,
        &format!(
            "return {}?.querySelector('[role=alert]')?.textContent",
            shadow("finder")
        ),
    )
    .await;
    let message = message.as_str().unwrap();
    assert!(
        message.contains("不支持 WebAssembly") && message.contains("no WebAssembly support"),
        "a plain message in both languages: {message}"
    );
    // The host page's own link is shown through the slot, visibly, and leads to the catalogue.
    let link: Value = client
        .execute(
            &format!(
                "const slot = {}.querySelector('slot');
                 const link = slot.assignedElements()[0];
                 const box = link.getBoundingClientRect();
                 return [link.textContent, link.href, box.width > 0 && box.height > 0];",
                shadow("finder")
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(link[0], "查看社工关爱福利目录");
    assert!(link[1].as_str().unwrap().ends_with("/catalog"), "{link}");
    assert_eq!(link[2], true, "the host's link is visible");
    // Both finders said so, and no wasm was downloaded for nothing.
    let errors = wait_until(&client, "return guanaiErrors.length === 2 && guanaiErrors").await;
    assert_eq!(errors, serde_json::json!(["unsupported", "unsupported"]));
    let urls = fetched(&client).await;
    assert!(
        !urls.iter().any(|url| url.ends_with(".wasm")),
        "no wasm is fetched: {urls:?}"
    );
    // The link's target is the plain catalogue, readable without any script.
    visit(&mut client, link[1].as_str().unwrap()).await;
    let heading = wait_until(&client, "return document.querySelector('h1')?.textContent").await;
    assert_eq!(heading, "社工关爱福利目录");
}

#[tokio::test]
async fn a_broken_streaming_instantiation_is_retried_without_streaming() {
    let mut client = browser().await;
    before_every_page(
        &client,
        &format!(
            "{RECORD} window.streamingTried = 0;
             WebAssembly.instantiateStreaming = () => {{
                 window.streamingTried += 1;
                 return Promise.reject(new TypeError('this WebView cannot stream'));
             }};"
        ),
    )
    .await;
    visit(
        &mut client,
        &format!("{}/examples/association-site.html", base()),
    )
    .await;
    wait_for_results(&client, "finder").await;
    wait_for_results(&client, "sidebar-finder").await;
    let tried = client
        .execute("return [window.streamingTried, guanaiErrors]", vec![])
        .await
        .unwrap();
    assert_eq!(
        tried,
        serde_json::json!([1, []]),
        "streaming was tried once for the page's one bundle, then the plain path mounted both"
    );
}

#[tokio::test]
async fn without_adopted_style_sheets_a_linked_stylesheet_styles_the_widget_under_a_strict_csp() {
    let mut client = browser().await;
    before_every_page(
        &client,
        &format!(
            "{RECORD} delete ShadowRoot.prototype.adoptedStyleSheets;
             delete Document.prototype.adoptedStyleSheets;"
        ),
    )
    .await;
    // The partner page: `default-src 'none'; style-src 'self'` and hostile global CSS.
    visit(
        &mut client,
        &format!("{}/examples/partner-site.html", base()),
    )
    .await;
    wait_for_results(&client, "finder").await;
    let styled: Value = client
        .execute(
            &format!(
                "const root = {};
                 const link = root.querySelector('link[rel=stylesheet]');
                 const widget = getComputedStyle(root.querySelector('.guanai'));
                 return [link?.getAttribute('href') ?? null, widget.fontSize, widget.color,
                         cspViolations];",
                shadow("finder")
            ),
            vec![],
        )
        .await
        .unwrap();
    assert!(
        styled[0].as_str().unwrap().ends_with("/finder.css"),
        "the stylesheet is linked into the shadow root: {styled}"
    );
    // The page's `* { font-size: 30px; color: red !important }` reaches the element and would be
    // inherited inside: the widget's own stylesheet resets it, so it must have applied.
    assert_eq!(styled[1], "16px", "{styled}");
    assert_ne!(styled[2], "rgb(255, 0, 0)", "{styled}");
    assert_eq!(styled[3], serde_json::json!([]), "no CSP violation");
}

#[tokio::test]
async fn when_the_wasm_cannot_be_fetched_the_element_says_so_and_points_to_the_catalogue() {
    let mut client = browser().await;
    before_every_page(
        &client,
        &format!(
            "{RECORD} const realFetch = window.fetch;
             window.fetch = (input, init) => String(input.url ?? input).endsWith('.wasm')
                 ? Promise.reject(new TypeError('Failed to fetch'))
                 : realFetch(input, init);"
        ),
    )
    .await;
    visit(&mut client, &format!("{}/examples/map.html", base())).await;
    let message = wait_until(
        &client,
        &format!(
            "return {}?.querySelector('[role=alert]')?.textContent",
            shadow("map")
        ),
    )
    .await;
    assert!(message.as_str().unwrap().contains("加载失败"), "{message}");
    // An element the host left empty gets a link to the plain catalogue instead.
    client
        .execute(
            "const finder = document.createElement('guanai-benefit-finder');
             finder.id = 'bare'; finder.setAttribute('lang', 'en');
             document.body.append(finder);",
            vec![],
        )
        .await
        .unwrap();
    let link = wait_until(
        &client,
        &format!(
            "const link = {}?.querySelector('a'); return link && [link.textContent, link.href]",
            shadow("bare")
        ),
    )
    .await;
    assert_eq!(link[0], "View the benefit catalogue (plain version)");
    assert_eq!(link[1], format!("{}/catalog?lang=en", base()));
    let errors = client.execute("return guanaiErrors", vec![]).await.unwrap();
    assert!(
        errors
            .as_array()
            .unwrap()
            .iter()
            .all(|code| code == "load_failed")
            && errors.as_array().unwrap().len() == 3,
        "{errors}"
    );
}

/// The bundle copied as a partner would host it: `pkg/` on a static server of its own, a page
/// there with `api` pointing at the edge. Only the API crosses to the worker.
#[tokio::test]
async fn the_bundle_works_from_a_static_origin_of_its_own_with_only_the_api_at_the_edge() {
    let (hosted, site) = self_hosted("hosted");
    let worker = base();
    let mut client = browser().await;
    visit(&mut client, &format!("{}/index.html", site.origin)).await;
    wait_for_results(&client, "finder").await;
    let urls = fetched(&client).await;
    let at_edge: Vec<&String> = urls.iter().filter(|url| url.starts_with(&worker)).collect();
    assert!(
        !at_edge.is_empty()
            && at_edge
                .iter()
                .all(|url| url.starts_with(&format!("{worker}/v1/"))),
        "only the API at the edge: {at_edge:?}"
    );
    assert!(
        urls.iter()
            .any(|url| url.starts_with(&site.origin) && url.ends_with("finder.wasm")),
        "the wasm from the static origin: {urls:?}"
    );
    let _ = std::fs::remove_dir_all(&hosted);
}

/// The self-hosted copy with one byte of the finder's wasm changed, as a compromised CDN or a
/// proxy rewriting responses would serve it: the loader (untouched, so its own integrity holds)
/// refuses the file instead of running it.
#[tokio::test]
async fn a_tampered_wasm_behind_a_correct_loader_is_refused_with_guanai_error() {
    refused_when_changed("tampered-wasm", "finder.wasm").await;
}

/// The same for the finder's JavaScript glue, a script of its own beside the wasm: the
/// browser refuses it (`<script integrity>`), so none of it runs.
#[tokio::test]
async fn a_tampered_glue_behind_a_correct_loader_is_refused_with_guanai_error() {
    refused_when_changed("tampered-glue", "finder.js").await;
}

/// Serves the self-hosted copy with one byte of `file` (in the bundle directory) changed and
/// checks that the finder refuses it: `guanai:error` `load_failed`, no card, the host's content.
async fn refused_when_changed(name: &str, file: &str) {
    let (hosted, site) = self_hosted(name);
    let directory = std::fs::read_dir(&hosted)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.is_dir())
        .expect("the bundle directory");
    let changed = directory.join(file);
    let mut bytes = std::fs::read(&changed).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&changed, bytes).unwrap();
    let mut client = browser().await;
    before_every_page(&client, RECORD).await;
    visit(&mut client, &format!("{}/index.html", site.origin)).await;
    let errors = wait_until(&client, "return guanaiErrors.length > 0 && guanaiErrors").await;
    assert_eq!(errors, serde_json::json!(["load_failed"]));
    let root = shadow("finder");
    let shown = wait_until(
        &client,
        &format!(
            "const alert = {root}.querySelector('[role=alert]'); \
             return alert && [alert.textContent, {root}.querySelectorAll('.card').length, \
             !!{root}.querySelector('slot')];"
        ),
    )
    .await;
    assert_eq!(shown[1], 0, "nothing of the tampered bundle ran: {shown}");
    assert_eq!(shown[2], true, "the host's own link stays: {shown}");
    assert!(
        fetched(&client).await.iter().any(|url| url.ends_with(file)),
        "{file} was fetched, then refused"
    );
    let _ = std::fs::remove_dir_all(&hosted);
}

/// The bundle copied as a partner would host it (`pkg/` on a static server of its own) with a
/// page there holding a finder whose `api` is the edge.
fn self_hosted(name: &str) -> (std::path::PathBuf, guanai_e2e::StaticSite) {
    let worker = base();
    let (hosted, site) = guanai_e2e::blank_page(
        name,
        "<script type=\"module\" src=\"./guanai.js\"></script>",
        &format!(
            "<guanai-benefit-finder id=\"finder\" api=\"{worker}\">\
             <a href=\"{worker}/catalog\">福利目录</a></guanai-benefit-finder>"
        ),
    );
    copy_tree(&root().join("pkg"), &hosted);
    (hosted, site)
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
