//! The admin API's access rules, route by route: the auth matrix.

use guanai_core::Association;
use guanai_core::staff::{Role, Staff};

use super::ROUTES;
use super::session::{COOKIE, SESSION_SECONDS};
use super::staff::{key, metadata, new_record};
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::CountingLimiter;
use crate::routes::Outcome;
use crate::store::MemoryKv;
use crate::testing::{NOW_MS, outcome_with};

const PASSWORD: &str = "correct horse battery staple";

/// A store with three accounts: the plan admin, Beijing's admin and a Tianjin viewer.
fn staffed() -> MemoryKv {
    let kv = MemoryKv::new();
    for (i, (username, role, association)) in [
        ("plan.admin", Role::PlanAdmin, None),
        (
            "bj.admin",
            Role::AssociationAdmin,
            Some(Association::Beijing),
        ),
        ("tj.viewer", Role::Viewer, Some(Association::Tianjin)),
    ]
    .into_iter()
    .enumerate()
    {
        let staff = Staff {
            username: username.into(),
            role,
            association,
        };
        let record = new_record(staff, PASSWORD, [i as u8; 16], NOW_MS, "bootstrap").unwrap();
        kv.insert(
            &key(username),
            &serde_json::to_string(&record).unwrap(),
            Some(metadata(&record.staff)),
        );
    }
    kv
}

fn send(kv: &MemoryKv, request: ApiRequest, now_ms: u64, entropy: u8) -> ApiResponse {
    match outcome_with(
        &request,
        kv,
        &CountingLimiter::new(1_000),
        now_ms,
        [entropy; 32],
    ) {
        Outcome::Respond { response, .. } => response,
        Outcome::Asset { .. } => panic!("{} went to the assets", request.path),
    }
}

