//! The one way the widgets talk HTTP: the browser's `fetch`, through web-sys. (gloo-net's
//! request builder, with the response-stream support it brings along, cost each bundle more
//! code than these few lines.)

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What the edge answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub text: String,
}

impl Answer {
    /// A 2xx status.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// No answer arrived: offline, DNS, a refused CORS check, or a body that broke off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoAnswer;

/// `GET url`: the response `guanai.js` fetched ahead for this URL if there is one (it fetches the
/// catalogue with the bundle, a round trip before the wasm could), otherwise a new request.
pub async fn get(url: &str) -> Result<Answer, NoAnswer> {
    if let Some(response) = fetched_ahead(url) {
        return read(JsFuture::from(response).await.map_err(|_| NoAnswer)?).await;
    }
    let request = web_sys::Request::new_with_str(url).map_err(|_| NoAnswer)?;
    send(request).await
}

/// The promise of the response the loader fetched ahead for `url`, handed out once.
fn fetched_ahead(url: &str) -> Option<js_sys::Promise> {
    let global = js_sys::global();
    let key = js_sys::Symbol::for_("guanai.fetched-ahead");
    let take: js_sys::Function = js_sys::Reflect::get(&global, &key).ok()?.dyn_into().ok()?;
    take.call1(&global, &url.into()).ok()?.dyn_into().ok()
}

/// `POST url` with a JSON `body` and extra `headers`.
pub async fn post_json(
    url: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Result<Answer, NoAnswer> {
    request("POST", url, Some(body), headers).await
}

/// `method url` with extra `headers`, and a JSON `body` if there is one. Never cached: what
/// it answers may be personal.
pub async fn request(
    method: &str,
    url: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<Answer, NoAnswer> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(body) = body {
        init.set_body(&body.into());
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| NoAnswer)?;
    let sent = request.headers();
    if body.is_some() {
        sent.set("Content-Type", "application/json")
            .map_err(|_| NoAnswer)?;
    }
    for (name, value) in headers {
        sent.set(name, value).map_err(|_| NoAnswer)?;
    }
    send(request).await
}

async fn send(request: web_sys::Request) -> Result<Answer, NoAnswer> {
    let window = web_sys::window().ok_or(NoAnswer)?;
    read(
        JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| NoAnswer)?,
    )
    .await
}

/// The status and text of a fetched `Response`.
async fn read(response: wasm_bindgen::JsValue) -> Result<Answer, NoAnswer> {
    let response: web_sys::Response = response.dyn_into().map_err(|_| NoAnswer)?;
    let text = JsFuture::from(response.text().map_err(|_| NoAnswer)?)
        .await
        .map_err(|_| NoAnswer)?
        .as_string()
        .ok_or(NoAnswer)?;
    Ok(Answer {
        status: response.status(),
        text,
    })
}
