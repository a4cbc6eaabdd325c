//! `GET /catalog` and `GET /catalog/<benefit-id>`: the published catalogue as plain HTML, with
//! no script at all.
//!
//! These pages are what the widgets' fallback link points at (a browser without WebAssembly,
//! a partner page whose script failed), what a shared link opens and what a WeChat preview
//! reads. They are rendered from the same snapshot as `GET /v1/catalog`, with the same single
//! KV read (none while the isolate's copy is fresh), and the parsed snapshot is kept per
//! isolate so a page costs rendering only.
//!
//! - `/catalog` lists the benefits running today (or about to start) by the 6+1 areas,
//!   [`PAGE_SIZE`] to a page (`?page=2`), optionally one area only (`?area=health`);
//!   `?lang=en` for English. Free texts are cut to an excerpt in listings, so no page exceeds
//!   200 KB whatever the catalogue holds.
//! - `/catalog/<benefit-id>` shows one benefit whole, with its partner's places and directions.
//!
//! ETags derive from the snapshot's ETag, the language, the build and the Asia/Shanghai date
//! (which benefits are current changes at midnight), so `If-None-Match` gets a 304 without the
//! snapshot being parsed.

pub(crate) mod render;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::rc::Rc;

use guanai_core::describe::Standing;
use guanai_core::i18n::{PageUi, fill};
use guanai_core::{Catalogue, Lang, ServiceArea};

use crate::catalog;
use crate::http::{ApiRequest, ApiResponse};
use crate::store::Kv;

/// Benefits on one listing page.
pub const PAGE_SIZE: usize = 50;

/// A fingerprint of the sources the pages are rendered from (see `build.rs`).
const BUILD: &str = env!("GUANAI_BUILD");

/// Browsers and shared caches revalidate after a minute, as for the catalogue's JSON: KV takes
/// about as long to spread a publication.
const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=600";

/// Where `/catalog` pages start.
pub const PREFIX: &str = "/catalog";

/// Whether `path` is one of these pages.
pub fn handles(path: &str) -> bool {
    path == PREFIX || path.starts_with("/catalog/")
}

/// Which page was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wanted {
    Listing(Listing),
    Benefit { lang: Lang, id: String },
}

/// A page of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub lang: Lang,
    pub area: Option<ServiceArea>,
    /// From 1.
    pub page: usize,
}

/// The address of a listing page, with only the parameters that differ from the defaults.
pub fn page_url(listing: &Listing) -> String {
    let mut query = Vec::new();
    if let Some(area) = listing.area {
        query.push(format!("area={}", area.code()));
    }
    if listing.page > 1 {
        query.push(format!("page={}", listing.page));
    }
    if listing.lang == Lang::En {
        query.push("lang=en".to_string());
    }
    if query.is_empty() {
        PREFIX.to_string()
    } else {
        format!("{PREFIX}?{}", query.join("&"))
    }
}

/// The address of a benefit's page.
pub fn benefit_url(id: &str, lang: Lang) -> String {
    let id = encode_component(id);
    match lang {
        Lang::ZhCn => format!("{PREFIX}/{id}"),
        Lang::En => format!("{PREFIX}/{id}?lang=en"),
    }
}

pub use guanai_core::uri::encode_component;

/// A request that names no page this module can show: the status and what to tell the person.
struct Refusal {
    status: u16,
    heading: PageUi,
    message: String,
}

impl Refusal {
    fn not_found(message: String) -> Refusal {
        Refusal {
            status: 404,
            heading: PageUi::NotFoundTitle,
            message,
        }
    }
}

