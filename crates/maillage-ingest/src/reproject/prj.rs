//! The CRS of a Shapefile `.prj`: WKT1 as ESRI writes it (GDAL's WKT1 is read too).
//!
//! Recognised: WGS84 and the French geographic CRSs (read as lon/lat degrees, EPSG:4326),
//! Lambert-93 (EPSG:2154) and the overseas projected CRSs of [`super::SUPPORTED_EPSG`],
//! by datum name and projection parameters, or by an `AUTHORITY["EPSG", …]` tag.

use std::path::Path;

use maillage_core::Zone;

use super::{SUPPORTED_EPSG, WGS84};
use crate::{IngestError, IngestResult};

/// The EPSG code of the CRS described by a `.prj` file.
///
/// Errors name the file: unreadable, not WKT, or a CRS Maillage does not know.
pub fn epsg_of_prj(path: &Path) -> IngestResult<u32> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.into(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    epsg_of_esri_wkt(&text).map_err(|message| IngestError::Format {
        path: path.into(),
        message,
    })
}

/// The EPSG code of a WKT1 CRS (ESRI or GDAL flavour); the error is a French message.
///
/// ```
/// use maillage_ingest::reproject::epsg_of_esri_wkt;
/// let wgs84 = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
/// assert_eq!(epsg_of_esri_wkt(wgs84), Ok(4326));
/// assert!(epsg_of_esri_wkt("PROJCS[\"Mercator\"]").is_err());
/// ```
pub fn epsg_of_esri_wkt(wkt: &str) -> Result<u32, String> {
    let root = Parser::new(wkt).document()?;
    if let Some(code) = root.authority_epsg()
        && (code == WGS84 || SUPPORTED_EPSG.contains(&code))
    {
        return Ok(code);
    }
    match root.keyword.as_str() {
        "GEOGCS" => geographic(&root),
        "PROJCS" => projected(&root),
        other => Err(format!(
            "SCR non reconnu : attendu PROJCS[…] ou GEOGCS[…] (WKT1), trouvé {other}[…]"
        )),
    }
}

fn geographic(geogcs: &Node) -> Result<u32, String> {
    let datum = geogcs
        .child("DATUM")
        .and_then(Node::name)
        .unwrap_or_default();
    let unit = geogcs.child("UNIT").and_then(|u| u.number(1));
    if let Some(unit) = unit
        && (unit - std::f64::consts::PI / 180.0).abs() > 1e-9
    {
        return Err(format!(
            "SCR géographique « {} » : unité angulaire attendue le degré (0.0174532925199433), trouvé {unit}",
            geogcs.name().unwrap_or_default()
        ));
    }
    if is_wgs84(datum) || zone_of_datum(datum).is_some() {
        // The French geodetic systems agree with WGS84 to about a metre: read as lon/lat.
        Ok(WGS84)
    } else {
        Err(format!(
            "SCR géographique non reconnu : « {} », datum « {datum} » (attendu WGS84 ou un système géodésique français : RGF93, RGAF09, RGFG95, RGR92, RGM04, RGSPM06, RGNC91-93, RGPF, RGWF96)",
            geogcs.name().unwrap_or_default()
        ))
    }
}

/// Projection method and parameters of one supported projected CRS.
enum Spec {
    Lambert {
        epsg: u32,
        parallels: (f64, f64),
        origin: (f64, f64),
        false_origin: (f64, f64),
    },
    Utm {
        epsg: u32,
        central_meridian: f64,
        south: bool,
    },
}

