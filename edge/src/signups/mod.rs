//! `POST /v1/signups`: a social worker joins the care plan, and gets the private link that
//! manages the sign-up afterwards ([`crate::me`]).
//!
//! The reference is drawn from the submission's `Idempotency-Key` (under a server key), not
//! from the mobile number: a retry lands on the same keys, and nothing that outlives a deleted
//! sign-up (an audit event naming its reference) is derived from the person's number. The
//! record is written before its indexes: a crash in between leaves a findable record, never an
//! index pointing nowhere.

pub mod record;

use guanai_core::i18n::{ErrorBody, ErrorCode};
use guanai_core::signup::{self, SignupForm, ValidSignup};
use guanai_core::wire::{Acknowledgement, ConsentRecord, Status};

use crate::catalog;
use crate::context::Context;
use crate::crypto;
use crate::error::ApiError;
use crate::forms::{self, Accepted, Fresh, Write};
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::read_json;
use crate::limits::RateLimiter;
use crate::secrets::Secrets;
use crate::store::{Kv, PutOptions};
pub use record::{Locator, SignupRecord, StaffDecision, link_key, mobile_key, record_key};
use record::{personal_data, retained};

/// How many references a sign-up tries before giving up: one is taken by another sign-up
/// about once in 20 million at 50,000 sign-ups.
const REFERENCE_TRIES: usize = 4;

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

/// Validates a sign-up, refuses a mobile already registered (saying nothing about the sign-up
/// that has it), and seals the record.
async fn accept(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    fresh: Fresh<SignupForm>,
) -> Result<Accepted, ApiError> {
    let form = &fresh.submission.form;
    let partners = if form.consents.partners.is_empty() {
        Vec::new()
    } else {
        catalog::published_partner_ids(ctx.kv).await?
    };
    let valid = signup::validate(form, |id| partners.iter().any(|known| known == id))?;
    let secrets = &fresh.secrets;
    let mobile_hash = crypto::mobile_hash(&secrets.mobile_hash, &valid.mobile);
    let index_key = mobile_key(&mobile_hash);
    let record = match read_json::<Locator>(ctx.kv, &index_key).await? {
        Some(found) => match record::load(ctx.kv, &found.key()).await? {
            // This very submission, stored before a crash kept its answer from being
            // remembered: acknowledge it again.
            Some(stored) if stored.stored_by(&fresh.idempotency_key) => stored,
            _ => return Ok(Accepted::Answer(already_registered()?)),
        },
        None => new_record(ctx, &fresh, &valid).await?,
    };
    acknowledge(ctx, secrets, record, &index_key)
}

/// A sealed record for `valid` under a free reference.
async fn new_record(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    fresh: &Fresh<SignupForm>,
    valid: &ValidSignup,
) -> Result<SignupRecord, ApiError> {
    let secrets = &fresh.secrets;
    for attempt in 0..REFERENCE_TRIES {
        let seed = format!("{}#{attempt}", fresh.idempotency_key);
        let reference = crypto::reference("GA", &secrets.mobile_hash, &seed);
        let key = record_key(valid.association, &reference);
        match record::load(ctx.kv, &key).await? {
            // Stored by this submission before a crash, before its index was written.
            Some(stored) if stored.stored_by(&fresh.idempotency_key) => {}
            Some(_) => continue,
            None => {}
        }
        let mut record = SignupRecord {
            reference,
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
            personal: crypto::Sealed {
                v: 1,
                nonce: String::new(),
                data: String::new(),
            },
            review: None,
            answer_key: fresh.idempotency_key.clone(),
            secret_hash: String::new(),
            as_created: true,
        };
        record.seal(&personal_data(valid), secrets, &ctx.entropy)?;
        return Ok(record);
    }
    Err(ApiError::Storage("no free sign-up reference".into()))
}

/// The writes that store `record` with a fresh management secret (replacing one that never
/// reached the person), and the 201 that shows it.
fn acknowledge(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    secrets: &Secrets,
    mut record: SignupRecord,
    index_key: &str,
) -> Result<Accepted, ApiError> {
    let secret = crypto::management_secret(&secrets.mobile_hash, &ctx.entropy);
    let stale_link = (!record.secret_hash.is_empty()).then(|| link_key(&record.secret_hash));
    record.secret_hash = crypto::secret_hash(&secrets.mobile_hash, &secret);
    let locator = record.locator();
    let mut writes = vec![
        Write::json(
            &record.key(),
            &record,
            retained(ctx, PutOptions::listed(&record.meta())?),
        )?,
        Write::json(index_key, &locator, retained(ctx, PutOptions::default()))?,
        Write::json(
            &link_key(&record.secret_hash),
            &locator,
            retained(ctx, PutOptions::default()),
        )?,
    ];
    // Counted by the dashboard at once, before the next rollup (see `admin::insight`).
    let arrival = crate::admin::insight::Arrival {
        association: record.association,
        level: record.level,
        created_at_ms: record.created_at_ms,
    };
    writes.push(Write::json(
        &crate::admin::insight::arrival_key(record.created_at_ms, &record.reference),
        &serde_json::json!({}),
        PutOptions {
            metadata: Some(serde_json::to_value(arrival)?),
            expiration_ttl: Some(crate::admin::insight::ARRIVAL_SECONDS),
            expiration: None,
        },
    )?);
    writes.extend(stale_link.map(Write::delete));
    let acknowledgement = Acknowledgement {
        reference: record.reference,
        status: Status::Received,
        secret: Some(secret),
    };
    Ok(Accepted::Store {
        writes,
        answer: ApiResponse::json(201, serde_json::to_string(&acknowledgement)?),
    })
}

/// The answer to a number already registered: no reference, no data — only where to turn.
/// (That the number is registered stays inferable; each probe costs a proof of work and a
/// rate-limit slot.)
fn already_registered() -> Result<ApiResponse, ApiError> {
    let body = ErrorBody::new(ErrorCode::AlreadyRegistered, Vec::new());
    Ok(ApiResponse::json(409, serde_json::to_string(&body)?))
}
