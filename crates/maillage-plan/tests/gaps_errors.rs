//! Bad requests give clear French errors, never a panic (hand-made catalog of
//! `fixtures/gaps/catalog.rs`).
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "fixtures/gaps/catalog.rs"]
mod fixture;

use maillage_plan::gaps::{
    AddedVenue, GapError, GapIndex, GapRequest, IfnChoice, IfnModel, IfnScale, MatrixEntry,
    TravelMatrix, VenueRef, analyse,
};

fn refuse(req: &GapRequest) -> (GapError, String) {
    let catalog = fixture::small();
    let err = analyse(
        &catalog,
        req,
        maillage_ingest::reproject::default_reprojector().into(),
    )
    .expect_err("request must be refused");
    let msg = err.to_string();
    (err, msg)
}

fn parse(json: &str) -> String {
    serde_json::from_str::<GapRequest>(json)
        .expect_err("JSON must be refused")
        .to_string()
}

#[test]
fn an_unknown_commune_code_is_named_with_its_field() {
    let mut req = GapRequest::default();
    req.territory.communes = vec!["81001".into(), "81999".into()];
    let (err, msg) = refuse(&req);
    assert!(matches!(err, GapError::UnknownCommune { .. }));
    assert!(err.is_bad_request());
    assert_eq!(
        msg,
        "territory.communes[1] : code de commune inconnu « 81999 » (aucune commune chargée ne porte ce code INSEE)"
    );
}

#[test]
fn a_malformed_commune_code_says_what_a_code_looks_like() {
    let mut req = GapRequest::default();
    req.territory.communes = vec!["8100".into()];
    let (err, msg) = refuse(&req);
    assert!(matches!(err, GapError::InvalidCode { .. }));
    assert!(
        msg.starts_with("territory.communes[0] : code INSEE invalide « 8100 »"),
        "{msg}"
    );
}

#[test]
fn unknown_departements_and_epcis_are_refused() {
    let (err, msg) = refuse(&GapRequest::for_departements(["48"]));
    assert!(matches!(err, GapError::UnknownDepartement { .. }), "{msg}");
    assert!(msg.contains("département inconnu « 48 »"));
    let (_, msg) = refuse(&GapRequest::for_departements(["4"]));
    assert!(msg.contains("code département invalide"), "{msg}");
    let mut req = GapRequest::default();
    req.territory.epcis = vec!["999999999".into()];
    let (err, msg) = refuse(&req);
    assert!(matches!(err, GapError::UnknownEpci { .. }), "{msg}");
}

#[test]
fn thresholds_speeds_and_detours_out_of_range_are_refused() {
    for t in [0.0, -5.0, 601.0, f64::NAN, f64::INFINITY] {
        let req = GapRequest {
            threshold_minutes: t,
            ..GapRequest::default()
        };
        let (err, msg) = refuse(&req);
        assert!(matches!(err, GapError::BadThreshold { .. }), "{t}");
        assert!(msg.starts_with("seuil invalide"), "{msg}");
    }
    let req = GapRequest {
        speed_kmh: 300.0,
        ..GapRequest::default()
    };
    assert_eq!(
        refuse(&req).1,
        "vitesse invalide : 300 km/h (attendu entre 5 et 130)"
    );
    let req = GapRequest {
        detour_factor: 0.9,
        ..GapRequest::default()
    };
    assert!(matches!(refuse(&req).0, GapError::BadDetour { .. }));
}

#[test]
fn the_inverted_ifn2020_axis_is_refused_with_the_reason() {
    let req = GapRequest {
        ifn: IfnChoice {
            model: IfnModel::Ifn2020,
            scale: Some(IfnScale::Departement),
            axis: Some("acces_interfaces_numeriques".into()),
        },
        ..GapRequest::default()
    };
    let (err, msg) = refuse(&req);
    assert!(matches!(err, GapError::BadIfn(_)));
    assert!(msg.contains("mesure une couverture"), "{msg}");
}

