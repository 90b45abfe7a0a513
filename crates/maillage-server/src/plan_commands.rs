//! `maillage gaps`, `maillage plan sites` and `maillage plan tours`: the planning
//! endpoints on the command line, reading a JSON request and/or flags and CSV/GeoJSON
//! point files, writing CSV, GeoJSON or JSON, with progress on stderr.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use maillage_core::InseeCode;
use maillage_ingest::load::{LoadOptions, Progress, load_catalog};
use maillage_ingest::reproject::default_reprojector;
use maillage_plan::gaps::{
    AddedVenue, GapCache, GapRequest, IfnChoice, IfnModel, IfnScale, Status, VenueRef,
};
use maillage_plan::planning::{run_sites, run_tours};
use maillage_plan::rows::{sites_csv, sites_geojson, tour_rows, tours_csv, tours_geojson};
use maillage_plan::sites::{SiteObjectiveName, SitePoint, SiteRequest};
use maillage_plan::tours::{TourPlace, TourRequest, TourStopInput};
use maillage_server::Spinner;
use maillage_server::http::Output;
use maillage_server::http::encode::{gap_body, plan_body};
use serde_json::Value;

use super::DataArgs;

/// Output file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One row per commune / point.
    Csv,
    /// GeoJSON FeatureCollection.
    Geojson,
    /// The API's JSON response.
    Json,
}

impl Format {
    /// `--format`, else the extension of `--out`, else CSV.
    fn pick(format: Option<Format>, out: Option<&Path>) -> Format {
        if let Some(f) = format {
            return f;
        }
        let ext = out
            .and_then(|p| p.extension())
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("geojson") => Format::Geojson,
            Some("json") => Format::Json,
            _ => Format::Csv,
        }
    }

    /// The same format as the API names it.
    fn output(self) -> Output {
        match self {
            Format::Csv => Output::Csv,
            Format::Geojson => Output::GeoJson,
            Format::Json => Output::Json,
        }
    }
}

/// Output flags shared by the three commands.
#[derive(Args, Clone)]
pub struct OutputArgs {
    /// Output format (default: from the extension of --out, else csv).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Output file (default: standard output).
    #[arg(long, short)]
    out: Option<PathBuf>,
}

/// `maillage gaps`.
#[derive(Args, Clone)]
pub struct GapsArgs {
    #[command(flatten)]
    data: DataArgs,
    /// JSON request (the body of POST /api/gaps); the flags below override its fields.
    #[arg(long)]
    request: Option<PathBuf>,
    /// Départements to analyse (repeat or separate with commas).
    #[arg(long = "departement", value_delimiter = ',')]
    departements: Vec<String>,
    /// EPCI SIRENs to analyse.
    #[arg(long = "epci", value_delimiter = ',')]
    epcis: Vec<String>,
    /// Commune INSEE codes to analyse.
    #[arg(long = "commune", value_delimiter = ',')]
    communes: Vec<String>,
    /// Unserved beyond this many minutes (default 20).
    #[arg(long)]
    threshold: Option<f64>,
    /// Average speed, km/h (default 50).
    #[arg(long)]
    speed: Option<f64>,
    /// Road / straight-line distance (default 1.3).
    #[arg(long)]
    detour: Option<f64>,
    /// Only venues offering this service (repeatable).
    #[arg(long = "service")]
    services: Vec<String>,
    /// Only venues of this typology (repeatable).
    #[arg(long = "typologie")]
    typologies: Vec<String>,
    /// Only venues addressing this public (repeatable).
    #[arg(long = "public")]
    publics: Vec<String>,
    /// Leave out itinerant venues.
    #[arg(long)]
    fixed_only: bool,
    /// IFN model and optional axis: ifn2023, ifn2023/poverty_rate, ifn2020/acces_information.
    #[arg(long)]
    ifn: Option<String>,
    /// IFN 2020 reference scale: departement, region (default) or epci.
    #[arg(long)]
    ifn_scale: Option<String>,
    /// What-if: a permanence at this commune's town hall (repeatable).
    #[arg(long = "add-town-hall")]
    add_town_halls: Vec<String>,
    /// What-if: a venue at lon,lat (repeatable).
    #[arg(long = "add-point", allow_hyphen_values = true)]
    add_points: Vec<String>,
    /// What-if: leave out this venue (source id, repeatable).
    #[arg(long = "remove-venue")]
    removed: Vec<String>,
    #[command(flatten)]
    output: OutputArgs,
}

