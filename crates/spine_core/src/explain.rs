//! Explanations of a finished run (SPEC section 5), one API for the command line and the studio: for a profile,
//! the chain of accepted pairs that joined its records and the guardrail refusals around it; for two records,
//! why they are (or are not) in one profile, rule by rule, recomputed exactly as the engine decides
//! ([`Resolution::explain_profile`], [`Resolution::explain_records`]); and the raw evidence behind those
//! verdicts, a record's observations and what each rule saw of two records ([`Resolution::observations`],
//! [`Resolution::evidence`], in `explain/evidence.rs`).

mod evidence;

pub use evidence::{CriterionEvidence, ObservationView, RuleEvidence};

use crate::resolve::{
    Broken, Decision, Limits, NONE, ObservationStatus, RecordStatus, Resolution, score4, similarity,
};
use crate::settings::{Algorithm, Comparison, Rule};
use serde::Serialize;

/// A record named the way the tables name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RecordName {
    pub model: String,
    pub key: String,
}

/// One criterion's score in a pair: `identifiers` pooled names joined with `|`, the score with four decimals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionScore {
    pub identifiers: String,
    pub score: String,
}

/// An accepted pair of a profile's chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainLink {
    pub left: RecordName,
    pub right: RecordName,
    pub stage: usize,
    pub rule: String,
    pub scores: Vec<CriterionScore>,
}

/// One broken guardrail with its numbers and the values behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuardrailBreach {
    /// `conflict_limit`, `one_per_profile` or `max_profile_size`.
    pub guardrail: String,
    /// The identifier (conflict limit) or model (`one_per_profile`); empty for the profile size.
    pub name: String,
    /// Distinct values, records of the model, or records in the merged profile.
    pub count: u64,
    /// The limit that was exceeded.
    pub limit: u64,
    /// The distinct values (or the model's keys) on the two sides, sorted; empty for the profile size.
    pub values: Vec<String>,
}

/// A candidate pair refused by a guardrail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefusedPair {
    pub left: RecordName,
    pub right: RecordName,
    pub stage: usize,
    pub rule: String,
    /// `pair_conflict` or `merge_refused`.
    pub decision: String,
    pub detail: String,
    pub breaches: Vec<GuardrailBreach>,
}

/// Why a profile holds its records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileExplanation {
    pub profile_id: String,
    /// A conflict part kept with `on_conflict: keep`.
    pub conflict: bool,
    /// Its records in anchor order.
    pub records: Vec<RecordName>,
    /// A spanning tree of the accepted pairs, earliest stage first: each pair joined two groups not yet joined.
    pub chain: Vec<ChainLink>,
    /// Pairs refused by a guardrail that touch a record of the profile, in `match_pairs` order.
    pub refusals: Vec<RefusedPair>,
}

/// A record as the run left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordState {
    pub model: String,
    pub key: String,
    /// `matched`, `unique`, `conflict`, `missing`, or `missing_key` / `duplicate_key` for a row set aside at load.
    pub status: String,
    /// The emitted profile holding the record.
    pub profile_id: Option<String>,
}

/// Why one rule did not join two records.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RuleOutcome {
    /// The rule accepted the pair (or linked both records into one block's profile).
    Joined,
    /// An exact criterion has no value on one side: the record is in none of the rule's blocks.
    MissingValue {
        record: RecordName,
        identifiers: String,
        values: Vec<ValueState>,
    },
    /// Both sides have values of an exact criterion, but none in common.
    NoSharedBlock {
        identifiers: String,
        left_values: Vec<String>,
        right_values: Vec<String>,
    },
    /// A fuzzy criterion has no value on one side.
    MissingFuzzyValue {
        record: RecordName,
        identifiers: String,
        values: Vec<ValueState>,
    },
    /// A fuzzy criterion's best score is under its threshold.
    BelowThreshold {
        identifiers: String,
        left_value: String,
        right_value: String,
        score: String,
        threshold: f64,
    },
    /// Every block the two share was over `max_block_size`, so they were never compared.
    SkippedBlock { records: u64, max_block_size: u64 },
    /// The two records alone break a conflict limit or `one_per_profile`.
    PairConflict { breaches: Vec<GuardrailBreach> },
    /// The merge this rule asked for broke a limit and was refused.
    MergeRefused {
        left: RecordName,
        right: RecordName,
        detail: String,
        breaches: Vec<GuardrailBreach>,
    },
    /// A record was frozen as a conflict record at an earlier stage and takes part in no later block.
    FrozenConflict {
        record: RecordName,
        frozen_at_stage: usize,
    },
    /// The records share a block but were linked to other records, and no refusal touches them at this stage.
    LinkedElsewhere { identifiers: String },
}

