//! Partners and benefits from spreadsheets (CSV, as Excel saves it: UTF-8 with or without BOM).
//!
//! Every row is read and checked before anything is used, and every problem is reported with
//! its row and column (`rows[3].title_zh`), so staff fix the file once rather than a row at a
//! time. The caller writes nothing unless the whole file is clean.
//!
//! Benefits — one row each:
//! `id, partner, area, title_zh, title_en, description_zh, description_en, regions, levels,
//! valid_from, valid_until, how_to_redeem_zh, how_to_redeem_en` (regions and levels separated
//! by spaces; dates `YYYY-MM-DD`; empty means "everywhere", "everyone", "open-ended").
//!
//! Partners — one row per location (rows with the same `id` add locations to one partner):
//! `id, name_zh, name_en, kind, phone, email, website, awards, location_id, location_name_zh,
//! location_name_en, address_zh, address_en, region, lat, lon` (awards: 爱心单位 years
//! separated by spaces; lat/lon WGS-84).

use chrono::NaiveDate;

use crate::codes::{QualificationLevel, ServiceArea};
use crate::model::{Award, Benefit, Contact, Location, Partner, PartnerKind, Text};
use crate::validate::FieldError;

/// Most rows one file may hold. The edge stores them 900 a request (Workers allow 1,000 KV
/// operations a request), and checks the whole file on each.
pub const MAX_ROWS: usize = 5_000;

pub const BENEFIT_COLUMNS: &[&str] = &[
    "id",
    "partner",
    "area",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "regions",
    "levels",
    "valid_from",
    "valid_until",
    "how_to_redeem_zh",
    "how_to_redeem_en",
];

pub const PARTNER_COLUMNS: &[&str] = &[
    "id",
    "name_zh",
    "name_en",
    "kind",
    "phone",
    "email",
    "website",
    "awards",
    "location_id",
    "location_name_zh",
    "location_name_en",
    "address_zh",
    "address_en",
    "region",
    "lat",
    "lon",
];

/// The rows of `text` as maps from column name to cell, checked against `columns`.
fn rows(text: &str, columns: &[&str]) -> Result<Vec<Vec<(String, String)>>, Vec<FieldError>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|h| h.trim().to_string()).collect(),
        Err(_) => return Err(vec![unreadable("header")]),
    };
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![FieldError::new(
            "header",
            "missing_columns",
            &format!("缺少列：{}", missing.join(", ")),
            &format!("Missing columns: {}", missing.join(", ")),
        )]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        match record {
            Ok(record) => rows.push(
                header
                    .iter()
                    .cloned()
                    .zip(record.iter().map(|cell| cell.trim().to_string()))
                    .collect(),
            ),
            Err(_) => errors.push(unreadable(&format!("rows[{}]", i + 2))),
        }
    }
    if rows.len() > MAX_ROWS {
        errors.push(FieldError::new(
            "rows",
            "too_many_rows",
            &format!("一次最多导入 {MAX_ROWS} 行"),
            &format!("At most {MAX_ROWS} rows per file"),
        ));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn unreadable(field: &str) -> FieldError {
    FieldError::new(
        field,
        "unreadable_row",
        "此行无法读取（列数不对或引号未闭合）",
        "This row cannot be read (wrong number of cells or an open quote)",
    )
}

/// One row's cells, with errors recorded against `rows[<line>].<column>` (line 2 is the first
/// row after the header, as a spreadsheet numbers it).
struct Row<'r> {
    cells: &'r [(String, String)],
    line: usize,
    errors: &'r mut Vec<FieldError>,
}

impl Row<'_> {
    fn get(&self, column: &str) -> String {
        self.cells
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn error(&mut self, column: &str, code: &str, zh: &str, en: &str) {
        self.errors.push(FieldError::new(
            format!("rows[{}].{column}", self.line),
            code,
            zh,
            en,
        ));
    }

    fn parse<T: std::str::FromStr>(&mut self, column: &str) -> Option<T> {
        let value = self.get(column);
        match value.parse() {
            Ok(parsed) => Some(parsed),
            Err(_) => {
                self.error(
                    column,
                    "invalid_value",
                    &format!("“{value}”无效"),
                    &format!("“{value}” is not valid"),
                );
                None
            }
        }
    }

    fn list<T: std::str::FromStr>(&mut self, column: &str) -> Vec<T> {
        let cell = self.get(column);
        cell.split_whitespace()
            .filter_map(|part| match part.parse() {
                Ok(parsed) => Some(parsed),
                Err(_) => {
                    self.error(
                        column,
                        "invalid_value",
                        &format!("“{part}”无效"),
                        &format!("“{part}” is not valid"),
                    );
                    None
                }
            })
            .collect()
    }

    fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let cell = self.get(column);
        if cell.is_empty() {
            return None;
        }
        let parsed = NaiveDate::parse_from_str(&cell, "%Y-%m-%d").ok();
        if parsed.is_none() {
            self.error(
                column,
                "invalid_date",
                "日期应为 YYYY-MM-DD",
                "Dates are written YYYY-MM-DD",
            );
        }
        parsed
    }
}

