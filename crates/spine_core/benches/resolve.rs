//! Criterion benchmarks of the engine: a whole resolution of 10k synthetic records, and the standardization of
//! 100k emails and 100k phone numbers (the most expensive steps) taken from synthetic data.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{Criterion, Throughput};
    use spine_core::demo::{DemoSet, synthetic};
    use spine_core::settings::Settings;
    use spine_core::standardize::standardize;
    use spine_core::validate::load_settings;
    use spine_core::{NoProgress, Table, parse_csv, resolve};
    use std::hint::black_box;

    fn tables(set: &DemoSet) -> Vec<Table> {
        set.models
            .iter()
            .map(|file| parse_csv(&file.name, file.text.as_bytes()).expect("generated CSV parses"))
            .collect()
    }

    fn settings(set: &DemoSet) -> Settings {
        load_settings(&set.graph_json, None).expect("the demo graph is valid")
    }

    pub fn resolve_10k(c: &mut Criterion) {
        let set = synthetic(10_000, 1);
        let settings = settings(&set);
        let tables = tables(&set);
        let mut group = c.benchmark_group("resolve");
        group.sample_size(10);
        group.throughput(Throughput::Elements(10_000));
        group.bench_function("10k synthetic records", |b| {
            b.iter(|| {
                resolve::resolve(&settings, black_box(&tables), None, &mut NoProgress)
                    .expect("resolves")
            });
        });
        group.finish();
    }

    /// 100k raw cells of the named identifier's columns, from as many synthetic records as it takes.
    fn cells(set: &DemoSet, columns: &[&str], count: usize) -> Vec<String> {
        let mut out = Vec::with_capacity(count);
        for table in tables(set) {
            for column in columns.iter().filter_map(|name| table.column_index(name)) {
                out.extend(
                    (0..table.len())
                        .map(|row| table.cell(row, column).to_owned())
                        .filter(|c| !c.is_empty()),
                );
            }
        }
        out.truncate(count);
        assert_eq!(out.len(), count, "the synthetic set holds enough values");
        out
    }

    pub fn standardize_100k(c: &mut Criterion) {
        let set = synthetic(250_000, 2);
        let settings = settings(&set);
        let identifier = |name: &str| {
            settings
                .identifiers
                .iter()
                .find(|i| i.name == name)
                .expect("the demo graph defines it")
                .clone()
        };
        let mut group = c.benchmark_group("standardize");
        group.sample_size(10);
        group.throughput(Throughput::Elements(100_000));
        for (name, columns) in [
            ("email", &["email"][..]),
            ("phone", &["phone", "tel", "mobile"][..]),
        ] {
            let identifier = identifier(name);
            let values = cells(&set, columns, 100_000);
            group.bench_function(format!("100k {name}s"), |b| {
                b.iter(|| {
                    for raw in &values {
                        black_box(standardize(&identifier, black_box(raw)));
                    }
                });
            });
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let mut criterion = criterion::Criterion::default().configure_from_args();
    native::resolve_10k(&mut criterion);
    native::standardize_100k(&mut criterion);
    criterion.final_summary();
}

/// Benchmarks are native only; this keeps `cargo check --all-targets --target wasm32-unknown-unknown` whole.
#[cfg(target_arch = "wasm32")]
fn main() {}
