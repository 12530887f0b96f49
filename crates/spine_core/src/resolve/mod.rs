//! The resolution pipeline (SPEC sections 3-5): load, standardize, block, compare, cluster in stages under
//! guardrails, assign stable IDs, pick golden records, and build the output tables and metrics.
//!
//! [`resolve`] takes the validated [`Settings`], one [`Table`] per model (`tables[i]` holds the rows of
//! `settings.models[i]`) and optionally a [`Previous`] run; it returns a [`Resolution`] that keeps typed
//! results for the studio and `crate::explain` and writes every output table as CSV.

mod candidates;
mod cluster;
mod golden;
mod ids;
mod limits;
mod metric_tables;
mod metrics;
mod observe;
mod order;
mod records;
mod tables;
mod text;
mod views;

pub use cluster::Decision;
pub use ids::{Previous, Redirect, RedirectKind};
pub use limits::Broken;
pub use metrics::{IdentifierMetrics, ModelMetrics, Report, hashed_graph};
pub use observe::ObservationStatus;
pub use order::{Instant, parse_order};
pub use records::BadKey;
pub use views::{GoldenValue, PairView, ProfileView, RecordRef, Warning};

// The analyses built on a finished run (explain, diff, suspicious profiles, event stitching) reuse these.
pub(crate) use candidates::similarity;
pub(crate) use limits::Limits;
pub(crate) use text::{StrArena, ratio4, score4};

use crate::progress::{Control, Progress, ProgressSink};
use crate::settings::{OnConflict, Settings};
use crate::table::Table;
use crate::workers::{OneAfterAnother, Workers, join};
use candidates::SkippedBlock;
use cluster::{Clusters, Refusal};
use golden::{Golden, Orders};
use ids::Profiles;
pub(crate) use observe::NONE;
use observe::Observed;
use records::{BadRow, Records};
use std::ops::Range;
use std::sync::OnceLock;

/// Why a run could not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// The progress sink asked the run to stop.
    #[error("the run was stopped before it finished")]
    Stopped,
    /// An input table does not fit the identity graph.
    #[error("{file}: line {line}, column '{column}': {message}")]
    Input {
        file: String,
        line: u64,
        column: String,
        message: String,
    },
}

/// What became of a loaded record (SPEC section 3, step 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordStatus {
    /// In a profile of two or more records.
    Matched,
    /// A profile of one.
    Unique,
    /// Made a conflict record by a refused merge (emitted with `keep`, unresolved with `exclude`).
    Conflict,
    /// No used identifier value.
    Missing,
}

impl RecordStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Matched => "matched",
            Self::Unique => "unique",
            Self::Conflict => "conflict",
            Self::Missing => "missing",
        }
    }
}

/// The counts of one stage (one rule), for the studio's timeline and `identity_rule_metrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageSummary {
    /// 1-based stage number (the rule's position).
    pub stage: usize,
    pub rule: String,
    /// Records with a used value for every exact criterion that were not frozen before this stage.
    pub applicable_records: u64,
    pub candidate_pairs: u64,
    pub accepted_pairs: u64,
    pub pair_conflicts: u64,
    pub merge_refused_pairs: u64,
    /// Distinct records in an accepted pair of this stage.
    pub linked_records: u64,
    pub skipped_blocks: u64,
    /// Merges made: profiles that were created from single records or grew.
    pub merges: u64,
    pub profiles_created: u64,
    pub profiles_grown: u64,
    pub merges_refused: u64,
    /// Records that became conflict records at this stage.
    pub conflict_records: u64,
    /// Profiles after the stage (excluded conflict records not counted).
    pub profiles_after: u64,
}

/// One candidate pair as stored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pair {
    pub left: u32,
    pub right: u32,
    /// 0-based rule index (stage - 1).
    pub rule: u32,
    pub decision: Decision,
    /// Index of the first fuzzy score in [`Resolution::scores`].
    pub scores: u32,
    /// Index into [`Resolution::notes`] (0: none).
    pub note: u32,
}

/// Why a pair was refused: the sentence for `match_pairs.detail` and the limits behind it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Note {
    pub text: String,
    pub broken: Vec<Broken>,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub(crate) settings: Settings,
    pub(crate) records: Records,
    pub(crate) bad: Vec<BadRow>,
    pub(crate) observed: Observed,
    pub(crate) orders: Orders,
    pub(crate) stages: Vec<StageSummary>,
    /// Stage by stage; within a stage sorted by (left, right).
    pub(crate) pairs: Vec<Pair>,
    pub(crate) scores: Vec<f64>,
    pub(crate) notes: Vec<Note>,
    pub(crate) refusals: Vec<Refusal>,
    pub(crate) status: Vec<RecordStatus>,
    pub(crate) conflict_of: Vec<u32>,
    pub(crate) profiles: Profiles,
    pub(crate) golden: Golden,
    pub(crate) redirects: Vec<Redirect>,
    /// (0-based rule index, block).
    pub(crate) skipped: Vec<(usize, SkippedBlock)>,
    pub(crate) report: Report,
    pub(crate) model_metrics: Vec<ModelMetrics>,
    pub(crate) identifier_metrics: Vec<IdentifierMetrics>,
}

