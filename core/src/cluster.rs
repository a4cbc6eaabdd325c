//! Grouping map pins that would overlap into clusters with counts.
//!
//! Greedy clustering over a grid, the approach of Mapbox's supercluster: points are taken in a
//! fixed order; the first unclaimed point seeds a cluster and claims every unclaimed point within
//! `radius` pixels of it. The grid (cells of `radius` pixels) means each point only looks at its
//! 3 × 3 neighbourhood, so 2,000 points cluster in well under a millisecond.
//!
//! Clusters depend only on the points and the zoom, never on where the map is panned: panning
//! merely culls the same clusters to the viewport, so pins do not jump or re-form while dragging.

use std::collections::HashMap;

use crate::geo::{WorldBounds, WorldPoint};

/// Pins or clusters closer than this many pixels are merged (a pin is about 30 px wide).
pub const DEFAULT_RADIUS_PX: f64 = 40.0;

/// One pin on the map: a single point or a group of nearby points.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Indices into the clustered points, ascending; the first one seeded the cluster and names
    /// it (stable while the zoom stays the same).
    pub members: Vec<usize>,
    /// Where to draw it: the mean of its members, in world units.
    pub center: WorldPoint,
}

impl Cluster {
    /// The stable key of this cluster at its zoom: its seed.
    pub fn key(&self) -> usize {
        self.members[0]
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Whether the cluster is a single point.
    pub fn is_single(&self) -> bool {
        self.members.len() == 1
    }

    /// The rectangle holding all members, for "zoom in to expand".
    pub fn bounds(&self, points: &[WorldPoint]) -> WorldBounds {
        WorldBounds::around(self.members.iter().map(|&i| points[i])).unwrap_or(WorldBounds {
            min: self.center,
            max: self.center,
        })
    }
}

/// Clusters `points` (world units) as seen at `scale` pixels per world unit: points within
/// `radius_px` pixels of a cluster's seed join it. Clusters come out in seed order, which is the
/// order of `points`.
pub fn cluster(points: &[WorldPoint], scale: f64, radius_px: f64) -> Vec<Cluster> {
    let cell = radius_px / scale; // in world units
    let cell_of = |p: &WorldPoint| ((p.x / cell).floor() as i64, (p.y / cell).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::with_capacity(points.len());
    for (index, point) in points.iter().enumerate() {
        grid.entry(cell_of(point)).or_default().push(index);
    }
    let radius_sq = cell * cell;
    let mut claimed = vec![false; points.len()];
    let mut clusters = Vec::new();
    for (seed, seed_point) in points.iter().enumerate() {
        if claimed[seed] {
            continue;
        }
        claimed[seed] = true;
        let mut members = vec![seed];
        let (cx, cy) = cell_of(seed_point);
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(nearby) = grid.get(&(cx + dx, cy + dy)) else {
                    continue;
                };
                for &other in nearby {
                    let p = &points[other];
                    let (ddx, ddy) = (p.x - seed_point.x, p.y - seed_point.y);
                    if !claimed[other] && ddx * ddx + ddy * ddy <= radius_sq {
                        claimed[other] = true;
                        members.push(other);
                    }
                }
            }
        }
        members.sort_unstable();
        let n = members.len() as f64;
        let (sx, sy) = members.iter().fold((0.0, 0.0), |(sx, sy), &i| {
            (sx + points[i].x, sy + points[i].y)
        });
        clusters.push(Cluster {
            members,
            center: WorldPoint {
                x: sx / n,
                y: sy / n,
            },
        });
    }
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::{LatLon, project, world_scale};

    fn px(x: f64, y: f64, scale: f64) -> WorldPoint {
        WorldPoint {
            x: x / scale,
            y: y / scale,
        }
    }

    #[test]
    fn close_points_merge_and_far_points_stay_apart() {
        let scale = world_scale(10.0);
        let points = [
            px(1000.0, 1000.0, scale),
            px(1010.0, 1005.0, scale), // 11 px from the first
            px(1200.0, 1000.0, scale), // far
            px(1035.0, 1000.0, scale), // 35 px: within 40
        ];
        let clusters = cluster(&points, scale, 40.0);
        assert_eq!(clusters.len(), 2);
        assert_eq!(clusters[0].members, vec![0, 1, 3]);
        assert_eq!(clusters[0].key(), 0);
        assert!(clusters[1].is_single() && clusters[1].members == vec![2]);
        let center = clusters[0].center;
        assert!(
            (center.x * scale - 1015.0).abs() < 1e-6 && (center.y * scale - 1001.666).abs() < 1e-2
        );
    }

    #[test]
    fn every_point_lands_in_exactly_one_cluster() {
        let catalogue = crate::synthetic::catalogue(20_000);
        let points: Vec<WorldPoint> = catalogue
            .partners
            .iter()
            .flat_map(|p| &p.locations)
            .map(|l| project(LatLon::new(l.lat, l.lon)))
            .collect();
        assert_eq!(points.len(), 2_000);
        for zoom in [6.0, 8.0, 10.5, 14.0, 18.0] {
            let clusters = cluster(&points, world_scale(zoom), DEFAULT_RADIUS_PX);
            let mut seen: Vec<usize> = clusters.iter().flat_map(|c| c.members.clone()).collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..points.len()).collect::<Vec<_>>(), "zoom {zoom}");
            // No two seeds closer than the radius: that is what "overlapping" means.
            let scale = world_scale(zoom);
            for (i, a) in clusters.iter().enumerate().take(200) {
                for b in &clusters[i + 1..] {
                    let (pa, pb) = (points[a.key()], points[b.key()]);
                    let d = ((pa.x - pb.x).powi(2) + (pa.y - pb.y).powi(2)).sqrt() * scale;
                    assert!(d > DEFAULT_RADIUS_PX, "zoom {zoom}: seeds {d} px apart");
                }
            }
        }
        // Zooming out never makes more pins; fully zoomed in, this data has every point alone.
        let counts: Vec<usize> = [6.0, 9.0, 12.0, 18.0]
            .iter()
            .map(|z| cluster(&points, world_scale(*z), DEFAULT_RADIUS_PX).len())
            .collect();
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
        assert!(counts[0] < 100 && counts[3] > 1_900, "{counts:?}");
    }

    #[test]
    fn cluster_bounds_hold_all_members() {
        let scale = 1000.0;
        let points = [px(10.0, 10.0, scale), px(30.0, 40.0, scale)];
        let clusters = cluster(&points, scale, 50.0);
        let bounds = clusters[0].bounds(&points);
        assert_eq!((bounds.min, bounds.max), (points[0], points[1]));
        assert!(cluster(&[], scale, 50.0).is_empty());
    }
}
