//! The studio's plain logic, run in the browser: mapping suggestions, graph edits (event mappings included),
//! spreadsheet-safe CSV, column profiling and the growth of a profile.
#![cfg(target_arch = "wasm32")]

use spine_core::options::{Columns, IdentityGraph, MatchType};
use spine_core::settings::IdentifierKind;
use spine_web::csv_safe::{is_formula, neutralise};
use spine_web::event_setup::{default_policy, event_model};
use spine_web::graph_edit::{Edit, apply, empty_graph};
use spine_web::growth::{GrowthEdge, components, positions};
use spine_web::inspect::{detect_kind, model_name, suggest_key, suggest_order, summarize};
use spine_web::protocol::{ColumnKind, ColumnProfile};
use spine_web::suggest::{guess, suggest};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn table(name: &str, csv: &str) -> spine_core::Table {
    spine_core::parse_csv(name, csv.as_bytes()).unwrap()
}

fn graph_with_model(name: &str) -> IdentityGraph {
    let mut graph = empty_graph();
    apply(
        &mut graph,
        Edit::AddModel {
            name: name.to_owned(),
            primary_key: Some("id".to_owned()),
            order_by: None,
        },
    );
    graph
}

// ---- mapping suggestions ----

#[wasm_bindgen_test]
fn suggestions_come_from_column_names_and_detected_kinds() {
    let crm = table(
        "crm.csv",
        "id,mail_address,Mobile,fname,surname,cust_no,contact,notes\n\
         1,ann@x.com,06 12 34 56 78,Ann,Lee,C1,ann.lee@y.org,hello\n\
         2,bob@x.com,06 98 76 54 32,Bob,Ray,C2,bob@z.net,world\n",
    );
    let summary = summarize("crm.csv", 10, &crm);
    let graph = graph_with_model("crm");
    let found: Vec<(String, String, bool)> = suggest(&graph, &[summary])
        .into_iter()
        .map(|s| (s.column, s.identifier, s.creates))
        .collect();
    assert_eq!(
        found,
        vec![
            ("mail_address".into(), "email".into(), true),
            ("Mobile".into(), "phone".into(), true),
            ("fname".into(), "first_name".into(), true),
            ("surname".into(), "last_name".into(), true),
            ("cust_no".into(), "customer_id".into(), true),
            // No name hint, but its values are email addresses.
            ("contact".into(), "email".into(), true),
        ]
    );
}

#[wasm_bindgen_test]
fn suggestions_reuse_an_existing_identifier_of_the_same_kind_and_skip_mapped_columns() {
    let shop = table(
        "shop.csv",
        "id,e_mail,email_opt_in\n1,a@b.co,yes\n2,c@d.co,no\n",
    );
    let summary = summarize("shop.csv", 10, &shop);
    let mut graph = graph_with_model("shop");
    apply(
        &mut graph,
        Edit::AddIdentifier {
            name: "mail".into(),
            kind: IdentifierKind::Email,
        },
    );
    let found = suggest(&graph, std::slice::from_ref(&summary));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (
            found[0].column.as_str(),
            found[0].identifier.as_str(),
            found[0].creates
        ),
        ("e_mail", "mail", false)
    );
    // Accepting it maps the column, and nothing is left to suggest.
    apply(&mut graph, found[0].edit());
    assert_eq!(
        graph.models[0].identifiers["mail"],
        Columns::One("e_mail".into())
    );
    assert!(suggest(&graph, &[summary]).is_empty());
}

#[wasm_bindgen_test]
fn a_name_hint_needs_values_that_fit() {
    // `email_opt_in` holds yes/no, not addresses.
    assert_eq!(guess("email_opt_in", ColumnKind::Text), None);
    assert_eq!(
        guess("email", ColumnKind::Email).map(|g| g.1),
        Some("email")
    );
    // `tel` must be a whole word: `hotel_code` is not a phone.
    assert_eq!(guess("hotel_code", ColumnKind::Id), None);
    assert_eq!(guess("tel", ColumnKind::Phone).map(|g| g.1), Some("phone"));
    assert_eq!(
        guess("user_id", ColumnKind::Id).map(|g| g.0),
        Some(IdentifierKind::UserId)
    );
}

// ---- column profiling ----

