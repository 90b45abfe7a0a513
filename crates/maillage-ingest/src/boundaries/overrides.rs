//! Checks of an override boundary against the registry's boundary of the same commune,
//! used by the loader to choose between override layers (see `load`).
//!
//! The overlap with the neighbours is estimated on a regular grid of points over the
//! override's bounding box: the share of the grid points inside the override that fall
//! outside the registry's commune lies in its neighbours (or outside France). A grid keeps
//! the check cheap (two point-in-polygon tests per point) and deterministic.

use geo::{BoundingRect, Coord, MultiPolygon};
use maillage_core::contains_point;

/// Grid points per side of the override's bounding box.
const GRID: usize = 24;

/// Points of a `GRID`×`GRID` grid over `candidate`'s bounding box that are inside it: how
/// many, and those outside `reference`.
pub fn outside_points(
    candidate: &MultiPolygon<f64>,
    reference: &MultiPolygon<f64>,
) -> (usize, Vec<Coord<f64>>) {
    let Some(r) = candidate.bounding_rect() else {
        return (0, Vec::new());
    };
    let (mut inside, mut outside) = (0, Vec::new());
    for i in 0..GRID {
        for j in 0..GRID {
            let c = Coord {
                x: r.min().x + (i as f64 + 0.5) / GRID as f64 * r.width(),
                y: r.min().y + (j as f64 + 0.5) / GRID as f64 * r.height(),
            };
            if contains_point(candidate, c) {
                inside += 1;
                if !contains_point(reference, c) {
                    outside.push(c);
                }
            }
        }
    }
    (inside, outside)
}

/// Share (0–1) of `candidate` that lies outside `reference`, estimated on the grid.
/// 0 when the candidate holds no grid point (degenerate) or `reference` is empty.
pub fn outside_share(candidate: &MultiPolygon<f64>, reference: &MultiPolygon<f64>) -> f64 {
    if reference.0.is_empty() {
        return 0.0;
    }
    let (inside, outside) = outside_points(candidate, reference);
    if inside == 0 {
        0.0
    } else {
        outside.len() as f64 / inside as f64
    }
}

#[cfg(test)]
mod tests {
    //! Hand-made unit squares.
    use super::*;
    use geo::polygon;

    fn square(x0: f64, y0: f64, side: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0),
            (x: x0 + side, y: y0),
            (x: x0 + side, y: y0 + side),
            (x: x0, y: y0 + side),
            (x: x0, y: y0),
        ]])
    }

    #[test]
    fn the_share_outside_the_registry_commune_is_measured() {
        let registry = square(0.0, 0.0, 1.0);
        assert_eq!(outside_share(&square(0.0, 0.0, 1.0), &registry), 0.0);
        // Shifted by a quarter: a quarter of it lies in the neighbour.
        let shifted = square(0.25, 0.0, 1.0);
        assert!((outside_share(&shifted, &registry) - 0.25).abs() < 0.03);
        // Entirely elsewhere.
        assert_eq!(outside_share(&square(5.0, 5.0, 1.0), &registry), 1.0);
        // A cut commune (smaller, inside) overlaps nothing: the area check catches it.
        assert_eq!(outside_share(&square(0.1, 0.1, 0.3), &registry), 0.0);
        // No registry boundary: nothing to compare with.
        assert_eq!(outside_share(&shifted, &MultiPolygon(vec![])), 0.0);
    }
}
