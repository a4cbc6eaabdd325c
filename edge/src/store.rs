//! Key-value storage behind traits: Workers KV in production, a `HashMap` in native tests.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// A stored value and its metadata (Workers KV keeps up to 1 KiB of JSON beside each value).
#[derive(Debug, Clone, PartialEq)]
pub struct KvValue {
    pub value: String,
    pub metadata: Option<serde_json::Value>,
}

/// Storage failed; the text is for the log only and never holds personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

/// How to write a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PutOptions {
    /// Small JSON stored beside the value, returned with it and by listings.
    pub metadata: Option<serde_json::Value>,
    /// Seconds until KV deletes the key (at least 60, KV's minimum).
    pub expiration_ttl: Option<u64>,
    /// When KV deletes the key, in seconds since the Unix epoch (at least 60 s ahead): the
    /// retention date of personal data.
    pub expiration: Option<u64>,
}

/// One page of a key listing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyPage {
    /// Key names with their metadata, in key order.
    pub keys: Vec<(String, Option<serde_json::Value>)>,
    /// Where the next page starts; `None` on the last page.
    pub cursor: Option<String>,
}

/// KV lists at most this many keys per call.
pub const LIST_PAGE: usize = 1000;

/// A bulk read takes at most this many keys, and counts as one operation.
pub const BULK_READ: usize = 100;

/// Workers KV operations one invocation may make, on every plan; the next one fails.
pub const OPERATIONS_PER_INVOCATION: usize = 1000;

// The worker's KV futures are not `Send`, and nothing here needs them to be.
#[allow(async_fn_in_trait)]
/// Workers KV as the routes use it. Each call is one KV operation.
pub trait Kv {
    /// The value of `key` with its metadata, or `None` if the key does not exist.
    async fn get(&self, key: &str) -> Result<Option<KvValue>, StoreError>;

    /// Stores `value` under `key`, replacing what was there. KV allows one write per second per
    /// key: callers write each record under its own key.
    async fn put(&self, key: &str, value: &str, options: PutOptions) -> Result<(), StoreError>;

    /// Removes `key` (nothing happens if it does not exist).
    async fn delete(&self, key: &str) -> Result<(), StoreError>;

    /// Up to `limit` (at most [`LIST_PAGE`]) keys starting with `prefix`, from `cursor`. Admin
    /// pages only: public hot paths never list.
    async fn list(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage, StoreError>;

    /// The values (without metadata) of up to [`BULK_READ`] `keys`, in their order, in one
    /// operation. Values only: workers-rs 0.8.7 reads a bulk answer with metadata as objects
    /// and fails on a missing key's `null` ("Reflect.get called on non-object").
    async fn get_bulk(&self, keys: &[String]) -> Result<Vec<Option<String>>, StoreError>;

    /// The values with their metadata of up to [`BULK_READ`] `keys`, in their order, in one
    /// operation: the public hot path reads the catalogue and the origin allowlist together.
    async fn get_bulk_with_metadata(
        &self,
        keys: &[&str],
    ) -> Result<Vec<Option<KvValue>>, StoreError>;

    /// A new invocation starts: a counting store starts counting again. Workers KV needs
    /// nothing, as every invocation gets its own binding.
    fn new_invocation(&self) {}
}

/// When a [`MemoryKv`] entry was told to expire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Expiry {
    ttl: Option<u64>,
    at: Option<u64>,
}

/// An in-memory store that counts operations, for tests. Like Workers KV (and unlike
/// `wrangler dev`) it refuses the operation after [`OPERATIONS_PER_INVOCATION`] in one
/// invocation, and a bulk read of more than [`BULK_READ`] keys.
#[derive(Debug, Default)]
pub struct MemoryKv {
    entries: RefCell<BTreeMap<String, (KvValue, Expiry)>>,
    reads: Cell<usize>,
    /// Operations since [`Kv::new_invocation`].
    operations: Cell<usize>,
    /// The most any invocation has made.
    most_operations: Cell<usize>,
    down: Cell<bool>,
}

impl MemoryKv {
    pub fn new() -> MemoryKv {
        MemoryKv::default()
    }

    /// Stores `value` under `key` directly (test set-up; not counted).
    pub fn insert(&self, key: &str, value: &str, metadata: Option<serde_json::Value>) {
        self.entries.borrow_mut().insert(
            key.to_string(),
            (
                KvValue {
                    value: value.to_string(),
                    metadata,
                },
                Expiry::default(),
            ),
        );
    }

    /// How many reads (single or bulk, each one) have been made so far.
    pub fn reads(&self) -> usize {
        self.reads.get()
    }

    /// Operations (reads, bulk reads, writes, deletes, listings) in the current invocation.
    pub fn operations(&self) -> usize {
        self.operations.get()
    }

    /// The most operations any invocation has made so far.
    pub fn most_operations(&self) -> usize {
        self.most_operations.get()
    }

