//! The published catalogue, remembered by the isolate for a few seconds.
//!
//! `GET /v1/catalog` is the hot path: every page with a widget asks for it. Workers KV already
//! serves a value that may be up to a minute old, so keeping the snapshot in the isolate's
//! memory for [`SNAPSHOT_TTL_MS`] more changes little for readers and turns a burst of requests
//! into one KV read. Writes of the published key made through this isolate (publish, rollback)
//! replace the remembered copy at once, so staff see their own publication immediately.

use std::cell::RefCell;

use crate::catalog::PUBLISHED_KEY;
use crate::store::{KeyPage, Kv, KvValue, PutOptions, StoreError};

/// How long a remembered snapshot is served without asking KV again, unless the worker's
/// `SNAPSHOT_TTL_MS` variable says otherwise (the bench sets 0 to measure the path through KV).
pub const SNAPSHOT_TTL_MS: u64 = 15_000;

/// The last snapshot read or written, and when (milliseconds since the Unix epoch).
#[derive(Debug, Default)]
pub struct SnapshotCache {
    entry: RefCell<Option<(u64, Option<KvValue>)>>,
}

impl SnapshotCache {
    pub const fn new() -> SnapshotCache {
        SnapshotCache {
            entry: RefCell::new(None),
        }
    }

    fn fresh(&self, now_ms: u64, ttl_ms: u64) -> Option<Option<KvValue>> {
        let entry = self.entry.borrow();
        let (stored_at, value) = entry.as_ref()?;
        (now_ms.saturating_sub(*stored_at) < ttl_ms && *stored_at <= now_ms).then(|| value.clone())
    }

    fn remember(&self, now_ms: u64, value: Option<KvValue>) {
        *self.entry.borrow_mut() = Some((now_ms, value));
    }
}

/// A [`Kv`] that answers reads of the published key from `cache` while it is fresh and passes
/// everything else to `inner`.
pub struct CachedSnapshot<'a, K> {
    pub inner: &'a K,
    pub cache: &'a SnapshotCache,
    pub now_ms: u64,
    /// How long a remembered snapshot stays fresh ([`SNAPSHOT_TTL_MS`] unless configured).
    pub ttl_ms: u64,
}

impl<K: Kv> Kv for CachedSnapshot<'_, K> {
    async fn get(&self, key: &str) -> Result<Option<KvValue>, StoreError> {
        if key != PUBLISHED_KEY {
            return self.inner.get(key).await;
        }
        if let Some(value) = self.cache.fresh(self.now_ms, self.ttl_ms) {
            return Ok(value);
        }
        let value = self.inner.get(key).await?;
        self.cache.remember(self.now_ms, value.clone());
        Ok(value)
    }

    async fn put(&self, key: &str, value: &str, options: PutOptions) -> Result<(), StoreError> {
        let metadata = options.metadata.clone();
        self.inner.put(key, value, options).await?;
        if key == PUBLISHED_KEY {
            let stored = KvValue {
                value: value.to_string(),
                metadata,
            };
            self.cache.remember(self.now_ms, Some(stored));
        }
        Ok(())
    }

    async fn get_bulk(&self, keys: &[String]) -> Result<Vec<Option<String>>, StoreError> {
        self.inner.get_bulk(keys).await
    }

    fn new_invocation(&self) {
        self.inner.new_invocation();
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.inner.delete(key).await?;
        if key == PUBLISHED_KEY {
            self.cache.remember(self.now_ms, None);
        }
        Ok(())
    }

    async fn list(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage, StoreError> {
        self.inner.list(prefix, cursor, limit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::ApiRequest;
    use crate::store::MemoryKv;
    use crate::testing::{NOW_MS, published, respond};

    fn catalog_at(kv: &MemoryKv, cache: &SnapshotCache, now_ms: u64) -> u16 {
        let cached = CachedSnapshot {
            inner: kv,
            cache,
            now_ms,
            ttl_ms: SNAPSHOT_TTL_MS,
        };
        respond(ApiRequest::new("GET", "/v1/catalog"), &cached).status
    }

    #[test]
    fn a_cache_hit_reads_nothing_and_a_stale_entry_reads_once() {
        let kv = published();
        let cache = SnapshotCache::new();
        assert_eq!(catalog_at(&kv, &cache, NOW_MS), 200);
        assert_eq!(kv.reads(), 1, "the first request reads KV once");
        assert_eq!(catalog_at(&kv, &cache, NOW_MS + 1_000), 200);
        assert_eq!(catalog_at(&kv, &cache, NOW_MS + SNAPSHOT_TTL_MS - 1), 200);
        assert_eq!(kv.reads(), 1, "cache hits read nothing");
        assert_eq!(catalog_at(&kv, &cache, NOW_MS + SNAPSHOT_TTL_MS), 200);
        assert_eq!(kv.reads(), 2, "an expired entry is read again, once");
    }

    #[test]
    fn a_zero_ttl_reads_kv_on_every_request() {
        let kv = published();
        let cache = SnapshotCache::new();
        let uncached = CachedSnapshot {
            inner: &kv,
            cache: &cache,
            now_ms: NOW_MS,
            ttl_ms: 0,
        };
        for _ in 0..3 {
            assert_eq!(
                respond(ApiRequest::new("GET", "/v1/catalog"), &uncached).status,
                200
            );
        }
        assert_eq!(kv.reads(), 3);
    }

    #[test]
    fn a_clock_going_backwards_does_not_pin_the_entry() {
        let kv = published();
        let cache = SnapshotCache::new();
        catalog_at(&kv, &cache, NOW_MS);
        catalog_at(&kv, &cache, NOW_MS - 5);
        assert_eq!(kv.reads(), 2);
    }

    #[test]
    fn writes_through_the_isolate_replace_the_remembered_snapshot() {
        let kv = MemoryKv::new();
        let cache = SnapshotCache::new();
        assert_eq!(
            catalog_at(&kv, &cache, NOW_MS),
            503,
            "nothing published yet"
        );
        let cached = CachedSnapshot {
            inner: &kv,
            cache: &cache,
            now_ms: NOW_MS + 1,
            ttl_ms: SNAPSHOT_TTL_MS,
        };
        let source = published();
        let snapshot = source.value(PUBLISHED_KEY).unwrap();
        pollster::block_on(cached.put(
            PUBLISHED_KEY,
            &snapshot.value,
            PutOptions {
                metadata: snapshot.metadata.clone(),
                expiration_ttl: None,
                expiration: None,
            },
        ))
        .unwrap();
        let reads = kv.reads();
        assert_eq!(catalog_at(&kv, &cache, NOW_MS + 2), 200);
        assert_eq!(
            kv.reads(),
            reads,
            "the written snapshot is served from memory"
        );
        pollster::block_on(cached.delete(PUBLISHED_KEY)).unwrap();
        assert_eq!(catalog_at(&kv, &cache, NOW_MS + 3), 503);
    }
}
