//! Unit tests of the pipeline as a whole: progress and stopping, input errors, quarantine, warnings and the
//! typed views (the spec cases under `tests/spec/` check the tables row by row).

use super::*;
use crate::progress::Control;
use crate::table::parse_csv;
use crate::validate::load_settings;

const GRAPH: &str = r#"{
  "version": 1, "name": "unit",
  "models": [{"name": "crm", "primary_key": "id", "order_by": "updated", "priority": 1,
              "identifiers": {"email": "email", "name": "name"}, "fields": {"nickname": "name"}}],
  "identifiers": [
    {"name": "email", "kind": "email", "standardize": ["trim", "lowercase"], "max_records_per_value": 2},
    {"name": "name", "kind": "name", "standardize": ["trim", "lowercase"]}
  ],
  "rules": [
    {"name": "same_email", "criteria": [{"identifiers": ["email"], "match": "exact"}]},
    {"name": "email_and_name", "criteria": [{"identifiers": ["email"], "match": "exact"},
                                            {"identifiers": ["name"], "match": "fuzzy", "threshold": 0.8}]}
  ],
  "guardrails": {"max_block_size": 1},
  "golden": {"fields": [{"name": "nickname", "strategy": "last_non_null"}]}
}"#;

const CRM: &str = "id,email,name,updated\n\
                   1,a@x.com,anna,2024-01-01\n\
                   2,a@x.com,anne,yesterday\n\
                   3,b@x.com,bob,\n\
                   4,b@x.com,bob,2024-02-01\n\
                   5,b@x.com,rob,2024-03-01\n";

fn run_with(sink: &mut dyn ProgressSink) -> Result<Resolution, ResolveError> {
    let settings = load_settings(GRAPH, None).unwrap();
    let crm = parse_csv("crm.csv", CRM.as_bytes()).unwrap();
    resolve(&settings, &[crm], None, sink)
}

#[test]
fn reports_every_stage_in_order_and_stops_when_asked() {
    let mut stages: Vec<String> = Vec::new();
    let mut record = |progress: &Progress<'_>| {
        if stages.last().is_none_or(|s| s != progress.stage) {
            stages.push(progress.stage.to_owned());
        }
        assert_eq!(progress.stage_count, 7);
        Control::Continue
    };
    run_with(&mut record).unwrap();
    assert_eq!(
        stages,
        [
            "load",
            "standardize",
            "rule 1: same_email",
            "rule 2: email_and_name",
            "ids",
            "golden",
            "report"
        ]
    );

    let mut stop_at_rules = |progress: &Progress<'_>| {
        if progress.stage.starts_with("rule") {
            Control::Stop
        } else {
            Control::Continue
        }
    };
    assert_eq!(
        run_with(&mut stop_at_rules).unwrap_err(),
        ResolveError::Stopped
    );
}

#[test]
fn frequent_values_are_quarantined_with_the_reason() {
    let resolution = run_with(&mut crate::NoProgress).unwrap();
    let lookup = resolution.table_csv("identity_lookup").unwrap();
    assert!(lookup.contains(
        "crm,3,email,b@x.com,b@x.com,blocked,\"held by 3 records, over max_records_per_value 2\"\n"
    ));
    assert!(lookup.contains("crm,1,email,a@x.com,a@x.com,used,\n"));
    // The quarantined email joins nobody: records 3 and 4 stay apart, each with its name.
    assert_eq!(
        resolution.record_status("crm", "3"),
        Some(RecordStatus::Unique)
    );
    assert_eq!(
        resolution.record_status("crm", "4"),
        Some(RecordStatus::Unique)
    );
    assert_eq!(
        resolution.record_status("crm", "1"),
        Some(RecordStatus::Matched)
    );
    assert_eq!(resolution.record_status("crm", "9"), None);
}

