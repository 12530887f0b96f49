//! Runs every spec case of `tests/spec/` in WebAssembly inside headless Chromium: each `expected/` table and the
//! whole `snapshot.txt` written by the native runner must match byte for byte, so native and wasm agree.
#![cfg(target_arch = "wasm32")]

#[path = "support/cases.rs"]
mod cases;

use include_dir::{Dir, DirEntry, include_dir};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

static SPEC: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../tests/spec");

/// Every file under a case folder, keyed by its path inside the folder.
fn case_files(case: &Dir<'_>, files: &mut cases::Files) {
    for entry in case.entries() {
        match entry {
            DirEntry::Dir(dir) => case_files(dir, files),
            DirEntry::File(file) => {
                let relative = file
                    .path()
                    .strip_prefix(case_root(file.path()))
                    .unwrap_or(file.path());
                files.insert(
                    relative.to_string_lossy().replace('\\', "/"),
                    file.contents().to_vec(),
                );
            }
        }
    }
}

/// The case folder a path inside `tests/spec/` belongs to (its first component).
fn case_root(path: &std::path::Path) -> &std::path::Path {
    path.components()
        .next()
        .map_or(path, |first| std::path::Path::new(first.as_os_str()))
}

#[wasm_bindgen_test]
fn spec_cases_match_their_expected_tables_and_native_snapshots() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in SPEC.dirs() {
        let name = case.path().to_string_lossy().into_owned();
        let mut files = cases::Files::new();
        case_files(case, &mut files);
        ran += 1;
        let outcome = match cases::run_case(&files) {
            Ok(outcome) => outcome,
            Err(error) => {
                failures.push(format!("{name}: {error}"));
                continue;
            }
        };
        failures.extend(outcome.mismatches.iter().map(|m| format!("{name}: {m}")));
        match files.get("snapshot.txt") {
            Some(expected) if expected.as_slice() == outcome.snapshot.as_bytes() => {}
            Some(_) => failures.push(format!(
                "{name}: the wasm output differs from the native snapshot.txt\n{}",
                outcome.snapshot
            )),
            None => failures.push(format!(
                "{name}: snapshot.txt is missing (the native runner writes it with SPINE_BLESS=1)"
            )),
        }
    }
    assert!(ran > 0, "no spec cases were embedded");
    assert!(
        failures.is_empty(),
        "{} problem(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
