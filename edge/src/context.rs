//! Everything a route may use besides the request: storage, limits, configuration, keys, the
//! clock and randomness. The worker fills it per request; tests fill it with fixed values.

use futures::future::LocalBoxFuture;

use crate::config::Config;
use crate::secrets::Secrets;

/// Where publishing reads the pinyin reading table from: the worker's static assets
/// ([`READING_TABLE_PATH`]); tests hand it the table the build would write.
pub trait ReadingTableSource {
    /// The table's text (`guanai_core::pinyin::ReadingTable::parse` reads it), or why not.
    fn load(&self) -> LocalBoxFuture<'_, Result<String, String>>;
}

/// Where `cargo xtask build` puts the reading table among the static assets. Public like the
/// rest of them: it is the pinyin of every character, nothing of the programme's.
pub const READING_TABLE_PATH: &str = "/data/pinyin.txt";

/// Per-request services.
pub struct Context<'a, K, L> {
    pub kv: &'a K,
    pub limiter: &'a L,
    pub config: &'a Config,
    /// The pinyin table, read only by publishing (it is ≈ 0.3 MB, kept out of the worker's code).
    pub readings: &'a dyn ReadingTableSource,
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
