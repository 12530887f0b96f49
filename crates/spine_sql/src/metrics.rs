//! The run-level tables of SPEC section 5: `identity_golden_report` (with the run's content hash),
//! `identity_cluster_sizes`, `identity_model_metrics`, `identity_rule_metrics` and
//! `identity_identifier_metrics`, with the engine's counts and its four-decimal rates.
//!
//! Work tables:
//! - `spine_work_status(rec, model_index, status)`: the status of every good record (`matched`, `unique`,
//!   `conflict` whether emitted or not, `missing` when it has no used value).
//! - `spine_work_unparsable(rec, model_index)`: records whose non-empty order value is not an accepted form.
//! - `spine_work_run(run_id)`: the MD5 of the canonical identity graph and every input cell.
//!
//! The golden columns (`golden_values`, `golden_share`, `golden_completeness`) read
//! `identity_golden_lineage`: one row per profile and golden field, `model` empty when no record won.

use crate::dialect::Dialect;
use crate::text::trim_ws;
use crate::{Compiler, Refusal};
use spine_core::settings::{GoldenSource, OnConflict};

/// How many values `top_shared_values` lists.
const TOP_SHARED: usize = 5;

/// Integer division of non-negative integers, as each dialect spells it.
fn int_div(d: Dialect, numerator: &str, denominator: &str) -> String {
    match d {
        Dialect::DuckDb => format!("(({numerator}) // ({denominator}))"),
        Dialect::Spark => format!("(({numerator}) DIV ({denominator}))"),
        Dialect::Snowflake => format!("CAST(FLOOR(({numerator}) / ({denominator})) AS BIGINT)"),
        Dialect::BigQuery => format!("DIV({numerator}, {denominator})"),
    }
}

/// `numerator / denominator` as text with exactly four decimals, rounded half up in integer arithmetic
/// (the engine's `ratio4`), `0.0000` when the denominator is 0.
pub(crate) fn ratio4(d: Dialect, numerator: &str, denominator: &str) -> String {
    let int = d.int_type();
    let scaled = int_div(
        d,
        &format!("CAST({numerator} AS {int}) * 20000 + CAST({denominator} AS {int})"),
        &format!("2 * CAST({denominator} AS {int})"),
    );
    format!(
        "CASE WHEN CAST({denominator} AS {int}) = 0 THEN '0.0000' ELSE {} || '.' || LPAD({}, 4, '0') END",
        d.to_text(&int_div(d, &scaled, "10000")),
        d.to_text(&format!("MOD({scaled}, 10000)")),
    )
}

/// One row per item of a list given by the graph, as a portable `UNION ALL` of literals (`WHERE 1 = 0` over a
/// work table when the list is empty, so the columns still have their types).
fn listing(compiler: &Compiler<'_>, rows: &[(usize, String)], empty_from: &str) -> String {
    let d = compiler.dialect();
    if rows.is_empty() {
        return format!(
            "SELECT CAST(0 AS {}) AS idx, CAST('' AS {}) AS name FROM {empty_from} WHERE 1 = 0",
            d.int_type(),
            d.text_type()
        );
    }
    let selects: Vec<String> = rows
        .iter()
        .map(|(index, name)| {
            format!(
                "SELECT CAST({index} AS {}) AS idx, {} AS name",
                d.int_type(),
                d.literal(name)
            )
        })
        .collect();
    selects.join(" UNION ALL ")
}

pub(crate) fn tables(compiler: &mut Compiler<'_>) -> Result<(), Refusal> {
    statuses(compiler);
    unparsable(compiler);
    run_id(compiler)?;
    report(compiler);
    cluster_sizes(compiler);
    model_metrics(compiler);
    rule_metrics(compiler);
    identifier_metrics(compiler);
    Ok(())
}

fn statuses(compiler: &mut Compiler<'_>) {
    let s = &compiler.script;
    let record = s.table("spine_work_record");
    let member = s.table("spine_work_member");
    let state = s.table("spine_work_state");
    compiler.script.comment(&[
        "Every record's status for the report: its emitted status, conflict for a frozen record that was not",
        "emitted (on_conflict: exclude), missing for a record with no used value.",
    ]);
    compiler.script.create(
        "spine_work_status",
        &format!(
            "SELECT r.rec, r.model_index,\n  \
             COALESCE(m.status, CASE WHEN st.frozen THEN 'conflict' END, 'missing') AS status\n\
             FROM {record} AS r LEFT JOIN {member} AS m ON m.rec = r.rec LEFT JOIN {state} AS st ON st.rec = r.rec"
        ),
    );
}

