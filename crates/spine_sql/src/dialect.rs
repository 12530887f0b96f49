//! What differs between warehouses: quoting of names and literals, and the spelling of the few functions the
//! script needs. Everything else in the script is the SQL all four engines share.

use std::fmt;

/// A SQL engine the script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dialect {
    DuckDb,
    Spark,
    Snowflake,
    BigQuery,
}

impl Dialect {
    /// Every dialect, in the order the command line lists them.
    pub const ALL: [Dialect; 4] = [
        Dialect::DuckDb,
        Dialect::Spark,
        Dialect::Snowflake,
        Dialect::BigQuery,
    ];

    /// The name used on the command line and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::DuckDb => "duckdb",
            Self::Spark => "spark",
            Self::Snowflake => "snowflake",
            Self::BigQuery => "bigquery",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }

    /// A quoted identifier: a name with a quote in it stays one name and cannot end the quoting early.
    pub fn ident(self, name: &str) -> String {
        match self {
            Self::DuckDb | Self::Snowflake => format!("\"{}\"", name.replace('"', "\"\"")),
            Self::Spark => format!("`{}`", name.replace('`', "``")),
            Self::BigQuery => {
                let mut out = String::from("`");
                for ch in name.chars() {
                    match ch {
                        '`' => out.push_str("\\`"),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        _ => out.push(ch),
                    }
                }
                out.push('`');
                out
            }
        }
    }

    /// A string literal. DuckDB reads backslashes as themselves; Spark, Snowflake and BigQuery read them as
    /// escapes, so they are doubled there; line breaks are written as escapes where the dialect has them, so
    /// no statement ever holds a raw line break inside a literal.
    pub fn literal(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 2);
        match self {
            Self::DuckDb => {
                // DuckDB has no escapes in plain literals; a line break is spliced in with chr().
                let mut parts: Vec<String> = Vec::new();
                let mut current = String::new();
                for ch in text.chars() {
                    match ch {
                        '\n' | '\r' => {
                            parts.push(format!("'{}'", current.replace('\'', "''")));
                            parts.push(format!("chr({})", u32::from(ch)));
                            current.clear();
                        }
                        _ => current.push(ch),
                    }
                }
                if parts.is_empty() {
                    return format!("'{}'", current.replace('\'', "''"));
                }
                parts.push(format!("'{}'", current.replace('\'', "''")));
                return format!("({})", parts.join(" || "));
            }
            Self::Spark | Self::BigQuery | Self::Snowflake => {
                out.push('\'');
                for ch in text.chars() {
                    match ch {
                        '\\' => out.push_str("\\\\"),
                        '\'' if self == Self::Snowflake => out.push_str("''"),
                        '\'' => out.push_str("\\'"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        _ => out.push(ch),
                    }
                }
                out.push('\'');
            }
        }
        out
    }

    /// The text type of the dialect.
    pub fn text_type(self) -> &'static str {
        match self {
            Self::DuckDb | Self::Snowflake => "VARCHAR",
            Self::Spark | Self::BigQuery => "STRING",
        }
    }

    /// The 64-bit integer type of the dialect.
    pub fn int_type(self) -> &'static str {
        match self {
            Self::BigQuery => "INT64",
            _ => "BIGINT",
        }
    }

    /// Lower-case hex MD5 of a text.
    pub fn md5_hex(self, expr: &str) -> String {
        match self {
            Self::BigQuery => format!("TO_HEX(MD5({expr}))"),
            _ => format!("MD5({expr})"),
        }
    }

    /// Replaces every match of a regular expression (written for this dialect's engine).
    pub fn regexp_replace_all(self, expr: &str, pattern: &str, replacement: &str) -> String {
        let pattern = self.literal(pattern);
        let replacement = self.literal(replacement);
        match self {
            Self::DuckDb => format!("REGEXP_REPLACE({expr}, {pattern}, {replacement}, 'g')"),
            _ => format!("REGEXP_REPLACE({expr}, {pattern}, {replacement})"),
        }
    }

    /// Integer division of non-negative integers.
    pub fn int_div(self, a: &str, b: &str) -> String {
        match self {
            Self::DuckDb => format!("(({a}) // ({b}))"),
            Self::Spark => format!("(({a}) DIV ({b}))"),
            Self::BigQuery => format!("DIV({a}, {b})"),
            // Snowflake divides integers into a decimal rounded to six places, which FLOOR could round up;
            // taking the remainder off first keeps the quotient exact.
            Self::Snowflake => format!("CAST((({a}) - MOD({a}, {b})) / ({b}) AS BIGINT)"),
        }
    }

    /// A decimal type wide enough for any `i64` of seconds and the difference of two.
    pub fn wide_type(self) -> &'static str {
        match self {
            Self::BigQuery => "NUMERIC",
            _ => "DECIMAL(38, 0)",
        }
    }

    /// True when the whole text matches the regular expression.
    pub fn regexp_full_match(self, expr: &str, pattern: &str) -> String {
        match self {
            Self::DuckDb => format!("REGEXP_FULL_MATCH({expr}, {})", self.literal(pattern)),
            // Java's `$` also matches before a final line break; `\z` only at the very end.
            Self::Spark => format!(
                "({expr} RLIKE {})",
                self.literal(&format!("^(?:{pattern})\\z"))
            ),
            Self::Snowflake => format!("REGEXP_LIKE({expr}, {})", self.literal(pattern)),
            Self::BigQuery => format!(
                "REGEXP_CONTAINS({expr}, {})",
                self.literal(&format!("^(?:{pattern})$"))
            ),
        }
    }

    /// True when some part of the text matches the regular expression.
    pub fn regexp_contains(self, expr: &str, pattern: &str) -> String {
        match self {
            Self::DuckDb => format!("REGEXP_MATCHES({expr}, {})", self.literal(pattern)),
            Self::Spark => format!("({expr} RLIKE {})", self.literal(pattern)),
            Self::Snowflake => format!(
                "REGEXP_LIKE({expr}, {})",
                self.literal(&format!(".*(?:{pattern}).*"))
            ),
            Self::BigQuery => format!("REGEXP_CONTAINS({expr}, {})", self.literal(pattern)),
        }
    }

    /// The first capture group of the first match, or '' when nothing matches.
    pub fn regexp_extract(self, expr: &str, pattern: &str) -> String {
        let literal = self.literal(pattern);
        match self {
            Self::DuckDb => format!("REGEXP_EXTRACT({expr}, {literal}, 1)"),
            Self::Spark => format!("REGEXP_EXTRACT({expr}, {literal}, 1)"),
            Self::Snowflake => {
                format!("COALESCE(REGEXP_SUBSTR({expr}, {literal}, 1, 1, 'e', 1), '')")
            }
            Self::BigQuery => format!("COALESCE(REGEXP_EXTRACT({expr}, {literal}), '')"),
        }
    }

    /// The number of characters (Unicode scalar values) of a text.
    pub fn char_length(self, expr: &str) -> String {
        format!("LENGTH({expr})")
    }

    /// Texts of a group joined with a separator in the given order.
    pub fn string_agg(self, expr: &str, separator: &str, order_by: &str) -> String {
        let sep = self.literal(separator);
        match self {
            Self::DuckDb => format!("STRING_AGG({expr}, {sep} ORDER BY {order_by})"),
            // Like STRING_AGG, a group without a value gives NULL rather than ''.
            Self::Snowflake => format!(
                "CASE WHEN COUNT({expr}) = 0 THEN NULL ELSE LISTAGG({expr}, {sep}) WITHIN GROUP (ORDER BY {order_by}) END"
            ),
            Self::BigQuery => format!("STRING_AGG({expr}, {sep} ORDER BY {order_by})"),
            // Spark sorts a collected array of (order, value) structs (NULL values left out), then keeps the
            // values.
            Self::Spark => format!(
                "CASE WHEN COUNT({expr}) = 0 THEN NULL ELSE ARRAY_JOIN(TRANSFORM(ARRAY_SORT(COLLECT_LIST(\n      \
                 CASE WHEN {expr} IS NOT NULL THEN STRUCT({order_by}, {expr} AS v) END)), x -> x.v), {sep}) END"
            ),
        }
    }

    /// The 1-based position of the first occurrence of `needle` in `expr`, 0 when absent.
    pub fn strpos(self, expr: &str, needle: &str) -> String {
        match self {
            Self::Spark => format!("INSTR({expr}, {needle})"),
            Self::Snowflake => format!("POSITION({needle}, {expr})"),
            _ => format!("STRPOS({expr}, {needle})"),
        }
    }

    /// `UNION` that removes duplicates (BigQuery spells it out).
    pub fn union_distinct(self) -> &'static str {
        match self {
            Self::BigQuery => "UNION DISTINCT",
            _ => "UNION",
        }
    }

    /// Casts an integer expression to text.
    pub fn to_text(self, expr: &str) -> String {
        format!("CAST({expr} AS {})", self.text_type())
    }

    /// A statement that stops the script with a message when a condition holds.
    pub fn fail_when(self, condition_query: &str, message: &str) -> String {
        let message = self.literal(message);
        match self {
            Self::DuckDb => format!(
                "SELECT CASE WHEN EXISTS ({condition_query}) THEN ERROR({message}) END AS spine_check"
            ),
            Self::Spark => format!(
                "SELECT CASE WHEN EXISTS ({condition_query}) THEN RAISE_ERROR({message}) END AS spine_check"
            ),
            Self::BigQuery => format!(
                "SELECT CASE WHEN EXISTS ({condition_query}) THEN ERROR({message}) END AS spine_check"
            ),
            // Snowflake has no error function in SQL; a failing cast of the message stops the script with it.
            Self::Snowflake => format!(
                "SELECT CASE WHEN EXISTS ({condition_query}) THEN CAST({message} AS INTEGER) END AS spine_check"
            ),
        }
    }

    /// `CREATE OR REPLACE TABLE name AS query`.
    pub fn create_table(self, name: &str, query: &str) -> String {
        format!("CREATE OR REPLACE TABLE {name} AS\n{query}")
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_cannot_escape_names_or_literals() {
        assert_eq!(Dialect::DuckDb.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::BigQuery.ident("a`b"), "`a\\`b`");
        assert_eq!(Dialect::DuckDb.literal("it's"), "'it''s'");
        assert_eq!(Dialect::DuckDb.literal("a\nb"), "('a' || chr(10) || 'b')");
        assert_eq!(Dialect::Spark.literal("it's \\"), "'it\\'s \\\\'");
        assert_eq!(Dialect::Snowflake.literal("it's \\"), "'it''s \\\\'");
        assert_eq!(Dialect::BigQuery.literal("a\nb"), "'a\\nb'");
    }

    #[test]
    fn names_round_trip() {
        for dialect in Dialect::ALL {
            assert_eq!(Dialect::from_name(dialect.name()), Some(dialect));
        }
        assert_eq!(Dialect::from_name("postgres"), None);
    }
}
