//! `spine explain`, `spine diff` and the event tables of `spine run`, on the spec cases' data: readable text,
//! JSON that matches the engine's typed results, and exit code 2 for what the run does not know.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn spine(args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_spine"))
        .args(args)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(stderr).unwrap();
    assert!(
        !stderr.contains("panicked"),
        "spine {args:?} panicked: {stderr}"
    );
    (
        status.code().expect("the process exited by itself"),
        String::from_utf8(stdout).unwrap(),
        stderr,
    )
}

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/spec")
        .join(name)
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn explain_prints_a_profiles_chain() {
    let dir = case("explain_chain_and_non_matches");
    let (code, out, err) = spine(&[
        "explain",
        text(&dir.join("graph.json")),
        "--data",
        text(&dir.join("models")),
        "--profile",
        "dm_6addc1de8010d9cd",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Profile dm_6addc1de8010d9cd (3 records): crm r1, crm r2, crm r3\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "  stage 2 (phone_and_name): crm r1 - crm r3  [phone=1.0000; last_name=0.9667]\n"
        ),
        "{out}"
    );
}

#[test]
fn explain_records_says_why_not_in_text_and_json() {
    let dir = case("explain_chain_and_non_matches");
    let graph = dir.join("graph.json");
    let data = dir.join("models");
    let args = [
        "explain",
        text(&graph),
        "--data",
        text(&data),
        "--records",
        "crm:r7",
        "crm:r8",
    ];
    let (code, out, err) = spine(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("are not in one profile."), "{out}");
    assert!(out.contains("stage 2 (phone_and_name): last_name 'lee' vs 'li' scores 0.6111, under the threshold 0.9"), "{out}");

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, out, err) = spine(&json_args);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["same_profile"], false);
    assert_eq!(value["rules"][0]["reason"], "missing_value");
    assert_eq!(value["rules"][1]["reason"], "below_threshold");
}

#[test]
fn explain_refuses_an_unknown_profile_or_a_bad_record() {
    let dir = case("explain_chain_and_non_matches");
    let graph = dir.join("graph.json");
    let data = dir.join("models");
    let (code, _, err) = spine(&[
        "explain",
        text(&graph),
        "--data",
        text(&data),
        "--profile",
        "dm_nope",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("there is no profile with ID 'dm_nope'"),
        "{err}"
    );
    let (code, _, err) = spine(&[
        "explain",
        text(&graph),
        "--data",
        text(&data),
        "--records",
        "crm",
        "crm:r1",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--records crm: write MODEL:KEY"), "{err}");
    let (code, _, err) = spine(&[
        "explain",
        text(&graph),
        "--data",
        text(&data),
        "--records",
        "crm:zz",
        "crm:r1",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("model 'crm' has no record with key 'zz'"),
        "{err}"
    );
}

#[test]
fn diff_summarizes_and_prints_json() {
    let dir = case("diff_merge_split_move");
    let (before, after, data) = (
        dir.join("graph.json"),
        dir.join("graph_after.json"),
        dir.join("models"),
    );
    let (code, out, err) = spine(&["diff", text(&before), text(&after), "--data", text(&data)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "Profiles: 8 before, 8 after; 3 unchanged, 2 merged, 2 split; 2 records moved; 6 records changed status.\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("  crm a2: dm_f6e8ee257b38c043 -> dm_1d66cae59ae02df0\n"),
        "{out}"
    );
    let (code, out, _) = spine(&[
        "diff",
        text(&before),
        text(&after),
        "--data",
        text(&data),
        "--json",
    ]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected/diff.json")).unwrap())
            .unwrap();
    assert_eq!(value, expected);
}

#[test]
fn run_writes_the_event_tables() {
    let dir = case("events_statuses_and_backfill");
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = spine(&[
        "run",
        text(&dir.join("graph.json")),
        "--data",
        text(&dir.join("models")),
        "--out",
        text(out.path()),
    ]);
    assert_eq!(code, 0, "{err}");
    for table in [
        "identity_event_links",
        "identity_unstitched_events",
        "identity_event_metrics",
    ] {
        let written = std::fs::read_to_string(out.path().join(format!("{table}.csv"))).unwrap();
        let expected = std::fs::read_to_string(dir.join(format!("expected/{table}.csv"))).unwrap();
        assert_eq!(written, expected, "{table}");
    }
}
