//! Current populations, postal codes and SIREN of every commune and municipal arrondissement:
//! the npm package `@etalab/decoupage-administratif@6.0.0` (`data/communes.json`; code MIT,
//! data Licence Ouverte, Etalab), read straight from the `.tgz` that `npm pack` saves.
//!
//! Its `population` is the INSEE *population municipale* of the populations de référence
//! **2023** (in force on 1 January 2026, insee.fr/fr/statistiques/8680726), except Mayotte,
//! whose figures are the **2017** census (insee.fr/fr/statistiques/3291775), and the
//! collectivités d'outre-mer, whose year the package does not state (INSEE 8680702).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use maillage_core::InseeCode;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::{IngestError, IngestResult, Rejection};

/// The npm package, pinned.
pub const NPM_SPEC: &str = "@etalab/decoupage-administratif@6.0.0";
/// File name `npm pack` gives it.
pub const TGZ_FILE: &str = "etalab-decoupage-administratif-6.0.0.tgz";
/// SHA-256 of the pinned tarball.
pub const TGZ_SHA256: &str = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a";
/// The member read.
pub const COMMUNES_MEMBER: &str = "package/data/communes.json";
/// Millésime of the populations (populations de référence 2023, in force on 2026-01-01).
pub const POPULATION_YEAR: u16 = 2023;
/// Millésime of Mayotte's populations in the package (2017 census).
pub const MAYOTTE_POPULATION_YEAR: u16 = 2017;

/// The census year of a population of the package, by commune code: 2023, Mayotte 2017,
/// `None` for the collectivités d'outre-mer (975, 977, 978, 98x), whose year it does not state.
///
/// ```
/// use maillage_ingest::decoupage::population_year;
/// assert_eq!(population_year(&"81004".parse().unwrap()), Some(2023));
/// assert_eq!(population_year(&"97611".parse().unwrap()), Some(2017));
/// assert_eq!(population_year(&"98735".parse().unwrap()), None);
/// ```
pub fn population_year(code: &InseeCode) -> Option<u16> {
    match code.departement().as_str() {
        "976" => Some(MAYOTTE_POPULATION_YEAR),
        "975" | "977" | "978" => None,
        d if d.starts_with("98") => None,
        _ => Some(POPULATION_YEAR),
    }
}

/// One commune or arrondissement of the package.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// INSEE code.
    pub code: InseeCode,
    /// Name.
    pub name: String,
    /// Population municipale (`None`: absent from the package, e.g. the TAAF).
    pub population: Option<u32>,
    /// Postal codes.
    pub postal_codes: Vec<String>,
    /// SIREN of the commune (arrondissements have none).
    pub siren: Option<String>,
}

/// What the package gives: current communes and municipal arrondissements.
#[derive(Debug, Default)]
pub struct Decoupage {
    /// Communes (`type: commune-actuelle`) by INSEE code.
    pub communes: BTreeMap<InseeCode, Entry>,
    /// Municipal arrondissements by parent commune code, in code order.
    pub arrondissements: BTreeMap<InseeCode, Vec<Entry>>,
    /// Entries that could not be read (bad code, unknown parent).
    pub rejections: Vec<Rejection>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    population: Option<u32>,
    #[serde(default)]
    codes_postaux: Vec<String>,
    #[serde(default)]
    siren: Option<String>,
    #[serde(default)]
    commune: Option<String>,
}

/// Reads `data/communes.json` from the tarball at `path` (gzip → tar → JSON).
pub fn read_tgz(path: &Path) -> IngestResult<Decoupage> {
    let file = File::open(path).map_err(|source| IngestError::Io {
        path: path.into(),
        source,
    })?;
    let json = tgz_member(path, file, COMMUNES_MEMBER)?;
    parse_communes(path, &json)
}

/// The bytes of `member` in a gzip-compressed tar read from `reader`.
fn tgz_member(path: &Path, reader: impl Read, member: &str) -> IngestResult<Vec<u8>> {
    let fmt = |message: String| IngestError::Format {
        path: path.into(),
        message,
    };
    let broken = |e: std::io::Error| {
        fmt(format!(
            "archive npm (tar.gz) illisible ou tronquée : {e}. Relancez `maillage data fetch`."
        ))
    };
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(reader));
    for entry in archive.entries().map_err(broken)? {
        let mut entry = entry.map_err(broken)?;
        if entry.path().map_err(broken)?.as_ref() == Path::new(member) {
            let mut out = Vec::new();
            entry.read_to_end(&mut out).map_err(broken)?;
            return Ok(out);
        }
    }
    Err(fmt(format!("membre « {member} » absent de l'archive npm")))
}