/// Reads the path and query; `lang` is read leniently (anything but English is Chinese), the
/// area and page strictly, since a wrong one must not silently show another page.
fn wanted(request: &ApiRequest) -> Result<Wanted, (Lang, Refusal)> {
    let lang = Lang::from_attribute(request.query("lang").as_deref());
    let rest = request.path[PREFIX.len()..].trim_start_matches('/');
    if !rest.is_empty() {
        let id = rest.trim_end_matches('/').to_string();
        return Ok(Wanted::Benefit { lang, id });
    }
    let area = match request.query("area").filter(|area| !area.is_empty()) {
        None => None,
        Some(code) => match code.parse::<ServiceArea>() {
            Ok(area) => Some(area),
            Err(_) => {
                let message = fill(PageUi::UnknownArea.get(lang), &[("area", &code)]);
                return Err((lang, Refusal::not_found(message)));
            }
        },
    };
    let page = match request.query("page").filter(|page| !page.is_empty()) {
        None => 1,
        Some(text) => match text.trim().parse::<usize>() {
            Ok(page) if page >= 1 => page,
            _ => {
                let message = fill(PageUi::BadPageNumber.get(lang), &[("page", &text)]);
                let refusal = Refusal {
                    status: 400,
                    heading: PageUi::NotFoundTitle,
                    message,
                };
                return Err((lang, refusal));
            }
        },
    };
    Ok(Wanted::Listing(Listing { lang, area, page }))
}

thread_local! {
    /// The last snapshot parsed by this isolate, by its ETag: parsing 10,000 benefits costs more
    /// than rendering a page, and the snapshot changes only when staff publish.
    static PARSED: RefCell<Option<(String, Rc<Catalogue>)>> = const { RefCell::new(None) };
}

/// The snapshot `value` with ETag `etag`, parsed once per isolate.
fn parsed(etag: &str, value: &str) -> Option<Rc<Catalogue>> {
    if let Some(hit) = PARSED.with_borrow(|cached| {
        cached
            .as_ref()
            .filter(|(cached_etag, _)| cached_etag == etag)
            .map(|(_, catalogue)| catalogue.clone())
    }) {
        return Some(hit);
    }
    let catalogue = Rc::new(serde_json::from_str::<Catalogue>(value).ok()?);
    PARSED.with_borrow_mut(|cached| *cached = Some((etag.to_string(), catalogue.clone())));
    Some(catalogue)
}

/// Answers a `/catalog` request. `Err` carries a log line for a storage failure (the person
/// still gets a page saying the catalogue cannot be shown).
pub async fn respond(
    request: &ApiRequest,
    kv: &impl Kv,
    now_ms: u64,
) -> (ApiResponse, Option<String>) {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        let lang = Lang::from_attribute(request.query("lang").as_deref());
        let page = render::problem(
            lang,
            PageUi::NotFoundTitle,
            guanai_core::i18n::ErrorCode::MethodNotAllowed.get(lang),
        );
        return (html(405, page).with_header("allow", "GET, HEAD"), None);
    }
    let wanted = match wanted(request) {
        Ok(wanted) => wanted,
        Err((lang, refusal)) => return (refused(lang, refusal), None),
    };
    let lang = match &wanted {
        Wanted::Listing(listing) => listing.lang,
        Wanted::Benefit { lang, .. } => *lang,
    };
    let stored = match kv.get(catalog::PUBLISHED_KEY).await {
        Ok(Some(stored)) => stored,
        Ok(None) => return (unavailable(lang), None),
        Err(error) => return (unavailable(lang), Some(error.0)),
    };
    let snapshot_etag = catalog::stored_etag(&stored);
    let now = chrono::DateTime::from_timestamp_millis(now_ms as i64).unwrap_or_default();
    let today = guanai_core::time::shanghai_date(now);
    let etag = page_etag(&snapshot_etag, lang, today);
    if crate::routes::client_has(request.header("if-none-match"), &etag) {
        return (cached(ApiResponse::empty(304), &etag), None);
    }
    let Some(catalogue) = parsed(&snapshot_etag, &stored.value) else {
        return (
            unavailable(lang),
            Some("catalog:published does not parse".into()),
        );
    };
    let response = match wanted {
        Wanted::Listing(listing) => listing_page(&catalogue, &listing, today),
        Wanted::Benefit { lang, id } => benefit_page(&catalogue, &id, lang, today),
    };
    match response {
        Ok(page) => (cached(html(200, page), &etag), None),
        Err(refusal) => (refused(lang, refusal), None),
    }
}

