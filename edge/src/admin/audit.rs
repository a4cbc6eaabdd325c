//! The audit log as plan admins read it: `GET /v1/admin/audit` (pages, newest first) and
//! `GET /v1/admin/audit.csv`. Events are written by [`super::records::audit`]; keys sort newest
//! first, so the log pages with plain listings. Nothing in the API deletes or edits it.

use guanai_core::staff::Action;

use super::guard::authorize;
use super::records::{AUDIT_PREFIX, Event, audit};
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::Kv;

/// Events per page: each is one KV read.
const PAGE: usize = 100;

/// Most events one export holds (a KV read each; Workers allow 1,000 operations a request).
const EXPORT_LIMIT: usize = 900;

/// Up to `limit` events from `cursor`, and where the next page starts. An event that no longer
/// reads (deleted between listing and reading, or unreadable) is left out.
async fn events(
    kv: &impl Kv,
    cursor: Option<&str>,
    limit: usize,
) -> Result<(Vec<Event>, Option<String>), ApiError> {
    let page = kv.list(AUDIT_PREFIX, cursor, limit).await?;
    let mut events = Vec::with_capacity(page.keys.len());
    for (name, _) in &page.keys {
        if let Some(stored) = kv.get(name).await?
            && let Ok(event) = serde_json::from_str::<Event>(&stored.value)
        {
            events.push(event);
        }
    }
    Ok((events, page.cursor))
}

/// `GET /v1/admin/audit[?cursor=…]`: a page of events, newest first (plan admins only).
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::ReadAudit, None).await?;
    let (events, cursor) = events(ctx.kv, request.query("cursor").as_deref(), PAGE).await?;
    let body = serde_json::json!({ "events": events, "cursor": cursor });
    Ok(ApiResponse::json(200, body.to_string()))
}

/// One event as a spreadsheet row: time in Beijing, actor, action, target, address.
fn row(event: Event) -> Vec<String> {
    let at = chrono::DateTime::from_timestamp_millis(event.at_ms as i64)
        .unwrap_or_default()
        .with_timezone(&guanai_core::time::shanghai());
    vec![
        at.format("%Y-%m-%d %H:%M:%S").to_string(),
        event.actor,
        event.action,
        event.target,
        event.ip,
    ]
}

/// `GET /v1/admin/audit.csv[?cursor=…]`: the log as a spreadsheet, newest first, 900 events per
/// file (plan admins). The export itself is recorded.
pub async fn export(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ReadAudit, None).await?;
    let cursor = request.query("cursor");
    let (events, next) = events(ctx.kv, cursor.as_deref(), EXPORT_LIMIT).await?;
    let rows: Vec<Vec<String>> = events.into_iter().map(row).collect();
    let count = format!("{} events", rows.len());
    audit(request, ctx, session.username(), "audit_exported", &count).await?;
    let header = [
        "时间（北京）Time (Beijing)",
        "操作人 Actor",
        "操作 Action",
        "对象 Target",
        "IP",
    ];
    let text = guanai_core::table::csv(&header, &rows).map_err(ApiError::Storage)?;
    let mut response = ApiResponse::csv(text, "guanai-audit.csv");
    if let Some(next) = next {
        // The next file of an export that does not fit in one.
        response.set_header("x-next-cursor", next);
    }
    Ok(response)
}
