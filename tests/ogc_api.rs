//! The OGC API over HTTP on the real data: landing page negotiation, Tarn queries,
//! stable paging, CRS axis order, errors, and schemathesis against `/api`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use maillage_e2e::{Server, root, shared_data};

fn get_with_accept(server: &Server, path: &str, accept: &str) -> (u16, String, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .get(format!("{}{path}", server.base))
        .header("Accept", accept)
        .call()
        .expect("HTTP request");
    let media = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let status = resp.status().as_u16();
    (
        status,
        media,
        resp.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// The Tarn's bounding box, from the département collection.
fn tarn_bbox(server: &Server) -> [f64; 4] {
    let d = server.get_json("/collections/departements/items/81?zoom=8");
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let array = |v: &serde_json::Value| v.as_array().cloned().expect("a GeoJSON array");
    for poly in array(&d["geometry"]["coordinates"]) {
        for ring in array(&poly) {
            for p in array(&ring) {
                let (x, y) = (p[0].as_f64().expect("x"), p[1].as_f64().expect("y"));
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
        }
    }
    b
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_root_is_the_landing_page_for_api_clients_and_the_map_for_browsers() {
    shared_data();
    let server = Server::start();
    let (status, media, body) = get_with_accept(&server, "/", "application/json");
    assert_eq!(status, 200);
    assert!(media.starts_with("application/json"), "{media}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let hrefs: Vec<&str> = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert!(
        hrefs.iter().all(|h| h.starts_with(&server.base)),
        "{hrefs:?}"
    );
    let (status, media, _) = get_with_accept(&server, "/", "text/html,*/*;q=0.8");
    assert_eq!(status, 200);
    assert!(media.starts_with("text/html"), "{media}");
    let (_, media, body) = get_with_accept(&server, "/ogc?f=html", "*/*");
    assert!(media.starts_with("text/html"), "{media}");
    assert!(body.contains("OAPIF:"), "{body}");
    let conf = server.get_json("/conformance");
    assert!(
        conf["conformsTo"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs")
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn tarn_venues_page_through_the_bbox_without_loss_or_repetition() {
    shared_data();
    let server = Server::start();
    let b = tarn_bbox(&server);
    let bbox = format!("{},{},{},{}", b[0], b[1], b[2], b[3]);
    let mut next = Some(format!(
        "{}/collections/venues/items?bbox={bbox}&limit=40",
        server.base
    ));
    let mut seen = BTreeSet::new();
    let mut matched = None;
    while let Some(url) = next.take() {
        let path = url.strip_prefix(&server.base).unwrap().to_string();
        let page = server.get_json(&path);
        matched = Some(page["numberMatched"].as_u64().unwrap());
        for f in page["features"].as_array().unwrap() {
            let c = &f["geometry"]["coordinates"];
            let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!(x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3], "{f}");
            assert!(
                seen.insert(f["id"].as_str().unwrap().to_string()),
                "repeated {f}"
            );
        }
        next = page["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_string());
    }
    let matched = matched.unwrap();
    assert!(matched > 100, "{matched} venues in the Tarn's bbox");
    assert_eq!(seen.len() as u64, matched);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn crs_changes_coordinates_and_axis_order_and_is_announced() {
    shared_data();
    let server = Server::start();
    let albi = server.get_json("/collections/town-halls/items/81004");
    let lonlat = albi["geometry"]["coordinates"].clone();
    let lat_first = server.get_json(
        "/collections/town-halls/items/81004?crs=http://www.opengis.net/def/crs/EPSG/0/4326",
    );
    assert_eq!(lat_first["geometry"]["coordinates"][0], lonlat[1]);
    assert_eq!(lat_first["geometry"]["coordinates"][1], lonlat[0]);
    let l93 = server.get_json(
        "/collections/town-halls/items/81004?crs=http://www.opengis.net/def/crs/EPSG/0/2154",
    );
    let x = l93["geometry"]["coordinates"][0].as_f64().unwrap();
    let y = l93["geometry"]["coordinates"][1].as_f64().unwrap();
    // Albi's town hall in Lambert-93, about (632 km, 6 311 km).
    assert!(
        (620_000.0..645_000.0).contains(&x) && (6_300_000.0..6_320_000.0).contains(&y),
        "{x} {y}"
    );
    // A bbox given in Lambert-93 finds it too.
    let around = format!(
        "/collections/town-halls/items?bbox={},{},{},{}&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2154",
        x - 500.0,
        y - 500.0,
        x + 500.0,
        y + 500.0
    );
    let found = server.get_json(&around);
    assert!(
        found["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "81004")
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn malformed_requests_get_ogc_json_errors_never_text() {
    shared_data();
    let server = Server::start();
    for (path, status) in [
        ("/collections/venues/items?bbox=1,2,x,4", 400),
        (
            "/collections/venues/items?bbox-crs=EPSG:9999&bbox=1,2,3,4",
            400,
        ),
        ("/collections/venues/items?limit=999999", 400),
        ("/collections/venues/items?limit=-5", 400),
        ("/collections/venues/items?inconnu=1", 400),
        ("/collections/venues/items?properties=inconnue", 400),
        ("/collections/venues/items?f=kml", 400),
        ("/collections/nulle-part/items", 404),
        ("/collections/venues/items/pas-un-lieu", 404),
        ("/collections/communes/items/../../etc/passwd", 404),
    ] {
        let (got, body) = server.get(path);
        assert_eq!(got, status, "{path}: {body}");
        let v: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: not JSON: {body}"));
        assert_eq!(v["status"], status, "{path}");
        assert!(
            v["code"].is_string() && v["description"].is_string(),
            "{path}: {v}"
        );
    }
}

/// The schemathesis command: `MAILLAGE_SCHEMATHESIS`, else a virtualenv under the
/// target dir, created with pip from PyPI on first use (pinned version).
fn schemathesis() -> PathBuf {
    if let Some(p) = std::env::var_os("MAILLAGE_SCHEMATHESIS") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let venv = target.join("schemathesis-venv");
    let st = venv.join("bin/st");
    if !st.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success())
            && Command::new(venv.join("bin/pip"))
                .args([
                    "install",
                    "-q",
                    "--disable-pip-version-check",
                    "schemathesis==4.32.5",
                ])
                .status()
                .is_ok_and(|s| s.success());
        assert!(
            ok,
            "installation de schemathesis impossible (python3-venv, pip, PyPI)"
        );
    }
    st
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn schemathesis_finds_no_failure_against_the_openapi_document() {
    shared_data();
    let server = Server::start();
    let st = schemathesis();
    let out = Command::new(&st)
        .args(["run", &format!("{}/api", server.base)])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection",
            "--max-examples",
            "15",
            // One worker: with two, Python 3.11.7 crashes parsing code concurrently
            // ("AST constructor recursion depth mismatch"), which is not a server defect.
            "--workers",
            "1",
            "--seed",
            "1",
            "--max-response-time",
            "20",
            "--no-color",
        ])
        .env("SCHEMATHESIS_HOOKS", "")
        // schemathesis keeps a cache folder in its working directory: not in the repo.
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| panic!("{} : {e}", st.display()));
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "schemathesis a trouvé des défauts :\n{text}"
    );
}
