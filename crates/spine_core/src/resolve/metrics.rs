//! Section 5's numbers: the run report (`identity_golden_report`), the cluster-size distribution and the
//! model and identifier breakdowns (rule numbers are the stage summaries), and the run's content hash.

use super::observe::{NONE, ObservationStatus};
use super::text::{hex, md5_hex};
use super::{Decision, RecordStatus, Resolution};
use crate::settings::{GoldenSource, Settings};
use crate::table::Table;
use md5::{Digest, Md5};

/// The run's key numbers (`identity_golden_report`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// MD5 of the canonical identity graph and every input cell (independent of row order).
    pub run_id: String,
    /// Every source row, bad keys included.
    pub total_records: u64,
    pub matched: u64,
    pub unique: u64,
    /// Conflict records, emitted (`keep`) or not (`exclude`).
    pub conflict: u64,
    /// Records with no used identifier value plus rows with a missing or duplicate key, so that matched,
    /// unique, conflict and missing add up to the total.
    pub missing: u64,
    pub golden_records: u64,
    /// Records in `identity_match`.
    pub emitted_records: u64,
}

/// One row of `identity_model_metrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelMetrics {
    pub model: String,
    /// Every row of the model's table.
    pub records: u64,
    pub matched: u64,
    pub unique: u64,
    pub conflict: u64,
    pub missing_identifiers: u64,
    pub missing_key: u64,
    pub duplicate_key: u64,
    /// Conflict records sent to unresolved records (`on_conflict: exclude`).
    pub conflict_unresolved: u64,
    /// Golden values (profile x field with a value) whose winning record is from this model.
    pub golden_values: u64,
    pub unparsable_order_values: u64,
}

/// One row of `identity_identifier_metrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentifierMetrics {
    pub identifier: String,
    /// Loaded records with at least one used value.
    pub records_with_value: u64,
    /// Profiles whose golden field for this identifier has a value (the first such golden field), if any.
    pub golden_values: Option<u64>,
    pub used: u64,
    pub empty: u64,
    pub invalid: u64,
    pub blocked: u64,
    pub quarantined_values: u64,
    pub distinct_values: u64,
    /// Up to five values held by two or more records: (value, records), most shared first.
    pub top_shared: Vec<(String, u64)>,
    /// Candidate pairs refused (`pair_conflict` or `merge_refused`) because of this identifier's limit.
    pub conflict_pairs: u64,
}

/// How many values `top_shared_values` lists.
const TOP_SHARED: usize = 5;

/// MD5 hex of the canonical identity graph and every input cell. Each row is hashed on its own and the row
/// digests are sorted, and models are taken by name (in the graph too, where their order means nothing), so the
/// ID depends on neither row order nor model order.
/// The identity graph as `run_id` hashes it: the canonical JSON with its models sorted by name, so the order
/// models are listed in means nothing (the warehouse SQL hashes the same text).
pub fn hashed_graph(settings: &Settings) -> String {
    match serde_json::from_str::<serde_json::Value>(&settings.canonical_json) {
        Ok(mut graph) => {
            if let Some(models) = graph
                .get_mut("models")
                .and_then(serde_json::Value::as_array_mut)
            {
                let name = |model: &serde_json::Value| {
                    model
                        .get("name")
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned)
                };
                crate::sort::sort_by_key(models, name);
            }
            graph.to_string()
        }
        Err(_) => settings.canonical_json.clone(),
    }
}

pub(crate) fn run_id(settings: &Settings, tables: &[Table]) -> String {
    let mut hasher = Md5::new();
    let config = hashed_graph(settings);
    hasher.update(config.as_bytes());
    let mut models: Vec<usize> = (0..settings.models.len()).collect();
    crate::sort::sort_by(&mut models, |&a, &b| {
        settings.models[a].name.cmp(&settings.models[b].name)
    });
    let mut digests: Vec<[u8; 16]> = Vec::new();
    let mut cells: Vec<&str> = Vec::new();
    for model in models {
        let table = &tables[model];
        hasher.update(b"\x1Emodel\x1F");
        hasher.update(settings.models[model].name.as_bytes());
        let columns: Vec<&str> = table.columns.iter().map(String::as_str).collect();
        hasher.update(md5_hex(&columns).as_bytes());
        digests.clear();
        for row in 0..table.len() {
            cells.clear();
            cells.extend(table.row(row));
            let mut row_hasher = Md5::new();
            for (index, cell) in cells.iter().enumerate() {
                if index > 0 {
                    row_hasher.update(b"\x1F");
                }
                row_hasher.update(cell.as_bytes());
            }
            digests.push(row_hasher.finalize().into());
        }
        crate::sort::sort_unstable(&mut digests);
        for digest in &digests {
            hasher.update(digest);
        }
    }
    hex(&hasher.finalize())
}

pub(crate) fn report(resolution: &Resolution, run_id: String) -> Report {
    let mut report = Report {
        run_id,
        ..Report::default()
    };
    for status in &resolution.status {
        match status {
            RecordStatus::Matched => report.matched += 1,
            RecordStatus::Unique => report.unique += 1,
            RecordStatus::Conflict => report.conflict += 1,
            RecordStatus::Missing => report.missing += 1,
        }
    }
    report.missing += resolution.bad.len() as u64;
    report.total_records = resolution.records.len() as u64 + resolution.bad.len() as u64;
    report.golden_records = resolution.profiles.len() as u64;
    report.emitted_records = resolution.profiles.members.len() as u64;
    report
}

