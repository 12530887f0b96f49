//! Step 9 (golden records) and the profile-level output tables: every record's order value parsed as the engine
//! parses it, each golden field's winner per profile by its strategy and the SPEC section 10 tie-breaks, then
//! `identity_golden`, `identity_golden_lineage` and `identity_matched_ids`.
//!
//! Work tables:
//! - `spine_work_order(rec, seconds, nanos)`: the parsed order value of every record (seconds since the Unix
//!   epoch and nanoseconds); both NULL when the value is absent, empty or unparsable, which sorts as oldest.
//! - `spine_work_candidate(profile, field_index, rec, value)`: the non-null values of each golden field over
//!   the records of each emitted profile (raw cells, or the used standardized values of an identifier).
//! - `spine_work_golden(profile, field_index, value, rec)`: the winning value and record of each golden field
//!   with at least one candidate.
//! - `spine_work_seen(profile, first_seen_at, last_seen_at)`: the raw order values of the earliest and latest
//!   record of each profile whose order value parses.

use crate::dialect::Dialect;
use crate::instant;
use crate::text::trim_ws;
use crate::{Compiler, Refusal};
use spine_core::settings::{GoldenSource, Strategy};

/// The double-precision float type of the dialect.
fn double_type(d: Dialect) -> &'static str {
    match d {
        Dialect::BigQuery => "FLOAT64",
        _ => "DOUBLE",
    }
}

/// The ASCII decimal grammar of `max` and `min` (optional sign, fraction and exponent, at least one digit).
const DECIMAL: &str = "[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?";

/// Every step of this module, in order.
pub(crate) fn tables(compiler: &mut Compiler<'_>) -> Result<(), Refusal> {
    refusals(compiler)?;
    orders(compiler);
    candidates(compiler);
    winners(compiler);
    seen(compiler);
    golden_table(compiler);
    lineage(compiler);
    matched_ids(compiler);
    Ok(())
}

/// The strategies a dialect cannot run exactly as the engine does.
fn refusals(compiler: &Compiler<'_>) -> Result<(), Refusal> {
    let d = compiler.dialect();
    for field in &compiler.settings.golden {
        let numeric = matches!(field.strategy, Strategy::Max | Strategy::Min);
        if numeric && matches!(d, Dialect::Snowflake | Dialect::BigQuery) {
            return Err(compiler.refuse(
                &format!("golden field '{}' strategy '{}'", field.name, field.strategy.as_str()),
                None,
                "the dialect's cast from text to a float fails on an out-of-range decimal such as 1e999, which \
                 the engine reads as infinity",
            ));
        }
    }
    Ok(())
}

/// Parses every record's order value: all ASCII digits are Unix seconds (up to the largest 64-bit integer),
/// otherwise a date or timestamp of the accepted forms, checked against the calendar and the clock.
fn orders(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let record = compiler.script.table("spine_work_record");
    compiler.script.comment(&[
        "Step 9 (golden records), order values: trimmed; all ASCII digits are Unix seconds; otherwise",
        "YYYY-MM-DD or YYYY-MM-DD(T|t|space)HH:MM[:SS[(.|,)fraction]] with Z, +HH, +HHMM or +HH:MM (no zone is",
        "UTC). An absent, empty or unparsable value has NULL seconds and sorts as the oldest.",
    ]);
    compiler.script.create(
        "spine_work_order",
        &format!(
            "SELECT rec, seconds, CASE WHEN seconds IS NOT NULL THEN nanos END AS nanos\nFROM ({}) AS parsed",
            instant::parsed(
                d,
                &format!(
                    "SELECT rec, {} AS t FROM {record}",
                    trim_ws(d, "order_raw")
                )
            )
        ),
    );
}

