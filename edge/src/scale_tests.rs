//! Every route at the programme's full size ([`crate::scale::PROGRAMME`]: 50,000 sign-ups,
//! 10,000 benefit and 2,000 partner drafts, 100,000 audit events) within Workers KV's 1,000
//! operations per invocation, counted by `MemoryKv` as Workers counts them (a bulk read of 100
//! keys is one). `wrangler dev` enforces none of it; production refuses the 1,001st.
//!
//! The test walks every public route and every row of the admin route table, and fails when
//! one is missing: a route added later joins it or the test says so.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::admin::routes::{Resolved, TABLE, resolve};
use crate::form_tests::{envelope, post, sign_up, signup_form, solved_challenge};
use crate::http::{ApiRequest, ApiResponse};
use crate::me_tests::me;
use crate::openapi_tests::PUBLIC;
use crate::scale::{self, PROGRAMME};
use crate::store::{Kv, MemoryKv, OPERATIONS_PER_INVOCATION};
use crate::testing::{NOW_MS, Signed, as_signed, login, secrets, send, staffed};

/// The store at full size, and what each request cost.
struct Programme {
    kv: MemoryKv,
    figures: Vec<(String, usize)>,
    /// Public (method, path) and admin endpoints asked for.
    public: BTreeSet<(String, String)>,
    admin: BTreeSet<String>,
    entropy: u8,
}

impl Programme {
    fn new() -> Programme {
        let kv = staffed();
        scale::generate(&PROGRAMME, &secrets(), NOW_MS, |entry| {
            kv.insert(&entry.key, &entry.value, entry.metadata)
        })
        .expect("the programme generates");
        Programme {
            kv,
            figures: Vec::new(),
            public: BTreeSet::new(),
            admin: BTreeSet::new(),
            entropy: 100,
        }
    }

    /// Notes what the last invocation cost, under `label`, and holds it to the limit.
    fn cost(&mut self, label: &str) -> usize {
        let spent = self.kv.operations();
        assert!(
            spent <= OPERATIONS_PER_INVOCATION,
            "{label}: {spent} KV operations"
        );
        self.figures.push((label.to_string(), spent));
        spent
    }

    /// Sends `request`, expecting `status`, and notes its cost and its route.
    fn ask(&mut self, label: &str, request: ApiRequest, status: u16) -> ApiResponse {
        self.entropy = self.entropy.wrapping_add(1);
        let (method, path) = (request.method.clone(), request.path.clone());
        let response = send(&self.kv, request, NOW_MS + 30_000, self.entropy);
        assert_eq!(response.status, status, "{label}: {}", response.body);
        self.cost(label);
        match resolve(&method, &path) {
            Resolved::Route(endpoint, _) => {
                self.admin.insert(format!("{endpoint:?}"));
            }
            _ => {
                self.public.insert((method, path));
            }
        }
        response
    }

    fn as_staff(
        &mut self,
        who: &Signed,
        label: &str,
        method: &str,
        path: &str,
        body: &str,
        status: u16,
    ) -> ApiResponse {
        let request = as_signed(
            ApiRequest::new(method, path).with_body(body.to_string()),
            who,
        );
        self.ask(label, request, status)
    }

    fn query(&mut self, who: &Signed, label: &str, path: &str, query: &str) -> ApiResponse {
        let request = as_signed(ApiRequest::new("GET", path).with_query(query), who);
        self.ask(label, request, 200)
    }
}

fn json_of(response: &ApiResponse) -> Value {
    serde_json::from_str(&response.body).expect("a JSON body")
}

/// Where a paged answer goes on.
fn cursor_of(answer: &Value) -> Option<String> {
    answer["cursor"].as_str().map(str::to_string)
}

