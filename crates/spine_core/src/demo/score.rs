//! Pairwise precision, recall and F1 of a run against the ground truth, from contingency counts (sorting, never
//! listing pairs), so a million records score in well under a second.

use crate::table::Table;

/// How a run's profiles compare with the true people, over pairs of records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairwiseScores {
    /// Records listed in the truth.
    pub records: u64,
    /// Truth records that the run emitted in a profile (the rest count as profiles of one).
    pub resolved: u64,
    /// Pairs of records that belong to the same person.
    pub true_pairs: u64,
    /// Pairs of records the run put in the same profile.
    pub predicted_pairs: u64,
    /// Pairs that are both.
    pub correct_pairs: u64,
    /// `correct / predicted` (1 when the run joined nothing).
    pub precision: f64,
    /// `correct / true` (1 when no two records belong together).
    pub recall: f64,
    /// The harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

/// Why two tables could not be scored. Each message names the file and the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("{file}: the column '{column}' is missing; the header must name {expected}")]
    MissingColumn {
        file: String,
        column: String,
        expected: String,
    },
    #[error("{file}: line {line}: the record {model}/{key} is listed twice")]
    Duplicate {
        file: String,
        line: u64,
        model: String,
        key: String,
    },
}

/// Scores `identity_match` (columns `model`, `key`, the profile ID column, `status`) against `truth` (columns
/// `model`, `key`, `person`).
///
/// Records absent from `identity_match` (unresolved ones) count as profiles of one; records of
/// `identity_match` absent from the truth are ignored. Runs in O(n log n).
pub fn pairwise_scores(
    truth: &Table,
    identity_match: &Table,
) -> Result<PairwiseScores, ScoreError> {
    let [truth_model, truth_key, person] =
        columns(truth, &["model", "key", "person"], "model,key,person")?;
    let [match_model, match_key] = columns(
        identity_match,
        &["model", "key"],
        "model,key,<profile id>,status",
    )?;
    // The profile ID column is named by the graph's `id_column`; it is the one after `key`.
    let profile = match_key + 1;
    if profile >= identity_match.columns.len() {
        return Err(ScoreError::MissingColumn {
            file: identity_match.name.clone(),
            column: "dinmo_id".to_owned(),
            expected: "model,key,<profile id>,status".to_owned(),
        });
    }

    // Row numbers sort before the payload so that a duplicate is reported at its later line.
    let mut people: Vec<(&str, &str, usize, &str)> = (0..truth.len())
        .map(|row| {
            (
                truth.cell(row, truth_model),
                truth.cell(row, truth_key),
                row,
                truth.cell(row, person),
            )
        })
        .collect();
    people.sort_unstable();
    check_unique(
        truth,
        people.iter().map(|&(model, key, row, _)| (model, key, row)),
    )?;
    let mut profiles: Vec<(&str, &str, usize, &str)> = (0..identity_match.len())
        .map(|row| {
            let cell = |column| identity_match.cell(row, column);
            (cell(match_model), cell(match_key), row, cell(profile))
        })
        .collect();
    profiles.sort_unstable();
    check_unique(
        identity_match,
        profiles
            .iter()
            .map(|&(model, key, row, _)| (model, key, row)),
    )?;

    // Merge-join the two sorted lists: each truth record with its profile, if the run emitted it.
    let mut labelled: Vec<(&str, Option<&str>)> = Vec::with_capacity(people.len());
    let mut cursor = 0;
    for &(model, key, _, person) in &people {
        while cursor < profiles.len() && (profiles[cursor].0, profiles[cursor].1) < (model, key) {
            cursor += 1;
        }
        let found = profiles
            .get(cursor)
            .filter(|p| (p.0, p.1) == (model, key))
            .map(|p| p.3);
        labelled.push((person, found));
    }

    let mut persons: Vec<&str> = labelled.iter().map(|&(person, _)| person).collect();
    persons.sort_unstable();
    let true_pairs = pairs_in_runs(persons.iter().copied());
    let mut predicted: Vec<&str> = labelled
        .iter()
        .filter_map(|&(_, profile)| profile)
        .collect();
    predicted.sort_unstable();
    let predicted_pairs = pairs_in_runs(predicted.iter().copied());
    let mut both: Vec<(&str, &str)> = labelled
        .iter()
        .filter_map(|&(person, profile)| profile.map(|p| (person, p)))
        .collect();
    both.sort_unstable();
    let correct_pairs = pairs_in_runs(both.iter().copied());

    let ratio = |part: u64, whole: u64| {
        if whole == 0 {
            1.0
        } else {
            part as f64 / whole as f64
        }
    };
    let precision = ratio(correct_pairs, predicted_pairs);
    let recall = ratio(correct_pairs, true_pairs);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Ok(PairwiseScores {
        records: people.len() as u64,
        resolved: predicted.len() as u64,
        true_pairs,
        predicted_pairs,
        correct_pairs,
        precision,
        recall,
        f1,
    })
}

fn columns<const N: usize>(
    table: &Table,
    names: &[&str; N],
    expected: &str,
) -> Result<[usize; N], ScoreError> {
    let mut found = [0; N];
    for (slot, name) in found.iter_mut().zip(names) {
        *slot = table
            .column_index(name)
            .ok_or_else(|| ScoreError::MissingColumn {
                file: table.name.clone(),
                column: (*name).to_owned(),
                expected: expected.to_owned(),
            })?;
    }
    Ok(found)
}

