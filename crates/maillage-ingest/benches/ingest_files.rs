//! Reading the real IFN files of the shared data directory.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use maillage_ingest::ifn;

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    dir.is_dir().then_some(dir)
}

fn read_ifn_files(c: &mut Criterion) {
    let Some(dir) = data_dir() else {
        eprintln!("données partagées absentes : bench ignoré");
        return;
    };
    let ifn = dir.join("ifn");
    c.bench_function("read_ifn2020_communes", |b| {
        b.iter(|| ifn::read_ifn2020_communes(&ifn.join(ifn::IFN2020_COMMUNES_FILE)))
    });
}

criterion_group!(benches, read_ifn_files);
criterion_main!(benches);