#[wasm_bindgen_test]
fn columns_are_profiled_and_key_and_order_suggested() {
    let t = table(
        "App Users.csv",
        "created_at,user_id,email,updated_at,city\n\
         2024-01-01,u1,a@x.com,2024-02-01T10:00:00Z,Paris\n\
         2024-01-02,u2,,2024-02-03 11:00:00,Paris\n\
         2024-01-03,u3,c@x.com,2024-02-05,Lyon\n",
    );
    let s = summarize("App Users.csv", 100, &t);
    assert_eq!(s.model, "app_users");
    assert_eq!(s.suggested_key.as_deref(), Some("user_id"));
    assert_eq!(s.suggested_order.as_deref(), Some("updated_at"));
    let email = &s.columns[2];
    assert_eq!(
        (email.filled, email.distinct, email.kind),
        (2, 2, ColumnKind::Email)
    );
    let city = &s.columns[4];
    assert_eq!(
        city.top,
        vec![("Paris".to_owned(), 2), ("Lyon".to_owned(), 1)]
    );
    assert_eq!(s.preview.len(), 3);
}

#[wasm_bindgen_test]
fn kinds_are_detected_from_values() {
    assert_eq!(
        detect_kind("x", &["+33 6 12 34 56 78", "0612345678"], 2, 2),
        ColumnKind::Phone
    );
    assert_eq!(
        detect_kind("dob", &["31/12/1990", "1/2/1985"], 2, 2),
        ColumnKind::Date
    );
    assert_eq!(
        detect_kind("given", &["Ann", "Marie-Claire"], 2, 2),
        ColumnKind::Name
    );
    assert_eq!(
        detect_kind("ref", &["A-1", "A-2", "A-3"], 3, 3),
        ColumnKind::Id
    );
    assert_eq!(
        detect_kind("note", &["hello there", "hi"], 2, 2),
        ColumnKind::Text
    );
    assert_eq!(model_name("crm.csv"), "crm");
    assert_eq!(model_name("Shop Export (2).CSV"), "shop_export__2_");
}

#[wasm_bindgen_test]
fn a_key_with_a_few_duplicates_is_still_suggested() {
    let column = |name: &str, filled, distinct| ColumnProfile {
        name: name.to_owned(),
        filled,
        distinct,
        top: Vec::new(),
        kind: ColumnKind::Id,
    };
    let columns = vec![column("city", 100, 10), column("contact_ref", 99, 98)];
    assert_eq!(suggest_key(&columns, 100).as_deref(), Some("contact_ref"));
    assert_eq!(suggest_key(&[column("city", 100, 10)], 100), None);
    assert_eq!(suggest_order(&columns, None), None);
}

// ---- graph edits ----

#[wasm_bindgen_test]
fn mapping_twice_makes_a_list_and_unmapping_undoes_it() {
    let mut graph = graph_with_model("crm");
    let map = |column: &str| Edit::Map {
        model: "crm".into(),
        column: column.into(),
        identifier: "email".into(),
        kind: IdentifierKind::Email,
    };
    apply(&mut graph, map("email"));
    apply(&mut graph, map("email_2"));
    assert_eq!(graph.identifiers.len(), 1, "the identifier is created once");
    assert_eq!(
        graph.identifiers[0].standardize,
        vec![spine_core::settings::Step::Email]
    );
    assert_eq!(
        graph.models[0].identifiers["email"],
        Columns::Many(vec!["email".into(), "email_2".into()])
    );
    apply(
        &mut graph,
        Edit::Unmap {
            model: "crm".into(),
            column: "email".into(),
            identifier: "email".into(),
        },
    );
    assert_eq!(
        graph.models[0].identifiers["email"],
        Columns::One("email_2".into())
    );
}

#[wasm_bindgen_test]
fn removing_an_identifier_removes_its_mappings_criteria_and_golden_field() {
    let mut graph = graph_with_model("crm");
    apply(
        &mut graph,
        Edit::Map {
            model: "crm".into(),
            column: "mail".into(),
            identifier: "email".into(),
            kind: IdentifierKind::Email,
        },
    );
    apply(
        &mut graph,
        Edit::AddIdentifier {
            name: "phone".into(),
            kind: IdentifierKind::Phone,
        },
    );
    apply(&mut graph, Edit::AddRule { name: "r".into() });
    apply(
        &mut graph,
        Edit::AddCriterion {
            rule: 0,
            identifier: "phone".into(),
        },
    );
    apply(
        &mut graph,
        Edit::AddGoldenField {
            name: "email".into(),
            strategy: spine_core::settings::Strategy::MostFrequent,
        },
    );
    apply(
        &mut graph,
        Edit::RemoveIdentifier {
            name: "email".into(),
        },
    );
    assert!(graph.models[0].identifiers.is_empty());
    assert_eq!(graph.rules[0].criteria.len(), 1);
    assert_eq!(
        graph.rules[0].criteria[0].identifiers,
        vec!["phone".to_owned()]
    );
    assert!(graph.golden.fields.is_empty());
}

