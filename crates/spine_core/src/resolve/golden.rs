//! Step 9 (golden records): each golden field's winning value per profile by its survivorship strategy and
//! the tie-break chain, with the record it came from (SPEC sections 3 and 10).

use super::ids::Profiles;
use super::observe::{NONE, Observed};
use super::order::{Instant, parse_order};
use super::records::{ModelColumns, Records};
use super::text::{StrArena, index_u32};
use super::{Reporter, ResolveError};
use crate::settings::{GoldenSource, Settings, Strategy};
use crate::table::Table;
use crate::workers::Workers;
use std::cmp::Ordering;
use std::ops::Range;

/// The order field of every record.
#[derive(Debug, Clone, Default)]
pub(crate) struct Orders {
    /// Parsed order value; `None` (oldest) when absent, empty or unparsable.
    pub instant: Vec<Option<Instant>>,
    /// The raw order value of every record (empty when the model has no order field).
    pub raw: StrArena,
    /// Records whose non-empty order value does not parse.
    pub unparsable: Vec<u32>,
}

/// Reads and parses every record's order field.
pub(crate) fn orders(tables: &[Table], columns: &[ModelColumns], records: &Records) -> Orders {
    let mut orders = Orders {
        instant: Vec::with_capacity(records.len()),
        ..Orders::default()
    };
    for record in 0..index_u32(records.len()) {
        let model = records.model_of(record);
        let raw = columns[model].order.map_or("", |column| {
            tables[model].cell(records.row[record as usize] as usize, column)
        });
        let instant = parse_order(raw);
        if instant.is_none() && !raw.trim().is_empty() {
            orders.unparsable.push(record);
        }
        orders.instant.push(instant);
        orders.raw.push(raw);
    }
    orders
}

/// The golden records of every profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct Golden {
    pub values: StrArena,
    /// (index into `values`, winning record or [`NONE`]) per profile and golden field, profile-major.
    pub cells: Vec<(u32, u32)>,
    /// Per profile, the record with the earliest and the latest parsable order value ([`NONE`] when none).
    pub first_seen: Vec<u32>,
    pub last_seen: Vec<u32>,
}

/// One candidate value of a golden field: a record, what the tie-breaks read of it, and its value.
#[derive(Debug, Clone, Copy)]
struct Candidate<'a> {
    record: u32,
    instant: Option<Instant>,
    model: u32,
    value: &'a str,
}

/// A profile's record as survivorship reads it, looked up once per profile rather than once per field (the
/// lookups land all over memory, and at a million profiles they cost more than the choosing).
#[derive(Debug, Clone, Copy)]
struct Member {
    record: u32,
    instant: Option<Instant>,
    model: u32,
    row: u32,
}

/// What survivorship reads.
pub(crate) struct Sources<'a> {
    pub settings: &'a Settings,
    pub tables: &'a [Table],
    pub columns: &'a [ModelColumns],
    pub records: &'a Records,
    pub observed: &'a Observed,
    pub orders: &'a Orders,
}

/// Picks every golden field of every profile, in chunks of consecutive profiles that `workers` may pick side by
/// side; each profile's choice reads only its own records, so joining the chunks in order gives what one pass
/// would.
pub(crate) fn golden(
    sources: &Sources<'_>,
    profiles: &Profiles,
    workers: &dyn Workers,
    reporter: &mut Reporter<'_>,
    chunk_profiles: u32,
) -> Result<Golden, ResolveError> {
    let settings = sources.settings;
    // For `model_priority`: each model's rank per golden field (lower is more trusted).
    let ranks: Vec<Vec<usize>> = settings
        .golden
        .iter()
        .map(|field| {
            let mut rank = vec![usize::MAX; settings.models.len()];
            for (position, &model) in field.model_rank.iter().enumerate() {
                rank[model] = position;
            }
            rank
        })
        .collect();
    let total = index_u32(profiles.len());
    let chunks = super::run_in_chunks(total, chunk_profiles, workers, reporter, |range| {
        pick(sources, profiles, &ranks, range)
    })?;
    let mut golden = Golden {
        cells: Vec::with_capacity(profiles.len() * settings.golden.len()),
        first_seen: Vec::with_capacity(profiles.len()),
        last_seen: Vec::with_capacity(profiles.len()),
        ..Golden::default()
    };
    for chunk in chunks {
        let offset = index_u32(golden.values.len());
        golden.values.append(&chunk.values);
        golden.cells.extend(
            chunk
                .cells
                .iter()
                .map(|&(value, record)| (value + offset, record)),
        );
        golden.first_seen.extend(chunk.first_seen);
        golden.last_seen.extend(chunk.last_seen);
    }
    Ok(golden)
}

