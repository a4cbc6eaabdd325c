use base64::Engine;
use guanai_core::{Benefit, Catalogue, Lang, ServiceArea, Text};
use sha2::{Digest, Sha256};

use super::*;
use crate::routes::Outcome;
use crate::store::MemoryKv;
use crate::testing::{NOW_MS, outcome, outcome_with, published, respond};

const DAY_MS: u64 = 86_400_000;
/// The budget a listing page must stay under, whatever the catalogue holds.
const PAGE_BUDGET: usize = 200_000;

fn get(path_and_query: &str) -> ApiRequest {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    ApiRequest::new("GET", path).with_query(query)
}

/// A store with `catalogue` published (validated as staff would publish it).
fn publishing(catalogue: &Catalogue) -> MemoryKv {
    let kv = MemoryKv::new();
    for entry in catalog::publish_entries(catalogue).expect("the catalogue validates") {
        kv.insert(
            &entry.key,
            &entry.value,
            Some(serde_json::to_value(entry.metadata).unwrap()),
        );
    }
    kv
}

/// The benefit ids a page links to, in order.
fn linked_benefits(body: &str) -> Vec<String> {
    body.split("href=\"/catalog/")
        .skip(1)
        .map(|rest| {
            let end = rest.find(['"', '?']).unwrap();
            rest[..end].to_string()
        })
        .collect()
}

fn today() -> chrono::NaiveDate {
    guanai_core::time::shanghai_date(
        chrono::DateTime::from_timestamp_millis(NOW_MS as i64).unwrap(),
    )
}

