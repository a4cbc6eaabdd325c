//! Finding benefits: Chinese-friendly substring search, pinyin, and structured filters.
//!
//! Chinese has no spaces between words, so search is by substring, not by token: 口腔 finds
//! 口腔检查 and 维尔口腔医院. Several space-separated terms must all match. Text is normalised
//! once per catalogue (lower case, full-width ASCII folded to half-width) so a keystroke only
//! scans prepared strings; at 10,000 benefits that is a few milliseconds in WebAssembly.
//!
//! Titles, partner names and area labels can also be typed as pinyin (`kq`, `kouqiang`,
//! `口qiang`) when the snapshot carries their readings (`crate::pinyin`); results come Hanzi or
//! typed-text matches first, then whole syllables, then initials.

use chrono::NaiveDate;

use std::collections::HashMap;

use crate::codes::{QualificationLevel, ServiceArea};
use crate::model::Catalogue;
use crate::pinyin::{PinyinMatch, Spelling, pinyin_term};

/// What a person is looking for. The default matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Free text; every whitespace-separated term must occur somewhere in the benefit's texts or
    /// its partner's name.
    pub query: String,
    /// Service areas to include; empty means all.
    pub areas: Vec<ServiceArea>,
    /// GB/T 2260 code; a district matches its province and vice versa.
    pub region: Option<String>,
    /// Only this partner's offers.
    pub partner: Option<String>,
    /// Only offers open to this qualification level.
    pub level: Option<QualificationLevel>,
    /// Only offers valid on this date (Asia/Shanghai).
    pub valid_on: Option<NaiveDate>,
}

/// Normalises text for matching: lower case, full-width ASCII (as typed by Chinese IMEs, e.g.
/// `ＡＢＣ１２３`) folded to half-width, ideographic spaces to plain spaces.
///
/// Lower case covers the Latin letters of Latin-1 (ASCII and `À`–`Þ`), which is every cased
/// letter the programme's Chinese and English texts use (Chinese has no case). Full Unicode
/// lower-casing would ship its 11 KB mapping table to every phone that opens a finder.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(latin_lowercase)
        .collect()
}

/// `c` in lower case if it is an upper-case letter of Latin-1, otherwise `c`.
fn latin_lowercase(c: char) -> char {
    match c {
        'A'..='Z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => {
            char::from_u32(c as u32 + 0x20).unwrap_or(c)
        }
        _ => c,
    }
}

/// How well a benefit matched the query: results are shown best first, in catalogue order
/// within each rank. A benefit's rank is its worst term's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// Every term is in the text as typed (Hanzi, English, digits).
    Text,
    /// Some term is pinyin by whole syllables (`kouqiang`, `口qiang`).
    Syllables,
    /// Some term is pinyin by initials (`kq`).
    Initials,
}

impl From<PinyinMatch> for Rank {
    fn from(found: PinyinMatch) -> Rank {
        match found {
            PinyinMatch::Syllables => Rank::Syllables,
            PinyinMatch::Initials => Rank::Initials,
        }
    }
}

/// A catalogue prepared for repeated searching.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// One normalised haystack per benefit, in catalogue order. Fields are joined with `\n`,
    /// which no search term can contain, so a term never matches across two fields.
    haystacks: Vec<String>,
    /// Per benefit, its title's pinyin, when the snapshot carries it.
    titles: Vec<Option<Spelling>>,
    /// Per benefit, the index of its partner in `partners` (a missing partner has none).
    partner_of: Vec<Option<usize>>,
    /// Each partner's name in pinyin, once per partner rather than once per benefit.
    partners: Vec<Option<Spelling>>,
    /// Each area's label in pinyin, in `ServiceArea::ALL` order.
    areas: Vec<Option<Spelling>>,
}

