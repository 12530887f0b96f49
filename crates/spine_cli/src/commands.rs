//! The commands `validate`, `run` (with event stitching when the graph has event models), `demo` and `evaluate`.

use crate::Outcome;
use crate::input::{read_header, read_table, read_text};
use crate::parallel;
use crate::progress::Bars;
use anyhow::{Context, Result, anyhow, bail};
use spine_core::demo;
use spine_core::resolve::{self, Previous};
use spine_core::validate::{self, DataShape, Diagnostic};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `spine validate GRAPH [--data DIR]`: every problem on its own line, exit code 1 when there is one.
pub fn validate(graph: &Path, data: Option<&Path>) -> Result<Outcome> {
    let json = read_text(graph)?;
    let shape = data.map(shape_of_folder).transpose()?;
    let mut out = io::stdout().lock();
    match validate::load_settings(&json, shape.as_ref()) {
        Ok(settings) => {
            writeln!(
                out,
                "{}: valid: {} models, {} identifiers, {} rules",
                graph.display(),
                settings.models.len(),
                settings.identifiers.len(),
                settings.rules.len()
            )?;
            Ok(Outcome::Clean)
        }
        Err(problems) => {
            for problem in &problems {
                writeln!(out, "{}: {problem}", graph.display())?;
            }
            Ok(Outcome::Findings)
        }
    }
}

/// The columns of every `*.csv` of a folder, by file stem.
fn shape_of_folder(dir: &Path) -> Result<DataShape> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read the folder {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|extension| extension == "csv") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut shape = DataShape::default();
    for path in paths {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        shape.models.insert(name, read_header(&path)?);
    }
    Ok(shape)
}

/// The options of `spine run` besides the graph.
#[derive(Debug)]
pub struct RunInputs {
    pub data: Option<PathBuf>,
    /// `MODEL=FILE` overrides.
    pub models: Vec<String>,
    pub out: PathBuf,
    pub previous: Option<PathBuf>,
    /// Print the time each stage took to stderr.
    pub timings: bool,
}

/// The output tables that grow fastest with the input (about this order at a million records).
const LARGEST_TABLES: [&str; 7] = [
    "identity_golden_lineage",
    "identity_lookup",
    "identity_matched_ids",
    "match_pairs",
    "identity_golden",
    "identity_match",
    "identity_event_links",
];

/// One piece of the work after the resolution, done side by side with the others.
#[derive(Debug, PartialEq, Eq)]
enum Job<'a> {
    /// Stitch the events to the profiles, then write the event tables.
    Stitch,
    /// Write one of the resolution's tables.
    Table(&'a str),
}

