//! Shared set-up for the native tests of the routes.

use guanai_core::Association;
use guanai_core::staff::{Role, Staff};

use crate::admin::guard::COOKIE;
use crate::admin::records::{
    new_staff_record as new_record, staff_key as key, staff_metadata as metadata,
};
use crate::catalog;
use crate::config::Config;
use crate::context::{Context, ReadingTableSource};
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::CountingLimiter;
use crate::routes::{Outcome, handle};
use crate::secrets::Secrets;
use crate::store::{Kv, MemoryKv};

/// A fixed instant: 2026-11-30 12:00 UTC.
pub const NOW_MS: u64 = 1_796_040_000_000;

/// Test keys, distinct per purpose.
pub fn secrets() -> Secrets {
    Secrets {
        personal_data: [1; 32],
        mobile_hash: [2; 32],
        challenge: [3; 32],
    }
}

pub fn config() -> Config {
    Config {
        allowed_origins: vec!["https://partner.example".into()],
        allow_localhost: false,
        ..Config::default()
    }
}

/// A store holding the published demo programme.
pub fn published() -> MemoryKv {
    let kv = MemoryKv::new();
    published_with(&kv, &guanai_core::demo::programme());
    kv
}

/// Publishes `catalogue` into `kv` directly (test set-up; not counted).
pub fn published_with(kv: &MemoryKv, catalogue: &guanai_core::Catalogue) {
    for entry in catalog::publish_entries(catalogue).expect("the catalogue validates") {
        kv.insert(
            &entry.key,
            &entry.value,
            Some(serde_json::to_value(entry.metadata).expect("metadata")),
        );
    }
}

/// Runs one request with a generous rate limit, at [`NOW_MS`], with `entropy` for randomness.
pub fn outcome_with(
    request: &ApiRequest,
    kv: &impl Kv,
    limiter: &CountingLimiter,
    now_ms: u64,
    entropy: [u8; 32],
) -> Outcome {
    outcome_keyed(request, kv, limiter, now_ms, entropy, Ok(secrets()))
}

/// [`outcome_with`] with the worker's keys as given (`Err`: missing, as a misconfigured worker).
pub fn outcome_keyed(
    request: &ApiRequest,
    kv: &impl Kv,
    limiter: &CountingLimiter,
    now_ms: u64,
    entropy: [u8; 32],
    secrets: Result<Secrets, String>,
) -> Outcome {
    let request = Invocation {
        request,
        now_ms,
        entropy,
    };
    outcome_reading(request, kv, limiter, secrets, &BuiltReadingTable)
}

/// One request at a moment, with its randomness.
pub struct Invocation<'r> {
    pub request: &'r ApiRequest,
    pub now_ms: u64,
    pub entropy: [u8; 32],
}

/// [`outcome_keyed`] with the reading table from `readings` (one that fails, say).
pub fn outcome_reading(
    Invocation {
        request,
        now_ms,
        entropy,
    }: Invocation,
    kv: &impl Kv,
    limiter: &CountingLimiter,
    secrets: Result<Secrets, String>,
    readings: &dyn ReadingTableSource,
) -> Outcome {
    let config = config();
    let ctx = Context {
        kv,
        limiter,
        config: &config,
        readings,
        secrets,
        now_ms,
        entropy,
    };
    // Each request is one Workers invocation, with its own 1,000 KV operations.
    kv.new_invocation();
    pollster::block_on(handle(request, &ctx))
}

pub fn outcome(request: &ApiRequest, kv: &impl Kv) -> Outcome {
    outcome_with(request, kv, &CountingLimiter::new(1_000), NOW_MS, [7; 32])
}

/// The response to a request that must not be handed to the assets.
pub fn respond(request: ApiRequest, kv: &impl Kv) -> ApiResponse {
    match outcome(&request, kv) {
        Outcome::Respond { response, .. } => response,
        Outcome::Asset { .. } => panic!("{} went to the assets", request.path),
    }
}

/// The password of every account [`staffed`] makes.
pub const PASSWORD: &str = "correct horse battery staple";

/// A store with three accounts: the plan admin, Beijing's admin and a Tianjin viewer.
pub fn staffed() -> MemoryKv {
    // On top of the published demo programme: sign-ups name its partners.
    let kv = published();
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

/// The response to `request` at `now_ms` with `entropy` repeated as the random bytes.
pub fn send(kv: &impl Kv, request: ApiRequest, now_ms: u64, entropy: u8) -> ApiResponse {
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

/// A signed-in browser: its cookie and CSRF token.
pub struct Signed {
    pub cookie: String,
    pub csrf: String,
}

/// Signs `username` (one of [`staffed`]'s) in.
pub fn login(kv: &MemoryKv, username: &str, entropy: u8) -> Signed {
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

/// `request` as sent by `who`'s browser: the session cookie (among others) and the CSRF token.
pub fn as_signed(request: ApiRequest, who: &Signed) -> ApiRequest {
    request
        .with_header("cookie", &format!("theme=dark; {}", who.cookie))
        .with_header("x-csrf-token", &who.csrf)
}

/// A partner draft `id` of `association` (a copy of the demo's first partner), written directly.
pub fn partner_draft(kv: &MemoryKv, id: &str, association: Option<Association>) {
    let mut partner = guanai_core::demo::programme().partners[0].clone();
    partner.id = id.to_string();
    let draft = crate::admin::catalog::DraftPartner {
        partner,
        association,
        archived: false,
        updated_by: "plan.admin".into(),
        updated_at_ms: NOW_MS,
    };
    kv.insert(
        &crate::admin::catalog::partner_key(id),
        &serde_json::to_string(&draft).unwrap(),
        None,
    );
}

/// The reading table `cargo xtask build` writes among the assets, generated the same way.
pub struct BuiltReadingTable;

impl ReadingTableSource for BuiltReadingTable {
    fn load(&self) -> futures::future::LocalBoxFuture<'_, Result<String, String>> {
        static TABLE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let table = TABLE.get_or_init(guanai_core::pinyin::generate::table_text);
        Box::pin(std::future::ready(Ok(table.clone())))
    }
}
