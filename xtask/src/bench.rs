//! `cargo xtask bench`: the release `spine` on synthetic sets of 100k and 1M records, timed under
//! `/usr/bin/time -v`, scored against the ground truth, and printed as one table.

use crate::{Cmd, root};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The synthetic sets: name, profile records.
const SETS: [(&str, usize); 2] = [("100k", 100_000), ("1m", 1_000_000)];
/// The seed of every benchmark set, so runs on different days compare.
const SEED: &str = "1";
/// The targets for the 1M-record run on a 2-core machine.
const TARGET_SECONDS: f64 = 10.0;
const TARGET_MIB: f64 = 2048.0;

/// What one benchmark run measured.
struct Measured {
    set: &'static str,
    records: usize,
    wall_seconds: f64,
    /// User plus system CPU time: steadier than wall time when other work shares the cores.
    cpu_seconds: f64,
    max_rss_mib: f64,
    precision: String,
    recall: String,
    f1: String,
    stages: Vec<String>,
}

/// Runs the benchmark on every set, or on the sets named in `args` (`100k`, `1m`).
pub fn bench(args: &[String]) -> Result<()> {
    for arg in args {
        if !SETS.iter().any(|(name, _)| name == arg) {
            bail!("unknown set '{arg}'; the sets are 100k and 1m");
        }
    }
    if !Path::new("/usr/bin/time").exists() {
        bail!(
            "/usr/bin/time is missing; install it with `apt-get install time` (it measures peak memory)"
        );
    }
    Cmd::new("cargo")
        .args(["build", "--release", "--package", "spine_cli"])
        .run()?;
    let target = target_dir();
    let spine = target.join("release/spine");
    let mut results = Vec::new();
    for (set, records) in SETS {
        if !args.is_empty() && !args.iter().any(|arg| arg == set) {
            continue;
        }
        let dir = target.join("bench").join(set);
        generate(&spine, &dir, records)?;
        results.push(measure(&spine, &dir, set, records)?);
    }
    print_table(&results);
    if args.is_empty() {
        // Event stitching throughput (1M events against the 100k-record profiles) and explain latency.
        println!("\nxtask: event stitching and explanations");
        Cmd::new("cargo")
            .args([
                "run",
                "--release",
                "--package",
                "spine_core",
                "--example",
                "analysis_bench",
            ])
            .args(["--", "100000", "1000000"])
            .run()?;
    }
    Ok(())
}

/// `CARGO_TARGET_DIR` when set, `target/` at the repository root otherwise.
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// Writes the synthetic set unless a complete one is already there. It is written to a side folder and
/// renamed, so an interrupted generation is never mistaken for a complete set.
pub(crate) fn generate(spine: &Path, dir: &Path, records: usize) -> Result<()> {
    if dir.join("graph.json").is_file() && dir.join("truth.csv").is_file() {
        println!("xtask: reusing {}", dir.display());
        return Ok(());
    }
    let partial = dir.with_extension("partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial)
            .with_context(|| format!("removing {}", partial.display()))?;
    }
    let records = records.to_string();
    Cmd::new(&spine.to_string_lossy())
        .args(["demo", "--out"])
        .arg(&partial)
        .args(["--records", &records, "--seed", SEED])
        .run()?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::rename(&partial, dir)
        .with_context(|| format!("renaming {} to {}", partial.display(), dir.display()))
}

