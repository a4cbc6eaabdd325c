//! The audit log as plan admins read it: `GET /v1/admin/audit` (pages, newest first) and
//! `GET /v1/admin/audit.csv`. Events are written by [`super::records::audit`]; keys sort newest
//! first, so the log pages with plain listings. Each event also rides in its key's metadata
//! when it fits KV's 1,024 bytes, so a listing of 1,000 keys is 1,000 events in one operation
//! (100,000 events: 100 listings); an event too long for it, or written before, is read in
//! bulk. Nothing in the API deletes or edits the log.

use guanai_core::staff::Action;

use super::guard::authorize;
use super::records::{AUDIT_PREFIX, Event, audit};
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::read_values;
use crate::limits::RateLimiter;
use crate::store::{BULK_READ, Kv, LIST_PAGE};

/// Events per page of the log view.
const PAGE: usize = 100;

/// Most KV operations one export file spends (listings, and bulk reads of events without
/// metadata), leaving room for the session and the export's own event: with every event in
/// its metadata, 950,000 events a file.
const EXPORT_OPERATIONS: usize = 950;

/// The events of one listing of up to `limit` keys from `cursor`, where the next listing
/// starts, and the KV operations it cost. An event that no longer reads (deleted between
/// listing and reading, or unreadable) is left out.
async fn events(
    kv: &impl Kv,
    cursor: Option<&str>,
    limit: usize,
) -> Result<(Vec<Event>, Option<String>, usize), ApiError> {
    let page = kv.list(AUDIT_PREFIX, cursor, limit).await?;
    let mut spent = 1;
    let mut events: Vec<Option<Event>> = page
        .keys
        .iter()
        .map(|(_, metadata)| {
            metadata
                .clone()
                .and_then(|m| serde_json::from_value::<Event>(m).ok())
        })
        .collect();
    let missing: Vec<usize> = (0..events.len()).filter(|&i| events[i].is_none()).collect();
    let names: Vec<String> = missing.iter().map(|&i| page.keys[i].0.clone()).collect();
    spent += names.len().div_ceil(BULK_READ);
    for (&i, stored) in missing.iter().zip(read_values(kv, &names).await?) {
        events[i] = stored.and_then(|value| serde_json::from_str(&value).ok());
    }
    Ok((events.into_iter().flatten().collect(), page.cursor, spent))
}

/// `GET /v1/admin/audit[?cursor=…]`: a page of events, newest first (plan admins only).
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::ReadAudit, None).await?;
    let (events, cursor, _) = events(ctx.kv, request.query("cursor").as_deref(), PAGE).await?;
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

/// `GET /v1/admin/audit.csv[?cursor=…]`: the whole log as one spreadsheet, newest first (plan
/// admins); past [`EXPORT_OPERATIONS`] the file ends and `x-next-cursor` names the next. The
/// export itself is recorded.
pub async fn export(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ReadAudit, None).await?;
    let mut cursor = request.query("cursor");
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut spent = 0;
    let per_listing = 1 + LIST_PAGE.div_ceil(BULK_READ);
    let next = loop {
        if spent + per_listing > EXPORT_OPERATIONS {
            break cursor;
        }
        let (events, next, cost) = events(ctx.kv, cursor.as_deref(), LIST_PAGE).await?;
        spent += cost;
        rows.extend(events.into_iter().map(row));
        match next {
            Some(next) => cursor = Some(next),
            None => break None,
        }
    };
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
