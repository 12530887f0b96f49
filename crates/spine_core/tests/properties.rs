//! Laws of the resolution pipeline checked on small random inputs: clustering is a partition of the emitted
//! records, outputs depend neither on row order nor on model order nor on anything but the input, and a run
//! given its own previous output keeps every ID.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use spine_core::resolve::{Previous, RecordStatus, Resolution, resolve};
use spine_core::validate::load_settings;
use spine_core::{NoProgress, Table, parse_csv};
use std::collections::{BTreeMap, BTreeSet};

const MODELS: [&str; 3] = ["crm", "shop", "app"];
const COLUMNS: [&str; 5] = ["id", "email", "cust", "name", "updated"];

/// One model's rows (unique keys, so that line numbers in messages never depend on row order).
#[derive(Debug, Clone)]
struct Model {
    priority: u32,
    rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
struct Config {
    keep: bool,
    max_profile_size: Option<u32>,
    one_per_profile: bool,
    email_limit: Option<u32>,
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(options).prop_map(str::to_owned)
}

fn model() -> impl Strategy<Value = Model> {
    let row = (
        pick(&["", "a@x.com", "b@x.com", " A@x.com", "c@x.com"]),
        pick(&["", "", "c1", "c2", "c3"]),
        pick(&["", "anna", "anne", "annie", "bob", "martha", "marhta"]),
        pick(&[
            "",
            "2024-01-01",
            "2024-01-02T10:00:00Z",
            "1704067200",
            "junk",
            "2024-01-03 00:00:00",
        ]),
    );
    (1u32..=3, proptest::collection::vec(row, 0..7)).prop_map(|(priority, rows)| Model {
        priority,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(index, (email, cust, name, updated))| {
                vec![format!("k{index}"), email, cust, name, updated]
            })
            .collect(),
    })
}

fn config() -> impl Strategy<Value = Config> {
    (
        any::<bool>(),
        proptest::option::of(2u32..5),
        any::<bool>(),
        proptest::option::of(1u32..3),
    )
        .prop_map(
            |(keep, max_profile_size, one_per_profile, email_limit)| Config {
                keep,
                max_profile_size,
                one_per_profile,
                email_limit,
            },
        )
}

/// The identity graph with the models listed in `order`.
fn graph(config: &Config, models: &[Model], order: &[usize]) -> String {
    let listed: Vec<String> = order
        .iter()
        .map(|&m| {
            format!(
                r#"{{"name": "{}", "primary_key": "id", "order_by": "updated", "priority": {}, "one_per_profile": {},
                   "identifiers": {{"email": "email", "customer_id": "cust", "name": "name"}}, "fields": {{"nickname": "name"}}}}"#,
                MODELS[m],
                models[m].priority,
                config.one_per_profile && m == 0
            )
        })
        .collect();
    let email_limit = config.email_limit.map_or(String::new(), |limit| {
        format!(r#", "conflict_limit": {limit}"#)
    });
    let max_profile_size = config.max_profile_size.map_or(String::new(), |max| {
        format!(r#""max_profile_size": {max}, "#)
    });
    format!(
        r#"{{
  "version": 1, "name": "property",
  "models": [{}],
  "identifiers": [
    {{"name": "email", "kind": "email", "standardize": ["trim", "lowercase"]{email_limit}}},
    {{"name": "customer_id", "kind": "customer_id", "standardize": ["trim"], "conflict_limit": 1}},
    {{"name": "name", "kind": "name", "standardize": ["trim", "lowercase"]}}
  ],
  "rules": [
    {{"name": "same_customer_id", "criteria": [{{"identifiers": ["customer_id"], "match": "exact"}}]}},
    {{"name": "email_and_name", "criteria": [{{"identifiers": ["email"], "match": "exact"}},
                                            {{"identifiers": ["name"], "match": "fuzzy_medium"}}]}},
    {{"name": "same_email", "criteria": [{{"identifiers": ["email"], "match": "exact"}}]}}
  ],
  "guardrails": {{{max_profile_size}"max_block_size": 4, "on_conflict": "{}"}},
  "golden": {{"fields": [{{"name": "nickname", "strategy": "last_non_null"}}, {{"name": "email", "strategy": "most_frequent"}},
                         {{"name": "customer_id", "strategy": "all_distinct"}}]}}
}}"#,
        listed.join(", "),
        if config.keep { "keep" } else { "exclude" }
    )
}

fn run(
    config: &Config,
    models: &[Model],
    order: &[usize],
    previous: Option<&Previous>,
) -> Resolution {
    let settings =
        load_settings(&graph(config, models, order), None).expect("the generated graph is valid");
    let tables: Vec<Table> = order
        .iter()
        .map(|&m| Table::from_rows(MODELS[m], &COLUMNS, &models[m].rows))
        .collect();
    resolve(&settings, &tables, previous, &mut NoProgress).expect("the run finishes")
}

