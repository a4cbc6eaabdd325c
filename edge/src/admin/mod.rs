//! `/v1/admin/*`: the association staff's API. Every route checks the session, the CSRF token
//! on state-changing requests, the role and the association here, on the server — what the admin
//! view shows or hides is never the check.
//!
//! - [`session`]: login (rate-limited, Argon2id), the `HttpOnly; Secure; SameSite=Strict`
//!   session cookie, CSRF tokens, expiry, logout.
//! - [`staff`]: staff accounts in KV (`staff:<username>`), listing and creating them, and the
//!   record `cargo xtask admin create` writes to bootstrap the first plan admin.
//! - [`audit`]: the append-only log of every admin action.

pub mod applications;
pub mod audit;
pub mod catalog;
pub mod insight;
pub mod session;
pub mod signups;
pub mod staff;
#[cfg(test)]
mod tests;

use guanai_core::i18n::ErrorCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::{Kv, PutOptions};

/// Every admin route, for the auth matrix test and the OpenAPI document: method, path, and
/// whether it works without a session.
pub const ROUTES: &[(&str, &str, bool)] = &[
    ("POST", "/v1/admin/login", true),
    ("POST", "/v1/admin/logout", false),
    ("GET", "/v1/admin/session", false),
    ("GET", "/v1/admin/staff", false),
    ("POST", "/v1/admin/staff", false),
    ("GET", "/v1/admin/audit", false),
    ("GET", "/v1/admin/insight", false),
    ("GET", "/v1/admin/audit.csv", false),
    ("GET", "/v1/admin/signups", false),
    ("GET", "/v1/admin/signups.csv", false),
    // Detail and review of one sign-up: `<association>/<reference>`.
    ("GET", "/v1/admin/signups/beijing/GA-SAMPLE", false),
    ("POST", "/v1/admin/signups/beijing/GA-SAMPLE/review", false),
    ("GET", "/v1/admin/applications", false),
    ("GET", "/v1/admin/applications/PA-SAMPLE", false),
    ("POST", "/v1/admin/applications/PA-SAMPLE/decision", false),
    ("GET", "/v1/admin/catalog", false),
    ("GET", "/v1/admin/catalog/versions", false),
    ("GET", "/v1/admin/catalog/hsds.json", false),
    ("POST", "/v1/admin/catalog/publish", false),
    ("POST", "/v1/admin/catalog/rollback", false),
    ("POST", "/v1/admin/catalog/import", false),
    ("POST", "/v1/admin/catalog/drafts-from-published", false),
    ("PUT", "/v1/admin/partners/sample-partner", false),
    ("PUT", "/v1/admin/benefits/sample-benefit", false),
];

