//! Resolving commune codes of a tour request through the [`Catalog`].

use maillage_core::{Catalog, Commune, InseeCode};

use super::api::{TourError, TourRequest};

/// Town-hall position, population × IFN 2023 weight and opening hours of a commune.
pub(crate) fn commune_of<'c>(
    catalog: &'c Catalog,
    code: &str,
    what: &str,
) -> Result<&'c Commune, String> {
    let parsed: InseeCode = code.trim().parse().map_err(|_| {
        format!("{what} : code commune « {code} » invalide (attendu 5 caractères INSEE)")
    })?;
    catalog
        .commune(&parsed)
        .ok_or_else(|| format!("{what} : commune {code} inconnue du référentiel chargé"))
}

/// Town hall lon/lat of a commune, or a French error.
pub(crate) fn town_hall_lonlat(c: &Commune, what: &str) -> Result<[f64; 2], String> {
    c.town_hall
        .as_ref()
        .map(|t| t.position.lonlat)
        .ok_or_else(|| {
            format!(
                "{what} : la commune {} ({}) n'a pas de mairie géolocalisée",
                c.code, c.name
            )
        })
}

/// Population × IFN 2023 (decile mean, 0–10) of a commune, or a French error when unknown.
pub(crate) fn population_ifn_weight(c: &Commune, what: &str) -> Result<f64, String> {
    c.fragility
        .ifn2023
        .and_then(|i| i.total)
        .map(|ifn| c.population as f64 * ifn)
        .ok_or_else(|| {
            format!(
                "{what} : IFN 2023 inconnu pour la commune {} ({}) ; précisez weight",
                c.code, c.name
            )
        })
}

/// Fills in the places given by commune code: town-hall lon/lat, weight
/// (population × IFN 2023) when absent, and the town hall's opening hours as
/// `windows` when absent. Other fields are kept.
pub fn resolve_tour_request(
    req: &TourRequest,
    catalog: &Catalog,
) -> Result<TourRequest, TourError> {
    let mut out = req.clone();
    if let Some(code) = &req.base.commune
        && req.base.lon.is_none()
    {
        let c = commune_of(catalog, code, "base").map_err(TourError::Invalid)?;
        let [lon, lat] = town_hall_lonlat(c, "base").map_err(TourError::Invalid)?;
        out.base.lon = Some(lon);
        out.base.lat = Some(lat);
        out.base.id.get_or_insert_with(|| c.code.to_string());
    }
    for s in &mut out.stops {
        let Some(code) = s.commune.clone() else {
            continue;
        };
        let what = format!("arrêt {}", s.id);
        let c = commune_of(catalog, &code, &what).map_err(TourError::Invalid)?;
        if s.lon.is_none() && s.index.is_none() {
            let [lon, lat] = town_hall_lonlat(c, &what).map_err(TourError::Invalid)?;
            s.lon = Some(lon);
            s.lat = Some(lat);
        }
        if s.weight.is_none() {
            s.weight = Some(population_ifn_weight(c, &what).map_err(TourError::Invalid)?);
        }
        if s.windows.is_none()
            && let Some(th) = &c.town_hall
            && !th.opening_hours.is_empty()
        {
            let mut w = std::collections::BTreeMap::new();
            for slot in &th.opening_hours {
                let day = maillage_core::WEEKDAYS[slot.weekday.min(6) as usize].to_string();
                w.entry(day)
                    .or_insert_with(Vec::new)
                    .push([slot.open as f64, slot.close as f64]);
            }
            s.windows = Some(w);
        }
    }
    Ok(out)
}
