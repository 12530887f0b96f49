//! Runs every spec case of `tests/spec/` natively: each `expected/` table must match byte for byte, and the
//! whole output must match the case's `snapshot.txt` (rewritten instead when `SPINE_BLESS=1`).

#[path = "support/cases.rs"]
mod cases;
#[path = "support/folders.rs"]
mod folders;

use std::fs;
use std::path::{Path, PathBuf};

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/spec")
}

#[test]
fn spec_cases() {
    let bless = std::env::var("SPINE_BLESS").is_ok_and(|v| v == "1");
    let filter = std::env::var("SPINE_CASE").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = fs::read_dir(spec_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        !dirs.is_empty(),
        "no spec cases found in {}",
        spec_dir().display()
    );
    let mut failures = Vec::new();
    let mut ran = 0;
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains(&filter) {
            continue;
        }
        ran += 1;
        let files = folders::read_case(&dir);
        for required in ["README.md", "graph.json"] {
            if !files.contains_key(required) {
                failures.push(format!("{name}: {required} is missing"));
            }
        }
        let outcome = match cases::run_case(&files) {
            Ok(outcome) => outcome,
            Err(error) => {
                failures.push(format!("{name}: {error}"));
                continue;
            }
        };
        failures.extend(outcome.mismatches.iter().map(|m| format!("{name}: {m}")));
        let snapshot_path = dir.join("snapshot.txt");
        if bless {
            fs::write(&snapshot_path, &outcome.snapshot).unwrap();
        } else {
            match fs::read_to_string(&snapshot_path) {
                Ok(expected) if expected == outcome.snapshot => {}
                Ok(_) => failures.push(format!(
                    "{name}: snapshot.txt differs (review, then SPINE_BLESS=1 to rewrite)\n{}",
                    outcome.snapshot
                )),
                Err(_) => failures.push(format!(
                    "{name}: snapshot.txt is missing (SPINE_BLESS=1 writes it)"
                )),
            }
        }
    }
    assert!(ran > 0, "no spec case matches SPINE_CASE={filter}");
    assert!(
        failures.is_empty(),
        "{} problem(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
