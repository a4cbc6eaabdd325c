//! `POST /v1/partner-applications`: a company answers the open call for partners.
//!
//! Stored under `application:<reference>` for review in the admin view; the contact person's
//! details are sealed, the company's public facts are not. The reference is derived from the
//! `Idempotency-Key`, so a retried submission lands on the same key.

use guanai_core::application::{self, OfferedBenefit, PartnerApplication};
use guanai_core::consent::ApplicationConsents;
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::crypto::{self, Sealed};
use crate::error::ApiError;
use crate::forms::{self, Admission};
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::signups::StaffDecision;
use crate::store::Kv;

/// The contact person's details, sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetails {
    pub contact_person: String,
    pub mobile: String,
    pub email: String,
    pub message: String,
}

/// A stored application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRecord {
    pub reference: String,
    pub company: String,
    pub credit_code: String,
    pub offers: Vec<OfferedBenefit>,
    /// `received`, then `accepted` or `declined` by staff.
    pub status: String,
    pub created_at_ms: u64,
    pub consents: ApplicationConsents,
    pub contact: Sealed,
    /// The staff decision, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<StaffDecision>,
}

/// Handles `POST /v1/partner-applications`.
pub async fn create(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let (submission, secrets, idempotency_key) =
        match forms::admit::<PartnerApplication>(request, ctx, "applications").await? {
            Admission::Replay(response) => return Ok(response),
            Admission::Fresh {
                submission,
                secrets,
                idempotency_key,
            } => (submission, secrets, idempotency_key),
        };
    let valid = application::validate(&submission.form).map_err(ApiError::Validation)?;
    let reference = crypto::reference("PA", &secrets.mobile_hash, &idempotency_key);
    let key = format!("application:{reference}");
    let contact = ContactDetails {
        contact_person: valid.contact_person.clone(),
        mobile: valid.mobile.clone(),
        email: valid.email.clone(),
        message: valid.message.clone(),
    };
    let record = ApplicationRecord {
        reference: reference.clone(),
        company: valid.company,
        credit_code: valid.credit_code,
        offers: valid.offers,
        status: "received".into(),
        created_at_ms: ctx.now_ms,
        consents: valid.consents,
        contact: crypto::seal_json(&secrets.personal_data, &ctx.entropy, &key, &contact)
            .map_err(ApiError::Storage)?,
        decision: None,
    };
    let metadata = serde_json::json!({"status": record.status, "created_at_ms": record.created_at_ms, "company": record.company});
    forms::store_record(ctx.kv, &key, &record, metadata).await?;
    let body = serde_json::json!({"reference": reference, "status": "received"});
    forms::remember(
        ctx,
        &idempotency_key,
        ApiResponse::json(201, body.to_string()),
    )
    .await
}
