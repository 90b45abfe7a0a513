//! Nearest venue per commune, the what-if overlay, and the response.

use maillage_core::{Catalog, Position};
use rstar::RTree;

use super::index::Entry;

use super::fragility::{self, FragilityValues};
use super::indicators::{self, StatusOf};
use super::request::IfnModel;
use super::resolve::{Plan, resolve};
use super::{
    CommuneGap, GapError, GapIndex, GapParameters, GapRequest, GapResponse, HypotheticalVenue,
    NearestVenue, Status, StatusChange, TimeSource,
};

/// The best venue of one commune, in the combined venue space: catalog venues are
/// `0..n`, hypothetical venue `h` is `n + h`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Best {
    pub venue: Option<u32>,
    pub metres: Option<f64>,
    /// `f64::INFINITY` when no venue can be reached.
    pub minutes: f64,
    pub from_matrix: bool,
}

impl Best {
    const NONE: Best = Best {
        venue: None,
        metres: None,
        minutes: f64::INFINITY,
        from_matrix: false,
    };

    /// Whether (minutes, venue) beats this one: fewer minutes, ties to the lower venue.
    fn beaten_by(&self, minutes: f64, venue: u32) -> bool {
        minutes < self.minutes || (minutes == self.minutes && self.venue.is_none_or(|b| venue < b))
    }
}

pub(crate) fn round(x: f64, decimals: i32) -> f64 {
    let p = 10f64.powi(decimals);
    (x * p).round() / p
}

impl GapIndex {
    /// Runs a gap analysis (and its what-if, if the request has one) without
    /// modifying the catalog. Errors name the offending field, in French.
    pub fn analyse(&self, catalog: &Catalog, req: &GapRequest) -> Result<GapResponse, GapError> {
        self.check(catalog)?;
        let mut plan = resolve(self, catalog, req)?;
        let n = catalog.venues.len();

        let filter_ok: Option<Vec<bool>> = (!plan.filter.is_empty()).then(|| {
            catalog
                .venues
                .iter()
                .map(|v| plan.filter.matches(v))
                .collect()
        });
        if let Some(ok) = &filter_ok
            && !ok.iter().any(|&b| b)
        {
            plan.warnings.push(
                "Aucun lieu ne correspond au filtre : toutes les communes localisées sont non desservies."
                    .to_string(),
            );
        }
        let base_ok = |v: u32| filter_ok.as_ref().is_none_or(|ok| ok[v as usize]);
        // With a filter, search a tree of the matching venues only: walking the full tree
        // until a rare venue turns up would visit most of it for every commune.
        let filtered_trees = filter_ok.as_ref().map(|ok| {
            super::index::per_zone(
                catalog
                    .venues
                    .iter()
                    .enumerate()
                    .map(|(i, v)| ok[i].then_some(v.position)),
            )
        });
        let trees = filtered_trees.as_deref().unwrap_or(&self.venue_trees);

        let mut base = vec![Best::NONE; catalog.communes.len()];
        for &c in &plan.selection {
            base[c] = if filter_ok.is_none() && !plan.matrix.contains_key(&c) {
                self.cached(c, &plan)
            } else {
                self.best(catalog, &plan, trees, c, base_ok)
            };
        }

        let what_if = !plan.added.is_empty() || !plan.removed.is_empty();
        let scen_ok = |v: u32| base_ok(v) && plan.removed.binary_search(&v).is_err();
        let scenario = if what_if {
            Some(self.overlay(catalog, &plan, trees, &base, scen_ok))
        } else {
            None
        };
        let after = scenario.as_ref().unwrap_or(&base);

        let fr = fragility::compute(self, catalog, &plan);
        let mut order = plan.selection.clone();
        order.sort_by(|&a, &b| fr.priority[b].total_cmp(&fr.priority[a]).then(a.cmp(&b)));

        let status_after = StatusOf::new(self, &plan, after);
        let indicators = indicators::compute(
            self,
            catalog,
            &plan,
            &order,
            &fr,
            &status_after,
            scen_ok,
            true,
        );
        let baseline = what_if.then(|| {
            let status_before = StatusOf::new(self, &plan, &base);
            indicators::compute(
                self,
                catalog,
                &plan,
                &order,
                &fr,
                &status_before,
                base_ok,
                false,
            )
        });

        let changes = match &scenario {
            Some(scen) => {
                let before = StatusOf::new(self, &plan, &base);
                order
                    .iter()
                    .filter(|&&c| before.status(c) != status_after.status(c))
                    .map(|&c| {
                        let com = &catalog.communes[c];
                        StatusChange {
                            code: com.code,
                            name: self.commune_labels[c].name.clone(),
                            population: com.population,
                            priority: round(fr.priority[c], 3),
                            before: before.status(c),
                            after: status_after.status(c),
                            minutes_before: finite(base[c].minutes).map(|m| round(m, 2)),
                            minutes_after: finite(scen[c].minutes).map(|m| round(m, 2)),
                            venue_after: self.nearest_venue(catalog, &plan, &scen[c]),
                        }
                    })
                    .collect()
            }
            None => Vec::new(),
        };

        let hypothetical = plan
            .added
            .iter()
            .enumerate()
            .map(|(h, a)| HypotheticalVenue {
                key: a.key.to_string(),
                name: a.name.to_string(),
                lonlat: a.position.lonlat,
                commune: a.commune.map(|c| catalog.communes[c].code),
                communes_reached: plan
                    .selection
                    .iter()
                    .filter(|&&c| after[c].venue == Some((n + h) as u32))
                    .count(),
            })
            .collect();

        let communes = order
            .iter()
            .map(|&c| self.commune_gap(catalog, &plan, c, &after[c], &fr, &status_after))
            .collect();
        self.warn_about_data(&mut plan, &fr);
        Ok(GapResponse {
            parameters: parameters(&plan),
            communes,
            indicators,
            baseline,
            changes,
            hypothetical,
            warnings: plan.warnings,
        })
    }

