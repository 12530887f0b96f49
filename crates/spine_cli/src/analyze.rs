//! `spine explain` and `spine diff`: a run's explanations and a what-if comparison, as readable text or JSON.

use crate::Outcome;
use crate::commands::invalid_graph;
use crate::input::{read_table, read_text};
use anyhow::{Context, Result, anyhow, bail};
use spine_core::diff::{Diff, diff};
use spine_core::explain::{NonMatchExplanation, ProfileExplanation, RecordName};
use spine_core::resolve::{self, Resolution};
use spine_core::validate::{self, DataShape};
use spine_core::{NoProgress, Table};
use std::io::{self, Write};
use std::path::Path;

/// What `spine explain` is asked about.
#[derive(Debug)]
pub enum Subject {
    Profile(String),
    /// Two records, each `MODEL:KEY`.
    Records(String, String),
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Resolves a graph over `DIR/<model>.csv` (event models are not needed to explain or compare profiles).
fn resolve_folder(graph_path: &Path, data: &Path) -> Result<Resolution> {
    let json = read_text(graph_path)?;
    let graph =
        validate::parse_graph(&json).map_err(|problems| invalid_graph(graph_path, &problems))?;
    let mut tables: Vec<Table> = Vec::with_capacity(graph.models.len());
    let mut shape = DataShape::default();
    for model in &graph.models {
        let path = data.join(format!("{}.csv", model.name));
        let table =
            read_table(&path).with_context(|| format!("cannot load model `{}`", model.name))?;
        shape
            .models
            .insert(model.name.clone(), table.columns.clone());
        tables.push(table);
    }
    // Event models are checked against their files when present; without them, against nothing.
    let mut graph = graph;
    if let Some(events) = &graph.events {
        let missing = events
            .models
            .iter()
            .any(|m| !data.join(format!("{}.csv", m.name)).exists());
        if missing {
            graph.events = None;
        } else {
            for model in &events.models {
                let path = data.join(format!("{}.csv", model.name));
                shape
                    .models
                    .insert(model.name.clone(), crate::input::read_header(&path)?);
            }
        }
    }
    let settings = validate::validate(&graph, Some(&shape))
        .map_err(|problems| invalid_graph(graph_path, &problems))?;
    Ok(resolve::resolve(&settings, &tables, None, &mut NoProgress)?)
}

/// `spine explain GRAPH --data DIR (--profile ID | --records MODEL:KEY MODEL:KEY) [--json]`.
pub fn explain(graph: &Path, data: &Path, subject: &Subject, format: Format) -> Result<Outcome> {
    let run = resolve_folder(graph, data)?;
    let mut out = io::stdout().lock();
    match subject {
        Subject::Profile(id) => {
            let explained = run.explain_profile(id)?;
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&explained)?)?,
                Format::Text => write_profile(&mut out, &explained)?,
            }
        }
        Subject::Records(left, right) => {
            let (left, right) = (split_record(left)?, split_record(right)?);
            let explained = run.explain_records(left, right)?;
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&explained)?)?,
                Format::Text => write_records(&mut out, &explained)?,
            }
        }
    }
    Ok(Outcome::Clean)
}

/// `MODEL:KEY` as (model, key); the key may itself hold colons.
fn split_record(text: &str) -> Result<(&str, &str)> {
    text.split_once(':')
        .filter(|(model, key)| !model.is_empty() && !key.is_empty())
        .ok_or_else(|| anyhow!("--records {text}: write MODEL:KEY, for example crm:1042"))
}

fn name(record: &RecordName) -> String {
    format!("{} {}", record.model, record.key)
}

