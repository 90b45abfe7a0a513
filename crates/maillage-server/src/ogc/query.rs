//! Query parameters of the OGC endpoints, validated into typed requests with precise
//! French messages.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;
use maillage_ingest::reproject::Reproject;

use super::crs::{Crs, bbox_to_lonlat};
use super::layer::MAX_ZOOM;
use super::provider::{Collection, Filter};
use crate::ApiError;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON (GeoJSON for items), the API's representation.
    Json,
    /// HTML page.
    Html,
    /// GeoJSON file download (every matching feature, lon/lat order).
    GeoJson,
    /// CSV file.
    Csv,
    /// Zipped Shapefile.
    Shp,
    /// GeoPackage.
    Gpkg,
}

impl Format {
    /// Every `f=` value accepted for items, with its format.
    pub const ITEMS: [(&'static str, Format); 6] = [
        ("json", Format::Json),
        ("html", Format::Html),
        ("geojson", Format::GeoJson),
        ("csv", Format::Csv),
        ("shp", Format::Shp),
        ("gpkg", Format::Gpkg),
    ];

    /// True for the downloadable file formats.
    pub fn is_file(self) -> bool {
        matches!(
            self,
            Format::GeoJson | Format::Csv | Format::Shp | Format::Gpkg
        )
    }

    /// The `f=` value.
    pub fn name(self) -> &'static str {
        Format::ITEMS
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("json")
    }

    /// Media type of the items response.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json | Format::GeoJson => "application/geo+json",
            Format::Html => "text/html; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Shp => "application/zip",
            Format::Gpkg => "application/geopackage+sqlite3",
        }
    }

    fn from_media(m: &str) -> Option<Format> {
        Some(match m {
            "application/geo+json" | "application/json" | "application/*" | "*/*" => Format::Json,
            "text/html" | "application/xhtml+xml" | "text/*" => Format::Html,
            "text/csv" => Format::Csv,
            "application/zip" | "application/x-shapefile" => Format::Shp,
            "application/geopackage+sqlite3" => Format::Gpkg,
            _ => return None,
        })
    }
}

pub use crate::http::pairs;

/// The format asked by `f=` (among `allowed`), else by the `Accept` header, else JSON.
pub fn negotiate(
    f: Option<&str>,
    headers: &HeaderMap,
    allowed: &[(&str, Format)],
) -> Result<Format, ApiError> {
    if let Some(f) = f {
        let want = f.trim().to_ascii_lowercase();
        return allowed
            .iter()
            .find(|(n, _)| *n == want)
            .map(|(_, fmt)| *fmt)
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "format f={f} non pris en charge ici ; valeurs possibles : {}",
                    allowed
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
    }
    let accept = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, usize, Format)> = None;
    for (pos, part) in accept.split(',').enumerate() {
        let mut bits = part.split(';');
        let media = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits
            .filter_map(|b| b.trim().strip_prefix("q="))
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let Some(fmt) = Format::from_media(&media) else {
            continue;
        };
        if q <= 0.0 || !allowed.iter().any(|(_, a)| *a == fmt) {
            continue;
        }
        // Wildcards lose against an explicit type of the same weight.
        let rank = if media.contains('*') { pos + 1000 } else { pos };
        if best.is_none_or(|(bq, br, _)| q > bq || (q == bq && rank < br)) {
            best = Some((q, rank, fmt));
        }
    }
    Ok(best.map(|(_, _, f)| f).unwrap_or(Format::Json))
}

/// A validated `/items` request.
#[derive(Debug, Clone)]
pub struct ItemsQuery {
    /// Output format.
    pub format: Format,
    /// Lon/lat boxes (two when the bbox crosses the antimeridian).
    pub bbox: Option<Vec<[f64; 4]>>,
    /// Page size; `None` for a file export of every feature.
    pub limit: Option<usize>,
    /// Features skipped.
    pub offset: usize,
    /// Selected properties (field indexes), `None` for all.
    pub properties: Option<Vec<usize>>,
    /// Output CRS.
    pub crs: Crs,
    /// Web zoom level for simplified geometry.
    pub zoom: Option<u8>,
    /// Attribute filters: field index and accepted values.
    pub filters: Vec<(usize, Vec<String>)>,
    /// Inclusive date bounds `YYYY-MM-DD` on the temporal property.
    pub datetime: Option<(Option<String>, Option<String>)>,
    /// The parameters as given, minus paging and format (for links).
    pub kept: Vec<(String, String)>,
}

