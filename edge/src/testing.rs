//! Shared set-up for the native tests of the routes.

use crate::catalog;
use crate::config::Config;
use crate::context::Context;
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
    }
}

/// A store holding the published demo programme.
pub fn published() -> MemoryKv {
    let kv = MemoryKv::new();
    for entry in
        catalog::publish_entries(&guanai_core::demo::programme()).expect("the demo validates")
    {
        kv.insert(
            &entry.key,
            &entry.value,
            Some(serde_json::to_value(entry.metadata).expect("metadata")),
        );
    }
    kv
}

/// Runs one request with a generous rate limit, at [`NOW_MS`], with `entropy` for randomness.
pub fn outcome_with(
    request: &ApiRequest,
    kv: &impl Kv,
    limiter: &CountingLimiter,
    now_ms: u64,
    entropy: [u8; 32],
) -> Outcome {
    let config = config();
    let ctx = Context {
        kv,
        limiter,
        config: &config,
        secrets: Ok(secrets()),
        now_ms,
        entropy,
    };
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