    fn cached(&self, c: usize, plan: &Plan) -> Best {
        match self.nearest_any[c] {
            Some((v, d)) => Best {
                venue: Some(v),
                metres: Some(d),
                minutes: plan.minutes(d),
                from_matrix: false,
            },
            None => Best::NONE,
        }
    }

    /// The best catalog venue of commune `c` among those `allowed` accepts: the
    /// nearest one without a matrix time, against every matrix time of the commune.
    fn best(
        &self,
        catalog: &Catalog,
        plan: &Plan,
        trees: &[RTree<Entry>],
        c: usize,
        allowed: impl Fn(u32) -> bool,
    ) -> Best {
        let row: &[(u32, f64)] = plan.matrix.get(&c).map(Vec::as_slice).unwrap_or(&[]);
        let in_row = |v: u32| row.binary_search_by_key(&v, |p| p.0).is_ok();
        let mut best = match self.nearest_allowed(trees, c, |v| allowed(v) && !in_row(v)) {
            Some((v, d)) => Best {
                venue: Some(v),
                metres: Some(d),
                minutes: plan.minutes(d),
                from_matrix: false,
            },
            None => Best::NONE,
        };
        for &(v, minutes) in row {
            if allowed(v) && best.beaten_by(minutes, v) {
                let metres = self.access[c]
                    .and_then(|a| a.position.distance_m(&catalog.venues[v as usize].position));
                best = Best {
                    venue: Some(v),
                    metres,
                    minutes,
                    from_matrix: true,
                };
            }
        }
        best
    }

    /// The what-if: recompute the communes whose best venue was removed, then let each
    /// hypothetical venue improve the communes it is closer to (R-tree over access points,
    /// within the largest current travel time: no commune beyond it can improve).
    fn overlay(
        &self,
        catalog: &Catalog,
        plan: &Plan,
        trees: &[RTree<Entry>],
        base: &[Best],
        allowed: impl Fn(u32) -> bool + Copy,
    ) -> Vec<Best> {
        let n = catalog.venues.len() as u32;
        let mut scen = base.to_vec();
        if !plan.removed.is_empty() {
            for &c in &plan.selection {
                if scen[c]
                    .venue
                    .is_some_and(|v| plan.removed.binary_search(&v).is_ok())
                {
                    scen[c] = self.best(catalog, plan, trees, c, allowed);
                }
            }
        }
        if plan.added.is_empty() {
            return scen;
        }
        let mut worst = 0.0f64;
        for &c in &plan.selection {
            if self.access[c].is_some() {
                worst = worst.max(scen[c].minutes);
            }
        }
        let radius = plan.metres(worst) * (1.0 + 1e-9) + 1.0;
        for (h, added) in plan.added.iter().enumerate() {
            let id = n + h as u32;
            let tree = &self.access_trees[added.position.zone.index()];
            let mut visit = |c: usize, xy: &[f64; 2]| {
                if !plan.selected[c] {
                    return;
                }
                let d = distance(xy, &added.position);
                let minutes = plan.minutes(d);
                if scen[c].beaten_by(minutes, id) {
                    scen[c] = Best {
                        venue: Some(id),
                        metres: Some(d),
                        minutes,
                        from_matrix: false,
                    };
                }
            };
            if radius.is_finite() {
                for e in tree.locate_within_distance(added.position.xy, radius * radius) {
                    visit(e.data as usize, e.geom());
                }
            } else {
                for e in tree.iter() {
                    visit(e.data as usize, e.geom());
                }
            }
        }
        scen
    }

    pub(crate) fn nearest_venue(
        &self,
        catalog: &Catalog,
        plan: &Plan,
        best: &Best,
    ) -> Option<NearestVenue> {
        let v = best.venue? as usize;
        Some(match catalog.venues.get(v) {
            Some(venue) => NearestVenue {
                id: Some(v as u32),
                key: self.venue_labels[v].0.clone(),
                name: self.venue_labels[v].1.clone(),
                hypothetical: false,
                lonlat: venue.position.lonlat,
            },
            None => {
                let h = v - catalog.venues.len();
                let added = &plan.added[h];
                NearestVenue {
                    id: None,
                    key: added.key.clone(),
                    name: added.name.clone(),
                    hypothetical: true,
                    lonlat: added.position.lonlat,
                }
            }
        })
    }

