//! Exact-origin CORS, decided in one place for API responses and static assets alike.
//!
//! A response carries `Access-Control-Allow-Origin` only when the request's `Origin` is on the
//! allowlist, and then it echoes that single origin — never `*`, never a comma-joined list
//! (browsers reject lists; workers-rs `Cors::with_origins` produced one, issue #554). Unknown
//! origins get no CORS headers at all, so the browser blocks the read.

use crate::config::Config;
use crate::http::{ApiRequest, ApiResponse};

/// Methods a cross-origin page may use.
pub const ALLOWED_METHODS: &str = "GET, HEAD, POST, OPTIONS";
/// Request headers a cross-origin page may send.
pub const ALLOWED_HEADERS: &str = "Authorization, Content-Type, Idempotency-Key, If-None-Match";
/// Response headers a cross-origin page may read.
pub const EXPOSED_HEADERS: &str = "ETag";

/// Whether `origin` may embed the widgets and call the API: configured (`ALLOWED_ORIGINS`),
/// local development's loopback, or `recorded` by staff in the admin view (`crate::origins`).
pub fn is_allowed(origin: &str, config: &Config, recorded: &[String]) -> bool {
    is_configured(origin, config) || recorded.iter().any(|allowed| allowed == origin)
}

/// Whether the deployment's own configuration admits `origin`, with no KV read.
pub fn is_configured(origin: &str, config: &Config) -> bool {
    config
        .allowed_origins
        .iter()
        .any(|allowed| allowed == origin)
        || (config.allow_localhost && is_loopback_origin(origin))
}

/// `http://localhost[:port]` or `http://127.0.0.1[:port]`, exactly: no path, no user info, no
/// look-alike hosts such as `localhost.evil.example`.
fn is_loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else {
        return false;
    };
    let (host, port_ok) = match rest.split_once(':') {
        None => (rest, true),
        Some((host, port)) => (
            host,
            !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()),
        ),
    };
    (host == "localhost" || host == "127.0.0.1") && port_ok
}

/// The CORS headers a response to `request` must carry (`recorded`: see [`is_allowed`]).
pub fn headers_for(
    request: &ApiRequest,
    config: &Config,
    recorded: &[String],
) -> Vec<(String, String)> {
    // Vary on Origin always: a cache must not serve one origin's answer to another.
    let mut headers = vec![("vary".to_string(), "Origin".to_string())];
    if let Some(origin) = request
        .header("origin")
        .filter(|origin| is_allowed(origin, config, recorded))
    {
        headers.push(("access-control-allow-origin".into(), origin.to_string()));
        headers.push((
            "access-control-expose-headers".into(),
            EXPOSED_HEADERS.into(),
        ));
    }
    headers
}

/// Adds the CORS headers for `request` to `response`.
pub fn apply(
    request: &ApiRequest,
    config: &Config,
    recorded: &[String],
    mut response: ApiResponse,
) -> ApiResponse {
    for (name, value) in headers_for(request, config, recorded) {
        response.set_header(&name, value);
    }
    response
}

/// Whether `request` is a CORS preflight.
pub fn is_preflight(request: &ApiRequest) -> bool {
    request.method == "OPTIONS"
        && request.header("origin").is_some()
        && request.header("access-control-request-method").is_some()
}

/// The answer to a preflight: permissions for allowed origins, none for others.
pub fn preflight(request: &ApiRequest, config: &Config, recorded: &[String]) -> ApiResponse {
    let response = apply(request, config, recorded, ApiResponse::empty(204));
    if response.header("access-control-allow-origin").is_none() {
        return response;
    }
    response
        .with_header("access-control-allow-methods", ALLOWED_METHODS)
        .with_header("access-control-allow-headers", ALLOWED_HEADERS)
        .with_header("access-control-max-age", "86400")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(allow_localhost: bool) -> Config {
        Config {
            allowed_origins: vec!["https://partner.example".into()],
            allow_localhost,
            ..Config::default()
        }
    }

    #[test]
    fn exact_origins_only() {
        let c = config(false);
        assert!(is_allowed("https://partner.example", &c, &[]));
        assert!(!is_allowed("https://partner.example.evil", &c, &[]));
        assert!(!is_allowed("http://partner.example", &c, &[]));
        assert!(!is_allowed("null", &c, &[]));
        assert!(
            !is_allowed("http://localhost:8080", &c, &[]),
            "localhost only in local dev"
        );
    }

    #[test]
    fn local_dev_admits_loopback_ports_but_no_look_alikes() {
        let c = config(true);
        for ok in [
            "http://localhost:8080",
            "http://127.0.0.1:5173",
            "http://localhost",
        ] {
            assert!(is_allowed(ok, &c, &[]), "{ok}");
        }
        for bad in [
            "http://localhost.evil.example",
            "http://localhost:80/x",
            "http://localhost:",
            "http://127.0.0.1:abc",
            "https://localhost:8080@evil.example",
            "http://127.0.0.1.evil.example:80",
        ] {
            assert!(!is_allowed(bad, &c, &[]), "{bad}");
        }
    }

    #[test]
    fn echoes_one_origin_and_always_varies() {
        let c = config(false);
        let allowed =
            ApiRequest::new("GET", "/v1/catalog").with_header("Origin", "https://partner.example");
        let response = apply(&allowed, &c, &[], ApiResponse::empty(200));
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some("https://partner.example")
        );
        assert_eq!(response.header("vary"), Some("Origin"));

        let unknown =
            ApiRequest::new("GET", "/v1/catalog").with_header("Origin", "https://evil.example");
        let response = apply(&unknown, &c, &[], ApiResponse::empty(200));
        assert_eq!(response.header("access-control-allow-origin"), None);
        assert_eq!(response.header("vary"), Some("Origin"));
    }

    #[test]
    fn preflight_grants_only_allowed_origins() {
        let c = config(false);
        let ask = |origin: &str| {
            ApiRequest::new("OPTIONS", "/v1/catalog")
                .with_header("Origin", origin)
                .with_header("Access-Control-Request-Method", "GET")
        };
        let granted = preflight(&ask("https://partner.example"), &c, &[]);
        assert!(is_preflight(&ask("https://partner.example")));
        assert_eq!(granted.status, 204);
        assert_eq!(
            granted.header("access-control-allow-methods"),
            Some(ALLOWED_METHODS)
        );
        let refused = preflight(&ask("https://evil.example"), &c, &[]);
        assert_eq!(refused.header("access-control-allow-origin"), None);
        assert_eq!(refused.header("access-control-allow-methods"), None);
    }
}
