//! Text expressions shared by the steps: Unicode whitespace and case mapping as Rust does them, and the DuckDB
//! macros that keep the script readable.

use crate::Compiler;
use crate::dialect::Dialect;
use spine_core::settings::{Algorithm, Comparison};

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

/// The DuckDB macros, or the Spark functions, the script's expressions call.
pub(crate) fn macros(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    if d == Dialect::Spark {
        spark_similarities(compiler);
    }
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

/// The fuzzy algorithms the graph's rules compare with.
fn fuzzy_algorithms(compiler: &Compiler<'_>) -> Vec<Algorithm> {
    compiler
        .settings
        .rules
        .iter()
        .flat_map(|rule| &rule.criteria)
        .filter_map(|criterion| match criterion.comparison {
            Comparison::Fuzzy { algorithm, .. } => Some(algorithm),
            Comparison::Exact => None,
        })
        .collect()
}

/// Spark's SQL functions for the similarities it has no built-in for, written after strsim's code with the
/// same operations in the same order, so the doubles agree to the last bit. Spark refuses a SQL function in an
/// argument of another when it holds a lambda, so intermediate results are bound by `aggregate` over a
/// one-element array (or by its finishing lambda) instead.
fn spark_similarities(compiler: &mut Compiler<'_>) {
    let algorithms = fuzzy_algorithms(compiler);
    let d = compiler.dialect();
    if algorithms
        .iter()
        .any(|a| matches!(a, Algorithm::Jaro | Algorithm::JaroWinkler))
    {
        compiler.script.comment(&[
            "Jaro as strsim computes it: each character of a takes the first unmatched equal character of b",
            "within max(len)/2 - 1 positions; half the matched characters out of order are transpositions.",
            "With winkler, a score above 0.7 gains 0.1 per equal leading character (at most 4) of what is left.",
        ]);
        compiler.script.statement(SPARK_JARO);
    }
    if algorithms.contains(&Algorithm::SorensenDice) {
        compiler.script.comment(&[
            "Sorensen-Dice as strsim computes it: character bigrams of the values without whitespace, shared",
            "bigrams counted with multiplicity, divided by the lengths in bytes.",
        ]);
        compiler.script.statement(SPARK_DICE);
        let ws = whitespace_class(d);
        compiler.script.statement(&format!(
            "CREATE OR REPLACE TEMPORARY FUNCTION spine_sorensen_dice(x STRING, y STRING) RETURNS DOUBLE RETURN\n  \
             spine_dice({}, {})",
            d.regexp_replace_all("x", &format!("[{ws}]+"), ""),
            d.regexp_replace_all("y", &format!("[{ws}]+"), ""),
        ));
    }
    if algorithms.contains(&Algorithm::DamerauLevenshtein) {
        compiler.script.comment(&[
            "The Damerau-Levenshtein distance (adjacent transpositions, substrings edited any number of",
            "times), row by row over the characters, as strsim's distance.",
        ]);
        compiler.script.statement(SPARK_DAMERAU);
    }
}

const SPARK_JARO: &str = "\
CREATE OR REPLACE TEMPORARY FUNCTION spine_jaro(a STRING, b STRING, winkler BOOLEAN) RETURNS DOUBLE RETURN
  CASE WHEN length(a) = 0 AND length(b) = 0 THEN CAST(1 AS DOUBLE)
    WHEN length(a) = 0 OR length(b) = 0 THEN CAST(0 AS DOUBLE)
  ELSE aggregate(
    sequence(0, length(a) - 1),
    named_struct('af', array_repeat(false, length(a)), 'bf', array_repeat(false, length(b)), 'm', 0),
    (s, i) -> aggregate(
      array(try_element_at(
        IF(LEAST(length(b), i + GREATEST(GREATEST(length(a), length(b)) DIV 2 - 1, 0) + 1)
            > GREATEST(i - GREATEST(GREATEST(length(a), length(b)) DIV 2 - 1, 0), 0),
          filter(
            sequence(GREATEST(i - GREATEST(GREATEST(length(a), length(b)) DIV 2 - 1, 0), 0),
              LEAST(length(b), i + GREATEST(GREATEST(length(a), length(b)) DIV 2 - 1, 0) + 1) - 1),
            j -> substr(b, j + 1, 1) = substr(a, i + 1, 1) AND NOT s.bf[j]),
          CAST(array() AS ARRAY<INT>)),
        1)),
      s,
      (t, j) -> IF(j IS NULL, t, named_struct(
        'af', transform(t.af, (x, k) -> IF(k = i, true, x)),
        'bf', transform(t.bf, (x, k) -> IF(k = j, true, x)),
        'm', t.m + 1))),
    f -> aggregate(
      array(IF(f.m = 0, CAST(0 AS DOUBLE),
        (CAST(f.m AS DOUBLE) / CAST(length(a) AS DOUBLE) + CAST(f.m AS DOUBLE) / CAST(length(b) AS DOUBLE)
          + CAST(f.m - size(filter(
            zip_with(
              filter(transform(sequence(0, length(a) - 1), k -> IF(f.af[k], substr(a, k + 1, 1), NULL)), x -> x IS NOT NULL),
              filter(transform(sequence(0, length(b) - 1), k -> IF(f.bf[k], substr(b, k + 1, 1), NULL)), x -> x IS NOT NULL),
              (x, y) -> x != y),
            d -> d)) DIV 2 AS DOUBLE) / CAST(f.m AS DOUBLE)) / CAST(3 AS DOUBLE))),
      CAST(0 AS DOUBLE),
      (z, s) -> IF(winkler AND s > CAST('0.7' AS DOUBLE),
        s + CAST('0.1' AS DOUBLE) * CAST(size(filter(sequence(1, 4),
          p -> length(a) >= p AND length(b) >= p AND substr(a, 1, p) = substr(b, 1, p))) AS DOUBLE) * (CAST(1 AS DOUBLE) - s),
        s)))
  END";

const SPARK_DICE: &str = "\
CREATE OR REPLACE TEMPORARY FUNCTION spine_dice(a STRING, b STRING) RETURNS DOUBLE RETURN
  CASE WHEN a = b THEN CAST(1 AS DOUBLE)
    WHEN octet_length(a) < 2 OR octet_length(b) < 2 THEN CAST(0 AS DOUBLE)
  ELSE aggregate(
    array(named_struct(
      'ba', IF(length(a) >= 2, transform(sequence(1, length(a) - 1), i -> substr(a, i, 2)), CAST(array() AS ARRAY<STRING>)),
      'bb', IF(length(b) >= 2, transform(sequence(1, length(b) - 1), i -> substr(b, i, 2)), CAST(array() AS ARRAY<STRING>)))),
    CAST(0 AS DOUBLE),
    (z, g) -> CAST(2 * aggregate(array_distinct(g.ba), 0, (acc, x) ->
        acc + LEAST(size(filter(g.ba, y -> y = x)), size(filter(g.bb, y -> y = x)))) AS DOUBLE)
      / CAST(octet_length(a) + octet_length(b) - 2 AS DOUBLE))
  END";

const SPARK_DAMERAU: &str = "\
CREATE OR REPLACE TEMPORARY FUNCTION spine_damerau(a STRING, b STRING) RETURNS INT RETURN
  CASE WHEN length(a) = 0 THEN length(b) WHEN length(b) = 0 THEN length(a)
  ELSE element_at(element_at(aggregate(
    sequence(1, length(a)),
    array(array_repeat(length(a) + length(b), length(b) + 2),
      concat(array(length(a) + length(b)), sequence(0, length(b)))),
    (rows, i) -> concat(rows, array(aggregate(
      sequence(1, length(b)),
      array(length(a) + length(b), i),
      (row, j) -> concat(row, array(LEAST(
        rows[i][j] + IF(substr(a, i, 1) = substr(b, j, 1), 0, 1),
        row[j] + 1,
        rows[i][j + 1] + 1,
        aggregate(array(named_struct(
            'k', IF(i > 1, coalesce(array_max(filter(sequence(1, i - 1), p -> substr(a, p, 1) = substr(b, j, 1))), 0), 0),
            'l', IF(j > 1, coalesce(array_max(filter(sequence(1, j - 1), q -> substr(b, q, 1) = substr(a, i, 1))), 0), 0))),
          0, (z, kl) -> rows[kl.k][kl.l] + (i - kl.k - 1) + 1 + (j - kl.l - 1))))))))),
    length(a) + 2), length(b) + 2)
  END";
