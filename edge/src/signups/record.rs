//! A stored sign-up and the keys that find it, and the changes made to it after the sign-up:
//! correction, withdrawal, a new management link, deletion. Both the person (`/v1/me`) and
//! staff (`/v1/admin/signups/…`) change a sign-up through here, so the keys stay consistent
//! whoever acts.
//!
//! Keys (ARCHITECTURE.md § Storage), each written with the retention expiration:
//! - `signup:<association>:<reference>` — the record ([`SignupRecord`]), personal fields sealed;
//! - `signup-mobile:<keyed hash of the mobile>` — a [`Locator`]: the duplicate check;
//! - `signup-link:<keyed hash of the management secret>` — a [`Locator`]: the private link;
//! - `idempotency:signups:<Idempotency-Key>` — the sealed answer, for replays (7 days).

use guanai_core::own_data;
use guanai_core::signup::ValidSignup;
use guanai_core::validate::FieldError;
use guanai_core::wire::{ConsentRecord, OwnDecision, OwnSignup, PersonalData, SignupMeta, Status};
use guanai_core::{Association, QualificationLevel};
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::crypto::{self, Sealed};
use crate::error::ApiError;
use crate::kv_json::{read_json, write_json};
use crate::limits::RateLimiter;
use crate::secrets::Secrets;
use crate::store::{Kv, PutOptions};

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
    /// The KV key of the answer to the submission that created it, removed with the record.
    #[serde(default)]
    pub answer_key: String,
    /// Keyed hash of the current management secret ([`crypto::secret_hash`]).
    #[serde(default)]
    pub secret_hash: String,
    /// True until the record first changes. Only then may a retry of the submission that
    /// created it (same `Idempotency-Key`, answer never remembered: a crash in between) get a
    /// fresh acknowledgement; after a correction, a new link or a review it may not.
    #[serde(default)]
    pub as_created: bool,
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

/// Where a sign-up is: what the mobile and link indexes hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locator {
    pub reference: String,
    pub association: Association,
}

impl Locator {
    pub fn key(&self) -> String {
        record_key(self.association, &self.reference)
    }
}

/// The record key of a sign-up.
pub fn record_key(association: Association, reference: &str) -> String {
    format!("signup:{association}:{reference}")
}

/// The duplicate-check key of a mobile number's keyed hash.
pub fn mobile_key(mobile_hash: &str) -> String {
    format!("signup-mobile:{mobile_hash}")
}

/// The key a management secret's keyed hash finds its sign-up by.
pub fn link_key(secret_hash: &str) -> String {
    format!("signup-link:{secret_hash}")
}

impl SignupRecord {
    /// Whether the submission with `idempotency_key` stored this record and it is unchanged
    /// since ([`SignupRecord::as_created`]): a retry of it after a crash is acknowledged again.
    pub fn stored_by(&self, idempotency_key: &str) -> bool {
        self.as_created && self.answer_key == idempotency_key
    }

    /// What KV keeps beside the record, for lists and the dashboard.
    pub fn meta(&self) -> SignupMeta {
        SignupMeta {
            region: self.region.clone(),
            level: self.level,
            status: self.status,
            created_at_ms: self.created_at_ms,
        }
    }

    pub fn key(&self) -> String {
        record_key(self.association, &self.reference)
    }

    pub fn locator(&self) -> Locator {
        Locator {
            reference: self.reference.clone(),
            association: self.association,
        }
    }

    /// The personal data, decrypted.
    pub fn open(&self, secrets: &Secrets) -> Result<PersonalData, ApiError> {
        crypto::open_json(&secrets.personal_data, &self.key(), &self.personal)
            .map_err(|e| ApiError::Storage(format!("sign-up {}: {e}", self.reference)))
    }

    /// Seals `personal` into the record (under its current key, with a fresh nonce).
    pub fn seal(
        &mut self,
        personal: &PersonalData,
        secrets: &Secrets,
        entropy: &[u8; 32],
    ) -> Result<(), ApiError> {
        self.personal = crypto::seal_json(&secrets.personal_data, entropy, &self.key(), personal)
            .map_err(ApiError::Storage)?;
        Ok(())
    }

    /// What the holder of the management link sees: everything stored, decrypted.
    pub fn own_view(&self, personal: PersonalData, plan_ends: chrono::NaiveDate) -> OwnSignup {
        OwnSignup {
            reference: self.reference.clone(),
            association: self.association,
            region: self.region.clone(),
            level: self.level,
            status: self.status,
            created_at_ms: self.created_at_ms,
            consent: self.consent.clone(),
            personal,
            decision: self.review.as_ref().map(|review| OwnDecision {
                status: review.decision,
                note: review.note.clone(),
                at_ms: review.at_ms,
            }),
            kept_until: guanai_core::time::iso_date(own_data::kept_until(plan_ends)),
        }
    }
}