const SPECS: [Spec; 9] = [
    Spec::Lambert {
        epsg: 2154,
        parallels: (49.0, 44.0),
        origin: (3.0, 46.5),
        false_origin: (700_000.0, 6_600_000.0),
    },
    Spec::Lambert {
        epsg: 3163,
        parallels: (-20.666_666_666_666_7, -22.333_333_333_333_3),
        origin: (166.0, -21.5),
        false_origin: (400_000.0, 300_000.0),
    },
    Spec::Utm {
        epsg: 5490,
        central_meridian: -63.0,
        south: false,
    },
    Spec::Utm {
        epsg: 2972,
        central_meridian: -51.0,
        south: false,
    },
    Spec::Utm {
        epsg: 2975,
        central_meridian: 57.0,
        south: true,
    },
    Spec::Utm {
        epsg: 4471,
        central_meridian: 45.0,
        south: true,
    },
    Spec::Utm {
        epsg: 4467,
        central_meridian: -57.0,
        south: false,
    },
    Spec::Utm {
        epsg: 3297,
        central_meridian: -147.0,
        south: true,
    },
    Spec::Utm {
        epsg: 8903,
        central_meridian: -177.0,
        south: true,
    },
];

impl Spec {
    fn epsg(&self) -> u32 {
        match self {
            Spec::Lambert { epsg, .. } | Spec::Utm { epsg, .. } => *epsg,
        }
    }

    fn lambert(&self) -> bool {
        matches!(self, Spec::Lambert { .. })
    }

    fn method_name(&self) -> &'static str {
        if self.lambert() {
            "Lambert_Conformal_Conic"
        } else {
            "Transverse_Mercator"
        }
    }

    /// Expected WKT1 parameters (lower-case names); absent ones default to 1 for
    /// `scale_factor`, else 0.
    fn params(&self) -> Vec<(&'static str, f64)> {
        match *self {
            Spec::Lambert {
                parallels,
                origin,
                false_origin,
                ..
            } => vec![
                ("standard_parallel_1", parallels.0),
                ("standard_parallel_2", parallels.1),
                ("central_meridian", origin.0),
                ("latitude_of_origin", origin.1),
                ("false_easting", false_origin.0),
                ("false_northing", false_origin.1),
                ("scale_factor", 1.0),
            ],
            Spec::Utm {
                central_meridian,
                south,
                ..
            } => vec![
                ("central_meridian", central_meridian),
                ("scale_factor", 0.9996),
                ("latitude_of_origin", 0.0),
                ("false_easting", 500_000.0),
                ("false_northing", if south { 10_000_000.0 } else { 0.0 }),
            ],
        }
    }
}

