//! The identity graph document as written in JSON (SPEC section 2): serde types with `deny_unknown_fields`,
//! the source of `spine.schema.json`. Compiled into `settings::Settings` by `validate::validate`.
//!
//! These types accept anything that is well-formed JSON of the right shape; every rule that needs more than
//! the shape (known names, thresholds, regular expressions, ...) is checked by `validate`, so that all problems
//! can be reported at once with their JSON paths.

use crate::settings::{Algorithm, DateOrder, IdentifierKind, OnConflict, Step, Strategy};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A whole identity graph: models, identifiers, standardization, guardrails, matching rules, golden fields,
/// event stitching and schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Spine identity graph")]
pub struct IdentityGraph {
    /// Version of the document format. Must be 1.
    pub version: u32,
    /// A short name for the project.
    #[serde(default)]
    pub name: String,
    /// What the graph is for, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Name of the profile ID column in every output table.
    #[serde(default = "default_id_column")]
    pub id_column: String,
    /// Profile models: one source table each.
    #[serde(default)]
    pub models: Vec<Model>,
    /// Identifier definitions: the values used to connect records, and how they are standardized.
    #[serde(default)]
    pub identifiers: Vec<Identifier>,
    /// Matching rules, strongest first: the order is the priority, and each rule is one clustering stage.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Fuzzy matching: the similarity algorithm and the thresholds of `fuzzy_medium` and `fuzzy_strong`.
    #[serde(default)]
    pub fuzzy: Fuzzy,
    /// Limits that stop profiles from growing too large or holding contradictory values.
    #[serde(default)]
    pub guardrails: Guardrails,
    /// The golden record: which fields it has and how each value is chosen.
    #[serde(default)]
    pub golden: Golden,
    /// Event stitching: event models and the policy that attaches events to profiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Events>,
    /// When production runs happen; carried into the export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
}

fn default_id_column() -> String {
    "dinmo_id".to_owned()
}

/// A profile model: one profile-like source table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The model's name (unique among models and event models).
    pub name: String,
    /// The column holding a stable key that is unique in the table. Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<String>,
    /// The column holding the record's update time (ISO 8601 date or timestamp, `YYYY-MM-DD HH:MM:SS`, or Unix
    /// seconds), used by golden strategies and tie-breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    /// Trust rank: 1 is the most trusted model.
    #[serde(default = "default_priority")]
    pub priority: u32,
    /// Identifier name -> the column, or list of columns, holding its values.
    #[serde(default, deserialize_with = "unique_keys")]
    pub identifiers: BTreeMap<String, Columns>,
    /// Golden field name -> column.
    #[serde(
        default,
        deserialize_with = "unique_keys",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub fields: BTreeMap<String, String>,
    /// When true, a profile holds at most one record of this model (for a table known to hold no duplicates).
    #[serde(default, skip_serializing_if = "is_false")]
    pub one_per_profile: bool,
}

fn default_priority() -> u32 {
    1
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// One column, or a list of columns, mapped to an identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Columns {
    /// A single column.
    One(String),
    /// Several columns holding values of the same identifier (e.g. `email` and `email_2`).
    Many(Vec<String>),
}

impl Columns {
    /// The column names in the order written.
    pub fn as_slice(&self) -> &[String] {
        match self {
            Self::One(column) => std::slice::from_ref(column),
            Self::Many(columns) => columns,
        }
    }
}

impl<'de> Deserialize<'de> for Columns {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Written by hand so a wrong type gets a message that names both accepted forms.
        struct ColumnsVisitor;

        impl<'de> serde::de::Visitor<'de> for ColumnsVisitor {
            type Value = Columns;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a column name or a list of column names")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Columns, E> {
                Ok(Columns::One(value.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Columns, E> {
                Ok(Columns::One(value))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Columns, A::Error> {
                let mut columns = Vec::new();
                while let Some(column) = seq.next_element::<String>()? {
                    columns.push(column);
                }
                Ok(Columns::Many(columns))
            }
        }

        deserializer.deserialize_any(ColumnsVisitor)
    }
}

/// Deserializes a JSON object into a map, refusing a key written twice (JSON parsers would silently keep the
/// last one, hiding a mapping the user wrote).
fn unique_keys<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct UniqueKeys<V>(std::marker::PhantomData<V>);

    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for UniqueKeys<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("an object of names to columns")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!(
                        "duplicate key `{key}`: each name may be mapped once; merge the two entries"
                    )));
                }
                let value = map.next_value::<V>()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(UniqueKeys(std::marker::PhantomData))
}

