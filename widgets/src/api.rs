//! Talking to the edge API.

use std::fmt;
use std::sync::Arc;

use guanai_core::Catalogue;
use guanai_core::search::SearchIndex;

/// A catalogue ready for searching.
#[derive(Debug)]
pub struct LoadedCatalogue {
    pub catalogue: Catalogue,
    pub index: SearchIndex,
}

impl LoadedCatalogue {
    pub fn new(catalogue: Catalogue) -> Arc<LoadedCatalogue> {
        let index = SearchIndex::new(&catalogue);
        Arc::new(LoadedCatalogue { catalogue, index })
    }
}

/// Why the catalogue could not be shown. The code travels in the `guanai:error` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// No answer at all (offline, DNS, CORS refused).
    Network,
    /// The edge answered with an error status.
    Status(u16),
    /// The answer was not a catalogue.
    Malformed,
}

impl LoadError {
    /// The `code` of the `guanai:error` event.
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::Network => "network",
            LoadError::Status(_) => "server",
            LoadError::Malformed => "malformed",
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Network => f.write_str("network error"),
            LoadError::Status(status) => write!(f, "HTTP {status}"),
            LoadError::Malformed => f.write_str("malformed catalogue"),
        }
    }
}

impl std::error::Error for LoadError {}

/// The URL of `path` under the API base `api` (with or without a trailing slash).
pub fn endpoint(api: &str, path: &str) -> String {
    format!("{}{path}", api.trim_end_matches('/'))
}

/// Fetches and prepares the published catalogue. The browser's HTTP cache revalidates it with
/// the ETag, so a second widget on the page usually costs a 304 at most.
pub async fn fetch_catalogue(api: String) -> Result<Arc<LoadedCatalogue>, LoadError> {
    let text = fetch_catalogue_text(&api).await?;
    prepare(&text)
}

/// The published catalogue's JSON text, as the edge answered it.
pub async fn fetch_catalogue_text(api: &str) -> Result<String, LoadError> {
    let answer = crate::http::get(&endpoint(api, "/v1/catalog"))
        .await
        .map_err(|_| LoadError::Network)?;
    if !answer.ok() {
        return Err(LoadError::Status(answer.status));
    }
    Ok(answer.text)
}

/// A catalogue's JSON text, parsed and indexed for searching.
pub fn prepare(text: &str) -> Result<Arc<LoadedCatalogue>, LoadError> {
    let catalogue = crate::catalogue_json::parse(text).map_err(|_| LoadError::Malformed)?;
    Ok(LoadedCatalogue::new(catalogue))
}
