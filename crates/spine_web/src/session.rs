//! The worker's memory and its answers: the loaded files, the last run and the run before it, and the handler
//! that turns each [`Request`] into responses. Plain Rust with no JavaScript, so it is tested directly.

use crate::csv_safe::neutralise;
use crate::inspect::{model_name, summarize};
use crate::protocol::{
    CellView, ChangeList, CsvFile, EventsData, FileSummary, GoldenCell, PairRow, Problem,
    ProfileDetail, ProfileRow, ProfilesPage, RecordCard, RecordFate, RecordId, RecordsExplanation,
    Request, Response, ReviewData, RunProgress, RunSummary, StageRow, Suspect, TableData, Totals,
    WhatIfPage,
};
use crate::whatif::{Comparison, comparison};
use spine_core::diff::diff;
use spine_core::events::{Stitching, stitch};
use spine_core::explain::{ChainLink, CriterionScore, RefusedPair, RuleOutcome};
use spine_core::resolve::{Resolution, resolve};
use spine_core::settings::{GoldenSource, Settings};
use spine_core::validate::{DataShape, Diagnostic, parse_graph, validate};
use spine_core::{Control, Progress, Table, parse_csv, sort};
use std::collections::{BTreeMap, BTreeSet};

/// The largest file accepted, in bytes: the page refuses bigger ones before reading them.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// Golden records per page of the Profiles screen.
pub const PROFILES_PAGE: usize = 25;
/// Entries per page of a what-if list.
pub const WHAT_IF_PAGE: usize = 50;
/// Unresolved records sent to the Review screen.
const UNRESOLVED_SHOWN: usize = 200;
/// Warnings listed with a run's summary.
const WARNINGS_SHOWN: usize = 20;
/// Profiles offered in the cluster view's chooser.
const LARGEST_SHOWN: usize = 12;
/// The largest profile the run screen picks to show growing.
const SHOWCASE_MAX_RECORDS: usize = 24;
/// Suspicious profiles listed on the Review screen, most suspicious first.
const SUSPECTS_SHOWN: usize = 15;
/// Progress reports are sent at most this often (milliseconds), and on every new stage.
const PROGRESS_EVERY_MS: f64 = 80.0;

/// One loaded file.
struct Loaded {
    table: Table,
    summary: FileSummary,
}

/// A finished run and the indexes that answer queries about it.
struct Run {
    revision: u64,
    resolution: Resolution,
    /// The tables of the run, in `settings.models` order (a copy, so replacing a file later changes nothing).
    tables: Vec<Table>,
    settings: Settings,
    /// Profiles sorted by ID: (ID, lower-case search text, model and key of its first record).
    index: Vec<(String, String, (String, String))>,
    /// Events attached to the profiles, when the graph has event models.
    stitching: Option<Stitching>,
}

/// Everything the worker holds between requests.
#[derive(Default)]
pub struct Session {
    /// Loaded files by model name.
    files: BTreeMap<String, Loaded>,
    run: Option<Run>,
    comparison: Option<Comparison>,
}

/// A clock in milliseconds, for progress pacing and the run's duration (outside the engine).
pub type Clock<'a> = &'a dyn Fn() -> f64;

