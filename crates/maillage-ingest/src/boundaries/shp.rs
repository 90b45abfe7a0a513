//! ESRI Shapefile commune layers: `.shp` + `.shx` + `.dbf`, with `.prj` and `.cpg`.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use shapefile::{Shape, ShapeReader, ShapeType};

use super::dbf::{self, Decoding};
use super::{
    BoundaryFile, BoundaryFormat, BoundaryOptions, Collector, DbfEncoding, EncodingSource, Failure,
    RawFeature, RawGeometry, Seen,
};
use crate::IngestError;
use crate::reproject::{Reproject, epsg_of_prj};

/// The sibling of `shp` with extension `ext`, whatever the case of the extension.
fn sibling(shp: &Path, ext: &str) -> Option<PathBuf> {
    let stem = shp.file_stem()?;
    let dir = shp
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut name = stem.to_os_string();
    name.push(".");
    name.push(ext);
    let exact = dir.join(name);
    if exact.is_file() {
        return Some(exact);
    }
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_stem() == Some(stem)
                && p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
                && p.is_file()
        })
}

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
    if !path.is_file() {
        return Err(Failure::Fatal(IngestError::Io {
            path: path.into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "fichier introuvable"),
        }));
    }
    let missing = |ext: &str, role: &str| {
        format(format!(
            "fichier .{ext} manquant ({role}) : un Shapefile se compose au moins de .shp, .shx et .dbf de même nom, attendu {}",
            path.with_extension(ext).display()
        ))
    };
    let shx = sibling(path, "shx").ok_or_else(|| missing("shx", "index des formes"))?;
    let dbf_path = sibling(path, "dbf").ok_or_else(|| missing("dbf", "table des attributs"))?;

    let epsg = match opts.epsg {
        Some(e) => e,
        None => {
            let prj = sibling(path, "prj").ok_or_else(|| {
                format(format!(
                    "fichier .prj manquant : le système de coordonnées est inconnu ; ajoutez {} ou indiquez le code EPSG",
                    path.with_extension("prj").display()
                ))
            })?;
            epsg_of_prj(&prj)?
        }
    };

    let dbf_bytes = std::fs::read(&dbf_path).map_err(|source| IngestError::Io {
        path: dbf_path.clone(),
        source,
    })?;
    let decoding = match opts.encoding {
        Some(e) => Decoding::Declared(e, EncodingSource::Option),
        None => match sibling(path, "cpg") {
            Some(cpg) => {
                let label = std::fs::read(&cpg).map_err(|source| IngestError::Io {
                    path: cpg.clone(),
                    source,
                })?;
                let label = String::from_utf8_lossy(&label);
                let e = DbfEncoding::from_label(&label).ok_or_else(|| {
                    Failure::Fatal(IngestError::Format {
                        path: cpg.clone(),
                        message: format!(
                            "encodage « {} » non pris en charge : attendu UTF-8 ou ISO-8859-1 (LATIN1, CP1252) ; corrigez le .cpg ou indiquez l'encodage",
                            label.trim()
                        ),
                    })
                })?;
                Decoding::Declared(e, EncodingSource::Cpg)
            }
            None => match dbf::language_driver(&dbf_bytes) {
                Some(Ok(e)) => Decoding::Declared(e, EncodingSource::LanguageDriver),
                Some(Err(ldid)) => Decoding::AsciiOnly(ldid),
                None => Decoding::Detect,
            },
        },
    };
    let table = dbf::read(&dbf_path, &dbf_bytes, decoding)?;
    let encoding_used = match decoding {
        Decoding::Declared(e, source) => (e, source),
        Decoding::Detect | Decoding::AsciiOnly(_) => (table.encoding, EncodingSource::Detected),
    };

    let open = |p: &Path| {
        File::open(p)
            .map(BufReader::new)
            .map_err(|source| IngestError::Io {
                path: p.into(),
                source,
            })
    };
    let mut reader = ShapeReader::with_shx(open(path)?, open(&shx)?)
        .map_err(|e| format(format!("Shapefile illisible : {}", shp_error(&e))))?;
    let shape_type = reader.header().shape_type;
    if !matches!(
        shape_type,
        ShapeType::Polygon | ShapeType::PolygonM | ShapeType::PolygonZ | ShapeType::NullShape
    ) {
        return Err(format(format!(
            "type de forme attendu Polygon (contours de communes), trouvé {shape_type}"
        )));
    }
    let count = reader
        .shape_count()
        .map_err(|e| format(format!("index .shx illisible : {}", shp_error(&e))))?;
    if count != table.records.len() {
        return Err(format(format!(
            "le .shx annonce {count} formes mais le .dbf {} enregistrements : attendu le même nombre",
            table.records.len()
        )));
    }

    let names: Vec<String> = table.fields.iter().map(|f| f.name.clone()).collect();
    let mut collector = Collector::new(path, epsg, r, opts, seen);
    let mut attributes = Vec::with_capacity(names.len());
    for (i, (shape, record)) in reader.iter_shapes().zip(&table.records).enumerate() {
        let number = i as u64 + 1;
        let shape = shape.map_err(|e| {
            format(format!(
                "enregistrement {number} : forme illisible ({})",
                shp_error(&e)
            ))
        })?;
        let Some(values) = record else {
            continue; // deleted in the DBF
        };
        attributes.clear();
        attributes.extend(names.iter().cloned().zip(values.iter().cloned()));
        collector.push(RawFeature {
            number,
            attributes: &attributes,
            geometry: rings(shape),
        });
    }
    collector.finish(BoundaryFormat::Shapefile, Some(encoding_used))
}

fn rings(shape: Shape) -> Result<RawGeometry, String> {
    let rings: Vec<Vec<[f64; 2]>> = match shape {
        Shape::NullShape => return Err("géométrie vide (forme nulle)".into()),
        Shape::Polygon(p) => p
            .into_inner()
            .into_iter()
            .map(|r| r.into_inner().into_iter().map(|c| [c.x, c.y]).collect())
            .collect(),
        Shape::PolygonM(p) => p
            .into_inner()
            .into_iter()
            .map(|r| r.into_inner().into_iter().map(|c| [c.x, c.y]).collect())
            .collect(),
        Shape::PolygonZ(p) => p
            .into_inner()
            .into_iter()
            .map(|r| r.into_inner().into_iter().map(|c| [c.x, c.y]).collect())
            .collect(),
        other => {
            return Err(format!(
                "type de forme attendu Polygon, trouvé {}",
                other.shapetype()
            ));
        }
    };
    Ok(RawGeometry::EsriRings(rings))
}

fn shp_error(e: &shapefile::Error) -> String {
    match e {
        shapefile::Error::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "fin de fichier inattendue (fichier tronqué ?)".into()
        }
        shapefile::Error::IoError(io) => io.to_string(),
        shapefile::Error::InvalidFileCode(c) => {
            format!("code de fichier attendu 9994, trouvé {c} (ce n'est pas un Shapefile)")
        }
        shapefile::Error::InvalidShapeType(t) => format!("type de forme {t} inconnu"),
        shapefile::Error::InvalidShapeRecordSize => {
            "taille d'enregistrement incohérente avec son nombre de points".into()
        }
        other => other.to_string(),
    }
}
