//! Travelling salesman on a cost matrix.
//!
//! Exact Held–Karp dynamic programming up to [`EXACT_MAX`] points; beyond, a greedy-edge
//! construction improved by 2-opt and Or-opt moves (segments of 1–3 points, both
//! orientations) driven by neighbour lists and don't-look bits, iterated with local
//! double-bridge kicks (iterated local search). Every search is bounded by a number
//! of iterations and a time limit, and is deterministic for a seed when the iteration
//! bound is reached first.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::matrix::CostMatrix;
use super::rng::Rng;

/// Largest number of points solved exactly by dynamic programming.
pub const EXACT_MAX: usize = 12;

const EPS: f64 = 1e-9;
const NONE: usize = usize::MAX;

/// Bounds and seed of a TSP search.
#[derive(Debug, Clone)]
pub struct TspOptions {
    /// Seed of the kicks.
    pub seed: u64,
    /// Wall-clock bound of the whole search.
    pub time_limit: Duration,
    /// Number of kick + local search rounds; `None`: `auto_iterations(n)`.
    pub max_iterations: Option<u64>,
    /// Size of the neighbour lists.
    pub neighbours: usize,
}

impl Default for TspOptions {
    fn default() -> TspOptions {
        TspOptions {
            seed: 1,
            time_limit: Duration::from_secs(1),
            max_iterations: None,
            neighbours: 10,
        }
    }
}

/// Default number of ILS rounds for `n` points: enough to reach about 1 % of the
/// optimum on 100–200-point TSPLIB instances well within a second.
pub fn auto_iterations(n: usize) -> u64 {
    (n as u64).saturating_mul(100).clamp(2_000, 200_000)
}

/// A closed tour.
#[derive(Debug, Clone, PartialEq)]
pub struct TspSolution {
    /// The points in visiting order, starting at point 0.
    pub order: Vec<usize>,
    /// Cost of the closed tour, on the input matrix.
    pub cost: f64,
    /// ILS rounds performed.
    pub iterations: u64,
    /// True when the time limit stopped the search before its iteration bound.
    pub stopped_by_time: bool,
}

/// Solves the TSP on `m` (closed tour through every point, starting at 0).
/// Asymmetric matrices are searched on their symmetrized costs, then the cheaper
/// direction is kept; they are exact up to [`EXACT_MAX`] points.
///
/// ```
/// use maillage_plan::tours::{CostMatrix, TspOptions, solve_tsp};
/// // Four corners of a square, given in a crossing order.
/// let pts: [(f64, f64); 4] = [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)];
/// let m = CostMatrix::from_fn(4, |i, j| {
///     let (a, b) = (pts[i], pts[j]);
///     ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
/// });
/// let s = solve_tsp(&m, &TspOptions::default());
/// assert!((s.cost - 4.0).abs() < 1e-9);
/// ```
pub fn solve_tsp(m: &CostMatrix, opts: &TspOptions) -> TspSolution {
    let n = m.len();
    if n <= 3 {
        let order: Vec<usize> = (0..n).collect();
        let cost = m.tour_cost(&order);
        let rev: Vec<usize> = (0..n).rev().collect();
        let (order, cost) = if n == 3 && m.tour_cost(&rev) < cost - EPS {
            (rotate_to_zero(rev.clone()), m.tour_cost(&rev))
        } else {
            (order, cost)
        };
        return TspSolution {
            order,
            cost,
            iterations: 0,
            stopped_by_time: false,
        };
    }
    if n <= EXACT_MAX {
        let order = held_karp(m);
        let cost = m.tour_cost(&order);
        return TspSolution {
            order,
            cost,
            iterations: 0,
            stopped_by_time: false,
        };
    }
    let sol = if m.is_symmetric() {
        ils(m, opts)
    } else {
        ils(&m.symmetrized(), opts)
    };
    orient(m, sol)
}

