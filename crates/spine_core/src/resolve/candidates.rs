//! Step 4 (candidate pairs) for one rule: blocks from the exact criteria, linear linking for exact-only rules,
//! fuzzy comparison of every pair inside a block, `max_block_size`, and the pairwise conflicts of step 5.

use super::limits::Limits;
use super::observe::{Observed, UsedValues};
use super::records::Records;
use super::text::index_u32;
use super::{Reporter, ResolveError};
use crate::settings::{Algorithm, Comparison, Rule, Settings};
use rustc_hash::FxHashMap;

/// A candidate pair of one rule, `left` before `right` in anchor order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub left: u32,
    pub right: u32,
    /// Index of the pair's first fuzzy score in [`RuleCandidates::scores`].
    pub scores: u32,
    /// The pair breaks a conflict limit or `one_per_profile` on its own.
    pub conflict: bool,
}

/// A block too large to compare (fuzzy rules over `max_block_size`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SkippedBlock {
    /// The block's value of each exact criterion (interned values).
    pub key: Vec<u32>,
    pub records: u64,
}

/// The candidate pairs of one rule.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleCandidates {
    /// Sorted by (left, right), one per pair.
    pub pairs: Vec<Candidate>,
    /// The fuzzy criteria's scores of every pair, in criterion order.
    pub scores: Vec<f64>,
    /// Records with a used value for every exact criterion (frozen records excluded).
    pub applicable: u64,
    pub skipped: Vec<SkippedBlock>,
}

/// What the comparison needs to see of the run so far.
pub(crate) struct Inputs<'a> {
    pub settings: &'a Settings,
    pub records: &'a Records,
    pub observed: &'a Observed,
    pub limits: &'a Limits,
    /// Records that take no part in this rule's blocks (frozen conflict records).
    pub frozen: &'a [bool],
}

/// Builds the rule's blocks and candidate pairs.
pub(crate) fn candidates(
    inputs: &Inputs<'_>,
    rule: &Rule,
    reporter: &mut Reporter<'_>,
) -> Result<RuleCandidates, ResolveError> {
    let used = &inputs.observed.used;
    let exact: Vec<&[usize]> = rule
        .criteria
        .iter()
        .filter(|c| c.comparison == Comparison::Exact)
        .map(|c| c.identifiers.as_slice())
        .collect();
    let (rows, width, applicable) = block_rows(inputs, &exact);
    let count = rows.len() / width;
    let rows = sort_rows(rows, width);

    let key_width = width - 1;
    let mut result = RuleCandidates {
        applicable,
        ..RuleCandidates::default()
    };
    let mut found: Vec<(u32, u32, u32)> = Vec::new();
    let mut block: Vec<u32> = Vec::new();
    let fuzzy = !rule.is_exact_only();
    let mut comparisons: u64 = 0;
    let mut blocks: u64 = 0;
    let mut memo: FxHashMap<(u32, u32), f64> = FxHashMap::default();
    let mut start = 0;
    while start < count {
        let key_at = |index: usize| &rows[index * width..index * width + key_width];
        let mut end = start + 1;
        while end < count && key_at(end) == key_at(start) {
            end += 1;
        }
        if end - start > 1 {
            block.clear();
            block.extend((start..end).map(|index| rows[index * width + key_width]));
            if !fuzzy {
                link_exact_block(inputs, &block, &mut found);
            } else if inputs
                .settings
                .guardrails
                .max_block_size
                .is_some_and(|max| block.len() as u64 > max)
            {
                result.skipped.push(SkippedBlock {
                    key: key_at(start).to_vec(),
                    records: block.len() as u64,
                });
            } else {
                compare_fuzzy_block(
                    inputs,
                    rule,
                    &block,
                    &mut found,
                    &mut result.scores,
                    &mut memo,
                );
                comparisons += (block.len() * (block.len() - 1) / 2) as u64;
                if comparisons >= 1 << 20 {
                    comparisons = 0;
                    reporter.step(start as u64, count as u64)?;
                }
            }
        }
        blocks += 1;
        if blocks.is_multiple_of(16_384) {
            reporter.step(end as u64, count as u64)?;
        }
        start = end;
    }

    // A pair found in several blocks is one candidate; every copy has the same scores.
    found.sort_unstable_by_key(|&(left, right, _)| (left, right));
    found.dedup_by_key(|&mut (left, right, _)| (left, right));
    let fuzzy_count = rule
        .criteria
        .iter()
        .filter(|c| c.comparison != Comparison::Exact)
        .count();
    let mut scores = Vec::with_capacity(found.len() * fuzzy_count);
    result.pairs = found
        .into_iter()
        .map(|(left, right, at)| {
            let at = at as usize;
            let compact = index_u32(scores.len());
            scores.extend_from_slice(&result.scores[at..at + fuzzy_count]);
            let conflict = fuzzy
                && inputs
                    .limits
                    .pair_conflicts(inputs.records, used, left, right);
            Candidate {
                left,
                right,
                scores: compact,
                conflict,
            }
        })
        .collect();
    result.scores = scores;
    Ok(result)
}

