//! Answers to the call for partners, as the plan's staff review them: list, detail (the
//! contact person's details decrypted, audited), and the decision. Accepting creates a draft
//! partner and one draft benefit per offer, *archived*: their texts are the company's own words
//! in one language, so nothing reaches the public catalogue until a person has completed the
//! drafts (both languages, locations, how to redeem) and un-archived them.

use guanai_core::staff::Action;
use guanai_core::validate::FieldError;
use guanai_core::{Benefit, Partner, PartnerKind, ServiceArea, Text};
use serde::Deserialize;

use super::audit;
use super::catalog::{DraftBenefit, DraftPartner, benefit_key, partner_key};
use super::session::authorize;
use crate::applications::{ApplicationRecord, ContactDetails};
use crate::context::Context;
use crate::crypto;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::signups::StaffDecision;
use crate::store::Kv;

fn key(reference: &str) -> String {
    format!("application:{reference}")
}

/// The reference in `/v1/admin/applications/<reference>[/decision]`.
pub fn parse_path(path: &str) -> Option<(String, bool)> {
    let rest = path.strip_prefix("/v1/admin/applications/")?;
    let (reference, decision) = match rest.split_once('/') {
        Some((reference, "decision")) => (reference, true),
        Some(_) => return None,
        None => (rest, false),
    };
    let well_formed = !reference.is_empty()
        && reference.len() <= 64
        && reference
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    well_formed.then(|| (reference.to_string(), decision))
}

/// `GET /v1/admin/applications[?cursor]`: company, status and date of each application.
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::Read, None).await?;
    let page = ctx
        .kv
        .list("application:", request.query("cursor").as_deref(), 100)
        .await
        .map_err(ApiError::storage)?;
    let rows: Vec<serde_json::Value> = page
        .keys
        .into_iter()
        .map(|(name, metadata)| {
            let mut row = metadata.unwrap_or_default();
            row["reference"] = name.trim_start_matches("application:").into();
            row
        })
        .collect();
    let body = serde_json::json!({ "applications": rows, "cursor": page.cursor });
    Ok(ApiResponse::json(200, body.to_string()))
}

async fn load(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    reference: &str,
) -> Result<ApplicationRecord, ApiError> {
    super::read_json(ctx.kv, &key(reference))
        .await?
        .ok_or(ApiError::NotFound)
}

/// `GET /v1/admin/applications/<reference>`: with the contact person's details (plan admins;
/// audited).
pub async fn detail(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    reference: &str,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ReadPersonalData, None).await?;
    let record = load(ctx, reference).await?;
    let secrets = ctx.secrets.clone().map_err(ApiError::Storage)?;
    let contact: ContactDetails =
        crypto::open_json(&secrets.personal_data, &key(reference), &record.contact)
            .map_err(|e| ApiError::Storage(format!("application {reference}: {e}")))?;
    audit::record(
        request,
        ctx,
        &session.staff.username,
        "application_viewed",
        reference,
    )
    .await?;
    let mut body = serde_json::to_value(&record).map_err(|e| ApiError::Storage(e.to_string()))?;
    body["contact"] =
        serde_json::to_value(&contact).map_err(|e| ApiError::Storage(e.to_string()))?;
    Ok(ApiResponse::json(200, body.to_string()))
}

#[derive(Deserialize)]
struct Decision {
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /v1/admin/applications/<reference>/decision` `{decision: accepted|declined, note}`
/// (plan admins). Accepting creates the archived drafts described above.
pub async fn decide(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    reference: &str,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Publish, None).await?;
    let decision: Decision =
        serde_json::from_str(&request.body).map_err(|_| ApiError::BadRequest)?;
    if !matches!(decision.decision.as_str(), "accepted" | "declined") {
        return Err(ApiError::Validation(vec![FieldError::new(
            "decision",
            "invalid_decision",
            "请选择接受或婉拒",
            "Choose accepted or declined",
        )]));
    }
    let record = load(ctx, reference).await?;
    let partner_id = format!("pa-{}", reference.to_ascii_lowercase());
    if decision.decision == "accepted" {
        let draft = |zh: &str| Text::new(zh, zh);
        let partner = Partner {
            id: partner_id.clone(),
            name: draft(&record.company),
            kind: PartnerKind::Other,
            locations: Vec::new(),
            contact: Default::default(),
            awards: Vec::new(),
        };
        for (i, offer) in record.offers.iter().enumerate() {
            let title: String = offer.description.chars().take(30).collect();
            let benefit = Benefit {
                id: format!("{partner_id}-{}", i + 1),
                partner: partner_id.clone(),
                area: offer.area.unwrap_or(ServiceArea::Life),
                title: draft(&title),
                description: draft(&offer.description),
                regions: offer.regions.clone(),
                eligible_levels: Vec::new(),
                valid_from: None,
                valid_until: None,
                how_to_redeem: Text::new("请联系合作单位。", "Contact the partner."),
            };
            let key = benefit_key(&benefit.id);
            let draft = DraftBenefit {
                benefit,
                archived: true,
                updated_by: session.staff.username.clone(),
                updated_at_ms: ctx.now_ms,
            };
            super::write_json(ctx.kv, &key, &draft, None).await?;
        }
        let draft = DraftPartner {
            partner,
            association: None,
            archived: true,
            updated_by: session.staff.username.clone(),
            updated_at_ms: ctx.now_ms,
        };
        super::write_json(ctx.kv, &partner_key(&partner_id), &draft, None).await?;
    }
    audit::record(
        request,
        ctx,
        &session.staff.username,
        &format!("application_{}", decision.decision),
        reference,
    )
    .await?;
    let mut record = record;
    record.status = decision.decision.clone();
    record.decision = Some(StaffDecision {
        decision: decision.decision.clone(),
        note: decision.note.trim().to_string(),
        by: session.staff.username.clone(),
        at_ms: ctx.now_ms,
    });
    let metadata = serde_json::json!({
        "status": decision.decision, "created_at_ms": record.created_at_ms, "company": record.company,
    });
    super::write_json(ctx.kv, &key(reference), &record, Some(metadata)).await?;
    let mut body = serde_json::json!({ "reference": reference, "status": decision.decision });
    if decision.decision == "accepted" {
        body["draft_partner"] = partner_id.into();
    }
    Ok(ApiResponse::json(200, body.to_string()))
}
