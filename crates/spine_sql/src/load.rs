//! Step 1 (load): every model row with its key and line, rows with a missing or duplicated key set aside, and
//! the remaining records numbered in anchor order (model priority, model name, key).
//!
//! Work tables:
//! - `spine_work_row(model, model_index, model_rank, priority, key, line, order_raw, key_column)`: every row.
//! - `spine_work_bad(model, model_rank, key, line, reason, detail)`: `missing_key` and `duplicate_key` rows.
//! - `spine_work_record(rec, model, model_index, model_rank, priority, key, line, order_raw)`: the good
//!   records; `rec` counts from 0 in anchor order, so comparing `rec` compares anchor order.
//! - `spine_work_cell(rec, field, value)`: the raw cell of each golden field a record's model maps.

use crate::Compiler;
use crate::text::{cell, trim_ws};
use spine_core::settings::GoldenSource;

/// The SQL that joins a model table (alias `m`) to its loaded records (alias `r`).
pub(crate) fn join_records(compiler: &Compiler<'_>, model_index: usize) -> String {
    let script = &compiler.script;
    let model = &compiler.settings.models[model_index];
    format!(
        "{} AS m JOIN {} AS r ON r.model_index = {model_index} AND r.key = {}",
        script.table(&model.name),
        script.table("spine_work_record"),
        cell(script.dialect, "m", &model.primary_key)
    )
}

pub(crate) fn records(compiler: &mut Compiler<'_>) {
    let settings = compiler.settings;
    let dialect = compiler.dialect();
    let int = dialect.int_type();
    let mut selects = Vec::new();
    for (rank, &index) in settings.anchor_order.iter().enumerate() {
        let model = &settings.models[index];
        let script = &compiler.script;
        let line = match &compiler.options.line_column {
            Some(column) => format!("CAST(m.{} AS {int})", script.col(column)),
            None => format!("CAST(0 AS {int})"),
        };
        let order = match &model.order_by {
            Some(column) => cell(dialect, "m", column),
            None => "''".to_owned(),
        };
        selects.push(format!(
            "SELECT {} AS model, {index} AS model_index, {rank} AS model_rank, {} AS priority, {} AS key, \
             {line} AS line, {order} AS order_raw, {} AS key_column\nFROM {} AS m",
            script.lit(&model.name),
            model.priority,
            cell(dialect, "m", &model.primary_key),
            script.lit(&model.primary_key),
            script.table(&model.name),
        ));
    }
    compiler.script.comment(&[
        "Step 1 (load): every row of every model, with its key, its line and its order value.",
    ]);
    compiler
        .script
        .create("spine_work_row", &selects.join("\nUNION ALL\n"));

    let row = compiler.script.table("spine_work_row");
    let blank = format!("{} = ''", trim_ws(dialect, "key"));
    let lines = if compiler.options.line_column.is_some() {
        format!(
            "': lines ' || COALESCE({} || ' and ', '') || {}",
            dialect.string_agg(
                &format!(
                    "CASE WHEN line <> last_line THEN {} END",
                    dialect.to_text("line")
                ),
                ", ",
                "line"
            ),
            dialect.to_text("MAX(line)")
        )
    } else {
        "''".to_owned()
    };
    compiler.script.comment(&[
        "A row whose key is empty after trimming is missing_key; every row of a key seen twice in one model is",
        "duplicate_key. Neither takes part in resolution.",
    ]);
    compiler.script.create(
        "spine_work_bad",
        &format!(
            "SELECT model, model_rank, key, line, 'missing_key' AS reason,\n  \
             {} || key_column || {} AS detail\nFROM {row}\nWHERE {blank}\n\
             UNION ALL\n\
             SELECT w.model, w.model_rank, w.key, w.line, 'duplicate_key' AS reason, d.detail\n\
             FROM {row} AS w JOIN (\n  \
             SELECT model_index, key, 'the key appears on ' || {} || ' rows' || {lines} AS detail\n  \
             FROM (SELECT model_index, key, line, MAX(line) OVER (PARTITION BY model_index, key) AS last_line\n        \
             FROM {row} WHERE NOT ({blank})) AS keyed\n  \
             GROUP BY model_index, key HAVING COUNT(*) > 1\n\
             ) AS d ON d.model_index = w.model_index AND d.key = w.key",
            compiler.script.lit("the primary key column '"),
            compiler.script.lit("' is empty"),
            dialect.to_text("COUNT(*)"),
        ),
    );
    compiler.script.comment(&[
        "The records that take part, numbered from 0 in anchor order: model priority, model name, key.",
    ]);
    compiler.script.create(
        "spine_work_record",
        &format!(
            "SELECT ROW_NUMBER() OVER (ORDER BY model_rank, key) - 1 AS rec, model, model_index, model_rank,\n  \
             priority, key, line, order_raw\n\
             FROM (SELECT *, COUNT(*) OVER (PARTITION BY model_index, key) AS copies FROM {row}) AS w\n\
             WHERE copies = 1 AND NOT ({blank})"
        ),
    );

    let mut cells = Vec::new();
    for field in &settings.golden {
        let GoldenSource::Field(name) = &field.source else {
            continue;
        };
        for (index, model) in settings.models.iter().enumerate() {
            if let Some((_, column)) = model.fields.iter().find(|(f, _)| f == name) {
                cells.push(format!(
                    "SELECT r.rec, {} AS field, {} AS value\nFROM {}",
                    compiler.script.lit(name),
                    cell(dialect, "m", column),
                    join_records(compiler, index)
                ));
            }
        }
    }
    if cells.is_empty() {
        cells.push(format!(
            "SELECT CAST(0 AS {int}) AS rec, CAST('' AS {text}) AS field, CAST('' AS {text}) AS value\n\
             FROM {row} WHERE 1 = 0",
            text = dialect.text_type()
        ));
    }
    compiler
        .script
        .comment(&["The raw cell of every golden field each record's model maps."]);
    compiler
        .script
        .create("spine_work_cell", &cells.join("\nUNION ALL\n"));
}
