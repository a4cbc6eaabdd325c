//! Partner sites recorded in the admin view: who may record them, and what the public routes
//! then admit — at once on the isolate that saved them, and through the cache elsewhere,
//! within the public rule of one KV operation per request.

use serde_json::{Value, json};

use crate::http::ApiRequest;
use crate::routes::Outcome;
use crate::snapshot_cache::{CachedSnapshot, SNAPSHOT_TTL_MS, SnapshotCache};
use crate::store::{Kv, MemoryKv};
use crate::testing::{NOW_MS, Signed, as_signed, login, outcome, partner_draft, send, staffed};

const SITE: &str = "https://www.partner-site.example";

static NEXT_ENTROPY: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(20);

fn save(kv: &MemoryKv, who: &Signed, path: &str, origins: &[&str]) -> (u16, Value) {
    let body = json!({ "origins": origins }).to_string();
    let request = as_signed(ApiRequest::new("PUT", path).with_body(body), who);
    // Fresh randomness per request, as the worker has: audit events are keyed by it.
    let entropy = NEXT_ENTROPY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let response = send(kv, request, NOW_MS, entropy);
    let answer = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response.status, answer)
}

fn from_site(path: &str, origin: &str) -> ApiRequest {
    ApiRequest::new("GET", path).with_header("origin", origin)
}

/// The `Access-Control-Allow-Origin` a request gets, through `kv` as given.
fn allowed_origin(request: &ApiRequest, kv: &impl Kv) -> Option<String> {
    let headers = match outcome(request, kv) {
        Outcome::Respond { response, .. } => response.headers,
        Outcome::Asset { headers } => headers,
    };
    headers
        .into_iter()
        .find(|(name, _)| name == "access-control-allow-origin")
        .map(|(_, value)| value)
}

#[test]
fn a_saved_site_is_admitted_for_the_catalogue_and_the_bundle_without_a_deploy() {
    let kv = staffed();
    partner_draft(&kv, "site-partner", Some(guanai_core::Association::Beijing));
    let bj = login(&kv, "bj.admin", 1);
    let catalogue = from_site("/v1/catalog", SITE);
    let bundle = from_site("/guanai.js", SITE);
    assert_eq!(allowed_origin(&catalogue, &kv), None, "not yet recorded");

    let typed = "HTTPS://WWW.Partner-Site.example:443/";
    let (status, answer) = save(&kv, &bj, "/v1/admin/origins/partner/site-partner", &[typed]);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["origins"],
        json!([SITE]),
        "stored as browsers send it"
    );
    assert_eq!(answer["association"], "beijing");

    assert_eq!(allowed_origin(&catalogue, &kv).as_deref(), Some(SITE));
    assert_eq!(allowed_origin(&bundle, &kv).as_deref(), Some(SITE));
    let other = from_site("/v1/catalog", "https://partner-site.example");
    assert_eq!(allowed_origin(&other, &kv), None, "exactly that origin");

    // Emptied: refused again.
    let (status, _) = save(&kv, &bj, "/v1/admin/origins/partner/site-partner", &[]);
    assert_eq!(status, 200);
    assert_eq!(allowed_origin(&catalogue, &kv), None);
}

#[test]
fn an_association_admin_records_only_their_own_associations_sites() {
    let kv = staffed();
    partner_draft(&kv, "tj-partner", Some(guanai_core::Association::Tianjin));
    partner_draft(&kv, "bj-partner", Some(guanai_core::Association::Beijing));
    let (bj, viewer, plan) = (
        login(&kv, "bj.admin", 1),
        login(&kv, "tj.viewer", 2),
        login(&kv, "plan.admin", 3),
    );
    let tj_path = "/v1/admin/origins/partner/tj-partner";
    assert_eq!(save(&kv, &bj, tj_path, &[SITE]).0, 403);
    assert_eq!(
        save(&kv, &bj, "/v1/admin/origins/association/tianjin", &[SITE]).0,
        403
    );
    assert_eq!(
        save(&kv, &viewer, tj_path, &[SITE]).0,
        403,
        "viewers read only"
    );
    assert_eq!(save(&kv, &plan, tj_path, &["https://tj.example"]).0, 200);
    assert_eq!(
        save(
            &kv,
            &bj,
            "/v1/admin/origins/partner/bj-partner",
            &["https://bj.example"]
        )
        .0,
        200
    );
    assert_eq!(
        save(&kv, &bj, "/v1/admin/origins/partner/nobody", &[SITE]).0,
        422,
        "no such partner"
    );

    // Each sees their association's lists only; the plan admin sees all.
    let listed = |who: &Signed| {
        let request = as_signed(ApiRequest::new("GET", "/v1/admin/origins"), who);
        let answer: Value = serde_json::from_str(&send(&kv, request, NOW_MS, 9).body).unwrap();
        let mut origins: Vec<String> = answer["sites"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|site| site["origins"].as_array().unwrap().clone())
            .map(|origin| origin.as_str().unwrap().to_string())
            .collect();
        origins.sort();
        (origins, answer["configured"].clone())
    };
    assert_eq!(listed(&bj).0, ["https://bj.example"]);
    assert_eq!(listed(&viewer).0, ["https://tj.example"]);
    assert_eq!(
        listed(&plan).0,
        ["https://bj.example", "https://tj.example"]
    );
    assert_eq!(
        listed(&plan).1,
        json!(["https://partner.example"]),
        "ALLOWED_ORIGINS"
    );

    // Every change is in the audit log.
    let audit = as_signed(ApiRequest::new("GET", "/v1/admin/audit"), &plan);
    let log = send(&kv, audit, NOW_MS, 11).body;
    assert_eq!(log.matches("origins_saved").count(), 2, "{log}");
}

