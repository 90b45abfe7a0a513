//! Properties of the bbox queries of the catalog (`Catalog::venues_in_bbox`,
//! `Catalog::communes_in_bbox`, on the core `SpatialIndex`): every hit lies in (or, for
//! communes, intersects) the bbox and nothing that does is missed, checked by brute
//! force. Random hand-made catalogs around Albi (rectangular communes, venues at random
//! points), 128 cases each.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::BTreeMap;

use maillage_core::geo::{LineString, MultiPolygon, Polygon};
use maillage_core::{
    Catalog, Commune, Fragility, Placement, Venue, VenueId, VenueRecord, VenueSource,
};
use maillage_ingest::reproject::{Reproject, default_reprojector, position};
use proptest::prelude::*;

fn reprojector() -> &'static dyn Reproject {
    static R: std::sync::OnceLock<Box<dyn Reproject>> = std::sync::OnceLock::new();
    &**R.get_or_init(default_reprojector)
}

fn venue(i: usize, (lon, lat): (f64, f64)) -> Venue {
    Venue {
        id: VenueId(0),
        record: VenueRecord {
            id: format!("v{i}"),
            ..VenueRecord::default()
        },
        position: position(reprojector(), lon, lat).unwrap(),
        placement: Placement::Exact,
        commune: None,
        sources: vec![VenueSource::new("hand-made", 2, format!("v{i}"))],
        location_flags: Vec::new(),
        declared_commune: None,
        location_note: String::new(),
    }
}

fn commune(i: usize, [w, s, e, n]: [f64; 4]) -> Commune {
    let code: maillage_core::InseeCode = format!("81{:03}", i + 1).parse().unwrap();
    let ring = LineString::from(vec![(w, s), (e, s), (e, n), (w, n), (w, s)]);
    Commune {
        code,
        name: format!("Commune {i}"),
        population: 100,
        postal_codes: Vec::new(),
        departement: code.departement(),
        epci: None,
        boundary: MultiPolygon(vec![Polygon::new(ring, vec![])]),
        boundary_source: "hand-made".into(),
        town_hall: None,
        fragility: Fragility::default(),
        population_year: None,
    }
}

fn catalog(communes: Vec<Commune>, venues: Vec<Venue>) -> Catalog {
    Catalog::new(
        communes,
        venues,
        BTreeMap::new(),
        BTreeMap::new(),
        Vec::new(),
    )
}

/// A lon/lat rectangle `[west, south, east, north]` around Albi, up to 0.6° wide.
fn rect() -> impl Strategy<Value = [f64; 4]> {
    (1.5f64..2.7, 43.5f64..44.3, 0.0f64..0.6, 0.0f64..0.6)
        .prop_map(|(w, s, dw, dh)| [w, s, w + dw, s + dh])
}

fn point() -> impl Strategy<Value = (f64, f64)> {
    (1.6f64..2.6, 43.6f64..44.2)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_venue_in_the_bbox_and_only_those_is_a_hit(
        points in prop::collection::vec(point(), 0..60),
        bbox in rect(),
    ) {
        let cat = catalog(Vec::new(), points.iter().enumerate().map(|(i, &p)| venue(i, p)).collect());
        let [w, s, e, n] = bbox;
        let hits: Vec<&str> = cat.venues_in_bbox(bbox).iter().map(|v| v.record.id.as_str()).collect();
        for v in cat.venues_in_bbox(bbox) {
            let [lon, lat] = v.position.lonlat;
            prop_assert!(w <= lon && lon <= e && s <= lat && lat <= n, "{} at ({lon}, {lat})", v.record.id);
        }
        let expected: Vec<&str> = cat
            .venues
            .iter()
            .filter(|v| {
                let [lon, lat] = v.position.lonlat;
                w <= lon && lon <= e && s <= lat && lat <= n
            })
            .map(|v| v.record.id.as_str())
            .collect();
        prop_assert_eq!(hits, expected);
    }

    #[test]
    fn every_commune_whose_box_meets_the_bbox_and_only_those_is_a_hit(
        boxes in prop::collection::vec(rect(), 0..40),
        bbox in rect(),
    ) {
        let cat = catalog(boxes.iter().enumerate().map(|(i, &b)| commune(i, b)).collect(), Vec::new());
        let meets = |c: &Commune| {
            let [w, s, e, n] = c.bbox().unwrap();
            w <= bbox[2] && bbox[0] <= e && s <= bbox[3] && bbox[1] <= n
        };
        let hits = cat.communes_in_bbox(bbox);
        for c in &hits {
            prop_assert!(meets(c), "{} {:?} misses {:?}", c.code, c.bbox(), bbox);
        }
        let hits: Vec<_> = hits.iter().map(|c| c.code).collect();
        let expected: Vec<_> = cat.communes.iter().filter(|c| meets(c)).map(|c| c.code).collect();
        prop_assert_eq!(hits, expected);
    }
}
