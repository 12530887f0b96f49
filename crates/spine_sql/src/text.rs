//! Text expressions shared by the steps: Unicode whitespace and case mapping as Rust does them, and the DuckDB
//! macros that keep the script readable.

use crate::Compiler;
use crate::dialect::Dialect;

/// The characters Rust's `char::is_whitespace` accepts (the Unicode White_Space property), as a regular
/// expression class body.
pub(crate) fn whitespace_class(dialect: Dialect) -> &'static str {
    match dialect {
        // POSIX classes cannot spell code points, so Snowflake gets the characters themselves.
        Dialect::Snowflake => {
            "\t\n\u{0B}\u{0C}\r \u{85}\u{A0}\u{1680}\u{2000}-\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}"
        }
        _ => {
            "\\t\\n\\x{0B}\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}"
        }
    }
}

fn trim_body(dialect: Dialect, expr: &str) -> String {
    let class = whitespace_class(dialect);
    dialect.regexp_replace_all(expr, &format!("^[{class}]+|[{class}]+$"), "")
}

/// Characters whose upper case is several characters in Rust (`ß` -> `SS`), which SQL engines map to one.
fn multi_char_uppercase() -> Vec<(char, String)> {
    (0..=0x10FFFF_u32)
        .filter_map(char::from_u32)
        .filter(|c| c.to_uppercase().count() > 1)
        .map(|c| (c, c.to_uppercase().collect()))
        .collect()
}

/// DuckDB's macro body: each character through a map of the multi-character upper cases, or UPPER.
fn upper_body_duckdb(dialect: Dialect) -> String {
    let entries: Vec<String> = multi_char_uppercase()
        .into_iter()
        .map(|(from, to)| {
            format!(
                "{}: {}",
                dialect.literal(&from.to_string()),
                dialect.literal(&to)
            )
        })
        .collect();
    format!(
        "ARRAY_TO_STRING(LIST_TRANSFORM(STRING_SPLIT(s, ''), lambda c: COALESCE(MAP {{{}}}[c], UPPER(c))), '')",
        entries.join(", ")
    )
}

/// Helper columns that replace the multi-character upper cases ten at a time (so no expression nests
/// deeply), ending in `u<n>`; the step's value is then `UPPER(u<n>)`.
pub(crate) fn upper_levels(dialect: Dialect, input: &str) -> (Vec<Vec<(String, String)>>, String) {
    let mut levels = Vec::new();
    let mut current = input.to_owned();
    for (index, chunk) in multi_char_uppercase().chunks(10).enumerate() {
        let mut expr = current.clone();
        for (from, to) in chunk {
            expr = format!(
                "REPLACE({expr}, {}, {})",
                dialect.literal(&from.to_string()),
                dialect.literal(to)
            );
        }
        let name = format!("u{index}");
        levels.push(vec![(name.clone(), expr)]);
        current = name;
    }
    (levels, format!("UPPER({current})"))
}

/// Rust's lower case: `İ` becomes `i` and a combining dot, and a capital sigma ending a word becomes `ς`.
fn lower_body(dialect: Dialect, expr: &str) -> String {
    let dotted = format!(
        "REPLACE({expr}, {}, {})",
        dialect.literal("\u{130}"),
        dialect.literal("i\u{307}")
    );
    // RE2 (DuckDB, BigQuery) has no look-ahead, so the letter after the sigma is matched and put back.
    let final_sigma = match dialect {
        Dialect::DuckDb | Dialect::BigQuery => {
            dialect.regexp_replace_all(&dotted, "(\\pL)Σ($|\\PL)", "\\1ς\\2")
        }
        Dialect::Spark | Dialect::Snowflake => {
            dialect.regexp_replace_all(&dotted, "(\\pL)Σ(?:$|(?=\\PL))", "$1ς")
        }
    };
    format!("LOWER({final_sigma})")
}

/// `expr` without leading and trailing Unicode whitespace (Rust's `str::trim`).
pub(crate) fn trim_ws(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::DuckDb => format!("spine_trim({expr})"),
        _ => trim_body(dialect, expr),
    }
}

