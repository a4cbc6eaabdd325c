//! `POST /v1/signups`: a social worker joins the care plan.
//!
//! Key layout (ARCHITECTURE.md § Storage):
//! - `signup:<association>:<reference>` — the record; personal fields sealed (AES-256-GCM),
//!   non-personal facets (region, level, status, created_at) in clear and as metadata so the
//!   admin can page an association's sign-ups with `list({prefix})` without decrypting.
//! - `signup-mobile:<keyed hash of the mobile>` — `{reference, association}`: duplicate check.
//! - `idempotency:signups:<Idempotency-Key>` — the answer, for replays.
//!
//! The reference is derived from the keyed mobile hash, so two concurrent sign-ups with the same
//! number write the same keys: they collapse into one record instead of racing.

use guanai_core::i18n::{ErrorBody, ErrorCode};
use guanai_core::signup::{self, ContactTime, SignupForm, ValidSignup};
use guanai_core::wire::{Acknowledgement, SignupMeta, Status};
use guanai_core::{Association, QualificationLevel, ServiceArea};
use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::context::Context;
use crate::crypto::{self, Sealed};
use crate::error::ApiError;
use crate::forms::{self, Accepted, Fresh, Write};
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::read_json;
use crate::limits::RateLimiter;
use crate::store::{Kv, PutOptions};

/// What is sealed: everything that identifies the person, and everything that reveals health
/// information — the interests, and the health consent itself (it exists only with that
/// interest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalData {
    pub name: String,
    pub mobile: String,
    pub employer: String,
    pub certificate_number: String,
    pub interests: Vec<ServiceArea>,
    pub contact_time: ContactTime,
    /// Separate consent to processing health information (PIPL Art. 29), given at
    /// [`ConsentRecord::given_at_ms`] to [`ConsentRecord::notice_version`].
    pub health_consent: bool,
}

/// Consent as recorded in clear (auditable without decrypting): to which notice version, what
/// was agreed, and when. The health consent is sealed in [`PersonalData`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub notice_version: String,
    pub privacy: bool,
    pub cross_border: bool,
    /// Partners the person agreed to share their details with (PIPL Art. 23).
    pub partners: Vec<String>,
    /// Milliseconds since the Unix epoch, when the server received the consent.
    pub given_at_ms: u64,
}

/// A stored sign-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupRecord {
    pub reference: String,
    pub association: Association,
    pub region: String,
    pub level: QualificationLevel,
    /// [`Status::Received`] until staff verify the qualification (or reject it).
    pub status: Status,
    pub created_at_ms: u64,
    pub consent: ConsentRecord,
    pub personal: Sealed,
    /// The staff review of the qualification, once made (the note is for the person, so staff
    /// must be able to read it back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<StaffDecision>,
}

/// What a member of staff decided about a sign-up or an application, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDecision {
    /// One of [`guanai_core::wire::RecordKind::decisions`].
    pub decision: Status,
    pub note: String,
    /// The username of who decided.
    pub by: String,
    pub at_ms: u64,
}

/// The record key of a sign-up.
pub fn record_key(association: Association, reference: &str) -> String {
    format!("signup:{association}:{reference}")
}

#[derive(Debug, Serialize, Deserialize)]
struct MobileIndex {
    reference: String,
    association: Association,
}

/// Handles `POST /v1/signups`: [`forms::handle`] with the sign-up's accept step.
pub async fn create(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    forms::handle(request, ctx, "signups", async |fresh| {
        accept(ctx, fresh).await
    })
    .await
}

/// Validates a sign-up, refuses a mobile already registered, and seals the record. The record
/// is written before the mobile index: a crash in between leaves a findable record, never an
/// index entry pointing nowhere.
async fn accept(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    Fresh {
        submission,
        secrets,
        ..
    }: Fresh<SignupForm>,
) -> Result<Accepted, ApiError> {
    let partners = if submission.form.consents.partners.is_empty() {
        Vec::new()
    } else {
        catalog::published_partner_ids(ctx.kv).await?
    };
    let valid = signup::validate(&submission.form, |id| {
        partners.iter().any(|known| known == id)
    })?;

    let mobile_hash = crypto::mobile_hash(&secrets.mobile_hash, &valid.mobile);
    let index_key = format!("signup-mobile:{mobile_hash}");
    if let Some(existing) = read_json::<MobileIndex>(ctx.kv, &index_key).await? {
        return Ok(Accepted::Answer(already_registered(&existing.reference)?));
    }
    let reference = crypto::reference("GA", &secrets.mobile_hash, &mobile_hash);
    let key = record_key(valid.association, &reference);
    let record = seal_record(&valid, &reference, &key, &secrets.personal_data, ctx)?;
    let index = MobileIndex {
        reference: reference.clone(),
        association: valid.association,
    };
    let acknowledgement = Acknowledgement {
        reference,
        status: Status::Received,
    };
    Ok(Accepted::Store {
        writes: vec![
            Write::json(&key, &record, PutOptions::listed(&record.meta())?)?,
            Write::json(&index_key, &index, PutOptions::default())?,
        ],
        answer: ApiResponse::json(201, serde_json::to_string(&acknowledgement)?),
    })
}

impl SignupRecord {
    /// What KV keeps beside the record, for lists and the dashboard.
    pub fn meta(&self) -> SignupMeta {
        SignupMeta {
            region: self.region.clone(),
            level: self.level,
            status: self.status,
            created_at_ms: self.created_at_ms,
        }
    }
}

fn seal_record(
    valid: &ValidSignup,
    reference: &str,
    key: &str,
    personal_data_key: &[u8; 32],
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<SignupRecord, ApiError> {
    let personal = PersonalData {
        name: valid.name.clone(),
        mobile: valid.mobile.clone(),
        employer: valid.employer.clone(),
        certificate_number: valid.certificate_number.clone(),
        interests: valid.interests.clone(),
        contact_time: valid.contact_time,
        health_consent: valid.consents.health,
    };
    let sealed = crypto::seal_json(personal_data_key, &ctx.entropy, key, &personal)
        .map_err(ApiError::Storage)?;
    Ok(SignupRecord {
        reference: reference.to_string(),
        association: valid.association,
        region: valid.region.clone(),
        level: valid.level,
        status: Status::Received,
        created_at_ms: ctx.now_ms,
        consent: ConsentRecord {
            notice_version: valid.consents.notice_version.clone(),
            privacy: valid.consents.privacy,
            cross_border: valid.consents.cross_border,
            partners: valid.consents.partners.clone(),
            given_at_ms: ctx.now_ms,
        },
        personal: sealed,
        review: None,
    })
}

fn already_registered(reference: &str) -> Result<ApiResponse, ApiError> {
    let mut body = ErrorBody::new(ErrorCode::AlreadyRegistered, Vec::new());
    body.error.reference = Some(reference.to_string());
    Ok(ApiResponse::json(409, serde_json::to_string(&body)?))
}
