//! The programme past the sizes where the old code broke, on the real worker: more drafts than
//! one request could read one by one (≈ 990) and more sign-ups than the old export's 900 rows.
//! A worker of the test's own with a generated programme in its own local KV (the shared KV
//! holds the demo programme other tests look at). The full size — 50,000 sign-ups, 10,000
//! benefits — is held to Workers KV's 1,000 operations natively (`edge/src/scale_tests.rs`),
//! which `wrangler dev` does not count; this run proves the same paged and bulk code paths
//! answer on workerd.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use guanai_core::wire::Status;
use guanai_e2e::admin::{StaffSession, api_sign_in_at, call_at, expect_at};
use guanai_e2e::programme::{now_ms, seed};
use guanai_e2e::worker::{OwnWorker, free_port};
use guanai_e2e::{http, root};
use guanai_edge::scale::{self, Scale};
use serde_json::{Value, json};

const SCALE: Scale = Scale {
    signups: 1_000,
    benefits: 1_200,
    partners: 200,
    audit_events: 1_000,
};
/// Rows of the CSV import: more than one request stores.
const IMPORTED: usize = 1_000;
const ADMIN: &str = "scale.admin";

struct Programme {
    worker: OwnWorker,
    staff: StaffSession,
    made_at_ms: u64,
}

impl Programme {
    fn start() -> Programme {
        let state = root().join("target/e2e/scale-state");
        let _ = std::fs::remove_dir_all(&state);
        let made_at_ms = now_ms();
        seed(&state, &SCALE, made_at_ms, ADMIN);
        let worker = OwnWorker::start(&state, free_port());
        let staff = api_sign_in_at(&worker.base(), ADMIN);
        Programme {
            worker,
            staff,
            made_at_ms,
        }
    }

    fn get(&self, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        call_at(&self.worker.base(), "GET", path, Some(&self.staff), None)
    }

    fn post(&self, path: &str, body: Value, status: u16) -> Value {
        let (base, staff) = (self.worker.base(), Some(&self.staff));
        expect_at(&base, ("POST", path), staff, Some(body), status)
    }

    /// Every page of the list at `path?query`, following `cursor_field` to the end.
    fn every_page(&self, path: &str, query: &str, cursor_field: &str) -> Vec<Value> {
        let mut pages = Vec::new();
        let mut url = format!("{path}?{query}");
        loop {
            let base = self.worker.base();
            let page = expect_at(&base, ("GET", &url), Some(&self.staff), None, 200);
            let cursor = page[cursor_field].as_str().map(str::to_string);
            pages.push(page);
            match cursor {
                Some(cursor) => url = format!("{path}?{query}&{cursor_field}={cursor}"),
                None => return pages,
            }
        }
    }

    /// Posts a CSV file (not JSON) as the admin view's import does.
    fn post_csv(&self, path: &str, csv: &str) -> Value {
        let mut response = http()
            .post(format!("{}{path}", self.worker.base()))
            .header("cookie", &self.staff.cookie)
            .header("x-csrf-token", &self.staff.csrf)
            .header("content-type", "text/csv")
            .send(csv)
            .expect("the worker answers");
        let body = response.body_mut().read_to_string().unwrap();
        assert_eq!(response.status(), 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }
}

#[test]
fn staff_import_publish_page_and_export_a_programme_past_the_old_limits() {
    let p = Programme::start();

    // A 1,000-row CSV import, stored a page at a time (each page ≤ 900 operations).
    let mut rows = scale::catalogue(&SCALE).benefits[..IMPORTED].to_vec();
    for benefit in &mut rows {
        benefit.id = format!("imported-{}", benefit.id);
    }
    let csv = guanai_core::import::benefits_csv(&rows).unwrap();
    let mut answer = p.post_csv("/v1/admin/catalog/import?kind=benefits", &csv);
    let mut pages = 1;
    while let Some(cursor) = answer["cursor"].as_str().map(str::to_string) {
        answer = p.post_csv(&format!("/v1/admin/catalog/import?cursor={cursor}"), "");
        pages += 1;
        assert!(pages < 10, "the import does not finish: {answer}");
    }
    assert!(pages > 1, "a 1,000-row file takes more than one request");
    assert_eq!(answer["written"], IMPORTED, "{answer}");
    assert_eq!(answer["total"], IMPORTED, "{answer}");

    // Publishing 2,200 benefit drafts: read in bulk, past the ≈ 990 single reads a request had.
    let benefits = SCALE.benefits + IMPORTED;
    let published = p.post("/v1/admin/catalog/publish", json!({}), 201);
    assert_eq!(published["benefits"], benefits, "{published}");
    assert_eq!(published["partners"], SCALE.partners, "{published}");
    let catalog = expect_at(&p.worker.base(), ("GET", "/v1/catalog"), None, None, 200);
    assert_eq!(catalog["benefits"].as_array().unwrap().len(), benefits);

    // The catalogue page: every draft exactly once, a page of 100 at a time.
    let mut seen = BTreeSet::new();
    let query = "kind=benefits";
    for page in p.every_page("/v1/admin/catalog", query, "benefits_cursor") {
        let drafts = page["benefits"].as_array().unwrap();
        assert!(drafts.len() <= 100, "a page, not the catalogue");
        for draft in drafts {
            assert!(seen.insert(draft["benefit"]["id"].to_string()), "{draft}");
        }
    }
    assert_eq!(seen.len(), benefits);

    // Drafts from the published catalogue walk it in pages to the end.
    let mut body = json!({});
    loop {
        let answer = p.post("/v1/admin/catalog/drafts-from-published", body, 200);
        assert_eq!(answer["total"], SCALE.partners + benefits, "{answer}");
        match answer["cursor"].as_str() {
            Some(cursor) => body = json!({"cursor": cursor}),
            None => break,
        }
    }

    // A rare status's list: full pages of it, every one found.
    let rejected = guanai_core::synthetic::signups(SCALE.signups, SCALE.partners, p.made_at_ms)
        .filter(|signup| signup.status == Status::Rejected)
        .count();
    assert!(
        rejected > 0,
        "the generated programme has rejected sign-ups"
    );
    let mut found = 0;
    for page in p.every_page("/v1/admin/signups", "status=rejected", "cursor") {
        let rows = page["signups"].as_array().unwrap();
        assert!(rows.iter().all(|row| row["status"] == "rejected"), "{page}");
        found += rows.len();
    }
    assert_eq!(found, rejected);

    // One spreadsheet with every sign-up, each opened from its seal.
    let (status, headers, csv) = p.get("/v1/admin/signups.csv");
    assert_eq!(status, 200);
    assert!(headers.iter().all(|(name, _)| name != "x-next-cursor"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "UTF-8 with BOM");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), SCALE.signups, "every row in one file");
    let references: BTreeSet<&str> = rows
        .iter()
        .filter_map(|row| row.split(',').next())
        .collect();
    assert_eq!(references.len(), SCALE.signups, "each sign-up once");
    let mobiles: BTreeSet<String> = rows
        .iter()
        .filter_map(|row| row.split(',').nth(3))
        .map(|mobile| mobile.trim_matches('"').to_string())
        .collect();
    let generated: BTreeSet<String> =
        guanai_core::synthetic::signups(SCALE.signups, SCALE.partners, p.made_at_ms)
            .map(|signup| signup.personal.mobile)
            .collect();
    assert_eq!(mobiles, generated, "each row opened from its seal");
}