/// Fails on the first (model, key) listed twice, in a list sorted by (model, key).
fn check_unique<'a>(
    table: &Table,
    sorted: impl Iterator<Item = (&'a str, &'a str, usize)>,
) -> Result<(), ScoreError> {
    let mut last: Option<(&str, &str)> = None;
    for (model, key, row) in sorted {
        if last == Some((model, key)) {
            return Err(ScoreError::Duplicate {
                file: table.name.clone(),
                line: table.line(row),
                model: model.to_owned(),
                key: key.to_owned(),
            });
        }
        last = Some((model, key));
    }
    Ok(())
}

/// The number of pairs within each run of equal, adjacent items: the sum of n(n-1)/2 over runs.
fn pairs_in_runs<T: PartialEq>(sorted: impl Iterator<Item = T>) -> u64 {
    let mut total = 0u64;
    let mut run = 0u64;
    let mut last: Option<T> = None;
    for item in sorted {
        if last.as_ref() == Some(&item) {
            run += 1;
        } else {
            total += run * run.saturating_sub(1) / 2;
            run = 1;
            last = Some(item);
        }
    }
    total + run * run.saturating_sub(1) / 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse_csv;

    fn score(truth: &str, matches: &str) -> PairwiseScores {
        let truth = parse_csv("truth.csv", truth.as_bytes()).unwrap();
        let matches = parse_csv("identity_match.csv", matches.as_bytes()).unwrap();
        pairwise_scores(&truth, &matches).unwrap()
    }

    #[test]
    fn hand_computed_example() {
        // People: p1 = {a1, a2, a3}, p2 = {b1, b2}; 3 + 1 = 4 true pairs.
        // Profiles: X = {a1, a2, b1}, Y = {a3}, b2 unresolved; 3 predicted pairs: a1-a2 (correct), a1-b1, a2-b1.
        let scores = score(
            "model,key,person\ncrm,a1,p1\ncrm,a2,p1\nshop,a3,p1\ncrm,b1,p2\nshop,b2,p2\n",
            "model,key,dinmo_id,status\ncrm,a1,X,matched\ncrm,a2,X,matched\ncrm,b1,X,matched\nshop,a3,Y,unique\n",
        );
        assert_eq!((scores.records, scores.resolved), (5, 4));
        assert_eq!(
            (
                scores.true_pairs,
                scores.predicted_pairs,
                scores.correct_pairs
            ),
            (4, 3, 1)
        );
        assert!((scores.precision - 1.0 / 3.0).abs() < 1e-12);
        assert!((scores.recall - 0.25).abs() < 1e-12);
        // F1 = 2 * (1/3) * (1/4) / (1/3 + 1/4) = (1/6) / (7/12) = 2/7.
        assert!((scores.f1 - 2.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn a_perfect_run_scores_one_and_a_run_that_joins_nothing_has_no_recall() {
        let truth = "model,key,person\nm,1,p\nm,2,p\nm,3,q\n";
        let perfect = score(
            truth,
            "model,key,id,status\nm,1,A,matched\nm,2,A,matched\nm,3,B,unique\n",
        );
        assert_eq!(
            (perfect.precision, perfect.recall, perfect.f1),
            (1.0, 1.0, 1.0)
        );
        let apart = score(truth, "model,key,id,status\nm,1,A,unique\nm,2,B,unique\n");
        assert_eq!(
            (
                apart.predicted_pairs,
                apart.precision,
                apart.recall,
                apart.f1
            ),
            (0, 1.0, 0.0, 0.0)
        );
    }

    #[test]
    fn records_unknown_to_the_truth_are_ignored() {
        let scores = score(
            "model,key,person\nm,1,p\nm,2,p\n",
            "model,key,dinmo_id,status\nm,1,A,matched\nm,2,A,matched\nm,9,A,matched\n",
        );
        assert_eq!(
            (
                scores.predicted_pairs,
                scores.correct_pairs,
                scores.precision
            ),
            (1, 1, 1.0)
        );
    }

    #[test]
    fn bad_tables_are_named() {
        let truth = parse_csv("truth.csv", b"model,key\nm,1\n").unwrap();
        let matches = parse_csv("identity_match.csv", b"model,key,dinmo_id,status\n").unwrap();
        let error = pairwise_scores(&truth, &matches).unwrap_err().to_string();
        assert!(
            error.starts_with("truth.csv: the column 'person' is missing"),
            "{error}"
        );
        let truth = parse_csv("truth.csv", b"model,key,person\nm,1,p\nm,1,q\n").unwrap();
        let error = pairwise_scores(&truth, &matches).unwrap_err().to_string();
        assert_eq!(error, "truth.csv: line 3: the record m/1 is listed twice");
    }

    #[test]
    fn pairs_are_counted_per_run() {
        assert_eq!(
            pairs_in_runs(["a", "a", "a", "b", "c", "c"].into_iter()),
            3 + 1
        );
        assert_eq!(pairs_in_runs(std::iter::empty::<&str>()), 0);
    }
}
