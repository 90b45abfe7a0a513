//! Criterion benches of the tour planner: TSPLIB kroA100 / lin318 (fixed iteration
//! budgets) and the Tarn real case (10 days from Albi, 7-hour days, 2-hour permanences).
//! Instances come from `data/instances/fetch.sh`; the Tarn case from the shared data.

#[path = "common/instances.rs"]
mod instances;
#[path = "common/tarn.rs"]
mod tarn;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use maillage_plan::tours::{TspOptions, solve_tour_request, solve_tsp};

fn tsp(c: &mut Criterion) {
    let list = match instances::tsplib(400) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e} — benches TSPLIB ignorés");
            return;
        }
    };
    let mut g = c.benchmark_group("tsp");
    g.sample_size(10);
    for inst in list
        .iter()
        .filter(|i| i.name == "kroA100" || i.name == "lin318")
    {
        let opts = TspOptions {
            time_limit: Duration::from_secs(30),
            max_iterations: None,
            ..TspOptions::default()
        };
        g.bench_function(format!("{} auto iterations", inst.name), |b| {
            b.iter(|| solve_tsp(&inst.matrix, &opts))
        });
    }
    g.finish();
}

fn tarn_case(c: &mut Criterion) {
    let Some(dir) = tarn::data_dir() else {
        eprintln!("données partagées absentes : bench du Tarn ignoré");
        return;
    };
    let (req, _) = tarn::tarn_request(&dir);
    let mut g = c.benchmark_group("tours");
    g.sample_size(10);
    g.bench_function("tarn 10 days from Albi, 7 h days, 2 h permanences", |b| {
        b.iter(|| solve_tour_request(&req))
    });
    g.finish();
}

criterion_group!(benches, tsp, tarn_case);
criterion_main!(benches);
