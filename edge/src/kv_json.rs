//! JSON values in KV: the one way handlers read and write typed records. A stored value that
//! does not parse is a storage fault, named by its key's kind (never its content).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::store::{BULK_READ, Kv, PutOptions};

/// The JSON value under `key`, if there is one.
pub async fn read_json<T: DeserializeOwned>(
    kv: &impl Kv,
    key: &str,
) -> Result<Option<T>, ApiError> {
    match kv.get(key).await? {
        Some(stored) => serde_json::from_str(&stored.value)
            .map(Some)
            .map_err(|_| unreadable(key)),
        None => Ok(None),
    }
}

/// The values of `keys`, in their order, with bulk reads of [`BULK_READ`] (one operation each).
pub async fn read_values(kv: &impl Kv, keys: &[String]) -> Result<Vec<Option<String>>, ApiError> {
    let mut values = Vec::with_capacity(keys.len());
    for group in keys.chunks(BULK_READ * CONCURRENT_READS) {
        let reads = group.chunks(BULK_READ).map(|chunk| kv.get_bulk(chunk));
        for chunk in futures::future::try_join_all(reads).await? {
            values.extend(chunk);
        }
    }
    Ok(values)
}

/// Bulk reads in flight at once. Each is a round trip to KV, and a request waits for them in
/// turn otherwise: 500 for a 50,000-row export. (Workers queue a request's connections past six,
/// so more than that gains little; ten is one listing page of 1,000 keys.)
pub const CONCURRENT_READS: usize = 10;

/// The JSON values under `keys`, in their order, read in bulk (see [`read_values`]).
pub async fn read_many<T: DeserializeOwned>(
    kv: &impl Kv,
    keys: &[String],
) -> Result<Vec<Option<T>>, ApiError> {
    read_values(kv, keys)
        .await?
        .into_iter()
        .zip(keys)
        .map(|(stored, key)| match stored {
            Some(value) => serde_json::from_str(&value)
                .map(Some)
                .map_err(|_| unreadable(key)),
            None => Ok(None),
        })
        .collect()
}

/// The storage fault for a value under `key` that does not parse, named by the key's kind.
fn unreadable(key: &str) -> ApiError {
    ApiError::Storage(format!(
        "unreadable {}",
        key.split(':').next().unwrap_or_default()
    ))
}

/// Stores `value` as JSON under `key`, with `options` (listing metadata, expiry).
pub async fn write_json(
    kv: &impl Kv,
    key: &str,
    value: &impl Serialize,
    options: PutOptions,
) -> Result<(), ApiError> {
    kv.put(key, &serde_json::to_string(value)?, options).await?;
    Ok(())
}

impl PutOptions {
    /// Options that keep `metadata` (a typed value, e.g. `guanai_core::wire::SignupMeta`)
    /// beside the value, for listings.
    pub fn listed(metadata: &impl Serialize) -> Result<PutOptions, ApiError> {
        Ok(PutOptions {
            metadata: Some(serde_json::to_value(metadata)?),
            expiration_ttl: None,
            expiration: None,
        })
    }

    /// Options for a value KV deletes after `seconds`.
    pub fn expiring(seconds: u64) -> PutOptions {
        PutOptions {
            metadata: None,
            expiration_ttl: Some(seconds),
            expiration: None,
        }
    }

    /// These options, with KV deleting the key at `expiration` (Unix seconds).
    pub fn until(self, expiration: u64) -> PutOptions {
        PutOptions {
            expiration: Some(expiration),
            ..self
        }
    }
}
