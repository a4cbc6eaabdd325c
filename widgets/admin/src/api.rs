//! Calls to `/v1/admin/*` from the same origin: the browser sends the `HttpOnly` session cookie
//! itself; every change carries the session's CSRF token in `X-CSRF-Token`.

use std::cell::RefCell;

use guanai_core::Text;
use guanai_core::validate::FieldError;
use serde::Deserialize;
use serde::de::DeserializeOwned;

thread_local! {
    /// The CSRF token of the current session (never stored anywhere the page outlives).
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
    /// What to do when the server says the session is gone.
    static ON_SESSION_ENDED: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Remembers the CSRF token the server issued with the session.
pub fn set_csrf(token: &str) {
    CSRF.with(|csrf| *csrf.borrow_mut() = token.to_string());
}

/// Registers what happens when any call answers 401 (the login page, saying why).
pub fn on_session_ended(callback: impl Fn() + 'static) {
    ON_SESSION_ENDED.with(|slot| *slot.borrow_mut() = Some(Box::new(callback)));
}

/// Why a call failed, as the server said it (bilingual) or as the network left it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// HTTP status; 0 when no answer arrived.
    pub status: u16,
    pub code: String,
    pub message: Text,
    /// Per-field problems of a 422 `validation` answer.
    pub fields: Vec<FieldError>,
}

impl Failure {
    fn network() -> Failure {
        Failure {
            status: 0,
            code: "network".into(),
            message: Text::new(
                "无法连接服务器，请检查网络后重试。",
                "The server could not be reached. Check the connection and try again.",
            ),
            fields: Vec::new(),
        }
    }

    fn unreadable(status: u16) -> Failure {
        Failure {
            status,
            code: "unreadable".into(),
            message: Text::new(
                format!("服务器返回了无法识别的回答（HTTP {status}）。"),
                format!("The server's answer could not be read (HTTP {status})."),
            ),
            fields: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    message: Text,
    #[serde(default)]
    fields: Vec<FieldError>,
}

/// `GET path` as JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failure> {
    let request = gloo_net::http::Request::get(path)
        .header("accept", "application/json")
        .build()
        .map_err(|_| Failure::network())?;
    answer(request.send().await).await
}

/// `method path` with `body` (one of `guanai_core::wire`'s types) as JSON, carrying the CSRF
/// token.
pub async fn send<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &impl serde::Serialize,
) -> Result<T, Failure> {
    let body = serde_json::to_string(body).map_err(|_| Failure::network())?;
    send_text(method, path, "application/json", body).await
}

/// `body` (one of `guanai_core::wire`'s types) as the JSON text [`send_text`] sends.
pub fn wire_body(body: &impl serde::Serialize) -> String {
    serde_json::to_string(body).unwrap_or_default()
}

/// `method path` with a body of `content_type` (CSV imports), carrying the CSRF token.
pub async fn send_text<T: DeserializeOwned>(
    method: &str,
    path: &str,
    content_type: &str,
    body: String,
) -> Result<T, Failure> {
    let csrf = CSRF.with(|csrf| csrf.borrow().clone());
    let builder = match method {
        "PUT" => gloo_net::http::Request::put(path),
        "DELETE" => gloo_net::http::Request::delete(path),
        _ => gloo_net::http::Request::post(path),
    };
    let request = builder
        .header("content-type", content_type)
        .header("x-csrf-token", &csrf)
        .body(body)
        .map_err(|_| Failure::network())?;
    answer(request.send().await).await
}

async fn answer<T: DeserializeOwned>(
    sent: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, Failure> {
    let response = sent.map_err(|_| Failure::network())?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|_| Failure::unreadable(status))?;
    if response.ok() {
        // 204 and other empty answers read as JSON null.
        let text = if text.trim().is_empty() {
            "null"
        } else {
            &text
        };
        return serde_json::from_str(text).map_err(|_| Failure::unreadable(status));
    }
    let failure = serde_json::from_str::<ErrorEnvelope>(&text)
        .map(|envelope| Failure {
            status,
            code: envelope.error.code,
            message: envelope.error.message,
            fields: envelope.error.fields,
        })
        .unwrap_or_else(|_| Failure::unreadable(status));
    if status == 401 && failure.code == "unauthenticated" {
        ON_SESSION_ENDED.with(|slot| {
            if let Some(callback) = slot.borrow().as_ref() {
                callback();
            }
        });
    }
    Err(failure)
}

/// `path` with `pairs` as its query string (empty values left out), percent-encoded.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| {
            format!(
                "{name}={}",
                String::from(js_sys::encode_uri_component(value))
            )
        })
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// One page of an admin list: `{signups | applications | events: [...], cursor}`.
#[derive(Deserialize)]
struct ListPage<T> {
    #[serde(alias = "signups", alias = "applications", alias = "events")]
    rows: Vec<T>,
    cursor: Option<String>,
}

/// A list the server hands out page by page, read with "load more": its rows so far, the
/// cursor of the next page, whether a page is on its way, and why the last one failed.
pub struct Paged<T: Send + Sync + 'static> {
    pub rows: leptos::prelude::RwSignal<Vec<T>>,
    pub cursor: leptos::prelude::RwSignal<Option<String>>,
    pub loading: leptos::prelude::RwSignal<bool>,
    pub failure: leptos::prelude::RwSignal<Option<Failure>>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: DeserializeOwned + Send + Sync + 'static> Default for Paged<T> {
    fn default() -> Self {
        Paged::new()
    }
}

impl<T: DeserializeOwned + Send + Sync + 'static> Paged<T> {
    pub fn new() -> Paged<T> {
        use leptos::prelude::RwSignal;
        Paged {
            rows: RwSignal::new(Vec::new()),
            cursor: RwSignal::new(None),
            loading: RwSignal::new(false),
            failure: RwSignal::new(None),
        }
    }

    /// Reads the first page of `path` with `query` (replacing the rows), or with `more` the
    /// next page (appending to them).
    pub fn load(self, path: &str, mut query: Vec<(&str, String)>, more: bool) {
        use leptos::prelude::{GetUntracked, Set, Update};
        if more {
            query.push(("cursor", self.cursor.get_untracked().unwrap_or_default()));
        }
        let url = with_query(path, &query);
        self.loading.set(true);
        self.failure.set(None);
        leptos::task::spawn_local(async move {
            match get::<ListPage<T>>(&url).await {
                Ok(page) => {
                    self.cursor.set(page.cursor);
                    if more {
                        self.rows.update(|rows| rows.extend(page.rows));
                    } else {
                        self.rows.set(page.rows);
                    }
                }
                Err(problem) => self.failure.set(Some(problem)),
            }
            self.loading.set(false);
        });
    }
}
