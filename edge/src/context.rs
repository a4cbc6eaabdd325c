//! Everything a route may use besides the request: storage, limits, configuration, keys, the
//! clock and randomness. The worker fills it per request; tests fill it with fixed values.

use crate::config::Config;
use crate::secrets::Secrets;

/// Per-request services.
pub struct Context<'a, K, L> {
    pub kv: &'a K,
    pub limiter: &'a L,
    pub config: &'a Config,
    /// The worker's keys, or which are missing (only the form routes need them).
    pub secrets: Result<Secrets, String>,
    /// Milliseconds since the Unix epoch.
    pub now_ms: u64,
    /// 32 fresh random bytes: ids and nonces.
    pub entropy: [u8; 32],
}

impl<K, L> Context<'_, K, L> {
    /// The worker's keys; a storage fault (500, logged) when one is missing.
    pub fn secrets(&self) -> Result<Secrets, crate::error::ApiError> {
        self.secrets
            .clone()
            .map_err(crate::error::ApiError::Storage)
    }
}