fn code(response: &ApiResponse) -> String {
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// A signed-in browser: its cookie and CSRF token.
struct Signed {
    cookie: String,
    csrf: String,
}

fn login(kv: &MemoryKv, username: &str, entropy: u8) -> Signed {
    let response = send(
        kv,
        ApiRequest::new("POST", "/v1/admin/login").with_body(format!(
            r#"{{"username":"{username}","password":"{PASSWORD}"}}"#
        )),
        NOW_MS,
        entropy,
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let set_cookie = response.header("set-cookie").unwrap();
    let token = set_cookie
        .strip_prefix(&format!("{COOKIE}="))
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    Signed {
        cookie: format!("{COOKIE}={token}"),
        csrf: body["csrf_token"].as_str().unwrap().to_string(),
    }
}

fn as_signed(request: ApiRequest, who: &Signed) -> ApiRequest {
    request
        .with_header("cookie", &format!("theme=dark; {}", who.cookie))
        .with_header("x-csrf-token", &who.csrf)
}

fn new_staff(username: &str, role: &str, association: Option<&str>, password: &str) -> String {
    serde_json::json!({
        "username": username, "role": role, "association": association, "password": password
    })
    .to_string()
}

#[test]
fn every_protected_route_refuses_strangers_and_forged_requests() {
    let kv = staffed();
    let plan = login(&kv, "plan.admin", 1);
    for (method, path, public) in ROUTES {
        if *public {
            continue;
        }
        // No session: 401, in the contract's error shape.
        let stranger = send(
            &kv,
            ApiRequest::new(method, path).with_body("{}"),
            NOW_MS,
            9,
        );
        assert_eq!(stranger.status, 401, "{method} {path}");
        assert_eq!(code(&stranger), "unauthenticated");
        // A forged or unknown cookie: 401.
        let forged = ApiRequest::new(method, path)
            .with_header("cookie", &format!("{COOKIE}={}", "ab".repeat(32)))
            .with_body("{}");
        assert_eq!(send(&kv, forged, NOW_MS, 9).status, 401, "{method} {path}");
        // A real session but no CSRF token on a change: 403 (another site cannot make the
        // browser send the header).
        if *method != "GET" {
            let no_csrf = ApiRequest::new(method, path)
                .with_header("cookie", &plan.cookie)
                .with_body("{}");
            let refused = send(&kv, no_csrf, NOW_MS, 9);
            assert_eq!(refused.status, 403, "{method} {path}");
            assert_eq!(code(&refused), "csrf_failed");
        }
    }
}

#[test]
fn staff_routes_follow_role_and_association() {
    let kv = staffed();
    let (plan, beijing, viewer) = (
        login(&kv, "plan.admin", 1),
        login(&kv, "bj.admin", 2),
        login(&kv, "tj.viewer", 3),
    );
    let list = |who: &Signed| {
        send(
            &kv,
            as_signed(ApiRequest::new("GET", "/v1/admin/staff"), who),
            NOW_MS,
            9,
        )
    };
    let names = |response: ApiResponse| -> Vec<String> {
        let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        body["staff"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["username"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(list(&plan)), ["bj.admin", "plan.admin", "tj.viewer"]);
    assert_eq!(names(list(&beijing)), ["bj.admin"]);
    let refused = list(&viewer);
    assert_eq!((refused.status, code(&refused)), (403, "forbidden".into()));

    let create = |who: &Signed, body: String, entropy: u8| {
        send(
            &kv,
            as_signed(ApiRequest::new("POST", "/v1/admin/staff"), who).with_body(body),
            NOW_MS,
            entropy,
        )
    };
    // Wrong role, other association, above one's own rank: 403.
    let by_viewer = create(
        &viewer,
        new_staff("tj.two", "viewer", Some("tianjin"), PASSWORD),
        4,
    );
    assert_eq!(by_viewer.status, 403);
    let elsewhere = create(
        &beijing,
        new_staff("tj.two", "viewer", Some("tianjin"), PASSWORD),
        4,
    );
    assert_eq!(elsewhere.status, 403);
    let promote = create(
        &beijing,
        new_staff("bj.boss", "plan_admin", None, PASSWORD),
        4,
    );
    assert_eq!(promote.status, 403);
    // Within one's own association: created, stored hashed, listed.
    let made = create(
        &beijing,
        new_staff("bj.viewer", "viewer", Some("beijing"), PASSWORD),
        5,
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let stored = kv.value("staff:bj.viewer").unwrap().value;
    assert!(!stored.contains(PASSWORD) && stored.contains("argon2id"));
    assert_eq!(names(list(&beijing)), ["bj.admin", "bj.viewer"]);
    // The plan admin may create anyone; duplicates and weak passwords are refused plainly.
    let second = create(
        &plan,
        new_staff("plan.two", "plan_admin", None, PASSWORD),
        6,
    );
    assert_eq!(second.status, 201);
    let again = create(
        &plan,
        new_staff("plan.two", "plan_admin", None, PASSWORD),
        7,
    );
    assert_eq!((again.status, code(&again)), (409, "username_taken".into()));
    let weak = create(
        &plan,
        new_staff("Bad Name", "association_admin", None, "short"),
        8,
    );
    assert_eq!(weak.status, 422);
    let body: serde_json::Value = serde_json::from_str(&weak.body).unwrap();
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["username", "association", "password"]);
    assert!(
        body["error"]["fields"][2]["message"]["zh"]
            .as_str()
            .unwrap()
            .contains("12")
    );
}

#[test]
fn login_sets_a_strict_cookie_and_stores_only_a_hash_of_the_token() {
    let kv = staffed();
    let response = send(
        &kv,
        ApiRequest::new("POST", "/v1/admin/login").with_body(format!(
            r#"{{"username":"Plan.Admin ","password":"{PASSWORD}"}}"#
        )),
        NOW_MS,
        1,
    );
    assert_eq!(response.status, 200);
    let cookie = response.header("set-cookie").unwrap();
    for attribute in [
        "__Host-guanai-admin=",
        "Path=/",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
    ] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let token = "01".repeat(32);
    let sessions = kv.keys("session:");
    assert_eq!(sessions.len(), 1);
    assert!(!sessions[0].contains(&token));
    assert!(!kv.value(&sessions[0]).unwrap().value.contains(&token));
    assert_eq!(kv.ttl(&sessions[0]), Some(SESSION_SECONDS));
}

#[test]
fn wrong_passwords_and_unknown_users_get_the_same_answer_and_are_rate_limited() {
    let kv = staffed();
    let attempt = |username: &str, password: &str, limiter: &CountingLimiter| {
        let request = ApiRequest::new("POST", "/v1/admin/login")
            .with_header("cf-connecting-ip", "203.0.113.9")
            .with_body(format!(
                r#"{{"username":"{username}","password":"{password}"}}"#
            ));
        match outcome_with(&request, &kv, limiter, NOW_MS, [1; 32]) {
            Outcome::Respond { response, .. } => response,
            Outcome::Asset { .. } => panic!("assets"),
        }
    };
    let generous = CountingLimiter::new(100);
    let wrong = attempt("plan.admin", "not the password", &generous);
    let unknown = attempt("nobody.here", "not the password", &generous);
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(code(&wrong), "invalid_credentials");
    let malformed = send(
        &kv,
        ApiRequest::new("POST", "/v1/admin/login").with_body("{"),
        NOW_MS,
        1,
    );
    assert_eq!(malformed.status, 400);
    // Ten tries a minute per network: the eleventh is refused before any password is checked.
    let strict = CountingLimiter::new(10);
    for _ in 0..10 {
        assert_eq!(attempt("plan.admin", "guess", &strict).status, 401);
    }
    let blocked = attempt("plan.admin", PASSWORD, &strict);
    assert_eq!(
        (blocked.status, code(&blocked)),
        (429, "rate_limited".into())
    );
    assert!(kv.keys("session:").is_empty());
}

#[test]
fn sessions_expire_and_logout_ends_them() {
    let kv = staffed();
    let plan = login(&kv, "plan.admin", 1);
    let show = |now: u64| {
        send(
            &kv,
            as_signed(ApiRequest::new("GET", "/v1/admin/session"), &plan),
            now,
            9,
        )
    };
    let shown = show(NOW_MS + 1000);
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("\"plan_admin\"") && shown.body.contains(&plan.csrf));
    assert_eq!(show(NOW_MS + SESSION_SECONDS * 1000).status, 401);

    let logout = send(
        &kv,
        as_signed(ApiRequest::new("POST", "/v1/admin/logout"), &plan),
        NOW_MS,
        9,
    );
    assert_eq!(logout.status, 204);
    assert!(logout.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(show(NOW_MS + 1000).status, 401);
    assert!(kv.keys("session:").is_empty());
}

#[test]
fn wrong_methods_on_admin_routes_are_405_and_unknown_ones_404() {
    let kv = staffed();
    let response = send(&kv, ApiRequest::new("GET", "/v1/admin/login"), NOW_MS, 9);
    assert_eq!(response.status, 405);
    assert_eq!(response.header("allow"), Some("POST"));
    assert_eq!(
        send(&kv, ApiRequest::new("GET", "/v1/admin/nope"), NOW_MS, 9).status,
        404
    );
}

#[test]
fn every_admin_action_lands_in_the_audit_log_newest_first() {
    let kv = staffed();
    let plan = login(&kv, "plan.admin", 1);
    let wrong = ApiRequest::new("POST", "/v1/admin/login")
        .with_header("cf-connecting-ip", "203.0.113.7")
        .with_body(r#"{"username":"bj.admin","password":"a guess, not the password"}"#);
    assert_eq!(send(&kv, wrong, NOW_MS + 1_000, 2).status, 401);
    let created = send(
        &kv,
        as_signed(ApiRequest::new("POST", "/v1/admin/staff"), &plan)
            .with_header("cf-connecting-ip", "198.51.100.4")
            .with_body(new_staff("hb.viewer", "viewer", Some("hebei"), PASSWORD)),
        NOW_MS + 2_000,
        3,
    );
    assert_eq!(created.status, 201);

    let read = |who: &Signed, query: &str| {
        send(
            &kv,
            as_signed(ApiRequest::new("GET", "/v1/admin/audit"), who).with_query(query),
            NOW_MS + 3_000,
            9,
        )
    };
    let page = read(&plan, "");
    assert_eq!(page.status, 200);
    let body: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    let events = body["events"].as_array().unwrap();
    let summary: Vec<(String, String, String)> = events
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "staff_created".into(),
                "plan.admin".into(),
                "hb.viewer".into()
            ),
            ("login_failed".into(), "bj.admin".into(), String::new()),
            ("login".into(), "plan.admin".into(), String::new()),
        ]
    );
    assert_eq!(events[0]["ip"], "198.51.100.4");
    assert_eq!(events[1]["ip"], "203.0.113.7");
    assert!(body["cursor"].is_null());
    // Nothing secret is ever in the log.
    for key in kv.keys("audit:") {
        let value = kv.value(&key).unwrap().value;
        assert!(
            !value.contains("guess") && !value.contains(PASSWORD),
            "{value}"
        );
    }
    // Only the plan admin reads it.
    let beijing = login(&kv, "bj.admin", 4);
    assert_eq!(read(&beijing, "").status, 403);
    let viewer = login(&kv, "tj.viewer", 5);
    assert_eq!(read(&viewer, "").status, 403);
}

#[test]
fn the_audit_log_pages_with_a_cursor() {
    let kv = staffed();
    let plan = login(&kv, "plan.admin", 1);
    let config = crate::testing::config();
    let limiter = CountingLimiter::new(1_000);
    for i in 0..120u64 {
        let ctx = crate::context::Context {
            kv: &kv,
            limiter: &limiter,
            config: &config,
            secrets: Ok(crate::testing::secrets()),
            now_ms: NOW_MS + 1_000 + i,
            entropy: [(i % 200) as u8 + 10; 32],
        };
        let request = ApiRequest::new("POST", "/v1/admin/staff");
        pollster::block_on(super::audit::record(
            &request,
            &ctx,
            "plan.admin",
            "staff_created",
            "x",
        ))
        .unwrap();
    }
    let read = |query: &str| {
        let response = send(
            &kv,
            as_signed(ApiRequest::new("GET", "/v1/admin/audit"), &plan).with_query(query),
            NOW_MS + 10_000,
            9,
        );
        serde_json::from_str::<serde_json::Value>(&response.body).unwrap()
    };
    let first = read("");
    assert_eq!(first["events"].as_array().unwrap().len(), 100);
    let cursor = first["cursor"].as_str().unwrap().to_string();
    let encoded: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("cursor", &cursor)
        .finish();
    let second = read(&encoded);
    // 120 recorded actions and the plan admin's own login: 21 on the second page, oldest last.
    let rest = second["events"].as_array().unwrap();
    assert_eq!(rest.len(), 21);
    assert_eq!(rest[20]["action"], "login");
    assert!(second["cursor"].is_null());
}
