//! Section 4's output tables written as CSV straight from the typed results (header row, `\n` line ends,
//! RFC 4180 quoting as in `table::write_csv`), rows sorted as section 10 says.

use super::cluster::Decision;
use super::metric_tables;
use super::observe::{NONE, ObservationStatus};
use super::text::{index_u32, push_score4};
use super::{RecordStatus, Resolution};
use crate::settings::Comparison;
use std::io::{self, Write};

/// Every table a run writes, in the order they are listed.
pub(crate) const TABLES: [&str; 13] = [
    "identity_golden",
    "identity_golden_lineage",
    "identity_match",
    "identity_matched_ids",
    "identity_unresolved_records",
    "identity_lookup",
    "match_pairs",
    "identity_redirects",
    "identity_golden_report",
    "identity_cluster_sizes",
    "identity_model_metrics",
    "identity_rule_metrics",
    "identity_identifier_metrics",
];

/// Bytes gathered before they are handed to the output: large enough that the output's own cost per call
/// disappears, small enough to stay in cache.
const FLUSH_AT: usize = 1 << 16;

/// A CSV line writer: cells are quoted only when they hold a comma, a quote, CR or LF.
///
/// Rows are gathered in a plain byte buffer handed to the output a block at a time: a large table has tens of
/// millions of cells, and appending to a `Vec` costs a fraction of a `Write` call per cell and per separator.
pub(crate) struct Csv<'a> {
    out: &'a mut dyn Write,
    buffer: Vec<u8>,
    first: bool,
}

impl<'a> Csv<'a> {
    fn new(out: &'a mut dyn Write) -> Self {
        Self {
            out,
            buffer: Vec::with_capacity(FLUSH_AT + 4096),
            first: true,
        }
    }

    #[inline]
    pub(crate) fn cell(&mut self, text: &str) -> io::Result<()> {
        self.separator();
        if needs_quotes(text.as_bytes()) {
            self.buffer.push(b'"');
            for (index, piece) in text.split('"').enumerate() {
                if index > 0 {
                    self.buffer.extend_from_slice(b"\"\"");
                }
                self.buffer.extend_from_slice(piece.as_bytes());
            }
            self.buffer.push(b'"');
        } else {
            self.buffer.extend_from_slice(text.as_bytes());
        }
        Ok(())
    }

    pub(crate) fn number(&mut self, mut value: u64) -> io::Result<()> {
        self.separator();
        // Decimal digits by hand: this runs for millions of cells and the formatting machinery is slower.
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        self.buffer.extend_from_slice(&digits[at..]);
        Ok(())
    }

    fn separator(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.buffer.push(b',');
        }
    }

    pub(crate) fn end(&mut self) -> io::Result<()> {
        self.first = true;
        self.buffer.push(b'\n');
        if self.buffer.len() >= FLUSH_AT {
            self.out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }

    pub(crate) fn row(&mut self, cells: &[&str]) -> io::Result<()> {
        for cell in cells {
            self.cell(cell)?;
        }
        self.end()
    }

    /// Hands the rest of the buffer to the output and flushes it.
    fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buffer)?;
        self.buffer.clear();
        self.out.flush()
    }
}

