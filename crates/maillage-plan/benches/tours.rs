//! Criterion benches of the tour planner: TSPLIB kroA100 / lin318 (fixed iteration
//! budgets), the Tarn real case (10 days from Albi, 7-hour days, 2-hour permanences) and
//! the refusal of an oversized request (100,000 hand-made stops around Albi).
//! Instances come from `data/instances/fetch.sh`; the Tarn case from the shared data.

#[path = "common/instances.rs"]
mod instances;
#[path = "common/tarn.rs"]
mod tarn;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use maillage_plan::tours::{
    TourPlace, TourRequest, TourStopInput, TspOptions, solve_tour_request, solve_tsp,
};

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

/// Over `MAX_STOPS`: refused before any work, however many stops come.
fn refusal(c: &mut Criterion) {
    let req = TourRequest {
        base: TourPlace {
            lon: Some(2.148),
            lat: Some(43.929),
            ..TourPlace::default()
        },
        stops: (0..100_000)
            .map(|k| TourStopInput {
                id: k.to_string(),
                lon: Some(2.0 + (k % 300) as f64 * 0.001),
                lat: Some(43.9 + (k / 300) as f64 * 0.001),
                ..TourStopInput::default()
            })
            .collect(),
        days: Some(10),
        ..serde_json::from_str(r#"{"base": {"lon": 2.148, "lat": 43.929}, "stops": []}"#)
            .expect("a minimal tour request")
    };
    // The body the server receives: parsing it is most of the work of a 413.
    let body = serde_json::to_string(&req).expect("a serialisable request");
    eprintln!("body of 100,000 stops: {:.1} MB", body.len() as f64 / 1e6);
    let mut g = c.benchmark_group("tours");
    g.bench_function("refusal of 100,000 stops", |b| {
        b.iter(|| solve_tour_request(&req).expect_err("over the stop limit"))
    });
    g.sample_size(20);
    g.bench_function("parse and refuse a body of 100,000 stops", |b| {
        b.iter(|| {
            let req: TourRequest = serde_json::from_str(&body).expect("a valid body");
            solve_tour_request(&req).expect_err("over the stop limit")
        })
    });
    g.finish();
}

criterion_group!(benches, tsp, tarn_case, refusal);
criterion_main!(benches);