/// `maillage plan …`.
#[derive(Subcommand, Clone)]
pub enum PlanCommand {
    /// Choose p permanence sites (p-median or maximal coverage), as POST /api/plan/sites.
    Sites(Box<SitesArgs>),
    /// Build multi-day tours from a base, as POST /api/plan/tours.
    Tours(Box<ToursArgs>),
}

/// `maillage plan sites`.
#[derive(Args, Clone)]
pub struct SitesArgs {
    #[command(flatten)]
    data: DataArgs,
    /// JSON request (the body of POST /api/plan/sites); the flags below override it.
    #[arg(long)]
    request: Option<PathBuf>,
    /// Demand: the unserved communes of these départements (gap analysis, --threshold),
    /// weighted by their priority; candidates default to their town halls.
    #[arg(long = "departement", value_delimiter = ',')]
    departements: Vec<String>,
    /// Threshold of the gap analysis for --departement, minutes (default 20).
    #[arg(long)]
    threshold: Option<f64>,
    /// Demand points: CSV (id, lon, lat, commune, weight) or GeoJSON points.
    #[arg(long)]
    demand: Option<PathBuf>,
    /// Candidate sites: CSV or GeoJSON points (default: unserved town halls of the demand).
    #[arg(long)]
    candidates: Option<PathBuf>,
    /// Existing sites, counted as already open: CSV or GeoJSON points.
    #[arg(long)]
    existing: Option<PathBuf>,
    /// Number of sites to open.
    #[arg(long)]
    p: Option<usize>,
    /// median (minimise weighted travel) or coverage (maximise weight within --radius).
    #[arg(long)]
    objective: Option<String>,
    /// Coverage radius, in the cost unit (minutes with --speed, else km).
    #[arg(long)]
    radius: Option<f64>,
    /// Costs in minutes at this speed (km/h); without it, in km.
    #[arg(long)]
    speed: Option<f64>,
    /// Road / straight-line distance (default 1.3).
    #[arg(long)]
    detour: Option<f64>,
    /// Solve time limit, ms (at most 30000, default 2000).
    #[arg(long)]
    time_limit_ms: Option<u64>,
    /// Seed of the search.
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    output: OutputArgs,
}

/// `maillage plan tours`.
#[derive(Args, Clone)]
pub struct ToursArgs {
    #[command(flatten)]
    data: DataArgs,
    /// JSON request (the body of POST /api/plan/tours); the flags below override it.
    #[arg(long)]
    request: Option<PathBuf>,
    /// Home base: a commune code (its town hall) or lon,lat.
    #[arg(long, allow_hyphen_values = true)]
    base: Option<String>,
    /// Stops: CSV (id, lon, lat, commune, weight, service_minutes, min_days_between_visits,
    /// visits) or GeoJSON points.
    #[arg(long)]
    stops: Option<PathBuf>,
    /// Stops: the town halls of the unserved communes of these départements (gap
    /// analysis, --threshold), weighted by their priority.
    #[arg(long = "departement", value_delimiter = ',')]
    departements: Vec<String>,
    /// Threshold of the gap analysis for --departement, minutes (default 20).
    #[arg(long)]
    threshold: Option<f64>,
    /// Consecutive working days.
    #[arg(long)]
    days: Option<u32>,
    /// Weeks of working days (instead of --days).
    #[arg(long)]
    weeks: Option<u32>,
    /// Rotation: visit each chosen stop every this many weeks (with --weeks).
    #[arg(long)]
    period_weeks: Option<u32>,
    /// Budget of a day, travel included, minutes.
    #[arg(long)]
    day_minutes: Option<f64>,
    /// Minutes of a permanence, for stops that do not give one (default 120 with --departement).
    #[arg(long)]
    service_minutes: Option<f64>,
    /// Average speed, km/h (default 50).
    #[arg(long)]
    speed: Option<f64>,
    /// Road / straight-line distance (default 1.3).
    #[arg(long)]
    detour: Option<f64>,
    /// Visit every stop at least travel instead of maximising the priority served.
    #[arg(long)]
    must_visit_all: bool,
    /// Solve time limit, ms (at most 30000, default 2000).
    #[arg(long)]
    time_limit_ms: Option<u64>,
    /// Seed of the search.
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    output: OutputArgs,
}

