//! The admin API's access rules, route by route: the auth matrix.

use super::guard::{COOKIE, SESSION_SECONDS};
use super::routes::samples;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::CountingLimiter;
use crate::routes::Outcome;
use crate::store::MemoryKv;
use crate::testing::{NOW_MS, PASSWORD, Signed, as_signed, login, outcome_with, send, staffed};

fn code(response: &ApiResponse) -> String {
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
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
    for (method, path, public) in samples() {
        let path = path.as_str();
        if public {
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
        if method != "GET" {
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
            readings: &crate::testing::BuiltReadingTable,
            secrets: Ok(crate::testing::secrets()),
            now_ms: NOW_MS + 1_000 + i,
            entropy: [(i % 200) as u8 + 10; 32],
        };
        let request = ApiRequest::new("POST", "/v1/admin/staff");
        pollster::block_on(super::records::audit(
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

/// Three sign-ups through the public route: two in Beijing (one with an employer that is a
/// spreadsheet formula), one in Tianjin. Returns their references.
fn with_signups(kv: &MemoryKv) -> Vec<String> {
    use crate::form_tests::{sign_up, signup_form};
    let mut forms = vec![signup_form(), signup_form(), signup_form()];
    // Names are letters only; free-text fields such as the employer can hold anything.
    forms[1]["name"] = "李娜".into();
    forms[1]["employer"] = "=HYPERLINK(\"http://evil\",\"点我\")".into();
    forms[1]["mobile"] = "13900001111".into();
    forms[1]["region"] = "110108".into();
    forms[1]["level"] = "assistant".into();
    forms[2]["mobile"] = "13700002222".into();
    forms[2]["association"] = "tianjin".into();
    forms[2]["region"] = "120101".into();
    forms
        .into_iter()
        .enumerate()
        .map(|(i, form)| {
            let response = sign_up(kv, &format!("signup-key-{i:04}"), form, 40 + i as u8);
            assert_eq!(response.status, 201, "{}", response.body);
            let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
            body["reference"].as_str().unwrap().to_string()
        })
        .collect()
}

fn get(kv: &MemoryKv, who: &Signed, path: &str, query: &str) -> ApiResponse {
    send(
        kv,
        as_signed(ApiRequest::new("GET", path), who).with_query(query),
        NOW_MS + 60_000,
        9,
    )
}

fn listed(response: &ApiResponse) -> Vec<String> {
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    body["signups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            format!(
                "{}/{}",
                row["association"].as_str().unwrap(),
                row["status"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn sign_up_lists_are_scoped_filtered_and_free_of_personal_data() {
    let kv = staffed();
    let references = with_signups(&kv);
    let (plan, beijing, viewer) = (
        login(&kv, "plan.admin", 1),
        login(&kv, "bj.admin", 2),
        login(&kv, "tj.viewer", 3),
    );
    let all = get(&kv, &plan, "/v1/admin/signups", "");
    assert_eq!(all.status, 200);
    assert_eq!(listed(&all).len(), 3);
    assert!(
        !all.body.contains("张晓明")
            && !all.body.contains("138")
            && !all.body.contains("HYPERLINK")
    );
    assert_eq!(
        listed(&get(&kv, &beijing, "/v1/admin/signups", "")),
        ["beijing/received", "beijing/received"]
    );
    assert_eq!(
        listed(&get(&kv, &viewer, "/v1/admin/signups", "")),
        ["tianjin/received"]
    );
    assert_eq!(
        get(&kv, &beijing, "/v1/admin/signups", "association=tianjin").status,
        403
    );
    assert_eq!(
        listed(&get(&kv, &plan, "/v1/admin/signups", "region=110105")).len(),
        1
    );
    assert_eq!(
        listed(&get(&kv, &plan, "/v1/admin/signups", "region=110000")).len(),
        2
    );
    assert_eq!(
        listed(&get(&kv, &plan, "/v1/admin/signups", "level=assistant")).len(),
        1
    );
    assert_eq!(
        listed(&get(
            &kv,
            &plan,
            "/v1/admin/signups",
            "from_ms=1&until_ms=2"
        ))
        .len(),
        0
    );
    // Part of a reference, as a social worker reads it out (any case).
    let wanted = &references[1];
    let found = get(
        &kv,
        &plan,
        "/v1/admin/signups",
        &format!("reference={}", wanted[3..].to_lowercase()),
    );
    let found: serde_json::Value = serde_json::from_str(&found.body).unwrap();
    let found: Vec<&str> = found["signups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["reference"].as_str().unwrap())
        .collect();
    assert_eq!(found, [wanted.as_str()]);
    let bad = get(&kv, &plan, "/v1/admin/signups", "level=guru");
    assert_eq!((bad.status, code(&bad)), (422, "validation".into()));
}

#[test]
fn personal_data_is_shown_only_to_those_allowed_and_every_view_is_audited() {
    let kv = staffed();
    let references = with_signups(&kv);
    let (beijing, viewer) = (login(&kv, "bj.admin", 2), login(&kv, "tj.viewer", 3));
    let detail = get(
        &kv,
        &beijing,
        &format!("/v1/admin/signups/beijing/{}", references[0]),
        "",
    );
    assert_eq!(detail.status, 200, "{}", detail.body);
    let body: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    assert_eq!(body["personal"]["name"], "张晓明");
    assert_eq!(body["personal"]["mobile"], "13812345678");
    let viewed: Vec<String> = kv
        .keys("audit:")
        .iter()
        .map(|k| kv.value(k).unwrap().value)
        .filter(|v| v.contains("signup_viewed"))
        .collect();
    assert_eq!(viewed.len(), 1);
    assert!(viewed[0].contains(&references[0]) && !viewed[0].contains("张晓明"));
    // Another association's record, a viewer, a record that does not exist.
    let tianjin = format!("/v1/admin/signups/tianjin/{}", references[2]);
    assert_eq!(get(&kv, &beijing, &tianjin, "").status, 403);
    assert_eq!(get(&kv, &viewer, &tianjin, "").status, 403);
    assert_eq!(
        get(&kv, &beijing, "/v1/admin/signups/beijing/GA-NOPE", "").status,
        404
    );
    assert_eq!(
        get(&kv, &beijing, "/v1/admin/signups/nowhere/GA-1", "").status,
        404
    );
}

#[test]
fn reviews_change_the_status_with_a_reason_for_rejections() {
    let kv = staffed();
    let references = with_signups(&kv);
    let (beijing, viewer) = (login(&kv, "bj.admin", 2), login(&kv, "tj.viewer", 3));
    let review = |who: &Signed, association: &str, reference: &str, body: &str| {
        send(
            &kv,
            as_signed(
                ApiRequest::new(
                    "POST",
                    &format!("/v1/admin/signups/{association}/{reference}/review"),
                ),
                who,
            )
            .with_body(body.to_string()),
            NOW_MS + 60_000,
            9,
        )
    };
    let no_reason = review(
        &beijing,
        "beijing",
        &references[0],
        r#"{"decision":"rejected"}"#,
    );
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("\"note\""));
    assert_eq!(
        review(
            &viewer,
            "tianjin",
            &references[2],
            r#"{"decision":"verified"}"#
        )
        .status,
        403
    );
    assert_eq!(
        review(
            &beijing,
            "tianjin",
            &references[2],
            r#"{"decision":"verified"}"#
        )
        .status,
        403
    );
    let done = review(
        &beijing,
        "beijing",
        &references[0],
        r#"{"decision":"verified","note":"证书已核对"}"#,
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        listed(&get(&kv, &beijing, "/v1/admin/signups", "status=verified")),
        ["beijing/verified"]
    );
    let stored = kv
        .value(&format!("signup:beijing:{}", references[0]))
        .unwrap()
        .value;
    assert!(stored.contains("\"by\":\"bj.admin\"") && stored.contains("证书已核对"));
    // The personal data is still sealed and still opens.
    let detail = get(
        &kv,
        &beijing,
        &format!("/v1/admin/signups/beijing/{}", references[0]),
        "",
    );
    assert!(detail.body.contains("张晓明"));
    // Staff read the review back: who decided, when, and the note.
    let shown: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    assert_eq!(shown["review"]["note"], "证书已核对");
    assert_eq!(shown["review"]["by"], "bj.admin");
    assert_eq!(shown["review"]["decision"], "verified");
}

#[test]
fn exports_are_excel_ready_formula_safe_restricted_and_audited() {
    let kv = staffed();
    with_signups(&kv);
    let (beijing, viewer) = (login(&kv, "bj.admin", 2), login(&kv, "tj.viewer", 3));
    let export = get(&kv, &beijing, "/v1/admin/signups.csv", "");
    assert_eq!(export.status, 200, "{}", export.body);
    assert_eq!(
        export.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        export
            .header("content-disposition")
            .unwrap()
            .contains("attachment")
    );
    assert!(export.body.starts_with('\u{feff}'));
    let lines: Vec<&str> = export.body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].contains("姓名 Name"));
    assert!(export.body.contains("张晓明") && export.body.contains("13812345678"));
    assert!(
        export
            .body
            .contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\""),
        "{}",
        export.body
    );
    assert!(
        !export.body.contains("天津"),
        "Beijing's export holds only Beijing"
    );
    assert_eq!(get(&kv, &viewer, "/v1/admin/signups.csv", "").status, 403);
    let audited = kv
        .keys("audit:")
        .iter()
        .map(|k| kv.value(k).unwrap().value)
        .any(|v| v.contains("signups_exported") && v.contains("2 rows"));
    assert!(audited);
}

/// Fresh randomness for each request, as the worker has: audit keys must not collide.
fn fresh() -> u8 {
    static NEXT: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(100);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn put(kv: &MemoryKv, who: &Signed, path: &str, body: serde_json::Value, now: u64) -> ApiResponse {
    let request = as_signed(ApiRequest::new("PUT", path), who).with_body(body.to_string());
    send(kv, request, now, fresh())
}

fn post(kv: &MemoryKv, who: &Signed, path: &str, body: &str, now: u64) -> ApiResponse {
    let request = as_signed(ApiRequest::new("POST", path), who).with_body(body.to_string());
    send(kv, request, now, fresh())
}

/// The public catalogue as widgets get it, and its ETag.
fn public_catalogue(kv: &MemoryKv) -> (guanai_core::Catalogue, String) {
    let response = send(kv, ApiRequest::new("GET", "/v1/catalog"), NOW_MS, 9);
    assert_eq!(response.status, 200);
    (
        serde_json::from_str(&response.body).unwrap(),
        response.header("etag").unwrap().to_string(),
    )
}

/// A new benefit gets the full domain validation, field by field; fixed, it is created.
fn add_winter_check(kv: &MemoryKv, who: &Signed, demo: &guanai_core::Catalogue) {
    let save = |offer: &serde_json::Value| {
        let path = "/v1/admin/benefits/weier-dental-winter-check";
        put(kv, who, path, serde_json::json!({"benefit": offer}), NOW_MS)
    };
    let mut offer = serde_json::to_value(&demo.benefits[0]).unwrap();
    offer["id"] = "weier-dental-winter-check".into();
    offer["partner"] = "weier-dental".into();
    offer["title"]["zh"] = "".into();
    offer["regions"] = serde_json::json!(["999999"]);
    let invalid = save(&offer);
    assert_eq!(invalid.status, 422);
    assert!(
        invalid.body.contains("title") && invalid.body.contains("regions"),
        "{}",
        invalid.body
    );
    offer["title"]["zh"] = "冬季口腔检查".into();
    offer["regions"] = serde_json::json!(["110000"]);
    let created = save(&offer);
    assert_eq!(created.status, 201, "{}", created.body);
}

#[test]
fn staff_edit_drafts_within_their_association_and_the_plan_admin_publishes_and_rolls_back() {
    let kv = staffed();
    let (plan, beijing) = (login(&kv, "plan.admin", 1), login(&kv, "bj.admin", 2));
    let (demo, demo_etag) = public_catalogue(&kv);

    // Editing starts from what is published; only the plan admin may do that.
    assert_eq!(
        post(
            &kv,
            &beijing,
            "/v1/admin/catalog/drafts-from-published",
            "",
            NOW_MS
        )
        .status,
        403
    );
    let checked_out = post(
        &kv,
        &plan,
        "/v1/admin/catalog/drafts-from-published",
        "",
        NOW_MS,
    );
    assert_eq!(checked_out.status, 200);
    assert!(checked_out.body.contains(&format!(
        "\"created\":{}",
        demo.partners.len() + demo.benefits.len()
    )));

    // Beijing's admin edits a Beijing partner, not a Tianjin one.
    let mut dental = serde_json::to_value(demo.partner("weier-dental").unwrap()).unwrap();
    dental["name"]["zh"] = "北京维尔口腔医院（总院）".into();
    let edited = put(
        &kv,
        &beijing,
        "/v1/admin/partners/weier-dental",
        serde_json::json!({"partner": dental}),
        NOW_MS,
    );
    assert_eq!(edited.status, 200, "{}", edited.body);
    let tianjin = serde_json::to_value(demo.partner("yikang-tianjin").unwrap()).unwrap();
    let refused = put(
        &kv,
        &beijing,
        "/v1/admin/partners/yikang-tianjin",
        serde_json::json!({"partner": tianjin}),
        NOW_MS,
    );
    assert_eq!(refused.status, 403);

    add_winter_check(&kv, &beijing, &demo);

    // Publishing is the plan admin's: a new snapshot that widgets see at once, whole.
    assert_eq!(
        post(&kv, &beijing, "/v1/admin/catalog/publish", "", NOW_MS).status,
        403
    );
    let published = post(
        &kv,
        &plan,
        "/v1/admin/catalog/publish",
        r#"{"sample":true}"#,
        NOW_MS + 1,
    );
    assert_eq!(published.status, 201, "{}", published.body);
    let version: serde_json::Value = serde_json::from_str(&published.body).unwrap();
    let (live, live_etag) = public_catalogue(&kv);
    assert_eq!(live.version, version["version"].as_str().unwrap());
    assert_ne!(live_etag, demo_etag);
    assert!(
        live.benefits
            .iter()
            .any(|b| b.id == "weier-dental-winter-check" && b.title.zh == "冬季口腔检查")
    );
    assert_eq!(
        live.partner("weier-dental").unwrap().name.zh,
        "北京维尔口腔医院（总院）"
    );
    // The demo was published without pinyin; republishing adds the readings of what changed.
    assert!(demo.readings.is_empty());
    assert!(live.readings["北京维尔口腔医院（总院）"].contains("kou qiang yi yuan"));
    assert!(live.readings["冬季口腔检查"].starts_with("dong ji kou qiang jian cha"));

    // Archiving a partner takes it and its offers out of the next snapshot.
    let archive = put(
        &kv,
        &plan,
        "/v1/admin/partners/weier-dental",
        serde_json::json!({"partner": dental, "archived": true}),
        NOW_MS + 2,
    );
    assert_eq!(archive.status, 200);
    assert_eq!(
        post(&kv, &plan, "/v1/admin/catalog/publish", "{}", NOW_MS + 3).status,
        201
    );
    let (without, _) = public_catalogue(&kv);
    assert!(without.partner("weier-dental").is_none());
    assert!(without.benefits.iter().all(|b| b.partner != "weier-dental"));

    // Rolling back restores an earlier snapshot byte for byte.
    let versions = send(
        &kv,
        as_signed(
            ApiRequest::new("GET", "/v1/admin/catalog/versions"),
            &beijing,
        ),
        NOW_MS,
        9,
    );
    assert_eq!(versions.status, 200);
    assert_eq!(
        versions.body.matches("\"etag\"").count(),
        3,
        "{}",
        versions.body
    );
    let back = post(
        &kv,
        &plan,
        "/v1/admin/catalog/rollback",
        &format!(r#"{{"version":"{}"}}"#, demo.version),
        NOW_MS + 4,
    );
    assert_eq!(back.status, 200);
    let (restored, restored_etag) = public_catalogue(&kv);
    assert_eq!(
        (restored.version, restored_etag),
        (demo.version.clone(), demo_etag)
    );
    let missing = post(
        &kv,
        &plan,
        "/v1/admin/catalog/rollback",
        r#"{"version":"never"}"#,
        NOW_MS + 5,
    );
    assert_eq!(missing.status, 404);
    // Every step is in the audit log.
    let actions: Vec<String> = kv
        .keys("audit:")
        .iter()
        .map(|k| kv.value(k).unwrap().value)
        .collect();
    for action in [
        "drafts_from_published",
        "partner_saved",
        "benefit_saved",
        "catalog_published",
        "partner_archived",
        "catalog_rolled_back",
    ] {
        assert!(
            actions.iter().any(|a| a.contains(action)),
            "{action} not audited"
        );
    }
}

/// A reading table that cannot be had: the assets were not deployed with the worker.
struct MissingReadingTable;

impl crate::context::ReadingTableSource for MissingReadingTable {
    fn load(&self) -> futures::future::LocalBoxFuture<'_, Result<String, String>> {
        Box::pin(std::future::ready(Err(
            "reading table: the assets answered 404".to_string(),
        )))
    }
}

#[test]
fn without_its_reading_table_publishing_fails_loudly_and_publishes_nothing() {
    let kv = staffed();
    let plan = login(&kv, "plan.admin", 1);
    let (demo, demo_etag) = public_catalogue(&kv);
    let drafts = post(
        &kv,
        &plan,
        "/v1/admin/catalog/drafts-from-published",
        "",
        NOW_MS,
    );
    assert_eq!(drafts.status, 200);
    let request = as_signed(ApiRequest::new("POST", "/v1/admin/catalog/publish"), &plan);
    let invocation = crate::testing::Invocation {
        request: &request,
        now_ms: NOW_MS + 1,
        entropy: [fresh(); 32],
    };
    let Outcome::Respond { response, problem } = crate::testing::outcome_reading(
        invocation,
        &kv,
        &CountingLimiter::new(1_000),
        Ok(crate::testing::secrets()),
        &MissingReadingTable,
    ) else {
        panic!("publishing went to the assets");
    };
    assert_eq!(response.status, 500, "{}", response.body);
    assert!(problem.is_some_and(|p| p.contains("reading table")));
    let (live, live_etag) = public_catalogue(&kv);
    assert_eq!((live.version, live_etag), (demo.version, demo_etag));
}

#[test]
fn nothing_is_published_from_no_drafts() {
    let kv = staffed();
    let plan = login(&kv, "plan.admin", 1);
    let empty = post(&kv, &plan, "/v1/admin/catalog/publish", "", NOW_MS);
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("empty_catalogue"));
}

#[test]
fn the_published_catalogue_exports_as_hsds_for_any_staff_member() {
    let kv = staffed();
    let viewer = login(&kv, "tj.viewer", 3);
    let response = send(
        &kv,
        as_signed(
            ApiRequest::new("GET", "/v1/admin/catalog/hsds.json"),
            &viewer,
        ),
        NOW_MS,
        9,
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(
        response
            .header("content-disposition")
            .unwrap()
            .contains("guanai-hsds.json")
    );
    let hsds: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    let demo = guanai_core::demo::programme();
    for (table, rows) in [
        ("organizations", demo.partners.len()),
        ("services", demo.benefits.len()),
        ("locations", 10),
    ] {
        assert_eq!(hsds[table].as_array().unwrap().len(), rows, "{table}");
    }
    assert!(!hsds["service_at_locations"].as_array().unwrap().is_empty());
}

#[test]
fn applications_are_reviewed_by_the_plan_and_acceptance_makes_archived_drafts() {
    let kv = staffed();
    let submitted = crate::form_tests::apply(&kv, "apply-for-review", 30);
    assert_eq!(submitted.status, 201, "{}", submitted.body);
    let reference =
        serde_json::from_str::<serde_json::Value>(&submitted.body).unwrap()["reference"]
            .as_str()
            .unwrap()
            .to_string();
    let (plan, beijing) = (login(&kv, "plan.admin", 1), login(&kv, "bj.admin", 2));

    let listed = get(&kv, &beijing, "/v1/admin/applications", "");
    assert_eq!(listed.status, 200);
    assert!(listed.body.contains(&reference) && listed.body.contains("北京示例健康科技有限公司"));
    assert!(
        !listed.body.contains("李娜"),
        "no contact details in the list"
    );
    let path = format!("/v1/admin/applications/{reference}");
    assert_eq!(get(&kv, &beijing, &path, "").status, 403);
    let detail = get(&kv, &plan, &path, "");
    assert_eq!(detail.status, 200);
    assert!(detail.body.contains("李娜") && detail.body.contains("lina@example.com"));

    let decide = format!("{path}/decision");
    assert_eq!(
        post(&kv, &beijing, &decide, r#"{"decision":"accepted"}"#, NOW_MS).status,
        403
    );
    assert_eq!(
        post(&kv, &plan, &decide, r#"{"decision":"maybe"}"#, NOW_MS).status,
        422
    );
    // The same note rules as a sign-up review: a decline says why, no note is over 500.
    let fields_of = |body: String| {
        let response = post(&kv, &plan, &decide, &body, NOW_MS);
        assert_eq!(response.status, 422, "{}", response.body);
        let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        body["error"]["fields"][0]["field"]
            .as_str()
            .unwrap()
            .to_string()
            + ":"
            + body["error"]["fields"][0]["code"].as_str().unwrap()
    };
    assert_eq!(
        fields_of(r#"{"decision":"declined","note":"  "}"#.into()),
        "note:required"
    );
    let long = serde_json::json!({"decision": "accepted", "note": "长".repeat(501)});
    assert_eq!(fields_of(long.to_string()), "note:too_long");
    let accepted = post(
        &kv,
        &plan,
        &decide,
        r#"{"decision":"accepted","note":"欢迎加入"}"#,
        NOW_MS,
    );
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    let decided: serde_json::Value =
        serde_json::from_str(&get(&kv, &plan, &path, "").body).unwrap();
    assert_eq!(
        (
            decided["decision"]["note"].clone(),
            decided["decision"]["by"].clone()
        ),
        ("欢迎加入".into(), "plan.admin".into()),
        "the decision is shown with the application"
    );
    let partner_id = format!("pa-{}", reference.to_ascii_lowercase());
    assert!(accepted.body.contains(&partner_id));
    let partner: serde_json::Value = serde_json::from_str(
        &kv.value(&format!("draft-partner:{partner_id}"))
            .unwrap()
            .value,
    )
    .unwrap();
    assert_eq!(partner["archived"], true);
    assert_eq!(partner["partner"]["name"]["zh"], "北京示例健康科技有限公司");
    let offer: serde_json::Value = serde_json::from_str(
        &kv.value(&format!("draft-benefit:{partner_id}-1"))
            .unwrap()
            .value,
    )
    .unwrap();
    assert_eq!(
        (offer["archived"].clone(), offer["benefit"]["area"].clone()),
        (true.into(), "health".into())
    );
    // Archived drafts stay out of what is published.
    post(
        &kv,
        &plan,
        "/v1/admin/catalog/drafts-from-published",
        "",
        NOW_MS + 1,
    );
    assert_eq!(
        post(&kv, &plan, "/v1/admin/catalog/publish", "", NOW_MS + 2).status,
        201
    );
    let (live, _) = public_catalogue(&kv);
    assert!(live.partner(&partner_id).is_none());
    let status = get(&kv, &plan, "/v1/admin/applications", "");
    assert!(
        status.body.contains("\"status\":\"accepted\""),
        "{}",
        status.body
    );
}

/// The `field` of every field error in `response`.
fn error_fields(response: &ApiResponse) -> Vec<String> {
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect()
}

fn import(kv: &MemoryKv, who: &Signed, kind: &str, csv: &str) -> ApiResponse {
    let request = as_signed(ApiRequest::new("POST", "/v1/admin/catalog/import"), who)
        .with_query(&format!("kind={kind}"))
        .with_header("content-type", "text/csv")
        .with_body(csv.to_string());
    send(kv, request, NOW_MS, fresh())
}

const PARTNERS_CSV: &str = "\u{feff}id,name_zh,name_en,kind,phone,email,website,awards,location_id,location_name_zh,location_name_en,address_zh,address_en,region,lat,lon\r\n\
    kangning,康宁口腔,Kangning Dental,dental,010-1234,,,2025,kangning-cy,朝阳店,Chaoyang,北京市朝阳区朝阳路1号,1 Chaoyang Rd,110105,39.92,116.45\r\n";

const BENEFITS_CSV: &str = "id,partner,area,title_zh,title_en,description_zh,description_en,regions,levels,valid_from,valid_until,how_to_redeem_zh,how_to_redeem_en\n\
    kangning-check,kangning,health,免费口腔检查,Free dental check,每年一次免费检查,One free check a year,110000,,2026-01-01,2027-12-31,出示社工证,Show your certificate\n\
    kangning-clean,kangning,health,洁牙八折,20% off cleaning,洁牙八折,20% off cleaning,,,,,出示社工证,Show your certificate\n";

#[test]
fn imports_are_all_or_nothing_with_every_problem_by_row() {
    let kv = staffed();
    let (beijing, viewer) = (login(&kv, "bj.admin", 2), login(&kv, "tj.viewer", 3));
    // Benefits of a partner that does not exist yet: refused, nothing written.
    let early = import(&kv, &beijing, "benefits", BENEFITS_CSV);
    assert_eq!(early.status, 422);
    assert!(
        early.body.contains("rows[2].partner") && early.body.contains("rows[3].partner"),
        "{}",
        early.body
    );
    assert!(kv.keys("draft-benefit:").is_empty());
    // A viewer imports nothing; Beijing's admin imports a Beijing partner, then its offers.
    assert_eq!(import(&kv, &viewer, "partners", PARTNERS_CSV).status, 403);
    let partners = import(&kv, &beijing, "partners", PARTNERS_CSV);
    assert_eq!(partners.status, 200, "{}", partners.body);
    assert!(
        kv.value("draft-partner:kangning")
            .unwrap()
            .value
            .contains("\"association\":\"beijing\"")
    );
    // One bad row (no English title, unknown region) stops the whole file, each cell named.
    let broken = BENEFITS_CSV
        .replace("20% off cleaning,洁牙八折", ",洁牙八折")
        .replace(",,,,,出示", ",999999,,,,出示");
    let refused = import(&kv, &beijing, "benefits", &broken);
    assert_eq!(refused.status, 422);
    let fields = error_fields(&refused);
    assert!(
        fields.contains(&"rows[3].title_en".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.iter().any(|f| f.starts_with("rows[3].regions")),
        "{fields:?}"
    );
    assert!(
        kv.keys("draft-benefit:").is_empty(),
        "nothing half-imported"
    );
    let imported = import(&kv, &beijing, "benefits", BENEFITS_CSV);
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert_eq!(
        kv.keys("draft-benefit:"),
        [
            "draft-benefit:kangning-check",
            "draft-benefit:kangning-clean"
        ]
    );
    // A Tianjin partner is not Beijing's to import into.
    let tianjin = PARTNERS_CSV.replace("110105,39.92,116.45", "120101,39.12,117.20");
    let other = import(
        &kv,
        &beijing,
        "partners",
        &tianjin.replace("kangning", "kangning-tj"),
    );
    assert_eq!(other.status, 422);
    assert!(other.body.contains("forbidden"));
    assert_eq!(import(&kv, &beijing, "recipes", "a,b\n").status, 422);
}

#[test]
fn partner_imports_name_the_domain_errors_by_row_and_column_too() {
    let kv = staffed();
    let beijing = login(&kv, "bj.admin", 2);
    // A second location (row 3) of the same partner in a district that does not exist, and a
    // second partner (row 4) without an English name.
    let csv = format!(
        "{PARTNERS_CSV}kangning,,,dental,,,,,kangning-hd,,,海淀店地址,Haidian,110199,39.98,116.31\r\n\
         anxin,安心药房,,healthcare,,,,,anxin-1,,,东城区,Dongcheng,110101,39.93,116.42\r\n"
    );
    let refused = import(&kv, &beijing, "partners", &csv);
    assert_eq!(refused.status, 422, "{}", refused.body);
    let fields = error_fields(&refused);
    assert!(fields.contains(&"rows[3].region".to_string()), "{fields:?}");
    assert!(
        fields.contains(&"rows[4].name_en".to_string()),
        "{fields:?}"
    );
    assert!(fields.iter().all(|f| f.starts_with("rows[")), "{fields:?}");
    assert!(
        kv.keys("draft-partner:").is_empty(),
        "nothing half-imported"
    );
}

#[test]
fn the_dashboard_counts_sign_ups_by_week_and_the_catalogue_by_area_and_region() {
    let kv = staffed();
    with_signups(&kv);
    let (plan, beijing) = (login(&kv, "plan.admin", 1), login(&kv, "bj.admin", 2));
    let figures = |who: &Signed| {
        let response = get(&kv, who, "/v1/admin/insight", "");
        assert_eq!(response.status, 200, "{}", response.body);
        serde_json::from_str::<serde_json::Value>(&response.body).unwrap()
    };
    let all = figures(&plan);
    // The sign-ups were made at NOW_MS + 20 s: 2026-11-30, ISO week 49 of 2026.
    let week = &all["signups_per_week_by_association"]["2026-W49"];
    assert_eq!(
        (week["beijing"].as_u64(), week["tianjin"].as_u64()),
        (Some(2), Some(1))
    );
    let levels = &all["signups_per_week_by_level"]["2026-W49"];
    assert_eq!(
        (
            levels["intermediate"].as_u64(),
            levels["assistant"].as_u64()
        ),
        (Some(2), Some(1))
    );
    let demo = guanai_core::demo::programme();
    let areas: u64 = all["benefits_by_area"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(areas as usize, demo.benefits.len());
    assert_eq!(
        all["benefits_by_area"].as_object().unwrap().len(),
        7,
        "all 6+1 areas have offers"
    );
    assert!(all["partners_by_province"]["120000"].as_u64().unwrap() >= 1);
    // Beijing's staff see Beijing's sign-ups only.
    let own = figures(&beijing);
    let week = &own["signups_per_week_by_association"]["2026-W49"];
    assert_eq!(
        (week["beijing"].as_u64(), week.get("tianjin")),
        (Some(2), None)
    );
}

#[test]
fn the_audit_log_exports_as_a_spreadsheet_for_plan_admins() {
    let kv = staffed();
    let (plan, beijing) = (login(&kv, "plan.admin", 1), login(&kv, "bj.admin", 2));
    let export = get(&kv, &plan, "/v1/admin/audit.csv", "");
    assert_eq!(export.status, 200, "{}", export.body);
    assert!(export.body.starts_with('\u{feff}'));
    assert_eq!(
        export.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    let lines: Vec<&str> = export.body.trim_end().split("\r\n").collect();
    // Header, then both logins (made in the same millisecond), in Beijing time.
    assert_eq!(lines.len(), 3, "{lines:?}");
    for who in ["plan.admin", "bj.admin"] {
        assert!(
            lines[1..].iter().any(
                |l| l.starts_with("2026-11-30 20:00:00") && l.contains(&format!("{who},login"))
            ),
            "{lines:?}"
        );
    }
    assert_eq!(get(&kv, &beijing, "/v1/admin/audit.csv", "").status, 403);
    assert!(
        kv.keys("audit:")
            .iter()
            .any(|k| kv.value(k).unwrap().value.contains("audit_exported"))
    );
}