#[test]
fn bad_origins_are_refused_field_by_field_in_both_languages() {
    let kv = staffed();
    partner_draft(&kv, "site-partner", None);
    let plan = login(&kv, "plan.admin", 1);
    let (status, answer) = save(
        &kv,
        &plan,
        "/v1/admin/origins/partner/site-partner",
        &[
            "https://ok.example",
            "https://*.example",
            "partner.example/shop",
        ],
    );
    assert_eq!(status, 422, "{answer}");
    let fields = answer["error"]["fields"].as_array().unwrap();
    let at: Vec<&str> = fields
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(at, ["origins[1]", "origins[2]"]);
    for field in fields {
        assert!(!field["message"]["zh"].as_str().unwrap().is_empty());
        assert!(!field["message"]["en"].as_str().unwrap().is_empty());
    }
}

#[test]
fn the_allowlist_is_cached_beside_the_catalogue_and_read_with_it_in_one_operation() {
    let kv = staffed();
    partner_draft(&kv, "site-partner", None);
    let plan = login(&kv, "plan.admin", 1);
    assert_eq!(
        save(
            &kv,
            &plan,
            "/v1/admin/origins/partner/site-partner",
            &[SITE]
        )
        .0,
        200
    );

    let cache = SnapshotCache::new();
    let at = |now_ms: u64| CachedSnapshot {
        inner: &kv,
        cache: &cache,
        now_ms,
        ttl_ms: SNAPSHOT_TTL_MS,
    };
    let catalogue = from_site("/v1/catalog", SITE);
    let reads = kv.reads();
    assert_eq!(
        allowed_origin(&catalogue, &at(NOW_MS)).as_deref(),
        Some(SITE)
    );
    assert_eq!(kv.reads(), reads + 1, "cold: one bulk read for both keys");
    assert_eq!(kv.operations(), 1);
    assert_eq!(
        allowed_origin(&catalogue, &at(NOW_MS + 1_000)).as_deref(),
        Some(SITE)
    );
    let bundle = from_site("/guanai.js", SITE);
    assert_eq!(
        allowed_origin(&bundle, &at(NOW_MS + 2_000)).as_deref(),
        Some(SITE)
    );
    assert_eq!(kv.reads(), reads + 1, "fresh copies: no KV read at all");

    // Saved through another isolate: this one sees it once its copy is stale.
    let later = "https://later.example";
    assert_eq!(
        save(
            &kv,
            &plan,
            "/v1/admin/origins/partner/site-partner",
            &[SITE, later]
        )
        .0,
        200
    );
    let from_later = from_site("/v1/catalog", later);
    assert_eq!(
        allowed_origin(&from_later, &at(NOW_MS + 3_000)),
        None,
        "still fresh"
    );
    let stale = NOW_MS + SNAPSHOT_TTL_MS + 1;
    assert_eq!(
        allowed_origin(&from_later, &at(stale)).as_deref(),
        Some(later)
    );
    assert_eq!(kv.operations(), 1, "the refresh is one operation");

    // Same-origin admin requests and configured origins never read it.
    let configured = from_site("/v1/catalog", "https://partner.example");
    let reads = kv.reads();
    let fresh_cache = SnapshotCache::new();
    let cold = CachedSnapshot {
        inner: &kv,
        cache: &fresh_cache,
        now_ms: NOW_MS,
        ttl_ms: SNAPSHOT_TTL_MS,
    };
    allowed_origin(&configured, &cold);
    assert_eq!(kv.reads(), reads + 1, "only the catalogue");
    assert_eq!(
        kv.value(crate::origins::ALLOWLIST_KEY).map(|v| v.value),
        Some(json!([later, SITE]).to_string())
    );
}

#[test]
fn the_scheduled_rebuild_repairs_a_missed_change_and_writes_only_when_it_changed() {
    let kv = staffed();
    let site = json!({
        "owner": {"kind": "association", "association": "hebei"},
        "association": "hebei",
        "origins": ["https://hebei.example"],
        "updated_by": "hb.admin",
        "updated_at_ms": NOW_MS,
    });
    // Written by an isolate whose rebuild did not see it.
    kv.insert("origins:association:hebei", &site.to_string(), None);
    let built = pollster::block_on(crate::admin::origins::rebuild(&kv, None)).unwrap();
    assert_eq!(built, ["https://hebei.example"]);
    kv.new_invocation();
    pollster::block_on(crate::admin::origins::rebuild(&kv, None)).unwrap();
    assert_eq!(
        kv.operations(),
        3,
        "a listing, a bulk read and the stored list; no write when unchanged"
    );
}
