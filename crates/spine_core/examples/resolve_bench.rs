//! Times a full run on synthetic data: `cargo run --release -p spine_core --example resolve_bench -- 1000000`
//! generates that many records over four models (one fuzzy rule among four), resolves them and writes every
//! output table to a sink, printing where the time goes (wall and CPU time per stage and per table). Add `demo`
//! after the count to use the demo generator's data and graph instead.

use spine_core::resolve::resolve;
use spine_core::validate::load_settings;
use spine_core::{Control, Progress, Table};
use std::io::Write;
use std::time::Instant;

const GRAPH: &str = r#"{
  "version": 1,
  "name": "bench",
  "models": [
    {"name": "crm", "primary_key": "id", "order_by": "updated_at", "priority": 1,
     "identifiers": {"email": "email", "phone": "phone", "customer_id": "customer_id", "last_name": "last_name"},
     "fields": {"first_name": "first_name"}},
    {"name": "shop", "primary_key": "id", "order_by": "updated_at", "priority": 2,
     "identifiers": {"email": "email", "phone": "phone", "customer_id": "customer_id", "last_name": "last_name"},
     "fields": {"first_name": "first_name"}},
    {"name": "app", "primary_key": "id", "order_by": "updated_at", "priority": 3,
     "identifiers": {"email": "email", "user_id": "user_id", "last_name": "last_name"},
     "fields": {"first_name": "first_name"}},
    {"name": "support", "primary_key": "id", "order_by": "updated_at", "priority": 4,
     "identifiers": {"email": "email", "phone": "phone", "user_id": "user_id", "last_name": "last_name"},
     "fields": {"first_name": "first_name"}}
  ],
  "identifiers": [
    {"name": "email", "kind": "email", "standardize": ["email"], "blocked_values": ["test@test.com"],
     "max_records_per_value": 50, "conflict_limit": 3},
    {"name": "phone", "kind": "phone", "standardize": ["phone"], "default_region": "FR"},
    {"name": "customer_id", "kind": "customer_id", "standardize": ["trim"], "conflict_limit": 1},
    {"name": "user_id", "kind": "user_id", "standardize": ["trim"], "conflict_limit": 1},
    {"name": "last_name", "kind": "name", "standardize": ["name"]}
  ],
  "rules": [
    {"name": "same_customer_id", "criteria": [{"identifiers": ["customer_id"], "match": "exact"}]},
    {"name": "same_user_id", "criteria": [{"identifiers": ["user_id"], "match": "exact"}]},
    {"name": "same_email", "criteria": [{"identifiers": ["email"], "match": "exact"}]},
    {"name": "phone_and_name", "criteria": [{"identifiers": ["phone"], "match": "exact"},
                                            {"identifiers": ["last_name"], "match": "fuzzy_medium"}]}
  ],
  "guardrails": {"max_profile_size": 50, "max_block_size": 200, "on_conflict": "exclude"},
  "golden": {"fields": [
    {"name": "email", "strategy": "most_frequent"},
    {"name": "phone", "strategy": "last_non_null"},
    {"name": "first_name", "strategy": "model_priority"},
    {"name": "last_name", "strategy": "longest"}
  ]}
}"#;

/// A small deterministic generator (SplitMix64) so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const NAMES: [&str; 16] = [
    "martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy",
    "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "david",
];

