//! Sign-ups for association staff: a filtered list without personal data, the decrypted
//! detail (each view audited), the qualification review, and a CSV export.
//!
//! Lists page the association's prefix (`signup:<association>:`) and filter on key metadata,
//! so a page costs one KV listing and no decryption.

use guanai_core::i18n::ErrorCode;
use guanai_core::staff::Action;
use guanai_core::validate::FieldError;
use guanai_core::{Association, QualificationLevel, regions, table};
use serde::Deserialize;

use super::audit;
use super::session::{Session, authorize};
use crate::context::Context;
use crate::crypto;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::signups::{PersonalData, SignupRecord, StaffDecision, record_key};
use crate::store::Kv;

/// Rows per page of the list.
const PAGE: usize = 50;
/// Most rows one export holds: each costs a KV read and a decryption, and Workers allow 1,000
/// KV operations per request.
pub const EXPORT_LIMIT: usize = 900;

/// The list's filters, from the query string.
#[derive(Debug, Default)]
struct Filters {
    association: Option<Association>,
    region: Option<String>,
    level: Option<QualificationLevel>,
    status: Option<String>,
    from_ms: Option<u64>,
    until_ms: Option<u64>,
    /// Part of a reference, e.g. `GA-7K` (what a social worker reads out on the phone).
    reference: Option<String>,
}

impl Filters {
    fn read(request: &ApiRequest) -> Result<Filters, ApiError> {
        let bad = |field: &str| {
            ApiError::Validation(vec![FieldError::new(
                field,
                "invalid_filter",
                "筛选条件无效",
                "This filter is not valid",
            )])
        };
        let parse_ms = |name: &str| -> Result<Option<u64>, ApiError> {
            request
                .query(name)
                .filter(|v| !v.is_empty())
                .map(|v| v.parse().map_err(|_| bad(name)))
                .transpose()
        };
        Ok(Filters {
            association: request
                .query("association")
                .filter(|v| !v.is_empty())
                .map(|v| v.parse().map_err(|_| bad("association")))
                .transpose()?,
            region: request
                .query("region")
                .filter(|v| !v.is_empty())
                .map(|v| {
                    regions::find(&v)
                        .map(|r| r.code.to_string())
                        .ok_or(bad("region"))
                })
                .transpose()?,
            level: request
                .query("level")
                .filter(|v| !v.is_empty())
                .map(|v| v.parse().map_err(|_| bad("level")))
                .transpose()?,
            status: request
                .query("status")
                .filter(|v| !v.is_empty())
                .map(|v| match v.as_str() {
                    "received" | "verified" | "rejected" => Ok(v),
                    _ => Err(bad("status")),
                })
                .transpose()?,
            from_ms: parse_ms("from_ms")?,
            until_ms: parse_ms("until_ms")?,
            reference: request
                .query("reference")
                .map(|v| v.trim().to_uppercase())
                .filter(|v| !v.is_empty()),
        })
    }

    /// Whether the sign-up under key `name` with `metadata` passes the filters.
    fn admits(&self, name: &str, metadata: &serde_json::Value) -> bool {
        let reference = name.rsplit(':').next().unwrap_or_default();
        let text = |name: &str| metadata[name].as_str().unwrap_or_default().to_string();
        let created = metadata["created_at_ms"].as_u64().unwrap_or_default();
        self.region
            .as_ref()
            .is_none_or(|r| regions::overlaps(&text("region"), r))
            && self.level.is_none_or(|l| text("level") == l.code())
            && self.status.as_ref().is_none_or(|s| text("status") == *s)
            && self.from_ms.is_none_or(|from| created >= from)
            && self.until_ms.is_none_or(|until| created < until)
            && self
                .reference
                .as_ref()
                .is_none_or(|wanted| reference.contains(wanted.as_str()))
    }

    /// The KV prefix to list: one association's, or all sign-ups for plan-wide staff.
    fn prefix(&self) -> String {
        match self.association {
            Some(association) => format!("signup:{association}:"),
            None => "signup:".to_string(),
        }
    }
}

