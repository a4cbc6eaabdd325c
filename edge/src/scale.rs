//! The programme at full size, generated: 50,000 sign-ups sealed like real ones, 10,000 benefit
//! and 2,000 partner drafts with their published snapshot, and 100,000 audit events.
//!
//! The native test that holds every route to Workers KV's 1,000 operations loads it into
//! `MemoryKv` (`scale_tests`); `cargo xtask bench scale` writes it as a `wrangler kv bulk put`
//! file for local KV. Deterministic: the same size gives the same keys on every machine.
//! Left out: the stored replay answers of sign-ups (`idempotency:`), which no admin route
//! reads, and the retention expirations.

use guanai_core::wire::{ConsentRecord, Status};
use guanai_core::{Catalogue, synthetic};

use crate::admin::catalog::{DraftBenefit, DraftPartner, benefit_key, owner_of, partner_key};
use crate::admin::insight::{ARRIVAL_SECONDS, Arrival, arrival_key};
use crate::admin::records::{Event, event_entry};
use crate::catalog::publish_entries;
use crate::crypto;
use crate::error::ApiError;
use crate::secrets::Secrets;
use crate::signups::{SignupRecord, link_key, mobile_key};

/// How big a generated programme is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub signups: usize,
    pub benefits: usize,
    pub partners: usize,
    pub audit_events: usize,
}

/// The Jing-Jin-Ji programme as it grows: what every route must hold at.
pub const PROGRAMME: Scale = Scale {
    signups: 50_000,
    benefits: 10_000,
    partners: 2_000,
    audit_events: 100_000,
};

/// One key to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub metadata: Option<serde_json::Value>,
}

impl Entry {
    fn json(
        key: String,
        value: &impl serde::Serialize,
        metadata: Option<serde_json::Value>,
    ) -> Result<Entry, ApiError> {
        Ok(Entry {
            key,
            value: serde_json::to_string(value)?,
            metadata,
        })
    }
}

/// The catalogue of a programme of `scale`.
pub fn catalogue(scale: &Scale) -> Catalogue {
    synthetic::catalogue_of(scale.benefits, scale.partners)
}

/// Every key of a programme of `scale` at `now_ms`, handed to `put` one by one (a few hundred
/// thousand: not collected).
pub fn generate(
    scale: &Scale,
    secrets: &Secrets,
    now_ms: u64,
    mut put: impl FnMut(Entry),
) -> Result<(), ApiError> {
    let catalogue = catalogue(scale);
    for entry in publish_entries(&catalogue)? {
        let metadata = serde_json::to_value(&entry.metadata)?;
        put(Entry {
            key: entry.key,
            value: entry.value,
            metadata: Some(metadata),
        });
    }
    for partner in &catalogue.partners {
        let draft = DraftPartner {
            association: owner_of(partner),
            partner: partner.clone(),
            archived: false,
            updated_by: "plan.admin".into(),
            updated_at_ms: now_ms,
        };
        put(Entry::json(partner_key(&partner.id), &draft, None)?);
    }
    for benefit in &catalogue.benefits {
        let draft = DraftBenefit {
            benefit: benefit.clone(),
            archived: false,
            updated_by: "plan.admin".into(),
            updated_at_ms: now_ms,
        };
        put(Entry::json(benefit_key(&benefit.id), &draft, None)?);
    }
    for (i, signup) in synthetic::signups(scale.signups, scale.partners, now_ms).enumerate() {
        for entry in signup_entries(i, signup, secrets, now_ms)? {
            put(entry);
        }
    }
    for i in 0..scale.audit_events {
        let event = Event {
            at_ms: now_ms.saturating_sub(i as u64 * 60_000),
            actor: ["bj.admin", "tj.admin", "plan.admin"][i % 3].into(),
            action: ["signup_viewed", "signup_verified", "benefit_saved"][i % 3].into(),
            target: format!("GA-SCALE-{i:06}"),
            reason: String::new(),
            ip: "198.51.100.7".into(),
        };
        let (key, options) = event_entry(&event, &entropy(i as u64 ^ 0xA0D1))?;
        put(Entry::json(key, &event, options.metadata)?);
    }
    Ok(())
}

/// 32 bytes for the `i`-th generated thing (a nonce source, not a secret).
fn entropy(i: u64) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    for (chunk, word) in bytes.chunks_mut(8).zip(0u64..) {
        let mixed = (i ^ (word << 56)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        chunk.copy_from_slice(&mixed.to_le_bytes());
    }
    bytes
}

/// The keys one sign-up writes: its sealed record, its mobile and link indexes, and its arrival
/// key when it is recent enough still to have one.
fn signup_entries(
    i: usize,
    signup: synthetic::Signup,
    secrets: &Secrets,
    now_ms: u64,
) -> Result<Vec<Entry>, ApiError> {
    let seed = format!("scale-{i}");
    let entropy = entropy(i as u64);
    let secret = crypto::management_secret(&secrets.mobile_hash, &entropy);
    let mut record = SignupRecord {
        reference: crypto::reference("GA", &secrets.mobile_hash, &seed),
        association: signup.association,
        region: signup.region,
        level: signup.level,
        status: signup.status,
        created_at_ms: signup.created_at_ms,
        consent: ConsentRecord {
            notice_version: guanai_core::consent::NOTICE_VERSION.into(),
            privacy: true,
            cross_border: true,
            partners: signup.partners,
            given_at_ms: signup.created_at_ms,
        },
        personal: crypto::Sealed {
            v: 1,
            nonce: String::new(),
            data: String::new(),
        },
        review: None,
        answer_key: String::new(),
        secret_hash: crypto::secret_hash(&secrets.mobile_hash, &secret),
        as_created: signup.status == Status::Received,
    };
    record.seal(&signup.personal, secrets, &entropy)?;
    let mobile = mobile_key(&crypto::mobile_hash(
        &secrets.mobile_hash,
        &signup.personal.mobile,
    ));
    let meta = Some(serde_json::to_value(record.meta())?);
    let mut entries = vec![
        Entry::json(record.key(), &record, meta)?,
        Entry::json(mobile, &record.locator(), None)?,
        Entry::json(link_key(&record.secret_hash), &record.locator(), None)?,
    ];
    if now_ms.saturating_sub(record.created_at_ms) < ARRIVAL_SECONDS * 1000 {
        let arrival = Arrival {
            association: record.association,
            level: record.level,
            created_at_ms: record.created_at_ms,
        };
        entries.push(Entry::json(
            arrival_key(record.created_at_ms, &record.reference),
            &serde_json::json!({}),
            Some(serde_json::to_value(arrival)?),
        )?);
    }
    Ok(entries)
}
