//! What the admin layer keeps in KV besides the catalogue and the forms' records: staff
//! accounts and the audit log. Handlers read and write them through here; this module knows
//! no handler and no session.

use guanai_core::own_data;
use guanai_core::staff::{self, PasswordHash, Staff};
use guanai_core::validate::FieldError;
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::error::ApiError;
use crate::http::ApiRequest;
use crate::kv_json::{read_json, write_json};
use crate::limits::RateLimiter;
use crate::store::{Kv, PutOptions};

/// What KV keeps for an account (`staff:<username>`), with the role and association also in
/// the key's metadata so the staff list is one KV listing rather than one read per account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRecord {
    pub staff: Staff,
    pub password: PasswordHash,
    pub created_at_ms: u64,
    /// Who created it; `bootstrap` for the first plan admin made by `cargo xtask admin create`.
    pub created_by: String,
}

/// The KV key of `username`'s account.
pub fn staff_key(username: &str) -> String {
    format!("staff:{username}")
}

/// The listing metadata of an account (no password, no hash).
pub fn staff_metadata(staff: &Staff) -> serde_json::Value {
    serde_json::json!({ "role": staff.role, "association": staff.association })
}

/// The account of `username`, if there is one.
pub async fn load_staff(kv: &impl Kv, username: &str) -> Result<Option<StaffRecord>, ApiError> {
    read_json(kv, &staff_key(username)).await
}

/// Stores `record` with its listing metadata.
pub async fn save_staff(kv: &impl Kv, record: &StaffRecord) -> Result<(), ApiError> {
    let options = PutOptions {
        metadata: Some(staff_metadata(&record.staff)),
        expiration_ttl: None,
        expiration: None,
    };
    write_json(kv, &staff_key(&record.staff.username), record, options).await
}

/// A new account record for `staff` with `password`, or the field errors. `salt` must be 16
/// fresh random bytes.
pub fn new_staff_record(
    staff: Staff,
    password: &str,
    salt: [u8; 16],
    now_ms: u64,
    created_by: &str,
) -> Result<StaffRecord, Vec<FieldError>> {
    let mut errors = staff.validate().err().unwrap_or_default();
    if let Err(error) = staff::check_password(password) {
        errors.push(error);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let password = staff::hash_password(password, salt).map_err(|_| {
        vec![FieldError::new(
            "password",
            "weak_password",
            "密码无法处理",
            "The password could not be processed",
        )]
    })?;
    Ok(StaffRecord {
        staff,
        password,
        created_at_ms: now_ms,
        created_by: created_by.to_string(),
    })
}

/// One recorded action of the append-only audit log: one KV key per event, never a shared
/// list (two concurrent appends to one value would lose one), kept
/// [`own_data::AUDIT_RETENTION_SECONDS`]. Never holds passwords, tokens or a social worker's
/// personal data: targets are usernames, references (random, not derived from the person's
/// number) and ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at_ms: u64,
    /// The staff member, or the attempted username for a failed login (when it is a valid
    /// username, so a password typed into the wrong box is never logged).
    pub actor: String,
    /// What happened, e.g. `login`, `login_failed`, `logout`, `staff_created`.
    pub action: String,
    /// What it happened to, e.g. the created account's username.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// The staff's stated reason, for actions on a person's request (corrections, deletions,
    /// new links).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The staff client's address as Cloudflare saw it; empty for the person's own actions
    /// (self-service events keep no address).
    #[serde(default)]
    pub ip: String,
}

/// The actor of the person's own actions through their management link.
pub const SELF_SERVICE: &str = "self";

/// The most metadata Workers KV keeps beside a key, serialised.
const METADATA_BYTES: usize = 1024;

/// Where the audit log's keys start.
pub const AUDIT_PREFIX: &str = "audit:";

/// Largest timestamp the key order supports (year 2286); keys hold `MAX - at_ms` so that KV's
/// ascending listing is newest first.
const MAX_MS: u64 = 9_999_999_999_999;

fn audit_key(at_ms: u64, entropy: &[u8; 32]) -> String {
    format!(
        "{AUDIT_PREFIX}{:013}:{}",
        MAX_MS.saturating_sub(at_ms),
        guanai_core::challenge::hex(&entropy[24..])
    )
}

/// Records `action` by `actor` on `target`. A failure to write is returned: an action that
/// cannot be audited should not look done.
pub async fn audit(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    actor: &str,
    action: &str,
    target: &str,
) -> Result<(), ApiError> {
    audit_with_reason(request, ctx, actor, action, target, "").await
}

/// [`audit`], with the reason staff gave for acting on a person's request.
pub async fn audit_with_reason(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    actor: &str,
    action: &str,
    target: &str,
    reason: &str,
) -> Result<(), ApiError> {
    let ip = request.header("cf-connecting-ip").unwrap_or("unknown");
    record(ctx, actor, action, target, reason, ip).await
}

/// Records the person's own `action` on their sign-up `reference`: no address, no reason.
pub async fn audit_self(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    action: &str,
    reference: &str,
) -> Result<(), ApiError> {
    record(ctx, SELF_SERVICE, action, reference, "", "").await
}

async fn record(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    actor: &str,
    action: &str,
    target: &str,
    reason: &str,
    ip: &str,
) -> Result<(), ApiError> {
    let event = Event {
        at_ms: ctx.now_ms,
        actor: actor.to_string(),
        action: action.to_string(),
        target: target.to_string(),
        reason: reason.to_string(),
        ip: ip.to_string(),
    };
    let (key, options) = event_entry(&event, &ctx.entropy)?;
    write_json(ctx.kv, &key, &event, options).await
}

/// Where `event` is stored, and how: kept three years, and again as metadata when it fits, so
/// listings read the log without a read per event.
pub fn event_entry(event: &Event, entropy: &[u8; 32]) -> Result<(String, PutOptions), ApiError> {
    let mut options = PutOptions::expiring(own_data::AUDIT_RETENTION_SECONDS);
    let metadata = serde_json::to_value(event)?;
    if metadata.to_string().len() <= METADATA_BYTES {
        options.metadata = Some(metadata);
    }
    Ok((audit_key(event.at_ms, entropy), options))
}
