//! Tests of validation: one per kind of diagnostic (its path and message), and the compiled settings.

use super::*;
use crate::options::tests::SPEC_EXAMPLE;
use crate::settings::{Algorithm, IdentifierKind, OnConflict, Strategy};
use serde_json::{Value, json};

/// A small valid graph that each test breaks in one place.
fn base() -> Value {
    json!({
        "version": 1,
        "name": "people",
        "models": [
            {"name": "crm", "primary_key": "id", "order_by": "updated", "priority": 2,
             "identifiers": {"email": ["email", "email_2"], "phone": "tel"},
             "fields": {"first_name": "fname"}},
            {"name": "app", "primary_key": "uid", "priority": 1, "identifiers": {"email": "mail"}}
        ],
        "identifiers": [
            {"name": "email", "kind": "email", "standardize": ["email"], "blocked_values": [" Test@Test.com "]},
            {"name": "phone", "kind": "phone", "standardize": ["phone"], "default_region": "FR",
             "blocked_patterns": ["0+"]}
        ],
        "rules": [
            {"name": "same_email", "criteria": [{"identifiers": ["email"], "match": "exact"}]},
            {"name": "phone_fuzzy", "criteria": [{"identifiers": ["phone"], "match": "exact"},
                                                 {"identifiers": ["email"], "match": "fuzzy_strong"}]}
        ],
        "golden": {"fields": [{"name": "email", "strategy": "most_frequent"},
                              {"name": "first_name", "strategy": "model_priority", "model_order": ["crm"]}]}
    })
}

fn shape() -> DataShape {
    let mut models = BTreeMap::new();
    models.insert(
        "crm".to_owned(),
        ["id", "updated", "email", "email_2", "tel", "fname"]
            .map(String::from)
            .to_vec(),
    );
    models.insert("app".to_owned(), ["uid", "mail"].map(String::from).to_vec());
    DataShape { models }
}

fn graph(value: &Value) -> IdentityGraph {
    serde_json::from_value(value.clone()).unwrap()
}

/// Sets the value at a JSON pointer of the base graph (creating an object key when missing).
fn with(changes: &[(&str, Value)]) -> Value {
    let mut value = base();
    for (pointer, new) in changes {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let target = value.pointer_mut(parent).unwrap();
        match target {
            Value::Object(map) => {
                map.insert(key.to_owned(), new.clone());
            }
            Value::Array(items) => {
                let index = key.parse::<usize>().unwrap();
                if index == items.len() {
                    items.push(new.clone())
                } else {
                    items[index] = new.clone()
                }
            }
            _ => panic!("{pointer} is not inside an object or array"),
        }
    }
    value
}

fn problems(value: &Value, data: Option<&DataShape>) -> Vec<Diagnostic> {
    validate(&graph(value), data).err().unwrap_or_default()
}

/// Asserts that the graph has exactly one problem, at `path`, whose message contains `fragment`.
#[track_caller]
fn assert_one(value: &Value, data: Option<&DataShape>, path: &str, fragment: &str) {
    let found = problems(value, data);
    assert_eq!(
        found.len(),
        1,
        "expected one problem at {path}, got {found:#?}"
    );
    assert_eq!(found[0].path, path, "{found:#?}");
    assert!(
        found[0].message.contains(fragment),
        "message {:?} lacks {fragment:?}",
        found[0].message
    );
}

#[test]
fn the_base_graph_and_the_spec_example_are_valid() {
    assert_eq!(problems(&base(), Some(&shape())), vec![]);
    // The events block of section 7 names identifiers the example of section 2 does not define.
    let mut example = parse_graph(SPEC_EXAMPLE).unwrap();
    example.events = None;
    let settings = validate(&example, None).unwrap();
    assert_eq!(settings.models.len(), 2);
    assert_eq!(settings.rules.len(), 3);
}