/// Rust's `str::to_lowercase`.
pub(crate) fn lower(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::DuckDb => format!("spine_lower({expr})"),
        _ => lower_body(dialect, expr),
    }
}

/// The DuckDB macros the script's expressions call.
pub(crate) fn macros(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    if d != Dialect::DuckDb {
        return;
    }
    compiler.script.comment(&[
        "Text functions as the engine applies them: trimming of Unicode whitespace, and upper and lower case",
        "with Rust's multi-character mappings (ß -> SS, İ -> i̇, a word-final Σ -> ς).",
    ]);
    compiler.script.statement(&format!(
        "CREATE OR REPLACE TEMP MACRO spine_trim(s) AS {}",
        trim_body(d, "s")
    ));
    compiler.script.statement(&format!(
        "CREATE OR REPLACE TEMP MACRO spine_upper(s) AS {}",
        upper_body_duckdb(d)
    ));
    compiler.script.statement(&format!(
        "CREATE OR REPLACE TEMP MACRO spine_lower(s) AS {}",
        lower_body(d, "s")
    ));
    compiler.script.comment(&[
        "Similarities as strsim computes them: Jaro-Winkler from DuckDB's Jaro with strsim's own arithmetic",
        "(prefix of at most 4 characters, scale 0.1, only above 0.7), and Sorensen-Dice over the character",
        "bigrams of the values without whitespace, divided by their lengths in bytes as strsim does.",
    ]);
    let prefix: Vec<String> = (1..=4)
        .map(|k| {
            format!(
                "CASE WHEN LENGTH(a) >= {k} AND LENGTH(b) >= {k} AND SUBSTR(a, 1, {k}) = SUBSTR(b, 1, {k}) THEN 1 ELSE 0 END"
            )
        })
        .collect();
    compiler.script.statement(&format!(
        "CREATE OR REPLACE TEMP MACRO spine_jaro_winkler(a, b) AS\n  \
         CASE WHEN JARO_SIMILARITY(a, b) > CAST('0.7' AS DOUBLE)\n    \
         THEN JARO_SIMILARITY(a, b) + CAST('0.1' AS DOUBLE) * CAST({} AS DOUBLE) * (CAST(1 AS DOUBLE) - JARO_SIMILARITY(a, b))\n    \
         ELSE JARO_SIMILARITY(a, b) END",
        prefix.join("\n      + ")
    ));
    let ws = whitespace_class(d);
    compiler.script.statement(
        "CREATE OR REPLACE TEMP MACRO spine_bigrams(t) AS LIST_TRANSFORM(RANGE(1, LENGTH(t)), lambda i: SUBSTR(t, i, 2))"
    );
    compiler.script.statement(
        "CREATE OR REPLACE TEMP MACRO spine_dice(a, b, ba, bb) AS\n  \
         CASE WHEN a = b THEN CAST(1 AS DOUBLE) WHEN STRLEN(a) < 2 OR STRLEN(b) < 2 THEN CAST(0 AS DOUBLE)\n  \
         ELSE CAST(2 * COALESCE(LIST_SUM(LIST_TRANSFORM(LIST_DISTINCT(ba), lambda g:\n    \
         LEAST(LEN(LIST_FILTER(ba, lambda x: x = g)), LEN(LIST_FILTER(bb, lambda x: x = g))))), 0) AS DOUBLE)\n    \
         / CAST(STRLEN(a) + STRLEN(b) - 2 AS DOUBLE) END"
    );
    compiler.script.statement(&format!(
        "CREATE OR REPLACE TEMP MACRO spine_sorensen_dice(x, y) AS\n  \
         spine_dice({a}, {b}, spine_bigrams({a}), spine_bigrams({b}))",
        a = d.regexp_replace_all("x", &format!("[{ws}]+"), ""),
        b = d.regexp_replace_all("y", &format!("[{ws}]+"), ""),
    ));
}

/// A text column of a model table: NULL becomes '' and any type is read as text.
pub(crate) fn cell(dialect: Dialect, alias: &str, column: &str) -> String {
    format!(
        "COALESCE(CAST({alias}.{} AS {}), '')",
        dialect.ident(column),
        dialect.text_type()
    )
}
