//! The append-only audit log: who did what, when, from where — one KV key per event, never a
//! shared list (two concurrent appends to one value would lose one). Keys sort newest first, so
//! the log pages with plain listings. Plan admins read it; nothing in the API deletes or edits it.

use guanai_core::staff::Action;
use serde::{Deserialize, Serialize};

use super::session::authorize;
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::{Kv, PutOptions};

/// One recorded action. Never holds passwords, tokens or a social worker's personal data:
/// targets are usernames, references and ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at_ms: u64,
    /// The staff member, or the attempted username for a failed login (when it is a valid
    /// username, so a password typed into the wrong box is never logged).
    pub actor: String,
    /// What happened, e.g. `login`, `login_failed`, `logout`, `staff_created`.
    pub action: String,
    /// What it happened to, e.g. the created account's username.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// The client's address as Cloudflare saw it.
    pub ip: String,
}

/// Events per page: each is one KV read.
const PAGE: usize = 100;

/// Largest timestamp the key order supports (year 2286); keys hold `MAX - at_ms` so that KV's
/// ascending listing is newest first.
const MAX_MS: u64 = 9_999_999_999_999;

fn key(at_ms: u64, entropy: &[u8; 32]) -> String {
    format!(
        "audit:{:013}:{}",
        MAX_MS.saturating_sub(at_ms),
        guanai_core::challenge::hex(&entropy[24..])
    )
}

/// Records `action` by `actor` on `target`. A failure to write is returned: an action that
/// cannot be audited should not look done.
pub async fn record(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    actor: &str,
    action: &str,
    target: &str,
) -> Result<(), ApiError> {
    let event = Event {
        at_ms: ctx.now_ms,
        actor: actor.to_string(),
        action: action.to_string(),
        target: target.to_string(),
        ip: request
            .header("cf-connecting-ip")
            .unwrap_or("unknown")
            .to_string(),
    };
    let value = serde_json::to_string(&event).map_err(|e| ApiError::Storage(e.to_string()))?;
    ctx.kv
        .put(
            &key(ctx.now_ms, &ctx.entropy),
            &value,
            PutOptions::default(),
        )
        .await
        .map_err(ApiError::storage)
}

/// `GET /v1/admin/audit[?cursor=…]`: a page of events, newest first (plan admins only). Each
/// event is one KV read, so a page holds [`PAGE`] events.
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::ReadAudit, None).await?;
    let cursor = request.query("cursor");
    let page = ctx
        .kv
        .list("audit:", cursor.as_deref(), PAGE)
        .await
        .map_err(ApiError::storage)?;
    let mut events = Vec::with_capacity(page.keys.len());
    for (name, _) in &page.keys {
        if let Some(stored) = ctx.kv.get(name).await.map_err(ApiError::storage)?
            && let Ok(event) = serde_json::from_str::<Event>(&stored.value)
        {
            events.push(event);
        }
    }
    let next = page.cursor;
    let body = serde_json::json!({ "events": events, "cursor": next });
    Ok(ApiResponse::json(200, body.to_string()))
}

/// Most events one export holds (a KV read each; Workers allow 1,000 operations a request).
const EXPORT_LIMIT: usize = 900;

/// `GET /v1/admin/audit.csv[?cursor=…]`: the log as a spreadsheet, newest first, 900 events per
/// file (plan admins). The export itself is recorded.
pub async fn export(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ReadAudit, None).await?;
    let page = ctx
        .kv
        .list("audit:", request.query("cursor").as_deref(), EXPORT_LIMIT)
        .await
        .map_err(ApiError::storage)?;
    let mut rows = Vec::with_capacity(page.keys.len());
    for (name, _) in &page.keys {
        if let Some(stored) = ctx.kv.get(name).await.map_err(ApiError::storage)?
            && let Ok(event) = serde_json::from_str::<Event>(&stored.value)
        {
            let at = chrono::DateTime::from_timestamp_millis(event.at_ms as i64)
                .unwrap_or_default()
                .with_timezone(&guanai_core::time::shanghai());
            rows.push(vec![
                at.format("%Y-%m-%d %H:%M:%S").to_string(),
                event.actor,
                event.action,
                event.target,
                event.ip,
            ]);
        }
    }
    record(
        request,
        ctx,
        &session.staff.username,
        "audit_exported",
        &format!("{} events", rows.len()),
    )
    .await?;
    let header = [
        "时间（北京）Time (Beijing)",
        "操作人 Actor",
        "操作 Action",
        "对象 Target",
        "IP",
    ];
    let text = guanai_core::table::csv(&header, &rows).map_err(ApiError::Storage)?;
    let mut response = ApiResponse::csv(text, "guanai-audit.csv");
    if let Some(next) = page.cursor {
        // The next file of an export that does not fit in one.
        response.set_header("x-next-cursor", next);
    }
    Ok(response)
}
