//! Hostile input in every free-text field: markup, bidi controls, emoji with zero-width joiners
//! and formula-like text are what people (and attackers) type. Free text is accepted and kept
//! exactly as typed — escaping is the renderer's job (Leptos text nodes, JSON, the CSV export's
//! formula guard) — and 10 KB of it is refused with a field-level message in both languages.

use guanai_core::application::{self, OfferedBenefit, PartnerApplication};
use guanai_core::consent::{ApplicationConsents, NOTICE_VERSION, SignupConsents};
use guanai_core::signup::{self, SignupForm};
use guanai_core::validate::{self, FieldError};
use guanai_core::{
    Association, Award, Catalogue, Location, QualificationLevel, ServiceArea, Text, demo, import,
};

/// Text a real person could paste, each at least 10 characters (the shortest free-text rule)
/// and at most 100 (the longest name-like rule).
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    // Right-to-left override, right-to-left isolate, pop directional isolate.
    "\u{202E}gnp.exe\u{2067}社工服务中心\u{2069}",
    // Family and rainbow flag: emoji joined with U+200D, with a variation selector.
    "👩\u{200D}👩\u{200D}👧\u{200D}👦 社工之家 🏳\u{FE0F}\u{200D}🌈",
    "=HYPERLINK(\"http://x\",\"点我\")",
    "'; DROP TABLE partners; -- {{7*7}} ${7*7}",
];

/// Sets one field of a form to a text.
type Setter<F> = fn(&mut F, String);

/// 10 KB of text (3 bytes per character in UTF-8).
fn ten_kb() -> String {
    "字".repeat(10 * 1024 / 3 + 1)
}

fn signup() -> SignupForm {
    SignupForm {
        name: "张晓明".into(),
        mobile: "13812345678".into(),
        association: Some(Association::Beijing),
        region: "110105".into(),
        employer: "朝阳区社会工作服务中心".into(),
        level: Some(QualificationLevel::Intermediate),
        certificate_number: "ZS2023-0001".into(),
        interests: vec![ServiceArea::Career],
        contact_time: None,
        consents: SignupConsents {
            notice_version: NOTICE_VERSION.into(),
            privacy: true,
            cross_border: true,
            health: false,
            partners: vec![],
        },
    }
}

fn application() -> PartnerApplication {
    PartnerApplication {
        company: "北京示例健康科技有限公司".into(),
        credit_code: "91110000802100433B".into(),
        contact_person: "李娜".into(),
        mobile: "13900001111".into(),
        email: "lina@example.com".into(),
        offers: vec![OfferedBenefit {
            area: Some(ServiceArea::Health),
            description: "社工凭证书享受年度体检八折优惠。".into(),
            regions: vec![],
        }],
        message: String::new(),
        consents: ApplicationConsents {
            notice_version: NOTICE_VERSION.into(),
            privacy: true,
            cross_border: true,
        },
    }
}

/// The one error for `field`, in both languages.
fn only_error_for(errors: &[FieldError], field: &str) -> FieldError {
    assert_eq!(
        errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        [field],
        "{errors:?}"
    );
    let error = errors[0].clone();
    assert!(
        !error.message.zh.trim().is_empty() && !error.message.en.trim().is_empty(),
        "{error:?}"
    );
    error
}

#[test]
fn the_employer_keeps_hostile_text_exactly_as_typed() {
    for text in HOSTILE {
        let form = SignupForm {
            employer: text.to_string(),
            ..signup()
        };
        let valid = signup::validate(&form, |_| false).expect(text);
        assert_eq!(valid.employer, *text);
    }
}

#[test]
fn names_are_not_free_text_and_say_so_in_both_languages() {
    // A name allows letters of any script, spaces and `·-.'` (by design, see signup.rs):
    // markup, bidi controls and emoji are refused with a clear message, never mangled.
    for text in HOSTILE {
        let form = SignupForm {
            name: text.to_string(),
            ..signup()
        };
        let errors = signup::validate(&form, |_| false).expect_err(text);
        assert_eq!(only_error_for(&errors, "name").code, "invalid_name");
        let form = PartnerApplication {
            contact_person: text.to_string(),
            ..application()
        };
        let errors = application::validate(&form).expect_err(text);
        assert_eq!(
            only_error_for(&errors, "contact_person").code,
            "invalid_name"
        );
    }
}

