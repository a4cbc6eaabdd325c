//! Large generated programmes for tests and benchmarks: catalogues (1k, 10k benefits) and
//! sign-ups (50k), at the size the Jing-Jin-Ji plan reaches.
//!
//! Deterministic: the same size gives the same catalogue on every machine, so figures from
//! different runs compare. A small SplitMix64 generator is enough here — this is test data, not
//! cryptography — and keeps the domain crate free of a `rand` dependency.

use chrono::{DateTime, Duration, NaiveDate};

use crate::codes::{Association, QualificationLevel, ServiceArea, Status};
use crate::model::{Award, Benefit, Catalogue, Contact, Location, Partner, PartnerKind, Text};
use crate::regions;
use crate::signup::ContactTime;
use crate::wire::PersonalData;

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const OFFERS: &[(&str, &str)] = &[
    ("体检套餐", "health check-up"),
    ("口腔护理", "dental care"),
    ("心理咨询", "counselling"),
    ("客房优惠", "room discount"),
    ("通信套餐", "mobile plan"),
    ("法律咨询", "legal advice"),
    ("职业培训", "professional training"),
    ("亲子活动", "family activity"),
    ("图书借阅", "library card"),
    ("健身课程", "fitness classes"),
    ("政策学习", "policy study"),
    ("餐饮折扣", "dining discount"),
];

const KINDS: &[PartnerKind] = &[
    PartnerKind::Hotel,
    PartnerKind::Dental,
    PartnerKind::Telecom,
    PartnerKind::Insurance,
    PartnerKind::Technology,
    PartnerKind::Community,
];

/// A sample catalogue with `benefits` offers spread over `benefits / 10` (at least one) partners,
/// every area, every region and a mix of validity windows around 2026.
pub fn catalogue(benefits: usize) -> Catalogue {
    catalogue_of(benefits, benefits / 10)
}

/// [`catalogue`] with `partners` (at least one) partners.
pub fn catalogue_of(benefits: usize, partners: usize) -> Catalogue {
    let mut rng = SplitMix64(benefits as u64);
    let places: Vec<_> = regions::ALL.iter().filter(|r| r.parent.is_some()).collect();
    let partner_count = partners.max(1);
    let partners: Vec<Partner> = (0..partner_count)
        .map(|i| {
            let place = *rng.pick(&places);
            let lat = 39.0 + rng.below(20_000) as f64 / 10_000.0;
            let lon = 115.5 + rng.below(25_000) as f64 / 10_000.0;
            Partner {
                id: format!("partner-{i}"),
                name: Text::new(format!("示例合作单位{i}号"), format!("Sample partner {i}")),
                kind: *rng.pick(KINDS),
                locations: vec![Location {
                    id: format!("partner-{i}-main"),
                    name: None,
                    address: Text::new(
                        format!("{}示例路{i}号", place.name_zh),
                        format!("{i} Sample Road, {}", place.name_en),
                    ),
                    region: place.code.to_string(),
                    lat,
                    lon,
                }],
                contact: Contact::default(),
                awards: if i % 3 == 0 {
                    vec![Award::caring_unit(2020 + (i % 6) as u16)]
                } else {
                    vec![]
                },
            }
        })
        .collect();
    let year_start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a real date");
    let benefits: Vec<Benefit> = (0..benefits)
        .map(|i| {
            let (offer_zh, offer_en) = *rng.pick(OFFERS);
            let partner = &partners[rng.below(partners.len())];
            let region = match rng.below(3) {
                0 => vec![],
                1 => vec![rng.pick(&places).province().to_string()],
                _ => vec![rng.pick(&places).code.to_string()],
            };
            let levels = match rng.below(4) {
                0 => vec![QualificationLevel::Intermediate, QualificationLevel::Senior],
                _ => vec![],
            };
            let from = year_start + Duration::days(rng.below(600) as i64 - 200);
            let until = from + Duration::days(30 + rng.below(400) as i64);
            Benefit {
                id: format!("benefit-{i}"),
                partner: partner.id.clone(),
                area: ServiceArea::ALL[i % ServiceArea::ALL.len()],
                title: Text::new(format!("{offer_zh}第{i}项"), format!("{offer_en} no. {i}")),
                description: Text::new(
                    format!("{}为社工提供的{offer_zh}示例优惠。", partner.name.zh),
                    format!(
                        "A sample {offer_en} offer for social workers from {}.",
                        partner.name.en
                    ),
                ),
                regions: region,
                eligible_levels: levels,
                valid_from: Some(from),
                valid_until: Some(until),
                how_to_redeem: Text::new("出示社工证。", "Show your social work certificate."),
            }
        })
        .collect();
    Catalogue {
        version: format!("synthetic-{}", benefits.len()),
        published_at: DateTime::from_timestamp(1_764_547_200, 0).expect("a real instant"),
        sample: true,
        partners,
        benefits,
        readings: Default::default(),
    }
}