/// Runs the heuristic search whatever the size (used by tests on small instances).
pub(crate) fn ils(m: &CostMatrix, opts: &TspOptions) -> TspSolution {
    let n = m.len();
    let start = Instant::now();
    let max_iter = opts.max_iterations.unwrap_or_else(|| auto_iterations(n));
    let k = opts.neighbours.clamp(4, n - 1);
    let neigh = neighbour_lists(m, k);
    let init = greedy_edge(m, &neigh, k);
    let mut s = Search::new(m, init, neigh, k);
    s.activate_all();
    s.local_search();
    let mut best = s.order.clone();
    let mut best_cost = s.cost;
    let mut rng = Rng::new(opts.seed);
    let mut iterations = 0u64;
    let mut stopped_by_time = false;
    if n >= 8 {
        while iterations < max_iter {
            if iterations.is_multiple_of(16) && start.elapsed() >= opts.time_limit {
                stopped_by_time = true;
                break;
            }
            iterations += 1;
            s.kick(&mut rng);
            s.local_search();
            if s.cost <= best_cost + EPS {
                best_cost = best_cost.min(s.cost);
                best.copy_from_slice(&s.order);
            } else {
                s.restore(&best, best_cost);
            }
        }
    }
    let order = rotate_to_zero(best);
    let cost = m.tour_cost(&order);
    TspSolution {
        order,
        cost,
        iterations,
        stopped_by_time,
    }
}

/// Keeps the direction of the tour that is cheaper on the (possibly asymmetric) matrix.
fn orient(m: &CostMatrix, mut sol: TspSolution) -> TspSolution {
    let forward = m.tour_cost(&sol.order);
    let mut rev = sol.order.clone();
    rev[1..].reverse();
    let backward = m.tour_cost(&rev);
    if backward < forward - EPS {
        sol.order = rev;
        sol.cost = backward;
    } else {
        sol.cost = forward;
    }
    sol
}

fn rotate_to_zero(mut order: Vec<usize>) -> Vec<usize> {
    if let Some(p) = order.iter().position(|&v| v == 0) {
        order.rotate_left(p);
    }
    order
}

/// Exact TSP by Held–Karp dynamic programming, O(n² 2ⁿ); for n ≤ [`EXACT_MAX`].
pub(crate) fn held_karp(m: &CostMatrix) -> Vec<usize> {
    let n = m.len();
    if n <= 1 {
        return (0..n).collect();
    }
    let k = n - 1; // points 1..n, bit b ↔ point b + 1
    let full = 1usize << k;
    let mut dp = vec![f64::INFINITY; full * k];
    let mut parent = vec![NONE; full * k];
    for b in 0..k {
        dp[(1 << b) * k + b] = m.get(0, b + 1);
    }
    for set in 1..full {
        for last in 0..k {
            if set & (1 << last) == 0 {
                continue;
            }
            let here = dp[set * k + last];
            if !here.is_finite() {
                continue;
            }
            for next in 0..k {
                if set & (1 << next) != 0 {
                    continue;
                }
                let ns = set | (1 << next);
                let v = here + m.get(last + 1, next + 1);
                if v < dp[ns * k + next] {
                    dp[ns * k + next] = v;
                    parent[ns * k + next] = last;
                }
            }
        }
    }
    let mut best = f64::INFINITY;
    let mut last = 0;
    for b in 0..k {
        let v = dp[(full - 1) * k + b] + m.get(b + 1, 0);
        if v < best {
            best = v;
            last = b;
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut set = full - 1;
    let mut cur = last;
    while cur != NONE {
        order.push(cur + 1);
        let p = parent[set * k + cur];
        set &= !(1 << cur);
        cur = p;
    }
    order.push(0);
    order.reverse();
    order
}

/// The `k` cheapest other points of every point, cheapest first (flat, `k` per point).
fn neighbour_lists(m: &CostMatrix, k: usize) -> Vec<usize> {
    let n = m.len();
    let mut out = Vec::with_capacity(n * k);
    let mut others: Vec<usize> = Vec::with_capacity(n);
    for v in 0..n {
        others.clear();
        others.extend((0..n).filter(|&u| u != v));
        let key = |u: &usize| m.get(v, *u);
        if k < others.len() {
            others.select_nth_unstable_by(k, |a, b| key(a).total_cmp(&key(b)));
            others.truncate(k);
        }
        others.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.cmp(b)));
        out.extend_from_slice(&others);
    }
    out
}

