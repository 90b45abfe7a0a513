//! `venues`: the lieux de médiation numérique, every field of the national schema plus
//! where the point falls, its sources and how it was placed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use maillage_core::{Placement, Venue, VenueRecord};

use super::shared::Shared;
use crate::ogc::provider::{
    Collection, Field, FieldType, Filter, Geometry, GeometryType, Limits, Value,
};

/// Properties: the 32 schema fields (multi-values joined with `|`), then Maillage's own.
pub const FIELDS: &[Field] = &[
    Field::text("id", "id", "Identifiant du lieu dans sa source"),
    Field::text("pivot", "pivot", "SIRET de la structure"),
    Field::text("nom", "nom", "Nom du lieu"),
    Field::text("commune", "commune", "Commune (déclarée par la source)"),
    Field::text("code_postal", "code_post", "Code postal").filter(Filter::Exact),
    Field::text("code_insee", "code_insee", "Code INSEE déclaré par la source")
        .filter(Filter::Exact),
    Field::text("adresse", "adresse", "Adresse"),
    Field::text("complement_adresse", "compl_adr", "Complément d'adresse"),
    Field::typed("latitude", "latitude", FieldType::Real, "Latitude donnée par la source"),
    Field::typed("longitude", "longitude", FieldType::Real, "Longitude donnée par la source"),
    Field::text("typologie", "typologie", "Typologies (séparées par |)").filter(Filter::AnyOf),
    Field::text("telephone", "telephone", "Téléphone"),
    Field::text("courriels", "courriels", "Courriels (séparés par |)"),
    Field::text("site_web", "site_web", "Sites web (séparés par |)"),
    Field::text("horaires", "horaires", "Horaires (format OSM opening_hours)"),
    Field::text("presentation_resume", "pres_resum", "Présentation courte"),
    Field::text("presentation_detail", "pres_detai", "Présentation détaillée"),
    Field::text("source", "source", "Fichier source").filter(Filter::Exact),
    Field::text("itinerance", "itinerance", "Itinérance (séparées par |)").filter(Filter::AnyOf),
    Field::text("structure_parente", "struct_par", "Structure parente"),
    Field::typed("date_maj", "date_maj", FieldType::Date, "Date de mise à jour"),
    Field::text(
        "services",
        "services",
        "Services déclarés par la source (séparés par |) ; le filtre services= trouve aussi les services déduits (services_inferred)",
    )
    .filter(Filter::AnyOf),
    Field::text(
        "publics_specifiquement_adresses",
        "publics",
        "Publics spécifiquement adressés (séparés par |)",
    )
    .filter(Filter::AnyOf),
    Field::text(
        "prise_en_charge_specifique",
        "prise_char",
        "Prises en charge spécifiques (séparées par |)",
    )
    .filter(Filter::AnyOf),
    Field::text("frais_a_charge", "frais", "Frais à charge (séparés par |)")
        .filter(Filter::AnyOf),
    Field::text(
        "dispositif_programmes_nationaux",
        "dispositif",
        "Dispositifs et programmes nationaux (séparés par |)",
    )
    .filter(Filter::AnyOf),
    Field::text("formations_labels", "formations", "Formations et labels (séparés par |)")
        .filter(Filter::AnyOf),
    Field::text(
        "autres_formations_labels",
        "autres_for",
        "Autres formations et labels (séparés par |)",
    ),
    Field::text("modalites_acces", "mod_acces", "Modalités d'accès (séparées par |)")
        .filter(Filter::AnyOf),
    Field::text(
        "modalites_accompagnement",
        "mod_accomp",
        "Modalités d'accompagnement (séparées par |)",
    )
    .filter(Filter::AnyOf),
    Field::text("fiche_acces_libre", "fiche_acce", "Fiche Acceslibre"),
    Field::text("prise_rdv", "prise_rdv", "Prise de rendez-vous"),
    Field::text(
        "commune_insee",
        "com_insee",
        "Code INSEE de la commune où se trouve le point",
    )
    .filter(Filter::Exact),
    Field::text("departement", "dep", "Département où se trouve le point").filter(Filter::Exact),
    Field::text("epci", "epci", "SIREN de l'EPCI où se trouve le point").filter(Filter::Exact),
    Field::text(
        "placement",
        "placement",
        "Origine de la position : « exacte » (coordonnées de la source), « mairie » (approximative, mairie de la commune) ou « commune » (approximative, point intérieur de la commune, sa mairie étant mal placée)",
    )
    .filter(Filter::Exact),
    Field::text(
        "sources",
        "sources",
        "Lignes sources fusionnées (fichier:ligne, séparées par |)",
    ),
    Field::text(
        "location_flags",
        "pos_doute",
        "Position douteuse (séparés par |) : hors_commune, departement_incoherent, point_partage, commune_corrigee, commune_douteuse",
    )
    .filter(Filter::AnyOf),
    Field::text(
        "location_warning",
        "pos_note",
        "Ce qui est douteux ou a été corrigé dans la position, et ce qui a été fait",
    ),
    Field::text(
        "kind",
        "kind",
        "Nature : lieu_accueil (lieu qui reçoit le public), itinerant (bus, permanences itinérantes) ou habilitation (habilitation Aidants Connect d'une structure, pas un lieu)",
    )
    .filter(Filter::Exact),
    Field::text(
        "services_inferred",
        "serv_dedui",
        "Services déduits du label France Services, non déclarés par la source (séparés par |)",
    )
    .filter(Filter::AnyOf),
    Field::text(
        "itinerance_state",
        "itin_etat",
        "Itinérance déclarée : fixe, itinerant ou inconnu (champ vide dans la source)",
    )
    .filter(Filter::Exact),
    Field::typed(
        "hours_parsed",
        "hor_lues",
        FieldType::Boolean,
        "Horaires lus (vrai), illisibles (faux) ou absents (vide)",
    ),
    Field::text("hours_error", "hor_erreur", "Pourquoi les horaires sont illisibles"),
    Field::typed(
        "half_days_per_week",
        "demi_jours",
        FieldType::Real,
        "Demi-journées d'ouverture par semaine (moyenne sur 4 semaines de référence ; au moins 1 h d'ouverture avant ou après 13 h)",
    ),
    Field::text(
        "date_maj_kind",
        "date_type",
        "Origine de date_maj : source (date propre de la source) ou snapshot (date de l'extraction du fichier, pas une vérification)",
    )
    .filter(Filter::Exact),
];