fn generate(records: usize) -> Vec<Table> {
    let mut rng = Rng(7);
    let people = (records as u64 * 2 / 5).max(1);
    let shares = [("crm", 25), ("shop", 30), ("app", 25), ("support", 20)];
    let mut tables = Vec::new();
    for (model, share) in shares {
        let count = records * share / 100;
        let columns: &[&str] = &[
            "id",
            "email",
            "phone",
            "customer_id",
            "user_id",
            "last_name",
            "first_name",
            "updated_at",
        ];
        let mut rows = Vec::with_capacity(count);
        for index in 0..count {
            let person = rng.below(people);
            let name = NAMES[(person % 16) as usize];
            let typo = rng.below(10) == 0;
            let last_name = if typo {
                format!("{name}e")
            } else {
                name.to_owned()
            };
            let email = match rng.below(10) {
                0 => String::new(),
                1 => "test@test.com".to_owned(),
                2 => format!("{name}.{}@Example.com", person / 3),
                _ => format!("{name}.{person}@example.com"),
            };
            let phone = if rng.below(4) == 0 {
                String::new()
            } else {
                format!(
                    "06 {:02} {:02} {:02} {:02}",
                    person / 1_000_000 % 100,
                    person / 10_000 % 100,
                    person / 100 % 100,
                    person % 100
                )
            };
            let customer = if rng.below(3) == 0 {
                String::new()
            } else {
                format!("C{person}")
            };
            let user = if rng.below(2) == 0 {
                String::new()
            } else {
                format!("U{person}")
            };
            let day = rng.below(28) + 1;
            let updated = format!("2024-{:02}-{day:02}T10:00:00Z", rng.below(12) + 1);
            rows.push(vec![
                format!("{model}-{index}"),
                email,
                phone,
                customer,
                user,
                last_name,
                format!("first{}", person % 1000),
                updated,
            ]);
        }
        tables.push(Table::from_rows(model, columns, &rows));
    }
    tables
}

/// CPU time this process has run, from Linux's `/proc/self/schedstat` (zero elsewhere): wall time on a shared
/// machine says more about the neighbours than about the engine.
fn cpu() -> std::time::Duration {
    let text = std::fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    let nanos = text
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    std::time::Duration::from_nanos(nanos)
}

fn main() {
    let records: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let demo = std::env::args().nth(2).is_some_and(|a| a == "demo");
    let started = Instant::now();
    let (settings, tables) = if demo {
        // The demo generator's data and graph: realistic noise, four rules with one fuzzy.
        let set = spine_core::demo::synthetic(records, 1);
        let settings = load_settings(&set.graph_json, None).expect("the demo graph is valid");
        let tables: Vec<Table> = settings
            .models
            .iter()
            .map(|model| {
                let file = set
                    .models
                    .iter()
                    .find(|f| f.name == model.name)
                    .expect("every model has a file");
                spine_core::parse_csv(&file.name, file.text.as_bytes()).expect("demo files parse")
            })
            .collect();
        (settings, tables)
    } else {
        (
            load_settings(GRAPH, None).expect("the bench graph is valid"),
            generate(records),
        )
    };
    println!("generated {records} records in {:.2?}", started.elapsed());

    let started = Instant::now();
    let mut last_stage = String::new();
    let cpu_started = cpu();
    let mut stage_started = (Instant::now(), cpu());
    let mut sink = |progress: &Progress<'_>| {
        if progress.stage != last_stage {
            if !last_stage.is_empty() {
                println!(
                    "  {last_stage:<28} {:>8.2?} wall {:>8.2?} cpu",
                    stage_started.0.elapsed(),
                    cpu() - stage_started.1
                );
            }
            last_stage = progress.stage.to_owned();
            stage_started = (Instant::now(), cpu());
        }
        Control::Continue
    };
    let resolution = resolve(&settings, &tables, None, &mut sink).expect("the run finishes");
    println!(
        "  {last_stage:<28} {:>8.2?} wall {:>8.2?} cpu",
        stage_started.0.elapsed(),
        cpu() - stage_started.1
    );
    println!(
        "resolved in {:.2?} wall {:.2?} cpu",
        started.elapsed(),
        cpu() - cpu_started
    );

    let started_tables = (Instant::now(), cpu());
    for name in resolution.table_names() {
        let table_started = (Instant::now(), cpu());
        let mut out = CountingSink(0);
        resolution
            .write_table(name, &mut out)
            .expect("writing to a sink never fails");
        println!(
            "  {name:<28} {:>8.2?} wall {:>8.2?} cpu {:>12} bytes",
            table_started.0.elapsed(),
            cpu() - table_started.1,
            out.0
        );
    }
    println!(
        "tables in {:.2?} wall {:.2?} cpu",
        started_tables.0.elapsed(),
        cpu() - started_tables.1
    );
    println!(
        "total {:.2?} wall {:.2?} cpu",
        started.elapsed(),
        cpu() - cpu_started
    );
    let report = resolution.report();
    println!(
        "records {} matched {} unique {} conflict {} missing {} profiles {}",
        report.total_records,
        report.matched,
        report.unique,
        report.conflict,
        report.missing,
        report.golden_records
    );
}

struct CountingSink(u64);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
