//! The messages between the page and the Web Worker: requests in, responses out, each small enough to cross
//! the thread boundary without freezing the page (pages of results, never whole tables, except a download).

use serde::{Deserialize, Serialize};

/// A CSV file handed to the worker: its name and bytes, sent once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvFile {
    pub name: String,
    /// Sent as one byte string rather than a list of numbers, so a large file crosses in one copy.
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Parse and profile files; a file with the name of a loaded one replaces it. `fresh` is false when the
    /// page re-sends files to a new worker, so the page knows not to treat them as new.
    Load { files: Vec<CsvFile>, fresh: bool },
    /// Generate the built-in demo set inside the worker and load its files (only those named in `only`, when
    /// given) like uploaded files.
    LoadDemo {
        only: Option<Vec<String>>,
        fresh: bool,
    },
    /// Forget a loaded file.
    Remove { file: String },
    /// Check an identity graph against the loaded data.
    Validate { revision: u64, graph_json: String },
    /// Resolve the loaded data with an identity graph.
    Run { revision: u64, graph_json: String },
    /// One page of golden records whose ID or values contain `search` (case-insensitive).
    ProfilesPage { search: String, page: usize },
    /// One profile with its records, golden values and pairs.
    Profile { id: String },
    /// Section 5's dashboard.
    Review,
    /// One output table as CSV, cells neutralised for spreadsheets.
    Table { name: String },
    /// One page of a what-if list.
    WhatIf { list: ChangeList, page: usize },
    /// Read an identity graph file being imported, reporting problems of its JSON with their place.
    Parse { file: String, json: String },
    /// Why two records are (or are not) in one profile, rule by rule.
    ExplainRecords { left: RecordId, right: RecordId },
    /// Event stitching results of the last run.
    Events,
    /// The identity graph compiled into warehouse SQL for a dialect (`duckdb`, `spark`, `snowflake`,
    /// `bigquery`).
    Sql { graph_json: String, dialect: String },
}

/// A record named by its model and key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordId {
    pub model: String,
    pub key: String,
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Files parsed (or refused, each with its reason); `demo_graph` is the demo's identity graph.
    Loaded {
        files: Vec<FileSummary>,
        errors: Vec<String>,
        demo_graph: Option<String>,
        fresh: bool,
    },
    Removed {
        file: String,
    },
    Validated {
        revision: u64,
        problems: Vec<Problem>,
    },
    Progress(RunProgress),
    Done(Box<RunSummary>),
    /// A run that could not start or finish; `problems` holds the graph's problems when it is invalid.
    Failed {
        revision: u64,
        message: String,
        problems: Vec<Problem>,
    },
    ProfilesPage(ProfilesPage),
    Profile(Box<ProfileDetail>),
    /// The asked profile is not in the last run.
    NoProfile {
        id: String,
    },
    Review(Box<ReviewData>),
    Table {
        name: String,
        csv: String,
    },
    WhatIf(WhatIfPage),
    /// The problems of an imported file's JSON (none: it reads as an identity graph).
    Parsed {
        file: String,
        problems: Vec<Problem>,
    },
    Explained(Box<RecordsExplanation>),
    /// A record or profile the last run does not know.
    ExplainFailed {
        message: String,
    },
    Events(Box<EventsData>),
    /// The warehouse script. When the graph uses steps the dialect cannot express, the script reads them from
    /// `spine_lookup`, whose rows (from the loaded files) come in `lookup_csv`, and `note` says why.
    Sql {
        dialect: String,
        script: String,
        lookup_csv: Option<String>,
        note: Option<String>,
    },
    /// The graph could not be compiled (invalid, or a feature the dialect cannot express even with a lookup).
    SqlFailed {
        message: String,
    },
    /// A query that needs a finished run arrived before one.
    NoRun,
}

/// One problem of the identity graph: a JSON path and a sentence that says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// What a person needs to know about one loaded file to turn it into a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    /// The file name as uploaded.
    pub file: String,
    /// The model name derived from the file name.
    pub model: String,
    pub bytes: u64,
    pub rows: usize,
    pub columns: Vec<ColumnProfile>,
    /// The first rows, cell by cell.
    pub preview: Vec<Vec<String>>,
    pub suggested_key: Option<String>,
    pub suggested_order: Option<String>,
}