/// Reads the filters and checks `action` on their association; staff limited to one
/// association are held to it even when they ask for another or for all.
async fn scoped(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    action: Action,
) -> Result<(Session, Filters), ApiError> {
    // Who first (401/403 before anything about the query is revealed), then what.
    let session = super::session::current(request, ctx).await?;
    let mut filters = Filters::read(request)?;
    // No association asked for: one's own (all of them for plan-wide staff).
    if filters.association.is_none() {
        filters.association = session.staff.association;
    }
    session
        .staff
        .may(action, filters.association)
        .map_err(|_| ApiError::Refused(ErrorCode::Forbidden))?;
    Ok((session, filters))
}

/// `GET /v1/admin/signups?association&region&level&status&from_ms&until_ms&cursor`.
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let (_, filters) = scoped(request, ctx, Action::Read).await?;
    let page = ctx
        .kv
        .list(&filters.prefix(), request.query("cursor").as_deref(), PAGE)
        .await
        .map_err(ApiError::storage)?;
    let rows: Vec<serde_json::Value> = page
        .keys
        .iter()
        .filter_map(|(name, metadata)| {
            let metadata = metadata.as_ref()?;
            filters.admits(name, metadata).then(|| {
                let mut parts = name.splitn(3, ':').skip(1);
                serde_json::json!({
                    "association": parts.next(),
                    "reference": parts.next(),
                    "region": metadata["region"],
                    "level": metadata["level"],
                    "status": metadata["status"],
                    "created_at_ms": metadata["created_at_ms"],
                })
            })
        })
        .collect();
    let body = serde_json::json!({ "signups": rows, "cursor": page.cursor });
    Ok(ApiResponse::json(200, body.to_string()))
}

/// `association` and `reference` from `/v1/admin/signups/<association>/<reference>[/review]`.
pub fn parse_path(path: &str) -> Option<(Association, String, bool)> {
    let rest = path.strip_prefix("/v1/admin/signups/")?;
    let mut parts = rest.split('/');
    let association = parts.next()?.parse().ok()?;
    let reference = parts.next()?.to_string();
    let review = match parts.next() {
        None => false,
        Some("review") => true,
        Some(_) => return None,
    };
    let well_formed = !reference.is_empty()
        && reference.len() <= 64
        && reference
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (well_formed && parts.next().is_none()).then_some((association, reference, review))
}

async fn load(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    key: &str,
) -> Result<SignupRecord, ApiError> {
    super::read_json(ctx.kv, key)
        .await?
        .ok_or(ApiError::NotFound)
}

fn unseal(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    key: &str,
    record: &SignupRecord,
) -> Result<PersonalData, ApiError> {
    let secrets = ctx.secrets.clone().map_err(ApiError::Storage)?;
    crypto::open_json(&secrets.personal_data, key, &record.personal)
        .map_err(|e| ApiError::Storage(format!("sign-up {}: {e}", record.reference)))
}

/// `GET /v1/admin/signups/<association>/<reference>`: the record with its personal data, for
/// staff allowed to see it; the view is audited.
pub async fn detail(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    association: Association,
    reference: &str,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ReadPersonalData, Some(association)).await?;
    let key = record_key(association, reference);
    let record = load(ctx, &key).await?;
    let personal = unseal(ctx, &key, &record)?;
    audit::record(
        request,
        ctx,
        &session.staff.username,
        "signup_viewed",
        reference,
    )
    .await?;
    let mut body = serde_json::to_value(&record).map_err(|e| ApiError::Storage(e.to_string()))?;
    body["personal"] =
        serde_json::to_value(&personal).map_err(|e| ApiError::Storage(e.to_string()))?;
    Ok(ApiResponse::json(200, body.to_string()))
}

