//! Steps 2 and 3 (standardize, missing): one observation per (record, identifier, raw value) with its status,
//! frequent values quarantined, and the used values of every record interned as integers.

use super::records::{ModelColumns, Records};
use super::text::{StrArena, index_u32};
use super::{Reporter, ResolveError};
use crate::settings::{Identifier, Settings, Step};
use crate::standardize::{Standardized, blocked_reason, standardize};
use crate::table::Table;
use crate::workers::Workers;
use rustc_hash::FxHashMap;
use std::ops::Range;

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

/// Standardized values numbered in the order they are first met: the text goes into the arena once, and the
/// map finds it again. The map keeps the `String` that standardization produced as it is (shrinking it to a
/// `Box<str>` would copy it), and the arena is already in index order when the run is over.
#[derive(Default)]
struct Interner {
    map: FxHashMap<String, u32>,
    arena: StrArena,
}

impl Interner {
    fn intern(&mut self, text: String) -> u32 {
        // Many raw values standardize to a value already seen: look it up before paying for a key.
        if let Some(&index) = self.map.get(text.as_str()) {
            return index;
        }
        let index = self.arena.push(&text);
        self.map.insert(text, index);
        index
    }

    /// The strings by index.
    fn finish(self) -> StrArena {
        self.arena
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
///
/// The records are cut into chunks of consecutive records, standardized independently (by `workers`, several
/// at a time when the host has threads), each numbering its values and details in the order its records first
/// hold them. The chunks are then merged in record order, and since a value is new to the whole run exactly at
/// its first holder, which is where it is new to that holder's chunk, the merged numbering is the one a single
/// pass over every record would give, whatever the number of chunks or workers.
pub(crate) fn observe(
    settings: &Settings,
    tables: &[Table],
    columns: &[ModelColumns],
    records: &Records,
    workers: &dyn Workers,
    reporter: &mut Reporter<'_>,
    chunk_records: u32,
) -> Result<Observed, ResolveError> {
    let identifier_count = settings.identifiers.len();
    let context = ChunkContext::new(settings, tables, columns, records);
    let total = index_u32(records.len());
    let chunks = super::run_in_chunks(total, chunk_records, workers, reporter, |range| {
        context.chunk(range)
    })?;
    let merged = merge(chunks, records.len());
    let mut details = merged.details;
    let mut observations = merged.observations;
    let quarantined = quarantine(settings, &mut observations, &mut details);
    let used = used_values(identifier_count, records.len(), &observations);
    let missing = (0..total).map(|record| !used.any(record)).collect();
    Ok(Observed {
        observations,
        record_start: merged.record_start,
        raw: merged.raw,
        details: details.list,
        values: merged.values,
        used,
        missing,
        quarantined,
    })
}

/// What standardizing one chunk needs, shared by every chunk.
struct ChunkContext<'a> {
    settings: &'a Settings,
    tables: &'a [Table],
    columns: &'a [ModelColumns],
    records: &'a Records,
    /// The rank of each identifier's name, since a record's observations are sorted by identifier name.
    rank_of: Vec<usize>,
    /// Identifiers whose first step is `phone`, and of those, the ones whose default region is `FR`.
    phone_first: Vec<bool>,
    french: Vec<bool>,
}

/// The observations of a run of consecutive records, with their values, details and raw values numbered
/// within the chunk.
struct Chunk {
    observations: Vec<Observation>,
    /// Start of each record's observations within the chunk, without the final end.
    record_start: Vec<u32>,
    raw: StrArena,
    values: StrArena,
    details: Vec<String>,
}

impl<'a> ChunkContext<'a> {
    fn new(
        settings: &'a Settings,
        tables: &'a [Table],
        columns: &'a [ModelColumns],
        records: &'a Records,
    ) -> Self {
        let identifier_count = settings.identifiers.len();
        let mut name_rank: Vec<usize> = (0..identifier_count).collect();
        crate::sort::sort_by(&mut name_rank, |&a, &b| {
            settings.identifiers[a]
                .name
                .cmp(&settings.identifiers[b].name)
        });
        let mut rank_of = vec![0; identifier_count];
        for (rank, &identifier) in name_rank.iter().enumerate() {
            rank_of[identifier] = rank;
        }
        Self {
            settings,
            tables,
            columns,
            records,
            rank_of,
            phone_first: settings
                .identifiers
                .iter()
                .map(|identifier| identifier.steps.first() == Some(&Step::Phone))
                .collect(),
            french: settings
                .identifiers
                .iter()
                .map(|identifier| identifier.default_region.as_deref() == Some("FR"))
                .collect(),
        }
    }