const FIRST_OWN: usize = 32;

/// The venues collection.
pub struct Venues {
    shared: Arc<Shared>,
    by_id: HashMap<String, usize>,
    /// Feature ids that differ from `record.id` (duplicates get `#<index>`).
    renamed: HashMap<usize, String>,
}

impl Venues {
    /// Builds the id index.
    pub fn new(shared: Arc<Shared>) -> Venues {
        let mut by_id = HashMap::with_capacity(shared.catalog.venues.len());
        let mut renamed = HashMap::new();
        for (i, v) in shared.catalog.venues.iter().enumerate() {
            let mut id = v.record.id.clone();
            if id.is_empty() || by_id.contains_key(&id) {
                id = format!("{}#{i}", v.record.id);
                renamed.insert(i, id.clone());
            }
            by_id.insert(id, i);
        }
        Venues {
            shared,
            by_id,
            renamed,
        }
    }

    fn venue(&self, i: usize) -> &Venue {
        &self.shared.catalog.venues[i]
    }

    fn own(&self, v: &Venue, k: usize) -> Value<'_> {
        let cat = &self.shared.catalog;
        let commune = v.commune.and_then(|c| cat.commune(&c));
        match k {
            0 => v
                .commune
                .map(|c| Value::Text(Cow::Owned(c.as_str().to_string())))
                .unwrap_or(Value::Null),
            1 => commune
                .map(|c| Value::text(c.departement.as_str()))
                .unwrap_or(Value::Null),
            2 => commune
                .and_then(|c| c.epci.as_ref())
                .map(|e| Value::text(e.as_str()))
                .unwrap_or(Value::Null),
            3 => Value::text(match v.placement {
                Placement::Exact => "exacte",
                Placement::TownHall => "mairie",
                Placement::Commune => "commune",
            }),
            4 => Value::owned(
                v.sources
                    .iter()
                    .map(|s| format!("{}:{}", s.file, s.line))
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            5 => Value::owned(
                v.location_flags
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            6 => Value::owned(v.location_note.clone()),
            7 => Value::text(v.kind().as_str()),
            8 => Value::owned(v.record.services_inferred().join("|")),
            9 => Value::text(v.record.itinerance_state().as_str()),
            10 => v.hours().parsed().map_or(Value::Null, Value::Bool),
            11 => v
                .hours()
                .error()
                .map_or(Value::Null, |e| Value::owned(e.to_string())),
            12 => Value::real(v.hours().half_days_per_week()),
            13 => Value::text(v.date_maj_kind().as_str()),
            _ => Value::Null,
        }
    }
}

fn schema_value(r: &VenueRecord, name: &str) -> Value<'static> {
    match name {
        "latitude" => Value::real(r.latitude),
        "longitude" => Value::real(r.longitude),
        _ => Value::Null,
    }
}

impl Collection for Venues {
    fn id(&self) -> &'static str {
        "venues"
    }
    fn title(&self) -> &'static str {
        "Lieux de médiation numérique"
    }
    fn description(&self) -> &'static str {
        "Lieux de médiation numérique au standard national (LaMednum / ANCT v1.0.2), fusionnés depuis les fichiers sources ; position exacte ou, à défaut, mairie de la commune."
    }
    fn layers(&self) -> &'static [&'static str] {
        &["venues"]
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
        self.shared.catalog.venues.len()
    }
    fn feature_id(&self, i: usize) -> Cow<'_, str> {
        match self.renamed.get(&i) {
            Some(id) => Cow::Borrowed(id),
            None => Cow::Borrowed(&self.venue(i).record.id),
        }
    }
    fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
    fn value(&self, i: usize, field: usize) -> Value<'_> {
        let v = self.venue(i);
        if field >= FIRST_OWN {
            return self.own(v, field - FIRST_OWN);
        }
        let name = FIELDS[field].name;
        if let Some(values) = v.record.multi(name) {
            return Value::joined(values);
        }
        match name {
            "latitude" | "longitude" => schema_value(&v.record, name),
            _ => match v.record.text(name) {
                Some(Cow::Borrowed(s)) => Value::text(s),
                Some(Cow::Owned(s)) => Value::owned(s),
                None => Value::Null,
            },
        }
    }
    fn filter_value(&self, i: usize, field: usize) -> Value<'_> {
        let v = self.venue(i);
        if FIELDS.get(field).is_some_and(|f| f.name == "services") {
            let mut all: Vec<&str> = v.record.services.iter().map(String::as_str).collect();
            all.extend(v.record.services_inferred());
            return Value::owned(all.join("|"));
        }
        self.value(i, field)
    }
    fn geometry(&self, i: usize) -> Geometry<'_> {
        Geometry::Point(self.venue(i).position.lonlat)
    }
    fn candidates(&self, bbox: [f64; 4]) -> Vec<usize> {
        self.shared
            .catalog
            .venues_in_bbox(bbox)
            .into_iter()
            .map(|v| v.id.0 as usize)
            .collect()
    }
    fn temporal_field(&self) -> Option<usize> {
        FIELDS.iter().position(|f| f.name == "date_maj")
    }
}
