//! Finding benefits: Chinese-friendly substring search plus structured filters.
//!
//! Chinese has no spaces between words, so search is by substring, not by token: 口腔 finds
//! 口腔检查 and 维尔口腔医院. Several space-separated terms must all match. Text is normalised
//! once per catalogue (lower case, full-width ASCII folded to half-width) so a keystroke only
//! scans prepared strings; at 10,000 benefits that is a few milliseconds in WebAssembly.

use chrono::NaiveDate;

use crate::codes::{QualificationLevel, ServiceArea};
use crate::model::Catalogue;

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

/// A catalogue prepared for repeated searching.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// One normalised haystack per benefit, in catalogue order. Fields are joined with `\n`,
    /// which no search term can contain, so a term never matches across two fields.
    haystacks: Vec<String>,
}

impl SearchIndex {
    /// Prepares every benefit of `catalogue` for searching.
    pub fn new(catalogue: &Catalogue) -> SearchIndex {
        let haystacks = catalogue
            .benefits
            .iter()
            .map(|benefit| {
                let partner = catalogue.partner(&benefit.partner);
                let area = benefit.area.label();
                let mut fields = vec![
                    &benefit.title.zh,
                    &benefit.title.en,
                    &benefit.description.zh,
                    &benefit.description.en,
                    &area.zh,
                    &area.en,
                ];
                if let Some(partner) = partner {
                    fields.extend([&partner.name.zh, &partner.name.en]);
                }
                let joined: Vec<&str> = fields.into_iter().map(String::as_str).collect();
                normalize(&joined.join("\n"))
            })
            .collect();
        SearchIndex { haystacks }
    }

    /// Indices into `catalogue.benefits` of every benefit that matches `filter`, in catalogue
    /// order. `catalogue` must be the one this index was built from.
    pub fn search(&self, catalogue: &Catalogue, filter: &Filter) -> Vec<usize> {
        let query = normalize(&filter.query);
        let terms: Vec<&str> = query.split_whitespace().collect();
        catalogue
            .benefits
            .iter()
            .zip(&self.haystacks)
            .enumerate()
            .filter(|(_, (benefit, haystack))| {
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
                    && terms.iter().all(|term| haystack.contains(term))
            })
            .map(|(index, _)| index)
            .collect()
    }
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
}