#[test]
fn every_route_holds_at_programme_scale_within_1000_kv_operations() {
    let mut p = Programme::new();
    let plan = login(&p.kv, "plan.admin", 1);
    let bj = login(&p.kv, "bj.admin", 2);
    p.admin.insert("Login".into());

    public_routes(&mut p);
    sign_up_lists_and_exports(&mut p, &plan, &bj);
    catalogue_work(&mut p, &plan);
    partner_sites(&mut p, &plan, &bj);
    people_and_staff(&mut p, &plan, &bj);

    let logout = as_signed(ApiRequest::new("POST", "/v1/admin/logout"), &bj);
    p.ask("admin logout", logout, 204);

    // Every route was asked for.
    let unasked: Vec<String> = TABLE
        .iter()
        .map(|(_, _, endpoint)| format!("{endpoint:?}"))
        .filter(|endpoint| !p.admin.contains(endpoint))
        .collect();
    assert!(unasked.is_empty(), "admin routes not measured: {unasked:?}");
    let asked: Vec<(String, String)> = p.public.iter().cloned().collect();
    for (method, path) in PUBLIC {
        assert!(
            asked.iter().any(|(m, p)| m == method && p == path),
            "public route not measured: {method} {path}"
        );
    }
    let mut figures = p.figures.clone();
    figures.sort_by_key(|(_, spent)| std::cmp::Reverse(*spent));
    println!("KV operations per invocation at {PROGRAMME:?}:");
    for (label, spent) in &figures {
        println!("  {spent:>4}  {label}");
    }
    let (worst, spent) = &figures[0];
    println!("worst: {spent} ({worst}), limit {OPERATIONS_PER_INVOCATION}");
}

fn public_routes(p: &mut Programme) {
    for method in ["GET", "HEAD"] {
        p.ask(
            &format!("{method} /v1/health"),
            ApiRequest::new(method, "/v1/health"),
            200,
        );
        p.ask(
            &format!("{method} /v1/catalog (10,000 benefits)"),
            ApiRequest::new(method, "/v1/catalog"),
            200,
        );
        p.ask(
            &format!("{method} /v1/challenge"),
            ApiRequest::new(method, "/v1/challenge"),
            200,
        );
        p.ask(
            &format!("{method} /v1/openapi.json"),
            ApiRequest::new(method, "/v1/openapi.json"),
            200,
        );
    }
    p.ask(
        "GET /catalog/<benefit>",
        ApiRequest::new("GET", "/catalog/benefit-7"),
        200,
    );
    p.ask("GET /me (page)", ApiRequest::new("GET", "/me"), 200);

    let mut form = signup_form();
    form["consents"]["partners"] = json!(["partner-1"]);
    let created = sign_up(&p.kv, "scale-signup-0001", form, 9);
    assert_eq!(created.status, 201, "{}", created.body);
    p.cost("POST /v1/signups");
    p.public.insert(("POST".into(), "/v1/signups".into()));
    let secret = json_of(&created)["secret"].as_str().unwrap().to_string();
    // The person's own requests, with the secret the sign-up answered.
    let theirs = |method: &str, path: &str, body: Option<Value>| me(method, path, &secret, body);
    p.ask("GET /v1/me", theirs("GET", "/v1/me", None), 200);
    let mut correction = signup_form();
    correction["consents"]["partners"] = json!(["partner-1"]);
    correction["employer"] = json!("海淀区社会工作服务中心");
    p.ask("PUT /v1/me", theirs("PUT", "/v1/me", Some(correction)), 200);
    let withdrawal = json!({"consent": "partner", "partner": "partner-1"});
    p.ask(
        "POST /v1/me/withdraw",
        theirs("POST", "/v1/me/withdraw", Some(withdrawal)),
        200,
    );
    p.ask("DELETE /v1/me", theirs("DELETE", "/v1/me", None), 204);

    let challenge = solved_challenge(&p.kv, 11);
    let body = envelope(crate::form_tests::application_form(), challenge);
    let request = post("/v1/partner-applications", "scale-apply-0001", body);
    p.ask("POST /v1/partner-applications", request, 201);
}

