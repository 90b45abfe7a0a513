//! What counts as a place to get help (issue 9 §1) on the real binary and data: venue
//! kinds in the `venues` collection, services inferred for France Services, open now on
//! the commune sheet, and the gap analysis counting only places receiving the public.

use maillage_e2e::{Server, shared_data};

fn unserved(r: &serde_json::Value) -> u64 {
    r["indicators"]["selection"]["communes_unserved"]
        .as_u64()
        .expect("communes_unserved")
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_gap_analysis_counts_places_receiving_the_public_by_default() {
    shared_data();
    let s = Server::start();
    for dep in ["23", "48", "81"] {
        let default = s.get_json(&format!("/api/gaps?departement={dep}"));
        assert_eq!(
            default["parameters"]["filter"]["kinds"],
            serde_json::json!(["lieu_accueil"]),
            "{dep}"
        );
        let all = s.get_json(&format!(
            "/api/gaps?departement={dep}&kinds=lieu_accueil,itinerant,habilitation"
        ));
        let (d, a) = (unserved(&default), unserved(&all));
        eprintln!("{dep}: {d} unserved (places), {a} (every kind)");
        assert!(a <= d, "{dep}: {a} > {d}");
    }
    // The Creuse: its accreditations at town halls hid unserved communes.
    let creuse = s.get_json("/api/gaps?departement=23");
    let all = s.get_json("/api/gaps?departement=23&kinds=lieu_accueil,itinerant,habilitation");
    assert!(unserved(&creuse) > unserved(&all));
    let (status, body) = s.get("/api/gaps?departement=23&kinds=lieu");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("nature inconnue"), "{body}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn venues_say_their_kind_inferred_services_and_date_kind() {
    shared_data();
    let s = Server::start();
    // The préfecture de la Creuse is an accreditation (aidants-connect-2024.csv line 807).
    let r =
        s.get_json("/collections/venues/items?code_insee=23096&kind=habilitation&limit=100&f=json");
    let feats = r["features"].as_array().expect("features");
    assert!(
        feats
            .iter()
            .any(|f| f["properties"]["nom"] == "préfecture de la creuse"),
        "{r}"
    );
    for f in feats {
        assert_eq!(f["properties"]["date_maj_kind"], "snapshot");
    }
    // France Services (national list): administrative help inferred, and found by services=.
    let fs = s.get_json(
        "/collections/venues/items?source=france-services-2023&departement=81&limit=100&f=json",
    );
    let by_service = s.get_json(
        "/collections/venues/items?source=france-services-2023&departement=81&services=Aide%20aux%20d%C3%A9marches%20administratives&limit=1&f=json",
    );
    assert!(fs["numberMatched"].as_u64().unwrap() > 10);
    assert_eq!(fs["numberMatched"], by_service["numberMatched"]);
    for f in fs["features"].as_array().unwrap() {
        let p = &f["properties"];
        let all = format!(
            "{}|{}",
            p["services"].as_str().unwrap_or_default(),
            p["services_inferred"].as_str().unwrap_or_default()
        );
        assert!(
            all.split('|')
                .any(|x| x == "Aide aux démarches administratives"),
            "{p}"
        );
        if p["services"].is_null() {
            assert_eq!(p["services_inferred"], "Aide aux démarches administratives");
        }
        assert_eq!(p["date_maj_kind"], "snapshot");
        assert!(p["itinerance_state"] == "fixe" || p["itinerance_state"] == "itinerant");
    }
    // The commune sheet of Albi: every nearest venue says its kind and, with hours, its opening.
    let sheet = s.get_json("/api/communes/81004");
    let near = sheet["lieux_les_plus_proches"].as_array().expect("nearest");
    assert!(!near.is_empty());
    for v in near {
        assert!(v["kind"].is_string(), "{v}");
        if v["hours_parsed"] == true {
            assert!(v["opening"]["open_now"].is_boolean() || v["opening"]["open_now"].is_null());
            assert_eq!(v["opening"]["timezone"], "Europe/Paris");
        }
    }
}
