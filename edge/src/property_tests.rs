//! Property tests of the public form routes through the real router: whatever is POSTed to
//! `/v1/signups` or `/v1/partner-applications` — any body, any headers, forms of any shape with
//! a genuine proof of work — the answer is never a 5xx, and every refusal has the contract's
//! error body `{"error": {"code", "message": {zh, en}, "fields"?, "reference"?}}`.
//!
//! `cargo test` runs a bounded number of cases; `PROPTEST_CASES=N` runs N of each (`cargo
//! xtask fuzz`).

use std::sync::OnceLock;

use guanai_core::challenge;
use guanai_core::i18n::{ErrorBody, ErrorCode};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};

use crate::form_tests::{application_form, signup_form};
use crate::http::MAX_BODY_BYTES;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::CountingLimiter;
use crate::routes::Outcome;
use crate::store::MemoryKv;
use crate::testing::{NOW_MS, outcome_with, published, secrets};

const FORM_ROUTES: &[&str] = &["/v1/signups", "/v1/partner-applications"];

/// `cases` cases; `PROPTEST_CASES` replaces the count when set (proptest's `proptest!` applies
/// the variable over an explicit configuration).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn send(kv: &MemoryKv, request: &ApiRequest, now_ms: u64) -> ApiResponse {
    match outcome_with(request, kv, &CountingLimiter::new(1_000), now_ms, [5; 32]) {
        Outcome::Respond { response, .. } => response,
        Outcome::Asset { .. } => panic!("{} went to the assets", request.path),
    }
}

/// A refusal in the contract's shape: 4xx, JSON, a known code, a message in both languages,
/// field errors (if any) each with a path, a code and both languages.
fn check_refusal(response: &ApiResponse) -> Result<(), TestCaseError> {
    prop_assert!(
        (400..500).contains(&response.status),
        "status {}: {}",
        response.status,
        response.body
    );
    prop_assert!(
        response
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "not JSON: {:?}",
        response.headers
    );
    let body: Value = serde_json::from_str(&response.body)
        .map_err(|e| TestCaseError::fail(format!("{e}: {}", response.body)))?;
    let top: Option<Vec<String>> = body.as_object().map(|o| o.keys().cloned().collect());
    prop_assert_eq!(top, Some(vec!["error".to_string()]), "{}", response.body);
    let error = &body["error"];
    let code = error["code"].as_str().unwrap_or_default();
    prop_assert_eq!(ErrorCode::from_code(code).code(), code, "unknown code");
    for language in ["zh", "en"] {
        prop_assert!(
            error["message"][language]
                .as_str()
                .is_some_and(|m| !m.trim().is_empty()),
            "no {} message: {}",
            language,
            response.body
        );
    }
    if let Some(fields) = error.get("fields") {
        let fields = fields.as_array().map(Vec::as_slice).unwrap_or_default();
        prop_assert!(!fields.is_empty(), "an empty field list: {}", response.body);
        prop_assert_eq!(code, "validation");
        for field in fields {
            prop_assert!(field["field"].as_str().is_some_and(|f| !f.is_empty()));
            prop_assert!(field["code"].as_str().is_some_and(|c| !c.is_empty()));
            for language in ["zh", "en"] {
                prop_assert!(
                    field["message"][language]
                        .as_str()
                        .is_some_and(|m| !m.trim().is_empty()),
                    "a field without a {} message: {}",
                    language,
                    response.body
                );
            }
        }
    }
    prop_assert!(serde_json::from_value::<ErrorBody>(body.clone()).is_ok());
    Ok(())
}

/// An acknowledgement (`201 {"reference", "status": "received"}`) or a refusal in the
/// contract's shape; never a 5xx.
fn check_answer(response: &ApiResponse) -> Result<(), TestCaseError> {
    prop_assert!(
        response.status < 500,
        "{}: {}",
        response.status,
        response.body
    );
    if response.status == 201 {
        let body: Value =
            serde_json::from_str(&response.body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(body["reference"].as_str().is_some_and(|r| !r.is_empty()));
        prop_assert_eq!(&body["status"], "received");
        Ok(())
    } else {
        check_refusal(response)
    }
}

/// Characters that break naive parsers: markup, quotes, bidi controls, joiners, NUL, BOM.
const TRICKY: &[char] = &[
    '<', '>', '&', '"', '\'', '\\', '{', '}', '[', ']', ':', ',', '\u{202E}', '\u{2067}',
    '\u{200D}', '\u{FEFF}', '\0', '\n', '\r', '\t', ' ', '👩', '字', '０', '+', '-', '.', 'e',
];

fn text(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![2 => any::<char>(), 2 => select(TRICKY), 1 => (b'a'..=b'z').prop_map(char::from)],
        len,
    )
    .prop_map(String::from_iter)
}

