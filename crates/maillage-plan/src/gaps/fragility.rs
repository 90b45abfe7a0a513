//! Normalised IFN per commune, with the fallback for communes that have none.

use maillage_core::{Catalog, Commune};

use super::analysis::round;
use super::request::{IfnModel, IfnSpec};
use super::resolve::Plan;
use super::{GapIndex, IfnSource};

/// IFN and priority of every commune (filled for the territory only).
#[derive(Debug)]
pub(crate) struct FragilityValues {
    /// The commune's own value, raw scale.
    pub raw: Vec<Option<f64>>,
    pub normalised: Vec<f64>,
    pub source: Vec<IfnSource>,
    pub fragile: Vec<bool>,
    pub priority: Vec<f64>,
}

/// The commune's own value on the chosen axis. IFN 2020 zeros mean "no data"
/// (see the data README) and count as missing.
fn measured(spec: &IfnSpec, c: &Commune) -> Option<f64> {
    let v = match (spec.model, spec.scale) {
        (IfnModel::Ifn2023, _) => c.fragility.ifn2023.and_then(|f| f.axis(spec.axis)),
        (IfnModel::Ifn2020, Some(scale)) => c
            .fragility
            .ifn2020
            .as_ref()
            .and_then(|f| f.scale(scale.core()).axis(spec.axis))
            .filter(|v| *v > 0.0),
        (IfnModel::Ifn2020, None) => None,
    };
    v.filter(|v| v.is_finite())
}

fn normalise(spec: &IfnSpec, raw: f64) -> f64 {
    match spec.model {
        IfnModel::Ifn2023 => raw / 10.0,
        IfnModel::Ifn2020 => raw / 100.0,
    }
}

fn neutral(spec: &IfnSpec) -> f64 {
    match spec.model {
        IfnModel::Ifn2023 => 0.5,
        IfnModel::Ifn2020 => 1.0,
    }
}

fn is_fragile(spec: &IfnSpec, raw: f64) -> bool {
    match spec.model {
        IfnModel::Ifn2023 => raw >= 7.0,
        IfnModel::Ifn2020 => raw > 100.0,
    }
}

/// Population-weighted means of the normalised value per group (plain means for a
/// group whose communes with a value all have population 0).
struct GroupMeans {
    weighted: Vec<f64>,
    weight: Vec<f64>,
    plain: Vec<f64>,
    count: Vec<u32>,
}

impl GroupMeans {
    fn new(groups: usize) -> GroupMeans {
        GroupMeans {
            weighted: vec![0.0; groups],
            weight: vec![0.0; groups],
            plain: vec![0.0; groups],
            count: vec![0; groups],
        }
    }

    fn add(&mut self, g: usize, value: f64, population: u32) {
        let w = f64::from(population);
        self.weighted[g] += w * value;
        self.weight[g] += w;
        self.plain[g] += value;
        self.count[g] += 1;
    }

    fn mean(&self, g: usize) -> Option<f64> {
        if self.weight[g] > 0.0 {
            Some(self.weighted[g] / self.weight[g])
        } else if self.count[g] > 0 {
            Some(self.plain[g] / f64::from(self.count[g]))
        } else {
            None
        }
    }
}

pub(crate) fn compute(index: &GapIndex, catalog: &Catalog, plan: &Plan) -> FragilityValues {
    let n = catalog.communes.len();
    let spec = &plan.ifn;
    let mut fr = FragilityValues {
        raw: vec![None; n],
        normalised: vec![0.0; n],
        source: vec![IfnSource::Neutral; n],
        fragile: vec![false; n],
        priority: vec![0.0; n],
    };
    let mut missing = false;
    for &c in &plan.selection {
        fr.raw[c] = measured(spec, &catalog.communes[c]);
        missing |= fr.raw[c].is_none();
    }
    // Fallback means over the whole catalog, so a commune's value does not depend
    // on the territory asked.
    let means = missing.then(|| {
        let mut epci = GroupMeans::new(index.epcis.len());
        let mut dep = GroupMeans::new(index.deps.len());
        for (c, com) in catalog.communes.iter().enumerate() {
            if let Some(raw) = measured(spec, com) {
                let v = normalise(spec, raw);
                if let Some(e) = index.commune_epci[c] {
                    epci.add(e as usize, v, com.population);
                }
                dep.add(index.commune_dep[c] as usize, v, com.population);
            }
        }
        (epci, dep)
    });
    for &c in &plan.selection {
        let (value, source) = match (fr.raw[c], &means) {
            (Some(raw), _) => (normalise(spec, raw), IfnSource::Measured),
            (None, Some((epci, dep))) => {
                let from_epci = index.commune_epci[c].and_then(|e| epci.mean(e as usize));
                match from_epci {
                    Some(v) => (v, IfnSource::EpciMean),
                    None => match dep.mean(index.commune_dep[c] as usize) {
                        Some(v) => (v, IfnSource::DepartementMean),
                        None => (neutral(spec), IfnSource::Neutral),
                    },
                }
            }
            (None, None) => (neutral(spec), IfnSource::Neutral),
        };
        fr.normalised[c] = value;
        fr.source[c] = source;
        fr.fragile[c] = fr.raw[c].is_some_and(|raw| is_fragile(spec, raw));
        // Rounded before sorting, so the published order follows the published values.
        fr.priority[c] = round(f64::from(catalog.communes[c].population) * value, 3);
    }
    fr
}
