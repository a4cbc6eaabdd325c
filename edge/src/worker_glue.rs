//! The only code that knows the Workers runtime: converts `worker` types to the router's and
//! back, and adapts Workers KV, the rate-limiting binding, secrets, the clock and randomness.

use worker::{
    Context as WorkerContext, Env, Headers, Method, Request, Response, Result, ScheduleContext,
    ScheduledEvent, console_error, event,
};

use crate::config::Config;
use futures::future::LocalBoxFuture;

use crate::context::{Context, READING_TABLE_PATH, ReadingTableSource};
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::routes::{self, Outcome};
use crate::secrets::Secrets;
use crate::snapshot_cache::{CachedSnapshot, SNAPSHOT_TTL_MS, SnapshotCache};
use crate::store::{KeyPage, Kv, KvValue, PutOptions, StoreError};

/// Binding names from wrangler.toml.
const KV_BINDING: &str = "GUANAI_KV";
const ASSETS_BINDING: &str = "ASSETS";
const FORM_LIMITER_BINDING: &str = "FORM_RATE_LIMITER";

thread_local! {
    /// The isolate's copy of the published catalogue (see `snapshot_cache`), alive as long as
    /// the isolate: leaked once so that requests can hold it across awaits.
    static SNAPSHOT_CACHE: &'static SnapshotCache = Box::leak(Box::new(SnapshotCache::new()));
}

/// The reading table among the static assets, fetched through the binding (no network: the
/// assets live beside the worker). Only publishing asks for it.
struct AssetReadingTable<'e>(&'e Env);

impl ReadingTableSource for AssetReadingTable<'_> {
    fn load(&self) -> LocalBoxFuture<'_, std::result::Result<String, String>> {
        Box::pin(async move {
            let failed = |error: worker::Error| format!("reading table: {error}");
            let url = format!("https://assets.invalid{READING_TABLE_PATH}");
            let mut response = self
                .0
                .assets(ASSETS_BINDING)
                .map_err(failed)?
                .fetch(url, None)
                .await
                .map_err(failed)?;
            match response.status_code() {
                200 => response.text().await.map_err(failed),
                status => Err(format!("reading table: the assets answered {status}")),
            }
        })
    }
}

/// The KV binding: workers-rs's wrapper, and the binding's own JavaScript object for the one
/// call the wrapper cannot make safely (a bulk read with metadata, see
/// [`WorkersKv::get_bulk_with_metadata`]).
struct WorkersKv(worker::KvStore, worker::js_sys::Object);

impl WorkersKv {
    fn of(env: &Env) -> Result<WorkersKv> {
        use worker::wasm_bindgen::JsCast;
        let raw = worker::js_sys::Reflect::get(env, &KV_BINDING.into())?
            .dyn_into::<worker::js_sys::Object>()?;
        Ok(WorkersKv(env.kv(KV_BINDING)?, raw))
    }
}

/// `kv.getWithMetadata(keys, {type: "text"})` on the binding itself, read defensively:
/// workers-rs 0.8.7 fails on a missing key's entry, which local workerd gives as `null`.
async fn bulk_with_metadata(
    raw: &worker::js_sys::Object,
    keys: &[&str],
) -> std::result::Result<Vec<Option<KvValue>>, String> {
    use worker::js_sys::{Array, Function, JSON, Map, Object, Promise, Reflect};
    use worker::wasm_bindgen::{JsCast, JsValue};
    let text = |error: JsValue| format!("{error:?}");
    let get: Function = Reflect::get(raw, &"getWithMetadata".into())
        .map_err(text)?
        .dyn_into()
        .map_err(text)?;
    let names: Array = keys.iter().map(|key| JsValue::from_str(key)).collect();
    let options = Object::new();
    Reflect::set(&options, &"type".into(), &"text".into()).map_err(text)?;
    let promise: Promise = get
        .call2(raw, &names, &options)
        .map_err(text)?
        .dyn_into()
        .map_err(text)?;
    let found: Map = worker::wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(text)?
        .dyn_into()
        .map_err(text)?;
    Ok(keys
        .iter()
        .map(|key| {
            let entry = found.get(&JsValue::from_str(key));
            if !entry.is_object() {
                return None;
            }
            let value = Reflect::get(&entry, &"value".into()).ok()?.as_string()?;
            let metadata = Reflect::get(&entry, &"metadata".into())
                .ok()
                .filter(JsValue::is_object)
                .and_then(|metadata| JSON::stringify(&metadata).ok())
                .and_then(|json| json.as_string())
                .and_then(|json| serde_json::from_str(&json).ok());
            Some(KvValue { value, metadata })
        })
        .collect())
}