/// `spine run GRAPH --data DIR --out OUT [--model M=FILE ...] [--previous DIR]`.
pub fn run(graph_path: &Path, inputs: &RunInputs) -> Result<Outcome> {
    let started = Instant::now();
    let json = read_text(graph_path)?;
    let graph =
        validate::parse_graph(&json).map_err(|problems| invalid_graph(graph_path, &problems))?;
    let mut names: Vec<&str> = graph
        .models
        .iter()
        .map(|model| model.name.as_str())
        .collect();
    let profile_models = names.len();
    if let Some(events) = &graph.events {
        names.extend(events.models.iter().map(|model| model.name.as_str()));
    }
    let files = model_files(&names, inputs)?;

    // Every file is read once, whole, and parsed into a table; its header is the data shape validation checks.
    let mut bars = Bars::for_stderr();
    bars.stage("read files", files.len() as u64);
    let loaded = parallel::map(&files, |path| {
        let table = read_table(path);
        bars.step();
        table
    });
    let mut tables = Vec::with_capacity(files.len());
    let mut shape = DataShape::default();
    for (name, table) in names.iter().zip(loaded) {
        let table = table.with_context(|| format!("cannot load model `{name}`"))?;
        shape
            .models
            .insert((*name).to_owned(), table.columns.clone());
        tables.push(table);
    }
    bars.stage("validate", 0);
    let settings = validate::validate(&graph, Some(&shape))
        .map_err(|problems| invalid_graph(graph_path, &problems))?;
    let previous = inputs.previous.as_deref().map(read_previous).transpose()?;

    let resolution = resolve::resolve_with(
        &settings,
        &tables[..profile_models],
        previous.as_ref(),
        &mut bars,
        &parallel::Cores,
    )?;
    // Events are stitched to the profiles when the graph has event models (SPEC section 7). Stitching reads
    // only the finished resolution, so it runs as one more job beside the writing of the resolution's tables
    // (validation has already checked the event files' columns, so it fails only on a bug) and then writes the
    // event tables itself.
    let events = &tables[profile_models..];
    let mut jobs: Vec<Job<'_>> = Vec::new();
    if settings.events.is_some() {
        jobs.push(Job::Stitch);
    }
    let mut resolution_tables = resolution.table_names();
    // The largest tables start first so that the cores finish together.
    resolution_tables.sort_by_key(|name| {
        LARGEST_TABLES
            .iter()
            .position(|large| large == name)
            .unwrap_or(LARGEST_TABLES.len())
    });
    jobs.extend(resolution_tables.into_iter().map(Job::Table));

    std::fs::create_dir_all(&inputs.out)
        .with_context(|| format!("cannot create the output folder {}", inputs.out.display()))?;
    let write = |name: &str, table: &dyn Fn(&mut File) -> io::Result<()>| -> Result<()> {
        let path = inputs.out.join(format!("{name}.csv"));
        let write = || -> io::Result<()> {
            // The engine's table writers hand over blocks of 64 KiB, so a buffer here would only copy them again.
            let mut out = File::create(&path)?;
            table(&mut out)?;
            out.flush()
        };
        write().with_context(|| format!("cannot write {}", path.display()))
    };
    bars.stage(
        if jobs.first() == Some(&Job::Stitch) {
            "stitch events, write tables"
        } else {
            "write tables"
        },
        jobs.len() as u64,
    );
    let written = parallel::map(&jobs, |job| {
        let result = match job {
            Job::Stitch => spine_core::events::stitch(&resolution, events)
                .map_err(anyhow::Error::from)
                .and_then(|stitching| {
                    let names = stitching.table_names();
                    for &name in &names {
                        write(name, &|out| stitching.write_table(name, out))?;
                    }
                    Ok(names.len())
                }),
            Job::Table(name) => write(name, &|out| resolution.write_table(name, out)).map(|()| 1),
        };
        bars.step();
        result
    });
    drop(tables);
    let table_count = written.into_iter().sum::<Result<usize>>()?;
    bars.finish();
    if inputs.timings {
        let mut err = io::stderr().lock();
        for (stage, took) in bars.timings() {
            writeln!(err, "{:>8.3} s  {stage}", took.as_secs_f64())?;
        }
    }

    let report = resolution.report();
    let resolved = report.matched + report.unique;
    let rate = if report.total_records == 0 {
        0.0
    } else {
        100.0 * resolved as f64 / report.total_records as f64
    };
    writeln!(
        io::stdout().lock(),
        "Resolved {} records from {} models into {} profiles in {:.2} s: {} matched, {} unique, {} conflict, {} \
         missing or unusable (resolution rate {rate:.1}%). Wrote {} tables to {}.",
        report.total_records,
        profile_models,
        report.golden_records,
        started.elapsed().as_secs_f64(),
        report.matched,
        report.unique,
        report.conflict,
        report.missing,
        table_count,
        inputs.out.display()
    )?;
    Ok(Outcome::Clean)
}

/// The file of each model: `--model NAME=FILE` when given, `DIR/NAME.csv` otherwise.
fn model_files(names: &[&str], inputs: &RunInputs) -> Result<Vec<PathBuf>> {
    let mut overrides: BTreeMap<&str, PathBuf> = BTreeMap::new();
    for option in &inputs.models {
        let Some((name, file)) = option
            .split_once('=')
            .filter(|(name, file)| !name.is_empty() && !file.is_empty())
        else {
            bail!(
                "--model {option}: write MODEL=FILE, for example --model crm=exports/contacts.csv"
            );
        };
        if !names.contains(&name) {
            bail!(
                "--model {option}: the identity graph has no model named `{name}`; its models are {}",
                names.join(", ")
            );
        }
        overrides.insert(name, PathBuf::from(file));
    }
    names
        .iter()
        .map(|name| match (overrides.remove(name), &inputs.data) {
            (Some(path), _) => Ok(path),
            (None, Some(dir)) => Ok(dir.join(format!("{name}.csv"))),
            (None, None) => Err(anyhow!("model `{name}` has no file: give --data DIR (for DIR/{name}.csv) or --model {name}=FILE")),
        })
        .collect()
}

fn read_previous(dir: &Path) -> Result<Previous> {
    let identity_match =
        read_table(&dir.join("identity_match.csv")).context("cannot read the previous run")?;
    let redirects_path = dir.join("identity_redirects.csv");
    let redirects = if redirects_path.exists() {
        Some(read_table(&redirects_path).context("cannot read the previous run")?)
    } else {
        None
    };
    Ok(Previous::from_tables(&identity_match, redirects.as_ref())?)
}

/// One error listing every problem of an identity graph, each as `GRAPH: <path>: <message>`.
pub(crate) fn invalid_graph(graph: &Path, problems: &[Diagnostic]) -> anyhow::Error {
    let mut text = format!(
        "{}: the identity graph is not valid ({} problems):",
        graph.display(),
        problems.len()
    );
    for problem in problems {
        text.push_str(&format!("\n  {}: {problem}", graph.display()));
    }
    anyhow!(text)
}