#[test]
fn ten_kilobytes_in_any_signup_field_is_a_field_error() {
    let huge = ten_kb();
    let cases: [(&str, Setter<SignupForm>); 5] = [
        ("name", |f, t| f.name = t),
        ("mobile", |f, t| f.mobile = t),
        ("region", |f, t| f.region = t),
        ("employer", |f, t| f.employer = t),
        ("certificate_number", |f, t| f.certificate_number = t),
    ];
    for (field, set) in cases {
        let mut form = signup();
        set(&mut form, huge.clone());
        let errors = signup::validate(&form, |_| false).expect_err(field);
        only_error_for(&errors, field);
    }
    let mut form = signup();
    form.employer = huge;
    let error = only_error_for(&signup::validate(&form, |_| false).unwrap_err(), "employer");
    assert!(error.message.en.contains("too long"), "{error:?}");
}

#[test]
fn the_application_keeps_hostile_text_exactly_as_typed() {
    for text in HOSTILE {
        let mut form = application();
        form.company = text.to_string();
        form.offers[0].description = text.to_string();
        form.message = text.to_string();
        let valid = application::validate(&form).expect(text);
        assert_eq!(valid.company, *text);
        assert_eq!(valid.offers[0].description, *text);
        assert_eq!(valid.message, *text);
    }
}

#[test]
fn ten_kilobytes_in_any_application_field_is_a_field_error() {
    let huge = ten_kb();
    let cases: [(&str, Setter<PartnerApplication>); 8] = [
        ("company", |f, t| f.company = t),
        ("credit_code", |f, t| f.credit_code = t),
        ("contact_person", |f, t| f.contact_person = t),
        ("mobile", |f, t| f.mobile = t),
        ("email", |f, t| f.email = t),
        ("offers[0].description", |f, t| f.offers[0].description = t),
        ("offers[0].regions", |f, t| f.offers[0].regions = vec![t]),
        ("message", |f, t| f.message = t),
    ];
    for (field, set) in cases {
        let mut form = application();
        set(&mut form, huge.clone());
        let errors = application::validate(&form).expect_err(field);
        only_error_for(&errors, field);
    }
}

/// The demo programme with `text` in every free-text field of its first partner and benefit.
fn catalogue_with(text: &str) -> Catalogue {
    let mut catalogue = demo::programme();
    let both = Text::new(text, text);
    let partner = &mut catalogue.partners[0];
    partner.name = both.clone();
    partner.contact.phone = Some(text.into());
    partner.contact.website = Some(text.into());
    partner.awards.push(Award {
        year: 2026,
        title: both.clone(),
    });
    let location: &mut Location = &mut partner.locations[0];
    location.name = Some(both.clone());
    location.address = both.clone();
    let benefit = &mut catalogue.benefits[0];
    benefit.title = both.clone();
    benefit.description = both.clone();
    benefit.how_to_redeem = both;
    catalogue
}

#[test]
fn the_catalogue_keeps_hostile_text_exactly_as_typed() {
    for text in HOSTILE {
        let catalogue = catalogue_with(text);
        assert_eq!(validate::catalogue(&catalogue), Ok(()), "{text}");
        let json = serde_json::to_string(&catalogue).unwrap();
        let back: Catalogue = serde_json::from_str(&json).unwrap();
        assert_eq!(back, catalogue);
        assert_eq!(back.benefits[0].description.en, *text);
    }
}

#[test]
fn ten_kilobytes_in_the_catalogue_never_breaks_it() {
    // The catalogue's rules set no length limits (staff texts are bounded only by the admin
    // API's body limit), so 10 KB passes. Should limits come, refusals must stay field-level
    // and bilingual.
    let catalogue = catalogue_with(&ten_kb());
    if let Err(errors) = validate::catalogue(&catalogue) {
        for error in errors {
            assert!(
                error.field.starts_with("partners[0].") || error.field.starts_with("benefits[0]."),
                "{error:?}"
            );
            assert!(!error.message.zh.is_empty() && !error.message.en.is_empty());
        }
    }
}

#[test]
fn csv_imports_keep_hostile_cells_exactly_as_typed() {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(import::BENEFIT_COLUMNS).unwrap();
    for (i, text) in HOSTILE.iter().enumerate() {
        let id = format!("hostile-{i}");
        let mut row: Vec<&str> = vec![&id, "weier-dental", "health"];
        row.extend([*text; 4]);
        row.extend(["", "", "", ""]);
        row.extend([*text; 2]);
        writer.write_record(row).unwrap();
    }
    let benefits =
        import::benefits(&String::from_utf8(writer.into_inner().unwrap()).unwrap()).unwrap();
    for (benefit, text) in benefits.iter().zip(HOSTILE) {
        for field in [&benefit.title, &benefit.description, &benefit.how_to_redeem] {
            assert_eq!((field.zh.as_str(), field.en.as_str()), (*text, *text));
        }
    }
}
