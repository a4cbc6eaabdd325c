//! The API and the static bundle over real HTTP, on workerd with local KV.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use guanai_e2e::{base, http};
use serde_json::Value;

fn get(path: &str, headers: &[(&str, &str)]) -> ureq::http::Response<ureq::Body> {
    let mut request = http().get(format!("{}{path}", base()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.call().expect("the worker answers")
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

fn json(response: &mut ureq::http::Response<ureq::Body>) -> Value {
    serde_json::from_str(&response.body_mut().read_to_string().expect("a body")).expect("JSON")
}

#[test]
fn health_is_ok() {
    let mut response = get("/v1/health", &[]);
    assert_eq!(response.status(), 200);
    assert_eq!(json(&mut response)["status"], "ok");
}

#[test]
fn catalog_comes_from_kv_with_an_etag_and_revalidates_to_304() {
    let mut response = get("/v1/catalog", &[]);
    assert_eq!(response.status(), 200);
    let etag = header(&response, "etag").expect("an ETag");
    assert!(
        header(&response, "cache-control")
            .unwrap_or_default()
            .contains("max-age=")
    );
    let catalogue = json(&mut response);
    assert_eq!(
        catalogue["version"], "demo-2026-11",
        "the seeded demo programme is served"
    );
    assert_eq!(catalogue["partners"].as_array().map(Vec::len), Some(9));

    let mut again = get("/v1/catalog", &[("If-None-Match", &etag)]);
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "etag").as_deref(), Some(etag.as_str()));
    assert!(
        again
            .body_mut()
            .read_to_string()
            .unwrap_or_default()
            .is_empty()
    );

    let changed = get("/v1/catalog", &[("If-None-Match", "\"something-else\"")]);
    assert_eq!(changed.status(), 200);
}

#[test]
fn cors_echoes_allowed_origins_only() {
    let local = get("/v1/catalog", &[("Origin", "http://localhost:5173")]);
    assert_eq!(
        header(&local, "access-control-allow-origin").as_deref(),
        Some("http://localhost:5173")
    );
    assert_eq!(header(&local, "vary").as_deref(), Some("Origin"));

    let unknown = get("/v1/catalog", &[("Origin", "https://evil.example")]);
    assert_eq!(
        unknown.status(),
        200,
        "the data is public; the browser just may not read it"
    );
    assert_eq!(header(&unknown, "access-control-allow-origin"), None);

    let look_alike = get(
        "/v1/catalog",
        &[("Origin", "http://localhost.evil.example")],
    );
    assert_eq!(header(&look_alike, "access-control-allow-origin"), None);
}

#[test]
fn preflight_is_answered_for_allowed_origins_only() {
    let preflight = |origin: &str| {
        http()
            .options(format!("{}/v1/catalog", base()))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "if-none-match")
            .call()
            .expect("the worker answers")
    };
    let allowed = preflight("http://127.0.0.1:3000");
    assert_eq!(allowed.status(), 204);
    assert_eq!(
        header(&allowed, "access-control-allow-origin").as_deref(),
        Some("http://127.0.0.1:3000")
    );
    assert!(
        header(&allowed, "access-control-allow-methods")
            .unwrap_or_default()
            .contains("GET")
    );
    assert!(
        header(&allowed, "access-control-allow-headers")
            .unwrap_or_default()
            .contains("If-None-Match")
    );

    let refused = preflight("https://evil.example");
    assert_eq!(header(&refused, "access-control-allow-origin"), None);
    assert_eq!(header(&refused, "access-control-allow-methods"), None);
}

