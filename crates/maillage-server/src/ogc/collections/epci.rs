//! `epci`: intercommunalités with their dissolved boundary, population,
//! population-weighted IFN and venue counts.

use maillage_core::{Catalog, Commune, EpciSiren};

use super::areas::{AreaKind, Areas, DENSITY_AND_IFN, Figures, POPULATION, distinct};
use crate::ogc::provider::{Field, FieldType, Filter, Limits, Value, concat_fields};

const I: FieldType = FieldType::Integer;

/// Properties. IFN values are means over the member communes weighted by population.
pub const FIELDS: &[Field] = &concat_fields::<16>(&[
    &[
        Field::text("siren", "siren", "SIREN de l'EPCI").filter(Filter::Exact),
        Field::text("nom", "nom", "Nom de l'EPCI"),
        Field::text("nature", "nature", "Nature juridique (CC, CA, CU, MET…)")
            .filter(Filter::Exact),
        Field::text(
            "departements",
            "deps",
            "Départements des communes membres (séparés par |)",
        )
        .filter(Filter::AnyOf),
        POPULATION,
        Field::typed("communes", "communes", I, "Nombre de communes membres"),
        Field::typed(
            "lieux",
            "lieux",
            I,
            "Lieux de médiation numérique sur le territoire",
        ),
    ],
    DENSITY_AND_IFN,
]);

/// The EPCI collection, in SIREN order.
pub type Epcis = Areas<Epci>;

/// EPCI as areas.
pub struct Epci;

impl AreaKind for Epci {
    type Key = EpciSiren;
    const ID: &'static str = "epci";
    const TITLE: &'static str = "EPCI (intercommunalités)";
    const DESCRIPTION: &'static str = "Intercommunalités à fiscalité propre : contour (union des communes membres), population, lieux de médiation numérique et IFN pondérés par la population.";
    const LAYERS: &'static [&'static str] = &["epci", "communes", "ifn-2020", "ifn-2023", "venues"];
    const FIELDS: &'static [Field] = FIELDS;
    const LIMITS: Limits = Limits::new(100, 2_000);

    fn key_str(key: &EpciSiren) -> &str {
        key.as_str()
    }
    fn keys(catalog: &Catalog) -> Vec<EpciSiren> {
        catalog.epcis.keys().cloned().collect()
    }
    fn key_of(commune: &Commune) -> Option<&EpciSiren> {
        commune.epci.as_ref()
    }
    fn row<'a>(
        catalog: &'a Catalog,
        siren: &'a EpciSiren,
        members: &[usize],
        figures: &Figures,
    ) -> Vec<Value<'a>> {
        let epci = catalog.epcis.get(siren);
        let deps = distinct(
            members
                .iter()
                .map(|&k| catalog.communes[k].departement.as_str()),
        );
        let mut row = vec![
            Value::text(siren.as_str()),
            Value::opt_text(epci.map(|e| e.name.as_str())),
            Value::opt_text(epci.map(|e| e.kind.as_str())),
            Value::owned(deps.join("|")),
        ];
        row.extend(figures.sizes());
        row.push(figures.venues());
        row.extend(figures.density_and_ifn());
        row
    }
}
