//! Times event stitching and explanations: `cargo run --release -p spine_core --example analysis_bench -- 100000
//! 1000000` resolves a synthetic set of that many profile records, stitches that many events (the set's web
//! events repeated with fresh keys), then explains the largest profile and ranks suspicious profiles.
// A benchmark measures time; the engine's ban on the clock is for the engine, not for its timers.
#![allow(clippy::disallowed_methods)]

use spine_core::demo::synthetic;
use spine_core::events::stitch;
use spine_core::resolve::resolve;
use spine_core::validate::{DataShape, load_settings};
use spine_core::{NoProgress, Table, parse_csv};
use std::time::Instant;

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().expect("counts are whole numbers"));
    let records = args.next().unwrap_or(100_000);
    let events = args.next().unwrap_or(1_000_000);

    let set = synthetic(records, 1);
    let tables: Vec<Table> = set
        .models
        .iter()
        .map(|f| parse_csv(&f.name, f.text.as_bytes()).unwrap())
        .collect();
    let source = &set.events[0];
    let mut lines = source.text.lines();
    let header = lines.next().unwrap_or_default();
    let rows: Vec<&str> = lines.collect();
    let mut text = String::with_capacity(events * 80);
    text.push_str(header);
    text.push('\n');
    // Each copy gets a fresh key (the key is the first column) so rows stay distinct events.
    for index in 0..events {
        let row = rows[index % rows.len()];
        let rest = row.split_once(',').map_or("", |(_, rest)| rest);
        text.push_str(&format!("X{index:09},{rest}\n"));
    }
    let event_table = parse_csv(&source.name, text.as_bytes()).unwrap();
    let mut shape = DataShape::default();
    for table in tables.iter().chain(std::iter::once(&event_table)) {
        shape
            .models
            .insert(table.name.clone(), table.columns.clone());
    }
    let settings = load_settings(&set.graph_json, Some(&shape)).expect("the demo graph is valid");

    let started = Instant::now();
    let resolution = resolve(&settings, &tables, None, &mut NoProgress).unwrap();
    println!(
        "resolve {records} records: {:.3} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let stitching = stitch(&resolution, std::slice::from_ref(&event_table)).unwrap();
    let took = started.elapsed().as_secs_f64();
    println!(
        "stitch {} events against {} profiles: {took:.3} s ({:.0} events/s)",
        stitching.event_count(),
        resolution.profile_count(),
        stitching.event_count() as f64 / took
    );
    let started = Instant::now();
    let mut sink = std::io::sink();
    for name in stitching.table_names() {
        stitching.write_table(name, &mut sink).unwrap();
    }
    println!(
        "write the event tables: {:.3} s",
        started.elapsed().as_secs_f64()
    );

    let largest = resolution
        .profiles()
        .max_by_key(|p| p.records.len())
        .map(|p| (p.id.to_owned(), p.records.len()));
    if let Some((id, size)) = largest {
        let started = Instant::now();
        let explained = resolution.explain_profile(&id).unwrap();
        println!(
            "explain the largest profile ({size} records, {} chain pairs, {} refusals): {:.3} ms",
            explained.chain.len(),
            explained.refusals.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    let started = Instant::now();
    let suspicious = resolution.suspicious_profiles();
    println!(
        "rank {} suspicious profiles: {:.3} s",
        suspicious.len(),
        started.elapsed().as_secs_f64()
    );
}