#[derive(Deserialize)]
struct Review {
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /v1/admin/signups/<association>/<reference>/review` `{decision, note}`: verified or
/// rejected (a rejection needs a note the social worker can be told).
pub async fn review(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    association: Association,
    reference: &str,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Edit, Some(association)).await?;
    let review: Review = serde_json::from_str(&request.body).map_err(|_| ApiError::BadRequest)?;
    let note = review.note.trim().to_string();
    let mut errors = Vec::new();
    if !matches!(review.decision.as_str(), "verified" | "rejected") {
        errors.push(FieldError::new(
            "decision",
            "invalid_decision",
            "请选择核实结果",
            "Choose verified or rejected",
        ));
    }
    if review.decision == "rejected" && note.is_empty() {
        errors.push(FieldError::new(
            "note",
            "required",
            "不通过时请写明原因",
            "Say why when rejecting",
        ));
    }
    if note.chars().count() > 500 {
        errors.push(FieldError::new(
            "note",
            "too_long",
            "备注最多 500 字",
            "Notes are at most 500 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let key = record_key(association, reference);
    let mut stored = load(ctx, &key).await?;
    stored.status = review.decision.clone();
    stored.review = Some(StaffDecision {
        decision: review.decision.clone(),
        note,
        by: session.staff.username.clone(),
        at_ms: ctx.now_ms,
    });
    audit::record(
        request,
        ctx,
        &session.staff.username,
        &format!("signup_{}", review.decision),
        reference,
    )
    .await?;
    let metadata = serde_json::json!({
        "region": stored.region, "level": stored.level, "status": review.decision,
        "created_at_ms": stored.created_at_ms,
    });
    super::write_json(ctx.kv, &key, &stored, Some(metadata)).await?;
    Ok(ApiResponse::json(
        200,
        serde_json::json!({"reference": reference, "status": review.decision}).to_string(),
    ))
}

/// `GET /v1/admin/signups.csv?…filters`: the filtered list with personal data as a CSV file
/// (UTF-8 with BOM, formula-safe), for staff allowed to export personal data; audited with the
/// row count. At most [`EXPORT_LIMIT`] rows; narrow the filters for more.
pub async fn export(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let (session, filters) = scoped(request, ctx, Action::ExportPersonalData).await?;
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    'pages: loop {
        let page = ctx
            .kv
            .list(
                &filters.prefix(),
                cursor.as_deref(),
                crate::store::LIST_PAGE,
            )
            .await
            .map_err(ApiError::storage)?;
        for (name, metadata) in &page.keys {
            if !metadata.as_ref().is_some_and(|m| filters.admits(name, m)) {
                continue;
            }
            if rows.len() == EXPORT_LIMIT {
                break 'pages;
            }
            let record = load(ctx, name).await?;
            let personal = unseal(ctx, name, &record)?;
            rows.push(vec![
                record.reference.clone(),
                record.association.to_string(),
                personal.name,
                personal.mobile,
                personal.employer,
                personal.certificate_number,
                regions::find(&record.region)
                    .map(|r| r.name_zh.to_string())
                    .unwrap_or(record.region.clone()),
                record.level.label().zh,
                record.status.clone(),
                guanai_core::time::iso_date(guanai_core::time::shanghai_date(
                    chrono::DateTime::from_timestamp_millis(record.created_at_ms as i64)
                        .unwrap_or_default(),
                )),
            ]);
        }
        cursor = page.cursor;
        if cursor.is_none() {
            break;
        }
    }
    audit::record(
        request,
        ctx,
        &session.staff.username,
        "signups_exported",
        &format!("{} rows", rows.len()),
    )
    .await?;
    let header = [
        "编号 Reference",
        "协会 Association",
        "姓名 Name",
        "手机 Mobile",
        "单位 Employer",
        "证书编号 Certificate",
        "地区 Region",
        "资格 Level",
        "状态 Status",
        "登记日期 Date",
    ];
    let text = table::csv(&header, &rows).map_err(ApiError::Storage)?;
    Ok(ApiResponse::csv(text, "guanai-signups.csv"))
}