    /// Every key starting with `prefix`, sorted.
    pub fn keys(&self, prefix: &str) -> Vec<String> {
        self.entries
            .borrow()
            .keys()
            .filter(|key| key.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// The stored value of `key` (test inspection; not counted).
    pub fn value(&self, key: &str) -> Option<KvValue> {
        self.entries
            .borrow()
            .get(key)
            .map(|(value, _)| value.clone())
    }

    /// The expiration TTL `key` was written with.
    pub fn ttl(&self, key: &str) -> Option<u64> {
        self.entries
            .borrow()
            .get(key)
            .and_then(|(_, expiry)| expiry.ttl)
    }

    /// The absolute expiration (Unix seconds) `key` was written with.
    pub fn expiration(&self, key: &str) -> Option<u64> {
        self.entries
            .borrow()
            .get(key)
            .and_then(|(_, expiry)| expiry.at)
    }

    /// Removes `key` directly (test set-up, e.g. a write a crash never made; not counted).
    pub fn delete_now(&self, key: &str) {
        self.entries.borrow_mut().remove(key);
    }

    /// From now on every call fails, as when Workers KV cannot be reached.
    pub fn go_down(&self) {
        self.down.set(true);
    }

    /// Checks the store is up and counts one operation, refusing it over the invocation's limit.
    fn operation(&self) -> Result<(), StoreError> {
        if self.down.get() {
            return Err(StoreError("kv unreachable".into()));
        }
        let made = self.operations.get() + 1;
        self.operations.set(made);
        self.most_operations
            .set(self.most_operations.get().max(made));
        if made > OPERATIONS_PER_INVOCATION {
            return Err(StoreError(format!(
                "too many KV operations in one invocation ({made})"
            )));
        }
        Ok(())
    }
}

impl Kv for MemoryKv {
    async fn get(&self, key: &str) -> Result<Option<KvValue>, StoreError> {
        self.operation()?;
        self.reads.set(self.reads.get() + 1);
        Ok(self
            .entries
            .borrow()
            .get(key)
            .map(|(value, _)| value.clone()))
    }

    async fn put(&self, key: &str, value: &str, options: PutOptions) -> Result<(), StoreError> {
        self.operation()?;
        let stored = KvValue {
            value: value.to_string(),
            metadata: options.metadata,
        };
        let expiry = Expiry {
            ttl: options.expiration_ttl,
            at: options.expiration,
        };
        self.entries
            .borrow_mut()
            .insert(key.to_string(), (stored, expiry));
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.operation()?;
        self.entries.borrow_mut().remove(key);
        Ok(())
    }

    async fn list(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage, StoreError> {
        self.operation()?;
        let limit = limit.clamp(1, LIST_PAGE);
        // The cursor is the last key of the previous page (Workers KV's is opaque; ours need
        // not be).
        let entries = self.entries.borrow();
        let mut keys: Vec<(String, Option<serde_json::Value>)> = entries
            .iter()
            .filter(|(key, _)| key.starts_with(prefix))
            .filter(|(key, _)| cursor.is_none_or(|after| key.as_str() > after))
            .take(limit + 1)
            .map(|(key, (value, _))| (key.clone(), value.metadata.clone()))
            .collect();
        let cursor = (keys.len() > limit).then(|| {
            keys.truncate(limit);
            keys.last().map(|(key, _)| key.clone()).unwrap_or_default()
        });
        Ok(KeyPage { keys, cursor })
    }

    async fn get_bulk(&self, keys: &[String]) -> Result<Vec<Option<String>>, StoreError> {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let values = self.get_bulk_with_metadata(&keys).await?;
        Ok(values
            .into_iter()
            .map(|stored| stored.map(|stored| stored.value))
            .collect())
    }

    async fn get_bulk_with_metadata(
        &self,
        keys: &[&str],
    ) -> Result<Vec<Option<KvValue>>, StoreError> {
        self.operation()?;
        if keys.len() > BULK_READ {
            return Err(StoreError(format!(
                "a bulk read takes at most {BULK_READ} keys, not {}",
                keys.len()
            )));
        }
        self.reads.set(self.reads.get() + 1);
        let entries = self.entries.borrow();
        Ok(keys
            .iter()
            .map(|key| entries.get(*key).map(|(stored, _)| stored.clone()))
            .collect())
    }

    fn new_invocation(&self) {
        self.operations.set(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_workers_kv_the_1001st_operation_and_a_bulk_read_of_101_keys_fail() {
        let kv = MemoryKv::new();
        kv.insert("a", "1", None);
        let keys: Vec<String> = (0..BULK_READ).map(|i| format!("k{i}")).collect();
        let found = pollster::block_on(kv.get_bulk(&keys)).unwrap();
        assert_eq!(found.len(), BULK_READ);
        let too_many: Vec<String> = (0..=BULK_READ).map(|i| format!("k{i}")).collect();
        assert!(pollster::block_on(kv.get_bulk(&too_many)).is_err());
        kv.new_invocation();
        for _ in 0..OPERATIONS_PER_INVOCATION {
            pollster::block_on(kv.get("a")).unwrap();
        }
        assert!(pollster::block_on(kv.put("b", "2", PutOptions::default())).is_err());
        assert_eq!(kv.most_operations(), OPERATIONS_PER_INVOCATION + 1);
        kv.new_invocation();
        assert_eq!(pollster::block_on(kv.get("a")).unwrap().unwrap().value, "1");
        assert_eq!(kv.operations(), 1);
    }
}
