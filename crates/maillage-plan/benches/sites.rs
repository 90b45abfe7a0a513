//! Criterion benches of site choice on the TSPLIB-point-set cases of
//! `data/instances/site_optima.csv` (p-median and coverage, default iteration budget).

#[path = "common/instances.rs"]
mod instances;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use maillage_plan::sites::{SiteObjective, SiteOptions, SiteProblem, solve_sites};

fn sites(c: &mut Criterion) {
    let cases = match instances::site_cases() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e} — benches des sites ignorés");
            return;
        }
    };
    let mut g = c.benchmark_group("sites");
    g.sample_size(10);
    for case in cases
        .iter()
        .filter(|c| c.name.starts_with("qa194") || c.name.starts_with("lin318"))
    {
        let n = case.weights.len();
        let pr = SiteProblem {
            weights: &case.weights,
            cost: &case.cost,
            candidates: n,
            existing: 0,
            p: case.p,
            objective: match case.radius {
                None => SiteObjective::Median,
                Some(radius) => SiteObjective::Coverage { radius },
            },
        };
        let opts = SiteOptions {
            time_limit: Duration::from_secs(30),
            ..SiteOptions::default()
        };
        g.bench_function(&case.name, |b| b.iter(|| solve_sites(&pr, &opts)));
    }
    g.finish();
}

criterion_group!(benches, sites);
criterion_main!(benches);
