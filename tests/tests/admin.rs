//! The admin API on the real runtime: workerd with local KV, over HTTP — the session cookie,
//! CSRF, KV listing and deletion through the Workers bindings, publishing and rolling back the
//! catalogue that the public endpoint then serves, and the CSV bytes staff download.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use guanai_core::Catalogue;
use guanai_core::staff::{Role, Staff};
use guanai_e2e::admin::{StaffSession, call, json_of};
use guanai_e2e::kv_put;
use serde_json::json;

const PASSWORD: &str = "end to end admin password";

#[test]
fn staff_sign_in_publish_roll_back_export_and_sign_out_on_workerd() {
    let staff = Staff {
        username: "e2e.admin".into(),
        role: Role::PlanAdmin,
        association: None,
    };
    let record = guanai_edge::admin::records::new_staff_record(
        staff.clone(),
        PASSWORD,
        [5; 16],
        0,
        "bootstrap",
    )
    .unwrap();
    kv_put(
        "staff:e2e.admin",
        &serde_json::to_string(&record).unwrap(),
        &guanai_edge::admin::records::staff_metadata(&staff),
    );

    // Wrong password, then the right one: a strict, host-only, HttpOnly session cookie.
    let (status, _, _) = call(
        "POST",
        "/v1/admin/login",
        None,
        Some(json!({"username": "e2e.admin", "password": "not it at all"})),
    );
    assert_eq!(status, 401);
    let (status, headers, body) = call(
        "POST",
        "/v1/admin/login",
        None,
        Some(json!({"username": "e2e.admin", "password": PASSWORD})),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let set_cookie = headers
        .iter()
        .find(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.clone())
        .unwrap();
    for attribute in [
        "__Host-guanai-admin=",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
    ] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let me = StaffSession {
        cookie: set_cookie.split(';').next().unwrap().to_string(),
        csrf: json_of(&body)["csrf_token"].as_str().unwrap().to_string(),
    };
    let (status, _, body) = call("GET", "/v1/admin/session", Some(&me), None);
    assert_eq!(
        (status, json_of(&body)["staff"]["role"].clone()),
        (200, json!("plan_admin"))
    );
    // Without the CSRF token a change is refused even with the cookie.
    let forged = StaffSession {
        cookie: me.cookie.clone(),
        csrf: "0".repeat(64),
    };
    assert_eq!(
        call("POST", "/v1/admin/catalog/publish", Some(&forged), None).0,
        403
    );

    // Start from the published demo, change one offer's title, publish, see it in public.
    let (_, _, before) = call("GET", "/v1/catalog", None, None);
    let demo: Catalogue = serde_json::from_slice(&before).unwrap();
    let (status, _, body) = call(
        "POST",
        "/v1/admin/catalog/drafts-from-published",
        Some(&me),
        None,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let (status, _, body) = call("GET", "/v1/admin/catalog", Some(&me), None);
    assert_eq!(status, 200);
    assert_eq!(
        json_of(&body)["benefits"].as_array().unwrap().len(),
        demo.benefits.len()
    );
    let mut offer = serde_json::to_value(&demo.benefits[0]).unwrap();
    offer["title"]["zh"] = "端到端测试标题".into();
    let path = format!("/v1/admin/benefits/{}", demo.benefits[0].id);
    let (status, _, body) = call("PUT", &path, Some(&me), Some(json!({"benefit": offer})));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let (status, _, body) = call(
        "POST",
        "/v1/admin/catalog/publish",
        Some(&me),
        Some(json!({"sample": true})),
    );
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let (_, _, live) = call("GET", "/v1/catalog", None, None);
    let live: Catalogue = serde_json::from_slice(&live).unwrap();
    let edited = live
        .benefits
        .iter()
        .find(|b| b.id == demo.benefits[0].id)
        .unwrap();
    assert_eq!(edited.title.zh, "端到端测试标题");
    // The worker read its pinyin table from the static assets and put the readings in.
    assert_eq!(
        live.readings["端到端测试标题"],
        "duan dao duan ce shi biao ti"
    );
    // Roll back to the demo, byte for byte, so the other end-to-end tests see it unchanged.
    let (status, _, _) = call(
        "POST",
        "/v1/admin/catalog/rollback",
        Some(&me),
        Some(json!({"version": demo.version})),
    );
    assert_eq!(status, 200);
    let (_, _, after) = call("GET", "/v1/catalog", None, None);
    assert_eq!(after, before);

    // The sign-up export is a real spreadsheet: BOM, CRLF, the bilingual header.
    let (status, headers, csv) = call("GET", "/v1/admin/signups.csv", Some(&me), None);
    assert_eq!(status, 200);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "content-type" && v == "text/csv; charset=utf-8")
    );
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
    assert!(
        String::from_utf8(csv)
            .unwrap()
            .contains("姓名 Name,手机 Mobile")
    );

    // Every step is in the audit log (a KV listing through the Workers binding).
    let (status, _, body) = call("GET", "/v1/admin/audit", Some(&me), None);
    assert_eq!(status, 200);
    let actions: Vec<String> = json_of(&body)["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    for action in [
        "login_failed",
        "login",
        "drafts_from_published",
        "benefit_saved",
        "catalog_published",
        "catalog_rolled_back",
        "signups_exported",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} missing from {actions:?}"
        );
    }

    // Signing out ends the session on the server, not only in the browser.
    assert_eq!(call("POST", "/v1/admin/logout", Some(&me), None).0, 204);
    assert_eq!(call("GET", "/v1/admin/session", Some(&me), None).0, 401);
}
