//! Itinerant planning (issue 5) on the real binary and the real data:
//! `POST /api/plan/tours` and `/api/plan/sites`, their limits, the `sites` and `tours`
//! collections, and `maillage plan …`.

use std::collections::HashSet;
use std::process::Command;
use std::time::Instant;

use maillage_e2e::{Server, binary, cache_dir, shared_data};
use serde_json::{Value, json};

use crate::gaps::{post, post_json};

const DAY_MINUTES: f64 = 420.0;
const SERVICE: f64 = 120.0;

/// Unserved Tarn communes with a town hall, at a threshold, from the gap analysis.
fn unserved_tarn(s: &Server, threshold: f64) -> Vec<(String, f64)> {
    let r = post_json(
        s,
        "/api/gaps",
        &json!({"territory": {"departements": ["81"]}, "threshold_minutes": threshold}),
    );
    r["communes"]
        .as_array()
        .expect("réponse attendue")
        .iter()
        .filter(|c| c["status"] == "unserved" && c["access_source"] == "town_hall")
        .map(|c| {
            (
                c["code"].as_str().expect("réponse attendue").to_string(),
                c["priority"].as_f64().expect("réponse attendue"),
            )
        })
        .collect()
}

fn tarn_request(stops: &[(String, f64)]) -> Value {
    json!({
        "base": {"commune": "81004"},
        "stops": stops.iter().map(|(code, w)| json!({
            "id": code, "commune": code, "weight": w, "service_minutes": SERVICE
        })).collect::<Vec<_>>(),
        "days": 10,
        "day_minutes": DAY_MINUTES,
    })
}