fn measure(spine: &Path, dir: &Path, set: &'static str, records: usize) -> Result<Measured> {
    let out = dir.join("out");
    println!("xtask: spine run on {set} ({records} records)");
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(spine)
        .arg("run")
        .arg(dir.join("graph.json"))
        .arg("--data")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .arg("--timings")
        .output()
        .context("cannot start /usr/bin/time")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("spine run on {set} failed:\n{stderr}");
    }
    print!("{}", String::from_utf8_lossy(&output.stdout));
    let wall_seconds = time_field(&stderr, "Elapsed (wall clock) time")
        .and_then(|value| parse_clock(&value))
        .context("no wall time in the output of /usr/bin/time")?;
    let cpu = |name: &str| {
        time_field(&stderr, name)
            .and_then(|value| value.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let cpu_seconds = cpu("User time (seconds)") + cpu("System time (seconds)");
    let max_rss_mib = time_field(&stderr, "Maximum resident set size (kbytes)")
        .and_then(|value| value.parse::<f64>().ok())
        .context("no peak memory in the output of /usr/bin/time")?
        / 1024.0;
    // `--timings` lines look like `   1.790 s  read files`.
    let stages = stderr
        .lines()
        .filter(|line| line.trim_start().split(' ').nth(1) == Some("s"))
        .map(str::to_owned)
        .collect();

    let evaluation = Command::new(spine)
        .args(["evaluate", "--truth"])
        .arg(dir.join("truth.csv"))
        .arg("--match")
        .arg(out.join("identity_match.csv"))
        .output()
        .context("cannot run spine evaluate")?;
    let scores = String::from_utf8_lossy(&evaluation.stdout).into_owned();
    if !evaluation.status.success() {
        bail!(
            "spine evaluate on {set} failed:\n{}",
            String::from_utf8_lossy(&evaluation.stderr)
        );
    }
    let figure = |name: &str| {
        scores
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_owned()
    };
    Ok(Measured {
        set,
        records,
        wall_seconds,
        cpu_seconds,
        max_rss_mib,
        precision: figure("precision"),
        recall: figure("recall"),
        f1: figure("f1"),
        stages,
    })
}

/// The value after `NAME: ` in the report of `/usr/bin/time -v`.
fn time_field(report: &str, name: &str) -> Option<String> {
    report
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with(name))
        .and_then(|line| {
            // The name itself may hold colons (`h:mm:ss`), so the value is what follows the last ": ".
            line.rsplit_once(": ")
                .map(|(_, value)| value.trim().to_owned())
        })
}

/// `h:mm:ss` or `m:ss.cc` as seconds.
fn parse_clock(text: &str) -> Option<f64> {
    text.split(':').try_fold(0.0, |total, part| {
        part.parse::<f64>().ok().map(|value| total * 60.0 + value)
    })
}

fn print_table(results: &[Measured]) {
    println!();
    for result in results {
        println!("xtask: {} stages:", result.set);
        for stage in &result.stages {
            println!("  {stage}");
        }
    }
    println!();
    println!(
        "{:<6} {:>9} {:>9} {:>8} {:>13} {:>11} {:>10} {:>8} {:>8}",
        "set",
        "records",
        "wall (s)",
        "cpu (s)",
        "max RSS (MiB)",
        "records/s",
        "precision",
        "recall",
        "F1"
    );
    for result in results {
        println!(
            "{:<6} {:>9} {:>9.2} {:>8.2} {:>13.0} {:>11.0} {:>10} {:>8} {:>8}",
            result.set,
            result.records,
            result.wall_seconds,
            result.cpu_seconds,
            result.max_rss_mib,
            result.records as f64 / result.wall_seconds.max(0.001),
            result.precision,
            result.recall,
            result.f1
        );
    }
    if let Some(million) = results.iter().find(|result| result.set == "1m") {
        let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
        println!(
            "\ntarget for 1M records: under {TARGET_SECONDS} s ({}, {:.2} s), under 2 GiB ({}, {:.0} MiB)",
            verdict(million.wall_seconds < TARGET_SECONDS),
            million.wall_seconds,
            verdict(million.max_rss_mib < TARGET_MIB),
            million.max_rss_mib
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_report_of_usr_bin_time() {
        let report = "\tCommand being timed: \"spine run\"\n\tUser time (seconds): 12.25\n\
                      \tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50\n\
                      \tMaximum resident set size (kbytes): 821040\n";
        let wall = time_field(report, "Elapsed (wall clock) time").and_then(|v| parse_clock(&v));
        assert_eq!(wall, Some(62.5));
        assert_eq!(
            time_field(report, "User time (seconds)").as_deref(),
            Some("12.25")
        );
        assert_eq!(
            time_field(report, "Maximum resident set size (kbytes)").as_deref(),
            Some("821040")
        );
        assert_eq!(parse_clock("1:00:03"), Some(3603.0));
        assert_eq!(parse_clock("soon"), None);
    }
}
