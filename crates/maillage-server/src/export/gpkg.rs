//! GeoPackage 1.2 export (SQLite): `gpkg_spatial_ref_sys`, `gpkg_contents`,
//! `gpkg_geometry_columns` and one feature table named after the collection, with
//! GeoPackage binary geometries (header, envelope for polygons, WKB).

use std::io;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params, params_from_iter, types::Value as Sql};

use super::ExportJob;
use super::geom::Projected;
use super::srs;
use crate::ogc::crs::Projector;
use crate::ogc::geojson::CoordWriter;
use crate::ogc::provider::{FieldType, GeometryType, Value};

fn sql_err(e: rusqlite::Error) -> io::Error {
    io::Error::other(format!("GeoPackage : {e}"))
}

/// Quotes an SQL identifier.
fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Writes `<collection>.gpkg` in `dir`, returns its path.
pub fn write(job: &ExportJob, dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join(format!("{}.gpkg", job.name()));
    let mut db = Connection::open(&path).map_err(sql_err)?;
    fill(job, &mut db).map_err(sql_err)?;
    db.close().map_err(|(_, e)| sql_err(e))?;
    Ok(path)
}

fn fill(job: &ExportJob, db: &mut Connection) -> rusqlite::Result<()> {
    let layer = job.layer();
    let p = &*layer.provider;
    let fields = p.fields();
    let table = p.id();
    let epsg = job.crs.epsg();
    let srs_id = epsg as i32;
    let geometry_type = match p.geometry_type() {
        GeometryType::Point => "POINT",
        GeometryType::MultiPolygon => "MULTIPOLYGON",
    };
    db.execute_batch(
        "PRAGMA application_id = 1196444487;
         PRAGMA user_version = 10200;
         PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         CREATE TABLE gpkg_spatial_ref_sys (
           srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
           organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
           table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
           description TEXT DEFAULT '',
           last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
           srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
           table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
           srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');",
    )?;
    let mut srs_rows = vec![4326u32];
    if epsg != 4326 {
        srs_rows.push(epsg);
    }
    for e in srs_rows {
        db.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, 'EPSG', ?2, ?3, NULL)",
            params![srs::name(e), e, srs::wkt(e).unwrap_or("undefined")],
        )?;
    }
    let mut columns = vec![
        "fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".to_string(),
        format!("geom {geometry_type}"),
    ];
    for &k in &job.fields {
        let f = &fields[k];
        let sql_type = match f.kind {
            FieldType::Text => "TEXT",
            FieldType::Integer => "INTEGER",
            FieldType::Real => "REAL",
            FieldType::Date => "DATE",
            FieldType::Boolean => "BOOLEAN",
        };
        columns.push(format!("{} {sql_type}", ident(f.name)));
    }
    let tx = db.transaction()?;
    tx.execute_batch(&format!(
        "CREATE TABLE {} ({});",
        ident(table),
        columns.join(", ")
    ))?;
    let coords = CoordWriter::new(Projector::new(job.crs, &*job.ogc.reproject), false);
    let mut bbox: Option<[f64; 4]> = None;
    {
        let placeholders: Vec<String> = (1..=job.fields.len() + 1)
            .map(|k| format!("?{k}"))
            .collect();
        let names: Vec<String> = job.fields.iter().map(|&k| ident(fields[k].name)).collect();
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {} (geom{}{}) VALUES ({})",
            ident(table),
            if names.is_empty() { "" } else { ", " },
            names.join(", "),
            placeholders.join(", ")
        ))?;
        let mut values: Vec<Sql> = Vec::with_capacity(job.fields.len() + 1);
        for &i in &job.ids {
            values.clear();
            let shape = layer.shape(i, job.zoom);
            let g = Projected::of(&shape.geometry(), &coords);
            if let Some(b) = g.bbox() {
                bbox = Some(match bbox {
                    None => b,
                    Some(a) => [
                        a[0].min(b[0]),
                        a[1].min(b[1]),
                        a[2].max(b[2]),
                        a[3].max(b[3]),
                    ],
                });
            }
            values.push(g.gpkg(srs_id).map(Sql::Blob).unwrap_or(Sql::Null));
            let row = p.row(i);
            for &k in &job.fields {
                values.push(match row.get(k) {
                    None | Some(Value::Null) => Sql::Null,
                    Some(Value::Text(t)) => Sql::Text(t.to_string()),
                    Some(Value::Int(v)) => Sql::Integer(*v),
                    Some(Value::Real(x)) => Sql::Real(*x),
                    Some(Value::Bool(b)) => Sql::Integer(i64::from(*b)),
                });
            }
            insert.execute(params_from_iter(values.iter()))?;
        }
    }
    let b = bbox.map(|b| b.map(Some)).unwrap_or([None; 4]);
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![table, p.title(), b[0], b[1], b[2], b[3], srs_id],
    )?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        params![table, geometry_type, srs_id],
    )?;
    tx.commit()
}
