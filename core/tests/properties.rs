//! Property tests of the domain's untrusted-input boundaries: JSON of the public input types,
//! the form and catalogue rules, mobile numbers and credit codes, CSV import and the
//! proof-of-work challenge.
//!
//! `cargo test` runs a bounded number of cases (256 per property, fewer for the expensive
//! ones). `PROPTEST_CASES=N` (what `cargo xtask fuzz` sets) runs N cases of every property —
//! proptest's macro applies the variable over an explicit count — except the proof-of-work
//! property, which runs the same share of N as it runs of 256 by default.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use guanai_core::application::{self, MAX_OFFERS, OfferedBenefit, PartnerApplication};
use guanai_core::challenge::{self, ChallengeError, DIFFICULTY, MAX_AGE_SECONDS};
use guanai_core::consent::{ApplicationConsents, NOTICE_VERSION, SignupConsents};
use guanai_core::model::{DraftBenefit, DraftPartner};
use guanai_core::signup::{self, ContactTime, FIELDS, SignupForm, ValidSignup};
use guanai_core::validate::{self, FieldError};
use guanai_core::{
    Association, Award, Benefit, Catalogue, Contact, Location, Partner, PartnerKind,
    QualificationLevel, ServiceArea, Text, credit_code, demo, import, mobile, regions,
};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{TestCaseError, TestRunner};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Configuration and shared checks

/// `cases` cases; `PROPTEST_CASES` replaces the count when set (proptest's `proptest!` applies
/// the variable over an explicit configuration).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // The minimal failing input is printed; integration tests have no source-side folder
        // for proptest's regression files.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// For an expensive property run by hand ([`TestRunner`]): `default` cases, or the same share
/// of `PROPTEST_CASES` (of proptest's default, 256) when that is set.
fn scaled(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(|asked| (asked * u64::from(default) / 256).clamp(1, u64::from(u32::MAX)) as u32)
        .unwrap_or(default);
    config(cases)
}

/// A CJK ideograph (what makes a string Chinese).
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Anything Chinese-looking: ideographs, CJK punctuation, full-width forms.
fn is_cjk(c: char) -> bool {
    is_ideograph(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// `text` without what an import message quotes back from the file (`“<cell>”`).
fn unquoted(text: &str) -> String {
    match (text.find('“'), text.rfind('”')) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &text[..start], &text[end + '”'.len_utf8()..])
        }
        _ => text.to_string(),
    }
}

/// A field error a person can act on: a field, a code, a Chinese and an English message.
fn check_bilingual(error: &FieldError) -> Result<(), TestCaseError> {
    prop_assert!(!error.field.trim().is_empty(), "no field: {error:?}");
    prop_assert!(!error.code.trim().is_empty(), "no code: {error:?}");
    prop_assert!(
        error.message.zh.chars().any(is_ideograph),
        "the zh message is not Chinese: {error:?}"
    );
    let en = unquoted(&error.message.en);
    prop_assert!(
        !en.trim().is_empty() && !en.chars().any(is_cjk),
        "the en message is missing or not English: {error:?}"
    );
    Ok(())
}

/// `path` as `<name>[<i>]<rest>` with `i < len`.
fn indexed<'p>(path: &'p str, name: &str, len: usize) -> Option<(usize, &'p str)> {
    let rest = path.strip_prefix(name)?.strip_prefix('[')?;
    let (digits, rest) = rest.split_once(']')?;
    let index: usize = digits.parse().ok()?;
    (index < len && index.to_string() == digits).then_some((index, rest))
}

// ---------------------------------------------------------------------------------------------
// Strategies: text

/// Characters that have broken parsers and renderers before: markup, quotes, bidi controls,
/// zero-width joiners, emoji parts, BOM, NUL, line separators, CSV and formula characters.
const TRICKY: &[char] = &[
    '<', '>', '&', '"', '\'', '/', '\\', '\u{202E}', '\u{2067}', '\u{2069}', '\u{200D}',
    '\u{200B}', '\u{FEFF}', '\0', '\u{7}', '\n', '\r', '\t', ' ', '\u{3000}', '\u{85}', '\u{2028}',
    '👩', '🏳', '\u{FE0F}', '，', '。', '字', '·', '•', 'é', '\u{301}', ',', ';', '=', '+', '-',
    '@', '.', '0', '9', '{', '}', '[', ']', ':', '“', '”',
];

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => select(TRICKY),
        2 => (b'a'..=b'z').prop_map(char::from),
        1 => ideograph(),
    ]
}

fn ideograph() -> impl Strategy<Value = char> {
    (0x4E00u32..=0x9FA5).prop_map(|c| char::from_u32(c).expect("a CJK ideograph"))
}

/// Any text, tricky characters likely.
fn text(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), len).prop_map(String::from_iter)
}

/// Long text, cheaply: a short random text repeated to a length in `len`.
fn long_text(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    (text(1..6), len).prop_map(|(seed, n)| seed.chars().cycle().take(n).collect())
}

/// Text a person could type into a free-text field: anything but control characters (line
/// breaks and tabs allowed).
fn free_text(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        tricky_char().prop_filter("no control characters", |c| {
            !c.is_control() || matches!(c, '\n' | '\t')
        }),
        len,
    )
    .prop_map(String::from_iter)
}

/// A letter of some script, as names are written.
fn letter() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => ideograph(),
        2 => (b'a'..=b'z').prop_map(char::from),
        1 => (b'A'..=b'Z').prop_map(char::from),
        1 => any::<char>().prop_filter("a letter", |c| c.is_alphabetic()),
    ]
}

/// A plausible name: letters with spaces, `·`, `-`, `.`, `'` between them, at most 40
/// characters, perhaps with white space around it.
fn valid_name() -> impl Strategy<Value = String> {
    (
        letter(),
        prop::collection::vec(
            prop_oneof![6 => letter(), 1 => select(&[' ', '·', '•', '-', '.', '\''][..])],
            0..39,
        ),
        select(&["", " ", "\u{3000}", "\t "][..]),
    )
        .prop_map(|(first, rest, pad)| {
            let name: String = std::iter::once(first).chain(rest).collect();
            format!("{pad}{name}{pad}")
        })
}

// ---------------------------------------------------------------------------------------------
// Strategies: mobile numbers and credit codes

