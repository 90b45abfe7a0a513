//! Helpers for end-to-end tests: start the real `maillage` binary on a free
//! loopback port with the real data, and talk to it over HTTP.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The workspace root. Read at run time (cargo sets it): the build cache is shared by
/// every clone on the machine, so a path baked in at compile time may be another clone's.
pub fn root() -> PathBuf {
    Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("..")
}

/// The `maillage` binary: `MAILLAGE_BIN`, else the release build of the target dir.
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("MAILLAGE_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("release/maillage")
}

/// The real data directory (`MAILLAGE_DATA_DIR`, else `../shared/data`), if present.
pub fn data_dir() -> Option<PathBuf> {
    std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
        .or_else(|| Some(root().join("../shared/data")))
        .filter(|p| p.join("venues").is_dir())
}

/// The real data directory for the tests that need it: they are
/// `#[ignore = "needs the shared data (../shared/data)"]`, run with `--include-ignored`,
/// and panic here when it is absent, never pass without it.
pub fn shared_data() -> PathBuf {
    data_dir().unwrap_or_else(|| {
        panic!("needs the shared data: set MAILLAGE_DATA_DIR or put it in ../shared/data")
    })
}

/// The registry cache (`MAILLAGE_CACHE_DIR`, else `data/cache`).
pub fn cache_dir() -> PathBuf {
    std::env::var_os("MAILLAGE_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("data/cache"))
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A running `maillage serve`, killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Everything the server printed on stderr so far is in this file.
    pub log: PathBuf,
}

impl Server {
    /// Starts the server with the real data and waits until `/health` answers.
    pub fn start() -> Server {
        Server::start_with(data_dir().as_deref(), &cache_dir())
    }

    /// Starts the server with a given data directory (or none) and cache.
    pub fn start_with(data_dir: Option<&Path>, cache: &Path) -> Server {
        let port = free_port();
        let log = std::env::temp_dir().join(format!("maillage-e2e-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut cmd = Command::new(binary());
        cmd.arg("serve")
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--cache-dir")
            .arg(cache)
            .env_remove("MAILLAGE_DATA_DIR")
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(log_file);
        if let Some(d) = data_dir {
            cmd.arg("--data-dir").arg(d);
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary().display()));
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_ready(Duration::from_secs(60));
        server
    }

    fn wait_ready(&mut self, timeout: Duration) {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("maillage exited early ({status}): {}", self.log_text());
            }
            if ureq::get(format!("{}/health", self.base)).call().is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("maillage not ready after {timeout:?}: {}", self.log_text());
    }

    /// The server's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// GET a path, returning status and body text (errors included).
    pub fn get(&self, path: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut resp = agent
            .get(format!("{}{path}", self.base))
            .call()
            .expect("HTTP request");
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_to_string().unwrap_or_default())
    }

    /// GET a path and parse JSON, asserting a 200.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