impl Session {
    /// Answers one request; `out` receives every response (a run sends progress before its result).
    pub fn handle(&mut self, request: Request, clock: Clock<'_>, out: &mut dyn FnMut(Response)) {
        match request {
            Request::Load { files, fresh } => out(self.load(files, None, fresh)),
            Request::LoadDemo { only, fresh } => {
                let set = spine_core::demo::demo_set();
                let files = set
                    .models
                    .iter()
                    .chain(&set.events)
                    .map(|file| format!("{}.csv", file.name))
                    .zip(set.models.iter().chain(&set.events))
                    .filter(|(name, _)| only.as_ref().is_none_or(|only| only.contains(name)))
                    .map(|(name, file)| CsvFile {
                        name,
                        bytes: file.text.as_bytes().to_vec(),
                    })
                    .collect();
                out(self.load(files, Some(set.graph_json), fresh));
            }
            Request::Remove { file } => {
                self.files.retain(|_, loaded| loaded.summary.file != file);
                out(Response::Removed { file });
            }
            Request::Validate {
                revision,
                graph_json,
            } => {
                let problems = match self.settings(&graph_json) {
                    Ok(_) => Vec::new(),
                    Err(problems) => problems,
                };
                out(Response::Validated { revision, problems });
            }
            Request::Run {
                revision,
                graph_json,
            } => self.run(revision, &graph_json, clock, out),
            Request::ProfilesPage { search, page } => out(self.profiles_page(search, page)),
            Request::Profile { id } => out(self.profile(&id)),
            Request::Review => out(self.review()),
            Request::Table { name } => out(self.table(&name)),
            Request::WhatIf { list, page } => out(self.what_if(list, page)),
            Request::ExplainRecords { left, right } => out(self.explain_records(&left, &right)),
            Request::Events => out(self.events()),
            Request::Sql {
                graph_json,
                dialect,
            } => out(self.sql(&graph_json, &dialect)),
            Request::Parse { file, json } => out(Response::Parsed {
                file,
                problems: parse_graph(&json).err().map(problems).unwrap_or_default(),
            }),
        }
    }

    fn load(&mut self, files: Vec<CsvFile>, demo_graph: Option<String>, fresh: bool) -> Response {
        let mut summaries = Vec::new();
        let mut errors = Vec::new();
        for file in files {
            let bytes = file.bytes.len() as u64;
            if bytes > MAX_FILE_BYTES {
                errors.push(format!(
                    "{}: the file is {} MB, over the 200 MB limit; upload a sample of its rows",
                    file.name,
                    bytes / (1024 * 1024)
                ));
                continue;
            }
            match parse_csv(&file.name, &file.bytes) {
                Ok(table) => {
                    let summary = summarize(&file.name, bytes, &table);
                    summaries.push(summary.clone());
                    self.files
                        .insert(model_name(&file.name), Loaded { table, summary });
                }
                Err(error) => errors.push(error.to_string()),
            }
        }
        Response::Loaded {
            files: summaries,
            errors,
            demo_graph,
            fresh,
        }
    }

    fn shape(&self) -> DataShape {
        // Extended rather than collected: collecting into a map sorts first, another copy of the sort code, for
        // keys that already come in order.
        let mut models = BTreeMap::new();
        models.extend(
            self.files
                .iter()
                .map(|(model, loaded)| (model.clone(), loaded.table.columns.clone())),
        );
        DataShape { models }
    }

    /// Parses and validates a graph against the loaded files (or alone when none is loaded).
    fn settings(&self, graph_json: &str) -> Result<Settings, Vec<Problem>> {
        let graph = parse_graph(graph_json).map_err(problems)?;
        let shape = self.shape();
        let data = (!self.files.is_empty()).then_some(&shape);
        validate(&graph, data).map_err(problems)
    }

    /// The warehouse SQL of a graph; steps the dialect cannot express go through a lookup table computed from
    /// the loaded files.
    fn sql(&self, graph_json: &str, dialect: &str) -> Response {
        let failed = |message: String| Response::SqlFailed { message };
        let Some(dialect) = spine_sql::Dialect::from_name(dialect) else {
            return failed(format!("There is no SQL dialect named '{dialect}'."));
        };
        let settings = match self.settings(graph_json) {
            Ok(settings) => settings,
            Err(problems) => {
                return failed(format!(
                    "The identity graph has {} problem(s); fix them to export SQL.",
                    problems.len()
                ));
            }
        };
        let plain = spine_sql::SqlOptions::default();
        let refusal = match spine_sql::compile(&settings, dialect, &plain) {
            Ok(script) => {
                return Response::Sql {
                    dialect: dialect.name().to_owned(),
                    script,
                    lookup_csv: None,
                    note: None,
                };
            }
            Err(refusal) => refusal,
        };
        let with_lookup = spine_sql::SqlOptions {
            lookup: true,
            ..plain
        };
        let Ok(script) = spine_sql::compile(&settings, dialect, &with_lookup) else {
            return failed(format!(
                "This identity graph cannot be written as {dialect} SQL: {refusal}."
            ));
        };
        let names = settings.models.iter().map(|m| &m.name).chain(
            settings
                .events
                .iter()
                .flat_map(|e| e.models.iter().map(|m| &m.name)),
        );
        let mut tables = Vec::new();
        for name in names {
            match self.files.get(name) {
                Some(file) => tables.push(file.table.clone()),
                None => {
                    return failed(format!(
                        "{refusal}. Load the file of model '{name}' so its values can go into spine_lookup."
                    ));
                }
            }
        }
        Response::Sql {
            dialect: dialect.name().to_owned(),
            script,
            lookup_csv: Some(spine_sql::lookup_csv(&settings, dialect, &tables)),
            note: Some(format!(
                "{refusal}. The script reads those values from a table spine_lookup: load spine_lookup.csv \
                 next to the model tables (or write it in production with `spine lookup`)."
            )),
        }
    }

