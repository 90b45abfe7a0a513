//! The response of `POST /api/gaps`, the rows of the `gaps` collection and their GeoJSON.
//!
//! Distances are rounded to the metre, minutes to 0.01, priorities to 0.001 and
//! shares to 0.0001; statuses are decided on the unrounded values.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use maillage_core::{InseeCode, VenueFilter};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use super::AccessSource;

/// Shared, immutable text of a response (names, codes), made once per catalog by the
/// [`GapIndex`](super::GapIndex): cloning it copies a pointer, not the text, which keeps
/// an analysis of all of France fast. Reads as a `&str` and serialises as a string.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label(Arc<str>);

impl Label {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Label {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Label {
    fn from(s: &str) -> Label {
        Label(Arc::from(s))
    }
}

impl PartialEq<str> for Label {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Everything a gap analysis returns.
#[derive(Debug, Clone, Serialize)]
pub struct GapResponse {
    /// The parameters actually used (defaults filled in).
    pub parameters: GapParameters,
    /// One result per commune of the territory, by priority (highest first), then code.
    pub communes: Vec<CommuneGap>,
    /// Indicators (after the what-if, if any).
    pub indicators: IndicatorSet,
    /// Indicators before the what-if; `None` when the request has none.
    pub baseline: Option<IndicatorSet>,
    /// Communes whose status changes with the what-if, by priority then code.
    pub changes: Vec<StatusChange>,
    /// The hypothetical venues as placed.
    pub hypothetical: Vec<HypotheticalVenue>,
    /// Remarks on the data or the parameters (French).
    pub warnings: Vec<String>,
}

/// The parameters of an analysis, defaults filled in.
#[derive(Debug, Clone, Serialize)]
pub struct GapParameters {
    /// Served when the travel time is at most this, minutes.
    pub threshold_minutes: f64,
    /// Speed for estimated times, km/h.
    pub speed_kmh: f64,
    /// Detour factor for estimated times.
    pub detour_factor: f64,
    /// `ifn2020` or `ifn2023`.
    pub ifn_model: &'static str,
    /// IFN 2020 reference scale, if that model.
    pub ifn_scale: Option<&'static str>,
    /// IFN axis.
    pub ifn_axis: &'static str,
    /// The estimate's formula (French).
    pub travel_time_formula: String,
    /// The priority's formula (French).
    pub priority_formula: String,
    /// Which communes count as fragile (French).
    pub fragile_definition: String,
    /// The venue filter.
    pub filter: VenueFilter,
    /// Catalog numbers of the removed venues.
    pub removed: Vec<u32>,
    /// Pairs of the travel-time matrix that were used.
    pub matrix_pairs: usize,
}

/// Whether a commune is within the threshold of a venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Travel time ≤ threshold.
    Served,
    /// Travel time > threshold, or no venue in its zone.
    Unserved,
    /// No access point (no town hall, no boundary) and no matrix time: cannot be measured.
    Unlocated,
}

impl Status {
    /// Its name in responses.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Served => "served",
            Status::Unserved => "unserved",
            Status::Unlocated => "unlocated",
        }
    }
}

/// Where a travel time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// Straight-line distance × detour / speed.
    Estimate,
    /// The user's travel-time matrix.
    Matrix,
}

impl TimeSource {
    /// Its name in responses.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeSource::Estimate => "estimate",
            TimeSource::Matrix => "matrix",
        }
    }
}

/// Where a commune's IFN value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IfnSource {
    /// The commune's own value.
    Measured,
    /// Missing: population-weighted mean of its EPCI's communes.
    EpciMean,
    /// Missing, EPCI has none: population-weighted mean of its département's communes.
    DepartementMean,
    /// Missing everywhere around: the neutral value (IFN 2020: 1, IFN 2023: 0.5).
    Neutral,
}

impl IfnSource {
    /// Its name in responses.
    pub fn as_str(self) -> &'static str {
        match self {
            IfnSource::Measured => "measured",
            IfnSource::EpciMean => "epci_mean",
            IfnSource::DepartementMean => "departement_mean",
            IfnSource::Neutral => "neutral",
        }
    }
}

/// The venue a commune is nearest to (in travel time).
#[derive(Debug, Clone, Serialize)]
pub struct NearestVenue {
    /// Catalog number; `None` for a hypothetical venue.
    pub id: Option<u32>,
    /// Source id (`hypothese-N` for the N-th hypothetical venue).
    pub key: Label,
    /// Name.
    pub name: Label,
    /// Whether it is a hypothetical venue of the request.
    pub hypothetical: bool,
    /// Its position, WGS84.
    pub lonlat: [f64; 2],
}

