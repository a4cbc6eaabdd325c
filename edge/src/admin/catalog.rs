//! Editing the catalogue and publishing it.
//!
//! Staff edit drafts — one KV key per partner (`draft-partner:<id>`) and per benefit
//! (`draft-benefit:<id>`), so two people editing different items never overwrite each other.
//! Publishing gathers the drafts that are not archived, runs the one domain validation over the
//! whole catalogue, and writes a new immutable snapshot (`catalog:version:<v>`) before moving
//! the published copy (`catalog:published`) — a single-key switch, so widgets see the old
//! catalogue or the new one, never half of either. Every earlier version stays, for rollback.

use guanai_core::pinyin::ReadingTable;
use guanai_core::staff::Action;
use guanai_core::validate::{self, FieldError};
use guanai_core::wire::{
    BenefitChange, DraftPage, DraftsCreated, PartnerChange, PartnerChoice, PublishOptions,
    Published, Resume, Rollback, WRITES_PER_PAGE,
};
use guanai_core::{Association, Benefit, Catalogue, Partner, regions};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::guard::{Session, authorize, current};
use super::records::audit;
use crate::catalog::{self, PUBLISHED_KEY, SnapshotMeta, version_key};
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::{read_json, read_many, read_values, write_json};
use crate::limits::RateLimiter;
use crate::scan::Scan;
use crate::store::{BULK_READ, Kv, LIST_PAGE, PutOptions};

// The draft shapes live in the domain crate: the admin view reads the same JSON.
pub use guanai_core::model::{DraftBenefit, DraftPartner};

/// The key of the `kind` (`partner` or `benefit`) draft `id`.
fn draft_key(kind: &str, id: &str) -> String {
    format!("draft-{kind}:{id}")
}

pub fn partner_key(id: &str) -> String {
    draft_key("partner", id)
}

pub fn benefit_key(id: &str) -> String {
    draft_key("benefit", id)
}

/// The association whose province holds the partner's first location, if any.
pub fn owner_of(partner: &Partner) -> Option<Association> {
    let province = regions::find(&partner.locations.first()?.region)?.province();
    Association::ALL
        .iter()
        .copied()
        .find(|a| a.province_code() == province)
}

/// Every value under `prefix`, parsed: a listing per 1,000 keys and a bulk read per 100, so
/// 12,000 drafts cost 132 KV operations.
pub(crate) async fn read_all<T: DeserializeOwned>(
    kv: &impl Kv,
    prefix: &str,
) -> Result<Vec<T>, ApiError> {
    let mut scan = Scan::resume(kv, prefix, None, LIST_PAGE);
    let mut items = Vec::new();
    while let Some(keys) = scan.page().await? {
        let names: Vec<String> = keys.into_iter().map(|(name, _)| name).collect();
        items.extend(read_many(kv, &names).await?.into_iter().flatten());
    }
    Ok(items)
}

/// Drafts per page of the catalogue page.
const DRAFT_PAGE: usize = 100;

/// Most listings one kind's page makes while searching (each with a bulk read: 400 operations
/// over 20,000 drafts). A search that has not filled its page by then answers what it found
/// with a cursor to go on.
const SEARCH_LISTS: usize = 200;

/// Up to [`DRAFT_PAGE`] drafts under `prefix` from `cursor` that `matches` `query`, and where
/// the list goes on.
async fn draft_page<T: DeserializeOwned>(
    kv: &impl Kv,
    prefix: &str,
    cursor: Option<&str>,
    query: &str,
    matches: fn(&T, &str) -> bool,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let mut scan = Scan::resume(kv, prefix, cursor, DRAFT_PAGE);
    let mut found = Vec::new();
    while scan.lists < SEARCH_LISTS {
        let Some(keys) = scan.page().await? else {
            return Ok((found, None));
        };
        let names: Vec<String> = keys.into_iter().map(|(name, _)| name).collect();
        let drafts = read_many::<T>(kv, &names).await?;
        for (name, draft) in names.iter().zip(drafts) {
            if let Some(draft) = draft.filter(|d| matches(d, query)) {
                found.push(draft);
                if found.len() == DRAFT_PAGE {
                    return Ok((found, Some(scan.cursor_after(name))));
                }
            }
        }
    }
    Ok((found, scan.cursor()))
}

/// A one-item catalogue for running the domain validation over a single draft.
pub(super) fn alone(partners: Vec<Partner>, benefits: Vec<Benefit>, now_ms: u64) -> Catalogue {
    Catalogue {
        version: "draft".into(),
        published_at: chrono::DateTime::from_timestamp_millis(now_ms as i64).unwrap_or_default(),
        sample: false,
        partners,
        benefits,
        readings: Default::default(),
    }
}

/// What both kinds of draft share.
trait Draft: Serialize {
    fn archived(&self) -> bool;
}

