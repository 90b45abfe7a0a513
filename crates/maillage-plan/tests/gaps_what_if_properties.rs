//! Property: a what-if that adds venues never makes any commune's travel time worse, and
//! never turns a served commune unserved. On the hand-made catalog of
//! `fixtures/gaps/catalog.rs` (invented communes and venues, not real data), with
//! random added venues (points or town halls) and thresholds; 64 cases.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "fixtures/gaps/catalog.rs"]
mod fixture;

use std::collections::HashMap;
use std::sync::OnceLock;

use maillage_core::Catalog;
use maillage_plan::gaps::{AddedVenue, GapIndex, GapRequest, Status};
use proptest::prelude::*;

fn loaded() -> &'static (Catalog, GapIndex) {
    static LOADED: OnceLock<(Catalog, GapIndex)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let catalog = fixture::small();
        let index = GapIndex::build(
            &catalog,
            maillage_ingest::reproject::default_reprojector().into(),
        );
        (catalog, index)
    })
}

/// A venue at a point around the hand-made communes, or at one of their town halls.
fn added() -> impl Strategy<Value = AddedVenue> {
    prop_oneof![
        (1.8f64..2.5, 43.8f64..44.2).prop_map(|(lon, lat)| AddedVenue::at(lon, lat)),
        prop::sample::select(vec!["81001", "81002", "81003", "81005", "81006", "82001"])
            .prop_map(AddedVenue::town_hall),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn adding_venues_never_makes_a_commune_worse(
        added in prop::collection::vec(added(), 1..4),
        threshold in 1.0f64..40.0,
        both_departements in any::<bool>(),
    ) {
        let (catalog, index) = loaded();
        let mut req = if both_departements {
            GapRequest::for_departements(["81", "82"])
        } else {
            GapRequest::for_departements(["81"])
        };
        req.threshold_minutes = threshold;
        let before = index.analyse(catalog, &req).unwrap();
        req.added = added;
        let after = index.analyse(catalog, &req).unwrap();
        let after: HashMap<_, _> = after.communes.iter().map(|c| (c.code, c)).collect();
        prop_assert_eq!(after.len(), before.communes.len());
        for b in &before.communes {
            let a = after[&b.code];
            if let Some(mb) = b.minutes {
                let ma = a.minutes.unwrap();
                prop_assert!(ma <= mb + 1e-9, "{}: {} min before, {} after", b.code, mb, ma);
            }
            if b.status == Status::Served {
                prop_assert_eq!(a.status, Status::Served, "{}", b.code);
            }
        }
    }
}
