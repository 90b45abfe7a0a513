//! Helpers for the boundary tests: temporary folders, the shared data directory, a
//! DBF rewriter and a minimal hand-made Shapefile writer.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// The shared data directory: `MAILLAGE_DATA_DIR`, else `../../../shared/data`. Panics
/// when absent: the tests that need it are `#[ignore]`d, run with `--include-ignored`.
pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        });
    assert!(
        dir.join("communes").is_dir(),
        "needs the shared data: {}/communes absent (set MAILLAGE_DATA_DIR)",
        dir.display()
    );
    dir
}

/// The real Tarn Shapefile pair (`communes/complete-cog2026/shp/`).
pub fn tarn_shp_dir() -> PathBuf {
    data_dir().join("communes/complete-cog2026/shp")
}

/// The hand-made fixtures of this crate.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/boundaries")
        .join(name)
}

/// A fresh temporary folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("maillage-boundaries-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies `stem`.{shp,shx,dbf,prj,cpg} of `from` into `to`, except the listed extensions.
pub fn copy_shapefile(from: &Path, stem: &str, to: &Path, except: &[&str]) -> PathBuf {
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        if !except.contains(&ext) {
            let name = format!("{stem}.{ext}");
            std::fs::copy(from.join(&name), to.join(&name)).unwrap();
        }
    }
    to.join(format!("{stem}.shp"))
}

/// A parsed DBF: header bytes, field (name, type, length) list and raw records.
pub struct Dbf {
    pub header: Vec<u8>,
    pub fields: Vec<(String, u8, usize)>,
    pub records: Vec<Vec<u8>>,
}

impl Dbf {
    pub fn read(path: &Path) -> Dbf {
        let b = std::fs::read(path).unwrap();
        let n = u32::from_le_bytes(b[4..8].try_into().unwrap()) as usize;
        let header_len = u16::from_le_bytes(b[8..10].try_into().unwrap()) as usize;
        let record_len = u16::from_le_bytes(b[10..12].try_into().unwrap()) as usize;
        let mut fields = Vec::new();
        let mut pos = 32;
        while b[pos] != 0x0D {
            let d = &b[pos..pos + 32];
            let end = d[..11].iter().position(|&c| c == 0).unwrap_or(11);
            fields.push((
                String::from_utf8_lossy(&d[..end]).into_owned(),
                d[11],
                usize::from(d[16]),
            ));
            pos += 32;
        }
        let records = (0..n)
            .map(|i| b[header_len + i * record_len..header_len + (i + 1) * record_len].to_vec())
            .collect();
        Dbf {
            header: b[..header_len].to_vec(),
            fields,
            records,
        }
    }

    /// The text of field `name` in record `i` (0-based), decoded as UTF-8 and trimmed.
    pub fn text(&self, i: usize, name: &str) -> String {
        let (start, len) = self.span(name);
        String::from_utf8_lossy(&self.records[i][start..start + len])
            .trim()
            .to_string()
    }

    fn span(&self, name: &str) -> (usize, usize) {
        let mut start = 1;
        for (n, _, len) in &self.fields {
            if n == name {
                return (start, *len);
            }
            start += len;
        }
        panic!("no field {name}")
    }

    /// Replaces field `name` of record `i` with raw bytes, padded with spaces.
    pub fn set(&mut self, i: usize, name: &str, value: &[u8]) {
        let (start, len) = self.span(name);
        let mut v = value.to_vec();
        v.resize(len, b' ');
        self.records[i][start..start + len].copy_from_slice(&v);
    }

    /// Re-encodes every character field from UTF-8 to Windows-1252 (LATIN1).
    pub fn reencode_as_latin1(&mut self) {
        let names: Vec<(String, u8)> = self.fields.iter().map(|f| (f.0.clone(), f.1)).collect();
        for i in 0..self.records.len() {
            for (name, kind) in &names {
                if *kind == b'C' {
                    let text = self.text(i, name);
                    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
                    assert!(!unmappable, "{text}");
                    self.set(i, name, &bytes);
                }
            }
        }
    }

    pub fn write(&self, path: &Path) {
        let mut out = self.header.clone();
        for r in &self.records {
            out.extend_from_slice(r);
        }
        out.push(0x1A);
        std::fs::write(path, out).unwrap();
    }
}

/// One hand-made Shapefile record: rings (x, y) written as given, and character fields.
pub struct Record<'a> {
    pub rings: Vec<Vec<[f64; 2]>>,
    pub fields: Vec<(&'a str, &'a str)>,
}

