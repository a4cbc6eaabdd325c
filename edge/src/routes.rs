//! The router: request in, outcome out. Runtime-free, so tests call it without a server.

use crate::catalog;
use crate::config::Config;
use crate::context::Context;
use crate::cors;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::origins;
use crate::store::{Kv, KvValue};
use crate::{applications, catalog_pages, forms, me, me_page, signups};

/// How long browsers and shared caches may reuse the catalogue before revalidating. Publishing
/// is rare and KV itself takes up to a minute to spread, so a minute of staleness adds little;
/// revalidation is cheap thanks to the ETag.
const CATALOG_CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=600";

/// What the worker should do with a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Send this response. `problem` is a log line for a server-side failure (never personal
    /// data); the client only sees the generic error body.
    Respond {
        response: ApiResponse,
        problem: Option<String>,
    },
    /// Serve a static asset (bundle, examples) with these headers (CORS, caching) set.
    Asset { headers: Vec<(String, String)> },
}

/// Handles `request`: CORS preflight, API routes, or hand-off to static assets.
pub async fn handle(request: &ApiRequest, ctx: &Context<'_, impl Kv, impl RateLimiter>) -> Outcome {
    let config = ctx.config;
    let hot = match hot_reads(request, ctx.kv, config).await {
        Ok(hot) => hot,
        Err(error) => return failed(request, config, &[], error),
    };
    let recorded = hot.recorded.as_slice();
    if cors::is_preflight(request) {
        return Outcome::Respond {
            response: cors::preflight(request, config, recorded),
            problem: None,
        };
    }
    if catalog_pages::handles(&request.path) {
        let (mut response, problem) = catalog_pages::respond(request, ctx.kv, ctx.now_ms).await;
        response.set_header("x-content-type-options", "nosniff");
        if request.method == "HEAD" {
            response.body.clear();
        }
        return Outcome::Respond { response, problem };
    }
    let response = match route(request, ctx, hot.snapshot).await {
        Ok(Some(response)) => response,
        Ok(None) if is_admin_asset(&request.path) => {
            return Outcome::Asset {
                headers: admin_asset_headers(&request.path),
            };
        }
        Ok(None) => {
            let mut headers = cors::headers_for(request, config, recorded);
            if let Some(cache_control) = asset_cache_control(&request.path) {
                headers.push(("cache-control".into(), cache_control.into()));
            }
            return Outcome::Asset { headers };
        }
        Err(error) => return failed(request, config, recorded, error),
    };
    finish(request, config, recorded, response, None)
}

/// An error answered as JSON, with the log line of a server-side failure.
fn failed(request: &ApiRequest, config: &Config, recorded: &[String], error: ApiError) -> Outcome {
    let problem = match &error {
        ApiError::Storage(detail) => Some(detail.clone()),
        _ => None,
    };
    finish(request, config, recorded, error.into_response(), problem)
}

fn finish(
    request: &ApiRequest,
    config: &Config,
    recorded: &[String],
    response: ApiResponse,
    problem: Option<String>,
) -> Outcome {
    let mut response = cors::apply(request, config, recorded, response);
    response.set_header("x-content-type-options", "nosniff");
    if request.method == "HEAD" {
        response.body.clear();
    }
    Outcome::Respond { response, problem }
}

/// What a public request reads before it is routed: the origins staff recorded, when its
/// `Origin` is not admitted by the configuration alone, and with them (in the same bulk read)
/// the published catalogue when it asks for it.
struct HotReads {
    recorded: Vec<String>,
    /// `Some` when the catalogue was read here: the route uses it instead of reading again.
    snapshot: Option<Option<KvValue>>,
}

async fn hot_reads(
    request: &ApiRequest,
    kv: &impl Kv,
    config: &Config,
) -> Result<HotReads, ApiError> {
    let needs_recorded = request
        .header("origin")
        .is_some_and(|origin| !cors::is_configured(origin, config))
        // The admin view is same-origin; its requests never need the list.
        && !request.path.starts_with("/v1/admin/")
        && !is_admin_asset(&request.path);
    if !needs_recorded {
        return Ok(HotReads {
            recorded: Vec::new(),
            snapshot: None,
        });
    }
    let catalogue =
        request.path == "/v1/catalog" && matches!(request.method.as_str(), "GET" | "HEAD");
    if !catalogue {
        let recorded = origins::listed(kv.get(origins::ALLOWLIST_KEY).await?);
        return Ok(HotReads {
            recorded,
            snapshot: None,
        });
    }
    let mut both = kv
        .get_bulk_with_metadata(&[origins::ALLOWLIST_KEY, catalog::PUBLISHED_KEY])
        .await?
        .into_iter();
    let recorded = origins::listed(both.next().flatten());
    Ok(HotReads {
        recorded,
        snapshot: Some(both.next().flatten()),
    })
}

