//! Outlines of Beijing, Tianjin and Hebei for the offline base map.
//!
//! From Natural Earth 1:10m admin-1 (public domain), simplified to ~200 m; source, licence and
//! processing are recorded in `core/data/jingjinji-boundaries.SOURCE.md`. Province level only:
//! Natural Earth has no district or prefecture borders for China.

use serde::Deserialize;

use crate::geo::LatLon;

const GEOJSON: &str = include_str!("../data/jingjinji-boundaries.geojson");

/// One province-level region's outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// GB/T 2260 code, e.g. `"110000"`.
    pub code: String,
    /// Exterior rings of its polygons (the data has no holes), WGS-84.
    pub rings: Vec<Vec<LatLon>>,
}

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    code: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

/// The three outlines, Beijing, Tianjin, Hebei. Parsed on each call: callers keep the result.
pub fn provinces() -> Vec<Outline> {
    let parsed: FeatureCollection = match serde_json::from_str(GEOJSON) {
        Ok(parsed) => parsed,
        // The file is compiled in and checked by a test; an empty map beats a crash.
        Err(_) => return Vec::new(),
    };
    let ring = |ring: Vec<[f64; 2]>| {
        ring.into_iter()
            .map(|[lon, lat]| LatLon::new(lat, lon))
            .collect()
    };
    parsed
        .features
        .into_iter()
        .map(|feature| Outline {
            code: feature.properties.code,
            rings: match feature.geometry {
                Geometry::Polygon(rings) => rings.into_iter().map(ring).collect(),
                Geometry::MultiPolygon(polygons) => {
                    polygons.into_iter().flatten().map(ring).collect()
                }
            },
        })
        .collect()
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