impl Draft for DraftPartner {
    fn archived(&self) -> bool {
        self.archived
    }
}

impl Draft for DraftBenefit {
    fn archived(&self) -> bool {
        self.archived
    }
}

/// The error for a body whose id is not the one in the path.
pub(super) fn id_mismatch(field: &str) -> FieldError {
    FieldError::new(
        field,
        "id_mismatch",
        "编号与地址不一致",
        "The id does not match the address",
    )
}

/// Records a saved or archived `kind` draft in the audit log, stores it, and answers 201 for a
/// new one, 200 for an edit.
async fn store_draft(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    session: &Session,
    kind: &str,
    id: &str,
    draft: &impl Draft,
    existed: bool,
) -> Result<ApiResponse, ApiError> {
    let action = format!(
        "{kind}_{}",
        if draft.archived() {
            "archived"
        } else {
            "saved"
        }
    );
    audit(request, ctx, session.username(), &action, id).await?;
    write_json(ctx.kv, &draft_key(kind, id), draft, PutOptions::default()).await?;
    let body = serde_json::to_string(draft)?;
    Ok(ApiResponse::json(if existed { 200 } else { 201 }, body))
}

/// `PUT /v1/admin/partners/<id>` `{partner, association?, archived?}`: create or edit.
pub async fn save_partner(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    id: &str,
) -> Result<ApiResponse, ApiError> {
    let session = current(request, ctx).await?;
    let change: PartnerChange = request.json()?;
    let existing: Option<DraftPartner> = read_json(ctx.kv, &partner_key(id)).await?;
    // Editing needs rights over the partner as it is and as it would become.
    let before = existing.as_ref().map(|d| d.association);
    let after = change
        .association
        .or(before.flatten())
        .or_else(|| owner_of(&change.partner));
    if let Some(before) = before {
        session.allow(Action::Edit, before)?;
    }
    session.allow(Action::Edit, after)?;
    let mut errors = validate::catalogue(&alone(vec![change.partner.clone()], vec![], ctx.now_ms))
        .err()
        .unwrap_or_default();
    if change.partner.id != id {
        errors.push(id_mismatch("partner.id"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let draft = DraftPartner {
        partner: change.partner,
        association: after,
        archived: change.archived,
        updated_by: session.staff.username.clone(),
        updated_at_ms: ctx.now_ms,
    };
    store_draft(
        request,
        ctx,
        &session,
        "partner",
        id,
        &draft,
        existing.is_some(),
    )
    .await
}

/// `PUT /v1/admin/benefits/<id>` `{benefit, archived?}`: create or edit, with the full domain
/// validation (area, regions, levels, dates, zh + en texts) against its partner.
pub async fn save_benefit(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    id: &str,
) -> Result<ApiResponse, ApiError> {
    let session = current(request, ctx).await?;
    let change: BenefitChange = request.json()?;
    let partner: Option<DraftPartner> =
        read_json(ctx.kv, &partner_key(&change.benefit.partner)).await?;
    let Some(partner) = partner else {
        return Err(ApiError::Validation(vec![FieldError::new(
            "benefit.partner",
            "unknown_partner",
            "请先添加该合作单位",
            "Add the partner first",
        )]));
    };
    session.allow(Action::Edit, partner.association)?;
    let existing: Option<DraftBenefit> = read_json(ctx.kv, &benefit_key(id)).await?;
    let mut errors = validate::catalogue(&alone(
        vec![partner.partner],
        vec![change.benefit.clone()],
        ctx.now_ms,
    ))
    .err()
    .unwrap_or_default();
    if change.benefit.id != id {
        errors.push(id_mismatch("benefit.id"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let draft = DraftBenefit {
        benefit: change.benefit,
        archived: change.archived,
        updated_by: session.staff.username.clone(),
        updated_at_ms: ctx.now_ms,
    };
    store_draft(
        request,
        ctx,
        &session,
        "benefit",
        id,
        &draft,
        existing.is_some(),
    )
    .await
}

/// `GET /v1/admin/catalog?q=&kind=&partners_cursor=&benefits_cursor=` (any staff member): a
/// page of partner and of benefit drafts (or of one `kind`), those matching `q`, with the
/// published version. Pages, not the whole catalogue: 12,000 drafts are megabytes.
pub async fn show(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::Read, None).await?;
    let query = request.query("q").unwrap_or_default().trim().to_lowercase();
    let kind = request.query("kind");
    let wants = |k: &str| kind.as_deref().is_none_or(|wanted| wanted == k);
    let mut page = DraftPage::default();
    if wants("partners") {
        let cursor = request.query("partners_cursor");
        (page.partners, page.partners_cursor) = draft_page(
            ctx.kv,
            "draft-partner:",
            cursor.as_deref(),
            &query,
            DraftPartner::matches,
        )
        .await?;
    }
    if wants("benefits") {
        let cursor = request.query("benefits_cursor");
        (page.benefits, page.benefits_cursor) = draft_page(
            ctx.kv,
            "draft-benefit:",
            cursor.as_deref(),
            &query,
            DraftBenefit::matches,
        )
        .await?;
    }
    page.published = ctx
        .kv
        .get(PUBLISHED_KEY)
        .await?
        .and_then(|stored| stored.metadata)
        .and_then(|metadata| serde_json::from_value::<SnapshotMeta>(metadata).ok())
        .map(|meta| meta.version);
    Ok(ApiResponse::json(200, serde_json::to_string(&page)?))
}

/// `GET /v1/admin/catalog/partner-choices`: every partner draft's id, name and association,
/// for the benefit form's choice of partner (2,000 partners: 22 KV operations).
pub async fn partner_choices(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::Read, None).await?;
    let choices: Vec<PartnerChoice> = read_all::<DraftPartner>(ctx.kv, "draft-partner:")
        .await?
        .into_iter()
        .map(|draft| PartnerChoice {
            id: draft.partner.id,
            name: draft.partner.name,
            association: draft.association,
            archived: draft.archived,
        })
        .collect();
    Ok(ApiResponse::json(200, serde_json::to_string(&choices)?))
}

/// Where a page of drafts-from-published goes on: `<published version>:<items done>`. A
/// cursor of another version starts again from the first item, which is safe because items
/// that already have a draft are skipped.
fn resume_point(cursor: Option<&str>, version: &str) -> usize {
    cursor
        .and_then(|c| c.rsplit_once(':'))
        .filter(|(v, _)| *v == version)
        .and_then(|(_, done)| done.parse().ok())
        .unwrap_or(0)
}

/// `POST /v1/admin/catalog/drafts-from-published` `{cursor?}`: starts editing from what is
/// published — every published partner and benefit without a draft becomes one. A request
/// spends at most [`WRITES_PER_PAGE`] KV operations on writes and bulk reads of 100 items, and answers
/// the cursor of the next page: 12,000 items take 14 requests, each within Workers' 1,000 KV
/// operations.
pub async fn drafts_from_published(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Publish, None).await?;
    let resume: Resume = if request.body.trim().is_empty() {
        Resume::default()
    } else {
        request.json()?
    };
    let published: Catalogue = read_json(ctx.kv, PUBLISHED_KEY)
        .await?
        .ok_or(ApiError::CatalogUnavailable)?;
    let by = session.staff.username.clone();
    let (partners, benefits) = (published.partners.len(), published.benefits.len());
    let total = partners + benefits;
    // Item `i`: its draft key and the draft to write if there is none.
    let draft_of = |i: usize| -> Result<(String, String), ApiError> {
        Ok(if i < partners {
            let partner = published.partners[i].clone();
            let draft = DraftPartner {
                association: owner_of(&partner),
                partner,
                archived: false,
                updated_by: by.clone(),
                updated_at_ms: ctx.now_ms,
            };
            (
                partner_key(&draft.partner.id),
                serde_json::to_string(&draft)?,
            )
        } else {
            let benefit = published.benefits[i - partners].clone();
            let draft = DraftBenefit {
                benefit,
                archived: false,
                updated_by: by.clone(),
                updated_at_ms: ctx.now_ms,
            };
            (
                benefit_key(&draft.benefit.id),
                serde_json::to_string(&draft)?,
            )
        })
    };
    let mut done = resume_point(resume.cursor.as_deref(), &published.version).min(total);
    let mut created = 0;
    // Writes and bulk reads together stay within a page's budget, however the items that
    // still need a draft are spread.
    let mut reads = 0;
    while done < total && created + reads + 1 + BULK_READ <= WRITES_PER_PAGE {
        reads += 1;
        let chunk = done..(done + BULK_READ).min(total);
        let drafts = chunk.clone().map(draft_of).collect::<Result<Vec<_>, _>>()?;
        let keys: Vec<String> = drafts.iter().map(|(key, _)| key.clone()).collect();
        let existing = read_values(ctx.kv, &keys).await?;
        for ((key, draft), existing) in drafts.into_iter().zip(existing) {
            if existing.is_none() {
                ctx.kv.put(&key, &draft, PutOptions::default()).await?;
                created += 1;
            }
        }
        done = chunk.end;
    }
    let count = format!("{created} drafts ({done} of {total})");
    audit(
        request,
        ctx,
        session.username(),
        "drafts_from_published",
        &count,
    )
    .await?;
    let answer = DraftsCreated {
        created,
        done,
        total,
        cursor: (done < total).then(|| format!("{}:{done}", published.version)),
    };
    Ok(ApiResponse::json(200, serde_json::to_string(&answer)?))
}

/// `POST /v1/admin/catalog/publish` `{sample?}` (plan admins): a new snapshot from the drafts
/// that are not archived, with the pinyin of its titles, partner names and areas, validated as
/// a whole, then switched to in one write.
pub async fn publish(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session: Session = authorize(request, ctx, Action::Publish, None).await?;
    let options: PublishOptions = if request.body.trim().is_empty() {
        PublishOptions::default()
    } else {
        request.json()?
    };
    let partners: Vec<Partner> = read_all::<DraftPartner>(ctx.kv, "draft-partner:")
        .await?
        .into_iter()
        .filter(|d| !d.archived)
        .map(|d| d.partner)
        .collect();
    // A benefit of an archived or missing partner is not published either (a set: 10,000
    // benefits against 2,000 partners).
    let live: std::collections::HashSet<&str> = partners.iter().map(|p| p.id.as_str()).collect();
    let benefits: Vec<Benefit> = read_all::<DraftBenefit>(ctx.kv, "draft-benefit:")
        .await?
        .into_iter()
        .filter(|d| !d.archived && live.contains(d.benefit.partner.as_str()))
        .map(|d| d.benefit)
        .collect();
    if partners.is_empty() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "partners",
            "empty_catalogue",
            "没有可发布的合作单位",
            "There are no partners to publish",
        )]));
    }
    let published_at =
        chrono::DateTime::from_timestamp_millis(ctx.now_ms as i64).unwrap_or_default();
    let mut catalogue = Catalogue {
        version: format!(
            "{}-{}",
            guanai_core::time::iso_date(guanai_core::time::shanghai_date(published_at)),
            ctx.now_ms
        ),
        published_at,
        sample: options.sample,
        partners,
        benefits,
        readings: Default::default(),
    };
    let table = ctx.readings.load().await.map_err(ApiError::Storage)?;
    ReadingTable::parse(&table)
        .map_err(|error| ApiError::Storage(format!("reading table: {error}")))?
        .annotate(&mut catalogue);
    let entries = catalog::publish_entries(&catalogue)?;
    let version = &catalogue.version;
    audit(
        request,
        ctx,
        session.username(),
        "catalog_published",
        version,
    )
    .await?;
    for entry in entries {
        let options = PutOptions::listed(&entry.metadata)?;
        ctx.kv.put(&entry.key, &entry.value, options).await?;
    }
    let answer = Published {
        version: catalogue.version.clone(),
        partners: catalogue.partners.len(),
        benefits: catalogue.benefits.len(),
    };
    Ok(ApiResponse::json(201, serde_json::to_string(&answer)?))
}