#[test]
fn unknown_ifn_axes_and_a_scale_with_ifn2023_are_refused() {
    let mut req = GapRequest::default();
    req.ifn.axis = Some("score_global".into());
    assert!(
        refuse(&req)
            .1
            .starts_with("axe d'IFN 2023 inconnu « score_global »")
    );
    req.ifn.axis = None;
    req.ifn.scale = Some(IfnScale::Epci);
    assert!(refuse(&req).1.contains("ne s'applique qu'à l'IFN 2020"));
    let msg = parse(r#"{"ifn": {"model": "ifn2021"}}"#);
    assert!(msg.contains("modèle d'IFN inconnu « ifn2021 »"), "{msg}");
    let msg = parse(r#"{"ifn": {"model": "ifn2020", "scale": "commune"}}"#);
    assert!(msg.contains("échelle d'IFN 2020 inconnue"), "{msg}");
}

#[test]
fn unknown_request_keys_are_refused() {
    let msg = parse(r#"{"treshold_minutes": 20}"#);
    assert!(msg.contains("treshold_minutes"), "{msg}");
}

#[test]
fn unknown_venues_are_named_with_their_field() {
    let mut req = GapRequest {
        removed: vec![VenueRef::Key("test-v0".into()), VenueRef::Index(3)],
        ..GapRequest::default()
    };
    let (err, msg) = refuse(&req);
    assert!(matches!(err, GapError::UnknownVenue { .. }));
    assert!(msg.starts_with("removed[1] : lieu inconnu « 3 »"), "{msg}");
    req.removed = vec![VenueRef::Key("nulle-part".into())];
    assert!(refuse(&req).1.contains("« nulle-part »"));
}

#[test]
fn hypothetical_venues_must_be_one_point_in_france_or_one_town_hall() {
    let mut req = GapRequest {
        added: vec![AddedVenue {
            lonlat: Some([2.0, 43.9]),
            town_hall: Some("81001".into()),
            label: None,
        }],
        ..GapRequest::default()
    };
    let (err, msg) = refuse(&req);
    assert!(matches!(err, GapError::BadAddedVenue { index: 1, .. }));
    assert!(msg.contains("soit « lonlat »"), "{msg}");
    req.added = vec![AddedVenue::town_hall("81002"), AddedVenue::at(-40.0, 30.0)];
    let msg = refuse(&req).1;
    assert!(msg.starts_with("lieu hypothétique n° 2 :"), "{msg}");
    assert!(msg.contains("hors de France"), "{msg}");
    req.added = vec![AddedVenue::at(200.0, 43.0)];
    assert!(refuse(&req).1.contains("coordonnées invalides"));
    req.added = vec![AddedVenue::town_hall("81998")];
    assert!(matches!(refuse(&req).0, GapError::UnknownCommune { .. }));
}

#[test]
fn malformed_matrices_are_refused() {
    let mut req = GapRequest {
        matrix: Some(TravelMatrix {
            communes: vec!["81001".into()],
            venues: vec![VenueRef::Index(0), VenueRef::Index(1)],
            minutes: vec![vec![Some(3.0)]],
            ..TravelMatrix::default()
        }),
        ..GapRequest::default()
    };
    let msg = refuse(&req).1;
    assert!(
        msg.contains("a 1 valeurs mais « venues » en nomme 2"),
        "{msg}"
    );

    req.matrix = Some(TravelMatrix {
        communes: vec!["81001".into()],
        venues: vec![VenueRef::Index(0)],
        minutes: vec![vec![Some(3.0)]],
        entries: vec![MatrixEntry {
            commune: "81001".into(),
            venue: VenueRef::Key("test-v0".into()),
            minutes: 4.0,
        }],
    });
    assert!(refuse(&req).1.contains("donnée deux fois"));

    req.matrix = Some(TravelMatrix {
        entries: vec![MatrixEntry {
            commune: "81001".into(),
            venue: VenueRef::Index(0),
            minutes: -1.0,
        }],
        ..TravelMatrix::default()
    });
    assert!(refuse(&req).1.contains("durée invalide -1"));

    req.matrix = Some(TravelMatrix {
        communes: vec!["81001".into(), "81002".into()],
        minutes: vec![vec![]],
        ..TravelMatrix::default()
    });
    assert!(refuse(&req).1.contains("« minutes » a 1 lignes"));
}

#[test]
fn an_index_built_for_another_catalog_is_refused() {
    let small = fixture::small();
    let index = GapIndex::build(
        &small,
        maillage_ingest::reproject::default_reprojector().into(),
    );
    let other = fixture::catalog(
        vec![fixture::commune(
            "81001",
            "Seule",
            (2.0, 43.9),
            10,
            None,
            Default::default(),
            true,
        )],
        Vec::new(),
    );
    let err = index
        .analyse(&other, &GapRequest::default())
        .expect_err("mismatch");
    assert!(!err.is_bad_request());
    assert!(err.to_string().contains("reconstruisez-le"));
}
