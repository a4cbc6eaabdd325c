//! The partner sites staff record in the admin view, as the public routes see them.
//!
//! Each owner's list lives under its own key (`origins:partner:<id>`,
//! `origins:association:<code>`; `crate::admin::origins` writes them), so two associations
//! editing at once never overwrite each other. Public requests never list keys: they read the
//! union, [`ALLOWLIST_KEY`], which every change rebuilds from the owners' keys and the Cron
//! Trigger rebuilds again every ten minutes (a listing can miss a write made elsewhere in the
//! last minute; the next rebuild sees it). The isolate keeps its copy beside the catalogue's
//! (`crate::snapshot_cache`), so a public request reads it at most once, in the same bulk read
//! as the catalogue, and not at all while the copy is fresh.

use crate::store::KvValue;

/// The union of every recorded list: a JSON array of origins.
pub const ALLOWLIST_KEY: &str = "cors:origins";

/// The prefix of the owners' keys.
pub const OWNER_PREFIX: &str = "origins:";

/// The origins in the stored allowlist; none when it is missing or unreadable (the configured
/// `ALLOWED_ORIGINS` still apply).
pub fn listed(stored: Option<KvValue>) -> Vec<String> {
    stored
        .and_then(|stored| serde_json::from_str(&stored.value).ok())
        .unwrap_or_default()
}