/// Checks every budget of a tour answer against the request's stops.
fn assert_budgets(r: &Value, stops: &[(String, f64)]) {
    let days = r["days"].as_array().expect("réponse attendue");
    assert_eq!(days.len(), 10);
    let mut seen = HashSet::new();
    let mut weight = 0.0;
    for d in days {
        let total = d["total_minutes"].as_f64().expect("réponse attendue");
        assert!(total <= DAY_MINUTES + 1e-6, "day over budget: {d}");
        let (dep, ret) = (
            d["departure"].as_f64().expect("réponse attendue"),
            d["return_time"].as_f64().expect("réponse attendue"),
        );
        assert!((ret - dep - total).abs() < 0.02, "{d}");
        assert!(dep >= 480.0 - 1e-6, "{d}");
        let ids = d["stops"].as_array().expect("réponse attendue");
        let arrivals = d["arrivals"].as_array().expect("réponse attendue");
        let starts = d["service_starts"].as_array().expect("réponse attendue");
        assert_eq!(ids.len(), arrivals.len());
        for k in 0..ids.len() {
            let (a, st) = (
                arrivals[k].as_f64().expect("réponse attendue"),
                starts[k].as_f64().expect("réponse attendue"),
            );
            assert!(a <= st + 1e-6, "{d}");
            if k + 1 < ids.len() {
                assert!(
                    st + SERVICE <= arrivals[k + 1].as_f64().expect("réponse attendue") + 0.02,
                    "{d}"
                );
            } else {
                assert!(st + SERVICE <= ret + 0.02, "{d}");
            }
            let id = ids[k].as_str().expect("réponse attendue").to_string();
            weight += stops
                .iter()
                .find(|(c, _)| *c == id)
                .expect("réponse attendue")
                .1;
            assert!(seen.insert(id), "a stop is visited twice: {d}");
        }
        if ids.is_empty() {
            assert_eq!(d["geometry"], Value::Null);
        } else {
            let line = d["geometry"]["coordinates"]
                .as_array()
                .expect("réponse attendue");
            assert_eq!(line.len(), ids.len() + 2);
            assert_eq!(
                line.first(),
                line.last(),
                "a day starts and ends at the base"
            );
        }
    }
    for u in r["unvisited"].as_array().expect("réponse attendue") {
        assert!(u["reason"].as_str().is_some_and(|s| !s.is_empty()), "{u}");
        assert!(
            seen.insert(u["id"].as_str().expect("réponse attendue").to_string()),
            "{u}"
        );
    }
    assert_eq!(
        seen.len(),
        stops.len(),
        "every stop is visited or explained"
    );
    let total = r["total_weight"].as_f64().expect("réponse attendue");
    assert!(
        (total - weight).abs() < 1e-6 * weight.max(1.0),
        "{total} vs {weight}"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn tarn_tours_from_albi_respect_every_budget_and_repeat_with_the_same_seed() {
    shared_data();
    let s = Server::start();
    // At the default 20 minutes a single Tarn commune is unserved; at 10 minutes 97
    // communes with a town hall are, which makes a real tour problem.
    let stops = unserved_tarn(&s, 10.0);
    assert!(stops.len() > 50, "{}", stops.len());
    // The longest time limit: the iteration bound ends the search (its speed is the
    // `tours` bench of maillage-plan), so the same seed gives the same plan.
    let mut req = tarn_request(&stops);
    req["time_limit_ms"] = json!(30_000);
    let r = post_json(&s, "/api/plan/tours", &req);
    eprintln!(
        "Tarn, {} stops, 10 days: solve {} ms, {} iterations",
        stops.len(),
        r["solver"]["elapsed_ms"],
        r["solver"]["iterations"]
    );
    assert_budgets(&r, &stops);
    assert!(r["total_weight"].as_f64().unwrap() > 0.0);
    let again = post_json(&s, "/api/plan/tours", &req);
    assert_eq!(again["days"], r["days"]);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn tarn_tours_over_every_commune_without_a_venue_respect_every_budget() {
    shared_data();
    let s = Server::start();
    // The plan crate's benchmark definition: communes where no venue stands.
    let page = s.get_json("/collections/communes/items?departement=81&limit=1000");
    let without: HashSet<String> = page["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["lieux"] == 0)
        .map(|f| f["properties"]["code"].as_str().unwrap().to_string())
        .collect();
    let stops: Vec<(String, f64)> = unserved_tarn(&s, 0.001)
        .into_iter()
        .filter(|(c, _)| without.contains(c) && c != "81004")
        .collect();
    assert!(stops.len() > 200, "{}", stops.len());
    let r = post_json(&s, "/api/plan/tours", &tarn_request(&stops));
    eprintln!(
        "Tarn, {} stops without a venue, 10 days: solve {} ms",
        stops.len(),
        r["solver"]["elapsed_ms"]
    );
    assert_budgets(&r, &stops);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_tour_plan_comes_as_geojson_lines_and_points_and_as_csv() {
    shared_data();
    let s = Server::start();
    let stops = unserved_tarn(&s, 10.0);
    let body = tarn_request(&stops).to_string();
    let (status, _, text) = post(&s, "/api/plan/tours?f=geojson", "application/json", &body);
    assert_eq!(status, 200, "{text}");
    let fc: Value = serde_json::from_str(&text).unwrap();
    let features = fc["features"].as_array().unwrap();
    let role = |r: &'static str| -> Vec<&Value> {
        features
            .iter()
            .filter(|f| f["properties"]["role"] == r)
            .collect()
    };
    assert!(!role("day").is_empty());
    assert!(
        role("day")
            .iter()
            .all(|f| f["geometry"]["type"] == "LineString")
    );
    assert_eq!(role("base").len(), 1);
    assert_eq!(role("visit").len() + role("unvisited").len(), stops.len());
    assert!(
        role("visit")
            .iter()
            .all(|f| f["geometry"]["type"] == "Point")
    );
    let (status, _, csv) = post(&s, "/api/plan/tours?f=csv", "application/json", &body);
    assert_eq!(status, 200);
    assert!(csv.starts_with("role,id,day,week,weekday,order,arrival,start,end,"));
    assert_eq!(csv.lines().count(), 1 + 1 + stops.len());
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn sites_with_a_matrix_reach_the_brute_force_optimum() {
    shared_data();
    let s = Server::start();
    // Hand-made instance: 6 demand points, 4 candidates, costs in minutes.
    let weights = [5.0, 1.0, 3.0, 2.0, 4.0, 1.0];
    let matrix = [
        [2.0, 9.0, 7.0, 12.0],
        [3.0, 4.0, 9.0, 11.0],
        [8.0, 2.0, 6.0, 10.0],
        [9.0, 7.0, 1.0, 4.0],
        [11.0, 8.0, 5.0, 2.0],
        [6.0, 5.0, 3.0, 3.0],
    ];
    let demand: Vec<Value> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| json!({"id": format!("d{i}"), "weight": w}))
        .collect();
    let candidates: Vec<Value> = (0..4).map(|j| json!({"id": format!("c{j}")})).collect();
    let median = |open: &[usize]| -> f64 {
        (0..6)
            .map(|i| {
                weights[i]
                    * open
                        .iter()
                        .map(|&j| matrix[i][j])
                        .fold(f64::INFINITY, f64::min)
            })
            .sum()
    };
    let covered = |open: &[usize], r: f64| -> f64 {
        (0..6)
            .filter(|&i| open.iter().any(|&j| matrix[i][j] <= r))
            .map(|i| weights[i])
            .sum()
    };
    let pairs: Vec<[usize; 2]> = (0..4)
        .flat_map(|a| ((a + 1)..4).map(move |b| [a, b]))
        .collect();
    let best_median = pairs
        .iter()
        .map(|p| median(p))
        .fold(f64::INFINITY, f64::min);
    let best_cover = pairs.iter().map(|p| covered(p, 3.0)).fold(0.0, f64::max);
    let r = post_json(
        &s,
        "/api/plan/sites",
        &json!({"demand": demand, "candidates": candidates, "p": 2,
                "objective": "median", "matrix": matrix}),
    );
    assert_eq!(r["objective_value"].as_f64().unwrap(), best_median, "{r}");
    assert_eq!(r["unit"], "matrice");
    assert_eq!(r["assignment"].as_array().unwrap().len(), 6);
    let r = post_json(
        &s,
        "/api/plan/sites",
        &json!({"demand": demand, "candidates": candidates, "p": 2,
                "objective": "coverage", "radius": 3.0, "matrix": matrix}),
    );
    assert_eq!(r["objective_value"].as_f64().unwrap(), best_cover, "{r}");
    let per_site: f64 = r["covered_weight"]["per_site"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert_eq!(per_site, best_cover);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn sites_without_candidates_choose_among_the_unserved_communes_of_the_demand() {
    shared_data();
    let s = Server::start();
    let gaps = post_json(
        &s,
        "/api/gaps",
        &json!({"territory": {"departements": ["21"]}}),
    );
    let communes = gaps["communes"].as_array().unwrap();
    let unserved: HashSet<&str> = communes
        .iter()
        .filter(|c| c["status"] == "unserved")
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(unserved.len() > 10, "{}", unserved.len());
    // Demand: every commune of the Côte-d'Or by code (weight population × IFN 2023), those
    // whose town hall is not located included (they meet at a point inside).
    let demand: Vec<Value> = communes
        .iter()
        .filter(|c| c["ifn"].is_number())
        .map(|c| json!({"commune": c["code"]}))
        .collect();
    let started = Instant::now();
    let (status, timing, text) = post(
        &s,
        "/api/plan/sites",
        "application/json",
        &json!({"demand": demand, "p": 5, "objective": "coverage", "radius": 20,
                "speed_kmh": 50})
        .to_string(),
    );
    assert_eq!(status, 200, "{text}");
    eprintln!(
        "sites, Côte-d'Or, {} demand points, p = 5: {} ({:.0} ms HTTP)",
        demand.len(),
        timing,
        started.elapsed().as_secs_f64() * 1000.0
    );
    let r: Value = serde_json::from_str(&text).unwrap();
    let sites = r["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 5);
    assert!(
        sites.iter().all(|x| unserved.contains(x.as_str().unwrap())),
        "{sites:?}"
    );
    assert_eq!(r["unit"], "min");
    assert_eq!(r["assignment"].as_array().unwrap().len(), demand.len());
    let covered: f64 = r["covered_weight"]["per_site"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert!((covered - r["objective_value"].as_f64().unwrap()).abs() < 1e-6);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn oversized_or_invalid_plans_get_a_clear_refusal() {
    shared_data();
    let s = Server::start();
    let stops: Vec<Value> = (0..100_000)
        .map(|k| json!({"id": format!("s{k}"), "lon": 2.0 + (k % 1000) as f64 * 1e-4, "lat": 44.0}))
        .collect();
    let body = json!({"base": {"lon": 2.0, "lat": 44.0}, "stops": stops, "days": 5}).to_string();
    let started = Instant::now();
    let (status, _, text) = post(&s, "/api/plan/tours", "application/json", &body);
    let took = started.elapsed();
    eprintln!(
        "100,000 stops ({:.1} MB): {status} in {:.0} ms",
        body.len() as f64 / 1e6,
        took.as_secs_f64() * 1000.0
    );
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("100000") && text.contains("2000"), "{text}");
    let cases = [
        (
            "/api/plan/tours",
            json!({"base": {"lon": 2.0, "lat": 44.0}, "stops": [{"id": "a", "lon": 2.1, "lat": 44.0}],
                   "days": 1, "matrix": [[0, 1], [1]]}),
            "carrée",
        ),
        (
            "/api/plan/tours",
            json!({"base": {"lon": 2.0, "lat": 44.0}, "stops": [], "days": 1}),
            "vide",
        ),
        (
            "/api/plan/tours",
            json!({"base": {"commune": "81004"}, "stops": [{"id": "a", "commune": "81999"}], "days": 1}),
            "81999",
        ),
        (
            "/api/plan/tours",
            json!({"base": {"lon": 2.0, "lat": 44.0}, "stops": [{"id": "a", "lon": 2.1, "lat": 44.0}],
                   "days": 1, "time_limit_ms": 120000}),
            "time_limit_ms",
        ),
        (
            "/api/plan/sites",
            json!({"demand": [{"id": "d", "lon": 2.0, "lat": 44.0}],
                   "candidates": [{"id": "c", "lon": 2.1, "lat": 44.0}], "p": 2, "objective": "median"}),
            "p = 2",
        ),
        (
            "/api/plan/sites",
            json!({"demand": [{"id": "d"}], "candidates": [{"id": "c"}], "p": 1,
                   "objective": "median", "matrix": [[-1]]}),
            "-1",
        ),
        (
            "/api/plan/sites",
            json!({"demand": [{"id": "d", "lon": -5.0, "lat": 45.0}], "p": 1, "objective": "median"}),
            "candidates",
        ),
    ];
    for (path, body, needle) in cases {
        let (status, _, text) = post(&s, path, "application/json", &body.to_string());
        assert_eq!(status, 400, "{body}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(
            v["description"].as_str().unwrap().contains(needle),
            "{body}: {text}"
        );
    }
    let (status, _, _) = post(&s, "/api/plan/sites", "application/json", "{\"demand\": [");
    assert_eq!(status, 400);
    let (status, _, _) = post(&s, "/api/plan/tours", "text/csv", "id,lon,lat");
    assert_eq!(status, 400);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_sites_and_tours_collections_plan_every_departement_with_unserved_communes() {
    shared_data();
    let s = Server::start();
    let gaps = post_json(
        &s,
        "/api/gaps",
        &json!({"territory": {"departements": ["21"]}}),
    );
    // Every unserved commune, at its access point: its town hall, or a point inside it when
    // the town hall is not located (Côte-d'Or has both kinds).
    let access: std::collections::HashMap<&str, (&Value, &Value)> = gaps["communes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "unserved" && !c["access_lonlat"].is_null())
        .map(|c| {
            (
                c["code"].as_str().unwrap(),
                (&c["access_source"], &c["access_lonlat"]),
            )
        })
        .collect();
    let unserved = access.len();
    assert!(
        access.values().any(|(s, _)| *s == "interior_point")
            && access.values().any(|(s, _)| *s == "town_hall"),
        "both kinds of access point"
    );
    let sites = s.get_json("/collections/sites/items?departement=21&limit=1000");
    let features = sites["features"].as_array().unwrap();
    assert_eq!(features.len(), unserved);
    for f in features {
        let (source, lonlat) = access[f["id"].as_str().unwrap()];
        assert_eq!(&f["properties"]["access_source"], source, "{f}");
        // GeoJSON coordinates carry 7 decimals (about 1 cm).
        for k in 0..2 {
            let (a, b) = (
                f["geometry"]["coordinates"][k].as_f64().unwrap(),
                lonlat[k].as_f64().unwrap(),
            );
            assert!((a - b).abs() < 1e-6, "{f}");
        }
    }
    let chosen: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["chosen"] == true)
        .collect();
    assert!(!chosen.is_empty());
    let p = chosen[0]["properties"]["departement_sites"]
        .as_u64()
        .unwrap() as usize;
    assert_eq!(chosen.len(), p);
    let mut ranks: Vec<u64> = chosen
        .iter()
        .map(|f| f["properties"]["rank"].as_u64().unwrap())
        .collect();
    ranks.sort_unstable();
    assert_eq!(ranks, (1..=p as u64).collect::<Vec<_>>());
    for f in features {
        let m = f["properties"]["minutes_to_site"].as_f64();
        assert!(
            m.is_some_and(|m| m <= 20.0 + 1e-9),
            "every commune is covered: {f}"
        );
    }
    let tours = s.get_json("/collections/tours/items?departement=21&limit=1000");
    let features = tours["features"].as_array().unwrap();
    assert_eq!(features.len(), unserved);
    let mut per_day: std::collections::BTreeMap<u64, Vec<u64>> = Default::default();
    for f in features {
        let p = &f["properties"];
        assert_eq!(
            p["base"], "21231",
            "Dijon is the most populous commune of the Côte-d'Or"
        );
        if p["visited"] == true {
            let day = p["day"].as_u64().unwrap();
            assert!((1..=10).contains(&day));
            assert!(p["day_total_minutes"].as_f64().unwrap() <= DAY_MINUTES + 1e-6);
            per_day
                .entry(day)
                .or_default()
                .push(p["order"].as_u64().unwrap());
        } else {
            assert!(p["reason_code"].is_string(), "{p}");
        }
    }
    assert!(!per_day.is_empty());
    for orders in per_day.values_mut() {
        orders.sort_unstable();
        assert_eq!(*orders, (1..=orders.len() as u64).collect::<Vec<_>>());
    }
    // Same answer on a second read (deterministic, cached).
    let again = s.get_json("/collections/tours/items?departement=21&limit=1000");
    assert_eq!(again["features"], tours["features"]);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_cli_plans_sites_and_tours_from_point_files() {
    let data = shared_data();
    let dir = std::env::temp_dir().join(format!("maillage-e2e-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(binary())
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .arg("--cache-dir")
            .arg(cache_dir())
            .env_remove("MAILLAGE_DATA_DIR")
            .output()
            .expect("maillage plan");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        stderr
    };
    // Tours of the Côte-d'Or's unserved town halls, written as GeoJSON.
    let tours = dir.join("tours.geojson");
    let log = run(&[
        "plan",
        "tours",
        "--departement",
        "21",
        "--base",
        "21231",
        "--days",
        "10",
        "--day-minutes",
        "420",
        "--out",
        tours.to_str().unwrap(),
    ]);
    assert!(log.contains("permanence(s) sur 10 jour(s)"), "{log}");
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&tours).unwrap()).unwrap();
    let features = fc["features"].as_array().unwrap();
    assert!(
        features
            .iter()
            .any(|f| f["geometry"]["type"] == "LineString")
    );
    // Hand-made stop file (CSV), with a matrix-free request: two stops near Albi.
    let stops = dir.join("stops.csv");
    std::fs::write(
        &stops,
        "id,commune,weight,service_minutes\nlescure,81144,3,60\nsaliès,81274,2,60\n",
    )
    .unwrap();
    let csv = dir.join("tours.csv");
    run(&[
        "plan",
        "tours",
        "--stops",
        stops.to_str().unwrap(),
        "--base",
        "81004",
        "--days",
        "1",
        "--out",
        csv.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("visit,")).count(),
        2,
        "{text}"
    );
    // Sites: p = 3 coverage in the Côte-d'Or, CSV.
    let sites = dir.join("sites.csv");
    let log = run(&[
        "plan",
        "sites",
        "--departement",
        "21",
        "--p",
        "3",
        "--objective",
        "coverage",
        "--radius",
        "20",
        "--speed",
        "50",
        "--out",
        sites.to_str().unwrap(),
    ]);
    assert!(log.contains("3 site(s) choisis"), "{log}");
    let text = std::fs::read_to_string(&sites).unwrap();
    assert!(text.starts_with("role,rank,id,lon,lat,weight,site,existing,cost,demand_points"));
    assert_eq!(text.lines().filter(|l| l.starts_with("site,")).count(), 3);
    // Demand: every unserved commune of the gap analysis, those whose town hall is not
    // located included (they stand at a point inside the commune).
    let gaps = dir.join("gaps.geojson");
    run(&[
        "gaps",
        "--departement",
        "21",
        "--out",
        gaps.to_str().unwrap(),
    ]);
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&gaps).unwrap()).unwrap();
    let unserved: Vec<&Value> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"])
        .filter(|p| p["status"] == "unserved")
        .collect();
    assert!(
        unserved
            .iter()
            .any(|p| p["access_source"] == "interior_point")
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("demand,")).count(),
        unserved.len(),
        "{text}"
    );
    assert!(
        log.contains(&format!("parmi {} candidats", unserved.len())),
        "{log}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
