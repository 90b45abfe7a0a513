//! Which features a request matches: bbox (exact), attribute filters, datetime.

use maillage_core::geo::{Coord, Intersects, Rect};

use super::layer::Layer;
use super::provider::{Filter, Geometry};
use super::query::ItemsQuery;

/// Indexes of the matching features, in increasing (paging) order.
pub fn select(layer: &Layer, q: &ItemsQuery) -> Vec<usize> {
    let p = &*layer.provider;
    let mut ids: Vec<usize> = match &q.bbox {
        None => (0..p.len()).collect(),
        Some(boxes) => {
            let mut ids: Vec<usize> = boxes.iter().flat_map(|b| p.candidates(*b)).collect();
            if boxes.len() > 1 {
                ids.sort_unstable();
                ids.dedup();
            }
            ids.retain(|&i| boxes.iter().any(|b| intersects(&p.geometry(i), *b)));
            ids
        }
    };
    let fields = p.fields();
    for (k, wanted) in &q.filters {
        let kind = fields.get(*k).map(|f| f.filter).unwrap_or(Filter::No);
        ids.retain(|&i| {
            let v = p.filter_value(i, *k);
            let Some(text) = v.as_text() else {
                return false;
            };
            match kind {
                Filter::AnyOf => text
                    .split('|')
                    .any(|t| wanted.iter().any(|w| w.eq_ignore_ascii_case(t))),
                _ => wanted.iter().any(|w| w.eq_ignore_ascii_case(&text)),
            }
        });
    }
    if let (Some((from, to)), Some(field)) = (&q.datetime, p.temporal_field()) {
        ids.retain(|&i| {
            let v = p.value(i, field);
            let Some(d) = v.as_text() else {
                return false;
            };
            from.as_deref().is_none_or(|f| *d >= *f) && to.as_deref().is_none_or(|t| *d <= *t)
        });
    }
    ids
}

/// Whether a geometry intersects a lon/lat box (edges included).
pub fn intersects(g: &Geometry<'_>, b: [f64; 4]) -> bool {
    match g {
        Geometry::Empty => false,
        Geometry::Point([x, y]) => *x >= b[0] && *x <= b[2] && *y >= b[1] && *y <= b[3],
        Geometry::Polygons(mp) => {
            let rect = Rect::new(Coord { x: b[0], y: b[1] }, Coord { x: b[2], y: b[3] });
            mp.intersects(&rect)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_core::geo::{MultiPolygon, polygon};

    #[test]
    fn a_box_inside_a_polygon_intersects_it_and_a_box_beside_it_does_not() {
        let mp = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)
        ]]);
        let g = Geometry::Polygons(&mp);
        assert!(intersects(&g, [4.0, 4.0, 5.0, 5.0]));
        assert!(intersects(&g, [9.0, 9.0, 12.0, 12.0]));
        assert!(!intersects(&g, [11.0, 11.0, 12.0, 12.0]));
    }
}
