//! Bulk-loaded R-trees over venues and commune boundaries, and the queries on them.

use geo::{Coord, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::{Position, Zone};

type PointEntry = GeomWithData<[f64; 2], u32>;
type BoxEntry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// Spatial indexes of a catalog. Items are referred to by their index in the
/// catalog's vectors (attach ids, not payloads).
#[derive(Debug, Default)]
pub struct SpatialIndex {
    points_lonlat: RTree<PointEntry>,
    points_metric: Vec<RTree<PointEntry>>,
    areas: RTree<BoxEntry>,
}

impl SpatialIndex {
    /// Builds the indexes from point positions and area bounding boxes
    /// (`[west, south, east, north]`, `None` for an area without geometry).
    pub fn build(points: &[Position], area_bboxes: &[Option<[f64; 4]>]) -> SpatialIndex {
        let points_lonlat = RTree::bulk_load(
            points
                .iter()
                .enumerate()
                .map(|(i, p)| PointEntry::new(p.lonlat, i as u32))
                .collect(),
        );
        let points_metric = Zone::ALL
            .iter()
            .map(|zone| {
                RTree::bulk_load(
                    points
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.zone == *zone)
                        .map(|(i, p)| PointEntry::new(p.xy, i as u32))
                        .collect(),
                )
            })
            .collect();
        let areas = RTree::bulk_load(
            area_bboxes
                .iter()
                .enumerate()
                .filter_map(|(i, b)| {
                    b.map(|b| {
                        BoxEntry::new(
                            Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                            i as u32,
                        )
                    })
                })
                .collect(),
        );
        SpatialIndex {
            points_lonlat,
            points_metric,
            areas,
        }
    }

    /// Indexes of the points inside a lon/lat bbox `[west, south, east, north]` (edges included).
    pub fn points_in_bbox(&self, bbox: [f64; 4]) -> impl Iterator<Item = usize> + '_ {
        let env = AABB::from_corners([bbox[0], bbox[1]], [bbox[2], bbox[3]]);
        self.points_lonlat
            .locate_in_envelope(&env)
            .map(|e| e.data as usize)
    }

    /// The points nearest to `from` within its zone, nearest first, as `(index, metres)`,
    /// keeping only those `accept` lets through, at most `k` of them.
    pub fn nearest_points(
        &self,
        from: &Position,
        k: usize,
        mut accept: impl FnMut(usize) -> bool,
    ) -> Vec<(usize, f64)> {
        let tree = &self.points_metric[from.zone.index()];
        tree.nearest_neighbor_iter_with_distance_2(&from.xy)
            .filter(|(e, _)| accept(e.data as usize))
            .take(k)
            .map(|(e, d2)| (e.data as usize, d2.sqrt()))
            .collect()
    }

    /// Indexes of the areas whose bounding box contains the lon/lat point.
    pub fn area_candidates(&self, lon: f64, lat: f64) -> impl Iterator<Item = usize> + '_ {
        self.areas
            .locate_all_at_point(&[lon, lat])
            .map(|e| e.data as usize)
    }

    /// Indexes of the areas whose bounding box intersects the lon/lat bbox.
    pub fn areas_in_bbox(&self, bbox: [f64; 4]) -> impl Iterator<Item = usize> + '_ {
        let env = AABB::from_corners([bbox[0], bbox[1]], [bbox[2], bbox[3]]);
        self.areas
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data as usize)
    }

    /// The first area that contains the point, given a way to read each area's geometry.
    pub fn area_containing<'a>(
        &self,
        lon: f64,
        lat: f64,
        geometry: impl Fn(usize) -> &'a MultiPolygon<f64>,
    ) -> Option<usize> {
        let c = Coord { x: lon, y: lat };
        // The half-open crossing rule puts a point of a shared edge in one polygon only.
        self.area_candidates(lon, lat)
            .find(|&i| contains_point(geometry(i), c))
    }
}

