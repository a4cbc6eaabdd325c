//! The one error type of the API, mapped to a status and the contract's JSON body in one place.

use guanai_core::i18n::{ErrorBody, ErrorCode};
use guanai_core::validate::FieldError;

use crate::http::ApiResponse;

/// Everything a route can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No such route (or asset).
    NotFound,
    /// The route exists but not for this method; `allow` lists the methods it takes.
    MethodNotAllowed { allow: String },
    /// The request could not be understood.
    BadRequest,
    /// The input was understood but some fields are invalid.
    Validation(Vec<FieldError>),
    /// Nothing has been published yet.
    CatalogUnavailable,
    /// Refused for a reason the code names (rate limit, bot screen, challenge, size, …).
    Refused(ErrorCode),
    /// Storage failed. The detail goes to the log (never personal data), not to the client.
    Storage(String),
}

/// A storage failure, so that `?` on any KV call maps it.
impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> ApiError {
        ApiError::Storage(error.0)
    }
}

/// A value the server itself wrote or reads back that (de)serialises badly is a storage fault.
/// A client's body that does not parse is a bad request instead: [`ApiRequest::json`] maps it.
///
/// [`ApiRequest::json`]: crate::http::ApiRequest::json
impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> ApiError {
        // Where and what kind, never the text: serde's messages quote the value they met.
        ApiError::Storage(format!(
            "json {:?} error at {}:{}",
            error.classify(),
            error.line(),
            error.column()
        ))
    }
}

/// Field errors from the domain's rules, so that `?` on a validation answers 422.
impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> ApiError {
        ApiError::Validation(errors)
    }
}

impl ApiError {
    /// 405 for a route that takes only `allow` (e.g. `GET, HEAD`).
    pub fn method_not_allowed(allow: impl Into<String>) -> ApiError {
        ApiError::MethodNotAllowed {
            allow: allow.into(),
        }
    }
}

impl ApiError {
    /// The HTTP status for this error.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::NotFound => 404,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::BadRequest => 400,
            ApiError::Validation(_) => 422,
            ApiError::CatalogUnavailable => 503,
            ApiError::Refused(code) => match code {
                ErrorCode::PayloadTooLarge => 413,
                ErrorCode::RateLimited => 429,
                ErrorCode::TooFast => 422,
                ErrorCode::ChallengeUsed
                | ErrorCode::AlreadyRegistered
                | ErrorCode::UsernameTaken => 409,
                ErrorCode::Unauthenticated
                | ErrorCode::InvalidCredentials
                | ErrorCode::InvalidLink => 401,
                ErrorCode::Forbidden | ErrorCode::CsrfFailed => 403,
                ErrorCode::NotFound => 404,
                ErrorCode::Internal | ErrorCode::CatalogUnavailable => 500,
                _ => 400,
            },
            ApiError::Storage(_) => 500,
        }
    }

    fn code(&self) -> ErrorCode {
        match self {
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            ApiError::BadRequest => ErrorCode::BadRequest,
            ApiError::Validation(_) => ErrorCode::Validation,
            ApiError::CatalogUnavailable => ErrorCode::CatalogUnavailable,
            ApiError::Refused(code) => *code,
            ApiError::Storage(_) => ErrorCode::Internal,
        }
    }

    /// The response the client sees.
    pub fn into_response(self) -> ApiResponse {
        let status = self.status();
        let code = self.code();
        let allow = match &self {
            ApiError::MethodNotAllowed { allow } => Some(allow.clone()),
            _ => None,
        };
        let fields = match self {
            ApiError::Validation(fields) => fields,
            _ => Vec::new(),
        };
        let body = serde_json::to_string(&ErrorBody::new(code, fields))
            .unwrap_or_else(|_| r#"{"error":{"code":"internal","message":{"zh":"服务暂时出现问题。","en":"Something went wrong."}}}"#.into());
        let response = ApiResponse::json(status, body).with_header("cache-control", "no-store");
        match allow {
            Some(allow) => response.with_header("allow", allow),
            None => response,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guanai_core::Text;

    #[test]
    fn every_error_has_the_contract_shape() {
        let errors = [
            ApiError::NotFound,
            ApiError::method_not_allowed("GET"),
            ApiError::BadRequest,
            ApiError::Validation(vec![FieldError {
                field: "mobile".into(),
                code: "invalid_mobile".into(),
                message: Text::new("手机号无效", "Invalid mobile"),
            }]),
            ApiError::CatalogUnavailable,
            ApiError::Refused(ErrorCode::RateLimited),
            ApiError::Refused(ErrorCode::PayloadTooLarge),
            ApiError::Storage("kv get failed".into()),
        ];
        for error in errors {
            let status = error.status();
            let response = error.into_response();
            assert_eq!(response.status, status);
            let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
            let message = &body["error"]["message"];
            assert!(body["error"]["code"].is_string());
            assert!(message["zh"].as_str().is_some_and(|s| !s.is_empty()));
            assert!(message["en"].as_str().is_some_and(|s| !s.is_empty()));
            assert!(
                !response.body.contains("kv get failed"),
                "internal detail leaked"
            );
        }
    }

    #[test]
    fn validation_lists_fields_and_405_says_what_is_allowed() {
        let response = ApiError::method_not_allowed("GET, HEAD").into_response();
        assert_eq!(response.header("allow"), Some("GET, HEAD"));
        let field = FieldError {
            field: "mobile".into(),
            code: "invalid_mobile".into(),
            message: Text::new("a", "b"),
        };
        let response = ApiError::Validation(vec![field]).into_response();
        let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "mobile");
        assert_eq!(response.status, 422);
    }
}
