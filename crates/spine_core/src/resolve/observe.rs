//! Steps 2 and 3 (standardize, missing): one observation per (record, identifier, raw value) with its status,
//! frequent values quarantined, and the used values of every record interned as integers.

use super::records::{ModelColumns, Records};
use super::text::{StrArena, index_u32};
use super::{Reporter, ResolveError};
use crate::settings::Settings;
use crate::standardize::{Standardized, blocked_reason, standardize};
use crate::table::Table;
use rustc_hash::FxHashMap;

/// No value (an `empty` or `invalid` observation), or no record.
pub(crate) const NONE: u32 = u32::MAX;

/// The status of one observation (SPEC section 3, step 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObservationStatus {
    Used,
    Empty,
    Invalid,
    Blocked,
}

impl ObservationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Used => "used",
            Self::Empty => "empty",
            Self::Invalid => "invalid",
            Self::Blocked => "blocked",
        }
    }
}

/// One (record, identifier, raw value) with what standardization made of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Observation {
    pub record: u32,
    pub identifier: u32,
    /// Index into [`Observed::raw`].
    pub raw: u32,
    /// Interned standardized value, or [`NONE`] for `empty` and `invalid`.
    pub value: u32,
    pub status: ObservationStatus,
    /// Index into [`Observed::details`] (0 is the empty text).
    pub detail: u32,
}

/// A value held by more records than its identifier's `max_records_per_value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quarantined {
    pub identifier: u32,
    pub value: u32,
    pub records: u32,
}

/// Every observation and the interned values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Observed {
    /// Grouped by record in record order; within a record sorted by identifier name, then raw value.
    pub observations: Vec<Observation>,
    /// Start of each record's observations (one more entry than records).
    pub record_start: Vec<u32>,
    pub raw: StrArena,
    pub details: Vec<String>,
    /// Interned standardized values, numbered in the order records first hold them (so the lookup table, written
    /// in record order, reads them nearly in memory order). Compare the text, never the index, to sort.
    pub values: StrArena,
    pub used: UsedValues,
    /// Records with no `used` observation.
    pub missing: Vec<bool>,
    pub quarantined: Vec<Quarantined>,
}

impl Observed {
    pub(crate) fn of_record(&self, record: u32) -> &[Observation] {
        let start = self.record_start[record as usize] as usize;
        let end = self.record_start[record as usize + 1] as usize;
        &self.observations[start..end]
    }
}

/// The distinct used values of each (record, identifier), sorted.
#[derive(Debug, Clone, Default)]
pub(crate) struct UsedValues {
    identifiers: usize,
    start: Vec<u32>,
    values: Vec<u32>,
}

impl UsedValues {
    pub(crate) fn get(&self, record: u32, identifier: usize) -> &[u32] {
        let slot = record as usize * self.identifiers + identifier;
        &self.values[self.start[slot] as usize..self.start[slot + 1] as usize]
    }

    /// True when the record has a used value of some identifier.
    pub(crate) fn any(&self, record: u32) -> bool {
        let slot = record as usize * self.identifiers;
        self.start[slot] != self.start[slot + self.identifiers]
    }
}

/// What standardization and the block lists made of one raw value (cached per identifier).
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Used(u32),
    Empty,
    Invalid(u32),
    Blocked(u32, u32),
}

#[derive(Default)]
struct Interner {
    map: FxHashMap<Box<str>, u32>,
}

impl Interner {
    fn intern(&mut self, text: String) -> u32 {
        // Many raw values standardize to a value already seen: look it up before paying for a key.
        if let Some(&index) = self.map.get(text.as_str()) {
            return index;
        }
        let index = index_u32(self.map.len());
        self.map.insert(text.into_boxed_str(), index);
        index
    }

    /// The strings by index.
    fn finish(self) -> StrArena {
        let mut entries: Vec<(Box<str>, u32)> = self.map.into_iter().collect();
        entries.sort_unstable_by_key(|entry| entry.1);
        let mut arena = StrArena::default();
        for (text, _) in entries {
            arena.push(&text);
        }
        arena
    }
}

#[derive(Default)]
struct Details {
    map: FxHashMap<String, u32>,
    list: Vec<String>,
}

impl Details {
    fn new() -> Self {
        let mut details = Self::default();
        details.intern(String::new());
        details
    }

    fn intern(&mut self, text: String) -> u32 {
        if let Some(&index) = self.map.get(&text) {
            return index;
        }
        let index = index_u32(self.list.len());
        self.list.push(text.clone());
        self.map.insert(text, index);
        index
    }
}

