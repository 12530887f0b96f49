//! `cargo xtask`: serve the studio, run every test, build the release site, run the benchmarks.
//!
//! Each command first installs what is missing (see `tools.rs`), so a fresh machine needs nothing else.

mod bench;
mod sql;
mod tools;

use anyhow::{Context, Result, bail};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve   build and serve the studio on http://127.0.0.1:8080 with the demo data built in
  test    everything: fmt, clippy (native and wasm32), native tests, browser unit tests, site build, end-to-end
  dist    build the release site into dist/ and print the WebAssembly sizes
  bench   time the release `spine run` on 100k and 1M synthetic records (or `bench 100k`), with peak memory
          and precision, recall and F1 against the ground truth
  sql-test   only the warehouse-SQL steps of `test` (harness self-tests, DuckDB and Spark parity, dialects)
  sql-bench  time the DuckDB run of the `spine sql` script against `spine run` on 100k and 1M synthetic
          records (or `sql-bench 100k`), checking that both give the same tables
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("dist") => dist().map(|_| ()),
        Some("bench") => bench::bench(&args[1..]),
        Some("sql-test") => sql::test_alone(),
        Some("sql-bench") => sql::bench(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command '{other}'\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

fn serve() -> Result<()> {
    tools::ensure_site_tools()?;
    println!("xtask: serving the studio on http://127.0.0.1:8080 (Ctrl-C stops)");
    trunk(&["serve", "--release"]).run()
}

fn dist() -> Result<PathBuf> {
    tools::ensure_site_tools()?;
    trunk(&["build", "--release"]).run()?;
    let dist = root().join("dist");
    for entry in std::fs::read_dir(&dist).context("reading dist/")? {
        let path = entry?.path();
        if path.extension() == Some(OsStr::new("wasm")) {
            let raw = std::fs::metadata(&path)?.len();
            let gzip = tools::output(
                "sh",
                &["-c", &format!("gzip -9 -c '{}' | wc -c", path.display())],
            )
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(0);
            println!(
                "xtask: {}: {} KB raw, {} KB gzip",
                path.file_name().unwrap_or_default().to_string_lossy(),
                raw / 1024,
                gzip / 1024
            );
        }
    }
    Ok(dist)
}

fn trunk(args: &[&str]) -> Cmd {
    let bin = root().join("node_modules/.bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&path));
    Cmd::new("trunk")
        .args(args.iter().copied())
        .env(
            "PATH",
            std::env::join_paths(paths).expect("PATH entries are valid"),
        )
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .current_dir(root())
}

/// Passed and failed test counts of one step.
#[derive(Default, Clone, Copy)]
struct Counts {
    passed: u64,
    failed: u64,
}

fn test() -> Result<()> {
    let started = Instant::now();
    tools::ensure_test_tools()?;
    let wasm = tools::WASM_TARGET;
    step("format", || {
        Cmd::new("cargo")
            .args(["fmt", "--all", "--", "--check"])
            .run()
    })?;
    step("clippy (native)", || {
        Cmd::new("cargo")
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .run()
    })?;
    step("clippy (wasm32)", || {
        Cmd::new("cargo")
            .args([
                "clippy",
                "--target",
                wasm,
                "-p",
                "spine_core",
                "-p",
                "spine_wasm",
                "-p",
                "spine_web",
            ])
            .args(["--all-targets", "--", "-D", "warnings"])
            .run()
    })?;
    let native = step("native tests", || {
        Cmd::new("cargo")
            .args(["test", "--workspace", "--exclude", "spine_web"])
            .run_counting()
    })?;
    let sql = sql::test_steps()?;
    let browser = step("browser unit tests (headless Chromium)", || {
        // The engine's spec cases run again in the browser and must give the same bytes as natively.
        let engine = Cmd::new("cargo")
            .args(["test", "--target", wasm, "-p", "spine_core"])
            .args(["--test", "spec_wasm", "--test", "spec_analysis_wasm"])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .run_counting()?;
        let studio = Cmd::new("cargo")
            .args([
                "test",
                "--target",
                wasm,
                "-p",
                "spine_wasm",
                "-p",
                "spine_web",
                "--tests",
            ])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .run_counting()?;
        Ok(Counts {
            passed: engine.passed + studio.passed,
            failed: engine.failed + studio.failed,
        })
    })?;
    step("site build", || trunk(&["build", "--release"]).run())?;
    // The end-to-end tests upload the demo CSVs as a person would, so the command line writes them first.
    let spine = bench::target_dir().join("debug").join("spine");
    step("demo CSVs for the end-to-end tests", || {
        Cmd::new(&spine.to_string_lossy())
            .args(["demo", "--out", "tests/output/demo"])
            .run()
    })?;
    let e2e = step("end-to-end tests (Playwright, headless Chromium)", || {
        Cmd::new("node")
            .arg("tests/e2e/run.mjs")
            .env("SPINE_DIST", root().join("dist"))
            .env("SPINE_CHROMIUM", tools::CHROMIUM)
            .env("SPINE_BIN", &spine)
            .run_counting()
    })?;
    let seconds = started.elapsed().as_secs();
    println!(
        "\nxtask: all checks passed in {}m{:02}s",
        seconds / 60,
        seconds % 60
    );
    println!(
        "xtask: native tests: {} passed, {} failed",
        native.passed, native.failed
    );
    println!(
        "xtask: warehouse-SQL tests: {} passed, {} failed",
        sql.passed, sql.failed
    );
    println!(
        "xtask: browser unit tests: {} passed, {} failed",
        browser.passed, browser.failed
    );
    println!(
        "xtask: end-to-end tests: {} passed, {} failed",
        e2e.passed, e2e.failed
    );
    for (name, counts) in [
        ("native", native),
        ("browser", browser),
        ("end-to-end", e2e),
    ] {
        if counts.passed == 0 {
            bail!("the {name} step ran no test");
        }
    }
    let passed = native.passed + sql.passed + browser.passed + e2e.passed;
    let failed = native.failed + sql.failed + browser.failed + e2e.failed;
    println!("total: {passed} passed, {failed} failed");
    Ok(())
}

fn step<T>(name: &str, body: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\nxtask: ==> {name}");
    let started = Instant::now();
    let result = body().with_context(|| format!("step '{name}' failed"));
    println!(
        "xtask: <== {name} ({:.1}s)",
        started.elapsed().as_secs_f64()
    );
    result
}

/// A command printed before it runs, with its output passed through.
pub struct Cmd {
    command: Command,
}

impl Cmd {
    pub fn new(program: &str) -> Self {
        let mut command = Command::new(program);
        command.current_dir(root());
        Self { command }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    fn describe(&self) -> String {
        let mut text = self.command.get_program().to_string_lossy().into_owned();
        for arg in self.command.get_args() {
            text.push(' ');
            text.push_str(&arg.to_string_lossy());
        }
        text
    }

    pub fn run(mut self) -> Result<()> {
        let description = self.describe();
        println!("$ {description}");
        let status = self
            .command
            .status()
            .with_context(|| format!("cannot start `{description}`"))?;
        if !status.success() {
            bail!("`{description}` exited with {status}");
        }
        Ok(())
    }

    /// Runs the command, echoes its output and adds up the `N passed; M failed` of every test summary line
    /// (cargo's `test result:` lines, and the end-to-end runner's plain `N passed, M failed`).
    fn run_counting(mut self) -> Result<Counts> {
        let description = self.describe();
        println!("$ {description}");
        let mut child = self
            .command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start `{description}`"))?;
        let mut counts = Counts::default();
        let stdout = child.stdout.take().expect("stdout is piped");
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if let Some(found) = summary_counts(&line) {
                counts.passed += found.passed;
                counts.failed += found.failed;
            }
        }
        let status = child.wait()?;
        if !status.success() {
            bail!("`{description}` exited with {status}");
        }
        Ok(counts)
    }
}

/// Reads `test result: ok. 12 passed; 0 failed; ...`, `e2e: 5 passed, 0 failed` or the warehouse-SQL
/// closing lines (`sql parity (duckdb): 40 passed, 0 failed, 2 refused`; refused cases are not counted).
fn summary_counts(line: &str) -> Option<Counts> {
    let line = line.trim();
    let sql = ["sql harness:", "sql parity (", "sql dialects ("]
        .iter()
        .any(|start| line.starts_with(start));
    if !(line.starts_with("test result:") || line.starts_with("e2e:") || sql) {
        return None;
    }
    let number_before = |word: &str| -> Option<u64> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = words
            .iter()
            .position(|w| w.trim_end_matches([';', ',', '.']) == word)?;
        words.get(at.checked_sub(1)?)?.parse().ok()
    };
    Some(Counts {
        passed: number_before("passed")?,
        failed: number_before("failed").unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_and_e2e_summaries() {
        let cargo =
            summary_counts("test result: ok. 12 passed; 1 failed; 0 ignored; 0 measured").unwrap();
        assert_eq!((cargo.passed, cargo.failed), (12, 1));
        let e2e = summary_counts("e2e: 5 passed, 0 failed").unwrap();
        assert_eq!((e2e.passed, e2e.failed), (5, 0));
        let parity = summary_counts("sql parity (duckdb): 38 passed, 1 failed, 2 refused").unwrap();
        assert_eq!((parity.passed, parity.failed), (38, 1));
        let dialects =
            summary_counts("sql dialects (snowflake, bigquery): 80 passed, 0 failed, 0 refused")
                .unwrap();
        assert_eq!((dialects.passed, dialects.failed), (80, 0));
        let harness = summary_counts("sql harness: 17 passed, 0 failed").unwrap();
        assert_eq!((harness.passed, harness.failed), (17, 0));
        assert!(summary_counts("running 3 tests").is_none());
        assert!(summary_counts(" passed exact_email_basic").is_none());
    }
}