#[test]
fn settings_are_compiled_in_full() {
    let settings = validate(&graph(&base()), Some(&shape())).unwrap();
    assert_eq!(settings.name, "people");
    assert_eq!(settings.id_column, "dinmo_id");
    // `app` has priority 1, so it anchors before `crm`.
    assert_eq!(settings.anchor_order, vec![1, 0]);
    let crm = &settings.models[0];
    assert_eq!(crm.primary_key, "id");
    assert_eq!(crm.order_by.as_deref(), Some("updated"));
    assert_eq!(
        crm.identifiers
            .iter()
            .map(|m| m.identifier)
            .collect::<Vec<_>>(),
        vec![0, 1]
    );
    assert_eq!(crm.identifiers[0].columns, vec!["email", "email_2"]);
    assert_eq!(
        crm.fields,
        vec![("first_name".to_owned(), "fname".to_owned())]
    );
    let email = &settings.identifiers[0];
    assert_eq!(email.kind, IdentifierKind::Email);
    // The listed value as written and after the identifier's own steps.
    assert_eq!(
        email.blocked_values,
        BTreeSet::from([" Test@Test.com ".to_owned(), "test@test.com".to_owned()])
    );
    let phone = &settings.identifiers[1];
    assert_eq!(phone.default_region.as_deref(), Some("FR"));
    assert_eq!(phone.blocked_pattern_sources, vec!["0+"]);
    assert_eq!(phone.blocked_patterns[0].as_str(), "^(?:0+)$");
    assert_eq!(settings.rules[0].criteria[0].comparison, Comparison::Exact);
    assert!(settings.rules[0].is_exact_only());
    assert_eq!(
        settings.rules[1].criteria[1].comparison,
        Comparison::Fuzzy {
            algorithm: Algorithm::JaroWinkler,
            threshold: 0.95
        }
    );
    assert_eq!(settings.guardrails.on_conflict, OnConflict::Exclude);
    assert_eq!(settings.golden[0].source, GoldenSource::Identifier(0));
    assert_eq!(settings.golden[0].strategy, Strategy::MostFrequent);
    assert_eq!(settings.golden[0].model_rank, vec![1, 0]);
    assert_eq!(
        settings.golden[1].source,
        GoldenSource::Field("first_name".to_owned())
    );
    // `model_order` first, then the rest by priority.
    assert_eq!(settings.golden[1].model_rank, vec![0, 1]);
    assert!(settings.events.is_none());
    assert_eq!(
        parse_graph(&settings.canonical_json).unwrap(),
        graph(&base())
    );
}

#[test]
fn events_are_compiled() {
    let settings = load_settings(SPEC_EXAMPLE, None);
    // The example's events name `user_id`, `anonymous_id` and `device_id`, which it never defines.
    let paths: Vec<String> = settings.unwrap_err().into_iter().map(|d| d.path).collect();
    assert_eq!(
        paths,
        vec![
            "events.anonymous[0]",
            "events.anonymous[1]",
            "events.models[0].identifiers.anonymous_id",
            "events.models[0].identifiers.user_id",
            "events.priority[0]",
            "events.priority[4]",
            "events.priority[5]",
        ]
    );
    let value = with(&[
        (
            "/identifiers/2",
            json!({"name": "anon", "kind": "anonymous_id"}),
        ),
        (
            "/events",
            json!({"models": [{"name": "web", "key": "event_id", "timestamp": "ts",
                               "identifiers": {"anon": "a", "email": "e"}}],
                   "priority": ["email", "anon"], "anonymous": ["anon"], "backfill": true, "lifetime_days": 30}),
        ),
    ]);
    let events = validate(&graph(&value), None).unwrap().events.unwrap();
    assert_eq!(events.priority, vec![0, 2]);
    assert_eq!(events.anonymous, vec![2]);
    assert_eq!(
        events.models[0]
            .identifiers
            .iter()
            .map(|m| m.identifier)
            .collect::<Vec<_>>(),
        vec![0, 2]
    );
    assert!(events.backfill);
    assert_eq!(events.lifetime_days, Some(30));
}

#[test]
fn not_json_names_the_line_and_column() {
    let problems = parse_graph("{\n  \"version\": 1,\n  \"name\": \n}").unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path, "");
    assert!(
        problems[0]
            .message
            .starts_with("line 4, column 1: the identity graph is not valid JSON"),
        "{:?}",
        problems[0]
    );
    let trailing = parse_graph("{\"version\": 1} x").unwrap_err();
    assert!(
        trailing[0].message.starts_with("line 1, column 16:"),
        "{:?}",
        trailing[0]
    );
}

