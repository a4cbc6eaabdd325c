//! Pinyin: finding 口腔 by `kq`, `kouqiang`, `kou qiang` or `口qiang`.
//!
//! Three parts, on three machines:
//!
//! - [`ReadingTable`]: every Hanzi with all its readings (toneless, `v` for ü), as a text file the
//!   build generates from the `pinyin` crate (feature `reading-table`) and ships as a static
//!   asset. The edge reads it when staff publish; no shipped wasm compiles it in.
//! - [`ReadingTable::annotate`]: at publish time, the reading of every benefit title, partner
//!   name and area label goes into the snapshot ([`Catalogue::readings`]), so the widget matches
//!   pinyin with no table of its own.
//! - [`Spelling::matches`]: the matcher the finder runs per keystroke.
//!
//! A reading is one token per character of its text, joined by spaces; a token is the
//! character's syllables joined by `,` (`重庆` → `chong,zhong qing`), empty for a character with
//! none (Latin letters, digits, punctuation). Every modern reading of a heteronym is kept: which
//! one a title means would take word segmentation, and a person typing `zq` for 重庆 should
//! still find it. Historical readings are not (`core/data/pinyin-common.LICENSE.md`: with them,
//! `kq` finds 科技). A reading whose token count does not match its text is ignored, never
//! misaligned.

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::ServiceArea;
use crate::model::Catalogue;
use crate::search::normalize;

/// Every Hanzi the table knows, with its syllables (`"chong,zhong"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadingTable {
    syllables: BTreeMap<char, String>,
}

impl ReadingTable {
    /// Reads the table's text: one line per syllable, the syllable, a space, then every Hanzi
    /// read that way (`zhong 中重种…`). Lines that are empty or start with `#` are comments.
    pub fn parse(text: &str) -> Result<ReadingTable, String> {
        let mut syllables: BTreeMap<char, String> = BTreeMap::new();
        for (number, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (syllable, hanzi) = line
                .split_once(' ')
                .filter(|(syllable, _)| is_syllable(syllable))
                .ok_or_else(|| format!("line {}: not `syllable hanzi…`", number + 1))?;
            for c in hanzi.chars() {
                let entry = syllables.entry(c).or_default();
                if !entry.split(',').any(|known| known == syllable) {
                    if !entry.is_empty() {
                        entry.push(',');
                    }
                    entry.push_str(syllable);
                }
            }
        }
        if syllables.is_empty() {
            return Err("the reading table is empty".into());
        }
        Ok(ReadingTable { syllables })
    }

    /// How many Hanzi the table reads.
    pub fn len(&self) -> usize {
        self.syllables.len()
    }

    /// Whether the table reads no Hanzi at all.
    pub fn is_empty(&self) -> bool {
        self.syllables.is_empty()
    }

    /// The reading of `text`: one token per character (see the module documentation).
    pub fn reading_of(&self, text: &str) -> String {
        let tokens: Vec<&str> = text
            .chars()
            .map(|c| self.syllables.get(&c).map_or("", String::as_str))
            .collect();
        tokens.join(" ")
    }

    /// Sets `catalogue.readings` to the readings of every benefit title, partner name and area
    /// label (their Chinese), replacing any it had. Texts without a single Hanzi the table reads
    /// get no entry: they are found by their letters already.
    pub fn annotate(&self, catalogue: &mut Catalogue) {
        let areas: Vec<String> = ServiceArea::ALL.iter().map(|a| a.label().zh).collect();
        let texts: BTreeSet<&str> = catalogue
            .benefits
            .iter()
            .map(|benefit| benefit.title.zh.as_str())
            .chain(catalogue.partners.iter().map(|p| p.name.zh.as_str()))
            .chain(areas.iter().map(String::as_str))
            .collect();
        let readings: BTreeMap<String, String> = texts
            .into_iter()
            .filter(|text| text.chars().any(|c| self.syllables.contains_key(&c)))
            .map(|text| (text.to_owned(), self.reading_of(text)))
            .collect();
        catalogue.readings = readings;
    }
}

/// Whether `text` could be a toneless syllable: 1–6 letters `a`–`z` (`v` standing for ü).
fn is_syllable(text: &str) -> bool {
    (1..=6).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(feature = "reading-table")]
pub mod generate {
    //! The reading table from the `pinyin` crate (pinyin-data's readings of every character).

    use std::collections::{BTreeMap, BTreeSet};

    use pinyin::ToPinyinMulti;

    /// The characters covered: CJK Unified Ideographs with Extension A, and the compatibility
    /// ideographs. Extension B and later (4-byte characters, almost never in a benefit's title)
    /// would double the file for nothing a partner writes.
    const RANGES: [std::ops::RangeInclusive<u32>; 3] =
        [0x3400..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];