fn load(data: &DataArgs, spinner: &Spinner) -> anyhow::Result<GapCache> {
    if let Some(dir) = &data.data_dir
        && !dir.is_dir()
    {
        bail!(
            "le dossier de données {} n'existe pas (--data-dir / MAILLAGE_DATA_DIR)",
            dir.display()
        );
    }
    let opts = LoadOptions {
        cache_dir: data.cache_dir.clone(),
        data_dir: data.data_dir.clone(),
    };
    let (catalog, _) = load_catalog(&opts, spinner).context("chargement des données")?;
    Ok(GapCache::new(
        Arc::new(catalog),
        Arc::from(default_reprojector()),
    ))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("lecture de {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} : requête JSON invalide", path.display()))
}

fn write_output(out: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match out {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("écriture de {}", p.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()?;
            Ok(())
        }
    }
}

fn destination(out: Option<&Path>) -> String {
    out.map(|p| p.display().to_string())
        .unwrap_or_else(|| "la sortie standard".into())
}

/// `maillage gaps`.
pub fn gaps(args: GapsArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut req: GapRequest = match &args.request {
        Some(p) => read_json(p)?,
        None => GapRequest::default(),
    };
    if !args.departements.is_empty() {
        req.territory.departements = args.departements.clone();
    }
    if !args.epcis.is_empty() {
        req.territory.epcis = args.epcis.clone();
    }
    if !args.communes.is_empty() {
        req.territory.communes = args.communes.clone();
    }
    if let Some(t) = args.threshold {
        req.threshold_minutes = t;
    }
    if let Some(s) = args.speed {
        req.speed_kmh = s;
    }
    if let Some(d) = args.detour {
        req.detour_factor = d;
    }
    if !args.services.is_empty() {
        req.filter.services = args.services.clone();
    }
    if !args.typologies.is_empty() {
        req.filter.typologies = args.typologies.clone();
    }
    if !args.publics.is_empty() {
        req.filter.publics = args.publics.clone();
    }
    if args.fixed_only {
        req.filter.fixed_only = true;
    }
    if args.ifn.is_some() || args.ifn_scale.is_some() {
        let (model, axis) = match args.ifn.as_deref() {
            Some(s) => match s.split_once('/') {
                Some((m, a)) => (m.parse::<IfnModel>()?, Some(a.trim().to_string())),
                None => (s.parse::<IfnModel>()?, None),
            },
            None => (IfnModel::Ifn2023, None),
        };
        let scale = args
            .ifn_scale
            .as_deref()
            .map(str::parse::<IfnScale>)
            .transpose()?;
        req.ifn = IfnChoice { model, scale, axis };
    }
    for code in &args.add_town_halls {
        req.added.push(AddedVenue::town_hall(code.trim()));
    }
    for p in &args.add_points {
        let (lon, lat) = lonlat(p).with_context(|| format!("--add-point {p}"))?;
        req.added.push(AddedVenue::at(lon, lat));
    }
    for v in &args.removed {
        req.removed.push(VenueRef::Key(v.trim().to_string()));
    }
    let format = Format::pick(args.output.format, args.output.out.as_deref());

    let spinner = Spinner::new();
    let cache = load(&args.data, &spinner)?;
    spinner.stage("Index des manques (accès, lieux les plus proches)");
    cache.index();
    spinner.stage("Analyse des manques");
    let t = Instant::now();
    let resp = cache.analyse(&req)?;
    let analysis_ms = t.elapsed().as_secs_f64() * 1000.0;
    let bytes = gap_body(&resp, format.output()).map_err(anyhow::Error::msg)?;
    write_output(args.output.out.as_deref(), &bytes)?;
    let s = &resp.indicators.selection;
    spinner.finish(String::new());
    eprintln!(
        "{} communes analysées en {analysis_ms:.0} ms (total {:.1} s) : {} desservies, {} non desservies ({} hab.), {} non localisées ; seuil {} min ; écrit dans {}",
        resp.communes.len(),
        started.elapsed().as_secs_f64(),
        s.communes_served,
        s.communes_unserved,
        s.population_unserved,
        s.communes_unlocated,
        resp.parameters.threshold_minutes,
        destination(args.output.out.as_deref()),
    );
    if !resp.changes.is_empty() {
        eprintln!(
            "Hypothèses : {} commune(s) changent de statut.",
            resp.changes.len()
        );
    }
    for w in &resp.warnings {
        eprintln!("remarque : {w}");
    }
    Ok(())
}