/// One row per (record, combination of exact values): the exact criteria's values, then the record.
/// Returns the rows (flattened), their width and the number of applicable records.
fn block_rows(inputs: &Inputs<'_>, exact: &[&[usize]]) -> (Vec<u32>, usize, u64) {
    let used = &inputs.observed.used;
    let width = exact.len() + 1;
    let mut rows = Vec::new();
    let mut applicable = 0;
    let mut pooled: Vec<Vec<u32>> = vec![Vec::new(); exact.len()];
    let mut combination = vec![0usize; exact.len()];
    for record in 0..index_u32(inputs.records.len()) {
        if inputs.frozen[record as usize] || inputs.observed.missing[record as usize] {
            continue;
        }
        let mut complete = true;
        for (values, identifiers) in pooled.iter_mut().zip(exact) {
            pool(used, record, identifiers, values);
            complete &= !values.is_empty();
        }
        if !complete {
            continue;
        }
        applicable += 1;
        // Every combination of one value per criterion (an odometer over the pooled value lists).
        combination.fill(0);
        loop {
            rows.extend(
                combination
                    .iter()
                    .zip(&pooled)
                    .map(|(&i, values)| values[i]),
            );
            rows.push(record);
            let mut digit = 0;
            while digit < combination.len() {
                combination[digit] += 1;
                if combination[digit] < pooled[digit].len() {
                    break;
                }
                combination[digit] = 0;
                digit += 1;
            }
            if digit == combination.len() {
                break;
            }
        }
    }
    (rows, width, applicable)
}

/// Sorts the rows (each `width` values: the block key, then the record). Rows of up to four values are packed
/// into one `u128` so the sort moves plain integers; wider rows sort through an index.
fn sort_rows(rows: Vec<u32>, width: usize) -> Vec<u32> {
    if width <= 4 {
        let mut packed: Vec<u128> = rows
            .chunks_exact(width)
            .map(|row| {
                row.iter()
                    .fold(0u128, |packed, &value| (packed << 32) | u128::from(value))
            })
            .collect();
        drop(rows);
        packed.sort_unstable();
        let mut sorted = Vec::with_capacity(packed.len() * width);
        for packed in packed {
            sorted.extend(
                (0..width)
                    .rev()
                    .map(|position| (packed >> (32 * position)) as u32),
            );
        }
        sorted
    } else {
        let mut order: Vec<usize> = (0..rows.len() / width).collect();
        // Rows that tie are equal, so the rows come out the same whichever of them goes first.
        crate::sort::sort_by(&mut order, |&a, &b| {
            rows[a * width..(a + 1) * width].cmp(&rows[b * width..(b + 1) * width])
        });
        order
            .into_iter()
            .flat_map(|row| rows[row * width..(row + 1) * width].iter().copied())
            .collect()
    }
}

/// The distinct used values of a record over a criterion's pooled identifiers, sorted.
fn pool(used: &UsedValues, record: u32, identifiers: &[usize], out: &mut Vec<u32>) {
    out.clear();
    for &identifier in identifiers {
        out.extend_from_slice(used.get(record, identifier));
    }
    if identifiers.len() > 1 {
        out.sort_unstable();
        out.dedup();
    }
}