/// Greedy-edge construction on the neighbour-list edges, fragments joined by nearest endpoint.
fn greedy_edge(m: &CostMatrix, neigh: &[usize], k: usize) -> Vec<usize> {
    let n = m.len();
    let mut edges: Vec<(usize, usize)> = Vec::with_capacity(n * k);
    for v in 0..n {
        for &u in &neigh[v * k..(v + 1) * k] {
            if v < u {
                edges.push((v, u));
            }
        }
    }
    edges.sort_by(|a, b| m.get(a.0, a.1).total_cmp(&m.get(b.0, b.1)).then(a.cmp(b)));
    let mut adj = vec![[NONE; 2]; n];
    let mut uf: Vec<usize> = (0..n).collect();
    fn find(uf: &mut [usize], mut x: usize) -> usize {
        while uf[x] != x {
            uf[x] = uf[uf[x]];
            x = uf[x];
        }
        x
    }
    let deg = |adj: &[[usize; 2]], v: usize| adj[v].iter().filter(|&&x| x != NONE).count();
    let mut added = 0;
    for (a, b) in edges {
        if added == n - 1 {
            break;
        }
        if deg(&adj, a) == 2 || deg(&adj, b) == 2 {
            continue;
        }
        let (ra, rb) = (find(&mut uf, a), find(&mut uf, b));
        if ra == rb {
            continue;
        }
        uf[ra] = rb;
        let slot = |x: &mut [usize; 2], y| {
            if x[0] == NONE { x[0] = y } else { x[1] = y }
        };
        slot(&mut adj[a], b);
        slot(&mut adj[b], a);
        added += 1;
    }
    let mut used = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut ends: Vec<usize> = (0..n).filter(|&v| deg(&adj, v) < 2).collect();
    let mut v = ends.first().copied().unwrap_or(0);
    loop {
        let mut prev = NONE;
        let mut cur = v;
        loop {
            used[cur] = true;
            order.push(cur);
            let next = adj[cur]
                .iter()
                .copied()
                .find(|&x| x != NONE && x != prev && !used[x]);
            match next {
                Some(x) => {
                    prev = cur;
                    cur = x;
                }
                None => break,
            }
        }
        if order.len() == n {
            break;
        }
        ends.retain(|&e| !used[e]);
        let from = cur;
        let next = ends
            .iter()
            .copied()
            .min_by(|&a, &b| m.get(from, a).total_cmp(&m.get(from, b)).then(a.cmp(&b)));
        match next {
            Some(e) => v = e,
            None => {
                // Cannot happen (fragments always have ends), but never loop forever.
                order.extend((0..n).filter(|&x| !used[x]));
                break;
            }
        }
    }
    order
}

#[derive(Clone, Copy)]
enum Move {
    TwoOpt(usize, usize, usize, usize),
    OrOpt {
        first: usize,
        last: usize,
        after: usize,
        reversed: bool,
    },
}

/// Array tour with positions, neighbour lists and a queue of active (look) points.
struct Search<'a> {
    m: &'a CostMatrix,
    n: usize,
    k: usize,
    order: Vec<usize>,
    pos: Vec<usize>,
    neigh: Vec<usize>,
    queue: VecDeque<usize>,
    queued: Vec<bool>,
    cost: f64,
    seg: Vec<usize>,
}