/// Standard parameters of `/items`.
pub const STANDARD: [&str; 9] = [
    "f",
    "bbox",
    "bbox-crs",
    "limit",
    "offset",
    "properties",
    "crs",
    "zoom",
    "datetime",
];

/// Parses a non-negative integer parameter.
fn integer(name: &str, v: &str) -> Result<usize, ApiError> {
    let t = v.trim();
    if t.starts_with('-') {
        return Err(ApiError::bad_request(format!(
            "{name}={v} : un entier positif ou nul est attendu (valeur négative)"
        )));
    }
    t.parse::<usize>().map_err(|_| {
        ApiError::bad_request(format!("{name}={v} : un entier positif ou nul est attendu"))
    })
}

/// Parses a bbox `minx,miny,maxx,maxy` (or 6 numbers with heights).
pub fn parse_bbox(v: &str) -> Result<[f64; 4], ApiError> {
    let nums: Result<Vec<f64>, _> = v.split(',').map(|s| s.trim().parse::<f64>()).collect();
    let nums = nums.map_err(|_| {
        ApiError::bad_request(format!(
            "bbox={v} : quatre nombres séparés par des virgules sont attendus (ouest,sud,est,nord)"
        ))
    })?;
    if nums.iter().any(|x| !x.is_finite()) {
        return Err(ApiError::bad_request(format!(
            "bbox={v} : les coordonnées doivent être des nombres finis"
        )));
    }
    let b = match nums.len() {
        4 => [nums[0], nums[1], nums[2], nums[3]],
        6 => [nums[0], nums[1], nums[3], nums[4]],
        n => {
            return Err(ApiError::bad_request(format!(
                "bbox={v} : 4 ou 6 nombres attendus, {n} reçus"
            )));
        }
    };
    if b[1] > b[3] {
        return Err(ApiError::bad_request(format!(
            "bbox={v} : le bord sud ({}) est au nord du bord nord ({})",
            b[1], b[3]
        )));
    }
    Ok(b)
}

/// Parses `datetime` (an instant or an interval, `..` for open ends) into date bounds.
pub fn parse_datetime(v: &str) -> Result<(Option<String>, Option<String>), ApiError> {
    let bad = || {
        ApiError::bad_request(format!(
            "datetime={v} : attendu une date ou un intervalle RFC 3339 (ex. 2023-01-01, 2022-01-01/.., ../2023-06-30T00:00:00Z)"
        ))
    };
    let one = |s: &str| -> Result<Option<String>, ApiError> {
        let s = s.trim();
        if s.is_empty() || s == ".." {
            return Ok(None);
        }
        let date = s.get(..10).ok_or_else(bad)?;
        let b = date.as_bytes();
        let ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && [0, 1, 2, 3, 5, 6, 8, 9]
                .iter()
                .all(|&k| b[k].is_ascii_digit());
        if !ok {
            // Not ASCII digits and dashes: slicing below could cut a character.
            return Err(bad());
        }
        let month: u32 = date[5..7].parse().unwrap_or(0);
        let day: u32 = date[8..10].parse().unwrap_or(0);
        let rest = &s[10..];
        let rest_ok = rest.is_empty()
            || ((rest.starts_with('T') || rest.starts_with('t')) && rest.len() >= 3);
        if !ok || !(1..=12).contains(&month) || !(1..=31).contains(&day) || !rest_ok {
            return Err(bad());
        }
        Ok(Some(date.to_string()))
    };
    match v.split_once('/') {
        None => {
            let d = one(v)?.ok_or_else(bad)?;
            Ok((Some(d.clone()), Some(d)))
        }
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            if a.is_none() && b.is_none() {
                return Err(bad());
            }
            if let (Some(x), Some(y)) = (&a, &b)
                && x > y
            {
                return Err(ApiError::bad_request(format!(
                    "datetime={v} : le début est après la fin"
                )));
            }
            Ok((a, b))
        }
    }
}

