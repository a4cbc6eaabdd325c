//! Hostile input through the real router: markup, bidi controls and emoji with zero-width
//! joiners in the free-text fields are accepted and stored exactly as typed (sealed or not),
//! 10 KB in a field is a 422 naming that field in both languages, and the catalogue serves
//! hostile text unchanged. (Bodies over the size limit: `form_tests` and `property_tests`.)

use guanai_core::Catalogue;
use guanai_core::challenge;
use serde_json::{Value, json};

use crate::applications::{ApplicationRecord, ContactDetails};
use crate::catalog;
use crate::crypto;
use crate::form_tests::{application_form, sign_up, signup_form};
use crate::http::{ApiRequest, ApiResponse};
use crate::signups::SignupRecord;
use crate::store::MemoryKv;
use crate::testing::{published, respond, secrets};
use guanai_core::wire::PersonalData;

/// Text a real person could paste (each 10 to 100 characters, as every free-text rule allows).
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\u{202E}gnp.exe\u{2067}社工服务中心\u{2069}",
    "👩\u{200D}👩\u{200D}👧\u{200D}👦 社工之家 🏳\u{FE0F}\u{200D}🌈",
    "=HYPERLINK(\"http://x\",\"点我\")",
];

fn ten_kb() -> String {
    "字".repeat(10 * 1024 / 3 + 1)
}

fn body(response: &ApiResponse) -> Value {
    serde_json::from_str(&response.body).unwrap()
}