/// Benefits from a CSV file, or every problem in it. Domain rules beyond the cells (texts in
/// both languages, known regions, the partner existing) are checked by the caller with
/// [`crate::validate::catalogue`], which reports them per benefit.
pub fn benefits(text: &str) -> Result<Vec<Benefit>, Vec<FieldError>> {
    let rows = rows(text, BENEFIT_COLUMNS)?;
    let mut errors = Vec::new();
    let mut benefits = Vec::new();
    for (i, cells) in rows.iter().enumerate() {
        let mut row = Row {
            cells,
            line: i + 2,
            errors: &mut errors,
        };
        let area: Option<ServiceArea> = row.parse("area");
        let regions: Vec<String> = row
            .get("regions")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let eligible_levels: Vec<QualificationLevel> = row.list("levels");
        let (valid_from, valid_until) = (row.date("valid_from"), row.date("valid_until"));
        if let Some(area) = area {
            benefits.push(Benefit {
                id: row.get("id"),
                partner: row.get("partner"),
                area,
                title: Text::new(row.get("title_zh"), row.get("title_en")),
                description: Text::new(row.get("description_zh"), row.get("description_en")),
                regions,
                eligible_levels,
                valid_from,
                valid_until,
                how_to_redeem: Text::new(row.get("how_to_redeem_zh"), row.get("how_to_redeem_en")),
            });
        }
    }
    if errors.is_empty() {
        Ok(benefits)
    } else {
        Err(errors)
    }
}

/// `benefits` as a CSV file that [`benefits`] reads back (columns as [`BENEFIT_COLUMNS`]).
pub fn benefits_csv(benefits: &[Benefit]) -> Result<String, String> {
    let join = |items: Vec<String>| items.join(" ");
    let date = |d: Option<NaiveDate>| d.map(crate::time::iso_date).unwrap_or_default();
    let rows: Vec<Vec<String>> = benefits
        .iter()
        .map(|b| {
            vec![
                b.id.clone(),
                b.partner.clone(),
                b.area.code().to_string(),
                b.title.zh.clone(),
                b.title.en.clone(),
                b.description.zh.clone(),
                b.description.en.clone(),
                join(b.regions.clone()),
                join(
                    b.eligible_levels
                        .iter()
                        .map(|l| l.code().to_string())
                        .collect(),
                ),
                date(b.valid_from),
                date(b.valid_until),
                b.how_to_redeem.zh.clone(),
                b.how_to_redeem.en.clone(),
            ]
        })
        .collect();
    crate::table::csv(BENEFIT_COLUMNS, &rows)
}

/// Partners from a CSV file (one row per location), or every problem in it.
pub fn partners(text: &str) -> Result<Vec<Partner>, Vec<FieldError>> {
    partners_with_lines(text).map(|(partners, _)| partners)
}

/// Where each partner and each of its locations stood in the file, so that the domain's
/// errors about them (`partners[0].locations[1].lat`) are reported as the file's rows and
/// columns (`rows[3].lat`), as the cells' own errors are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerLines {
    /// Per partner: the line of its first row, and the line of each location.
    partners: Vec<(usize, Vec<usize>)>,
}

impl PartnerLines {
    /// The line partner `index` starts on (its first row).
    pub fn line(&self, index: usize) -> Option<usize> {
        self.partners.get(index).map(|(line, _)| *line)
    }

