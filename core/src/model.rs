//! Partners, their benefits, and the catalogue that publishes them.
//!
//! These types are the JSON of `GET /v1/catalog` (snake_case fields, contract codes for enums,
//! GB/T 2260 region codes as strings, WGS-84 coordinates, ISO dates). Optional fields are omitted
//! when empty so that a 10,000-benefit catalogue stays small on the wire.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::{Association, Lang, QualificationLevel, ServiceArea};

/// A user-facing text in both languages of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`, falling back to the other language when that one is empty.
    pub fn get(&self, lang: Lang) -> &str {
        let (wanted, other) = match lang {
            Lang::ZhCn => (&self.zh, &self.en),
            Lang::En => (&self.en, &self.zh),
        };
        if wanted.is_empty() { other } else { wanted }
    }
}

/// What kind of organisation a partner is; drives the icon and lets people filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    Telecom,
    Foundation,
    Hotel,
    Dental,
    Technology,
    Insurance,
    Healthcare,
    Community,
    SocialWorkOrg,
    Other,
}

every_variant!(PartnerKind:
    Telecom, Foundation, Hotel, Dental, Technology, Insurance, Healthcare, Community, SocialWorkOrg,
    Other
);

impl PartnerKind {
    /// The code the catalogue's JSON writes, e.g. `social_work_org`.
    pub const fn code(self) -> &'static str {
        match self {
            PartnerKind::Telecom => "telecom",
            PartnerKind::Foundation => "foundation",
            PartnerKind::Hotel => "hotel",
            PartnerKind::Dental => "dental",
            PartnerKind::Technology => "technology",
            PartnerKind::Insurance => "insurance",
            PartnerKind::Healthcare => "healthcare",
            PartnerKind::Community => "community",
            PartnerKind::SocialWorkOrg => "social_work_org",
            PartnerKind::Other => "other",
        }
    }

    /// The kind with this [`code`](PartnerKind::code), exactly as written.
    pub fn from_code(code: &str) -> Option<PartnerKind> {
        PartnerKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.code() == code)
    }

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            PartnerKind::Telecom => ("通信运营商", "Telecom"),
            PartnerKind::Foundation => ("公益基金会", "Charitable foundation"),
            PartnerKind::Hotel => ("酒店", "Hotel"),
            PartnerKind::Dental => ("口腔医院", "Dental clinic"),
            PartnerKind::Technology => ("科技企业", "Technology company"),
            PartnerKind::Insurance => ("保险与健康管理", "Insurance & health management"),
            PartnerKind::Healthcare => ("医药健康", "Healthcare"),
            PartnerKind::Community => ("社区", "Community"),
            PartnerKind::SocialWorkOrg => ("社会工作服务机构", "Social work organisation"),
            PartnerKind::Other => ("其他", "Other"),
        };
        Text::new(zh, en)
    }
}

/// A place where a partner serves social workers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Stable id, unique within the catalogue.
    pub id: String,
    /// Branch name if the partner has several places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    pub address: Text,
    /// GB/T 2260 code of the district or city the place is in.
    pub region: String,
    /// WGS-84 latitude in degrees (never GCJ-02: conversion happens only for display).
    pub lat: f64,
    /// WGS-84 longitude in degrees.
    pub lon: f64,
}

/// How social workers reach a partner. Organisational contact only, never a private person's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// An honour the programme gave a partner, e.g. 爱心单位 for 2020.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub year: u16,
    pub title: Text,
}

impl Award {
    /// The programme's yearly "caring unit" honour.
    pub fn caring_unit(year: u16) -> Award {
        Award {
            year,
            title: Text::new("爱心单位", "Caring Unit"),
        }
    }
}

/// A company or organisation that offers benefits to registered social workers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    /// Stable id, unique within the catalogue; used in `partner=` attributes.
    pub id: String,
    pub name: Text,
    pub kind: PartnerKind,
    #[serde(default)]
    pub locations: Vec<Location>,
    #[serde(default)]
    pub contact: Contact,
    #[serde(default)]
    pub awards: Vec<Award>,
}

/// One offer a partner makes to social workers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benefit {
    /// Stable id, unique within the catalogue.
    pub id: String,
    /// The [`Partner::id`] making the offer.
    pub partner: String,
    pub area: ServiceArea,
    pub title: Text,
    pub description: Text,
    /// GB/T 2260 codes where the offer applies; empty means the whole Jing-Jin-Ji region.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Who may use it; empty means everyone, including people without a qualification yet.
    #[serde(default)]
    pub eligible_levels: Vec<QualificationLevel>,
    /// First day the offer can be used (inclusive, Asia/Shanghai calendar date).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::optional_iso_date"
    )]
    pub valid_from: Option<NaiveDate>,
    /// Last day the offer can be used (inclusive, Asia/Shanghai calendar date).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::optional_iso_date"
    )]
    pub valid_until: Option<NaiveDate>,
    pub how_to_redeem: Text,
}

