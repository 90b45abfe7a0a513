//! Loads the catalog from `data/cache` and the data directory and prints timings.
//! `cargo run --release -p maillage-ingest --example load_timing`
fn main() {
    let root = std::path::Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("../..");
    let opts = maillage_ingest::load::LoadOptions {
        cache_dir: root.join("data/cache"),
        data_dir: std::env::var_os("MAILLAGE_DATA_DIR").map(Into::into),
    };
    let t = std::time::Instant::now();
    match maillage_ingest::load::load_catalog(&opts, &()) {
        Ok((cat, report)) => {
            println!(
                "{} communes, {} venues in {:?}",
                cat.communes.len(),
                cat.venues.len(),
                t.elapsed()
            );
            println!("{:?}", report.timings_ms);
            println!(
                "{} rejections; notes: {:?}",
                report.rejections.len(),
                report.notes
            );
            for r in report.rejections.iter().take(5) {
                println!("  {r}");
            }
        }
        Err(e) => eprintln!("erreur : {e}"),
    }
}