/// True when a cell holds a comma, a quote, CR or LF, so it must be quoted.
///
/// Eight bytes are tested at a time (most cells are short and plain, and there are tens of millions of them):
/// XOR with a byte repeated makes the bytes equal to it zero, and `(x - 0x01..01) & !x & 0x80..80` is non-zero
/// exactly when some byte of `x` is zero (a borrow only starts at a zero byte, so it cannot invent one).
#[inline]
fn needs_quotes(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_byte = |word: u64, byte: u8| {
        let zeroed = word ^ (ONES * u64::from(byte));
        zeroed.wrapping_sub(ONES) & !zeroed & HIGHS != 0
    };
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        if has_byte(word, b',')
            || has_byte(word, b'"')
            || has_byte(word, b'\r')
            || has_byte(word, b'\n')
        {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// Writes one table; `Ok(false)` when the name is not a table of the run.
pub(crate) fn write(resolution: &Resolution, name: &str, out: &mut dyn Write) -> io::Result<bool> {
    let mut csv = Csv::new(out);
    let written = match name {
        "identity_golden" => golden(resolution, &mut csv),
        "identity_golden_lineage" => lineage(resolution, &mut csv),
        "identity_match" => matches(resolution, &mut csv),
        "identity_matched_ids" => matched_ids(resolution, &mut csv),
        "identity_unresolved_records" => unresolved(resolution, &mut csv),
        "identity_lookup" => lookup(resolution, &mut csv),
        "match_pairs" => match_pairs(resolution, &mut csv),
        "identity_redirects" => redirects(resolution, &mut csv),
        "identity_golden_report" => metric_tables::report(resolution, &mut csv),
        "identity_cluster_sizes" => metric_tables::cluster_sizes(resolution, &mut csv),
        "identity_model_metrics" => metric_tables::model_metrics(resolution, &mut csv),
        "identity_rule_metrics" => metric_tables::rule_metrics(resolution, &mut csv),
        "identity_identifier_metrics" => metric_tables::identifier_metrics(resolution, &mut csv),
        _ => return Ok(false),
    };
    written?;
    csv.finish()?;
    Ok(true)
}

pub(crate) type Out<'a> = Csv<'a>;

fn golden(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    let settings = &resolution.settings;
    csv.cell(&settings.id_column)?;
    for field in &settings.golden {
        csv.cell(&field.name)?;
    }
    csv.row(&[
        "representative_model",
        "representative_key",
        "record_count",
        "model_count",
        "first_seen_at",
        "last_seen_at",
    ])?;
    let fields = settings.golden.len();
    let golden = &resolution.golden;
    for profile in resolution.profiles_by_id() {
        let p = profile as usize;
        csv.cell(&resolution.profiles.ids[p])?;
        for &(value, _) in &golden.cells[p * fields..(p + 1) * fields] {
            csv.cell(golden.values.get(value))?;
        }
        let members = resolution.profiles.members(profile);
        let anchor = members[0];
        csv.cell(resolution.model_name(anchor))?;
        csv.cell(resolution.records.key(anchor))?;
        csv.number(members.len() as u64)?;
        let mut models = 1;
        for window in members.windows(2) {
            models += u64::from(
                resolution.records.model[window[0] as usize]
                    != resolution.records.model[window[1] as usize],
            );
        }
        csv.number(models)?;
        csv.cell(resolution.order_raw(golden.first_seen[p]))?;
        csv.cell(resolution.order_raw(golden.last_seen[p]))?;
        csv.end()?;
    }
    Ok(())
}

fn lineage(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    let settings = &resolution.settings;
    csv.row(&[
        &settings.id_column,
        "field",
        "value",
        "model",
        "key",
        "strategy",
    ])?;
    let fields = settings.golden.len();
    let golden = &resolution.golden;
    for profile in resolution.profiles_by_id() {
        let p = profile as usize;
        for (field, &(value, record)) in settings
            .golden
            .iter()
            .zip(&golden.cells[p * fields..(p + 1) * fields])
        {
            let (model, key) = if record == NONE {
                ("", "")
            } else {
                (
                    resolution.model_name(record),
                    resolution.records.key(record),
                )
            };
            csv.row(&[
                &resolution.profiles.ids[p],
                &field.name,
                golden.values.get(value),
                model,
                key,
                field.strategy.as_str(),
            ])?;
        }
    }
    Ok(())
}

fn matches(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&["model", "key", &resolution.settings.id_column, "status"])?;
    for record in resolution.records_by_name() {
        let profile = resolution.profiles.of_record[record as usize];
        if profile == NONE {
            continue;
        }
        csv.row(&[
            resolution.model_name(record),
            resolution.records.key(record),
            &resolution.profiles.ids[profile as usize],
            resolution.status[record as usize].as_str(),
        ])?;
    }
    Ok(())
}

fn matched_ids(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    let settings = &resolution.settings;
    csv.row(&[
        &settings.id_column,
        "identifier",
        "value",
        "record_count",
        "models",
        "first_seen_at",
        "last_seen_at",
    ])?;
    let ranks = resolution.identifier_name_ranks();
    let mut by_rank = vec![0; ranks.len()];
    for (identifier, &rank) in ranks.iter().enumerate() {
        by_rank[rank] = identifier;
    }
    // Each member's order and model are read once per profile: at a million profiles the reads, which land
    // all over memory, cost more than the writing.
    let mut members: Vec<(Option<super::Instant>, &str, &str)> = Vec::new();
    // (identifier name rank, value text, member index, value).
    let mut held: Vec<(usize, &str, usize, u32)> = Vec::new();
    let mut models: Vec<&str> = Vec::new();
    let mut joined = String::new();
    for profile in resolution.profiles_by_id() {
        members.clear();
        held.clear();
        for (member, &record) in resolution.profiles.members(profile).iter().enumerate() {
            members.push((
                resolution.orders.instant[record as usize],
                resolution.orders.raw.get(record),
                resolution.model_name(record),
            ));
            for (identifier, &rank) in ranks.iter().enumerate() {
                for &value in resolution.observed.used.get(record, identifier) {
                    held.push((rank, resolution.observed.values.get(value), member, value));
                }
            }
        }
        crate::sort::sort_unstable(&mut held);
        let id = &resolution.profiles.ids[profile as usize];
        let mut start = 0;
        while start < held.len() {
            let (rank, text, _, value) = held[start];
            let mut end = start + 1;
            while end < held.len() && held[end].0 == rank && held[end].3 == value {
                end += 1;
            }
            let group = &held[start..end];
            models.clear();
            models.extend(group.iter().map(|&(_, _, m, _)| members[m].2));
            crate::sort::sort_unstable(&mut models);
            models.dedup();
            joined.clear();
            for (index, model) in models.iter().enumerate() {
                if index > 0 {
                    joined.push('|');
                }
                joined.push_str(model);
            }
            // Members are in anchor order, so on equal instants the first one found wins.
            let (mut first, mut last): (Option<usize>, Option<usize>) = (None, None);
            for &(_, _, member, _) in group {
                let Some(instant) = members[member].0 else {
                    continue;
                };
                if first.is_none_or(|f| Some(instant) < members[f].0) {
                    first = Some(member);
                }
                if last.is_none_or(|l| Some(instant) > members[l].0) {
                    last = Some(member);
                }
            }
            csv.cell(id)?;
            csv.cell(&settings.identifiers[by_rank[rank]].name)?;
            csv.cell(text)?;
            csv.number(group.len() as u64)?;
            csv.cell(&joined)?;
            csv.cell(first.map_or("", |m| members[m].1))?;
            csv.cell(last.map_or("", |m| members[m].1))?;
            csv.end()?;
            start = end;
        }
    }
    Ok(())
}

fn unresolved(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&["model", "key", "reason", "detail", "candidate_dinmo_ids"])?;
    let ranks = resolution.model_name_ranks();
    // (model rank, key, line, loaded record or bad row index).
    let mut rows: Vec<(usize, &str, u64, Result<u32, usize>)> = Vec::new();
    for record in 0..index_u32(resolution.records.len()) {
        if resolution.profiles.of_record[record as usize] == NONE {
            rows.push((
                ranks[resolution.records.model_of(record)],
                resolution.records.key(record),
                0,
                Ok(record),
            ));
        }
    }
    for (index, bad) in resolution.bad.iter().enumerate() {
        rows.push((ranks[bad.model], &bad.key, bad.line, Err(index)));
    }
    // A line holds one row, so no two keys tie and any sort gives this one order.
    crate::sort::sort_by(&mut rows, |a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    for (_, key, _, entry) in rows {
        match entry {
            Err(index) => {
                let bad = &resolution.bad[index];
                csv.row(&[
                    &resolution.settings.models[bad.model].name,
                    key,
                    bad.reason.as_str(),
                    &bad.detail,
                    "",
                ])?;
            }
            Ok(record) if resolution.status[record as usize] == RecordStatus::Missing => {
                csv.row(&[
                    resolution.model_name(record),
                    key,
                    "missing_identifiers",
                    &resolution.missing_detail(record),
                    "",
                ])?;
            }
            Ok(record) => {
                let (detail, candidates) = resolution.conflict_detail(record);
                csv.row(&[
                    resolution.model_name(record),
                    key,
                    "conflict",
                    &detail,
                    &candidates,
                ])?;
            }
        }
    }
    Ok(())
}

fn lookup(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&[
        "model",
        "key",
        "identifier",
        "raw_value",
        "standardized_value",
        "status",
        "detail",
    ])?;
    let observed = &resolution.observed;
    for record in resolution.records_by_name() {
        let model = resolution.model_name(record);
        let key = resolution.records.key(record);
        for observation in observed.of_record(record) {
            let standardized = if observation.value == NONE {
                ""
            } else {
                observed.values.get(observation.value)
            };
            csv.row(&[
                model,
                key,
                &resolution.settings.identifiers[observation.identifier as usize].name,
                observed.raw.get(observation.raw),
                standardized,
                observation.status.as_str(),
                &observed.details[observation.detail as usize],
            ])?;
        }
    }
    Ok(())
}