#[test]
fn skipped_blocks_and_unparsable_orders_are_warnings() {
    let resolution = run_with(&mut crate::NoProgress).unwrap();
    let warnings: Vec<String> = resolution
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        warnings,
        [
            "crm key 2: order value 'yesterday' is not a date, a timestamp or Unix seconds; the record counts as oldest",
            "stage 2 (email_and_name): the block email=a@x.com holds 2 records, over max_block_size 1; its pairs were not compared",
        ]
    );
    assert_eq!(resolution.stages()[1].skipped_blocks, 1);
}

#[test]
fn pair_and_profile_views_carry_scores_ids_and_provenance() {
    let resolution = run_with(&mut crate::NoProgress).unwrap();
    let pairs: Vec<PairView<'_>> = resolution.pairs().collect();
    assert_eq!(pairs.len(), 1);
    let pair = &pairs[0];
    assert_eq!(
        (pair.left, pair.right),
        (
            RecordRef {
                model: "crm",
                key: "1"
            },
            RecordRef {
                model: "crm",
                key: "2"
            }
        )
    );
    assert_eq!(
        (pair.stage, pair.rule, pair.decision),
        (1, "same_email", Decision::Accepted)
    );
    assert_eq!(pair.scores, [1.0]);
    let profile = resolution.profile_of("crm", "2").unwrap();
    assert_eq!(pair.profile_id, Some(profile.id));
    assert_eq!(profile.records.len(), 2);
    // Record 2's order value does not parse, so record 1 is the latest with a name.
    assert_eq!(profile.golden[0].value, "anna");
    assert_eq!(
        profile.golden[0].source,
        Some(RecordRef {
            model: "crm",
            key: "1"
        })
    );
    assert_eq!(resolution.profile_count(), 4);
    assert_eq!(resolution.cluster_sizes(), [(1, 3), (2, 1)]);
    assert_eq!(resolution.profile_pairs(profile.id), pairs);
    let alone = resolution.profile_of("crm", "3").unwrap();
    assert!(resolution.profile_pairs(alone.id).is_empty());
    assert!(resolution.profile_pairs("dm_unknown").is_empty());
    // Rows are found by key: record 4 is the fourth row of the file.
    assert_eq!(resolution.record_row("crm", "4"), Some(3));
    assert_eq!(resolution.record_row("crm", "9"), None);
}

#[test]
fn unknown_tables_are_refused() {
    let resolution = run_with(&mut crate::NoProgress).unwrap();
    assert_eq!(resolution.table_csv("no_such_table"), None);
    let error = resolution
        .write_table("no_such_table", &mut Vec::new())
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(
        resolution
            .table_names()
            .iter()
            .all(|name| resolution.table_csv(name).is_some())
    );
}

#[test]
fn a_missing_column_is_an_input_error_naming_file_and_column() {
    let settings = load_settings(GRAPH, None).unwrap();
    let crm = parse_csv("crm.csv", b"id,email,updated\n1,a@x.com,\n").unwrap();
    let error = resolve(&settings, &[crm], None, &mut crate::NoProgress).unwrap_err();
    assert_eq!(
        error.to_string(),
        "crm.csv: line 1, column 'name': model 'crm' maps this column but the file has no such column"
    );
    let error = resolve(&settings, &[], None, &mut crate::NoProgress).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the identity graph has 1 models but 0 tables were given")
    );
}

#[test]
fn previous_tables_are_checked() {
    let no_key = parse_csv("match.csv", b"model,dinmo_id\ncrm,dm_1\n").unwrap();
    assert!(
        Previous::from_tables(&no_key, None)
            .unwrap_err()
            .to_string()
            .contains("column 'key'")
    );
    let twice = parse_csv(
        "match.csv",
        b"model,key,dinmo_id,status\ncrm,1,dm_1,unique\ncrm,1,dm_2,unique\n",
    )
    .unwrap();
    assert_eq!(
        Previous::from_tables(&twice, None).unwrap_err().to_string(),
        "match.csv: line 3, column 'key': model 'crm' key '1' already appears on line 2; each record has one ID"
    );
    let renamed = parse_csv(
        "match.csv",
        b"model,key,person_id,status\ncrm,1,dm_1,unique\n",
    )
    .unwrap();
    let bad_redirects = parse_csv("redirects.csv", b"old,new\n").unwrap();
    assert!(Previous::from_tables(&renamed, None).is_ok());
    assert!(
        Previous::from_tables(&renamed, Some(&bad_redirects))
            .unwrap_err()
            .to_string()
            .contains("old_dinmo_id")
    );
}

