//! Native tests of the public form routes: sign-ups and partner applications end to end through
//! the router, with an in-memory KV.

use guanai_core::challenge;
use guanai_core::consent::NOTICE_VERSION;
use serde_json::{Value, json};

use crate::applications::ApplicationRecord;
use crate::crypto;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::CountingLimiter;
use crate::routes::Outcome;
use crate::signups::SignupRecord;
use crate::store::MemoryKv;
use crate::testing::{NOW_MS, outcome_with, published, respond, secrets};
use guanai_core::wire::PersonalData;

pub(crate) fn signup_form() -> Value {
    json!({
        "name": "张晓明",
        "mobile": "+86 138-1234-5678",
        "association": "beijing",
        "region": "110105",
        "employer": "朝阳区社会工作服务中心",
        "level": "intermediate",
        "certificate_number": "ZS2023-0001",
        "interests": ["health", "career"],
        "contact_time": "evening",
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true, "health": true, "partners": ["weier-dental"]}
    })
}

/// A fresh, solved challenge from the router itself.
pub(crate) fn solved_challenge(kv: &MemoryKv, entropy: u8) -> Value {
    let response = run(kv, ApiRequest::new("GET", "/v1/challenge"), NOW_MS, entropy);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    let token = body["token"].as_str().unwrap().to_string();
    let nonce = challenge::solve(&token, 0, u64::MAX).unwrap();
    json!({"token": token, "nonce": nonce})
}

pub(crate) fn envelope(form: Value, challenge: Value) -> String {
    json!({"form": form, "challenge": challenge, "website": "", "elapsed_ms": 15_000}).to_string()
}

pub(crate) fn post(path: &str, key: &str, body: String) -> ApiRequest {
    ApiRequest::new("POST", path)
        .with_header("Idempotency-Key", key)
        .with_header("CF-Connecting-IP", "203.0.113.7")
        .with_body(body)
}

fn run(kv: &MemoryKv, request: ApiRequest, now_ms: u64, entropy: u8) -> ApiResponse {
    run_limited(kv, request, &CountingLimiter::new(1_000), now_ms, entropy)
}

fn run_limited(
    kv: &MemoryKv,
    request: ApiRequest,
    limiter: &CountingLimiter,
    now_ms: u64,
    entropy: u8,
) -> ApiResponse {
    match outcome_with(&request, kv, limiter, now_ms, [entropy; 32]) {
        Outcome::Respond { response, .. } => response,
        Outcome::Asset { .. } => panic!("a form route went to the assets"),
    }
}

/// Submits a sign-up with a fresh challenge.
pub(crate) fn sign_up(kv: &MemoryKv, key: &str, form: Value, entropy: u8) -> ApiResponse {
    let body = envelope(form, solved_challenge(kv, entropy));
    run(kv, post("/v1/signups", key, body), NOW_MS + 20_000, entropy)
}

fn json_body(response: &ApiResponse) -> Value {
    serde_json::from_str(&response.body).unwrap()
}

