//! Sign-ups for association staff: a filtered list without personal data, the decrypted
//! detail (each view audited), the qualification review, and a CSV export.
//!
//! Lists page the association's prefix (`signup:<association>:`) and filter on key metadata,
//! so a page costs one KV listing and no decryption.

use guanai_core::staff::Action;
use guanai_core::validate::FieldError;
use guanai_core::wire::{DecisionBody, RecordKind, SignupMeta, SignupRow, Status};
use guanai_core::{Association, QualificationLevel, regions, table};

use super::guard::{self, Session, authorize};
use super::records::audit;
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::{read_json, write_json};
use crate::limits::RateLimiter;
use crate::signups::record::retained;
use crate::signups::{SignupRecord, StaffDecision, record_key};
use crate::store::{Kv, LIST_PAGE, PutOptions};
use guanai_core::wire::PersonalData;

/// Rows per page of the list.
const PAGE: usize = 50;
/// Most sign-ups one export reads (and so most rows it holds): each costs a KV read and a
/// decryption, and Workers allow 1,000 KV operations per request.
pub const EXPORT_LIMIT: usize = 900;

/// The list's filters, from the query string.
#[derive(Debug, Default)]
struct Filters {
    association: Option<Association>,
    region: Option<String>,
    level: Option<QualificationLevel>,
    status: Option<Status>,
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
                .map(|v| {
                    v.parse::<Status>()
                        .ok()
                        .filter(|s| RecordKind::Signup.statuses().contains(s))
                        .ok_or(bad("status"))
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

    /// Whether the sign-up of `row` passes the filters.
    fn admits(&self, row: &SignupRow) -> bool {
        let (reference, created) = (&row.reference, row.created_at_ms);
        self.region
            .as_ref()
            .is_none_or(|r| regions::overlaps(&row.region, r))
            && self.level.is_none_or(|l| row.level == l)
            && self.status.is_none_or(|s| row.status == s)
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
    let session = guard::current(request, ctx).await?;
    let mut filters = Filters::read(request)?;
    // No association asked for: one's own (all of them for plan-wide staff).
    if filters.association.is_none() {
        filters.association = session.staff.association;
    }
    session.allow(action, filters.association)?;
    Ok((session, filters))
}

/// A listed sign-up key with its metadata, as a row: `None` when the metadata does not read.
pub(super) fn row(name: &str, metadata: &Option<serde_json::Value>) -> Option<SignupRow> {
    let mut parts = name.splitn(3, ':').skip(1);
    let association: Association = parts.next()?.parse().ok()?;
    let reference = parts.next()?;
    let meta: SignupMeta = serde_json::from_value(metadata.clone()?).ok()?;
    Some(SignupRow::new(association, reference, meta))
}

impl Filters {
    /// The listed keys that pass the filters, as rows.
    fn rows(&self, keys: &[(String, Option<serde_json::Value>)]) -> Vec<(String, SignupRow)> {
        keys.iter()
            .filter_map(|(name, metadata)| Some((name.clone(), row(name, metadata)?)))
            .filter(|(_, row)| self.admits(row))
            .collect()
    }
}

/// `GET /v1/admin/signups?association&region&level&status&from_ms&until_ms&cursor`.
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let (_, filters) = scoped(request, ctx, Action::Read).await?;
    let cursor = request.query("cursor");
    let page = ctx
        .kv
        .list(&filters.prefix(), cursor.as_deref(), PAGE)
        .await?;
    let rows: Vec<SignupRow> = filters
        .rows(&page.keys)
        .into_iter()
        .map(|(_, row)| row)
        .collect();
    let body = serde_json::json!({ "signups": rows, "cursor": page.cursor });
    Ok(ApiResponse::json(200, body.to_string()))
}

async fn load(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    key: &str,
) -> Result<SignupRecord, ApiError> {
    read_json(ctx.kv, key).await?.ok_or(ApiError::NotFound)
}

fn unseal(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    record: &SignupRecord,
) -> Result<PersonalData, ApiError> {
    record.open(&ctx.secrets()?)
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
    let personal = unseal(ctx, &record)?;
    audit(request, ctx, session.username(), "signup_viewed", reference).await?;
    let mut body = serde_json::to_value(&record)?;
    body["personal"] = serde_json::to_value(&personal)?;
    // How the record is found and replayed is not for staff to see.
    if let Some(fields) = body.as_object_mut() {
        for internal in ["answer_key", "secret_hash", "as_created"] {
            fields.remove(internal);
        }
    }
    Ok(ApiResponse::json(200, body.to_string()))
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
    let body: DecisionBody = request.json()?;
    let (decision, note) = body.check(RecordKind::Signup)?;
    let key = record_key(association, reference);
    let mut stored = load(ctx, &key).await?;
    stored.status = decision;
    stored.as_created = false;
    stored.review = Some(StaffDecision {
        decision,
        note,
        by: session.username().to_string(),
        at_ms: ctx.now_ms,
    });
    let action = format!("signup_{decision}");
    audit(request, ctx, session.username(), &action, reference).await?;
    let options = retained(ctx, PutOptions::listed(&stored.meta())?);
    write_json(ctx.kv, &key, &stored, options).await?;
    let answer = guanai_core::wire::Decided {
        reference: reference.to_string(),
        status: decision,
        draft_partner: None,
    };
    Ok(ApiResponse::json(200, serde_json::to_string(&answer)?))
}

/// `GET /v1/admin/signups.csv?…filters&partner=<id>`: the filtered list with personal data as
/// a CSV file (UTF-8 with BOM, formula-safe), for staff allowed to export personal data;
/// audited with the row count. With `partner`, only the people who consented to sharing with
/// that partner (PIPL Art. 23). At most [`EXPORT_LIMIT`] rows; narrow the filters for more.
pub async fn export(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let (session, filters) = scoped(request, ctx, Action::ExportPersonalData).await?;
    let partner = request.query("partner").filter(|id| !id.is_empty());
    let mut rows = Vec::new();
    // Records read, not rows kept, are what the KV operation limit counts: a rare partner must
    // not make the export read every sign-up.
    let mut read = 0;
    let mut cursor: Option<String> = None;
    'pages: loop {
        let page = ctx
            .kv
            .list(&filters.prefix(), cursor.as_deref(), LIST_PAGE)
            .await?;
        for (name, _) in filters.rows(&page.keys) {
            if read == EXPORT_LIMIT {
                break 'pages;
            }
            read += 1;
            let record = load(ctx, &name).await?;
            if partner
                .as_ref()
                .is_some_and(|id| !record.consent.partners.contains(id))
            {
                continue;
            }
            let personal = unseal(ctx, &record)?;
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
                record.status.to_string(),
                guanai_core::time::iso_date(guanai_core::time::shanghai_date(
                    chrono::DateTime::from_timestamp_millis(record.created_at_ms as i64)
                        .unwrap_or_default(),
                )),
                record.consent.partners.join(" "),
            ]);
        }
        cursor = page.cursor;
        if cursor.is_none() {
            break;
        }
    }
    let count = format!("{} rows", rows.len());
    audit(request, ctx, session.username(), "signups_exported", &count).await?;
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
        "同意提供信息的合作单位 Partner consents",
    ];
    let text = table::csv(&header, &rows).map_err(ApiError::Storage)?;
    Ok(ApiResponse::csv(text, "guanai-signups.csv"))
}
