//! p-median and maximal coverage on a demand × candidate cost matrix.
//!
//! Greedy construction, then vertex substitution with Whitaker's fast interchange
//! (for each entering candidate, the best leaving site in O(demand) from the nearest and
//! second-nearest open sites), iterated with a variable neighbourhood search (shake k
//! random swaps, descend, keep if better). Existing sites are always open and never
//! counted in `p`. Bounded by iterations and time; deterministic for a seed when the
//! iteration bound is reached first.

use std::time::{Duration, Instant};

use crate::tours::rng::Rng;

const EPS: f64 = 1e-9;
const NONE: usize = usize::MAX;

/// What to optimise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SiteObjective {
    /// Minimise Σ weight × cost to the nearest open site.
    Median,
    /// Maximise the weight within `radius` of an open site.
    Coverage {
        /// Largest cost counted as covered.
        radius: f64,
    },
}

/// A site-choice problem. `cost[i * (candidates + existing) + j]` is the cost from demand
/// `i` to column `j`: candidates first, then existing sites.
#[derive(Debug, Clone)]
pub struct SiteProblem<'a> {
    /// Demand weights.
    pub weights: &'a [f64],
    /// Row-major costs, `weights.len()` rows of `candidates + existing` columns.
    pub cost: &'a [f64],
    /// Number of candidate columns.
    pub candidates: usize,
    /// Number of existing (always open) columns after the candidates.
    pub existing: usize,
    /// Sites to open among the candidates.
    pub p: usize,
    /// Objective.
    pub objective: SiteObjective,
}

/// Bounds and seed of a site search.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Seed of the shakes.
    pub seed: u64,
    /// Wall-clock bound.
    pub time_limit: Duration,
    /// Shake + descent rounds; `None`: 200 + 2 × p.
    pub max_iterations: Option<u64>,
}

impl Default for SiteOptions {
    fn default() -> SiteOptions {
        SiteOptions {
            seed: 1,
            time_limit: Duration::from_secs(2),
            max_iterations: None,
        }
    }
}

/// The chosen sites.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteSolution {
    /// Candidate indices, in order of choice by the greedy (then swaps in place).
    pub open: Vec<usize>,
    /// Σ weight × cost (median) or covered weight, existing sites included (coverage).
    pub value: f64,
    /// Column (candidate or `candidates + k` for existing site k) serving each demand;
    /// for coverage, `None` when uncovered.
    pub assignment: Vec<Option<usize>>,
    /// Rounds of the search.
    pub iterations: u64,
    /// True when the time limit stopped the search.
    pub stopped_by_time: bool,
}

/// Solves the problem; `p` is clamped to the number of candidates.
pub fn solve_sites(problem: &SiteProblem, opts: &SiteOptions) -> SiteSolution {
    let start = Instant::now();
    let mut s = Search::new(problem);
    let p = problem.p.min(problem.candidates);
    s.greedy(p);
    s.descend(start, opts.time_limit);
    let mut best_open = s.open.clone();
    let mut best = s.value();
    let mut rng = Rng::new(opts.seed);
    let max_iter = opts.max_iterations.unwrap_or(200 + 2 * p as u64);
    let mut iterations = 0;
    let mut stopped_by_time = false;
    let closed_count = problem.candidates - p;
    let kmax = p.min(closed_count).min(10);
    let mut k = 1;
    while kmax > 0 && iterations < max_iter {
        if start.elapsed() >= opts.time_limit {
            stopped_by_time = true;
            break;
        }
        iterations += 1;
        for _ in 0..k {
            s.random_swap(&mut rng);
        }
        s.descend(start, opts.time_limit);
        let v = s.value();
        if s.better(v, best) {
            best = v;
            best_open.clone_from(&s.open);
            k = 1;
        } else {
            s.set_open(&best_open);
            k = if k >= kmax { 1 } else { k + 1 };
        }
    }
    s.set_open(&best_open);
    SiteSolution {
        open: best_open,
        value: s.value(),
        assignment: s.assignment(),
        iterations,
        stopped_by_time,
    }
}

