//! From raw rings in the file's CRS to a checked WGS84 `MultiPolygon`.

use geo::algorithm::validation::{InvalidMultiPolygon, InvalidPolygon, RingRole, Validation};
use geo::orient::{Direction, Orient};
use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use maillage_core::Zone;

use super::RawGeometry;
use crate::reproject::{Reproject, WGS84};

/// Why a geometry was rejected.
#[derive(Debug)]
pub(crate) struct GeometryProblem {
    pub reason: String,
    /// The geometry lies (partly) outside every French territory.
    pub outside_france: bool,
}

fn problem(reason: String) -> GeometryProblem {
    GeometryProblem {
        reason,
        outside_france: false,
    }
}

/// A ring with where it comes from, for messages.
struct Ring {
    label: String,
    points: Vec<[f64; 2]>,
}

/// Checks, reprojects and assembles a geometry.
pub(crate) fn build(
    raw: RawGeometry,
    epsg: u32,
    r: &dyn Reproject,
    check_validity: bool,
) -> Result<MultiPolygon<f64>, GeometryProblem> {
    let polygons: Vec<Polygon<f64>> = match raw {
        RawGeometry::Polygons(polygons) => {
            if polygons.is_empty() {
                return Err(problem("géométrie vide : aucun polygone".into()));
            }
            let many = polygons.len() > 1;
            let mut out = Vec::with_capacity(polygons.len());
            for (p, rings) in polygons.into_iter().enumerate() {
                if rings.is_empty() {
                    return Err(problem(format!(
                        "géométrie vide : le polygone {} n'a aucun anneau",
                        p + 1
                    )));
                }
                let mut checked = Vec::with_capacity(rings.len());
                for (k, points) in rings.into_iter().enumerate() {
                    let label = match (many, k) {
                        (false, 0) => "anneau extérieur".to_string(),
                        (false, k) => format!("trou {k}"),
                        (true, 0) => format!("polygone {}, anneau extérieur", p + 1),
                        (true, k) => format!("polygone {}, trou {k}", p + 1),
                    };
                    checked.push(prepare(Ring { label, points }, epsg, r)?);
                }
                let mut rings = checked.into_iter();
                let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
                out.push(Polygon::new(exterior, rings.collect()));
            }
            out
        }
        RawGeometry::EsriRings(rings) => {
            if rings.is_empty() {
                return Err(problem("géométrie vide : aucun anneau".into()));
            }
            let mut checked = Vec::with_capacity(rings.len());
            for (k, points) in rings.into_iter().enumerate() {
                let label = format!("anneau {}", k + 1);
                // Orientation in the file's own CRS, where a flat ring has exactly no area.
                let area2 = signed_area2(&points);
                let ring = prepare(
                    Ring {
                        label: label.clone(),
                        points,
                    },
                    epsg,
                    r,
                )?;
                checked.push((label, ring, area2));
            }
            assemble_esri(checked)?
        }
    };
    let mp = MultiPolygon::new(polygons).orient(Direction::Default);
    same_zone(&mp)?;
    if check_validity && let Err(e) = mp.check_validation() {
        return Err(problem(format!("géométrie invalide : {}", french(&e))));
    }
    Ok(mp)
}

/// Checks a ring (enough positions, finite, closed), reprojects it and checks it lies in France.
fn prepare(ring: Ring, epsg: u32, r: &dyn Reproject) -> Result<LineString<f64>, GeometryProblem> {
    let Ring { label, points } = ring;
    if points.len() < 4 {
        return Err(problem(format!(
            "{label} : attendu au moins 4 positions (anneau fermé), trouvé {}",
            points.len()
        )));
    }
    if let Some((i, p)) = points
        .iter()
        .enumerate()
        .find(|(_, p)| !p[0].is_finite() || !p[1].is_finite())
    {
        return Err(problem(format!(
            "{label}, position {} : coordonnées non finies ({}, {})",
            i + 1,
            p[0],
            p[1]
        )));
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    if first != last {
        return Err(problem(format!(
            "{label} : anneau non fermé, la première position ({}, {}) diffère de la dernière ({}, {})",
            first[0], first[1], last[0], last[1]
        )));
    }
    let mut coords = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let (lon, lat) = if epsg == WGS84 {
            (p[0], p[1])
        } else {
            r.to_lonlat(epsg, p[0], p[1]).map_err(|e| {
                problem(format!(
                    "{label}, position {} ({}, {}) : {e}",
                    i + 1,
                    p[0],
                    p[1]
                ))
            })?
        };
        if Zone::of_lonlat(lon, lat).is_none() {
            let source = if epsg == WGS84 {
                String::new()
            } else {
                format!(" (lu ({}, {}) en EPSG:{epsg})", p[0], p[1])
            };
            return Err(GeometryProblem {
                reason: format!(
                    "{label}, position {} : attendu un point en France (métropole ou outre-mer), trouvé lon {lon:.6}, lat {lat:.6}{source}",
                    i + 1
                ),
                outside_france: true,
            });
        }
        coords.push(Coord { x: lon, y: lat });
    }
    Ok(LineString::new(coords))
}

