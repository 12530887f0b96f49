//! Keeps the checked-in `spine.schema.json` equal to the schema generated from the identity graph types.
//!
//! Run with `SPINE_BLESS=1` to rewrite the file after changing `spine_core::options`.

// This test is a host of the engine: it reads and writes the checked-in file and reads the bless switch.
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;

#[test]
fn checked_in_schema_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spine.schema.json");
    let generated = spine_core::validate::json_schema();
    if std::env::var("SPINE_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &generated).expect("spine.schema.json is writable");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "spine.schema.json is stale: run `SPINE_BLESS=1 cargo test -p spine_core --test schema` and commit it"
    );
}

#[test]
fn schema_describes_the_document() {
    let schema: serde_json::Value =
        serde_json::from_str(&spine_core::validate::json_schema()).unwrap();
    assert_eq!(schema["title"], "Spine identity graph");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["required"], serde_json::json!(["version"]));
    let properties = schema["properties"].as_object().unwrap();
    for key in [
        "version",
        "name",
        "id_column",
        "models",
        "identifiers",
        "rules",
        "fuzzy",
        "guardrails",
        "golden",
    ] {
        assert!(properties.contains_key(key), "{key} missing");
    }
    assert_eq!(properties["id_column"]["default"], "dinmo_id");
    assert!(
        properties["version"]["description"]
            .as_str()
            .unwrap()
            .contains("Must be 1")
    );
}