struct Search<'a> {
    pr: &'a SiteProblem<'a>,
    n: usize,
    cols: usize,
    open: Vec<usize>,
    is_open: Vec<bool>,
    /// Nearest and second-nearest open columns (existing included) and their costs.
    c1: Vec<f64>,
    f1: Vec<usize>,
    c2: Vec<f64>,
    /// Coverage: open columns covering each demand, and one of them.
    cover_count: Vec<u32>,
    cover_by: Vec<usize>,
    loss: Vec<f64>,
}

impl<'a> Search<'a> {
    fn new(pr: &'a SiteProblem<'a>) -> Search<'a> {
        let n = pr.weights.len();
        let cols = pr.candidates + pr.existing;
        let mut s = Search {
            pr,
            n,
            cols,
            open: Vec::new(),
            is_open: vec![false; pr.candidates],
            c1: vec![f64::INFINITY; n],
            f1: vec![NONE; n],
            c2: vec![f64::INFINITY; n],
            cover_count: vec![0; n],
            cover_by: vec![NONE; n],
            loss: vec![0.0; cols],
        };
        s.recompute();
        s
    }

    #[inline]
    fn d(&self, i: usize, j: usize) -> f64 {
        self.pr.cost[i * self.cols + j]
    }

    fn radius(&self) -> Option<f64> {
        match self.pr.objective {
            SiteObjective::Median => None,
            SiteObjective::Coverage { radius } => Some(radius),
        }
    }

    fn better(&self, a: f64, b: f64) -> bool {
        match self.pr.objective {
            SiteObjective::Median => a < b - EPS * b.abs().max(1.0),
            SiteObjective::Coverage { .. } => a > b + EPS * b.abs().max(1.0),
        }
    }

    fn open_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.open
            .iter()
            .copied()
            .chain(self.pr.candidates..self.cols)
    }

    fn recompute(&mut self) {
        let cols: Vec<usize> = self.open_columns().collect();
        let r = self.radius();
        for i in 0..self.n {
            let (mut c1, mut f1, mut c2) = (f64::INFINITY, NONE, f64::INFINITY);
            let (mut cnt, mut by) = (0u32, NONE);
            for &j in &cols {
                let d = self.d(i, j);
                if d < c1 {
                    c2 = c1;
                    c1 = d;
                    f1 = j;
                } else if d < c2 {
                    c2 = d;
                }
                if r.is_some_and(|r| d <= r) {
                    cnt += 1;
                    by = j;
                }
            }
            self.c1[i] = c1;
            self.f1[i] = f1;
            self.c2[i] = c2;
            self.cover_count[i] = cnt;
            self.cover_by[i] = by;
        }
    }

    fn set_open(&mut self, open: &[usize]) {
        for &j in &self.open {
            self.is_open[j] = false;
        }
        self.open = open.to_vec();
        for &j in &self.open {
            self.is_open[j] = true;
        }
        self.recompute();
    }

    fn value(&self) -> f64 {
        let w = self.pr.weights;
        match self.radius() {
            None => (0..self.n)
                .map(|i| if w[i] > 0.0 { w[i] * self.c1[i] } else { 0.0 })
                .sum(),
            Some(_) => (0..self.n)
                .filter(|&i| self.cover_count[i] > 0)
                .map(|i| w[i])
                .sum(),
        }
    }

    fn assignment(&self) -> Vec<Option<usize>> {
        (0..self.n)
            .map(|i| match self.radius() {
                None => (self.f1[i] != NONE).then_some(self.f1[i]),
                Some(r) => (self.f1[i] != NONE && self.c1[i] <= r).then_some(self.f1[i]),
            })
            .collect()
    }

    /// Gain of opening `j` on top of the current sites (higher is better).
    fn add_gain(&self, j: usize) -> f64 {
        let w = self.pr.weights;
        match self.radius() {
            None => (0..self.n)
                .map(|i| {
                    let d = self.d(i, j);
                    if d < self.c1[i] {
                        if self.c1[i].is_finite() {
                            w[i] * (self.c1[i] - d)
                        } else {
                            // Nothing open yet: counts as a very large improvement.
                            w[i] * (1e18 - d)
                        }
                    } else {
                        0.0
                    }
                })
                .sum(),
            Some(r) => (0..self.n)
                .filter(|&i| self.cover_count[i] == 0 && self.d(i, j) <= r)
                .map(|i| w[i])
                .sum(),
        }
    }

    fn greedy(&mut self, p: usize) {
        for _ in 0..p {
            let mut best: Option<(f64, usize)> = None;
            for j in 0..self.pr.candidates {
                if self.is_open[j] {
                    continue;
                }
                let g = self.add_gain(j);
                if best.is_none_or(|(bg, _)| g > bg + EPS) {
                    best = Some((g, j));
                }
            }
            let Some((_, j)) = best else { break };
            self.open.push(j);
            self.is_open[j] = true;
            self.recompute();
        }
    }

    /// Best leaving site for entering `j`: (net improvement, leaving column).
    fn best_swap_for(&mut self, j: usize) -> Option<(f64, usize)> {
        let w = self.pr.weights;
        for &r in &self.open {
            self.loss[r] = 0.0;
        }
        let mut gain = 0.0;
        match self.radius() {
            None =>
            {
                #[allow(clippy::needless_range_loop)]
                for i in 0..self.n {
                    let d = self.d(i, j);
                    let f = self.f1[i];
                    if d < self.c1[i] {
                        gain += w[i] * (self.c1[i] - d);
                    } else if f < self.pr.candidates {
                        self.loss[f] += w[i] * (d.min(self.c2[i]) - self.c1[i]);
                    }
                }
            }
            Some(r) =>
            {
                #[allow(clippy::needless_range_loop)]
                for i in 0..self.n {
                    let covers = self.d(i, j) <= r;
                    if self.cover_count[i] == 0 {
                        if covers {
                            gain += w[i];
                        }
                    } else if self.cover_count[i] == 1 && !covers {
                        let f = self.cover_by[i];
                        if f < self.pr.candidates {
                            self.loss[f] += w[i];
                        }
                    }
                }
            }
        }
        self.open
            .iter()
            .map(|&r| (gain - self.loss[r], r))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
    }

    fn swap(&mut self, leaving: usize, entering: usize) {
        if let Some(k) = self.open.iter().position(|&x| x == leaving) {
            self.open[k] = entering;
            self.is_open[leaving] = false;
            self.is_open[entering] = true;
            self.recompute();
        }
    }

    /// Best-improvement fast interchange until no swap improves.
    fn descend(&mut self, start: Instant, limit: Duration) {
        if self.open.is_empty() {
            return;
        }
        let mut guard = 0;
        loop {
            guard += 1;
            let mut best: Option<(f64, usize, usize)> = None;
            for j in 0..self.pr.candidates {
                if self.is_open[j] {
                    continue;
                }
                if let Some((net, r)) = self.best_swap_for(j)
                    && best.is_none_or(|(b, _, _)| net > b)
                {
                    best = Some((net, r, j));
                }
            }
            let scale = self.value().abs().max(1.0);
            match best {
                Some((net, r, j)) if net > 1e-9 * scale => self.swap(r, j),
                _ => break,
            }
            if guard > 10_000 || start.elapsed() >= limit {
                break;
            }
        }
    }

    fn random_swap(&mut self, rng: &mut Rng) {
        let closed: Vec<usize> = (0..self.pr.candidates)
            .filter(|&j| !self.is_open[j])
            .collect();
        if closed.is_empty() || self.open.is_empty() {
            return;
        }
        let leaving = self.open[rng.below(self.open.len())];
        let entering = closed[rng.below(closed.len())];
        self.swap(leaving, entering);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn instance(seed: u64, n: usize, m: usize, existing: usize) -> (Vec<f64>, Vec<f64>) {
        let mut rng = Rng::new(seed);
        let pts: Vec<(f64, f64)> = (0..n + m + existing)
            .map(|_| (rng.unit() * 100.0, rng.unit() * 100.0))
            .collect();
        let weights: Vec<f64> = (0..n).map(|_| (1 + rng.below(20)) as f64).collect();
        let cols = m + existing;
        let mut cost = Vec::with_capacity(n * cols);
        for i in 0..n {
            for j in 0..cols {
                let (a, b) = (pts[i], pts[n + j]);
                cost.push(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt());
            }
        }
        (weights, cost)
    }

    /// Best value over every subset of `p` candidates.
    fn enumerate(pr: &SiteProblem) -> f64 {
        fn rec(pr: &SiteProblem, from: usize, chosen: &mut Vec<usize>, best: &mut f64) {
            if chosen.len() == pr.p {
                let cols = pr.candidates + pr.existing;
                let mut v = 0.0;
                for i in 0..pr.weights.len() {
                    let open = chosen.iter().copied().chain(pr.candidates..cols);
                    let dmin = open
                        .map(|j| pr.cost[i * cols + j])
                        .fold(f64::INFINITY, f64::min);
                    v += match pr.objective {
                        SiteObjective::Median => pr.weights[i] * dmin,
                        SiteObjective::Coverage { radius } => {
                            if dmin <= radius {
                                -pr.weights[i]
                            } else {
                                0.0
                            }
                        }
                    };
                }
                *best = best.min(v);
                return;
            }
            for j in from..pr.candidates {
                chosen.push(j);
                rec(pr, j + 1, chosen, best);
                chosen.pop();
            }
        }
        let mut best = f64::INFINITY;
        rec(pr, 0, &mut Vec::new(), &mut best);
        match pr.objective {
            SiteObjective::Median => best,
            SiteObjective::Coverage { .. } => -best,
        }
    }

    #[test]
    fn p_median_matches_enumeration_on_small_instances_with_and_without_existing_sites() {
        for seed in 0..12 {
            let existing = (seed % 3) as usize;
            let (w, cost) = instance(seed, 40, 12, existing);
            let pr = SiteProblem {
                weights: &w,
                cost: &cost,
                candidates: 12,
                existing,
                p: 1 + (seed as usize % 4),
                objective: SiteObjective::Median,
            };
            let s = solve_sites(&pr, &SiteOptions::default());
            let exact = enumerate(&pr);
            assert!(
                (s.value - exact).abs() < 1e-6 * exact,
                "seed {seed}: {} vs {exact}",
                s.value
            );
            assert_eq!(s.open.len(), pr.p);
        }
    }

    #[test]
    fn maximal_coverage_matches_enumeration_on_small_instances() {
        for seed in 0..12 {
            let existing = (seed % 2) as usize;
            let (w, cost) = instance(seed + 50, 60, 12, existing);
            let pr = SiteProblem {
                weights: &w,
                cost: &cost,
                candidates: 12,
                existing,
                p: 2 + (seed as usize % 3),
                objective: SiteObjective::Coverage { radius: 25.0 },
            };
            let s = solve_sites(&pr, &SiteOptions::default());
            let exact = enumerate(&pr);
            assert!(
                (s.value - exact).abs() < 1e-9,
                "seed {seed}: {} vs {exact}",
                s.value
            );
            // Assignment says who covers: within the radius, or nobody.
            for (i, a) in s.assignment.iter().enumerate() {
                if let Some(j) = a {
                    assert!(cost[i * (12 + existing) + j] <= 25.0);
                }
            }
        }
    }

    #[test]
    fn site_search_is_deterministic_for_a_seed() {
        let (w, cost) = instance(7, 300, 120, 3);
        let pr = SiteProblem {
            weights: &w,
            cost: &cost,
            candidates: 120,
            existing: 3,
            p: 15,
            objective: SiteObjective::Median,
        };
        let opts = SiteOptions {
            seed: 3,
            time_limit: Duration::from_secs(60),
            max_iterations: Some(40),
        };
        let a = solve_sites(&pr, &opts);
        assert_eq!(a, solve_sites(&pr, &opts));
        assert!(!a.stopped_by_time);
    }
}