/// `Ok(None)` means "not an API path": a static asset.
async fn route(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    snapshot: Option<Option<KvValue>>,
) -> Result<Option<ApiResponse>, ApiError> {
    let method = request.method.as_str();
    // One size check for every request that may carry a body, before anything else is looked
    // at (the worker leaves an oversized body unread).
    if request.path.starts_with("/v1/") && !matches!(method, "GET" | "HEAD") {
        request.check_body_size()?;
    }
    let response = match request.path.as_str() {
        "/" => {
            read_only(method)?;
            ApiResponse::empty(302).with_header("location", "/examples/")
        }
        me_page::PATH => me_page::respond(request)?,
        "/v1/health" => {
            read_only(method)?;
            let body = serde_json::json!({"status": "ok", "service": "guanai-edge", "version": env!("CARGO_PKG_VERSION")});
            ApiResponse::json(200, body.to_string()).with_header("cache-control", "no-store")
        }
        "/v1/catalog" => {
            read_only(method)?;
            catalog_response(request, ctx.kv, snapshot).await?
        }
        "/v1/challenge" => {
            read_only(method)?;
            forms::issue_challenge(ctx)?
        }
        "/v1/signups" => {
            post_only(method)?;
            signups::create(request, ctx).await?
        }
        "/v1/me" => me::own(request, ctx).await?,
        "/v1/me/withdraw" => {
            post_only(method)?;
            me::withdraw(request, ctx).await?
        }
        "/v1/partner-applications" => {
            post_only(method)?;
            applications::create(request, ctx).await?
        }
        "/v1/openapi.json" => {
            read_only(method)?;
            ApiResponse::json(200, include_str!("../openapi.json").to_string())
                .with_header("cache-control", "public, max-age=300")
        }
        path if path.starts_with("/v1/admin/") => crate::admin::route(request, ctx)
            .await?
            .ok_or(ApiError::NotFound)?,
        path if path == "/v1" || path.starts_with("/v1/") => return Err(ApiError::NotFound),
        _ => return Ok(None),
    };
    Ok(Some(response))
}

/// Caching for the bundle: the files of a bundle directory (`/guanai-<hash>/…`, named by the
/// hash of everything in it) and of a release's pinned copy (`/v/<version>/…`, which a release
/// never rewrites) never change under their name, so browsers keep them for a year; the loader
/// alias and the release manifest name the current release, so they are revalidated after five
/// minutes to pick up a new one soon. Other assets keep the asset server's default.
fn asset_cache_control(path: &str) -> Option<&'static str> {
    let mut segments = path.trim_start_matches('/').split('/');
    let first = segments.next().unwrap_or_default();
    let hashed = first
        .strip_prefix("guanai-")
        .is_some_and(|hash| hash.len() == 10 && hash.bytes().all(|byte| byte.is_ascii_hexdigit()));
    let pinned = first == "v" && segments.next().is_some_and(is_version);
    if (hashed || pinned) && segments.next_back().is_some_and(|file| !file.is_empty()) {
        Some("public, max-age=31536000, immutable")
    } else if path == "/guanai.js" || path == "/release.json" {
        Some("public, max-age=300")
    } else {
        None
    }
}

/// `1.2.3` (digits and dots): a release version, as `/v/<version>/` names it.
fn is_version(segment: &str) -> bool {
    !segment.is_empty()
        && segment.split('.').count() == 3
        && segment
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The Content-Security-Policy of the admin view: its own scripts, wasm and styles only, the
/// API on the same origin, and the AMap street tiles the location picker draws; never framed.
pub const ADMIN_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data: https://*.is.autonavi.com; connect-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Whether `path` is a file of the admin view (`/admin`, `/admin/…`).
fn is_admin_asset(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

/// Headers of the admin view's files: no CORS (only its own origin uses it), a strict CSP, no
/// framing or referrers; the page itself is never cached, its hashed files forever.
fn admin_asset_headers(path: &str) -> Vec<(String, String)> {
    let file = path.rsplit('/').next().unwrap_or_default();
    let hashed = (file.starts_with("guanai-admin-") || file.starts_with("admin-"))
        && (file.ends_with(".js") || file.ends_with(".wasm") || file.ends_with(".css"));
    let cache = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-store"
    };
    [
        ("content-security-policy", ADMIN_CSP),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("x-content-type-options", "nosniff"),
        ("cache-control", cache),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value.to_string()))
    .collect()
}

/// Refuses anything but GET and HEAD on the read-only routes.
fn read_only(method: &str) -> Result<(), ApiError> {
    match method {
        "GET" | "HEAD" => Ok(()),
        _ => Err(ApiError::method_not_allowed("GET, HEAD")),
    }
}