    /// The modern readings of the 8,105 standard characters (see `pinyin-common.LICENSE.md`):
    /// for these, the only ones kept.
    const COMMON: &str = include_str!("../data/pinyin-common.txt");

    /// The table's text, sorted by syllable then code point, so the same inputs always give
    /// the same bytes.
    pub fn table_text() -> String {
        let mut by_syllable: BTreeMap<String, BTreeSet<char>> = BTreeMap::new();
        let common = super::ReadingTable::parse(COMMON).unwrap_or_default();
        for (c, syllables) in &common.syllables {
            for syllable in syllables.split(',') {
                by_syllable.entry(syllable.into()).or_default().insert(*c);
            }
        }
        let rare = RANGES
            .into_iter()
            .flatten()
            .filter_map(char::from_u32)
            .filter(|c| !common.syllables.contains_key(c));
        for c in rare {
            for reading in c.to_pinyin_multi().into_iter().flatten() {
                let syllable = reading.plain().replace('ü', "v");
                if super::is_syllable(&syllable) {
                    by_syllable.entry(syllable).or_default().insert(c);
                }
            }
        }
        let mut text = String::from(
            "# Guanai reading table: syllable, then every Hanzi read that way. Written by cargo xtask\n\
             # build: the modern readings of the 8,105 standard characters (Unihan kTGHZ2013), the\n\
             # pinyin crate's for the rest (mozillazg/rust-pinyin and pinyin-data, MIT).\n",
        );
        for (syllable, hanzi) in by_syllable {
            text.push_str(&syllable);
            text.push(' ');
            text.extend(hanzi);
            text.push('\n');
        }
        text
    }

    /// The table itself, parsed.
    pub fn table() -> super::ReadingTable {
        super::ReadingTable::parse(&table_text()).unwrap_or_default()
    }
}

/// How a term was found in a text, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PinyinMatch {
    /// Every character by its Hanzi or a whole syllable (the last may be half typed).
    Syllables,
    /// At least one character by its initial (`kq`, `zhq`, `kouq`).
    Initials,
}

impl PinyinMatch {
    const CODE_SYLLABLES: u8 = 1;
    const CODE_INITIALS: u8 = 2;

    fn of_code(code: u8) -> Option<PinyinMatch> {
        match code {
            Self::CODE_SYLLABLES => Some(PinyinMatch::Syllables),
            Self::CODE_INITIALS => Some(PinyinMatch::Initials),
            _ => None,
        }
    }
}

/// A text with its reading, prepared for matching typed pinyin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    /// The text's characters, normalised as search terms are.
    chars: Vec<char>,
    /// The reading as published.
    reading: String,
    /// Per character, the byte range of its token in `reading`.
    tokens: Vec<(u32, u32)>,
}

impl Spelling {
    /// `text` spelled by `reading`; `None` when the reading does not have one token per
    /// character (a snapshot edited by hand, say), or reads nothing.
    pub fn new(text: &str, reading: &str) -> Option<Spelling> {
        let chars: Vec<char> = normalize(text).chars().collect();
        let mut tokens = Vec::with_capacity(chars.len());
        let mut start = 0;
        for token in reading.split(' ') {
            let end = start + token.len();
            tokens.push((u32::try_from(start).ok()?, u32::try_from(end).ok()?));
            start = end + 1;
        }
        (tokens.len() == chars.len() && reading.bytes().any(|b| b.is_ascii_lowercase())).then(
            || Spelling {
                chars,
                reading: reading.to_owned(),
                tokens,
            },
        )
    }

    fn syllables(&self, position: usize) -> impl Iterator<Item = &[u8]> {
        let (start, end) = self.tokens[position];
        self.reading[start as usize..end as usize]
            .split(',')
            .filter(|syllable| !syllable.is_empty())
            .map(str::as_bytes)
    }