impl SearchIndex {
    /// Prepares every benefit of `catalogue` for searching.
    pub fn new(catalogue: &Catalogue) -> SearchIndex {
        let partner_at: HashMap<&str, usize> = catalogue
            .partners
            .iter()
            .enumerate()
            .map(|(index, partner)| (partner.id.as_str(), index))
            .collect();
        let spelling = |text: &str| {
            let reading = catalogue.readings.get(text)?;
            Spelling::new(text, reading)
        };
        let partner_of: Vec<Option<usize>> = catalogue
            .benefits
            .iter()
            .map(|benefit| partner_at.get(benefit.partner.as_str()).copied())
            .collect();
        let haystacks = catalogue
            .benefits
            .iter()
            .zip(&partner_of)
            .map(|(benefit, partner)| {
                let area = benefit.area.label();
                let mut fields = vec![
                    &benefit.title.zh,
                    &benefit.title.en,
                    &benefit.description.zh,
                    &benefit.description.en,
                    &area.zh,
                    &area.en,
                ];
                if let Some(partner) = partner.map(|index| &catalogue.partners[index]) {
                    fields.extend([&partner.name.zh, &partner.name.en]);
                }
                let joined: Vec<&str> = fields.into_iter().map(String::as_str).collect();
                normalize(&joined.join("\n"))
            })
            .collect();
        SearchIndex {
            haystacks,
            titles: catalogue
                .benefits
                .iter()
                .map(|b| spelling(&b.title.zh))
                .collect(),
            partner_of,
            partners: catalogue
                .partners
                .iter()
                .map(|p| spelling(&p.name.zh))
                .collect(),
            areas: ServiceArea::ALL
                .iter()
                .map(|area| spelling(&area.label().zh))
                .collect(),
        }
    }

    /// Indices into `catalogue.benefits` of every benefit that matches `filter`, best [`Rank`]
    /// first and in catalogue order within a rank. `catalogue` must be the one this index was
    /// built from.
    pub fn search(&self, catalogue: &Catalogue, filter: &Filter) -> Vec<usize> {
        let query = normalize(&filter.query);
        let terms: Vec<Term> = query
            .split_whitespace()
            .map(|text| self.term(text))
            .collect();
        let mut scratch = Vec::new();
        // One list per rank, each in catalogue order: no sort (a stable sort is ≈ 5 KB of wasm).
        let mut ranked: [Vec<usize>; 3] = Default::default();
        catalogue
            .benefits
            .iter()
            .enumerate()
            .filter(|(_, benefit)| {
                (filter.areas.is_empty() || filter.areas.contains(&benefit.area))
                    && filter
                        .partner
                        .as_ref()
                        .is_none_or(|partner| &benefit.partner == partner)
                    && filter
                        .region
                        .as_ref()
                        .is_none_or(|region| benefit.applies_in(region))
                    && filter.level.is_none_or(|level| benefit.is_open_to(level))
                    && filter.valid_on.is_none_or(|day| benefit.is_valid_on(day))
            })
            .filter_map(|(index, benefit)| {
                let mut rank = Rank::Text;
                for term in &terms {
                    rank = rank.max(self.rank_of(index, benefit.area, term, &mut scratch)?);
                }
                Some((rank, index))
            })
            .for_each(|(rank, index)| ranked[rank as usize].push(index));
        ranked.concat()
    }

    /// One term of the query, with how it matches each partner name and area label worked out
    /// once for the whole catalogue.
    fn term<'q>(&self, text: &'q str) -> Term<'q> {
        let pinyin = pinyin_term(text);
        let mut scratch = Vec::new();
        let mut spelled = |spellings: &[Option<Spelling>]| -> Vec<Option<PinyinMatch>> {
            match &pinyin {
                None => Vec::new(),
                Some(term) => spellings
                    .iter()
                    .map(|s| s.as_ref()?.matches(term, &mut scratch))
                    .collect(),
            }
        };
        Term {
            partners: spelled(&self.partners),
            areas: spelled(&self.areas),
            text,
            pinyin,
        }
    }

    /// How benefit `index` matches `term`, if it does.
    fn rank_of(
        &self,
        index: usize,
        area: ServiceArea,
        term: &Term,
        scratch: &mut Vec<u8>,
    ) -> Option<Rank> {
        if self.haystacks[index].contains(term.text) {
            return Some(Rank::Text);
        }
        let pinyin = term.pinyin.as_ref()?;
        let title = self.titles[index]
            .as_ref()
            .and_then(|title| title.matches(pinyin, scratch));
        let partner = self.partner_of[index].and_then(|p| term.partners.get(p).copied()?);
        let area = ServiceArea::ALL
            .iter()
            .position(|a| *a == area)
            .and_then(|a| term.areas.get(a).copied()?);
        [title, partner, area]
            .into_iter()
            .flatten()
            .min()
            .map(Rank::from)
    }
}

