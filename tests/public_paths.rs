//! No answer shows a path of the server (issue 9 §4, issue 15): the importer's notes and
//! layer sources name files of the data directory and the cache; users see them relative.

use maillage_e2e::{Server, cache_dir, shared_data};

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn layers_import_report_and_commune_sheet_show_no_server_path() {
    let data = shared_data();
    let s = Server::start();
    let hidden = [
        data.canonicalize().expect("data dir"),
        cache_dir().canonicalize().expect("cache dir"),
    ];
    for path in ["/api/layers", "/api/import-report", "/api/communes/81004"] {
        let (status, body) = s.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        for dir in &hidden {
            let dir = dir.to_string_lossy();
            assert!(!body.contains(dir.as_ref()), "{path} shows {dir}");
        }
    }
    // Still named, relative to the data directory.
    let (_, layers) = s.get("/api/layers");
    assert!(layers.contains("communes/complete-cog2026/"), "{layers}");
}