/// A mainland mobile number (11 digits) and the way someone typed it.
fn typed_mobile() -> impl Strategy<Value = (String, String)> {
    (
        (b'3'..=b'9'),
        prop::collection::vec(0u8..10, 9),
        select(
            &[
                "", "+86", "+86 ", "0086", "0086 ", "86", "86-", "(+86) ", "＋86 ", "（86）",
            ][..],
        ),
        prop::collection::vec(
            (
                select(&["", "", "", " ", "-", ".", "\u{3000}", "－"][..]),
                any::<bool>(),
            ),
            11,
        ),
        select(&["", " ", "\u{3000}"][..]),
    )
        .prop_map(|(second, rest, prefix, typing, pad)| {
            let national: String = std::iter::once(1u8)
                .chain(std::iter::once(second - b'0'))
                .chain(rest)
                .map(|d| char::from(b'0' + d))
                .collect();
            let mut typed = format!("{pad}{prefix}");
            for (digit, (separator, full_width)) in national.chars().zip(typing) {
                typed.push_str(separator);
                typed.push(if full_width {
                    char::from_u32(digit as u32 - '0' as u32 + '０' as u32).expect("full width")
                } else {
                    digit
                });
            }
            typed.push_str(pad);
            (national, typed)
        })
}

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The GB 32100 check character for 17 characters (an independent implementation: weights
/// 3^i mod 31).
fn check_character(first17: &str) -> char {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for c in first17.chars() {
        let value = CREDIT_ALPHABET.find(c).expect("alphabet") as u32;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    CREDIT_ALPHABET
        .chars()
        .nth(((31 - sum % 31) % 31) as usize)
        .expect("a check character")
}

/// A valid credit code and how it was typed (lower case, full width, spaces around).
fn typed_credit_code() -> impl Strategy<Value = (String, String)> {
    (
        prop::collection::vec(select(CREDIT_ALPHABET.chars().collect::<Vec<_>>()), 17),
        prop::collection::vec((any::<bool>(), prop::bool::weighted(0.1)), 18),
        select(&["", " ", "\u{3000}"][..]),
    )
        .prop_map(|(first17, typing, pad)| {
            let first17: String = first17.into_iter().collect();
            let code = format!("{first17}{}", check_character(&first17));
            let mut typed = pad.to_string();
            for (c, (lower, full_width)) in code.chars().zip(typing) {
                let c = if lower { c.to_ascii_lowercase() } else { c };
                typed.push(if full_width {
                    char::from_u32(c as u32 + 0xFEE0).expect("full width")
                } else {
                    c
                });
            }
            typed.push_str(pad);
            (code, typed)
        })
}

// ---------------------------------------------------------------------------------------------
// Strategies: the sign-up form

const KNOWN_PARTNERS: &[&str] = &["weier-dental", "kangning", "hanting-xingkong"];

fn is_partner(id: &str) -> bool {
    KNOWN_PARTNERS.contains(&id)
}

fn districts(association: Association) -> Vec<String> {
    regions::children_of(association.province_code())
        .map(|region| region.code.to_string())
        .collect()
}

/// A sign-up that satisfies every rule, typed the many ways people type.
fn valid_signup() -> impl Strategy<Value = SignupForm> {
    select(Association::ALL)
        .prop_flat_map(|association| (Just(association), select(districts(association))))
        .prop_flat_map(|(association, region)| {
            let level = select(QualificationLevel::ALL);
            (
                (
                    valid_name(),
                    typed_mobile(),
                    Just(association),
                    Just(region),
                ),
                (
                    free_text(2..=100).prop_filter("two characters after trimming", |e| {
                        e.trim().chars().count() >= 2
                    }),
                    level,
                    prop_oneof![Just(String::new()), "[A-Za-z0-9-]{4,30}"],
                    select(&["", " "][..]),
                ),
                (
                    prop::collection::vec(select(ServiceArea::ALL), 0..10),
                    prop::option::of(select(ContactTime::ALL)),
                    any::<bool>(),
                    prop::collection::vec(select(KNOWN_PARTNERS), 0..5),
                ),
            )
        })
        .prop_map(
            |(
                (name, (_, mobile), association, region),
                (employer, level, certificate, pad),
                (interests, contact_time, health, partners),
            )| {
                let certificate = if level == QualificationLevel::None {
                    String::new()
                } else {
                    format!("{pad}{certificate}{pad}")
                };
                let health = health || interests.contains(&ServiceArea::Health);
                SignupForm {
                    name,
                    mobile,
                    association: Some(association),
                    region,
                    employer,
                    level: Some(level),
                    certificate_number: certificate,
                    interests,
                    contact_time,
                    consents: SignupConsents {
                        notice_version: NOTICE_VERSION.into(),
                        privacy: true,
                        cross_border: true,
                        health,
                        partners: partners.into_iter().map(String::from).collect(),
                    },
                }
            },
        )
}

/// A string that is sometimes plausible for the field and often not.
fn field_text(plausible: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        2 => text(0..24),
        1 => select(plausible).prop_map(String::from),
        1 => long_text(90..130),
    ]
}

/// Any sign-up form at all.
fn any_signup() -> impl Strategy<Value = SignupForm> {
    (
        (
            field_text(&["张晓明", "Mary O'Neil", " ", ""]),
            prop_oneof![
                typed_mobile().prop_map(|(_, typed)| typed),
                field_text(&["13812345678", "12812345678", "+852 9123 4567"]),
            ],
            prop::option::of(select(Association::ALL)),
            field_text(&["110105", "110000", "120101", "130600", "999999"]),
        ),
        (
            field_text(&["朝阳区社会工作服务中心", "x"]),
            prop::option::of(select(QualificationLevel::ALL)),
            field_text(&["ZS2023-0001", "12", "zs-1234"]),
            prop::collection::vec(select(ServiceArea::ALL), 0..10),
            prop::option::of(select(ContactTime::ALL)),
        ),
        (
            prop_oneof![Just(NOTICE_VERSION.to_string()), text(0..12)],
            any::<(bool, bool, bool)>(),
            prop::collection::vec(
                prop_oneof![select(KNOWN_PARTNERS).prop_map(String::from), text(0..8)],
                0..4,
            ),
        ),
    )
        .prop_map(
            |(
                (name, mobile, association, region),
                (employer, level, certificate_number, interests, contact_time),
                (notice_version, (privacy, cross_border, health), partners),
            )| SignupForm {
                name,
                mobile,
                association,
                region,
                employer,
                level,
                certificate_number,
                interests,
                contact_time,
                consents: SignupConsents {
                    notice_version,
                    privacy,
                    cross_border,
                    health,
                    partners,
                },
            },
        )
}

/// The form a valid sign-up would be if typed exactly as normalised.
fn as_form(valid: &ValidSignup) -> SignupForm {
    SignupForm {
        name: valid.name.clone(),
        mobile: valid.mobile.clone(),
        association: Some(valid.association),
        region: valid.region.clone(),
        employer: valid.employer.clone(),
        level: Some(valid.level),
        certificate_number: valid.certificate_number.clone(),
        interests: valid.interests.clone(),
        contact_time: Some(valid.contact_time),
        consents: valid.consents.clone(),
    }
}

/// What every accepted sign-up satisfies, whatever was typed.
fn check_valid_signup(valid: &ValidSignup) -> Result<(), TestCaseError> {
    check_mobile(&valid.mobile)?;
    prop_assert_eq!(valid.name.trim(), valid.name.as_str());
    prop_assert_eq!(valid.employer.trim(), valid.employer.as_str());
    let region = regions::find(&valid.region).expect("a known region");
    prop_assert_eq!(region.province(), valid.association.province_code());
    prop_assert!(
        valid
            .certificate_number
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    );
    prop_assert!(
        valid.interests.windows(2).all(|w| w[0] < w[1]),
        "sorted, once"
    );
    prop_assert!(
        valid.consents.partners.windows(2).all(|w| w[0] < w[1]),
        "sorted, once"
    );
    prop_assert!(valid.consents.privacy && valid.consents.cross_border);
    prop_assert_eq!(valid.consents.notice_version.as_str(), NOTICE_VERSION);
    if valid.consents.health {
        prop_assert!(valid.interests.contains(&ServiceArea::Health));
    }
    // Normalising is idempotent: the output validates to itself.
    prop_assert_eq!(
        signup::validate(&as_form(valid), is_partner),
        Ok(valid.clone())
    );
    Ok(())
}

fn check_mobile(normalised: &str) -> Result<(), TestCaseError> {
    let bytes = normalised.as_bytes();
    prop_assert!(
        bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]),
        "not a mainland mobile: {normalised:?}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Strategies: the partner application

fn region_codes() -> Vec<&'static str> {
    regions::ALL.iter().map(|region| region.code).collect()
}

fn valid_email() -> impl Strategy<Value = String> {
    (
        "[A-Za-z0-9._%+-]{1,20}",
        "[A-Za-z0-9-]{1,20}",
        prop::collection::vec("[A-Za-z]{2,6}", 1..3),
    )
        .prop_map(|(local, host, tld)| format!("{local}@{host}.{}", tld.join(".")))
}

fn valid_offer() -> impl Strategy<Value = OfferedBenefit> {
    (
        select(ServiceArea::ALL),
        prop_oneof![
            4 => free_text(10..=40),
            1 => free_text(1..=4).prop_map(|seed| seed.chars().cycle().take(1000).collect()),
        ]
        .prop_filter("10 to 1000 characters after trimming", |d: &String| {
            (10..=1000).contains(&d.trim().chars().count())
        }),
        prop::collection::vec(select(region_codes()), 0..4),
    )
        .prop_map(|(area, description, regions)| OfferedBenefit {
            area: Some(area),
            description,
            regions: regions.into_iter().map(String::from).collect(),
        })
}

