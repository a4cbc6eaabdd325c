//! Who is asking, and may they: the session behind a request's cookie, its CSRF token, and
//! the one permission check. Every admin handler starts here; nothing here knows a handler.
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
use guanai_core::staff::{Action, Staff, same_secret};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::context::Context;
use crate::error::ApiError;
use crate::http::ApiRequest;
use crate::kv_json::write_json;
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

fn session_key(token: &str) -> String {
    format!("session:{}", hex(&Sha256::digest(token.as_bytes())))
}

/// Stores a new session for `staff` under `token` (64 hex characters) and returns it.
pub async fn start(
    kv: &impl Kv,
    staff: Staff,
    token: &str,
    now_ms: u64,
) -> Result<Session, ApiError> {
    let session = Session {
        staff,
        csrf: hex(&Sha256::digest(format!("csrf:{token}").as_bytes())),
        expires_at_ms: now_ms + SESSION_SECONDS * 1000,
    };
    let key = session_key(token);
    write_json(kv, &key, &session, PutOptions::expiring(SESSION_SECONDS)).await?;
    Ok(session)
}

/// Ends the session of the request's cookie, if it has one.
pub async fn end(request: &ApiRequest, kv: &impl Kv) -> Result<(), ApiError> {
    if let Some(token) = cookie(request, COOKIE) {
        kv.delete(&session_key(token)).await?;
    }
    Ok(())
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
        .await?
        .ok_or(unauthenticated.clone())?;
    // A session that does not parse is treated as none: the person signs in again.
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
    session.allow(action, scope)?;
    Ok(session)
}

impl Session {
    /// 403 unless this session's staff member may do `action` on `scope`'s data.
    pub fn allow(&self, action: Action, scope: Option<Association>) -> Result<(), ApiError> {
        self.staff
            .may(action, scope)
            .map_err(|_| ApiError::Refused(ErrorCode::Forbidden))
    }

    /// The staff member's username, for audit events and `updated_by`.
    pub fn username(&self) -> &str {
        &self.staff.username
    }
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