const KEYS: &[&str] = &[
    "form",
    "challenge",
    "token",
    "nonce",
    "website",
    "elapsed_ms",
    "name",
    "mobile",
    "association",
    "region",
    "employer",
    "level",
    "certificate_number",
    "interests",
    "contact_time",
    "consents",
    "notice_version",
    "privacy",
    "cross_border",
    "health",
    "partners",
    "company",
    "credit_code",
    "contact_person",
    "email",
    "offers",
    "area",
    "description",
    "regions",
    "message",
];

const WORDS: &[&str] = &[
    "beijing",
    "hebei",
    "health",
    "senior",
    "none",
    "evening",
    "110105",
    "130100",
    "110000",
    "2026-11-30",
    "13812345678",
    "91110000802100433B",
    "weier-dental",
    "",
    "v1.",
    "-1",
    "1e400",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![text(0..12), select(WORDS).prop_map(String::from)].prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![3 => select(KEYS).prop_map(String::from), 1 => text(0..6)],
                    inner
                ),
                0..6
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// `base` with one node (chosen by `at`) replaced by `replacement`.
fn mutate(base: &Value, at: Index, replacement: Value) -> Value {
    mutate_with(base, at, |_| replacement)
}

/// `base` with one node (chosen by `at`) replaced by what `change` makes of it.
fn mutate_with(base: &Value, at: Index, change: impl FnOnce(&Value) -> Value) -> Value {
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    pointers(item, format!("{at}/{i}"), out);
                }
            }
            Value::Object(entries) => {
                for (key, item) in entries {
                    pointers(item, format!("{at}/{key}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut all = Vec::new();
    pointers(base, String::new(), &mut all);
    let mut doc = base.clone();
    if let Some(node) = doc.pointer_mut(&all[at.index(all.len())]) {
        *node = change(node);
    }
    doc
}

/// Headers a client could send, well-formed or not.
fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        select(
            &[
                "Idempotency-Key",
                "idempotency-key",
                "Content-Length",
                "CF-Connecting-IP",
                "Content-Type",
                "Origin",
                "Cookie",
            ][..]
        )
        .prop_map(String::from),
        "[A-Za-z-]{1,12}",
    ];
    let value = prop_oneof![
        "[A-Za-z0-9_-]{8,128}",
        "[0-9]{0,25}",
        Just("-1".to_string()),
        Just((MAX_BODY_BYTES + 1).to_string()),
        text(0..40),
    ];
    prop::collection::vec((name, value), 0..6)
}

/// A body a client could send: anything, JSON of any shape, or an envelope with an arbitrary
/// challenge.
fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        text(0..80),
        json_value().prop_map(|v| v.to_string()),
        (json_value(), json_value(), json_value(), json_value()).prop_map(
            |(form, challenge, website, elapsed)| {
                json!({"form": form, "challenge": challenge, "website": website, "elapsed_ms": elapsed})
                    .to_string()
            }
        ),
        (any::<Index>(), json_value(), text(0..30), any::<u64>()).prop_map(
            |(at, replacement, token, nonce)| {
                let form = mutate(&signup_form(), at, replacement);
                json!({"form": form, "challenge": {"token": token, "nonce": nonce}, "elapsed_ms": 9_000})
                    .to_string()
            }
        ),
    ]
}

/// One genuine solved challenge, issued at [`NOW_MS`]. Each case uses a fresh store, so the
/// same token is unused in each.
fn solved() -> &'static Value {
    static SOLVED: OnceLock<Value> = OnceLock::new();
    SOLVED.get_or_init(|| {
        let token = challenge::issue(
            &secrets().challenge,
            [9; 16],
            NOW_MS / 1000,
            challenge::DIFFICULTY,
        );
        let nonce = challenge::solve(&token, 0, u64::MAX).expect("a solution");
        json!({"token": token, "nonce": nonce})
    })
}

