//! Editing the catalogue and publishing it.
//!
//! Staff edit drafts — one KV key per partner (`draft-partner:<id>`) and per benefit
//! (`draft-benefit:<id>`), so two people editing different items never overwrite each other.
//! Publishing gathers the drafts that are not archived, runs the one domain validation over the
//! whole catalogue, and writes a new immutable snapshot (`catalog:version:<v>`) before moving
//! the published copy (`catalog:published`) — a single-key switch, so widgets see the old
//! catalogue or the new one, never half of either. Every earlier version stays, for rollback.

use guanai_core::staff::Action;
use guanai_core::validate::{self, FieldError};
use guanai_core::wire::{
    BenefitChange, DraftsCreated, PartnerChange, PublishOptions, Published, Rollback,
};
use guanai_core::{Association, Benefit, Catalogue, Partner, regions};
use serde::{Deserialize, Serialize};

use super::guard::{Session, authorize, current};
use super::records::audit;
use crate::catalog::{self, PUBLISHED_KEY, SnapshotMeta, version_key};
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::{read_json, write_json};
use crate::limits::RateLimiter;
use crate::store::{Kv, LIST_PAGE, PutOptions};

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
fn owner_of(partner: &Partner) -> Option<Association> {
    let province = regions::find(&partner.locations.first()?.region)?.province();
    Association::ALL
        .iter()
        .copied()
        .find(|a| a.province_code() == province)
}

/// Every value under `prefix`, parsed (one listing per 1,000 keys, one read per key: admin only).
async fn read_all<T: for<'de> Deserialize<'de>>(
    kv: &impl Kv,
    prefix: &str,
) -> Result<Vec<T>, ApiError> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = kv.list(prefix, cursor.as_deref(), LIST_PAGE).await?;
        for (name, _) in &page.keys {
            if let Some(item) = read_json(kv, name).await? {
                items.push(item);
            }
        }
        cursor = page.cursor;
        if cursor.is_none() {
            return Ok(items);
        }
    }
}

/// A one-item catalogue for running the domain validation over a single draft.
fn alone(partners: Vec<Partner>, benefits: Vec<Benefit>, now_ms: u64) -> Catalogue {
    Catalogue {
        version: "draft".into(),
        published_at: chrono::DateTime::from_timestamp_millis(now_ms as i64).unwrap_or_default(),
        sample: false,
        partners,
        benefits,
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
fn id_mismatch(field: &str) -> FieldError {
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

/// `GET /v1/admin/catalog`: every draft and the published version (any staff member).
pub async fn show(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::Read, None).await?;
    let partners: Vec<DraftPartner> = read_all(ctx.kv, "draft-partner:").await?;
    let benefits: Vec<DraftBenefit> = read_all(ctx.kv, "draft-benefit:").await?;
    let published = ctx
        .kv
        .get(PUBLISHED_KEY)
        .await?
        .and_then(|stored| stored.metadata)
        .and_then(|metadata| serde_json::from_value::<SnapshotMeta>(metadata).ok())
        .map(|meta| meta.version);
    let body =
        serde_json::json!({ "partners": partners, "benefits": benefits, "published": published });
    Ok(ApiResponse::json(200, body.to_string()))
}

/// `POST /v1/admin/catalog/drafts-from-published`: starts editing from what is published —
/// every published partner and benefit becomes a draft (existing drafts are kept).
pub async fn drafts_from_published(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Publish, None).await?;
    let published: Catalogue = read_json(ctx.kv, PUBLISHED_KEY)
        .await?
        .ok_or(ApiError::CatalogUnavailable)?;
    let mut created = 0;
    for partner in published.partners {
        let key = partner_key(&partner.id);
        if read_json::<DraftPartner>(ctx.kv, &key).await?.is_none() {
            let association = owner_of(&partner);
            let draft = DraftPartner {
                partner,
                association,
                archived: false,
                updated_by: session.staff.username.clone(),
                updated_at_ms: ctx.now_ms,
            };
            write_json(ctx.kv, &key, &draft, PutOptions::default()).await?;
            created += 1;
        }
    }
    for benefit in published.benefits {
        let key = benefit_key(&benefit.id);
        if read_json::<DraftBenefit>(ctx.kv, &key).await?.is_none() {
            let draft = DraftBenefit {
                benefit,
                archived: false,
                updated_by: session.staff.username.clone(),
                updated_at_ms: ctx.now_ms,
            };
            write_json(ctx.kv, &key, &draft, PutOptions::default()).await?;
            created += 1;
        }
    }
    let count = format!("{created} drafts");
    audit(
        request,
        ctx,
        session.username(),
        "drafts_from_published",
        &count,
    )
    .await?;
    let answer = DraftsCreated { created };
    Ok(ApiResponse::json(200, serde_json::to_string(&answer)?))
}

/// `POST /v1/admin/catalog/publish` `{sample?}` (plan admins): a new snapshot from the drafts
/// that are not archived, validated as a whole, then switched to in one write.
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
    // A benefit of an archived or missing partner is not published either.
    let benefits: Vec<Benefit> = read_all::<DraftBenefit>(ctx.kv, "draft-benefit:")
        .await?
        .into_iter()
        .filter(|d| !d.archived && partners.iter().any(|p| p.id == d.benefit.partner))
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
    let catalogue = Catalogue {
        version: format!(
            "{}-{}",
            guanai_core::time::iso_date(guanai_core::time::shanghai_date(published_at)),
            ctx.now_ms
        ),
        published_at,
        sample: options.sample,
        partners,
        benefits,
    };
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

/// What an import wrote.
#[derive(Debug, Default, Serialize)]
struct Imported {
    partners: usize,
    benefits: usize,
}

/// `POST /v1/admin/catalog/import?kind=partners|benefits` with a CSV body: every row is
/// checked (cells, domain rules, the partner of each benefit, the right to edit it) and either
/// all rows become drafts or none do, with every problem listed by the file's row and column.
pub async fn import(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = current(request, ctx).await?;
    // Accounts that may not edit anything are refused outright; row-by-row rights follow.
    session.allow(Action::Edit, session.staff.association)?;
    let imported = match request.query("kind").as_deref() {
        Some("partners") => import_partners(request, ctx, &session).await?,
        Some("benefits") => import_benefits(request, ctx, &session).await?,
        _ => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "kind",
                "invalid_value",
                "请指明导入合作单位（partners）还是福利（benefits）",
                "Say whether the file holds partners or benefits",
            )]));
        }
    };
    Ok(ApiResponse::json(200, serde_json::to_string(&imported)?))
}

