//! The gap index of one catalog and its default analysis, both built on first use and
//! kept as long as the catalog (a server holds one per catalog version).

use std::sync::{Arc, OnceLock};

use maillage_core::Catalog;
use maillage_core::reproject::Reproject;

use super::{CommuneGap, GapError, GapIndex, GapRequest, GapResponse, Status};

/// The index of a catalog and its default analysis (every commune, default parameters).
pub struct GapCache {
    catalog: Arc<Catalog>,
    reproject: Arc<dyn Reproject>,
    index: OnceLock<GapIndex>,
    default: OnceLock<Result<DefaultGaps, GapError>>,
}

impl GapCache {
    /// An empty cache for `catalog`; nothing is computed yet.
    pub fn new(catalog: Arc<Catalog>, reproject: Arc<dyn Reproject>) -> GapCache {
        GapCache {
            catalog,
            reproject,
            index: OnceLock::new(),
            default: OnceLock::new(),
        }
    }

    /// The catalog analysed.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// Access points, R-trees, unfiltered nearest venues (built on first use: tens of
    /// milliseconds for France; blocking).
    pub fn index(&self) -> &GapIndex {
        self.index
            .get_or_init(|| GapIndex::build(&self.catalog, self.reproject.clone()))
    }

    /// The analysis of a request over the catalog.
    pub fn analyse(&self, req: &GapRequest) -> Result<GapResponse, GapError> {
        self.index().analyse(&self.catalog, req)
    }

    /// The analysis of every commune with the default parameters (20 minutes, every
    /// venue, 50 km/h, detour 1.3, IFN 2023 `total`), computed once; the error for a
    /// catalog the analysis refuses (no communes).
    pub fn default_analysis(&self) -> Result<&DefaultGaps, &GapError> {
        self.default
            .get_or_init(|| {
                self.analyse(&GapRequest::default())
                    .map(|r| DefaultGaps::new(r, &self.catalog))
            })
            .as_ref()
    }
}

/// An analysis of the whole catalog and where each commune's result is.
pub struct DefaultGaps {
    /// The response (communes by priority).
    pub response: GapResponse,
    /// Per `catalog.communes` index: position in `response.communes`.
    pub position: Vec<Option<u32>>,
}

impl DefaultGaps {
    /// Indexes an analysis of the whole catalog by commune.
    pub fn new(response: GapResponse, catalog: &Catalog) -> DefaultGaps {
        let mut position = vec![None; catalog.communes.len()];
        for (k, c) in response.communes.iter().enumerate() {
            if let Some(i) = catalog.commune_index(&c.code) {
                position[i] = Some(k as u32);
            }
        }
        DefaultGaps { response, position }
    }

    /// The result of commune `i` (catalog index).
    pub fn commune(&self, i: usize) -> Option<&CommuneGap> {
        let k = (*self.position.get(i)?)?;
        self.response.communes.get(k as usize)
    }

    /// Whether commune `i` (catalog index) is unserved in this analysis.
    pub fn is_unserved(&self, i: usize) -> bool {
        self.commune(i)
            .is_some_and(|c| c.status == Status::Unserved)
    }
}