    fn run(
        &mut self,
        revision: u64,
        graph_json: &str,
        clock: Clock<'_>,
        out: &mut dyn FnMut(Response),
    ) {
        let started = clock();
        let fail = |message: String, problems: Vec<Problem>| Response::Failed {
            revision,
            message,
            problems,
        };
        if self.files.is_empty() {
            out(fail(
                "Load data first: there is no file to resolve.".to_owned(),
                Vec::new(),
            ));
            return;
        }
        let settings = match self.settings(graph_json) {
            Ok(settings) => settings,
            Err(problems) => {
                out(fail(
                    format!(
                        "The identity graph has {} problem(s); fix them and run again.",
                        problems.len()
                    ),
                    problems,
                ));
                return;
            }
        };
        if settings.models.is_empty() {
            out(fail(
                "The identity graph has no model: add one on the Data screen.".to_owned(),
                Vec::new(),
            ));
            return;
        }
        let tables: Vec<Table> = settings
            .models
            .iter()
            .filter_map(|model| self.files.get(&model.name).map(|f| f.table.clone()))
            .collect();
        let mut last_stage = usize::MAX;
        let mut last_sent = f64::MIN;
        let mut sink = |progress: &Progress<'_>| {
            let now = clock();
            if progress.stage_index != last_stage || now - last_sent >= PROGRESS_EVERY_MS {
                last_stage = progress.stage_index;
                last_sent = now;
                out(Response::Progress(RunProgress {
                    revision,
                    stage: progress.stage.to_owned(),
                    stage_index: progress.stage_index,
                    stage_count: progress.stage_count,
                    done: progress.done,
                    total: progress.total,
                }));
            }
            Control::Continue
        };
        let resolution = match resolve(&settings, &tables, None, &mut sink) {
            Ok(resolution) => resolution,
            Err(error) => {
                out(fail(error.to_string(), Vec::new()));
                return;
            }
        };
        // Events are stitched to the profiles when the graph has event models (SPEC section 7).
        let stitching = match &settings.events {
            Some(events) => {
                let tables: Vec<Table> = events
                    .models
                    .iter()
                    .filter_map(|model| self.files.get(&model.name).map(|f| f.table.clone()))
                    .collect();
                match stitch(&resolution, &tables) {
                    Ok(stitching) => Some(stitching),
                    Err(error) => {
                        out(fail(error.to_string(), Vec::new()));
                        return;
                    }
                }
            }
            None => None,
        };
        let engine_ms = clock() - started;
        let mut run = Run::new(revision, resolution, tables, settings);
        run.stitching = stitching;
        // The run before is only kept until the engine has compared the two.
        self.comparison = self
            .run
            .take()
            .map(|before| comparison(before.revision, diff(&before.resolution, &run.resolution)));
        let summary = run.summary(self.comparison.as_ref(), engine_ms, clock() - started);
        self.run = Some(run);
        out(Response::Done(Box::new(summary)));
    }

    fn profiles_page(&self, search: String, page: usize) -> Response {
        let Some(run) = &self.run else {
            return Response::NoRun;
        };
        let needle = search.trim().to_lowercase();
        let matching: Vec<&(String, String, (String, String))> = run
            .index
            .iter()
            .filter(|(_, text, _)| needle.is_empty() || text.contains(&needle))
            .collect();
        let rows = matching
            .iter()
            .skip(page * PROFILES_PAGE)
            .take(PROFILES_PAGE)
            .filter_map(|(_, _, (model, key))| run.resolution.profile_of(model, key))
            .map(|profile| {
                // Extended rather than collected: collecting sorts first, another copy of the sort code.
                let mut models: BTreeSet<&str> = BTreeSet::new();
                models.extend(profile.records.iter().map(|r| r.model));
                ProfileRow {
                    id: profile.id.to_owned(),
                    records: profile.records.len(),
                    models: models.len(),
                    conflict: profile.conflict,
                    values: profile.golden.iter().map(|g| g.value.to_owned()).collect(),
                }
            })
            .collect();
        Response::ProfilesPage(ProfilesPage {
            search,
            page,
            page_size: PROFILES_PAGE,
            total: matching.len(),
            fields: run.settings.golden.iter().map(|f| f.name.clone()).collect(),
            rows,
        })
    }

    fn profile(&self, id: &str) -> Response {
        let Some(run) = &self.run else {
            return Response::NoRun;
        };
        match run
            .index
            .binary_search_by(|(other, _, _)| other.as_str().cmp(id))
        {
            Ok(position) => {
                let (model, key) = run.index[position].2.clone();
                run.detail(&model, &key).map_or_else(
                    || Response::NoProfile { id: id.to_owned() },
                    |d| Response::Profile(Box::new(d)),
                )
            }
            Err(_) => Response::NoProfile { id: id.to_owned() },
        }
    }

    fn review(&self) -> Response {
        match &self.run {
            Some(run) => Response::Review(Box::new(run.review())),
            None => Response::NoRun,
        }
    }

    fn table(&self, name: &str) -> Response {
        let Some(run) = &self.run else {
            return Response::NoRun;
        };
        let csv = run
            .resolution
            .table_csv(name)
            .or_else(|| run.stitching.as_ref().and_then(|s| s.table_csv(name)))
            .map(|csv| neutralise(&csv))
            .unwrap_or_default();
        Response::Table {
            name: name.to_owned(),
            csv,
        }
    }

    fn explain_records(&self, left: &RecordId, right: &RecordId) -> Response {
        let Some(run) = &self.run else {
            return Response::NoRun;
        };
        let explained = run.resolution.explain_records(
            (left.model.as_str(), left.key.as_str()),
            (right.model.as_str(), right.key.as_str()),
        );
        match explained {
            Ok(explanation) => {
                let fate = |state: spine_core::explain::RecordState| RecordFate {
                    model: state.model,
                    key: state.key,
                    status: state.status,
                    profile: state.profile_id,
                };
                Response::Explained(Box::new(RecordsExplanation {
                    same_profile: explanation.same_profile,
                    verdicts: explanation
                        .rules
                        .iter()
                        .map(|v| {
                            let joined = matches!(v.outcome, RuleOutcome::Joined);
                            (v.stage, v.rule.clone(), joined, v.outcome.sentence())
                        })
                        .collect(),
                    left: fate(explanation.left),
                    right: fate(explanation.right),
                }))
            }
            Err(error) => Response::ExplainFailed {
                message: error.to_string(),
            },
        }
    }

    fn events(&self) -> Response {
        let Some(run) = &self.run else {
            return Response::NoRun;
        };
        let Some(stitching) = &run.stitching else {
            return Response::ExplainFailed {
                message: "The last run had no event model to stitch.".to_owned(),
            };
        };
        let data = |name: &str| {
            stitching
                .table_csv(name)
                .and_then(|csv| parse_csv(name, csv.as_bytes()).ok())
                .map(|table| table_data(&table))
                .unwrap_or_default()
        };
        let mut unstitched = data("identity_unstitched_events");
        let unstitched_total = unstitched.rows.len();
        unstitched.rows.truncate(UNRESOLVED_SHOWN);
        Response::Events(Box::new(EventsData {
            events: stitching.event_count() as u64,
            metrics: data("identity_event_metrics"),
            unstitched,
            unstitched_total,
        }))
    }

    fn what_if(&self, list: ChangeList, page: usize) -> Response {
        let Some(comparison) = &self.comparison else {
            return Response::NoRun;
        };
        let items = comparison.list(list);
        Response::WhatIf(WhatIfPage {
            list,
            page,
            page_size: WHAT_IF_PAGE,
            total: items.len(),
            items: items
                .iter()
                .skip(page * WHAT_IF_PAGE)
                .take(WHAT_IF_PAGE)
                .cloned()
                .collect(),
        })
    }
}