impl Kv for WorkersKv {
    async fn get(&self, key: &str) -> std::result::Result<Option<KvValue>, StoreError> {
        let (value, metadata) = self
            .0
            .get(key)
            .text_with_metadata::<serde_json::Value>()
            .await
            .map_err(|error| StoreError(format!("KV get {}: {error}", key_prefix(key))))?;
        Ok(value.map(|value| KvValue { value, metadata }))
    }

    async fn put(
        &self,
        key: &str,
        value: &str,
        options: PutOptions,
    ) -> std::result::Result<(), StoreError> {
        let failed =
            |error: worker::kv::KvError| StoreError(format!("KV put {}: {error}", key_prefix(key)));
        let mut put = self.0.put(key, value).map_err(failed)?;
        if let Some(metadata) = options.metadata {
            put = put.metadata(metadata).map_err(failed)?;
        }
        if let Some(ttl) = options.expiration_ttl {
            put = put.expiration_ttl(ttl);
        }
        if let Some(at) = options.expiration {
            put = put.expiration(at);
        }
        put.execute().await.map_err(failed)
    }

    async fn get_bulk(
        &self,
        keys: &[String],
    ) -> std::result::Result<Vec<Option<String>>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = self.0.get_bulk(keys).text().await.map_err(|error| {
            StoreError(format!("KV bulk get {}: {error}", key_prefix(&keys[0])))
        })?;
        Ok(keys.iter().map(|key| found.remove(key).flatten()).collect())
    }

    async fn get_bulk_with_metadata(
        &self,
        keys: &[&str],
    ) -> std::result::Result<Vec<Option<KvValue>>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        bulk_with_metadata(&self.1, keys)
            .await
            .map_err(|error| StoreError(format!("KV bulk get {}: {error}", key_prefix(keys[0]))))
    }

    async fn delete(&self, key: &str) -> std::result::Result<(), StoreError> {
        self.0
            .delete(key)
            .await
            .map_err(|error| StoreError(format!("KV delete {}: {error}", key_prefix(key))))
    }

    async fn list(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> std::result::Result<KeyPage, StoreError> {
        let mut list = self
            .0
            .list()
            .prefix(prefix.to_string())
            .limit(limit.clamp(1, crate::store::LIST_PAGE) as u64);
        if let Some(cursor) = cursor {
            list = list.cursor(cursor.to_string());
        }
        let page = list
            .execute()
            .await
            .map_err(|error| StoreError(format!("KV list {}: {error}", key_prefix(prefix))))?;
        Ok(KeyPage {
            keys: page
                .keys
                .into_iter()
                .map(|key| (key.name, key.metadata))
                .collect(),
            cursor: if page.list_complete {
                None
            } else {
                page.cursor
            },
        })
    }
}

/// Keys can hold references and hashes; logs name only the kind of key.
fn key_prefix(key: &str) -> &str {
    key.split(':').next().unwrap_or_default()
}

/// The Workers rate-limiting binding. If it is missing or fails, requests are allowed: the
/// proof of work still stands, and a sign-up must not be lost to a limiter outage.
struct WorkersLimiter(Option<worker::RateLimiter>);

impl RateLimiter for WorkersLimiter {
    async fn allow(&self, key: &str) -> bool {
        match &self.0 {
            Some(limiter) => limiter
                .limit(key.to_string())
                .await
                .map(|outcome| outcome.success)
                .unwrap_or(true),
            None => true,
        }
    }
}