/// Profiles per size: (records in a profile, profiles of that size), smallest first.
pub(crate) fn cluster_sizes(resolution: &Resolution) -> Vec<(u64, u64)> {
    let profiles = &resolution.profiles;
    let mut sizes: Vec<u64> = (0..profiles.len())
        .map(|p| u64::from(profiles.start[p + 1] - profiles.start[p]))
        .collect();
    crate::sort::sort_unstable(&mut sizes);
    let mut out: Vec<(u64, u64)> = Vec::new();
    for size in sizes {
        match out.last_mut() {
            Some((last, count)) if *last == size => *count += 1,
            _ => out.push((size, 1)),
        }
    }
    out
}

/// One row per model, by model name.
pub(crate) fn model_metrics(resolution: &Resolution, tables: &[Table]) -> Vec<ModelMetrics> {
    let settings = &resolution.settings;
    let mut rows: Vec<ModelMetrics> = settings
        .models
        .iter()
        .zip(tables)
        .map(|(model, table)| ModelMetrics {
            model: model.name.clone(),
            records: table.len() as u64,
            ..ModelMetrics::default()
        })
        .collect();
    let exclude = settings.guardrails.on_conflict == crate::settings::OnConflict::Exclude;
    for (record, status) in resolution.status.iter().enumerate() {
        let row = &mut rows[resolution.records.model[record] as usize];
        match status {
            RecordStatus::Matched => row.matched += 1,
            RecordStatus::Unique => row.unique += 1,
            RecordStatus::Conflict => {
                row.conflict += 1;
                row.conflict_unresolved += u64::from(exclude);
            }
            RecordStatus::Missing => row.missing_identifiers += 1,
        }
    }
    for bad in &resolution.bad {
        match bad.reason {
            super::BadKey::Missing => rows[bad.model].missing_key += 1,
            super::BadKey::Duplicate => rows[bad.model].duplicate_key += 1,
        }
    }
    for &(_, record) in &resolution.golden.cells {
        if record != NONE {
            rows[resolution.records.model_of(record)].golden_values += 1;
        }
    }
    for &record in &resolution.orders.unparsable {
        rows[resolution.records.model_of(record)].unparsable_order_values += 1;
    }
    crate::sort::sort_by(&mut rows, |a, b| a.model.cmp(&b.model));
    rows
}

/// One row per identifier, by identifier name.
pub(crate) fn identifier_metrics(resolution: &Resolution) -> Vec<IdentifierMetrics> {
    let settings = &resolution.settings;
    let observed = &resolution.observed;
    let records = resolution.records.len();
    let fields = settings.golden.len();
    let mut rows = Vec::with_capacity(settings.identifiers.len());
    // Records per value by counting (values are dense integers), touching only the values seen.
    let mut counts: Vec<u32> = vec![0; observed.values.len()];
    let mut touched: Vec<u32> = Vec::new();
    for (identifier, definition) in settings.identifiers.iter().enumerate() {
        let mut row = IdentifierMetrics {
            identifier: definition.name.clone(),
            ..IdentifierMetrics::default()
        };
        touched.clear();
        for record in 0..super::index_u32(records) {
            let values = observed.used.get(record, identifier);
            row.records_with_value += u64::from(!values.is_empty());
            for &value in values {
                if counts[value as usize] == 0 {
                    touched.push(value);
                }
                counts[value as usize] += 1;
            }
        }
        row.distinct_values = touched.len() as u64;
        let mut shared: Vec<(u64, u32)> = touched
            .iter()
            .filter(|&&value| counts[value as usize] > 1)
            .map(|&value| (u64::from(counts[value as usize]), value))
            .collect();
        for &value in &touched {
            counts[value as usize] = 0;
        }
        // Most shared first, then by value; only the first few are kept, so only they are sorted.
        let order = |a: &(u64, u32), b: &(u64, u32)| {
            b.0.cmp(&a.0)
                .then_with(|| observed.values.get(a.1).cmp(observed.values.get(b.1)))
        };
        if shared.len() > TOP_SHARED {
            shared.select_nth_unstable_by(TOP_SHARED - 1, order);
            shared.truncate(TOP_SHARED);
        }
        // Values are distinct, so no two entries tie and any sort gives this one order.
        crate::sort::sort_by(&mut shared, order);
        row.top_shared = shared
            .iter()
            .take(TOP_SHARED)
            .map(|&(n, value)| (observed.values.get(value).to_owned(), n))
            .collect();
        if let Some(field) = settings
            .golden
            .iter()
            .position(|f| f.source == GoldenSource::Identifier(identifier))
        {
            let filled = (0..resolution.profiles.len())
                .filter(|&p| resolution.golden.cells[p * fields + field].1 != NONE);
            row.golden_values = Some(filled.count() as u64);
        }
        row.quarantined_values = observed
            .quarantined
            .iter()
            .filter(|q| q.identifier as usize == identifier)
            .count() as u64;
        rows.push(row);
    }
    for observation in &observed.observations {
        let row = &mut rows[observation.identifier as usize];
        match observation.status {
            ObservationStatus::Used => row.used += 1,
            ObservationStatus::Empty => row.empty += 1,
            ObservationStatus::Invalid => row.invalid += 1,
            ObservationStatus::Blocked => row.blocked += 1,
        }
    }
    for pair in resolution
        .pairs
        .iter()
        .filter(|p| p.decision != Decision::Accepted)
    {
        for broken in &resolution.notes[pair.note as usize].broken {
            if let super::Broken::Identifier { identifier, .. } = *broken {
                rows[identifier].conflict_pairs += 1;
            }
        }
    }
    crate::sort::sort_by(&mut rows, |a, b| a.identifier.cmp(&b.identifier));
    rows
}