fn tables(resolution: &Resolution) -> BTreeMap<&'static str, String> {
    resolution
        .table_names()
        .into_iter()
        .map(|name| (name, resolution.table_csv(name).unwrap()))
        .collect()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let table = parse_csv("t.csv", text.as_bytes()).unwrap();
    (0..table.len())
        .map(|row| table.row(row).map(str::to_owned).collect())
        .collect()
}

fn inputs() -> impl Strategy<Value = (Config, Vec<Model>)> {
    (config(), proptest::collection::vec(model(), 3))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn clustering_is_a_partition_of_the_emitted_records((config, models) in inputs()) {
        let resolution = run(&config, &models, &[0, 1, 2], None);
        let total: usize = models.iter().map(|m| m.rows.len()).sum();
        let emitted = csv_rows(&resolution.table_csv("identity_match").unwrap());
        let unresolved = csv_rows(&resolution.table_csv("identity_unresolved_records").unwrap());
        prop_assert_eq!(emitted.len() + unresolved.len(), total);

        let mut seen = BTreeSet::new();
        let mut profiles_of_records: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for profile in resolution.profiles() {
            prop_assert!(!profile.records.is_empty());
            for record in &profile.records {
                prop_assert!(seen.insert((record.model.to_owned(), record.key.to_owned())), "a record is in two profiles");
                profiles_of_records.entry(profile.id.to_owned()).or_default().insert((record.model.to_owned(), record.key.to_owned()));
                let status = resolution.record_status(record.model, record.key).unwrap();
                let expected = if profile.conflict {
                    RecordStatus::Conflict
                } else if profile.records.len() > 1 {
                    RecordStatus::Matched
                } else {
                    RecordStatus::Unique
                };
                prop_assert_eq!(status, expected);
            }
        }
        let mut from_table: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for row in &emitted {
            from_table.entry(row[2].clone()).or_default().insert((row[0].clone(), row[1].clone()));
        }
        prop_assert_eq!(seen.len(), emitted.len());
        prop_assert_eq!(from_table, profiles_of_records);
        if let Some(max) = config.max_profile_size {
            for profile in resolution.profiles() {
                prop_assert!(profile.records.len() <= max as usize);
            }
        }
    }

    #[test]
    fn outputs_do_not_depend_on_row_order(
        (config, models) in inputs(),
        seeds in proptest::collection::vec(any::<u64>(), 3),
    ) {
        let shuffled: Vec<Model> = models
            .iter()
            .zip(&seeds)
            .map(|(model, &seed)| {
                let mut rows = model.rows.clone();
                // A deterministic permutation from the seed (rotate, then reverse on odd seeds).
                if !rows.is_empty() {
                    let by = (seed % rows.len() as u64) as usize;
                    rows.rotate_left(by);
                    if seed % 2 == 1 {
                        rows.reverse();
                    }
                }
                Model { priority: model.priority, rows }
            })
            .collect();
        prop_assert_eq!(tables(&run(&config, &models, &[0, 1, 2], None)), tables(&run(&config, &shuffled, &[0, 1, 2], None)));
    }

    #[test]
    fn outputs_do_not_depend_on_model_order((config, models) in inputs()) {
        // The first model carries `one_per_profile` in every order, so both runs describe the same graph.
        let forward = tables(&run(&config, &models, &[0, 1, 2], None));
        let backward = tables(&run(&config, &models, &[2, 1, 0], None));
        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn the_same_input_gives_the_same_bytes((config, models) in inputs()) {
        prop_assert_eq!(tables(&run(&config, &models, &[0, 1, 2], None)), tables(&run(&config, &models, &[0, 1, 2], None)));
    }

    #[test]
    fn a_rerun_on_unchanged_data_keeps_every_id((config, models) in inputs()) {
        let first = run(&config, &models, &[0, 1, 2], None);
        let matches = parse_csv("identity_match.csv", first.table_csv("identity_match").unwrap().as_bytes()).unwrap();
        let redirects = parse_csv("identity_redirects.csv", first.table_csv("identity_redirects").unwrap().as_bytes()).unwrap();
        let previous = Previous::from_tables(&matches, Some(&redirects)).unwrap();
        let second = run(&config, &models, &[0, 1, 2], Some(&previous));
        prop_assert_eq!(first.table_csv("identity_match"), second.table_csv("identity_match"));
        prop_assert_eq!(second.table_csv("identity_redirects").unwrap(), "old_dinmo_id,new_dinmo_id,kind\n");
    }
}
