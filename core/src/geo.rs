//! Coordinates on the map: WGS-84 positions, Web-Mercator projection, the GCJ-02 offset that
//! Chinese tile providers use, and great-circle distance.
//!
//! Everything Guanai stores is WGS-84 (what GPS, the browser's geolocation and Natural Earth
//! give). GCJ-02 exists only at the edge of display: AMap and Tencent tiles are drawn in it, so
//! pins placed on them must be shifted the same way, or they land 300–600 m off in Beijing.

use std::f64::consts::PI;

/// A WGS-84 position in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub const fn new(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }
}

/// A point in Web-Mercator "world" units: x and y in 0..1 from the top-left corner of the world
/// (180° W, 85.05° N). Multiply by `256 · 2^zoom` for the pixel position of slippy-map tiles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldPoint {
    pub x: f64,
    pub y: f64,
}

/// The latitude where Web-Mercator's square world ends.
pub const MAX_MERCATOR_LAT: f64 = 85.051_128_779_806_6;

/// Pixels per world unit at `zoom` (256-pixel tiles, as every slippy-map provider uses).
pub fn world_scale(zoom: f64) -> f64 {
    256.0 * zoom.exp2()
}

/// Web-Mercator (EPSG:3857) projection of `position` into world units.
pub fn project(position: LatLon) -> WorldPoint {
    let lat = position
        .lat
        .clamp(-MAX_MERCATOR_LAT, MAX_MERCATOR_LAT)
        .to_radians();
    WorldPoint {
        x: (position.lon + 180.0) / 360.0,
        y: (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0,
    }
}

/// The inverse of [`project`].
pub fn unproject(point: WorldPoint) -> LatLon {
    let n = PI * (1.0 - 2.0 * point.y);
    LatLon {
        lat: n.sinh().atan().to_degrees(),
        lon: point.x * 360.0 - 180.0,
    }
}

/// Whether GCJ-02 shifts `position`: the rectangle the published transform uses for China.
/// Outside it the transform is the identity (GCJ-02 equals WGS-84 there).
pub fn in_gcj02_area(position: LatLon) -> bool {
    (72.004..=137.8347).contains(&position.lon) && (0.8293..=55.8271).contains(&position.lat)
}

/// WGS-84 → GCJ-02, the "Mars" offset of the 2002 national survey regulation, for drawing on
/// AMap or Tencent tiles. Identity outside China. Accurate to centimetres against the published
/// reference implementation (the tests hold it to under 1 m at reference points).
pub fn wgs84_to_gcj02(position: LatLon) -> LatLon {
    if !in_gcj02_area(position) {
        return position;
    }
    let (dlat, dlon) = gcj02_delta(position);
    LatLon::new(position.lat + dlat, position.lon + dlon)
}

/// GCJ-02 → WGS-84, by fixed-point iteration on the forward transform (the offset varies
/// slowly, so a few steps reach millimetres). For reading back a point picked on AMap tiles.
pub fn gcj02_to_wgs84(position: LatLon) -> LatLon {
    if !in_gcj02_area(position) {
        return position;
    }
    let mut guess = position;
    for _ in 0..10 {
        let shifted = wgs84_to_gcj02(guess);
        let (err_lat, err_lon) = (shifted.lat - position.lat, shifted.lon - position.lon);
        guess = LatLon::new(guess.lat - err_lat, guess.lon - err_lon);
        if err_lat.abs().max(err_lon.abs()) < 1e-9 {
            break;
        }
    }
    guess
}

/// The GCJ-02 offset in degrees (latitude, longitude) at `position`. The polynomial and sine
/// terms are the published form of the transform on the Krasovsky 1940 ellipsoid.
fn gcj02_delta(position: LatLon) -> (f64, f64) {
    const SEMI_MAJOR_AXIS: f64 = 6_378_245.0;
    const ECCENTRICITY_SQUARED: f64 = 0.006_693_421_622_965_943;
    let x = position.lon - 105.0;
    let y = position.lat - 35.0;
    let wave = |a: f64, b: f64| 20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin() + a + b;
    let dlat = -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * x.abs().sqrt()
        + (wave(
            20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin(),
            160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin(),
        )) * 2.0
            / 3.0;
    let dlon = 300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * x.abs().sqrt()
        + (wave(
            20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin(),
            150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin(),
        )) * 2.0
            / 3.0;
    let lat = position.lat.to_radians();
    let magic = 1.0 - ECCENTRICITY_SQUARED * lat.sin() * lat.sin();
    let sqrt_magic = magic.sqrt();
    (
        dlat * 180.0
            / ((SEMI_MAJOR_AXIS * (1.0 - ECCENTRICITY_SQUARED)) / (magic * sqrt_magic) * PI),
        dlon * 180.0 / (SEMI_MAJOR_AXIS / sqrt_magic * lat.cos() * PI),
    )
}

/// Mean Earth radius (IUGG), for great-circle distances.
pub const EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// Great-circle distance between two positions in kilometres (haversine formula, spherical
/// Earth: within 0.5 % of the ellipsoidal distance, plenty for "how far is this partner").
pub fn great_circle_km(a: LatLon, b: LatLon) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A rectangle in world units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldBounds {
    pub min: WorldPoint,
    pub max: WorldPoint,
}

impl WorldBounds {
    /// The smallest rectangle holding every point; `None` for no points.
    pub fn around(points: impl IntoIterator<Item = WorldPoint>) -> Option<WorldBounds> {
        points.into_iter().fold(None, |bounds, p| {
            Some(match bounds {
                None => WorldBounds { min: p, max: p },
                Some(WorldBounds { min, max }) => WorldBounds {
                    min: WorldPoint {
                        x: min.x.min(p.x),
                        y: min.y.min(p.y),
                    },
                    max: WorldPoint {
                        x: max.x.max(p.x),
                        y: max.y.max(p.y),
                    },
                },
            })
        })
    }

    pub fn center(&self) -> WorldPoint {
        WorldPoint {
            x: (self.min.x + self.max.x) / 2.0,
            y: (self.min.y + self.max.y) / 2.0,
        }
    }

    /// The largest zoom at which these bounds fit in `width` × `height` pixels with `padding`
    /// pixels on each side.
    pub fn fit_zoom(&self, width: f64, height: f64, padding: f64) -> f64 {
        let span_x = (self.max.x - self.min.x).max(1e-12);
        let span_y = (self.max.y - self.min.y).max(1e-12);
        let usable_w = (width - 2.0 * padding).max(1.0);
        let usable_h = (height - 2.0 * padding).max(1.0);
        let scale = (usable_w / span_x).min(usable_h / span_y);
        (scale / 256.0).log2()
    }
}

/// What the map shows: a centre, a zoom, and the size of the map on screen in CSS pixels.
/// Screen coordinates are pixels from the map's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub center: WorldPoint,
    pub zoom: f64,
    pub width: f64,
    pub height: f64,
}