    /// Standardizes the mapped values of the records in `range`.
    fn chunk(&self, range: Range<u32>) -> Chunk {
        let settings = self.settings;
        let identifier_count = settings.identifiers.len();
        let mut interner = Interner::default();
        let mut details = Details::new();
        let mut caches: Vec<FxHashMap<&str, Outcome>> =
            vec![FxHashMap::default(); identifier_count];
        let mut phone_caches: Vec<FxHashMap<String, Outcome>> =
            vec![FxHashMap::default(); identifier_count];
        let mut observations = Vec::with_capacity(range.len() * 2);
        let mut record_start = Vec::with_capacity(range.len());
        let mut raw_arena = StrArena::default();
        let mut scratch: Vec<(usize, &str, usize)> = Vec::new();
        let mut key = String::new();

        for record in range {
            record_start.push(index_u32(observations.len()));
            let model = self.records.model_of(record);
            let row = self.records.row[record as usize] as usize;
            let table = &self.tables[model];
            scratch.clear();
            for (identifier, cells) in &self.columns[model].identifiers {
                for &column in cells {
                    scratch.push((
                        self.rank_of[*identifier],
                        table.cell(row, column),
                        *identifier,
                    ));
                }
            }
            scratch.sort_unstable();
            scratch.dedup();
            for &(_, raw, identifier) in &scratch {
                let definition = &settings.identifiers[identifier];
                let outcome = match caches[identifier].get(raw) {
                    Some(&outcome) => outcome,
                    None => {
                        // A phone written with other separators may already have been standardized: its key
                        // finds it. The first value to reach an outcome still interns it, so numbering is
                        // unchanged.
                        let keyed = self.phone_first[identifier] && phone_key(raw, &mut key);
                        if keyed && self.french[identifier] {
                            french_national(&mut key);
                        }
                        let known = if keyed {
                            phone_caches[identifier].get(key.as_str()).copied()
                        } else {
                            None
                        };
                        // The key standardizes exactly like the raw value, and the parser reads plain digits
                        // fastest, so a keyed value is standardized through its key.
                        let outcome = known.unwrap_or_else(|| {
                            let input = if keyed { key.as_str() } else { raw };
                            outcome_of(definition, input, &mut interner, &mut details)
                        });
                        if keyed && known.is_none() {
                            phone_caches[identifier].insert(key.clone(), outcome);
                        }
                        caches[identifier].insert(raw, outcome);
                        outcome
                    }
                };
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
        Chunk {
            observations,
            record_start,
            raw: raw_arena,
            values: interner.finish(),
            details: details.list,
        }
    }
}

/// The chunks joined in record order, with one numbering of values and details.
struct Merged {
    observations: Vec<Observation>,
    record_start: Vec<u32>,
    raw: StrArena,
    values: StrArena,
    details: Details,
}

/// Joins the chunks in order: each chunk's values and details are looked up in (or added to) the run's, in the
/// chunk's own order, and its observations renumbered.
fn merge(chunks: Vec<Chunk>, records: usize) -> Merged {
    let mut values = StrArena::default();
    let mut details = Details::new();
    let value_maps: Vec<Vec<u32>> = {
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        chunks
            .iter()
            .map(|chunk| {
                (0..index_u32(chunk.values.len()))
                    .map(|local| {
                        let text = chunk.values.get(local);
                        *index.entry(text).or_insert_with(|| values.push(text))
                    })
                    .collect()
            })
            .collect()
    };
    let mut observations = Vec::with_capacity(chunks.iter().map(|c| c.observations.len()).sum());
    let mut record_start = Vec::with_capacity(records + 1);
    let mut raw = StrArena::default();
    for (chunk, value_map) in chunks.into_iter().zip(value_maps) {
        let detail_map: Vec<u32> = chunk
            .details
            .into_iter()
            .map(|text| details.intern(text))
            .collect();
        let raw_offset = index_u32(raw.len());
        let observation_offset = index_u32(observations.len());
        raw.append(&chunk.raw);
        record_start.extend(
            chunk
                .record_start
                .iter()
                .map(|start| start + observation_offset),
        );
        observations.extend(chunk.observations.into_iter().map(|o| Observation {
            raw: o.raw + raw_offset,
            value: if o.value == NONE {
                NONE
            } else {
                value_map[o.value as usize]
            },
            detail: detail_map[o.detail as usize],
            ..o
        }));
    }
    record_start.push(index_u32(observations.len()));
    Merged {
        observations,
        record_start,
        raw,
        values,
        details,
    }
}

/// What standardization and the block lists make of one raw value.
fn outcome_of(
    definition: &Identifier,
    raw: &str,
    interner: &mut Interner,
    details: &mut Details,
) -> Outcome {
    match standardize(definition, raw) {
        Standardized::Empty => Outcome::Empty,
        Standardized::Invalid(why) => Outcome::Invalid(details.intern(why)),
        Standardized::Used(value) if value.is_empty() => {
            Outcome::Invalid(details.intern("standardization left the value empty".to_owned()))
        }
        Standardized::Used(value) => match blocked_reason(definition, &value) {
            Some(why) => Outcome::Blocked(interner.intern(value), details.intern(why)),
            None => Outcome::Used(interner.intern(value)),
        },
    }
}

/// Writes into `key` the raw value of an identifier whose first step is `phone` without its ` `, `.` and `-`
/// separators, and returns true, when the `phone` step provably reads both the same way; returns false (and the
/// raw value is its own key) otherwise. A value already without separators is its own key here too, so that
/// the same number written with separators later finds it.
///
/// The value must be an optional leading `+` then ASCII digits (at least three) and those separators, starting
/// and ending with a digit; with a `+` and separators it must hold a space. Then the `phonenumber` parser (0.3.10) takes the
/// same path for both: a value with a space, or with a `+` and no separator, is refused by its RFC 3966 reader
/// and read whole by its natural reader (it starts with a digit or `+` and ends with a digit, has no `/` or `\`
/// and no extension marker: `;ext=`, `ext`, `x`, `#`, `,`, `~`, `int`, `anexo`); digits with only `.` and `-`
/// are read whole by the RFC 3966 reader as a number without prefix or parameters. Either way the number has
/// no prefix, extension or carrier, passes the viability check (a leading `+`, then three digits each after
/// punctuation it accepts), and is then normalized to its digits after its one `+`, which are the same.
/// Everything after that (country code, national prefix, validity, formatting) reads only the normalized
/// number, and later steps read the `phone` step's output, so the outcome is the same.
fn phone_key(raw: &str, key: &mut String) -> bool {
    let bytes = raw.as_bytes();
    let (plus, rest) = match bytes.split_first() {
        Some((b'+', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (Some(first), Some(last)) = (rest.first(), rest.last()) else {
        return false;
    };
    if !first.is_ascii_digit() || !last.is_ascii_digit() {
        return false;
    }
    let mut digits = 0;
    let mut space = false;
    let mut separators = false;
    for &byte in rest {
        match byte {
            b'0'..=b'9' => digits += 1,
            b' ' => {
                space = true;
                separators = true;
            }
            b'.' | b'-' => separators = true,
            _ => return false,
        }
    }
    if digits < 3 || (plus && separators && !space) {
        return false;
    }
    key.clear();
    if plus {
        key.push('+');
    }
    key.extend(
        rest.iter()
            .filter(|b| b.is_ascii_digit())
            .map(|&b| char::from(b)),
    );
    true
}

/// Rewrites a phone key `+33` then nine digits, the first not `0`, as `0` then the same nine digits: with the
/// default region `FR`, the `phone` step provably reads both as the same number, so both forms of a French
/// number are standardized once (as the national form, which the parser reads fastest).
///
/// In the `phonenumber` parser (0.3.10, with its metadata 9.0.33), after the readers that `phone_key` describes,
/// `0612345678` has no `+` and does not start with FR's international prefix `00`, so it keeps its digits with
/// the default country code 33 (it does not start with `33`); `+33612345678` loses its `+`, does not start with
/// `00` either, and takes the first known country code among its first digits: no country code is `3`, so it
/// is 33, leaving `612345678`. The national prefix is then read with FR's metadata in both cases (a default
/// region is given): FR's prefix is `0`, with no parsing pattern of its own, so `0612345678` loses its `0`
/// once (the next digit is not `0`) and `612345678` keeps all its digits; nine digits is FR's only possible
/// length, so neither is too short and the stripped form is kept. Both numbers are then country code 33 and
/// national number `612345678`, with no extension, carrier or leading zero, and validity and E.164 read only
/// those. `french_forms_of_a_number_standardize_alike` checks this on every leading digit.
fn french_national(key: &mut String) {
    let bytes = key.as_bytes();
    if bytes.len() == 12
        && bytes.starts_with(b"+33")
        && bytes[3] != b'0'
        && bytes[3..].iter().all(u8::is_ascii_digit)
    {
        key.replace_range(..3, "0");
    }
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
    crate::sort::sort_unstable(&mut held);
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
        crate::sort::sort_unstable(&mut scratch);
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

#[cfg(test)]
mod tests {
    use super::{french_national, phone_key};
    use crate::settings::{DateOrder, Identifier, IdentifierKind, Step};
    use crate::standardize::standardize;
    use std::collections::BTreeSet;

    fn phone(region: Option<&str>) -> Identifier {
        Identifier {
            name: "phone".to_owned(),
            kind: IdentifierKind::Phone,
            steps: vec![Step::Phone],
            default_region: region.map(str::to_owned),
            date_order: DateOrder::Dmy,
            blocked_values: BTreeSet::new(),
            blocked_patterns: Vec::new(),
            blocked_pattern_sources: Vec::new(),
            max_records_per_value: None,
            conflict_limit: None,
        }
    }

    fn key_of(raw: &str) -> Option<String> {
        let mut key = String::new();
        phone_key(raw, &mut key).then_some(key)
    }

    #[test]
    fn phone_keys_drop_only_separators_of_plain_numbers() {
        assert_eq!(key_of("06 12 34 56 78").as_deref(), Some("0612345678"));
        assert_eq!(key_of("06.12.34.56.78").as_deref(), Some("0612345678"));
        assert_eq!(key_of("06-12-34-56-78").as_deref(), Some("0612345678"));
        assert_eq!(key_of("+33 6 12 34 56 78").as_deref(), Some("+33612345678"));
        assert_eq!(key_of("+33 6.12-34 56 78").as_deref(), Some("+33612345678"));
        assert_eq!(key_of("0612345678").as_deref(), Some("0612345678"));
        assert_eq!(key_of("+33612345678").as_deref(), Some("+33612345678"));
        // A form whose reading could differ is left out.
        for raw in [
            "+33.6.12.34.56.78",
            "+33-612345678",
            "1 2",
            "12",
            " 06 12 34 56 78",
            "06 12 34 56 78 ",
            "06 12 34 56 78#",
            "(06) 12 34 56 78",
            "06 12 34 56 78 x12",
            "++33 6 12 34 56 78",
            "+ 33 6 12 34 56 78",
            "06/12/34/56/78",
            "06 12 34 56 7８",
            "",
            "+",
        ] {
            assert_eq!(key_of(raw), None, "{raw}");
        }
    }

    #[test]
    fn phone_keys_standardize_like_their_raw_values() {
        let raws = [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "06 12.34-56 78",
            "+33 6 12 34 56 78",
            "+33 6.12.34.56.78",
            "+33 612345678",
            "+1 650 253 0000",
            "+44 20 7946 0958",
            "+33 0 6 12 34 56 78",
            "+0 612 345",
            "+999 123 456",
            "0033 6 12 34 56 78",
            "00 33 6 12 34 56 78",
            "650-253-0000",
            "650.253.0000",
            "1 2 3",
            "1-2-3",
            "12 3",
            "01 23 45 67 89",
            "03 40 44 26 21",
            "09 99 99 99 99",
            "00 00 00 00 00",
            "06 12 34 56 78 90 12 34 56",
            "6 12 34 56 78",
            "33 6 12 34 56 78",
            "1 800 555 0199",
        ];
        for region in [Some("FR"), Some("US"), Some("GB"), None] {
            let identifier = phone(region);
            for raw in raws {
                let key = key_of(raw).unwrap_or_else(|| panic!("{raw} has no key"));
                assert_eq!(
                    standardize(&identifier, raw),
                    standardize(&identifier, &key),
                    "{raw} as {key} in {region:?}"
                );
            }
        }
    }

    #[test]
    fn french_international_keys_become_national() {
        let national = |raw: &str| {
            let mut key = raw.to_owned();
            french_national(&mut key);
            key
        };
        assert_eq!(national("+33612345678"), "0612345678");
        assert_eq!(national("+33123456789"), "0123456789");
        // Anything else is left as it is: a `0` after the country code, other lengths, other countries.
        for key in [
            "+33012345678",
            "+3361234567",
            "+336123456789",
            "+34612345678",
            "0612345678",
            "33612345678",
        ] {
            assert_eq!(national(key), key);
        }
    }

    #[test]
    fn french_forms_of_a_number_standardize_alike() {
        let france = phone(Some("FR"));
        // Every leading digit, with tails spread over the whole range (a fixed linear congruential sequence),
        // valid and impossible numbers alike.
        let mut state: u64 = 12_345;
        for first in 1..=9 {
            let mut tails = vec![0, 99_999_999, 12_345_678];
            for _ in 0..200 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                tails.push((state >> 33) % 100_000_000);
            }
            for tail in tails {
                let international = format!("+33{first}{tail:08}");
                let mut key = international.clone();
                french_national(&mut key);
                assert_eq!(key, format!("0{first}{tail:08}"));
                assert_eq!(
                    standardize(&france, &international),
                    standardize(&france, &key),
                    "{international} as {key}"
                );
            }
        }
    }
}