impl Run {
    fn new(revision: u64, resolution: Resolution, tables: Vec<Table>, settings: Settings) -> Self {
        let mut index = Vec::with_capacity(resolution.profile_count());
        for profile in resolution.profiles() {
            let mut text = profile.id.to_lowercase();
            for value in &profile.golden {
                text.push('\u{1f}');
                text.push_str(&value.value.to_lowercase());
            }
            let first = profile
                .records
                .first()
                .map(|r| (r.model.to_owned(), r.key.to_owned()));
            if let Some(first) = first {
                index.push((profile.id.to_owned(), text, first));
            }
        }
        sort::sort_by(&mut index, |a, b| a.0.cmp(&b.0));
        Self {
            revision,
            resolution,
            tables,
            settings,
            index,
            stitching: None,
        }
    }

    fn summary(
        &self,
        comparison: Option<&Comparison>,
        engine_ms: f64,
        elapsed_ms: f64,
    ) -> RunSummary {
        let totals = self.totals();
        let stages = self
            .resolution
            .stages()
            .iter()
            .map(|s| StageRow {
                stage: s.stage,
                rule: s.rule.clone(),
                applicable: s.applicable_records,
                candidate_pairs: s.candidate_pairs,
                accepted_pairs: s.accepted_pairs,
                refused_pairs: s.pair_conflicts + s.merge_refused_pairs,
                merges: s.merges,
                merges_refused: s.merges_refused,
                conflict_records: s.conflict_records,
                profiles_after: s.profiles_after,
            })
            .collect();
        let mut largest: Vec<(String, u64)> = Vec::new();
        // The showcase: most sources, then most records up to a drawable size, then the smallest ID.
        let mut showcase: Option<(usize, usize, String)> = None;
        for profile in self.resolution.profiles() {
            let records = profile.records.len();
            largest.push((profile.id.to_owned(), records as u64));
            let mut models: Vec<&str> = profile.records.iter().map(|r| r.model).collect();
            sort::sort_unstable(&mut models);
            models.dedup();
            if records <= SHOWCASE_MAX_RECORDS {
                let better = showcase
                    .as_ref()
                    .is_none_or(|(m, r, _)| (models.len(), records) > (*m, *r));
                if better {
                    showcase = Some((models.len(), records, profile.id.to_owned()));
                }
            }
        }
        sort::sort_by(&mut largest, |a, b| {
            b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
        });
        largest.truncate(LARGEST_SHOWN);
        let warnings = self.resolution.warnings();
        RunSummary {
            revision: self.revision,
            elapsed_ms,
            engine_ms,
            initial_profiles: totals.records - totals.missing,
            totals,
            stages,
            cluster_sizes: self.resolution.cluster_sizes(),
            largest,
            showcase: showcase.map(|(_, _, id)| id),
            tables: self
                .resolution
                .table_names()
                .into_iter()
                .chain(self.stitching.iter().flat_map(Stitching::table_names))
                .map(str::to_owned)
                .collect(),
            golden_fields: self
                .settings
                .golden
                .iter()
                .map(|f| f.name.clone())
                .collect(),
            warning_count: warnings.len(),
            warnings: warnings
                .iter()
                .take(WARNINGS_SHOWN)
                .map(ToString::to_string)
                .collect(),
            what_if: comparison.map(|c| c.summary.clone()),
            events: self.stitching.as_ref().map(|s| {
                // The first metrics row covers every model and identifier.
                let all = s.metrics().first();
                (
                    s.event_count() as u64,
                    all.map_or(0, |m| m.stitched + m.backfilled),
                )
            }),
        }
    }