    /// `error` as the file's row and column, when it names a partner of this file.
    pub fn as_row(&self, mut error: FieldError) -> FieldError {
        let Some((index, rest)) = indexed(&error.field, "partners[") else {
            return error;
        };
        let Some((first, locations)) = self.partners.get(index) else {
            return error;
        };
        error.field = match indexed(rest, "locations[") {
            Some((j, field)) => {
                let column = match field {
                    "id" => "location_id".to_string(),
                    "name.zh" | "name.en" => format!("location_{}", field.replace('.', "_")),
                    other => other.replace('.', "_"),
                };
                let line = locations.get(j).copied().unwrap_or(*first);
                format!("rows[{line}].{column}")
            }
            None => format!(
                "rows[{first}].{}",
                rest.trim_start_matches("contact.").replace('.', "_")
            ),
        };
        error
    }
}

/// `benefits[3].title.zh` → `rows[5].title_zh`: a domain error about the benefit on row
/// `index + 2` (one row per benefit, after the header) named by the file's column.
pub fn benefit_as_row(mut error: FieldError) -> FieldError {
    if let Some((index, column)) = indexed(&error.field, "benefits[") {
        error.field = format!("rows[{}].{}", index + 2, column.replace('.', "_"));
    }
    error
}

/// `partners[3].name.zh` with `prefix` `partners[` → `(3, "name.zh")`.
fn indexed<'f>(field: &'f str, prefix: &str) -> Option<(usize, &'f str)> {
    let (index, rest) = field.strip_prefix(prefix)?.split_once("].")?;
    Some((index.parse().ok()?, rest))
}

