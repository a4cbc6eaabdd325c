//! `/v1/me`: a social worker's own sign-up, opened with the secret of their private link
//! (`Authorization: Bearer <secret>`; the link carries it in its fragment, which no server
//! sees). PIPL Art. 44–47 as routes: see everything stored (and download it), correct it,
//! withdraw the health or a partner consent, delete everything.
//!
//! Every request spends a rate-limit slot before the secret is looked at, so guessing costs
//! as much as it can; a wrong, replaced or deleted secret is one 401, whatever the reason.
//! Each action is audited as the person's own (`actor: self`), without an address.

use guanai_core::i18n::ErrorCode;
use guanai_core::own_data::{self, Corrector};
use guanai_core::signup::SignupForm;
use guanai_core::validate::FieldError;
use guanai_core::wire::{PersonalData, Withdrawal};

use crate::admin::records::audit_self;
use crate::context::Context;
use crate::crypto;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::read_json;
use crate::limits::RateLimiter;
use crate::signups::record::{self, Locator, SignupRecord, link_key};
use crate::store::Kv;

/// The sign-up a valid secret opens, decrypted.
struct Holder {
    record: SignupRecord,
    personal: PersonalData,
}

/// `/v1/me`: GET the stored data, PUT a correction, DELETE everything.
pub async fn own(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    if !matches!(request.method.as_str(), "GET" | "PUT" | "DELETE") {
        return Err(ApiError::method_not_allowed("GET, PUT, DELETE"));
    }
    let Holder {
        mut record,
        personal,
    } = holder(request, ctx).await?;
    let reference = record.reference.clone();
    match request.method.as_str() {
        "PUT" => {
            let form: SignupForm = request.json()?;
            let valid = own_data::correct(
                &form,
                record.association,
                &record.consent,
                Corrector::Person,
            )?;
            audit_self(ctx, "self_corrected", &reference).await?;
            let personal = record::correct(ctx, &mut record, &personal, &valid).await?;
            view(ctx, &record, personal)
        }
        "DELETE" => {
            audit_self(ctx, "self_deleted", &reference).await?;
            record::erase(ctx, &record, &personal).await?;
            Ok(ApiResponse::empty(204).with_header("cache-control", "no-store"))
        }
        _ => {
            audit_self(ctx, "self_viewed", &reference).await?;
            view(ctx, &record, personal)
        }
    }
}

/// `POST /v1/me/withdraw` `{consent: "health"}` or `{consent: "partner", partner}`.
pub async fn withdraw(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let Holder {
        mut record,
        mut personal,
    } = holder(request, ctx).await?;
    let withdrawal: Withdrawal = request.json()?;
    let action = match &withdrawal {
        Withdrawal::Health => {
            personal.health_consent = false;
            personal.interests = own_data::without_health(&personal.interests);
            "self_withdrew_health".to_string()
        }
        Withdrawal::Partner { partner } => {
            if !record.consent.partners.contains(partner) {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "partner",
                    "not_consented",
                    "您没有同意向该合作单位提供信息。",
                    "You have not consented to sharing with this partner.",
                )]));
            }
            record.consent.partners.retain(|id| id != partner);
            format!("self_withdrew_partner:{partner}")
        }
    };
    audit_self(ctx, &action, &record.reference).await?;
    record::save(ctx, &mut record, &personal).await?;
    view(ctx, &record, personal)
}

/// The 200 with everything stored, never cached.
fn view(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    record: &SignupRecord,
    personal: PersonalData,
) -> Result<ApiResponse, ApiError> {
    let body = serde_json::to_string(&record.own_view(personal, ctx.config.plan_ends))?;
    Ok(ApiResponse::json(200, body).with_header("cache-control", "no-store"))
}

/// Spends a rate-limit slot, then opens the sign-up of the request's secret.
async fn holder(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<Holder, ApiError> {
    let client = request.header("cf-connecting-ip").unwrap_or("unknown");
    if !ctx.limiter.allow(&format!("me:{client}")).await {
        return Err(ApiError::Refused(ErrorCode::RateLimited));
    }
    let invalid = || ApiError::Refused(ErrorCode::InvalidLink);
    let secret = request
        .header("authorization")
        .and_then(|value| value.trim().strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|secret| crypto::is_secret(secret))
        .ok_or_else(invalid)?;
    let secrets = ctx.secrets()?;
    let hash = crypto::secret_hash(&secrets.mobile_hash, secret);
    let locator: Locator = read_json(ctx.kv, &link_key(&hash))
        .await?
        .ok_or_else(invalid)?;
    let record = record::load(ctx.kv, &locator.key())
        .await?
        .filter(|record| record.secret_hash == hash)
        .ok_or_else(invalid)?;
    let personal = record.open(&secrets)?;
    Ok(Holder { record, personal })
}