fn parse_communes(path: &Path, json: &[u8]) -> IngestResult<Decoupage> {
    let raw: Vec<Raw> = serde_json::from_slice(json).map_err(|e| IngestError::Format {
        path: path.into(),
        message: format!(
            "membre « {COMMUNES_MEMBER} », ligne {}, colonne {} : tableau JSON de communes attendu ({e})",
            e.line(),
            e.column()
        ),
    })?;
    let mut out = Decoupage::default();
    let label = format!(
        "{}!{COMMUNES_MEMBER}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    for (i, r) in raw.into_iter().enumerate() {
        let reject = |field: &str, reason: String| Rejection {
            file: label.clone(),
            line: i as u64 + 1,
            field: field.into(),
            reason,
        };
        if r.kind != "commune-actuelle" && r.kind != "arrondissement-municipal" {
            continue;
        }
        let code = match r.code.parse::<InseeCode>() {
            Ok(c) => c,
            Err(e) => {
                out.rejections.push(reject("code", e.to_string()));
                continue;
            }
        };
        let entry = Entry {
            code,
            name: r.nom,
            population: r.population,
            postal_codes: r.codes_postaux,
            siren: r.siren,
        };
        if r.kind == "commune-actuelle" {
            out.communes.insert(code, entry);
            continue;
        }
        match r.commune.as_deref().map(str::parse::<InseeCode>) {
            Some(Ok(parent)) => out.arrondissements.entry(parent).or_default().push(entry),
            _ => out.rejections.push(reject(
                "commune",
                format!(
                    "code INSEE de la commune de l'arrondissement {code} attendu, trouvé « {} »",
                    r.commune.unwrap_or_default()
                ),
            )),
        }
    }
    for list in out.arrondissements.values_mut() {
        list.sort_by_key(|a| a.code);
    }
    Ok(out)
}

/// SHA-256 of a file, lower-case hex.
pub fn sha256_file(path: &Path) -> IngestResult<String> {
    let mut file = File::open(path).map_err(|source| IngestError::Io {
        path: path.into(),
        source,
    })?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|source| IngestError::Io {
        path: path.into(),
        source,
    })?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Checks the SHA-256 of `path` against `expected`; a mismatch removes the file.
pub fn verify(path: &Path, expected: &str) -> IngestResult<()> {
    let got = sha256_file(path)?;
    if got == expected {
        return Ok(());
    }
    let _ = std::fs::remove_file(path);
    Err(IngestError::Format {
        path: path.into(),
        message: format!(
            "empreinte SHA-256 inattendue : attendu {expected}, obtenu {got} ; fichier supprimé"
        ),
    })
}

/// Downloads the pinned package into `cache_dir` with `npm pack` unless a verified copy is
/// there, then checks its SHA-256. Returns the tarball's path.
pub fn fetch(cache_dir: &Path) -> IngestResult<PathBuf> {
    let tgz = cache_dir.join(TGZ_FILE);
    if tgz.is_file() && sha256_file(&tgz)? == TGZ_SHA256 {
        eprintln!(
            "Découpage administratif déjà présent et vérifié : {}",
            tgz.display()
        );
        return Ok(tgz);
    }
    std::fs::create_dir_all(cache_dir).map_err(|source| IngestError::Io {
        path: cache_dir.into(),
        source,
    })?;
    eprintln!("Téléchargement de {NPM_SPEC} (npm pack)…");
    let status = std::process::Command::new("npm")
        .args(["pack", "--silent", "--pack-destination"])
        .arg(cache_dir)
        .arg(NPM_SPEC)
        .stdout(std::process::Stdio::null())
        .status();
    let failed = |why: String| IngestError::Format {
        path: tgz.clone(),
        message: format!(
            "téléchargement de {NPM_SPEC} impossible : {why}. Installez npm (paquet Debian npm) puis relancez `maillage data fetch`."
        ),
    };
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => return Err(failed(format!("npm pack a échoué ({s})"))),
        Err(e) => return Err(failed(format!("npm introuvable ({e})"))),
    }
    verify(&tgz, TGZ_SHA256)?;
    eprintln!(
        "Découpage administratif téléchargé et vérifié : {}",
        tgz.display()
    );
    Ok(tgz)
}

#[cfg(test)]
mod tests {
    //! Hand-made tarballs of two or three entries, built in memory.
    use super::*;