/// Answers `/v1/admin/*`; `Ok(None)` when the path is not an admin route.
pub async fn route(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<Option<ApiResponse>, ApiError> {
    let method = request.method.as_str();
    // One size check for every admin route, before anything else is looked at.
    if method != "GET" && request.body_over(crate::routes::body_limit(&request.path)) {
        return Err(ApiError::Refused(ErrorCode::PayloadTooLarge));
    }
    let response = match (request.path.as_str(), method) {
        ("/v1/admin/login", "POST") => session::login(request, ctx).await?,
        ("/v1/admin/logout", "POST") => session::logout(request, ctx).await?,
        ("/v1/admin/session", "GET") => session::show(request, ctx).await?,
        ("/v1/admin/staff", "GET") => staff::list(request, ctx).await?,
        ("/v1/admin/staff", "POST") => staff::create(request, ctx).await?,
        ("/v1/admin/audit", "GET") => audit::list(request, ctx).await?,
        ("/v1/admin/insight", "GET") => insight::show(request, ctx).await?,
        ("/v1/admin/audit.csv", "GET") => audit::export(request, ctx).await?,
        ("/v1/admin/applications", "GET") => applications::list(request, ctx).await?,
        (path, _) if path.starts_with("/v1/admin/applications/") => {
            let (reference, decision) = applications::parse_path(path).ok_or(ApiError::NotFound)?;
            match (decision, method) {
                (false, "GET") => applications::detail(request, ctx, &reference).await?,
                (true, "POST") => applications::decide(request, ctx, &reference).await?,
                (false, _) => return Err(ApiError::MethodNotAllowed { allow: "GET" }),
                (true, _) => return Err(ApiError::MethodNotAllowed { allow: "POST" }),
            }
        }
        ("/v1/admin/catalog", "GET") => catalog::show(request, ctx).await?,
        ("/v1/admin/catalog/versions", "GET") => catalog::versions(request, ctx).await?,
        ("/v1/admin/catalog/hsds.json", "GET") => catalog::hsds(request, ctx).await?,
        ("/v1/admin/catalog/publish", "POST") => catalog::publish(request, ctx).await?,
        ("/v1/admin/catalog/rollback", "POST") => catalog::rollback(request, ctx).await?,
        ("/v1/admin/catalog/import", "POST") => catalog::import(request, ctx).await?,
        ("/v1/admin/catalog/drafts-from-published", "POST") => {
            catalog::drafts_from_published(request, ctx).await?
        }
        (path, "PUT") if catalog::item_id(path, "partners").is_some() => {
            let id = catalog::item_id(path, "partners").unwrap_or_default();
            catalog::save_partner(request, ctx, id).await?
        }
        (path, "PUT") if catalog::item_id(path, "benefits").is_some() => {
            let id = catalog::item_id(path, "benefits").unwrap_or_default();
            catalog::save_benefit(request, ctx, id).await?
        }
        ("/v1/admin/signups", "GET") => signups::list(request, ctx).await?,
        ("/v1/admin/signups.csv", "GET") => signups::export(request, ctx).await?,
        (path, _) if path.starts_with("/v1/admin/signups/") => {
            let (association, reference, review) =
                signups::parse_path(path).ok_or(ApiError::NotFound)?;
            match (review, method) {
                (false, "GET") => signups::detail(request, ctx, association, &reference).await?,
                (true, "POST") => signups::review(request, ctx, association, &reference).await?,
                (false, _) => return Err(ApiError::MethodNotAllowed { allow: "GET" }),
                (true, _) => return Err(ApiError::MethodNotAllowed { allow: "POST" }),
            }
        }
        (path, _) if ROUTES.iter().any(|(_, known, _)| *known == path) => {
            let allow = match path {
                "/v1/admin/session"
                | "/v1/admin/audit"
                | "/v1/admin/signups"
                | "/v1/admin/signups.csv"
                | "/v1/admin/catalog"
                | "/v1/admin/catalog/versions"
                | "/v1/admin/catalog/hsds.json"
                | "/v1/admin/applications"
                | "/v1/admin/insight"
                | "/v1/admin/audit.csv" => "GET",
                "/v1/admin/staff" => "GET, POST",
                p if p.starts_with("/v1/admin/partners/")
                    || p.starts_with("/v1/admin/benefits/") =>
                {
                    "PUT"
                }
                _ => "POST",
            };
            return Err(ApiError::MethodNotAllowed { allow });
        }
        (path, _)
            if catalog::item_id(path, "partners").is_some()
                || catalog::item_id(path, "benefits").is_some() =>
        {
            return Err(ApiError::MethodNotAllowed { allow: "PUT" });
        }
        _ => return Ok(None),
    };
    // Staff pages and their data are never cached by browsers or proxies.
    Ok(Some(response.with_header("cache-control", "no-store")))
}

/// The JSON value under `key`, if there is one. A value that does not parse is a storage fault
/// (named by its key's kind, never its content).
pub async fn read_json<T: DeserializeOwned>(
    kv: &impl Kv,
    key: &str,
) -> Result<Option<T>, ApiError> {
    match kv.get(key).await.map_err(ApiError::storage)? {
        Some(stored) => serde_json::from_str(&stored.value).map(Some).map_err(|_| {
            ApiError::Storage(format!(
                "unreadable {}",
                key.split(':').next().unwrap_or_default()
            ))
        }),
        None => Ok(None),
    }
}

/// Stores `value` as JSON under `key`, with `metadata` for listings if given.
pub async fn write_json(
    kv: &impl Kv,
    key: &str,
    value: &impl Serialize,
    metadata: Option<serde_json::Value>,
) -> Result<(), ApiError> {
    let text = serde_json::to_string(value).map_err(|e| ApiError::Storage(e.to_string()))?;
    let options = PutOptions {
        metadata,
        expiration_ttl: None,
    };
    kv.put(key, &text, options).await.map_err(ApiError::storage)
}