#[test]
fn errors_have_the_contract_shape() {
    let mut missing = get("/v1/no-such-route", &[]);
    assert_eq!(missing.status(), 404);
    let body = json(&mut missing);
    assert_eq!(body["error"]["code"], "not_found");
    assert!(
        body["error"]["message"]["zh"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(
        body["error"]["message"]["en"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );

    let mut wrong_method = http()
        .delete(format!("{}/v1/catalog", base()))
        .call()
        .expect("the worker answers");
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(header(&wrong_method, "allow").as_deref(), Some("GET, HEAD"));
    assert_eq!(
        json(&mut wrong_method)["error"]["code"],
        "method_not_allowed"
    );
}

#[test]
fn the_bundle_is_served_with_cors_and_the_right_types() {
    let mut loader = get("/guanai.js", &[("Origin", "http://localhost:8080")]);
    assert_eq!(loader.status(), 200);
    assert!(
        header(&loader, "content-type")
            .unwrap_or_default()
            .contains("javascript")
    );
    assert_eq!(
        header(&loader, "access-control-allow-origin").as_deref(),
        Some("http://localhost:8080")
    );
    let text = loader.body_mut().read_to_string().expect("the loader");
    assert!(
        !text.contains("__GUANAI_"),
        "the build filled in the hashed file names"
    );
    let directory = text
        .split('"')
        .find(|part| part.starts_with("./guanai-") && part.ends_with('/'))
        .expect("the loader names the bundle directory");
    assert!(
        text.contains("\"finder.wasm\""),
        "the loader names each bundle"
    );
    let wasm_name = format!("{directory}finder.wasm");
    let wasm = get(
        &format!("/{}", wasm_name.trim_start_matches("./")),
        &[("Origin", "http://localhost:8080")],
    );
    assert_eq!(wasm.status(), 200);
    assert_eq!(
        header(&wasm, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        header(&wasm, "access-control-allow-origin").as_deref(),
        Some("http://localhost:8080")
    );
    assert_eq!(
        header(&wasm, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
}

/// One release, one version: the workspace's, in `/v1/health`, the loader, `release.json` and
/// the package; its pinned copy is byte for byte the alias, cached for a year, and every file
/// hash in `release.json` matches the file the worker serves.
#[test]
fn the_release_is_one_version_served_pinned_beside_the_alias_with_matching_hashes() {
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(json(&mut get("/v1/health", &[]))["version"], version);
    let package: Value = serde_json::from_str(
        &std::fs::read_to_string(guanai_e2e::root().join("pkg/package.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(package["version"], version);

    let mut alias = get("/guanai.js", &[]);
    assert_eq!(
        header(&alias, "cache-control").as_deref(),
        Some("public, max-age=300")
    );
    let alias = alias.body_mut().read_to_vec().unwrap();
    let mut pinned = get(&format!("/v/{version}/guanai.js"), &[]);
    assert_eq!(pinned.status(), 200);
    assert_eq!(
        header(&pinned, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(pinned.body_mut().read_to_vec().unwrap(), alias);
    assert!(
        String::from_utf8_lossy(&alias).contains(&format!("\"{version}\"")),
        "the loader names its version"
    );

    let release = json(&mut get("/release.json", &[]));
    assert_eq!(release["version"], version);
    let sri = guanai_core::digest::subresource_integrity;
    assert_eq!(release["loader"]["integrity"], sri(&alias));
    let files = release["files"].as_array().unwrap();
    assert!(files.len() >= 10, "every bundle's wasm and stylesheet");
    for file in files {
        let path = file["path"].as_str().unwrap();
        for served in [format!("/{path}"), format!("/v/{version}/{path}")] {
            let bytes = get(&served, &[]).body_mut().read_to_vec().unwrap();
            assert_eq!(file["integrity"], sri(&bytes), "{served}");
        }
    }
}

#[test]
fn the_root_leads_to_the_example_pages() {
    let mut index = get("/", &[]);
    assert_eq!(index.status(), 200);
    let page = index.body_mut().read_to_string().expect("a page");
    assert!(
        page.contains("partner-site.html") && page.contains("association-site.html"),
        "{page}"
    );
}

#[test]
fn the_plain_catalogue_pages_are_html_from_the_published_snapshot_and_revalidate() {
    let mut listing = get("/catalog?area=health", &[]);
    assert_eq!(listing.status(), 200);
    assert_eq!(
        header(&listing, "content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    let csp = header(&listing, "content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let etag = header(&listing, "etag").expect("an ETag");
    let page = listing.body_mut().read_to_string().unwrap();
    assert!(page.contains("<h1>身心健康</h1>"), "{page}");
    assert!(!page.contains("<script"));
    let revalidated = get("/catalog?area=health", &[("If-None-Match", &etag)]);
    assert_eq!(revalidated.status(), 304);
    // Every benefit the listing links to has its own page; an unknown one is a plain 404 page.
    let first = page
        .split("href=\"/catalog/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a benefit link")
        .to_string();
    let mut benefit = get(&format!("/catalog/{first}"), &[]);
    assert_eq!(benefit.status(), 200);
    assert!(
        benefit
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains("@media print")
    );
    let missing = get("/catalog/no-such-benefit?lang=en", &[]);
    assert_eq!(missing.status(), 404);
    assert_eq!(
        header(&missing, "content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
}
