//! Multi-day tours: which stops on which day, in which order.
//!
//! Prize-collecting by default (team orienteering with time windows: maximise the
//! summed weight of the visits, then minimise travel), or visit-all (visit every stop,
//! then minimise travel). Construction by cached best insertion (ratio of weight to
//! added time, or cheapest insertion), local search (intra-day reordering, moves
//! between days, insertion and replacement of unvisited stops), iterated with
//! ruin-and-recreate perturbations. Bounded by iterations and time; deterministic for a
//! seed when the iteration bound is reached first.

use std::time::{Duration, Instant};

use super::matrix::CostMatrix;
use super::rng::Rng;
use super::tsp::{TspOptions, held_karp, solve_tsp};

const EPS: f64 = 1e-6;

/// An opening window, minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Opening.
    pub open: f64,
    /// Closing.
    pub close: f64,
}

/// One candidate stop of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStop {
    /// Its index in the cost matrix (0 is the home base).
    pub node: usize,
    /// Priority gained per visit.
    pub weight: f64,
    /// Time spent there per visit, minutes.
    pub service: f64,
    /// Opening windows per weekday (0 = lundi); `None`: always open.
    pub windows: Option<[Vec<Window>; 7]>,
    /// Visits wanted over the horizon (at least 1).
    pub visits: u32,
    /// Minimum number of days between two visits of this stop.
    pub min_days_between_visits: u32,
}

/// One working day of the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanDay {
    /// Weekday, 0 = lundi … 6 = dimanche.
    pub weekday: u8,
    /// Calendar day number from the start of the horizon (for visit spacing).
    pub date: u32,
}

/// A planning problem on a cost matrix of travel minutes.
#[derive(Debug, Clone)]
pub struct PlanProblem<'a> {
    /// Travel minutes; index 0 is the home base.
    pub matrix: &'a CostMatrix,
    /// Candidate stops.
    pub stops: Vec<PlanStop>,
    /// The working days.
    pub days: Vec<PlanDay>,
    /// Earliest departure from the base, minutes after midnight.
    pub day_start: f64,
    /// Budget of a day, travel + service + waiting; `None`: unbounded.
    pub day_minutes: Option<f64>,
    /// Visit every stop (minimise travel) instead of maximising the weight.
    pub must_visit_all: bool,
}

/// Bounds and seed of a plan search.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Seed of the perturbations.
    pub seed: u64,
    /// Wall-clock bound.
    pub time_limit: Duration,
    /// Perturbation rounds; `None`: scaled on the number of visits.
    pub max_iterations: Option<u64>,
}

impl Default for PlanOptions {
    fn default() -> PlanOptions {
        PlanOptions {
            seed: 1,
            time_limit: Duration::from_secs(2),
            max_iterations: None,
        }
    }
}

/// One visit of a planned day.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedVisit {
    /// Index of the stop in [`PlanProblem::stops`].
    pub stop: usize,
    /// Arrival, minutes after midnight.
    pub arrival: f64,
    /// Start of the service (after waiting for the opening), minutes after midnight.
    pub start: f64,
    /// Departure, minutes after midnight.
    pub departure: f64,
}

/// One day of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedDay {
    /// Index in [`PlanProblem::days`].
    pub day: usize,
    /// The visits in order.
    pub visits: Vec<PlannedVisit>,
    /// Departure from the base, minutes after midnight.
    pub departure: f64,
    /// Return to the base, minutes after midnight.
    pub return_time: f64,
    /// Travel minutes.
    pub travel: f64,
    /// Minutes from departure to return (travel, service, waiting).
    pub total: f64,
}

/// Why a stop (or some of its visits) is not in the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum UnvisitedReason {
    /// The round trip from the base plus the service exceeds the day budget.
    TooFar {
        /// Base → stop → base, minutes.
        round_trip: f64,
        /// Service minutes.
        service: f64,
        /// Day budget, minutes.
        budget: f64,
    },
    /// No planned day has an opening window long enough for the service.
    NoOpening,
    /// The horizon is too short to space the wanted visits.
    SpacingImpossible,
    /// Feasible alone, but the days are full (lower priority or too costly to fit).
    NoRoom,
}

/// A stop missing from the plan, or with fewer visits than wanted.
#[derive(Debug, Clone, PartialEq)]
pub struct UnvisitedStop {
    /// Index in [`PlanProblem::stops`].
    pub stop: usize,
    /// Visits wanted but not planned.
    pub missing_visits: u32,
    /// Why.
    pub reason: UnvisitedReason,
}

/// The result of [`plan_tours`].
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// One entry per day of the problem, in order (possibly with no visit).
    pub days: Vec<PlannedDay>,
    /// Stops not (fully) visited, by stop index.
    pub unvisited: Vec<UnvisitedStop>,
    /// Travel minutes over all days.
    pub total_travel: f64,
    /// Summed weight of the planned visits.
    pub total_weight: f64,
    /// Perturbation rounds performed.
    pub iterations: u64,
    /// True when the time limit stopped the search before its iteration bound.
    pub stopped_by_time: bool,
}