/// The non-null values of every golden field over the records of every emitted profile.
fn candidates(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let s = &compiler.script;
    let member = s.table("spine_work_member");
    let cell = s.table("spine_work_cell");
    let used = s.table("spine_work_used");
    let mut selects = Vec::new();
    for (index, field) in compiler.settings.golden.iter().enumerate() {
        selects.push(match &field.source {
            GoldenSource::Identifier(identifier) => format!(
                "SELECT m.profile, {index} AS field_index, u.rec, u.value\n\
                 FROM {used} AS u JOIN {member} AS m ON m.rec = u.rec WHERE u.identifier_index = {identifier}"
            ),
            // Two golden fields may read one source field, so the cells of a field are made distinct first.
            GoldenSource::Field(name) => format!(
                "SELECT m.profile, {index} AS field_index, c.rec, c.value\n\
                 FROM (SELECT DISTINCT rec, value FROM {cell} WHERE field = {}) AS c\n\
                 JOIN {member} AS m ON m.rec = c.rec WHERE {} <> ''",
                d.literal(name),
                trim_ws(d, "c.value")
            ),
        });
    }
    if selects.is_empty() {
        selects.push(format!(
            "SELECT profile, 0 AS field_index, rec, CAST('' AS {}) AS value FROM {member} WHERE 1 = 0",
            d.text_type()
        ));
    }
    compiler.script.comment(&[
        "The candidates of each golden field: its non-empty raw cells (empty and whitespace-only cells are",
        "null), or the used standardized values of its identifier, over the records of each emitted profile.",
    ]);
    compiler
        .script
        .create("spine_work_candidate", &selects.join("\nUNION ALL\n"));
}

/// The winner of every golden field: the strategy's own rule first, then the latest order value, anchor order
/// (model priority, model name, key) and the value itself.
fn winners(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let settings = compiler.settings;
    let s = &compiler.script;
    let candidate = s.table("spine_work_candidate");
    let order = s.table("spine_work_order");
    let record = s.table("spine_work_record");
    let tie = "seconds DESC NULLS LAST, nanos DESC NULLS LAST, rec, value";
    let mut selects = Vec::new();
    for (index, field) in settings.golden.iter().enumerate() {
        let (extra, rule) = match field.strategy {
            Strategy::LastNonNull | Strategy::AllDistinct => (String::new(), String::new()),
            // An absent or unparsable order value is the oldest, so such a record is the first.
            Strategy::FirstNonNull => (
                String::new(),
                "seconds NULLS FIRST, nanos NULLS FIRST, ".to_owned(),
            ),
            // Candidates are distinct (record, value) pairs, so counting rows counts records.
            Strategy::MostFrequent => (
                ", COUNT(*) OVER (PARTITION BY c.profile, c.value) AS frequency".to_owned(),
                "frequency DESC, ".to_owned(),
            ),
            Strategy::ModelPriority => {
                let ranks: Vec<String> = field
                    .model_rank
                    .iter()
                    .enumerate()
                    .map(|(place, model)| format!("WHEN {model} THEN {place}"))
                    .collect();
                (
                    format!(
                        ", CASE r.model_index {} END AS model_place",
                        ranks.join(" ")
                    ),
                    "model_place, ".to_owned(),
                )
            }
            Strategy::Longest => (
                format!(", {} AS value_length", d.char_length("c.value")),
                "value_length DESC, ".to_owned(),
            ),
            Strategy::Max | Strategy::Min => {
                let trimmed = trim_ws(d, "c.value");
                let is_decimal = d.regexp_full_match(&trimmed, DECIMAL);
                let direction = if field.strategy == Strategy::Max {
                    "DESC"
                } else {
                    "ASC"
                };
                (
                    format!(
                        ",\n    MIN(CASE WHEN {is_decimal} THEN 1 ELSE 0 END) OVER (PARTITION BY c.profile) AS all_numbers,\n    \
                         CAST(CASE WHEN {is_decimal} THEN {trimmed} END AS {}) AS number",
                        double_type(d)
                    ),
                    // Every candidate a decimal: compare numbers; otherwise compare the texts by code points.
                    format!(
                        "CASE WHEN all_numbers = 1 THEN number END {direction}, \
                         CASE WHEN all_numbers = 1 THEN NULL ELSE value END {direction}, "
                    ),
                )
            }
        };
        let ranked = format!(
            "SELECT profile, field_index, rec, value, ROW_NUMBER() OVER (PARTITION BY profile ORDER BY {rule}{tie}) AS place\n  \
             FROM (SELECT c.profile, c.field_index, c.rec, c.value, o.seconds, o.nanos{extra}\n    \
             FROM {candidate} AS c JOIN {order} AS o ON o.rec = c.rec JOIN {record} AS r ON r.rec = c.rec\n    \
             WHERE c.field_index = {index}) AS c"
        );
        selects.push(if field.strategy == Strategy::AllDistinct {
            // The value is every distinct candidate sorted by code points and joined with '|'; the record is the
            // one the tie-breaks pick.
            format!(
                "SELECT w.profile, w.field_index, j.value, w.rec\n\
                 FROM ({ranked}) AS w\n\
                 JOIN (SELECT profile, {} AS value\n  \
                 FROM (SELECT DISTINCT profile, value FROM {candidate} WHERE field_index = {index}) AS v\n  \
                 GROUP BY profile) AS j ON j.profile = w.profile\n\
                 WHERE w.place = 1",
                d.string_agg("value", "|", "value")
            )
        } else {
            format!("SELECT profile, field_index, value, rec FROM ({ranked}) AS w WHERE place = 1")
        });
    }
    if selects.is_empty() {
        selects.push(format!(
            "SELECT profile, field_index, value, rec FROM {candidate} WHERE 1 = 0"
        ));
    }
    let names: Vec<String> = settings
        .golden
        .iter()
        .map(|f| format!("{} ({})", f.name, f.strategy.as_str()))
        .collect();
    compiler.script.comment(&[
        "The winner of each golden field: the strategy's own rule, then the latest order value, then anchor",
        "order (model priority, model name, key), then the value itself (by code points).",
        &format!("Golden fields: {}.", if names.is_empty() { "none".to_owned() } else { names.join(", ") }),
    ]);
    compiler
        .script
        .create("spine_work_golden", &selects.join("\nUNION ALL\n"));
}

