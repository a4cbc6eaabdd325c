//! Per-client rate limits on the public forms: the Workers rate-limiting binding in production
//! and under `wrangler dev`, a counter in native tests.

use std::cell::RefCell;
use std::collections::HashMap;

#[allow(async_fn_in_trait)]
/// Whether one more request for `key` is allowed now.
pub trait RateLimiter {
    async fn allow(&self, key: &str) -> bool;
}

/// Allows `limit` requests per key, forever (the test stands in for one rate window).
#[derive(Debug)]
pub struct CountingLimiter {
    limit: usize,
    counts: RefCell<HashMap<String, usize>>,
}

impl CountingLimiter {
    pub fn new(limit: usize) -> CountingLimiter {
        CountingLimiter {
            limit,
            counts: RefCell::default(),
        }
    }
}

impl RateLimiter for CountingLimiter {
    async fn allow(&self, key: &str) -> bool {
        let mut counts = self.counts.borrow_mut();
        let count = counts.entry(key.to_string()).or_default();
        *count += 1;
        *count <= self.limit
    }
}
