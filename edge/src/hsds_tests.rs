//! The HSDS export (`GET /v1/admin/catalog/hsds.json`) against Open Referral's own HSDS 3.0
//! JSON schemas, vendored in `edge/hsds-schema/` (see its SOURCE.md): every organization,
//! service, location and service-at-location of the export must validate, formats included.
//! Our reading of the specification is not the test; the publisher's schema files are.

use std::path::Path;

use jsonschema::{Registry, Resource};
use serde_json::{Value, json};

use crate::http::ApiRequest;
use crate::testing::{NOW_MS, as_signed, login, published_with, send, staffed};

/// Where the schema files are registered; they `$ref` each other by file name beside it.
const BASE: &str = "https://specs.openreferral.org/hsds/3.0/schema/";

/// Every vendored schema file, registered under [`BASE`].
fn registry() -> Registry<'static> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("hsds-schema");
    let mut resources = Vec::new();
    for entry in std::fs::read_dir(&folder).expect("edge/hsds-schema") {
        let path = entry.expect("a schema file").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("readable");
            let schema: Value = serde_json::from_str(&text).expect("a schema is JSON");
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            resources.push((format!("{BASE}{name}"), Resource::from_contents(schema)));
        }
    }
    assert!(resources.len() >= 15, "the HSDS schema files are vendored");
    Registry::new()
        .extend(resources)
        .expect("the schemas register")
        .prepare()
        .expect("the schemas resolve")
}

/// The problems of each row of `table` against schema `file`.
fn problems(registry: &Registry, export: &Value, table: &str, file: &str) -> Vec<String> {
    let validator = jsonschema::draft202012::options()
        .with_registry(registry)
        .should_validate_formats(true)
        .build(&json!({ "$ref": format!("{BASE}{file}") }))
        .unwrap_or_else(|error| panic!("{file} does not compile: {error}"));
    let rows = export[table].as_array().expect("a table of the export");
    assert!(!rows.is_empty(), "{table} is empty: nothing was checked");
    rows.iter()
        .enumerate()
        .flat_map(|(i, row)| {
            validator
                .iter_errors(row)
                .map(move |e| format!("{table}[{i}]{}: {e}", e.instance_path()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn export_of(kv: &crate::store::MemoryKv) -> Value {
    let viewer = login(kv, "tj.viewer", 3);
    let request = as_signed(
        ApiRequest::new("GET", "/v1/admin/catalog/hsds.json"),
        &viewer,
    );
    let response = send(kv, request, NOW_MS, 9);
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("the export is JSON")
}

/// The demo programme, and a catalogue with every optional field empty (no email, website,
/// phone, dates or English), both validate in full.
#[test]
fn the_hsds_export_validates_against_open_referrals_own_schemas() {
    let registry = registry();
    let mut sparse = guanai_core::demo::programme();
    for partner in &mut sparse.partners {
        partner.contact = Default::default();
    }
    for benefit in &mut sparse.benefits {
        benefit.valid_from = None;
        benefit.valid_until = None;
    }
    for catalogue in [guanai_core::demo::programme(), sparse] {
        let kv = staffed();
        published_with(&kv, &catalogue);
        let export = export_of(&kv);
        let mut all = Vec::new();
        for (table, file) in [
            ("organizations", "organization.json"),
            ("services", "service.json"),
            ("locations", "location.json"),
            ("service_at_locations", "service_at_location.json"),
        ] {
            all.extend(problems(&registry, &export, table, file));
        }
        assert!(all.is_empty(), "{}", all.join("\n"));
    }
}