/// Partners from the CSV body, as drafts.
async fn import_partners(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    session: &Session,
) -> Result<Imported, ApiError> {
    let (partners, lines) = guanai_core::import::partners_with_lines(&request.body)?;
    let mut errors: Vec<FieldError> =
        validate::catalogue(&alone(partners.clone(), vec![], ctx.now_ms))
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|error| lines.as_row(error))
            .collect();
    let mut drafts = Vec::new();
    for (i, partner) in partners.into_iter().enumerate() {
        let existing: Option<DraftPartner> = read_json(ctx.kv, &partner_key(&partner.id)).await?;
        let association = existing
            .as_ref()
            .and_then(|d| d.association)
            .or_else(|| owner_of(&partner));
        let allowed = existing
            .as_ref()
            .is_none_or(|d| session.allow(Action::Edit, d.association).is_ok())
            && session.allow(Action::Edit, association).is_ok();
        if !allowed {
            errors.push(FieldError::new(
                format!("rows[{}].id", lines.line(i).unwrap_or(i + 2)),
                "forbidden",
                "无权修改此合作单位",
                "You may not edit this partner",
            ));
        }
        drafts.push(DraftPartner {
            partner,
            association,
            archived: false,
            updated_by: session.username().to_string(),
            updated_at_ms: ctx.now_ms,
        });
    }
    let writes: Vec<(String, &DraftPartner)> = drafts
        .iter()
        .map(|draft| (partner_key(&draft.partner.id), draft))
        .collect();
    store_import(request, ctx, session, errors, "partners", writes).await?;
    Ok(Imported {
        partners: drafts.len(),
        benefits: 0,
    })
}

/// Stores an import's drafts under their keys, audited as `<kind>_imported` — unless `errors`
/// holds anything, when nothing is written and every error is answered.
async fn store_import(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    session: &Session,
    errors: Vec<FieldError>,
    kind: &str,
    drafts: Vec<(String, &impl Serialize)>,
) -> Result<(), ApiError> {
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let count = format!("{} {kind}", drafts.len());
    let action = format!("{kind}_imported");
    audit(request, ctx, session.username(), &action, &count).await?;
    for (key, draft) in drafts {
        write_json(ctx.kv, &key, draft, PutOptions::default()).await?;
    }
    Ok(())
}

/// The draft partners `benefits` belong to, and an error for each row whose partner is unknown
/// or not the staff member's to edit.
async fn partners_of(
    kv: &impl Kv,
    session: &Session,
    benefits: &[Benefit],
) -> Result<(Vec<Partner>, Vec<FieldError>), ApiError> {
    let mut errors = Vec::new();
    let mut partners: Vec<DraftPartner> = Vec::new();
    for (i, benefit) in benefits.iter().enumerate() {
        let row = format!("rows[{}].partner", i + 2);
        let known = match partners.iter().find(|p| p.partner.id == benefit.partner) {
            Some(partner) => Some(partner.association),
            None => {
                let found: Option<DraftPartner> =
                    read_json(kv, &partner_key(&benefit.partner)).await?;
                let association = found.as_ref().map(|p| p.association);
                partners.extend(found);
                association
            }
        };
        match known {
            None => errors.push(FieldError::new(
                row,
                "unknown_partner",
                "请先添加该合作单位",
                "Add the partner first",
            )),
            Some(association) if session.allow(Action::Edit, association).is_err() => {
                errors.push(FieldError::new(
                    row,
                    "forbidden",
                    "无权修改此合作单位的福利",
                    "You may not edit this partner's benefits",
                ))
            }
            Some(_) => {}
        }
    }
    Ok((partners.into_iter().map(|p| p.partner).collect(), errors))
}

/// Benefits from the CSV body, as drafts.
async fn import_benefits(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    session: &Session,
) -> Result<Imported, ApiError> {
    let benefits = guanai_core::import::benefits(&request.body)?;
    let (known, mut errors) = partners_of(ctx.kv, session, &benefits).await?;
    if errors.is_empty() {
        errors.extend(
            validate::catalogue(&alone(known, benefits.clone(), ctx.now_ms))
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(guanai_core::import::benefit_as_row),
        );
    }
    let drafts: Vec<DraftBenefit> = benefits
        .iter()
        .map(|benefit| DraftBenefit {
            benefit: benefit.clone(),
            archived: false,
            updated_by: session.username().to_string(),
            updated_at_ms: ctx.now_ms,
        })
        .collect();
    let writes = drafts
        .iter()
        .map(|draft| (benefit_key(&draft.benefit.id), draft))
        .collect();
    store_import(request, ctx, session, errors, "benefits", writes).await?;
    Ok(Imported {
        partners: 0,
        benefits: benefits.len(),
    })
}
