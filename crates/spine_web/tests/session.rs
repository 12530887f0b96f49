//! The worker's session answers requests in the browser as the studio sends them: load, validate, run with
//! progress, page through profiles, open one, download a table, compare two runs.
#![cfg(target_arch = "wasm32")]

use spine_web::protocol::{ChangeItem, ChangeList, CsvFile, Request, Response};
use spine_web::session::Session;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CRM: &str = "id,email,first_name,updated\n\
c1,ann@example.com,Ann,2024-01-01\n\
c2,bob@example.com,Bob,2024-01-02\n\
c3,,Cleo,2024-01-03\n\
c4,=cmd@evil.com,Eve,2024-01-04\n";
const SHOP: &str = "id,mail,given,changed\n\
s1,ANN@example.com ,Annie,2024-03-01\n\
s2,dan@example.com,Dan,2024-03-02\n\
s3,bob@example.com,Robert,2024-03-03\n";

fn graph(rules: &str) -> String {
    graph_with(rules, "{}")
}

fn graph_with(rules: &str, guardrails: &str) -> String {
    format!(
        r#"{{"version": 1, "name": "t",
        "models": [
          {{"name": "crm", "primary_key": "id", "order_by": "updated", "priority": 1,
            "identifiers": {{"email": "email"}}, "fields": {{"first_name": "first_name"}}}},
          {{"name": "shop", "primary_key": "id", "order_by": "changed", "priority": 2,
            "identifiers": {{"email": "mail"}}, "fields": {{"first_name": "given"}}}}],
        "identifiers": [{{"name": "email", "kind": "email", "standardize": ["email"]}}],
        "rules": {rules},
        "guardrails": {guardrails},
        "golden": {{"fields": [{{"name": "first_name", "strategy": "last_non_null"}}, {{"name": "email", "strategy": "most_frequent"}}]}}}}"#
    )
}

const BY_EMAIL: &str =
    r#"[{"name": "same_email", "criteria": [{"identifiers": ["email"], "match": "exact"}]}]"#;

fn ask(session: &mut Session, request: Request) -> Vec<Response> {
    let mut out = Vec::new();
    let clock = || 0.0;
    session.handle(request, &clock, &mut |response| out.push(response));
    out
}

fn one(session: &mut Session, request: Request) -> Response {
    let mut responses = ask(session, request);
    assert_eq!(responses.len(), 1, "{responses:?}");
    responses.remove(0)
}

fn load(session: &mut Session) {
    let files = vec![
        CsvFile {
            name: "crm.csv".into(),
            bytes: CRM.as_bytes().to_vec(),
        },
        CsvFile {
            name: "shop.csv".into(),
            bytes: SHOP.as_bytes().to_vec(),
        },
        CsvFile {
            name: "broken.csv".into(),
            bytes: b"id,email\n1,\"x\n".to_vec(),
        },
    ];
    let Response::Loaded {
        files,
        errors,
        fresh,
        ..
    } = one(session, Request::Load { files, fresh: true })
    else {
        panic!("expected Loaded")
    };
    assert!(fresh);
    assert_eq!(
        files.iter().map(|f| f.model.as_str()).collect::<Vec<_>>(),
        ["crm", "shop"]
    );
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("broken.csv: line 2, column 2"),
        "{}",
        errors[0]
    );
}

fn run(
    session: &mut Session,
    revision: u64,
    graph_json: String,
) -> spine_web::protocol::RunSummary {
    let responses = ask(
        session,
        Request::Run {
            revision,
            graph_json,
        },
    );
    assert!(
        matches!(responses[0], Response::Progress(_)),
        "progress comes first"
    );
    match responses.last() {
        Some(Response::Done(summary)) => (**summary).clone(),
        other => panic!("expected Done, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn a_graph_is_checked_against_the_loaded_columns() {
    let mut session = Session::default();
    load(&mut session);
    let broken = graph(BY_EMAIL).replace("\"mail\"", "\"e-mail\"");
    let Response::Validated { revision, problems } = one(
        &mut session,
        Request::Validate {
            revision: 7,
            graph_json: broken,
        },
    ) else {
        panic!("expected Validated")
    };
    assert_eq!(revision, 7);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].path.starts_with("models[1].identifiers.email"),
        "{problems:?}"
    );
    let Response::Failed { problems, .. } = ask(
        &mut session,
        Request::Run {
            revision: 7,
            graph_json: graph(BY_EMAIL).replace("\"mail\"", "\"e-mail\""),
        },
    )
    .remove(0) else {
        panic!("an invalid graph does not run")
    };
    assert_eq!(problems.len(), 1);
}