fn projected(projcs: &Node) -> Result<u32, String> {
    let name = projcs.name().unwrap_or_default();
    let geogcs = projcs
        .child("GEOGCS")
        .ok_or_else(|| format!("SCR projeté « {name} » sans GEOGCS[…]"))?;
    let datum = geogcs
        .child("DATUM")
        .and_then(Node::name)
        .unwrap_or_default();
    if let Some(unit) = projcs.child("UNIT").and_then(|u| u.number(1))
        && (unit - 1.0).abs() > 1e-12
    {
        return Err(format!(
            "SCR projeté « {name} » : unité attendue le mètre (1.0), trouvé {unit}"
        ));
    }
    let method = normalise(
        projcs
            .child("PROJECTION")
            .and_then(Node::name)
            .unwrap_or_default(),
    );
    let lambert = method.contains("lambertconformalconic");
    if !lambert && !method.contains("transversemercator") {
        return Err(format!(
            "SCR projeté « {name} » : projection « {} » non prise en charge (attendu Lambert_Conformal_Conic ou Transverse_Mercator)",
            projcs
                .child("PROJECTION")
                .and_then(Node::name)
                .unwrap_or("absente")
        ));
    }
    let params: Vec<(String, f64)> = projcs
        .children("PARAMETER")
        .filter_map(|p| Some((p.name()?.to_ascii_lowercase(), p.number(1)?)))
        .collect();
    let param = |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| *v);

    let candidates: Vec<&Spec> = match zone_of_datum(datum) {
        Some(zone) => SPECS.iter().filter(|s| s.epsg() == zone.epsg()).collect(),
        None if is_wgs84(datum) => SPECS.iter().collect(),
        None => {
            return Err(format!(
                "SCR projeté « {name} » : datum « {datum} » non reconnu (attendu RGF93, RGAF09, RGFG95, RGR92, RGM04, RGSPM06, RGNC91-93, RGPF, RGWF96 ou WGS84)"
            ));
        }
    };
    let same_method: Vec<&Spec> = candidates
        .iter()
        .copied()
        .filter(|spec| spec.lambert() == lambert)
        .collect();
    if same_method.is_empty() {
        let expected: Vec<String> = candidates
            .iter()
            .map(|spec| format!("{} pour EPSG:{}", spec.method_name(), spec.epsg()))
            .collect();
        return Err(format!(
            "SCR projeté « {name} » : projection attendue {}, trouvé {}",
            expected.join(" ou "),
            if lambert {
                "Lambert_Conformal_Conic"
            } else {
                "Transverse_Mercator"
            }
        ));
    }
    let mut first_mismatch = None;
    for spec in &same_method {
        let wrong = spec.params().into_iter().find(|(key, expected)| {
            // Absent parameters take the WKT1 defaults: 1 for a scale factor, else 0.
            let default = if *key == "scale_factor" { 1.0 } else { 0.0 };
            let found = param(key).unwrap_or(default);
            (found - expected).abs() > 1e-6 * expected.abs().max(1.0)
        });
        match wrong {
            None => return Ok(spec.epsg()),
            Some((key, expected)) => {
                let found = param(key).map_or_else(|| "absent".to_string(), |v| v.to_string());
                first_mismatch.get_or_insert(format!(
                    "paramètre {key} : attendu {expected} pour EPSG:{}, trouvé {found}",
                    spec.epsg()
                ));
            }
        }
    }
    let detail = match (same_method.len(), first_mismatch) {
        (1, Some(mismatch)) => mismatch,
        _ => {
            let found: Vec<String> = params.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            format!(
                "ses paramètres ({}) ne correspondent à aucun SCR pris en charge",
                found.join(", ")
            )
        }
    };
    Err(format!(
        "SCR projeté « {name} » non reconnu : {detail} ; SCR pris en charge : EPSG:4326 et {SUPPORTED_EPSG:?}"
    ))
}

