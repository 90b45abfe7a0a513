//! The Tarn real case on the shared data (`#[ignore]`d: run with `--include-ignored`).

#![allow(clippy::unwrap_used)]

#[path = "../benches/common/tarn.rs"]
mod tarn;

use maillage_plan::tours::solve_tour_request;

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn tarn_ten_days_from_albi_fill_seven_hour_days_with_the_most_fragile_unserved_communes() {
    let dir = tarn::data_dir().expect("needs the shared data (set MAILLAGE_DATA_DIR)");
    let (req, no_ifn) = tarn::tarn_request(&dir);
    assert!(
        req.stops.len() > 200,
        "{} communes non desservies seulement",
        req.stops.len()
    );
    let res = solve_tour_request(&req).expect("requête valide");
    assert_eq!(res.days.len(), 10);
    let mut seen = std::collections::HashSet::new();
    for d in &res.days {
        assert!(
            d.total_minutes <= 420.0 + 1e-6,
            "jour {} : {} min",
            d.day,
            d.total_minutes
        );
        // 2-hour permanences in 7 hours: at most 3 a day, and every day is used.
        assert!(
            (1..=3).contains(&d.stops.len()),
            "jour {} : {} arrêts",
            d.day,
            d.stops.len()
        );
        assert!(d.geometry.is_some());
        for s in &d.stops {
            assert!(seen.insert(s.clone()), "{s} visité deux fois");
        }
    }
    assert_eq!(seen.len() + res.unvisited.len(), req.stops.len());
    assert!(res.unvisited.iter().all(|u| u.code == "pas_de_place"));
    // The plan serves far more priority than the 30 heaviest stops would on average.
    let mut weights: Vec<f64> = req.stops.iter().filter_map(|s| s.weight).collect();
    weights.sort_by(|a, b| b.total_cmp(a));
    let mean_top = weights.iter().take(seen.len()).sum::<f64>() / seen.len() as f64;
    let mean_all = weights.iter().sum::<f64>() / weights.len() as f64;
    assert!(
        res.total_weight / seen.len() as f64 > mean_all,
        "{} vs {mean_all}",
        res.total_weight
    );
    println!(
        "Tarn : {} arrêts candidats ({} sans IFN écartés), {} visités, poids {:.0} (moyenne des {} plus lourds : {:.0}/arrêt), trajet {:.0} min, {} ms, {} itérations",
        req.stops.len(),
        no_ifn,
        seen.len(),
        res.total_weight,
        seen.len(),
        mean_top,
        res.total_travel,
        res.solver.elapsed_ms,
        res.solver.iterations
    );
}