/// An identifier definition: a named kind of value used to connect records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identifier {
    /// The identifier's name, used in model mappings, criteria, golden fields and events.
    pub name: String,
    /// What the values are: `email`, `phone`, `user_id`, `customer_id`, `crm_id`, `anonymous_id`, `device_id`,
    /// `account_id`, `name` or `custom`.
    pub kind: IdentifierKind,
    /// Standardization steps applied in order to every value before matching: `trim`, `lowercase`,
    /// `uppercase`, `collapse_whitespace`, `remove_accents`, `only_numeric`, `alphanumeric`, `date`, `email`,
    /// `email_gmail_dots`, `phone`, `name`, `nickname`, `phonetic`. A value a step rejects is invalid.
    #[serde(default)]
    pub standardize: Vec<Step>,
    /// ISO 3166 region (`FR`, `US`, ...) used by the `phone` step for numbers written without a country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_region: Option<String>,
    /// How the `date` step reads `1/2/2024`: `dmy` (day first, the default) or `mdy` (month first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<DateOrder>,
    /// Values never used for matching (kept in the audit tables). A value is blocked when its standardized form
    /// equals a listed value as written or the listed value after this identifier's steps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_values: Vec<String>,
    /// Regular expressions (Rust `regex` syntax: no look-around, no back-references) that block every
    /// standardized value they match as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_patterns: Vec<String>,
    /// A standardized value held by more distinct records than this (all models together) is quarantined like
    /// a blocked value and reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_records_per_value: Option<u64>,
    /// The maximum number of distinct values of this identifier inside one profile (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict_limit: Option<u32>,
}

/// A matching rule: every criterion must hold (AND); rules combine with OR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The rule's name, written in the output tables.
    pub name: String,
    /// The conditions; at least one must be `exact`.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

/// One condition over one or more pooled identifiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Identifiers whose values are pooled: the criterion holds when any value of any of them on one record
    /// matches any value of any of them on the other.
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// The match type.
    #[serde(rename = "match")]
    pub match_type: MatchType,
    /// The similarity threshold in (0, 1]; required with `"match": "fuzzy"`, forbidden otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
}

/// How a criterion compares values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    /// Equal standardized values.
    Exact,
    /// Similarity at least `fuzzy.medium`.
    FuzzyMedium,
    /// Similarity at least `fuzzy.strong`.
    FuzzyStrong,
    /// Similarity at least the criterion's own `threshold`.
    Fuzzy,
}

/// Fuzzy matching settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fuzzy {
    /// The similarity function: `jaro_winkler` (default), `jaro`, `levenshtein`, `damerau_levenshtein` or
    /// `sorensen_dice`.
    #[serde(default)]
    pub algorithm: Algorithm,
    /// Threshold of `fuzzy_medium`, in (0, 1].
    #[serde(default = "default_medium")]
    pub medium: f64,
    /// Threshold of `fuzzy_strong`, in (0, 1].
    #[serde(default = "default_strong")]
    pub strong: f64,
}

fn default_medium() -> f64 {
    0.90
}

fn default_strong() -> f64 {
    0.95
}

impl Default for Fuzzy {
    fn default() -> Self {
        Self {
            algorithm: Algorithm::default(),
            medium: default_medium(),
            strong: default_strong(),
        }
    }
}

/// Guardrails on profiles and fuzzy blocks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guardrails {
    /// The most records one profile may hold; a merge that would exceed it is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_profile_size: Option<u64>,
    /// Fuzzy comparisons are skipped, and reported, in blocks of more distinct records than this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_block_size: Option<u64>,
    /// What happens to records that cannot be attributed in a refused merge: `exclude` (default: they go to
    /// the unresolved records) or `keep` (they keep a profile of their own, flagged `conflict`).
    #[serde(default)]
    pub on_conflict: OnConflict,
}

/// The golden record definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Golden {
    /// The golden fields, in output column order.
    #[serde(default)]
    pub fields: Vec<GoldenField>,
}

/// One golden field and its survivorship rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoldenField {
    /// An identifier name or a field name mapped by a model.
    pub name: String,
    /// How the winning value is chosen: `last_non_null`, `first_non_null`, `most_frequent`, `model_priority`,
    /// `longest`, `max`, `min` or `all_distinct`.
    pub strategy: Strategy,
    /// For `model_priority` only: model names, most trusted first; unlisted models follow by priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_order: Option<Vec<String>>,
}

