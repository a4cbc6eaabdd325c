//! The published catalogue and the origin allowlist, remembered by the isolate for a few
//! seconds.
//!
//! `GET /v1/catalog` is the hot path: every page with a widget asks for it, and a request from a
//! partner site recorded in the admin view also needs the allowlist (`crate::origins`) to answer
//! CORS. Workers KV already serves values that may be up to a minute old, so keeping these two
//! keys in the isolate's memory for [`SNAPSHOT_TTL_MS`] more changes little for readers and
//! turns a burst of requests into one KV read; when both are stale, one bulk read refreshes
//! both. Writes of a hot key made through this isolate (publish, rollback, an origin change)
//! replace the remembered copy at once, so staff see their own change immediately.

use std::cell::RefCell;

use crate::catalog::PUBLISHED_KEY;
use crate::origins::ALLOWLIST_KEY;
use crate::store::{KeyPage, Kv, KvValue, PutOptions, StoreError};

/// How long a remembered key is served without asking KV again, unless the worker's
/// `SNAPSHOT_TTL_MS` variable says otherwise (the bench sets 0 to measure the path through KV).
pub const SNAPSHOT_TTL_MS: u64 = 15_000;

/// The keys remembered: what public requests read.
pub const HOT_KEYS: [&str; 2] = [PUBLISHED_KEY, ALLOWLIST_KEY];

/// The last value read or written of each hot key, and when (milliseconds since the Unix
/// epoch); in [`HOT_KEYS`] order.
#[derive(Debug, Default)]
pub struct SnapshotCache {
    entries: RefCell<[Remembered; 2]>,
}

/// When a key was read or written, and what it held (`None`: no such key); `None` until then.
type Remembered = Option<(u64, Option<KvValue>)>;

fn slot(key: &str) -> Option<usize> {
    HOT_KEYS.iter().position(|hot| *hot == key)
}

impl SnapshotCache {
    pub const fn new() -> SnapshotCache {
        SnapshotCache {
            entries: RefCell::new([None, None]),
        }
    }

    fn fresh(&self, slot: usize, now_ms: u64, ttl_ms: u64) -> Option<Option<KvValue>> {
        let entries = self.entries.borrow();
        let (stored_at, value) = entries[slot].as_ref()?;
        (now_ms.saturating_sub(*stored_at) < ttl_ms && *stored_at <= now_ms).then(|| value.clone())
    }

    fn remember(&self, slot: usize, now_ms: u64, value: Option<KvValue>) {
        self.entries.borrow_mut()[slot] = Some((now_ms, value));
    }
}

/// A [`Kv`] that answers reads of the hot keys from `cache` while they are fresh and passes
/// everything else to `inner`.
pub struct CachedSnapshot<'a, K> {
    pub inner: &'a K,
    pub cache: &'a SnapshotCache,
    pub now_ms: u64,
    /// How long a remembered key stays fresh ([`SNAPSHOT_TTL_MS`] unless configured).
    pub ttl_ms: u64,
}

impl<K: Kv> CachedSnapshot<'_, K> {
    fn fresh(&self, key: &str) -> Option<Option<KvValue>> {
        self.cache.fresh(slot(key)?, self.now_ms, self.ttl_ms)
    }

    fn remember(&self, key: &str, value: Option<KvValue>) {
        if let Some(slot) = slot(key) {
            self.cache.remember(slot, self.now_ms, value);
        }
    }
}

impl<K: Kv> Kv for CachedSnapshot<'_, K> {
    async fn get(&self, key: &str) -> Result<Option<KvValue>, StoreError> {
        if slot(key).is_none() {
            return self.inner.get(key).await;
        }
        if let Some(value) = self.fresh(key) {
            return Ok(value);
        }
        let value = self.inner.get(key).await?;
        self.remember(key, value.clone());
        Ok(value)
    }

    async fn put(&self, key: &str, value: &str, options: PutOptions) -> Result<(), StoreError> {
        let metadata = options.metadata.clone();
        self.inner.put(key, value, options).await?;
        let stored = KvValue {
            value: value.to_string(),
            metadata,
        };
        self.remember(key, Some(stored));
        Ok(())
    }

    async fn get_bulk(&self, keys: &[String]) -> Result<Vec<Option<String>>, StoreError> {
        self.inner.get_bulk(keys).await
    }

    /// The fresh hot keys from the cache; the others in one bulk read (none when all are fresh).
    async fn get_bulk_with_metadata(
        &self,
        keys: &[&str],
    ) -> Result<Vec<Option<KvValue>>, StoreError> {
        let mut values: Vec<Option<Option<KvValue>>> = keys.iter().map(|k| self.fresh(k)).collect();
        let stale: Vec<&str> = keys
            .iter()
            .zip(&values)
            .filter(|(_, value)| value.is_none())
            .map(|(key, _)| *key)
            .collect();
        if !stale.is_empty() {
            let mut read = self.inner.get_bulk_with_metadata(&stale).await?.into_iter();
            for (key, value) in keys.iter().zip(values.iter_mut()) {
                if value.is_none() {
                    let stored = read.next().flatten();
                    self.remember(key, stored.clone());
                    *value = Some(stored);
                }
            }
        }
        Ok(values.into_iter().map(Option::flatten).collect())
    }

    fn new_invocation(&self) {
        self.inner.new_invocation();
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.inner.delete(key).await?;
        self.remember(key, None);
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