/// Per-column statistics of a loaded file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    pub name: String,
    /// Rows whose cell is not empty after trimming.
    pub filled: usize,
    /// Distinct non-empty values.
    pub distinct: usize,
    /// The most frequent non-empty values with their counts, most frequent first.
    pub top: Vec<(String, usize)>,
    pub kind: ColumnKind,
}

/// What a column seems to hold, from its values and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ColumnKind {
    Email,
    Phone,
    Date,
    Id,
    Name,
    Text,
}

impl ColumnKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Date => "date",
            Self::Id => "ID",
            Self::Name => "name",
            Self::Text => "text",
        }
    }
}

/// How far a run has come.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunProgress {
    pub revision: u64,
    pub stage: String,
    pub stage_index: usize,
    pub stage_count: usize,
    pub done: u64,
    pub total: u64,
}

impl RunProgress {
    /// The overall fraction done, in [0, 1].
    pub fn fraction(&self) -> f64 {
        if self.stage_count == 0 {
            return 0.0;
        }
        let within = if self.total == 0 {
            0.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        };
        ((self.stage_index as f64 + within) / self.stage_count as f64).min(1.0)
    }
}

/// The key numbers of a finished run, and what the page needs to draw its charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub revision: u64,
    /// Worker time of the whole request (engine, indexes, comparison), in milliseconds.
    pub elapsed_ms: f64,
    /// Worker time of the engine alone, in milliseconds.
    pub engine_ms: f64,
    pub totals: Totals,
    /// Profiles before the first stage: every record with a used identifier on its own.
    pub initial_profiles: u64,
    pub stages: Vec<StageRow>,
    /// (profile size, number of profiles), smallest first.
    pub cluster_sizes: Vec<(u64, u64)>,
    /// The largest profiles (ID, records), for the cluster view's chooser.
    pub largest: Vec<(String, u64)>,
    /// A profile worth watching grow: records from the most sources, of a drawable size.
    pub showcase: Option<String>,
    pub tables: Vec<String>,
    pub golden_fields: Vec<String>,
    pub warnings: Vec<String>,
    pub warning_count: usize,
    /// The comparison with the run before, when there was one.
    pub what_if: Option<WhatIfSummary>,
    /// (events, stitched or backfilled) when the graph has event models.
    pub events: Option<(u64, u64)>,
}

/// `identity_golden_report` in numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub run_id: String,
    pub records: u64,
    pub matched: u64,
    pub unique: u64,
    pub conflict: u64,
    pub missing: u64,
    pub golden: u64,
    pub emitted: u64,
}

impl Totals {
    /// (matched + unique) / all records.
    pub fn resolution_rate(&self) -> f64 {
        ratio(self.matched + self.unique, self.records)
    }

    /// Emitted records per golden record.
    pub fn consolidation(&self) -> f64 {
        ratio(self.emitted, self.golden)
    }
}

/// `part / whole`, or 0 when `whole` is 0.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// One stage (rule) of the run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    pub stage: usize,
    pub rule: String,
    pub applicable: u64,
    pub candidate_pairs: u64,
    pub accepted_pairs: u64,
    pub refused_pairs: u64,
    pub merges: u64,
    pub merges_refused: u64,
    pub conflict_records: u64,
    pub profiles_after: u64,
}

/// One page of golden records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfilesPage {
    pub search: String,
    pub page: usize,
    pub page_size: usize,
    /// Profiles matching the search.
    pub total: usize,
    pub fields: Vec<String>,
    pub rows: Vec<ProfileRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRow {
    pub id: String,
    pub records: usize,
    pub models: usize,
    pub conflict: bool,
    /// One value per golden field.
    pub values: Vec<String>,
}