/// Even-odd ray crossing over every ring: a point is inside a polygon when a ray
/// from it crosses its rings an odd number of times. Points exactly on an edge
/// may go either way, deterministically.
///
/// ```
/// use maillage_core::{geo::{polygon, MultiPolygon, Coord}, contains_point};
/// let square = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 2., y: 0.), (x: 2., y: 2.), (x: 0., y: 2.)]]);
/// assert!(contains_point(&square, Coord { x: 1., y: 1. }));
/// assert!(!contains_point(&square, Coord { x: 3., y: 1. }));
/// ```
pub fn contains_point(mp: &MultiPolygon<f64>, c: Coord<f64>) -> bool {
    mp.0.iter().any(|poly| {
        let mut inside = false;
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let pts = &ring.0;
            if pts.len() < 3 {
                continue;
            }
            let mut j = pts.len() - 1;
            for i in 0..pts.len() {
                let (a, b) = (pts[i], pts[j]);
                if (a.y > c.y) != (b.y > c.y) && c.x < (b.x - a.x) * (c.y - a.y) / (b.y - a.y) + a.x
                {
                    inside = !inside;
                }
                j = i;
            }
        }
        inside
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const SEED: u64 = 0x6d61_696c_6c61_6765;

    fn random_positions(n: usize, rng: &mut ChaCha8Rng) -> Vec<Position> {
        (0..n)
            .map(|_| {
                let x = rng.random_range(100_000.0..1_200_000.0);
                let y = rng.random_range(6_000_000.0..7_100_000.0);
                Position {
                    lonlat: [x / 100_000.0, y / 200_000.0],
                    xy: [x, y],
                    zone: Zone::Metropole,
                }
            })
            .collect()
    }

    #[test]
    fn nearest_points_agree_with_brute_force() {
        let mut rng = ChaCha8Rng::seed_from_u64(SEED);
        let pts = random_positions(2000, &mut rng);
        let index = SpatialIndex::build(&pts, &[]);
        for q in random_positions(200, &mut rng) {
            let got = index.nearest_points(&q, 5, |i| i % 3 != 0);
            let mut brute: Vec<(usize, f64)> = pts
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 3 != 0)
                .map(|(i, p)| (i, q.distance_m(p).unwrap_or(f64::INFINITY)))
                .collect();
            brute.sort_by(|a, b| a.1.total_cmp(&b.1));
            assert_eq!(got.len(), 5);
            for (g, b) in got.iter().zip(&brute) {
                assert!((g.1 - b.1).abs() < 1e-6, "{g:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn points_in_bbox_agree_with_brute_force() {
        let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
        let pts = random_positions(3000, &mut rng);
        let index = SpatialIndex::build(&pts, &[]);
        for _ in 0..100 {
            let w = rng.random_range(1.0..11.0);
            let s = rng.random_range(30.0..35.0);
            let bbox = [
                w,
                s,
                w + rng.random_range(0.1..2.0),
                s + rng.random_range(0.1..1.0),
            ];
            let mut got: Vec<usize> = index.points_in_bbox(bbox).collect();
            got.sort_unstable();
            let brute: Vec<usize> = pts
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.lonlat[0] >= bbox[0]
                        && p.lonlat[0] <= bbox[2]
                        && p.lonlat[1] >= bbox[1]
                        && p.lonlat[1] <= bbox[3]
                })
                .map(|(i, _)| i)
                .collect();
            assert_eq!(got, brute);
        }
    }

    #[test]
    fn contains_point_agrees_with_geo_on_random_points() {
        use geo::{Contains, polygon};
        let mut rng = ChaCha8Rng::seed_from_u64(SEED + 2);
        let with_hole = MultiPolygon(vec![polygon!(
            exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 5., y: 6.), (x: 0., y: 10.)],
            interiors: [[(x: 2., y: 2.), (x: 4., y: 2.), (x: 4., y: 4.), (x: 2., y: 4.)]],
        )]);
        for _ in 0..20_000 {
            let c = Coord {
                x: rng.random_range(-1.0..11.0),
                y: rng.random_range(-1.0..11.0),
            };
            assert_eq!(
                contains_point(&with_hole, c),
                with_hole.contains(&c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn points_of_other_zones_are_never_nearest() {
        let a = Position {
            lonlat: [2.0, 45.0],
            xy: [500_000.0, 6_500_000.0],
            zone: Zone::Metropole,
        };
        let b = Position {
            lonlat: [55.5, -21.0],
            xy: [500_001.0, 6_500_000.0],
            zone: Zone::Reunion,
        };
        let index = SpatialIndex::build(&[a, b], &[]);
        let got = index.nearest_points(&b, 5, |_| true);
        assert_eq!(got, vec![(1, 0.0)]);
    }
}
