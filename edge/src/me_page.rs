//! `/me`: the page a management link opens (`/me#<secret>`). It holds `<guanai-my-signup>`
//! and nothing else; the secret stays in the fragment, which the browser never sends here, and
//! the element passes it to `/v1/me` as a header. The page is the same for everyone, so it may
//! be cached; it is never framed and sends no referrer.

use guanai_core::Lang;
use guanai_core::i18n::OwnUi;
use maud::{DOCTYPE, PreEscaped, html};

use crate::catalog_pages::render::STYLE;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};

/// The path of the page.
pub const PATH: &str = guanai_core::own_data::MANAGEMENT_PAGE;

/// The page's CSP: the bundle's script and wasm from this origin, its stylesheet and the one
/// inline style by hash, the API on this origin; nothing else.
pub fn csp() -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' '{}'; \
         img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'",
        env!("GUANAI_PAGE_STYLE_HASH")
    )
}

/// `GET /me[?lang=en]`.
pub fn respond(request: &ApiRequest) -> Result<ApiResponse, ApiError> {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Err(ApiError::method_not_allowed("GET, HEAD"));
    }
    let lang = Lang::from_attribute(request.query("lang").as_deref());
    let (fallback_zh, fallback_en) = (
        "此页面需要支持 WebAssembly 的浏览器。您也可以直接联系所属协会查阅、更正或删除您的信息。",
        "This page needs a browser with WebAssembly. You can also ask your association to access, correct or delete your information.",
    );
    let fallback = match lang {
        Lang::ZhCn => fallback_zh,
        Lang::En => fallback_en,
    };
    let page = html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="robots" content="noindex";
                title { (OwnUi::Title.get(lang)) }
                style { (PreEscaped(STYLE)) }
                script type="module" src="/guanai.js" {}
            }
            body {
                main {
                    guanai-my-signup #me lang=(lang.tag()) {
                        p { (fallback) }
                    }
                }
            }
        }
    };
    let response = ApiResponse {
        status: 200,
        headers: vec![
            ("content-type".into(), "text/html; charset=utf-8".into()),
            ("content-security-policy".into(), csp()),
            ("referrer-policy".into(), "no-referrer".into()),
            ("x-frame-options".into(), "DENY".into()),
            ("cache-control".into(), "public, max-age=300".into()),
        ],
        body: page.into_string(),
    };
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_holds_the_element_and_admits_only_its_own_scripts() {
        let page = respond(&ApiRequest::new("GET", PATH)).unwrap();
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .contains("<guanai-my-signup id=\"me\" lang=\"zh-CN\">")
        );
        assert!(
            page.body
                .contains(r#"<script type="module" src="/guanai.js">"#)
        );
        let csp = page.header("content-security-policy").unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline")
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
        let english = respond(&ApiRequest::new("GET", PATH).with_query("lang=en")).unwrap();
        assert!(english.body.contains("<html lang=\"en\">"));
        assert_eq!(
            respond(&ApiRequest::new("POST", PATH))
                .unwrap_err()
                .status(),
            405
        );
    }
}
