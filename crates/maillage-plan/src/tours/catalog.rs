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

/// Where a permanence is held in a commune: its town hall; when the registry does not
/// locate it (e.g. 81115 Labastide-Rouairoux), a point inside the commune's boundary
/// (geo's `InteriorPoint`, as the gap analysis's access point). A French error when the
/// commune has neither.
pub(crate) fn town_hall_lonlat(c: &Commune, what: &str) -> Result<[f64; 2], String> {
    use maillage_core::geo::InteriorPoint;
    c.located_town_hall()
        .map(|t| t.position.lonlat)
        .or_else(|| c.boundary.interior_point().map(|p| [p.x(), p.y()]))
        .ok_or_else(|| {
            format!(
                "{what} : la commune {} ({}) n'a ni mairie géolocalisée ni contour",
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

#[cfg(test)]
mod tests {
    use maillage_core::geo::{MultiPolygon, polygon};
    use maillage_core::{Commune, Fragility};

    use super::town_hall_lonlat;

    fn commune(boundary: MultiPolygon<f64>) -> Commune {
        Commune {
            code: "81115".parse().unwrap(),
            name: "Labastide-Rouairoux".into(),
            population: 1410,
            postal_codes: vec![],
            departement: "81".parse().unwrap(),
            epci: None,
            boundary,
            boundary_source: "hand-made".into(),
            town_hall: None,
            fragility: Fragility::default(),
            population_year: None,
        }
    }

    #[test]
    fn a_commune_without_a_located_town_hall_meets_inside_its_boundary() {
        // Hand-made square around Labastide-Rouairoux.
        let square = MultiPolygon(vec![polygon![
            (x: 2.60, y: 43.45), (x: 2.70, y: 43.45), (x: 2.70, y: 43.50), (x: 2.60, y: 43.50)
        ]]);
        let [lon, lat] = town_hall_lonlat(&commune(square.clone()), "arrêt").unwrap();
        assert!(
            maillage_core::contains_point(&square, (lon, lat).into()),
            "{lon} {lat}"
        );
        let err = town_hall_lonlat(&commune(MultiPolygon(vec![])), "arrêt").unwrap_err();
        assert!(err.contains("ni mairie géolocalisée ni contour"), "{err}");
    }
}