/// An application that satisfies every rule, typed the many ways people type.
fn valid_application() -> impl Strategy<Value = PartnerApplication> {
    (
        free_text(2..=100).prop_filter("two characters after trimming", |c| {
            c.trim().chars().count() >= 2
        }),
        typed_credit_code(),
        valid_name(),
        prop_oneof![
            typed_mobile().prop_map(|(_, typed)| (typed, String::new())),
            valid_email().prop_map(|email| (String::new(), format!(" {email} "))),
            (typed_mobile(), valid_email()).prop_map(|((_, typed), email)| (typed, email)),
        ],
        prop::collection::vec(valid_offer(), 1..=MAX_OFFERS),
        prop_oneof![
            4 => free_text(0..=40),
            1 => free_text(1..=4).prop_map(|seed| seed.chars().cycle().take(2000).collect()),
        ],
    )
        .prop_map(
            |(company, (_, credit_code), contact_person, (mobile, email), offers, message)| {
                PartnerApplication {
                    company,
                    credit_code,
                    contact_person,
                    mobile,
                    email,
                    offers,
                    message,
                    consents: ApplicationConsents {
                        notice_version: NOTICE_VERSION.into(),
                        privacy: true,
                        cross_border: true,
                    },
                }
            },
        )
}

fn any_offer() -> impl Strategy<Value = OfferedBenefit> {
    (
        prop::option::of(select(ServiceArea::ALL)),
        prop_oneof![
            text(0..30),
            Just("社工凭证书享受年度体检八折优惠。".to_string()),
            long_text(990..1010)
        ],
        prop::collection::vec(field_text(&["110000", "110105", "999999", ""]), 0..3),
    )
        .prop_map(|(area, description, regions)| OfferedBenefit {
            area,
            description,
            regions,
        })
}

/// Any application at all.
fn any_application() -> impl Strategy<Value = PartnerApplication> {
    (
        field_text(&["北京示例健康科技有限公司", "x"]),
        prop_oneof![
            typed_credit_code().prop_map(|(_, typed)| typed),
            field_text(&["91110000802100433B", "91110000802100433C"]),
        ],
        field_text(&["李娜", ""]),
        field_text(&["139 0000 1111", "123", ""]),
        field_text(&["lina@example.com", "a@b", "@x.y", ""]),
        prop::collection::vec(any_offer(), 0..12),
        prop_oneof![text(0..40), long_text(1990..2010)],
        (
            prop_oneof![Just(NOTICE_VERSION.to_string()), text(0..12)],
            any::<(bool, bool)>(),
        ),
    )
        .prop_map(
            |(
                company,
                credit_code,
                contact_person,
                mobile,
                email,
                offers,
                message,
                (notice_version, (privacy, cross_border)),
            )| PartnerApplication {
                company,
                credit_code,
                contact_person,
                mobile,
                email,
                offers,
                message,
                consents: ApplicationConsents {
                    notice_version,
                    privacy,
                    cross_border,
                },
            },
        )
}

/// The fields [`application::validate`] may name for `application`.
fn application_field(field: &str, offers: usize) -> bool {
    const TOP: &[&str] = &[
        "company",
        "credit_code",
        "contact_person",
        "mobile",
        "email",
        "offers",
        "message",
        "consents.privacy",
        "consents.cross_border",
    ];
    TOP.contains(&field)
        || indexed(field, "offers", offers.min(MAX_OFFERS))
            .is_some_and(|(_, rest)| matches!(rest, ".area" | ".description" | ".regions"))
}

/// What every accepted application satisfies, whatever was typed.
fn check_valid_application(valid: &PartnerApplication) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        credit_code::normalize(&valid.credit_code),
        Some(valid.credit_code.clone())
    );
    prop_assert_eq!(valid.credit_code.chars().count(), 18);
    if valid.mobile.is_empty() {
        prop_assert!(!valid.email.is_empty(), "a way to reach the company");
    } else {
        check_mobile(&valid.mobile)?;
    }
    prop_assert_eq!(valid.email.to_lowercase(), valid.email.clone());
    prop_assert_eq!(valid.email.trim(), valid.email.as_str());
    prop_assert_eq!(valid.company.trim(), valid.company.as_str());
    prop_assert_eq!(valid.contact_person.trim(), valid.contact_person.as_str());
    prop_assert_eq!(valid.message.trim(), valid.message.as_str());
    prop_assert!((1..=MAX_OFFERS).contains(&valid.offers.len()));
    for offer in &valid.offers {
        prop_assert!(offer.area.is_some());
        prop_assert_eq!(offer.description.trim(), offer.description.as_str());
    }
    prop_assert_eq!(application::validate(valid), Ok(valid.clone()));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Strategies: the catalogue

fn published_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_796_040_000, 0).expect("a time")
}

fn day(from_year: i32, to_year: i32) -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(from_year, 1, 1).expect("a date");
    let last = NaiveDate::from_ymd_opt(to_year, 12, 31).expect("a date");
    (first.num_days_from_ce()..=last.num_days_from_ce())
        .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).expect("a date"))
}

fn any_text() -> impl Strategy<Value = Text> {
    (
        prop_oneof![text(0..16), Just("体检".to_string())],
        prop_oneof![text(0..16), Just("Check-up".to_string())],
    )
        .prop_map(|(zh, en)| Text::new(zh, en))
}

const ID_POOL: &[&str] = &["a", "b", "weier-dental", "Bad Id", "", "x-1"];

fn any_id() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(ID_POOL).prop_map(String::from),
        1 => text(0..8),
        1 => "[a-z0-9-]{60,70}",
    ]
}

fn any_region() -> impl Strategy<Value = String> {
    prop_oneof![
        select(region_codes()).prop_map(String::from),
        field_text(&["110199", "999999", ""])
    ]
}

fn any_location() -> impl Strategy<Value = Location> {
    (
        any_id(),
        prop::option::of(any_text()),
        any_text(),
        any_region(),
        prop_oneof![any::<f64>(), -90.0..=90.0],
        prop_oneof![any::<f64>(), -180.0..=180.0],
    )
        .prop_map(|(id, name, address, region, lat, lon)| Location {
            id,
            name,
            address,
            region,
            lat,
            lon,
        })
}

fn any_partner() -> impl Strategy<Value = Partner> {
    (
        any_id(),
        any_text(),
        select(PartnerKind::ALL),
        prop::collection::vec(any_location(), 0..3),
        prop::collection::vec(
            (any::<u16>(), any_text()).prop_map(|(year, title)| Award { year, title }),
            0..3,
        ),
    )
        .prop_map(|(id, name, kind, locations, awards)| Partner {
            id,
            name,
            kind,
            locations,
            contact: Contact::default(),
            awards,
        })
}

fn any_benefit() -> impl Strategy<Value = Benefit> {
    benefit_from(any_id, any_text, any_region(), 0..3, (1990, 2110))
}

/// A benefit whose ids, texts, region codes and dates come from the given strategies, with up
/// to `lists.end - 1` regions and levels.
fn benefit_from<I: Strategy<Value = String>, T: Strategy<Value = Text>>(
    id: impl Fn() -> I,
    text: impl Fn() -> T,
    region: impl Strategy<Value = String>,
    lists: std::ops::Range<usize>,
    (from_year, to_year): (i32, i32),
) -> impl Strategy<Value = Benefit> {
    (
        (id(), id(), select(ServiceArea::ALL)),
        (text(), text(), text()),
        (
            prop::collection::vec(region, lists.clone()),
            prop::collection::vec(select(QualificationLevel::ALL), lists),
            prop::option::of(day(from_year, to_year)),
            prop::option::of(day(from_year, to_year)),
        ),
    )
        .prop_map(
            |(
                (id, partner, area),
                (title, description, how_to_redeem),
                (regions, eligible_levels, valid_from, valid_until),
            )| Benefit {
                id,
                partner,
                area,
                title,
                description,
                regions,
                eligible_levels,
                valid_from,
                valid_until,
                how_to_redeem,
            },
        )
}