    fn detail(&self, model: &str, key: &str) -> Option<ProfileDetail> {
        let (id, conflict, records, golden) = {
            let profile = self.resolution.profile_of(model, key)?;
            let records: Vec<(String, String)> = profile
                .records
                .iter()
                .map(|r| (r.model.to_owned(), r.key.to_owned()))
                .collect();
            let golden: Vec<GoldenCell> = profile
                .golden
                .iter()
                .map(|g| GoldenCell {
                    field: g.field.to_owned(),
                    value: g.value.to_owned(),
                    model: g.source.map(|s| s.model.to_owned()).unwrap_or_default(),
                    key: g.source.map(|s| s.key.to_owned()).unwrap_or_default(),
                    strategy: g.strategy.as_str().to_owned(),
                })
                .collect();
            (profile.id.to_owned(), profile.conflict, records, golden)
        };
        let mut cards = Vec::with_capacity(records.len());
        for (model, key) in &records {
            let Some(index) = self.settings.models.iter().position(|m| &m.name == model) else {
                continue;
            };
            let row = self.resolution.record_row(model, key);
            let table = &self.tables[index];
            let definition = &self.settings.models[index];
            let cells = table
                .columns
                .iter()
                .enumerate()
                .map(|(column, name)| {
                    let won: Vec<String> = golden
                        .iter()
                        .zip(&self.settings.golden)
                        .filter(|(cell, _)| {
                            &cell.model == model && &cell.key == key && !cell.value.is_empty()
                        })
                        .filter(|(_, field)| {
                            golden_column(&self.settings, definition, &field.source, name)
                        })
                        .map(|(cell, _)| cell.field.clone())
                        .collect();
                    CellView {
                        column: name.clone(),
                        value: row
                            .map(|r| table.cell(r, column).to_owned())
                            .unwrap_or_default(),
                        golden: won,
                    }
                })
                .collect();
            cards.push(RecordCard {
                model: model.clone(),
                key: key.clone(),
                status: self
                    .resolution
                    .record_status(model, key)
                    .map_or("", |s| s.as_str())
                    .to_owned(),
                cells,
            });
        }
        let pairs = self
            .resolution
            .profile_pairs(&id)
            .iter()
            .map(|p| pair_row(&self.settings, p))
            .collect();
        let (chain, refusals) = match self.resolution.explain_profile(&id) {
            Ok(explanation) => (
                explanation.chain.iter().map(chain_row).collect(),
                explanation.refusals.iter().map(refusal_row).collect(),
            ),
            Err(_) => (Vec::new(), Vec::new()),
        };
        Some(ProfileDetail {
            id,
            conflict,
            records: cards,
            golden,
            pairs,
            chain,
            refusals,
            rules: self.settings.rules.iter().map(|r| r.name.clone()).collect(),
        })
    }

