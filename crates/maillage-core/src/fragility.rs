//! Indice de fragilité numérique (IFN), in its two published models.
//!
//! The two models are not comparable: IFN 2020 (La MedNum) gives ratio indices
//! where 100 is the reference territory's level, IFN 2023 (fragilite-numerique.fr)
//! gives deciles from 0 to 10. Both are kept side by side.

use serde::Serialize;

/// Fragility scores of one commune, per model.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fragility {
    /// IFN 2020 (La MedNum), when known.
    pub ifn2020: Option<Ifn2020>,
    /// IFN 2023 (fragilite-numerique.fr), when known.
    pub ifn2023: Option<Ifn2023>,
}

/// Reference territory of an IFN 2020 ratio (100 = its level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ifn2020Scale {
    /// Relative to the département.
    Departement,
    /// Relative to the région.
    Region,
    /// Relative to the EPCI.
    Epci,
}

/// The seven IFN 2020 scores for one reference scale. Higher = more fragile, except
/// `acces_interfaces_numeriques`, which behaves as a coverage ratio (higher = better covered).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Ifn2020Scores {
    /// Score global.
    pub score_global: Option<f64>,
    /// Accès aux interfaces numériques (coverage: higher is better).
    pub acces_interfaces_numeriques: Option<f64>,
    /// Accès à l'information.
    pub acces_information: Option<f64>,
    /// Compétences administratives.
    pub competences_administratives: Option<f64>,
    /// Compétences numériques / scolaires.
    pub competences_numeriques_scolaires: Option<f64>,
    /// Sous-total accès.
    pub global_acces: Option<f64>,
    /// Sous-total compétences.
    pub global_competences: Option<f64>,
}

impl Ifn2020Scores {
    /// Names of the axes, in column order.
    pub const AXES: [&'static str; 7] = [
        "score_global",
        "acces_interfaces_numeriques",
        "acces_information",
        "competences_administratives",
        "competences_numeriques_scolaires",
        "global_acces",
        "global_competences",
    ];

    /// The value of an axis by name.
    pub fn axis(&self, name: &str) -> Option<f64> {
        match name {
            "score_global" => self.score_global,
            "acces_interfaces_numeriques" => self.acces_interfaces_numeriques,
            "acces_information" => self.acces_information,
            "competences_administratives" => self.competences_administratives,
            "competences_numeriques_scolaires" => self.competences_numeriques_scolaires,
            "global_acces" => self.global_acces,
            "global_competences" => self.global_competences,
            _ => None,
        }
    }
}

/// IFN 2020 for one commune, aggregated from its IRIS (population-weighted).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ifn2020 {
    /// Scores relative to the département.
    pub departement: Ifn2020Scores,
    /// Scores relative to the région.
    pub region: Ifn2020Scores,
    /// Scores relative to the EPCI.
    pub epci: Ifn2020Scores,
    /// INSEE RP 2016 population summed over the IRIS.
    pub population_p16: Option<f64>,
    /// Provenance of the values (`team-48`, `mixed`, `tableau-region-truncated`).
    pub values_from: String,
}

impl Ifn2020 {
    /// The scores for a reference scale.
    pub fn scale(&self, scale: Ifn2020Scale) -> &Ifn2020Scores {
        match scale {
            Ifn2020Scale::Departement => &self.departement,
            Ifn2020Scale::Region => &self.region,
            Ifn2020Scale::Epci => &self.epci,
        }
    }
}

/// IFN 2023 deciles (0–10, 10 = most fragile) for one commune.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Ifn2023 {
    /// No very-high-speed broadband coverage.
    pub no_thd_coverage_rate: Option<f64>,
    /// No 4G coverage.
    pub no_4g_coverage_rate: Option<f64>,
    /// Poverty rate.
    pub poverty_rate: Option<f64>,
    /// Share of people over 65.
    pub older_65_rate: Option<f64>,
    /// Share of people over 15 without a diploma.
    pub nscol15p_rate: Option<f64>,
    /// Mean of the five deciles.
    pub total: Option<f64>,
}

impl Ifn2023 {
    /// Names of the axes, in column order.
    pub const AXES: [&'static str; 6] = [
        "total",
        "no_thd_coverage_rate",
        "no_4g_coverage_rate",
        "poverty_rate",
        "older_65_rate",
        "nscol15p_rate",
    ];

    /// The value of an axis by name.
    pub fn axis(&self, name: &str) -> Option<f64> {
        match name {
            "total" => self.total,
            "no_thd_coverage_rate" => self.no_thd_coverage_rate,
            "no_4g_coverage_rate" => self.no_4g_coverage_rate,
            "poverty_rate" => self.poverty_rate,
            "older_65_rate" => self.older_65_rate,
            "nscol15p_rate" => self.nscol15p_rate,
            _ => None,
        }
    }
}

/// IFN 2020 scores of one IRIS (sub-communal statistical unit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IrisFragility {
    /// IRIS code, 9 characters.
    pub code_iris: String,
    /// IRIS name.
    pub nom_iris: String,
    /// IRIS type as published.
    pub type_iris: String,
    /// INSEE RP 2016 population of the IRIS.
    pub population: Option<f64>,
    /// Scores relative to the département.
    pub departement: Ifn2020Scores,
    /// Scores relative to the région.
    pub region: Ifn2020Scores,
    /// Scores relative to the EPCI.
    pub epci: Ifn2020Scores,
    /// Provenance of the values.
    pub values_from: String,
}