/// `spine sql GRAPH --dialect D [--schema S] [--out FILE]`: the warehouse script, or why the dialect cannot run
/// the graph.
pub fn sql(
    graph_path: &Path,
    dialect: &str,
    options: &spine_sql::SqlOptions,
    out: Option<&Path>,
) -> Result<Outcome> {
    let dialect = dialect_named(dialect)?;
    let json = read_text(graph_path)?;
    let graph =
        validate::parse_graph(&json).map_err(|problems| invalid_graph(graph_path, &problems))?;
    let settings = validate::validate(&graph, None)
        .map_err(|problems| invalid_graph(graph_path, &problems))?;
    let script = spine_sql::compile(&settings, dialect, options).map_err(|refusal| {
        anyhow!(
            "{}: cannot write {} SQL for this identity graph: {refusal}",
            graph_path.display(),
            dialect
        )
    })?;
    match out {
        Some(path) => std::fs::write(path, script)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => io::stdout().write_all(script.as_bytes())?,
    }
    Ok(Outcome::Clean)
}

fn dialect_named(name: &str) -> Result<spine_sql::Dialect> {
    spine_sql::Dialect::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = spine_sql::Dialect::ALL.iter().map(|d| d.name()).collect();
        anyhow!("unknown dialect `{name}`: use one of {}", names.join(", "))
    })
}

/// `spine lookup GRAPH --data DIR --out FILE`: the spine_lookup table of `spine sql --lookup`.
pub fn lookup(graph_path: &Path, data: &Path, dialect: &str, out: &Path) -> Result<Outcome> {
    let dialect = dialect_named(dialect)?;
    let json = read_text(graph_path)?;
    let graph =
        validate::parse_graph(&json).map_err(|problems| invalid_graph(graph_path, &problems))?;
    let mut names: Vec<&str> = graph.models.iter().map(|m| m.name.as_str()).collect();
    if let Some(events) = &graph.events {
        names.extend(events.models.iter().map(|m| m.name.as_str()));
    }
    let mut tables = Vec::with_capacity(names.len());
    let mut shape = DataShape::default();
    for name in &names {
        let table = read_table(&data.join(format!("{name}.csv")))
            .with_context(|| format!("cannot load model `{name}`"))?;
        shape
            .models
            .insert((*name).to_owned(), table.columns.clone());
        tables.push(table);
    }
    let settings = validate::validate(&graph, Some(&shape))
        .map_err(|problems| invalid_graph(graph_path, &problems))?;
    let csv = spine_sql::lookup_csv(&settings, dialect, &tables);
    std::fs::write(out, csv).with_context(|| format!("cannot write {}", out.display()))?;
    Ok(Outcome::Clean)
}

/// `spine demo --out DIR [--records N --seed S]`.
pub fn demo(out: &Path, synthetic: Option<(usize, u64)>) -> Result<Outcome> {
    let set = match synthetic {
        Some((records, seed)) => demo::synthetic(records, seed),
        None => demo::demo_set(),
    };
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the folder {}", out.display()))?;
    let mut files: Vec<(String, &str)> = set
        .models
        .iter()
        .chain(&set.events)
        .map(|file| (format!("{}.csv", file.name), file.text.as_str()))
        .collect();
    files.push(("graph.json".to_owned(), &set.graph_json));
    files.push(("truth.csv".to_owned(), &set.truth));
    for (name, text) in &files {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let records: usize = set
        .models
        .iter()
        .map(|file| file.text.lines().count().saturating_sub(1))
        .sum();
    let events: usize = set
        .events
        .iter()
        .map(|file| file.text.lines().count().saturating_sub(1))
        .sum();
    writeln!(
        io::stdout().lock(),
        "Wrote {records} records in {} models, {events} events, graph.json and truth.csv to {}.",
        set.models.len(),
        out.display()
    )?;
    Ok(Outcome::Clean)
}

/// `spine evaluate --truth TRUTH.csv --match OUT/identity_match.csv`.
pub fn evaluate(truth: &Path, identity_match: &Path) -> Result<Outcome> {
    let truth = read_table(truth)?;
    let matches = read_table(identity_match)?;
    let scores = demo::pairwise_scores(&truth, &matches)?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "records    {} ({} in profiles)",
        scores.records, scores.resolved
    )?;
    writeln!(
        out,
        "pairs      {} true, {} predicted, {} correct",
        scores.true_pairs, scores.predicted_pairs, scores.correct_pairs
    )?;
    writeln!(out, "precision  {:.4}", scores.precision)?;
    writeln!(out, "recall     {:.4}", scores.recall)?;
    writeln!(out, "f1         {:.4}", scores.f1)?;
    Ok(Outcome::Clean)
}
