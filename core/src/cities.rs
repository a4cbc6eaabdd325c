//! City names on the offline base map: the province capitals of the region and the seats of
//! Hebei's prefecture-level cities, where Natural Earth puts them (public domain; source and
//! licence in `core/data/jingjinji-cities.SOURCE.md`), named from [`crate::regions`] so that a
//! label says what the map's accessible list says.
//!
//! Which labels are drawn depends on the zoom only: labels keep their size in pixels while the
//! map grows, so at a given zoom the same cities collide wherever the map is panned. A label is
//! drawn when its box (dot and text) stays clear of every label of higher priority: capitals
//! first, then by population. Zoomed out, Beijing, Tianjin and Shijiazhuang; zoomed in, all.

use crate::codes::Lang;
use crate::geo::{LatLon, WorldPoint, project, world_scale};
use crate::regions::{self, Region};

/// The places, as shipped.
const CSV: &str = include_str!("../data/jingjinji-cities.csv");

/// Label text size in CSS pixels; the widget's stylesheet uses the same.
pub const LABEL_PX: f64 = 12.0;

/// Space kept between two labels' boxes, in pixels.
const GAP_PX: f64 = 3.0;

/// Where a label's text starts, right of its point, in pixels.
pub const TEXT_OFFSET_PX: f64 = 6.0;

/// One labelled place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct City {
    /// The region it is the seat of (its name is the label).
    pub region: &'static Region,
    /// Natural Earth's position, WGS-84.
    pub at: LatLon,
    /// A province-level capital (Beijing, Tianjin, Shijiazhuang): drawn first and bolder.
    pub capital: bool,
    /// Natural Earth's `pop_max`: the order among the others.
    pub population: u64,
}

impl City {
    /// The label's text.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.region.name_zh,
            Lang::En => self.region.name_en,
        }
    }
}

/// Every labelled place, highest priority first. A row that does not read (a code missing from
/// the regions table, a number that is not one) is left out; the tests hold every row to it.
pub fn cities() -> Vec<City> {
    let mut cities: Vec<City> = CSV.lines().skip(1).filter_map(city).collect();
    cities.sort_by(|a, b| {
        b.capital
            .cmp(&a.capital)
            .then(b.population.cmp(&a.population))
    });
    cities
}

/// One row: `code,ne_name,featurecla,scalerank,pop_max,latitude,longitude,ne_id`.
fn city(row: &str) -> Option<City> {
    let fields: Vec<&str> = row.split(',').collect();
    let [code, _, class, _, population, lat, lon, _] = fields[..] else {
        return None;
    };
    Some(City {
        region: regions::find(code)?,
        at: LatLon::new(lat.parse().ok()?, lon.parse().ok()?),
        capital: class.ends_with("capital"),
        population: population.parse().ok()?,
    })
}

/// A label's box in world pixels at some zoom: left, top, right, bottom.
type Box = (f64, f64, f64, f64);

/// How wide `text` is drawn at [`LABEL_PX`], over-estimated so that real fonts fit: a Hanzi is
/// one em, a Latin letter at most 0.62 em (bold capitals 10 % wider).
pub fn text_width(text: &str, capital: bool) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| if c.is_ascii() { 0.62 } else { 1.0 })
        .sum();
    ems * LABEL_PX * if capital { 1.1 } else { 1.0 }
}

fn label_box(city: &City, point: WorldPoint, zoom: f64, lang: Lang) -> Box {
    let scale = world_scale(zoom);
    let (x, y) = (point.x * scale, point.y * scale);
    let half = LABEL_PX * 0.75;
    (
        x - 4.0,
        y - half,
        x + TEXT_OFFSET_PX + text_width(city.name(lang), city.capital),
        y + half,
    )
}

fn overlap(a: Box, b: Box) -> bool {
    a.0 < b.2 + GAP_PX && b.0 < a.2 + GAP_PX && a.1 < b.3 + GAP_PX && b.1 < a.3 + GAP_PX
}