    /// The run's key numbers, from the engine's golden report.
    fn totals(&self) -> Totals {
        let report = self.resolution.report();
        Totals {
            run_id: report.run_id.clone(),
            records: report.total_records,
            matched: report.matched,
            unique: report.unique,
            conflict: report.conflict,
            missing: report.missing,
            golden: report.golden_records,
            emitted: report.emitted_records,
        }
    }

    fn review(&self) -> ReviewData {
        let totals = self.totals();
        let table = |name: &str| self.table_data(name);
        let mut unresolved = table("identity_unresolved_records");
        let reason_column = unresolved.column("reason");
        let mut by_reason: Vec<(String, u64)> = [
            "missing_key",
            "duplicate_key",
            "missing_identifiers",
            "conflict",
        ]
        .map(|r| (r.to_owned(), 0))
        .to_vec();
        if let Some(column) = reason_column {
            for row in &unresolved.rows {
                if let Some(entry) = by_reason
                    .iter_mut()
                    .find(|(reason, _)| *reason == row[column])
                {
                    entry.1 += 1;
                }
            }
        }
        let unresolved_total = unresolved.rows.len();
        unresolved.rows.truncate(UNRESOLVED_SHOWN);
        ReviewData {
            totals,
            models: table("identity_model_metrics"),
            rules: table("identity_rule_metrics"),
            identifiers: table("identity_identifier_metrics"),
            unresolved,
            unresolved_total,
            unresolved_by_reason: by_reason,
            suspicious: self.suspects(),
        }
    }