/// One generated sign-up: what the edge seals and stores for a real one.
#[derive(Debug, Clone, PartialEq)]
pub struct Signup {
    pub association: Association,
    /// A district of the association's province.
    pub region: String,
    pub level: QualificationLevel,
    pub status: Status,
    pub created_at_ms: u64,
    pub personal: PersonalData,
    /// Partners (of [`catalogue_of`]'s with `partners` partners) consented to.
    pub partners: Vec<String>,
}

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: &[&str] = &["芳", "伟", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军"];

/// `n` sign-ups over the three associations (Beijing half, Tianjin and Hebei a quarter each),
/// created over the 400 days before `now_ms` with the last two days busier, mostly received
/// and a rare few rejected (1 in 200), each with a distinct mobile number; a fifth consent to
/// one of `partners` partners.
pub fn signups(n: usize, partners: usize, now_ms: u64) -> impl Iterator<Item = Signup> {
    let mut rng = SplitMix64(n as u64 ^ 0x5167_4e55);
    let districts: Vec<Vec<&'static regions::Region>> = Association::ALL
        .iter()
        .map(|a| {
            regions::ALL
                .iter()
                .filter(|r| r.parent.is_some() && r.province() == a.province_code())
                .collect()
        })
        .collect();
    const DAY_MS: u64 = 24 * 3600 * 1000;
    (0..n).map(move |i| {
        let which = match rng.below(4) {
            0 | 1 => 0,
            2 => 1,
            _ => 2,
        };
        let association = Association::ALL[which];
        let region = rng.pick(&districts[which]).code.to_string();
        let level = [
            QualificationLevel::Assistant,
            QualificationLevel::Intermediate,
            QualificationLevel::Senior,
        ][rng.below(3)];
        let status = match rng.below(200) {
            0 => Status::Rejected,
            1..=59 => Status::Verified,
            _ => Status::Received,
        };
        // One in 50 arrived in the last two days (what the dashboard reads from arrival keys).
        let age_ms = if i % 50 == 0 {
            rng.next() % (2 * DAY_MS)
        } else {
            2 * DAY_MS + rng.next() % (398 * DAY_MS)
        };
        let partners = if rng.below(5) == 0 {
            vec![format!("partner-{}", rng.below(partners.max(1)))]
        } else {
            Vec::new()
        };
        Signup {
            association,
            region,
            level,
            status,
            created_at_ms: now_ms.saturating_sub(age_ms),
            personal: PersonalData {
                name: format!(
                    "{}{}{}",
                    rng.pick(SURNAMES),
                    rng.pick(GIVEN),
                    rng.pick(GIVEN)
                ),
                // 139 + eight digits from the index: distinct for up to 100 million.
                mobile: format!("139{i:08}"),
                employer: format!("示例社会工作服务中心{}号", rng.below(500)),
                certificate_number: format!("SW{:010}", rng.next() % 10_000_000_000),
                interests: vec![ServiceArea::ALL[rng.below(ServiceArea::ALL.len())]],
                contact_time: ContactTime::Any,
                health_consent: rng.below(3) == 0,
            },
            partners,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_ups_are_deterministic_spread_and_distinct() {
        let now = 1_796_040_000_000;
        let a: Vec<Signup> = signups(2_000, 2_000, now).collect();
        assert_eq!(a, signups(2_000, 2_000, now).collect::<Vec<_>>());
        let mobiles: std::collections::HashSet<_> = a.iter().map(|s| &s.personal.mobile).collect();
        assert_eq!(mobiles.len(), 2_000);
        for association in Association::ALL {
            assert!(a.iter().filter(|s| s.association == *association).count() > 300);
        }
        assert!(a.iter().all(|s| {
            crate::regions::find(&s.region)
                .is_some_and(|r| r.province() == s.association.province_code())
        }));
        let rejected = a.iter().filter(|s| s.status == Status::Rejected).count();
        assert!((1..40).contains(&rejected), "{rejected} rejected");
        assert!(a.iter().all(|s| s.created_at_ms <= now));
    }

    #[test]
    fn a_catalogue_can_have_more_partners_than_a_tenth_of_its_benefits() {
        let catalogue = catalogue_of(1_000, 200);
        assert_eq!(catalogue.partners.len(), 200);
        assert!(crate::validate::catalogue(&catalogue).is_ok());
    }

    #[test]
    fn generates_valid_deterministic_catalogues_of_the_asked_size() {
        let big = catalogue(10_000);
        assert_eq!(big.benefits.len(), 10_000);
        assert_eq!(big.partners.len(), 1_000);
        assert_eq!(crate::validate::catalogue(&big), Ok(()));
        assert_eq!(catalogue(1_000), catalogue(1_000));
        assert_eq!(catalogue(3).partners.len(), 1);
    }
}