/// What standardization made of one observation, for a value that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueState {
    pub identifier: String,
    pub raw_value: String,
    /// `empty`, `invalid` or `blocked`.
    pub status: String,
    pub detail: String,
}

/// One rule's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleVerdict {
    pub stage: usize,
    pub rule: String,
    #[serde(flatten)]
    pub outcome: RuleOutcome,
}

/// Why two records are (or are not) in one profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NonMatchExplanation {
    pub left: RecordState,
    pub right: RecordState,
    pub same_profile: bool,
    /// One verdict per rule, in stage order (empty when a record was set aside at load).
    pub rules: Vec<RuleVerdict>,
}

/// A profile or record that the run does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    #[error("there is no profile with ID '{0}'")]
    UnknownProfile(String),
    #[error("model '{model}' has no record with key '{key}'")]
    UnknownRecord { model: String, key: String },
}

impl Resolution {
    /// The chain of accepted pairs that joined a profile, and the refused pairs around it.
    pub fn explain_profile(&self, profile_id: &str) -> Result<ProfileExplanation, ExplainError> {
        let profile = self
            .profiles
            .ids
            .binary_search_by(|id| id.as_str().cmp(profile_id))
            .map_err(|_| ExplainError::UnknownProfile(profile_id.to_owned()))?;
        let profile = crate::resolve::index_u32(profile);
        let members = self.profiles.members(profile);
        let mut local: Vec<usize> = (0..members.len()).collect();
        fn find(local: &mut [usize], mut at: usize) -> usize {
            while local[at] != at {
                local[at] = local[local[at]];
                at = local[at];
            }
            at
        }
        let position = |record: u32| members.binary_search(&record).ok();
        let mut chain = Vec::new();
        let mut refusals = Vec::new();
        // Only the pairs touching the profile, in `match_pairs` order (stage, left model, left key, right model,
        // right key), so a large run is scanned once and only a few pairs are sorted.
        let ranks = self.model_name_ranks();
        let mut touching: Vec<u32> = (0..crate::resolve::index_u32(self.pairs.len()))
            .filter(|&index| {
                let pair = &self.pairs[index as usize];
                [pair.left, pair.right]
                    .iter()
                    .any(|&r| self.profiles.of_record[r as usize] == profile)
            })
            .collect();
        // A rule holds two records at most once, so no two keys tie and any sort gives this one order.
        crate::sort::sort_by_key(&mut touching, |&index| {
            let pair = &self.pairs[index as usize];
            let at = |record: u32| (ranks[self.records.model_of(record)], record);
            (pair.rule, at(pair.left), at(pair.right))
        });
        for index in touching {
            let pair = &self.pairs[index as usize];
            let (left, right) = (position(pair.left), position(pair.right));
            match (pair.decision, left, right) {
                (Decision::Accepted, Some(l), Some(r)) => {
                    let (a, b) = (find(&mut local, l), find(&mut local, r));
                    if a != b {
                        local[a.max(b)] = a.min(b);
                        chain.push(self.chain_link(index));
                    }
                }
                (Decision::Accepted, _, _) => {}
                _ => refusals.push(self.refused_pair(index)),
            }
        }
        Ok(ProfileExplanation {
            profile_id: profile_id.to_owned(),
            conflict: self.profiles.conflict[profile as usize],
            records: members.iter().map(|&r| self.record_name(r)).collect(),
            chain,
            refusals,
        })
    }

    /// Why two records are not in one profile (or, when they are, which rules joined them), rule by rule.
    pub fn explain_records(
        &self,
        left: (&str, &str),
        right: (&str, &str),
    ) -> Result<NonMatchExplanation, ExplainError> {
        let (left_state, left_record) = self.record_state(left.0, left.1)?;
        let (right_state, right_record) = self.record_state(right.0, right.1)?;
        let same_profile =
            left_state.profile_id.is_some() && left_state.profile_id == right_state.profile_id;
        let mut rules = Vec::new();
        if let (Some(a), Some(b)) = (left_record, right_record) {
            // The engine names pairs with the earlier record (anchor order) on the left.
            for (index, rule) in self.settings.rules.iter().enumerate() {
                rules.push(RuleVerdict {
                    stage: index + 1,
                    rule: rule.name.clone(),
                    outcome: self.rule_outcome(index, rule, [a, b]),
                });
            }
        }
        Ok(NonMatchExplanation {
            left: left_state,
            right: right_state,
            same_profile,
            rules,
        })
    }

