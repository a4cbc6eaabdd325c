//! Figures for the dashboard: sign-ups per week by association and by qualification level,
//! benefits per service area, partners per region. Counts only — no personal data — from key
//! metadata and the published snapshot, so the page needs no decryption.
//!
//! Counting 50,000 sign-ups means 50 listings; the dashboard makes none of them. A Cron
//! Trigger ([`roll_up`], every ten minutes) counts every sign-up created up to a few minutes
//! before it ran into one key, `insight:rollup`. Each sign-up also writes an arrival key
//! (`signup-new:<created ms>:<reference>`, kept two days, its counts in the metadata), and the
//! dashboard adds the arrivals after the rollup's cut-off: new sign-ups show at once, and no
//! key is shared by concurrent sign-ups (KV has no compare-and-swap, so a shared counter would
//! lose increments). A deletion or a move to another association shows at the next rollup.
//! Without a usable rollup (none yet, or older than a day) the dashboard counts every sign-up.

use std::collections::BTreeMap;

use chrono::Datelike;
use guanai_core::staff::Action;
use guanai_core::{Association, Catalogue, QualificationLevel, regions};
use serde::{Deserialize, Serialize};

use super::guard::authorize;
use crate::catalog::PUBLISHED_KEY;
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::{read_json, write_json};
use crate::limits::RateLimiter;
use crate::scan::Scan;
use crate::store::{Kv, LIST_PAGE, PutOptions};

/// Where the last rollup is kept.
pub const ROLLUP_KEY: &str = "insight:rollup";

/// Where arrival keys start.
pub const ARRIVALS: &str = "signup-new:";

/// How long an arrival key is kept: far longer than rollups are apart.
pub const ARRIVAL_SECONDS: u64 = 2 * 24 * 3600;

/// A rollup counts sign-ups created this long before it ran: by then KV's listings show them
/// (changes take up to a minute to spread); later ones are counted from the arrivals.
const SETTLE_MS: u64 = 5 * 60 * 1000;

/// A rollup older than this is not used: the arrivals after it may have expired.
const ROLLUP_MAX_AGE_MS: u64 = 24 * 3600 * 1000;

/// The arrival key of a sign-up.
pub fn arrival_key(created_at_ms: u64, reference: &str) -> String {
    format!("{ARRIVALS}{created_at_ms:013}:{reference}")
}

/// What an arrival key's metadata says: enough to count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    pub association: Association,
    pub level: QualificationLevel,
    pub created_at_ms: u64,
}

/// Sign-ups counted by week, association and level.
type Counts = BTreeMap<(String, Association, QualificationLevel), u64>;

/// The counts of every sign-up created until `counted_until_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    pub counted_until_ms: u64,
    pub computed_at_ms: u64,
    pub counts: Vec<(String, Association, QualificationLevel, u64)>,
}

/// The ISO week (Beijing time) of an instant, e.g. `2026-W48`.
fn week_of(created_ms: u64) -> String {
    let day = guanai_core::time::shanghai_date(
        chrono::DateTime::from_timestamp_millis(created_ms as i64).unwrap_or_default(),
    );
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

fn count(counts: &mut Counts, arrival: Arrival) {
    let key = (
        week_of(arrival.created_at_ms),
        arrival.association,
        arrival.level,
    );
    *counts.entry(key).or_default() += 1;
}

/// Counts every sign-up created until `until_ms`, from the listing's metadata (one listing
/// per 1,000 sign-ups).
async fn count_all(kv: &impl Kv, until_ms: u64) -> Result<Counts, ApiError> {
    let mut counts = Counts::new();
    let mut scan = Scan::resume(kv, "signup:", None, LIST_PAGE);
    while let Some(keys) = scan.page().await? {
        for (name, metadata) in &keys {
            if let Some(row) = super::signups::row(name, metadata)
                && row.created_at_ms <= until_ms
            {
                let arrival = Arrival {
                    association: row.association,
                    level: row.level,
                    created_at_ms: row.created_at_ms,
                };
                count(&mut counts, arrival);
            }
        }
    }
    Ok(counts)
}

/// The scheduled rollup: counts every sign-up created until a few minutes ago and stores the
/// counts under [`ROLLUP_KEY`]. 50,000 sign-ups: 50 listings and one write.
pub async fn roll_up(kv: &impl Kv, now_ms: u64) -> Result<Rollup, ApiError> {
    let counted_until_ms = now_ms.saturating_sub(SETTLE_MS);
    let counts = count_all(kv, counted_until_ms).await?;
    let rollup = Rollup {
        counted_until_ms,
        computed_at_ms: now_ms,
        counts: counts
            .into_iter()
            .map(|((week, association, level), n)| (week, association, level, n))
            .collect(),
    };
    write_json(kv, ROLLUP_KEY, &rollup, PutOptions::default()).await?;
    Ok(rollup)
}

/// Every sign-up counted: the rollup plus the arrivals after it, or a full count.
async fn current_counts(kv: &impl Kv, now_ms: u64) -> Result<(Counts, Option<u64>), ApiError> {
    let rollup: Option<Rollup> = read_json(kv, ROLLUP_KEY).await?;
    let Some(rollup) =
        rollup.filter(|r| now_ms.saturating_sub(r.computed_at_ms) < ROLLUP_MAX_AGE_MS)
    else {
        return Ok((count_all(kv, u64::MAX).await?, None));
    };
    let mut counts: Counts = rollup
        .counts
        .into_iter()
        .map(|(week, association, level, n)| ((week, association, level), n))
        .collect();
    let mut scan = Scan::resume(kv, ARRIVALS, None, LIST_PAGE);
    while let Some(keys) = scan.page().await? {
        for (_, metadata) in keys {
            let arrival = metadata.and_then(|m| serde_json::from_value::<Arrival>(m).ok());
            if let Some(arrival) = arrival.filter(|a| a.created_at_ms > rollup.counted_until_ms) {
                count(&mut counts, arrival);
            }
        }
    }
    Ok((counts, Some(rollup.counted_until_ms)))
}

/// `GET /v1/admin/insight`: the dashboard's numbers (an association's staff see their
/// association's sign-ups; the catalogue figures are plan-wide, like the catalogue).
pub async fn show(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = authorize(request, ctx, Action::Read, None).await?;
    let own = session.staff.association;
    // week → association → count, and week → level → count
    let mut by_association: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut by_level: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let (counts, rolled_up_until) = current_counts(ctx.kv, ctx.now_ms).await?;
    for ((week, association, level), n) in counts {
        if own.is_some_and(|own| own != association) {
            continue;
        }
        *by_association
            .entry(week.clone())
            .or_default()
            .entry(association.code().to_string())
            .or_default() += n;
        *by_level
            .entry(week)
            .or_default()
            .entry(level.code().to_string())
            .or_default() += n;
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
        "rolled_up_until_ms": rolled_up_until,
    });
    Ok(ApiResponse::json(200, body.to_string()))
}
