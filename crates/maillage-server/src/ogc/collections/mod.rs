//! The collections, one module each. To add one, see the module docs of [`crate::ogc`].

pub mod areas;
pub mod communes;
pub mod departements;
pub mod epci;
pub mod gaps;
pub mod shared;
pub mod sites;
pub mod tours;
pub mod town_halls;
pub mod unserved;
pub mod venues;

use std::sync::Arc;

use maillage_core::Catalog;
use maillage_core::reproject::Reproject;
use maillage_plan::gaps::GapCache;

use super::provider::Collection;
pub use shared::Shared;

/// Every collection over a catalog, in the order `/collections` lists them.
pub fn all(
    catalog: Arc<Catalog>,
    gaps: Arc<GapCache>,
    reproject: Arc<dyn Reproject>,
) -> Vec<Arc<dyn Collection>> {
    let shared = Arc::new(Shared::new(catalog, gaps, reproject));
    vec![
        Arc::new(communes::Communes::new(shared.clone())),
        Arc::new(venues::Venues::new(shared.clone())),
        Arc::new(town_halls::TownHalls::new(shared.clone())),
        Arc::new(epci::Epcis::new(shared.clone())),
        Arc::new(departements::Departements::new(shared.clone())),
        Arc::new(gaps::Gaps::new(shared.clone())),
        Arc::new(sites::Sites::new(shared.clone())),
        Arc::new(tours::Tours::new(shared)),
    ]
}
