//! What both public forms share: idempotent replays, per-client rate limits, size limits, bot
//! screening (honeypot, minimum fill time, proof of work) — in that order, so that a retry of an
//! acknowledged submission always gets its original answer, even when the client is now over
//! its rate limit.

use guanai_core::challenge;
use guanai_core::i18n::ErrorCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::secrets::Secrets;
use crate::store::{Kv, PutOptions};

/// Largest accepted body. A sign-up is about 1 KB; this leaves room without inviting abuse.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How long a replay returns the original answer.
const IDEMPOTENCY_TTL_SECONDS: u64 = 7 * 24 * 3600;

/// The envelope both forms are posted in.
#[derive(Debug, Clone, Deserialize)]
pub struct Submission<T> {
    pub form: T,
    pub challenge: Solution,
    /// Honeypot: a field hidden from people; anything typed here was typed by a bot.
    #[serde(default)]
    pub website: String,
    /// Milliseconds between the form appearing and the submit press.
    #[serde(default)]
    pub elapsed_ms: u64,
}

/// A solved proof-of-work challenge.
#[derive(Debug, Clone, Deserialize)]
pub struct Solution {
    pub token: String,
    pub nonce: u64,
}

/// A stored answer, replayed for the same `Idempotency-Key`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredAnswer {
    status: u16,
    body: String,
}

/// Either the original answer to a replay, or a new submission that passed every screen.
pub enum Admission<T> {
    Replay(ApiResponse),
    Fresh {
        submission: Submission<T>,
        secrets: Secrets,
        idempotency_key: String,
    },
}

/// Screens a POST to one of the form routes (`kind` is `signups` or `applications`).
pub async fn admit<T: DeserializeOwned>(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    kind: &str,
) -> Result<Admission<T>, ApiError> {
    let key = request
        .header("idempotency-key")
        .map(str::trim)
        .unwrap_or_default();
    let well_formed = (8..=128).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(ApiError::Refused(ErrorCode::IdempotencyKeyRequired));
    }
    let idempotency_key = format!("idempotency:{kind}:{key}");
    if let Some(stored) = ctx
        .kv
        .get(&idempotency_key)
        .await
        .map_err(ApiError::storage)?
    {
        let answer: StoredAnswer = serde_json::from_str(&stored.value)
            .map_err(|_| ApiError::Storage(format!("unreadable {kind} idempotency record")))?;
        return Ok(Admission::Replay(ApiResponse::json(
            answer.status,
            answer.body,
        )));
    }
    let client = request.header("cf-connecting-ip").unwrap_or("unknown");
    if !ctx.limiter.allow(&format!("{kind}:{client}")).await {
        return Err(ApiError::Refused(ErrorCode::RateLimited));
    }
    if request.body_over(MAX_BODY_BYTES) {
        return Err(ApiError::Refused(ErrorCode::PayloadTooLarge));
    }
    let submission: Submission<T> =
        serde_json::from_str(&request.body).map_err(|_| ApiError::BadRequest)?;
    if !submission.website.trim().is_empty() {
        return Err(ApiError::Refused(ErrorCode::SpamSuspected));
    }
    if submission.elapsed_ms < challenge::MIN_FILL_MS {
        return Err(ApiError::Refused(ErrorCode::TooFast));
    }
    let secrets = ctx.secrets.clone().map_err(ApiError::Storage)?;
    spend_challenge(ctx, &secrets, &submission.challenge).await?;
    Ok(Admission::Fresh {
        submission,
        secrets,
        idempotency_key,
    })
}

/// Verifies the proof of work and records its id so it cannot be used again.
///
/// KV is eventually consistent: a token replayed at another Cloudflare location within about a
/// minute may pass there once more. Each pass still costs a full proof of work and a rate-limit
/// slot, which is what the check is for; strict single use would need a Durable Object
/// (ARCHITECTURE.md § Consistency).
async fn spend_challenge(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    secrets: &Secrets,
    solution: &Solution,
) -> Result<(), ApiError> {
    let now = ctx.now_ms / 1000;
    let id = challenge::verify(&secrets.challenge, &solution.token, solution.nonce, now).map_err(
        |error| {
            ApiError::Refused(match error {
                challenge::ChallengeError::Expired => ErrorCode::ChallengeExpired,
                challenge::ChallengeError::Unsolved => ErrorCode::ChallengeUnsolved,
                challenge::ChallengeError::Malformed | challenge::ChallengeError::Forged => {
                    ErrorCode::ChallengeInvalid
                }
            })
        },
    )?;
    let used_key = format!("challenge-used:{id}");
    if ctx
        .kv
        .get(&used_key)
        .await
        .map_err(ApiError::storage)?
        .is_some()
    {
        return Err(ApiError::Refused(ErrorCode::ChallengeUsed));
    }
    let options = PutOptions {
        metadata: None,
        expiration_ttl: Some(challenge::MAX_AGE_SECONDS + 120),
    };
    ctx.kv
        .put(&used_key, "1", options)
        .await
        .map_err(ApiError::storage)
}

/// Stores a form's record as JSON under its own key, with the facets the admin lists by as
/// metadata.
pub async fn store_record(
    kv: &impl Kv,
    key: &str,
    record: &impl Serialize,
    metadata: serde_json::Value,
) -> Result<(), ApiError> {
    let value =
        serde_json::to_string(record).map_err(|error| ApiError::Storage(error.to_string()))?;
    let options = PutOptions {
        metadata: Some(metadata),
        expiration_ttl: None,
    };
    kv.put(key, &value, options)
        .await
        .map_err(ApiError::storage)
}

/// Records `response` as the answer for this submission's key and returns it.
pub async fn remember(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    idempotency_key: &str,
    response: ApiResponse,
) -> Result<ApiResponse, ApiError> {
    let answer = StoredAnswer {
        status: response.status,
        body: response.body.clone(),
    };
    let value =
        serde_json::to_string(&answer).map_err(|error| ApiError::Storage(error.to_string()))?;
    let options = PutOptions {
        metadata: None,
        expiration_ttl: Some(IDEMPOTENCY_TTL_SECONDS),
    };
    ctx.kv
        .put(idempotency_key, &value, options)
        .await
        .map_err(ApiError::storage)?;
    Ok(response)
}

/// `GET /v1/challenge`: a fresh signed token.
pub fn issue_challenge(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let secrets = ctx.secrets.clone().map_err(ApiError::Storage)?;
    let mut id = [0; 16];
    id.copy_from_slice(&ctx.entropy[..16]);
    let token = challenge::issue(
        &secrets.challenge,
        id,
        ctx.now_ms / 1000,
        challenge::DIFFICULTY,
    );
    let body = serde_json::json!({
        "token": token,
        "difficulty": challenge::DIFFICULTY,
        "expires_in": challenge::MAX_AGE_SECONDS,
    });
    Ok(ApiResponse::json(200, body.to_string()).with_header("cache-control", "no-store"))
}
