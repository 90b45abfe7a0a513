//! Resolving commune codes of a site request through the [`Catalog`].

use maillage_core::{Catalog, InseeCode};

use super::api::{SiteError, SitePoint, SiteRequest};
use crate::tours::{commune_of, population_ifn_weight, town_hall_lonlat};

fn resolve(
    p: &mut SitePoint,
    catalog: &Catalog,
    what: &str,
    demand: bool,
) -> Result<(), SiteError> {
    let Some(code) = p.commune.clone() else {
        return Ok(());
    };
    let c = commune_of(catalog, &code, what).map_err(SiteError::Invalid)?;
    if p.id.is_empty() {
        p.id = c.code.to_string();
    }
    if p.lon.is_none() {
        let [lon, lat] = town_hall_lonlat(c, what).map_err(SiteError::Invalid)?;
        p.lon = Some(lon);
        p.lat = Some(lat);
    }
    if demand && p.weight.is_none() {
        p.weight = Some(population_ifn_weight(c, what).map_err(SiteError::Invalid)?);
    }
    Ok(())
}

/// Fills in the points given by commune code (town-hall lon/lat, or a point inside the
/// commune when its town hall is not located; demand weight population × IFN 2023 when
/// absent). When `candidates` is empty, uses `default_candidates` (e.g. the unserved
/// communes from the gaps analysis) the same way, skipping communes with neither.
pub fn resolve_site_request(
    req: &SiteRequest,
    catalog: &Catalog,
    default_candidates: &[InseeCode],
) -> Result<SiteRequest, SiteError> {
    let mut out = req.clone();
    for p in &mut out.demand {
        resolve(p, catalog, "demand", true)?;
    }
    if out.candidates.is_empty() {
        out.candidates = default_candidates
            .iter()
            .filter_map(|code| {
                let c = catalog.commune(code)?;
                let [lon, lat] = town_hall_lonlat(c, "candidates").ok()?;
                Some(SitePoint {
                    id: c.code.to_string(),
                    lon: Some(lon),
                    lat: Some(lat),
                    commune: Some(c.code.to_string()),
                    weight: None,
                })
            })
            .collect();
    } else {
        for p in &mut out.candidates {
            resolve(p, catalog, "candidates", false)?;
        }
    }
    for p in &mut out.existing {
        resolve(p, catalog, "existing", false)?;
    }
    Ok(out)
}