fn match_pairs(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    let settings = &resolution.settings;
    csv.row(&[
        "left_model",
        "left_key",
        "right_model",
        "right_key",
        "rule",
        "stage",
        "scores",
        "decision",
        "detail",
        &settings.id_column,
    ])?;
    let labels: Vec<Vec<String>> = settings
        .rules
        .iter()
        .map(|rule| {
            rule.criteria
                .iter()
                .map(|c| {
                    let names: Vec<&str> = c
                        .identifiers
                        .iter()
                        .map(|&i| settings.identifiers[i].name.as_str())
                        .collect();
                    names.join("|")
                })
                .collect()
        })
        .collect();
    let mut scores = String::new();
    for index in resolution.pairs_in_output_order() {
        let pair = &resolution.pairs[index as usize];
        let rule = &settings.rules[pair.rule as usize];
        scores.clear();
        let mut fuzzy = pair.scores as usize;
        for (position, criterion) in rule.criteria.iter().enumerate() {
            if position > 0 {
                scores.push(';');
            }
            scores.push_str(&labels[pair.rule as usize][position]);
            scores.push('=');
            if criterion.comparison == Comparison::Exact {
                scores.push_str("1.0000");
            } else {
                push_score4(&mut scores, resolution.scores[fuzzy]);
                fuzzy += 1;
            }
        }
        let (left_profile, right_profile) = (
            resolution.profiles.of_record[pair.left as usize],
            resolution.profiles.of_record[pair.right as usize],
        );
        let id = if left_profile != NONE && left_profile == right_profile {
            resolution.profiles.ids[left_profile as usize].as_str()
        } else {
            ""
        };
        csv.cell(resolution.model_name(pair.left))?;
        csv.cell(resolution.records.key(pair.left))?;
        csv.cell(resolution.model_name(pair.right))?;
        csv.cell(resolution.records.key(pair.right))?;
        csv.cell(&rule.name)?;
        csv.number(u64::from(pair.rule) + 1)?;
        csv.cell(&scores)?;
        csv.cell(pair.decision.as_str())?;
        csv.cell(if pair.decision == Decision::Accepted {
            ""
        } else {
            &resolution.notes[pair.note as usize].text
        })?;
        csv.cell(id)?;
        csv.end()?;
    }
    Ok(())
}

