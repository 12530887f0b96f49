//! Installs what the build needs, once: each check is cheap, and an install happens only when its check fails.
//!
//! Versions are pinned here and in `Trunk.toml` / `Cargo.toml` / `package.json`; they must agree.

use crate::{Cmd, root};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::Command;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Everything `serve` and `dist` need.
pub fn ensure_site_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_cargo_tool(
        "wasm-bindgen",
        "wasm-bindgen-cli",
        WASM_BINDGEN_VERSION,
        &["--no-default-features"],
    )?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, &["--locked"])?;
    ensure_node_packages()
}

/// Everything `test` needs: the site tools, a browser with its driver and the warehouse-SQL engines.
pub fn ensure_test_tools() -> Result<()> {
    ensure_site_tools()?;
    ensure_chromium()?;
    ensure_java()?;
    ensure_sql_venv().map(|_| ())
}

/// The virtual environment of the warehouse-SQL tests, in the ignored target folder.
pub fn sql_venv() -> PathBuf {
    crate::bench::target_dir().join("sql-venv")
}

/// Creates the Python virtual environment of `tests/sql/` (DuckDB, PySpark, sqlglot at the versions of
/// `tests/sql/requirements.txt`) when it is missing or the requirements changed, and returns its `python`.
/// A virtual environment keeps the pinned engines away from the machine's own Python packages.
pub fn ensure_sql_venv() -> Result<PathBuf> {
    let venv = sql_venv();
    let python = venv.join("bin/python");
    let stamp = venv.join(".spine-requirements");
    let requirements_path = root().join("tests/sql/requirements.txt");
    let requirements =
        std::fs::read(&requirements_path).context("reading tests/sql/requirements.txt")?;
    let why = if !python.exists() {
        "it is missing"
    } else if std::fs::read(&stamp).is_ok_and(|saved| saved == requirements) {
        return Ok(python);
    } else {
        "tests/sql/requirements.txt changed"
    };
    println!(
        "xtask: installing DuckDB, PySpark and sqlglot with pip into {} ({why}; the warehouse-SQL tests run the \
         generated SQL in DuckDB and Spark and parse it for Snowflake and BigQuery)",
        venv.display()
    );
    if !python.exists() {
        Cmd::new("python3").args(["-m", "venv"]).arg(&venv).run()?;
    }
    Cmd::new(&python.to_string_lossy())
        .args(["-m", "pip", "install", "--disable-pip-version-check", "-r"])
        .arg(&requirements_path)
        .run()?;
    std::fs::write(&stamp, requirements).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(python)
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    println!(
        "xtask: installing the Rust target {WASM_TARGET} (the studio and the browser tests are WebAssembly)"
    );
    Cmd::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .run()
}

/// `cargo install` a tool at an exact version unless `BINARY --version` already reports it.
fn ensure_cargo_tool(binary: &str, package: &str, version: &str, extra: &[&str]) -> Result<()> {
    let found = output(binary, &["--version"]).unwrap_or_default();
    if found.split_whitespace().nth(1) == Some(version) {
        return Ok(());
    }
    let why = match binary {
        "wasm-bindgen" => "it links the WebAssembly to JavaScript and runs the browser unit tests",
        _ => "it builds and serves the studio",
    };
    println!(
        "xtask: installing {package} {version} with cargo ({why}; found: {}). This compiles it once, a few minutes.",
        if found.is_empty() {
            "none".to_owned()
        } else {
            found.trim().to_owned()
        }
    );
    // Thin LTO-free builds of the tools: several times faster to install, the same tools.
    Cmd::new("cargo")
        .args(["install", package, "--version", version])
        .args(extra.iter().copied())
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env_remove("CARGO_TARGET_DIR")
        .run()
}

/// `npm ci` into the ignored `node_modules/` when wasm-opt or playwright-core is missing or the lock changed.
fn ensure_node_packages() -> Result<()> {
    let root = root();
    let stamp = root.join("node_modules/.spine-lock");
    let lock =
        std::fs::read(root.join("package-lock.json")).context("reading package-lock.json")?;
    let complete = root.join("node_modules/.bin/wasm-opt").exists()
        && root
            .join("node_modules/playwright-core/package.json")
            .exists()
        && std::fs::read(&stamp).is_ok_and(|saved| saved == lock);
    if complete {
        return Ok(());
    }
    println!(
        "xtask: installing node packages binaryen (wasm-opt for the release site) and playwright-core (end-to-end tests)"
    );
    Cmd::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root)
        .run()?;
    std::fs::write(&stamp, lock).context("writing node_modules/.spine-lock")
}

fn ensure_chromium() -> Result<()> {
    if PathBuf::from(CHROMIUM).exists() && PathBuf::from(CHROMEDRIVER).exists() {
        return Ok(());
    }
    println!(
        "xtask: installing Debian's chromium and chromium-driver (browser unit tests and end-to-end tests)"
    );
    apt_install(&["chromium", "chromium-driver"])?;
    if !PathBuf::from(CHROMEDRIVER).exists() {
        bail!("chromium-driver installed but {CHROMEDRIVER} is missing");
    }
    Ok(())
}

/// Spark runs on the JVM: Debian's Java 17 runtime when no `java` answers.
fn ensure_java() -> Result<()> {
    if Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|out| out.status.success())
    {
        return Ok(());
    }
    println!(
        "xtask: installing Debian's openjdk-17-jre-headless (Spark, for the warehouse-SQL tests, runs on Java)"
    );
    apt_install(&["openjdk-17-jre-headless"])
}

/// `apt-get update` then `apt-get install` of Debian packages, through sudo when not root.
fn apt_install(packages: &[&str]) -> Result<()> {
    let sudo = output("id", &["-u"]).is_none_or(|id| id.trim() != "0");
    let apt = |args: &[&str]| {
        let mut cmd = if sudo {
            Cmd::new("sudo").arg("apt-get")
        } else {
            Cmd::new("apt-get")
        };
        cmd = cmd
            .args(args.iter().copied())
            .env("DEBIAN_FRONTEND", "noninteractive");
        cmd.run()
    };
    apt(&["update"])?;
    apt(&["install", "-y", "--no-install-recommends"]
        .into_iter()
        .chain(packages.iter().copied())
        .collect::<Vec<_>>())
}

/// The stdout of a command, or None when it cannot run or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