/// Every partner with a site recorded (2,000 lists): saving one rebuilds the allowlist from all
/// of them, and a page on a recorded site reads the catalogue and the allowlist in one bulk read.
fn partner_sites(p: &mut Programme, plan: &Signed, bj: &Signed) {
    for i in 0..PROGRAMME.partners {
        let site = json!({
            "owner": {"kind": "partner", "id": format!("partner-{i}")},
            "association": null,
            "origins": [format!("https://partner-{i}.example")],
            "updated_by": "plan.admin",
            "updated_at_ms": NOW_MS,
        });
        p.kv.insert(
            &format!("origins:partner:partner-{i}"),
            &site.to_string(),
            None,
        );
    }
    let body = json!({"origins": ["https://www.partner-1.example", "https://partner-1.example"]});
    p.as_staff(
        plan,
        "partner sites saved (allowlist rebuilt from 2,000 lists)",
        "PUT",
        "/v1/admin/origins/partner/partner-1",
        &body.to_string(),
        200,
    );
    let own = json!({"origins": ["https://bj-social-work.example"]});
    p.as_staff(
        bj,
        "association sites saved",
        "PUT",
        "/v1/admin/origins/association/beijing",
        &own.to_string(),
        200,
    );
    let sites = json_of(&p.query(bj, "sites list (2,000 lists)", "/v1/admin/origins", ""));
    assert!(sites["sites"].as_array().is_some_and(|s| !s.is_empty()));
    let check = p.query(
        bj,
        "site check",
        "/v1/admin/origins/check",
        "origin=https://WWW.partner-1.example:443",
    );
    assert_eq!(json_of(&check)["allowed"], true, "{}", check.body);

    let from_site = ApiRequest::new("GET", "/v1/catalog")
        .with_header("origin", "https://www.partner-1.example");
    let answer = p.ask(
        "GET /v1/catalog from a recorded site (catalogue + allowlist)",
        from_site,
        200,
    );
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://www.partner-1.example")
    );
    assert_eq!(
        p.kv.operations(),
        1,
        "the catalogue and the allowlist in one bulk read"
    );
}

