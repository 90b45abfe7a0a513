//! `communes`: boundaries with population, EPCI, département, both IFN models, the
//! number of venues and the distance to the nearest one.

use std::borrow::Cow;
use std::sync::Arc;

use maillage_core::{Commune, Ifn2020Scale, Ifn2020Scores, InseeCode};

use super::shared::{Shared, epci_value};
use crate::ogc::provider::{
    Collection, Field, FieldType, Filter, Geometry, GeometryType, Limits, Value,
};

const I: FieldType = FieldType::Integer;
const R: FieldType = FieldType::Real;

/// Properties. IFN 2020 (La MedNum, ratio indices, 100 = level of the reference
/// territory) comes at three reference scales; IFN 2023 (fragilite-numerique.fr) as
/// deciles 0–10. The two models are not comparable.
pub const FIELDS: &[Field] = &[
    Field::text("code", "code", "Code INSEE").filter(Filter::Exact),
    Field::text("nom", "nom", "Nom de la commune"),
    Field::typed("population", "population", I, "Population municipale"),
    Field::text(
        "codes_postaux",
        "codes_post",
        "Codes postaux (séparés par |)",
    )
    .filter(Filter::AnyOf),
    Field::text("departement", "dep", "Code du département").filter(Filter::Exact),
    Field::text("departement_nom", "dep_nom", "Nom du département"),
    Field::text("epci", "epci", "SIREN de l'EPCI").filter(Filter::Exact),
    Field::text("epci_nom", "epci_nom", "Nom de l'EPCI"),
    Field::typed(
        "lieux",
        "lieux",
        I,
        "Lieux de médiation numérique dans la commune",
    ),
    Field::typed(
        "distance_lieu_m",
        "dist_lieu",
        R,
        "Distance en mètres de la mairie (à défaut du centre) au lieu le plus proche",
    ),
    Field::typed(
        "ifn2020_dep_score_global",
        "i20d_glob",
        R,
        "IFN 2020, échelle département : score global",
    ),
    Field::typed(
        "ifn2020_dep_acces_interfaces_numeriques",
        "i20d_inte",
        R,
        "IFN 2020, échelle département : accès aux interfaces numériques",
    ),
    Field::typed(
        "ifn2020_dep_acces_information",
        "i20d_info",
        R,
        "IFN 2020, échelle département : accès à l'information",
    ),
    Field::typed(
        "ifn2020_dep_competences_administratives",
        "i20d_admi",
        R,
        "IFN 2020, échelle département : compétences administratives",
    ),
    Field::typed(
        "ifn2020_dep_competences_numeriques_scolaires",
        "i20d_nume",
        R,
        "IFN 2020, échelle département : compétences numériques et scolaires",
    ),
    Field::typed(
        "ifn2020_dep_global_acces",
        "i20d_gacc",
        R,
        "IFN 2020, échelle département : global accès",
    ),
    Field::typed(
        "ifn2020_dep_global_competences",
        "i20d_gcom",
        R,
        "IFN 2020, échelle département : global compétences",
    ),
    Field::typed(
        "ifn2020_reg_score_global",
        "i20r_glob",
        R,
        "IFN 2020, échelle région : score global",
    ),
    Field::typed(
        "ifn2020_reg_acces_interfaces_numeriques",
        "i20r_inte",
        R,
        "IFN 2020, échelle région : accès aux interfaces numériques",
    ),
    Field::typed(
        "ifn2020_reg_acces_information",
        "i20r_info",
        R,
        "IFN 2020, échelle région : accès à l'information",
    ),
    Field::typed(
        "ifn2020_reg_competences_administratives",
        "i20r_admi",
        R,
        "IFN 2020, échelle région : compétences administratives",
    ),
    Field::typed(
        "ifn2020_reg_competences_numeriques_scolaires",
        "i20r_nume",
        R,
        "IFN 2020, échelle région : compétences numériques et scolaires",
    ),
    Field::typed(
        "ifn2020_reg_global_acces",
        "i20r_gacc",
        R,
        "IFN 2020, échelle région : global accès",
    ),
    Field::typed(
        "ifn2020_reg_global_competences",
        "i20r_gcom",
        R,
        "IFN 2020, échelle région : global compétences",
    ),
    Field::typed(
        "ifn2020_epci_score_global",
        "i20e_glob",
        R,
        "IFN 2020, échelle EPCI : score global",
    ),
    Field::typed(
        "ifn2020_epci_acces_interfaces_numeriques",
        "i20e_inte",
        R,
        "IFN 2020, échelle EPCI : accès aux interfaces numériques",
    ),
    Field::typed(
        "ifn2020_epci_acces_information",
        "i20e_info",
        R,
        "IFN 2020, échelle EPCI : accès à l'information",
    ),
    Field::typed(
        "ifn2020_epci_competences_administratives",
        "i20e_admi",
        R,
        "IFN 2020, échelle EPCI : compétences administratives",
    ),
    Field::typed(
        "ifn2020_epci_competences_numeriques_scolaires",
        "i20e_nume",
        R,
        "IFN 2020, échelle EPCI : compétences numériques et scolaires",
    ),
    Field::typed(
        "ifn2020_epci_global_acces",
        "i20e_gacc",
        R,
        "IFN 2020, échelle EPCI : global accès",
    ),
    Field::typed(
        "ifn2020_epci_global_competences",
        "i20e_gcom",
        R,
        "IFN 2020, échelle EPCI : global compétences",
    ),
    Field::typed(
        "ifn2023_total",
        "i23_total",
        R,
        "IFN 2023 : moyenne des cinq déciles (0–10, 10 = plus fragile)",
    ),
    Field::typed(
        "ifn2023_no_thd_coverage_rate",
        "i23_thd",
        R,
        "IFN 2023 : décile absence de couverture très haut débit",
    ),
    Field::typed(
        "ifn2023_no_4g_coverage_rate",
        "i23_4g",
        R,
        "IFN 2023 : décile absence de couverture 4G",
    ),
    Field::typed(
        "ifn2023_poverty_rate",
        "i23_pauvr",
        R,
        "IFN 2023 : décile taux de pauvreté",
    ),
    Field::typed(
        "ifn2023_older_65_rate",
        "i23_65ans",
        R,
        "IFN 2023 : décile part des plus de 65 ans",
    ),
    Field::typed(
        "ifn2023_nscol15p_rate",
        "i23_nscol",
        R,
        "IFN 2023 : décile part des 15 ans et plus non diplômés",
    ),
    Field::typed(
        "population_annee",
        "pop_annee",
        I,
        "Année du recensement de la population (INSEE : 2023, Mayotte 2017)",
    ),
];