/// [`partners`], with where each came from in the file.
pub fn partners_with_lines(text: &str) -> Result<(Vec<Partner>, PartnerLines), Vec<FieldError>> {
    let rows = rows(text, PARTNER_COLUMNS)?;
    let mut errors = Vec::new();
    let mut partners: Vec<Partner> = Vec::new();
    let mut lines = PartnerLines::default();
    for (i, cells) in rows.iter().enumerate() {
        let mut row = Row {
            cells,
            line: i + 2,
            errors: &mut errors,
        };
        let id = row.get("id");
        let kind: Option<PartnerKind> =
            serde_json::from_value(serde_json::Value::String(row.get("kind"))).ok();
        if kind.is_none() {
            row.error(
                "kind",
                "invalid_value",
                "合作单位类型无效",
                "Unknown kind of partner",
            );
        }
        let years: Vec<u16> = row.list("awards");
        let location = if row.get("location_id").is_empty() {
            None
        } else {
            let lat: Option<f64> = row.parse("lat");
            let lon: Option<f64> = row.parse("lon");
            let name = Text::new(row.get("location_name_zh"), row.get("location_name_en"));
            Some(Location {
                id: row.get("location_id"),
                name: (!name.zh.is_empty() || !name.en.is_empty()).then_some(name),
                address: Text::new(row.get("address_zh"), row.get("address_en")),
                region: row.get("region"),
                lat: lat.unwrap_or(f64::NAN),
                lon: lon.unwrap_or(f64::NAN),
            })
        };
        let optional = |value: String| (!value.is_empty()).then_some(value);
        let line = i + 2;
        match partners.iter().position(|p| p.id == id) {
            Some(index) => {
                if location.is_some() {
                    lines.partners[index].1.push(line);
                }
                partners[index].locations.extend(location);
            }
            None => {
                let location_lines = if location.is_some() {
                    vec![line]
                } else {
                    Vec::new()
                };
                lines.partners.push((line, location_lines));
                partners.push(Partner {
                    id: id.clone(),
                    name: Text::new(row.get("name_zh"), row.get("name_en")),
                    kind: kind.unwrap_or(PartnerKind::Other),
                    locations: location.into_iter().collect(),
                    contact: Contact {
                        phone: optional(row.get("phone")),
                        email: optional(row.get("email")),
                        website: optional(row.get("website")),
                    },
                    awards: years.into_iter().map(Award::caring_unit).collect(),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok((partners, lines))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_benefits_read_back_the_same() {
        let catalogue = crate::synthetic::catalogue(300);
        let text = benefits_csv(&catalogue.benefits).unwrap();
        assert_eq!(benefits(&text).unwrap(), catalogue.benefits);
    }

    #[test]
    fn domain_errors_name_the_rows_and_columns_of_the_file() {
        let text = "id,name_zh,name_en,kind,phone,email,website,awards,location_id,location_name_zh,location_name_en,address_zh,address_en,region,lat,lon\n\
            a,甲,A,hotel,,,,,a-1,,,地址,Addr,110105,39.9,116.4\n\
            b,乙,,dental,,,,,,,,,,,,\n\
            a,,,hotel,,,,,a-2,,,地址二,Addr 2,110199,39.9,116.4\n";
        let (partners, lines) = partners_with_lines(text).unwrap();
        let errors = crate::validate::catalogue(&crate::Catalogue {
            version: "draft".into(),
            published_at: chrono::DateTime::UNIX_EPOCH,
            sample: false,
            partners,
            benefits: Vec::new(),
            readings: Default::default(),
        })
        .unwrap_err();
        let fields: Vec<String> = errors.into_iter().map(|e| lines.as_row(e).field).collect();
        assert!(
            fields.contains(&"rows[3].name_en".to_string()),
            "{fields:?}"
        );
        assert!(fields.contains(&"rows[4].region".to_string()), "{fields:?}");
        assert!(fields.iter().all(|f| f.starts_with("rows[")), "{fields:?}");
        assert_eq!(lines.line(1), Some(3));
        let benefit = FieldError::new("benefits[3].title.zh", "required", "z", "e");
        assert_eq!(benefit_as_row(benefit).field, "rows[5].title_zh");
    }

    const BENEFITS: &str = "\u{feff}id,partner,area,title_zh,title_en,description_zh,description_en,regions,levels,valid_from,valid_until,how_to_redeem_zh,how_to_redeem_en\r\n\
        weier-dental-winter,weier-dental,health,冬季口腔检查,Winter dental check,\"免费检查，含洁牙\",\"Free check-up, with cleaning\",110000,intermediate senior,2026-12-01,2027-02-28,出示社工证,Show your certificate\r\n\
        hanting-nights,hanting-xingkong,leisure,周末房价八折,20% off weekend nights,周末入住八折,20% off at weekends,,,,,前台出示证件,Show it at the desk\r\n";

    #[test]
    fn benefits_read_with_quotes_bom_and_open_fields() {
        let benefits = benefits(BENEFITS).unwrap();
        assert_eq!(benefits.len(), 2);
        assert_eq!(benefits[0].description.zh, "免费检查，含洁牙");
        assert_eq!(
            benefits[0].eligible_levels,
            [QualificationLevel::Intermediate, QualificationLevel::Senior]
        );
        assert_eq!(
            benefits[0].valid_until,
            NaiveDate::from_ymd_opt(2027, 2, 28)
        );
        assert!(benefits[1].regions.is_empty() && benefits[1].valid_from.is_none());
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_row_and_column() {
        let broken = BENEFITS
            .replace(",health,", ",wellness,")
            .replace("intermediate senior", "intermediate guru")
            .replace("2027-02-28", "28/02/2027");
        let errors = benefits(&broken).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["rows[2].area", "rows[2].levels", "rows[2].valid_until"]
        );
        assert!(
            errors
                .iter()
                .all(|e| !e.message.zh.is_empty() && !e.message.en.is_empty())
        );
        let missing = benefits("id,partner\nx,y\n").unwrap_err();
        assert_eq!(missing[0].code, "missing_columns");
        assert!(missing[0].message.en.contains("title_zh"));
        let ragged = benefits(&format!("{BENEFITS}only,three,cells\r\n")).unwrap_err();
        assert_eq!(ragged[0].field, "rows[4]");
    }

    #[test]
    fn partner_rows_with_one_id_become_one_partner_with_its_locations() {
        let text = "id,name_zh,name_en,kind,phone,email,website,awards,location_id,location_name_zh,location_name_en,address_zh,address_en,region,lat,lon\n\
            kangning,康宁口腔,Kangning Dental,dental,010-1234,,,2024 2025,kangning-a,朝阳店,Chaoyang,朝阳路1号,1 Chaoyang Rd,110105,39.92,116.45\n\
            kangning,康宁口腔,Kangning Dental,dental,010-1234,,,2024 2025,kangning-b,,,海淀路2号,2 Haidian Rd,110108,39.96,116.30\n";
        let partners = partners(text).unwrap();
        assert_eq!(partners.len(), 1);
        assert_eq!(partners[0].locations.len(), 2);
        assert_eq!(partners[0].awards.len(), 2);
        assert_eq!(partners[0].kind, PartnerKind::Dental);
        assert!(partners[0].locations[1].name.is_none());
        let bad = text
            .replace("39.96", "north")
            .replace(",dental,010", ",spa,010");
        let fields: Vec<String> = partners_errors(&bad);
        assert_eq!(fields, ["rows[2].kind", "rows[3].kind", "rows[3].lat"]);
    }

    fn partners_errors(text: &str) -> Vec<String> {
        partners(text)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }
}
