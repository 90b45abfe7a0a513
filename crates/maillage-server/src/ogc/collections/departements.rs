//! `departements`: départements with their dissolved boundary, population,
//! population-weighted IFN and venue counts.

use maillage_core::{Catalog, Commune, DepartementCode};

use super::areas::{AreaKind, Areas, DENSITY_AND_IFN, Figures, POPULATION, distinct};
use crate::ogc::provider::{Field, FieldType, Filter, Limits, Value, concat_fields};

const I: FieldType = FieldType::Integer;

/// Properties. IFN values are means over the communes weighted by population.
pub const FIELDS: &[Field] = &concat_fields::<15>(&[
    &[
        Field::text("code", "code", "Code du département").filter(Filter::Exact),
        Field::text("nom", "nom", "Nom du département"),
        POPULATION,
        Field::typed("communes", "communes", I, "Nombre de communes"),
        Field::typed(
            "epci",
            "nb_epci",
            I,
            "Nombre d'EPCI ayant au moins une commune dans le département",
        ),
        Field::typed(
            "lieux",
            "lieux",
            I,
            "Lieux de médiation numérique dans le département",
        ),
    ],
    DENSITY_AND_IFN,
]);

/// The départements collection, in code order.
pub type Departements = Areas<Departement>;

/// Départements as areas.
pub struct Departement;

impl AreaKind for Departement {
    type Key = DepartementCode;
    const ID: &'static str = "departements";
    const TITLE: &'static str = "Départements";
    const DESCRIPTION: &'static str = "Départements et collectivités d'outre-mer : contour (union des communes), population, lieux de médiation numérique et IFN pondérés par la population.";
    const LAYERS: &'static [&'static str] =
        &["departements", "communes", "ifn-2020", "ifn-2023", "venues"];
    const FIELDS: &'static [Field] = FIELDS;
    const LIMITS: Limits = Limits::new(200, 200);

    fn key_str(key: &DepartementCode) -> &str {
        key.as_str()
    }
    fn keys(catalog: &Catalog) -> Vec<DepartementCode> {
        catalog.departements.keys().cloned().collect()
    }
    fn key_of(commune: &Commune) -> Option<&DepartementCode> {
        Some(&commune.departement)
    }
    fn row<'a>(
        catalog: &'a Catalog,
        code: &'a DepartementCode,
        members: &[usize],
        figures: &Figures,
    ) -> Vec<Value<'a>> {
        let epcis = distinct(
            members
                .iter()
                .filter_map(|&k| catalog.communes[k].epci.as_ref().map(|e| e.as_str())),
        );
        let name = catalog.departements.get(code).map(|d| d.name.as_str());
        let mut row = vec![Value::text(code.as_str()), Value::opt_text(name)];
        row.extend(figures.sizes());
        row.push(Value::Int(epcis.len() as i64));
        row.push(figures.venues());
        row.extend(figures.density_and_ifn());
        row
    }
}