/// The SQL that ranks rows of `partition` by order value both ways (`first_place`, `last_place`), earlier
/// records in anchor order winning ties; rows without a parsable value rank last both ways.
fn seen_places(partition: &str) -> String {
    format!(
        "ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY seconds NULLS LAST, nanos NULLS LAST, rec) AS first_place,\n    \
         ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY seconds DESC NULLS LAST, nanos DESC NULLS LAST, rec) AS last_place"
    )
}

/// The first and last seen raw order values of every profile.
fn seen(compiler: &mut Compiler<'_>) {
    let s = &compiler.script;
    let member = s.table("spine_work_member");
    let order = s.table("spine_work_order");
    let record = s.table("spine_work_record");
    compiler.script.comment(&[
        "first_seen_at and last_seen_at: the raw order values of the profile's earliest and latest record whose",
        "order value parses (ties to the record first in anchor order), empty when none does.",
    ]);
    compiler.script.create(
        "spine_work_seen",
        &format!(
            "SELECT profile,\n  \
             COALESCE(MAX(CASE WHEN first_place = 1 AND seconds IS NOT NULL THEN order_raw END), '') AS first_seen_at,\n  \
             COALESCE(MAX(CASE WHEN last_place = 1 AND seconds IS NOT NULL THEN order_raw END), '') AS last_seen_at\n\
             FROM (SELECT held.*,\n    {}\n  \
             FROM (SELECT m.profile, m.rec, r.order_raw, o.seconds, o.nanos\n    \
             FROM {member} AS m JOIN {record} AS r ON r.rec = m.rec JOIN {order} AS o ON o.rec = m.rec) AS held\n\
             ) AS placed\n\
             GROUP BY profile",
            seen_places("profile")
        ),
    );
}