/// Event stitching (SPEC section 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Events {
    /// Event models: tables of events (purchases, sessions, tickets) carrying identifiers.
    #[serde(default)]
    pub models: Vec<EventModel>,
    /// Identifiers tried in order, strongest first.
    #[serde(default)]
    pub priority: Vec<String>,
    /// Anonymous identifiers (e.g. `anonymous_id`, `device_id`) that backfill can stitch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anonymous: Vec<String>,
    /// When true, an event carrying only anonymous identifiers is stitched to the profile its anonymous value
    /// was stitched to by a stronger identifier in another event within `lifetime_days`.
    #[serde(default)]
    pub backfill: bool,
    /// How many days an anonymous value stays linked to a profile for backfill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_days: Option<u32>,
}

/// An event model: one table of events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventModel {
    /// The event model's name (unique among models and event models).
    pub name: String,
    /// The column holding the event's key.
    pub key: String,
    /// The column holding the event's time.
    pub timestamp: String,
    /// The column holding the event's type, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Identifier name -> the column, or list of columns, holding its values.
    #[serde(default, deserialize_with = "unique_keys")]
    pub identifiers: BTreeMap<String, Columns>,
}

/// When production runs happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// `manual`, `hourly`, `daily` or `weekly`.
    pub cadence: Cadence,
    /// The time of day as `HH:MM` (24-hour clock); for `hourly`, only the minutes count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// How often production runs happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Only when started by hand.
    Manual,
    /// Every hour.
    Hourly,
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The example of SPEC section 2, with the events block of section 7.
    pub(crate) const SPEC_EXAMPLE: &str = r#"{
  "version": 1,
  "name": "people",
  "models": [
    {"name": "crm", "primary_key": "contact_id", "order_by": "updated_at", "priority": 1,
     "identifiers": {"email": ["email", "email_2"], "phone": "mobile", "customer_id": "cust_no",
                     "last_name": "lname"},
     "fields": {"first_name": "fname", "consent": "optin"}},
    {"name": "shop", "primary_key": "id", "order_by": "modified", "priority": 2,
     "identifiers": {"email": "mail", "phone": "tel", "last_name": "surname"},
     "fields": {"first_name": "given"}}
  ],
  "identifiers": [
    {"name": "email", "kind": "email", "standardize": ["email"], "blocked_values": ["test@test.com"],
     "max_records_per_value": 50, "conflict_limit": 3},
    {"name": "phone", "kind": "phone", "standardize": ["phone"], "default_region": "FR",
     "blocked_patterns": ["^0+$"]},
    {"name": "customer_id", "kind": "customer_id", "standardize": ["trim"], "conflict_limit": 1},
    {"name": "last_name", "kind": "name", "standardize": ["name"]}
  ],
  "rules": [
    {"name": "same_customer_id", "criteria": [{"identifiers": ["customer_id"], "match": "exact"}]},
    {"name": "email_and_name", "criteria": [{"identifiers": ["email"], "match": "exact"},
                                            {"identifiers": ["last_name"], "match": "fuzzy_medium"}]},
    {"name": "phone_and_name", "criteria": [{"identifiers": ["phone"], "match": "exact"},
                                            {"identifiers": ["last_name"], "match": "fuzzy", "threshold": 0.92}]}
  ],
  "fuzzy": {"algorithm": "jaro_winkler", "medium": 0.90, "strong": 0.95},
  "guardrails": {"max_profile_size": 50, "max_block_size": 1000, "on_conflict": "exclude"},
  "golden": {"fields": [
    {"name": "email", "strategy": "most_frequent"},
    {"name": "first_name", "strategy": "last_non_null"},
    {"name": "consent", "strategy": "model_priority", "model_order": ["crm", "shop"]}
  ]},
  "events": {
    "models": [
      {"name": "web_events", "key": "event_id", "timestamp": "ts", "event_type": "type",
       "identifiers": {"user_id": "uid", "email": "email", "anonymous_id": "anon"}}
    ],
    "priority": ["user_id", "customer_id", "email", "phone", "anonymous_id", "device_id"],
    "anonymous": ["anonymous_id", "device_id"],
    "backfill": true,
    "lifetime_days": 90
  },
  "schedule": {"cadence": "daily", "at": "03:00"}
}"#;

    fn parse(json: &str) -> IdentityGraph {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_spec_example_parses_with_its_values() {
        let graph = parse(SPEC_EXAMPLE);
        assert_eq!(graph.version, 1);
        assert_eq!(graph.id_column, "dinmo_id");
        assert_eq!(
            graph.models[0].identifiers["email"],
            Columns::Many(vec!["email".into(), "email_2".into()])
        );
        assert_eq!(
            graph.models[0].identifiers["phone"],
            Columns::One("mobile".into())
        );
        assert_eq!(graph.rules[2].criteria[1].match_type, MatchType::Fuzzy);
        assert_eq!(graph.rules[2].criteria[1].threshold, Some(0.92));
        assert_eq!(
            graph.golden.fields[2].model_order.as_deref(),
            Some(&["crm".to_owned(), "shop".to_owned()][..])
        );
        let events = graph.events.as_ref().unwrap();
        assert_eq!(events.lifetime_days, Some(90));
        assert!(events.backfill);
        assert_eq!(
            graph.schedule,
            Some(Schedule {
                cadence: Cadence::Daily,
                at: Some("03:00".into())
            })
        );
    }

    #[test]
    fn round_trip_gives_equal_values() {
        let graph = parse(SPEC_EXAMPLE);
        let text = serde_json::to_string(&graph).unwrap();
        assert_eq!(parse(&text), graph);
        let pretty = serde_json::to_string_pretty(&graph).unwrap();
        assert_eq!(parse(&pretty), graph);
    }

    #[test]
    fn defaults_follow_the_spec() {
        let graph = parse(r#"{"version": 1}"#);
        assert_eq!(graph.id_column, "dinmo_id");
        assert_eq!(
            graph.fuzzy,
            Fuzzy {
                algorithm: Algorithm::JaroWinkler,
                medium: 0.90,
                strong: 0.95
            }
        );
        assert_eq!(graph.guardrails.on_conflict, OnConflict::Exclude);
        assert!(graph.events.is_none() && graph.schedule.is_none());
        let model: Model = serde_json::from_str(r#"{"name": "m"}"#).unwrap();
        assert_eq!(model.priority, 1);
        assert!(!model.one_per_profile);
        assert_eq!(model.primary_key, None);
    }

    #[test]
    fn unknown_keys_are_rejected_everywhere() {
        for json in [
            r#"{"version": 1, "colour": "red"}"#,
            r#"{"version": 1, "models": [{"name": "m", "pk": "id"}]}"#,
            r#"{"version": 1, "identifiers": [{"name": "e", "kind": "email", "steps": []}]}"#,
            r#"{"version": 1, "rules": [{"name": "r", "criteria": [{"identifiers": [], "match": "exact", "x": 1}]}]}"#,
            r#"{"version": 1, "fuzzy": {"algo": "jaro"}}"#,
            r#"{"version": 1, "guardrails": {"max_size": 3}}"#,
            r#"{"version": 1, "golden": {"fields": [{"name": "a", "strategy": "max", "order": []}]}}"#,
            r#"{"version": 1, "events": {"window": 3}}"#,
            r#"{"version": 1, "schedule": {"cadence": "daily", "day": "monday"}}"#,
        ] {
            let error = serde_json::from_str::<IdentityGraph>(json).unwrap_err();
            assert!(
                error.to_string().contains("unknown field"),
                "{json}: {error}"
            );
        }
    }

    #[test]
    fn a_key_mapped_twice_is_rejected() {
        let json = r#"{"name": "m", "identifiers": {"email": "a", "email": "b"}}"#;
        let error = serde_json::from_str::<Model>(json).unwrap_err();
        assert!(
            error.to_string().contains("duplicate key `email`"),
            "{error}"
        );
    }

    #[test]
    fn columns_accept_one_name_or_a_list_and_nothing_else() {
        assert_eq!(
            serde_json::from_str::<Columns>(r#""a""#).unwrap(),
            Columns::One("a".into())
        );
        assert_eq!(
            serde_json::from_str::<Columns>(r#"["a"]"#).unwrap(),
            Columns::Many(vec!["a".into()])
        );
        let error = serde_json::from_str::<Columns>("3").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("a column name or a list of column names"),
            "{error}"
        );
        assert_eq!(
            serde_json::to_string(&Columns::One("a".into())).unwrap(),
            r#""a""#
        );
        assert_eq!(
            serde_json::to_string(&Columns::Many(vec!["a".into()])).unwrap(),
            r#"["a"]"#
        );
    }
}