fn sign_up_lists_and_exports(p: &mut Programme, plan: &Signed, bj: &Signed) {
    let path = "/v1/admin/signups";
    let page = p.query(plan, "sign-ups, first page", path, "");
    assert_eq!(json_of(&page)["signups"].as_array().unwrap().len(), 50);
    // Rejected is 1 in 200: a full page lies across ten thousand sign-ups.
    let rare = p.query(
        plan,
        "sign-ups, rare status: first page",
        path,
        "status=rejected",
    );
    let rare = json_of(&rare);
    assert_eq!(rare["signups"].as_array().unwrap().len(), 50, "a full page");
    assert!(
        rare["signups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "rejected")
    );
    let next = format!("status=rejected&cursor={}", cursor_of(&rare).unwrap());
    let second = json_of(&p.query(plan, "sign-ups, rare status: next page", path, &next));
    let first_refs: BTreeSet<String> = rare["signups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reference"].to_string())
        .collect();
    assert!(
        second["signups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !first_refs.contains(&r["reference"].to_string()))
    );

    let export = p.query(
        plan,
        "sign-ups CSV, all 50,000",
        "/v1/admin/signups.csv",
        "",
    );
    assert!(export.body.starts_with('\u{feff}'), "UTF-8 with BOM");
    assert_eq!(
        export.body.lines().count(),
        1 + PROGRAMME.signups,
        "every row, one file"
    );
    assert_eq!(export.header("x-next-cursor"), None);
    let consented = p.query(
        bj,
        "sign-ups CSV, Beijing, consented to one partner",
        "/v1/admin/signups.csv",
        "partner=partner-7",
    );
    assert!(
        consented
            .body
            .lines()
            .skip(1)
            .all(|line| line.contains("partner-7"))
    );

    let insight = p.query(
        plan,
        "dashboard without a rollup (counts all)",
        "/v1/admin/insight",
        "",
    );
    let counted: u64 = weekly_total(&json_of(&insight));
    assert_eq!(counted, PROGRAMME.signups as u64);
    p.kv.new_invocation();
    pollster::block_on(crate::admin::insight::roll_up(&p.kv, NOW_MS)).unwrap();
    p.cost("scheduled rollup (Cron Trigger)");
    let insight = p.query(
        plan,
        "dashboard: rollup + arrivals",
        "/v1/admin/insight",
        "",
    );
    assert_eq!(weekly_total(&json_of(&insight)), PROGRAMME.signups as u64);
    let reads = p.kv.operations();
    assert!(
        reads <= 10,
        "the dashboard reads the rollup, not 50 listings: {reads}"
    );
}

/// Sign-ups counted over every week and association.
fn weekly_total(insight: &Value) -> u64 {
    insight["signups_per_week_by_association"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|week| week.as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum()
}

fn catalogue_work(p: &mut Programme, plan: &Signed) {
    let page = json_of(&p.query(plan, "catalogue page", "/v1/admin/catalog", ""));
    assert_eq!(page["benefits"].as_array().unwrap().len(), 100);
    let cursor = page["benefits_cursor"].as_str().unwrap().to_string();
    let more = format!("kind=benefits&benefits_cursor={cursor}");
    let more = json_of(&p.query(plan, "catalogue, next benefits", "/v1/admin/catalog", &more));
    assert_ne!(
        more["benefits"][0]["benefit"]["id"],
        page["benefits"][0]["benefit"]["id"]
    );
    // A title near the end of the key order: the search reads every draft.
    let found = json_of(&p.query(
        plan,
        "catalogue search",
        "/v1/admin/catalog",
        "q=no.%209999",
    ));
    assert!(
        found["benefits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["benefit"]["id"] == "benefit-9999")
    );
    let choices = p.query(
        plan,
        "partner choices (2,000)",
        "/v1/admin/catalog/partner-choices",
        "",
    );
    assert_eq!(
        json_of(&choices).as_array().unwrap().len(),
        PROGRAMME.partners
    );

    let published = p.as_staff(
        plan,
        "publish 10,000 benefits",
        "POST",
        "/v1/admin/catalog/publish",
        "",
        201,
    );
    let published = json_of(&published);
    assert_eq!(published["benefits"], PROGRAMME.benefits);
    p.query(plan, "versions", "/v1/admin/catalog/versions", "");
    p.query(plan, "HSDS export", "/v1/admin/catalog/hsds.json", "");
    let back = json!({"version": scale::catalogue(&PROGRAMME).version}).to_string();
    p.as_staff(
        plan,
        "rollback",
        "POST",
        "/v1/admin/catalog/rollback",
        &back,
        200,
    );

    // Drafts from the published catalogue, with 2,000 benefit drafts gone: pages of 900.
    for key in p.kv.keys("draft-benefit:").into_iter().take(2_000) {
        p.kv.delete_now(&key);
    }
    let mut body = String::new();
    let mut created = 0;
    for page in 1.. {
        let label = format!("drafts from published, page {page}");
        let answer = p.as_staff(
            plan,
            &label,
            "POST",
            "/v1/admin/catalog/drafts-from-published",
            &body,
            200,
        );
        let answer = json_of(&answer);
        created += answer["created"].as_u64().unwrap();
        match cursor_of(&answer) {
            Some(cursor) => body = json!({"cursor": cursor}).to_string(),
            None => break,
        }
        assert!(page < 20, "drafts from published does not finish");
    }
    assert_eq!(created, 2_000);
    assert_eq!(p.kv.keys("draft-benefit:").len(), PROGRAMME.benefits);

    // A 2,000-row file of benefits: checked whole, stored 900 rows a request.
    let catalogue = scale::catalogue(&PROGRAMME);
    let mut rows = catalogue.benefits[..2_000].to_vec();
    for benefit in &mut rows {
        benefit.id = format!("imported-{}", benefit.id);
    }
    let csv = guanai_core::import::benefits_csv(&rows).unwrap();
    let first = as_signed(
        ApiRequest::new("POST", "/v1/admin/catalog/import")
            .with_query("kind=benefits")
            .with_body(csv),
        plan,
    );
    let mut answer = json_of(&p.ask("import 2,000 rows, page 1", first, 200));
    for page in 2.. {
        assert_eq!(answer["total"], 2_000);
        let Some(cursor) = cursor_of(&answer) else {
            break;
        };
        let next = as_signed(
            ApiRequest::new("POST", "/v1/admin/catalog/import")
                .with_query(&format!("cursor={cursor}")),
            plan,
        );
        answer = json_of(&p.ask(&format!("import 2,000 rows, page {page}"), next, 200));
    }
    assert_eq!(answer["written"], 2_000);
    assert_eq!(p.kv.keys("draft-benefit:imported-").len(), 2_000);
    assert!(
        p.kv.keys("import-file:").is_empty(),
        "the staged file is gone once stored"
    );

    let partner = serde_json::to_value(&catalogue.partners[0]).unwrap();
    let body = json!({"partner": partner}).to_string();
    p.as_staff(
        plan,
        "save a partner",
        "PUT",
        "/v1/admin/partners/partner-0",
        &body,
        200,
    );
    let benefit = serde_json::to_value(&catalogue.benefits[0]).unwrap();
    let body = json!({"benefit": benefit}).to_string();
    p.as_staff(
        plan,
        "save a benefit",
        "PUT",
        "/v1/admin/benefits/benefit-0",
        &body,
        200,
    );
}

fn people_and_staff(p: &mut Programme, plan: &Signed, bj: &Signed) {
    p.query(plan, "session", "/v1/admin/session", "");
    p.query(plan, "staff list", "/v1/admin/staff", "");
    let account = json!({"username": "hb.viewer", "password": "a long enough password for hebei", "role": "viewer", "association": "hebei"}).to_string();
    p.as_staff(
        plan,
        "create staff",
        "POST",
        "/v1/admin/staff",
        &account,
        201,
    );
    let audit = json_of(&p.query(plan, "audit log page", "/v1/admin/audit", ""));
    assert_eq!(audit["events"].as_array().unwrap().len(), 100);
    let audit = p.query(plan, "audit CSV, 100,000 events", "/v1/admin/audit.csv", "");
    assert!(
        audit.body.lines().count() > PROGRAMME.audit_events,
        "every event, one file"
    );
    assert_eq!(audit.header("x-next-cursor"), None);

    let key = p.kv.keys("signup:beijing:").swap_remove(123);
    let reference = key.rsplit(':').next().unwrap().to_string();
    let at = format!("/v1/admin/signups/beijing/{reference}");
    p.query(bj, "sign-up detail", &at, "");
    let review = json!({"decision": "verified", "note": ""}).to_string();
    p.as_staff(bj, "review", "POST", &format!("{at}/review"), &review, 200);
    let link = json!({"reason": "lost the link, asked by phone"}).to_string();
    p.as_staff(bj, "new link", "POST", &format!("{at}/link"), &link, 200);
    let mut form = signup_form();
    form["consents"]["partners"] = json!([]);
    let correct = json!({"reason": "typo reported by phone", "form": form}).to_string();
    p.as_staff(bj, "correct", "PUT", &at, &correct, 200);
    let gone = json!({"reason": "asked to be deleted"}).to_string();
    p.as_staff(bj, "delete", "DELETE", &at, &gone, 204);

    let list = json_of(&p.query(plan, "applications", "/v1/admin/applications", ""));
    let reference = list["applications"][0]["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let at = format!("/v1/admin/applications/{reference}");
    p.query(plan, "application detail", &at, "");
    let decision = json!({"decision": "declined", "note": "not a fit this year"}).to_string();
    p.as_staff(
        plan,
        "application decision",
        "POST",
        &format!("{at}/decision"),
        &decision,
        200,
    );
}