#[wasm_bindgen_test]
fn a_run_answers_pages_profiles_tables_and_what_if() {
    let mut session = Session::default();
    load(&mut session);
    let summary = run(&mut session, 1, graph(BY_EMAIL));
    // ann (crm c1 + shop s1) and bob (crm c2 + shop s3) match; dan and eve stay alone; cleo has no email.
    assert_eq!(
        (
            summary.totals.records,
            summary.totals.matched,
            summary.totals.unique,
            summary.totals.missing
        ),
        (7, 4, 2, 1)
    );
    assert_eq!(summary.stages.len(), 1);
    assert_eq!(summary.initial_profiles, 6);
    assert!(
        summary.what_if.is_none(),
        "the first run has nothing to compare with"
    );

    let Response::ProfilesPage(page) = one(
        &mut session,
        Request::ProfilesPage {
            search: "ROBERT".into(),
            page: 0,
        },
    ) else {
        panic!("expected a page")
    };
    assert_eq!(page.total, 1);
    assert_eq!(page.fields, ["first_name", "email"]);
    let bob = &page.rows[0];
    assert_eq!((bob.records, bob.models), (2, 2));
    assert_eq!(
        bob.values,
        ["Robert", "bob@example.com"],
        "last_non_null picks the latest update"
    );

    let Response::Profile(detail) = one(&mut session, Request::Profile { id: bob.id.clone() })
    else {
        panic!("expected a profile")
    };
    assert_eq!(detail.golden[0].model, "shop");
    assert_eq!(detail.golden[0].key, "s3");
    let shop = detail.records.iter().find(|r| r.model == "shop").unwrap();
    let given = shop.cells.iter().find(|c| c.column == "given").unwrap();
    assert_eq!(
        (given.value.as_str(), given.golden.clone()),
        ("Robert", vec!["first_name".to_owned()])
    );
    assert_eq!(detail.pairs.len(), 1);
    assert_eq!(
        detail.chain.len(),
        1,
        "the chain is the pair that joined them"
    );
    assert_eq!(detail.chain[0].scores, "email=1.0000");
    assert!(detail.refusals.is_empty());
    assert_eq!(detail.pairs[0].decision, "accepted");
    assert_eq!(detail.pairs[0].scores, "email=1.0000");

    let Response::Table { csv, .. } = one(
        &mut session,
        Request::Table {
            name: "identity_lookup".into(),
        },
    ) else {
        panic!("expected a table")
    };
    assert!(
        csv.contains("'=cmd@evil.com"),
        "formula cells are neutralised: {csv}"
    );
    assert!(!csv.contains(",=cmd"), "{csv}");

    // Profiles of one record at most: both merges are refused, so both profiles split.
    let summary = run(
        &mut session,
        2,
        graph_with(BY_EMAIL, r#"{"max_profile_size": 1}"#),
    );
    let what_if = summary
        .what_if
        .expect("a second run is compared with the first");
    assert_eq!(
        (
            what_if.before_revision,
            what_if.merged,
            what_if.split,
            what_if.status_changed
        ),
        (1, 0, 2, 4)
    );
    let Response::WhatIf(page) = one(
        &mut session,
        Request::WhatIf {
            list: ChangeList::Split,
            page: 0,
        },
    ) else {
        panic!("expected a what-if page")
    };
    assert_eq!(page.total, 2);
    assert!(matches!(
        &page.items[0],
        ChangeItem::Split { records: 2, .. }
    ));
}

#[wasm_bindgen_test]
fn queries_before_a_run_say_so_and_the_demo_loads() {
    let mut session = Session::default();
    assert_eq!(one(&mut session, Request::Review), Response::NoRun);
    let Response::Loaded {
        files,
        errors,
        demo_graph,
        ..
    } = one(
        &mut session,
        Request::LoadDemo {
            only: Some(vec!["crm.csv".into(), "web_events.csv".into()]),
            fresh: true,
        },
    )
    else {
        panic!("expected Loaded")
    };
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        files.iter().map(|f| f.file.as_str()).collect::<Vec<_>>(),
        ["crm.csv", "web_events.csv"]
    );
    assert_eq!(files[0].suggested_key.as_deref(), Some("contact_id"));
    assert!(demo_graph.is_some_and(|g| g.contains("\"same_customer_id\"")));
}

