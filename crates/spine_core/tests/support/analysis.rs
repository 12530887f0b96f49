//! Runs the explain and what-if parts of a spec case from its files in memory: `explain.json` asks for
//! profiles and record pairs to explain and `expected/explain.json` holds the answers; `graph_after.json` is
//! the edited graph of a what-if case and `expected/diff.json` the comparison. Both are compared after parsing.

use super::cases::{Files, resolve_case, resolve_graph};
use serde_json::{Value, json};
use spine_core::diff::diff;

/// The explain and diff answers of a case, and every expected file they do not match.
pub fn run_analysis(files: &Files) -> Result<Vec<String>, String> {
    let mut mismatches = Vec::new();
    if let Some(request) = files.get("explain.json") {
        let request: Value =
            serde_json::from_slice(request).map_err(|e| format!("explain.json: {e}"))?;
        let case = resolve_case(files)?;
        let run = &case.resolution;
        let mut profiles = Vec::new();
        for id in request["profiles"].as_array().into_iter().flatten() {
            let id = id.as_str().ok_or("explain.json: profiles are ID strings")?;
            profiles.push(
                serde_json::to_value(run.explain_profile(id).map_err(|e| e.to_string())?).unwrap(),
            );
        }
        let mut records = Vec::new();
        for pair in request["records"].as_array().into_iter().flatten() {
            let name = |at: usize| -> Result<(&str, &str), String> {
                let text = pair[at]
                    .as_str()
                    .ok_or("explain.json: records are [\"MODEL:KEY\", \"MODEL:KEY\"]")?;
                text.split_once(':')
                    .ok_or_else(|| format!("explain.json: '{text}' is not MODEL:KEY"))
            };
            let explained = run
                .explain_records(name(0)?, name(1)?)
                .map_err(|e| e.to_string())?;
            records.push(serde_json::to_value(explained).unwrap());
        }
        let suspicious = serde_json::to_value(run.suspicious_profiles()).unwrap();
        let actual = json!({"profiles": profiles, "records": records, "suspicious": suspicious});
        compare(files, "expected/explain.json", &actual, &mut mismatches)?;
    }
    if files.contains_key("graph_after.json") {
        let before = resolve_case(files)?;
        let after = resolve_graph(files, "graph_after.json")?;
        let actual = serde_json::to_value(diff(&before.resolution, &after.resolution)).unwrap();
        compare(files, "expected/diff.json", &actual, &mut mismatches)?;
    }
    Ok(mismatches)
}

fn compare(
    files: &Files,
    path: &str,
    actual: &Value,
    mismatches: &mut Vec<String>,
) -> Result<(), String> {
    let expected = files
        .get(path)
        .ok_or_else(|| format!("{path} is missing"))?;
    let expected: Value = serde_json::from_slice(expected).map_err(|e| format!("{path}: {e}"))?;
    if &expected != actual {
        mismatches.push(format!(
            "{path} differs\n--- expected\n{}\n--- actual\n{}",
            serde_json::to_string_pretty(&expected).unwrap(),
            serde_json::to_string_pretty(actual).unwrap()
        ));
    }
    Ok(())
}