/// Reports progress to the host's sink and turns its `Stop` into [`ResolveError::Stopped`].
pub(crate) struct Reporter<'a> {
    sink: &'a mut dyn ProgressSink,
    stage: String,
    index: usize,
    count: usize,
}

impl Reporter<'_> {
    fn begin(&mut self, stage: String, index: usize) -> Result<(), ResolveError> {
        self.stage = stage;
        self.index = index;
        self.step(0, 0)
    }

    pub(crate) fn step(&mut self, done: u64, total: u64) -> Result<(), ResolveError> {
        let progress = Progress {
            stage: &self.stage,
            stage_index: self.index,
            stage_count: self.count,
            done,
            total,
        };
        match self.sink.report(&progress) {
            Control::Continue => Ok(()),
            Control::Stop => Err(ResolveError::Stopped),
        }
    }
}

/// Cuts `0..total` into ranges of `size`, has `workers` run `work` on as many at a time as they are wide, and
/// returns the results in range order. Progress is reported, and a stop honoured, between rounds.
pub(crate) fn run_in_chunks<T: Send + Sync>(
    total: u32,
    size: u32,
    workers: &dyn Workers,
    reporter: &mut Reporter<'_>,
    work: impl Fn(Range<u32>) -> T + Sync,
) -> Result<Vec<T>, ResolveError> {
    let size = size.max(1);
    let ranges: Vec<Range<u32>> = (0..total)
        .step_by(size as usize)
        .map(|start| start..total.min(start.saturating_add(size)))
        .collect();
    let mut results = Vec::with_capacity(ranges.len());
    for round in ranges.chunks(workers.width().max(1)) {
        reporter.step(u64::from(round[0].start), u64::from(total))?;
        let done: Vec<OnceLock<T>> = round.iter().map(|_| OnceLock::new()).collect();
        workers.run(round.len(), &|index| {
            let _ = done[index].set(work(round[index].clone()));
        });
        for (slot, range) in done.into_iter().zip(round) {
            // Workers that skipped a piece broke their contract; doing it here keeps the run whole.
            results.push(slot.into_inner().unwrap_or_else(|| work(range.clone())));
        }
    }
    Ok(results)
}

/// Resolves the records of `tables` (`tables[i]` holds the rows of `settings.models[i]`) into profiles.
pub fn resolve(
    settings: &Settings,
    tables: &[Table],
    previous: Option<&Previous>,
    sink: &mut dyn ProgressSink,
) -> Result<Resolution, ResolveError> {
    resolve_with(settings, tables, previous, sink, &OneAfterAnother)
}

/// [`resolve`], with the stages that split into independent pieces run by the host's `workers`. The result is
/// the same whatever the workers.
pub fn resolve_with(
    settings: &Settings,
    tables: &[Table],
    previous: Option<&Previous>,
    sink: &mut dyn ProgressSink,
    workers: &dyn Workers,
) -> Result<Resolution, ResolveError> {
    resolve_in(
        settings,
        tables,
        previous,
        sink,
        workers,
        Chunking::default(),
    )
}

/// How many records (standardization) and profiles (golden records) make one piece of work for the workers.
/// Enough to make the split worth its cost and to report progress often; the result does not depend on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunking {
    pub records: u32,
    pub profiles: u32,
}

impl Default for Chunking {
    fn default() -> Self {
        Self {
            records: 65_536,
            profiles: 65_536,
        }
    }
}

