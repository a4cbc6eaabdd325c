//! The catalogue as Open Referral HSDS 3.0 JSON, so other directories (211 services, city
//! portals, researchers) can take in the programme's partners and offers.
//!
//! Mapping: partner → `organization`; benefit → `service` (of its partner); partner location →
//! `location` (physical, WGS-84, with its address); each benefit at each of its partner's
//! locations where the benefit applies → `service_at_location`. Chinese is the primary
//! language; English goes to `alternate_name`. HSDS ids are UUIDs: ours are derived from the
//! catalogue ids (SHA-256, formatted as RFC 9562 version 8), so they are stable across exports.

use chrono::NaiveDate;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::model::Catalogue;
use crate::regions;

/// A stable UUID (version 8, RFC 9562 variant) for `kind` + `id`.
pub fn uuid(kind: &str, id: &str) -> String {
    let digest = Sha256::digest(format!("guanai:{kind}:{id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex = crate::challenge::hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `value` without its fields that are `null`: HSDS types optional fields as strings, so an
/// absent email, website or date is left out rather than written as `null`.
fn without_nulls(mut value: Value) -> Value {
    if let Some(fields) = value.as_object_mut() {
        fields.retain(|_, field| !field.is_null());
    }
    value
}

/// The four HSDS tables of `catalogue`; offers not valid on `today` are `inactive`.
pub fn export(catalogue: &Catalogue, today: NaiveDate) -> Value {
    let organizations: Vec<Value> = catalogue
        .partners
        .iter()
        .map(|partner| {
            without_nulls(json!({
                "id": uuid("organization", &partner.id),
                "name": partner.name.zh,
                "alternate_name": partner.name.en,
                "description": format!("{}（{}）", partner.kind.label().zh, partner.kind.label().en),
                "email": partner.contact.email,
                "website": partner.contact.website,
                "phones": partner.contact.phone.iter().map(|number| json!({
                    "id": uuid("phone", &format!("{}:{number}", partner.id)),
                    "number": number,
                })).collect::<Vec<_>>(),
            }))
        })
        .collect();
    let mut locations = Vec::new();
    for partner in &catalogue.partners {
        for location in &partner.locations {
            let region = regions::find(&location.region);
            let province = region.and_then(|r| regions::find(r.province()));
            locations.push(json!({
                "id": uuid("location", &location.id),
                "location_type": "physical",
                "organization_id": uuid("organization", &partner.id),
                "name": location.name.as_ref().map(|n| n.zh.clone()).unwrap_or_else(|| partner.name.zh.clone()),
                "alternate_name": location.name.as_ref().map(|n| n.en.clone()).unwrap_or_else(|| partner.name.en.clone()),
                "latitude": location.lat,
                "longitude": location.lon,
                "addresses": [{
                    "id": uuid("address", &location.id),
                    "location_id": uuid("location", &location.id),
                    "address_type": "physical",
                    "address_1": location.address.zh,
                    "city": region.map(|r| r.name_zh).unwrap_or_default(),
                    "state_province": province.map(|p| p.name_zh).unwrap_or_default(),
                    "region": location.region,
                    "postal_code": "",
                    "country": "CN",
                }],
            }));
        }
    }
    let mut services = Vec::new();
    let mut service_at_locations = Vec::new();
    for benefit in &catalogue.benefits {
        let Some(partner) = catalogue.partner(&benefit.partner) else {
            continue;
        };
        services.push(without_nulls(json!({
            "id": uuid("service", &benefit.id),
            "organization_id": uuid("organization", &partner.id),
            "name": benefit.title.zh,
            "alternate_name": benefit.title.en,
            "description": benefit.description.zh,
            "application_process": benefit.how_to_redeem.zh,
            "status": if benefit.is_valid_on(today) { "active" } else { "inactive" },
            "start_date": benefit.valid_from.map(crate::time::iso_date),
            "end_date": benefit.valid_until.map(crate::time::iso_date),
            "eligibility_description": if benefit.eligible_levels.is_empty() {
                "所有社会工作者".to_string()
            } else {
                benefit.eligible_levels.iter().map(|l| l.label().zh).collect::<Vec<_>>().join("、")
            },
            "categories": [benefit.area.code()],
        })));
        for location in &partner.locations {
            let applies = benefit.regions.is_empty()
                || benefit
                    .regions
                    .iter()
                    .any(|r| regions::overlaps(&location.region, r));
            if applies {
                service_at_locations.push(json!({
                    "id": uuid("service_at_location", &format!("{}@{}", benefit.id, location.id)),
                    "service_id": uuid("service", &benefit.id),
                    "location_id": uuid("location", &location.id),
                }));
            }
        }
    }
    json!({
        "organizations": organizations,
        "services": services,
        "locations": locations,
        "service_at_locations": service_at_locations,
        "version": catalogue.version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn ids(value: &Value, table: &str) -> HashSet<String> {
        value[table]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn the_demo_exports_as_four_consistent_tables() {
        let catalogue = crate::demo::programme();
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let hsds = export(&catalogue, today);
        let (orgs, services, locations) = (
            ids(&hsds, "organizations"),
            ids(&hsds, "services"),
            ids(&hsds, "locations"),
        );
        assert_eq!(orgs.len(), catalogue.partners.len());
        assert_eq!(services.len(), catalogue.benefits.len());
        assert_eq!(locations.len(), 10);
        for service in hsds["services"].as_array().unwrap() {
            assert!(orgs.contains(service["organization_id"].as_str().unwrap()));
            assert!(["active", "inactive"].contains(&service["status"].as_str().unwrap()));
            assert!(!service["name"].as_str().unwrap().is_empty());
        }
        let links = hsds["service_at_locations"].as_array().unwrap();
        assert!(
            links.len() >= catalogue.benefits.len() - 1,
            "{}",
            links.len()
        );
        for link in links {
            assert!(services.contains(link["service_id"].as_str().unwrap()));
            assert!(locations.contains(link["location_id"].as_str().unwrap()));
        }
        let first = &hsds["locations"][0];
        assert_eq!(first["location_type"], "physical");
        assert_eq!(first["addresses"][0]["country"], "CN");
        assert!(first["latitude"].as_f64().unwrap() > 39.0);
        // The same catalogue exports the same ids.
        assert_eq!(export(&catalogue, today), hsds);
    }

    #[test]
    fn ids_are_stable_rfc_9562_uuids() {
        let id = uuid("service", "weier-dental-checkup");
        assert_eq!(id.len(), 36);
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('8'), "version 8: {id}");
        assert!(
            matches!(parts[3].chars().next(), Some('8' | '9' | 'a' | 'b')),
            "variant: {id}"
        );
        assert_eq!(uuid("service", "weier-dental-checkup"), id);
        assert_ne!(uuid("location", "weier-dental-checkup"), id);
    }
}