#[wasm_bindgen_test]
fn a_custom_threshold_is_kept_only_for_the_fuzzy_form() {
    let mut graph = graph_with_model("crm");
    apply(
        &mut graph,
        Edit::AddIdentifier {
            name: "name".into(),
            kind: IdentifierKind::Name,
        },
    );
    apply(&mut graph, Edit::AddRule { name: "r".into() });
    let set = |m, t| Edit::SetCriterionMatch {
        rule: 0,
        criterion: 0,
        match_type: m,
        threshold: t,
    };
    apply(&mut graph, set(MatchType::Fuzzy, Some(0.8)));
    assert_eq!(graph.rules[0].criteria[0].threshold, Some(0.8));
    apply(&mut graph, set(MatchType::FuzzyMedium, Some(0.8)));
    assert_eq!(graph.rules[0].criteria[0].threshold, None);
}

// ---- spreadsheet-safe CSV ----

#[wasm_bindgen_test]
fn formula_cells_are_neutralised_and_nothing_else_changes() {
    let csv = "a,b,c\n=SUM(A1),+33 6,\"-1,5\"\n@x,plain,\"\"\"=not\"\"\"\n,\"=1\n2\",ok\n";
    assert_eq!(
        neutralise(csv),
        "a,b,c\n'=SUM(A1),'+33 6,\"'-1,5\"\n'@x,plain,\"\"\"=not\"\"\"\n,\"'=1\n2\",ok\n"
    );
    let parsed = spine_core::parse_csv("t.csv", neutralise(csv).as_bytes()).unwrap();
    assert_eq!(parsed.len(), 3, "the rows survive");
    for row in 0..parsed.len() {
        for cell in parsed.row(row) {
            assert!(!is_formula(cell), "{cell:?}");
        }
    }
}

// ---- a profile's growth ----

fn edge(a: usize, b: usize, stage: usize, accepted: bool) -> GrowthEdge {
    GrowthEdge {
        a,
        b,
        stage,
        accepted,
        rule: String::new(),
        scores: String::new(),
    }
}

#[wasm_bindgen_test]
fn components_follow_the_stages_and_ignore_refused_pairs() {
    let edges = [
        edge(0, 1, 1, true),
        edge(2, 3, 2, true),
        edge(1, 3, 2, false),
        edge(3, 0, 3, true),
    ];
    assert_eq!(components(4, &edges, 0), vec![0, 1, 2, 3]);
    assert_eq!(components(4, &edges, 1), vec![0, 0, 2, 3]);
    assert_eq!(components(4, &edges, 2), vec![0, 0, 2, 2]);
    assert_eq!(components(4, &edges, 3), vec![0, 0, 0, 0]);
    let places = positions(&components(4, &edges, 3), 600.0, 400.0);
    assert!(
        places
            .iter()
            .all(|(x, y)| (0.0..=600.0).contains(x) && (0.0..=400.0).contains(y))
    );
    let distinct: std::collections::BTreeSet<(i64, i64)> =
        places.iter().map(|(x, y)| (*x as i64, *y as i64)).collect();
    assert_eq!(distinct.len(), 4, "the members of one ring do not overlap");
}

// ---- event files ----

