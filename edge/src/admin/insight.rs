//! Figures for the dashboard: sign-ups per week by association and by qualification level,
//! benefits per service area, partners per region. Counts only — no personal data — from key
//! metadata and the published snapshot, so the page needs no decryption.

use std::collections::BTreeMap;

use chrono::Datelike;
use guanai_core::staff::Action;
use guanai_core::{Catalogue, regions};

use super::guard::authorize;
use crate::catalog::PUBLISHED_KEY;
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::RateLimiter;
use crate::store::{Kv, LIST_PAGE};

/// `GET /v1/admin/insight`: the dashboard's numbers (an association's staff see their
/// association's sign-ups; the catalogue figures are plan-wide, like the catalogue).
pub async fn show(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Read, None).await?;
    let prefix = match session.staff.association {
        Some(association) => format!("signup:{association}:"),
        None => "signup:".to_string(),
    };
    // week → association → count, and week → level → count
    let mut by_association: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut by_level: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = ctx.kv.list(&prefix, cursor.as_deref(), LIST_PAGE).await?;
        for (name, metadata) in &page.keys {
            let Some(row) = super::signups::row(name, metadata) else {
                continue;
            };
            let association = row.association.code().to_string();
            let created = row.created_at_ms as i64;
            let day = guanai_core::time::shanghai_date(
                chrono::DateTime::from_timestamp_millis(created).unwrap_or_default(),
            );
            let week = day.iso_week();
            let week = format!("{}-W{:02}", week.year(), week.week());
            let level = row.level.code().to_string();
            *by_association
                .entry(week.clone())
                .or_default()
                .entry(association)
                .or_default() += 1;
            *by_level.entry(week).or_default().entry(level).or_default() += 1;
        }
        cursor = page.cursor;
        if cursor.is_none() {
            break;
        }
    }
    let published: Option<Catalogue> = match ctx.kv.get(PUBLISHED_KEY).await? {
        Some(stored) => serde_json::from_str(&stored.value).ok(),
        None => None,
    };
    let mut benefits_by_area: BTreeMap<&str, u64> = BTreeMap::new();
    let mut partners_by_region: BTreeMap<String, u64> = BTreeMap::new();
    if let Some(catalogue) = &published {
        for benefit in &catalogue.benefits {
            *benefits_by_area.entry(benefit.area.code()).or_default() += 1;
        }
        for partner in &catalogue.partners {
            // A partner counts once per province-level region it has a location in.
            let mut provinces: Vec<&str> = partner
                .locations
                .iter()
                .filter_map(|l| regions::find(&l.region).map(|r| r.province()))
                .collect();
            provinces.sort_unstable();
            provinces.dedup();
            for province in provinces {
                *partners_by_region.entry(province.to_string()).or_default() += 1;
            }
        }
    }
    let body = serde_json::json!({
        "signups_per_week_by_association": by_association,
        "signups_per_week_by_level": by_level,
        "benefits_by_area": benefits_by_area,
        "partners_by_province": partners_by_region,
    });
    Ok(ApiResponse::json(200, body.to_string()))
}