/// The cities whose labels are drawn at `zoom` in `lang`, as indices into `cities` (in its
/// priority order), each with the world point it is drawn at (`place` maps WGS-84 to the
/// map's world: plain Web Mercator offline).
pub fn labelled_at(
    cities: &[City],
    zoom: f64,
    lang: Lang,
    place: impl Fn(LatLon) -> WorldPoint,
) -> Vec<(usize, WorldPoint)> {
    let mut drawn: Vec<(usize, WorldPoint, Box)> = Vec::new();
    for (index, city) in cities.iter().enumerate() {
        let point = place(city.at);
        let label = label_box(city, point, zoom, lang);
        if drawn.iter().all(|(_, _, other)| !overlap(label, *other)) {
            drawn.push((index, point, label));
        }
    }
    drawn
        .into_iter()
        .map(|(index, point, _)| (index, point))
        .collect()
}

/// [`labelled_at`] on plain Web Mercator.
pub fn labelled_offline(cities: &[City], zoom: f64, lang: Lang) -> Vec<(usize, WorldPoint)> {
    labelled_at(cities, zoom, lang, project)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundaries;

    #[test]
    fn every_row_reads_and_names_a_capital_or_a_hebei_prefecture_city() {
        let cities = cities();
        assert_eq!(cities.len(), CSV.lines().count() - 1, "a row did not read");
        assert_eq!(cities.len(), 13);
        let capitals: Vec<&str> = cities
            .iter()
            .filter(|c| c.capital)
            .map(|c| c.region.code)
            .collect();
        assert_eq!(capitals, ["110000", "120000", "130100"]);
        let hebei: Vec<&str> = regions::children_of("130000")
            .filter(|r| r.code.ends_with("00"))
            .map(|r| r.code)
            .collect();
        for code in hebei {
            assert!(
                cities.iter().any(|c| c.region.code == code),
                "{code} has no label"
            );
        }
    }

    #[test]
    fn every_city_lies_inside_its_province_outline() {
        let outlines = boundaries::provinces();
        for city in cities() {
            let province = city.region.province();
            let outline = outlines
                .iter()
                .find(|o| o.code == province)
                .expect("an outline per province");
            let inside = outline.rings.iter().any(|ring| {
                let mut inside = false;
                let mut j = ring.len() - 1;
                for i in 0..ring.len() {
                    let (a, b) = (ring[i], ring[j]);
                    if (a.lat > city.at.lat) != (b.lat > city.at.lat)
                        && city.at.lon
                            < (b.lon - a.lon) * (city.at.lat - a.lat) / (b.lat - a.lat) + a.lon
                    {
                        inside = !inside;
                    }
                    j = i;
                }
                inside
            });
            assert!(inside, "{} is outside {province}", city.region.name_en);
        }
    }

    #[test]
    fn drawn_labels_never_collide_and_capitals_come_first() {
        let cities = cities();
        for lang in [Lang::ZhCn, Lang::En] {
            let mut previous = 0;
            for step in 20..=48 {
                let zoom = f64::from(step) / 4.0;
                let drawn = labelled_offline(&cities, zoom, lang);
                let boxes: Vec<Box> = drawn
                    .iter()
                    .map(|(i, point)| label_box(&cities[*i], *point, zoom, lang))
                    .collect();
                for (a, first) in boxes.iter().enumerate() {
                    for second in &boxes[a + 1..] {
                        assert!(!overlap(*first, *second), "zoom {zoom}: {drawn:?}");
                    }
                }
                let names: Vec<&str> = drawn.iter().map(|(i, _)| cities[*i].name(lang)).collect();
                assert!(
                    drawn.iter().take(3).all(|(i, _)| cities[*i].capital) || zoom < 6.0,
                    "zoom {zoom}: {names:?}"
                );
                assert!(drawn.len() >= previous, "zooming in never hides a label");
                previous = drawn.len();
            }
            assert_eq!(previous, cities.len(), "at zoom 12 every city is labelled");
        }
    }

    #[test]
    fn zoomed_out_only_the_capitals_and_the_far_cities_fit() {
        let cities = cities();
        let names = |zoom, lang| -> Vec<&str> {
            labelled_offline(&cities, zoom, lang)
                .into_iter()
                .map(|(i, _)| cities[i].name(lang))
                .collect()
        };
        let overview = names(5.0, Lang::ZhCn);
        assert!(
            overview.starts_with(&["北京市", "天津市", "石家庄市"]),
            "{overview:?}"
        );
        assert!(
            !overview.contains(&"廊坊市"),
            "Langfang sits between Beijing and Tianjin"
        );
        assert!(names(6.5, Lang::ZhCn).contains(&"廊坊市"));
    }
}
