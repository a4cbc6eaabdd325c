//! `/v1/admin/origins…`: the sites each partner and association embeds the widgets on. A
//! change is effective without a publish or a deploy: the owner's key is written, then the
//! public allowlist (`crate::origins`) is rebuilt from every owner's key.

use guanai_core::Association;
use guanai_core::origin;
use guanai_core::staff::Action;
use guanai_core::validate::FieldError;
use guanai_core::wire::{OriginCheck, OriginList, OriginsChange, SiteOrigins, SiteOwner};

use super::catalog::{DraftPartner, partner_key, read_all};
use super::guard::{Session, authorize, current};
use super::records::audit;
use crate::context::Context;
use crate::cors;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::{read_json, write_json};
use crate::limits::RateLimiter;
use crate::origins::{ALLOWLIST_KEY, OWNER_PREFIX, listed};
use crate::store::{Kv, PutOptions};

fn owner_key(owner: &SiteOwner) -> String {
    format!("{OWNER_PREFIX}{}", owner.key())
}

/// `GET /v1/admin/origins`: the configured origins and every list the staff member may read.
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Read, None).await?;
    let sites = read_all::<SiteOrigins>(ctx.kv, OWNER_PREFIX)
        .await?
        .into_iter()
        .filter(|site| session.allow(Action::Read, site.association).is_ok())
        .collect();
    let answer = OriginList {
        configured: ctx.config.allowed_origins.clone(),
        sites,
    };
    Ok(ApiResponse::json(200, serde_json::to_string(&answer)?))
}

/// `PUT /v1/admin/origins/partner/<id>`: a partner's sites, by staff who may edit the partner.
pub async fn save_partner(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    id: &str,
) -> Result<ApiResponse, ApiError> {
    let session = current(request, ctx).await?;
    let partner: Option<DraftPartner> = read_json(ctx.kv, &partner_key(id)).await?;
    let Some(partner) = partner else {
        return Err(ApiError::Validation(vec![FieldError::new(
            "partner",
            "unknown_partner",
            "没有这个合作单位的草稿。",
            "There is no draft of this partner.",
        )]));
    };
    let owner = SiteOwner::Partner { id: id.to_string() };
    save(request, ctx, &session, owner, partner.association).await
}

/// `PUT /v1/admin/origins/association/<code>`: an association's own sites.
pub async fn save_association(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    association: Association,
) -> Result<ApiResponse, ApiError> {
    let session = current(request, ctx).await?;
    let owner = SiteOwner::Association { association };
    save(request, ctx, &session, owner, Some(association)).await
}

async fn save(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    session: &Session,
    owner: SiteOwner,
    association: Option<Association>,
) -> Result<ApiResponse, ApiError> {
    session.allow(Action::Edit, association)?;
    let change: OriginsChange = request.json()?;
    let origins =
        origin::normalise_all(&change.origins, "origins").map_err(ApiError::Validation)?;
    let site = SiteOrigins {
        owner,
        association,
        origins,
        updated_by: session.username().to_string(),
        updated_at_ms: ctx.now_ms,
    };
    let key = owner_key(&site.owner);
    audit(
        request,
        ctx,
        session.username(),
        "origins_saved",
        &site.owner.key(),
    )
    .await?;
    if site.origins.is_empty() {
        ctx.kv.delete(&key).await?;
    } else {
        write_json(ctx.kv, &key, &site, PutOptions::default()).await?;
    }
    rebuild(ctx.kv, Some((&key, &site))).await?;
    Ok(ApiResponse::json(200, serde_json::to_string(&site)?))
}

/// `GET /v1/admin/origins/check?origin=…`: whether a site the staff intend to embed on is
/// admitted now (the configured origins, local development's loopback, or a recorded list).
pub async fn check(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::Read, None).await?;
    let typed = request.query("origin").unwrap_or_default();
    let origin = origin::normalise(&typed, "origin").map_err(|e| ApiError::Validation(vec![e]))?;
    let recorded = listed(ctx.kv.get(ALLOWLIST_KEY).await?);
    let answer = OriginCheck {
        allowed: cors::is_allowed(&origin, ctx.config, &recorded),
        origin,
    };
    Ok(ApiResponse::json(200, serde_json::to_string(&answer)?))
}

/// Writes the public allowlist: every owner's origins, sorted, once each. `changed` is the
/// list just written (or emptied) under its key, which a listing may not show yet; `None` is
/// the Cron Trigger's repair.
pub async fn rebuild(
    kv: &impl Kv,
    changed: Option<(&str, &SiteOrigins)>,
) -> Result<Vec<String>, ApiError> {
    let mut sites = read_all::<SiteOrigins>(kv, OWNER_PREFIX).await?;
    if let Some((key, site)) = changed {
        sites.retain(|other| owner_key(&other.owner) != key);
        sites.push(site.clone());
    }
    let mut origins: Vec<String> = sites.into_iter().flat_map(|site| site.origins).collect();
    origins.sort();
    origins.dedup();
    // The scheduled rebuild writes only a list that changed: Workers Free allows 1,000 writes
    // a day, and every ten minutes would spend 144 of them.
    let unchanged = changed.is_none()
        && read_json::<Vec<String>>(kv, ALLOWLIST_KEY).await?.as_ref() == Some(&origins);
    if !unchanged {
        write_json(kv, ALLOWLIST_KEY, &origins, PutOptions::default()).await?;
    }
    Ok(origins)
}
