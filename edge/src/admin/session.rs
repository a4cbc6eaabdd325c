//! Staff sessions: log in, prove who you are on each request, log out.
//!
//! The session token is 32 random bytes in an `HttpOnly; Secure; SameSite=Strict` cookie with
//! the `__Host-` prefix (no Domain, path `/`): scripts cannot read it and other sites cannot
//! send it. KV stores only its SHA-256 (`session:<hash>`), with an 8-hour TTL, so a leaked KV
//! listing gives no usable tokens. The CSRF token is derived from the session token, returned
//! by login and `GET /v1/admin/session`, and must come back in `X-CSRF-Token` on every
//! state-changing request.
//!
//! KV is eventually consistent: a session created at one Cloudflare location can take up to a
//! minute to be readable at another. Staff stay at one location in practice; ARCHITECTURE.md
//! names the Durable Object that would make sessions strongly consistent.

use guanai_core::Association;
use guanai_core::challenge::hex;
use guanai_core::i18n::ErrorCode;
use guanai_core::staff::{Action, PasswordHash, Staff, same_secret, verify_password};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::staff::{StaffRecord, load};
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::{Kv, PutOptions};

/// The session cookie's name. `__Host-` makes browsers refuse it without `Secure`, with a
/// `Domain`, or with a path other than `/`.
pub const COOKIE: &str = "__Host-guanai-admin";

/// How long a session lasts: a working day.
pub const SESSION_SECONDS: u64 = 8 * 60 * 60;

/// What KV keeps for a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub staff: Staff,
    pub csrf: String,
    pub expires_at_ms: u64,
}

#[derive(Deserialize)]
struct Login {
    username: String,
    password: String,
}

/// What login and `GET /v1/admin/session` answer.
#[derive(Serialize)]
struct SessionView<'a> {
    staff: &'a Staff,
    csrf_token: &'a str,
    expires_at_ms: u64,
}

fn session_key(token: &str) -> String {
    format!("session:{}", hex(&Sha256::digest(token.as_bytes())))
}

fn csrf_for(token: &str) -> String {
    hex(&Sha256::digest(format!("csrf:{token}").as_bytes()))
}

fn view(session: &Session) -> String {
    serde_json::to_string(&SessionView {
        staff: &session.staff,
        csrf_token: &session.csrf,
        expires_at_ms: session.expires_at_ms,
    })
    .unwrap_or_default()
}

/// A hash that matches no password, checked when the username is unknown so that a wrong
/// username takes as long as a wrong password (no account enumeration by timing).
fn decoy() -> PasswordHash {
    PasswordHash {
        algorithm: "argon2id".into(),
        m: guanai_core::staff::MEMORY_KIB,
        t: guanai_core::staff::PASSES,
        p: 1,
        salt: "00112233445566778899aabbccddeeff".into(),
        hash: "0".repeat(64),
    }
}

/// `POST /v1/admin/login` `{username, password}`.
pub async fn login(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let login: Login = serde_json::from_str(&request.body).map_err(|_| ApiError::BadRequest)?;
    let username = login.username.trim().to_lowercase();
    // Both limits: one network guessing many accounts, many networks guessing one account.
    let client = request.header("cf-connecting-ip").unwrap_or("unknown");
    if !ctx.limiter.allow(&format!("admin-login:{client}")).await
        || !ctx
            .limiter
            .allow(&format!("admin-login-user:{username}"))
            .await
    {
        return Err(ApiError::Refused(ErrorCode::RateLimited));
    }
    let record: Option<StaffRecord> = if guanai_core::staff::check_username(&username).is_ok() {
        load(ctx.kv, &username).await?
    } else {
        None
    };
    let stored = record
        .as_ref()
        .map(|r| r.password.clone())
        .unwrap_or_else(decoy);
    let matches = verify_password(&login.password, &stored);
    let Some(record) = record.filter(|_| matches) else {
        let attempted = if guanai_core::staff::check_username(&username).is_ok() {
            username.as_str()
        } else {
            "(invalid username)"
        };
        super::audit::record(request, ctx, attempted, "login_failed", "").await?;
        return Err(ApiError::Refused(ErrorCode::InvalidCredentials));
    };
    let token = hex(&ctx.entropy);
    let session = Session {
        staff: record.staff,
        csrf: csrf_for(&token),
        expires_at_ms: ctx.now_ms + SESSION_SECONDS * 1000,
    };
    let value = serde_json::to_string(&session).map_err(|e| ApiError::Storage(e.to_string()))?;
    super::audit::record(request, ctx, &session.staff.username, "login", "").await?;
    ctx.kv
        .put(
            &session_key(&token),
            &value,
            PutOptions {
                metadata: None,
                expiration_ttl: Some(SESSION_SECONDS),
            },
        )
        .await
        .map_err(ApiError::storage)?;
    Ok(ApiResponse::json(200, view(&session)).with_header(
        "set-cookie",
        format!(
            "{COOKIE}={token}; Path=/; Max-Age={SESSION_SECONDS}; HttpOnly; Secure; SameSite=Strict"
        ),
    ))
}

/// `POST /v1/admin/logout`: ends the session here and in the browser.
pub async fn logout(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = current(request, ctx).await?;
    super::audit::record(request, ctx, &session.staff.username, "logout", "").await?;
    if let Some(token) = cookie(request, COOKIE) {
        ctx.kv
            .delete(&session_key(token))
            .await
            .map_err(ApiError::storage)?;
    }
    Ok(ApiResponse::empty(204).with_header(
        "set-cookie",
        format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"),
    ))
}

/// `GET /v1/admin/session`: who is signed in, and the CSRF token for their next changes.
pub async fn show(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = current(request, ctx).await?;
    Ok(ApiResponse::json(200, view(&session)))
}

/// The signed-in session: 401 without a live one, 403 when a state-changing request lacks the
/// session's CSRF token.
pub async fn current(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<Session, ApiError> {
    let unauthenticated = ApiError::Refused(ErrorCode::Unauthenticated);
    let token = cookie(request, COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or(unauthenticated.clone())?;
    let stored = ctx
        .kv
        .get(&session_key(token))
        .await
        .map_err(ApiError::storage)?
        .ok_or(unauthenticated.clone())?;
    let session: Session =
        serde_json::from_str(&stored.value).map_err(|_| unauthenticated.clone())?;
    if session.expires_at_ms <= ctx.now_ms {
        return Err(unauthenticated);
    }
    let changes_state = !matches!(request.method.as_str(), "GET" | "HEAD" | "OPTIONS");
    let sent = request.header("x-csrf-token").unwrap_or_default();
    if changes_state && !same_secret(sent, &session.csrf) {
        return Err(ApiError::Refused(ErrorCode::CsrfFailed));
    }
    Ok(session)
}

/// The signed-in session if its staff member may do `action` on `scope`'s data; 401/403 if not.
pub async fn authorize(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    action: Action,
    scope: Option<Association>,
) -> Result<Session, ApiError> {
    let session = current(request, ctx).await?;
    session
        .staff
        .may(action, scope)
        .map_err(|_| ApiError::Refused(ErrorCode::Forbidden))?;
    Ok(session)
}

/// The value of cookie `name` in the request's `Cookie` header.
pub fn cookie<'r>(request: &'r ApiRequest, name: &str) -> Option<&'r str> {
    request
        .header("cookie")?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}
