//! Outlines of Beijing, Tianjin and Hebei for the offline base map.
//!
//! From Natural Earth 1:10m admin-1 (public domain), simplified to ~200 m; source, licence and
//! processing are recorded in `core/data/jingjinji-boundaries.SOURCE.md`. Province level only:
//! Natural Earth has no district or prefecture borders for China.

use crate::geo::LatLon;

/// A ring as `build.rs` compiles it: its first point's longitude and latitude and then the
/// steps between points, all in 1e-4° (the steps alternate longitude and latitude).
type Ring = (i32, i32, &'static [i16]);

// `OUTLINES`, compiled by `build.rs` from `data/jingjinji-boundaries.geojson`.
include!(concat!(env!("OUT_DIR"), "/boundaries.rs"));

/// One province-level region's outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// GB/T 2260 code, e.g. `"110000"`.
    pub code: String,
    /// Exterior rings of its polygons (the data has no holes), WGS-84.
    pub rings: Vec<Vec<LatLon>>,
}

/// The three outlines, Beijing, Tianjin, Hebei. Decoded on each call: callers keep the result.
pub fn provinces() -> Vec<Outline> {
    OUTLINES
        .iter()
        .map(|(code, rings)| Outline {
            code: (*code).to_string(),
            rings: rings.iter().map(|ring| decode(*ring)).collect(),
        })
        .collect()
}

/// A ring from its first point and the steps after it (1e-4° units).
fn decode((lon, lat, steps): Ring) -> Vec<LatLon> {
    let degrees = |units: i32| f64::from(units) / 10_000.0;
    let mut at = (lon, lat);
    let mut points = vec![LatLon::new(degrees(lat), degrees(lon))];
    for step in steps.chunks_exact(2) {
        at = (at.0 + i32::from(step[0]), at.1 + i32::from(step[1]));
        points.push(LatLon::new(degrees(at.1), degrees(at.0)));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    /// Ray casting: whether `point` is inside `ring`.
    fn inside(ring: &[LatLon], point: LatLon) -> bool {
        let mut inside = false;
        let mut j = ring.len() - 1;
        for i in 0..ring.len() {
            let (a, b) = (ring[i], ring[j]);
            if (a.lat > point.lat) != (b.lat > point.lat)
                && point.lon < (b.lon - a.lon) * (point.lat - a.lat) / (b.lat - a.lat) + a.lon
            {
                inside = !inside;
            }
            j = i;
        }
        inside
    }

    /// The compiled tables hold exactly the GeoJSON file's coordinates.
    #[test]
    fn the_outlines_are_the_geojson_files_points() {
        let geojson: serde_json::Value =
            serde_json::from_str(include_str!("../data/jingjinji-boundaries.geojson")).unwrap();
        for (feature, outline) in geojson["features"]
            .as_array()
            .unwrap()
            .iter()
            .zip(provinces())
        {
            assert_eq!(feature["properties"]["code"], outline.code.as_str());
            let geometry = &feature["geometry"];
            let rings: Vec<&serde_json::Value> = if geometry["type"] == "Polygon" {
                geometry["coordinates"].as_array().unwrap().iter().collect()
            } else {
                geometry["coordinates"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|polygon| polygon.as_array().unwrap())
                    .collect()
            };
            assert_eq!(rings.len(), outline.rings.len());
            for (ring, decoded) in rings.iter().zip(&outline.rings) {
                let points = ring.as_array().unwrap();
                assert_eq!(points.len(), decoded.len());
                for (point, at) in points.iter().zip(decoded) {
                    assert!((point[0].as_f64().unwrap() - at.lon).abs() < 1e-9);
                    assert!((point[1].as_f64().unwrap() - at.lat).abs() < 1e-9);
                }
            }
        }
    }

    #[test]
    fn the_three_provinces_parse_with_their_parts() {
        let outlines = provinces();
        let codes: Vec<&str> = outlines.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["110000", "120000", "130000"]);
        let parts: Vec<usize> = outlines.iter().map(|o| o.rings.len()).collect();
        assert_eq!(parts, [1, 4, 3]);
        let vertices: usize = outlines.iter().flat_map(|o| &o.rings).map(Vec::len).sum();
        assert!(vertices > 1_500, "{vertices}");
    }

    #[test]
    fn every_demo_location_lies_in_its_province() {
        let outlines = provinces();
        for partner in demo::programme().partners {
            for location in partner.locations {
                let province = crate::regions::find(&location.region).unwrap().province();
                let outline = outlines.iter().find(|o| o.code == province).unwrap();
                let point = LatLon::new(location.lat, location.lon);
                assert!(
                    outline.rings.iter().any(|ring| inside(ring, point)),
                    "{} is outside {province}",
                    location.id
                );
            }
        }
    }
}
