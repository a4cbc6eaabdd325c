//! Large generated catalogues (1k, 10k benefits) for tests and benchmarks.
//!
//! Deterministic: the same size gives the same catalogue on every machine, so figures from
//! different runs compare. A small SplitMix64 generator is enough here — this is test data, not
//! cryptography — and keeps the domain crate free of a `rand` dependency.

use chrono::{DateTime, Duration, NaiveDate};

use crate::codes::{QualificationLevel, ServiceArea};
use crate::model::{Award, Benefit, Catalogue, Contact, Location, Partner, PartnerKind, Text};
use crate::regions;

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
    let mut rng = SplitMix64(benefits as u64);
    let places: Vec<_> = regions::ALL.iter().filter(|r| r.parent.is_some()).collect();
    let partner_count = (benefits / 10).max(1);
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
