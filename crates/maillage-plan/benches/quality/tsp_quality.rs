//! Gap to the proven optimum on TSPLIB instances, as a table (or JSON lines with `--json`).
//!
//! `cargo run --release -p maillage-plan --example tsp_quality [-- --json] [-- --seed N]`
//! Time limit per instance: 1 s up to 200 points, 10 s beyond (the bars).

#[path = "../common/instances.rs"]
mod instances;

use std::time::{Duration, Instant};

use maillage_plan::tours::{TspOptions, solve_tsp};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let json = args.iter().any(|a| a == "--json");
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1u64);
    let list = match instances::tsplib(usize::MAX) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if !json {
        println!(
            "{:<10} {:>5} {:>9} {:>9} {:>7} {:>8} {:>9}",
            "instance", "n", "optimum", "found", "gap %", "time s", "limit s"
        );
    }
    let (mut small, mut large) = (Vec::new(), Vec::new());
    for inst in &list {
        let n = inst.matrix.len();
        let limit = if n <= 200 { 1.0 } else { 10.0 };
        let opts = TspOptions {
            seed,
            time_limit: Duration::from_secs_f64(limit),
            max_iterations: Some(u64::MAX),
            ..TspOptions::default()
        };
        let start = Instant::now();
        let sol = solve_tsp(&inst.matrix, &opts);
        let secs = start.elapsed().as_secs_f64();
        let gap = 100.0 * (sol.cost - inst.optimum) / inst.optimum;
        if n <= 200 {
            small.push(gap);
        } else if n <= 600 {
            large.push(gap);
        }
        if json {
            println!(
                "{{\"instance\":\"{}\",\"n\":{n},\"optimum\":{},\"found\":{},\"gap\":{gap:.4},\"time\":{secs:.3},\"iterations\":{}}}",
                inst.name, inst.optimum, sol.cost, sol.iterations
            );
        } else {
            println!(
                "{:<10} {:>5} {:>9} {:>9} {:>7.2} {:>8.2} {:>9}",
                inst.name, n, inst.optimum, sol.cost, gap, secs, limit
            );
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    if !json {
        println!("mean gap ≤ 200 points: {:.2} %", mean(&small));
        println!("mean gap 201–600 points: {:.2} %", mean(&large));
    }
}