    fn commune_gap(
        &self,
        catalog: &Catalog,
        plan: &Plan,
        c: usize,
        best: &Best,
        fr: &FragilityValues,
        status: &StatusOf,
    ) -> CommuneGap {
        let com = &catalog.communes[c];
        let labels = &self.commune_labels[c];
        let access = self.access[c];
        let st = status.status(c);
        CommuneGap {
            code: com.code,
            name: labels.name.clone(),
            population: com.population,
            departement: labels.departement.clone(),
            epci: labels.epci.clone(),
            access_lonlat: access.map(|a| a.position.lonlat),
            access_source: access.map(|a| a.source),
            nearest: self.nearest_venue(catalog, plan, best),
            distance_km: best.metres.map(|m| round(m / 1000.0, 3)),
            minutes: finite(best.minutes).map(|m| round(m, 2)),
            minutes_source: best.venue.map(|_| {
                if best.from_matrix {
                    TimeSource::Matrix
                } else {
                    TimeSource::Estimate
                }
            }),
            status: st,
            served: st == Status::Served,
            ifn: fr.raw[c],
            ifn_normalised: round(fr.normalised[c], 4),
            ifn_source: fr.source[c],
            fragile: fr.fragile[c],
            priority: round(fr.priority[c], 3),
            population_year: com.population_year,
        }
    }

    fn warn_about_data(&self, plan: &mut Plan, fr: &FragilityValues) {
        let unlocated = plan
            .selection
            .iter()
            .filter(|&&c| self.access[c].is_none())
            .count();
        if unlocated > 0 {
            plan.warnings.push(format!(
                "{unlocated} communes sans position de mairie ni contour : non localisées (hors desservies et non desservies)."
            ));
        }
        let missing = plan
            .selection
            .iter()
            .filter(|&&c| fr.raw[c].is_none())
            .count();
        if missing > 0 {
            plan.warnings.push(format!(
                "{missing} communes sans valeur d'IFN ({} « {} ») : priorité calculée avec une valeur de repli (moyenne de l'EPCI, sinon du département, sinon neutre), signalée par ifn_source.",
                plan.ifn.model.as_str(),
                plan.ifn.axis
            ));
        }
        if plan.ifn.model == IfnModel::Ifn2020
            && matches!(plan.ifn.axis, "score_global" | "global_acces")
        {
            plan.warnings.push(format!(
                "L'axe « {} » de l'IFN 2020 inclut l'accès aux interfaces numériques, qui varie en sens inverse (couverture) : les communes mal couvertes y paraissent moins fragiles.",
                plan.ifn.axis
            ));
        }
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn distance(xy: &[f64; 2], p: &Position) -> f64 {
    ((xy[0] - p.xy[0]).powi(2) + (xy[1] - p.xy[1]).powi(2)).sqrt()
}

fn parameters(plan: &Plan) -> GapParameters {
    let ifn = &plan.ifn;
    let scale = ifn.scale.map(|s| s.as_str());
    let (formula, fragile) = match ifn.model {
        IfnModel::Ifn2023 => (
            format!(
                "priorité = population × (IFN 2023 « {} » / 10) ; sans valeur : moyenne pondérée par la population des communes de l'EPCI, sinon du département, sinon 0,5",
                ifn.axis
            ),
            format!(
                "IFN 2023 « {} » ≥ 7 (valeur propre de la commune)",
                ifn.axis
            ),
        ),
        IfnModel::Ifn2020 => (
            format!(
                "priorité = population × (IFN 2020 « {} », échelle {} / 100) ; sans valeur (ou 0) : moyenne pondérée par la population des communes de l'EPCI, sinon du département, sinon 1",
                ifn.axis,
                scale.unwrap_or("region")
            ),
            format!(
                "IFN 2020 « {} », échelle {} > 100 (valeur propre de la commune)",
                ifn.axis,
                scale.unwrap_or("region")
            ),
        ),
    };
    GapParameters {
        threshold_minutes: plan.threshold,
        speed_kmh: plan.speed_kmh,
        detour_factor: plan.detour,
        ifn_model: ifn.model.as_str(),
        ifn_scale: scale,
        ifn_axis: ifn.axis,
        travel_time_formula: format!(
            "minutes = distance à vol d'oiseau (km) × {} / {} km/h × 60, sauf paire donnée par la matrice",
            plan.detour, plan.speed_kmh
        ),
        priority_formula: formula,
        fragile_definition: fragile,
        filter: plan.filter.clone(),
        removed: plan.removed.clone(),
        matrix_pairs: plan.matrix_pairs,
    }
}