fn lonlat(s: &str) -> anyhow::Result<(f64, f64)> {
    let Some((a, b)) = s.split_once(',') else {
        bail!("attendu « longitude,latitude », trouvé « {s} »");
    };
    let lon: f64 = a
        .trim()
        .parse()
        .with_context(|| format!("longitude « {a} » illisible"))?;
    let lat: f64 = b
        .trim()
        .parse()
        .with_context(|| format!("latitude « {b} » illisible"))?;
    Ok((lon, lat))
}

/// One point read from a CSV or GeoJSON file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PointRecord {
    /// Identifier (empty if the file has none).
    pub id: String,
    /// Longitude.
    pub lon: Option<f64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Commune INSEE code.
    pub commune: Option<String>,
    /// Weight.
    pub weight: Option<f64>,
    /// Minutes at the stop.
    pub service_minutes: Option<f64>,
    /// Minimum days between visits.
    pub min_days_between_visits: Option<u32>,
    /// Visits wanted.
    pub visits: Option<u32>,
}

const ID_KEYS: [&str; 3] = ["id", "code", "identifiant"];
const LON_KEYS: [&str; 3] = ["lon", "longitude", "x"];
const LAT_KEYS: [&str; 3] = ["lat", "latitude", "y"];
const COMMUNE_KEYS: [&str; 3] = ["commune", "code_insee", "insee"];
const WEIGHT_KEYS: [&str; 3] = ["weight", "poids", "priority"];

/// Reads points from a CSV file (header with some of `id`, `lon`/`longitude`,
/// `lat`/`latitude`, `commune`/`code_insee`, `weight`/`poids`, `service_minutes`,
/// `min_days_between_visits`, `visits`) or a GeoJSON FeatureCollection of points
/// (the same names as properties). Errors name the file, the line or feature and the field.
pub fn read_points(path: &Path) -> anyhow::Result<Vec<PointRecord>> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "geojson" | "json" => read_geojson_points(path),
        _ => read_csv_points(path),
    }
}

