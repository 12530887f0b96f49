//! The warehouse-SQL steps of `cargo xtask test` and `cargo xtask sql-bench`: Python scripts in `tests/sql/`
//! run the output of `spine sql` in DuckDB and Spark and parse it for Snowflake and BigQuery.
//!
//! Python drives the engines because DuckDB, PySpark and sqlglot are Python packages first; the scripts run in
//! the virtual environment that `tools::ensure_sql_venv` keeps in the target folder.

use crate::{Cmd, Counts, bench, root, step, tools};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// The synthetic sets of `sql-bench`: name, profile records (the same folders as `cargo xtask bench`).
const BENCH_SETS: [(&str, usize); 2] = [("100k", 100_000), ("1m", 1_000_000)];

/// Whether this `spine` has the `sql` command.
pub fn has_sql(spine: &Path) -> bool {
    has_command(spine, "sql")
}

/// Whether `spine COMMAND --help` works.
fn has_command(spine: &Path, command: &str) -> bool {
    Command::new(spine)
        .args([command, "--help"])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Graphs with steps a dialect cannot express (the demo's phone numbers) are compared through `spine lookup`'s
/// table instead of being refused.
const LOOKUP: &str = "--lookup";

/// The harness's own tests, then DuckDB parity over the spec cases, the demo set and 100k synthetic records,
/// Spark parity over the spec cases, and the Snowflake and BigQuery parse check. Returns the added counts.
pub fn test_steps() -> Result<Counts> {
    let python = tools::sql_venv().join("bin/python");
    let spine = bench::target_dir().join("debug/spine");
    step("spine for the warehouse-SQL tests", || {
        Cmd::new("cargo")
            .args(["build", "--package", "spine_cli"])
            .run()
    })?;
    let mut total = step("sql harness self-tests (hand-written scripts)", || {
        python_script(&python, "tests/sql/test_parity.py")
            .arg("--spine")
            .arg(&spine)
            .run_counting()
    })?;
    if total.passed == 0 {
        bail!("the sql harness self-tests ran no test");
    }
    let demo = bench::target_dir().join("sql-demo");
    step("demo set for the warehouse-SQL tests", || {
        Cmd::new(&spine.to_string_lossy())
            .args(["demo", "--out"])
            .arg(&demo)
            .run()
    })?;
    let synthetic = bench::target_dir().join("sql-100k");
    step("100k synthetic records for the warehouse-SQL tests", || {
        bench::generate(&spine, &synthetic, 100_000)
    })?;
    let runs = [
        (
            "sql parity (duckdb): spec cases and the demo set",
            "tests/sql/parity.py",
            vec![
                "--dialect".into(),
                "duckdb".into(),
                "--all-spec".into(),
                "--data".into(),
                demo.clone().into_os_string(),
                "--graph".into(),
                demo.join("graph.json").into_os_string(),
            ],
        ),
        (
            "sql parity (duckdb): 100k synthetic records",
            "tests/sql/parity.py",
            vec![
                "--dialect".into(),
                "duckdb".into(),
                "--data".into(),
                synthetic.clone().into_os_string(),
                "--graph".into(),
                synthetic.join("graph.json").into_os_string(),
            ],
        ),
        (
            "sql parity (spark): spec cases",
            "tests/sql/parity.py",
            // Spark spends much of a small statement's time between jobs, so four cases side by side
            // finish sooner than one after another (measured: 47 s a case instead of 65).
            vec![
                "--dialect".into(),
                "spark".into(),
                "--all-spec".into(),
                "--jobs".into(),
                "4".into(),
            ],
        ),
        (
            "sql dialects (snowflake, bigquery): spec cases",
            "tests/sql/check_dialects.py",
            vec!["--all-spec".into()],
        ),
    ];
    for (name, script, args) in runs {
        let counts = step(name, || {
            python_script(&python, script)
                .arg("--spine")
                .arg(&spine)
                .args(args)
                .arg(LOOKUP)
                .run_counting()
        })?;
        if counts.passed + counts.failed == 0 {
            bail!("the step '{name}' ran no case");
        }
        total.passed += counts.passed;
        total.failed += counts.failed;
    }
    Ok(total)
}

/// `cargo xtask sql-test`: the warehouse-SQL steps of `test` alone, with their closing total.
pub fn test_alone() -> Result<()> {
    tools::ensure_sql_venv()?;
    let counts = test_steps()?;
    println!(
        "\nxtask: warehouse-SQL tests: {} passed, {} failed",
        counts.passed, counts.failed
    );
    if counts.failed > 0 {
        bail!("{} warehouse-SQL cases failed", counts.failed);
    }
    Ok(())
}

fn python_script(python: &Path, script: &str) -> Cmd {
    Cmd::new(&python.to_string_lossy())
        .arg(root().join(script))
        // Python's own buffering would hold the progress lines back until the end of a long step.
        .env("PYTHONUNBUFFERED", "1")
}

/// `cargo xtask sql-bench`: the DuckDB run of the release `spine sql` script against the release `spine run`,
/// on the 100k and 1M synthetic sets (or the sets named in `args`), with the parity check on the way.
pub fn bench(args: &[String]) -> Result<()> {
    for arg in args {
        if !BENCH_SETS.iter().any(|(name, _)| name == arg) {
            bail!("unknown set '{arg}'; the sets are 100k and 1m");
        }
    }
    let python = tools::ensure_sql_venv()?;
    Cmd::new("cargo")
        .args(["build", "--release", "--package", "spine_cli"])
        .run()?;
    let spine = bench::target_dir().join("release/spine");
    if !has_sql(&spine) {
        bail!("this spine has no `sql` command yet, so there is no script to time");
    }
    let mut timings = Vec::new();
    let mut failed = false;
    for (set, records) in BENCH_SETS {
        if !args.is_empty() && !args.iter().any(|arg| arg == set) {
            continue;
        }
        let dir = bench::target_dir().join("bench").join(set);
        bench::generate(&spine, &dir, records)?;
        let (lines, success) = python_script(&python, "tests/sql/parity.py")
            .args(["--dialect", "duckdb", "--timings", "--spine"])
            .arg(&spine)
            .arg(LOOKUP)
            .arg("--data")
            .arg(&dir)
            .arg("--graph")
            .arg(dir.join("graph.json"))
            .run_lines()?;
        failed |= !success;
        let found = lines
            .iter()
            .find_map(|line| line.trim().strip_prefix("timings: "))
            .unwrap_or("no timings (the case did not run)");
        timings.push(format!("{set}: {found}"));
    }
    println!("\nxtask: DuckDB script against spine run (wall times, release builds)");
    for line in &timings {
        println!("  {line}");
    }
    if failed {
        bail!("sql parity failed on a benchmark set (see above)");
    }
    Ok(())
}

impl Cmd {
    /// Runs the command, echoing its output, and returns its stdout lines and whether it succeeded.
    fn run_lines(self) -> Result<(Vec<String>, bool)> {
        let description = self.describe();
        println!("$ {description}");
        let mut command = self.command;
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start `{description}`"))?;
        let stdout = child.stdout.take().context("stdout is piped")?;
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            lines.push(line);
        }
        Ok((lines, child.wait()?.success()))
    }
}
