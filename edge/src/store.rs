//! Key-value storage behind a trait: Workers KV in production, a `HashMap` in native tests.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// A stored value and its metadata (Workers KV keeps up to 1 KiB of JSON beside each value).
#[derive(Debug, Clone, PartialEq)]
pub struct KvValue {
    pub value: String,
    pub metadata: Option<serde_json::Value>,
}

/// Storage failed; the text is for the log only and never holds personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

/// Reading keys. One call is one KV read (and one billed operation).
// The worker's KV futures are not `Send`, and nothing here needs them to be.
#[allow(async_fn_in_trait)]
pub trait KvRead {
    /// The value of `key` with its metadata, or `None` if the key does not exist.
    async fn get(&self, key: &str) -> Result<Option<KvValue>, StoreError>;
}

/// An in-memory store that counts reads, for tests.
#[derive(Debug, Default)]
pub struct MemoryKv {
    entries: RefCell<HashMap<String, KvValue>>,
    reads: Cell<usize>,
}

impl MemoryKv {
    pub fn new() -> MemoryKv {
        MemoryKv::default()
    }

    /// Stores `value` under `key`, replacing what was there.
    pub fn put(&self, key: &str, value: &str, metadata: Option<serde_json::Value>) {
        self.entries.borrow_mut().insert(
            key.to_string(),
            KvValue {
                value: value.to_string(),
                metadata,
            },
        );
    }

    /// How many reads have been made so far.
    pub fn reads(&self) -> usize {
        self.reads.get()
    }
}

impl KvRead for MemoryKv {
    async fn get(&self, key: &str) -> Result<Option<KvValue>, StoreError> {
        self.reads.set(self.reads.get() + 1);
        Ok(self.entries.borrow().get(key).cloned())
    }
}
