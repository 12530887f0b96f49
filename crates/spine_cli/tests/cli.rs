//! The built `spine` binary run on temporary folders: exit codes, the files it writes, and a message naming the
//! file, line and column (or JSON path) for every bad input of SPEC section 9.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// What one run of the binary left behind.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn spine(args: &[&str]) -> Ran {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_spine"))
        .args(args)
        .output()
        .expect("the binary runs");
    let ran = Ran {
        code: status.code().expect("the process exited by itself"),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    };
    assert!(
        !ran.stderr.contains("panicked"),
        "spine {args:?} panicked: {}",
        ran.stderr
    );
    ran
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A one-model identity graph: CRM contacts matched on email.
const GRAPH: &str = r#"{
  "version": 1,
  "name": "contacts",
  "models": [{"name": "crm", "primary_key": "id", "order_by": "updated", "priority": 1,
              "identifiers": {"email": "email"}, "fields": {"name": "name"}}],
  "identifiers": [{"name": "email", "kind": "email", "standardize": ["email"]}],
  "rules": [{"name": "same_email", "criteria": [{"identifiers": ["email"], "match": "exact"}]}],
  "golden": {"fields": [{"name": "name", "strategy": "last_non_null"}]}
}"#;

const CRM: &str = "id,email,name,updated\n1,ann@x.com,Ann,2024-01-01\n2, ANN@x.com ,Ann B,2024-02-01\n3,bob@y.com,Bob,\n";

/// A folder with `graph.json` and `data/crm.csv` holding the given bytes.
fn case(crm: &[u8]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("graph.json");
    std::fs::write(&graph, GRAPH).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("crm.csv"), crm).unwrap();
    (dir, graph, data)
}

fn run_case(crm: &[u8]) -> (tempfile::TempDir, Ran) {
    let (dir, graph, data) = case(crm);
    let out = dir.path().join("out");
    let ran = spine(&[
        "run",
        text(&graph),
        "--data",
        text(&data),
        "--out",
        text(&out),
    ]);
    (dir, ran)
}

/// The output tables of SPEC section 4 and the first columns of their headers.
const TABLES: [(&str, &str); 12] = [
    ("identity_golden", "dinmo_id,"),
    (
        "identity_golden_lineage",
        "dinmo_id,field,value,model,key,strategy",
    ),
    ("identity_match", "model,key,dinmo_id,status"),
    (
        "identity_matched_ids",
        "dinmo_id,identifier,value,record_count,models,first_seen_at,last_seen_at",
    ),
    (
        "identity_unresolved_records",
        "model,key,reason,detail,candidate_dinmo_ids",
    ),
    (
        "identity_lookup",
        "model,key,identifier,raw_value,standardized_value,status,detail",
    ),
    (
        "match_pairs",
        "left_model,left_key,right_model,right_key,rule,stage,scores,decision,detail,dinmo_id",
    ),
    ("identity_redirects", "old_dinmo_id,new_dinmo_id,kind"),
    ("identity_golden_report", "run_id,"),
    ("identity_model_metrics", "model,"),
    ("identity_rule_metrics", "stage,rule,"),
    ("identity_identifier_metrics", "identifier,"),
];