#[test]
fn a_type_error_or_unknown_key_names_its_json_path() {
    let problems = parse_graph(r#"{"version": 1, "rules": [{"name": "r", "criteria": [{"identifiers": ["a"], "match": "sometimes"}]}]}"#)
        .unwrap_err();
    assert_eq!(problems[0].path, "rules[0].criteria[0].match");
    assert!(
        problems[0].message.contains("unknown variant `sometimes`"),
        "{:?}",
        problems[0]
    );
    assert!(
        problems[0]
            .message
            .ends_with("use one of the listed values."),
        "{:?}",
        problems[0]
    );

    let problems =
        parse_graph(r#"{"version": 1, "models": [{"name": "m", "primary_key": 3}]}"#).unwrap_err();
    assert_eq!(problems[0].path, "models[0].primary_key");
    assert!(
        problems[0].message.contains("invalid type"),
        "{:?}",
        problems[0]
    );

    let problems = parse_graph(r#"{"version": 1, "guardrails": {"max_size": 3}}"#).unwrap_err();
    assert!(
        problems[0].path.starts_with("guardrails"),
        "{:?}",
        problems[0]
    );
    assert!(
        problems[0].message.contains("unknown field `max_size`"),
        "{:?}",
        problems[0]
    );
    assert!(
        problems[0]
            .message
            .ends_with("remove the key or correct its spelling."),
        "{:?}",
        problems[0]
    );

    let problems = parse_graph(
        r#"{"version": 1, "models": [{"name": "m", "identifiers": {"a": "x", "a": "y"}}]}"#,
    )
    .unwrap_err();
    assert!(
        problems[0].path.starts_with("models[0].identifiers"),
        "{:?}",
        problems[0]
    );
    assert!(
        problems[0].message.contains("duplicate key `a`"),
        "{:?}",
        problems[0]
    );

    let problems = parse_graph(r#"{"name": "x"}"#).unwrap_err();
    assert_eq!(problems[0].path, "");
    assert!(
        problems[0].message.contains("missing field `version`"),
        "{:?}",
        problems[0]
    );
}

#[test]
fn a_wrong_number_type_is_named_in_plain_words() {
    let problems = parse_graph(r#"{"version": "1"}"#).unwrap_err();
    assert_eq!(problems[0].path, "version");
    assert!(
        problems[0].message.contains("expected a whole number"),
        "{:?}",
        problems[0]
    );
    let problems = parse_graph(r#"{"version": 1, "fuzzy": {"medium": "high"}}"#).unwrap_err();
    assert_eq!(problems[0].path, "fuzzy.medium");
    assert!(
        problems[0].message.contains("expected a number"),
        "{:?}",
        problems[0]
    );
}

#[test]
fn version_must_be_1() {
    assert_one(
        &with(&[("/version", json!(2))]),
        None,
        "version",
        "set `\"version\": 1`",
    );
}

#[test]
fn unknown_identifier_in_a_model() {
    let value = with(&[(
        "/models/1/identifiers",
        json!({"email": "mail", "emial": "mail"}),
    )]);
    assert_one(
        &value,
        None,
        "models[1].identifiers.emial",
        "`emial` is not a defined identifier",
    );
}

#[test]
fn unknown_identifier_in_a_criterion() {
    let value = with(&[(
        "/rules/0/criteria/0/identifiers",
        json!(["email", "mobile"]),
    )]);
    assert_one(
        &value,
        None,
        "rules[0].criteria[0].identifiers[1]",
        "`mobile` is not a defined identifier",
    );
}

#[test]
fn unknown_golden_field() {
    let value = with(&[(
        "/golden/fields/0",
        json!({"name": "nickname", "strategy": "longest"}),
    )]);
    assert_one(
        &value,
        None,
        "golden.fields[0].name",
        "names neither an identifier nor a field of any model",
    );
    // Each known name is suggested once.
    let message = &problems(&value, None)[0].message;
    assert!(
        message.ends_with("use one of `email`, `first_name`, `phone`."),
        "{message}"
    );
}

#[test]
fn unknown_identifier_in_events() {
    let events = json!({"models": [{"name": "web", "key": "k", "timestamp": "ts", "identifiers": {"email": "e"}}],
                        "priority": ["email", "user_id"], "anonymous": ["device_id"]});
    let found = problems(&with(&[("/events", events)]), None);
    let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, vec!["events.anonymous[0]", "events.priority[1]"]);
    assert!(
        found[1]
            .message
            .contains("`user_id` is not a defined identifier")
    );
}

#[test]
fn unknown_columns_are_reported_only_with_data() {
    let value = with(&[
        ("/models/0/primary_key", json!("key")),
        ("/models/0/order_by", json!("modified")),
        ("/models/0/identifiers/email", json!(["email", "mail_2"])),
        ("/models/0/fields/first_name", json!("given")),
        ("/models/1/identifiers/email", json!("email")),
    ]);
    assert_eq!(problems(&value, None), vec![]);
    let found = problems(&value, Some(&shape()));
    let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "models[0].fields.first_name",
            "models[0].identifiers.email[1]",
            "models[0].order_by",
            "models[0].primary_key",
            "models[1].identifiers.email",
        ]
    );
    assert!(
        found[3]
            .message
            .starts_with("column `key` is not in the data of model `crm`; use one of its columns:")
    );
}

#[test]
fn a_model_without_data() {
    let mut data = shape();
    data.models.remove("app");
    assert_one(
        &base(),
        Some(&data),
        "models[1]",
        "there is no data for model `app`",
    );
}

#[test]
fn a_rule_without_an_exact_criterion() {
    let value = with(&[("/rules/1/criteria/0/match", json!("fuzzy_medium"))]);
    assert_one(&value, None, "rules[1].criteria", "has no exact criterion");
}

#[test]
fn empty_lists() {
    assert_one(
        &with(&[("/rules", json!([]))]),
        None,
        "rules",
        "no matching rule is defined",
    );
    assert_one(
        &with(&[("/rules/0/criteria", json!([]))]),
        None,
        "rules[0].criteria",
        "has no criterion",
    );
    assert_one(
        &with(&[("/rules/0/criteria/0/identifiers", json!([]))]),
        None,
        "rules[0].criteria[0].identifiers",
        "names no identifier",
    );
    assert_one(
        &with(&[("/models/1/identifiers", json!({}))]),
        None,
        "models[1].identifiers",
        "maps no identifier",
    );
    assert_one(
        &with(&[("/models/1/identifiers/email", json!([]))]),
        None,
        "models[1].identifiers.email",
        "list of columns is empty",
    );
    let found = problems(
        &with(&[
            ("/models", json!([])),
            ("/golden/fields/1/model_order", json!([])),
        ]),
        None,
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].path, "golden.fields[1].name");
    assert_eq!(found[1].path, "models");
    let found = problems(&with(&[("/identifiers", json!([]))]), None);
    assert!(
        found
            .iter()
            .any(|d| d.path == "identifiers" && d.message.contains("no identifier is defined"))
    );
}

#[test]
fn duplicate_names() {
    assert_one(
        &with(&[("/models/1/name", json!("crm"))]),
        None,
        "models[1].name",
        "the model name `crm` is already used at `models[0].name`",
    );
    let value = with(&[
        ("/identifiers/1/name", json!("email")),
        ("/models/0/identifiers", json!({"email": "email"})),
    ]);
    let found = problems(&value, None);
    assert!(found.iter().any(|d| {
        d.path == "identifiers[1].name"
            && d.message
                .contains("identifier name `email` is already used")
    }));
    assert_one(
        &with(&[("/rules/1/name", json!("same_email"))]),
        None,
        "rules[1].name",
        "rule name `same_email` is already used",
    );
    assert_one(
        &with(&[(
            "/golden/fields/1",
            json!({"name": "email", "strategy": "max"}),
        )]),
        None,
        "golden.fields[1].name",
        "golden field name `email` is already used",
    );
    let events = json!({"models": [
        {"name": "web", "key": "k", "timestamp": "ts", "identifiers": {"email": "e"}},
        {"name": "web", "key": "k", "timestamp": "ts", "identifiers": {"email": "e"}},
        {"name": "crm", "key": "k", "timestamp": "ts", "identifiers": {"email": "e"}}],
        "priority": ["email"]});
    let found = problems(&with(&[("/events", events)]), None);
    let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["events.models[1].name", "events.models[2].name"]
    );
    assert!(
        found[0]
            .message
            .contains("event model name `web` is already used")
    );
    assert!(
        found[1]
            .message
            .contains("already the name of a profile model")
    );
    assert_one(
        &with(&[("/models/0/fields/email", json!("email"))]),
        None,
        "models[0].fields.email",
        "the field name `email` is also an identifier",
    );
    assert_one(
        &with(&[("/models/0/identifiers/email", json!(["email", "email"]))]),
        None,
        "models[0].identifiers.email[1]",
        "listed twice",
    );
    assert_one(
        &with(&[("/rules/0/criteria/0/identifiers", json!(["email", "email"]))]),
        None,
        "rules[0].criteria[0].identifiers[1]",
        "listed twice",
    );
}

#[test]
fn thresholds_outside_zero_one() {
    assert_one(
        &with(&[("/fuzzy", json!({"medium": 0.0}))]),
        None,
        "fuzzy.medium",
        "outside (0, 1]",
    );
    assert_one(
        &with(&[("/fuzzy", json!({"strong": 1.5}))]),
        None,
        "fuzzy.strong",
        "threshold 1.5 is outside (0, 1]",
    );
    let value = with(&[(
        "/rules/1/criteria/1",
        json!({"identifiers": ["email"], "match": "fuzzy", "threshold": -0.2}),
    )]);
    assert_one(
        &value,
        None,
        "rules[1].criteria[1].threshold",
        "outside (0, 1]",
    );
    let value = with(&[(
        "/rules/1/criteria/1",
        json!({"identifiers": ["email"], "match": "fuzzy", "threshold": 1}),
    )]);
    assert_eq!(problems(&value, None), vec![]);
}

#[test]
fn fuzzy_needs_a_threshold_and_other_matches_forbid_one() {
    let value = with(&[(
        "/rules/1/criteria/1",
        json!({"identifiers": ["email"], "match": "fuzzy"}),
    )]);
    assert_one(
        &value,
        None,
        "rules[1].criteria[1].threshold",
        "needs a `threshold`",
    );
    let value = with(&[("/rules/1/criteria/1/threshold", json!(0.9))]);
    assert_one(
        &value,
        None,
        "rules[1].criteria[1].threshold",
        "only `\"match\": \"fuzzy\"` takes a `threshold`",
    );
    let value = with(&[("/rules/1/criteria/0/threshold", json!(0.9))]);
    assert_one(
        &value,
        None,
        "rules[1].criteria[0].threshold",
        "only `\"match\": \"fuzzy\"` takes a `threshold`",
    );
    let value = with(&[(
        "/rules/1/criteria/1",
        json!({"identifiers": ["email"], "match": "fuzzy", "threshold": 0.8}),
    )]);
    let settings = validate(&graph(&value), None).unwrap();
    assert_eq!(
        settings.rules[1].criteria[1].comparison,
        Comparison::Fuzzy {
            algorithm: Algorithm::JaroWinkler,
            threshold: 0.8
        }
    );
}

#[test]
fn a_model_without_a_primary_key() {
    let mut value = base();
    value["models"][1]
        .as_object_mut()
        .unwrap()
        .remove("primary_key");
    assert_one(
        &value,
        None,
        "models[1].primary_key",
        "model `app` has no primary key",
    );
    assert_one(
        &with(&[("/models/1/primary_key", json!(" "))]),
        None,
        "models[1].primary_key",
        "has no primary key",
    );
}

#[test]
fn zero_limits() {
    assert_one(
        &with(&[("/identifiers/0/conflict_limit", json!(0))]),
        None,
        "identifiers[0].conflict_limit",
        "`conflict_limit` is 0",
    );
    assert_one(
        &with(&[("/identifiers/0/max_records_per_value", json!(0))]),
        None,
        "identifiers[0].max_records_per_value",
        "`max_records_per_value` is 0",
    );
    assert_one(
        &with(&[("/guardrails", json!({"max_profile_size": 0}))]),
        None,
        "guardrails.max_profile_size",
        "`max_profile_size` is 0",
    );
    assert_one(
        &with(&[("/guardrails", json!({"max_block_size": 0}))]),
        None,
        "guardrails.max_block_size",
        "`max_block_size` is 0",
    );
    assert_one(
        &with(&[("/models/0/priority", json!(0))]),
        None,
        "models[0].priority",
        "priority 0 is not allowed",
    );
}

#[test]
fn invalid_regular_expressions() {
    let value = with(&[(
        "/identifiers/1/blocked_patterns",
        json!(["0+", "(?=0)", "(a)\\1", "[z-a]"]),
    )]);
    let found = problems(&value, None);
    let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "identifiers[1].blocked_patterns[1]",
            "identifiers[1].blocked_patterns[2]",
            "identifiers[1].blocked_patterns[3]"
        ]
    );
    assert!(
        found[0]
            .message
            .starts_with("`(?=0)` is not a valid regular expression (look-around"),
        "{:?}",
        found[0]
    );
    assert!(
        found[1]
            .message
            .contains("backreferences are not supported"),
        "{:?}",
        found[1]
    );
    assert!(!found[2].message.contains('\n'), "{:?}", found[2]);
}