fn read_csv_points(path: &Path) -> anyhow::Result<Vec<PointRecord>> {
    let name = path.display().to_string();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .with_context(|| format!("lecture de {name}"))?;
    let headers: Vec<String> = rdr
        .headers()
        .with_context(|| format!("{name} : en-tête illisible"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |keys: &[&str]| headers.iter().position(|h| keys.contains(&h.as_str()));
    let (id, lon, lat, commune, weight) = (
        col(&ID_KEYS),
        col(&LON_KEYS),
        col(&LAT_KEYS),
        col(&COMMUNE_KEYS),
        col(&WEIGHT_KEYS),
    );
    let (service, spacing, visits) = (
        col(&["service_minutes", "duree"]),
        col(&["min_days_between_visits"]),
        col(&["visits", "visites"]),
    );
    if commune.is_none() && (lon.is_none() || lat.is_none()) {
        bail!(
            "{name} : colonnes lon et lat (ou commune) attendues ; en-tête trouvé : {}",
            headers.join(", ")
        );
    }
    let mut out = Vec::new();
    for (k, rec) in rdr.records().enumerate() {
        let line = k + 2;
        let rec = rec.with_context(|| format!("{name}, ligne {line} : ligne illisible"))?;
        let text = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let num = |c: Option<usize>, field: &str| -> anyhow::Result<Option<f64>> {
            match text(c) {
                None => Ok(None),
                Some(v) => v.parse::<f64>().map(Some).map_err(|_| {
                    anyhow::anyhow!(
                        "{name}, ligne {line}, champ {field} : nombre attendu, trouvé « {v} »"
                    )
                }),
            }
        };
        let int = |c: Option<usize>, field: &str| -> anyhow::Result<Option<u32>> {
            match text(c) {
                None => Ok(None),
                Some(v) => v.parse::<u32>().map(Some).map_err(|_| {
                    anyhow::anyhow!(
                        "{name}, ligne {line}, champ {field} : entier ≥ 0 attendu, trouvé « {v} »"
                    )
                }),
            }
        };
        out.push(PointRecord {
            id: text(id).unwrap_or_default().to_string(),
            lon: num(lon, "lon")?,
            lat: num(lat, "lat")?,
            commune: text(commune).map(str::to_string),
            weight: num(weight, "weight")?,
            service_minutes: num(service, "service_minutes")?,
            min_days_between_visits: int(spacing, "min_days_between_visits")?,
            visits: int(visits, "visits")?,
        });
    }
    Ok(out)
}

fn read_geojson_points(path: &Path) -> anyhow::Result<Vec<PointRecord>> {
    let name = path.display().to_string();
    let v: Value = read_json(path)?;
    let Some(features) = v.get("features").and_then(Value::as_array) else {
        bail!("{name} : FeatureCollection GeoJSON attendue (membre « features » absent)");
    };
    let mut out = Vec::new();
    for (k, f) in features.iter().enumerate() {
        let props = f.get("properties").cloned().unwrap_or(Value::Null);
        let get = |keys: &[&str]| keys.iter().find_map(|key| props.get(*key)).cloned();
        let text = |keys: &[&str]| match get(keys) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let num = |keys: &[&str]| -> anyhow::Result<Option<f64>> {
            match get(keys) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(n.as_f64()),
                Some(other) => bail!(
                    "{name}, objet {k}, propriété {} : nombre attendu, trouvé {other}",
                    keys[0]
                ),
            }
        };
        let (lon, lat) = match f.get("geometry") {
            None | Some(Value::Null) => (None, None),
            Some(g) => {
                if g.get("type").and_then(Value::as_str) != Some("Point") {
                    bail!(
                        "{name}, objet {k} : géométrie Point attendue, trouvé {}",
                        g.get("type").unwrap_or(&Value::Null)
                    );
                }
                let c = g.get("coordinates").and_then(Value::as_array);
                match c.map(|c| {
                    (
                        c.first().and_then(Value::as_f64),
                        c.get(1).and_then(Value::as_f64),
                    )
                }) {
                    Some((Some(x), Some(y))) => (Some(x), Some(y)),
                    _ => bail!("{name}, objet {k} : coordonnées du point illisibles"),
                }
            }
        };
        let id = text(&ID_KEYS)
            .or_else(|| match f.get("id") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
            .unwrap_or_default();
        let as_u32 = |x: Option<f64>, field: &str| -> anyhow::Result<Option<u32>> {
            match x {
                None => Ok(None),
                Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => {
                    Ok(Some(v as u32))
                }
                Some(v) => {
                    bail!("{name}, objet {k}, propriété {field} : entier ≥ 0 attendu, trouvé {v}")
                }
            }
        };
        out.push(PointRecord {
            id,
            lon,
            lat,
            commune: text(&COMMUNE_KEYS),
            weight: num(&WEIGHT_KEYS)?,
            service_minutes: num(&["service_minutes", "duree"])?,
            min_days_between_visits: as_u32(
                num(&["min_days_between_visits"])?,
                "min_days_between_visits",
            )?,
            visits: as_u32(num(&["visits", "visites"])?, "visits")?,
        });
    }
    Ok(out)
}

fn site_point(p: PointRecord) -> SitePoint {
    SitePoint {
        id: p.id,
        lon: p.lon,
        lat: p.lat,
        commune: p.commune,
        weight: p.weight,
    }
}

/// The unserved communes of some départements at their access point (town hall, or a
/// point inside the commune), with their priority; an error when there is none.
fn unserved_communes(
    cache: &GapCache,
    spinner: &Spinner,
    departements: &[String],
    threshold: Option<f64>,
) -> anyhow::Result<Vec<(InseeCode, [f64; 2], f64)>> {
    spinner.stage("Analyse des manques (communes non desservies)");
    let mut req = GapRequest::for_departements(departements.iter().cloned());
    if let Some(t) = threshold {
        req.threshold_minutes = t;
    }
    let resp = cache.analyse(&req)?;
    let mut out: Vec<(InseeCode, [f64; 2], f64)> = resp
        .communes
        .iter()
        .filter(|c| c.status == Status::Unserved)
        .filter_map(|c| Some((c.code, c.access_lonlat?, c.priority)))
        .collect();
    out.sort_by_key(|a| a.0);
    if out.is_empty() {
        bail!(
            "aucune commune non desservie dans {} : rien à planifier",
            departements.join(", ")
        );
    }
    Ok(out)
}

/// `maillage plan …`.
pub fn plan(command: PlanCommand) -> anyhow::Result<()> {
    match command {
        PlanCommand::Sites(a) => sites(*a),
        PlanCommand::Tours(a) => tours(*a),
    }
}

fn sites(args: SitesArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut req: SiteRequest = match &args.request {
        Some(p) => read_json(p)?,
        None => {
            let Some(p) = args.p else {
                bail!("indiquez --p (nombre de sites à ouvrir) ou une requête JSON (--request)");
            };
            SiteRequest {
                demand: Vec::new(),
                candidates: Vec::new(),
                existing: Vec::new(),
                p,
                objective: SiteObjectiveName::Median,
                radius: None,
                matrix: None,
                detour_factor: maillage_plan::gaps::DEFAULT_DETOUR_FACTOR,
                speed_kmh: None,
                time_limit_ms: None,
                seed: 1,
            }
        }
    };
    if let Some(p) = args.p {
        req.p = p;
    }
    if let Some(o) = &args.objective {
        req.objective = match o.trim() {
            "median" => SiteObjectiveName::Median,
            "coverage" => SiteObjectiveName::Coverage,
            _ => bail!("--objective {o} : attendu median ou coverage"),
        };
    }
    if let Some(r) = args.radius {
        req.radius = Some(r);
    }
    if let Some(s) = args.speed {
        req.speed_kmh = Some(s);
    }
    if let Some(d) = args.detour {
        req.detour_factor = d;
    }
    if let Some(t) = args.time_limit_ms {
        req.time_limit_ms = Some(t);
    }
    if let Some(s) = args.seed {
        req.seed = s;
    }
    for (file, list) in [
        (&args.demand, &mut req.demand),
        (&args.candidates, &mut req.candidates),
        (&args.existing, &mut req.existing),
    ] {
        if let Some(path) = file {
            *list = read_points(path)?.into_iter().map(site_point).collect();
        }
    }
    let format = Format::pick(args.output.format, args.output.out.as_deref());

    let spinner = Spinner::new();
    let cache = load(&args.data, &spinner)?;
    if !args.departements.is_empty() && args.demand.is_none() {
        let unserved = unserved_communes(&cache, &spinner, &args.departements, args.threshold)?;
        req.demand = unserved
            .iter()
            .map(|(code, [lon, lat], priority)| SitePoint {
                id: code.to_string(),
                lon: Some(*lon),
                lat: Some(*lat),
                commune: Some(code.to_string()),
                weight: Some(*priority),
            })
            .collect();
    }
    if req.demand.is_empty() {
        bail!("aucun point de demande : indiquez --departement, --demand ou une requête JSON");
    }
    spinner.stage(&format!(
        "Choix de {} site(s) pour {} points de demande",
        req.p,
        req.demand.len()
    ));
    let (resolved, resp) = run_sites(&cache, &req)?;
    let bytes = plan_body(format.output(), &resolved, &resp, sites_geojson, sites_csv)
        .map_err(anyhow::Error::msg)?;
    write_output(args.output.out.as_deref(), &bytes)?;
    spinner.finish(String::new());
    eprintln!(
        "{} site(s) choisis parmi {} candidats ({}), {}, résolu en {} ms (total {:.1} s) ; écrit dans {}",
        resp.sites.len(),
        resolved.candidates.len(),
        resp.sites.join(", "),
        match resolved.objective {
            SiteObjectiveName::Median => format!(
                "somme des poids × coûts {:.1} (unité {})",
                resp.objective_value, resp.unit
            ),
            SiteObjectiveName::Coverage => format!("poids couvert {:.1}", resp.objective_value),
        },
        resp.solver.elapsed_ms,
        started.elapsed().as_secs_f64(),
        destination(args.output.out.as_deref()),
    );
    if let Some(c) = &resp.covered_weight {
        eprintln!(
            "Poids couvert par les sites : {:.1} ; par l'existant : {:.1} ; non couvert : {:.1}",
            c.per_site.iter().sum::<f64>(),
            c.existing,
            c.uncovered
        );
    }
    Ok(())
}

fn tours(args: ToursArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut req: TourRequest = match &args.request {
        Some(p) => read_json(p)?,
        None => TourRequest {
            base: TourPlace::default(),
            stops: Vec::new(),
            days: None,
            weeks: None,
            working_days: vec![0, 1, 2, 3, 4],
            period_weeks: None,
            day_minutes: None,
            day_start_minutes: 480.0,
            speed_kmh: maillage_plan::gaps::DEFAULT_SPEED_KMH,
            detour_factor: maillage_plan::gaps::DEFAULT_DETOUR_FACTOR,
            matrix: None,
            must_visit_all: false,
            seed: 1,
            time_limit_ms: None,
        },
    };
    if let Some(b) = &args.base {
        req.base = if b.contains(',') {
            let (lon, lat) = lonlat(b).with_context(|| format!("--base {b}"))?;
            TourPlace {
                id: Some("base".into()),
                lon: Some(lon),
                lat: Some(lat),
                ..TourPlace::default()
            }
        } else {
            TourPlace {
                id: Some(b.trim().to_string()),
                commune: Some(b.trim().to_string()),
                ..TourPlace::default()
            }
        };
    }
    if args.days.is_some() || args.weeks.is_some() {
        req.days = args.days;
        req.weeks = args.weeks;
    }
    if args.period_weeks.is_some() {
        req.period_weeks = args.period_weeks;
    }
    if let Some(m) = args.day_minutes {
        req.day_minutes = Some(m);
    }
    if let Some(s) = args.speed {
        req.speed_kmh = s;
    }
    if let Some(d) = args.detour {
        req.detour_factor = d;
    }
    if args.must_visit_all {
        req.must_visit_all = true;
    }
    if let Some(t) = args.time_limit_ms {
        req.time_limit_ms = Some(t);
    }
    if let Some(s) = args.seed {
        req.seed = s;
    }
    if let Some(path) = &args.stops {
        req.stops = read_points(path)?
            .into_iter()
            .enumerate()
            .map(|(k, p)| TourStopInput {
                id: if p.id.is_empty() {
                    p.commune.clone().unwrap_or_else(|| (k + 1).to_string())
                } else {
                    p.id
                },
                lon: p.lon,
                lat: p.lat,
                commune: p.commune,
                weight: p.weight,
                service_minutes: p.service_minutes.or(args.service_minutes).unwrap_or(0.0),
                min_days_between_visits: p.min_days_between_visits,
                visits: p.visits,
                ..TourStopInput::default()
            })
            .collect();
    }
    let format = Format::pick(args.output.format, args.output.out.as_deref());

    let spinner = Spinner::new();
    let cache = load(&args.data, &spinner)?;
    if !args.departements.is_empty() && args.stops.is_none() {
        let unserved = unserved_communes(&cache, &spinner, &args.departements, args.threshold)?;
        let service = args.service_minutes.unwrap_or(120.0);
        req.stops = unserved
            .iter()
            .map(|(code, _, priority)| TourStopInput {
                id: code.to_string(),
                commune: Some(code.to_string()),
                weight: Some(*priority),
                service_minutes: service,
                ..TourStopInput::default()
            })
            .collect();
    }
    if req.stops.is_empty() {
        bail!("aucun arrêt : indiquez --departement, --stops ou une requête JSON");
    }
    spinner.stage(&format!(
        "Construction des tournées : {} arrêts",
        req.stops.len()
    ));
    let (resolved, resp) = run_tours(cache.catalog(), &req)?;
    let bytes = plan_body(format.output(), &resolved, &resp, tours_geojson, tours_csv)
        .map_err(anyhow::Error::msg)?;
    write_output(args.output.out.as_deref(), &bytes)?;
    let visits = tour_rows(&resolved, &resp)
        .iter()
        .filter(|r| r.role == "visit")
        .count();
    spinner.finish(String::new());
    eprintln!(
        "{visits} permanence(s) sur {} jour(s), {} arrêt(s) non visité(s), {:.0} min de trajet, priorité servie {:.1} ; résolu en {} ms (total {:.1} s) ; écrit dans {}",
        resp.days.len(),
        resp.unvisited.len(),
        resp.total_travel,
        resp.total_weight,
        resp.solver.elapsed_ms,
        started.elapsed().as_secs_f64(),
        destination(args.output.out.as_deref()),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_read_from_csv_with_french_errors() {
        let dir = tempfile::tempdir().unwrap();
        // Hand-made fixture.
        let ok = dir.path().join("stops.csv");
        std::fs::write(
            &ok,
            "id,longitude,latitude,poids,service_minutes\na,2.1,43.9,3,60\nb,2.2,44.0,,\n",
        )
        .unwrap();
        let pts = read_points(&ok).unwrap();
        assert_eq!(pts.len(), 2);
        assert_eq!(pts[0].lon, Some(2.1));
        assert_eq!(pts[0].weight, Some(3.0));
        assert_eq!(pts[0].service_minutes, Some(60.0));
        assert_eq!(pts[1].weight, None);
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, "id,lon,lat\na,deux,43.9\n").unwrap();
        let e = read_points(&bad).unwrap_err().to_string();
        assert!(e.contains("ligne 2, champ lon"), "{e}");
        let none = dir.path().join("none.csv");
        std::fs::write(&none, "id,nom\na,b\n").unwrap();
        let e = read_points(&none).unwrap_err().to_string();
        assert!(e.contains("colonnes lon et lat"), "{e}");
    }

    #[test]
    fn points_are_read_from_geojson_and_non_points_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        // Hand-made fixture.
        let ok = dir.path().join("pts.geojson");
        std::fs::write(
            &ok,
            r#"{"type":"FeatureCollection","features":[
                {"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[2.1,43.9]},"properties":{"weight":2}},
                {"type":"Feature","geometry":null,"properties":{"id":"y","commune":"81004"}}]}"#,
        )
        .unwrap();
        let pts = read_points(&ok).unwrap();
        assert_eq!(pts[0].id, "x");
        assert_eq!(pts[0].lat, Some(43.9));
        assert_eq!(pts[1].commune.as_deref(), Some("81004"));
        let bad = dir.path().join("line.geojson");
        std::fs::write(
            &bad,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{}}]}"#,
        )
        .unwrap();
        let e = read_points(&bad).unwrap_err().to_string();
        assert!(e.contains("géométrie Point attendue"), "{e}");
    }

    #[test]
    fn the_format_follows_the_flag_then_the_extension() {
        assert_eq!(
            Format::pick(None, Some(Path::new("a.geojson"))),
            Format::Geojson
        );
        assert_eq!(Format::pick(None, Some(Path::new("a.csv"))), Format::Csv);
        assert_eq!(Format::pick(None, None), Format::Csv);
        assert_eq!(
            Format::pick(Some(Format::Json), Some(Path::new("a.csv"))),
            Format::Json
        );
    }
}