fn golden_table(compiler: &mut Compiler<'_>) {
    let settings = compiler.settings;
    let s = &compiler.script;
    let profile = s.table("spine_work_profile");
    let member = s.table("spine_work_member");
    let record = s.table("spine_work_record");
    let golden = s.table("spine_work_golden");
    let seen = s.table("spine_work_seen");
    let id_col = s.col(&settings.id_column);
    let pivot: Vec<String> = (0..settings.golden.len())
        .map(|index| format!("MAX(CASE WHEN field_index = {index} THEN value END) AS v{index}"))
        .collect();
    let fields: Vec<String> = settings
        .golden
        .iter()
        .enumerate()
        .map(|(index, field)| format!("COALESCE(g.v{index}, '') AS {}", s.col(&field.name)))
        .collect();
    let (field_columns, golden_join) = if fields.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!("{},\n  ", fields.join(", ")),
            format!(
                "\nLEFT JOIN (SELECT profile, {} FROM {golden} GROUP BY profile) AS g ON g.profile = p.profile",
                pivot.join(", ")
            ),
        )
    };
    compiler.script.comment(&[
        "identity_golden: one row per emitted profile, each golden field in graph order, the anchor record as",
        "representative, the number of records and of distinct models, first and last seen order values.",
    ]);
    compiler.script.create(
        "identity_golden",
        &format!(
            "SELECT p.dinmo_id AS {id_col}, {field_columns}r.model AS representative_model, r.key AS representative_key,\n  \
             p.record_count, mc.model_count, sn.first_seen_at, sn.last_seen_at\n\
             FROM {profile} AS p JOIN {record} AS r ON r.rec = p.profile\n\
             JOIN (SELECT m.profile, COUNT(DISTINCT x.model_index) AS model_count\n  \
             FROM {member} AS m JOIN {record} AS x ON x.rec = m.rec GROUP BY m.profile) AS mc ON mc.profile = p.profile\n\
             JOIN {seen} AS sn ON sn.profile = p.profile{golden_join}"
        ),
    );
}

fn lineage(compiler: &mut Compiler<'_>) {
    let settings = compiler.settings;
    let d = compiler.dialect();
    let s = &compiler.script;
    let profile = s.table("spine_work_profile");
    let record = s.table("spine_work_record");
    let golden = s.table("spine_work_golden");
    let id_col = s.col(&settings.id_column);
    let mut fields: Vec<String> = settings
        .golden
        .iter()
        .enumerate()
        .map(|(index, field)| {
            format!(
                "SELECT {index} AS field_index, {} AS field, {} AS strategy",
                d.literal(&field.name),
                d.literal(field.strategy.as_str())
            )
        })
        .collect();
    if fields.is_empty() {
        let text = d.text_type();
        fields.push(format!(
            "SELECT 0 AS field_index, CAST('' AS {text}) AS field, CAST('' AS {text}) AS strategy FROM {profile} WHERE 1 = 0"
        ));
    }
    compiler.script.comment(&[
        "identity_golden_lineage: every golden field of every profile with its value and the record it came",
        "from (empty value, model and key when no record has one), and the strategy.",
    ]);
    compiler.script.create(
        "identity_golden_lineage",
        &format!(
            "SELECT p.dinmo_id AS {id_col}, f.field, COALESCE(g.value, '') AS value, COALESCE(r.model, '') AS model,\n  \
             COALESCE(r.key, '') AS key, f.strategy\n\
             FROM {profile} AS p CROSS JOIN ({}) AS f\n\
             LEFT JOIN {golden} AS g ON g.profile = p.profile AND g.field_index = f.field_index\n\
             LEFT JOIN {record} AS r ON r.rec = g.rec",
            fields.join(" UNION ALL ")
        ),
    );
}

