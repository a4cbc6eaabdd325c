//! A benefit in words, as people read it: its validity, whether it runs today, who may use it
//! and where, and the map links to its partner's places.
//!
//! The finder's cards (in the browser) and the plain catalogue pages (`GET /catalog`, rendered by
//! the worker) say the same thing in the same words; this is where those words are made once.

use chrono::NaiveDate;

use crate::codes::Lang;
use crate::decimal::fixed;
use crate::i18n::{Ui, fill};
use crate::model::{Benefit, Location};
use crate::regions;

/// Where an offer stands on a given day, when it is not simply running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The last day has passed.
    Ended,
    /// The first day is still to come.
    NotYetStarted,
}

impl Standing {
    /// `None` while the offer runs on `today` (an Asia/Shanghai calendar date).
    pub fn of(benefit: &Benefit, today: NaiveDate) -> Option<Standing> {
        if benefit.valid_until.is_some_and(|until| until < today) {
            Some(Standing::Ended)
        } else if benefit.valid_from.is_some_and(|from| today < from) {
            Some(Standing::NotYetStarted)
        } else {
            None
        }
    }

    /// The badge people see.
    pub fn label(self) -> Ui {
        match self {
            Standing::Ended => Ui::Expired,
            Standing::NotYetStarted => Ui::NotYetStarted,
        }
    }
}

/// The separator of a list in running text: `、` in Chinese, `, ` in English.
pub fn list_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "、",
        Lang::En => ", ",
    }
}

/// The colon after a label: full-width in Chinese.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "：",
        Lang::En => ": ",
    }
}

/// "2026-01-01 至 2026-12-31" and its open-ended variants, without the "valid" label.
pub fn validity_range(benefit: &Benefit, lang: Lang) -> String {
    let date = crate::time::iso_date;
    match (benefit.valid_from, benefit.valid_until) {
        (Some(from), Some(until)) => fill(
            Ui::ValidRange.get(lang),
            &[("from", &date(from)), ("until", &date(until))],
        ),
        (Some(from), None) => fill(Ui::ValidFrom.get(lang), &[("from", &date(from))]),
        (None, Some(until)) => fill(Ui::ValidUntil.get(lang), &[("until", &date(until))]),
        (None, None) => Ui::NoEndDate.get(lang).to_string(),
    }
}

/// "有效期：2026-01-01 至 2026-12-31" — the validity with its label.
pub fn validity(benefit: &Benefit, lang: Lang) -> String {
    format!(
        "{}{}{}",
        Ui::Validity.get(lang),
        colon(lang),
        validity_range(benefit, lang)
    )
}

/// Who may use the offer: the qualification levels, or everyone.
pub fn eligibility(benefit: &Benefit, lang: Lang) -> String {
    if benefit.eligible_levels.is_empty() {
        return Ui::EligibleEveryone.get(lang).to_string();
    }
    let names: Vec<String> = benefit
        .eligible_levels
        .iter()
        .map(|level| level.label().get(lang).to_string())
        .collect();
    names.join(list_separator(lang))
}

/// Where the offer applies: region names, or the whole Jing-Jin-Ji region.
pub fn coverage(benefit: &Benefit, lang: Lang) -> String {
    if benefit.regions.is_empty() {
        return Ui::AllRegions.get(lang).to_string();
    }
    let names: Vec<String> = benefit
        .regions
        .iter()
        .filter_map(|code| regions::find(code))
        .map(|region| region.name().get(lang).to_string())
        .collect();
    names.join(list_separator(lang))
}

/// A place as one line: "branch — address", or the address alone.
pub fn place_line(location: &Location, lang: Lang) -> String {
    match &location.name {
        Some(name) => format!("{} — {}", name.get(lang), location.address.get(lang)),
        None => location.address.get(lang).to_string(),
    }
}

/// AMap's web address for a route to `location`, given in WGS-84 (`coordinate=wgs84`, so AMap
/// converts). `encode` percent-encodes a URI component (the browser's `encodeURIComponent` in
/// the widgets, so their wasm carries no encoder of its own).
pub fn amap_directions(location: &Location, name: &str, encode: impl Fn(&str) -> String) -> String {
    format!(
        "https://uri.amap.com/navigation?to={},{},{}&mode=car&coordinate=wgs84&callnative=1&src=guanai",
        fixed(location.lon, 6),
        fixed(location.lat, 6),
        encode(name)
    )
}

