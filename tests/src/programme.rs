//! A whole programme of a chosen size (`guanai_edge::scale`) in a local KV of its own: sign-ups
//! sealed with `.dev.vars`' keys as the local worker would seal them, drafts with their
//! published snapshot, audit events, and a plan admin to sign in as.
//!
//! Loaded through `tests/kv-seeder`, a JavaScript worker that writes a batch of keys per request
//! concurrently: `wrangler kv bulk put --local` takes ≈ 5 ms a key, too slow for the bench's
//! 260,000.

use std::path::Path;

use guanai_edge::scale::{self, Scale};
use guanai_edge::secrets::Secrets;
use serde_json::{Value, json};

use crate::worker::{OwnWorker, free_port};
use crate::{dev_var, http, root};

/// Keys sent to the seeder per request.
const BATCH: usize = 1_000;

/// The secrets the local worker reads from `.dev.vars`.
pub fn dev_secrets() -> Secrets {
    Secrets::from_lookup(dev_var).expect("every secret is in .dev.vars")
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| since.as_millis() as u64)
        .unwrap_or_default()
}

/// Writes a programme of `scale`, made at `now_ms`, and the plan admin `admin` (password
/// [`crate::admin::PASSWORD`]) into the local KV persisted in `state`. Returns the keys written.
pub fn seed(state: &Path, scale: &Scale, now_ms: u64, admin: &str) -> usize {
    let seeder = OwnWorker::start_config(
        &root().join("tests/kv-seeder/wrangler.toml"),
        state,
        free_port(),
    );
    let url = format!("{}/entries", seeder.base());
    let agent = http();
    let send = |batch: &mut Vec<Value>| {
        if batch.is_empty() {
            return;
        }
        let mut response = agent
            .post(&url)
            .header("content-type", "application/json")
            .send(Value::Array(std::mem::take(batch)).to_string())
            .expect("the seeder answers");
        let body = response.body_mut().read_to_string().unwrap_or_default();
        assert_eq!(response.status(), 200, "the seeder: {body}");
    };
    let (key, value, metadata) = crate::admin::plan_admin_entry(admin);
    let mut batch = vec![json!({"key": key, "value": value, "metadata": metadata})];
    let mut written = 1;
    scale::generate(scale, &dev_secrets(), now_ms, |entry| {
        batch.push(json!({"key": entry.key, "value": entry.value, "metadata": entry.metadata}));
        written += 1;
        if batch.len() == BATCH {
            send(&mut batch);
        }
    })
    .expect("the programme generates");
    send(&mut batch);
    written
}
