//! The published catalogue, parsed by the browser (`JSON.parse`) and read into the domain's
//! types here.
//!
//! Why not serde: the catalogue's serde deserialisers are the largest code a catalogue widget
//! ships — measured, 31.7 KB of the finder bundle's 109.6 KB brotli with `serde_json`, 28 KB
//! with `serde-wasm-bindgen` (the derived visitors are the weight, not the JSON parser). The
//! browser parses JSON natively; walking the parsed object costs a few KB. The contract stays
//! defined once, by `guanai_core::model`'s serde derives: the browser tests read what serde
//! writes for the demo programme, generated catalogues and hostile text, and check it comes
//! back equal, field for field.
//!
//! Reading follows serde's rules for these types: a missing `#[serde(default)]` field is its
//! default, a missing optional field is `None`, unknown fields are ignored, and a missing or
//! mistyped required field makes the whole catalogue unreadable.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use guanai_core::model::{Award, Benefit, Catalogue, Contact, Location, Partner, PartnerKind};
use guanai_core::{QualificationLevel, ServiceArea, Text};
use wasm_bindgen::{JsCast, JsValue};

/// The catalogue could not be read: not JSON, or not a catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

type Read<T> = Result<T, Unreadable>;

/// Parses `json` as a catalogue.
pub fn parse(json: &str) -> Read<Catalogue> {
    let value = js_sys::JSON::parse(json).map_err(|_| Unreadable)?;
    catalogue(&Object::of(value)?)
}

/// A JSON object as the browser parsed it.
struct Object(JsValue);

impl Object {
    fn of(value: JsValue) -> Read<Object> {
        if value.is_object() && !js_sys::Array::is_array(&value) {
            Ok(Object(value))
        } else {
            Err(Unreadable)
        }
    }

    /// The field `key`; `None` when it is missing or `null` (as serde reads an `Option`).
    fn field(&self, key: &str) -> Option<JsValue> {
        let value = js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    fn required(&self, key: &str) -> Read<JsValue> {
        self.field(key).ok_or(Unreadable)
    }

    fn string(&self, key: &str) -> Read<String> {
        self.required(key)?.as_string().ok_or(Unreadable)
    }

    fn optional_string(&self, key: &str) -> Read<Option<String>> {
        self.field(key)
            .map(|value| value.as_string().ok_or(Unreadable))
            .transpose()
    }

    fn number(&self, key: &str) -> Read<f64> {
        self.required(key)?.as_f64().ok_or(Unreadable)
    }

    fn object(&self, key: &str) -> Read<Object> {
        Object::of(self.required(key)?)
    }

    fn text(&self, key: &str) -> Read<Text> {
        text(&self.object(key)?)
    }

    /// A `#[serde(default)]` list: missing means empty.
    fn list<T>(&self, key: &str, item: impl Fn(JsValue) -> Read<T>) -> Read<Vec<T>> {
        let Some(value) = self.field(key) else {
            return Ok(Vec::new());
        };
        if !js_sys::Array::is_array(&value) {
            return Err(Unreadable);
        }
        js_sys::Array::from(&value).iter().map(item).collect()
    }

    fn date(&self, key: &str) -> Read<Option<NaiveDate>> {
        self.optional_string(key)?
            .map(|text| guanai_core::time::parse_iso_date(&text).ok_or(Unreadable))
            .transpose()
    }
}

fn code<T: std::str::FromStr>(value: JsValue) -> Read<T> {
    value
        .as_string()
        .and_then(|code| code.parse().ok())
        .ok_or(Unreadable)
}

fn text(object: &Object) -> Read<Text> {
    Ok(Text {
        zh: object.string("zh")?,
        en: object.string("en")?,
    })
}

fn catalogue(object: &Object) -> Read<Catalogue> {
    Ok(Catalogue {
        version: object.string("version")?,
        published_at: guanai_core::time::parse_rfc3339(&object.string("published_at")?)
            .ok_or(Unreadable)?,
        sample: match object.field("sample") {
            None => false,
            Some(value) => value.as_bool().ok_or(Unreadable)?,
        },
        partners: object.list("partners", |value| partner(&Object::of(value)?))?,
        benefits: object.list("benefits", |value| benefit(&Object::of(value)?))?,
        readings: match object.field("readings") {
            None => BTreeMap::new(),
            Some(value) => readings(&Object::of(value)?)?,
        },
    })
}

/// `readings`: text → reading, both strings. Inserted one by one: collecting would sort the
/// pairs first, and that sort's code was ≈ 4 KB of the finder's wasm (1.7 KB brotli).
fn readings(object: &Object) -> Read<BTreeMap<String, String>> {
    let mut readings = BTreeMap::new();
    for entry in js_sys::Object::entries(object.0.unchecked_ref()).iter() {
        let entry = js_sys::Array::from(&entry);
        let text = entry.get(0).as_string().ok_or(Unreadable)?;
        let reading = entry.get(1).as_string().ok_or(Unreadable)?;
        readings.insert(text, reading);
    }
    Ok(readings)
}

fn partner(object: &Object) -> Read<Partner> {
    let contact = match object.field("contact") {
        None => Contact::default(),
        Some(value) => {
            let contact = Object::of(value)?;
            Contact {
                phone: contact.optional_string("phone")?,
                email: contact.optional_string("email")?,
                website: contact.optional_string("website")?,
            }
        }
    };
    Ok(Partner {
        id: object.string("id")?,
        name: object.text("name")?,
        kind: PartnerKind::from_code(&object.string("kind")?).ok_or(Unreadable)?,
        locations: object.list("locations", |value| location(&Object::of(value)?))?,
        contact,
        awards: object.list("awards", |value| {
            let award = Object::of(value)?;
            let year = award.number("year")?;
            Ok(Award {
                year: (year.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&year))
                    .then_some(year as u16)
                    .ok_or(Unreadable)?,
                title: award.text("title")?,
            })
        })?,
    })
}

fn location(object: &Object) -> Read<Location> {
    Ok(Location {
        id: object.string("id")?,
        name: object
            .field("name")
            .map(|name| text(&Object::of(name)?))
            .transpose()?,
        address: object.text("address")?,
        region: object.string("region")?,
        lat: object.number("lat")?,
        lon: object.number("lon")?,
    })
}

fn benefit(object: &Object) -> Read<Benefit> {
    Ok(Benefit {
        id: object.string("id")?,
        partner: object.string("partner")?,
        area: code::<ServiceArea>(object.required("area")?)?,
        title: object.text("title")?,
        description: object.text("description")?,
        regions: object.list("regions", |value| value.as_string().ok_or(Unreadable))?,
        eligible_levels: object.list("eligible_levels", code::<QualificationLevel>)?,
        valid_from: object.date("valid_from")?,
        valid_until: object.date("valid_until")?,
        how_to_redeem: object.text("how_to_redeem")?,
    })
}
