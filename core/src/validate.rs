//! The one rule-set. Whatever the browser checks, the worker checks again with the same code.
//!
//! Problems are reported per field, with a stable machine code and a message in both languages,
//! so every layer (API error body, admin form, widget) can show them without translating again.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::model::{Catalogue, Text};
use crate::regions;

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field, e.g. `benefits[3].title.en`.
    pub field: String,
    /// Stable code, e.g. `required`, `unknown_region`.
    pub code: String,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, zh: &str, en: &str) -> FieldError {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: Text::new(zh, en),
        }
    }
}

/// Collects field errors as a check walks a value.
#[derive(Default)]
struct Report(Vec<FieldError>);

impl Report {
    fn text(&mut self, field: &str, text: &Text) {
        if text.zh.trim().is_empty() {
            self.0.push(FieldError::new(
                format!("{field}.zh"),
                "required",
                "请填写中文内容。",
                "The Chinese text is required.",
            ));
        }
        if text.en.trim().is_empty() {
            self.0.push(FieldError::new(
                format!("{field}.en"),
                "required",
                "请填写英文内容。",
                "The English text is required.",
            ));
        }
    }

    fn id(&mut self, field: &str, id: &str, seen: &mut HashSet<String>) {
        let well_formed = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            self.0.push(FieldError::new(
                field,
                "invalid_id",
                "编号只能由小写字母、数字和连字符组成（最长64个字符）。",
                "An id may only contain lower-case letters, digits and hyphens (64 at most).",
            ));
        } else if !seen.insert(id.to_string()) {
            self.0.push(FieldError::new(
                field,
                "duplicate_id",
                "编号重复。",
                "This id is already used.",
            ));
        }
    }

    fn region(&mut self, field: &str, code: &str) {
        if regions::find(code).is_none() {
            self.0.push(FieldError::new(
                field,
                "unknown_region",
                "地区代码不在京津冀范围内（应为GB/T 2260六位代码）。",
                "Not a Jing-Jin-Ji region code (expected a six-digit GB/T 2260 code).",
            ));
        }
    }
}

/// Checks a catalogue before it is published: unique well-formed ids, both languages present,
/// known regions, real coordinates, benefits pointing at existing partners, sane date ranges.
pub fn catalogue(catalogue: &Catalogue) -> Result<(), Vec<FieldError>> {
    let mut report = Report::default();
    if catalogue.version.trim().is_empty() {
        report.0.push(FieldError::new(
            "version",
            "required",
            "缺少版本号。",
            "The version is required.",
        ));
    }
    let mut partner_ids = HashSet::new();
    let mut location_ids = HashSet::new();
    for (i, partner) in catalogue.partners.iter().enumerate() {
        let at = format!("partners[{i}]");
        report.id(&format!("{at}.id"), &partner.id, &mut partner_ids);
        report.text(&format!("{at}.name"), &partner.name);
        for (j, location) in partner.locations.iter().enumerate() {
            let at = format!("{at}.locations[{j}]");
            report.id(&format!("{at}.id"), &location.id, &mut location_ids);
            report.text(&format!("{at}.address"), &location.address);
            report.region(&format!("{at}.region"), &location.region);
            let real = location.lat.is_finite()
                && location.lon.is_finite()
                && (-90.0..=90.0).contains(&location.lat)
                && (-180.0..=180.0).contains(&location.lon);
            if !real {
                report.0.push(FieldError::new(
                    format!("{at}.lat"),
                    "invalid_coordinates",
                    "坐标无效（应为WGS-84经纬度）。",
                    "Invalid coordinates (expected WGS-84 latitude and longitude).",
                ));
            }
        }
        for (j, award) in partner.awards.iter().enumerate() {
            if !(2000..=2100).contains(&award.year) {
                report.0.push(FieldError::new(
                    format!("{at}.awards[{j}].year"),
                    "invalid_year",
                    "年份无效。",
                    "Invalid year.",
                ));
            }
        }
    }
    let mut benefit_ids = HashSet::new();
    for (i, benefit) in catalogue.benefits.iter().enumerate() {
        let at = format!("benefits[{i}]");
        report.id(&format!("{at}.id"), &benefit.id, &mut benefit_ids);
        if !partner_ids.contains(&benefit.partner) {
            report.0.push(FieldError::new(
                format!("{at}.partner"),
                "unknown_partner",
                "该福利所属的合作单位不存在。",
                "The benefit's partner does not exist.",
            ));
        }
        report.text(&format!("{at}.title"), &benefit.title);
        report.text(&format!("{at}.description"), &benefit.description);
        report.text(&format!("{at}.how_to_redeem"), &benefit.how_to_redeem);
        for (j, region) in benefit.regions.iter().enumerate() {
            report.region(&format!("{at}.regions[{j}]"), region);
        }
        if let (Some(from), Some(until)) = (benefit.valid_from, benefit.valid_until)
            && from > until
        {
            report.0.push(FieldError::new(
                format!("{at}.valid_until"),
                "invalid_date_range",
                "结束日期早于开始日期。",
                "The end date is before the start date.",
            ));
        }
    }
    if report.0.is_empty() {
        Ok(())
    } else {
        Err(report.0)
    }
}

#[cfg(test)]
mod tests {
    use super::catalogue as check;
    use super::*;
    use crate::demo;

    fn codes(result: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn reports_each_broken_field_with_its_path() {
        let mut catalogue = demo::programme();
        catalogue.partners[0].name.en = "  ".into();
        catalogue.partners[1].id = catalogue.partners[0].id.clone();
        catalogue.partners[2].locations[0].region = "110199".into();
        catalogue.partners[2].locations[0].lat = f64::NAN;
        catalogue.benefits[0].partner = "nobody".into();
        catalogue.benefits[1].valid_until = chrono::NaiveDate::from_ymd_opt(2000, 1, 1);
        catalogue.benefits[2].id = "Bad Id".into();
        let found = codes(check(&catalogue));
        let expected = [
            ("partners[0].name.en", "required"),
            ("partners[1].id", "duplicate_id"),
            ("partners[2].locations[0].region", "unknown_region"),
            ("partners[2].locations[0].lat", "invalid_coordinates"),
            ("benefits[1].valid_until", "invalid_date_range"),
            ("benefits[2].id", "invalid_id"),
        ];
        for (field, code) in expected {
            assert!(
                found.contains(&(field.to_string(), code.to_string())),
                "missing {field} {code} in {found:?}"
            );
        }
        // Partner 1's id now duplicates partner 0's, so benefits of "partner 1" still resolve;
        // benefit 0 points nowhere.
        assert!(found.contains(&("benefits[0].partner".into(), "unknown_partner".into())));
    }

    #[test]
    fn every_message_is_bilingual() {
        let mut catalogue = demo::programme();
        catalogue.version.clear();
        catalogue.benefits[0].title = Text::default();
        for error in check(&catalogue).unwrap_err() {
            assert!(!error.message.zh.is_empty() && !error.message.en.is_empty());
        }
    }
}