/// A form for `route`: the valid one with one node replaced, or any JSON at all.
fn form_for(route: usize) -> impl Strategy<Value = Value> {
    let base = if route == 0 {
        signup_form()
    } else {
        application_form()
    };
    let typed = base.clone();
    let unchanged = base.clone();
    prop_oneof![
        // A string replaced by another string, a flag flipped: usually still parses, so the
        // rules (and, when they pass, sealing and storing) run.
        3 => (any::<Index>(), prop_oneof![text(0..30), select(WORDS).prop_map(String::from)])
            .prop_map(move |(at, replacement)| mutate_with(&typed, at, |node| match node {
                Value::String(_) => Value::String(replacement),
                Value::Bool(flag) => Value::Bool(!flag),
                other => other.clone(),
            })),
        2 => (any::<Index>(), json_value()).prop_map(move |(at, value)| mutate(&base, at, value)),
        1 => Just(unchanged),
        1 => json_value(),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// Any body with any headers: a refusal in the contract's shape, never a 5xx.
    #[test]
    fn arbitrary_requests_are_refused_in_the_contract_shape(
        route in select(FORM_ROUTES),
        headers in headers(),
        body in body(),
        key in prop_oneof![3 => "[A-Za-z0-9_-]{8,40}".prop_map(Some), 1 => Just(None)],
    ) {
        let kv = published();
        let mut request = ApiRequest::new("POST", route).with_body(body);
        if let Some(key) = key {
            request = request.with_header("idempotency-key", &key);
        }
        for (name, value) in &headers {
            request = request.with_header(name, value);
        }
        let response = send(&kv, &request, NOW_MS);
        check_refusal(&response)?;
        prop_assert!(kv.keys("signup").is_empty() && kv.keys("application").is_empty());
    }

    /// Bodies over the limit, by their size or by what they declare, are refused with 413 in
    /// the contract's shape on both routes.
    #[test]
    fn oversized_bodies_get_413(
        route in select(FORM_ROUTES),
        over in 1..4096usize,
        declared in any::<bool>(),
        filler in text(1..4),
    ) {
        let kv = published();
        let request = ApiRequest::new("POST", route).with_header("idempotency-key", "oversized-0001");
        let request = if declared {
            request
                .with_header("content-length", &(MAX_BODY_BYTES + over).to_string())
                .with_body("{}")
        } else {
            let body: String = filler.chars().cycle().take(MAX_BODY_BYTES + over).collect();
            request.with_body(body)
        };
        let response = send(&kv, &request, NOW_MS);
        prop_assert_eq!(response.status, 413);
        check_refusal(&response)?;
        prop_assert!(response.body.contains("\"payload_too_large\""));
    }
}

proptest! {
    // Each case builds a fresh store and, when the form passes, seals a record.
    #![proptest_config(config(64))]

    /// Forms of any shape with a genuine proof of work: acknowledged (201 with a reference) or
    /// refused in the contract's shape — a validation refusal naming fields — never a 5xx.
    #[test]
    fn any_form_with_a_genuine_challenge_is_answered_in_the_contract_shape(
        (route, form) in (0..2usize).prop_flat_map(|route| (Just(route), form_for(route))),
        website in prop_oneof![9 => Just(Value::from("")), 1 => json_value()],
        elapsed in prop_oneof![9 => Just(Value::from(15_000)), 1 => json_value()],
        later_ms in prop_oneof![4 => 0..14 * 60_000u64, 1 => 0..20 * 60_000u64],
        key in "[A-Za-z0-9_-]{8,40}",
    ) {
        let kv = published();
        let body = json!({"form": form, "challenge": solved(), "website": website, "elapsed_ms": elapsed});
        let request = ApiRequest::new("POST", FORM_ROUTES[route])
            .with_header("idempotency-key", &key)
            .with_header("cf-connecting-ip", "203.0.113.9")
            .with_body(body.to_string());
        let response = send(&kv, &request, NOW_MS + later_ms);
        check_answer(&response)?;
        if response.status == 201 {
            // The replay answers the same, whatever is sent with it.
            let replay = send(&kv, &request.clone().with_body("garbage"), NOW_MS + later_ms);
            prop_assert_eq!((replay.status, replay.body), (response.status, response.body));
        }
    }
}
