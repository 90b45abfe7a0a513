//! Indicators per EPCI, per département and for the whole territory.

use maillage_core::Catalog;

use super::analysis::{Best, round};
use super::fragility::FragilityValues;
use super::resolve::Plan;
use super::{GapIndex, GroupIndicators, IndicatorSet, Indicators, Status, TopCommune};

/// Status of each commune for one set of results.
pub(crate) struct StatusOf<'a> {
    located: &'a [Option<super::AccessPoint>],
    threshold: f64,
    best: &'a [Best],
}

impl<'a> StatusOf<'a> {
    pub fn new(index: &'a GapIndex, plan: &Plan, best: &'a [Best]) -> StatusOf<'a> {
        StatusOf {
            located: &index.access,
            threshold: plan.threshold,
            best,
        }
    }

    pub fn minutes(&self, c: usize) -> f64 {
        self.best[c].minutes
    }

    /// Served when the time is at most the threshold; unlocated when the commune has
    /// neither an access point nor a matrix time; unserved otherwise.
    pub fn status(&self, c: usize) -> Status {
        let m = self.best[c].minutes;
        if m <= self.threshold {
            Status::Served
        } else if m.is_finite() || self.located[c].is_some() {
            Status::Unserved
        } else {
            Status::Unlocated
        }
    }
}

fn add_commune(
    ind: &mut Indicators,
    population: u32,
    status: Status,
    minutes: f64,
    fragile: bool,
    measured: bool,
) {
    let p = u64::from(population);
    ind.communes += 1;
    ind.population += p;
    if minutes <= 10.0 {
        ind.population_within_10_min += p;
    }
    if minutes <= 20.0 {
        ind.population_within_20_min += p;
    }
    if minutes <= 30.0 {
        ind.population_within_30_min += p;
    }
    match status {
        Status::Served => {
            ind.communes_served += 1;
            ind.population_served += p;
        }
        Status::Unserved => {
            ind.communes_unserved += 1;
            ind.population_unserved += p;
        }
        Status::Unlocated => {
            ind.communes_unlocated += 1;
            ind.population_unlocated += p;
        }
    }
    if fragile {
        ind.fragile_population += p;
        if status == Status::Unserved {
            ind.fragile_population_unserved += p;
        }
    }
    if !measured {
        ind.population_without_ifn += p;
    }
}

fn finish(ind: &mut Indicators) {
    let share = |part: u64| {
        if ind.population > 0 {
            round(part as f64 / ind.population as f64, 4)
        } else {
            0.0
        }
    };
    ind.share_within_10_min = share(ind.population_within_10_min);
    ind.share_within_20_min = share(ind.population_within_20_min);
    ind.share_within_30_min = share(ind.population_within_30_min);
    ind.venues_per_10000 = (ind.population > 0)
        .then(|| round(ind.venues as f64 * 10_000.0 / ind.population as f64, 3));
}

/// The indicators of one set of results. `venue_ok` says which catalog venues exist
/// (filter and removals); `with_added` counts the hypothetical venues.
#[allow(clippy::too_many_arguments)]
pub(crate) fn compute(
    index: &GapIndex,
    catalog: &Catalog,
    plan: &Plan,
    order: &[usize],
    fr: &FragilityValues,
    status: &StatusOf,
    venue_ok: impl Fn(u32) -> bool,
    with_added: bool,
) -> IndicatorSet {
    let mut whole = Indicators::default();
    let mut epcis: Vec<Option<Indicators>> = vec![None; index.epcis.len()];
    let mut deps: Vec<Option<Indicators>> = vec![None; index.deps.len()];
    let groups = |c: usize| {
        (
            index.commune_epci[c].map(|e| e as usize),
            index.commune_dep[c] as usize,
        )
    };

    for &c in &plan.selection {
        let com = &catalog.communes[c];
        let (e, d) = groups(c);
        let args = (
            com.population,
            status.status(c),
            status.minutes(c),
            fr.fragile[c],
            fr.raw[c].is_some(),
        );
        let targets = [
            Some(&mut whole),
            e.map(|e| epcis[e].get_or_insert_with(Indicators::default)),
        ];
        for ind in targets.into_iter().flatten() {
            add_commune(ind, args.0, args.1, args.2, args.3, args.4);
        }
        add_commune(
            deps[d].get_or_insert_with(Indicators::default),
            args.0,
            args.1,
            args.2,
            args.3,
            args.4,
        );
    }

    let mut count_venue = |c: usize, whole: &mut Indicators| {
        if !plan.selected[c] {
            return;
        }
        let (e, d) = groups(c);
        whole.venues += 1;
        if let Some(ind) = e.and_then(|e| epcis[e].as_mut()) {
            ind.venues += 1;
        }
        if let Some(ind) = deps[d].as_mut() {
            ind.venues += 1;
        }
    };
    for (v, c) in index.venue_commune.iter().enumerate() {
        if let Some(c) = c
            && venue_ok(v as u32)
        {
            count_venue(*c as usize, &mut whole);
        }
    }
    if with_added {
        for h in &plan.added {
            if let Some(c) = h.commune {
                count_venue(c, &mut whole);
            }
        }
    }

    for &c in order {
        if status.status(c) != Status::Unserved {
            continue;
        }
        let com = &catalog.communes[c];
        let (e, d) = groups(c);
        let top = || TopCommune {
            code: com.code,
            name: index.commune_labels[c].name.clone(),
            population: com.population,
            minutes: status
                .minutes(c)
                .is_finite()
                .then(|| round(status.minutes(c), 2)),
            priority: round(fr.priority[c], 3),
        };
        let lists = [
            Some(&mut whole),
            e.and_then(|e| epcis[e].as_mut()),
            deps[d].as_mut(),
        ];
        for ind in lists.into_iter().flatten() {
            if ind.top_unserved.len() < 10 {
                ind.top_unserved.push(top());
            }
        }
    }

    finish(&mut whole);
    let epcis = epcis
        .into_iter()
        .enumerate()
        .filter_map(|(i, ind)| {
            let mut ind = ind?;
            finish(&mut ind);
            let siren = &index.epcis[i];
            Some(GroupIndicators {
                code: siren.to_string(),
                name: catalog.epcis.get(siren).map(|e| e.name.clone()),
                indicators: ind,
            })
        })
        .collect();
    let departements = deps
        .into_iter()
        .enumerate()
        .filter_map(|(i, ind)| {
            let mut ind = ind?;
            finish(&mut ind);
            let code = &index.deps[i];
            Some(GroupIndicators {
                code: code.to_string(),
                name: catalog.departements.get(code).map(|d| d.name.clone()),
                indicators: ind,
            })
        })
        .collect();
    IndicatorSet {
        selection: whole,
        epcis,
        departements,
    }
}