impl<'a> Search<'a> {
    fn new(m: &'a CostMatrix, order: Vec<usize>, neigh: Vec<usize>, k: usize) -> Search<'a> {
        let n = order.len();
        let mut pos = vec![0; n];
        for (i, &v) in order.iter().enumerate() {
            pos[v] = i;
        }
        let cost = m.tour_cost(&order);
        Search {
            m,
            n,
            k,
            order,
            pos,
            neigh,
            queue: VecDeque::with_capacity(n),
            queued: vec![false; n],
            cost,
            seg: Vec::with_capacity(64),
        }
    }

    #[inline]
    fn c(&self, a: usize, b: usize) -> f64 {
        self.m.get(a, b)
    }

    #[inline]
    fn succ(&self, v: usize) -> usize {
        let p = self.pos[v] + 1;
        self.order[if p == self.n { 0 } else { p }]
    }

    #[inline]
    fn pred(&self, v: usize) -> usize {
        let p = self.pos[v];
        self.order[if p == 0 { self.n - 1 } else { p - 1 }]
    }

    fn push(&mut self, v: usize) {
        if !self.queued[v] {
            self.queued[v] = true;
            self.queue.push_back(v);
        }
    }

    fn activate_all(&mut self) {
        for i in 0..self.n {
            let v = self.order[i];
            self.push(v);
        }
    }

    fn restore(&mut self, order: &[usize], cost: f64) {
        self.order.copy_from_slice(order);
        for (i, &v) in order.iter().enumerate() {
            self.pos[v] = i;
        }
        self.cost = cost;
    }

    /// Reverses the path from `a` forward to `b` (or its complement, whichever is shorter:
    /// the cycle is the same up to orientation).
    fn reverse(&mut self, a: usize, b: usize) {
        let n = self.n;
        let (mut i, mut j) = (self.pos[a], self.pos[b]);
        let mut len = (j + n - i) % n + 1;
        if 2 * len > n {
            let (ni, nj) = ((j + 1) % n, (i + n - 1) % n);
            i = ni;
            j = nj;
            len = n - len;
        }
        for _ in 0..len / 2 {
            let (vi, vj) = (self.order[i], self.order[j]);
            self.order[i] = vj;
            self.pos[vj] = i;
            self.order[j] = vi;
            self.pos[vi] = j;
            i = if i + 1 == n { 0 } else { i + 1 };
            j = if j == 0 { n - 1 } else { j - 1 };
        }
    }

    /// Moves the segment `first..=last` (forward order) between `after` and its successor.
    fn move_segment(&mut self, first: usize, last: usize, after: usize, reversed: bool) {
        let n = self.n;
        let i = self.pos[first];
        let len = (self.pos[last] + n - i) % n + 1;
        self.seg.clear();
        for t in 0..len {
            self.seg.push(self.order[(i + t) % n]);
        }
        if reversed {
            self.seg.reverse();
        }
        let k = (self.pos[after] + n - self.pos[last]) % n;
        let rest = n - len - k;
        if k <= rest {
            for t in 0..k {
                let v = self.order[(i + len + t) % n];
                let to = (i + t) % n;
                self.order[to] = v;
                self.pos[v] = to;
            }
            for t in 0..len {
                let v = self.seg[t];
                let to = (i + k + t) % n;
                self.order[to] = v;
                self.pos[v] = to;
            }
        } else {
            let end = (i + n - 1) % n;
            for t in 0..rest {
                let from = (end + n - t) % n;
                let v = self.order[from];
                let to = (from + len) % n;
                self.order[to] = v;
                self.pos[v] = to;
            }
            let base = (i + n - rest) % n;
            for t in 0..len {
                let v = self.seg[t];
                let to = (base + t) % n;
                self.order[to] = v;
                self.pos[v] = to;
            }
        }
    }

    /// The best improving 2-opt or Or-opt move involving `t1`, if any.
    fn best_move(&self, t1: usize) -> Option<(f64, Move)> {
        let mut best: Option<(f64, Move)> = None;
        let consider = |delta: f64, mv: Move, best: &mut Option<(f64, Move)>| {
            if delta < -EPS && best.map(|(d, _)| delta < d).unwrap_or(true) {
                *best = Some((delta, mv));
            }
        };
        let nb = &self.neigh[t1 * self.k..(t1 + 1) * self.k];
        // 2-opt, both directions.
        for forward in [true, false] {
            let t2 = if forward {
                self.succ(t1)
            } else {
                self.pred(t1)
            };
            let d12 = self.c(t1, t2);
            for &t3 in nb {
                let d13 = self.c(t1, t3);
                if d13 >= d12 - EPS {
                    break;
                }
                let t4 = if forward {
                    self.succ(t3)
                } else {
                    self.pred(t3)
                };
                if t3 == t2 || t4 == t1 {
                    continue;
                }
                let delta = d13 + self.c(t2, t4) - d12 - self.c(t3, t4);
                consider(delta, Move::TwoOpt(t1, t2, t3, t4), &mut best);
            }
        }
        // Or-opt: segments of 1..=3 points with t1 at one end.
        let max_len = 3.min(self.n.saturating_sub(4));
        for len in 1..=max_len {
            for forward in [true, false] {
                if len == 1 && !forward {
                    continue;
                }
                let (mut first, mut last) = (t1, t1);
                for _ in 1..len {
                    if forward {
                        last = self.succ(last);
                    } else {
                        first = self.pred(first);
                    }
                }
                let p = self.pred(first);
                let nx = self.succ(last);
                let g1 = self.c(p, first) + self.c(last, nx) - self.c(p, nx);
                if g1 <= EPS {
                    continue;
                }
                let in_seg = |v: usize| {
                    let d = (self.pos[v] + self.n - self.pos[first]) % self.n;
                    d < len
                };
                let ends: &[usize] = if len == 1 { &[0] } else { &[0, 1] };
                for &e_idx in ends {
                    let (e, other) = if e_idx == 0 {
                        (first, last)
                    } else {
                        (last, first)
                    };
                    for &c in &self.neigh[e * self.k..(e + 1) * self.k] {
                        let dce = self.c(c, e);
                        if dce >= g1 - EPS {
                            break;
                        }
                        if in_seg(c) {
                            continue;
                        }
                        for side_succ in [true, false] {
                            let d = if side_succ {
                                self.succ(c)
                            } else {
                                self.pred(c)
                            };
                            if in_seg(d) {
                                continue;
                            }
                            let delta = dce + self.c(other, d) - self.c(c, d) - g1;
                            let (after, reversed) = if side_succ {
                                (c, e == last)
                            } else {
                                (d, e == first)
                            };
                            consider(
                                delta,
                                Move::OrOpt {
                                    first,
                                    last,
                                    after,
                                    reversed: reversed && len > 1,
                                },
                                &mut best,
                            );
                        }
                    }
                }
            }
        }
        best
    }

    fn apply(&mut self, delta: f64, mv: Move) {
        match mv {
            Move::TwoOpt(t1, t2, t3, t4) => {
                if self.succ(t1) == t2 {
                    self.reverse(t2, t3);
                } else {
                    self.reverse(t1, t4);
                }
                for v in [t1, t2, t3, t4] {
                    self.push(v);
                }
            }
            Move::OrOpt {
                first,
                last,
                after,
                reversed,
            } => {
                let (p, nx, d) = (self.pred(first), self.succ(last), self.succ(after));
                self.move_segment(first, last, after, reversed);
                for v in [p, nx, first, last, after, d] {
                    self.push(v);
                }
            }
        }
        self.cost += delta;
    }

    fn local_search(&mut self) {
        while let Some(v) = self.queue.pop_front() {
            self.queued[v] = false;
            if let Some((delta, mv)) = self.best_move(v) {
                self.apply(delta, mv);
                self.push(v);
            }
        }
    }

    /// Double bridge on two adjacent short segments: A B C D → A C B D.
    fn kick(&mut self, rng: &mut Rng) {
        let n = self.n;
        let max_len = (n / 4).clamp(1, 30);
        let l1 = 1 + rng.below(max_len);
        let l2 = 1 + rng.below(max_len);
        let s = rng.below(n);
        let at = |t: usize| (s + t) % n;
        let a = self.order[at(0)];
        let b0 = self.order[at(1)];
        let b1 = self.order[at(l1)];
        let c0 = self.order[at(l1 + 1)];
        let c1 = self.order[at(l1 + l2)];
        let d = self.order[at(l1 + l2 + 1)];
        let delta = self.c(a, c0) + self.c(c1, b0) + self.c(b1, d)
            - self.c(a, b0)
            - self.c(b1, c0)
            - self.c(c1, d);
        self.seg.clear();
        for t in 0..l2 {
            self.seg.push(self.order[at(l1 + 1 + t)]);
        }
        for t in 0..l1 {
            self.seg.push(self.order[at(1 + t)]);
        }
        for t in 0..l1 + l2 {
            let v = self.seg[t];
            let p = at(1 + t);
            self.order[p] = v;
            self.pos[v] = p;
        }
        self.cost += delta;
        for v in [a, b0, b1, c0, c1, d] {
            self.push(v);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn random_points(n: usize, seed: u64) -> Vec<(f64, f64)> {
        let mut rng = Rng::new(seed);
        (0..n)
            .map(|_| (rng.unit() * 1000.0, rng.unit() * 1000.0))
            .collect()
    }

    fn euclid(p: &[(f64, f64)]) -> CostMatrix {
        CostMatrix::from_fn(p.len(), |i, j| {
            ((p[i].0 - p[j].0).powi(2) + (p[i].1 - p[j].1).powi(2)).sqrt()
        })
    }

    fn brute_force(m: &CostMatrix) -> f64 {
        fn permute(m: &CostMatrix, rest: &mut Vec<usize>, path: &mut Vec<usize>, best: &mut f64) {
            if rest.is_empty() {
                *best = best.min(m.tour_cost(path));
                return;
            }
            for i in 0..rest.len() {
                let v = rest.remove(i);
                path.push(v);
                permute(m, rest, path, best);
                path.pop();
                rest.insert(i, v);
            }
        }
        let mut best = f64::INFINITY;
        permute(m, &mut (1..m.len()).collect(), &mut vec![0], &mut best);
        best
    }

    fn is_permutation(order: &[usize], n: usize) -> bool {
        let mut seen = vec![false; n];
        order.len() == n
            && order
                .iter()
                .all(|&v| v < n && !std::mem::replace(&mut seen[v], true))
    }

    #[test]
    fn held_karp_matches_brute_force_on_symmetric_and_asymmetric_matrices() {
        for seed in 0..6 {
            let n = 4 + seed as usize;
            let sym = euclid(&random_points(n, seed));
            let mut rng = Rng::new(seed + 100);
            let asym = CostMatrix::from_fn(n, |_, _| 1.0 + rng.unit() * 50.0);
            for m in [sym, asym] {
                let order = held_karp(&m);
                assert!(is_permutation(&order, n));
                assert_eq!(order[0], 0);
                assert!((m.tour_cost(&order) - brute_force(&m)).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn local_search_finds_the_optimum_of_small_random_instances() {
        for seed in 0..8 {
            let n = 10 + (seed as usize % 3);
            let m = euclid(&random_points(n, seed));
            let exact = m.tour_cost(&held_karp(&m));
            let opts = TspOptions {
                seed,
                ..TspOptions::default()
            };
            let s = ils(&m, &opts);
            assert!(is_permutation(&s.order, n));
            assert!(
                (s.cost - exact).abs() < 1e-6,
                "seed {seed}: {} vs {exact}",
                s.cost
            );
        }
    }

    #[test]
    fn search_is_deterministic_for_a_seed_and_the_reported_cost_is_the_tour_cost() {
        let m = euclid(&random_points(150, 42));
        let opts = TspOptions {
            seed: 9,
            time_limit: Duration::from_secs(30),
            max_iterations: Some(3_000),
            neighbours: 10,
        };
        let a = solve_tsp(&m, &opts);
        let b = solve_tsp(&m, &opts);
        assert_eq!(a, b);
        assert!(is_permutation(&a.order, 150));
        assert!((m.tour_cost(&a.order) - a.cost).abs() < 1e-6);
        assert!(!a.stopped_by_time);
    }

    #[test]
    fn search_improves_well_beyond_nearest_neighbour() {
        let m = euclid(&random_points(200, 3));
        let mut used = [false; 200];
        let mut cur = 0;
        let mut nn = vec![0];
        used[0] = true;
        for _ in 1..200 {
            let next = (0..200)
                .filter(|&v| !used[v])
                .min_by(|&a, &b| m.get(cur, a).total_cmp(&m.get(cur, b)))
                .unwrap();
            used[next] = true;
            nn.push(next);
            cur = next;
        }
        let s = solve_tsp(&m, &TspOptions::default());
        assert!(
            s.cost < 0.9 * m.tour_cost(&nn),
            "{} vs {}",
            s.cost,
            m.tour_cost(&nn)
        );
    }

    #[test]
    fn asymmetric_matrices_keep_the_cheaper_direction() {
        let n = 30;
        let p = random_points(n, 5);
        // Going "up" in index costs more than going down.
        let m = CostMatrix::from_fn(n, |i, j| {
            let d = ((p[i].0 - p[j].0).powi(2) + (p[i].1 - p[j].1).powi(2)).sqrt();
            if j > i { d * 1.5 } else { d }
        });
        let s = solve_tsp(&m, &TspOptions::default());
        let mut rev = s.order.clone();
        rev[1..].reverse();
        assert!(s.cost <= m.tour_cost(&rev) + 1e-9);
        assert!((s.cost - m.tour_cost(&s.order)).abs() < 1e-9);
    }

    #[test]
    fn a_zero_time_limit_still_returns_a_complete_tour() {
        let m = euclid(&random_points(300, 8));
        let opts = TspOptions {
            time_limit: Duration::ZERO,
            ..TspOptions::default()
        };
        let s = solve_tsp(&m, &opts);
        assert!(is_permutation(&s.order, 300));
        assert!(s.stopped_by_time);
        assert_eq!(s.iterations, 0);
    }
}
