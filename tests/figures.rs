//! Current, labelled figures (issue 9, section 4): populations with their year, Paris,
//! Lyon and Marseille with their arrondissements, postal-code search.

use maillage_e2e::Server;

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn populations_state_their_year_on_the_sheet_and_in_the_layers() {
    let s = Server::start();
    let albi = s.get_json("/api/communes/81004");
    assert_eq!(albi["population"], 51_290, "{albi}");
    assert_eq!(albi["population_annee"], 2023, "{albi}");
    let mamoudzou = s.get_json("/api/communes/97611");
    assert_eq!(mamoudzou["population"], 71_437, "{mamoudzou}");
    assert_eq!(mamoudzou["population_annee"], 2017, "{mamoudzou}");
    let layers = s.get_json("/api/layers");
    let populations = layers["layers"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["id"] == "populations"))
        .expect("populations layer");
    assert_eq!(populations["status"]["state"], "loaded", "{populations}");
    assert!(
        populations["date"]
            .as_str()
            .is_some_and(|d| d.contains("2023")),
        "{populations}"
    );
    let report = s.get_json("/api/import-report");
    assert_eq!(report["populations"]["fallback"], false);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn paris_has_its_aggregated_ifn_2023_and_its_arrondissements() {
    let s = Server::start();
    let paris = s.get_json("/api/communes/75056");
    let total = paris["ifn2023"]["total"].as_f64().expect("IFN 2023 total");
    // Mean of the 20 arrondissements' totals weighted by their 2023 populations.
    assert!((total - 3.402_773_6).abs() < 1e-6, "{total}");
    let arr = paris["arrondissements"]
        .as_array()
        .expect("arrondissements");
    assert_eq!(arr.len(), 20);
    let eleventh = arr.iter().find(|a| a["code"] == "75111").expect("11e");
    assert_eq!(eleventh["population"], 138_170);
    assert_eq!(eleventh["codes_postaux"][0], "75011");
    assert!(eleventh["ifn2023"]["total"].is_number());
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_postal_code_finds_the_arrondissement_before_a_commune_with_that_insee_code() {
    let s = Server::start();
    for (q, code, name, arrondissement) in [
        ("75011", "75056", "Paris (11e arrondissement)", "75111"),
        ("13001", "13055", "Marseille (1er arrondissement)", "13201"),
        ("69003", "69123", "Lyon (3e arrondissement)", "69383"),
    ] {
        let hits = s.get_json(&format!("/api/search?q={q}"));
        assert_eq!(hits[0]["code"], code, "{q}: {hits}");
        assert_eq!(hits[0]["name"], name, "{q}: {hits}");
        assert_eq!(hits[0]["arrondissement"], arrondissement, "{q}: {hits}");
        // The commune whose INSEE code is these digits comes after.
        let same_code = hits
            .as_array()
            .and_then(|h| h.iter().position(|h| h["code"] == q));
        assert!(same_code.is_none_or(|i| i > 1), "{q}: {hits}");
    }
}