/// The result for one commune.
#[derive(Debug, Clone, Serialize)]
pub struct CommuneGap {
    /// INSEE code.
    pub code: InseeCode,
    /// Name.
    pub name: Label,
    /// Population municipale.
    pub population: u32,
    /// Département code.
    pub departement: Label,
    /// EPCI SIREN.
    pub epci: Option<Label>,
    /// Access point, WGS84.
    pub access_lonlat: Option<[f64; 2]>,
    /// Town hall or interior point.
    pub access_source: Option<AccessSource>,
    /// The best venue.
    pub nearest: Option<NearestVenue>,
    /// Straight-line distance to it, km.
    pub distance_km: Option<f64>,
    /// Travel time to it, minutes.
    pub minutes: Option<f64>,
    /// Estimate or matrix.
    pub minutes_source: Option<TimeSource>,
    /// Served, unserved or unlocated.
    pub status: Status,
    /// `status == Served`.
    pub served: bool,
    /// The commune's own IFN value on the chosen axis (raw scale), if any.
    pub ifn: Option<f64>,
    /// The normalised IFN used in the priority (own value or fallback).
    pub ifn_normalised: f64,
    /// Where `ifn_normalised` comes from.
    pub ifn_source: IfnSource,
    /// Whether the commune's own IFN says fragile.
    pub fragile: bool,
    /// population × normalised IFN.
    pub priority: f64,
    /// Census year of `population` (INSEE millésime), when known.
    pub population_year: Option<u16>,
}

/// Indicators of one set of communes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Indicators {
    /// Communes.
    pub communes: usize,
    /// Population.
    pub population: u64,
    /// Population within 10 minutes of a venue.
    pub population_within_10_min: u64,
    /// Its share of the population (0–1).
    pub share_within_10_min: f64,
    /// Population within 20 minutes.
    pub population_within_20_min: u64,
    /// Its share.
    pub share_within_20_min: f64,
    /// Population within 30 minutes.
    pub population_within_30_min: u64,
    /// Its share.
    pub share_within_30_min: f64,
    /// Communes served.
    pub communes_served: usize,
    /// Communes unserved.
    pub communes_unserved: usize,
    /// Communes that cannot be located.
    pub communes_unlocated: usize,
    /// Population of served communes.
    pub population_served: u64,
    /// Population of unserved communes.
    pub population_unserved: u64,
    /// Population of unlocated communes.
    pub population_unlocated: u64,
    /// Population of fragile communes.
    pub fragile_population: u64,
    /// Population of fragile unserved communes.
    pub fragile_population_unserved: u64,
    /// Population of communes without their own IFN value.
    pub population_without_ifn: u64,
    /// Venues located in these communes (filter applied, what-if included).
    pub venues: usize,
    /// Venues per 10,000 inhabitants; `None` when the population is 0.
    pub venues_per_10000: Option<f64>,
    /// The ten unserved communes of highest priority.
    pub top_unserved: Vec<TopCommune>,
}

/// An entry of a top-ten list.
#[derive(Debug, Clone, Serialize)]
pub struct TopCommune {
    /// INSEE code.
    pub code: InseeCode,
    /// Name.
    pub name: Label,
    /// Population.
    pub population: u32,
    /// Travel time, minutes (`None`: no venue in its zone).
    pub minutes: Option<f64>,
    /// Priority.
    pub priority: f64,
}

/// Indicators of an EPCI or a département (only the communes of the territory count).
#[derive(Debug, Clone, Serialize)]
pub struct GroupIndicators {
    /// SIREN or département code.
    pub code: String,
    /// Name, when the catalog knows it.
    pub name: Option<String>,
    /// The indicators.
    #[serde(flatten)]
    pub indicators: Indicators,
}

/// Indicators for the territory, per EPCI and per département (sorted by code).
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSet {
    /// The whole territory.
    pub selection: Indicators,
    /// Per EPCI (communes without EPCI count only in the other two).
    pub epcis: Vec<GroupIndicators>,
    /// Per département.
    pub departements: Vec<GroupIndicators>,
}

/// A commune whose status differs with the what-if.
#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    /// INSEE code.
    pub code: InseeCode,
    /// Name.
    pub name: Label,
    /// Population.
    pub population: u32,
    /// Priority.
    pub priority: f64,
    /// Status before.
    pub before: Status,
    /// Status after.
    pub after: Status,
    /// Minutes before.
    pub minutes_before: Option<f64>,
    /// Minutes after.
    pub minutes_after: Option<f64>,
    /// Best venue after.
    pub venue_after: Option<NearestVenue>,
}

/// A hypothetical venue as placed.
#[derive(Debug, Clone, Serialize)]
pub struct HypotheticalVenue {
    /// `hypothese-N`.
    pub key: String,
    /// Name.
    pub name: String,
    /// Position, WGS84.
    pub lonlat: [f64; 2],
    /// The commune it stands in, if any.
    pub commune: Option<InseeCode>,
    /// Communes of the territory whose best venue it becomes.
    pub communes_reached: usize,
}