fn any_catalogue() -> impl Strategy<Value = Catalogue> {
    (
        prop_oneof![Just("2026-11-30.1".to_string()), text(0..6)],
        prop::collection::vec(any_partner(), 0..4),
        prop::collection::vec(any_benefit(), 0..4),
    )
        .prop_map(|(version, partners, benefits)| Catalogue {
            version,
            published_at: published_at(),
            sample: false,
            partners,
            benefits,
            readings: Default::default(),
        })
}

/// Non-empty text in both languages (anything a person could type, hostile included).
fn filled_text() -> impl Strategy<Value = Text> {
    let side = || free_text(1..=16).prop_filter("not blank", |t| !t.trim().is_empty());
    (side(), side()).prop_map(|(zh, en)| Text::new(zh, en))
}

/// A coordinate to the microdegree (≈ 0.1 m), as staff enter them.
fn coordinate(limit: i64) -> impl Strategy<Value = f64> {
    (-limit * 1_000_000..=limit * 1_000_000).prop_map(|micro| micro as f64 / 1e6)
}

/// A catalogue that passes every rule.
fn valid_catalogue() -> impl Strategy<Value = Catalogue> {
    let location = (
        prop::option::of(filled_text()),
        filled_text(),
        select(region_codes()),
        coordinate(90),
        coordinate(180),
    );
    let partner = (
        filled_text(),
        select(PartnerKind::ALL),
        prop::collection::vec(location, 0..3),
        prop::collection::vec((2000u16..=2100, filled_text()), 0..3),
    );
    (
        "[0-9a-z.-]{1,20}",
        prop::collection::vec(partner, 1..4),
        prop::collection::vec(
            (
                any::<Index>(),
                select(ServiceArea::ALL),
                (filled_text(), filled_text(), filled_text()),
                prop::collection::vec(select(region_codes()), 0..3),
                prop::collection::vec(select(QualificationLevel::ALL), 0..3),
                prop::option::of((day(2020, 2030), 0i64..800)),
            ),
            0..4,
        ),
    )
        .prop_map(|(version, partners, benefits)| {
            let partners: Vec<Partner> = partners
                .into_iter()
                .enumerate()
                .map(|(i, (name, kind, locations, awards))| Partner {
                    id: format!("partner-{i}"),
                    name,
                    kind,
                    locations: locations
                        .into_iter()
                        .enumerate()
                        .map(|(j, (name, address, region, lat, lon))| Location {
                            id: format!("partner-{i}-{j}"),
                            name,
                            address,
                            region: region.to_string(),
                            lat,
                            lon,
                        })
                        .collect(),
                    contact: Contact::default(),
                    awards: awards
                        .into_iter()
                        .map(|(year, title)| Award { year, title })
                        .collect(),
                })
                .collect();
            let benefits = benefits
                .into_iter()
                .enumerate()
                .map(
                    |(
                        i,
                        (
                            partner,
                            area,
                            (title, description, how_to_redeem),
                            regions,
                            levels,
                            valid,
                        ),
                    )| {
                        Benefit {
                            id: format!("benefit-{i}"),
                            partner: partners[partner.index(partners.len())].id.clone(),
                            area,
                            title,
                            description,
                            regions: regions.into_iter().map(String::from).collect(),
                            eligible_levels: levels,
                            valid_from: valid.map(|(from, _)| from),
                            valid_until: valid
                                .map(|(from, days)| from + chrono::Duration::days(days)),
                            how_to_redeem,
                        }
                    },
                )
                .collect();
            Catalogue {
                version,
                published_at: published_at(),
                sample: false,
                partners,
                benefits,
                readings: Default::default(),
            }
        })
}

/// Whether `field` is a path [`validate::catalogue`] reports for `catalogue`.
fn catalogue_field(field: &str, catalogue: &Catalogue) -> bool {
    if field == "version" {
        return true;
    }
    if let Some((i, rest)) = indexed(field, "partners", catalogue.partners.len()) {
        let partner = &catalogue.partners[i];
        return matches!(rest, ".id" | ".name.zh" | ".name.en")
            || indexed(
                rest.trim_start_matches('.'),
                "locations",
                partner.locations.len(),
            )
            .is_some_and(|(_, rest)| {
                matches!(
                    rest,
                    ".id" | ".address.zh" | ".address.en" | ".region" | ".lat"
                )
            })
            || indexed(rest.trim_start_matches('.'), "awards", partner.awards.len())
                .is_some_and(|(_, rest)| rest == ".year");
    }
    if let Some((i, rest)) = indexed(field, "benefits", catalogue.benefits.len()) {
        let benefit = &catalogue.benefits[i];
        return matches!(
            rest,
            ".id"
                | ".partner"
                | ".title.zh"
                | ".title.en"
                | ".description.zh"
                | ".description.en"
                | ".how_to_redeem.zh"
                | ".how_to_redeem.en"
                | ".valid_until"
        ) || indexed(
            rest.trim_start_matches('.'),
            "regions",
            benefit.regions.len(),
        )
        .is_some_and(|(_, rest)| rest.is_empty());
    }
    false
}