#[event(fetch)]
async fn fetch(mut request: Request, env: Env, _ctx: WorkerContext) -> Result<Response> {
    let url = request.url()?;
    // Bodies of the methods that carry one (the admin edits with PUT); never of GET or HEAD.
    let body = if matches!(request.method(), Method::Post | Method::Put | Method::Patch) {
        let declared = request
            .headers()
            .get("content-length")?
            .and_then(|length| length.parse::<usize>().ok());
        // Oversized bodies are refused by the router from the declared length, unread.
        if declared.is_some_and(|length| length > crate::http::body_limit(url.path())) {
            String::new()
        } else {
            request.text().await.unwrap_or_default()
        }
    } else {
        String::new()
    };
    let api_request = ApiRequest {
        method: request.method().to_string().to_ascii_uppercase(),
        path: url.path().to_string(),
        query: url.query().unwrap_or_default().to_string(),
        headers: request
            .headers()
            .entries()
            .map(|(name, value)| (name.to_ascii_lowercase(), value))
            .collect(),
        body,
    };
    let config = Config::from_vars(|name| env.var(name).ok().map(|value| value.to_string()));
    let now_ms = worker::Date::now().as_millis();
    let workers_kv = WorkersKv::of(&env)?;
    let kv = CachedSnapshot {
        inner: &workers_kv,
        cache: SNAPSHOT_CACHE.with(|cache| *cache),
        now_ms,
        ttl_ms: env
            .var("SNAPSHOT_TTL_MS")
            .ok()
            .and_then(|value| value.to_string().trim().parse().ok())
            .unwrap_or(SNAPSHOT_TTL_MS),
    };
    let limiter = WorkersLimiter(env.rate_limiter(FORM_LIMITER_BINDING).ok());
    let secrets = Secrets::from_lookup(|name| env.secret(name).ok().map(|value| value.to_string()));
    let mut entropy = [0; 32];
    getrandom::fill(&mut entropy)
        .map_err(|error| worker::Error::RustError(format!("no randomness: {error}")))?;
    let readings = AssetReadingTable(&env);
    let ctx = Context {
        kv: &kv,
        limiter: &limiter,
        config: &config,
        readings: &readings,
        secrets,
        now_ms,
        entropy,
    };
    match routes::handle(&api_request, &ctx).await {
        Outcome::Respond { response, problem } => {
            if let Some(problem) = problem {
                // Never personal data: problems name key kinds and missing secret names only.
                console_error!("{} {}: {problem}", api_request.method, api_request.path);
            }
            into_worker_response(response)
        }
        Outcome::Asset { headers: extra } => {
            let asset = env.assets(ASSETS_BINDING)?.fetch_request(request).await?;
            // Responses from a binding have immutable headers: copy them into new ones.
            let headers: Headers = asset.headers().entries().collect();
            for (name, value) in extra {
                headers.set(&name, &value)?;
            }
            let status = asset.status_code();
            let (_, body) = asset.into_parts();
            Ok(Response::from_body(body)?
                .with_status(status)
                .with_headers(headers))
        }
    }
}

/// The Cron Trigger (wrangler.toml `[triggers]`): the dashboard's rollup, and the origin
/// allowlist's repair. A failure is logged (key kinds only); the dashboard counts every sign-up
/// until a rollup succeeds.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let kv = match WorkersKv::of(&env) {
        Ok(kv) => kv,
        Err(error) => {
            console_error!("rollup: no KV binding: {error}");
            return;
        }
    };
    let now_ms = worker::Date::now().as_millis();
    // Storage details name key kinds only; other errors carry no data at all.
    let detail = |error| match error {
        crate::error::ApiError::Storage(detail) => detail,
        other => format!("status {}", other.status()),
    };
    if let Err(error) = crate::admin::insight::roll_up(&kv, now_ms).await {
        console_error!("rollup failed: {}", detail(error));
    }
    // The allowlist again from every owner's key: a change another isolate listed too early
    // is in it within ten minutes.
    if let Err(error) = crate::admin::origins::rebuild(&kv, None).await {
        console_error!("origin allowlist rebuild failed: {}", detail(error));
    }
}

fn into_worker_response(response: ApiResponse) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in &response.headers {
        headers.set(name, value)?;
    }
    let reply = if response.body.is_empty() {
        Response::empty()?
    } else {
        Response::ok(response.body)?
    };
    Ok(reply.with_status(response.status).with_headers(headers))
}