pub(crate) fn resolve_in(
    settings: &Settings,
    tables: &[Table],
    previous: Option<&Previous>,
    sink: &mut dyn ProgressSink,
    workers: &dyn Workers,
    chunking: Chunking,
) -> Result<Resolution, ResolveError> {
    let rules = settings.rules.len();
    let mut reporter = Reporter {
        sink,
        stage: String::new(),
        index: 0,
        count: rules + 5,
    };

    reporter.begin("load".to_owned(), 0)?;
    let columns = records::model_columns(settings, tables)?;
    let (records, bad) = records::load(settings, tables, &columns);
    let orders = golden::orders(tables, &columns, &records);

    reporter.begin("standardize".to_owned(), 1)?;
    let observed = observe::observe(
        settings,
        tables,
        &columns,
        &records,
        workers,
        &mut reporter,
        chunking.records,
    )?;

    let limits = limits::Limits::new(settings);
    let mut clusters = Clusters::new(&observed.missing);
    let mut stages = Vec::with_capacity(rules);
    let mut pairs = Vec::new();
    let mut scores = Vec::new();
    let mut notes = vec![Note::default()];
    let mut refusal_notes: Vec<u32> = Vec::new();
    let mut skipped = Vec::new();
    let context = cluster::Context {
        limits: &limits,
        records: &records,
        used: &observed.used,
        on_conflict: settings.guardrails.on_conflict,
    };
    for (index, rule) in settings.rules.iter().enumerate() {
        reporter.begin(format!("rule {}: {}", index + 1, rule.name), index + 2)?;
        let inputs = candidates::Inputs {
            settings,
            records: &records,
            observed: &observed,
            limits: &limits,
            frozen: &clusters.frozen,
        };
        let found = candidates::candidates(&inputs, rule, &mut reporter)?;
        let (decisions, merges) = clusters.apply(index, &found.pairs, &context);
        for refusal in &clusters.refusals[refusal_notes.len()..] {
            refusal_notes.push(index_u32(notes.len()));
            notes.push(Note {
                text: format!(
                    "the merged profile would hold {}",
                    limits::describe(settings, &refusal.broken)
                ),
                broken: refusal.broken.clone(),
            });
        }
        let mut summary = StageSummary {
            stage: index + 1,
            rule: rule.name.clone(),
            applicable_records: found.applicable,
            candidate_pairs: found.pairs.len() as u64,
            skipped_blocks: found.skipped.len() as u64,
            merges: merges.merges,
            profiles_created: merges.created,
            profiles_grown: merges.grown,
            merges_refused: merges.refused,
            conflict_records: merges.conflict_records,
            profiles_after: clusters.profiles,
            ..StageSummary::default()
        };
        let mut linked = Vec::new();
        let mut scratch = Vec::new();
        let base = index_u32(scores.len());
        for (pair, (decision, refusal)) in found.pairs.iter().zip(decisions) {
            let note = match decision {
                Decision::Accepted => {
                    summary.accepted_pairs += 1;
                    linked.extend([pair.left, pair.right]);
                    0
                }
                Decision::PairConflict => {
                    summary.pair_conflicts += 1;
                    let broken = limits.check(
                        &[pair.left, pair.right],
                        &records,
                        &observed.used,
                        false,
                        &mut scratch,
                    );
                    notes.push(Note {
                        text: format!(
                            "the pair would hold {}",
                            limits::describe(settings, &broken)
                        ),
                        broken,
                    });
                    index_u32(notes.len() - 1)
                }
                Decision::MergeRefused => {
                    summary.merge_refused_pairs += 1;
                    refusal_notes[refusal as usize]
                }
            };
            pairs.push(Pair {
                left: pair.left,
                right: pair.right,
                rule: index_u32(index),
                decision,
                scores: base + pair.scores,
                note,
            });
        }
        scores.extend_from_slice(&found.scores);
        linked.sort_unstable();
        linked.dedup();
        summary.linked_records = linked.len() as u64;
        skipped.extend(found.skipped.into_iter().map(|block| (index, block)));
        stages.push(summary);
    }

    reporter.begin("ids".to_owned(), rules + 2)?;
    let exclude = settings.guardrails.on_conflict == OnConflict::Exclude;
    let roots: Vec<u32> = (0..index_u32(records.len()))
        .map(|record| {
            let out =
                observed.missing[record as usize] || (exclude && clusters.frozen[record as usize]);
            if out { NONE } else { clusters.root(record) }
        })
        .collect();
    let mut profiles = Profiles::from_roots(&roots, &clusters.frozen);
    let (ids, redirects) = ids::assign(settings, &records, &profiles, previous);
    profiles.ids = ids;
    let profiles = profiles.into_id_order();
    let status = (0..records.len())
        .map(|record| {
            if observed.missing[record] {
                RecordStatus::Missing
            } else if clusters.frozen[record] {
                RecordStatus::Conflict
            } else if profiles.members(profiles.of_record[record]).len() > 1 {
                RecordStatus::Matched
            } else {
                RecordStatus::Unique
            }
        })
        .collect();

    reporter.begin("golden".to_owned(), rules + 3)?;
    let sources = golden::Sources {
        settings,
        tables,
        columns: &columns,
        records: &records,
        observed: &observed,
        orders: &orders,
    };
    let golden = golden::golden(
        &sources,
        &profiles,
        workers,
        &mut reporter,
        chunking.profiles,
    )?;

    reporter.begin("report".to_owned(), rules + 4)?;
    let Clusters {
        conflict_of,
        refusals,
        ..
    } = clusters;
    let mut resolution = Resolution {
        settings: settings.clone(),
        records,
        bad,
        observed,
        orders,
        stages,
        pairs,
        scores,
        notes,
        refusals,
        status,
        conflict_of,
        profiles,
        golden,
        redirects,
        skipped,
        report: Report::default(),
        model_metrics: Vec::new(),
        identifier_metrics: Vec::new(),
    };
    // Hashing the input for the run ID and the two metric tables read the finished resolution independently.
    let (run_id, (model_metrics, identifier_metrics)) = join(
        workers,
        || metrics::run_id(settings, tables),
        || {
            (
                metrics::model_metrics(&resolution, tables),
                metrics::identifier_metrics(&resolution),
            )
        },
    );
    resolution.model_metrics = model_metrics;
    resolution.identifier_metrics = identifier_metrics;
    resolution.report = metrics::report(&resolution, run_id);
    reporter.step(1, 1)?;
    Ok(resolution)
}

pub(crate) use text::index_u32;

#[cfg(test)]
mod tests;
