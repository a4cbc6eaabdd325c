//! `/v1/admin/*`: the association staff's API. Every route checks the session, the CSRF token
//! on state-changing requests, the role and the association here, on the server — what the admin
//! view shows or hides is never the check.
//!
//! Layers, arrows one way: [`routes`] (the one table) → the handler modules (one per resource)
//! → [`guard`] (session, CSRF, permission) → [`records`] (staff accounts, audit events) and
//! `crate::kv_json` → KV.

pub mod applications;
pub mod audit;
pub mod catalog;
pub mod guard;
pub mod import;
pub mod insight;
pub mod origins;
pub mod records;
pub mod requests;
pub mod routes;
pub mod session;
pub mod signups;
pub mod staff;
#[cfg(test)]
mod tests;

use routes::{Endpoint, Params, Resolved};

use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::Kv;

/// Answers `/v1/admin/*`; `Ok(None)` when the path is not an admin route.
pub async fn route(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<Option<ApiResponse>, ApiError> {
    let (endpoint, params) = match routes::resolve(&request.method, &request.path) {
        Resolved::Route(endpoint, params) => (endpoint, params),
        Resolved::WrongMethod(allow) => return Err(ApiError::method_not_allowed(allow)),
        Resolved::Unknown => return Ok(None),
    };
    let response = dispatch(endpoint, params, request, ctx).await?;
    // Staff pages and their data are never cached by browsers or proxies.
    Ok(Some(response.with_header("cache-control", "no-store")))
}

async fn dispatch(
    endpoint: Endpoint,
    params: Params,
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    // The table only matches `{association}` when it names one.
    let association = || params.association.ok_or(ApiError::NotFound);
    let (reference, id) = (params.reference.as_str(), params.id.as_str());
    match endpoint {
        Endpoint::Login => session::login(request, ctx).await,
        Endpoint::Logout => session::logout(request, ctx).await,
        Endpoint::Session => session::show(request, ctx).await,
        Endpoint::StaffList => staff::list(request, ctx).await,
        Endpoint::StaffCreate => staff::create(request, ctx).await,
        Endpoint::Audit => audit::list(request, ctx).await,
        Endpoint::AuditCsv => audit::export(request, ctx).await,
        Endpoint::Insight => insight::show(request, ctx).await,
        Endpoint::Signups => signups::list(request, ctx).await,
        Endpoint::SignupsCsv => signups::export(request, ctx).await,
        Endpoint::SignupDetail => signups::detail(request, ctx, association()?, reference).await,
        Endpoint::SignupReview => signups::review(request, ctx, association()?, reference).await,
        Endpoint::SignupCorrect => requests::correct(request, ctx, association()?, reference).await,
        Endpoint::SignupDelete => requests::delete(request, ctx, association()?, reference).await,
        Endpoint::SignupLink => requests::new_link(request, ctx, association()?, reference).await,
        Endpoint::Applications => applications::list(request, ctx).await,
        Endpoint::ApplicationDetail => applications::detail(request, ctx, reference).await,
        Endpoint::ApplicationDecision => applications::decide(request, ctx, reference).await,
        Endpoint::Catalog => catalog::show(request, ctx).await,
        Endpoint::CatalogVersions => catalog::versions(request, ctx).await,
        Endpoint::CatalogHsds => catalog::hsds(request, ctx).await,
        Endpoint::Publish => catalog::publish(request, ctx).await,
        Endpoint::Rollback => catalog::rollback(request, ctx).await,
        Endpoint::Import => import::import(request, ctx).await,
        Endpoint::PartnerChoices => catalog::partner_choices(request, ctx).await,
        Endpoint::DraftsFromPublished => catalog::drafts_from_published(request, ctx).await,
        Endpoint::SavePartner => catalog::save_partner(request, ctx, id).await,
        Endpoint::SaveBenefit => catalog::save_benefit(request, ctx, id).await,
        Endpoint::Origins => origins::list(request, ctx).await,
        Endpoint::OriginCheck => origins::check(request, ctx).await,
        Endpoint::PartnerOrigins => origins::save_partner(request, ctx, id).await,
        Endpoint::AssociationOrigins => {
            origins::save_association(request, ctx, association()?).await
        }
    }
}