fn code(response: &ApiResponse) -> String {
    json_body(response)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_sign_up_is_stored_sealed_and_decrypts_to_what_was_typed() {
    let kv = published();
    let response = sign_up(&kv, "attempt-0001", signup_form(), 1);
    assert_eq!(response.status, 201, "{}", response.body);
    let reference = json_body(&response)["reference"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reference.starts_with("GA-"));

    let key = format!("signup:beijing:{reference}");
    let stored = kv.value(&key).expect("the record");
    for plain in [
        "张晓明",
        "13812345678",
        "朝阳区社会工作服务中心",
        "ZS2023-0001",
        "health",
    ] {
        assert!(!stored.value.contains(plain), "{plain} is stored in clear");
    }
    let record: SignupRecord = serde_json::from_str(&stored.value).unwrap();
    assert_eq!(record.region, "110105");
    assert_eq!(record.consent.notice_version, NOTICE_VERSION);
    assert!(record.consent.privacy && record.consent.cross_border);
    assert_eq!(record.consent.given_at_ms, NOW_MS + 20_000);
    assert_eq!(record.consent.partners, ["weier-dental"]);
    let personal: PersonalData = serde_json::from_slice(
        &crypto::open(&secrets().personal_data, &key, &record.personal).unwrap(),
    )
    .unwrap();
    assert_eq!(personal.name, "张晓明");
    assert_eq!(personal.mobile, "13812345678");
    assert!(personal.health_consent);
    assert_eq!(stored.metadata.unwrap()["status"], "received");
    assert_eq!(kv.keys("signup-mobile:").len(), 1);
    assert!(!kv.keys("signup-mobile:")[0].contains("13812345678"));
}

#[test]
fn a_replay_returns_the_original_answer_and_stores_nothing_new() {
    let kv = published();
    let first = sign_up(&kv, "attempt-0002", signup_form(), 2);
    assert_eq!(first.status, 201);
    // The retry reuses the key (and even an already spent challenge): same answer.
    let again = sign_up(&kv, "attempt-0002", signup_form(), 3);
    assert_eq!(
        (again.status, again.body.clone()),
        (first.status, first.body.clone())
    );
    assert_eq!(kv.keys("signup:").len(), 1);
}

#[test]
fn the_same_mobile_again_is_already_registered_and_told_nothing_about_the_sign_up() {
    let kv = published();
    let first = json_body(&sign_up(&kv, "attempt-0003", signup_form(), 4));
    let mut form = signup_form();
    form["mobile"] = json!("138 1234 5678");
    form["name"] = json!("张小明");
    let second = sign_up(&kv, "attempt-0004", form, 5);
    assert_eq!(second.status, 409);
    assert_eq!(code(&second), "already_registered");
    // Typing someone's number reveals no reference, no secret, no data: only where to turn.
    let reference = first["reference"].as_str().unwrap();
    let secret = first["secret"].as_str().unwrap();
    for leak in [reference, secret, "张晓明", "beijing", "110105"] {
        assert!(!second.body.contains(leak), "{leak} in {}", second.body);
    }
    let body = json_body(&second);
    assert_eq!(
        body["error"].as_object().unwrap().len(),
        2,
        "code and message only"
    );
    assert!(
        body["error"]["message"]["en"]
            .as_str()
            .unwrap()
            .contains("management link")
    );
    assert_eq!(kv.keys("signup:").len(), 1);
}

#[test]
fn invalid_fields_are_listed_and_nothing_is_stored() {
    let kv = published();
    let mut form = signup_form();
    form["mobile"] = json!("12345");
    form["consents"]["privacy"] = json!(false);
    form["consents"]["partners"] = json!(["not-a-partner"]);
    let response = sign_up(&kv, "attempt-0005", form, 6);
    assert_eq!(response.status, 422);
    let fields: Vec<String> = json_body(&response)["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["mobile", "consents.privacy", "consents.partners"]);
    assert!(kv.keys("signup").is_empty());
    assert!(
        kv.keys("idempotency:").is_empty(),
        "a refused attempt is not remembered"
    );
}

#[test]
fn bots_are_told_clearly_why_they_were_refused() {
    let kv = published();
    let honeypot = json!({"form": signup_form(), "challenge": solved_challenge(&kv, 7), "website": "http://spam", "elapsed_ms": 15_000});
    let response = run(
        &kv,
        post("/v1/signups", "attempt-0006", honeypot.to_string()),
        NOW_MS,
        7,
    );
    assert_eq!(
        (response.status, code(&response)),
        (400, "spam_suspected".into())
    );
    assert!(
        json_body(&response)["error"]["message"]["zh"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );

    let hasty =
        json!({"form": signup_form(), "challenge": solved_challenge(&kv, 8), "elapsed_ms": 400});
    let response = run(
        &kv,
        post("/v1/signups", "attempt-0007", hasty.to_string()),
        NOW_MS,
        8,
    );
    assert_eq!((response.status, code(&response)), (422, "too_fast".into()));
    assert!(kv.keys("signup").is_empty());
}

#[test]
fn challenges_must_be_genuine_fresh_solved_and_unused() {
    let kv = published();
    let spent = solved_challenge(&kv, 9);
    let first = run(
        &kv,
        post(
            "/v1/signups",
            "attempt-0008",
            envelope(signup_form(), spent.clone()),
        ),
        NOW_MS,
        9,
    );
    assert_eq!(first.status, 201);
    let mut other = signup_form();
    other["mobile"] = json!("13900000000");
    let reused = run(
        &kv,
        post(
            "/v1/signups",
            "attempt-0009",
            envelope(other.clone(), spent),
        ),
        NOW_MS,
        10,
    );
    assert_eq!(
        (reused.status, code(&reused)),
        (409, "challenge_used".into())
    );

    let late = solved_challenge(&kv, 11);
    let expired = run(
        &kv,
        post("/v1/signups", "attempt-0010", envelope(other.clone(), late)),
        NOW_MS + 16 * 60_000,
        11,
    );
    assert_eq!(
        (expired.status, code(&expired)),
        (400, "challenge_expired".into())
    );

    let forged_token = challenge::issue(
        b"not our key",
        [5; 16],
        NOW_MS / 1000,
        challenge::DIFFICULTY,
    );
    let forged = json!({"token": forged_token, "nonce": challenge::solve(&forged_token, 0, u64::MAX).unwrap()});
    let response = run(
        &kv,
        post(
            "/v1/signups",
            "attempt-0011",
            envelope(other.clone(), forged),
        ),
        NOW_MS,
        12,
    );
    assert_eq!(
        (response.status, code(&response)),
        (400, "challenge_invalid".into())
    );

    let mut unsolved = solved_challenge(&kv, 13);
    unsolved["nonce"] = json!(unsolved["nonce"].as_u64().unwrap() + 1);
    let response = run(
        &kv,
        post("/v1/signups", "attempt-0012", envelope(other, unsolved)),
        NOW_MS,
        13,
    );
    // The next nonce is almost never a solution too (1 in 65,536).
    assert_eq!(code(&response), "challenge_unsolved");
    assert_eq!(kv.keys("signup:").len(), 1);
}

#[test]
fn rate_limits_refuse_new_submissions_but_never_the_replay_of_an_acknowledged_one() {
    let kv = published();
    let limiter = CountingLimiter::new(1);
    let body = envelope(signup_form(), solved_challenge(&kv, 14));
    let first = run_limited(
        &kv,
        post("/v1/signups", "attempt-0013", body),
        &limiter,
        NOW_MS,
        14,
    );
    assert_eq!(first.status, 201);
    let mut other = signup_form();
    other["mobile"] = json!("13900000001");
    let body = envelope(other, solved_challenge(&kv, 15));
    let limited = run_limited(
        &kv,
        post("/v1/signups", "attempt-0014", body),
        &limiter,
        NOW_MS,
        15,
    );
    assert_eq!(
        (limited.status, code(&limited)),
        (429, "rate_limited".into())
    );
    let replay = run_limited(
        &kv,
        post("/v1/signups", "attempt-0013", String::new()),
        &limiter,
        NOW_MS,
        16,
    );
    assert_eq!((replay.status, replay.body), (201, first.body));
}

#[test]
fn malformed_requests_get_the_right_status() {
    let kv = published();
    let no_key = ApiRequest::new("POST", "/v1/signups").with_body("{}");
    let response = respond(no_key, &kv);
    assert_eq!(
        (response.status, code(&response)),
        (400, "idempotency_key_required".into())
    );
    let garbage = respond(post("/v1/signups", "attempt-0015", "{not json".into()), &kv);
    assert_eq!(
        (garbage.status, code(&garbage)),
        (400, "bad_request".into())
    );
    let huge = respond(post("/v1/signups", "attempt-0016", "x".repeat(70_000)), &kv);
    assert_eq!(
        (huge.status, code(&huge)),
        (413, "payload_too_large".into())
    );
    let wrong_method = respond(ApiRequest::new("GET", "/v1/signups"), &kv);
    assert_eq!(
        (wrong_method.status, wrong_method.header("allow")),
        (405, Some("POST"))
    );
}

#[test]
fn without_keys_the_forms_fail_loudly_and_say_so_in_the_log() {
    let kv = published();
    let config = crate::testing::config();
    let limiter = CountingLimiter::new(10);
    let ctx = crate::context::Context {
        kv: &kv,
        limiter: &limiter,
        config: &config,
        readings: &crate::testing::BuiltReadingTable,
        secrets: Err("secrets missing or not 64 hex digits: CHALLENGE_KEY".into()),
        now_ms: NOW_MS,
        entropy: [0; 32],
    };
    let Outcome::Respond { response, problem } = pollster::block_on(crate::routes::handle(
        &ApiRequest::new("GET", "/v1/challenge"),
        &ctx,
    )) else {
        panic!("not a response")
    };
    assert_eq!(response.status, 500);
    assert!(problem.unwrap_or_default().contains("CHALLENGE_KEY"));
}

pub(crate) fn application_form() -> Value {
    json!({
        "company": "北京示例健康科技有限公司",
        "credit_code": "91110000802100433B",
        "contact_person": "李娜",
        "mobile": "139 0000 1111",
        "email": "lina@example.com",
        "offers": [{"area": "health", "description": "社工凭证书享受年度体检八折优惠。", "regions": ["110000"]}],
        "message": "希望加入关爱计划。",
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
    })
}

/// Submits a partner application with a fresh challenge; returns the answer.
pub(crate) fn apply(kv: &MemoryKv, key: &str, entropy: u8) -> ApiResponse {
    let body = envelope(application_form(), solved_challenge(kv, entropy));
    run(
        kv,
        post("/v1/partner-applications", key, body),
        NOW_MS,
        entropy,
    )
}

#[test]
fn a_partner_application_is_stored_for_review_with_the_contact_sealed() {
    let kv = published();
    let body = envelope(application_form(), solved_challenge(&kv, 20));
    let response = run(
        &kv,
        post("/v1/partner-applications", "apply-0001", body),
        NOW_MS,
        20,
    );
    assert_eq!(response.status, 201, "{}", response.body);
    let reference = json_body(&response)["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let key = format!("application:{reference}");
    let stored = kv.value(&key).unwrap();
    assert!(!stored.value.contains("13900001111") && !stored.value.contains("李娜"));
    let record: ApplicationRecord = serde_json::from_str(&stored.value).unwrap();
    assert_eq!(record.credit_code, "91110000802100433B");
    assert_eq!(record.status, guanai_core::wire::Status::Received);
    let replay = run(
        &kv,
        post("/v1/partner-applications", "apply-0001", String::new()),
        NOW_MS,
        21,
    );
    assert_eq!(replay.body, response.body);

    let mut wrong = application_form();
    wrong["credit_code"] = json!("91110000802100433C");
    let body = envelope(wrong, solved_challenge(&kv, 22));
    let refused = run(
        &kv,
        post("/v1/partner-applications", "apply-0002", body),
        NOW_MS,
        22,
    );
    assert_eq!(refused.status, 422);
    assert_eq!(
        json_body(&refused)["error"]["fields"][0]["code"],
        "invalid_credit_code"
    );
    assert_eq!(kv.keys("application:").len(), 1);
}

#[test]
fn api_clients_may_leave_out_what_is_optional() {
    let kv = published();
    let minimal = json!({
        "name": "周敏", "mobile": "13711112222", "association": "hebei", "region": "130100",
        "employer": "石家庄市社工站", "level": "none",
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
    });
    let response = sign_up(&kv, "attempt-0099", minimal, 30);
    assert_eq!(response.status, 201, "{}", response.body);
}