/// One profile opened: its records side by side, its golden values and the pairs that joined it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileDetail {
    pub id: String,
    pub conflict: bool,
    pub records: Vec<RecordCard>,
    pub golden: Vec<GoldenCell>,
    /// Pairs touching the profile's records, in `match_pairs` order (the growth view draws them).
    pub pairs: Vec<PairRow>,
    /// The accepted pairs that joined the records: a spanning tree, earliest stage first.
    pub chain: Vec<PairRow>,
    /// Pairs touching the profile that a guardrail refused, with what they broke.
    pub refusals: Vec<PairRow>,
    /// The rule names, in stage order.
    pub rules: Vec<String>,
}

/// One source record of a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordCard {
    pub model: String,
    pub key: String,
    pub status: String,
    pub cells: Vec<CellView>,
}

/// One cell of a record; `golden` names the golden fields this cell won.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellView {
    pub column: String,
    pub value: String,
    pub golden: Vec<String>,
}

/// One golden value with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldenCell {
    pub field: String,
    pub value: String,
    pub model: String,
    pub key: String,
    pub strategy: String,
}

/// One candidate pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairRow {
    pub left_model: String,
    pub left_key: String,
    pub right_model: String,
    pub right_key: String,
    pub stage: usize,
    pub rule: String,
    /// `criterion=score;...` as in `match_pairs`.
    pub scores: String,
    /// `accepted`, `pair_conflict` or `merge_refused`.
    pub decision: String,
    pub detail: String,
}

/// Why two records are or are not together, rule by rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordsExplanation {
    pub left: RecordFate,
    pub right: RecordFate,
    pub same_profile: bool,
    /// (stage, rule, joined, the verdict in words), in stage order.
    pub verdicts: Vec<(usize, String, bool, String)>,
}

/// What became of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordFate {
    pub model: String,
    pub key: String,
    pub status: String,
    pub profile: Option<String>,
}

/// Event stitching of the last run: stitch rates, unstitched reasons and the first unstitched events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventsData {
    pub events: u64,
    /// `identity_event_metrics`.
    pub metrics: TableData,
    /// The first rows of `identity_unstitched_events`.
    pub unstitched: TableData,
    pub unstitched_total: usize,
}

/// A table sent for display: a header and rows of text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableData {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl TableData {
    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// Section 5 as data: the engine's metric tables, unresolved records and suspicious profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewData {
    pub totals: Totals,
    pub models: TableData,
    pub rules: TableData,
    pub identifiers: TableData,
    /// The first unresolved records (`identity_unresolved_records` rows).
    pub unresolved: TableData,
    pub unresolved_total: usize,
    /// (reason, records), in the order of the SPEC's reasons.
    pub unresolved_by_reason: Vec<(String, u64)>,
    pub suspicious: Vec<Suspect>,
}

/// A profile worth a second look, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspect {
    pub id: String,
    pub records: u64,
    pub reason: String,
}

/// Which what-if list to browse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeList {
    Merged,
    Split,
    Moved,
    Status,
}

/// The counts of a what-if comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatIfSummary {
    /// The revision of the graph of the run compared against.
    pub before_revision: u64,
    pub profiles_before: u64,
    pub profiles_after: u64,
    pub merged: u64,
    pub split: u64,
    pub unchanged: u64,
    /// Records in a profile in both runs, but not in the successor of their earlier profile.
    pub moved: u64,
    pub status_changed: u64,
}

/// One page of a what-if list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatIfPage {
    pub list: ChangeList,
    pub page: usize,
    pub page_size: usize,
    pub total: usize,
    pub items: Vec<ChangeItem>,
}

/// One entry of a what-if list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeItem {
    /// A profile of this run made of records from several profiles of the run before.
    Merged {
        id: String,
        records: usize,
        from: Vec<String>,
    },
    /// A profile of the run before whose records now sit in several profiles.
    Split {
        id: String,
        records: usize,
        into: Vec<String>,
    },
    /// A record that left the successor of its earlier profile (the profile holding most of its records).
    Moved {
        model: String,
        key: String,
        before: String,
        after: String,
    },
    /// A record whose status changed.
    Status {
        model: String,
        key: String,
        before: String,
        after: String,
    },
}
