//! Sign-ups for association staff: a filtered list without personal data, the decrypted
//! detail (each view audited), the qualification review, and a CSV export.
//!
//! Lists walk the association's prefix (`signup:<association>:`) and filter on key metadata,
//! 1,000 keys a listing and no decryption, until a page is full: a rare status still gets
//! full pages. The export reads the matching records 100 at a time (a bulk read is one KV
//! operation): 50,000 sign-ups cost 550 operations, in one file.

use guanai_core::staff::Action;
use guanai_core::validate::FieldError;
use guanai_core::wire::{DecisionBody, RecordKind, SignupMeta, SignupRow, Status};
use guanai_core::{Association, QualificationLevel, regions, table};

use super::guard::{self, Session, authorize};
use super::records::audit;
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::{read_json, read_many, write_json};
use crate::limits::RateLimiter;
use crate::scan::Scan;
use crate::signups::record::retained;
use crate::signups::{SignupRecord, StaffDecision, record_key};
use crate::store::{BULK_READ, Kv, LIST_PAGE, PutOptions};
use guanai_core::wire::PersonalData;

/// Rows per page of the list.
const PAGE: usize = 50;

/// Most listings a page of the list makes looking for matches (200,000 sign-ups); a page that
/// is not full by then says where to go on.
const LIST_SCANS: usize = 200;

/// Most KV operations (listings and bulk reads) one export file spends, leaving room for the
/// session and the audit event within Workers' 1,000: about 86,000 sign-ups. A larger
/// programme gets the rest in a next file (`x-next-cursor`).
pub const EXPORT_OPERATIONS: usize = 950;

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

/// `GET /v1/admin/signups?association&region&level&status&from_ms&until_ms&cursor`: a full
/// page of matching rows (unless the list ends first), and where the next one starts.
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let (_, filters) = scoped(request, ctx, Action::Read).await?;
    let cursor = request.query("cursor");
    let mut scan = Scan::resume(ctx.kv, &filters.prefix(), cursor.as_deref(), LIST_PAGE);
    let mut rows: Vec<SignupRow> = Vec::new();
    let mut next = None;
    'pages: while scan.lists < LIST_SCANS {
        let Some(keys) = scan.page().await? else {
            break;
        };
        for (name, row) in filters.rows(&keys) {
            rows.push(row);
            if rows.len() == PAGE {
                next = Some(scan.cursor_after(&name));
                break 'pages;
            }
        }
        next = scan.cursor();
    }
    let body = serde_json::json!({ "signups": rows, "cursor": next });
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

/// One record as a spreadsheet row.
fn export_row(record: &SignupRecord, personal: PersonalData) -> Vec<String> {
    vec![
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
    ]
}

/// `GET /v1/admin/signups.csv?…filters&partner=<id>`: every matching sign-up with personal
/// data as one CSV file (UTF-8 with BOM, formula-safe), for staff allowed to export personal
/// data; audited with the row count. With `partner`, only the people who consented to sharing
/// with that partner (PIPL Art. 23). Beyond [`EXPORT_OPERATIONS`] the file ends early and
/// `x-next-cursor` (sent back as `cursor`) gives the next one.
pub async fn export(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let (session, filters) = scoped(request, ctx, Action::ExportPersonalData).await?;
    let partner = request.query("partner").filter(|id| !id.is_empty());
    let cursor = request.query("cursor");
    let mut scan = Scan::resume(ctx.kv, &filters.prefix(), cursor.as_deref(), LIST_PAGE);
    let mut rows = Vec::new();
    let mut spent = 0;
    // The worst a listing costs: itself and a bulk read per 100 of its keys.
    let per_page = 1 + LIST_PAGE.div_ceil(BULK_READ);
    let mut next = None;
    while spent + per_page <= EXPORT_OPERATIONS {
        let Some(keys) = scan.page().await? else {
            break;
        };
        spent += 1;
        let names: Vec<String> = filters
            .rows(&keys)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        spent += names.len().div_ceil(BULK_READ);
        // The page's bulk reads go out together (`read_many`), not one after another.
        for record in read_many::<SignupRecord>(ctx.kv, &names)
            .await?
            .into_iter()
            .flatten()
        {
            // Read, then dropped: consents are in the sealed record, not the listing.
            if partner
                .as_ref()
                .is_some_and(|id| !record.consent.partners.contains(id))
            {
                continue;
            }
            let personal = unseal(ctx, &record)?;
            rows.push(export_row(&record, personal));
        }
        next = scan.cursor();
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
    let mut response = ApiResponse::csv(text, "guanai-signups.csv");
    if let Some(next) = next {
        response.set_header("x-next-cursor", next);
    }
    Ok(response)
}
