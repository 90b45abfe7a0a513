//! Gap to the proven optimum of the site-choice benchmark (TSPLIB point sets, optima by
//! exact MIP in data/instances/site_optima.csv), as a table.
//!
//! `cargo run --release -p maillage-plan --example site_quality [-- --seed N]`
//! Time limit: 2 s per instance.

#[path = "../common/instances.rs"]
mod instances;

use std::time::{Duration, Instant};

use maillage_plan::sites::{SiteObjective, SiteOptions, SiteProblem, solve_sites};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1u64);
    let cases = match instances::site_cases() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!(
        "{:<28} {:>4} {:>4} {:>10} {:>10} {:>7} {:>7}",
        "instance", "n", "p", "optimum", "found", "gap %", "time s"
    );
    let (mut med, mut cov) = (Vec::new(), Vec::new());
    for c in &cases {
        let n = c.weights.len();
        let objective = match c.radius {
            None => SiteObjective::Median,
            Some(radius) => SiteObjective::Coverage { radius },
        };
        let pr = SiteProblem {
            weights: &c.weights,
            cost: &c.cost,
            candidates: n,
            existing: 0,
            p: c.p,
            objective,
        };
        let opts = SiteOptions {
            seed,
            time_limit: Duration::from_secs(2),
            max_iterations: Some(u64::MAX),
        };
        let start = Instant::now();
        let sol = solve_sites(&pr, &opts);
        let secs = start.elapsed().as_secs_f64();
        let gap = match c.radius {
            None => 100.0 * (sol.value - c.optimum) / c.optimum,
            Some(_) => 100.0 * (c.optimum - sol.value) / c.optimum,
        };
        if c.radius.is_none() {
            med.push(gap)
        } else {
            cov.push(gap)
        }
        println!(
            "{:<28} {:>4} {:>4} {:>10} {:>10} {:>7.3} {:>7.2}",
            c.name, n, c.p, c.optimum, sol.value, gap, secs
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!(
        "mean gap p-median: {:.3} % ({} instances)",
        mean(&med),
        med.len()
    );
    println!(
        "mean gap coverage (below optimum): {:.3} % ({} instances)",
        mean(&cov),
        cov.len()
    );
}