/// Twice the signed area (shoelace, relative to the first point for precision):
/// positive counter-clockwise, negative clockwise.
fn signed_area2(ring: &[[f64; 2]]) -> f64 {
    let Some(o) = ring.first() else {
        return 0.0;
    };
    ring.windows(2)
        .map(|w| {
            let (a, b) = (
                [w[0][0] - o[0], w[0][1] - o[1]],
                [w[1][0] - o[0], w[1][1] - o[1]],
            );
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

/// ESRI rule: outer rings clockwise, holes counter-clockwise; a hole belongs to the smallest
/// outer ring that contains it. Files where every ring is counter-clockwise (written by
/// tools that ignore the rule) are read with the roles swapped.
fn assemble_esri(
    rings: Vec<(String, LineString<f64>, f64)>,
) -> Result<Vec<Polygon<f64>>, GeometryProblem> {
    let mut outers = Vec::new();
    let mut holes = Vec::new();
    for (label, ring, a) in rings {
        if a == 0.0 {
            return Err(problem(format!("{label} : aire nulle")));
        }
        if a < 0.0 {
            outers.push((label, ring, -a));
        } else {
            holes.push((label, ring, a));
        }
    }
    if outers.is_empty() {
        std::mem::swap(&mut outers, &mut holes);
    }
    let shells: Vec<Polygon<f64>> = outers
        .iter()
        .map(|(_, ring, _)| Polygon::new(ring.clone(), Vec::new()))
        .collect();
    let mut interiors: Vec<Vec<LineString<f64>>> = vec![Vec::new(); outers.len()];
    for (label, hole, _) in holes {
        let owner = hole
            .0
            .iter()
            .find_map(|c| {
                let p = Point::from(*c);
                shells
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.contains(&p))
                    .min_by(|a, b| outers[a.0].2.total_cmp(&outers[b.0].2))
                    .map(|(i, _)| i)
            })
            .ok_or_else(|| {
                problem(format!(
                    "{label} : trou (anneau antihoraire) en dehors de tout anneau extérieur"
                ))
            })?;
        interiors[owner].push(hole);
    }
    Ok(outers
        .into_iter()
        .zip(interiors)
        .map(|((_, ring, _), holes)| Polygon::new(ring, holes))
        .collect())
}

/// Every vertex of a feature lies in one territory.
fn same_zone(mp: &MultiPolygon<f64>) -> Result<(), GeometryProblem> {
    let mut zones =
        mp.0.iter()
            .flat_map(|p| p.exterior().0.iter())
            .filter_map(|c| Zone::of_lonlat(c.x, c.y));
    let Some(first) = zones.next() else {
        return Ok(());
    };
    match zones.find(|z| *z != first) {
        None => Ok(()),
        Some(other) => Err(GeometryProblem {
            reason: format!(
                "attendu une commune d'un seul territoire, trouvé des sommets dans deux territoires : {} et {}",
                zone_name(first),
                zone_name(other)
            ),
            outside_france: true,
        }),
    }
}

fn zone_name(zone: Zone) -> &'static str {
    match zone {
        Zone::Metropole => "métropole",
        Zone::Antilles => "Antilles",
        Zone::Guyane => "Guyane",
        Zone::Reunion => "La Réunion",
        Zone::Mayotte => "Mayotte",
        Zone::SaintPierreEtMiquelon => "Saint-Pierre-et-Miquelon",
        Zone::NouvelleCaledonie => "Nouvelle-Calédonie",
        Zone::Polynesie => "Polynésie française",
        Zone::WallisEtFutuna => "Wallis-et-Futuna",
    }
}

fn ring_name(role: &RingRole) -> String {
    match role {
        RingRole::Exterior => "l'anneau extérieur".into(),
        RingRole::Interior(i) => format!("le trou {}", i + 1),
    }
}

fn french(e: &InvalidMultiPolygon) -> String {
    match e {
        InvalidMultiPolygon::InvalidPolygon(i, p) => {
            let what = match p {
                InvalidPolygon::TooFewPointsInRing(r) => {
                    format!("{} a moins de 3 sommets distincts", ring_name(r))
                }
                InvalidPolygon::SelfIntersection(r) => format!("{} se recoupe", ring_name(r)),
                InvalidPolygon::NonFiniteCoord(r, c) => {
                    format!(
                        "{} a une coordonnée non finie (sommet {})",
                        ring_name(r),
                        c.0 + 1
                    )
                }
                InvalidPolygon::InteriorRingNotContainedInExteriorRing(r) => {
                    format!("{} sort de l'anneau extérieur", ring_name(r))
                }
                InvalidPolygon::IntersectingRingsOnALine(a, b) => format!(
                    "{} et {} se touchent le long d'une ligne",
                    ring_name(a),
                    ring_name(b)
                ),
                InvalidPolygon::IntersectingRingsOnAnArea(a, b) => {
                    format!("{} et {} se chevauchent", ring_name(a), ring_name(b))
                }
            };
            format!("polygone {} : {what}", i.0 + 1)
        }
        InvalidMultiPolygon::ElementsOverlaps(a, b) => {
            format!("les polygones {} et {} se chevauchent", a.0 + 1, b.0 + 1)
        }
        InvalidMultiPolygon::ElementsTouchOnALine(a, b) => format!(
            "les polygones {} et {} se touchent le long d'une ligne",
            a.0 + 1,
            b.0 + 1
        ),
    }
}
