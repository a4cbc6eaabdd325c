//! What both public forms share, and the order it runs in ([`handle`]): idempotent replays,
//! per-client rate limits, bot screening (honeypot, minimum fill time, proof of work), the
//! form's own accept step, the writes it asks for, and the remembered answer. Replays come
//! first, so that a retry of an acknowledged submission always gets its original answer, even
//! when the client is now over its rate limit. (The body's size is checked by the router,
//! before all of this.)

use guanai_core::challenge;
use guanai_core::i18n::ErrorCode;
use guanai_core::wire::{ChallengeIssued, Solution, Submission};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::crypto::{self, Sealed};
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::read_json;
use crate::limits::RateLimiter;
use crate::secrets::Secrets;
use crate::store::{Kv, PutOptions};

/// How long a replay returns the original answer.
const IDEMPOTENCY_TTL_SECONDS: u64 = 7 * 24 * 3600;

/// A stored answer, replayed for the same `Idempotency-Key`. The body is sealed: a sign-up's
/// answer carries its management secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredAnswer {
    status: u16,
    sealed: Sealed,
}

/// A submission that passed every screen, handed to its form's accept step.
pub struct Fresh<T> {
    pub submission: Submission<T>,
    pub secrets: Secrets,
    /// The KV key of this submission's answer (`idempotency:<kind>:<Idempotency-Key>`): the
    /// same on every retry, so a form may derive a record key from it.
    pub idempotency_key: String,
}

/// One KV write a form asks for: a value to store, or (`value: None`) a key to delete.
pub struct Write {
    pub key: String,
    pub value: Option<String>,
    pub options: PutOptions,
}

impl Write {
    /// `value` as JSON under `key`.
    pub fn json(key: &str, value: &impl Serialize, options: PutOptions) -> Result<Write, ApiError> {
        Ok(Write {
            key: key.to_string(),
            value: Some(serde_json::to_string(value)?),
            options,
        })
    }

    /// Deletes `key`.
    pub fn delete(key: String) -> Write {
        Write {
            key,
            value: None,
            options: PutOptions::default(),
        }
    }
}

/// What a form's accept step decided about a fresh submission. Field errors are an `Err`
/// instead, and are not remembered: the person corrects them and sends again.
pub enum Accepted {
    /// Store `writes`, in this order, then answer `answer` (and remember it).
    Store {
        writes: Vec<Write>,
        answer: ApiResponse,
    },
    /// Answer without storing anything (and remember it), e.g. "already registered".
    Answer(ApiResponse),
}

/// A POST to one of the form routes (`kind` is `signups` or `applications`), in the one
/// order: a replay gets its original answer; otherwise the submission is screened, `accept`
/// decides, the writes it asks for are made, and the answer is remembered for replays. A
/// crash between a write and the remembered answer leaves the writes done; the retry runs
/// `accept` again, which must then land on the same keys.
pub async fn handle<T: DeserializeOwned, Ctx: Kv, Lim: RateLimiter>(
    request: &ApiRequest,
    ctx: &Context<'_, Ctx, Lim>,
    kind: &str,
    accept: impl AsyncFnOnce(Fresh<T>) -> Result<Accepted, ApiError>,
) -> Result<ApiResponse, ApiError> {
    let fresh = match admit(request, ctx, kind).await? {
        Admission::Replay(response) => return Ok(response),
        Admission::Fresh(fresh) => fresh,
    };
    let idempotency_key = fresh.idempotency_key.clone();
    let secrets = fresh.secrets.clone();
    let answer = match accept(fresh).await? {
        Accepted::Store { writes, answer } => {
            for write in writes {
                match write.value {
                    Some(value) => ctx.kv.put(&write.key, &value, write.options).await?,
                    None => ctx.kv.delete(&write.key).await?,
                }
            }
            answer
        }
        Accepted::Answer(answer) => answer,
    };
    remember(ctx, &secrets, &idempotency_key, answer).await
}

/// Either the original answer to a replay, or a new submission that passed every screen.
enum Admission<T> {
    Replay(ApiResponse),
    Fresh(Fresh<T>),
}

/// Screens a POST to one of the form routes. (Its size was checked by the router.)
async fn admit<T: DeserializeOwned>(
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
    if let Some(answer) = read_json::<StoredAnswer>(ctx.kv, &idempotency_key).await? {
        let secrets = ctx.secrets()?;
        let body = crypto::open(&secrets.personal_data, &idempotency_key, &answer.sealed)
            .ok()
            .and_then(|plain| String::from_utf8(plain).ok())
            .ok_or_else(|| ApiError::Storage(format!("unreadable {kind} answer")))?;
        return Ok(Admission::Replay(ApiResponse::json(answer.status, body)));
    }
    let client = request.header("cf-connecting-ip").unwrap_or("unknown");
    if !ctx.limiter.allow(&format!("{kind}:{client}")).await {
        return Err(ApiError::Refused(ErrorCode::RateLimited));
    }
    let submission: Submission<T> = request.json()?;
    if !submission.website.trim().is_empty() {
        return Err(ApiError::Refused(ErrorCode::SpamSuspected));
    }
    if submission.elapsed_ms < challenge::MIN_FILL_MS {
        return Err(ApiError::Refused(ErrorCode::TooFast));
    }
    let secrets = ctx.secrets()?;
    spend_challenge(ctx, &secrets, &submission.challenge).await?;
    Ok(Admission::Fresh(Fresh {
        submission,
        secrets,
        idempotency_key,
    }))
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
    if ctx.kv.get(&used_key).await?.is_some() {
        return Err(ApiError::Refused(ErrorCode::ChallengeUsed));
    }
    let options = PutOptions::expiring(challenge::MAX_AGE_SECONDS + 120);
    ctx.kv.put(&used_key, "1", options).await?;
    Ok(())
}

/// Records `response`, sealed, as the answer for this submission's key and returns it.
async fn remember(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    secrets: &Secrets,
    idempotency_key: &str,
    response: ApiResponse,
) -> Result<ApiResponse, ApiError> {
    let answer = StoredAnswer {
        status: response.status,
        sealed: crypto::seal_fresh(
            &secrets.personal_data,
            &ctx.entropy,
            idempotency_key,
            response.body.as_bytes(),
        )
        .map_err(ApiError::Storage)?,
    };
    let options = PutOptions::expiring(IDEMPOTENCY_TTL_SECONDS);
    crate::kv_json::write_json(ctx.kv, idempotency_key, &answer, options).await?;
    Ok(response)
}

/// `GET /v1/challenge`: a fresh signed token.
pub fn issue_challenge(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let secrets = ctx.secrets()?;
    let mut id = [0; 16];
    id.copy_from_slice(&ctx.entropy[..16]);
    let token = challenge::issue(
        &secrets.challenge,
        id,
        ctx.now_ms / 1000,
        challenge::DIFFICULTY,
    );
    let body = serde_json::to_string(&ChallengeIssued {
        token,
        difficulty: challenge::DIFFICULTY,
        expires_in: challenge::MAX_AGE_SECONDS,
    })?;
    Ok(ApiResponse::json(200, body).with_header("cache-control", "no-store"))
}