#[wasm_bindgen_test]
fn a_file_becomes_an_event_model_with_the_graphs_identifiers() {
    let mut graph = graph_with_model("crm");
    for (name, kind) in [
        ("email", IdentifierKind::Email),
        ("user_id", IdentifierKind::UserId),
        ("anonymous_id", IdentifierKind::AnonymousId),
        ("first_name", IdentifierKind::Name),
    ] {
        apply(
            &mut graph,
            Edit::AddIdentifier {
                name: name.into(),
                kind,
            },
        );
    }
    let web = table(
        "web_events.csv",
        "event_id,ts,type,uid,mail,anonymous_id,page\n\
         E1,2024-01-01T10:00:00Z,view,u1,a@x.com,a-1,/home\n\
         E2,2024-01-02T10:00:00Z,buy,,b@x.com,a-2,/cart\n",
    );
    let summary = summarize("web_events.csv", 10, &web);
    let model = event_model(&summary, &graph);
    assert_eq!(
        (
            model.name.as_str(),
            model.key.as_str(),
            model.timestamp.as_str()
        ),
        ("web_events", "event_id", "ts")
    );
    assert_eq!(model.event_type.as_deref(), Some("type"));
    let mapped: Vec<(&str, &[String])> = model
        .identifiers
        .iter()
        .map(|(i, c)| (i.as_str(), c.as_slice()))
        .collect();
    assert_eq!(
        mapped,
        vec![
            ("anonymous_id", &["anonymous_id".to_owned()][..]),
            ("email", &["mail".to_owned()][..]),
            ("user_id", &["uid".to_owned()][..]),
        ]
    );
    let policy = default_policy(&graph, vec![model]);
    assert_eq!(
        policy.priority,
        ["user_id", "email", "anonymous_id"],
        "strongest first, names left out"
    );
    assert_eq!(policy.anonymous, ["anonymous_id"]);
    assert!(policy.backfill);
}

#[wasm_bindgen_test]
fn event_mappings_only_use_existing_identifiers_and_models() {
    let mut graph = graph_with_model("crm");
    apply(
        &mut graph,
        Edit::AddIdentifier {
            name: "email".into(),
            kind: IdentifierKind::Email,
        },
    );
    let web = table("web.csv", "event_id,ts,mail\nE1,2024-01-01,a@x.com\n");
    let mut model = event_model(&summarize("web.csv", 10, &web), &graph);
    model.identifiers.clear();
    let events = default_policy(&graph, vec![model]);
    apply(&mut graph, Edit::SetEvents(Some(Box::new(events))));
    let before = graph.clone();
    // An identifier the graph does not define, or an event model it does not have, changes nothing.
    for (model, identifier) in [("web", "loyalty_id"), ("shop", "email")] {
        apply(
            &mut graph,
            Edit::MapEvent {
                model: model.into(),
                column: "mail".into(),
                identifier: identifier.into(),
            },
        );
    }
    assert_eq!(graph, before);
    apply(
        &mut graph,
        Edit::MapEvent {
            model: "web".into(),
            column: "mail".into(),
            identifier: "email".into(),
        },
    );
    let events = graph.events.as_ref().unwrap();
    assert_eq!(
        events.models[0].identifiers.get("email"),
        Some(&Columns::One("mail".into()))
    );
    assert!(
        graph.models[0].identifiers.is_empty(),
        "profile models are untouched"
    );
}

#[wasm_bindgen_test]
fn numbers_read_in_the_browser_as_rust_reads_them() {
    let same = |text: &str| {
        let browser = spine_web::browser::parse_f64(text).map(f64::to_bits);
        let rust = text.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(browser, rust, "{text:?}");
    };
    for text in [
        "0",
        "1",
        "-1",
        "+2.5",
        "0.85",
        ".5",
        "5.",
        "-.5",
        "007.10",
        "1e5",
        "1E-5",
        "2.5e+3",
        "1e400",
        "-1e-400",
        "9007199254740993",
        "2.2250738585072011e-308",
        "4.9e-324",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "0.1000000000000000055511151231257827021181583404541015625",
        "inf",
        "-Infinity",
        "+INF",
        "NaN",
        "-nan",
        "",
        ".",
        "-",
        "+",
        "e5",
        "1e",
        "1e+",
        "1.2.3",
        "0x10",
        " 1",
        "1 ",
        "infin",
        "nana",
        "1_000",
        "1,5",
        "١",
        "--1",
        "+-1",
        "1e5.5",
        "Infinity1",
    ] {
        same(text);
    }
    // Generated decimals: up to 25 significant digits, a point anywhere, exponents across the whole range.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    };
    for _ in 0..5000 {
        let digits: String = (0..1 + next(25))
            .map(|_| char::from(b'0' + next(10) as u8))
            .collect();
        let point = next(digits.len() as u64 + 1) as usize;
        let mut text = format!("{}.{}", &digits[..point], &digits[point..]);
        if next(2) == 0 {
            text.push_str(&format!("e{}", next(700) as i64 - 350));
        }
        same(&text);
    }
}
