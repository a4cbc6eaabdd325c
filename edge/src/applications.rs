//! `POST /v1/partner-applications`: a company answers the open call for partners.
//!
//! Stored under `application:<reference>` for review in the admin view; the contact person's
//! details are sealed, the company's public facts are not. The reference is derived from the
//! `Idempotency-Key`, so a retried submission lands on the same key.

use guanai_core::application::{self, OfferedBenefit, PartnerApplication};
use guanai_core::consent::ApplicationConsents;
use guanai_core::wire::{Acknowledgement, ApplicationMeta, Status};
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::crypto::{self, Sealed};
use crate::error::ApiError;
use crate::forms::{self, Accepted, Fresh, Write};
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::signups::StaffDecision;
use crate::store::{Kv, PutOptions};

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
    /// [`Status::Received`], then accepted or declined by staff.
    pub status: Status,
    pub created_at_ms: u64,
    pub consents: ApplicationConsents,
    pub contact: Sealed,
    /// The staff decision, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<StaffDecision>,
}

/// Handles `POST /v1/partner-applications`: [`forms::handle`] with the application's accept
/// step.
pub async fn create(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    forms::handle(request, ctx, "applications", async |fresh| {
        accept(ctx, fresh)
    })
    .await
}

/// The record key of application `reference`.
pub fn record_key(reference: &str) -> String {
    format!("application:{reference}")
}

/// Validates an application and seals the contact person's details.
fn accept(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    Fresh {
        submission,
        secrets,
        idempotency_key,
    }: Fresh<PartnerApplication>,
) -> Result<Accepted, ApiError> {
    let valid = application::validate(&submission.form)?;
    let reference = crypto::reference("PA", &secrets.mobile_hash, &idempotency_key);
    let key = record_key(&reference);
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
        status: Status::Received,
        created_at_ms: ctx.now_ms,
        consents: valid.consents,
        contact: crypto::seal_json(&secrets.personal_data, &ctx.entropy, &key, &contact)
            .map_err(ApiError::Storage)?,
        decision: None,
    };
    let acknowledgement = Acknowledgement {
        reference,
        status: Status::Received,
        secret: None,
    };
    Ok(Accepted::Store {
        writes: vec![Write::json(
            &key,
            &record,
            PutOptions::listed(&record.meta())?.until(ctx.config.retention_expiration(ctx.now_ms)),
        )?],
        answer: ApiResponse::json(201, serde_json::to_string(&acknowledgement)?),
    })
}

impl ApplicationRecord {
    /// What KV keeps beside the record, for the list.
    pub fn meta(&self) -> ApplicationMeta {
        ApplicationMeta {
            status: self.status,
            created_at_ms: self.created_at_ms,
            company: self.company.clone(),
        }
    }
}