/// Plans the days. Never fails: what cannot be planned is listed in `unvisited`.
pub fn plan_tours(problem: &PlanProblem, opts: &PlanOptions) -> Plan {
    let start = Instant::now();
    let mut s = State::new(problem);
    if is_plain_tsp(problem) {
        // One unbounded day visiting everything: the travelling salesman problem.
        let mut nodes = vec![0];
        nodes.extend(problem.stops.iter().map(|st| st.node));
        let sol = solve_tsp(
            &problem.matrix.sub(&nodes),
            &TspOptions {
                seed: opts.seed,
                time_limit: opts.time_limit,
                max_iterations: opts.max_iterations,
                ..TspOptions::default()
            },
        );
        s.routes[0] = sol.order[1..].iter().map(|&k| k - 1).collect();
        for &it in &s.routes[0] {
            s.day_of[it] = Some(0);
        }
        return s.finish(sol.iterations, sol.stopped_by_time);
    }
    s.construct(None);
    s.local_search(start, opts.time_limit);
    let mut best = s.snapshot();
    let mut rng = Rng::new(opts.seed);
    let max_iter = opts
        .max_iterations
        .unwrap_or_else(|| 200 + s.items.len() as u64);
    let mut iterations = 0;
    let mut stopped_by_time = false;
    let active = s.candidates.len();
    while iterations < max_iter && active > 0 {
        if start.elapsed() >= opts.time_limit {
            stopped_by_time = true;
            break;
        }
        iterations += 1;
        s.perturb(&mut rng);
        s.construct(Some(&mut rng));
        s.local_search(start, opts.time_limit);
        if !s.objective().worse_than(&best.objective) {
            best = s.snapshot();
        } else {
            s.restore(&best);
        }
    }
    s.restore(&best);
    s.finish(iterations, stopped_by_time)
}

fn is_plain_tsp(p: &PlanProblem) -> bool {
    p.days.len() == 1
        && p.day_minutes.is_none()
        && p.must_visit_all
        && !p.stops.is_empty()
        && p.stops.iter().all(|s| s.windows.is_none() && s.visits <= 1)
}

#[derive(Debug, Clone, Copy)]
struct Objective {
    primary: f64,
    travel: f64,
}

impl Objective {
    fn worse_than(&self, other: &Objective) -> bool {
        self.primary < other.primary - EPS
            || (self.primary <= other.primary + EPS && self.travel > other.travel + EPS)
    }
}

#[derive(Clone)]
struct Snapshot {
    routes: Vec<Vec<usize>>,
    objective: Objective,
}

/// A visit copy of a stop.
#[derive(Clone, Copy)]
struct Item {
    stop: usize,
    node: usize,
}

struct State<'a> {
    p: &'a PlanProblem<'a>,
    items: Vec<Item>,
    /// Items of each stop.
    copies: Vec<Vec<usize>>,
    /// Items feasible alone on at least one day.
    candidates: Vec<usize>,
    /// Items feasible alone per day (`alone[item * days + day]`).
    alone: Vec<bool>,
    pre_reasons: Vec<Option<UnvisitedReason>>,
    routes: Vec<Vec<usize>>,
    /// Day of each item, if routed.
    day_of: Vec<Option<usize>>,
    travel: Vec<f64>,
    has_windows: bool,
    budget: f64,
}