/// The strong ETag of a page: what it is rendered from (snapshot, language, build, day).
fn page_etag(snapshot_etag: &str, lang: Lang, today: chrono::NaiveDate) -> String {
    let identity = format!(
        "{snapshot_etag}|{}|{BUILD}|{}",
        lang.tag(),
        guanai_core::time::iso_date(today)
    );
    format!(
        "\"page-{:016x}\"",
        guanai_core::digest::fnv1a64(identity.as_bytes())
    )
}

/// The benefits a listing shows: those running today or about to, sorted by area (stable, so
/// staff's order holds within an area).
fn current(catalogue: &Catalogue, today: chrono::NaiveDate) -> Vec<&guanai_core::Benefit> {
    let mut current: Vec<_> = catalogue
        .benefits
        .iter()
        .filter(|benefit| Standing::of(benefit, today) != Some(Standing::Ended))
        .collect();
    current.sort_by_key(|benefit| {
        ServiceArea::ALL
            .iter()
            .position(|area| *area == benefit.area)
    });
    current
}

fn listing_page(
    catalogue: &Catalogue,
    listing: &Listing,
    today: chrono::NaiveDate,
) -> Result<String, Refusal> {
    let current = current(catalogue, today);
    let counts: Vec<(ServiceArea, usize)> = ServiceArea::ALL
        .iter()
        .map(|area| (*area, current.iter().filter(|b| b.area == *area).count()))
        .collect();
    let selected: Vec<_> = current
        .into_iter()
        .filter(|benefit| listing.area.is_none_or(|area| benefit.area == area))
        .collect();
    let pages = selected.len().div_ceil(PAGE_SIZE).max(1);
    if listing.page > pages {
        let message = PageUi::NotFoundPage.get(listing.lang).to_string();
        return Err(Refusal::not_found(message));
    }
    let start = (listing.page - 1) * PAGE_SIZE;
    let shown = &selected[start..(start + PAGE_SIZE).min(selected.len())];
    let continues = start > 0 && selected[start - 1].area == selected[start].area;
    let page = render::ListingPage {
        listing,
        shown,
        counts: &counts,
        total: selected.len(),
        pages,
        continues,
    };
    Ok(render::listing(catalogue, page, today))
}

fn benefit_page(
    catalogue: &Catalogue,
    id: &str,
    lang: Lang,
    today: chrono::NaiveDate,
) -> Result<String, Refusal> {
    let benefit = catalogue
        .benefits
        .iter()
        .find(|benefit| benefit.id == id)
        .ok_or_else(|| Refusal::not_found(PageUi::NotFoundBenefit.get(lang).to_string()))?;
    Ok(render::benefit(catalogue, benefit, lang, today))
}

/// A page that cannot be cached for long: errors and the not-yet-published catalogue.
fn refused(lang: Lang, refusal: Refusal) -> ApiResponse {
    let page = render::problem(lang, refusal.heading, &refusal.message);
    html(refusal.status, page).with_header("cache-control", "no-store")
}

fn unavailable(lang: Lang) -> ApiResponse {
    refused(
        lang,
        Refusal {
            status: 503,
            heading: PageUi::UnavailableTitle,
            message: PageUi::Unavailable.get(lang).to_string(),
        },
    )
    .with_header("retry-after", "60")
}

fn cached(response: ApiResponse, etag: &str) -> ApiResponse {
    response
        .with_header("etag", etag)
        .with_header("cache-control", CACHE_CONTROL)
}

/// An HTML response with the pages' CSP: no script of any kind, only the one inline stylesheet
/// (by its hash), nothing framed in or sent anywhere.
fn html(status: u16, body: String) -> ApiResponse {
    ApiResponse {
        status,
        headers: vec![
            ("content-type".into(), "text/html; charset=utf-8".into()),
            ("content-security-policy".into(), csp()),
        ],
        body,
    }
}

/// The pages' Content-Security-Policy.
pub fn csp() -> String {
    format!(
        "default-src 'none'; style-src '{}'; img-src data:; base-uri 'none'; form-action 'none'",
        env!("GUANAI_PAGE_STYLE_HASH")
    )
}