/// Exact-only rules: each record is linked to the first other record of the block it does not conflict with.
fn link_exact_block(inputs: &Inputs<'_>, block: &[u32], found: &mut Vec<(u32, u32, u32)>) {
    let checks = inputs.limits.has_pairwise();
    for (index, &record) in block.iter().enumerate() {
        let partner = block
            .iter()
            .enumerate()
            .find(|&(other, &candidate)| {
                other != index
                    && !(checks
                        && inputs.limits.pair_conflicts(
                            inputs.records,
                            &inputs.observed.used,
                            record,
                            candidate,
                        ))
            })
            .map(|(_, &candidate)| candidate);
        if let Some(partner) = partner {
            found.push((record.min(partner), record.max(partner), 0));
        }
    }
}

/// Fuzzy rules: every pair of the block whose fuzzy criteria all reach their thresholds.
fn compare_fuzzy_block(
    inputs: &Inputs<'_>,
    rule: &Rule,
    block: &[u32],
    found: &mut Vec<(u32, u32, u32)>,
    scores: &mut Vec<f64>,
    memo: &mut FxHashMap<(u32, u32), f64>,
) {
    let used = &inputs.observed.used;
    let values = &inputs.observed.values;
    for (index, &left) in block.iter().enumerate() {
        for &right in &block[index + 1..] {
            let at = scores.len();
            let mut passes = true;
            for criterion in &rule.criteria {
                let Comparison::Fuzzy {
                    algorithm,
                    threshold,
                } = criterion.comparison
                else {
                    continue;
                };
                let mut best: Option<f64> = None;
                'outer: for &a_identifier in &criterion.identifiers {
                    for &a in used.get(left, a_identifier) {
                        for &b_identifier in &criterion.identifiers {
                            for &b in used.get(right, b_identifier) {
                                let score = if a == b {
                                    1.0
                                } else {
                                    *memo.entry((a, b)).or_insert_with(|| {
                                        similarity(algorithm, values.get(a), values.get(b))
                                    })
                                };
                                if best.is_none_or(|best| score > best) {
                                    best = Some(score);
                                }
                                if score >= 1.0 {
                                    break 'outer;
                                }
                            }
                        }
                    }
                }
                match best {
                    Some(score) if score >= threshold => scores.push(score),
                    _ => {
                        passes = false;
                        break;
                    }
                }
            }
            if passes {
                found.push((left, right, index_u32(at)));
            } else {
                scores.truncate(at);
            }
        }
    }
}

/// Exactly `strsim`'s function of that name (levenshtein variants normalized by the longer length).
pub(crate) fn similarity(algorithm: Algorithm, a: &str, b: &str) -> f64 {
    match algorithm {
        Algorithm::JaroWinkler => strsim::jaro_winkler(a, b),
        Algorithm::Jaro => strsim::jaro(a, b),
        Algorithm::Levenshtein => strsim::normalized_levenshtein(a, b),
        Algorithm::DamerauLevenshtein => strsim::normalized_damerau_levenshtein(a, b),
        Algorithm::SorensenDice => strsim::sorensen_dice(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_sort_by_key_then_record_whatever_their_width() {
        for width in [2, 4, 5] {
            let rows: Vec<u32> = [9, 1, 3, 7, 3, 2, 9, 0, 1, 5]
                .iter()
                .cycle()
                .take(width * 6)
                .copied()
                .collect();
            let mut expected: Vec<&[u32]> = rows.chunks_exact(width).collect();
            expected.sort();
            let expected: Vec<u32> = expected.concat();
            assert_eq!(sort_rows(rows, width), expected, "width {width}");
        }
    }

    #[test]
    fn similarity_follows_strsim() {
        assert!((similarity(Algorithm::JaroWinkler, "martha", "marhta") - 0.9611).abs() < 1e-4);
        assert!((similarity(Algorithm::Jaro, "martha", "marhta") - 0.9444).abs() < 1e-4);
        assert!(
            (similarity(Algorithm::Levenshtein, "kitten", "sitting") - (1.0 - 3.0 / 7.0)).abs()
                < 1e-12
        );
        assert!((similarity(Algorithm::DamerauLevenshtein, "ab", "ba") - 0.5).abs() < 1e-12);
        assert!((similarity(Algorithm::SorensenDice, "night", "nacht") - 0.25).abs() < 1e-12);
    }
}