#[test]
fn the_catalogue_is_plain_html_by_area_with_one_read_and_no_script() {
    let kv = published();
    let response = respond(get("/catalog"), &kv);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(kv.reads(), 1);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = response.header("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src") && !csp.contains("unsafe-inline"));
    let body = &response.body;
    assert!(body.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">"));
    assert!(!body.contains("<script"));
    assert!(
        body.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
    assert!(body.contains("社工关爱福利目录"));
    // Sample data says so.
    assert!(body.contains(guanai_core::i18n::Ui::SampleData.get(Lang::ZhCn)));

    let demo = guanai_core::demo::programme();
    let current: Vec<&Benefit> = demo
        .benefits
        .iter()
        .filter(|b| b.valid_until.is_none_or(|until| today() <= until))
        .collect();
    assert!(
        current.len() < demo.benefits.len(),
        "the demo has ended offers"
    );
    let mut expected: Vec<&Benefit> = current.clone();
    expected.sort_by_key(|b| ServiceArea::ALL.iter().position(|a| *a == b.area));
    let expected: Vec<String> = expected.iter().map(|b| b.id.clone()).collect();
    assert_eq!(linked_benefits(body), expected, "current offers, by area");
    // Each shown with partner, validity and how to redeem.
    for benefit in current {
        let partner = demo.partner(&benefit.partner).unwrap();
        assert!(
            body.contains(&escaped(partner.name.get(Lang::ZhCn))),
            "{}",
            benefit.id
        );
        assert!(body.contains(&guanai_core::describe::validity(benefit, Lang::ZhCn)));
    }
    // Area headings in the 6+1 order.
    let positions: Vec<usize> = ServiceArea::ALL
        .iter()
        .filter_map(|area| body.find(&format!("id=\"area-{}\"", area.code())))
        .collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(positions.len() >= 5);
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn english_is_a_query_away_and_each_page_links_its_other_language() {
    let kv = published();
    let english = respond(get("/catalog?lang=en&area=health"), &kv).body;
    assert!(english.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert!(english.contains("Benefit catalogue for social workers"));
    assert!(english.contains("href=\"/catalog?area=health\" hreflang=\"zh-CN\""));
    for id in linked_benefits(&english) {
        assert!(english.contains(&format!("/catalog/{id}?lang=en")));
    }
    let chinese = respond(get("/catalog?area=health"), &kv).body;
    assert!(chinese.contains("href=\"/catalog?area=health&amp;lang=en\""));
}

#[test]
fn an_area_lists_only_its_offers_and_the_nav_marks_it() {
    let kv = published();
    let body = respond(get("/catalog?area=health"), &kv).body;
    let demo = guanai_core::demo::programme();
    let ids = linked_benefits(&body);
    assert!(!ids.is_empty());
    for id in &ids {
        let benefit = demo.benefits.iter().find(|b| &b.id == id).unwrap();
        assert_eq!(benefit.area, ServiceArea::Health);
    }
    assert!(body.contains("href=\"/catalog?area=health\" aria-current=\"page\""));
}

#[test]
fn ten_thousand_benefits_page_under_200_kb_and_every_one_is_on_exactly_one_page() {
    let catalogue = guanai_core::synthetic::catalogue(10_000);
    let kv = publishing(&catalogue);
    let current = current(&catalogue, today());
    let check = |area: Option<ServiceArea>| {
        let mut seen = Vec::new();
        let mut page = 1;
        loop {
            let listing = Listing {
                lang: Lang::ZhCn,
                area,
                page,
            };
            let response = respond(get(&page_url(&listing)), &kv);
            if response.status == 404 {
                break;
            }
            assert_eq!(response.status, 200);
            assert!(
                response.body.len() <= PAGE_BUDGET,
                "{} is {} bytes",
                page_url(&listing),
                response.body.len()
            );
            let ids = linked_benefits(&response.body);
            assert!(ids.len() <= PAGE_SIZE);
            seen.extend(ids);
            page += 1;
        }
        let expected: Vec<String> = current
            .iter()
            .filter(|b| area.is_none_or(|area| b.area == area))
            .map(|b| b.id.clone())
            .collect();
        assert_eq!(seen, expected, "{area:?}");
        page - 1
    };
    let pages = check(None);
    assert_eq!(pages, current.len().div_ceil(PAGE_SIZE));
    check(Some(ServiceArea::Civic));
    // The next page is linked, with rel=next, and the heading says an area continues.
    let second = respond(get("/catalog?page=2"), &kv).body;
    assert!(second.contains("rel=\"next\" href=\"/catalog?page=3\""));
    assert!(second.contains("rel=\"prev\" href=\"/catalog\""));
    assert!(second.contains("（续）"));
}

/// A catalogue whose every text is as long and as markup-laden as a form lets through.
fn hostile(benefits: usize) -> Catalogue {
    let mut catalogue = guanai_core::synthetic::catalogue(benefits);
    let nasty = "<script>alert(1)</script>&\"'\u{202E}".repeat(300);
    for partner in &mut catalogue.partners {
        partner.name = Text::new(nasty.clone(), nasty.clone());
    }
    for benefit in &mut catalogue.benefits {
        benefit.title = Text::new(nasty.clone(), nasty.clone());
        benefit.how_to_redeem = Text::new(nasty.clone(), nasty.clone());
        benefit.valid_until = None;
    }
    catalogue
}

#[test]
fn hostile_text_is_escaped_and_long_text_cannot_break_the_page_budget() {
    let catalogue = hostile(400);
    let kv = publishing(&catalogue);
    for path in ["/catalog", "/catalog?lang=en", "/catalog?area=career"] {
        let response = respond(get(path), &kv);
        assert_eq!(response.status, 200);
        assert!(
            response.body.len() <= PAGE_BUDGET,
            "{path}: {}",
            response.body.len()
        );
        assert!(!response.body.contains("<script"), "{path}");
        assert!(
            response
                .body
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;")
        );
    }
    let detail = respond(get("/catalog/benefit-0"), &kv);
    assert_eq!(detail.status, 200);
    assert!(!detail.body.contains("<script"));
}

#[test]
fn a_benefit_page_has_everything_and_prints() {
    let kv = published();
    let demo = guanai_core::demo::programme();
    let benefit = demo
        .benefits
        .iter()
        .find(|b| {
            demo.partner(&b.partner)
                .is_some_and(|p| !p.locations.is_empty())
                && b.is_valid_on(today())
        })
        .unwrap();
    let partner = demo.partner(&benefit.partner).unwrap();
    let response = respond(get(&format!("/catalog/{}", benefit.id)), &kv);
    assert_eq!(response.status, 200);
    let body = &response.body;
    for text in [
        benefit.title.zh.as_str(),
        benefit.how_to_redeem.zh.as_str(),
        partner.name.zh.as_str(),
    ] {
        assert!(body.contains(&escaped(text)), "{text}");
    }
    for location in &partner.locations {
        assert!(body.contains(&escaped(location.address.get(Lang::ZhCn))));
        assert!(body.contains(&format!("to={:.6},{:.6},", location.lon, location.lat)));
    }
    assert!(body.contains("coordinate=wgs84") && body.contains("coord_type=wgs84"));
    assert!(body.contains("@media print"));
    assert!(body.contains(&format!(
        "<title>{} — {}</title>",
        escaped(&benefit.title.zh),
        escaped(&partner.name.zh)
    )));
    assert!(body.contains("property=\"og:description\""));
    let english = respond(get(&format!("/catalog/{}?lang=en", benefit.id)), &kv).body;
    assert!(english.contains(&escaped(&benefit.title.en)));
}

#[test]
fn an_ended_benefit_still_has_its_page_saying_so() {
    let kv = published();
    let demo = guanai_core::demo::programme();
    let ended = demo
        .benefits
        .iter()
        .find(|b| b.valid_until.is_some_and(|until| until < today()))
        .unwrap();
    let body = respond(get(&format!("/catalog/{}", ended.id)), &kv).body;
    assert!(body.contains(PageUi::Ended.get(Lang::ZhCn)));
}

#[test]
fn unknown_pages_get_a_bilingual_html_answer_not_json() {
    let kv = published();
    for (path, status, message) in [
        (
            "/catalog/no-such-benefit",
            404,
            PageUi::NotFoundBenefit.get(Lang::ZhCn).to_string(),
        ),
        (
            "/catalog?area=spa",
            404,
            "没有名为“spa”的服务领域。".to_string(),
        ),
        (
            "/catalog?page=99",
            404,
            PageUi::NotFoundPage.get(Lang::ZhCn).to_string(),
        ),
        ("/catalog?page=0", 400, "页码“0”无效".to_string()),
        ("/catalog?page=two", 400, "页码“two”无效".to_string()),
    ] {
        let response = respond(get(path), &kv);
        assert_eq!(response.status, status, "{path}");
        assert_eq!(
            response.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(response.header("cache-control"), Some("no-store"));
        assert!(
            response.body.contains(&message),
            "{path}: {}",
            response.body
        );
        assert!(response.body.contains("href=\"/catalog\""), "a way back");
    }
    let english = respond(get("/catalog/nope?lang=en"), &kv);
    assert!(english.body.contains(PageUi::NotFoundBenefit.get(Lang::En)));
    let post = respond(ApiRequest::new("POST", "/catalog"), &kv);
    assert_eq!(
        (post.status, post.header("allow")),
        (405, Some("GET, HEAD"))
    );
}

#[test]
fn etags_follow_snapshot_language_build_and_day_with_304() {
    let kv = published();
    let first = respond(get("/catalog"), &kv);
    let etag = first.header("etag").unwrap().to_string();
    assert_eq!(first.header("cache-control"), Some(CACHE_CONTROL));
    let revalidated = respond(get("/catalog").with_header("If-None-Match", &etag), &kv);
    assert_eq!(revalidated.status, 304);
    assert!(revalidated.body.is_empty());
    assert_eq!(revalidated.header("etag"), Some(etag.as_str()));
    // Another language is another representation.
    let english = respond(
        get("/catalog?lang=en").with_header("If-None-Match", &etag),
        &kv,
    );
    assert_eq!(english.status, 200);
    assert_ne!(english.header("etag"), Some(etag.as_str()));
    // The next day in Beijing, offers may have ended or begun.
    let tomorrow = match outcome_with(
        &get("/catalog").with_header("If-None-Match", &etag),
        &kv,
        &crate::limits::CountingLimiter::new(10),
        NOW_MS + DAY_MS,
        [0; 32],
    ) {
        Outcome::Respond { response, .. } => response,
        Outcome::Asset { .. } => panic!("not a page"),
    };
    assert_eq!(tomorrow.status, 200);
    // A new publication changes every page's tag.
    let mut catalogue = guanai_core::demo::programme();
    catalogue.version = "next".into();
    let republished = publishing(&catalogue);
    let after = respond(
        get("/catalog").with_header("If-None-Match", &etag),
        &republished,
    );
    assert_eq!(after.status, 200);
    // And the build is part of it.
    let today = today();
    assert_ne!(
        page_etag("\"x\"", Lang::ZhCn, today),
        format!(
            "\"page-{:016x}\"",
            guanai_core::digest::fnv1a64(
                format!(
                    "\"x\"|zh-CN|other-build|{}",
                    guanai_core::time::iso_date(today)
                )
                .as_bytes()
            )
        )
    );
    let head = respond(ApiRequest::new("HEAD", "/catalog"), &kv);
    assert_eq!((head.status, head.body.as_str()), (200, ""));
}

#[test]
fn nothing_published_or_storage_down_is_a_plain_503_page() {
    let empty = respond(get("/catalog"), &MemoryKv::new());
    assert_eq!(empty.status, 503);
    assert!(empty.body.contains(PageUi::Unavailable.get(Lang::ZhCn)));
    assert_eq!(empty.header("retry-after"), Some("60"));
    let down = MemoryKv::new();
    down.go_down();
    let Outcome::Respond { response, problem } = outcome(&get("/catalog/x?lang=en"), &down) else {
        panic!("not a page")
    };
    assert_eq!(response.status, 503);
    assert!(response.body.contains(PageUi::Unavailable.get(Lang::En)));
    assert_eq!(problem.as_deref(), Some("kv unreachable"));
}

#[test]
fn the_csp_hash_is_the_inline_stylesheets() {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(render::STYLE));
    assert!(csp().contains(&format!("style-src 'sha256-{hash}'")));
    let body = respond(get("/catalog"), &published()).body;
    assert!(body.contains(&format!("<style>{}</style>", render::STYLE)));
}

#[test]
fn the_parsed_snapshot_is_kept_per_publication() {
    let demo = guanai_core::demo::programme();
    let kv = publishing(&demo);
    respond(get("/catalog"), &kv);
    let stored = kv.value(catalog::PUBLISHED_KEY).unwrap();
    let etag = catalog::etag_of(&stored.value);
    let first = parsed(&etag, &stored.value).unwrap();
    let again = parsed(&etag, "not even json").unwrap();
    assert!(
        Rc::ptr_eq(&first, &again),
        "a second page does not parse again"
    );
    assert!(parsed("\"other\"", "not even json").is_none());
}