const IFN2020_START: usize = 10;
const IFN2023_START: usize = IFN2020_START + 21;
const POPULATION_YEAR: usize = IFN2023_START + 6;
const SCALES: [Ifn2020Scale; 3] = [
    Ifn2020Scale::Departement,
    Ifn2020Scale::Region,
    Ifn2020Scale::Epci,
];

/// The communes collection.
pub struct Communes {
    shared: Arc<Shared>,
}

impl Communes {
    /// The collection over the shared catalog.
    pub fn new(shared: Arc<Shared>) -> Communes {
        Communes { shared }
    }

    fn commune(&self, i: usize) -> &Commune {
        &self.shared.catalog.communes[i]
    }
}

fn ifn2020(scores: &Ifn2020Scores, axis: usize) -> Value<'static> {
    Value::real(scores.axis(Ifn2020Scores::AXES[axis]))
}

impl Collection for Communes {
    fn id(&self) -> &'static str {
        "communes"
    }
    fn title(&self) -> &'static str {
        "Communes"
    }
    fn description(&self) -> &'static str {
        "Communes (COG) avec contour, population, EPCI, département, indices de fragilité numérique 2020 (La MedNum, 100 = niveau du territoire de référence) et 2023 (déciles 0–10), nombre de lieux et distance au lieu le plus proche."
    }
    fn layers(&self) -> &'static [&'static str] {
        &["communes", "ifn-2020", "ifn-2023", "venues"]
    }
    fn geometry_type(&self) -> GeometryType {
        GeometryType::MultiPolygon
    }
    fn fields(&self) -> &'static [Field] {
        FIELDS
    }
    fn limits(&self) -> Limits {
        Limits::new(100, 2_000)
    }
    fn len(&self) -> usize {
        self.shared.catalog.communes.len()
    }
    fn feature_id(&self, i: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.commune(i).code.as_str())
    }
    fn index_of(&self, id: &str) -> Option<usize> {
        let code: InseeCode = id.parse().ok()?;
        self.shared.catalog.commune_index(&code)
    }
    fn value(&self, i: usize, field: usize) -> Value<'_> {
        let cat = &self.shared.catalog;
        let c = self.commune(i);
        if field == POPULATION_YEAR {
            return c
                .population_year
                .map_or(Value::Null, |y| Value::Int(i64::from(y)));
        }
        if field >= IFN2023_START {
            let axis = maillage_core::Ifn2023::AXES[field - IFN2023_START];
            return Value::real(c.fragility.ifn2023.and_then(|f| f.axis(axis)));
        }
        if field >= IFN2020_START {
            let k = field - IFN2020_START;
            return match &c.fragility.ifn2020 {
                Some(f) => ifn2020(f.scale(SCALES[k / 7]), k % 7),
                None => Value::Null,
            };
        }
        match field {
            0 => Value::text(c.code.as_str()),
            1 => Value::text(&c.name),
            2 => Value::Int(i64::from(c.population)),
            3 => Value::joined(&c.postal_codes),
            4 => Value::text(c.departement.as_str()),
            5 => cat
                .departements
                .get(&c.departement)
                .map(|d| Value::text(&d.name))
                .unwrap_or(Value::Null),
            6 => epci_value(c),
            7 => c
                .epci
                .as_ref()
                .and_then(|e| cat.epcis.get(e))
                .map(|e| Value::text(&e.name))
                .unwrap_or(Value::Null),
            8 => Value::Int(i64::from(self.shared.stats().venues[i])),
            9 => Value::real(self.shared.stats().nearest_m[i].map(|d| d.round())),
            _ => Value::Null,
        }
    }
    fn geometry(&self, i: usize) -> Geometry<'_> {
        Geometry::polygons(&self.commune(i).boundary)
    }
    fn warm_up(&self) {
        let _ = self.shared.stats();
    }
    fn candidates(&self, bbox: [f64; 4]) -> Vec<usize> {
        let cat = &self.shared.catalog;
        cat.communes_in_bbox(bbox)
            .into_iter()
            .filter_map(|c| cat.commune_index(&c.code))
            .collect()
    }
}