/// Baidu's web address, WGS-84 in (`coord_type=wgs84`): a route from `origin` when it is known,
/// otherwise the place on Baidu's map, whose page offers routes there. `province` is the
/// Chinese name of the place's province, which Baidu wants as the search region.
pub fn baidu_directions(
    location: &Location,
    name: &str,
    province: &str,
    origin: Option<crate::geo::LatLon>,
    encode: impl Fn(&str) -> String,
) -> String {
    match origin {
        Some(from) => format!(
            "https://api.map.baidu.com/direction?origin=latlng:{},{}|name:{}&destination=latlng:{},{}|name:{}&mode=driving&region={}&coord_type=wgs84&output=html&src=webapp.guanai.map",
            fixed(from.lat, 6),
            fixed(from.lon, 6),
            encode("我的位置"),
            fixed(location.lat, 6),
            fixed(location.lon, 6),
            encode(name),
            encode(province)
        ),
        None => format!(
            "https://api.map.baidu.com/marker?location={},{}&title={}&content={}&coord_type=wgs84&output=html&src=webapp.guanai.map",
            fixed(location.lat, 6),
            fixed(location.lon, 6),
            encode(name),
            encode(&location.address.zh)
        ),
    }
}

/// The Chinese name of the province `location` lies in (Baidu's search region); Beijing when
/// the region code is unknown.
pub fn province_zh(location: &Location) -> &'static str {
    regions::find(&location.region)
        .and_then(|region| regions::find(region.province()))
        .map(|province| province.name_zh)
        .unwrap_or("北京市")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{QualificationLevel, ServiceArea};
    use crate::model::Text;

    fn benefit(from: Option<(i32, u32, u32)>, until: Option<(i32, u32, u32)>) -> Benefit {
        let day = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Benefit {
            id: "b".into(),
            partner: "p".into(),
            area: ServiceArea::Health,
            title: Text::new("体检", "Check-up"),
            description: Text::default(),
            regions: vec!["110105".into(), "120000".into()],
            eligible_levels: vec![QualificationLevel::Assistant, QualificationLevel::Senior],
            valid_from: from.map(day),
            valid_until: until.map(day),
            how_to_redeem: Text::default(),
        }
    }

    #[test]
    fn standing_is_inclusive_at_both_ends() {
        let offer = benefit(Some((2026, 1, 1)), Some((2026, 12, 31)));
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(Standing::of(&offer, day(2026, 1, 1)), None);
        assert_eq!(Standing::of(&offer, day(2026, 12, 31)), None);
        assert_eq!(Standing::of(&offer, day(2027, 1, 1)), Some(Standing::Ended));
        assert_eq!(
            Standing::of(&offer, day(2025, 12, 31)),
            Some(Standing::NotYetStarted)
        );
    }

    #[test]
    fn validity_reads_naturally_in_both_languages() {
        let both = benefit(Some((2026, 1, 1)), Some((2026, 12, 31)));
        assert_eq!(
            validity(&both, Lang::ZhCn),
            "有效期：2026-01-01 至 2026-12-31"
        );
        assert_eq!(validity(&both, Lang::En), "Valid: 2026-01-01 to 2026-12-31");
        assert_eq!(
            validity_range(&benefit(None, None), Lang::En),
            "No end date"
        );
        assert_eq!(
            validity_range(&benefit(Some((2026, 3, 1)), None), Lang::ZhCn),
            "2026-03-01 起"
        );
    }

    #[test]
    fn who_and_where_list_names_or_say_everyone() {
        let offer = benefit(None, None);
        assert_eq!(
            eligibility(&offer, Lang::En),
            "Assistant social worker, Senior social worker"
        );
        assert_eq!(coverage(&offer, Lang::ZhCn), "朝阳区、天津市");
        let open = Benefit {
            regions: vec![],
            eligible_levels: vec![],
            ..offer
        };
        assert_eq!(
            eligibility(&open, Lang::ZhCn),
            Ui::EligibleEveryone.get(Lang::ZhCn)
        );
        assert_eq!(coverage(&open, Lang::En), Ui::AllRegions.get(Lang::En));
    }

    #[test]
    fn directions_carry_wgs84_and_encoded_names() {
        let place = Location {
            id: "l".into(),
            name: None,
            address: Text::new("天津市和平区", "Heping"),
            region: "120101".into(),
            lat: 39.117_2,
            lon: 117.2,
        };
        let encode = |text: &str| text.replace(' ', "%20");
        let amap = amap_directions(&place, "A B", encode);
        assert!(amap.contains("to=117.200000,39.117200,A%20B"), "{amap}");
        assert!(amap.contains("coordinate=wgs84"));
        let baidu = baidu_directions(&place, "A B", province_zh(&place), None, encode);
        assert!(baidu.contains("location=39.117200,117.200000"), "{baidu}");
        assert!(baidu.contains("coord_type=wgs84"));
        assert_eq!(province_zh(&place), "天津市");
    }
}