fn matched_ids(compiler: &mut Compiler<'_>) {
    let settings = compiler.settings;
    let d = compiler.dialect();
    let s = &compiler.script;
    let profile = s.table("spine_work_profile");
    let member = s.table("spine_work_member");
    let record = s.table("spine_work_record");
    let order = s.table("spine_work_order");
    let used = s.table("spine_work_used");
    let id_col = s.col(&settings.id_column);
    let mut names: Vec<String> = settings
        .identifiers
        .iter()
        .enumerate()
        .map(|(index, identifier)| {
            format!(
                "SELECT {index} AS identifier_index, {} AS name",
                d.literal(&identifier.name)
            )
        })
        .collect();
    if names.is_empty() {
        names.push(format!(
            "SELECT 0 AS identifier_index, CAST('' AS {}) AS name FROM {profile} WHERE 1 = 0",
            d.text_type()
        ));
    }
    let held = format!(
        "SELECT m.profile, u.identifier_index, u.value, u.rec, r.model, r.order_raw, o.seconds, o.nanos\n    \
         FROM {used} AS u JOIN {member} AS m ON m.rec = u.rec JOIN {record} AS r ON r.rec = u.rec\n    \
         JOIN {order} AS o ON o.rec = u.rec"
    );
    compiler.script.comment(&[
        "identity_matched_ids: every used value of every profile with the number of its records holding it,",
        "their distinct model names sorted and joined with |, and the first and last seen order values over them.",
    ]);
    compiler.script.create(
        "identity_matched_ids",
        &format!(
            "SELECT p.dinmo_id AS {id_col}, i.name AS identifier, h.value, h.record_count, ms.models,\n  \
             h.first_seen_at, h.last_seen_at\n\
             FROM (\n  \
             SELECT profile, identifier_index, value, COUNT(*) AS record_count,\n    \
             COALESCE(MAX(CASE WHEN first_place = 1 AND seconds IS NOT NULL THEN order_raw END), '') AS first_seen_at,\n    \
             COALESCE(MAX(CASE WHEN last_place = 1 AND seconds IS NOT NULL THEN order_raw END), '') AS last_seen_at\n  \
             FROM (SELECT held.*,\n    {}\n    FROM ({held}) AS held) AS placed\n  \
             GROUP BY profile, identifier_index, value\n\
             ) AS h\n\
             JOIN (\n  \
             SELECT profile, identifier_index, value, {} AS models\n  \
             FROM (SELECT DISTINCT profile, identifier_index, value, model FROM ({held}) AS held) AS dm\n  \
             GROUP BY profile, identifier_index, value\n\
             ) AS ms ON ms.profile = h.profile AND ms.identifier_index = h.identifier_index AND ms.value = h.value\n\
             JOIN {profile} AS p ON p.profile = h.profile\n\
             JOIN ({}) AS i ON i.identifier_index = h.identifier_index",
            seen_places("profile, identifier_index, value"),
            d.string_agg("model", "|", "model"),
            names.join(" UNION ALL ")
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::{Dialect, SqlOptions, compile};
    use spine_core::Settings;
    use spine_core::validate::{parse_graph, validate};

    /// A graph whose model and golden field names hold quotes.
    fn settings(strategy: &str) -> Settings {
        let json = format!(
            r#"{{
  "version": 1,
  "name": "quoting",
  "models": [
    {{"name": "we\"ird", "primary_key": "id", "order_by": "updated", "priority": 1,
      "identifiers": {{"email": "email"}}, "fields": {{"it's": "city"}}}},
    {{"name": "shop", "primary_key": "id", "priority": 2,
      "identifiers": {{"email": "email"}}, "fields": {{"it's": "town"}}}}
  ],
  "identifiers": [{{"name": "email", "kind": "email", "standardize": ["email"]}}],
  "rules": [{{"name": "same_email", "criteria": [{{"identifiers": ["email"], "match": "exact"}}]}}],
  "golden": {{"fields": [
    {{"name": "it's", "strategy": "{strategy}"}},
    {{"name": "email", "strategy": "model_priority", "model_order": ["shop"]}}
  ]}}
}}"#
        );
        let graph = parse_graph(&json).expect("the test graph parses");
        validate(&graph, None).expect("the test graph is valid")
    }

    fn script(strategy: &str, dialect: Dialect) -> String {
        compile(&settings(strategy), dialect, &SqlOptions::default()).expect("the graph compiles")
    }

    #[test]
    fn names_with_quotes_stay_one_name_or_one_literal() {
        let sql = script("longest", Dialect::DuckDb);
        // The golden column is an identifier, the lineage field name a literal, the source field a literal.
        assert!(sql.contains("COALESCE(g.v0, '') AS \"it's\""), "{sql}");
        assert!(
            sql.contains("SELECT 0 AS field_index, 'it''s' AS field, 'longest' AS strategy"),
            "{sql}"
        );
        assert!(sql.contains("WHERE field = 'it''s'"), "{sql}");
        let spark = script("longest", Dialect::Spark);
        assert!(spark.contains("COALESCE(g.v0, '') AS `it's`"), "{spark}");
        assert!(spark.contains("'it\\'s' AS field"), "{spark}");
    }

    #[test]
    fn each_strategy_writes_its_own_rule_before_the_tie_breaks() {
        let tie = "seconds DESC NULLS LAST, nanos DESC NULLS LAST, rec, value) AS place";
        for (strategy, rule) in [
            ("last_non_null", "ORDER BY seconds DESC"),
            ("all_distinct", "ORDER BY seconds DESC"),
            (
                "first_non_null",
                "ORDER BY seconds NULLS FIRST, nanos NULLS FIRST, seconds DESC",
            ),
            ("most_frequent", "ORDER BY frequency DESC, seconds DESC"),
            ("longest", "ORDER BY value_length DESC, seconds DESC"),
            (
                "max",
                "ORDER BY CASE WHEN all_numbers = 1 THEN number END DESC, \
                 CASE WHEN all_numbers = 1 THEN NULL ELSE value END DESC, seconds DESC",
            ),
            (
                "min",
                "ORDER BY CASE WHEN all_numbers = 1 THEN number END ASC, \
                 CASE WHEN all_numbers = 1 THEN NULL ELSE value END ASC, seconds DESC",
            ),
        ] {
            let sql = script(strategy, Dialect::DuckDb);
            assert!(sql.contains(rule), "{strategy}: {sql}");
            assert!(sql.contains(tie), "{strategy}");
        }
        // The email field's model_order puts shop (model 1) first, then the other model by priority.
        let sql = script("longest", Dialect::DuckDb);
        assert!(
            sql.contains("CASE r.model_index WHEN 1 THEN 0 WHEN 0 THEN 1 END AS model_place"),
            "{sql}"
        );
        assert!(!sql.contains("STRING_AGG(value, '|' ORDER BY value)"));
        let sql = script("all_distinct", Dialect::DuckDb);
        assert!(
            sql.contains("STRING_AGG(value, '|' ORDER BY value)"),
            "{sql}"
        );
    }

    #[test]
    fn numeric_strategies_are_refused_where_casts_reject_huge_decimals() {
        for dialect in [Dialect::Snowflake, Dialect::BigQuery] {
            let refusal = compile(&settings("max"), dialect, &SqlOptions::default())
                .expect_err("max is refused");
            assert_eq!(refusal.dialect, dialect);
            assert_eq!(refusal.what, "golden field 'it's' strategy 'max'");
            assert!(
                refusal
                    .to_string()
                    .starts_with(&format!("{dialect}: golden field"))
            );
        }
        assert!(compile(&settings("min"), Dialect::Spark, &SqlOptions::default()).is_ok());
        assert!(
            compile(
                &settings("longest"),
                Dialect::BigQuery,
                &SqlOptions::default()
            )
            .is_ok()
        );
    }
}
