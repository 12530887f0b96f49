//! Runs one spec case (a folder of `tests/spec/`) from its files in memory, so the native and the wasm runners
//! share every step but reading the files.

use spine_core::events::{Stitching, stitch};
use spine_core::resolve::{Previous, Resolution, resolve};
use spine_core::validate::{DataShape, load_settings};
use spine_core::{NoProgress, Settings, Table, parse_csv};
use std::collections::BTreeMap;

/// A case's files: path inside the case folder (with `/`) -> bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// What a case produced: its snapshot text and each `expected/` table that differs.
pub struct Outcome {
    pub snapshot: String,
    pub mismatches: Vec<String>,
}

/// Resolves a case and compares its `expected/<table>.csv` files byte for byte.
pub fn run_case(files: &Files) -> Result<Outcome, String> {
    let case = resolve_case(files)?;
    let resolution = &case.resolution;
    let stitching = case.stitching()?;
    let mut mismatches = Vec::new();
    for (path, bytes) in files {
        let Some(table) = path
            .strip_prefix("expected/")
            .and_then(|p| p.strip_suffix(".csv"))
        else {
            continue;
        };
        let expected = String::from_utf8_lossy(bytes);
        let actual = resolution
            .table_csv(table)
            .or_else(|| stitching.as_ref().and_then(|s| s.table_csv(table)));
        match actual {
            None => mismatches.push(format!("{path}: the run has no table named {table}")),
            Some(actual) if actual != expected => {
                mismatches.push(format!(
                    "{path} differs\n--- expected\n{expected}--- actual\n{actual}"
                ));
            }
            Some(_) => {}
        }
    }
    Ok(Outcome {
        snapshot: snapshot(resolution, stitching.as_ref()),
        mismatches,
    })
}

/// Every output table under a `== table ==` heading (the event tables too when the graph has event models).
pub fn snapshot(resolution: &Resolution, stitching: Option<&Stitching>) -> String {
    let mut text = String::new();
    for name in resolution.table_names() {
        text.push_str(&format!("== {name} ==\n"));
        text.push_str(&resolution.table_csv(name).unwrap_or_default());
        text.push('\n');
    }
    for name in stitching.map(Stitching::table_names).unwrap_or_default() {
        text.push_str(&format!("== {name} ==\n"));
        text.push_str(
            &stitching
                .and_then(|s| s.table_csv(name))
                .unwrap_or_default(),
        );
        text.push('\n');
    }
    text
}

/// A resolved case: its settings, the run, and the tables of its event models (graph order).
pub struct Case {
    pub settings: Settings,
    pub resolution: Resolution,
    pub events: Vec<Table>,
}

impl Case {
    /// The case's events stitched to its profiles, when the graph has event models.
    pub fn stitching(&self) -> Result<Option<Stitching>, String> {
        match &self.settings.events {
            Some(_) => stitch(&self.resolution, &self.events)
                .map(Some)
                .map_err(|e| e.to_string()),
            None => Ok(None),
        }
    }
}

/// Resolves a case's `graph.json` over its models.
pub fn resolve_case(files: &Files) -> Result<Case, String> {
    resolve_graph(files, "graph.json")
}

/// Resolves one of a case's graphs (`graph.json`, or `graph_after.json` for a what-if case) over its models.
pub fn resolve_graph(files: &Files, graph_file: &str) -> Result<Case, String> {
    let graph = files
        .get(graph_file)
        .ok_or_else(|| format!("the case has no {graph_file}"))?;
    let graph = std::str::from_utf8(graph).map_err(|e| format!("{graph_file}: {e}"))?;
    let mut tables = BTreeMap::new();
    for (path, bytes) in files {
        if let Some(model) = path
            .strip_prefix("models/")
            .and_then(|p| p.strip_suffix(".csv"))
        {
            let table = parse_csv(path, bytes).map_err(|e| e.to_string())?;
            tables.insert(model.to_owned(), table);
        }
    }
    let shape = DataShape {
        models: tables
            .iter()
            .map(|(name, t)| (name.clone(), t.columns.clone()))
            .collect(),
    };
    let settings = load_settings(graph, Some(&shape)).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        format!("{graph_file} is not valid:\n{}", lines.join("\n"))
    })?;
    let ordered = settings
        .models
        .iter()
        .map(|model| {
            tables
                .remove(&model.name)
                .ok_or_else(|| format!("models/{}.csv is missing", model.name))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let table = |path: &str| {
        files
            .get(path)
            .map(|bytes| parse_csv(path, bytes).map_err(|e| e.to_string()))
            .transpose()
    };
    let previous = match table("previous/identity_match.csv")? {
        Some(matches) => {
            let redirects = table("previous/identity_redirects.csv")?;
            Some(Previous::from_tables(&matches, redirects.as_ref()).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    let events = settings
        .events
        .iter()
        .flat_map(|events| &events.models)
        .map(|model| {
            tables
                .remove(&model.name)
                .ok_or_else(|| format!("models/{}.csv is missing", model.name))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let resolution = resolve(&settings, &ordered, previous.as_ref(), &mut NoProgress)
        .map_err(|e| e.to_string())?;
    Ok(Case {
        settings,
        resolution,
        events,
    })
}