    fn table_data(&self, name: &str) -> TableData {
        self.resolution
            .table_csv(name)
            .and_then(|csv| parse_csv(name, csv.as_bytes()).ok())
            .map(|table| table_data(&table))
            .unwrap_or_default()
    }

    /// The engine's ranking of suspicious profiles, each with its reasons in words.
    fn suspects(&self) -> Vec<Suspect> {
        self.resolution
            .suspicious_profiles()
            .into_iter()
            .take(SUSPECTS_SHOWN)
            .map(|p| Suspect {
                id: p.profile_id,
                records: p.records,
                reason: p
                    .reasons
                    .iter()
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect()
    }
}

/// `criterion=score;...` as `match_pairs` writes it.
fn scores_text(scores: &[CriterionScore]) -> String {
    let parts: Vec<String> = scores
        .iter()
        .map(|s| format!("{}={}", s.identifiers, s.score))
        .collect();
    parts.join(";")
}

fn chain_row(link: &ChainLink) -> PairRow {
    PairRow {
        left_model: link.left.model.clone(),
        left_key: link.left.key.clone(),
        right_model: link.right.model.clone(),
        right_key: link.right.key.clone(),
        stage: link.stage,
        rule: link.rule.clone(),
        scores: scores_text(&link.scores),
        decision: "accepted".to_owned(),
        detail: String::new(),
    }
}

fn refusal_row(pair: &RefusedPair) -> PairRow {
    PairRow {
        left_model: pair.left.model.clone(),
        left_key: pair.left.key.clone(),
        right_model: pair.right.model.clone(),
        right_key: pair.right.key.clone(),
        stage: pair.stage,
        rule: pair.rule.clone(),
        scores: String::new(),
        decision: pair.decision.clone(),
        detail: pair.detail.clone(),
    }
}

/// A parsed table as rows of text.
fn table_data(table: &Table) -> TableData {
    TableData {
        columns: table.columns.clone(),
        rows: (0..table.len())
            .map(|row| table.row(row).map(str::to_owned).collect())
            .collect(),
    }
}

/// Diagnostics as the page shows them.
fn problems(diagnostics: Vec<Diagnostic>) -> Vec<Problem> {
    diagnostics
        .into_iter()
        .map(|d| Problem {
            path: d.path,
            message: d.message,
        })
        .collect()
}

/// True when `column` of a model's record is where a golden field's value comes from.
fn golden_column(
    settings: &Settings,
    model: &spine_core::settings::Model,
    source: &GoldenSource,
    column: &str,
) -> bool {
    match source {
        GoldenSource::Field(field) => model.fields.iter().any(|(f, c)| f == field && c == column),
        GoldenSource::Identifier(identifier) => {
            model
                .identifiers
                .iter()
                .any(|m| m.identifier == *identifier && m.columns.iter().any(|c| c == column))
                && settings.identifiers.get(*identifier).is_some()
        }
    }
}

fn pair_row(settings: &Settings, pair: &spine_core::resolve::PairView<'_>) -> PairRow {
    let rule = settings.rules.get(pair.stage - 1);
    let scores: Vec<String> = pair
        .scores
        .iter()
        .enumerate()
        .map(|(index, score)| {
            let names: Vec<&str> = rule
                .and_then(|r| r.criteria.get(index))
                .map(|c| {
                    c.identifiers
                        .iter()
                        .map(|&i| settings.identifiers[i].name.as_str())
                        .collect()
                })
                .unwrap_or_default();
            format!("{}={score:.4}", names.join("|"))
        })
        .collect();
    PairRow {
        left_model: pair.left.model.to_owned(),
        left_key: pair.left.key.to_owned(),
        right_model: pair.right.model.to_owned(),
        right_key: pair.right.key.to_owned(),
        stage: pair.stage,
        rule: pair.rule.to_owned(),
        scores: scores.join(";"),
        decision: pair.decision.as_str().to_owned(),
        detail: pair.detail.to_owned(),
    }
}
