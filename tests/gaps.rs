//! Coverage gaps (issue 4) on the real binary and the real data: `POST`/`GET /api/gaps`,
//! the what-if, bad requests, the `gaps` collection read by GDAL, and `maillage gaps`.

use std::collections::HashMap;
use std::process::Command;
use std::time::Instant;

use maillage_e2e::{Server, binary, cache_dir, shared_data};
use serde_json::{Value, json};

/// POSTs a body with a content type; returns status, headers of interest and body.
pub fn post(s: &Server, path: &str, content_type: &str, body: &str) -> (u16, String, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .post(format!("{}{path}", s.base))
        .header("content-type", content_type)
        .send(body)
        .expect("HTTP request");
    let status = resp.status().as_u16();
    let timing = resp
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = resp
        .body_mut()
        .with_config()
        .limit(200_000_000)
        .read_to_string()
        .unwrap_or_default();
    (status, timing, text)
}

/// POSTs JSON and parses the answer, asserting a 200.
pub fn post_json(s: &Server, path: &str, body: &Value) -> Value {
    let (status, _, text) = post(s, path, "application/json", &body.to_string());
    assert_eq!(status, 200, "POST {path}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {path}: not JSON ({e}): {text}"))
}

/// Milliseconds of `compute;dur=…` in a Server-Timing header.
pub fn compute_ms(timing: &str) -> f64 {
    timing
        .split("dur=")
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// True (with a message) when the shared data is absent.
fn by_code(resp: &Value) -> HashMap<String, Value> {
    resp["communes"]
        .as_array()
        .expect("communes")
        .iter()
        .map(|c| (c["code"].as_str().expect("code").to_string(), c.clone()))
        .collect()
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_tarn_has_its_314_communes_and_served_plus_unserved_population_is_the_total() {
    shared_data();
    let s = Server::start();
    let r = post_json(
        &s,
        "/api/gaps",
        &json!({"territory": {"departements": ["81"]}}),
    );
    let communes = r["communes"].as_array().unwrap();
    assert_eq!(communes.len(), 314, "the Tarn has 314 communes (COG)");
    assert!(communes.iter().all(|c| c["departement"] == "81"));
    let total: u64 = communes
        .iter()
        .map(|c| c["population"].as_u64().unwrap())
        .sum();
    let sel = &r["indicators"]["selection"];
    assert_eq!(sel["communes"], 314);
    assert_eq!(sel["population"].as_u64().unwrap(), total);
    let part = |k: &str| sel[k].as_u64().unwrap();
    assert_eq!(
        part("population_served") + part("population_unserved") + part("population_unlocated"),
        total
    );
    assert_eq!(
        part("communes_served") + part("communes_unserved") + part("communes_unlocated"),
        314
    );
    // Every commune's status follows its minutes and the threshold.
    for c in communes {
        let served = c["minutes"].as_f64().is_some_and(|m| m <= 20.0);
        assert_eq!(c["served"].as_bool().unwrap(), served, "{c}");
    }
    // Priority order, highest first.
    let prio: Vec<f64> = communes
        .iter()
        .map(|c| c["priority"].as_f64().unwrap())
        .collect();
    assert!(prio.windows(2).all(|w| w[0] >= w[1]));
    let deps = r["indicators"]["departements"].as_array().unwrap();
    assert_eq!(deps.len(), 1);
    assert_eq!(deps[0]["code"], "81");
    let epci_pop: u64 = r["indicators"]["epcis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["population"].as_u64().unwrap())
        .sum();
    assert!(epci_pop <= total && epci_pop > total * 9 / 10, "{epci_pop}");
    assert_eq!(r["parameters"]["threshold_minutes"], 20.0);
    assert_eq!(r["parameters"]["speed_kmh"], 50.0);
    assert_eq!(r["parameters"]["detour_factor"], 1.3);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_permanence_at_an_unserved_town_hall_serves_it_and_makes_no_commune_worse() {
    shared_data();
    let s = Server::start();
    let base = json!({"territory": {"departements": ["81"]}, "threshold_minutes": 12});
    let before = post_json(&s, "/api/gaps", &base);
    let target = before["communes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "unserved" && c["access_source"] == "town_hall")
        .expect("an unserved Tarn commune at 12 minutes")
        .clone();
    let code = target["code"].as_str().unwrap();
    let mut what_if = base.clone();
    what_if["added"] = json!([{"town_hall": code}]);
    let (status, timing, text) = post(&s, "/api/gaps", "application/json", &what_if.to_string());
    assert_eq!(status, 200, "{text}");
    eprintln!(
        "what-if, 1 venue, Tarn: {:.1} ms of analysis",
        compute_ms(&timing)
    );
    let after: Value = serde_json::from_str(&text).unwrap();
    let (b, a) = (by_code(&before), by_code(&after));
    assert_eq!(a[code]["status"], "served", "{}", a[code]);
    assert_eq!(a[code]["nearest"]["hypothetical"], true);
    for (k, cb) in &b {
        let ca = &a[k];
        let (mb, ma) = (cb["minutes"].as_f64(), ca["minutes"].as_f64());
        if let (Some(mb), Some(ma)) = (mb, ma) {
            assert!(ma <= mb + 1e-9, "{k} got worse: {mb} → {ma}");
        }
        if cb["served"] == true {
            assert_eq!(ca["served"], true, "{k} lost its service");
        }
    }
    let changes = after["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["code"] == code), "{changes:?}");
    assert!(changes.iter().all(|c| c["after"] == "served"));
    let served = |r: &Value| {
        r["indicators"]["selection"]["population_served"]
            .as_u64()
            .unwrap()
    };
    assert!(served(&after) > served(&before));
    assert!(after["baseline"].is_object());
    // The what-if does not touch the stored data.
    let again = post_json(&s, "/api/gaps", &base);
    assert_eq!(again["indicators"], before["indicators"]);
    // Five hypothetical venues on the Tarn: the speed a map needs.
    let five: Vec<Value> = before["communes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "unserved")
        .take(5)
        .map(|c| json!({"town_hall": c["code"]}))
        .collect();
    let mut what_if = base;
    what_if["added"] = Value::Array(five);
    let (status, timing, _) = post(&s, "/api/gaps", "application/json", &what_if.to_string());
    assert_eq!(status, 200);
    eprintln!(
        "what-if, 5 venues, Tarn: {:.1} ms of analysis",
        compute_ms(&timing)
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn bad_gap_requests_get_a_json_400_in_french() {
    shared_data();
    let s = Server::start();
    let cases: [(&str, &str, &str); 9] = [
        (
            "application/json",
            r#"{"territory": {"communes": ["81999"]}}"#,
            "81999",
        ),
        (
            "application/json",
            r#"{"territory": {"departements": ["81"]}, "threshold_minutes": -5}"#,
            "seuil",
        ),
        (
            "application/json",
            r#"{"territory": {"departements": ["81"]"#,
            "JSON",
        ),
        (
            "text/plain",
            r#"{"territory": {"departements": ["81"]}}"#,
            "Content-Type",
        ),
        ("application/json", r#"{"seuil": 20}"#, "seuil"),
        (
            "application/json",
            r#"{"ifn": {"model": "ifn2020", "axis": "acces_interfaces_numeriques"}}"#,
            "acces_interfaces_numeriques",
        ),
        (
            "application/json",
            r#"{"removed": ["pas-un-lieu"]}"#,
            "lieu inconnu",
        ),
        (
            "application/json",
            r#"{"filter": {"services": ["Pas un service"]}}"#,
            "aucun des",
        ),
        ("application/json", "[]", "objet JSON"),
    ];
    for (ct, body, needle) in cases {
        let (status, _, text) = post(&s, "/api/gaps", ct, body);
        assert_eq!(status, 400, "{body}: {text}");
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{body}: not JSON ({e}) {text}"));
        assert_eq!(v["status"], 400);
        let d = v["description"].as_str().unwrap();
        assert!(d.contains(needle), "{body}: {d}");
    }
    for path in [
        "/api/gaps?departement=81&seuil=20",
        "/api/gaps?departement=81&threshold=-1",
        "/api/gaps?departement=99",
        "/api/gaps?departement=81&f=xml",
        "/api/gaps?publics=pas-un-public",
    ] {
        let (status, text) = s.get(path);
        assert_eq!(status, 400, "{path}: {text}");
        assert!(serde_json::from_str::<Value>(&text).is_ok(), "{text}");
    }
    let (status, _, _) = post(&s, "/api/gaps?threshold=20", "application/json", "{}");
    assert_eq!(status, 400, "parameters go in the body");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn gaps_come_as_geojson_csv_and_from_a_get_with_the_same_results() {
    shared_data();
    let s = Server::start();
    let body = json!({"territory": {"departements": ["81"]}, "threshold_minutes": 12}).to_string();
    let (status, _, text) = post(&s, "/api/gaps?f=geojson", "application/json", &body);
    assert_eq!(status, 200);
    let fc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 314);
    assert!(
        features
            .iter()
            .all(|f| f["geometry"]["type"] == "Point" && f["properties"]["code"].is_string())
    );
    let unserved_geojson = features
        .iter()
        .filter(|f| f["properties"]["status"] == "unserved")
        .count();
    let (status, csv) = s.get("/api/gaps?departement=81&threshold=12&f=csv");
    assert_eq!(status, 200);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("code,name,population,population_year,departement,")
    );
    assert_eq!(lines.count(), 314);
    let get = s.get_json("/api/gaps?departement=81&threshold=12");
    assert_eq!(
        get["indicators"]["selection"]["communes_unserved"]
            .as_u64()
            .unwrap() as usize,
        unserved_geojson
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_gaps_collection_matches_the_api_and_gdal_reads_it() {
    shared_data();
    let s = Server::start();
    let page = s.get_json("/collections/gaps/items?departement=81&limit=1000");
    let features = page["features"].as_array().unwrap();
    assert_eq!(features.len(), 314);
    let api = post_json(
        &s,
        "/api/gaps",
        &json!({"territory": {"departements": ["81"]}}),
    );
    let api = by_code(&api);
    for f in features {
        let p = &f["properties"];
        let code = p["code"].as_str().unwrap();
        assert_eq!(p["served"], api[code]["served"], "{code}");
        assert_eq!(
            p["minutes"].as_f64(),
            api[code]["minutes"].as_f64(),
            "{code}"
        );
        assert_eq!(p["nom"], api[code]["name"], "{code}");
        assert_eq!(p["threshold_minutes"], 20.0);
    }
    let unserved = s.get_json("/collections/gaps/items?departement=81&status=unserved");
    assert_eq!(
        unserved["numberMatched"].as_u64().unwrap() as usize,
        api.values().filter(|c| c["status"] == "unserved").count()
    );
    let gdal = |args: &[&str]| {
        let out = Command::new("ogrinfo")
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("ogrinfo introuvable ({e}) : apt-get install gdal-bin"));
        assert!(
            out.status.success(),
            "ogrinfo {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = gdal(&["-ro", "-so", &format!("OAPIF:{}", s.base), "gaps"]);
    assert!(out.contains("Geometry: Point"), "{out}");
    assert!(out.contains("Feature Count: 34875"), "{out}");
    assert!(out.contains("priority: Real"), "{out}");
    let url = format!("{}/collections/gaps/items?departement=81&f=geojson", s.base);
    let out = gdal(&["-ro", "-so", "-al", &url]);
    assert!(out.contains("Feature Count: 314"), "{out}");
    let url = format!("{}/api/gaps?departement=81&threshold=12&f=geojson", s.base);
    let out = gdal(&["-ro", "-so", "-al", &url]);
    assert!(out.contains("Feature Count: 314"), "{out}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_gaps_collection_takes_threshold_filter_and_ifn_parameters_in_every_format() {
    shared_data();
    let s = Server::start();
    let query =
        "threshold=10&services=Aide%20aux%20d%C3%A9marches%20administratives&ifn_model=ifn2020";
    let api = post_json(
        &s,
        "/api/gaps",
        &json!({"territory": {"departements": ["81"]}, "threshold_minutes": 10,
                "filter": {"services": ["Aide aux démarches administratives"]},
                "ifn": {"model": "ifn2020"}}),
    );
    let api = by_code(&api);
    let unserved = api.values().filter(|c| c["status"] == "unserved").count();
    assert!(unserved > 0 && unserved < 314, "{unserved}");
    let page = s.get_json(&format!(
        "/collections/gaps/items?departement=81&limit=1000&{query}"
    ));
    let features = page["features"].as_array().unwrap();
    assert_eq!(features.len(), 314);
    for f in features {
        let p = &f["properties"];
        let code = p["code"].as_str().unwrap();
        assert_eq!(p["threshold_minutes"], 10.0, "{code}");
        assert_eq!(p["status"], api[code]["status"], "{code}");
        assert_eq!(
            p["priority"].as_f64(),
            api[code]["priority"].as_f64(),
            "{code}"
        );
    }
    // The next link keeps the parameters.
    let first = s.get_json(&format!(
        "/collections/gaps/items?departement=81&limit=10&{query}"
    ));
    let next = first["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .unwrap();
    assert!(
        next["href"].as_str().unwrap().contains("threshold=10"),
        "{next}"
    );
    // A GeoPackage export with the same parameters, opened by GDAL.
    let url = format!(
        "{}/collections/gaps/items?departement=81&status=unserved&f=gpkg&{query}",
        s.base
    );
    let bytes = ureq::get(&url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_vec()
        .unwrap();
    let path = std::env::temp_dir().join(format!("maillage-gaps-{}.gpkg", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Feature Count: {unserved}")),
        "{text}"
    );
    assert!(text.contains("threshold_minutes"), "{text}");
    // Bad values are 400s; computation parameters belong to gaps only.
    for bad in ["threshold=-3", "threshold=abc", "ifn_model=ifn1999"] {
        let (status, body) = s.get(&format!("/collections/gaps/items?{bad}"));
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let (status, body) = s.get("/collections/venues/items?threshold=10");
    assert_eq!(status, 400, "{body}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_cli_writes_314_tarn_rows_with_a_header() {
    let data = shared_data();
    let dir = std::env::temp_dir().join(format!("maillage-e2e-gaps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("gaps.csv");
    let started = Instant::now();
    let run = Command::new(binary())
        .args(["gaps", "--departement", "81", "--threshold", "20", "--out"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&data)
        .arg("--cache-dir")
        .arg(cache_dir())
        .env_remove("MAILLAGE_DATA_DIR")
        .output()
        .expect("maillage gaps");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("314 communes analysées"), "{stderr}");
    eprintln!(
        "maillage gaps --departement 81: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("code,name,population,population_year,departement,epci,lon,lat,"));
    assert!(header.contains(",served,status,priority,"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 314);
    assert!(rows.iter().all(|r| r.starts_with("81")));
    // The same file as GeoJSON through --format.
    let run = Command::new(binary())
        .args(["gaps", "--commune", "81004,81065", "--format", "geojson"])
        .arg("--data-dir")
        .arg(&data)
        .arg("--cache-dir")
        .arg(cache_dir())
        .env_remove("MAILLAGE_DATA_DIR")
        .output()
        .expect("maillage gaps");
    assert!(run.status.success());
    let fc: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(fc["features"].as_array().unwrap().len(), 2);
    // A bad code: a French error and a failure status.
    let run = Command::new(binary())
        .args(["gaps", "--commune", "81999"])
        .arg("--data-dir")
        .arg(&data)
        .arg("--cache-dir")
        .arg(cache_dir())
        .env_remove("MAILLAGE_DATA_DIR")
        .output()
        .expect("maillage gaps");
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("code de commune inconnu"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 9: Dinéault's registry town hall sits in the Aube (longitude sign flipped); its
/// access point is now a point inside the commune, in the Finistère, and it is not
/// "served" by a venue of the Aube.
#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn issue_9_dineault_is_measured_from_the_finistere_not_from_the_aube() {
    let s = Server::start();
    let r = s.get_json("/api/gaps?commune=29044");
    let c = &r["communes"][0];
    assert_eq!(c["code"], "29044", "{r}");
    assert_eq!(c["access_source"], "interior_point", "{c}");
    let [lon, lat] = [&c["access_lonlat"][0], &c["access_lonlat"][1]].map(|v| v.as_f64().unwrap());
    // Dinéault lies near 4.17° W, 48.22° N (Finistère); its wrong point was 4.17° E.
    assert!(
        (-4.4..-4.0).contains(&lon) && (48.1..48.35).contains(&lat),
        "{c}"
    );
    let nearest = c["nearest"]["lonlat"][0].as_f64().unwrap();
    assert!(nearest < -3.0, "nearest venue outside Brittany: {c}");
    assert!(c["distance_km"].as_f64().unwrap() < 50.0, "{c}");
}
