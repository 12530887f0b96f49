//! The validated identity graph: checked, indexed and fast to use. Built only by `validate::validate` from the
//! serde options; never deserialized directly.
//!
//! Indices (`ModelId`, `IdentifierId`, ...) point into the vectors of [`Settings`] and are in graph order.

use std::collections::BTreeSet;

/// Index of a model in [`Settings::models`].
pub type ModelId = usize;
/// Index of an identifier in [`Settings::identifiers`].
pub type IdentifierId = usize;

/// A whole validated identity graph.
#[derive(Debug, Clone)]
pub struct Settings {
    pub name: String,
    /// The name of the profile ID column in every output table (`dinmo_id` by default).
    pub id_column: String,
    /// Profile models, in graph order.
    pub models: Vec<Model>,
    /// Model indices in anchor order: priority (1 first), then name by code points.
    pub anchor_order: Vec<ModelId>,
    pub identifiers: Vec<Identifier>,
    /// Rules in priority order: stage k (1-based) applies `rules[k - 1]`.
    pub rules: Vec<Rule>,
    pub guardrails: Guardrails,
    pub golden: Vec<GoldenField>,
    pub events: Option<Events>,
    /// The canonical JSON of the options this was built from (for `run_id` and exports).
    pub canonical_json: String,
}

/// A profile model: one source table.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub primary_key: String,
    pub order_by: Option<String>,
    /// 1 is the most trusted.
    pub priority: u32,
    /// Identifier mappings, sorted by identifier index; each maps to one or more columns in the order written.
    pub identifiers: Vec<IdentifierMapping>,
    /// Golden field name -> column, sorted by field name.
    pub fields: Vec<(String, String)>,
    /// At most one record of this model per profile (a conflict limit of 1 on the model's key).
    pub one_per_profile: bool,
}

#[derive(Debug, Clone)]
pub struct IdentifierMapping {
    pub identifier: IdentifierId,
    pub columns: Vec<String>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Email,
    Phone,
    UserId,
    CustomerId,
    CrmId,
    AnonymousId,
    DeviceId,
    AccountId,
    Name,
    Custom,
}

/// One standardization step, applied in the order listed.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Trim,
    Lowercase,
    Uppercase,
    CollapseWhitespace,
    RemoveAccents,
    OnlyNumeric,
    Alphanumeric,
    Date,
    Email,
    EmailGmailDots,
    Phone,
    Name,
    Nickname,
    Phonetic,
}

impl Step {
    /// Every step, in the order the SPEC lists them.
    pub const ALL: [Step; 14] = [
        Step::Trim,
        Step::Lowercase,
        Step::Uppercase,
        Step::CollapseWhitespace,
        Step::RemoveAccents,
        Step::OnlyNumeric,
        Step::Alphanumeric,
        Step::Date,
        Step::Email,
        Step::EmailGmailDots,
        Step::Phone,
        Step::Name,
        Step::Nickname,
        Step::Phonetic,
    ];
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Day first: `31/12/2024`.
    #[default]
    Dmy,
    /// Month first: `12/31/2024`.
    Mdy,
}

/// A validated identifier definition.
#[derive(Debug, Clone)]
pub struct Identifier {
    pub name: String,
    pub kind: IdentifierKind,
    pub steps: Vec<Step>,
    /// ISO 3166 region for the `phone` step (`FR`, `US`, ...).
    pub default_region: Option<String>,
    pub date_order: DateOrder,
    /// Blocked values: each listed value as written and after this identifier's own steps.
    pub blocked_values: BTreeSet<String>,
    /// Anchored (`^(?:...)$`) so they must match the whole standardized value.
    pub blocked_patterns: Vec<regex::Regex>,
    /// Patterns as written, for messages.
    pub blocked_pattern_sources: Vec<String>,
    pub max_records_per_value: Option<u64>,
    pub conflict_limit: Option<u32>,
}

/// A matching rule: all criteria must hold.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub criteria: Vec<Criterion>,
}

impl Rule {
    /// True when every criterion is exact (evidence is linked linearly inside blocks).
    pub fn is_exact_only(&self) -> bool {
        self.criteria
            .iter()
            .all(|c| c.comparison == Comparison::Exact)
    }
}

/// One condition over one or more pooled identifiers.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    /// Pooled identifiers, in the order written.
    pub identifiers: Vec<IdentifierId>,
    pub comparison: Comparison,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Comparison {
    Exact,
    /// Similarity by `algorithm` must be `>= threshold`.
    Fuzzy {
        algorithm: Algorithm,
        threshold: f64,
    },
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    #[default]
    JaroWinkler,
    Jaro,
    Levenshtein,
    DamerauLevenshtein,
    SorensenDice,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OnConflict {
    /// Conflict records go to `identity_unresolved_records`.
    #[default]
    Exclude,
    /// Conflict records keep their own profile, flagged `conflict`.
    Keep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Guardrails {
    pub max_profile_size: Option<u64>,
    pub max_block_size: Option<u64>,
    pub on_conflict: OnConflict,
}

/// Where a golden field's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoldenSource {
    /// An identifier: the standardized values of `used` observations.
    Identifier(IdentifierId),
    /// A field name mapped in `Model::fields`: raw cell values.
    Field(String),
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    LastNonNull,
    FirstNonNull,
    MostFrequent,
    ModelPriority,
    Longest,
    Max,
    Min,
    AllDistinct,
}

impl Strategy {
    /// The name written in output tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LastNonNull => "last_non_null",
            Self::FirstNonNull => "first_non_null",
            Self::MostFrequent => "most_frequent",
            Self::ModelPriority => "model_priority",
            Self::Longest => "longest",
            Self::Max => "max",
            Self::Min => "min",
            Self::AllDistinct => "all_distinct",
        }
    }
}

#[derive(Debug, Clone)]
pub struct GoldenField {
    pub name: String,
    pub source: GoldenSource,
    pub strategy: Strategy,
    /// For `model_priority`: every model, most trusted first (`model_order` first, then the rest by priority).
    pub model_rank: Vec<ModelId>,
}

/// Event stitching (SPEC section 7).
#[derive(Debug, Clone)]
pub struct Events {
    pub models: Vec<EventModel>,
    /// Identifiers tried in order, strongest first.
    pub priority: Vec<IdentifierId>,
    pub anonymous: Vec<IdentifierId>,
    pub backfill: bool,
    pub lifetime_days: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct EventModel {
    pub name: String,
    pub key: String,
    pub timestamp: String,
    pub event_type: Option<String>,
    pub identifiers: Vec<IdentifierMapping>,
}
