//! The typed face of a [`Resolution`]: tables by name, and borrowed views of stages, pairs, profiles, golden
//! values and warnings for the studio and `explain`.

use super::RecordStatus;
use super::cluster::Decision;
use super::observe::NONE;
use super::text::index_u32;
use super::{
    IdentifierMetrics, ModelMetrics, Redirect, Report, Resolution, StageSummary, limits, metrics,
    tables,
};
use crate::settings::{Comparison, Strategy};
use std::fmt;
use std::io;

/// A record named the way the tables name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordRef<'a> {
    pub model: &'a str,
    pub key: &'a str,
}

/// One candidate pair.
#[derive(Debug, Clone, PartialEq)]
pub struct PairView<'a> {
    /// The earlier record in anchor order.
    pub left: RecordRef<'a>,
    pub right: RecordRef<'a>,
    /// 1-based stage (the rule's position).
    pub stage: usize,
    pub rule: &'a str,
    /// One score per criterion of the rule, in order (exact criteria score 1.0).
    pub scores: Vec<f64>,
    pub decision: Decision,
    /// Why the pair was refused (empty when accepted).
    pub detail: &'a str,
    /// Filled when both records end in the same emitted profile.
    pub profile_id: Option<&'a str>,
}

/// One golden value with its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenValue<'a> {
    pub field: &'a str,
    pub value: &'a str,
    /// The winning record; `None` when no record has a value.
    pub source: Option<RecordRef<'a>>,
    pub strategy: Strategy,
}

/// One emitted profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileView<'a> {
    pub id: &'a str,
    /// A part of a refused merge kept with `on_conflict: keep`.
    pub conflict: bool,
    /// Its records in anchor order (the first is the anchor).
    pub records: Vec<RecordRef<'a>>,
    pub golden: Vec<GoldenValue<'a>>,
}

/// Something a person should know about a run that did not stop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// An order value that does not parse; the record counts as oldest.
    UnparsableOrder {
        model: String,
        key: String,
        value: String,
    },
    /// A fuzzy rule's block over `max_block_size` whose pairs were not compared.
    SkippedBlock {
        stage: usize,
        rule: String,
        block: String,
        records: u64,
        max_block_size: u64,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnparsableOrder { model, key, value } => write!(
                f,
                "{model} key {key}: order value '{value}' is not a date, a timestamp or Unix seconds; the record counts as oldest"
            ),
            Self::SkippedBlock {
                stage,
                rule,
                block,
                records,
                max_block_size,
            } => write!(
                f,
                "stage {stage} ({rule}): the block {block} holds {records} records, over max_block_size {max_block_size}; its pairs were not compared"
            ),
        }
    }
}