    /// Whether `term` (normalised, see [`pinyin_term`]) occurs in this text typed as pinyin:
    /// each character by its Hanzi, a whole syllable, or its initial (`z` or `zh` for 中), and
    /// the last one by any prefix of a syllable. `scratch` is reused between calls.
    ///
    /// A dynamic programme over (position in the text, letters of the term consumed), started
    /// at every position: linear in the text times the term, whatever the heteronyms, so a long
    /// run of initials can never explode into backtracking.
    pub fn matches(&self, term: &[char], scratch: &mut Vec<u8>) -> Option<PinyinMatch> {
        let n = term.len();
        if n == 0 {
            return None;
        }
        scratch.clear();
        scratch.resize(2 * (n + 1), 0);
        let (mut here, mut next) = scratch.split_at_mut(n + 1);
        let mut found = 0_u8;
        for position in 0..self.chars.len() {
            here[0] = PinyinMatch::CODE_SYLLABLES;
            next.fill(0);
            for consumed in 0..n {
                let kind = here[consumed];
                if kind == 0 {
                    continue;
                }
                let rest = &term[consumed..];
                let mut reach = |to: usize, kind: u8| {
                    if next[to] == 0 || kind < next[to] {
                        next[to] = kind;
                    }
                };
                if rest[0] == self.chars[position] {
                    reach(consumed + 1, kind);
                }
                for syllable in self.syllables(position) {
                    if starts_with(rest, syllable) {
                        reach(consumed + syllable.len(), kind);
                    } else if rest.len() < syllable.len() && starts_with_chars(syllable, rest) {
                        // The last character, half typed: one letter is an initial.
                        let last = if rest.len() == 1 {
                            PinyinMatch::CODE_INITIALS
                        } else {
                            kind
                        };
                        found = best(found, last);
                    }
                    if rest.len() > 1 && rest[0] == char::from(syllable[0]) {
                        reach(consumed + 1, PinyinMatch::CODE_INITIALS);
                        let digraph = syllable.len() > 2 && syllable[1] == b'h';
                        if digraph && rest.len() > 2 && rest[1] == 'h' {
                            reach(consumed + 2, PinyinMatch::CODE_INITIALS);
                        }
                    }
                }
            }
            if next[n] != 0 {
                found = best(found, next[n]);
            }
            if found == PinyinMatch::CODE_SYLLABLES {
                break;
            }
            std::mem::swap(&mut here, &mut next);
        }
        PinyinMatch::of_code(found)
    }
}

/// The better of two match codes, 0 meaning none.
fn best(a: u8, b: u8) -> u8 {
    match (a, b) {
        (0, b) => b,
        (a, 0) => a,
        (a, b) => a.min(b),
    }
}

/// Whether the typed `rest` begins with the syllable's letters.
fn starts_with(rest: &[char], syllable: &[u8]) -> bool {
    rest.len() >= syllable.len()
        && rest
            .iter()
            .zip(syllable)
            .all(|(&c, &letter)| c == char::from(letter))
}

/// Whether the syllable begins with every typed character of `rest`.
fn starts_with_chars(syllable: &[u8], rest: &[char]) -> bool {
    syllable
        .iter()
        .zip(rest)
        .all(|(&letter, &c)| c == char::from(letter))
}