impl Benefit {
    /// Whether the offer can be used on `day` (a calendar date in Asia/Shanghai).
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= day)
            && self.valid_until.is_none_or(|until| day <= until)
    }

    /// Whether someone at `level` may use the offer.
    pub fn is_open_to(&self, level: QualificationLevel) -> bool {
        self.eligible_levels.is_empty() || self.eligible_levels.contains(&level)
    }

    /// Whether the offer concerns someone looking in region `wanted`.
    pub fn applies_in(&self, wanted: &str) -> bool {
        self.regions.is_empty()
            || self
                .regions
                .iter()
                .any(|offered| crate::regions::overlaps(offered, wanted))
    }
}

/// A partner being edited by staff (stored as `draft-partner:<id>`), with the association
/// responsible for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftPartner {
    pub partner: Partner,
    /// The association that looks after this partner; `None` for plan-wide partners, which
    /// only the plan admin edits.
    #[serde(default)]
    pub association: Option<Association>,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub updated_by: String,
    #[serde(default)]
    pub updated_at_ms: u64,
}

/// A benefit being edited. It belongs to its partner's association.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftBenefit {
    pub benefit: Benefit,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub updated_by: String,
    #[serde(default)]
    pub updated_at_ms: u64,
}

/// Whether `query` (already trimmed and lower-cased) is part of one of `texts`, ignoring case.
fn mentions(query: &str, texts: &[&str]) -> bool {
    query.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(query))
}

impl DraftPartner {
    /// Whether staff searching the drafts for `query` (lower-case) mean this partner: its id or
    /// either name.
    pub fn matches(&self, query: &str) -> bool {
        let p = &self.partner;
        mentions(query, &[&p.id, &p.name.zh, &p.name.en])
    }
}

impl DraftBenefit {
    /// Whether staff searching for `query` (lower-case) mean this benefit: its id, either
    /// title, or its partner's id.
    pub fn matches(&self, query: &str) -> bool {
        let b = &self.benefit;
        mentions(query, &[&b.id, &b.title.zh, &b.title.en, &b.partner])
    }
}

/// A published, immutable snapshot of every partner and benefit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Identifies this snapshot; a new publication always gets a new version.
    pub version: String,
    #[serde(with = "crate::time::rfc3339_instant")]
    pub published_at: DateTime<Utc>,
    /// Set when the content is sample data (the demo programme or a generated catalogue), so
    /// every screen can say so plainly.
    #[serde(default)]
    pub sample: bool,
    pub partners: Vec<Partner>,
    pub benefits: Vec<Benefit>,
    /// The pinyin of every benefit title, partner name and area label (their Chinese), text →
    /// reading, computed when the snapshot is published (`crate::pinyin`). A snapshot published
    /// without them is searched by its Hanzi and letters only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub readings: BTreeMap<String, String>,
}

impl Catalogue {
    /// The partner with this id.
    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.iter().find(|partner| partner.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn benefit() -> Benefit {
        Benefit {
            id: "b".into(),
            partner: "p".into(),
            area: ServiceArea::Health,
            title: Text::new("体检", "Check-up"),
            description: Text::default(),
            regions: vec!["110000".into()],
            eligible_levels: vec![QualificationLevel::Intermediate],
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1),
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 31),
            how_to_redeem: Text::default(),
        }
    }

    #[test]
    fn validity_is_inclusive_at_both_ends() {
        let b = benefit();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert!(b.is_valid_on(day(1, 1)));
        assert!(b.is_valid_on(day(12, 31)));
        assert!(!b.is_valid_on(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()));
        assert!(!b.is_valid_on(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
        let open = Benefit {
            valid_from: None,
            valid_until: None,
            ..b
        };
        assert!(open.is_valid_on(day(6, 1)));
    }

    #[test]
    fn empty_lists_mean_everyone_everywhere() {
        let b = Benefit {
            regions: vec![],
            eligible_levels: vec![],
            ..benefit()
        };
        assert!(b.applies_in("130600"));
        assert!(b.is_open_to(QualificationLevel::None));
        let narrow = benefit();
        assert!(narrow.applies_in("110105"));
        assert!(!narrow.applies_in("120000"));
        assert!(narrow.is_open_to(QualificationLevel::Intermediate));
        assert!(!narrow.is_open_to(QualificationLevel::Assistant));
    }

    #[test]
    fn partner_kind_codes_are_what_serde_writes() {
        for kind in PartnerKind::ALL {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()));
            assert_eq!(PartnerKind::from_code(kind.code()), Some(*kind));
        }
        assert_eq!(PartnerKind::from_code("Hotel"), None);
    }

    #[test]
    fn text_falls_back_to_the_other_language() {
        assert_eq!(Text::new("口腔", "").get(Lang::En), "口腔");
        assert_eq!(Text::new("口腔", "Dental").get(Lang::En), "Dental");
        assert_eq!(Text::new("", "Dental").get(Lang::ZhCn), "Dental");
    }
}
