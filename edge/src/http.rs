//! The router's view of HTTP: just what the routes need, independent of any runtime.

use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest body of a form or an admin change. A sign-up is about 1 KB; this leaves room without
/// inviting abuse.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest CSV file accepted for import (5,000 rows of long texts fit).
pub const IMPORT_MAX_BYTES: usize = 4 * 1024 * 1024;
/// The one path whose body may be larger than [`MAX_BODY_BYTES`].
const IMPORT_PATH: &str = "/v1/admin/catalog/import";

/// The largest body the worker reads for `path`: CSV imports are bigger than any form.
pub fn body_limit(path: &str) -> usize {
    if path == IMPORT_PATH {
        IMPORT_MAX_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

/// An incoming request.
#[derive(Debug, Clone, Default)]
pub struct ApiRequest {
    /// Upper-case method, e.g. `GET`.
    pub method: String,
    /// The URL path, without query string, e.g. `/v1/catalog`.
    pub path: String,
    /// The raw query string without `?` (empty if none).
    pub query: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, for POST routes (UTF-8; empty otherwise).
    pub body: String,
}

impl ApiRequest {
    /// A request with no headers, for tests and internal use.
    pub fn new(method: &str, path: &str) -> ApiRequest {
        ApiRequest {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            query: String::new(),
            headers: Vec::new(),
            body: String::new(),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> ApiRequest {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// Sets the body (builder style).
    pub fn with_body(mut self, body: impl Into<String>) -> ApiRequest {
        self.body = body.into();
        self
    }

    /// Sets the raw query string (builder style).
    pub fn with_query(mut self, query: &str) -> ApiRequest {
        self.query = query.trim_start_matches('?').to_string();
        self
    }

    /// The first value of query parameter `name`, percent-decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// 413 when the body is over its path's [`body_limit`], by its declared length (the worker
    /// leaves a body over the limit unread, so the declared length is all there is) or its
    /// actual one. The router checks this once for every request that may carry a body.
    pub fn check_body_size(&self) -> Result<(), ApiError> {
        let limit = body_limit(&self.path);
        let declared = self
            .header("content-length")
            .and_then(|length| length.trim().parse::<usize>().ok());
        if declared.unwrap_or(0) > limit || self.body.len() > limit {
            return Err(ApiError::Refused(
                guanai_core::i18n::ErrorCode::PayloadTooLarge,
            ));
        }
        Ok(())
    }

    /// The body as JSON of type `T`; 400 when it is not.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_str(&self.body).map_err(|_| ApiError::BadRequest)
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A complete response produced by the router.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl ApiResponse {
    /// A JSON response with `status`.
    pub fn json(status: u16, body: String) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body,
        }
    }

    /// A response without a body.
    pub fn empty(status: u16) -> ApiResponse {
        ApiResponse {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    /// Sets header `name` (builder style), replacing an earlier value.
    /// A spreadsheet download: `body` (CSV) saved as `filename`.
    pub fn csv(body: String, filename: &str) -> ApiResponse {
        ApiResponse {
            status: 200,
            headers: vec![
                ("content-type".into(), "text/csv; charset=utf-8".into()),
                (
                    "content-disposition".into(),
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            body,
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> ApiResponse {
        self.set_header(name, value);
        self
    }

    /// Sets header `name`, replacing an earlier value.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(key, _)| *key != name);
        self.headers.push((name, value.into()));
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}