    /// One rule's verdict on two records (`given` in the order the caller named them, which is the order
    /// missing values are reported in).
    fn rule_outcome(&self, index: usize, rule: &Rule, given: [u32; 2]) -> RuleOutcome {
        let (a, b) = (given[0].min(given[1]), given[0].max(given[1]));
        for record in given {
            if let Some(rule) = self.frozen_by(record).filter(|&rule| rule < index) {
                return RuleOutcome::FrozenConflict {
                    record: self.record_name(record),
                    frozen_at_stage: rule + 1,
                };
            }
        }
        // Exact criteria: both records must hold a shared value of each.
        let mut shared_per_criterion: Vec<Vec<u32>> = Vec::new();
        for criterion in rule
            .criteria
            .iter()
            .filter(|c| c.comparison == Comparison::Exact)
        {
            let names = self.criterion_names(&criterion.identifiers);
            let (va, vb) = (
                self.pooled(a, &criterion.identifiers),
                self.pooled(b, &criterion.identifiers),
            );
            for record in given {
                if self.pooled(record, &criterion.identifiers).is_empty() {
                    return RuleOutcome::MissingValue {
                        record: self.record_name(record),
                        identifiers: names,
                        values: self.unusable(record, &criterion.identifiers),
                    };
                }
            }
            let shared: Vec<u32> = va
                .iter()
                .copied()
                .filter(|v| vb.binary_search(v).is_ok())
                .collect();
            if shared.is_empty() {
                return RuleOutcome::NoSharedBlock {
                    identifiers: names,
                    left_values: self.value_texts(&self.pooled(given[0], &criterion.identifiers)),
                    right_values: self.value_texts(&self.pooled(given[1], &criterion.identifiers)),
                };
            }
            shared_per_criterion.push(shared);
        }
        let fuzzy = !rule.is_exact_only();
        if fuzzy {
            // The pair is compared unless every block the two share was skipped.
            let mut combinations = vec![Vec::new()];
            for shared in &shared_per_criterion {
                combinations = combinations
                    .iter()
                    .flat_map(|prefix| {
                        shared
                            .iter()
                            .map(move |&v| [prefix.clone(), vec![v]].concat())
                    })
                    .collect();
            }
            let skipped_sizes: Vec<u64> = combinations
                .iter()
                .filter_map(|key| {
                    self.skipped
                        .iter()
                        .find(|(rule, block)| *rule == index && block.key == *key)
                        .map(|(_, block)| block.records)
                })
                .collect();
            if skipped_sizes.len() == combinations.len() {
                return RuleOutcome::SkippedBlock {
                    records: skipped_sizes.iter().copied().min().unwrap_or_default(),
                    max_block_size: self.settings.guardrails.max_block_size.unwrap_or_default(),
                };
            }
            for criterion in &rule.criteria {
                let Comparison::Fuzzy {
                    algorithm,
                    threshold,
                } = criterion.comparison
                else {
                    continue;
                };
                let names = self.criterion_names(&criterion.identifiers);
                let (va, vb) = (
                    self.pooled(a, &criterion.identifiers),
                    self.pooled(b, &criterion.identifiers),
                );
                for record in given {
                    if self.pooled(record, &criterion.identifiers).is_empty() {
                        return RuleOutcome::MissingFuzzyValue {
                            record: self.record_name(record),
                            identifiers: names,
                            values: self.unusable(record, &criterion.identifiers),
                        };
                    }
                }
                if let Some((score, x, y)) = self.best_score(algorithm, &va, &vb)
                    && score < threshold
                {
                    let (x, y) = if given[0] == a { (x, y) } else { (y, x) };
                    return RuleOutcome::BelowThreshold {
                        identifiers: names,
                        left_value: self.observed.values.get(x).to_owned(),
                        right_value: self.observed.values.get(y).to_owned(),
                        score: score4(score),
                        threshold,
                    };
                }
            }
        }
        // A candidate (or, for exact-only rules, two records of one block): what did the stage decide?
        let stage_pairs = self
            .pairs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.rule as usize == index);
        if let Some((at, pair)) = stage_pairs
            .clone()
            .find(|(_, p)| p.left == a && p.right == b)
        {
            return match pair.decision {
                Decision::Accepted => RuleOutcome::Joined,
                Decision::PairConflict => RuleOutcome::PairConflict {
                    breaches: self.pair_breaches(a, b),
                },
                Decision::MergeRefused => {
                    let refused = self.refused_pair(crate::resolve::index_u32(at));
                    RuleOutcome::MergeRefused {
                        left: refused.left,
                        right: refused.right,
                        detail: refused.detail,
                        breaches: refused.breaches,
                    }
                }
            };
        }
        if Limits::new(&self.settings).pair_conflicts(&self.records, &self.observed.used, a, b) {
            return RuleOutcome::PairConflict {
                breaches: self.pair_breaches(a, b),
            };
        }
        let touching = stage_pairs
            .filter(|(_, p)| {
                p.decision == Decision::MergeRefused
                    && [p.left, p.right].iter().any(|r| *r == a || *r == b)
            })
            .map(|(at, _)| at)
            .next();
        if let Some(at) = touching {
            let refused = self.refused_pair(crate::resolve::index_u32(at));
            return RuleOutcome::MergeRefused {
                left: refused.left,
                right: refused.right,
                detail: refused.detail,
                breaches: refused.breaches,
            };
        }
        let (pa, pb) = (
            self.profiles.of_record[a as usize],
            self.profiles.of_record[b as usize],
        );
        if pa != NONE && pa == pb {
            return RuleOutcome::Joined;
        }
        let names: Vec<String> = rule
            .criteria
            .iter()
            .filter(|c| c.comparison == Comparison::Exact)
            .map(|c| self.criterion_names(&c.identifiers))
            .collect();
        RuleOutcome::LinkedElsewhere {
            identifiers: names.join(", "),
        }
    }

    fn record_state(
        &self,
        model: &str,
        key: &str,
    ) -> Result<(RecordState, Option<u32>), ExplainError> {
        let unknown = || ExplainError::UnknownRecord {
            model: model.to_owned(),
            key: key.to_owned(),
        };
        let model_index = self
            .settings
            .models
            .iter()
            .position(|m| m.name == model)
            .ok_or_else(unknown)?;
        if let Some(record) = self.records.find(model_index, key) {
            let profile = self.profiles.of_record[record as usize];
            let status: RecordStatus = self.status[record as usize];
            return Ok((
                RecordState {
                    model: model.to_owned(),
                    key: key.to_owned(),
                    status: status.as_str().to_owned(),
                    profile_id: (profile != NONE)
                        .then(|| self.profiles.ids[profile as usize].clone()),
                },
                Some(record),
            ));
        }
        let bad = self
            .bad
            .iter()
            .find(|row| row.model == model_index && row.key == key)
            .ok_or_else(unknown)?;
        Ok((
            RecordState {
                model: model.to_owned(),
                key: key.to_owned(),
                status: bad.reason.as_str().to_owned(),
                profile_id: None,
            },
            None,
        ))
    }

    fn value_texts(&self, values: &[u32]) -> Vec<String> {
        values
            .iter()
            .map(|&v| self.observed.values.get(v).to_owned())
            .collect()
    }

    /// The rule (0-based) whose refused merge froze a record as a conflict record, if one did.
    fn frozen_by(&self, record: u32) -> Option<usize> {
        let refusal = self.conflict_of[record as usize];
        (refusal != NONE).then(|| self.refusals[refusal as usize].rule)
    }

    /// The best similarity of a fuzzy criterion between two records' values (`left` of the earlier record in
    /// anchor order), with the two values: the best pair counts, in the engine's order (the first best wins).
    /// `None` when either side has no value.
    fn best_score(
        &self,
        algorithm: Algorithm,
        left: &[u32],
        right: &[u32],
    ) -> Option<(f64, u32, u32)> {
        let mut best: Option<(f64, u32, u32)> = None;
        for &x in left {
            for &y in right {
                let score = if x == y {
                    1.0
                } else {
                    similarity(
                        algorithm,
                        self.observed.values.get(x),
                        self.observed.values.get(y),
                    )
                };
                if best.is_none_or(|(s, _, _)| score > s) {
                    best = Some((score, x, y));
                }
            }
        }
        best
    }

    /// The distinct used values of a record over pooled identifiers, sorted.
    fn pooled(&self, record: u32, identifiers: &[usize]) -> Vec<u32> {
        let mut values: Vec<u32> = identifiers
            .iter()
            .flat_map(|&i| self.observed.used.get(record, i).iter().copied())
            .collect();
        values.sort_unstable();
        values.dedup();
        values
    }

    /// The record's observations of these identifiers that are not used.
    fn unusable(&self, record: u32, identifiers: &[usize]) -> Vec<ValueState> {
        self.observed
            .of_record(record)
            .iter()
            .filter(|o| {
                identifiers.contains(&(o.identifier as usize))
                    && o.status != ObservationStatus::Used
            })
            .map(|o| ValueState {
                identifier: self.settings.identifiers[o.identifier as usize]
                    .name
                    .clone(),
                raw_value: self.observed.raw.get(o.raw).to_owned(),
                status: o.status.as_str().to_owned(),
                detail: self.observed.details[o.detail as usize].clone(),
            })
            .collect()
    }

    fn criterion_names(&self, identifiers: &[usize]) -> String {
        let names: Vec<&str> = identifiers
            .iter()
            .map(|&i| self.settings.identifiers[i].name.as_str())
            .collect();
        names.join("|")
    }

    fn record_name(&self, record: u32) -> RecordName {
        RecordName {
            model: self.model_name(record).to_owned(),
            key: self.records.key(record).to_owned(),
        }
    }

    fn chain_link(&self, index: u32) -> ChainLink {
        let pair = self.pairs[index as usize];
        let rule = &self.settings.rules[pair.rule as usize];
        // Exact criteria score 1; fuzzy scores are stored in criterion order from `pair.scores`.
        let mut fuzzy = pair.scores as usize;
        let scores = rule
            .criteria
            .iter()
            .map(|criterion| {
                let score = if criterion.comparison == Comparison::Exact {
                    1.0
                } else {
                    fuzzy += 1;
                    self.scores[fuzzy - 1]
                };
                CriterionScore {
                    identifiers: self.criterion_names(&criterion.identifiers),
                    score: score4(score),
                }
            })
            .collect();
        ChainLink {
            left: self.record_name(pair.left),
            right: self.record_name(pair.right),
            stage: pair.rule as usize + 1,
            rule: rule.name.clone(),
            scores,
        }
    }

    fn refused_pair(&self, index: u32) -> RefusedPair {
        let pair = self.pairs[index as usize];
        let note = &self.notes[pair.note as usize];
        // The values behind a refused merge are those of every part it would have joined: the records of all
        // pairs refused by the same merge, with the profiles they ended in.
        let mut sides: Vec<Vec<u32>> = vec![self.side(pair.left), self.side(pair.right)];
        if pair.decision == Decision::MergeRefused {
            for other in self
                .pairs
                .iter()
                .filter(|p| p.rule == pair.rule && p.note == pair.note)
            {
                sides.push(self.side(other.left));
                sides.push(self.side(other.right));
            }
        }
        RefusedPair {
            left: self.record_name(pair.left),
            right: self.record_name(pair.right),
            stage: pair.rule as usize + 1,
            rule: self.settings.rules[pair.rule as usize].name.clone(),
            decision: pair.decision.as_str().to_owned(),
            detail: note.text.clone(),
            breaches: note
                .broken
                .iter()
                .map(|&b| self.breach(b, &sides.concat()))
                .collect(),
        }
    }

    /// The limits two records alone break, with their values.
    fn pair_breaches(&self, a: u32, b: u32) -> Vec<GuardrailBreach> {
        let mut scratch = Vec::new();
        let broken = Limits::new(&self.settings).check(
            &[a, b],
            &self.records,
            &self.observed.used,
            false,
            &mut scratch,
        );
        broken.iter().map(|&x| self.breach(x, &[a, b])).collect()
    }

    /// The records on one side of a refused pair: the record's final profile, or the record alone.
    fn side(&self, record: u32) -> Vec<u32> {
        let profile = self.profiles.of_record[record as usize];
        if profile == NONE {
            vec![record]
        } else {
            self.profiles.members(profile).to_vec()
        }
    }

    fn breach(&self, broken: Broken, records: &[u32]) -> GuardrailBreach {
        let mut values: Vec<String> = Vec::new();
        let (guardrail, name, count, limit) = match broken {
            Broken::Identifier {
                identifier,
                count,
                limit,
            } => {
                let mut held: Vec<u32> = records
                    .iter()
                    .flat_map(|&r| self.observed.used.get(r, identifier).iter().copied())
                    .collect();
                held.sort_unstable();
                held.dedup();
                values = held
                    .iter()
                    .map(|&v| self.observed.values.get(v).to_owned())
                    .collect();
                (
                    "conflict_limit",
                    self.settings.identifiers[identifier].name.clone(),
                    u64::from(count),
                    u64::from(limit),
                )
            }
            Broken::OnePerProfile { model, count } => {
                values = records
                    .iter()
                    .filter(|&&r| self.records.model_of(r) == model)
                    .map(|&r| self.records.key(r).to_owned())
                    .collect();
                (
                    "one_per_profile",
                    self.settings.models[model].name.clone(),
                    u64::from(count),
                    1,
                )
            }
            Broken::Size { count, max } => ("max_profile_size", String::new(), count, max),
        };
        crate::sort::sort(&mut values);
        values.dedup();
        GuardrailBreach {
            guardrail: guardrail.to_owned(),
            name,
            count,
            limit,
            values,
        }
    }
}

