//! No translation is missing: every key of every string table, and every label of every code
//! list, has a Chinese text (with at least one CJK ideograph) and an English text (with no CJK
//! character at all, so a Chinese string pasted into the English column is caught too).
//!
//! The tables are walked through their `ALL` lists, which cannot miss a variant: `strings!`
//! (i18n), `code_enum!` (codes) and `every_variant!` (the others) generate `ALL` and an
//! exhaustive `match` from one list.

use std::fmt::Debug;

use guanai_core::challenge::ChallengeError;
use guanai_core::i18n::{ErrorCode, FormUi, MapUi, OwnUi, PageUi, Ui};
use guanai_core::signup::ContactTime;
use guanai_core::{
    Association, Award, Lang, PartnerKind, QualificationLevel, ServiceArea, Text, consent, regions,
};

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Ideographs, CJK punctuation (、。「」…) and full-width forms (，：（）).
fn is_cjk(c: char) -> bool {
    is_ideograph(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// Collects every problem, so one run lists all missing translations.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, table: &str, key: impl Debug, zh: &str, en: &str) {
        if zh.trim().is_empty() {
            self.0.push(format!("{table}::{key:?}: zh is empty"));
        } else if !zh.chars().any(is_ideograph) {
            self.0
                .push(format!("{table}::{key:?}: zh has no Chinese: {zh:?}"));
        }
        if en.trim().is_empty() {
            self.0.push(format!("{table}::{key:?}: en is empty"));
        } else if let Some(c) = en.chars().find(|c| is_cjk(*c)) {
            self.0
                .push(format!("{table}::{key:?}: en has {c:?}: {en:?}"));
        }
    }

    fn text(&mut self, table: &str, key: impl Debug, text: &Text) {
        self.check(table, key, &text.zh, &text.en);
    }
}

#[test]
fn every_string_and_label_exists_in_both_languages() {
    let mut problems = Problems::default();
    for key in Ui::ALL {
        problems.check("Ui", key, key.get(Lang::ZhCn), key.get(Lang::En));
    }
    for key in MapUi::ALL {
        problems.check("MapUi", key, key.get(Lang::ZhCn), key.get(Lang::En));
    }
    for key in OwnUi::ALL {
        problems.check("OwnUi", key, key.get(Lang::ZhCn), key.get(Lang::En));
    }
    for key in PageUi::ALL {
        problems.check("PageUi", key, key.get(Lang::ZhCn), key.get(Lang::En));
    }
    for key in FormUi::ALL {
        problems.check("FormUi", key, key.get(Lang::ZhCn), key.get(Lang::En));
    }
    for key in ErrorCode::ALL {
        problems.check("ErrorCode", key, key.get(Lang::ZhCn), key.get(Lang::En));
    }
    for area in ServiceArea::ALL {
        problems.text("ServiceArea", area, &area.label());
    }
    for level in QualificationLevel::ALL {
        problems.text("QualificationLevel", level, &level.label());
    }
    for association in Association::ALL {
        problems.text("Association", association, &association.name());
    }
    for time in ContactTime::ALL {
        problems.text("ContactTime", time, &time.label());
    }
    for kind in PartnerKind::ALL {
        problems.text("PartnerKind", kind, &kind.label());
    }
    for region in regions::ALL {
        problems.text("regions", region.code, &region.name());
    }
    for (i, paragraph) in consent::notice().iter().enumerate() {
        problems.text("consent::NOTICE", i, paragraph);
    }
    problems.text("Award", "caring_unit", &Award::caring_unit(2026).title);
    assert!(
        problems.0.is_empty(),
        "{} translation problems:\n{}",
        problems.0.len(),
        problems.0.join("\n")
    );
}

#[test]
fn the_tables_are_not_empty_and_their_keys_are_distinct() {
    // `ALL` is generated, but an accidental duplicate or an emptied table would still pass the
    // test above vacuously.
    assert!(Ui::ALL.len() > 30 && MapUi::ALL.len() > 30 && FormUi::ALL.len() > 40);
    assert_eq!(ErrorCode::ALL.len(), 22);
    assert_eq!(PartnerKind::ALL.len(), 10);
    assert_eq!(ContactTime::ALL.len(), 5);
    let mut codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(
        codes.len(),
        ErrorCode::ALL.len(),
        "error codes are distinct"
    );
}

/// Every challenge refusal, by an exhaustive match: a new one must be listed here.
fn challenge_errors() -> [ChallengeError; 4] {
    let all = [
        ChallengeError::Malformed,
        ChallengeError::Forged,
        ChallengeError::Expired,
        ChallengeError::Unsolved,
    ];
    for error in all {
        match error {
            ChallengeError::Malformed
            | ChallengeError::Forged
            | ChallengeError::Expired
            | ChallengeError::Unsolved => {}
        }
    }
    all
}

#[test]
fn every_challenge_refusal_has_an_error_message() {
    // An unknown code would be shown as `internal` ("something went wrong on our side").
    for error in challenge_errors() {
        let code = ErrorCode::from_code(error.code());
        assert_eq!(code.code(), error.code(), "{error:?} has no ErrorCode");
        assert_ne!(code, ErrorCode::Internal);
    }
}

/// The string literal starting at `text` (which begins with `"`), unescaped enough to judge its
/// language, and what follows it.
fn literal(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return Some((value, &body[at + 1..])),
            c => value.push(c),
        }
    }
    None
}

/// The admin view writes its words inline as `t("中文", "English")` and
/// `t_str(lang, "中文", "English")` pairs (no table to walk): read every pair from its source.
#[test]
fn every_inline_pair_of_the_admin_view_has_both_languages() {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../widgets/admin/src");
    let mut problems = Problems::default();
    let mut pairs = 0;
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let code = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for (at, _) in code
            .match_indices("t(\"")
            .chain(code.match_indices("t_str("))
        {
            // `t(` must be the whole name (not `set(`), and `t_str(` its definition is skipped.
            let name_start = code[..at].chars().next_back();
            if name_start.is_some_and(|c| c.is_alphanumeric() || c == '_')
                || code[at..].starts_with("t_str(lang: ")
            {
                continue;
            }
            let call = &code[at..];
            let Some(first) = call.find('"') else {
                continue;
            };
            // The first argument of `t_str` is the language; the texts follow.
            if call[..first].contains(';') {
                continue;
            }
            let Some((zh, rest)) = literal(&call[first..]) else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix(',') else {
                continue;
            };
            let Some((en, _)) = literal(rest.trim_start()) else {
                problems
                    .0
                    .push(format!("{file}: {zh:?} has no English literal beside it"));
                continue;
            };
            pairs += 1;
            problems.check(&file, &zh, &zh, &en);
        }
    }
    assert!(pairs > 150, "only {pairs} pairs found: the scan is broken");
    assert!(problems.0.is_empty(), "{}", problems.0.join("\n"));
}
