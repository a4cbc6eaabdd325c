//! Staff accounts as the admin API shows them: `GET /v1/admin/staff` and `POST
//! /v1/admin/staff`. The records themselves are [`super::records`]'.

use guanai_core::i18n::ErrorCode;
use guanai_core::staff::{Action, Role, Staff};
use guanai_core::wire::NewStaff;
use guanai_core::{Association, Text};
use serde::Serialize;

use super::guard::{authorize, current};
use super::records::{audit, load_staff, new_staff_record, save_staff};
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::{Kv, LIST_PAGE};

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

/// An account as its listing metadata describes it; `None` for metadata that does not parse.
fn listed(name: &str, metadata: &serde_json::Value) -> Option<Listed> {
    let role: Role = serde_json::from_value(metadata["role"].clone()).ok()?;
    let association: Option<Association> =
        serde_json::from_value(metadata["association"].clone()).unwrap_or(None);
    Some(Listed {
        username: name.trim_start_matches("staff:").to_string(),
        role,
        association,
        role_label: role_label(role),
    })
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
        let page = ctx.kv.list("staff:", cursor.as_deref(), LIST_PAGE).await?;
        accounts.extend(
            page.keys
                .iter()
                .filter_map(|(name, metadata)| listed(name, metadata.as_ref()?))
                .filter(|account| own.is_none() || account.association == own),
        );
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
    let session = current(request, ctx).await?;
    let new: NewStaff = request.json()?;
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
    let record = new_staff_record(staff, &new.password, salt, ctx.now_ms, session.username())?;
    // Two admins creating the same username within KV's propagation window would both pass
    // this check; the later write wins. Accounts are created by hand, rarely: accepted.
    if load_staff(ctx.kv, &record.staff.username).await?.is_some() {
        return Err(ApiError::Refused(ErrorCode::UsernameTaken));
    }
    let username = &record.staff.username;
    audit(request, ctx, session.username(), "staff_created", username).await?;
    save_staff(ctx.kv, &record).await?;
    let body = serde_json::json!({ "staff": record.staff });
    Ok(ApiResponse::json(201, body.to_string()))
}