/// Lower-case ASCII letters and digits only: "D_RGF_1993" → "drgf1993".
fn normalise(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_wgs84(datum: &str) -> bool {
    let d = normalise(datum);
    d.contains("wgs1984") || d.contains("wgs84") || d.contains("worldgeodeticsystem1984")
}

/// The zone whose geodetic system a datum name denotes.
fn zone_of_datum(datum: &str) -> Option<Zone> {
    let d = normalise(datum);
    let has = |keys: &[&str]| keys.iter().any(|k| d.contains(k));
    if has(&["rgfg1995", "rgfg95", "francaisguyane"]) {
        Some(Zone::Guyane)
    } else if has(&["rgf1993", "rgf93", "reseaugeodesiquefrancais1993"]) {
        Some(Zone::Metropole)
    } else if has(&["rgaf09", "antillesfrancaises2009"]) {
        Some(Zone::Antilles)
    } else if has(&["rgr1992", "rgr92", "delareunion1992"]) {
        Some(Zone::Reunion)
    } else if has(&["rgm2004", "rgm04", "demayotte2004"]) {
        Some(Zone::Mayotte)
    } else if has(&["rgspm2006", "rgspm06", "pierreetmiquelon2006"]) {
        Some(Zone::SaintPierreEtMiquelon)
    } else if has(&[
        "rgnc199193",
        "rgnc9193",
        "nouvellecaledonie199193",
        "nouvellecaledonie9193",
    ]) {
        Some(Zone::NouvelleCaledonie)
    } else if has(&["rgpf", "polynesiefrancaise"]) {
        Some(Zone::Polynesie)
    } else if has(&["rgwf96", "wallisetfutuna1996"]) {
        Some(Zone::WallisEtFutuna)
    } else {
        None
    }
}

/// One WKT value.
#[derive(Debug)]
enum Value {
    Node(Node),
    Text(String),
    Number(f64),
    Word,
}

/// `KEYWORD[value, …]`.
#[derive(Debug)]
struct Node {
    keyword: String,
    values: Vec<Value>,
}

impl Node {
    /// The first value when it is a quoted name.
    fn name(&self) -> Option<&str> {
        match self.values.first() {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    fn number(&self, index: usize) -> Option<f64> {
        match self.values.get(index) {
            Some(Value::Number(n)) => Some(*n),
            _ => None,
        }
    }

    fn children<'a>(&'a self, keyword: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.values.iter().filter_map(move |v| match v {
            Value::Node(n) if n.keyword == keyword => Some(n),
            _ => None,
        })
    }

    fn child(&self, keyword: &str) -> Option<&Node> {
        self.values.iter().find_map(|v| match v {
            Value::Node(n) if n.keyword == keyword => Some(n),
            _ => None,
        })
    }

    fn authority_epsg(&self) -> Option<u32> {
        let auth = self.child("AUTHORITY")?;
        if !auth.name()?.eq_ignore_ascii_case("EPSG") {
            return None;
        }
        match auth.values.get(1)? {
            Value::Text(t) => t.trim().parse().ok(),
            Value::Number(n) => Some(*n as u32),
            _ => None,
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text: text.trim_start_matches('\u{feff}'),
            pos: 0,
        }
    }

    fn document(mut self) -> Result<Node, String> {
        self.skip_space();
        if self.pos >= self.text.len() {
            return Err(
                "fichier .prj vide : attendu un SCR en WKT (PROJCS[…] ou GEOGCS[…])".into(),
            );
        }
        let keyword = self.word();
        if keyword.is_empty() {
            return Err(self.error("un mot-clé WKT (PROJCS, GEOGCS)"));
        }
        let node = self.node(keyword)?;
        self.skip_space();
        if self.pos < self.text.len() {
            return Err(self.error("la fin du texte"));
        }
        Ok(node)
    }

    fn node(&mut self, keyword: String) -> Result<Node, String> {
        self.skip_space();
        let close = match self.peek() {
            Some('[') => ']',
            Some('(') => ')',
            _ => return Err(self.error(&format!("« [ » après {keyword}"))),
        };
        self.pos += 1;
        let mut values = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                Some(',') if !values.is_empty() => {
                    self.pos += 1;
                    self.skip_space();
                }
                Some(_) if values.is_empty() => {}
                _ => return Err(self.error(&format!("« , » ou « {close} » dans {keyword}[…]"))),
            }
            values.push(self.value()?);
        }
        Ok(Node {
            keyword: keyword.to_ascii_uppercase(),
            values,
        })
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some('"') => self.text_value().map(Value::Text),
            Some(c) if c == '-' || c == '+' || c == '.' || c.is_ascii_digit() => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E') {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                let raw = &self.text[start..self.pos];
                raw.parse()
                    .map(Value::Number)
                    .map_err(|_| format!("WKT invalide : nombre « {raw} » illisible"))
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let word = self.word();
                self.skip_space();
                if matches!(self.peek(), Some('[') | Some('(')) {
                    self.node(word).map(Value::Node)
                } else {
                    Ok(Value::Word)
                }
            }
            _ => Err(self.error("une valeur (texte entre guillemets, nombre ou mot-clé)")),
        }
    }

    fn text_value(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err("WKT invalide : guillemet non fermé".into());
            };
            self.pos += c.len_utf8();
            if c == '"' {
                if self.peek() == Some('"') {
                    self.pos += 1;
                    out.push('"');
                } else {
                    return Ok(out);
                }
            } else {
                out.push(c);
            }
        }
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.text[start..self.pos].to_string()
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn error(&self, expected: &str) -> String {
        let found: String = self.text[self.pos..].chars().take(20).collect();
        let found = if found.is_empty() {
            "la fin du texte".to_string()
        } else {
            format!("« {found} »")
        };
        format!(
            "WKT invalide au caractère {} : attendu {expected}, trouvé {found}",
            self.pos + 1
        )
    }
}