#[test]
fn a_golden_model_order_naming_an_unknown_model() {
    let value = with(&[("/golden/fields/1/model_order", json!(["crm", "shop"]))]);
    assert_one(
        &value,
        None,
        "golden.fields[1].model_order[1]",
        "`shop` is not a model",
    );
    let value = with(&[("/golden/fields/1/model_order", json!(["crm", "crm"]))]);
    assert_one(
        &value,
        None,
        "golden.fields[1].model_order[1]",
        "listed twice",
    );
    let value = with(&[("/golden/fields/0/model_order", json!(["crm"]))]);
    assert_one(
        &value,
        None,
        "golden.fields[0].model_order",
        "only applies to the `model_priority` strategy",
    );
}

#[test]
fn an_unknown_phone_region() {
    assert_one(
        &with(&[("/identifiers/1/default_region", json!("XX"))]),
        None,
        "identifiers[1].default_region",
        "`XX` is not a known region",
    );
    assert_one(
        &with(&[("/identifiers/1/default_region", json!("fr"))]),
        None,
        "identifiers[1].default_region",
        "in capitals",
    );
}

#[test]
fn schedule_time_must_be_hh_mm() {
    for bad in ["3:00", "24:00", "12:60", "12-00", "12:00:00", "ab:cd"] {
        assert_one(
            &with(&[("/schedule", json!({"cadence": "daily", "at": bad}))]),
            None,
            "schedule.at",
            "`HH:MM`",
        );
    }
    for good in ["00:00", "23:59", "03:00"] {
        assert_eq!(
            problems(
                &with(&[("/schedule", json!({"cadence": "weekly", "at": good}))]),
                None
            ),
            vec![]
        );
    }
}