impl RuleOutcome {
    /// The verdict as a sentence a person can read.
    pub fn sentence(&self) -> String {
        let name = |r: &RecordName| format!("{} {}", r.model, r.key);
        let unusable = |values: &[ValueState]| {
            if values.is_empty() {
                "it maps no such value".to_owned()
            } else {
                let parts: Vec<String> = values
                    .iter()
                    .map(|v| {
                        let detail = if v.detail.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", v.detail)
                        };
                        format!("{} '{}' is {}{detail}", v.identifier, v.raw_value, v.status)
                    })
                    .collect();
                parts.join("; ")
            }
        };
        let breaches = |list: &[GuardrailBreach]| {
            let parts: Vec<String> = list
                .iter()
                .map(|b| match b.guardrail.as_str() {
                    "max_profile_size" => {
                        format!("{} records, over max_profile_size {}", b.count, b.limit)
                    }
                    "one_per_profile" => {
                        format!(
                            "{} records of one_per_profile model {} ({})",
                            b.count,
                            b.name,
                            b.values.join(", ")
                        )
                    }
                    _ => format!(
                        "{} distinct {} values ({}), over conflict_limit {}",
                        b.count,
                        b.name,
                        b.values.join(", "),
                        b.limit
                    ),
                })
                .collect();
            parts.join("; ")
        };
        match self {
            Self::Joined => "joined them".to_owned(),
            Self::MissingValue {
                record,
                identifiers,
                values,
            } => {
                format!(
                    "no shared block: {} has no usable {identifiers} value ({})",
                    name(record),
                    unusable(values)
                )
            }
            Self::NoSharedBlock {
                identifiers,
                left_values,
                right_values,
            } => format!(
                "no shared block: {identifiers} values differ ({} vs {})",
                left_values.join(", "),
                right_values.join(", ")
            ),
            Self::MissingFuzzyValue {
                record,
                identifiers,
                values,
            } => {
                format!(
                    "{} has no usable {identifiers} value to compare ({})",
                    name(record),
                    unusable(values)
                )
            }
            Self::BelowThreshold {
                identifiers,
                left_value,
                right_value,
                score,
                threshold,
            } => format!(
                "{identifiers} '{left_value}' vs '{right_value}' scores {score}, under the threshold {threshold}"
            ),
            Self::SkippedBlock {
                records,
                max_block_size,
            } => format!(
                "their shared block holds {records} records, over max_block_size {max_block_size}, so it was not compared"
            ),
            Self::PairConflict { breaches: list } => {
                format!("pair conflict: together they hold {}", breaches(list))
            }
            Self::MergeRefused {
                left,
                right,
                breaches: list,
                ..
            } => format!(
                "merge refused (pair {} - {}): the merged profile would hold {}",
                name(left),
                name(right),
                breaches(list)
            ),
            Self::FrozenConflict {
                record,
                frozen_at_stage,
            } => format!(
                "{} became a conflict record at stage {frozen_at_stage} and takes part in no later stage",
                name(record)
            ),
            Self::LinkedElsewhere { identifiers } => format!(
                "they share a {identifiers} block but each was linked to another record, and their profiles did not join"
            ),
        }
    }
}