/// One slippy-map tile and where it goes on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TilePlacement {
    pub z: u8,
    pub x: u32,
    pub y: u32,
    /// Screen position of the tile's top-left corner and its size, in CSS pixels.
    pub left: f64,
    pub top: f64,
    pub size: f64,
}

impl Viewport {
    /// Zoomed out enough to see all of Hebei on a phone.
    pub const MIN_ZOOM: f64 = 5.0;
    /// Street level; the tile providers stop here.
    pub const MAX_ZOOM: f64 = 18.0;

    /// The view that shows `bounds` with `padding` pixels around, zoom capped at `max_zoom`.
    pub fn fit(
        bounds: WorldBounds,
        width: f64,
        height: f64,
        padding: f64,
        max_zoom: f64,
    ) -> Viewport {
        Viewport {
            center: bounds.center(),
            zoom: bounds
                .fit_zoom(width, height, padding)
                .clamp(Self::MIN_ZOOM, max_zoom.min(Self::MAX_ZOOM)),
            width,
            height,
        }
    }

    /// Pixels per world unit.
    pub fn scale(&self) -> f64 {
        world_scale(self.zoom)
    }

    /// Where `point` appears on screen.
    pub fn to_screen(&self, point: WorldPoint) -> (f64, f64) {
        let scale = self.scale();
        (
            (point.x - self.center.x) * scale + self.width / 2.0,
            (point.y - self.center.y) * scale + self.height / 2.0,
        )
    }

