//! Runs the explain and what-if spec cases of `tests/spec/` natively (the folders with an `explain.json` or a
//! `graph_after.json`), comparing `expected/explain.json` and `expected/diff.json` after parsing.

#[path = "support/analysis.rs"]
mod analysis;
#[path = "support/cases.rs"]
#[allow(dead_code)]
mod cases;
#[path = "support/folders.rs"]
mod folders;

use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn explain_and_diff_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/spec");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut ran = 0;
    let mut failures = Vec::new();
    for dir in dirs {
        if !(dir.join("explain.json").exists() || dir.join("graph_after.json").exists()) {
            continue;
        }
        ran += 1;
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match analysis::run_analysis(&folders::read_case(&dir)) {
            Ok(mismatches) => {
                failures.extend(mismatches.into_iter().map(|m| format!("{name}: {m}")))
            }
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    assert!(
        ran >= 2,
        "expected explain and diff cases in {}",
        root.display()
    );
    assert!(
        failures.is_empty(),
        "{} problem(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
