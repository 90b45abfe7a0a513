//! Checks a [`GapRequest`] against the catalog and turns it into indices.

use std::collections::HashMap;

use maillage_core::{Catalog, DepartementCode, EpciSiren, InseeCode, Position, VenueFilter};

use super::request::IfnSpec;
use super::{GapError, GapIndex, GapRequest, Label, TravelMatrix, VenueRef};

/// A hypothetical venue, placed.
#[derive(Debug, Clone)]
pub(crate) struct Hypothetical {
    pub position: Position,
    /// `hypothese-N`.
    pub key: Label,
    pub name: Label,
    pub commune: Option<usize>,
}

/// A request resolved against a catalog.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Commune indices of the territory, ascending (= INSEE order).
    pub selection: Vec<usize>,
    pub selected: Vec<bool>,
    pub filter: VenueFilter,
    pub threshold: f64,
    pub speed_kmh: f64,
    pub detour: f64,
    pub ifn: IfnSpec,
    /// Per commune: (venue, minutes), sorted by venue.
    pub matrix: HashMap<usize, Vec<(u32, f64)>>,
    pub matrix_pairs: usize,
    pub added: Vec<Hypothetical>,
    /// Sorted, deduplicated.
    pub removed: Vec<u32>,
    pub warnings: Vec<String>,
}

impl Plan {
    /// Estimated minutes for a straight-line distance in metres.
    pub fn minutes(&self, metres: f64) -> f64 {
        metres / 1000.0 * self.detour / self.speed_kmh * 60.0
    }

    /// Straight-line metres that take `minutes` by the estimate.
    pub fn metres(&self, minutes: f64) -> f64 {
        minutes / 60.0 * self.speed_kmh / self.detour * 1000.0
    }
}

