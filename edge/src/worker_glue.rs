//! The only code that knows the Workers runtime: converts `worker` types to the router's and
//! back, and adapts Workers KV to [`KvRead`].

use worker::{Context, Env, Headers, Request, Response, Result, console_error, event};

use crate::config::Config;
use crate::http::{ApiRequest, ApiResponse};
use crate::routes::{self, Outcome};
use crate::store::{KvRead, KvValue, StoreError};

/// Binding names from wrangler.toml.
const KV_BINDING: &str = "GUANAI_KV";
const ASSETS_BINDING: &str = "ASSETS";

struct WorkersKv(worker::KvStore);

impl KvRead for WorkersKv {
    async fn get(&self, key: &str) -> std::result::Result<Option<KvValue>, StoreError> {
        let (value, metadata) = self
            .0
            .get(key)
            .text_with_metadata::<serde_json::Value>()
            .await
            .map_err(|error| StoreError(format!("KV get {key}: {error}")))?;
        Ok(value.map(|value| KvValue { value, metadata }))
    }
}

#[event(fetch)]
async fn fetch(request: Request, env: Env, _ctx: Context) -> Result<Response> {
    let url = request.url()?;
    let api_request = ApiRequest {
        method: request.method().to_string().to_ascii_uppercase(),
        path: url.path().to_string(),
        headers: request
            .headers()
            .entries()
            .map(|(name, value)| (name.to_ascii_lowercase(), value))
            .collect(),
    };
    let config = Config::from_vars(|name| env.var(name).ok().map(|value| value.to_string()));
    let kv = WorkersKv(env.kv(KV_BINDING)?);
    match routes::handle(&api_request, &kv, &config).await {
        Outcome::Respond { response, problem } => {
            if let Some(problem) = problem {
                // Never personal data: problems are storage failures named by key prefix.
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
