//! GeoJSON (RFC 7946) commune layers: a `FeatureCollection` of `Polygon`/`MultiPolygon`.

use std::path::Path;

use serde_json::{Map, Value};

use super::{
    AttrValue, BoundaryFile, BoundaryFormat, BoundaryOptions, Collector, Failure, RawFeature,
    RawGeometry, Seen,
};
use crate::IngestError;
use crate::reproject::{Reproject, SUPPORTED_EPSG, WGS84};

pub(crate) fn read(
    path: &Path,
    opts: &BoundaryOptions,
    r: &dyn Reproject,
    seen: &mut Seen,
) -> Result<BoundaryFile, Failure> {
    let format = |message: String| {
        Failure::Fatal(IngestError::Format {
            path: path.into(),
            message,
        })
    };
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.into(),
        source,
    })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}'),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(format(format!(
                "JSON invalide ligne {line} : attendu du texte UTF-8 (RFC 8259), trouvé l'octet 0x{:02X}",
                bytes[at]
            )));
        }
    };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let detail = e.to_string();
        let detail = detail
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string();
        format(format!(
            "JSON invalide ligne {}, colonne {} : {detail}",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(root) = root else {
        return Err(format(format!(
            "attendu un objet GeoJSON de type « FeatureCollection », trouvé {}",
            kind(&root)
        )));
    };
    match root.get("type") {
        Some(Value::String(t)) if t == "FeatureCollection" => {}
        Some(Value::String(t)) => {
            return Err(format(format!(
                "attendu un GeoJSON de type « FeatureCollection », trouvé le type « {t} »"
            )));
        }
        other => {
            return Err(format(format!(
                "attendu un GeoJSON de type « FeatureCollection », trouvé un objet {}",
                match other {
                    None => "sans membre « type »".to_string(),
                    Some(v) => format!("dont le membre « type » est {}", kind(v)),
                }
            )));
        }
    }
    let features = match root.get("features") {
        Some(Value::Array(f)) => f,
        other => {
            return Err(format(format!(
                "membre « features » : attendu un tableau d'entités, trouvé {}",
                other.map_or_else(|| "rien".to_string(), kind)
            )));
        }
    };
    let epsg = match opts.epsg {
        Some(e) => e,
        None => crs_member(&root).map_err(format)?,
    };

    let mut collector = Collector::new(path, epsg, r, opts, seen);
    let mut attributes = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        let number = i as u64 + 1;
        let Value::Object(feature) = feature else {
            collector.reject(
                number,
                "type",
                format!("attendu un objet « Feature », trouvé {}", kind(feature)),
            );
            continue;
        };
        match feature.get("type") {
            Some(Value::String(t)) if t == "Feature" => {}
            other => {
                collector.reject(
                    number,
                    "type",
                    format!(
                        "attendu le type « Feature », trouvé {}",
                        other.map_or_else(|| "un objet sans type".to_string(), kind)
                    ),
                );
                continue;
            }
        }
        attributes.clear();
        if let Some(Value::Object(props)) = feature.get("properties") {
            attributes.extend(props.iter().map(|(k, v)| (k.clone(), attr(v))));
        }
        collector.push(RawFeature {
            number,
            attributes: &attributes,
            geometry: geometry(feature.get("geometry")),
        });
    }
    collector.finish(BoundaryFormat::GeoJson, None)
}

/// The CRS of an old-style (GeoJSON 2008) `crs` member; RFC 7946 files have none (WGS84).
fn crs_member(root: &Map<String, Value>) -> Result<u32, String> {
    let Some(crs) = root.get("crs") else {
        return Ok(WGS84);
    };
    let name = crs
        .get("properties")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            format!(
                "membre « crs » : attendu {{\"type\": \"name\", \"properties\": {{\"name\": …}}}}, trouvé {crs}"
            )
        })?;
    let upper = name.to_ascii_uppercase();
    if upper.ends_with("CRS84") {
        return Ok(WGS84);
    }
    let code = upper
        .contains("EPSG")
        .then(|| upper.rsplit([':', '/']).next())
        .flatten()
        .and_then(|c| c.trim().parse::<u32>().ok());
    match code {
        Some(c) if c == WGS84 || SUPPORTED_EPSG.contains(&c) => Ok(c),
        _ => Err(format!(
            "membre « crs » : SCR « {name} » non pris en charge (attendu CRS84, EPSG:4326 ou EPSG:{})",
            SUPPORTED_EPSG.map(|c| c.to_string()).join(", EPSG:")
        )),
    }
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("le booléen {b}"),
        Value::Number(n) => format!("le nombre {n}"),
        Value::String(s) => format!("le texte « {s} »"),
        Value::Array(_) => "un tableau".into(),
        Value::Object(_) => "un objet".into(),
    }
}

fn attr(v: &Value) -> AttrValue {
    match v {
        Value::Null => AttrValue::Null,
        Value::String(s) => AttrValue::Text(s.clone()),
        Value::Number(n) => n.as_f64().map_or(AttrValue::Null, AttrValue::Number),
        other => AttrValue::Text(other.to_string()),
    }
}

fn geometry(g: Option<&Value>) -> Result<RawGeometry, String> {
    let g = match g {
        None | Some(Value::Null) => return Err("géométrie absente (null)".into()),
        Some(Value::Object(g)) => g,
        Some(other) => {
            return Err(format!(
                "attendu un objet géométrie, trouvé {}",
                kind(other)
            ));
        }
    };
    let t = g.get("type").and_then(Value::as_str).unwrap_or_default();
    let coords = g.get("coordinates");
    match t {
        "Polygon" => Ok(RawGeometry::Polygons(vec![polygon(coords, "coordinates")?])),
        "MultiPolygon" => {
            let polygons = array(coords, "coordinates")?;
            let mut out = Vec::with_capacity(polygons.len());
            for (i, p) in polygons.iter().enumerate() {
                out.push(polygon(Some(p), &format!("coordinates[{i}]"))?);
            }
            Ok(RawGeometry::Polygons(out))
        }
        "" => Err("géométrie sans type : attendu Polygon ou MultiPolygon".into()),
        other => Err(format!(
            "attendu une géométrie Polygon ou MultiPolygon, trouvé « {other} »"
        )),
    }
}

fn array<'a>(v: Option<&'a Value>, at: &str) -> Result<&'a Vec<Value>, String> {
    match v {
        Some(Value::Array(a)) => Ok(a),
        other => Err(format!(
            "{at} : attendu un tableau, trouvé {}",
            other.map_or_else(|| "rien".to_string(), kind)
        )),
    }
}

fn polygon(v: Option<&Value>, at: &str) -> Result<Vec<Vec<[f64; 2]>>, String> {
    let rings = array(v, at)?;
    let mut out = Vec::with_capacity(rings.len());
    for (k, ring) in rings.iter().enumerate() {
        let at = format!("{at}[{k}]");
        let positions = array(Some(ring), &at)?;
        let mut points = Vec::with_capacity(positions.len());
        for (j, p) in positions.iter().enumerate() {
            let xy = match p {
                Value::Array(a) if a.len() >= 2 => a[0].as_f64().zip(a[1].as_f64()),
                _ => None,
            };
            match xy {
                Some((x, y)) => points.push([x, y]),
                None => {
                    return Err(format!(
                        "{at}[{j}] : attendu une position [longitude, latitude], trouvé {p}"
                    ));
                }
            }
        }
        out.push(points);
    }
    Ok(out)
}