/// The golden records of the profiles in `range`, with their own values.
fn pick(
    sources: &Sources<'_>,
    profiles: &Profiles,
    ranks: &[Vec<usize>],
    range: Range<u32>,
) -> Golden {
    let settings = sources.settings;
    let fields = settings.golden.len();
    let mut golden = Golden {
        cells: Vec::with_capacity(range.len() * fields),
        first_seen: Vec::with_capacity(range.len()),
        last_seen: Vec::with_capacity(range.len()),
        ..Golden::default()
    };
    let empty = golden.values.push("");
    let instant = &sources.orders.instant;
    let mut members: Vec<Member> = Vec::new();
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    let mut joined = String::new();
    for profile in range {
        members.clear();
        members.extend(profiles.members(profile).iter().map(|&record| Member {
            record,
            instant: instant[record as usize],
            model: sources.records.model[record as usize],
            row: sources.records.row[record as usize],
        }));
        for (field_index, field) in settings.golden.iter().enumerate() {
            candidates.clear();
            collect(
                sources,
                field_index,
                &field.source,
                &members,
                &mut candidates,
            );
            let tie = |a: &Candidate<'_>, b: &Candidate<'_>| {
                b.instant
                    .cmp(&a.instant)
                    .then(a.record.cmp(&b.record))
                    .then_with(|| a.value.cmp(b.value))
            };
            let winner = match field.strategy {
                Strategy::LastNonNull => candidates.iter().min_by(|a, b| tie(a, b)),
                Strategy::FirstNonNull => candidates
                    .iter()
                    .min_by(|a, b| a.instant.cmp(&b.instant).then_with(|| tie(a, b))),
                Strategy::MostFrequent => {
                    record_counts(&candidates, &mut counts);
                    let count = |c: &Candidate<'_>| {
                        counts
                            .binary_search_by(|(value, _)| value.cmp(&c.value))
                            .map_or(0, |at| counts[at].1)
                    };
                    candidates
                        .iter()
                        .min_by(|a, b| count(b).cmp(&count(a)).then_with(|| tie(a, b)))
                }
                Strategy::ModelPriority => {
                    let rank = |c: &Candidate<'_>| ranks[field_index][c.model as usize];
                    candidates
                        .iter()
                        .min_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| tie(a, b)))
                }
                Strategy::Longest => candidates.iter().min_by(|a, b| {
                    b.value
                        .chars()
                        .count()
                        .cmp(&a.value.chars().count())
                        .then_with(|| tie(a, b))
                }),
                Strategy::Max | Strategy::Min => {
                    let numbers: Option<Vec<f64>> =
                        candidates.iter().map(|c| decimal(c.value)).collect();
                    let flip = |ordering: Ordering| {
                        if field.strategy == Strategy::Max {
                            ordering.reverse()
                        } else {
                            ordering
                        }
                    };
                    match numbers {
                        Some(numbers) => (0..candidates.len())
                            .min_by(|&a, &b| {
                                flip(
                                    numbers[a]
                                        .partial_cmp(&numbers[b])
                                        .unwrap_or(Ordering::Equal),
                                )
                                .then_with(|| tie(&candidates[a], &candidates[b]))
                            })
                            .map(|index| &candidates[index]),
                        None => candidates
                            .iter()
                            .min_by(|a, b| flip(a.value.cmp(b.value)).then_with(|| tie(a, b))),
                    }
                }
                Strategy::AllDistinct => candidates.iter().min_by(|a, b| tie(a, b)),
            };
            let cell = match winner {
                None => (empty, NONE),
                Some(winner) if field.strategy == Strategy::AllDistinct => {
                    let mut values: Vec<&str> = candidates.iter().map(|c| c.value).collect();
                    crate::sort::sort_unstable(&mut values);
                    values.dedup();
                    joined.clear();
                    for (index, value) in values.iter().enumerate() {
                        if index > 0 {
                            joined.push('|');
                        }
                        joined.push_str(value);
                    }
                    (golden.values.push(&joined), winner.record)
                }
                Some(winner) => (golden.values.push(winner.value), winner.record),
            };
            golden.cells.push(cell);
        }
        // Members are in anchor order, so on equal instants the first one found wins.
        let (mut first, mut last): (Option<&Member>, Option<&Member>) = (None, None);
        for member in members.iter().filter(|m| m.instant.is_some()) {
            if first.is_none_or(|f| member.instant < f.instant) {
                first = Some(member);
            }
            if last.is_none_or(|l| member.instant > l.instant) {
                last = Some(member);
            }
        }
        golden.first_seen.push(first.map_or(NONE, |m| m.record));
        golden.last_seen.push(last.map_or(NONE, |m| m.record));
    }
    golden
}