fn write_profile(out: &mut dyn Write, explained: &ProfileExplanation) -> io::Result<()> {
    let records: Vec<String> = explained.records.iter().map(name).collect();
    let kept = if explained.conflict {
        ", a conflict part kept with on_conflict: keep"
    } else {
        ""
    };
    writeln!(
        out,
        "Profile {} ({} records{kept}): {}",
        explained.profile_id,
        records.len(),
        records.join(", ")
    )?;
    if explained.chain.is_empty() {
        writeln!(out, "No accepted pair: the profile is one record.")?;
    } else {
        writeln!(
            out,
            "Accepted pairs that joined its records, earliest stage first:"
        )?;
        for link in &explained.chain {
            let scores: Vec<String> = link
                .scores
                .iter()
                .map(|s| format!("{}={}", s.identifiers, s.score))
                .collect();
            writeln!(
                out,
                "  stage {} ({}): {} - {}  [{}]",
                link.stage,
                link.rule,
                name(&link.left),
                name(&link.right),
                scores.join("; ")
            )?;
        }
    }
    if !explained.refusals.is_empty() {
        writeln!(out, "Pairs refused by a guardrail around it:")?;
        for refused in &explained.refusals {
            let values: Vec<String> = refused
                .breaches
                .iter()
                .filter(|b| !b.values.is_empty())
                .map(|b| format!("{} values {}", b.name, b.values.join(", ")))
                .collect();
            let values = if values.is_empty() {
                String::new()
            } else {
                format!(" ({})", values.join("; "))
            };
            writeln!(
                out,
                "  stage {} ({}): {} - {} {}: {}{values}",
                refused.stage,
                refused.rule,
                name(&refused.left),
                name(&refused.right),
                refused.decision,
                refused.detail
            )?;
        }
    }
    Ok(())
}

fn write_records(out: &mut dyn Write, explained: &NonMatchExplanation) -> io::Result<()> {
    let state = |s: &spine_core::explain::RecordState| match &s.profile_id {
        Some(id) => format!("{} {} ({}, profile {id})", s.model, s.key, s.status),
        None => format!("{} {} ({})", s.model, s.key, s.status),
    };
    let verdict = if explained.same_profile {
        "are in the same profile"
    } else {
        "are not in one profile"
    };
    writeln!(
        out,
        "{} and {} {verdict}.",
        state(&explained.left),
        state(&explained.right)
    )?;
    if explained.rules.is_empty() {
        writeln!(out, "A record was set aside at load, so no rule saw it.")?;
    }
    for rule in &explained.rules {
        writeln!(
            out,
            "  stage {} ({}): {}",
            rule.stage,
            rule.rule,
            rule.outcome.sentence()
        )?;
    }
    Ok(())
}

/// `spine diff BEFORE.json AFTER.json --data DIR [--json]`.
pub fn diff_graphs(before: &Path, after: &Path, data: &Path, format: Format) -> Result<Outcome> {
    let a = resolve_folder(before, data)?;
    let b = resolve_folder(after, data)?;
    let compared = diff(&a, &b);
    let mut out = io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&compared)?)?,
        Format::Text => write_diff(&mut out, &compared)?,
    }
    Ok(Outcome::Clean)
}

fn write_diff(out: &mut dyn Write, d: &Diff) -> io::Result<()> {
    let c = &d.counts;
    writeln!(
        out,
        "Profiles: {} before, {} after; {} unchanged, {} merged, {} split; {} records moved; {} records changed status.",
        c.profiles_before,
        c.profiles_after,
        c.unchanged,
        c.merged,
        c.split,
        c.moved_records,
        c.status_changes
    )?;
    if !d.merged.is_empty() {
        writeln!(out, "Merged (after <- before):")?;
        for m in &d.merged {
            writeln!(
                out,
                "  {} <- {} ({} records)",
                m.after,
                m.before.join(", "),
                m.records
            )?;
        }
    }
    if !d.split.is_empty() {
        writeln!(out, "Split (before -> after):")?;
        for s in &d.split {
            writeln!(
                out,
                "  {} -> {} ({} records)",
                s.before,
                s.after.join(", "),
                s.records
            )?;
        }
    }
    if !d.moved.is_empty() {
        writeln!(out, "Moved records:")?;
        for m in &d.moved {
            writeln!(out, "  {} {}: {} -> {}", m.model, m.key, m.before, m.after)?;
        }
    }
    if !d.status_changes.is_empty() {
        writeln!(out, "Status changes:")?;
        for s in &d.status_changes {
            writeln!(out, "  {} {}: {} -> {}", s.model, s.key, s.before, s.after)?;
        }
    }
    Ok(())
}

/// Checks that `--profile` and `--records` are not both given, and that one is.
pub fn subject(profile: Option<String>, records: Vec<String>) -> Result<Subject> {
    match (profile, records.as_slice()) {
        (Some(id), []) => Ok(Subject::Profile(id)),
        (None, [left, right]) => Ok(Subject::Records(left.clone(), right.clone())),
        (Some(_), _) => {
            bail!("give either --profile ID or --records MODEL:KEY MODEL:KEY, not both")
        }
        (None, _) => {
            bail!("give --profile ID, or --records with two records (MODEL:KEY MODEL:KEY)")
        }
    }
}