/// A search term (already [`normalize`]d) as the matcher reads it, or `None` when it has no
/// Latin letter and so cannot be pinyin (Hanzi alone are found by substring). `ü` counts as `v`.
pub fn pinyin_term(term: &str) -> Option<Vec<char>> {
    term.chars()
        .any(|c| c.is_ascii_alphabetic() || c == 'ü')
        .then(|| {
            term.chars()
                .map(|c| if c == 'ü' { 'v' } else { c })
                .collect()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "# a few characters, as the generated table writes them\n\
        kou 口\nqiang 腔强\njiang 强\nyi 医\nyuan 院园\nzhong 重中\nchong 重\nqing 庆\n\
        chang 长\nzhang 长\nhang 行\nxing 行\nlv 绿律\nnv 女\nshi 市师\nsheng 省\n";

    fn table() -> ReadingTable {
        ReadingTable::parse(TABLE).expect("the test table parses")
    }

    fn spelled(text: &str) -> Spelling {
        Spelling::new(text, &table().reading_of(text)).expect("one token per character")
    }

    fn find(text: &str, typed: &str) -> Option<PinyinMatch> {
        let term = pinyin_term(&normalize(typed)).expect("a pinyin term");
        spelled(text).matches(&term, &mut Vec::new())
    }

    #[test]
    fn readings_have_one_token_per_character_and_keep_every_heteronym() {
        let table = table();
        assert_eq!(table.reading_of("重庆口腔"), "zhong,chong qing kou qiang");
        assert_eq!(table.reading_of("K歌·口"), "   kou");
        assert_eq!(table.reading_of("强"), "qiang,jiang");
        assert!(Spelling::new("口腔", "kou").is_none(), "misaligned");
        assert!(Spelling::new("KTV", "  ").is_none(), "reads nothing");
    }

    #[test]
    fn the_table_refuses_what_is_not_a_table() {
        assert!(ReadingTable::parse("").is_err());
        assert!(ReadingTable::parse("Kou 口").is_err());
        assert!(ReadingTable::parse("kou口").is_err());
        assert!(ReadingTable::parse("# only a comment\n").is_err());
    }

    #[test]
    fn whole_syllables_initials_and_mixed_hanzi_find_the_dental_clinic() {
        let text = "维尔口腔医院";
        for typed in ["kouqiang", "kouqiangyiyuan", "口qiang", "kou腔"] {
            assert_eq!(find(text, typed), Some(PinyinMatch::Syllables), "{typed}");
        }
        for typed in ["kq", "KQ", "ＫＱ", "kqyy", "kouqy", "kouq", "k", "口腔yy"] {
            assert_eq!(find(text, typed), Some(PinyinMatch::Initials), "{typed}");
        }
        for typed in ["kouqianga", "qk", "kx", "koqiang", "yiyuank"] {
            assert_eq!(find(text, typed), None, "{typed}");
        }
    }

    #[test]
    fn the_last_syllable_may_be_half_typed_but_not_the_others() {
        assert_eq!(find("口腔", "kouqia"), Some(PinyinMatch::Syllables));
        assert_eq!(find("口腔", "kouqi"), Some(PinyinMatch::Syllables));
        assert_eq!(find("口腔", "koqiang"), None, "ko is neither kou nor k");
    }

    #[test]
    fn every_reading_of_a_heteronym_is_found() {
        for typed in ["cq", "zq", "chongqing", "zhongqing", "zhq", "chq"] {
            assert!(find("重庆市", typed).is_some(), "{typed}");
        }
        assert!(find("银行", "yh").is_none(), "银 is not in the test table");
        assert!(find("行", "hang").is_some() && find("行", "xing").is_some());
        assert!(find("长城", "ch").is_some() && find("长城", "zh").is_some());
    }

    #[test]
    fn v_stands_for_u_umlaut() {
        assert_eq!(find("女", "nv"), Some(PinyinMatch::Syllables));
        assert_eq!(find("女", "nü"), Some(PinyinMatch::Syllables));
        assert_eq!(find("律师", "lvs"), Some(PinyinMatch::Initials));
    }

    #[test]
    fn a_term_without_letters_is_not_pinyin() {
        assert_eq!(pinyin_term("口腔"), None);
        assert_eq!(pinyin_term("2026"), None);
        assert_eq!(pinyin_term("口q"), Some(vec!['口', 'q']));
    }

    #[test]
    fn a_long_run_of_initials_stays_linear() {
        let text = "重".repeat(64);
        let typed = "zh".repeat(64);
        // 2^64 ways to split it into z / zh initials; the programme visits each state once.
        assert_eq!(find(&text, &typed), Some(PinyinMatch::Initials));
        assert_eq!(find(&text, &format!("{typed}x")), None);
    }

    #[test]
    fn annotate_reads_titles_partner_names_and_areas_but_not_descriptions() {
        let mut catalogue = crate::demo::programme();
        let table = table();
        table.annotate(&mut catalogue);
        let dental = catalogue
            .partners
            .iter()
            .find(|p| p.id == "weier-dental")
            .expect("the demo has a dental clinic");
        let reading = &catalogue.readings[&dental.name.zh];
        assert!(reading.contains("kou qiang"), "{reading}");
        let read: BTreeSet<&str> = catalogue
            .benefits
            .iter()
            .map(|b| b.title.zh.as_str())
            .chain(catalogue.partners.iter().map(|p| p.name.zh.as_str()))
            .collect();
        for text in catalogue.readings.keys() {
            let area = ServiceArea::ALL.iter().any(|a| &a.label().zh == text);
            assert!(
                read.contains(text.as_str()) || area,
                "{text} is not a title, name or area"
            );
        }
        for (text, reading) in &catalogue.readings {
            assert!(Spelling::new(text, reading).is_some(), "{text}: {reading}");
        }
    }
}

#[cfg(all(test, feature = "reading-table"))]
mod generated_tests {
    use super::*;

    #[test]
    fn the_generated_table_reads_common_hanzi_with_their_heteronyms() {
        let table = generate::table();
        assert!(table.len() > 20_000, "{}", table.len());
        let reading = |text| table.reading_of(text);
        assert_eq!(
            reading("口腔"),
            "kou qiang",
            "not the historical kong of 腔"
        );
        assert_eq!(reading("科技"), "ke ji", "not the historical qi of 技");
        assert!(
            reading("維").contains("wei"),
            "a character beyond the 8,105: the crate's"
        );
        assert!(reading("重").contains("zhong") && reading("重").contains("chong"));
        assert!(reading("行").contains("xing") && reading("行").contains("hang"));
        assert!(reading("长").contains("chang") && reading("长").contains("zhang"));
        assert!(
            reading("女").split(',').any(|s| s == "nv"),
            "{}",
            reading("女")
        );
        assert!(
            reading("绿").split(',').any(|s| s == "lv"),
            "{}",
            reading("绿")
        );
        assert_eq!(
            generate::table_text(),
            generate::table_text(),
            "deterministic"
        );
        let mut catalogue = crate::demo::programme();
        table.annotate(&mut catalogue);
        assert_eq!(catalogue.readings["身心健康"], "shen xin jian kang");
    }
}
