//! Signing in and out: `POST /v1/admin/login` (rate-limited, Argon2id), `POST
//! /v1/admin/logout`, and `GET /v1/admin/session`. What a session is and how a request proves
//! it is [`super::guard`]'s.

use guanai_core::challenge::hex;
use guanai_core::i18n::ErrorCode;
use guanai_core::staff::{PasswordHash, Staff, check_username, verify_password};
use guanai_core::wire::Login;
use serde::Serialize;

use super::guard::{self, COOKIE, SESSION_SECONDS, Session};
use super::records::{audit, load_staff};
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::Kv;

/// What login and `GET /v1/admin/session` answer.
#[derive(Serialize)]
struct SessionView<'a> {
    staff: &'a Staff,
    csrf_token: &'a str,
    expires_at_ms: u64,
}

fn view(session: &Session) -> Result<String, ApiError> {
    Ok(serde_json::to_string(&SessionView {
        staff: &session.staff,
        csrf_token: &session.csrf,
        expires_at_ms: session.expires_at_ms,
    })?)
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
    let login: Login = request.json()?;
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
    let valid_name = check_username(&username).is_ok();
    let record = if valid_name {
        load_staff(ctx.kv, &username).await?
    } else {
        None
    };
    let stored = record
        .as_ref()
        .map(|r| r.password.clone())
        .unwrap_or_else(decoy);
    let matches = verify_password(&login.password, &stored);
    let Some(record) = record.filter(|_| matches) else {
        let attempted = if valid_name {
            username.as_str()
        } else {
            "(invalid username)"
        };
        audit(request, ctx, attempted, "login_failed", "").await?;
        return Err(ApiError::Refused(ErrorCode::InvalidCredentials));
    };
    audit(request, ctx, &record.staff.username, "login", "").await?;
    let token = hex(&ctx.entropy);
    let session = guard::start(ctx.kv, record.staff, &token, ctx.now_ms).await?;
    Ok(ApiResponse::json(200, view(&session)?).with_header(
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
    let session = guard::current(request, ctx).await?;
    audit(request, ctx, session.username(), "logout", "").await?;
    guard::end(request, ctx.kv).await?;
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
    let session = guard::current(request, ctx).await?;
    Ok(ApiResponse::json(200, view(&session)?))
}