/// Standardizes every mapped value of every record, quarantines frequent values and marks missing records.
pub(crate) fn observe(
    settings: &Settings,
    tables: &[Table],
    columns: &[ModelColumns],
    records: &Records,
    reporter: &mut Reporter<'_>,
) -> Result<Observed, ResolveError> {
    let identifier_count = settings.identifiers.len();
    let mut name_rank: Vec<usize> = (0..identifier_count).collect();
    name_rank.sort_by(|&a, &b| {
        settings.identifiers[a]
            .name
            .cmp(&settings.identifiers[b].name)
    });
    let mut rank_of = vec![0; identifier_count];
    for (rank, &identifier) in name_rank.iter().enumerate() {
        rank_of[identifier] = rank;
    }

    let mut interner = Interner::default();
    let mut details = Details::new();
    let mut caches: Vec<FxHashMap<&str, Outcome>> = vec![FxHashMap::default(); identifier_count];
    let mut observations = Vec::with_capacity(records.len() * 2);
    let mut record_start = Vec::with_capacity(records.len() + 1);
    let mut raw_arena = StrArena::default();
    let mut scratch: Vec<(usize, &str, usize)> = Vec::new();

    for record in 0..index_u32(records.len()) {
        if record.is_multiple_of(65_536) {
            reporter.step(u64::from(record), records.len() as u64)?;
        }
        record_start.push(index_u32(observations.len()));
        let model = records.model_of(record);
        let row = records.row[record as usize] as usize;
        let table = &tables[model];
        scratch.clear();
        for (identifier, cells) in &columns[model].identifiers {
            for &column in cells {
                scratch.push((rank_of[*identifier], table.cell(row, column), *identifier));
            }
        }
        scratch.sort_unstable();
        scratch.dedup();
        for &(_, raw, identifier) in &scratch {
            let definition = &settings.identifiers[identifier];
            let outcome = *caches[identifier].entry(raw).or_insert_with(|| {
                match standardize(definition, raw) {
                    Standardized::Empty => Outcome::Empty,
                    Standardized::Invalid(why) => Outcome::Invalid(details.intern(why)),
                    Standardized::Used(value) if value.is_empty() => Outcome::Invalid(
                        details.intern("standardization left the value empty".to_owned()),
                    ),
                    Standardized::Used(value) => match blocked_reason(definition, &value) {
                        Some(why) => Outcome::Blocked(interner.intern(value), details.intern(why)),
                        None => Outcome::Used(interner.intern(value)),
                    },
                }
            });
            let (value, status, detail) = match outcome {
                Outcome::Used(value) => (value, ObservationStatus::Used, 0),
                Outcome::Empty => (NONE, ObservationStatus::Empty, 0),
                Outcome::Invalid(detail) => (NONE, ObservationStatus::Invalid, detail),
                Outcome::Blocked(value, detail) => (value, ObservationStatus::Blocked, detail),
            };
            let raw = raw_arena.push(raw);
            observations.push(Observation {
                record,
                identifier: index_u32(identifier),
                raw,
                value,
                status,
                detail,
            });
        }
    }
    record_start.push(index_u32(observations.len()));
    drop(caches);

    let values = interner.finish();

    let quarantined = quarantine(settings, &mut observations, &mut details);
    let used = used_values(identifier_count, records.len(), &observations);
    let missing = (0..index_u32(records.len()))
        .map(|record| !used.any(record))
        .collect();
    Ok(Observed {
        observations,
        record_start,
        raw: raw_arena,
        details: details.list,
        values,
        used,
        missing,
        quarantined,
    })
}

/// Blocks the values of identifiers with `max_records_per_value` that more distinct records hold.
fn quarantine(
    settings: &Settings,
    observations: &mut [Observation],
    details: &mut Details,
) -> Vec<Quarantined> {
    let limited: Vec<Option<u64>> = settings
        .identifiers
        .iter()
        .map(|i| i.max_records_per_value)
        .collect();
    let mut held: Vec<(u32, u32, u32)> = observations
        .iter()
        .filter(|o| o.status == ObservationStatus::Used && limited[o.identifier as usize].is_some())
        .map(|o| (o.identifier, o.value, o.record))
        .collect();
    if held.is_empty() {
        return Vec::new();
    }
    held.sort_unstable();
    held.dedup();
    let mut quarantined = Vec::new();
    let mut index = 0;
    while index < held.len() {
        let (identifier, value, _) = held[index];
        let mut end = index + 1;
        while end < held.len() && held[end].0 == identifier && held[end].1 == value {
            end += 1;
        }
        let count = (end - index) as u64;
        if limited[identifier as usize].is_some_and(|max| count > max) {
            quarantined.push(Quarantined {
                identifier,
                value,
                records: index_u32(end - index),
            });
        }
        index = end;
    }
    for observation in observations
        .iter_mut()
        .filter(|o| o.status == ObservationStatus::Used)
    {
        let key = (observation.identifier, observation.value);
        if let Ok(found) = quarantined.binary_search_by(|q| (q.identifier, q.value).cmp(&key)) {
            let max = limited[observation.identifier as usize].unwrap_or_default();
            observation.status = ObservationStatus::Blocked;
            observation.detail = details.intern(format!(
                "held by {} records, over max_records_per_value {max}",
                quarantined[found].records
            ));
        }
    }
    quarantined
}

fn used_values(identifiers: usize, records: usize, observations: &[Observation]) -> UsedValues {
    let mut start = Vec::with_capacity(records * identifiers + 1);
    let mut values = Vec::new();
    let mut scratch: Vec<(u32, u32)> = Vec::new();
    let mut index = 0;
    for record in 0..index_u32(records) {
        scratch.clear();
        while index < observations.len() && observations[index].record == record {
            let observation = &observations[index];
            if observation.status == ObservationStatus::Used {
                scratch.push((observation.identifier, observation.value));
            }
            index += 1;
        }
        scratch.sort_unstable();
        scratch.dedup();
        let mut cursor = 0;
        for identifier in 0..index_u32(identifiers) {
            start.push(index_u32(values.len()));
            while cursor < scratch.len() && scratch[cursor].0 == identifier {
                values.push(scratch[cursor].1);
                cursor += 1;
            }
        }
    }
    start.push(index_u32(values.len()));
    UsedValues {
        identifiers,
        start,
        values,
    }
}