    fn tgz(members: &[(&str, &[u8])]) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(gz);
        for (name, data) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, name, *data)
                .expect("in-memory tar");
        }
        builder
            .into_inner()
            .and_then(|gz| gz.finish())
            .expect("in-memory gzip")
    }

    const COMMUNES: &str = r#"[
      {"code":"81004","nom":"Albi","type":"commune-actuelle","population":51290,"codesPostaux":["81000"],"siren":"218100048"},
      {"code":"97611","nom":"Mamoudzou","type":"commune-actuelle","population":71437,"codesPostaux":["97600","97605"]},
      {"code":"98411","nom":"Îles Saint-Paul et Nouvelle-Amsterdam","type":"commune-actuelle"},
      {"code":"75111","nom":"Paris 11e Arrondissement","type":"arrondissement-municipal","commune":"75056","population":138170,"codesPostaux":["75011"]},
      {"code":"75101","nom":"Paris 1er Arrondissement","type":"arrondissement-municipal","commune":"75056","population":15000,"codesPostaux":["75001"]},
      {"code":"81233","nom":"Ancienne","type":"commune-deleguee","chefLieu":"81233"},
      {"code":"8100","nom":"Code court","type":"commune-actuelle"},
      {"code":"13201","nom":"Sans parent","type":"arrondissement-municipal"}
    ]"#;

    fn write(dir: &Path, bytes: &[u8]) -> PathBuf {
        std::fs::create_dir_all(dir).expect("temp dir");
        let path = dir.join(TGZ_FILE);
        std::fs::write(&path, bytes).expect("write temp tgz");
        path
    }

    fn temp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("maillage-decoupage-{name}-{}", std::process::id()))
    }

    #[test]
    fn reads_communes_and_arrondissements_from_a_tgz() {
        let bytes = tgz(&[
            ("package/README.md", b"# hand-made"),
            (COMMUNES_MEMBER, COMMUNES.as_bytes()),
        ]);
        let path = write(&temp("read"), &bytes);
        let d = read_tgz(&path).expect("hand-made tgz reads");
        let albi = &d.communes[&"81004".parse().unwrap()];
        assert_eq!(albi.population, Some(51_290));
        assert_eq!(albi.postal_codes, ["81000"]);
        assert_eq!(albi.siren.as_deref(), Some("218100048"));
        assert_eq!(d.communes[&"98411".parse().unwrap()].population, None);
        // Delegated communes are not current communes.
        assert_eq!(d.communes.len(), 3);
        let paris = &d.arrondissements[&"75056".parse().unwrap()];
        let codes: Vec<&str> = paris.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, ["75101", "75111"]);
        // The short code and the orphan arrondissement are reported with their entry number.
        assert_eq!(d.rejections.len(), 2, "{:?}", d.rejections);
        assert_eq!(
            (d.rejections[0].line, d.rejections[0].field.as_str()),
            (7, "code")
        );
        assert_eq!(d.rejections[1].field, "commune");
    }

    #[test]
    fn a_tgz_without_the_member_or_truncated_is_a_clear_error() {
        let dir = temp("missing");
        let path = write(&dir, &tgz(&[("package/README.md", b"x")]));
        let e = read_tgz(&path).expect_err("no communes.json").to_string();
        assert!(e.contains(COMMUNES_MEMBER) && e.contains("absent"), "{e}");

        let full = tgz(&[(COMMUNES_MEMBER, COMMUNES.as_bytes())]);
        let path = write(&dir, &full[..full.len() / 2]);
        let e = read_tgz(&path).expect_err("truncated").to_string();
        assert!(e.contains("illisible ou tronquée"), "{e}");

        let path = write(&dir, &tgz(&[(COMMUNES_MEMBER, b"{\"code\": 1}")]));
        let e = read_tgz(&path).expect_err("not an array").to_string();
        assert!(e.contains("ligne 1") && e.contains("tableau JSON"), "{e}");
    }

    #[test]
    fn a_bad_checksum_is_refused_and_the_file_removed() {
        let path = write(&temp("sha"), b"not the package");
        let e = verify(&path, TGZ_SHA256)
            .expect_err("wrong bytes")
            .to_string();
        assert!(e.contains("SHA-256") && e.contains(TGZ_SHA256), "{e}");
        assert!(!path.exists());
        // The right digest passes (SHA-256 of "abc").
        let path = write(&temp("sha-ok"), b"abc");
        verify(
            &path,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        )
        .expect("matching digest");
        assert!(path.exists());
    }
}