fn check_catalogue_errors(
    catalogue: &Catalogue,
    errors: &[FieldError],
) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty());
    for error in errors {
        prop_assert!(
            catalogue_field(&error.field, catalogue),
            "not a field of this catalogue: {error:?}"
        );
        check_bilingual(error)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Strategies: JSON

/// Every field name of the public input types, so that generated objects reach past the
/// first level.
const KEYS: &[&str] = &[
    "name",
    "mobile",
    "association",
    "region",
    "employer",
    "level",
    "certificate_number",
    "interests",
    "contact_time",
    "consents",
    "notice_version",
    "privacy",
    "cross_border",
    "health",
    "partners",
    "company",
    "credit_code",
    "contact_person",
    "email",
    "offers",
    "area",
    "description",
    "regions",
    "message",
    "version",
    "published_at",
    "sample",
    "benefits",
    "id",
    "partner",
    "title",
    "zh",
    "en",
    "kind",
    "locations",
    "contact",
    "awards",
    "year",
    "address",
    "lat",
    "lon",
    "phone",
    "website",
    "eligible_levels",
    "valid_from",
    "valid_until",
    "how_to_redeem",
    "archived",
    "updated_by",
    "updated_at_ms",
    "benefit",
];

/// Values the input types expect somewhere.
const WORDS: &[&str] = &[
    "beijing",
    "tianjin",
    "hebei",
    "health",
    "career",
    "civic",
    "senior",
    "none",
    "evening",
    "110105",
    "110000",
    "130600",
    "2026-11-30",
    "2026-02-30",
    "2026-11-30T00:00:00Z",
    "13812345678",
    "91110000802100433B",
    "dental",
    "social_work_org",
    "张晓明",
    "weier-dental",
    "",
    " ",
    "-0",
    "1e999",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        select(&[0u64, 1, 2000, 2026, 65_535, 65_536][..]).prop_map(Value::from),
        prop_oneof![text(0..12), select(WORDS).prop_map(String::from)].prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![3 => select(KEYS).prop_map(String::from), 1 => text(0..6)],
                    inner
                ),
                0..8
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// JSON pointers to every node of `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(entries) => {
            for (key, item) in entries {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(item, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// `base` with one node (chosen by `at`) replaced by `replacement`, or removed from its object.
fn mutate(base: &Value, at: Index, replacement: Value, remove: bool) -> Value {
    let mut doc = base.clone();
    let mut all = Vec::new();
    pointers(&doc, String::new(), &mut all);
    let pointer = &all[at.index(all.len())];
    if remove
        && let Some((parent, key)) = pointer.rsplit_once('/')
        && let Some(Value::Object(entries)) = doc.pointer_mut(parent)
    {
        entries.remove(&key.replace("~1", "/").replace("~0", "~"));
        return doc;
    }
    if let Some(node) = doc.pointer_mut(pointer) {
        *node = replacement;
    }
    doc
}

/// JSON text with a few characters changed: truncated, spliced, doubled.
fn damaged(base: &str, at: Index, cut: Index, insert: &str) -> String {
    let chars: Vec<char> = base.chars().collect();
    let start = at.index(chars.len() + 1);
    let end = start + cut.index(chars.len() + 1 - start).min(4);
    chars[..start]
        .iter()
        .chain(insert.chars().collect::<Vec<_>>().iter())
        .chain(chars[end..].iter())
        .collect()
}

fn valid_signup_json() -> Value {
    serde_json::json!({
        "name": "张晓明", "mobile": "+86 138-1234-5678", "association": "beijing",
        "region": "110105", "employer": "朝阳区社会工作服务中心", "level": "intermediate",
        "certificate_number": "ZS2023-0001", "interests": ["health", "career"],
        "contact_time": "evening",
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true,
                     "health": true, "partners": ["weier-dental"]}
    })
}

fn valid_application_json() -> Value {
    serde_json::json!({
        "company": "北京示例健康科技有限公司", "credit_code": "91110000802100433B",
        "contact_person": "李娜", "mobile": "139 0000 1111", "email": "lina@example.com",
        "offers": [{"area": "health", "description": "社工凭证书享受年度体检八折优惠。",
                    "regions": ["110000"]}],
        "message": "希望加入关爱计划。",
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
    })
}

fn demo_json() -> Value {
    serde_json::to_value(demo::programme()).expect("the demo serialises")
}

/// Parses `json` as every public input type and runs each one's rules on what parses.
fn parse_everything(json: &str) -> Result<(), TestCaseError> {
    if let Ok(form) = serde_json::from_str::<SignupForm>(json) {
        check_signup_outcome(&form)?;
    }
    if let Ok(form) = serde_json::from_str::<PartnerApplication>(json) {
        check_application_outcome(&form)?;
    }
    if let Ok(catalogue) = serde_json::from_str::<Catalogue>(json) {
        check_catalogue_outcome(&catalogue)?;
    }
    if let Ok(draft) = serde_json::from_str::<DraftPartner>(json) {
        let _ = validate::catalogue(&Catalogue {
            version: "draft".into(),
            published_at: published_at(),
            sample: false,
            partners: vec![draft.partner],
            benefits: vec![],
            readings: Default::default(),
        });
    }
    let _ = serde_json::from_str::<DraftBenefit>(json);
    Ok(())
}

fn check_signup_outcome(form: &SignupForm) -> Result<(), TestCaseError> {
    match signup::validate(form, is_partner) {
        Ok(valid) => check_valid_signup(&valid)?,
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "refused without a reason");
            let places: Vec<usize> = errors
                .iter()
                .map(|e| {
                    FIELDS
                        .iter()
                        .position(|f| *f == e.field)
                        .unwrap_or(usize::MAX)
                })
                .collect();
            prop_assert!(
                places.iter().all(|p| *p != usize::MAX),
                "a field outside FIELDS: {errors:?}"
            );
            prop_assert!(places.windows(2).all(|w| w[0] <= w[1]), "not in form order");
            for error in &errors {
                check_bilingual(error)?;
            }
        }
    }
    Ok(())
}

fn check_application_outcome(form: &PartnerApplication) -> Result<(), TestCaseError> {
    match application::validate(form) {
        Ok(valid) => check_valid_application(&valid)?,
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "refused without a reason");
            for error in &errors {
                prop_assert!(
                    application_field(&error.field, form.offers.len()),
                    "not a field of the application: {error:?}"
                );
                check_bilingual(error)?;
            }
        }
    }
    Ok(())
}

fn check_catalogue_outcome(catalogue: &Catalogue) -> Result<(), TestCaseError> {
    if let Err(errors) = validate::catalogue(catalogue) {
        check_catalogue_errors(catalogue, &errors)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Strategies: CSV

/// Cells of a CSV file: any text, as a spreadsheet could hold it.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![3 => text(0..12), 1 => select(WORDS).prop_map(String::from)]
}

/// A CSV document with `columns` in the given order, BOM and line ends as Excel or others
/// write them.
fn write_csv(columns: &[&str], rows: &[Vec<(String, String)>], bom: bool, crlf: bool) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    writer.write_record(columns).expect("header");
    for row in rows {
        let cells = columns.iter().map(|column| {
            row.iter()
                .find(|(name, _)| name == column)
                .map_or("", |(_, value)| value.as_str())
        });
        writer.write_record(cells).expect("row");
    }
    let text = String::from_utf8(writer.into_inner().expect("flushed")).expect("UTF-8");
    if bom { format!("\u{feff}{text}") } else { text }
}