/// `POST /v1/admin/catalog/rollback` `{version}` (plan admins): publishes an earlier snapshot
/// again, byte for byte (same ETag), in one write.
pub async fn rollback(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Publish, None).await?;
    let rollback: Rollback = request.json()?;
    let stored = ctx
        .kv
        .get(&version_key(&rollback.version))
        .await?
        .ok_or(ApiError::NotFound)?;
    let version = &rollback.version;
    audit(
        request,
        ctx,
        session.username(),
        "catalog_rolled_back",
        version,
    )
    .await?;
    let options = PutOptions {
        metadata: stored.metadata,
        expiration_ttl: None,
        expiration: None,
    };
    ctx.kv.put(PUBLISHED_KEY, &stored.value, options).await?;
    Ok(ApiResponse::json(200, serde_json::to_string(&rollback)?))
}

/// `GET /v1/admin/catalog/versions`: every published snapshot, oldest first.
pub async fn versions(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::Read, None).await?;
    let cursor = request.query("cursor");
    let page = ctx
        .kv
        .list("catalog:version:", cursor.as_deref(), LIST_PAGE)
        .await?;
    let versions: Vec<serde_json::Value> = page
        .keys
        .into_iter()
        .filter_map(|(_, metadata)| metadata)
        .collect();
    let body = serde_json::json!({ "versions": versions, "cursor": page.cursor });
    Ok(ApiResponse::json(200, body.to_string()))
}

/// `GET /v1/admin/catalog/hsds.json`: the published catalogue as Open Referral HSDS JSON.
pub async fn hsds(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::Read, None).await?;
    let published: Catalogue = read_json(ctx.kv, PUBLISHED_KEY)
        .await?
        .ok_or(ApiError::CatalogUnavailable)?;
    let now = chrono::DateTime::from_timestamp_millis(ctx.now_ms as i64).unwrap_or_default();
    let body = guanai_core::hsds::export(&published, guanai_core::time::shanghai_date(now));
    Ok(ApiResponse::json(200, body.to_string()).with_header(
        "content-disposition",
        "attachment; filename=\"guanai-hsds.json\"",
    ))
}