/// The order values the engine cannot read: `YYYY-MM-DD`, then optionally a time `HH:MM[:SS[.fraction]]` after
/// `T`, `t` or a space and a zone `Z` or `+HH[[:]MM]`, with every part in range; or ASCII digits that fit a
/// 64-bit signed integer (Unix seconds).
fn unparsable(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let int = d.int_type();
    let record = compiler.script.table("spine_work_record");
    let digits = d.regexp_full_match("t", "[0-9]+");
    let shape = d.regexp_full_match(
        "t",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?",
    );
    let part = |from: usize, len: usize| format!("CAST(SUBSTR(t, {from}, {len}) AS {int})");
    let year = part(1, 4);
    let month = part(6, 2);
    let day = part(9, 2);
    let leap = format!("(MOD({year}, 4) = 0 AND MOD({year}, 100) <> 0 OR MOD({year}, 400) = 0)");
    let days_in_month = format!(
        "CASE WHEN {month} = 2 AND {leap} THEN 29 WHEN {month} = 2 THEN 28\n      \
         WHEN {month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    );
    let offset_hours = d.regexp_extract("t", "[+-]([0-9]{2}):?[0-9]{0,2}$");
    let offset_minutes = d.regexp_extract("t", "[+-][0-9]{2}:?([0-9]{2})$");
    // CASE rather than OR, so that no part is cast before its shape is known.
    let time_ok = format!(
        "CASE WHEN LENGTH(t) = 10 THEN TRUE ELSE {} <= 23 AND {} <= 59\n      \
         AND CASE WHEN SUBSTR(t, 17, 1) = ':' THEN {} <= 59 ELSE TRUE END\n      \
         AND COALESCE(CAST(NULLIF({offset_hours}, '') AS {int}), 0) <= 23\n      \
         AND COALESCE(CAST(NULLIF({offset_minutes}, '') AS {int}), 0) <= 59 END",
        part(12, 2),
        part(15, 2),
        part(18, 2),
    );
    // An all-digit value parses when it fits an i64: up to 18 significant digits, or 19 up to i64::MAX
    // (leading zeros count for nothing, as in Rust's parse).
    let significant = "LTRIM(t, '0')";
    let fits = format!(
        "(LENGTH({significant}) < 19 OR (LENGTH({significant}) = 19 AND {significant} <= '9223372036854775807'))"
    );
    compiler.script.comment(&[
        "Records whose order value is not empty after trimming and is neither a date or timestamp the engine",
        "reads nor Unix seconds (identity_model_metrics.unparsable_order_values).",
    ]);
    compiler.script.create(
        "spine_work_unparsable",
        &format!(
            "SELECT rec, model_index FROM (SELECT rec, model_index, {} AS t FROM {record}) AS o\n\
             WHERE t <> '' AND NOT (CASE\n    \
             WHEN {digits} THEN {fits}\n    \
             WHEN {shape} THEN CASE WHEN {month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND {days_in_month}\n      \
             THEN {time_ok} ELSE FALSE END\n    \
             ELSE FALSE END)",
            trim_ws(d, "order_raw"),
        ),
    );
}

/// The run ID: the MD5 of the canonical graph, then for each model by name `U+001E model U+001F`, its name, the
/// MD5 hex of its header (column names joined by U+001F) and the sorted binary MD5s of its rows (cells joined by
/// U+001F). The model tables' columns are not in the graph, so the script reads them from the catalog.
fn run_id(compiler: &mut Compiler<'_>) -> Result<(), Refusal> {
    let d = compiler.dialect();
    if d != Dialect::DuckDb {
        portable_run_id(compiler);
        return Ok(());
    }
    let settings = compiler.settings;
    let s = &compiler.script;
    let line = compiler.options.line_column.as_deref();
    // Every column is cast to text first (a typed column would not fit one list), then joined.
    let columns = match line {
        Some(column) => format!("COLUMNS(* EXCLUDE ({}))", s.col(column)),
        None => "COLUMNS(*)".to_owned(),
    };
    let schema = match &compiler.options.schema {
        Some(schema) => d.literal(schema),
        None => "current_schema()".to_owned(),
    };
    let not_line = match line {
        Some(column) => format!(" AND column_name <> {}", d.literal(column)),
        None => String::new(),
    };
    let mut models: Vec<usize> = (0..settings.models.len()).collect();
    spine_core::sort::sort_by(&mut models, |&a, &b| {
        settings.models[a].name.cmp(&settings.models[b].name)
    });
    let mut parts = vec![format!(
        "encode({})",
        d.literal(&spine_core::resolve::hashed_graph(settings))
    )];
    for model in models {
        let name = &settings.models[model].name;
        let header = format!(
            "(SELECT md5(COALESCE(string_agg(column_name, chr(31) ORDER BY ordinal_position), ''))\n    \
             FROM information_schema.columns\n    \
             WHERE table_catalog = current_database() AND table_schema = {schema} AND table_name = {}{not_line})",
            d.literal(name)
        );
        let rows = format!(
            "(SELECT unhex(COALESCE(string_agg(h, '' ORDER BY h), '')) FROM (\n    \
             SELECT md5(list_aggr(list_transform([*COLUMNS(*)], lambda x: COALESCE(x, '')), 'string_agg', chr(31))) AS h\n    \
             FROM (SELECT CAST({columns} AS VARCHAR) FROM {}) AS cells) AS row_hashes)",
            s.table(name)
        );
        parts.push(format!(
            "encode(chr(30) || 'model' || chr(31) || {} || {header})",
            d.literal(name)
        ));
        parts.push(rows);
    }
    compiler.script.comment(&[
        "The run ID: the MD5 of the canonical identity graph (models sorted by name) and, model by model in",
        "name order, the MD5 of its header and the sorted binary MD5s of its rows (cells joined by U+001F), so",
        "it changes with any cell or setting and not with row or model order.",
    ]);
    compiler.script.create(
        "spine_work_run",
        &format!("SELECT md5(\n  {}\n) AS run_id", parts.join("\n  || ")),
    );
    Ok(())
}

/// The run ID where SQL cannot list a table's columns (Spark, Snowflake, BigQuery): the MD5 of the canonical
/// graph and, model by model in name order, the sorted MD5s of its rows over the columns the graph reads. It
/// identifies the same configuration and input but is not the number `spine run` writes (README).
fn portable_run_id(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let settings = compiler.settings;
    let s = &compiler.script;
    let unit = d.literal("\u{1F}");
    let mut models: Vec<usize> = (0..settings.models.len()).collect();
    spine_core::sort::sort_by(&mut models, |&a, &b| {
        settings.models[a].name.cmp(&settings.models[b].name)
    });
    let mut parts = vec![d.literal(&spine_core::resolve::hashed_graph(settings))];
    for model in models {
        let definition = &settings.models[model];
        let mut columns: Vec<&str> = vec![definition.primary_key.as_str()];
        columns.extend(definition.order_by.as_deref());
        for mapping in &definition.identifiers {
            columns.extend(mapping.columns.iter().map(String::as_str));
        }
        columns.extend(definition.fields.iter().map(|(_, column)| column.as_str()));
        spine_core::sort::sort_unstable(&mut columns);
        columns.dedup();
        let cells: Vec<String> = columns
            .iter()
            .map(|column| crate::text::cell(d, "m", column))
            .collect();
        let row = d.md5_hex(&cells.join(&format!(" || {unit} || ")));
        parts.push(format!(
            "(SELECT COALESCE({}, '') FROM (SELECT {row} AS h FROM {} AS m) AS row_hashes)",
            d.md5_hex(&d.string_agg("h", "", "h")),
            s.table(&definition.name)
        ));
    }
    compiler.script.comment(&[
        "The run ID: the MD5 of the canonical identity graph and, model by model in name order, the sorted MD5s",
        "of its rows over the columns the graph reads (this dialect cannot list a table's columns in SQL).",
    ]);
    let joined = parts.join(&format!("\n  || {unit} || "));
    compiler.script.create(
        "spine_work_run",
        &format!("SELECT {} AS run_id", d.md5_hex(&joined)),
    );
}

/// `(SELECT COUNT(*) FROM ...)` over the model rows: every source row, bad keys included.
fn total_records(compiler: &Compiler<'_>) -> String {
    format!(
        "(SELECT COUNT(*) FROM {})",
        compiler.script.table("spine_work_row")
    )
}

fn report(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let s = &compiler.script;
    let status = s.table("spine_work_status");
    let bad = s.table("spine_work_bad");
    let profile = s.table("spine_work_profile");
    let member = s.table("spine_work_member");
    let run = s.table("spine_work_run");
    let unique = s.col("unique");
    let total = total_records(compiler);
    let count = |which: &str| format!("(SELECT COUNT(*) FROM {status} WHERE status = '{which}')");
    compiler.script.comment(&[
        "identity_golden_report: the run's key numbers; missing counts records with no used value and rows",
        "with a bad key, so matched + unique + conflict + missing = total_records.",
    ]);
    compiler.script.create(
        "identity_golden_report",
        &format!(
            "SELECT run.run_id, c.total_records, c.matched, c.uniq AS {unique}, c.conflict, c.missing,\n  \
             {} AS resolution_rate, c.golden_records,\n  \
             {} AS consolidation\n\
             FROM (SELECT {total} AS total_records, {} AS matched, {} AS uniq, {} AS conflict,\n    \
             {} + (SELECT COUNT(*) FROM {bad}) AS missing, (SELECT COUNT(*) FROM {profile}) AS golden_records,\n    \
             (SELECT COUNT(*) FROM {member}) AS emitted_records) AS c\n\
             CROSS JOIN {run} AS run",
            ratio4(d, "c.matched + c.uniq", "c.total_records"),
            ratio4(d, "c.emitted_records", "c.golden_records"),
            count("matched"),
            count("unique"),
            count("conflict"),
            count("missing"),
        ),
    );
}

fn cluster_sizes(compiler: &mut Compiler<'_>) {
    let s = &compiler.script;
    let profile = s.table("spine_work_profile");
    let size = s.col("size");
    compiler
        .script
        .comment(&["identity_cluster_sizes: emitted profiles per number of records."]);
    compiler.script.create(
        "identity_cluster_sizes",
        &format!(
            "SELECT record_count AS {size}, COUNT(*) AS profiles, record_count * COUNT(*) AS records\n\
             FROM {profile} GROUP BY record_count"
        ),
    );
}

fn model_metrics(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let settings = compiler.settings;
    let s = &compiler.script;
    let row = s.table("spine_work_row");
    let status = s.table("spine_work_status");
    let bad = s.table("spine_work_bad");
    let unparsable = s.table("spine_work_unparsable");
    let lineage = s.table("identity_golden_lineage");
    let names: Vec<(usize, String)> = settings
        .models
        .iter()
        .enumerate()
        .map(|(index, model)| (index, model.name.clone()))
        .collect();
    let models = listing(compiler, &names, &row);
    let exclude = settings.guardrails.on_conflict == OnConflict::Exclude;
    let conflict_unresolved = if exclude { "c.conflict" } else { "0" };
    let uniq = s.col("unique");
    compiler.script.comment(&[
        "identity_model_metrics: one row per model; unresolved counts the model's rows in",
        "identity_unresolved_records, golden_values the golden values its records won.",
    ]);
    compiler.script.create(
        "identity_model_metrics",
        &format!(
            "WITH models AS ({models}),\n\
             counts AS (\n  \
             SELECT mo.idx, mo.name AS model, COALESCE(w.n, 0) AS records,\n    \
             COALESCE(t.matched, 0) AS matched, COALESCE(t.uniq, 0) AS uniq, COALESCE(t.conflict, 0) AS conflict,\n    \
             COALESCE(t.missing, 0) AS missing_identifiers, COALESCE(b.missing_key, 0) AS missing_key,\n    \
             COALESCE(b.duplicate_key, 0) AS duplicate_key, COALESCE(l.n, 0) AS golden_values,\n    \
             COALESCE(u.n, 0) AS unparsable_order_values\n  \
             FROM models AS mo\n  \
             LEFT JOIN (SELECT model_index, COUNT(*) AS n FROM {row} GROUP BY model_index) AS w ON w.model_index = mo.idx\n  \
             LEFT JOIN (SELECT model_index,\n      \
             SUM(CASE WHEN status = 'matched' THEN 1 ELSE 0 END) AS matched,\n      \
             SUM(CASE WHEN status = 'unique' THEN 1 ELSE 0 END) AS uniq,\n      \
             SUM(CASE WHEN status = 'conflict' THEN 1 ELSE 0 END) AS conflict,\n      \
             SUM(CASE WHEN status = 'missing' THEN 1 ELSE 0 END) AS missing\n    \
             FROM {status} GROUP BY model_index) AS t ON t.model_index = mo.idx\n  \
             LEFT JOIN (SELECT model, SUM(CASE WHEN reason = 'missing_key' THEN 1 ELSE 0 END) AS missing_key,\n      \
             SUM(CASE WHEN reason = 'duplicate_key' THEN 1 ELSE 0 END) AS duplicate_key\n    \
             FROM {bad} GROUP BY model) AS b ON b.model = mo.name\n  \
             LEFT JOIN (SELECT model, COUNT(*) AS n FROM {lineage} GROUP BY model) AS l ON l.model = mo.name\n  \
             LEFT JOIN (SELECT model_index, COUNT(*) AS n FROM {unparsable} GROUP BY model_index) AS u ON u.model_index = mo.idx\n\
             )\n\
             SELECT c.model, c.records, c.matched, c.uniq AS {uniq}, c.conflict, c.missing_identifiers, c.missing_key,\n  \
             c.duplicate_key, c.missing_identifiers + c.missing_key + c.duplicate_key + {conflict_unresolved} AS unresolved,\n  \
             {} AS resolution_rate, c.golden_values,\n  \
             {} AS golden_share, c.unparsable_order_values\n\
             FROM counts AS c CROSS JOIN (SELECT SUM(golden_values) AS golden_values FROM counts) AS n",
            ratio4(d, "c.matched + c.uniq", "c.records"),
            ratio4(d, "c.golden_values", "n.golden_values"),
        ),
    );
}

fn rule_metrics(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let settings = compiler.settings;
    let s = &compiler.script;
    let total = total_records(compiler);
    let counts = [
        "applicable_records",
        "candidate_pairs",
        "accepted_pairs",
        "pair_conflicts",
        "merge_refused_pairs",
        "linked_records",
        "skipped_blocks",
        "merges",
        "profiles_created",
        "profiles_grown",
        "merges_refused",
        "conflict_records",
        "profiles_after",
    ];
    let query = if settings.rules.is_empty() {
        // Without rules there is no stage table; the columns keep their types over no rows.
        let int = d.int_type();
        let text = d.text_type();
        let mut columns = vec![
            format!("CAST(0 AS {int}) AS stage"),
            format!("CAST('' AS {text}) AS {}", s.col("rule")),
        ];
        for (position, name) in counts.iter().enumerate() {
            columns.push(format!("CAST(0 AS {int}) AS {name}"));
            if position == 0 {
                columns.push(format!("CAST('' AS {text}) AS applicable_rate"));
            }
            if *name == "linked_records" {
                columns.push(format!("CAST('' AS {text}) AS valid_match_rate"));
                columns.push(format!("CAST('' AS {text}) AS conflict_rate"));
            }
        }
        format!(
            "SELECT {} FROM {} WHERE 1 = 0",
            columns.join(", "),
            s.table("spine_work_row")
        )
    } else {
        let rules: Vec<String> = settings
            .rules
            .iter()
            .enumerate()
            .map(|(index, rule)| format!("WHEN {} THEN {}", index + 1, d.literal(&rule.name)))
            .collect();
        format!(
            "SELECT g.stage, CASE g.stage {} END AS {},\n  \
             g.applicable_records, {} AS applicable_rate,\n  \
             g.candidate_pairs, g.accepted_pairs, g.pair_conflicts, g.merge_refused_pairs, g.linked_records,\n  \
             {} AS valid_match_rate,\n  \
             {} AS conflict_rate,\n  \
             g.skipped_blocks, g.merges, g.profiles_created, g.profiles_grown, g.merges_refused, g.conflict_records,\n  \
             g.profiles_after\n\
             FROM {} AS g CROSS JOIN (SELECT {total} AS total_records) AS t",
            rules.join(" "),
            s.col("rule"),
            ratio4(d, "g.applicable_records", "t.total_records"),
            ratio4(d, "g.linked_records", "g.applicable_records"),
            ratio4(
                d,
                "g.pair_conflicts + g.merge_refused_pairs",
                "g.candidate_pairs"
            ),
            s.table("spine_work_stage"),
        )
    };
    compiler
        .script
        .comment(&["identity_rule_metrics: one row per stage, with its rates."]);
    compiler.script.create("identity_rule_metrics", &query);
}

/// The refused pairs each limited identifier took part in refusing: a `pair_conflict` pair whose two records
/// hold more distinct values than the limit, and a `merge_refused` pair whose refused merge broke the limit.
fn conflict_pairs(compiler: &Compiler<'_>) -> String {
    let d = compiler.dialect();
    let settings = compiler.settings;
    let s = &compiler.script;
    let pair = s.table("spine_work_pair");
    let used = s.table("spine_work_used");
    let limited: Vec<(usize, u32)> = settings
        .identifiers
        .iter()
        .enumerate()
        .filter_map(|(index, identifier)| identifier.conflict_limit.map(|limit| (index, limit)))
        .collect();
    let mut parts = Vec::new();
    if !limited.is_empty() {
        let limit_case: Vec<String> = limited
            .iter()
            .map(|(index, limit)| format!("WHEN {index} THEN {limit}"))
            .collect();
        let indices: Vec<String> = limited.iter().map(|(index, _)| index.to_string()).collect();
        parts.push(format!(
            "SELECT identifier_index FROM (\n    \
             SELECT stage, a, b, identifier_index, COUNT(DISTINCT value) AS held FROM (\n      \
             SELECT p.stage, p.a, p.b, u.identifier_index, u.value FROM {pair} AS p JOIN {used} AS u ON u.rec = p.a\n      \
             WHERE p.decision = 'pair_conflict' AND u.identifier_index IN ({ids})\n      \
             UNION ALL\n      \
             SELECT p.stage, p.a, p.b, u.identifier_index, u.value FROM {pair} AS p JOIN {used} AS u ON u.rec = p.b\n      \
             WHERE p.decision = 'pair_conflict' AND u.identifier_index IN ({ids})) AS v\n    \
             GROUP BY stage, a, b, identifier_index) AS h\n  \
             WHERE held > CASE identifier_index {} END",
            limit_case.join(" "),
            ids = indices.join(", "),
        ));
        for stage in 1..=settings.rules.len() {
            let previous = s.table(&format!("spine_work_state_{}", stage - 1));
            let comp = s.table(&format!("spine_work_comp_{stage}"));
            let broken = s.table(&format!("spine_work_broken_{stage}"));
            parts.push(format!(
                "SELECT k.sort2 AS identifier_index\n  \
                 FROM {pair} AS p JOIN {previous} AS st ON st.rec = p.a JOIN {comp} AS c ON c.node = st.profile\n  \
                 JOIN {broken} AS k ON k.comp = c.comp AND k.kind = 'identifier'\n  \
                 WHERE p.stage = {stage} AND p.decision = 'merge_refused'"
            ));
        }
    }
    if parts.is_empty() {
        return format!(
            "SELECT CAST(0 AS {}) AS identifier_index FROM {pair} WHERE 1 = 0",
            d.int_type()
        );
    }
    parts.join("\n  UNION ALL\n  ")
}

fn identifier_metrics(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let settings = compiler.settings;
    let s = &compiler.script;
    let row = s.table("spine_work_row");
    let obs = s.table("spine_work_obs");
    let used = s.table("spine_work_used");
    let pair = s.table("spine_work_pair");
    let profile = s.table("spine_work_profile");
    let lineage = s.table("identity_golden_lineage");
    let names: Vec<(usize, String)> = settings
        .identifiers
        .iter()
        .enumerate()
        .map(|(index, identifier)| (index, identifier.name.clone()))
        .collect();
    let identifiers = listing(compiler, &names, &row);
    // The first golden field of each identifier, whose filled cells give golden_completeness.
    let mut fields: Vec<String> = Vec::new();
    for (index, _) in settings.identifiers.iter().enumerate() {
        if let Some(field) = settings
            .golden
            .iter()
            .find(|f| f.source == GoldenSource::Identifier(index))
        {
            fields.push(format!("WHEN {index} THEN {}", d.literal(&field.name)));
        }
    }
    let field_case = if fields.is_empty() {
        format!("CAST(NULL AS {})", d.text_type())
    } else {
        format!("CASE i.idx {} END", fields.join(" "))
    };
    let limits: Vec<String> = settings
        .identifiers
        .iter()
        .enumerate()
        .filter_map(|(index, identifier)| {
            identifier.max_records_per_value.map(|_| index.to_string())
        })
        .collect();
    // A quarantined value is a used value held by too many records; its observations are blocked with the
    // quarantine's detail, which a blocked_values or blocked_patterns detail never starts with.
    let quarantined = if limits.is_empty() {
        format!("SELECT identifier_index, 0 AS n FROM {obs} WHERE 1 = 0")
    } else {
        format!(
            "SELECT identifier_index, COUNT(DISTINCT standardized_value) AS n FROM {obs}\n      \
             WHERE identifier_index IN ({}) AND status = 'blocked' AND {} = 1 GROUP BY identifier_index",
            limits.join(", "),
            d.strpos("detail", &d.literal("held by ")),
        )
    };
    let shared_item = format!("v.value || ' (' || {} || ')'", d.to_text("v.holders"));
    let top_shared = format!(
        "SELECT identifier_index, {} AS top_shared_values\n  \
         FROM (SELECT identifier_index, value, holders,\n      \
         ROW_NUMBER() OVER (PARTITION BY identifier_index ORDER BY holders DESC, value) AS place\n    \
         FROM (SELECT identifier_index, value, COUNT(*) AS holders FROM {used} GROUP BY identifier_index, value) AS c\n    \
         WHERE holders > 1) AS v\n  \
         WHERE place <= {TOP_SHARED}\n  \
         GROUP BY identifier_index",
        d.string_agg(&shared_item, "|", "place"),
    );
    let total = total_records(compiler);
    let golden = format!("(SELECT COUNT(*) FROM {profile})");
    let pairs = format!("(SELECT COUNT(*) FROM {pair})");
    let conflicts = conflict_pairs(compiler);
    compiler.script.comment(&[
        "identity_identifier_metrics: one row per identifier; top_shared_values lists up to five values held",
        "by two or more records, most shared first, then by value.",
    ]);
    compiler.script.create(
        "identity_identifier_metrics",
        &format!(
            "WITH identifiers AS ({identifiers}),\n\
             refused AS (\n  {conflicts}\n),\n\
             totals AS (SELECT {total} AS total_records, {golden} AS golden_records, {pairs} AS candidate_pairs),\n\
             counts AS (\n  \
             SELECT i.idx, i.name AS identifier, COALESCE(u.records, 0) AS records_with_value,\n    \
             {field_case} AS golden_field, COALESCE(l.n, 0) AS golden_values,\n    \
             COALESCE(o.used, 0) AS used, COALESCE(o.empty, 0) AS empty, COALESCE(o.invalid, 0) AS invalid,\n    \
             COALESCE(o.blocked, 0) AS blocked, COALESCE(q.n, 0) AS quarantined_values,\n    \
             COALESCE(u.distinct_values, 0) AS distinct_values, COALESCE(f.n, 0) AS conflict_pairs\n  \
             FROM identifiers AS i\n  \
             LEFT JOIN (SELECT identifier_index, COUNT(DISTINCT rec) AS records, COUNT(DISTINCT value) AS distinct_values\n    \
             FROM {used} GROUP BY identifier_index) AS u ON u.identifier_index = i.idx\n  \
             LEFT JOIN (SELECT field, COUNT(*) AS n FROM {lineage} WHERE model <> '' GROUP BY field) AS l\n    \
             ON l.field = {field_case}\n  \
             LEFT JOIN (SELECT identifier_index, SUM(CASE WHEN status = 'used' THEN 1 ELSE 0 END) AS used,\n      \
             SUM(CASE WHEN status = 'empty' THEN 1 ELSE 0 END) AS empty,\n      \
             SUM(CASE WHEN status = 'invalid' THEN 1 ELSE 0 END) AS invalid,\n      \
             SUM(CASE WHEN status = 'blocked' THEN 1 ELSE 0 END) AS blocked\n    \
             FROM {obs} GROUP BY identifier_index) AS o ON o.identifier_index = i.idx\n  \
             LEFT JOIN ({quarantined}) AS q ON q.identifier_index = i.idx\n  \
             LEFT JOIN (SELECT identifier_index, COUNT(*) AS n FROM refused GROUP BY identifier_index) AS f\n    \
             ON f.identifier_index = i.idx\n\
             )\n\
             SELECT c.identifier, c.records_with_value, {} AS completeness,\n  \
             CASE WHEN c.golden_field IS NULL THEN '' ELSE {} END AS golden_completeness,\n  \
             c.used, c.empty, c.invalid, c.blocked, c.quarantined_values, c.distinct_values,\n  \
             COALESCE(t.top_shared_values, '') AS top_shared_values, c.conflict_pairs,\n  \
             {} AS conflict_rate\n\
             FROM counts AS c CROSS JOIN totals AS n LEFT JOIN ({top_shared}) AS t ON t.identifier_index = c.idx",
            ratio4(d, "c.records_with_value", "n.total_records"),
            ratio4(d, "c.golden_values", "n.golden_records"),
            ratio4(d, "c.conflict_pairs", "n.candidate_pairs"),
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SqlOptions, compile};

    /// A graph whose names need quoting: a model named with a double quote and one with a single quote, and
    /// models listed out of name order.
    const GRAPH: &str = r#"{
      "version": 1,
      "name": "metrics",
      "models": [
        {"name": "we\"ird", "primary_key": "id", "order_by": "updated", "identifiers": {"email": "mail"},
         "fields": {"first_name": "given"}},
        {"name": "it's", "primary_key": "id", "identifiers": {"email": "email"}}
      ],
      "identifiers": [
        {"name": "email", "kind": "email", "standardize": ["trim", "lowercase"], "conflict_limit": 1,
         "max_records_per_value": 50}
      ],
      "rules": [
        {"name": "same_email", "criteria": [{"identifiers": ["email"], "match": "exact"}]}
      ],
      "golden": {"fields": [
        {"name": "email", "strategy": "most_frequent"},
        {"name": "first_name", "strategy": "last_non_null"}
      ]}
    }"#;

    fn settings() -> spine_core::Settings {
        spine_core::validate::load_settings(GRAPH, None).expect("the test graph is valid")
    }

    fn script(options: &SqlOptions) -> String {
        compile(&settings(), Dialect::DuckDb, options).expect("DuckDB writes the whole graph")
    }

    /// The part of the script this module writes, from its first comment on.
    fn metrics_part(script: &str) -> &str {
        let start = script
            .find("-- Every record's status for the report")
            .expect("the metrics steps are written");
        &script[start..]
    }

    #[test]
    fn names_with_quotes_stay_one_name() {
        let part = script(&SqlOptions::default());
        let part = metrics_part(&part);
        assert!(part.contains("FROM \"we\"\"ird\") AS cells"));
        assert!(part.contains("FROM \"it's\") AS cells"));
        assert!(part.contains("table_name = 'we\"ird'"));
        assert!(part.contains("table_name = 'it''s'"));
        assert!(part.contains("SELECT CAST(1 AS BIGINT) AS idx, 'it''s' AS name"));
        // Without a line column every column of the model table is hashed.
        assert!(part.contains("SELECT CAST(COLUMNS(*) AS VARCHAR) FROM \"it's\""));
        assert!(!part.contains("EXCLUDE"));
    }

    #[test]
    fn the_hashed_graph_lists_models_by_name() {
        let graph = spine_core::resolve::hashed_graph(&settings());
        let first = graph.find(r#""name":"it's""#).expect("it's is listed");
        let second = graph
            .find(r#""name":"we\"ird""#)
            .expect("we\"ird is listed");
        assert!(first < second, "{graph}");
        // The models are hashed in name order too: it's before we"ird.
        let part = script(&SqlOptions::default());
        let first = part
            .find("'model' || chr(31) || 'it''s'")
            .expect("it's is hashed");
        let second = part
            .find("'model' || chr(31) || 'we\"ird'")
            .expect("we\"ird is hashed");
        assert!(first < second);
    }

    #[test]
    fn ratios_are_integer_arithmetic_rounded_half_up() {
        assert_eq!(
            ratio4(Dialect::DuckDb, "n", "d"),
            "CASE WHEN CAST(d AS BIGINT) = 0 THEN '0.0000' ELSE \
             CAST(((((CAST(n AS BIGINT) * 20000 + CAST(d AS BIGINT)) // (2 * CAST(d AS BIGINT)))) // (10000)) AS VARCHAR) \
             || '.' || LPAD(CAST(MOD(((CAST(n AS BIGINT) * 20000 + CAST(d AS BIGINT)) // (2 * CAST(d AS BIGINT))), 10000) AS VARCHAR), 4, '0') END"
        );
        assert!(ratio4(Dialect::Spark, "n", "d").contains(" DIV "));
        assert!(ratio4(Dialect::BigQuery, "n", "d").contains("DIV(CAST(n AS INT64) * 20000"));
    }

    #[test]
    fn other_dialects_hash_the_columns_the_graph_reads() {
        for dialect in [Dialect::Spark, Dialect::Snowflake, Dialect::BigQuery] {
            let script = compile(&settings(), dialect, &SqlOptions::default())
                .expect("every dialect writes a run ID");
            let run = script
                .split(";\n\n")
                .find(|statement| statement.contains("AS run_id"))
                .expect("the run ID statement");
            assert!(
                script.contains("over the columns the graph reads"),
                "{dialect}"
            );
            assert!(!run.contains("COLUMNS(*)"), "{dialect}: {run}");
        }
    }
}
