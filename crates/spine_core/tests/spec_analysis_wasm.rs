//! The event, explain and what-if spec cases run from files embedded at compile time, so the same comparisons
//! run natively and in WebAssembly (`cargo test -p spine_core --target wasm32-unknown-unknown --test
//! spec_analysis_wasm`): each must match its expected files and its `snapshot.txt` byte for byte.

#[path = "support/analysis.rs"]
mod analysis;
#[path = "support/cases.rs"]
mod cases;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A case folder's files, embedded: `case!("name", "path", ...)`.
macro_rules! case {
    ($name:literal, $($path:literal),+ $(,)?) => {{
        let mut files = cases::Files::new();
        $(files.insert($path.to_owned(), include_bytes!(concat!("../../../tests/spec/", $name, "/", $path)).to_vec());)+
        ($name, files)
    }};
}

fn embedded() -> Vec<(&'static str, cases::Files)> {
    vec![
        case!(
            "events_statuses_and_backfill",
            "graph.json",
            "models/crm.csv",
            "models/web.csv",
            "expected/identity_event_links.csv",
            "expected/identity_unstitched_events.csv",
            "expected/identity_event_metrics.csv",
            "snapshot.txt",
        ),
        case!(
            "events_ambiguous_anonymous_no_lifetime",
            "graph.json",
            "models/app.csv",
            "models/app_events.csv",
            "expected/identity_event_links.csv",
            "expected/identity_unstitched_events.csv",
            "expected/identity_event_metrics.csv",
            "snapshot.txt",
        ),
        case!(
            "explain_chain_and_non_matches",
            "graph.json",
            "models/crm.csv",
            "explain.json",
            "expected/explain.json",
            "snapshot.txt",
        ),
        case!(
            "explain_suspicious_profiles",
            "graph.json",
            "models/crm.csv",
            "explain.json",
            "expected/explain.json",
            "snapshot.txt",
        ),
        case!(
            "diff_merge_split_move",
            "graph.json",
            "graph_after.json",
            "models/crm.csv",
            "expected/diff.json",
            "snapshot.txt",
        ),
    ]
}

#[test]
fn embedded_cases_match_their_expected_files() {
    let mut failures = Vec::new();
    for (name, files) in embedded() {
        match cases::run_case(&files) {
            Ok(outcome) => {
                failures.extend(outcome.mismatches.iter().map(|m| format!("{name}: {m}")));
                let snapshot = String::from_utf8_lossy(&files["snapshot.txt"]);
                if outcome.snapshot != snapshot {
                    failures.push(format!("{name}: snapshot.txt differs"));
                }
            }
            Err(error) => failures.push(format!("{name}: {error}")),
        }
        match analysis::run_analysis(&files) {
            Ok(mismatches) => {
                failures.extend(mismatches.into_iter().map(|m| format!("{name}: {m}")))
            }
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
