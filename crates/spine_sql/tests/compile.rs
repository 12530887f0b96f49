//! The compiler's contract: refusals that name what cannot be expressed, quoting that no graph name can break,
//! and the generated script of a small graph in every dialect, checked in as a reviewed snapshot.

use spine_core::validate::{parse_graph, validate};
use spine_sql::{Dialect, SqlOptions, compile};
use std::path::PathBuf;

fn settings(json: &str) -> spine_core::Settings {
    let graph = parse_graph(json).expect("the test graph parses");
    validate(&graph, None).expect("the test graph is valid")
}

const SMALL: &str = r#"{
  "version": 1,
  "name": "small",
  "models": [
    {"name": "shop", "primary_key": "id", "order_by": "updated", "priority": 2,
     "identifiers": {"email": "mail", "last_name": "surname"}, "fields": {"first_name": "given"}},
    {"name": "crm", "primary_key": "contact_id", "order_by": "updated_at", "priority": 1,
     "identifiers": {"email": ["email", "email_2"], "customer_id": "cust", "last_name": "lname"},
     "fields": {"first_name": "fname"}}
  ],
  "identifiers": [
    {"name": "email", "kind": "email", "standardize": ["email"], "blocked_values": ["test@test.com"],
     "max_records_per_value": 20},
    {"name": "customer_id", "kind": "customer_id", "standardize": ["trim", "uppercase"], "conflict_limit": 1,
     "blocked_patterns": ["0+"]},
    {"name": "last_name", "kind": "name", "standardize": ["trim", "lowercase"]}
  ],
  "rules": [
    {"name": "same_customer", "criteria": [{"identifiers": ["customer_id"], "match": "exact"}]},
    {"name": "email_and_name", "criteria": [{"identifiers": ["email"], "match": "exact"},
                                            {"identifiers": ["last_name"], "match": "fuzzy", "threshold": 0.9}]}
  ],
  "fuzzy": {"algorithm": "levenshtein"},
  "guardrails": {"max_profile_size": 50, "max_block_size": 100},
  "golden": {"fields": [
    {"name": "email", "strategy": "most_frequent"},
    {"name": "first_name", "strategy": "last_non_null"}
  ]}
}"#;

#[test]
fn steps_without_a_sql_form_are_refused_with_the_step_identifier_and_dialect() {
    let json = SMALL.replace(
        r#""standardize": ["trim", "lowercase"]}"#,
        r#""standardize": ["trim", "phonetic"]}"#,
    );
    let settings = settings(&json);
    for dialect in Dialect::ALL {
        let refusal = compile(&settings, dialect, &SqlOptions::default()).unwrap_err();
        let message = refusal.to_string();
        assert!(message.contains("phonetic"), "{message}");
        assert!(message.contains("'last_name'"), "{message}");
        assert!(message.starts_with(dialect.name()), "{message}");
        assert!(message.contains("--lookup"), "{message}");
        let options = SqlOptions {
            lookup: true,
            ..SqlOptions::default()
        };
        let script =
            compile(&settings, dialect, &options).expect("with --lookup the graph compiles");
        assert!(
            script.contains("spine_lookup"),
            "{dialect}: the script reads the lookup table"
        );
    }
}

#[test]
fn a_fuzzy_algorithm_the_dialect_lacks_is_refused() {
    let settings = settings(&SMALL.replace("levenshtein", "damerau_levenshtein"));
    for dialect in [Dialect::Snowflake, Dialect::BigQuery] {
        let refusal = compile(&settings, dialect, &SqlOptions::default()).unwrap_err();
        assert_eq!(refusal.what, "fuzzy algorithm 'damerau_levenshtein'");
    }
    for dialect in [Dialect::DuckDb, Dialect::Spark] {
        assert!(compile(&settings, dialect, &SqlOptions::default()).is_ok());
    }
}

#[test]
fn spark_defines_the_similarity_functions_its_rules_use() {
    let plain = compile(&settings(SMALL), Dialect::Spark, &SqlOptions::default()).unwrap();
    assert!(
        !plain.contains("TEMPORARY FUNCTION"),
        "Levenshtein is built in"
    );
    for (algorithm, call) in [
        ("damerau_levenshtein", "spine_damerau(ua.value, ub.value)"),
        ("jaro", "spine_jaro(ua.value, ub.value, FALSE)"),
        ("jaro_winkler", "spine_jaro(ua.value, ub.value, TRUE)"),
        ("sorensen_dice", "spine_sorensen_dice(ua.value, ub.value)"),
    ] {
        let settings = settings(&SMALL.replace("levenshtein", algorithm));
        let script = compile(&settings, Dialect::Spark, &SqlOptions::default()).unwrap();
        let function = &call[..call.find('(').unwrap_or(call.len())];
        assert!(
            script.contains(&format!("CREATE OR REPLACE TEMPORARY FUNCTION {function}(")),
            "{algorithm}: {function} is defined"
        );
        assert!(
            script.contains(call),
            "{algorithm}: the comparison calls {call}"
        );
    }
}