fn redirects(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&["old_dinmo_id", "new_dinmo_id", "kind"])?;
    for redirect in &resolution.redirects {
        csv.row(&[&redirect.old_id, &redirect.new_id, redirect.kind.as_str()])?;
    }
    Ok(())
}

/// The statuses of a record's observations, per identifier, for the `missing_identifiers` detail.
pub(crate) fn missing_detail(resolution: &Resolution, record: u32) -> String {
    let observations = resolution.observed.of_record(record);
    if observations.is_empty() {
        return "the model maps no identifier".to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < observations.len() {
        let identifier = observations[index].identifier;
        let mut statuses: Vec<ObservationStatus> = Vec::new();
        while index < observations.len() && observations[index].identifier == identifier {
            statuses.push(observations[index].status);
            index += 1;
        }
        crate::sort::sort_unstable(&mut statuses);
        statuses.dedup();
        let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        parts.push(format!(
            "{} {}",
            resolution.settings.identifiers[identifier as usize].name,
            names.join("/")
        ));
    }
    format!("no used identifier value: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::needs_quotes;

    #[test]
    fn quoting_is_needed_exactly_for_comma_quote_cr_and_lf() {
        let plain = |bytes: &[u8]| {
            bytes
                .iter()
                .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        };
        // Every special byte (and its neighbours in value) at every position of cells of 0 to 20 bytes.
        for length in 0..=20 {
            for position in 0..length {
                for byte in [
                    b',', b'"', b'\r', b'\n', b'+', b'-', b'#', b'!', 0x0b, 0x0c, 0x80, 0xac, 0,
                ] {
                    let mut cell = vec![b'a'; length];
                    cell[position] = byte;
                    assert_eq!(needs_quotes(&cell), plain(&cell), "{cell:?}");
                }
            }
            assert!(!needs_quotes(&vec![b'z'; length]));
        }
        assert!(needs_quotes("Dupont, Jean".as_bytes()));
        assert!(!needs_quotes("Zoë Müller-Lefèvre".as_bytes()));
    }
}