/// The personal data of a valid sign-up (or correction).
pub fn personal_data(valid: &ValidSignup) -> PersonalData {
    PersonalData {
        name: valid.name.clone(),
        mobile: valid.mobile.clone(),
        employer: valid.employer.clone(),
        certificate_number: valid.certificate_number.clone(),
        interests: valid.interests.clone(),
        contact_time: valid.contact_time,
        health_consent: valid.consents.health,
    }
}

/// The options every sign-up key is written with: KV deletes it at the end of retention.
pub fn retained(ctx: &Context<'_, impl Kv, impl RateLimiter>, options: PutOptions) -> PutOptions {
    options.until(ctx.config.retention_expiration(ctx.now_ms))
}

/// Loads the record `locator` points to.
pub async fn load(kv: &impl Kv, key: &str) -> Result<Option<SignupRecord>, ApiError> {
    read_json(kv, key).await
}

/// Writes `record` (re-sealed with `personal`) as changed: with its listing metadata and the
/// retention expiration, and no longer [`SignupRecord::as_created`].
pub async fn save(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    record: &mut SignupRecord,
    personal: &PersonalData,
) -> Result<(), ApiError> {
    let secrets = ctx.secrets()?;
    record.seal(personal, &secrets, &ctx.entropy)?;
    record.as_created = false;
    let options = retained(ctx, PutOptions::listed(&record.meta())?);
    write_json(ctx.kv, &record.key(), record, options).await
}

/// Applies a correction that passed the sign-up rules. A new mobile number gets its own
/// duplicate index (refused if it is another sign-up's) and frees the old one, so a later
/// sign-up with the old number makes a new record instead of touching this one; a new
/// association (staff only) moves the record to its new key. The reference stays: it is
/// random, not derived from the number.
pub async fn correct(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    record: &mut SignupRecord,
    before: &PersonalData,
    valid: &ValidSignup,
) -> Result<PersonalData, ApiError> {
    let secrets = ctx.secrets()?;
    let old_key = record.key();
    let old_mobile = mobile_key(&crypto::mobile_hash(&secrets.mobile_hash, &before.mobile));
    let new_mobile = mobile_key(&crypto::mobile_hash(&secrets.mobile_hash, &valid.mobile));
    if new_mobile != old_mobile && ctx.kv.get(&new_mobile).await?.is_some() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "mobile",
            "already_registered",
            "该手机号已用于另一份登记。",
            "This mobile number is already used by another sign-up.",
        )]));
    }
    let moved = valid.association != record.association;
    record.association = valid.association;
    record.region = valid.region.clone();
    record.level = valid.level;
    let personal = personal_data(valid);
    // Indexes first: a crash before the record is written leaves them pointing at it.
    let locator = retained(ctx, PutOptions::default());
    if moved || new_mobile != old_mobile {
        write_json(ctx.kv, &new_mobile, &record.locator(), locator.clone()).await?;
    }
    if moved {
        write_json(
            ctx.kv,
            &link_key(&record.secret_hash),
            &record.locator(),
            locator,
        )
        .await?;
    }
    save(ctx, record, &personal).await?;
    if moved {
        ctx.kv.delete(&old_key).await?;
    }
    if new_mobile != old_mobile {
        ctx.kv.delete(&old_mobile).await?;
    }
    Ok(personal)
}

/// Replaces the management secret: the old link stops working at once, and the stored answer
/// that held it is removed. Returns the new secret (shown once).
pub async fn replace_link(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    record: &mut SignupRecord,
    personal: &PersonalData,
) -> Result<String, ApiError> {
    let secrets = ctx.secrets()?;
    let secret = crypto::management_secret(&secrets.mobile_hash, &ctx.entropy);
    let old_link = link_key(&record.secret_hash);
    record.secret_hash = crypto::secret_hash(&secrets.mobile_hash, &secret);
    let options = retained(ctx, PutOptions::default());
    write_json(
        ctx.kv,
        &link_key(&record.secret_hash),
        &record.locator(),
        options,
    )
    .await?;
    save(ctx, record, personal).await?;
    ctx.kv.delete(&old_link).await?;
    if !record.answer_key.is_empty() {
        ctx.kv.delete(&record.answer_key).await?;
    }
    Ok(secret)
}

/// Deletes everything of a sign-up: the record, its mobile index, its link index and the
/// stored answer. The same number can then sign up afresh.
pub async fn erase(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    record: &SignupRecord,
    personal: &PersonalData,
) -> Result<(), ApiError> {
    let secrets = ctx.secrets()?;
    let mobile = mobile_key(&crypto::mobile_hash(&secrets.mobile_hash, &personal.mobile));
    // The link last: until it is gone, a retry after a crash finds what is left through it.
    let keys = [
        record.answer_key.clone(),
        mobile,
        crate::admin::insight::arrival_key(record.created_at_ms, &record.reference),
        record.key(),
        link_key(&record.secret_hash),
    ];
    for key in keys.iter().filter(|key| !key.is_empty()) {
        ctx.kv.delete(key).await?;
    }
    Ok(())
}
