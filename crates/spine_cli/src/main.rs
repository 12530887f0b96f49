//! The `spine` command line: production runs of an identity graph over CSV files.
//!
//! Exit codes: 0 when all is well, 1 when the command found problems (an invalid identity graph for
//! `validate`), 2 when it could not do its job (unreadable or malformed input, an invalid graph for `run`).

mod analyze;
mod commands;
mod input;
mod parallel;
mod progress;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "spine",
    version,
    about = "Resolve customer records into one profile per person."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check an identity graph and print every problem as `GRAPH: <JSON path>: <message>`.
    Validate {
        /// The identity graph JSON file.
        graph: PathBuf,
        /// A folder with one `<model>.csv` per model: mapped columns are checked against their headers.
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
    /// Resolve the models' CSV files into profiles and write every output table to `OUT/<table>.csv`.
    Run {
        /// The identity graph JSON file.
        graph: PathBuf,
        /// The folder holding `<model>.csv` for each model and event model.
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The file of one model, instead of `DIR/<model>.csv` (repeat for several models).
        #[arg(long = "model", value_name = "MODEL=FILE")]
        models: Vec<String>,
        /// The folder to write the output tables to (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The output folder of the previous run: its `identity_match.csv` (and `identity_redirects.csv`, when
        /// present) carry profile IDs over.
        #[arg(long, value_name = "DIR")]
        previous: Option<PathBuf>,
        /// Print the time each stage took (reading, each engine stage, writing) to stderr.
        #[arg(long)]
        timings: bool,
    },
    /// Write the demo data set (or a synthetic one of any size): model and event CSVs, `graph.json` and the
    /// ground truth `truth.csv`.
    Demo {
        /// The folder to write to (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Generate a synthetic set of exactly this many profile records instead of the built-in set.
        #[arg(long, value_name = "N")]
        records: Option<usize>,
        /// The seed of the synthetic set: the same records and seed give the same files.
        #[arg(long, value_name = "S", requires = "records", default_value_t = 1)]
        seed: u64,
    },
    /// Explain a profile (the accepted pairs that joined it, the refusals around it) or why two records are
    /// not in one profile, rule by rule.
    Explain {
        /// The identity graph JSON file.
        graph: PathBuf,
        /// The folder holding `<model>.csv` for each model.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The profile ID to explain.
        #[arg(long, value_name = "ID")]
        profile: Option<String>,
        /// Two records to explain, each `MODEL:KEY`.
        #[arg(long, num_args = 2, value_names = ["MODEL:KEY", "MODEL:KEY"])]
        records: Vec<String>,
        /// Print JSON for machines instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Compare two identity graphs on the same data by record membership: profiles merged, split and
    /// unchanged, records moved and records whose status changed.
    Diff {
        /// The identity graph before the edit.
        before: PathBuf,
        /// The identity graph after the edit.
        after: PathBuf,
        /// The folder holding `<model>.csv` for each model.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Print JSON for machines instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Compile the identity graph into one SQL script that resolves it inside a warehouse: it reads each
    /// model from a table named after it and creates the output tables of `spine run`.
    Sql {
        /// The identity graph JSON file.
        graph: PathBuf,
        /// The SQL dialect: duckdb, spark, snowflake or bigquery.
        #[arg(long, value_name = "DIALECT")]
        dialect: String,
        /// The schema (dataset) holding the model tables and receiving the output tables.
        #[arg(long, value_name = "NAME")]
        schema: Option<String>,
        /// Write the script to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// A column of every model table holding the row's line in its file (named in duplicate_key details).
        #[arg(long, value_name = "NAME")]
        line_column: Option<String>,
        /// Carry profile IDs over from the tables previous_identity_match and previous_identity_redirects.
        #[arg(long)]
        previous: bool,
        /// Read the values of identifiers whose steps the dialect cannot express (phone, phonetic, ...) from
        /// a table spine_lookup written by `spine lookup`, instead of refusing the graph.
        #[arg(long)]
        lookup: bool,
    },
    /// Write the spine_lookup table for `spine sql --lookup`: the standardized value of every distinct raw
    /// value of the identifiers the dialect cannot standardize itself.
    Lookup {
        /// The identity graph JSON file.
        graph: PathBuf,
        /// The folder holding `<model>.csv` for each model and event model.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The SQL dialect the script is written for.
        #[arg(long, value_name = "DIALECT", default_value = "duckdb")]
        dialect: String,
        /// The CSV file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Score a run against a ground truth: pairwise precision, recall and F1.
    Evaluate {
        /// The ground truth: `model,key,person`.
        #[arg(long, value_name = "TRUTH.csv")]
        truth: PathBuf,
        /// The run's `identity_match.csv`.
        #[arg(long = "match", value_name = "MATCH.csv")]
        identity_match: PathBuf,
    },
}

/// How a command that did its job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// The command found problems in its input (exit code 1).
    Findings,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            // `--help` and `--version` are not errors; a bad command line is.
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        // A reader that stops early (`spine evaluate ... | head -1`) is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "spine: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Validate { graph, data } => commands::validate(&graph, data.as_deref()),
        Command::Run {
            graph,
            data,
            models,
            out,
            previous,
            timings,
        } => {
            let inputs = commands::RunInputs {
                data,
                models,
                out,
                previous,
                timings,
            };
            commands::run(&graph, &inputs)
        }
        Command::Demo { out, records, seed } => {
            commands::demo(&out, records.map(|records| (records, seed)))
        }
        Command::Sql {
            graph,
            dialect,
            schema,
            out,
            line_column,
            previous,
            lookup,
        } => {
            let options = spine_sql::SqlOptions {
                schema,
                line_column,
                previous,
                lookup,
            };
            commands::sql(&graph, &dialect, &options, out.as_deref())
        }
        Command::Lookup {
            graph,
            data,
            dialect,
            out,
        } => commands::lookup(&graph, &data, &dialect, &out),
        Command::Evaluate {
            truth,
            identity_match,
        } => commands::evaluate(&truth, &identity_match),
        Command::Explain {
            graph,
            data,
            profile,
            records,
            json,
        } => {
            let subject = analyze::subject(profile, records)?;
            analyze::explain(&graph, &data, &subject, format(json))
        }
        Command::Diff {
            before,
            after,
            data,
            json,
        } => analyze::diff_graphs(&before, &after, &data, format(json)),
    }
}

fn format(json: bool) -> analyze::Format {
    if json {
        analyze::Format::Json
    } else {
        analyze::Format::Text
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
