//! Answers to the call for partners, as the plan's staff review them: list, detail (the
//! contact person's details decrypted, audited), and the decision. Accepting creates the
//! archived drafts [`AcceptedDrafts`] describes.

use guanai_core::application::AcceptedDrafts;
use guanai_core::staff::Action;
use guanai_core::wire::{
    ApplicationMeta, ApplicationRow, Decided, DecisionBody, RecordKind, Status,
};

use super::catalog::{benefit_key, partner_key};
use super::guard::authorize;
use super::records::audit;
use crate::applications::{ApplicationRecord, ContactDetails, record_key};
use crate::context::Context;
use crate::crypto;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::{read_json, write_json};
use crate::limits::RateLimiter;
use crate::signups::StaffDecision;
use crate::store::{Kv, PutOptions};

/// `GET /v1/admin/applications[?cursor]`: company, status and date of each application.
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    authorize(request, ctx, Action::Read, None).await?;
    let cursor = request.query("cursor");
    let page = ctx.kv.list("application:", cursor.as_deref(), 100).await?;
    let rows: Vec<ApplicationRow> = page
        .keys
        .into_iter()
        .filter_map(|(name, metadata)| {
            let meta: ApplicationMeta = serde_json::from_value(metadata?).ok()?;
            Some(ApplicationRow {
                reference: name.trim_start_matches("application:").to_string(),
                status: meta.status,
                created_at_ms: meta.created_at_ms,
                company: meta.company,
            })
        })
        .collect();
    let body = serde_json::json!({ "applications": rows, "cursor": page.cursor });
    Ok(ApiResponse::json(200, body.to_string()))
}

async fn load(kv: &impl Kv, reference: &str) -> Result<ApplicationRecord, ApiError> {
    read_json(kv, &record_key(reference))
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
    let record = load(ctx.kv, reference).await?;
    let secrets = ctx.secrets()?;
    let contact: ContactDetails = crypto::open_json(
        &secrets.personal_data,
        &record_key(reference),
        &record.contact,
    )
    .map_err(|e| ApiError::Storage(format!("application {reference}: {e}")))?;
    audit(
        request,
        ctx,
        session.username(),
        "application_viewed",
        reference,
    )
    .await?;
    let mut body = serde_json::to_value(&record)?;
    body["contact"] = serde_json::to_value(&contact)?;
    Ok(ApiResponse::json(200, body.to_string()))
}

/// `POST /v1/admin/applications/<reference>/decision` `{decision: accepted|declined, note}`
/// (plan admins; a decline needs a note, as a rejection does). Accepting creates the archived
/// drafts.
pub async fn decide(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    reference: &str,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Publish, None).await?;
    let body: DecisionBody = request.json()?;
    let (decision, note) = body.check(RecordKind::Application)?;
    let mut record = load(ctx.kv, reference).await?;
    let mut draft_partner = None;
    if decision == Status::Accepted {
        let drafts = AcceptedDrafts::new(
            reference,
            &record.company,
            &record.offers,
            session.username(),
            ctx.now_ms,
        );
        for draft in &drafts.benefits {
            let key = benefit_key(&draft.benefit.id);
            write_json(ctx.kv, &key, draft, PutOptions::default()).await?;
        }
        let key = partner_key(&drafts.partner.partner.id);
        write_json(ctx.kv, &key, &drafts.partner, PutOptions::default()).await?;
        draft_partner = Some(drafts.partner.partner.id);
    }
    let action = format!("application_{decision}");
    audit(request, ctx, session.username(), &action, reference).await?;
    record.status = decision;
    record.decision = Some(StaffDecision {
        decision,
        note,
        by: session.username().to_string(),
        at_ms: ctx.now_ms,
    });
    let options =
        PutOptions::listed(&record.meta())?.until(ctx.config.retention_expiration(ctx.now_ms));
    write_json(ctx.kv, &record_key(reference), &record, options).await?;
    let answer = Decided {
        reference: reference.to_string(),
        status: decision,
        draft_partner,
    };
    Ok(ApiResponse::json(200, serde_json::to_string(&answer)?))
}