impl<'a> State<'a> {
    fn new(p: &'a PlanProblem<'a>) -> State<'a> {
        let budget = p.day_minutes.unwrap_or(f64::INFINITY);
        let mut items = Vec::new();
        let mut copies = vec![Vec::new(); p.stops.len()];
        for (s, stop) in p.stops.iter().enumerate() {
            for _ in 0..stop.visits.max(1) {
                copies[s].push(items.len());
                items.push(Item {
                    stop: s,
                    node: stop.node,
                });
            }
        }
        let has_windows = p.stops.iter().any(|s| s.windows.is_some());
        let nd = p.days.len();
        let mut st = State {
            p,
            items,
            copies,
            candidates: Vec::new(),
            alone: Vec::new(),
            pre_reasons: vec![None; p.stops.len()],
            routes: vec![Vec::new(); nd],
            day_of: Vec::new(),
            travel: vec![0.0; nd],
            has_windows,
            budget,
        };
        st.day_of = vec![None; st.items.len()];
        st.alone = vec![false; st.items.len() * nd];
        for it in 0..st.items.len() {
            let mut any = false;
            for d in 0..nd {
                let ok = st.eval(d, &[it]).is_some();
                st.alone[it * nd + d] = ok;
                any |= ok;
            }
            if any {
                st.candidates.push(it);
            }
        }
        for (s, stop) in p.stops.iter().enumerate() {
            let feasible_days = (0..nd)
                .filter(|&d| {
                    st.copies[s]
                        .first()
                        .is_some_and(|&it| st.alone[it * nd + d])
                })
                .count();
            let round_trip = p.matrix.get(0, stop.node) + p.matrix.get(stop.node, 0);
            st.pre_reasons[s] = if round_trip + stop.service > budget + EPS {
                Some(UnvisitedReason::TooFar {
                    round_trip,
                    service: stop.service,
                    budget,
                })
            } else if feasible_days == 0 {
                Some(UnvisitedReason::NoOpening)
            } else if stop.visits > 1 && !st.spacing_possible(s) {
                Some(UnvisitedReason::SpacingImpossible)
            } else {
                None
            };
        }
        st
    }

    fn nd(&self) -> usize {
        self.p.days.len()
    }

    /// Whether all copies of stop `s` could be placed on distinct, well-spaced feasible days.
    fn spacing_possible(&self, s: usize) -> bool {
        let gap = self.p.stops[s].min_days_between_visits.max(1);
        let Some(&it) = self.copies[s].first() else {
            return false;
        };
        let nd = self.nd();
        let mut last: Option<u32> = None;
        let mut count = 0;
        for d in 0..nd {
            if !self.alone[it * nd + d] {
                continue;
            }
            let date = self.p.days[d].date;
            if last.is_none_or(|l| date >= l + gap) {
                last = Some(date);
                count += 1;
            }
        }
        count >= self.p.stops[s].visits
    }

    /// Travel of a route if it is feasible on day `d`.
    fn eval(&self, d: usize, seq: &[usize]) -> Option<f64> {
        self.schedule(d, seq, None)
    }

    /// Schedules `seq` on day `d`; returns its travel when feasible, filling `out` if given.
    fn schedule(&self, d: usize, seq: &[usize], mut out: Option<&mut PlannedDay>) -> Option<f64> {
        let m = self.p.matrix;
        let weekday = self.p.days[d].weekday as usize;
        let mut t = self.p.day_start;
        let mut prev = 0;
        let mut travel = 0.0;
        let mut departure = self.p.day_start;
        for (k, &it) in seq.iter().enumerate() {
            let item = self.items[it];
            let stop = &self.p.stops[item.stop];
            let leg = m.get(prev, item.node);
            travel += leg;
            t += leg;
            let start = match &stop.windows {
                None => t,
                Some(w) => earliest_start(&w[weekday], t, stop.service)?,
            };
            if k == 0 && start > t {
                // Leave later rather than wait at the first stop.
                departure += start - t;
            }
            if let Some(o) = out.as_deref_mut() {
                o.visits.push(PlannedVisit {
                    stop: item.stop,
                    arrival: if k == 0 { start } else { t },
                    start,
                    departure: start + stop.service,
                });
            }
            t = start + stop.service;
            prev = item.node;
        }
        let leg = m.get(prev, 0);
        travel += leg;
        t += leg;
        let total = t - departure;
        if total > self.budget + EPS {
            return None;
        }
        if let Some(o) = out {
            o.departure = departure;
            o.return_time = t;
            o.travel = travel;
            o.total = total;
        }
        Some(travel)
    }

    fn weight(&self, it: usize) -> f64 {
        self.p.stops[self.items[it].stop].weight
    }

    fn objective(&self) -> Objective {
        let mut primary = 0.0;
        for (it, d) in self.day_of.iter().enumerate() {
            if d.is_some() {
                primary += if self.p.must_visit_all {
                    1.0
                } else {
                    self.weight(it)
                };
            }
        }
        Objective {
            primary,
            travel: self.travel.iter().sum(),
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            routes: self.routes.clone(),
            objective: self.objective(),
        }
    }

    fn restore(&mut self, snap: &Snapshot) {
        self.routes.clone_from(&snap.routes);
        self.day_of.iter_mut().for_each(|d| *d = None);
        for d in 0..self.nd() {
            for &it in &self.routes[d] {
                self.day_of[it] = Some(d);
            }
            self.travel[d] = self.eval(d, &self.routes[d]).unwrap_or(f64::INFINITY);
        }
    }

    /// Whether item `it` may go on day `d` given its sibling copies' days.
    fn spacing_ok(&self, it: usize, d: usize) -> bool {
        let s = self.items[it].stop;
        let gap = self.p.stops[s].min_days_between_visits.max(1);
        let date = self.p.days[d].date;
        self.copies[s].iter().all(|&o| {
            o == it
                || self.day_of[o].is_none_or(|od| {
                    let od = self.p.days[od].date;
                    od.abs_diff(date) >= gap
                })
        })
    }

    /// Best position of `it` on day `d`: (added travel, position).
    fn best_insertion(&self, it: usize, d: usize, buf: &mut Vec<usize>) -> Option<(f64, usize)> {
        if !self.alone[it * self.nd() + d] || !self.spacing_ok(it, d) {
            return None;
        }
        let route = &self.routes[d];
        let m = self.p.matrix;
        let node = self.items[it].node;
        let service = self.p.stops[self.items[it].stop].service;
        let base_total = if self.has_windows {
            0.0
        } else {
            self.travel[d]
                + route
                    .iter()
                    .map(|&x| self.p.stops[self.items[x].stop].service)
                    .sum::<f64>()
        };
        let mut best: Option<(f64, usize)> = None;
        for pos in 0..=route.len() {
            let a = if pos == 0 {
                0
            } else {
                self.items[route[pos - 1]].node
            };
            let b = if pos == route.len() {
                0
            } else {
                self.items[route[pos]].node
            };
            let delta = m.get(a, node) + m.get(node, b) - m.get(a, b);
            if best.is_some_and(|(bd, _)| delta >= bd) {
                continue;
            }
            let feasible = if self.has_windows {
                buf.clear();
                buf.extend_from_slice(&route[..pos]);
                buf.push(it);
                buf.extend_from_slice(&route[pos..]);
                self.eval(d, buf).is_some()
            } else {
                base_total + delta + service <= self.budget + EPS
            };
            if feasible {
                best = Some((delta, pos));
            }
        }
        best
    }

    fn insert(&mut self, it: usize, d: usize, pos: usize) {
        self.routes[d].insert(pos, it);
        self.day_of[it] = Some(d);
        self.travel[d] = self.eval(d, &self.routes[d]).unwrap_or(f64::INFINITY);
    }

    fn remove(&mut self, it: usize) {
        if let Some(d) = self.day_of[it].take() {
            self.routes[d].retain(|&x| x != it);
            self.travel[d] = self.eval(d, &self.routes[d]).unwrap_or(f64::INFINITY);
        }
    }

    /// Score of inserting `it` with added travel `delta` (higher is better).
    fn score(&self, it: usize, delta: f64) -> f64 {
        if self.p.must_visit_all {
            -delta
        } else {
            let service = self.p.stops[self.items[it].stop].service;
            self.weight(it) / (delta + service + 1.0)
        }
    }

    /// Best insertion of unrouted items, one at a time, with cached per-day candidates.
    fn construct(&mut self, mut noise: Option<&mut Rng>) {
        let nd = self.nd();
        let mut buf = Vec::new();
        let unrouted: Vec<usize> = self
            .candidates
            .iter()
            .copied()
            .filter(|&it| self.day_of[it].is_none())
            .collect();
        if unrouted.is_empty() {
            return;
        }
        let jitter: Vec<f64> = unrouted
            .iter()
            .map(|_| match noise.as_deref_mut() {
                Some(r) => 1.0 + 1.2 * (r.unit() - 0.5),
                None => 1.0,
            })
            .collect();
        let mut cache: Vec<Option<(f64, usize)>> = vec![None; unrouted.len() * nd];
        for (k, &it) in unrouted.iter().enumerate() {
            for d in 0..nd {
                cache[k * nd + d] = self.best_insertion(it, d, &mut buf);
            }
        }
        let mut done = vec![false; unrouted.len()];
        loop {
            let mut pick: Option<(f64, usize, usize)> = None;
            for k in 0..unrouted.len() {
                if done[k] {
                    continue;
                }
                for d in 0..nd {
                    if let Some((delta, _)) = cache[k * nd + d] {
                        let sc = self.score(unrouted[k], delta);
                        let sc = if sc >= 0.0 {
                            sc * jitter[k]
                        } else {
                            sc / jitter[k]
                        };
                        if pick.is_none_or(|(b, _, _)| sc > b) {
                            pick = Some((sc, k, d));
                        }
                    }
                }
            }
            let Some((_, k, d)) = pick else { break };
            let it = unrouted[k];
            let Some((_, pos)) = cache[k * nd + d] else {
                break;
            };
            self.insert(it, d, pos);
            done[k] = true;
            let stop = self.items[it].stop;
            for k2 in 0..unrouted.len() {
                if done[k2] {
                    continue;
                }
                let it2 = unrouted[k2];
                cache[k2 * nd + d] = self.best_insertion(it2, d, &mut buf);
                if self.items[it2].stop == stop {
                    for d2 in 0..nd {
                        cache[k2 * nd + d2] = self.best_insertion(it2, d2, &mut buf);
                    }
                }
            }
        }
    }

    /// Local search until no move improves or time runs out.
    fn local_search(&mut self, start: Instant, limit: Duration) {
        let mut rounds = 0;
        loop {
            rounds += 1;
            let mut improved = false;
            for d in 0..self.nd() {
                improved |= self.reorder(d);
            }
            improved |= self.relocate();
            if !self.p.must_visit_all {
                improved |= self.replace();
            }
            let before = self.objective();
            self.construct(None);
            improved |= before.worse_than(&self.objective());
            if !improved || rounds >= 50 || start.elapsed() >= limit {
                break;
            }
        }
    }

    /// Reorders day `d` to shorten its travel.
    fn reorder(&mut self, d: usize) -> bool {
        let route = self.routes[d].clone();
        if route.len() < 2 {
            return false;
        }
        let cur = self.travel[d];
        let best = if !self.has_windows {
            let mut nodes = vec![0];
            nodes.extend(route.iter().map(|&it| self.items[it].node));
            let sub = self.p.matrix.sub(&nodes);
            let order = if nodes.len() <= super::tsp::EXACT_MAX {
                held_karp(&sub)
            } else {
                let opts = TspOptions {
                    max_iterations: Some(50 + 2 * nodes.len() as u64),
                    time_limit: Duration::from_millis(50),
                    ..TspOptions::default()
                };
                super::tsp::solve_tsp(&sub, &opts).order
            };
            let seq: Vec<usize> = order[1..].iter().map(|&k| route[k - 1]).collect();
            let rev: Vec<usize> = seq.iter().rev().copied().collect();
            [seq, rev]
                .into_iter()
                .filter_map(|s| self.eval(d, &s).map(|t| (t, s)))
                .min_by(|a, b| a.0.total_cmp(&b.0))
        } else {
            self.reorder_with_windows(d, &route)
        };
        match best {
            Some((t, seq)) if t < cur - EPS => {
                self.routes[d] = seq;
                self.travel[d] = t;
                true
            }
            _ => false,
        }
    }

    /// Or-opt and 2-opt moves inside a route with opening windows (full re-scheduling).
    fn reorder_with_windows(&self, d: usize, route: &[usize]) -> Option<(f64, Vec<usize>)> {
        let mut seq = route.to_vec();
        let mut cur = self.eval(d, &seq)?;
        let n = seq.len();
        let mut improved = true;
        let mut guard = 0;
        while improved && guard < 20 {
            improved = false;
            guard += 1;
            for i in 0..n {
                for j in 0..n {
                    if i == j {
                        continue;
                    }
                    let mut cand = seq.clone();
                    let x = cand.remove(i);
                    cand.insert(j, x);
                    if let Some(t) = self.eval(d, &cand)
                        && t < cur - EPS
                    {
                        cur = t;
                        seq = cand;
                        improved = true;
                    }
                }
            }
            for i in 0..n {
                for j in i + 1..n {
                    let mut cand = seq.clone();
                    cand[i..=j].reverse();
                    if let Some(t) = self.eval(d, &cand)
                        && t < cur - EPS
                    {
                        cur = t;
                        seq = cand;
                        improved = true;
                    }
                }
            }
        }
        Some((cur, seq))
    }

    /// Moves single visits to another day where that shortens the total travel.
    fn relocate(&mut self) -> bool {
        let mut improved = false;
        let mut buf = Vec::new();
        for it in 0..self.items.len() {
            let Some(from) = self.day_of[it] else {
                continue;
            };
            let route = self.routes[from].clone();
            let without: Vec<usize> = route.iter().copied().filter(|&x| x != it).collect();
            let Some(t_without) = self.eval(from, &without) else {
                continue;
            };
            let saving = self.travel[from] - t_without;
            if saving <= EPS {
                continue;
            }
            self.day_of[it] = None;
            let mut best: Option<(f64, usize, usize)> = None;
            for d in 0..self.nd() {
                if d == from {
                    continue;
                }
                if let Some((delta, pos)) = self.best_insertion(it, d, &mut buf)
                    && delta < saving - EPS
                    && best.is_none_or(|(b, _, _)| delta < b)
                {
                    best = Some((delta, d, pos));
                }
            }
            match best {
                Some((_, d, pos)) => {
                    self.routes[from] = without;
                    self.travel[from] = t_without;
                    self.insert(it, d, pos);
                    improved = true;
                }
                None => self.day_of[it] = Some(from),
            }
        }
        improved
    }

    /// Replaces a planned visit by an unplanned one of higher weight on the same day.
    fn replace(&mut self) -> bool {
        let mut improved = false;
        let mut buf = Vec::new();
        let mut unrouted: Vec<usize> = self
            .candidates
            .iter()
            .copied()
            .filter(|&it| self.day_of[it].is_none())
            .collect();
        unrouted.sort_by(|&a, &b| self.weight(b).total_cmp(&self.weight(a)).then(a.cmp(&b)));
        let nd = self.nd();
        for u in unrouted {
            let min_routed = (0..self.items.len())
                .filter(|&it| self.day_of[it].is_some())
                .map(|it| self.weight(it))
                .fold(f64::INFINITY, f64::min);
            let wu = self.weight(u);
            if wu < min_routed - EPS {
                break;
            }
            if self.day_of[u].is_some() {
                continue;
            }
            let mut best: Option<(f64, f64, usize, usize, usize)> = None; // (gain, travel, out, day, pos)
            for d in 0..nd {
                if !self.alone[u * nd + d] {
                    continue;
                }
                let route = self.routes[d].clone();
                for &v in &route {
                    let gain = wu - self.weight(v);
                    if gain < -EPS {
                        continue;
                    }
                    let without: Vec<usize> = route.iter().copied().filter(|&x| x != v).collect();
                    let saved = std::mem::replace(&mut self.routes[d], without);
                    self.day_of[v] = None;
                    let old_travel = self.travel[d];
                    self.travel[d] = self.eval(d, &self.routes[d]).unwrap_or(f64::INFINITY);
                    let ins = self.best_insertion(u, d, &mut buf);
                    let t_after = self.travel[d] + ins.map(|(x, _)| x).unwrap_or(0.0);
                    self.routes[d] = saved;
                    self.day_of[v] = Some(d);
                    self.travel[d] = old_travel;
                    // Equal weight is worth it only for less travel.
                    let useful = gain > EPS || t_after < old_travel - EPS;
                    if let Some((_, pos)) = ins
                        && useful
                        && best.is_none_or(|(g, t, ..)| {
                            gain > g + EPS || (gain > g - EPS && t_after < t)
                        })
                    {
                        best = Some((gain, t_after, v, d, pos));
                    }
                }
            }
            if let Some((_, _, v, d, pos)) = best {
                self.remove(v);
                self.insert(u, d, pos);
                improved = true;
            }
        }
        improved
    }

    /// Ruin: removes a few random visits, sometimes a whole day.
    fn perturb(&mut self, rng: &mut Rng) {
        let routed: Vec<usize> = (0..self.items.len())
            .filter(|&it| self.day_of[it].is_some())
            .collect();
        if routed.is_empty() {
            return;
        }
        if rng.unit() < 0.2 {
            let d = rng.below(self.nd());
            for it in self.routes[d].clone() {
                self.remove(it);
            }
        }
        let k = 1 + rng.below((routed.len() / 3).clamp(2, 15));
        for _ in 0..k {
            let it = routed[rng.below(routed.len())];
            self.remove(it);
        }
    }

    fn finish(&self, iterations: u64, stopped_by_time: bool) -> Plan {
        let mut days = Vec::with_capacity(self.nd());
        let mut total_travel = 0.0;
        for d in 0..self.nd() {
            let mut pd = PlannedDay {
                day: d,
                visits: Vec::new(),
                departure: self.p.day_start,
                return_time: self.p.day_start,
                travel: 0.0,
                total: 0.0,
            };
            if !self.routes[d].is_empty() {
                self.schedule(d, &self.routes[d], Some(&mut pd));
            }
            total_travel += pd.travel;
            days.push(pd);
        }
        let mut total_weight = 0.0;
        let mut unvisited = Vec::new();
        for (s, stop) in self.p.stops.iter().enumerate() {
            let planned = self.copies[s]
                .iter()
                .filter(|&&it| self.day_of[it].is_some())
                .count() as u32;
            total_weight += stop.weight * planned as f64;
            let wanted = stop.visits.max(1);
            if planned < wanted {
                unvisited.push(UnvisitedStop {
                    stop: s,
                    missing_visits: wanted - planned,
                    reason: self.pre_reasons[s]
                        .clone()
                        .unwrap_or(UnvisitedReason::NoRoom),
                });
            }
        }
        Plan {
            days,
            unvisited,
            total_travel,
            total_weight,
            iterations,
            stopped_by_time,
        }
    }
}