/// Writes `dir/stem`.{shp,shx,dbf} by hand: shape type `shape_type` (5 = Polygon,
/// 1 = Point, where the first position of the first ring is the point; a record without
/// rings is a null shape), and a DBF with
/// character fields of 80 bytes named after the first record's fields, in UTF-8.
pub fn write_shapefile(dir: &Path, stem: &str, shape_type: i32, records: &[Record]) -> PathBuf {
    let mut contents: Vec<Vec<u8>> = Vec::new();
    let (mut xmin, mut ymin, mut xmax, mut ymax) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for r in records {
        let pts: Vec<[f64; 2]> = r.rings.iter().flatten().copied().collect();
        let (mut bx0, mut by0, mut bx1, mut by1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in &pts {
            bx0 = bx0.min(p[0]);
            by0 = by0.min(p[1]);
            bx1 = bx1.max(p[0]);
            by1 = by1.max(p[1]);
        }
        xmin = xmin.min(bx0);
        ymin = ymin.min(by0);
        xmax = xmax.max(bx1);
        ymax = ymax.max(by1);
        let mut c = Vec::new();
        if r.rings.is_empty() {
            c.extend_from_slice(&0i32.to_le_bytes()); // null shape
            contents.push(c);
            continue;
        }
        c.extend_from_slice(&shape_type.to_le_bytes());
        if shape_type == 1 {
            c.extend_from_slice(&pts[0][0].to_le_bytes());
            c.extend_from_slice(&pts[0][1].to_le_bytes());
        } else {
            for v in [bx0, by0, bx1, by1] {
                c.extend_from_slice(&v.to_le_bytes());
            }
            c.extend_from_slice(&(r.rings.len() as i32).to_le_bytes());
            c.extend_from_slice(&(pts.len() as i32).to_le_bytes());
            let mut start = 0i32;
            for ring in &r.rings {
                c.extend_from_slice(&start.to_le_bytes());
                start += ring.len() as i32;
            }
            for p in &pts {
                c.extend_from_slice(&p[0].to_le_bytes());
                c.extend_from_slice(&p[1].to_le_bytes());
            }
        }
        contents.push(c);
    }
    let header = |file_len_words: i32| {
        let mut h = Vec::with_capacity(100);
        h.extend_from_slice(&9994i32.to_be_bytes());
        h.extend_from_slice(&[0u8; 20]);
        h.extend_from_slice(&file_len_words.to_be_bytes());
        h.extend_from_slice(&1000i32.to_le_bytes());
        h.extend_from_slice(&shape_type.to_le_bytes());
        for v in [xmin, ymin, xmax, ymax, 0.0, 0.0, 0.0, 0.0] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        h
    };
    let shp_len: usize = 100 + contents.iter().map(|c| 8 + c.len()).sum::<usize>();
    let mut shp = header((shp_len / 2) as i32);
    let mut shx = header(((100 + 8 * contents.len()) / 2) as i32);
    for (i, c) in contents.iter().enumerate() {
        shx.extend_from_slice(&((shp.len() / 2) as i32).to_be_bytes());
        shx.extend_from_slice(&((c.len() / 2) as i32).to_be_bytes());
        shp.extend_from_slice(&(i as i32 + 1).to_be_bytes());
        shp.extend_from_slice(&((c.len() / 2) as i32).to_be_bytes());
        shp.extend_from_slice(c);
    }
    std::fs::write(dir.join(format!("{stem}.shp")), shp).unwrap();
    std::fs::write(dir.join(format!("{stem}.shx")), shx).unwrap();

    let names: Vec<&str> = records[0].fields.iter().map(|f| f.0).collect();
    let mut dbf = vec![3u8, 126, 1, 1];
    dbf.extend_from_slice(&(records.len() as u32).to_le_bytes());
    let header_len = 32 + 32 * names.len() + 1;
    dbf.extend_from_slice(&(header_len as u16).to_le_bytes());
    dbf.extend_from_slice(&((1 + 80 * names.len()) as u16).to_le_bytes());
    dbf.extend_from_slice(&[0u8; 20]);
    for n in &names {
        let mut d = [0u8; 32];
        d[..n.len()].copy_from_slice(n.as_bytes());
        d[11] = b'C';
        d[16] = 80;
        dbf.extend_from_slice(&d);
    }
    dbf.push(0x0D);
    for r in records {
        dbf.push(b' ');
        for (_, v) in &r.fields {
            let mut b = v.as_bytes().to_vec();
            b.resize(80, b' ');
            dbf.extend_from_slice(&b);
        }
    }
    dbf.push(0x1A);
    std::fs::write(dir.join(format!("{stem}.dbf")), dbf).unwrap();
    dir.join(format!("{stem}.shp"))
}

/// ESRI WKT of Lambert-93, as `projinfo EPSG:2154 -o WKT1_ESRI` (PROJ 9.1.1) prints it.
pub const LAMBERT93_ESRI: &str = r#"PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;