/// A query term prepared for one search.
struct Term<'q> {
    /// As typed, normalised: found by substring.
    text: &'q str,
    /// As the pinyin matcher reads it, when it has letters.
    pinyin: Option<Vec<char>>,
    /// How it matches each partner's name and each area's label (empty when not pinyin).
    partners: Vec<Option<PinyinMatch>>,
    areas: Vec<Option<PinyinMatch>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    #[test]
    fn lower_case_agrees_with_unicode_over_latin_1_and_leaves_the_rest() {
        for c in (0..=0xFF_u32).filter_map(char::from_u32) {
            let unicode: String = c.to_lowercase().collect();
            assert_eq!(latin_lowercase(c).to_string(), unicode, "{c:?}");
        }
        for c in ['口', '腔', 'Ā', 'Ω', 'Ж', '№'] {
            assert_eq!(latin_lowercase(c), c);
        }
        assert_eq!(
            normalize("Café ＤＥＮＴＡＬ\u{3000}口腔"),
            "café dental 口腔"
        );
    }

    fn ids(catalogue: &Catalogue, filter: &Filter) -> Vec<String> {
        let index = SearchIndex::new(catalogue);
        index
            .search(catalogue, filter)
            .into_iter()
            .map(|i| catalogue.benefits[i].id.clone())
            .collect()
    }

    fn query(q: &str) -> Filter {
        Filter {
            query: q.into(),
            ..Filter::default()
        }
    }

    #[test]
    fn chinese_substring_finds_the_dental_offers_and_only_them() {
        let catalogue = demo::programme();
        let found = ids(&catalogue, &query("口腔"));
        assert!(found.len() >= 2, "{found:?}");
        for id in &found {
            let benefit = catalogue.benefits.iter().find(|b| &b.id == id).unwrap();
            assert_eq!(
                benefit.partner, "weier-dental",
                "{id} is not a dental offer"
            );
        }
        let dental_offers = catalogue
            .benefits
            .iter()
            .filter(|b| b.partner == "weier-dental")
            .count();
        assert_eq!(found.len(), dental_offers);
    }

    #[test]
    fn partner_names_are_searchable_in_both_languages() {
        let catalogue = demo::programme();
        let by_zh = ids(&catalogue, &query("汉庭"));
        let by_en = ids(&catalogue, &query("hanting"));
        assert!(!by_zh.is_empty());
        assert_eq!(by_zh, by_en);
    }

    #[test]
    fn all_terms_must_match_and_case_and_width_do_not_matter() {
        let catalogue = demo::programme();
        assert_eq!(
            ids(&catalogue, &query("ＤＥＮＴＡＬ")),
            ids(&catalogue, &query("dental"))
        );
        assert!(ids(&catalogue, &query("口腔 酒店")).is_empty());
        assert_eq!(
            ids(&catalogue, &query("   ")).len(),
            catalogue.benefits.len()
        );
    }

    #[test]
    fn a_term_never_matches_across_two_fields() {
        let catalogue = demo::programme();
        let index = SearchIndex::new(&catalogue);
        // Every haystack joins fields with a newline; a query term is whitespace-free.
        assert!(index.haystacks.iter().all(|h| h.contains('\n')));
        assert!(ids(&catalogue, &query("\n")).len() == catalogue.benefits.len());
    }

    #[test]
    fn filters_combine() {
        let catalogue = demo::programme();
        let health = Filter {
            areas: vec![ServiceArea::Health],
            ..Filter::default()
        };
        let found = ids(&catalogue, &health);
        assert!(!found.is_empty());
        assert!(found.iter().all(|id| {
            catalogue
                .benefits
                .iter()
                .any(|b| &b.id == id && b.area == ServiceArea::Health)
        }));

        let tianjin = Filter {
            region: Some("120000".into()),
            ..Filter::default()
        };
        let in_tianjin = ids(&catalogue, &tianjin);
        assert!(
            in_tianjin.iter().any(|id| id.starts_with("yikang")),
            "{in_tianjin:?}"
        );
        assert!(
            !in_tianjin.iter().any(|id| id.starts_with("hanting")),
            "a Beijing hotel is not in Tianjin"
        );

        let fangshan = Filter {
            region: Some("110111".into()),
            ..Filter::default()
        };
        assert!(
            ids(&catalogue, &fangshan)
                .iter()
                .any(|id| id.starts_with("mobile-fangshan"))
        );

        let partner = Filter {
            partner: Some("weier-dental".into()),
            ..Filter::default()
        };
        assert_eq!(ids(&catalogue, &partner), ids(&catalogue, &query("口腔")));
    }

    #[test]
    fn level_and_date_filters_exclude_what_does_not_apply() {
        let catalogue = demo::programme();
        let all = catalogue.benefits.len();
        let students = Filter {
            level: Some(QualificationLevel::None),
            ..Filter::default()
        };
        let for_students = ids(&catalogue, &students).len();
        assert!(for_students > 0 && for_students < all);

        let long_ago = Filter {
            valid_on: NaiveDate::from_ymd_opt(2000, 1, 1),
            ..Filter::default()
        };
        let then = ids(&catalogue, &long_ago).len();
        assert!(then < all, "offers with a start date are not valid in 2000");
    }

    /// The demo programme as published now: with the readings of the generated table.
    #[cfg(feature = "reading-table")]
    fn published_with_readings() -> Catalogue {
        let mut catalogue = demo::programme();
        crate::pinyin::generate::table().annotate(&mut catalogue);
        catalogue
    }

    #[cfg(feature = "reading-table")]
    #[test]
    fn pinyin_and_initials_find_exactly_the_dental_offers() {
        let catalogue = published_with_readings();
        let by_hanzi = ids(&catalogue, &query("口腔"));
        for typed in [
            "kq",
            "KQ",
            "ＫＱ",
            "kouqiang",
            "kou qiang",
            "口qiang",
            "kouq",
        ] {
            assert_eq!(ids(&catalogue, &query(typed)), by_hanzi, "{typed}");
        }
    }

    #[cfg(feature = "reading-table")]
    #[test]
    fn area_labels_are_found_by_pinyin_and_descriptions_are_not() {
        let catalogue = published_with_readings();
        let health: Vec<String> = catalogue
            .benefits
            .iter()
            .filter(|b| b.area == ServiceArea::Health)
            .map(|b| b.id.clone())
            .collect();
        let found = ids(&catalogue, &query("sxjk"));
        assert!(health.iter().all(|id| found.contains(id)), "{found:?}");
        // A benefit whose description alone has 口腔 is not found by its pinyin.
        let mut catalogue = catalogue;
        let other = catalogue
            .benefits
            .iter_mut()
            .find(|b| b.partner != "weier-dental")
            .expect("a benefit of another partner");
        other.description.zh.push_str("含口腔检查");
        let id = other.id.clone();
        assert!(ids(&catalogue, &query("口腔")).contains(&id));
        assert!(!ids(&catalogue, &query("kouqiang")).contains(&id));
    }

    #[cfg(feature = "reading-table")]
    #[test]
    fn hanzi_matches_rank_before_whole_syllables_before_initials() {
        let mut catalogue = demo::programme();
        let before = ids(&catalogue, &query("ma"));
        let unmatched: Vec<usize> = (0..catalogue.benefits.len())
            .filter(|&i| !before.contains(&catalogue.benefits[i].id))
            .collect();
        let [initials, syllables, .., typed] = unmatched[..] else {
            panic!("the demo has benefits without `ma`: {unmatched:?}");
        };
        // In catalogue order: `ma` by an initial and a letter (美爱: m…, a…), by a whole syllable
        // (马术), and as typed (the English title).
        catalogue.benefits[initials].title.zh = "美爱".into();
        catalogue.benefits[syllables].title.zh = "马术体验".into();
        catalogue.benefits[typed].title.en = "MA lounge".into();
        crate::pinyin::generate::table().annotate(&mut catalogue);
        let found = ids(&catalogue, &query("ma"));
        let at = |index: usize| {
            let id = &catalogue.benefits[index].id;
            found.iter().position(|f| f == id).expect("found")
        };
        assert!(at(typed) < at(syllables), "{found:?}");
        assert!(at(syllables) < at(initials), "{found:?}");
        // Every term must match; the worst ranked one decides.
        assert_eq!(
            ids(&catalogue, &query("马术 ma")),
            ids(&catalogue, &query("马术"))
        );
    }

    #[test]
    fn a_snapshot_without_readings_still_searches_by_hanzi() {
        let catalogue = demo::programme();
        assert!(catalogue.readings.is_empty());
        assert!(!ids(&catalogue, &query("口腔")).is_empty());
        assert!(ids(&catalogue, &query("kq")).is_empty());
    }

    #[test]
    fn a_reading_that_does_not_fit_its_text_is_ignored() {
        let mut catalogue = demo::programme();
        let dental = catalogue
            .partners
            .iter()
            .find(|p| p.id == "weier-dental")
            .expect("the demo has a dental clinic")
            .name
            .zh
            .clone();
        catalogue.readings.insert(dental, "kou qiang".into());
        assert!(ids(&catalogue, &query("kq")).is_empty());
    }
}
