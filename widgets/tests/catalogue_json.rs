//! The catalogue reader (`catalogue_json`) against what the contract's serde derives write: in a
//! real browser, every catalogue serde serialises must come back equal, field for field, and
//! anything that is not a catalogue must be refused rather than half-read.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use guanai_core::model::{Award, Contact, Location, PartnerKind};
use guanai_core::{Catalogue, QualificationLevel, ServiceArea, Text};
use guanai_widgets::catalogue_json::{Unreadable, parse};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn round_trip(catalogue: &Catalogue) {
    let json = serde_json::to_string(catalogue).unwrap();
    assert_eq!(parse(&json).as_ref(), Ok(catalogue));
}

#[wasm_bindgen_test]
fn the_demo_programme_and_generated_catalogues_read_back_equal() {
    round_trip(&guanai_core::demo::programme());
    round_trip(&guanai_core::synthetic::catalogue(1_000));
}

/// Every optional field filled (and every code of every code list used), then every one left out.
#[wasm_bindgen_test]
fn every_field_present_or_absent_reads_back_equal() {
    let mut full = guanai_core::demo::programme();
    let nasty = "<script>alert(1)</script> \u{202E}&\"'\\ 👩‍👩‍👧 \n\t口腔";
    let partner = &mut full.partners[0];
    partner.name = Text::new(nasty, nasty);
    partner.contact = Contact {
        phone: Some("010-12345678".into()),
        email: Some("a@b.example".into()),
        website: Some("https://b.example/?q=1&r=2".into()),
    };
    partner.awards = vec![Award::caring_unit(2020), Award::caring_unit(2026)];
    partner.locations.push(Location {
        id: "extra".into(),
        name: Some(Text::new("分店", "Branch")),
        address: Text::new("地址", ""),
        region: "130600".into(),
        lat: -0.000_001,
        lon: 179.999_999_9,
    });
    let partners = full.partners.len();
    for (index, kind) in PartnerKind::ALL.iter().enumerate() {
        full.partners[index % partners].kind = *kind;
    }
    let benefit = &mut full.benefits[0];
    benefit.eligible_levels = QualificationLevel::ALL.to_vec();
    benefit.regions = vec!["110000".into(), "120101".into()];
    benefit.valid_from = chrono::NaiveDate::from_ymd_opt(2026, 2, 28);
    benefit.valid_until = chrono::NaiveDate::from_ymd_opt(2028, 2, 29);
    for (area, benefit) in ServiceArea::ALL.iter().zip(full.benefits.iter_mut()) {
        benefit.area = *area;
    }
    full.sample = true;
    full.readings.insert(nasty.into(), "  kou qiang".into());
    full.readings
        .insert("重庆".into(), "chong,zhong qing".into());
    round_trip(&full);

    let mut bare = full.clone();
    bare.sample = false;
    bare.readings.clear();
    for partner in &mut bare.partners {
        partner.locations.clear();
        partner.awards.clear();
        partner.contact = Contact::default();
    }
    for benefit in &mut bare.benefits {
        benefit.regions.clear();
        benefit.eligible_levels.clear();
        benefit.valid_from = None;
        benefit.valid_until = None;
    }
    round_trip(&bare);
}

/// What serde's `#[serde(default)]` allows to be left out entirely is read as its default.
#[wasm_bindgen_test]
fn left_out_defaults_read_as_serde_reads_them() {
    let json = r#"{"version":"v","published_at":"2026-11-30T12:00:00Z","benefits":[],
        "partners":[{"id":"p","name":{"zh":"甲","en":"A"},"kind":"hotel","unknown":1}]}"#;
    let catalogue = parse(json).unwrap();
    let by_serde: Catalogue = serde_json::from_str(json).unwrap();
    assert_eq!(catalogue, by_serde);
}

#[wasm_bindgen_test]
fn anything_else_is_refused_whole() {
    let good = serde_json::to_value(guanai_core::demo::programme()).unwrap();
    let broken = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut value = good.clone();
        change(&mut value);
        parse(&value.to_string())
    };
    for (what, result) in [
        ("not JSON", parse("{\"version\":")),
        ("an array", parse("[]")),
        (
            "no version",
            broken(&|v| drop(v.as_object_mut().unwrap().remove("version"))),
        ),
        (
            "a bad instant",
            broken(&|v| v["published_at"] = "yesterday".into()),
        ),
        (
            "an unknown area",
            broken(&|v| v["benefits"][0]["area"] = "spa".into()),
        ),
        (
            "an unknown kind",
            broken(&|v| v["partners"][0]["kind"] = "Hotel".into()),
        ),
        (
            "a bad date",
            broken(&|v| v["benefits"][0]["valid_until"] = "2026-02-30".into()),
        ),
        (
            "a number as text",
            broken(&|v| v["benefits"][0]["title"]["zh"] = 1.into()),
        ),
        (
            "text as a number",
            broken(&|v| v["partners"][0]["locations"][0]["lat"] = "39.9".into()),
        ),
        (
            "a list as an object",
            broken(&|v| v["benefits"][0]["regions"] = serde_json::json!({})),
        ),
        (
            "a fractional year",
            broken(&|v| {
                v["partners"][0]["awards"] =
                    serde_json::json!([{"year": 2020.5, "title": {"zh": "甲", "en": "A"}}])
            }),
        ),
    ] {
        assert_eq!(result, Err(Unreadable), "{what}");
    }
}