/// The 422's field errors as `(field, code)`, each checked for both languages.
fn refused_fields(response: &ApiResponse) -> Vec<(String, String)> {
    assert_eq!(response.status, 422, "{}", response.body);
    let body = body(response);
    assert_eq!(body["error"]["code"], "validation");
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| {
            for language in ["zh", "en"] {
                assert!(
                    field["message"][language]
                        .as_str()
                        .is_some_and(|m| !m.is_empty()),
                    "{field}"
                );
            }
            (
                field["field"].as_str().unwrap().to_string(),
                field["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn signed_up_personal_data(kv: &MemoryKv, response: &ApiResponse) -> PersonalData {
    assert_eq!(response.status, 201, "{}", response.body);
    let reference = body(response)["reference"].as_str().unwrap().to_string();
    let key = format!("signup:beijing:{reference}");
    let record: SignupRecord = serde_json::from_str(&kv.value(&key).unwrap().value).unwrap();
    crypto::open_json(&secrets().personal_data, &key, &record.personal).unwrap()
}

#[test]
fn a_sign_up_stores_hostile_employers_exactly_as_typed() {
    for (i, text) in HOSTILE.iter().enumerate() {
        let kv = published();
        let mut form = signup_form();
        form["employer"] = json!(text);
        let response = sign_up(&kv, &format!("hostile-signup-{i}"), form, 40 + i as u8);
        assert_eq!(signed_up_personal_data(&kv, &response).employer, *text);
    }
}

#[test]
fn a_hostile_name_is_a_field_error_not_a_failure() {
    let kv = published();
    let mut form = signup_form();
    form["name"] = json!(HOSTILE[0]);
    let response = sign_up(&kv, "hostile-name-1", form, 50);
    assert_eq!(
        refused_fields(&response),
        [("name".to_string(), "invalid_name".to_string())]
    );
}

#[test]
fn ten_kilobytes_in_a_sign_up_field_is_a_422_naming_it() {
    for (i, (field, code)) in [
        ("name", "invalid_name"),
        ("mobile", "invalid_mobile"),
        ("region", "invalid_region"),
        ("employer", "invalid_text"),
        ("certificate_number", "invalid_certificate"),
    ]
    .into_iter()
    .enumerate()
    {
        let kv = published();
        let mut form = signup_form();
        form[field] = json!(ten_kb());
        let response = sign_up(&kv, &format!("huge-signup-{i}"), form, 60 + i as u8);
        assert_eq!(
            refused_fields(&response),
            [(field.to_string(), code.to_string())]
        );
        assert!(kv.keys("signup").is_empty());
    }
}

/// POSTs a partner application with a freshly solved challenge.
fn apply_with(kv: &MemoryKv, key: &str, form: Value, entropy: u8) -> ApiResponse {
    let issued = respond(ApiRequest::new("GET", "/v1/challenge"), kv);
    let token = body(&issued)["token"].as_str().unwrap().to_string();
    let nonce = challenge::solve(&token, 0, u64::MAX).unwrap();
    let envelope = json!({"form": form, "challenge": {"token": token, "nonce": nonce}, "website": "", "elapsed_ms": 15_000});
    let request = ApiRequest::new("POST", "/v1/partner-applications")
        .with_header("Idempotency-Key", key)
        .with_header("CF-Connecting-IP", &format!("203.0.113.{entropy}"))
        .with_body(envelope.to_string());
    respond(request, kv)
}

#[test]
fn an_application_stores_hostile_text_exactly_as_typed() {
    for (i, text) in HOSTILE.iter().enumerate() {
        let kv = published();
        let mut form = application_form();
        form["company"] = json!(text);
        form["offers"][0]["description"] = json!(text);
        form["message"] = json!(text);
        let response = apply_with(&kv, &format!("hostile-apply-{i}"), form, 70 + i as u8);
        assert_eq!(response.status, 201, "{}", response.body);
        let reference = body(&response)["reference"].as_str().unwrap().to_string();
        let key = format!("application:{reference}");
        let record: ApplicationRecord =
            serde_json::from_str(&kv.value(&key).unwrap().value).unwrap();
        assert_eq!(record.company, *text);
        assert_eq!(record.offers[0].description, *text);
        let contact: ContactDetails =
            crypto::open_json(&secrets().personal_data, &key, &record.contact).unwrap();
        assert_eq!(contact.message, *text);
    }
}

#[test]
fn ten_kilobytes_in_an_application_field_is_a_422_naming_it() {
    for (i, (path, field, code)) in [
        ("/company", "company", "invalid_text"),
        ("/credit_code", "credit_code", "invalid_credit_code"),
        ("/contact_person", "contact_person", "invalid_name"),
        ("/mobile", "mobile", "invalid_mobile"),
        ("/email", "email", "invalid_email"),
        (
            "/offers/0/description",
            "offers[0].description",
            "invalid_description",
        ),
        ("/message", "message", "invalid_text"),
    ]
    .into_iter()
    .enumerate()
    {
        let kv = published();
        let mut form = application_form();
        *form.pointer_mut(path).unwrap() = json!(ten_kb());
        let response = apply_with(&kv, &format!("huge-apply-{i}"), form, 80 + i as u8);
        assert_eq!(
            refused_fields(&response),
            [(field.to_string(), code.to_string())]
        );
        assert!(kv.keys("application").is_empty());
    }
}

#[test]
fn the_catalogue_serves_hostile_text_exactly_as_published() {
    for text in HOSTILE {
        let mut catalogue = guanai_core::demo::programme();
        catalogue.version = "hostile".into();
        catalogue.partners[0].name.zh = text.to_string();
        catalogue.partners[0].locations[0].address.en = text.to_string();
        catalogue.benefits[0].title.en = text.to_string();
        catalogue.benefits[0].description.zh = text.to_string();
        catalogue.benefits[0].how_to_redeem.en = text.to_string();
        let kv = MemoryKv::new();
        for entry in catalog::publish_entries(&catalogue).unwrap() {
            kv.insert(
                &entry.key,
                &entry.value,
                Some(serde_json::to_value(entry.metadata).unwrap()),
            );
        }
        let response = respond(ApiRequest::new("GET", "/v1/catalog"), &kv);
        assert_eq!(response.status, 200);
        let served: Catalogue = serde_json::from_str(&response.body).unwrap();
        assert_eq!(served, catalogue);
    }
}