fn benefit_row(benefit: &Benefit) -> Vec<(String, String)> {
    let date = |day: Option<NaiveDate>| {
        day.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    [
        ("id", benefit.id.clone()),
        ("partner", benefit.partner.clone()),
        ("area", benefit.area.code().to_string()),
        ("title_zh", benefit.title.zh.clone()),
        ("title_en", benefit.title.en.clone()),
        ("description_zh", benefit.description.zh.clone()),
        ("description_en", benefit.description.en.clone()),
        ("regions", benefit.regions.join(" ")),
        (
            "levels",
            benefit
                .eligible_levels
                .iter()
                .map(|l| l.code())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("valid_from", date(benefit.valid_from)),
        ("valid_until", date(benefit.valid_until)),
        ("how_to_redeem_zh", benefit.how_to_redeem.zh.clone()),
        ("how_to_redeem_en", benefit.how_to_redeem.en.clone()),
    ]
    .into_iter()
    .map(|(column, value)| (column.to_string(), value))
    .collect()
}

/// Benefits as a spreadsheet holds them (cells are trimmed on import, so the expectation is
/// trimmed too).
fn csv_benefit() -> impl Strategy<Value = Benefit> {
    let cell_text = || (text(0..16), text(0..16)).prop_map(|(zh, en)| Text::new(zh, en));
    benefit_from(
        || "[a-z0-9-]{1,16}",
        cell_text,
        "[0-9]{6}",
        0..4,
        (1900, 2200),
    )
}

fn trimmed(text: &Text) -> Text {
    Text::new(text.zh.trim(), text.en.trim())
}

fn trimmed_benefit(benefit: &Benefit) -> Benefit {
    Benefit {
        title: trimmed(&benefit.title),
        description: trimmed(&benefit.description),
        how_to_redeem: trimmed(&benefit.how_to_redeem),
        ..benefit.clone()
    }
}

/// A partner as the CSV columns can carry it (awards are the yearly 爱心单位 honour).
fn csv_partner() -> impl Strategy<Value = Partner> {
    let cell_text = || (text(0..12), text(0..12)).prop_map(|(zh, en)| Text::new(zh, en));
    let location = (
        "[a-z0-9-]{1,12}",
        prop::option::of(cell_text()),
        cell_text(),
        "[0-9]{6}",
        -90.0..=90.0f64,
        -180.0..=180.0f64,
    )
        .prop_map(|(id, name, address, region, lat, lon)| Location {
            id,
            name,
            address,
            region,
            lat,
            lon,
        });
    (
        cell_text(),
        select(PartnerKind::ALL),
        prop::collection::vec(location, 0..3),
        prop::collection::vec(prop::option::of(text(0..10)), 3),
        prop::collection::vec(any::<u16>(), 0..3),
    )
        .prop_map(|(name, kind, locations, contact, years)| Partner {
            id: String::new(),
            name,
            kind,
            locations,
            contact: Contact {
                phone: contact[0].clone(),
                email: contact[1].clone(),
                website: contact[2].clone(),
            },
            awards: years.into_iter().map(Award::caring_unit).collect(),
        })
}

fn csv_partners() -> impl Strategy<Value = Vec<Partner>> {
    (
        prop::collection::vec(csv_partner(), 0..5),
        prop::collection::vec("[a-z0-9-]{1,10}", 5),
    )
        .prop_map(|(mut partners, ids)| {
            for (i, partner) in partners.iter_mut().enumerate() {
                partner.id = format!("{}-{i}", ids[i]);
            }
            partners
        })
}

fn partner_rows(partner: &Partner) -> Vec<Vec<(String, String)>> {
    let kind = serde_json::to_value(partner.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .expect("a kind code");
    let shared: Vec<(&str, String)> = vec![
        ("id", partner.id.clone()),
        ("name_zh", partner.name.zh.clone()),
        ("name_en", partner.name.en.clone()),
        ("kind", kind),
        ("phone", partner.contact.phone.clone().unwrap_or_default()),
        ("email", partner.contact.email.clone().unwrap_or_default()),
        (
            "website",
            partner.contact.website.clone().unwrap_or_default(),
        ),
        (
            "awards",
            partner
                .awards
                .iter()
                .map(|a| a.year.to_string())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ];
    let row = |location: Option<&Location>| -> Vec<(String, String)> {
        let mut cells: Vec<(String, String)> = shared
            .iter()
            .map(|(c, v)| (c.to_string(), v.clone()))
            .collect();
        if let Some(location) = location {
            let name = location.name.clone().unwrap_or_default();
            for (column, value) in [
                ("location_id", location.id.clone()),
                ("location_name_zh", name.zh),
                ("location_name_en", name.en),
                ("address_zh", location.address.zh.clone()),
                ("address_en", location.address.en.clone()),
                ("region", location.region.clone()),
                ("lat", location.lat.to_string()),
                ("lon", location.lon.to_string()),
            ] {
                cells.push((column.to_string(), value));
            }
        }
        cells
    };
    if partner.locations.is_empty() {
        vec![row(None)]
    } else {
        partner.locations.iter().map(|l| row(Some(l))).collect()
    }
}

/// What the importer makes of a partner: cells trimmed, empty optional cells absent.
fn imported_partner(partner: &Partner) -> Partner {
    let optional = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    };
    Partner {
        name: trimmed(&partner.name),
        locations: partner
            .locations
            .iter()
            .map(|location| Location {
                name: location
                    .name
                    .as_ref()
                    .map(trimmed)
                    .filter(|name| !name.zh.is_empty() || !name.en.is_empty()),
                address: trimmed(&location.address),
                ..location.clone()
            })
            .collect(),
        contact: Contact {
            phone: optional(&partner.contact.phone),
            email: optional(&partner.contact.email),
            website: optional(&partner.contact.website),
        },
        ..partner.clone()
    }
}

/// Every import error names the header, the file, a row, or a row and one of `columns`.
fn check_import_errors(
    errors: &[FieldError],
    columns: &[&str],
    rows: Option<usize>,
) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "refused without a reason");
    for error in errors {
        check_bilingual(error)?;
        if matches!(error.field.as_str(), "header" | "rows") {
            prop_assert!(
                rows.is_none(),
                "a file-level error for a well-formed file: {error:?}"
            );
            continue;
        }
        let rest = error
            .field
            .strip_prefix("rows[")
            .and_then(|rest| rest.split_once(']'));
        prop_assert!(rest.is_some(), "names no row: {error:?}");
        let (line, column) = rest.expect("checked");
        let line: usize = line
            .parse()
            .map_err(|_| TestCaseError::fail("a row number"))?;
        prop_assert!(line >= 2, "rows start at line 2: {error:?}");
        if let Some(rows) = rows {
            prop_assert!(line <= rows + 1, "no such row: {error:?}");
            let column = column.strip_prefix('.');
            prop_assert!(
                column.is_some_and(|c| columns.contains(&c)),
                "names no column: {error:?}"
            );
        } else if let Some(column) = column.strip_prefix('.') {
            prop_assert!(columns.contains(&column), "no such column: {error:?}");
        } else {
            prop_assert!(column.is_empty(), "malformed path: {error:?}");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JSON parsing

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary text never panics any public input type's parser (nor the rules after it).
    #[test]
    fn arbitrary_text_parses_or_fails_cleanly(json in prop_oneof![
        any::<String>(),
        text(0..64),
        json_value().prop_map(|v| v.to_string()),
    ]) {
        parse_everything(&json)?;
    }

    /// Arbitrary JSON values, and valid documents with one node replaced or removed, either
    /// parse as each type and then validate cleanly, or are refused — never a panic.
    #[test]
    fn arbitrary_json_values_parse_or_fail_cleanly(
        value in json_value(),
        base in 0..4usize,
        at in any::<Index>(),
        remove in prop::bool::weighted(0.2),
    ) {
        parse_everything(&value.to_string())?;
        let base = match base {
            0 => valid_signup_json(),
            1 => valid_application_json(),
            2 => demo_json(),
            _ => serde_json::to_value(DraftPartner {
                partner: demo::programme().partners[0].clone(),
                association: Some(Association::Beijing),
                archived: false,
                updated_by: "plan.admin".into(),
                updated_at_ms: 1,
            }).expect("a draft"),
        };
        parse_everything(&mutate(&base, at, value, remove).to_string())?;
    }

    /// Valid JSON text, damaged a few characters at a time, never panics a parser.
    #[test]
    fn damaged_json_text_parses_or_fails_cleanly(
        base in 0..3usize,
        at in any::<Index>(),
        cut in any::<Index>(),
        insert in text(0..4),
    ) {
        let base = match base {
            0 => valid_signup_json(),
            1 => valid_application_json(),
            _ => serde_json::to_value(&demo::programme().benefits[0]).expect("a benefit"),
        }
        .to_string();
        parse_everything(&damaged(&base, at, cut, &insert))?;
        let _ = serde_json::from_str::<Benefit>(&damaged(&base, at, cut, &insert));
    }
}

// ---------------------------------------------------------------------------------------------
// The rules

proptest! {
    #![proptest_config(config(256))]

    /// Whatever a sign-up holds, validation answers: the normalised sign-up (which validates
    /// to itself) or field errors in form order, each with a Chinese and an English message.
    #[test]
    fn any_signup_validates_or_lists_bilingual_field_errors(form in any_signup()) {
        check_signup_outcome(&form)?;
    }

    /// A sign-up that follows every rule is accepted, however the person typed it, and comes
    /// back normalised: trimmed, the mobile as its 11 digits, the certificate upper-case,
    /// interests and partners sorted once.
    #[test]
    fn valid_signups_are_accepted_and_normalised(form in valid_signup()) {
        let valid = signup::validate(&form, is_partner);
        prop_assert!(valid.is_ok(), "refused: {:?}", valid);
        let valid = valid.expect("checked");
        check_valid_signup(&valid)?;
        prop_assert_eq!(Some(valid.mobile.clone()), mobile::normalize(&form.mobile));
        prop_assert_eq!(valid.name.as_str(), form.name.trim());
        prop_assert_eq!(valid.employer.as_str(), form.employer.trim());
        prop_assert_eq!(
            valid.certificate_number.clone(),
            form.certificate_number.trim().to_ascii_uppercase()
        );
        let mut interests = form.interests.clone();
        interests.sort();
        interests.dedup();
        prop_assert_eq!(&valid.interests, &interests);
        prop_assert_eq!(valid.contact_time, form.contact_time.unwrap_or(ContactTime::Any));
    }

    /// Whatever an application holds, validation answers: the normalised application (which
    /// validates to itself) or field errors, each with a Chinese and an English message.
    #[test]
    fn any_application_validates_or_lists_bilingual_field_errors(form in any_application()) {
        check_application_outcome(&form)?;
    }

    /// An application that follows every rule is accepted and comes back normalised.
    #[test]
    fn valid_applications_are_accepted_and_normalised(form in valid_application()) {
        let valid = application::validate(&form);
        prop_assert!(valid.is_ok(), "refused: {:?}", valid);
        let valid = valid.expect("checked");
        check_valid_application(&valid)?;
        prop_assert_eq!(valid.company.as_str(), form.company.trim());
        prop_assert_eq!(valid.email.clone(), form.email.trim().to_lowercase());
        prop_assert_eq!(
            Some(valid.credit_code.clone()),
            credit_code::normalize(&form.credit_code)
        );
        if !form.mobile.trim().is_empty() {
            prop_assert_eq!(Some(valid.mobile.clone()), mobile::normalize(&form.mobile));
        }
        for (offer, typed) in valid.offers.iter().zip(&form.offers) {
            prop_assert_eq!(offer.description.as_str(), typed.description.trim());
            prop_assert_eq!(&offer.regions, &typed.regions);
        }
    }

    /// Whatever a catalogue holds, validation passes or names each broken field (within the
    /// catalogue's bounds) with a Chinese and an English message.
    #[test]
    fn any_catalogue_validates_or_lists_bilingual_field_errors(catalogue in any_catalogue()) {
        check_catalogue_outcome(&catalogue)?;
    }

    /// A catalogue that follows every rule passes, and survives JSON (the wire format of
    /// `/v1/catalog` and of drafts) unchanged.
    #[test]
    fn valid_catalogues_pass_and_survive_json(catalogue in valid_catalogue()) {
        prop_assert_eq!(validate::catalogue(&catalogue), Ok(()));
        let json = serde_json::to_string(&catalogue).expect("serialises");
        let back: Catalogue = serde_json::from_str(&json).expect("parses back");
        prop_assert_eq!(&back, &catalogue);
        for partner in &catalogue.partners {
            let draft = DraftPartner {
                partner: partner.clone(),
                association: Some(Association::Hebei),
                archived: false,
                updated_by: "bj.admin".into(),
                updated_at_ms: 7,
            };
            let json = serde_json::to_string(&draft).expect("serialises");
            prop_assert_eq!(serde_json::from_str::<DraftPartner>(&json).expect("parses"), draft);
        }
        for benefit in &catalogue.benefits {
            let draft = DraftBenefit {
                benefit: benefit.clone(),
                archived: true,
                updated_by: "bj.admin".into(),
                updated_at_ms: 7,
            };
            let json = serde_json::to_string(&draft).expect("serialises");
            prop_assert_eq!(serde_json::from_str::<DraftBenefit>(&json).expect("parses"), draft);
        }
    }

    /// Mobile numbers: any input gives a valid 11-digit number or nothing (never a panic), and
    /// normalising is idempotent.
    #[test]
    fn any_mobile_normalises_to_eleven_digits_or_nothing(typed in prop_oneof![
        any::<String>(),
        text(0..20),
        "[0-9 +()\\-.]{0,20}",
    ]) {
        if let Some(normalised) = mobile::normalize(&typed) {
            check_mobile(&normalised)?;
            prop_assert_eq!(mobile::normalize(&normalised), Some(normalised.clone()));
        }
    }

    /// Every way of typing a mobile number gives back its 11 digits.
    #[test]
    fn typed_mobiles_normalise_to_their_digits((national, typed) in typed_mobile()) {
        prop_assert_eq!(mobile::normalize(&typed), Some(national));
    }

    /// Credit codes: any input gives a valid canonical code or nothing, idempotently.
    #[test]
    fn any_credit_code_normalises_to_a_checked_code_or_nothing(typed in prop_oneof![
        any::<String>(),
        text(0..20),
        "[0-9A-Za-z]{17,19}",
    ]) {
        if let Some(code) = credit_code::normalize(&typed) {
            prop_assert_eq!(code.chars().count(), 18);
            prop_assert!(code.chars().all(|c| CREDIT_ALPHABET.contains(c)), "{}", code);
            let first17: String = code.chars().take(17).collect();
            prop_assert_eq!(code.chars().last(), Some(check_character(&first17)));
            prop_assert_eq!(credit_code::normalize(&code), Some(code.clone()));
        }
    }

    /// Valid codes, however typed, normalise to themselves; changing any one character to
    /// another of the alphabet is always caught by the check character.
    #[test]
    fn credit_codes_catch_every_single_substitution(
        (code, typed) in typed_credit_code(),
        position in 0..18usize,
        replacement in select(CREDIT_ALPHABET.chars().collect::<Vec<_>>()),
    ) {
        prop_assert_eq!(credit_code::normalize(&typed), Some(code.clone()));
        let mut changed: Vec<char> = code.chars().collect();
        prop_assume!(changed[position] != replacement);
        changed[position] = replacement;
        let changed: String = changed.into_iter().collect();
        prop_assert_eq!(credit_code::normalize(&changed), None, "{}", changed);
    }
}

// ---------------------------------------------------------------------------------------------
// CSV import

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary text (with or without a correct header) never panics either importer, and
    /// every problem names the header, the file, a row, or a row and a known column.
    #[test]
    fn arbitrary_csv_never_panics_and_errors_name_where(
        body in prop_oneof![any::<String>(), text(0..200)],
        header in 0..3usize,
    ) {
        for (columns, partners) in [(import::BENEFIT_COLUMNS, false), (import::PARTNER_COLUMNS, true)] {
            let text = match header {
                0 => body.clone(),
                1 => format!("{}\n{body}", columns.join(",")),
                _ => format!("\u{feff}{}\r\n{body}", columns.join(",")),
            };
            let errors = if partners {
                import::partners(&text).err()
            } else {
                import::benefits(&text).err()
            };
            if let Some(errors) = errors {
                check_import_errors(&errors, columns, None)?;
            }
        }
    }

    /// Well-formed files with arbitrary cells: every problem is a cell, named by its row and
    /// column.
    #[test]
    fn bad_cells_are_named_by_row_and_column(
        rows in prop::collection::vec(prop::collection::vec(cell(), import::PARTNER_COLUMNS.len()), 0..6),
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        for (columns, partners) in [(import::BENEFIT_COLUMNS, false), (import::PARTNER_COLUMNS, true)] {
            let rows: Vec<Vec<(String, String)>> = rows
                .iter()
                .map(|cells| columns.iter().map(|c| c.to_string()).zip(cells.iter().cloned()).collect())
                .collect();
            let text = write_csv(columns, &rows, bom, crlf);
            let errors = if partners {
                import::partners(&text).err()
            } else {
                import::benefits(&text).err()
            };
            if let Some(errors) = errors {
                check_import_errors(&errors, columns, Some(rows.len()))?;
            }
        }
    }

    /// Benefits written to the documented columns (in any order, with or without BOM, CRLF or
    /// LF) import as the same benefits, cells trimmed.
    #[test]
    fn benefits_round_trip_through_the_documented_columns(
        benefits in prop::collection::vec(csv_benefit(), 0..6),
        columns in Just(import::BENEFIT_COLUMNS.to_vec()).prop_shuffle(),
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let rows: Vec<_> = benefits.iter().map(benefit_row).collect();
        let text = write_csv(&columns, &rows, bom, crlf);
        let expected: Vec<Benefit> = benefits.iter().map(trimmed_benefit).collect();
        prop_assert_eq!(import::benefits(&text), Ok(expected));
    }

    /// Partners written one row per location (a partner without locations on one row) import
    /// as the same partners with the same locations.
    #[test]
    fn partners_round_trip_through_the_documented_columns(
        partners in csv_partners(),
        columns in Just(import::PARTNER_COLUMNS.to_vec()).prop_shuffle(),
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let rows: Vec<_> = partners.iter().flat_map(partner_rows).collect();
        let text = write_csv(&columns, &rows, bom, crlf);
        let expected: Vec<Partner> = partners.iter().map(imported_partner).collect();
        prop_assert_eq!(import::partners(&text), Ok(expected));
    }

    /// One bad cell in an otherwise good file is reported at exactly that row and column.
    #[test]
    fn one_bad_cell_is_reported_at_its_row_and_column(
        benefits in prop::collection::vec(csv_benefit(), 1..6),
        partners in csv_partners().prop_filter("a partner with a location", |p| {
            p.iter().any(|p| !p.locations.is_empty())
        }),
        row in any::<Index>(),
        benefit_damage in select(&[
            ("area", "wellness"),
            ("levels", "senior guru"),
            ("valid_from", "2026-13-01"),
            ("valid_until", "31/12/2026"),
        ][..]),
        partner_damage in select(&[
            ("kind", "spa"),
            ("awards", "2024 20x4"),
            ("lat", "north"),
            ("lon", "116,45"),
        ][..]),
    ) {
        let mut rows: Vec<_> = benefits.iter().map(benefit_row).collect();
        let at = row.index(rows.len());
        let (column, bad) = benefit_damage;
        rows[at].retain(|(c, _)| c != column);
        rows[at].push((column.to_string(), bad.to_string()));
        let errors = import::benefits(&write_csv(import::BENEFIT_COLUMNS, &rows, true, true))
            .expect_err("a bad cell");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        prop_assert_eq!(fields, vec![format!("rows[{}].{column}", at + 2)]);
        check_import_errors(&errors, import::BENEFIT_COLUMNS, Some(rows.len()))?;

        let mut rows: Vec<_> = partners.iter().flat_map(partner_rows).collect();
        let with_location: Vec<usize> = (0..rows.len())
            .filter(|i| rows[*i].iter().any(|(c, v)| c == "location_id" && !v.is_empty()))
            .collect();
        let (column, bad) = partner_damage;
        let at = with_location[row.index(with_location.len())];
        rows[at].retain(|(c, _)| c != column);
        rows[at].push((column.to_string(), bad.to_string()));
        let errors = import::partners(&write_csv(import::PARTNER_COLUMNS, &rows, false, false))
            .expect_err("a bad cell");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        prop_assert_eq!(fields, vec![format!("rows[{}].{column}", at + 2)]);
        check_import_errors(&errors, import::PARTNER_COLUMNS, Some(rows.len()))?;
    }
}

// ---------------------------------------------------------------------------------------------
// The proof-of-work challenge

const KEY: &[u8] = b"property test challenge key, 32b";
const NOW: u64 = 1_800_000_000;

/// A string shaped like a token: right number of parts, hex where hex goes.
fn token_like() -> impl Strategy<Value = String> {
    (
        select(&["v1", "v2", "", "V1"][..]),
        "[0-9a-fA-F]{30,34}",
        prop_oneof![Just(NOW.to_string()), "[0-9+-]{0,21}"],
        prop_oneof![Just(DIFFICULTY.to_string()), "[0-9+-]{0,3}"],
        "[0-9a-fA-F+]{62,66}",
    )
        .prop_map(|(v, id, at, d, sig)| format!("{v}.{id}.{at}.{d}.{sig}"))
}

proptest! {
    #![proptest_config(config(256))]

    /// Tokens we did not issue never verify, whatever the nonce, and never panic; neither does
    /// solving them.
    #[test]
    fn arbitrary_tokens_never_verify(
        token in prop_oneof![any::<String>(), text(0..140), token_like()],
        nonce in any::<u64>(),
        now in NOW - 10 * MAX_AGE_SECONDS..NOW + 10 * MAX_AGE_SECONDS,
        start in any::<u64>(),
    ) {
        prop_assert!(challenge::verify(KEY, &token, nonce, now).is_err());
        let _ = challenge::solve(&token, start, 64);
    }

    /// `unhex` accepts hex and nothing else: whatever it decodes encodes back to the input.
    #[test]
    fn unhex_accepts_only_hex(text in prop_oneof![any::<String>(), "[0-9a-fA-F+ -]{0,12}"]) {
        if let Some(bytes) = challenge::unhex(&text) {
            prop_assert_eq!(challenge::hex(&bytes), text.to_ascii_lowercase());
        }
    }
}

/// Issue → solve → verify succeeds while the token is fresh; the same token is expired after
/// its lifetime or when it claims to come from the future; and changing any single character of
/// it fails, even when the altered token's work is done again.
///
/// Each case solves two proofs of work (≈ 65,000 hashes each), so this property runs by hand
/// with a scaled count rather than under `proptest!`.
#[test]
fn solved_tokens_verify_only_unaltered_and_in_time() {
    let strategy = (
        any::<[u8; 16]>(),
        1_600_000_000u64..2_000_000_000,
        0..=MAX_AGE_SECONDS,
        1u64..10_000_000,
        any::<Index>(),
        prop::bool::weighted(0.3),
        prop_oneof![
            select("0123456789abcdefABCDEF+.-v ".chars().collect::<Vec<_>>()),
            any::<char>(),
        ],
    );
    let mut runner = TestRunner::new(scaled(24));
    let result = runner.run(
        &strategy,
        |(id, issued_at, age, late, position, flip_case, replacement)| {
            let token = challenge::issue(KEY, id, issued_at, DIFFICULTY);
            let nonce = challenge::solve(&token, 0, u64::MAX).expect("a solution exists");
            prop_assert_eq!(
                challenge::verify(KEY, &token, nonce, issued_at + age),
                Ok(challenge::hex(&id))
            );
            prop_assert_eq!(
                challenge::verify(KEY, &token, nonce, issued_at + MAX_AGE_SECONDS + late),
                Err(ChallengeError::Expired)
            );
            prop_assert_eq!(
                challenge::verify(KEY, &token, nonce, issued_at - 61 - late % 100_000),
                Err(ChallengeError::Expired)
            );
            prop_assert!(challenge::verify(b"another key", &token, nonce, issued_at).is_err());

            let mut chars: Vec<char> = token.chars().collect();
            if flip_case {
                // The same hex digit in the other case: still "valid hex", but not what we
                // issued.
                let letters: Vec<usize> = (0..chars.len())
                    .filter(|i| chars[*i].is_ascii_alphabetic())
                    .collect();
                let at = letters[position.index(letters.len())];
                chars[at] = if chars[at].is_ascii_lowercase() {
                    chars[at].to_ascii_uppercase()
                } else {
                    chars[at].to_ascii_lowercase()
                };
            } else {
                let at = position.index(chars.len());
                prop_assume!(chars[at] != replacement);
                chars[at] = replacement;
            }
            let tampered: String = chars.into_iter().collect();
            // Do the work for the altered token too (bounded: an altered difficulty may ask
            // for more).
            let nonce = challenge::solve(&tampered, 0, 1 << 21).unwrap_or(nonce);
            let verdict = challenge::verify(KEY, &tampered, nonce, issued_at + age);
            prop_assert!(verdict.is_err(), "{} verified as {:?}", tampered, verdict);
            Ok(())
        },
    );
    if let Err(error) = result {
        panic!("{error}");
    }
}

#[test]
fn proptest_cases_replaces_the_bounded_count() {
    // The bounded counts above rely on this: without the variable a property runs the count
    // its configuration names; with it (`cargo xtask fuzz`), the variable's count.
    let asked = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok());
    let runs = std::sync::atomic::AtomicU32::new(0);
    proptest!(config(3), |(_byte in any::<u8>())| {
        runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(runs.into_inner(), asked.unwrap_or(3));
    assert_eq!(
        u64::from(scaled(24).cases),
        asked.map_or(24, |n| (u64::from(n) * 24 / 256).max(1))
    );
}