#[test]
fn the_demo_set_runs_end_to_end_and_writes_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let ran = spine(&["demo", "--out", text(&demo)]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    for file in [
        "crm.csv",
        "shop.csv",
        "app.csv",
        "support.csv",
        "web_events.csv",
        "graph.json",
        "truth.csv",
    ] {
        assert!(demo.join(file).is_file(), "{file} written");
    }

    let out = dir.path().join("out");
    let graph = demo.join("graph.json");
    let ran = spine(&[
        "run",
        text(&graph),
        "--data",
        text(&demo),
        "--out",
        text(&out),
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stdout
            .starts_with("Resolved 3000 records from 4 models into "),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("resolution rate "), "{}", ran.stdout);
    for (table, header) in TABLES {
        let written = std::fs::read_to_string(out.join(format!("{table}.csv"))).unwrap();
        assert!(
            written.starts_with(header),
            "{table}: {}",
            written.lines().next().unwrap_or_default()
        );
    }
    let matches = std::fs::read_to_string(out.join("identity_match.csv")).unwrap();
    assert!(matches.lines().count() > 2500);

    // Tables are written side by side on several threads; a second run gives the same bytes all the same.
    let again = dir.path().join("again");
    assert_eq!(
        spine(&[
            "run",
            text(&graph),
            "--data",
            text(&demo),
            "--out",
            text(&again)
        ])
        .code,
        0
    );
    for (table, _) in TABLES {
        let file = format!("{table}.csv");
        assert!(
            std::fs::read(out.join(&file)).unwrap() == std::fs::read(again.join(&file)).unwrap(),
            "{file}"
        );
    }

    let truth = demo.join("truth.csv");
    let identity_match = out.join("identity_match.csv");
    let ran = spine(&[
        "evaluate",
        "--truth",
        text(&truth),
        "--match",
        text(&identity_match),
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let figure = |name: &str| -> f64 {
        let line = ran
            .stdout
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    println!(
        "demo set: precision {}, recall {}, f1 {}",
        figure("precision"),
        figure("recall"),
        figure("f1")
    );
    assert!(
        figure("precision") >= 0.98 && figure("recall") >= 0.90,
        "{}",
        ran.stdout
    );
}

#[test]
fn a_second_run_with_the_previous_output_keeps_the_ids() {
    let (dir, graph, data) = case(CRM.as_bytes());
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    assert_eq!(
        spine(&[
            "run",
            text(&graph),
            "--data",
            text(&data),
            "--out",
            text(&first)
        ])
        .code,
        0
    );
    let ran = spine(&[
        "run",
        text(&graph),
        "--model",
        &format!("crm={}", text(&data.join("crm.csv"))),
        "--out",
        text(&second),
        "--previous",
        text(&first),
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let read = |dir: &Path| std::fs::read_to_string(dir.join("identity_match.csv")).unwrap();
    assert_eq!(read(&first), read(&second));
    assert_eq!(read(&first).lines().count(), 4);
}

#[test]
fn validate_reports_valid_and_invalid_graphs() {
    let (dir, graph, data) = case(CRM.as_bytes());
    let ran = spine(&["validate", text(&graph), "--data", text(&data)]);
    assert_eq!(
        (ran.code, ran.stdout.trim()),
        (
            0,
            format!("{}: valid: 1 models, 1 identifiers, 1 rules", text(&graph)).as_str()
        )
    );

    let invalid = dir.path().join("invalid.json");
    let broken = GRAPH
        .replace(
            r#""identifiers": ["email"], "match": "exact""#,
            r#""identifiers": ["emial"], "match": "fuzzy_medium""#,
        )
        .replace(
            r#""kind": "email""#,
            r#""kind": "email", "conflict_limit": 0"#,
        );
    std::fs::write(&invalid, broken).unwrap();
    let ran = spine(&["validate", text(&invalid)]);
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert!(lines.len() >= 3, "every problem is printed: {lines:#?}");
    let prefix = format!("{}: ", text(&invalid));
    assert!(
        lines.iter().all(|line| line.starts_with(&prefix)),
        "{lines:#?}"
    );
    for path in [
        "rules[0].criteria[0].identifiers[0]",
        "rules[0].criteria",
        "identifiers[0].conflict_limit",
    ] {
        assert!(
            lines
                .iter()
                .any(|line| line.starts_with(&format!("{prefix}{path}: "))),
            "{path}: {lines:#?}"
        );
    }

    // Columns are checked against the data's headers when a folder is given.
    std::fs::write(data.join("crm.csv"), "id,mail,name,updated\n").unwrap();
    let ran = spine(&["validate", text(&graph), "--data", text(&data)]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout.contains("models[0].identifiers.email") && ran.stdout.contains("`email`"),
        "{}",
        ran.stdout
    );

    let not_json = dir.path().join("not.json");
    std::fs::write(&not_json, "{\"version\": 1,\n  models: []}").unwrap();
    let ran = spine(&["validate", text(&not_json)]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout
            .starts_with(&format!("{}: line 2, column 3", text(&not_json))),
        "{}",
        ran.stdout
    );

    let ran = spine(&["validate", text(&dir.path().join("missing.json"))]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("cannot read") && ran.stderr.contains("missing.json"),
        "{}",
        ran.stderr
    );
}

#[test]
fn malformed_csv_is_an_error_naming_the_place() {
    let cases: [(&[u8], &str); 6] = [
        (
            b"id,email,name,updated\n1,a@x.com,\"Ann,2024\n",
            "crm.csv: line 2, column 3: a quoted cell is never closed",
        ),
        (
            b"id,email,name,updated\n1,a@x.com,Ann,2024,extra\n",
            "crm.csv: line 2: row has 5 cells but the header has 4",
        ),
        (
            b"id,email,name,updated\n1,a@x.com,Ren\xE9,2024\n",
            "crm.csv: line 2, column 3: the bytes are not valid UTF-8",
        ),
        (b"", "crm.csv: the file is empty"),
        (
            b"id,email,email,updated\n",
            "crm.csv: line 1, column 3: the column name 'email' appears twice",
        ),
        (
            b"id,email,,updated\n",
            "crm.csv: line 1, column 3: the header has an empty column name",
        ),
    ];
    for (bytes, expected) in cases {
        let (_dir, ran) = run_case(bytes);
        assert_eq!(ran.code, 2, "{expected}: {}", ran.stderr);
        assert!(
            ran.stderr
                .starts_with("spine: error: cannot load model `crm`: "),
            "{}",
            ran.stderr
        );
        assert!(
            ran.stderr.contains(expected),
            "{expected:?} in {:?}",
            ran.stderr
        );
    }
}

#[test]
fn a_byte_order_mark_and_a_header_only_file_are_accepted() {
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(CRM.as_bytes());
    let (dir, ran) = run_case(&with_bom);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let matches = std::fs::read_to_string(dir.path().join("out/identity_match.csv")).unwrap();
    assert_eq!(matches.lines().count(), 4, "{matches}");

    // A header with no rows is a valid, empty model: every table is written with its header alone.
    let (dir, ran) = run_case(b"id,email,name,updated\n");
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stdout
            .starts_with("Resolved 0 records from 1 models into 0 profiles"),
        "{}",
        ran.stdout
    );
    let matches = std::fs::read_to_string(dir.path().join("out/identity_match.csv")).unwrap();
    assert_eq!(matches, "model,key,dinmo_id,status\n");
}

#[test]
fn missing_files_and_bad_graphs_are_errors() {
    let (dir, graph, data) = case(CRM.as_bytes());
    let out = dir.path().join("out");
    std::fs::remove_file(data.join("crm.csv")).unwrap();
    let ran = spine(&[
        "run",
        text(&graph),
        "--data",
        text(&data),
        "--out",
        text(&out),
    ]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .contains(&format!("cannot read {}", text(&data.join("crm.csv")))),
        "{}",
        ran.stderr
    );

    let ran = spine(&["run", text(&graph), "--out", text(&out)]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .contains("model `crm` has no file: give --data DIR"),
        "{}",
        ran.stderr
    );
    let ran = spine(&[
        "run",
        text(&graph),
        "--model",
        "shop=x.csv",
        "--out",
        text(&out),
    ]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .contains("the identity graph has no model named `shop`"),
        "{}",
        ran.stderr
    );

    let (dir, graph, data) = case(CRM.as_bytes());
    std::fs::write(&graph, "{\"version\": 1, \"models\": [}").unwrap();
    let ran = spine(&[
        "run",
        text(&graph),
        "--data",
        text(&data),
        "--out",
        text(&out),
    ]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .contains(&format!("{}: line 1, column 27", text(&graph))),
        "{}",
        ran.stderr
    );

    std::fs::write(
        &graph,
        GRAPH.replace(r#""primary_key": "id""#, r#""primary_key": "contact""#),
    )
    .unwrap();
    let ran = spine(&[
        "run",
        text(&graph),
        "--data",
        text(&data),
        "--out",
        text(&out),
    ]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .contains(&format!("{}: models[0].primary_key: ", text(&graph))),
        "{}",
        ran.stderr
    );
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written for an invalid graph"
    );
}

#[test]
fn demo_sets_are_reproducible_and_evaluate_checks_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let ran = spine(&[
            "demo",
            "--out",
            text(out),
            "--records",
            "700",
            "--seed",
            "5",
        ]);
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        assert!(
            ran.stdout.starts_with("Wrote 700 records in 4 models, "),
            "{}",
            ran.stdout
        );
    }
    for file in ["crm.csv", "web_events.csv", "truth.csv"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
    let ran = spine(&["demo", "--out", text(&a), "--seed", "5"]);
    assert_eq!(ran.code, 2, "--seed needs --records");

    let truth = a.join("truth.csv");
    let ran = spine(&[
        "evaluate",
        "--truth",
        text(&truth),
        "--match",
        text(&a.join("crm.csv")),
    ]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .contains("crm.csv: the column 'model' is missing"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    assert_eq!(
        spine(&["demo", "--out", text(&demo), "--records", "2000"]).code,
        0
    );
    let truth = demo.join("truth.csv");
    // The reader goes away before the command writes anything: its first write meets a broken pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_spine"))
        .args(["evaluate", "--truth", text(&truth), "--match", text(&truth)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!((output.status.code(), stderr.as_str()), (Some(0), ""));
}