pub(crate) fn resolve(
    index: &GapIndex,
    catalog: &Catalog,
    req: &GapRequest,
) -> Result<Plan, GapError> {
    let t = req.threshold_minutes;
    if !(t.is_finite() && t > 0.0 && t <= 600.0) {
        return Err(GapError::BadThreshold { found: t });
    }
    let s = req.speed_kmh;
    if !(s.is_finite() && (5.0..=130.0).contains(&s)) {
        return Err(GapError::BadSpeed { found: s });
    }
    let d = req.detour_factor;
    if !(d.is_finite() && (1.0..=3.0).contains(&d)) {
        return Err(GapError::BadDetour { found: d });
    }
    let ifn = req.ifn.resolve()?;
    let (selection, selected) = territory(index, catalog, req)?;
    let mut warnings = Vec::new();
    let (matrix, matrix_pairs) = match &req.matrix {
        Some(m) => matrix(index, catalog, m, &selected, &mut warnings)?,
        None => (HashMap::new(), 0),
    };
    let added = req
        .added
        .iter()
        .enumerate()
        .map(|(i, a)| hypothetical(index, catalog, i + 1, a))
        .collect::<Result<Vec<_>, _>>()?;
    let mut removed = req
        .removed
        .iter()
        .enumerate()
        .map(|(i, r)| venue(index, catalog, r, &format!("removed[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    removed.sort_unstable();
    removed.dedup();
    if let Some(m) = req.filter.min_half_days
        && !(0.0..=14.0).contains(&m)
    {
        return Err(GapError::InvalidCode {
            field: "filter.min_half_days".into(),
            message: format!(
                "attendu un nombre de demi-journées d'ouverture par semaine entre 0 et 14, trouvé {m}"
            ),
        });
    }
    Ok(Plan {
        selection,
        selected,
        filter: req.filter.to_filter(),
        threshold: t,
        speed_kmh: s,
        detour: d,
        ifn,
        matrix,
        matrix_pairs,
        added,
        removed,
        warnings,
    })
}

fn commune(catalog: &Catalog, code: &str, field: &str) -> Result<usize, GapError> {
    let parsed: InseeCode =
        code.parse()
            .map_err(|e: maillage_core::CodeError| GapError::InvalidCode {
                field: field.to_string(),
                message: e.to_string(),
            })?;
    catalog
        .commune_index(&parsed)
        .ok_or_else(|| GapError::UnknownCommune {
            field: field.to_string(),
            code: code.trim().to_string(),
        })
}

fn territory(
    index: &GapIndex,
    catalog: &Catalog,
    req: &GapRequest,
) -> Result<(Vec<usize>, Vec<bool>), GapError> {
    let n = catalog.communes.len();
    let t = &req.territory;
    let mut selected = vec![t.is_everything(); n];
    let mut deps = vec![false; index.deps.len()];
    for (i, code) in t.departements.iter().enumerate() {
        let field = format!("territory.departements[{i}]");
        let parsed: DepartementCode =
            code.parse()
                .map_err(|e: maillage_core::CodeError| GapError::InvalidCode {
                    field: field.clone(),
                    message: e.to_string(),
                })?;
        let k = index
            .deps
            .binary_search(&parsed)
            .map_err(|_| GapError::UnknownDepartement {
                field,
                code: code.trim().to_string(),
            })?;
        deps[k] = true;
    }
    let mut epcis = vec![false; index.epcis.len()];
    for (i, siren) in t.epcis.iter().enumerate() {
        let field = format!("territory.epcis[{i}]");
        let parsed: EpciSiren =
            siren
                .parse()
                .map_err(|e: maillage_core::CodeError| GapError::InvalidCode {
                    field: field.clone(),
                    message: e.to_string(),
                })?;
        let k = index
            .epcis
            .binary_search(&parsed)
            .map_err(|_| GapError::UnknownEpci {
                field,
                siren: siren.trim().to_string(),
            })?;
        epcis[k] = true;
    }
    if !t.departements.is_empty() || !t.epcis.is_empty() {
        for (c, sel) in selected.iter_mut().enumerate() {
            let in_dep = deps[index.commune_dep[c] as usize];
            let in_epci = index.commune_epci[c].is_some_and(|e| epcis[e as usize]);
            *sel |= in_dep || in_epci;
        }
    }
    for (i, code) in t.communes.iter().enumerate() {
        let c = commune(catalog, code, &format!("territory.communes[{i}]"))?;
        selected[c] = true;
    }
    let selection: Vec<usize> = (0..n).filter(|&c| selected[c]).collect();
    if selection.is_empty() {
        return Err(GapError::EmptyTerritory);
    }
    Ok((selection, selected))
}

fn venue(index: &GapIndex, catalog: &Catalog, r: &VenueRef, field: &str) -> Result<u32, GapError> {
    let found = match r {
        VenueRef::Index(i) => ((*i as usize) < catalog.venues.len()).then_some(*i),
        VenueRef::Key(k) => index.venue_keys.get(k.trim()).copied(),
    };
    found.ok_or_else(|| GapError::UnknownVenue {
        field: field.to_string(),
        reference: r.to_string(),
    })
}

type MatrixRows = (HashMap<usize, Vec<(u32, f64)>>, usize);

fn matrix(
    index: &GapIndex,
    catalog: &Catalog,
    m: &TravelMatrix,
    selected: &[bool],
    warnings: &mut Vec<String>,
) -> Result<MatrixRows, GapError> {
    let mut pairs: HashMap<usize, Vec<(u32, f64)>> = HashMap::new();
    let check = |minutes: f64, at: &str| {
        if minutes.is_finite() && minutes >= 0.0 {
            Ok(minutes)
        } else {
            Err(GapError::BadMatrix(format!(
                "{at} : durée invalide {minutes} (attendu un nombre de minutes ≥ 0)"
            )))
        }
    };
    if m.minutes.len() != m.communes.len() {
        return Err(GapError::BadMatrix(format!(
            "« minutes » a {} lignes mais « communes » en nomme {}",
            m.minutes.len(),
            m.communes.len()
        )));
    }
    let columns = m
        .venues
        .iter()
        .enumerate()
        .map(|(j, r)| venue(index, catalog, r, &format!("matrix.venues[{j}]")))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, (code, row)) in m.communes.iter().zip(&m.minutes).enumerate() {
        let c = commune(catalog, code, &format!("matrix.communes[{i}]"))?;
        if row.len() != columns.len() {
            return Err(GapError::BadMatrix(format!(
                "la ligne {i} (commune {code}) a {} valeurs mais « venues » en nomme {}",
                row.len(),
                columns.len()
            )));
        }
        for (j, value) in row.iter().enumerate() {
            if let Some(v) = value {
                let minutes = check(*v, &format!("minutes[{i}][{j}]"))?;
                pairs.entry(c).or_default().push((columns[j], minutes));
            }
        }
    }
    for (i, e) in m.entries.iter().enumerate() {
        let c = commune(catalog, &e.commune, &format!("matrix.entries[{i}].commune"))?;
        let v = venue(
            index,
            catalog,
            &e.venue,
            &format!("matrix.entries[{i}].venue"),
        )?;
        let minutes = check(e.minutes, &format!("entries[{i}]"))?;
        pairs.entry(c).or_default().push((v, minutes));
    }
    let mut used = 0;
    let mut ignored = 0;
    for (&c, row) in pairs.iter_mut() {
        row.sort_by_key(|p| p.0);
        if let Some(w) = row.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(GapError::BadMatrix(format!(
                "la paire (commune {}, lieu {}) est donnée deux fois",
                catalog.communes[c].code, w[0].0
            )));
        }
        if selected[c] {
            used += row.len();
        } else {
            ignored += row.len();
        }
    }
    if ignored > 0 {
        warnings.push(format!(
            "{ignored} paires de la matrice concernent des communes hors du territoire : ignorées."
        ));
    }
    Ok((pairs, used))
}

fn hypothetical(
    index: &GapIndex,
    catalog: &Catalog,
    number: usize,
    a: &super::AddedVenue,
) -> Result<Hypothetical, GapError> {
    let bad = |message: String| GapError::BadAddedVenue {
        index: number,
        message,
    };
    let label = a
        .label
        .as_ref()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    match (a.lonlat, &a.town_hall) {
        (Some([lon, lat]), None) => {
            let position = index.project(lon, lat).map_err(bad)?;
            let commune = catalog
                .commune_at(lon, lat)
                .and_then(|c| catalog.commune_index(&c.code));
            Ok(Hypothetical {
                position,
                key: format!("hypothese-{number}").as_str().into(),
                name: label
                    .unwrap_or_else(|| format!("Lieu hypothétique n° {number}"))
                    .as_str()
                    .into(),
                commune,
            })
        }
        (None, Some(code)) => {
            let c = commune(catalog, code, &format!("added[{}].town_hall", number - 1))?;
            let com = &catalog.communes[c];
            let position = com
                .located_town_hall()
                .map(|h| h.position)
                .or_else(|| index.access[c].map(|a| a.position))
                .ok_or_else(|| {
                    bad(format!(
                        "la commune {} ({}) n'a ni position de mairie ni contour : impossible de la placer",
                        com.code, com.name
                    ))
                })?;
            Ok(Hypothetical {
                position,
                key: format!("hypothese-{number}").as_str().into(),
                name: label
                    .unwrap_or_else(|| format!("Permanence à la mairie de {}", com.name))
                    .as_str()
                    .into(),
                commune: Some(c),
            })
        }
        _ => Err(bad(
            "indiquez soit « lonlat » ([longitude, latitude]), soit « town_hall » (code INSEE), pas les deux"
                .to_string(),
        )),
    }
}