/// The non-null values of a golden field over a profile's records.
fn collect<'a>(
    sources: &Sources<'a>,
    field_index: usize,
    source: &GoldenSource,
    members: &[Member],
    out: &mut Vec<Candidate<'a>>,
) {
    for member in members {
        let candidate = |value| Candidate {
            record: member.record,
            instant: member.instant,
            model: member.model,
            value,
        };
        match source {
            GoldenSource::Identifier(identifier) => {
                for &value in sources.observed.used.get(member.record, *identifier) {
                    out.push(candidate(sources.observed.values.get(value)));
                }
            }
            GoldenSource::Field(_) => {
                let model = member.model as usize;
                if let Some(column) = sources.columns[model].golden_fields[field_index] {
                    let value = sources.tables[model].cell(member.row as usize, column);
                    if !value.trim().is_empty() {
                        out.push(candidate(value));
                    }
                }
            }
        }
    }
}

/// Each distinct value with the number of distinct records holding it, sorted by value (into `counts`).
fn record_counts<'a>(candidates: &[Candidate<'a>], counts: &mut Vec<(&'a str, usize)>) {
    counts.clear();
    let mut pairs: Vec<(&str, u32)> = candidates.iter().map(|c| (c.value, c.record)).collect();
    crate::sort::sort_unstable(&mut pairs);
    pairs.dedup();
    for (value, _) in pairs {
        match counts.last_mut() {
            Some((last, n)) if *last == value => *n += 1,
            _ => counts.push((value, 1)),
        }
    }
}

/// The number a trimmed ASCII decimal (optional sign, fraction and exponent) denotes, or `None`.
pub(crate) fn decimal(raw: &str) -> Option<f64> {
    let text = raw.trim();
    let bytes = text.as_bytes();
    let mut at = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        at += 1;
    }
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    let mut mantissa = digits(&mut at);
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        mantissa += digits(&mut at);
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return None;
        }
    }
    if at != bytes.len() {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_spec_grammar() {
        for (text, value) in [
            ("12", 12.0),
            (" -3.5 ", -3.5),
            ("+.5", 0.5),
            ("7.", 7.0),
            ("1e3", 1000.0),
            ("2E-2", 0.02),
        ] {
            assert_eq!(decimal(text), Some(value), "{text}");
        }
        for text in ["", "-", ".", "1e", "0x10", "1,5", "nan", "inf", "1 2", "٣"] {
            assert_eq!(decimal(text), None, "{text}");
        }
    }
}