impl Resolution {
    /// The names of every output table, in a fixed order.
    pub fn table_names(&self) -> Vec<&'static str> {
        tables::TABLES.to_vec()
    }

    /// Writes one output table as CSV.
    pub fn write_table(&self, name: &str, out: &mut dyn io::Write) -> io::Result<()> {
        if tables::write(self, name, out)? {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("there is no output table named '{name}'"),
            ))
        }
    }

    /// One output table as CSV text, or `None` for an unknown name.
    pub fn table_csv(&self, name: &str) -> Option<String> {
        let mut bytes = Vec::new();
        match tables::write(self, name, &mut bytes) {
            Ok(true) => String::from_utf8(bytes).ok(),
            _ => None,
        }
    }

    /// The run's key numbers.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// One summary per stage (rule), in order.
    pub fn stages(&self) -> &[StageSummary] {
        &self.stages
    }

    pub fn model_metrics(&self) -> &[ModelMetrics] {
        &self.model_metrics
    }

    pub fn identifier_metrics(&self) -> &[IdentifierMetrics] {
        &self.identifier_metrics
    }

    /// (profile size, number of profiles of that size), smallest first.
    pub fn cluster_sizes(&self) -> Vec<(u64, u64)> {
        metrics::cluster_sizes(self)
    }

    pub fn redirects(&self) -> &[Redirect] {
        &self.redirects
    }

    /// Every candidate pair, in `match_pairs` order.
    pub fn pairs(&self) -> impl Iterator<Item = PairView<'_>> + '_ {
        self.pairs_in_output_order()
            .into_iter()
            .map(move |index| self.pair_view(index))
    }

    /// The candidate pairs with a record in a profile, in `match_pairs` order (none for an unknown ID): a
    /// profile's pairs without a view of every pair of the run.
    pub fn profile_pairs(&self, profile_id: &str) -> Vec<PairView<'_>> {
        let Ok(profile) = self
            .profiles
            .ids
            .binary_search_by(|id| id.as_str().cmp(profile_id))
        else {
            return Vec::new();
        };
        let profile = index_u32(profile);
        let ranks = self.model_name_ranks();
        let position = |record: u32| (ranks[self.records.model_of(record)], record);
        let mut touching: Vec<u32> = (0..index_u32(self.pairs.len()))
            .filter(|&index| {
                let pair = &self.pairs[index as usize];
                self.profiles.of_record[pair.left as usize] == profile
                    || self.profiles.of_record[pair.right as usize] == profile
            })
            .collect();
        // A rule holds two records at most once, so no two keys tie and any sort gives this one order.
        crate::sort::sort_by_key(&mut touching, |&index| {
            let pair = &self.pairs[index as usize];
            (pair.rule, position(pair.left), position(pair.right))
        });
        touching
            .into_iter()
            .map(|index| self.pair_view(index))
            .collect()
    }

    /// The number of emitted profiles.
    pub fn profile_count(&self) -> usize {
        self.profiles.len()
    }

    /// Every emitted profile, by ID.
    pub fn profiles(&self) -> impl Iterator<Item = ProfileView<'_>> + '_ {
        self.profiles_by_id()
            .map(move |profile| self.profile_view(profile))
    }

    /// The profile that holds a record, if the record was emitted.
    pub fn profile_of(&self, model: &str, key: &str) -> Option<ProfileView<'_>> {
        let record = self.find_record(model, key)?;
        let profile = self.profiles.of_record[record as usize];
        (profile != NONE).then(|| self.profile_view(profile))
    }

    /// What became of a loaded record (`None` for an unknown record or a row with a bad key).
    pub fn record_status(&self, model: &str, key: &str) -> Option<RecordStatus> {
        self.find_record(model, key)
            .map(|record| self.status[record as usize])
    }

    /// The row of a loaded record in its model's table (`None` for an unknown record or a row with a bad key),
    /// found by binary search, so a host can show the record's cells without an index of its own.
    pub fn record_row(&self, model: &str, key: &str) -> Option<usize> {
        self.find_record(model, key)
            .map(|record| self.records.row[record as usize] as usize)
    }

    /// Unparsable order values and skipped blocks.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut warnings: Vec<Warning> = self
            .orders
            .unparsable
            .iter()
            .map(|&record| Warning::UnparsableOrder {
                model: self.model_name(record).to_owned(),
                key: self.records.key(record).to_owned(),
                value: self.orders.raw.get(record).to_owned(),
            })
            .collect();
        for (rule, block) in &self.skipped {
            let criteria = self.settings.rules[*rule]
                .criteria
                .iter()
                .filter(|c| c.comparison == Comparison::Exact);
            let parts: Vec<String> = criteria
                .zip(&block.key)
                .map(|(criterion, &value)| {
                    let names: Vec<&str> = criterion
                        .identifiers
                        .iter()
                        .map(|&i| self.settings.identifiers[i].name.as_str())
                        .collect();
                    format!("{}={}", names.join("|"), self.observed.values.get(value))
                })
                .collect();
            warnings.push(Warning::SkippedBlock {
                stage: rule + 1,
                rule: self.settings.rules[*rule].name.clone(),
                block: parts.join(", "),
                records: block.records,
                max_block_size: self.settings.guardrails.max_block_size.unwrap_or_default(),
            });
        }
        warnings
    }

    pub(crate) fn find_record(&self, model: &str, key: &str) -> Option<u32> {
        let model = self.settings.models.iter().position(|m| m.name == model)?;
        self.records.find(model, key)
    }

    fn record_ref(&self, record: u32) -> RecordRef<'_> {
        RecordRef {
            model: self.model_name(record),
            key: self.records.key(record),
        }
    }

    pub(crate) fn pair_view(&self, index: u32) -> PairView<'_> {
        let pair = &self.pairs[index as usize];
        let rule = &self.settings.rules[pair.rule as usize];
        let mut fuzzy = pair.scores as usize;
        let scores = rule
            .criteria
            .iter()
            .map(|criterion| {
                if criterion.comparison == Comparison::Exact {
                    1.0
                } else {
                    fuzzy += 1;
                    self.scores[fuzzy - 1]
                }
            })
            .collect();
        let (left, right) = (
            self.profiles.of_record[pair.left as usize],
            self.profiles.of_record[pair.right as usize],
        );
        PairView {
            left: self.record_ref(pair.left),
            right: self.record_ref(pair.right),
            stage: pair.rule as usize + 1,
            rule: &rule.name,
            scores,
            decision: pair.decision,
            detail: if pair.decision == Decision::Accepted {
                ""
            } else {
                &self.notes[pair.note as usize].text
            },
            profile_id: (left != NONE && left == right)
                .then(|| self.profiles.ids[left as usize].as_str()),
        }
    }

    fn profile_view(&self, profile: u32) -> ProfileView<'_> {
        let fields = self.settings.golden.len();
        let p = profile as usize;
        let golden = self
            .settings
            .golden
            .iter()
            .zip(&self.golden.cells[p * fields..(p + 1) * fields])
            .map(|(field, &(value, record))| GoldenValue {
                field: &field.name,
                value: self.golden.values.get(value),
                source: (record != NONE).then(|| self.record_ref(record)),
                strategy: field.strategy,
            })
            .collect();
        ProfileView {
            id: &self.profiles.ids[p],
            conflict: self.profiles.conflict[p],
            records: self
                .profiles
                .members(profile)
                .iter()
                .map(|&r| self.record_ref(r))
                .collect(),
            golden,
        }
    }

    pub(crate) fn model_name(&self, record: u32) -> &str {
        &self.settings.models[self.records.model_of(record)].name
    }

    /// The raw order value of a record, or empty for [`NONE`].
    pub(crate) fn order_raw(&self, record: u32) -> &str {
        if record == NONE {
            ""
        } else {
            self.orders.raw.get(record)
        }
    }

    /// Each model's position when models are sorted by name.
    pub(crate) fn model_name_ranks(&self) -> Vec<usize> {
        ranks(self.settings.models.iter().map(|m| m.name.as_str()))
    }

    /// Each identifier's position when identifiers are sorted by name.
    pub(crate) fn identifier_name_ranks(&self) -> Vec<usize> {
        ranks(self.settings.identifiers.iter().map(|i| i.name.as_str()))
    }

    /// Loaded records sorted by model name, then key.
    pub(crate) fn records_by_name(&self) -> impl Iterator<Item = u32> + '_ {
        let mut models: Vec<usize> = (0..self.settings.models.len()).collect();
        crate::sort::sort_by(&mut models, |&a, &b| {
            self.settings.models[a]
                .name
                .cmp(&self.settings.models[b].name)
        });
        models.into_iter().flat_map(move |model| {
            let (start, end) = self.records.runs[model];
            start..end
        })
    }

    /// Profiles sorted by ID (profiles are numbered in ID order once their IDs are known).
    pub(crate) fn profiles_by_id(&self) -> std::ops::Range<u32> {
        0..index_u32(self.profiles.len())
    }

    /// Pair indices by stage, left model, left key, right model, right key.
    pub(crate) fn pairs_in_output_order(&self) -> Vec<u32> {
        // A record's place in (model name, key) order is the start of its model's run, models taken by name,
        // plus its offset in the run (records are numbered by key within a model). Sorting one packed integer
        // per pair is several times faster than comparing tuples that look ranks up; a rule never holds the
        // same two records twice, so no two keys are equal.
        let ranks = self.model_name_ranks();
        let mut by_name: Vec<usize> = (0..ranks.len()).collect();
        // Ranks are distinct, so any sort gives this one order.
        crate::sort::sort_by_key(&mut by_name, |&model| ranks[model]);
        let mut base = vec![0u32; ranks.len()];
        let mut next = 0u32;
        for model in by_name {
            base[model] = next;
            let (start, end) = self.records.runs[model];
            next += end - start;
        }
        let place = |record: u32| {
            let model = self.records.model_of(record);
            u128::from(base[model] + (record - self.records.runs[model].0))
        };
        let mut keyed: Vec<(u128, u32)> = self
            .pairs
            .iter()
            .enumerate()
            .map(|(index, pair)| {
                let key =
                    (u128::from(pair.rule) << 64) | (place(pair.left) << 32) | place(pair.right);
                (key, index_u32(index))
            })
            .collect();
        crate::sort::sort_unstable(&mut keyed);
        keyed.into_iter().map(|(_, index)| index).collect()
    }

    pub(crate) fn missing_detail(&self, record: u32) -> String {
        tables::missing_detail(self, record)
    }

    /// The detail and `candidate_dinmo_ids` of an excluded conflict record.
    pub(crate) fn conflict_detail(&self, record: u32) -> (String, String) {
        let refusal = &self.refusals[self.conflict_of[record as usize] as usize];
        let detail = format!(
            "merge refused at stage {} ({}): the merged profile would hold {}; this part holds no {}",
            refusal.rule + 1,
            self.settings.rules[refusal.rule].name,
            limits::describe(&self.settings, &refusal.broken),
            limits::value_limit_names(&self.settings, &refusal.broken),
        );
        let mut ids: Vec<&str> = refusal
            .holders
            .iter()
            .map(|&h| self.profiles.of_record[h as usize])
            .filter(|&p| p != NONE)
            .map(|p| self.profiles.ids[p as usize].as_str())
            .collect();
        crate::sort::sort_unstable(&mut ids);
        ids.dedup();
        (detail, ids.join("|"))
    }
}

/// Each item's position in sorted order.
fn ranks<'a>(names: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let names: Vec<&str> = names.collect();
    let mut order: Vec<usize> = (0..names.len()).collect();
    crate::sort::sort_by(&mut order, |&a, &b| names[a].cmp(names[b]));
    let mut rank = vec![0; names.len()];
    for (position, index) in order.into_iter().enumerate() {
        rank[index] = position;
    }
    rank
}