#[wasm_bindgen_test]
fn an_imported_graph_is_read_with_the_place_of_each_problem() {
    let mut session = Session::default();
    let bad = r#"{"version": 1, "models": [{"name": "crm", "primry_key": "id"}]}"#;
    let Response::Parsed { file, problems } = one(
        &mut session,
        Request::Parse {
            file: "g.json".into(),
            json: bad.into(),
        },
    ) else {
        panic!("expected Parsed")
    };
    assert_eq!(file, "g.json");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].path.starts_with("models[0]"), "{problems:?}");
    assert!(problems[0].message.contains("primry_key"), "{problems:?}");
    let Response::Parsed { problems, .. } = one(
        &mut session,
        Request::Parse {
            file: "g.json".into(),
            json: graph(BY_EMAIL),
        },
    ) else {
        panic!("expected Parsed")
    };
    assert!(problems.is_empty(), "{problems:?}");
    let Response::Parsed { problems, .. } = one(
        &mut session,
        Request::Parse {
            file: "g.json".into(),
            json: "{ not json".into(),
        },
    ) else {
        panic!("expected Parsed")
    };
    assert!(
        problems[0].message.contains("line 1, column"),
        "{problems:?}"
    );
}

fn record(model: &str, key: &str) -> spine_web::protocol::RecordId {
    spine_web::protocol::RecordId {
        model: model.into(),
        key: key.into(),
    }
}

#[wasm_bindgen_test]
fn two_records_are_explained_rule_by_rule() {
    let mut session = Session::default();
    load(&mut session);
    run(&mut session, 1, graph(BY_EMAIL));
    let Response::Explained(apart) = one(
        &mut session,
        Request::ExplainRecords {
            left: record("crm", "c1"),
            right: record("shop", "s2"),
        },
    ) else {
        panic!("expected an explanation")
    };
    assert!(!apart.same_profile);
    assert_eq!(apart.verdicts.len(), 1);
    let (stage, rule, joined, sentence) = &apart.verdicts[0];
    assert_eq!((*stage, rule.as_str(), *joined), (1, "same_email", false));
    assert!(!sentence.is_empty());
    assert_eq!(apart.right.status, "unique");
    let Response::Explained(together) = one(
        &mut session,
        Request::ExplainRecords {
            left: record("crm", "c1"),
            right: record("shop", "s1"),
        },
    ) else {
        panic!("expected an explanation")
    };
    assert!(together.same_profile);
    assert!(together.verdicts[0].2, "the rule joined them");
    let Response::ExplainFailed { message } = one(
        &mut session,
        Request::ExplainRecords {
            left: record("crm", "c1"),
            right: record("shop", "nope"),
        },
    ) else {
        panic!("an unknown record is reported")
    };
    assert!(message.contains("nope"), "{message}");
}

#[wasm_bindgen_test]
fn events_are_stitched_after_the_run() {
    let mut session = Session::default();
    load(&mut session);
    let web = CsvFile {
        name: "web.csv".into(),
        bytes:
            b"event_id,ts,email\ne1,2024-01-01,ann@example.com\ne2,2024-01-02,nobody@example.com\n"
                .to_vec(),
    };
    one(
        &mut session,
        Request::Load {
            files: vec![web],
            fresh: true,
        },
    );
    let with_events = graph(BY_EMAIL).replacen(
        r#""rules":"#,
        r#""events": {"models": [{"name": "web", "key": "event_id", "timestamp": "ts", "identifiers": {"email": "email"}}], "priority": ["email"]},
        "rules":"#,
        1,
    );
    let summary = run(&mut session, 1, with_events);
    assert_eq!(
        summary.events,
        Some((2, 1)),
        "e1 reaches ann, e2 knows nobody"
    );
    assert!(summary.tables.iter().any(|t| t == "identity_event_links"));
    let Response::Events(data) = one(&mut session, Request::Events) else {
        panic!("expected the events")
    };
    assert_eq!(data.events, 2);
    assert_eq!(data.unstitched_total, 1);
    let reason = data.unstitched.column("reason").unwrap();
    assert_eq!(data.unstitched.rows[0][reason], "unknown_identifier");
    assert!(!data.metrics.rows.is_empty());
    let Response::Table { csv, .. } = one(
        &mut session,
        Request::Table {
            name: "identity_event_links".into(),
        },
    ) else {
        panic!("expected a table")
    };
    assert!(csv.starts_with("model,event_key"), "{csv}");
}

/// Two people share a phone number but not an email: matching by email, then by phone, moves one record.
const PEOPLE: &str = "id,email,tel\n\
r1,a@example.com,111\n\
r2,a@example.com,222\n\
r3,b@example.com,222\n";

fn people_graph(identifier: &str) -> String {
    format!(
        r#"{{"version": 1, "name": "t",
        "models": [{{"name": "people", "primary_key": "id", "priority": 1,
            "identifiers": {{"email": "email", "tel": "tel"}}}}],
        "identifiers": [{{"name": "email", "kind": "email", "standardize": ["email"]}},
                        {{"name": "tel", "kind": "custom", "standardize": ["trim"]}}],
        "rules": [{{"name": "same", "criteria": [{{"identifiers": ["{identifier}"], "match": "exact"}}]}}],
        "golden": {{"fields": [{{"name": "email", "strategy": "most_frequent"}}]}}}}"#
    )
}