/// Earliest service start at or after `t` fitting entirely in one window.
fn earliest_start(windows: &[Window], t: f64, service: f64) -> Option<f64> {
    windows
        .iter()
        .filter_map(|w| {
            let s = t.max(w.open);
            (s + service <= w.close + EPS).then_some(s)
        })
        .min_by(|a, b| a.total_cmp(b))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn grid_matrix(points: &[(f64, f64)]) -> CostMatrix {
        CostMatrix::from_fn(points.len(), |i, j| {
            ((points[i].0 - points[j].0).abs() + (points[i].1 - points[j].1).abs()).round()
        })
    }

    fn stop(node: usize, weight: f64, service: f64) -> PlanStop {
        PlanStop {
            node,
            weight,
            service,
            windows: None,
            visits: 1,
            min_days_between_visits: 0,
        }
    }

    fn weekdays(n: usize) -> Vec<PlanDay> {
        (0..n)
            .map(|d| PlanDay {
                weekday: (d % 5) as u8,
                date: (d / 5 * 7 + d % 5) as u32,
            })
            .collect()
    }

    /// Independent schedule check, written from the problem statement.
    fn check_day(p: &PlanProblem, pd: &PlannedDay) {
        let wd = p.days[pd.day].weekday as usize;
        let mut t = pd.departure;
        let mut prev = 0;
        let mut travel = 0.0;
        assert!(pd.departure >= p.day_start - 1e-9);
        for v in &pd.visits {
            let s = &p.stops[v.stop];
            let leg = p.matrix.get(prev, s.node);
            t += leg;
            travel += leg;
            assert!((v.arrival - t).abs() < 1e-6, "arrival {} vs {t}", v.arrival);
            assert!(v.start >= t - 1e-9);
            if let Some(w) = &s.windows {
                assert!(
                    w[wd]
                        .iter()
                        .any(|w| v.start >= w.open - 1e-9 && v.start + s.service <= w.close + 1e-9),
                    "service outside the windows"
                );
            }
            t = v.start + s.service;
            assert!((v.departure - t).abs() < 1e-6);
            prev = s.node;
        }
        t += p.matrix.get(prev, 0);
        travel += p.matrix.get(prev, 0);
        if !pd.visits.is_empty() {
            assert!((pd.travel - travel).abs() < 1e-6);
            assert!((pd.return_time - t).abs() < 1e-6);
            assert!((pd.total - (t - pd.departure)).abs() < 1e-6);
            if let Some(b) = p.day_minutes {
                assert!(pd.total <= b + 1e-6, "budget exceeded: {} > {b}", pd.total);
            }
        }
    }

    fn random_problem(seed: u64, n: usize) -> (CostMatrix, Vec<PlanStop>) {
        let mut rng = Rng::new(seed);
        let pts: Vec<(f64, f64)> = (0..=n)
            .map(|_| (rng.unit() * 60.0, rng.unit() * 60.0))
            .collect();
        let m = grid_matrix(&pts);
        let stops = (1..=n)
            .map(|i| stop(i, (1 + rng.below(9)) as f64, 15.0))
            .collect();
        (m, stops)
    }

    /// Best (weight, -travel) of one day by enumerating every ordered subset.
    fn brute_force_one_day(p: &PlanProblem) -> (f64, f64) {
        fn rec(p: &PlanProblem, used: &mut Vec<bool>, seq: &mut Vec<usize>, best: &mut (f64, f64)) {
            // Evaluate current sequence (no windows in this oracle).
            let mut t = 0.0;
            let mut prev = 0;
            let mut w = 0.0;
            for &s in seq.iter() {
                t += p.matrix.get(prev, p.stops[s].node) + p.stops[s].service;
                prev = p.stops[s].node;
                w += p.stops[s].weight;
            }
            let travel_back = p.matrix.get(prev, 0);
            let total = t + travel_back;
            if total > p.day_minutes.unwrap_or(f64::INFINITY) + 1e-9 {
                return;
            }
            let travel = total - seq.iter().map(|&s| p.stops[s].service).sum::<f64>();
            if w > best.0 + 1e-9 || (w > best.0 - 1e-9 && travel < best.1 - 1e-9) {
                *best = (w, travel);
            }
            for s in 0..p.stops.len() {
                if !used[s] {
                    used[s] = true;
                    seq.push(s);
                    rec(p, used, seq, best);
                    seq.pop();
                    used[s] = false;
                }
            }
        }
        let mut best = (0.0, 0.0);
        rec(
            p,
            &mut vec![false; p.stops.len()],
            &mut Vec::new(),
            &mut best,
        );
        best
    }

    #[test]
    fn one_day_orienteering_matches_brute_force_on_small_instances() {
        for seed in 0..10 {
            let (m, stops) = random_problem(seed, 7);
            let p = PlanProblem {
                matrix: &m,
                stops,
                days: weekdays(1),
                day_start: 480.0,
                day_minutes: Some(150.0),
                must_visit_all: false,
            };
            let plan = plan_tours(&p, &PlanOptions::default());
            let (w, travel) = brute_force_one_day(&p);
            assert!(
                (plan.total_weight - w).abs() < 1e-9,
                "seed {seed}: weight {} vs {w}",
                plan.total_weight
            );
            assert!(
                (plan.total_travel - travel).abs() < 1e-6,
                "seed {seed}: travel {} vs {travel}",
                plan.total_travel
            );
            for d in &plan.days {
                check_day(&p, d);
            }
        }
    }

    #[test]
    fn multi_day_plans_respect_budgets_windows_and_list_every_missing_stop() {
        let (m, mut stops) = random_problem(11, 40);
        for (i, s) in stops.iter_mut().enumerate() {
            s.service = 90.0;
            if i % 3 == 0 {
                // Open mornings on Monday and Thursday only.
                let mut w: [Vec<Window>; 7] = Default::default();
                w[0] = vec![Window {
                    open: 540.0,
                    close: 720.0,
                }];
                w[3] = vec![Window {
                    open: 540.0,
                    close: 720.0,
                }];
                s.windows = Some(w);
            }
        }
        let p = PlanProblem {
            matrix: &m,
            stops,
            days: weekdays(10),
            day_start: 480.0,
            day_minutes: Some(420.0),
            must_visit_all: false,
        };
        let plan = plan_tours(&p, &PlanOptions::default());
        let mut seen = vec![0u32; p.stops.len()];
        for d in &plan.days {
            check_day(&p, d);
            for v in &d.visits {
                seen[v.stop] += 1;
            }
        }
        for u in &plan.unvisited {
            assert_eq!(seen[u.stop], 0);
        }
        let visited = seen.iter().filter(|&&c| c == 1).count();
        assert_eq!(visited + plan.unvisited.len(), p.stops.len());
        assert!(seen.iter().all(|&c| c <= 1));
        // 10 days of 7 h with 1.5 h permanences: at most 4 a day, and the days are used.
        assert!(visited >= 25, "only {visited} visits");
        let w: f64 = seen
            .iter()
            .zip(&p.stops)
            .map(|(&c, s)| c as f64 * s.weight)
            .sum();
        assert!((w - plan.total_weight).abs() < 1e-9);
    }

    #[test]
    fn a_stop_beyond_half_a_day_is_dropped_as_too_far() {
        let m = CostMatrix::from_rows(&[
            vec![0.0, 10.0, 300.0],
            vec![10.0, 0.0, 295.0],
            vec![300.0, 295.0, 0.0],
        ])
        .unwrap();
        let p = PlanProblem {
            matrix: &m,
            stops: vec![stop(1, 1.0, 60.0), stop(2, 100.0, 60.0)],
            days: weekdays(3),
            day_start: 480.0,
            day_minutes: Some(420.0),
            must_visit_all: false,
        };
        let plan = plan_tours(&p, &PlanOptions::default());
        assert_eq!(plan.unvisited.len(), 1);
        assert_eq!(plan.unvisited[0].stop, 1);
        assert!(
            matches!(plan.unvisited[0].reason, UnvisitedReason::TooFar { round_trip, .. } if round_trip == 600.0)
        );
        assert_eq!(plan.total_weight, 1.0);
    }

    #[test]
    fn repeated_visits_are_spaced_by_the_minimum_number_of_days() {
        let (m, mut stops) = random_problem(5, 6);
        for s in stops.iter_mut() {
            s.visits = 2;
            s.min_days_between_visits = 7;
        }
        let p = PlanProblem {
            matrix: &m,
            stops,
            days: weekdays(10),
            day_start: 480.0,
            day_minutes: Some(420.0),
            must_visit_all: true,
        };
        let plan = plan_tours(&p, &PlanOptions::default());
        assert!(plan.unvisited.is_empty(), "{:?}", plan.unvisited);
        let mut dates: Vec<Vec<u32>> = vec![Vec::new(); p.stops.len()];
        for d in &plan.days {
            for v in &d.visits {
                dates[v.stop].push(p.days[d.day].date);
            }
        }
        for ds in dates {
            assert_eq!(ds.len(), 2);
            assert!(ds[0].abs_diff(ds[1]) >= 7, "{ds:?}");
        }
        // Spacing that the horizon cannot hold is reported, not silently ignored.
        let mut p2 = p.clone();
        p2.stops[0].min_days_between_visits = 30;
        let plan2 = plan_tours(&p2, &PlanOptions::default());
        assert!(
            plan2
                .unvisited
                .iter()
                .any(|u| u.stop == 0 && u.reason == UnvisitedReason::SpacingImpossible)
        );
    }

    #[test]
    fn visit_all_with_one_unbounded_day_is_the_optimal_tsp_tour_on_small_instances() {
        let (m, stops) = random_problem(3, 9);
        let p = PlanProblem {
            matrix: &m,
            stops,
            days: weekdays(1),
            day_start: 480.0,
            day_minutes: None,
            must_visit_all: true,
        };
        let plan = plan_tours(&p, &PlanOptions::default());
        assert!(plan.unvisited.is_empty());
        let exact = m.tour_cost(&held_karp(&m));
        assert!((plan.total_travel - exact).abs() < 1e-6);
    }

    #[test]
    fn plans_are_deterministic_for_a_seed() {
        let (m, stops) = random_problem(21, 60);
        let p = PlanProblem {
            matrix: &m,
            stops,
            days: weekdays(5),
            day_start: 480.0,
            day_minutes: Some(300.0),
            must_visit_all: false,
        };
        let opts = PlanOptions {
            seed: 4,
            time_limit: Duration::from_secs(60),
            max_iterations: Some(300),
        };
        let a = plan_tours(&p, &opts);
        assert_eq!(a, plan_tours(&p, &opts));
        assert!(!a.stopped_by_time);
    }
}