    /// The world point under the screen position `(x, y)`.
    pub fn to_world(&self, x: f64, y: f64) -> WorldPoint {
        let scale = self.scale();
        WorldPoint {
            x: self.center.x + (x - self.width / 2.0) / scale,
            y: self.center.y + (y - self.height / 2.0) / scale,
        }
    }

    /// The view after dragging the map by `(dx, dy)` pixels (content follows the pointer).
    pub fn panned(&self, dx: f64, dy: f64) -> Viewport {
        let scale = self.scale();
        Viewport {
            center: WorldPoint {
                x: self.center.x - dx / scale,
                y: self.center.y - dy / scale,
            },
            ..*self
        }
    }

    /// The view at `zoom` (clamped) keeping the world point under screen `(x, y)` in place, as
    /// wheel and pinch zoom do.
    pub fn zoomed_at(&self, zoom: f64, x: f64, y: f64) -> Viewport {
        let zoom = zoom.clamp(Self::MIN_ZOOM, Self::MAX_ZOOM);
        let anchor = self.to_world(x, y);
        let scale = world_scale(zoom);
        Viewport {
            center: WorldPoint {
                x: anchor.x - (x - self.width / 2.0) / scale,
                y: anchor.y - (y - self.height / 2.0) / scale,
            },
            zoom,
            ..*self
        }
    }

    /// The view after a wheel turn of `delta_y` in the DOM's `delta_mode` (0 pixels, 1 lines,
    /// 2 pages) over screen `(x, y)`: 300 px of scrolling is one zoom step, and one event moves
    /// at most 400 px' worth, so a flung wheel does not jump from country to street.
    pub fn wheeled(&self, delta_y: f64, delta_mode: u32, x: f64, y: f64) -> Viewport {
        let per_unit = match delta_mode {
            1 => 40.0,
            2 => 800.0,
            _ => 1.0,
        };
        let delta = (delta_y * per_unit).clamp(-400.0, 400.0);
        self.zoomed_at(self.zoom - delta / 300.0, x, y)
    }

    /// The view after two fingers moved from `before` to `after` (screen points): zoomed by the
    /// change in their distance about where their midpoint was, and panned by how far the
    /// midpoint moved, so the map stays under the fingers. Unchanged while the fingers touch.
    pub fn pinched(&self, before: [(f64, f64); 2], after: [(f64, f64); 2]) -> Viewport {
        let distance = |[a, b]: [(f64, f64); 2]| (a.0 - b.0).hypot(a.1 - b.1);
        let midpoint = |[a, b]: [(f64, f64); 2]| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (d0, d1) = (distance(before), distance(after));
        if d0 <= 0.0 || d1 <= 0.0 {
            return *self;
        }
        let (m0, m1) = (midpoint(before), midpoint(after));
        self.zoomed_at(self.zoom + (d1 / d0).log2(), m0.0, m0.1)
            .panned(m1.0 - m0.0, m1.1 - m0.1)
    }

    /// The view zoomed by `steps` about its centre (the + and − buttons and keys).
    pub fn zoomed_by(&self, steps: f64) -> Viewport {
        self.zoomed_at(self.zoom + steps, self.width / 2.0, self.height / 2.0)
    }

    /// The view with its centre kept inside `bounds`, so the map cannot be lost off-screen.
    pub fn kept_within(&self, bounds: WorldBounds) -> Viewport {
        Viewport {
            center: WorldPoint {
                x: self.center.x.clamp(bounds.min.x, bounds.max.x),
                y: self.center.y.clamp(bounds.min.y, bounds.max.y),
            },
            ..*self
        }
    }