fn what_if_list(session: &mut Session, list: ChangeList) -> Vec<ChangeItem> {
    let Response::WhatIf(page) = one(session, Request::WhatIf { list, page: 0 }) else {
        panic!("expected a what-if page")
    };
    assert_eq!(page.total, page.items.len());
    page.items
}

#[wasm_bindgen_test]
fn the_what_if_is_the_engines_diff_with_moved_records() {
    let mut session = Session::default();
    let files = vec![CsvFile {
        name: "people.csv".into(),
        bytes: PEOPLE.as_bytes().to_vec(),
    }];
    one(&mut session, Request::Load { files, fresh: true });
    let first = run(&mut session, 1, people_graph("email"));
    assert!(
        first.what_if.is_none(),
        "nothing to compare the first run with"
    );
    // By email: {r1, r2} and {r3}. By phone: {r1} and {r2, r3}.
    let summary = run(&mut session, 2, people_graph("tel"))
        .what_if
        .expect("the second run is compared with the first");
    assert_eq!(
        (
            summary.before_revision,
            summary.profiles_before,
            summary.profiles_after,
            summary.merged,
            summary.split,
            summary.unchanged,
            summary.moved,
            summary.status_changed
        ),
        (1, 2, 2, 1, 1, 0, 1, 2)
    );
    let merged = what_if_list(&mut session, ChangeList::Merged);
    let split = what_if_list(&mut session, ChangeList::Split);
    let (
        ChangeItem::Merged {
            id: joined,
            records: 2,
            from,
        },
        ChangeItem::Split {
            id: parted,
            records: 2,
            into,
        },
    ) = (&merged[0], &split[0])
    else {
        panic!("expected one merge and one split: {merged:?} {split:?}")
    };
    assert_eq!(from.len(), 2);
    assert!(into.contains(joined) && from.contains(parted));
    // r1 anchors both of its profiles, so it stays with the successor and r2 is the record that moved.
    assert_eq!(
        what_if_list(&mut session, ChangeList::Moved),
        vec![ChangeItem::Moved {
            model: "people".into(),
            key: "r2".into(),
            before: parted.clone(),
            after: joined.clone(),
        }]
    );
    let status: Vec<(String, String, String)> = what_if_list(&mut session, ChangeList::Status)
        .into_iter()
        .map(|item| match item {
            ChangeItem::Status {
                key, before, after, ..
            } => (key, before, after),
            other => panic!("expected a status change, got {other:?}"),
        })
        .collect();
    assert_eq!(
        status,
        [
            ("r1".to_owned(), "matched".to_owned(), "unique".to_owned()),
            ("r3".to_owned(), "unique".to_owned(), "matched".to_owned()),
        ]
    );
}

#[wasm_bindgen_test]
fn the_graph_compiles_to_warehouse_sql_with_a_lookup_where_needed() {
    let mut session = Session::default();
    load(&mut session);
    let plain = graph(BY_EMAIL);
    match one(
        &mut session,
        Request::Sql {
            graph_json: plain.clone(),
            dialect: "duckdb".into(),
        },
    ) {
        Response::Sql {
            dialect,
            script,
            lookup_csv,
            note,
        } => {
            assert_eq!(dialect, "duckdb");
            assert!(script.contains("CREATE OR REPLACE TABLE \"identity_match\""));
            assert!(script.contains("FROM \"crm\" AS m"));
            assert_eq!((lookup_csv, note), (None, None));
        }
        other => panic!("expected a script, got {other:?}"),
    }
    // A phonetic step has no SQL form: the script reads spine_lookup, computed from the loaded files.
    let phonetic = plain.replace(
        r#""standardize": ["email"]"#,
        r#""standardize": ["email", "phonetic"]"#,
    );
    match one(
        &mut session,
        Request::Sql {
            graph_json: phonetic,
            dialect: "spark".into(),
        },
    ) {
        Response::Sql {
            script,
            lookup_csv: Some(csv),
            note: Some(note),
            ..
        } => {
            assert!(script.contains("spine_lookup"));
            assert!(csv.starts_with("identifier,raw_value,standardized_value,detail\n"));
            assert!(csv.contains("email,ann@example.com,ANKS,"), "{csv}");
            assert!(note.contains("phonetic"), "{note}");
        }
        other => panic!("expected a script with a lookup, got {other:?}"),
    }
    assert!(matches!(
        one(
            &mut session,
            Request::Sql {
                graph_json: "{".into(),
                dialect: "duckdb".into(),
            },
        ),
        Response::SqlFailed { .. }
    ));
}
