//! Shared state of the server: the current [`Snapshot`] of the data (catalog and every
//! cache derived from it) and the heavy-work pool. No process-global state: two
//! `AppState`s in one process never see each other's data.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock, RwLock};

use maillage_core::Catalog;
use maillage_core::reproject::Reproject;
use maillage_ingest::load::ImportReport;
use maillage_ingest::reproject::default_reprojector;
use maillage_plan::gaps::GapCache;

use crate::http::HeavyPool;
use crate::ogc::layer::Ogc;
use crate::public_paths::PublicPaths;
use crate::routes::search::Names;

/// What every handler can read. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The import report (rejected rows, notes, timings).
    pub report: Arc<ImportReport>,
    /// Folder of the web front end served at `/`.
    pub web_dir: Option<PathBuf>,
    /// The reprojector of the application (one for every use).
    pub reproject: Arc<dyn Reproject>,
    /// Server folders that answers show relative (see [`PublicPaths`]).
    pub public_paths: Arc<PublicPaths>,
    current: Arc<RwLock<Arc<Snapshot>>>,
    pool: Arc<HeavyPool>,
}

impl AppState {
    /// State for a catalog.
    pub fn new(catalog: Catalog, report: ImportReport, web_dir: Option<PathBuf>) -> AppState {
        let reproject: Arc<dyn Reproject> = Arc::from(default_reprojector());
        AppState {
            report: Arc::new(report),
            web_dir,
            current: Arc::new(RwLock::new(Arc::new(Snapshot::new(
                Arc::new(catalog),
                reproject.clone(),
            )))),
            reproject,
            public_paths: Arc::new(PublicPaths::default()),
            pool: Arc::new(HeavyPool::per_core()),
        }
    }

    /// The same state, hiding the data directory and the cache in its answers.
    pub fn with_public_paths(mut self, paths: PublicPaths) -> AppState {
        self.public_paths = Arc::new(paths);
        self
    }

    /// The current data; a request reads it once and keeps it to the end, so that a
    /// catalog replaced meanwhile never mixes into its answer.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the catalog: the next requests see it, with fresh caches.
    pub fn replace_catalog(&self, catalog: Catalog) {
        let next = Arc::new(Snapshot::new(Arc::new(catalog), self.reproject.clone()));
        match self.current.write() {
            Ok(mut s) => *s = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
    }

    /// The heavy-work pool.
    pub fn pool(&self) -> &HeavyPool {
        &self.pool
    }
}

/// One version of the data and every cache derived from it, built on first use.
pub struct Snapshot {
    /// The catalog.
    pub catalog: Arc<Catalog>,
    /// The reprojector of the application.
    pub reproject: Arc<dyn Reproject>,
    /// Gap index and default gap analysis (shared with the OGC collections).
    pub gaps: Arc<GapCache>,
    ogc: OnceLock<Arc<Ogc>>,
    names: OnceLock<Names>,
}

impl Snapshot {
    /// A snapshot of `catalog`; nothing is computed yet.
    pub fn new(catalog: Arc<Catalog>, reproject: Arc<dyn Reproject>) -> Snapshot {
        Snapshot {
            gaps: Arc::new(GapCache::new(catalog.clone(), reproject.clone())),
            catalog,
            reproject,
            ogc: OnceLock::new(),
            names: OnceLock::new(),
        }
    }

    /// The OGC view of the catalog, built on first use (then a background thread warms
    /// the lazy parts: dissolved boundaries, statistics).
    pub fn ogc(&self) -> Arc<Ogc> {
        self.ogc
            .get_or_init(|| {
                let o = Arc::new(Ogc::new(
                    self.catalog.clone(),
                    self.gaps.clone(),
                    self.reproject.clone(),
                ));
                o.clone().warm_up_in_background();
                o
            })
            .clone()
    }

    /// Normalised names for the search (computed on first use).
    pub fn names(&self) -> &Names {
        self.names.get_or_init(|| Names::new(&self.catalog))
    }
}

#[cfg(test)]
mod tests {
    //! Two hand-made catalogs in one process (invented communes, no real data): each
    //! state answers from its own data, and a replaced catalog brings fresh caches.

    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use maillage_core::geo::MultiPolygon;
    use maillage_core::{Catalog, Commune, Fragility};
    use serde_json::Value;
    use tower::ServiceExt;

    use super::*;

    fn catalog(communes: &[(&str, &str)]) -> Catalog {
        let communes = communes
            .iter()
            .map(|(code, name)| Commune {
                code: code.parse().unwrap(),
                name: (*name).into(),
                population: 100,
                postal_codes: vec![format!("{}000", &code[..2])],
                departement: code[..2].parse().unwrap(),
                epci: None,
                boundary: MultiPolygon::new(Vec::new()),
                boundary_source: "fixture".into(),
                town_hall: None,
                fragility: Fragility::default(),
                population_year: None,
            })
            .collect();
        Catalog::new(
            communes,
            Vec::new(),
            Default::default(),
            Default::default(),
            Vec::new(),
        )
    }

    async fn names_found(state: &AppState, q: &str) -> Vec<String> {
        let res = crate::app(state.clone())
            .oneshot(
                Request::get(format!("/api/search?q={q}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let hits: Value = serde_json::from_slice(&bytes).unwrap();
        hits.as_array()
            .unwrap()
            .iter()
            .map(|h| h["name"].as_str().unwrap().to_string())
            .collect()
    }

    #[tokio::test]
    async fn two_catalogs_in_one_process_are_searched_each_in_its_own_names() {
        let tarn = AppState::new(
            catalog(&[("81004", "Albi"), ("81065", "Castres")]),
            ImportReport::default(),
            None,
        );
        let lozere = AppState::new(
            catalog(&[
                ("48095", "Mende"),
                ("48061", "Florac Trois Rivières"),
                ("48001", "Albaret-le-Comtal"),
            ]),
            ImportReport::default(),
            None,
        );
        assert_eq!(names_found(&tarn, "albi").await, ["Albi"]);
        assert_eq!(names_found(&lozere, "mende").await, ["Mende"]);
        assert_eq!(names_found(&lozere, "alb").await, ["Albaret-le-Comtal"]);
        assert!(names_found(&lozere, "castres").await.is_empty());
        assert_eq!(names_found(&tarn, "castres").await, ["Castres"]);

        // A new catalog: the next requests see it, and its names only.
        tarn.replace_catalog(catalog(&[("81099", "Gaillac")]));
        assert_eq!(names_found(&tarn, "gaillac").await, ["Gaillac"]);
        assert!(names_found(&tarn, "albi").await.is_empty());
        assert_eq!(tarn.snapshot().gaps.catalog().communes.len(), 1);
    }
}
