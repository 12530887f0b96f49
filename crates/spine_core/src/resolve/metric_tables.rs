//! The run-level tables of section 5 written as CSV: the report, the cluster-size distribution, and the model,
//! rule and identifier metrics (their columns are described in `docs/resolution.md`).

use super::Resolution;
use super::tables::Out;
use super::text::ratio4;
use std::io;

pub(crate) fn report(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&[
        "run_id",
        "total_records",
        "matched",
        "unique",
        "conflict",
        "missing",
        "resolution_rate",
        "golden_records",
        "consolidation",
    ])?;
    let report = &resolution.report;
    csv.cell(&report.run_id)?;
    for value in [
        report.total_records,
        report.matched,
        report.unique,
        report.conflict,
        report.missing,
    ] {
        csv.number(value)?;
    }
    csv.cell(&ratio4(
        report.matched + report.unique,
        report.total_records,
    ))?;
    csv.number(report.golden_records)?;
    csv.cell(&ratio4(report.emitted_records, report.golden_records))?;
    csv.end()
}

pub(crate) fn cluster_sizes(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&["size", "profiles", "records"])?;
    for (size, profiles) in super::metrics::cluster_sizes(resolution) {
        csv.number(size)?;
        csv.number(profiles)?;
        csv.number(size * profiles)?;
        csv.end()?;
    }
    Ok(())
}

pub(crate) fn model_metrics(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&[
        "model",
        "records",
        "matched",
        "unique",
        "conflict",
        "missing_identifiers",
        "missing_key",
        "duplicate_key",
        "unresolved",
        "resolution_rate",
        "golden_values",
        "golden_share",
        "unparsable_order_values",
    ])?;
    let golden_total: u64 = resolution
        .model_metrics
        .iter()
        .map(|m| m.golden_values)
        .sum();
    for row in &resolution.model_metrics {
        csv.cell(&row.model)?;
        let unresolved =
            row.missing_identifiers + row.missing_key + row.duplicate_key + row.conflict_unresolved;
        for value in [
            row.records,
            row.matched,
            row.unique,
            row.conflict,
            row.missing_identifiers,
            row.missing_key,
            row.duplicate_key,
            unresolved,
        ] {
            csv.number(value)?;
        }
        csv.cell(&ratio4(row.matched + row.unique, row.records))?;
        csv.number(row.golden_values)?;
        csv.cell(&ratio4(row.golden_values, golden_total))?;
        csv.number(row.unparsable_order_values)?;
        csv.end()?;
    }
    Ok(())
}

pub(crate) fn rule_metrics(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&[
        "stage",
        "rule",
        "applicable_records",
        "applicable_rate",
        "candidate_pairs",
        "accepted_pairs",
        "pair_conflicts",
        "merge_refused_pairs",
        "linked_records",
        "valid_match_rate",
        "conflict_rate",
        "skipped_blocks",
        "merges",
        "profiles_created",
        "profiles_grown",
        "merges_refused",
        "conflict_records",
        "profiles_after",
    ])?;
    let total = resolution.report.total_records;
    for stage in &resolution.stages {
        csv.number(stage.stage as u64)?;
        csv.cell(&stage.rule)?;
        csv.number(stage.applicable_records)?;
        csv.cell(&ratio4(stage.applicable_records, total))?;
        for value in [
            stage.candidate_pairs,
            stage.accepted_pairs,
            stage.pair_conflicts,
            stage.merge_refused_pairs,
            stage.linked_records,
        ] {
            csv.number(value)?;
        }
        csv.cell(&ratio4(stage.linked_records, stage.applicable_records))?;
        csv.cell(&ratio4(
            stage.pair_conflicts + stage.merge_refused_pairs,
            stage.candidate_pairs,
        ))?;
        for value in [
            stage.skipped_blocks,
            stage.merges,
            stage.profiles_created,
            stage.profiles_grown,
            stage.merges_refused,
            stage.conflict_records,
            stage.profiles_after,
        ] {
            csv.number(value)?;
        }
        csv.end()?;
    }
    Ok(())
}

pub(crate) fn identifier_metrics(resolution: &Resolution, csv: &mut Out<'_>) -> io::Result<()> {
    csv.row(&[
        "identifier",
        "records_with_value",
        "completeness",
        "golden_completeness",
        "used",
        "empty",
        "invalid",
        "blocked",
        "quarantined_values",
        "distinct_values",
        "top_shared_values",
        "conflict_pairs",
        "conflict_rate",
    ])?;
    let total = resolution.report.total_records;
    let golden = resolution.report.golden_records;
    let pairs = resolution.pairs.len() as u64;
    for row in &resolution.identifier_metrics {
        csv.cell(&row.identifier)?;
        csv.number(row.records_with_value)?;
        csv.cell(&ratio4(row.records_with_value, total))?;
        csv.cell(
            &row.golden_values
                .map(|n| ratio4(n, golden))
                .unwrap_or_default(),
        )?;
        for value in [
            row.used,
            row.empty,
            row.invalid,
            row.blocked,
            row.quarantined_values,
            row.distinct_values,
        ] {
            csv.number(value)?;
        }
        let shared: Vec<String> = row
            .top_shared
            .iter()
            .map(|(value, n)| format!("{value} ({n})"))
            .collect();
        csv.cell(&shared.join("|"))?;
        csv.number(row.conflict_pairs)?;
        csv.cell(&ratio4(row.conflict_pairs, pairs))?;
        csv.end()?;
    }
    Ok(())
}
