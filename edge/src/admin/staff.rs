//! Staff accounts: `staff:<username>` in KV, with the role and association also in the key's
//! metadata so the staff list is one KV listing rather than one read per account.

use guanai_core::i18n::ErrorCode;
use guanai_core::staff::{self, Action, PasswordHash, Role, Staff};
use guanai_core::validate::FieldError;
use guanai_core::{Association, Text};
use serde::{Deserialize, Serialize};

use super::session::authorize;
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::Kv;

/// What KV keeps for an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRecord {
    pub staff: Staff,
    pub password: PasswordHash,
    pub created_at_ms: u64,
    /// Who created it; `bootstrap` for the first plan admin made by `cargo xtask admin create`.
    pub created_by: String,
}

/// The KV key of `username`'s account.
pub fn key(username: &str) -> String {
    format!("staff:{username}")
}

/// The listing metadata of an account (no password, no hash).
pub fn metadata(staff: &Staff) -> serde_json::Value {
    serde_json::json!({ "role": staff.role, "association": staff.association })
}

/// The account of `username`, if there is one.
pub async fn load(kv: &impl Kv, username: &str) -> Result<Option<StaffRecord>, ApiError> {
    super::read_json(kv, &key(username)).await
}

/// A new account record for `staff` with `password`, or the field errors. `salt` must be 16
/// fresh random bytes.
pub fn new_record(
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

#[derive(Deserialize)]
struct NewStaff {
    username: String,
    role: Role,
    #[serde(default)]
    association: Option<Association>,
    password: String,
}

#[derive(Serialize)]
struct Listed {
    username: String,
    role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    association: Option<Association>,
    role_label: Text,
}

fn role_label(role: Role) -> Text {
    match role {
        Role::PlanAdmin => Text::new("关爱计划管理员", "Plan admin"),
        Role::AssociationAdmin => Text::new("协会管理员", "Association admin"),
        Role::Viewer => Text::new("只读查看", "Viewer"),
    }
}

/// `GET /v1/admin/staff`: the plan admin sees every account, an association admin their
/// association's; viewers may not list accounts.
pub async fn list(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::ManageStaff, None).await?;
    let own = session.staff.association;
    let mut accounts = Vec::new();
    let mut cursor = None;
    loop {
        let page = ctx
            .kv
            .list("staff:", cursor.as_deref(), crate::store::LIST_PAGE)
            .await
            .map_err(ApiError::storage)?;
        for (name, metadata) in page.keys {
            let Some(metadata) = metadata else { continue };
            let role: Role = match serde_json::from_value(metadata["role"].clone()) {
                Ok(role) => role,
                Err(_) => continue,
            };
            let association: Option<Association> =
                serde_json::from_value(metadata["association"].clone()).unwrap_or(None);
            if own.is_some() && association != own {
                continue;
            }
            accounts.push(Listed {
                username: name.trim_start_matches("staff:").to_string(),
                role,
                association,
                role_label: role_label(role),
            });
        }
        cursor = page.cursor;
        if cursor.is_none() {
            break;
        }
    }
    let body = serde_json::json!({ "staff": accounts });
    Ok(ApiResponse::json(200, body.to_string()))
}

/// `POST /v1/admin/staff` `{username, role, association?, password}`.
pub async fn create(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    // Session and CSRF first: nothing about the body is revealed to a stranger.
    let session = super::session::current(request, ctx).await?;
    let new: NewStaff = serde_json::from_str(&request.body).map_err(|_| ApiError::BadRequest)?;
    let staff = Staff {
        username: new.username.trim().to_lowercase(),
        role: new.role,
        association: new.association,
    };
    session
        .staff
        .may_create(&staff)
        .map_err(|_| ApiError::Refused(ErrorCode::Forbidden))?;
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&ctx.entropy[..16]);
    let record = new_record(
        staff,
        &new.password,
        salt,
        ctx.now_ms,
        &session.staff.username,
    )
    .map_err(ApiError::Validation)?;
    // Two admins creating the same username within KV's propagation window would both pass
    // this check; the later write wins. Accounts are created by hand, rarely: accepted.
    if load(ctx.kv, &record.staff.username).await?.is_some() {
        return Err(ApiError::Refused(ErrorCode::UsernameTaken));
    }
    super::audit::record(
        request,
        ctx,
        &session.staff.username,
        "staff_created",
        &record.staff.username,
    )
    .await?;
    super::write_json(
        ctx.kv,
        &key(&record.staff.username),
        &record,
        Some(metadata(&record.staff)),
    )
    .await?;
    let body = serde_json::json!({ "staff": record.staff });
    Ok(ApiResponse::json(201, body.to_string()))
}
