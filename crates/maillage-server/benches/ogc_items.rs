//! OGC API on the real catalog (all France, venues of ../shared/data), through the
//! router without sockets: a Tarn bbox page of venues (served from the response cache,
//! and rebuilt with a bbox that changes at every call), and the whole-France communes
//! GeoJSON export. Skipped with a message when the data are absent.

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use maillage_ingest::load::{LoadOptions, load_catalog};
use maillage_server::{AppState, app};
use tower::ServiceExt;

fn data() -> Option<(PathBuf, PathBuf)> {
    let root =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../..");
    let data = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data"));
    let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("data/cache"));
    (data.join("venues").is_dir() && cache.is_dir()).then_some((data, cache))
}

async fn fetch(router: &Router, uri: &str) -> usize {
    let req = Request::builder()
        .uri(uri)
        .header("host", "127.0.0.1")
        .body(Body::empty())
        .expect("request");
    let res = router.clone().oneshot(req).await.expect("response");
    assert!(res.status().is_success(), "{uri}: {}", res.status());
    res.into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .len()
}

fn bench(c: &mut Criterion) {
    let Some((data_dir, cache_dir)) = data() else {
        eprintln!("données réelles absentes (MAILLAGE_DATA_DIR, data/cache) : bench ignoré");
        return;
    };
    let (catalog, report) = load_catalog(
        &LoadOptions {
            cache_dir,
            data_dir: Some(data_dir),
        },
        &(),
    )
    .expect("catalog");
    let router = app(AppState::new(catalog, report, None));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let tarn = "/collections/venues/items?bbox=1.5354,43.3823,2.9375,44.2010&limit=100";
    rt.block_on(fetch(&router, tarn));
    c.bench_function("venues_tarn_bbox_limit_100_cached", |b| {
        b.iter(|| rt.block_on(fetch(&router, tarn)))
    });
    let mut k = 0u32;
    c.bench_function("venues_tarn_bbox_limit_100_rebuilt", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            let west = 1.5 + f64::from(k % 100_000) * 1e-7;
            let uri =
                format!("/collections/venues/items?bbox={west},43.3823,2.9375,44.2010&limit=100");
            rt.block_on(fetch(&router, &uri))
        })
    });
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.bench_function("communes_france_geojson", |b| {
        b.iter(|| rt.block_on(fetch(&router, "/collections/communes/items?f=geojson")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
