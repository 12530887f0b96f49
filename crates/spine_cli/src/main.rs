//! The `spine` command line: production runs of an identity graph over CSV files.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
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
    /// Resolve the CSV files of a folder and print the number of profiles.
    Run {
        /// A folder of CSV files, one per model.
        #[arg(long)]
        data: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run { data } => {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&data)
                .with_context(|| format!("cannot read the folder {}", data.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "csv"))
                .collect();
            paths.sort();
            let mut tables = Vec::with_capacity(paths.len());
            for path in &paths {
                let bytes = std::fs::read(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                tables.push(spine_core::parse_csv(&path.display().to_string(), &bytes)?);
            }
            println!("{} profiles", spine_core::count_profiles_by_email(&tables));
            Ok(())
        }
    }
}