/// One row of the `gaps` collection / CSV: a commune, flat.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    /// INSEE code.
    pub code: InseeCode,
    /// Name.
    pub name: Label,
    /// Population municipale.
    pub population: u32,
    /// Year of that population (legal population; `None` when unknown).
    pub population_year: Option<u16>,
    /// Département.
    pub departement: Label,
    /// EPCI SIREN (empty if none).
    pub epci: Option<Label>,
    /// Access point longitude.
    pub lon: Option<f64>,
    /// Access point latitude.
    pub lat: Option<f64>,
    /// `town_hall` or `interior_point` (empty: unlocated).
    pub access_source: &'static str,
    /// Best venue's catalog number.
    pub venue_id: Option<u32>,
    /// Best venue's source id.
    pub venue_key: Option<Label>,
    /// Best venue's name.
    pub venue_name: Option<Label>,
    /// Straight-line distance, km.
    pub distance_km: Option<f64>,
    /// Travel time, minutes.
    pub minutes: Option<f64>,
    /// `estimate` or `matrix` (empty: no venue).
    pub minutes_source: &'static str,
    /// Served within the threshold.
    pub served: bool,
    /// `served`, `unserved`, `unlocated`.
    pub status: &'static str,
    /// Priority.
    pub priority: f64,
    /// IFN model used.
    pub ifn_model: &'static str,
    /// IFN axis used.
    pub ifn_axis: &'static str,
    /// The commune's own IFN value.
    pub ifn: Option<f64>,
    /// Normalised IFN used.
    pub ifn_normalised: f64,
    /// `measured`, `epci_mean`, `departement_mean` or `neutral`.
    pub ifn_source: &'static str,
    /// Fragile per its own IFN.
    pub fragile: bool,
}

impl GapRow {
    /// Column names, in order (CSV header, OGC queryables).
    pub const FIELDS: [&'static str; 24] = [
        "code",
        "name",
        "population",
        "population_year",
        "departement",
        "epci",
        "lon",
        "lat",
        "access_source",
        "venue_id",
        "venue_key",
        "venue_name",
        "distance_km",
        "minutes",
        "minutes_source",
        "served",
        "status",
        "priority",
        "ifn_model",
        "ifn_axis",
        "ifn",
        "ifn_normalised",
        "ifn_source",
        "fragile",
    ];
}

impl GapResponse {
    /// One flat row per commune, in the response's order.
    pub fn rows(&self) -> Vec<GapRow> {
        let p = &self.parameters;
        self.communes
            .iter()
            .map(|c| GapRow {
                code: c.code,
                name: c.name.clone(),
                population: c.population,
                population_year: c.population_year,
                departement: c.departement.clone(),
                epci: c.epci.clone(),
                lon: c.access_lonlat.map(|p| p[0]),
                lat: c.access_lonlat.map(|p| p[1]),
                access_source: c.access_source.map(AccessSource::as_str).unwrap_or(""),
                venue_id: c.nearest.as_ref().and_then(|n| n.id),
                venue_key: c.nearest.as_ref().map(|n| n.key.clone()),
                venue_name: c.nearest.as_ref().map(|n| n.name.clone()),
                distance_km: c.distance_km,
                minutes: c.minutes,
                minutes_source: c.minutes_source.map(TimeSource::as_str).unwrap_or(""),
                served: c.served,
                status: c.status.as_str(),
                priority: c.priority,
                ifn_model: p.ifn_model,
                ifn_axis: p.ifn_axis,
                ifn: c.ifn,
                ifn_normalised: c.ifn_normalised,
                ifn_source: c.ifn_source.as_str(),
                fragile: c.fragile,
            })
            .collect()
    }

    /// An RFC 7946 FeatureCollection: one point per commune at its access point
    /// (`null` geometry when unlocated), properties = [`GapRow`], with the
    /// indicators as a foreign member `indicators` (the document of [`Self::geojson_bytes`]).
    pub fn to_geojson(&self) -> Value {
        self.geojson_bytes()
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null)
    }

    /// The GeoJSON document written row by row, without building it in memory first.
    pub fn geojson_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::with_capacity(self.communes.len() * 640 + 4096);
        out.extend_from_slice(br#"{"type":"FeatureCollection","features":["#);
        for (k, row) in self.rows().into_iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"type":"Feature","id":"#);
            serde_json::to_writer(&mut out, &row.code)?;
            out.extend_from_slice(br#","geometry":"#);
            match (row.lon, row.lat) {
                (Some(lon), Some(lat)) => serde_json::to_writer(
                    &mut out,
                    &json!({"type": "Point", "coordinates": [lon, lat]}),
                )?,
                _ => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(br#","properties":"#);
            serde_json::to_writer(&mut out, &row)?;
            out.push(b'}');
        }
        out.extend_from_slice(br#"],"indicators":"#);
        serde_json::to_writer(&mut out, &self.indicators)?;
        out.push(b'}');
        Ok(out)
    }

    /// One CSV row per commune (header [`GapRow::FIELDS`]).
    pub fn csv_bytes(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.write_record(GapRow::FIELDS)?;
        for row in self.rows() {
            w.serialize(row)?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
}
