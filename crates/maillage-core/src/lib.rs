//! Maillage core: domain types (communes, town halls, venues, fragility),
//! spatial indexes and the queries on them, and the [`Reproject`] interface (its
//! implementations live in `maillage-ingest`). Pure and synchronous: no I/O framework.
#![warn(missing_docs)]

mod catalog;
mod code;
mod commune;
mod fragility;
mod index;
pub mod reproject;
mod venue;
mod zone;

pub use catalog::{Catalog, CommuneMismatch, LayerInfo, LayerStatus, VenueFilter};
pub use code::{CodeError, DepartementCode, EpciSiren, InseeCode};
pub use commune::{
    Arrondissement, Commune, Departement, Epci, OpeningSlot, TownHall, TownHallCheck, WEEKDAYS,
};
pub use fragility::{Fragility, Ifn2020, Ifn2020Scale, Ifn2020Scores, Ifn2023, IrisFragility};
pub use index::{SpatialIndex, contains_point};
pub use reproject::{Reproject, ReprojectError};
pub use venue::{
    DateMajKind, FRANCE_SERVICES_SERVICES, Hours, ItineranceState, LocationFlag, Placement, Venue,
    VenueId, VenueKind, VenueRecord, VenueSource,
};
pub use zone::{Position, Zone};

/// Re-exported geometry types, so that dependents use the same versions.
pub use geo;