    /// Whether screen `(x, y)` is on the map or within `margin` pixels of it.
    pub fn shows(&self, (x, y): (f64, f64), margin: f64) -> bool {
        x >= -margin && y >= -margin && x <= self.width + margin && y <= self.height + margin
    }

    /// The tiles covering the view at the integer zoom nearest to ours, each with its place.
    pub fn tiles(&self) -> Vec<TilePlacement> {
        let z = self.zoom.round().clamp(0.0, Self::MAX_ZOOM) as u8;
        let tiles_per_side = f64::from(1u32 << z);
        let size = self.scale() / tiles_per_side;
        let top_left = self.to_world(0.0, 0.0);
        let bottom_right = self.to_world(self.width, self.height);
        let range = |from: f64, to: f64| {
            let first = (from * tiles_per_side).floor().max(0.0) as u32;
            let last = ((to * tiles_per_side).floor())
                .min(tiles_per_side - 1.0)
                .max(0.0) as u32;
            first..=last
        };
        let mut tiles = Vec::new();
        for y in range(top_left.y, bottom_right.y) {
            for x in range(top_left.x, bottom_right.x) {
                let (left, top) = self.to_screen(WorldPoint {
                    x: f64::from(x) / tiles_per_side,
                    y: f64::from(y) / tiles_per_side,
                });
                tiles.push(TilePlacement {
                    z,
                    x,
                    y,
                    left,
                    top,
                    size,
                });
            }
        }
        tiles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone_view() -> Viewport {
        Viewport {
            center: project(LatLon::new(39.9, 116.4)),
            zoom: 10.0,
            width: 390.0,
            height: 600.0,
        }
    }

    fn close(a: WorldPoint, b: WorldPoint) -> bool {
        (a.x - b.x).abs() < 1e-12 && (a.y - b.y).abs() < 1e-12
    }

    #[test]
    fn a_pinch_keeps_the_map_under_the_fingers() {
        let view = phone_view();
        // Fingers spread to twice their distance about a fixed midpoint: one zoom step in, and
        // the point under the midpoint stays there.
        let under = view.to_world(200.0, 300.0);
        let spread = view.pinched(
            [(150.0, 300.0), (250.0, 300.0)],
            [(100.0, 300.0), (300.0, 300.0)],
        );
        assert!((spread.zoom - 11.0).abs() < 1e-9);
        assert!(close(spread.to_world(200.0, 300.0), under));
        // Both fingers move 30 px right: a plain pan, no zoom.
        let moved = view.pinched(
            [(150.0, 300.0), (250.0, 300.0)],
            [(180.0, 300.0), (280.0, 300.0)],
        );
        assert_eq!(moved.zoom, view.zoom);
        assert!(close(moved.to_world(230.0, 300.0), under));
        // Fingers on one spot: nothing to measure, nothing changes.
        assert_eq!(view.pinched([(1.0, 1.0); 2], [(5.0, 5.0); 2]), view);
    }

    #[test]
    fn the_wheel_zooms_about_the_pointer_in_bounded_steps() {
        let view = phone_view();
        let under = view.to_world(50.0, 80.0);
        let lines = view.wheeled(-3.0, 1, 50.0, 80.0);
        assert!((lines.zoom - (10.0 + 120.0 / 300.0)).abs() < 1e-9);
        assert!(close(lines.to_world(50.0, 80.0), under));
        // A page, or a flung wheel, is capped at 400 px' worth.
        assert!((view.wheeled(1.0, 2, 0.0, 0.0).zoom - (10.0 - 400.0 / 300.0)).abs() < 1e-9);
        assert!((view.wheeled(-9_000.0, 0, 0.0, 0.0).zoom - (10.0 + 400.0 / 300.0)).abs() < 1e-9);
        assert_eq!(view.zoomed_by(1.0).center, view.center);
        assert_eq!(view.zoomed_by(99.0).zoom, Viewport::MAX_ZOOM);
    }

    /// Published reference pairs (WGS-84 → GCJ-02) from the eviltransform test-suite, which
    /// several independent implementations agree on.
    const REFERENCE: &[(LatLon, LatLon)] = &[
        (
            LatLon::new(31.177_427_6, 121.527_210_6),
            LatLon::new(31.175_303_983_645_97, 121.531_541_859_215),
        ),
        (
            LatLon::new(22.543_847, 113.912_316),
            LatLon::new(22.540_796_131_694_766, 113.917_176_480_836_3),
        ),
        (
            LatLon::new(39.911_954, 116.377_817),
            LatLon::new(39.913_345_455_360_69, 116.384_047_224_556_57),
        ),
    ];

    fn metres(a: LatLon, b: LatLon) -> f64 {
        great_circle_km(a, b) * 1000.0
    }

    #[test]
    fn gcj02_forward_matches_published_points_within_a_metre() {
        for (wgs, gcj) in REFERENCE {
            let error = metres(wgs84_to_gcj02(*wgs), *gcj);
            assert!(error < 1.0, "{wgs:?}: {error} m off");
            // And the offset is real: hundreds of metres, not a no-op.
            assert!(metres(*wgs, *gcj) > 100.0);
        }
    }

    #[test]
    fn gcj02_inverse_round_trips_to_millimetres() {
        for (wgs, gcj) in REFERENCE {
            assert!(metres(gcj02_to_wgs84(*gcj), *wgs) < 0.5);
        }
        let tiananmen = LatLon::new(39.9075, 116.3972);
        assert!(metres(gcj02_to_wgs84(wgs84_to_gcj02(tiananmen)), tiananmen) < 0.01);
    }

    #[test]
    fn gcj02_is_the_identity_outside_china() {
        for outside in [
            LatLon::new(51.5007, -0.1246),   // London
            LatLon::new(35.6586, 139.7454),  // Tokyo
            LatLon::new(40.6892, -74.0445),  // New York
            LatLon::new(-33.8568, 151.2153), // Sydney
            LatLon::new(0.5, 100.0),         // south of the China rectangle
        ] {
            assert_eq!(wgs84_to_gcj02(outside), outside);
            assert_eq!(gcj02_to_wgs84(outside), outside);
        }
    }

    #[test]
    fn mercator_round_trips_and_knows_its_landmarks() {
        let origin = project(LatLon::new(0.0, 0.0));
        assert!((origin.x - 0.5).abs() < 1e-12 && (origin.y - 0.5).abs() < 1e-12);
        let corner = project(LatLon::new(MAX_MERCATOR_LAT, -180.0));
        assert!(corner.x.abs() < 1e-12 && corner.y.abs() < 1e-9);
        for lat in [-80.0, -33.8, 0.0, 39.9075, 42.62, 85.0] {
            for lon in [-179.9, -0.1, 0.0, 116.3972, 179.9] {
                let back = unproject(project(LatLon::new(lat, lon)));
                assert!((back.lat - lat).abs() < 1e-9 && (back.lon - lon).abs() < 1e-9);
            }
        }
        // Tiananmen lies in slippy-map tile 13/6744/3104 (x, y at zoom 13).
        let tile = project(LatLon::new(39.9075, 116.3972));
        let scale = 13f64.exp2();
        assert_eq!(
            ((tile.x * scale) as u32, (tile.y * scale) as u32),
            (6744, 3104)
        );
        // Latitudes beyond the square world are clamped, not NaN.
        assert!(project(LatLon::new(90.0, 0.0)).y.abs() < 1e-9);
    }

    #[test]
    fn great_circle_distances_match_known_values() {
        // The classic haversine example (Rosetta Code): Nashville BNA → Los Angeles LAX is
        // 2,887.26 km on a 6,372.8 km sphere; scaled to our radius.
        let bna = LatLon::new(36.12, -86.67);
        let lax = LatLon::new(33.94, -118.40);
        assert!((great_circle_km(bna, lax) - 2887.26 * EARTH_RADIUS_KM / 6372.8).abs() < 0.05);
        // A degree of latitude is 111.2 km; a point is 0 km from itself; symmetric.
        let a = LatLon::new(39.0, 116.0);
        assert!((great_circle_km(a, LatLon::new(40.0, 116.0)) - 111.195).abs() < 0.01);
        assert_eq!(great_circle_km(a, a), 0.0);
        let b = LatLon::new(39.1, 117.2);
        assert_eq!(great_circle_km(a, b), great_circle_km(b, a));
        // Antipodes: half the circumference, no NaN from rounding.
        let half = great_circle_km(LatLon::new(0.0, 0.0), LatLon::new(0.0, 180.0));
        assert!((half - PI * EARTH_RADIUS_KM).abs() < 1e-6);
    }

    #[test]
    fn bounds_fit_the_viewport() {
        let bounds = WorldBounds::around([
            project(LatLon::new(41.0, 115.5)),
            project(LatLon::new(39.0, 117.5)),
        ])
        .unwrap();
        let zoom = bounds.fit_zoom(600.0, 400.0, 20.0);
        let scale = world_scale(zoom);
        let (w, h) = (
            (bounds.max.x - bounds.min.x) * scale,
            (bounds.max.y - bounds.min.y) * scale,
        );
        assert!(w <= 560.0 + 1e-6 && h <= 360.0 + 1e-6);
        assert!((w - 560.0).abs() < 1e-6 || (h - 360.0).abs() < 1e-6);
        assert_eq!(WorldBounds::around(std::iter::empty()), None);
    }

    fn view() -> Viewport {
        Viewport {
            center: project(LatLon::new(39.9075, 116.3972)),
            zoom: 10.0,
            width: 400.0,
            height: 300.0,
        }
    }

    #[test]
    fn viewport_maps_screen_and_world_both_ways() {
        let v = view();
        let (x, y) = v.to_screen(v.center);
        assert!((x - 200.0).abs() < 1e-9 && (y - 150.0).abs() < 1e-9);
        let w = v.to_world(13.0, 271.0);
        let (x, y) = v.to_screen(w);
        assert!((x - 13.0).abs() < 1e-6 && (y - 271.0).abs() < 1e-6);
    }

    #[test]
    fn panning_moves_content_with_the_pointer() {
        let v = view();
        let point = v.to_world(100.0, 100.0);
        let moved = v.panned(30.0, -20.0);
        let (x, y) = moved.to_screen(point);
        assert!((x - 130.0).abs() < 1e-6 && (y - 80.0).abs() < 1e-6);
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_clamps() {
        let v = view();
        let under = v.to_world(50.0, 60.0);
        let zoomed = v.zoomed_at(12.5, 50.0, 60.0);
        let (x, y) = zoomed.to_screen(under);
        assert!((x - 50.0).abs() < 1e-6 && (y - 60.0).abs() < 1e-6);
        assert_eq!(v.zoomed_at(30.0, 0.0, 0.0).zoom, Viewport::MAX_ZOOM);
        assert_eq!(v.zoomed_at(-3.0, 0.0, 0.0).zoom, Viewport::MIN_ZOOM);
    }

    #[test]
    fn tiles_cover_the_view_exactly() {
        let v = view();
        let tiles = v.tiles();
        assert!(
            tiles
                .iter()
                .all(|t| t.z == 10 && (t.size - 256.0).abs() < 1e-9)
        );
        // Every screen corner is inside some tile, and no tile lies wholly off screen.
        for (x, y) in [(0.0, 0.0), (399.9, 0.0), (0.0, 299.9), (399.9, 299.9)] {
            assert!(tiles.iter().any(|t| {
                x >= t.left && x < t.left + t.size && y >= t.top && y < t.top + t.size
            }));
        }
        assert!(tiles.iter().all(|t| t.left < 400.0
            && t.top < 300.0
            && t.left + t.size > 0.0
            && t.top + t.size > 0.0));
        // Beijing at zoom 10 is in tile x 843, y 388.
        assert!(tiles.iter().any(|t| (t.x, t.y) == (843, 388)));
        // Half-way between zooms, tiles are drawn at the nearer zoom, scaled.
        let between = Viewport { zoom: 10.4, ..v };
        assert!(between.tiles().iter().all(|t| t.z == 10 && t.size > 256.0));
    }
}
