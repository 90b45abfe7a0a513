//! The planning use-cases over a catalog, as the server and the command line run them:
//! site choice with default candidates (the unserved communes of the demand) and tours,
//! from an unresolved request (commune codes) to the response.

use std::collections::BTreeSet;

use maillage_core::{Catalog, InseeCode};

use crate::gaps::GapCache;
use crate::request::Limit;
use crate::sites::{self, SiteError, SiteRequest, SiteResponse};
use crate::tours::{self, TourError, TourRequest, TourResponse};

/// The communes of the demand that the default gap analysis finds unserved (each meets
/// at its town hall, or at a point inside it when the town hall is not located). A demand point counts by its `commune` code, or by its lon/lat when it
/// falls inside a loaded commune boundary.
pub fn default_site_candidates(
    cache: &GapCache,
    req: &SiteRequest,
) -> Result<Vec<InseeCode>, SiteError> {
    let catalog = cache.catalog();
    let Ok(gaps) = cache.default_analysis() else {
        return Err(SiteError::Invalid(
            "candidates : aucune commune n'est chargée, indiquez les candidats".into(),
        ));
    };
    let mut communes = BTreeSet::new();
    for d in &req.demand {
        let found = match (&d.commune, d.lon, d.lat) {
            (Some(code), _, _) => code
                .trim()
                .parse::<InseeCode>()
                .ok()
                .and_then(|c| catalog.commune_index(&c)),
            (None, Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => catalog
                .commune_at(lon, lat)
                .and_then(|c| catalog.commune_index(&c.code)),
            _ => None,
        };
        communes.extend(found);
    }
    let out: Vec<InseeCode> = communes
        .into_iter()
        .filter(|&i| gaps.is_unserved(i))
        .map(|i| catalog.communes[i].code)
        .collect();
    if out.is_empty() {
        return Err(SiteError::Invalid(
            "candidates : liste absente, et aucune commune de la demande n'est non desservie (plus de 20 minutes du lieu le plus proche) ; indiquez des candidats".into(),
        ));
    }
    Ok(out)
}

/// Checks the sizes, fills the default candidates and resolves commune codes.
pub fn prepare_sites(cache: &GapCache, req: &SiteRequest) -> Result<SiteRequest, SiteError> {
    if req.demand.len() > sites::MAX_DEMAND {
        return Err(SiteError::TooLarge {
            limit: Limit::DemandPoints,
            count: req.demand.len(),
            max: sites::MAX_DEMAND,
        });
    }
    let cols = req.candidates.len() + req.existing.len();
    if cols > sites::MAX_CANDIDATES {
        return Err(SiteError::TooLarge {
            limit: Limit::Sites,
            count: cols,
            max: sites::MAX_CANDIDATES,
        });
    }
    let defaults = if req.candidates.is_empty() && req.matrix.is_none() && !req.demand.is_empty() {
        default_site_candidates(cache, req)?
    } else {
        Vec::new()
    };
    sites::resolve_site_request(req, cache.catalog(), &defaults)
}

/// Checks the sizes and resolves commune codes (town halls, weights, opening hours).
pub fn prepare_tours(catalog: &Catalog, req: &TourRequest) -> Result<TourRequest, TourError> {
    tours::check_stop_count(req)?;
    tours::resolve_tour_request(req, catalog)
}

/// Solves a site request end to end: the response and the resolved request.
pub fn run_sites(
    cache: &GapCache,
    req: &SiteRequest,
) -> Result<(SiteRequest, SiteResponse), SiteError> {
    let resolved = prepare_sites(cache, req)?;
    let resp = sites::solve_site_request(&resolved)?;
    Ok((resolved, resp))
}

/// Solves a tour request end to end: the response and the resolved request.
pub fn run_tours(
    catalog: &Catalog,
    req: &TourRequest,
) -> Result<(TourRequest, TourResponse), TourError> {
    let resolved = prepare_tours(catalog, req)?;
    let resp = tours::solve_checked(&resolved)?;
    Ok((resolved, resp))
}