/// Validates the parameters of `/collections/{id}/items`.
pub fn items_query(
    provider: &dyn Collection,
    raw: Option<&str>,
    headers: &HeaderMap,
    reproject: &dyn Reproject,
) -> Result<ItemsQuery, ApiError> {
    let params = pairs(raw);
    let fields = provider.fields();
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in &params {
        let known = STANDARD.contains(&k.as_str())
            || fields.iter().any(|f| f.name == k && f.filter != Filter::No)
            || provider.parameters().iter().any(|p| p.name == k);
        if !known {
            let filters: Vec<&str> = fields
                .iter()
                .filter(|f| f.filter != Filter::No)
                .map(|f| f.name)
                .collect();
            return Err(ApiError::bad_request_code(
                "InvalidParameter",
                format!(
                    "paramètre inconnu « {k} » pour la collection {} ; paramètres acceptés : {} ; filtres : {}",
                    provider.id(),
                    STANDARD.join(", "),
                    filters.join(", ")
                ),
            ));
        }
        if seen.contains(&k.as_str()) {
            return Err(ApiError::bad_request_code(
                "InvalidParameter",
                format!("paramètre « {k} » donné plusieurs fois"),
            ));
        }
        seen.push(k);
    }
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let format = negotiate(get("f"), headers, &Format::ITEMS)?;

    let crs = match get("crs") {
        None => Crs::Crs84,
        Some(v) => Crs::parse(v).ok_or_else(|| {
            ApiError::bad_request(format!(
                "crs={v} non pris en charge ; valeurs possibles : {}",
                Crs::all()
                    .iter()
                    .map(|c| c.uri())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
    };
    let bbox_crs = match get("bbox-crs") {
        None => Crs::Crs84,
        Some(v) => Crs::parse(v).ok_or_else(|| {
            ApiError::bad_request(format!(
                "bbox-crs={v} non pris en charge ; valeurs possibles : {}",
                Crs::all()
                    .iter()
                    .map(|c| c.uri())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
    };
    if get("bbox-crs").is_some() && get("bbox").is_none() {
        return Err(ApiError::bad_request_code(
            "MissingParameterValue",
            "bbox-crs est donné sans bbox",
        ));
    }
    let bbox = match get("bbox") {
        None => None,
        Some(v) => {
            let b = parse_bbox(v)?;
            let geographic = bbox_crs.is_geographic();
            // In EPSG:4326 the first axis is the latitude: check the order before swapping.
            let (w, e) = if bbox_crs == Crs::Epsg4326 {
                (b[1], b[3])
            } else {
                (b[0], b[2])
            };
            let (s, n) = if bbox_crs == Crs::Epsg4326 {
                (b[0], b[2])
            } else {
                (b[1], b[3])
            };
            if geographic && (s < -90.0 || n > 90.0 || w < -180.0 || e > 180.0) {
                return Err(ApiError::bad_request(format!(
                    "bbox={v} : hors des limites géographiques (longitude −180…180, latitude −90…90)"
                )));
            }
            if !geographic && b[0] > b[2] {
                return Err(ApiError::bad_request(format!(
                    "bbox={v} : l'abscisse minimale dépasse l'abscisse maximale"
                )));
            }
            if bbox_crs == Crs::Epsg4326 && b[0] > b[2] {
                return Err(ApiError::bad_request(format!(
                    "bbox={v} : la latitude minimale dépasse la latitude maximale"
                )));
            }
            let lonlat = bbox_to_lonlat(b, bbox_crs, reproject).map_err(ApiError::bad_request)?;
            if geographic && lonlat[0] > lonlat[2] {
                // Crosses the antimeridian.
                Some(vec![
                    [lonlat[0], lonlat[1], 180.0, lonlat[3]],
                    [-180.0, lonlat[1], lonlat[2], lonlat[3]],
                ])
            } else {
                Some(vec![lonlat])
            }
        }
    };

    let limits = provider.limits();
    let limit = match get("limit") {
        None if format.is_file() => None,
        None => Some(limits.default),
        Some(v) => {
            let n = integer("limit", v)?;
            if n == 0 {
                return Err(ApiError::bad_request(format!(
                    "limit={v} : au moins 1 est attendu"
                )));
            }
            if n > limits.max && !format.is_file() {
                return Err(ApiError::bad_request(format!(
                    "limit={v} dépasse le maximum de la collection {} ({}) ; utilisez offset pour paginer ou un format de fichier (f=geojson, csv, shp, gpkg)",
                    provider.id(),
                    limits.max
                )));
            }
            Some(n)
        }
    };
    let offset = match get("offset") {
        None => 0,
        Some(v) => integer("offset", v)?,
    };

    let properties = match get("properties") {
        None => None,
        Some(v) if v.trim().is_empty() => Some(Vec::new()),
        Some(v) => {
            let mut keys = Vec::new();
            for name in v.split(',').map(str::trim) {
                let k = fields.iter().position(|f| f.name == name).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "propriété inconnue « {name} » dans properties ; propriétés de {} : {}",
                        provider.id(),
                        fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                    ))
                })?;
                if keys.contains(&k) {
                    return Err(ApiError::bad_request(format!(
                        "propriété « {name} » répétée dans properties"
                    )));
                }
                keys.push(k);
            }
            Some(keys)
        }
    };

    let zoom = match get("zoom") {
        None => None,
        Some(v) => {
            let z = integer("zoom", v)?;
            if z > usize::from(MAX_ZOOM) {
                return Err(ApiError::bad_request(format!(
                    "zoom={v} : un niveau de 0 à {MAX_ZOOM} est attendu"
                )));
            }
            Some(z as u8)
        }
    };

    let datetime = match get("datetime") {
        None => None,
        Some(v) => {
            if provider.temporal_field().is_none() {
                return Err(ApiError::bad_request_code(
                    "InvalidParameter",
                    format!(
                        "la collection {} n'a pas de dimension temporelle : datetime n'y est pas accepté",
                        provider.id()
                    ),
                ));
            }
            Some(parse_datetime(v)?)
        }
    };

    let mut filters = Vec::new();
    for (k, v) in &params {
        if STANDARD.contains(&k.as_str()) {
            continue;
        }
        if let Some(idx) = fields.iter().position(|f| f.name == k) {
            let values: Vec<String> = v
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if values.is_empty() {
                return Err(ApiError::bad_request_code(
                    "MissingParameterValue",
                    format!(
                        "le filtre {k} est vide : donnez une ou plusieurs valeurs séparées par des virgules"
                    ),
                ));
            }
            filters.push((idx, values));
        }
    }

    let kept = params
        .into_iter()
        .filter(|(k, _)| k != "offset" && k != "f")
        .collect();
    Ok(ItemsQuery {
        format,
        bbox,
        limit,
        offset,
        properties,
        crs,
        zoom,
        filters,
        datetime,
        kept,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_bboxes_are_rejected_with_the_reason() {
        assert!(parse_bbox("1,2,3").is_err());
        assert!(parse_bbox("a,2,3,4").is_err());
        assert!(parse_bbox("1,5,3,4").is_err());
        assert!(parse_bbox("1,2,NaN,4").is_err());
        assert_eq!(parse_bbox("1,2,3,4").unwrap(), [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(parse_bbox("1,2,0,3,4,9").unwrap(), [1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn datetime_accepts_instants_and_open_intervals() {
        assert_eq!(
            parse_datetime("2023-07-06").unwrap(),
            (Some("2023-07-06".into()), Some("2023-07-06".into()))
        );
        assert_eq!(
            parse_datetime("../2023-06-30T00:00:00Z").unwrap(),
            (None, Some("2023-06-30".into()))
        );
        assert!(parse_datetime("../..").is_err());
        assert!(parse_datetime("0000\u{80}\u{80}\u{84}").is_err());
        assert!(parse_datetime("2023-13-01").is_err());
        assert!(parse_datetime("2024-01-01/2023-01-01").is_err());
    }

    #[test]
    fn accept_header_prefers_the_highest_weight() {
        let mut h = HeaderMap::new();
        h.insert(
            ACCEPT,
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
                .parse()
                .unwrap(),
        );
        assert_eq!(negotiate(None, &h, &Format::ITEMS).unwrap(), Format::Html);
        h.insert(
            ACCEPT,
            "application/geo+json, application/json".parse().unwrap(),
        );
        assert_eq!(negotiate(None, &h, &Format::ITEMS).unwrap(), Format::Json);
        assert!(negotiate(Some("xml"), &h, &Format::ITEMS).is_err());
        assert_eq!(
            negotiate(Some("GPKG"), &h, &Format::ITEMS).unwrap(),
            Format::Gpkg
        );
    }
}