/// Refuses anything but POST on the form routes.
fn post_only(method: &str) -> Result<(), ApiError> {
    match method {
        "POST" => Ok(()),
        _ => Err(ApiError::method_not_allowed("POST")),
    }
}

/// `GET /v1/catalog`: one KV read; 304 when the client already has this snapshot.
/// The published catalogue: `snapshot` when the request has read it already (with the origins),
/// else one read.
async fn catalog_response(
    request: &ApiRequest,
    kv: &impl Kv,
    snapshot: Option<Option<KvValue>>,
) -> Result<ApiResponse, ApiError> {
    let stored = match snapshot {
        Some(snapshot) => snapshot,
        None => kv.get(catalog::PUBLISHED_KEY).await?,
    }
    .ok_or(ApiError::CatalogUnavailable)?;
    let etag = catalog::stored_etag(&stored);
    let response = if client_has(request.header("if-none-match"), &etag) {
        ApiResponse::empty(304)
    } else {
        ApiResponse::json(200, stored.value)
    };
    Ok(response
        .with_header("etag", etag)
        .with_header("cache-control", CATALOG_CACHE_CONTROL))
}

/// Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 asks for GET).
pub(crate) fn client_has(if_none_match: Option<&str>, etag: &str) -> bool {
    let Some(header) = if_none_match else {
        return false;
    };
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryKv;
    use crate::testing::{outcome, published, respond};
    use guanai_core::Catalogue;

    fn error_code(response: &ApiResponse) -> String {
        let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        body["error"]["code"].as_str().unwrap().to_string()
    }

    #[test]
    fn catalog_is_one_read_with_etag_and_cache_control() {
        let kv = published();
        let response = respond(ApiRequest::new("GET", "/v1/catalog"), &kv);
        assert_eq!(response.status, 200);
        assert_eq!(kv.reads(), 1);
        let catalogue: Catalogue = serde_json::from_str(&response.body).unwrap();
        assert_eq!(catalogue, guanai_core::demo::programme());
        assert_eq!(
            response.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(
            response.header("cache-control"),
            Some(CATALOG_CACHE_CONTROL)
        );
        assert_eq!(
            response.header("etag"),
            Some(catalog::etag_of(&response.body).as_str())
        );
    }

    #[test]
    fn matching_if_none_match_gets_304_without_a_body() {
        let kv = published();
        let etag = respond(ApiRequest::new("GET", "/v1/catalog"), &kv)
            .header("etag")
            .unwrap()
            .to_string();
        for header in [
            etag.clone(),
            format!("W/{etag}"),
            format!("\"other\", {etag}"),
            "*".into(),
        ] {
            let response = respond(
                ApiRequest::new("GET", "/v1/catalog").with_header("If-None-Match", &header),
                &kv,
            );
            assert_eq!(response.status, 304, "{header}");
            assert!(response.body.is_empty());
            assert_eq!(response.header("etag"), Some(etag.as_str()));
        }
        let stale = respond(
            ApiRequest::new("GET", "/v1/catalog").with_header("If-None-Match", "\"stale\""),
            &kv,
        );
        assert_eq!(stale.status, 200);
    }

    #[test]
    fn head_has_headers_but_no_body() {
        let response = respond(ApiRequest::new("HEAD", "/v1/catalog"), &published());
        assert_eq!(response.status, 200);
        assert!(response.body.is_empty());
        assert!(response.header("etag").is_some());
    }

    #[test]
    fn nothing_published_is_a_clear_503_not_a_crash() {
        let response = respond(ApiRequest::new("GET", "/v1/catalog"), &MemoryKv::new());
        assert_eq!(response.status, 503);
        assert_eq!(error_code(&response), "catalog_unavailable");
    }

    #[test]
    fn a_value_without_metadata_still_gets_an_etag() {
        let kv = MemoryKv::new();
        kv.insert(catalog::PUBLISHED_KEY, "{}", None);
        let response = respond(ApiRequest::new("GET", "/v1/catalog"), &kv);
        assert_eq!(
            response.header("etag"),
            Some(catalog::etag_of("{}").as_str())
        );
    }

    #[test]
    fn storage_failure_is_500_with_a_log_line_and_no_detail_for_the_client() {
        let broken = MemoryKv::new();
        broken.go_down();
        let outcome = outcome(&ApiRequest::new("GET", "/v1/catalog"), &broken);
        let Outcome::Respond { response, problem } = outcome else {
            panic!("not a response")
        };
        assert_eq!(response.status, 500);
        assert_eq!(problem.as_deref(), Some("kv unreachable"));
        assert!(!response.body.contains("unreachable"));
    }

    #[test]
    fn unknown_api_paths_and_methods_use_the_error_shape() {
        let kv = published();
        let missing = respond(ApiRequest::new("GET", "/v1/nope"), &kv);
        assert_eq!(
            (missing.status, error_code(&missing)),
            (404, "not_found".into())
        );
        let wrong = respond(ApiRequest::new("DELETE", "/v1/catalog"), &kv);
        assert_eq!(
            (wrong.status, error_code(&wrong)),
            (405, "method_not_allowed".into())
        );
        assert_eq!(wrong.header("allow"), Some("GET, HEAD"));
        assert_eq!(wrong.header("x-content-type-options"), Some("nosniff"));
    }

    #[test]
    fn health_answers_without_touching_kv() {
        let kv = published();
        let response = respond(ApiRequest::new("GET", "/v1/health"), &kv);
        assert_eq!(response.status, 200);
        assert_eq!(kv.reads(), 0);
        let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        assert_eq!(body["status"], "ok");
    }

    #[test]
    fn other_paths_are_assets_with_cors_decided_here() {
        let request =
            ApiRequest::new("GET", "/guanai.js").with_header("Origin", "https://partner.example");
        let first = outcome(&request, &published());
        let Outcome::Asset { headers } = first else {
            panic!("not an asset")
        };
        assert!(headers.contains(&(
            "access-control-allow-origin".into(),
            "https://partner.example".into()
        )));
        assert!(headers.contains(&("cache-control".into(), "public, max-age=300".into())));
        let hashed = ApiRequest::new("GET", "/guanai-0123456789/split_finder.wasm");
        let Outcome::Asset { headers } = outcome(&hashed, &published()) else {
            panic!("not an asset")
        };
        assert!(headers.contains(&(
            "cache-control".into(),
            "public, max-age=31536000, immutable".into()
        )));
        let page = ApiRequest::new("GET", "/examples/partner-site.html");
        let Outcome::Asset { headers } = outcome(&page, &published()) else {
            panic!("not an asset")
        };
        assert!(!headers.iter().any(|(name, _)| name == "cache-control"));
        let root = respond(ApiRequest::new("GET", "/"), &published());
        assert_eq!(
            (root.status, root.header("location")),
            (302, Some("/examples/"))
        );
    }

    #[test]
    fn the_admin_view_gets_a_strict_csp_no_cors_and_is_never_framed() {
        for path in ["/admin", "/admin/", "/admin/index.html"] {
            let request =
                ApiRequest::new("GET", path).with_header("Origin", "https://partner.example");
            let Outcome::Asset { headers } = outcome(&request, &published()) else {
                panic!("{path} is not an asset")
            };
            let header = |name: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
            };
            assert_eq!(header("access-control-allow-origin"), None, "{path}");
            assert_eq!(header("cache-control"), Some("no-store"), "{path}");
            assert_eq!(header("x-frame-options"), Some("DENY"));
            let csp = header("content-security-policy").unwrap();
            for directive in [
                "default-src 'none'",
                "script-src 'self' 'wasm-unsafe-eval'",
                "style-src 'self'",
                "connect-src 'self'",
                "frame-ancestors 'none'",
            ] {
                assert!(csp.contains(directive), "{csp}");
            }
            assert!(!csp.contains("unsafe-inline"));
        }
        let hashed = ApiRequest::new("GET", "/admin/guanai-admin-0123456789.wasm");
        let Outcome::Asset { headers } = outcome(&hashed, &published()) else {
            panic!("not an asset")
        };
        assert!(headers.contains(&(
            "cache-control".into(),
            "public, max-age=31536000, immutable".into()
        )));
        // Not the admin view: a path that merely starts with the same letters.
        let other = ApiRequest::new("GET", "/administration.html");
        let Outcome::Asset { headers } = outcome(&other, &published()) else {
            panic!("not an asset")
        };
        assert!(
            !headers
                .iter()
                .any(|(name, _)| name == "content-security-policy")
        );
    }

    #[test]
    fn api_responses_carry_exact_origin_cors() {
        let kv = published();
        let allowed = respond(
            ApiRequest::new("GET", "/v1/catalog").with_header("Origin", "https://partner.example"),
            &kv,
        );
        assert_eq!(
            allowed.header("access-control-allow-origin"),
            Some("https://partner.example")
        );
        let unknown = respond(
            ApiRequest::new("GET", "/v1/catalog").with_header("Origin", "https://evil.example"),
            &kv,
        );
        assert_eq!(unknown.header("access-control-allow-origin"), None);
        let preflight = respond(
            ApiRequest::new("OPTIONS", "/v1/catalog")
                .with_header("Origin", "https://partner.example")
                .with_header("Access-Control-Request-Method", "GET"),
            &kv,
        );
        assert_eq!(preflight.status, 204);
        assert_eq!(kv.reads(), 2, "a preflight reads nothing");
    }
}