#[test]
fn names_with_quotes_stay_names_in_every_dialect() {
    let json = SMALL
        .replace(
            r#""name": "shop""#,
            r#""name": "we\"ird`s"#.to_owned().as_str(),
        )
        .replace(
            r#""name": "same_customer""#,
            r#""name": "it's; DROP TABLE x; --""#,
        );
    let json = json.replace(r#""we\"ird`s"#, r#""we\"ird`s""#);
    let settings = settings(&json);
    for dialect in Dialect::ALL {
        let script = compile(&settings, dialect, &SqlOptions::default()).expect("compiles");
        assert!(
            script.contains(&dialect.ident("we\"ird`s")),
            "{dialect}: the model table is quoted"
        );
        assert!(
            script.contains(&dialect.literal("we\"ird`s")),
            "{dialect}: the model name is a literal"
        );
        assert!(
            script.contains(&dialect.literal("it's; DROP TABLE x; --")),
            "{dialect}: the rule name is a literal"
        );
        // Outside literals, quoted names and comments, nothing of the names is left.
        let code = code_only(&script, dialect);
        assert!(
            !code.contains("DROP TABLE x"),
            "{dialect}: the rule name escaped its quotes"
        );
        assert!(
            !code.contains("ird`s"),
            "{dialect}: the model name escaped its quotes"
        );
    }
}

/// The script without its string literals, quoted names and `--` comments, read as the dialect reads them.
fn code_only(script: &str, dialect: Dialect) -> String {
    let backslash_escapes = dialect != Dialect::DuckDb;
    let mut out = String::new();
    let mut chars = script.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' | '"' | '`' => {
                // A quoted run ends at the same quote, doubled quotes and (where read) backslash escapes inside.
                loop {
                    match chars.next() {
                        None => break,
                        Some('\\') if backslash_escapes && ch != '"' => {
                            chars.next();
                        }
                        Some(c) if c == ch => {
                            if chars.peek() == Some(&ch) {
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        Some(_) => {}
                    }
                }
                out.push(' ');
            }
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                out.push('\n');
            }
            _ => out.push(ch),
        }
    }
    out
}

#[test]
fn statements_are_separated_by_a_semicolon_and_an_empty_line() {
    let settings = settings(SMALL);
    for dialect in Dialect::ALL {
        let script = compile(&settings, dialect, &SqlOptions::default()).expect("compiles");
        for statement in script.split(";\n\n").filter(|s| !s.trim().is_empty()) {
            let code: Vec<&str> = statement
                .lines()
                .filter(|line| !line.trim_start().starts_with("--"))
                .collect();
            assert!(
                !code.is_empty(),
                "{dialect}: a statement with no SQL:\n{statement}"
            );
            let last = code.last().unwrap_or(&"");
            assert!(
                !last.trim_end().ends_with(';'),
                "{dialect}: a statement ends twice:\n{statement}"
            );
        }
    }
}

/// The generated script of the small graph, per dialect, compared with the reviewed copy under
/// `tests/snapshots/` (`SPINE_BLESS=1` rewrites them after a deliberate change).
#[test]
fn scripts_match_their_reviewed_snapshots() {
    let settings = settings(SMALL);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let bless = std::env::var_os("SPINE_BLESS").is_some();
    let mut stale = Vec::new();
    for dialect in Dialect::ALL {
        let options = SqlOptions {
            schema: Some("crm_data".to_owned()),
            line_column: Some("spine_line".to_owned()),
            previous: dialect == Dialect::DuckDb,
            lookup: false,
        };
        let script = compile(&settings, dialect, &options).expect("compiles");
        let path = dir.join(format!("small.{}.sql", dialect.name()));
        if bless {
            std::fs::write(&path, &script).expect("writes the snapshot");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(script.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "generated SQL differs from the snapshots (review, then SPINE_BLESS=1): {stale:?}"
    );
}
