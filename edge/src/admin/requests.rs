//! A person's requests, handled by staff (PIPL Art. 46–47, 50): correct a sign-up, delete it,
//! or replace a lost management link. Plan admins and the association's admins may
//! ([`Action::ActOnRequest`]); viewers may not. Each needs a reason, kept in the audit event
//! beside who acted.

use guanai_core::Association;
use guanai_core::own_data::{self, Corrector};
use guanai_core::staff::Action;
use guanai_core::wire::{LinkIssued, Reason, StaffCorrection};

use super::guard::authorize;
use super::records::audit_with_reason;
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::signups::record::{self, SignupRecord, record_key};
use crate::store::Kv;

async fn load(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    association: Association,
    reference: &str,
) -> Result<SignupRecord, ApiError> {
    record::load(ctx.kv, &record_key(association, reference))
        .await?
        .ok_or(ApiError::NotFound)
}

/// `PUT /v1/admin/signups/<association>/<reference>` `{form, reason}`: the sign-up form's
/// rules; moving to another association needs the right on both.
pub async fn correct(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    association: Association,
    reference: &str,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ActOnRequest, Some(association)).await?;
    let body: StaffCorrection = request.json()?;
    let reason = own_data::check_reason(&body.reason);
    let mut record = load(ctx, association, reference).await?;
    let valid = own_data::correct(&body.form, association, &record.consent, Corrector::Staff);
    let (valid, reason) = match (valid, reason) {
        (Ok(valid), Ok(reason)) => (valid, reason),
        (valid, reason) => {
            let mut errors = valid.err().unwrap_or_default();
            errors.extend(reason.err().unwrap_or_default());
            return Err(ApiError::Validation(errors));
        }
    };
    session.allow(Action::ActOnRequest, Some(valid.association))?;
    let personal = record.open(&ctx.secrets()?)?;
    let who = session.username();
    audit_with_reason(request, ctx, who, "signup_corrected", reference, &reason).await?;
    record::correct(ctx, &mut record, &personal, &valid).await?;
    let body = serde_json::json!({ "reference": reference, "association": record.association });
    Ok(ApiResponse::json(200, body.to_string()))
}

/// `DELETE /v1/admin/signups/<association>/<reference>` `{reason}`: everything of it.
pub async fn delete(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    association: Association,
    reference: &str,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ActOnRequest, Some(association)).await?;
    let reason = request.json::<Reason>()?.check()?;
    let record = load(ctx, association, reference).await?;
    let personal = record.open(&ctx.secrets()?)?;
    let who = session.username();
    audit_with_reason(request, ctx, who, "signup_deleted", reference, &reason).await?;
    record::erase(ctx, &record, &personal).await?;
    Ok(ApiResponse::empty(204))
}

/// `POST /v1/admin/signups/<association>/<reference>/link` `{reason}`: a new management link
/// for a person who lost theirs; the old one stops working.
pub async fn new_link(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    association: Association,
    reference: &str,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ActOnRequest, Some(association)).await?;
    let reason = request.json::<Reason>()?.check()?;
    let mut record = load(ctx, association, reference).await?;
    let personal = record.open(&ctx.secrets()?)?;
    let who = session.username();
    audit_with_reason(
        request,
        ctx,
        who,
        "signup_link_replaced",
        reference,
        &reason,
    )
    .await?;
    let secret = record::replace_link(ctx, &mut record, &personal).await?;
    let body = LinkIssued {
        reference: reference.to_string(),
        secret,
    };
    Ok(ApiResponse::json(200, serde_json::to_string(&body)?))
}
