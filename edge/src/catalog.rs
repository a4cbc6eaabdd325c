//! How a published catalogue lives in KV.
//!
//! Key layout (also in ARCHITECTURE.md):
//! - `catalog:version:<version>` — every published snapshot, immutable, kept for rollback.
//! - `catalog:published` — a copy of the current snapshot with `{version, etag}` as KV
//!   metadata. Serving the catalogue is therefore exactly one KV read, and switching versions
//!   is a single-key write: readers see the old snapshot or the new one, never a mix.
//!
//! Publishing writes the version key first and the published key second (the order of
//! [`publish_entries`]), so the published copy always has its history entry.

use guanai_core::Catalogue;
use guanai_core::validate::{self, FieldError};
use serde::{Deserialize, Serialize};

/// The key holding the current snapshot.
pub const PUBLISHED_KEY: &str = "catalog:published";

/// The key holding snapshot `version` forever.
pub fn version_key(version: &str) -> String {
    format!("catalog:version:{version}")
}

/// KV metadata stored beside a snapshot, so a request never has to parse the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotMeta {
    pub version: String,
    /// Strong HTTP entity tag of the stored bytes, quotes included.
    pub etag: String,
}

/// One key to write, in the format `wrangler kv bulk put` reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KvEntry {
    pub key: String,
    pub value: String,
    pub metadata: SnapshotMeta,
}

/// The strong ETag of `body`: a 64-bit FNV-1a digest. It only has to change when the bytes
/// change, and it is computed once per publication, not per request.
pub fn etag_of(body: &str) -> String {
    format!("\"{:016x}\"", guanai_core::digest::fnv1a64(body.as_bytes()))
}

/// The ETag of the stored published snapshot, from its metadata; a snapshot written without
/// metadata (by hand, say) is hashed now rather than failing.
pub fn stored_etag(stored: &crate::store::KvValue) -> String {
    stored
        .metadata
        .clone()
        .and_then(|metadata| serde_json::from_value::<SnapshotMeta>(metadata).ok())
        .map(|metadata| metadata.etag)
        .unwrap_or_else(|| etag_of(&stored.value))
}

/// The writes that publish `catalogue`, in the order they must happen. Refuses an invalid
/// catalogue with the field errors, so nothing half-valid is ever published.
pub fn publish_entries(catalogue: &Catalogue) -> Result<Vec<KvEntry>, Vec<FieldError>> {
    validate::catalogue(catalogue)?;
    let value = serde_json::to_string(catalogue).map_err(|error| {
        vec![FieldError {
            field: "catalogue".into(),
            code: "unserialisable".into(),
            message: guanai_core::Text::new(
                "目录无法序列化。",
                format!("The catalogue cannot be serialised: {error}"),
            ),
        }]
    })?;
    let metadata = SnapshotMeta {
        version: catalogue.version.clone(),
        etag: etag_of(&value),
    };
    Ok(vec![
        KvEntry {
            key: version_key(&catalogue.version),
            value: value.clone(),
            metadata: metadata.clone(),
        },
        KvEntry {
            key: PUBLISHED_KEY.into(),
            value,
            metadata,
        },
    ])
}

/// The partner ids of the published catalogue (for checking per-partner consents). One KV read;
/// only the `partners[].id` fields are kept from the snapshot.
pub async fn published_partner_ids(
    kv: &impl crate::store::Kv,
) -> Result<Vec<String>, crate::error::ApiError> {
    #[derive(Deserialize)]
    struct Ids {
        partners: Vec<Id>,
    }
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let stored = kv.get(PUBLISHED_KEY).await?;
    let Some(stored) = stored else {
        return Ok(Vec::new());
    };
    let ids: Ids = serde_json::from_str(&stored.value)
        .map_err(|_| crate::error::ApiError::Storage("unreadable published catalogue".into()))?;
    Ok(ids.partners.into_iter().map(|partner| partner.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_first_then_the_pointer_both_with_the_same_etag() {
        let catalogue = guanai_core::demo::programme();
        let entries = publish_entries(&catalogue).unwrap();
        assert_eq!(entries[0].key, "catalog:version:demo-2026-11");
        assert_eq!(entries[1].key, PUBLISHED_KEY);
        assert_eq!(entries[0].value, entries[1].value);
        assert_eq!(entries[0].metadata.etag, etag_of(&entries[0].value));
        let round_trip: Catalogue = serde_json::from_str(&entries[1].value).unwrap();
        assert_eq!(round_trip, catalogue);
    }

    #[test]
    fn an_invalid_catalogue_is_not_published() {
        let mut catalogue = guanai_core::demo::programme();
        catalogue.benefits[0].regions.push("000000".into());
        let errors = publish_entries(&catalogue).unwrap_err();
        assert_eq!(errors[0].code, "unknown_region");
    }

    #[test]
    fn etags_differ_when_bytes_differ() {
        assert_ne!(etag_of("{}"), etag_of("{ }"));
        assert_eq!(etag_of("abc"), etag_of("abc"));
        assert!(etag_of("").starts_with('"') && etag_of("").ends_with('"'));
    }
}