#[test]
fn top_shared_values_are_the_most_shared_then_by_value() {
    let graph = r#"{
      "version": 1, "name": "shared",
      "models": [{"name": "crm", "primary_key": "id", "priority": 1, "identifiers": {"email": "email"}}],
      "identifiers": [{"name": "email", "kind": "email", "standardize": ["trim"]}],
      "rules": [{"name": "same_email", "criteria": [{"identifiers": ["email"], "match": "exact"}]}]
    }"#;
    let settings = load_settings(graph, None).unwrap();
    let mut csv = String::from("id,email\n");
    // g is held by three records, a to f by two each, z by one.
    for (index, value) in [
        "g", "f", "e", "d", "c", "b", "a", "g", "f", "e", "d", "c", "b", "a", "g", "z",
    ]
    .iter()
    .enumerate()
    {
        csv.push_str(&format!("{index},{value}\n"));
    }
    let crm = parse_csv("crm.csv", csv.as_bytes()).unwrap();
    let resolution = resolve(&settings, &[crm], None, &mut crate::NoProgress).unwrap();
    let metrics = &resolution.identifier_metrics()[0];
    let top: Vec<(&str, u64)> = metrics
        .top_shared
        .iter()
        .map(|(v, n)| (v.as_str(), *n))
        .collect();
    assert_eq!(top, [("g", 3), ("a", 2), ("b", 2), ("c", 2), ("d", 2)]);
    assert_eq!(metrics.distinct_values, 8);
    assert_eq!(metrics.records_with_value, 16);
}

/// Runs the pieces in reverse order, several "at once", as a host with threads might finish them.
struct Backwards;

impl Workers for Backwards {
    fn width(&self) -> usize {
        3
    }

    fn run(&self, count: usize, work: &(dyn Fn(usize) + Sync)) {
        for index in (0..count).rev() {
            work(index);
        }
    }
}

/// Every table of a resolution, as written.
fn written(resolution: &Resolution) -> Vec<(&'static str, String)> {
    resolution
        .table_names()
        .into_iter()
        .map(|name| {
            let mut out = Vec::new();
            resolution.write_table(name, &mut out).unwrap();
            (name, String::from_utf8(out).unwrap())
        })
        .collect()
}

#[test]
fn tables_do_not_depend_on_chunks_or_workers() {
    let demo = crate::demo::demo_set();
    let settings = load_settings(&demo.graph_json, None).unwrap();
    let tables: Vec<Table> = demo
        .models
        .iter()
        .map(|file| parse_csv(&format!("{}.csv", file.name), file.text.as_bytes()).unwrap())
        .collect();
    let whole = resolve(&settings, &tables, None, &mut crate::NoProgress).unwrap();
    assert!(
        whole.records.len() > 1_000,
        "the demo set should need many chunks below"
    );
    let expected = written(&whole);
    for (records, profiles) in [(1, 1), (97, 53), (1_000, 4_096)] {
        let chunked = resolve_in(
            &settings,
            &tables,
            None,
            &mut crate::NoProgress,
            &Backwards,
            Chunking { records, profiles },
        )
        .unwrap();
        for ((name, want), (_, got)) in expected.iter().zip(written(&chunked)) {
            assert!(
                *want == got,
                "{name} differs with chunks of {records} records and {profiles} profiles"
            );
        }
    }
}