#[test]
fn event_columns_are_checked_with_data() {
    let events = json!({"models": [{"name": "web", "key": "k", "timestamp": "when", "event_type": "kind",
                                   "identifiers": {"email": "e"}}], "priority": ["email"], "lifetime_days": 0});
    let mut data = shape();
    data.models.insert(
        "web".to_owned(),
        ["k", "ts", "e"].map(String::from).to_vec(),
    );
    let found = problems(&with(&[("/events", events)]), Some(&data));
    let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "events.lifetime_days",
            "events.models[0].event_type",
            "events.models[0].timestamp"
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once_sorted_by_path() {
    let value = with(&[
        ("/version", json!(3)),
        ("/identifiers/0/conflict_limit", json!(0)),
        ("/rules/1/criteria/0/match", json!("fuzzy_medium")),
        ("/golden/fields/0/name", json!("nothing")),
        ("/models/0/identifiers/fax", json!("fax")),
    ]);
    let paths: Vec<String> = problems(&value, None).into_iter().map(|d| d.path).collect();
    assert_eq!(
        paths,
        vec![
            "golden.fields[0].name",
            "identifiers[0].conflict_limit",
            "models[0].identifiers.fax",
            "rules[1].criteria",
            "version",
        ]
    );
}

#[test]
fn paths_sort_by_index_as_numbers() {
    let mut paths = vec![
        "rules[10].name",
        "rules[2].name",
        "rules[2]",
        "models[1]",
        "rules[1].criteria[11]",
        "rules[1].criteria[3]",
    ];
    paths.sort_by(|a, b| compare_paths(a, b));
    assert_eq!(
        paths,
        vec![
            "models[1]",
            "rules[1].criteria[3]",
            "rules[1].criteria[11]",
            "rules[2]",
            "rules[2].name",
            "rules[10].name"
        ]
    );
}

#[test]
fn diagnostics_display_with_their_path() {
    let diagnostic = Diagnostic {
        path: "rules[0]".into(),
        message: "fix it.".into(),
    };
    assert_eq!(diagnostic.to_string(), "rules[0]: fix it.");
    assert_eq!(
        Diagnostic {
            path: String::new(),
            message: "fix it.".into()
        }
        .to_string(),
        "fix it."
    );
}
