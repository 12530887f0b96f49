//! Steps 2 and 3 (standardize, missing): one observation per record, identifier and distinct raw value, each
//! identifier's steps as SQL expressions, blocked values and patterns, `max_records_per_value` quarantine, and
//! `identity_lookup`.
//!
//! Work tables:
//! - `spine_work_raw(rec, identifier_index, raw_value)`: distinct raw values of each record and identifier.
//! - `spine_work_std(identifier_index, raw_value, value, err)`: each distinct raw value through the steps
//!   (`err` is the invalid detail, NULL when the steps accept the value).
//! - `spine_work_obs(rec, identifier, identifier_index, identifier_rank, raw_value, standardized_value,
//!   status, detail)`: the observations; `identifier_rank` is the identifier's place by name.

use crate::dialect::Dialect;
use crate::load::join_records;
use crate::text::{lower, trim_ws, whitespace_class};
use crate::{Compiler, Refusal};
use spine_core::settings::{Identifier, Step};
use spine_core::standardize::{empty_reason, step_name};

/// One step as SQL over the column `v`: levels of helper columns computed first (each level may use the
/// previous ones), the rejection reason (NULL when accepted) and the new value.
struct StepSql {
    levels: Vec<Vec<(String, String)>>,
    error: Option<String>,
    value: String,
}

impl StepSql {
    fn value(value: String) -> Self {
        Self {
            levels: Vec::new(),
            error: None,
            value,
        }
    }
}

const HONORIFICS: [&str; 8] = ["dr", "miss", "mlle", "mme", "mr", "mrs", "ms", "prof"];

fn step_sql(
    compiler: &Compiler<'_>,
    identifier: &Identifier,
    step: Step,
) -> Result<StepSql, Refusal> {
    let d = compiler.dialect();
    let ws = whitespace_class(d);
    let lit = |text: &str| d.literal(text);
    let refuse = |why: &str| {
        compiler.refuse(
            &format!("step '{}'", step_name(step)),
            Some(&identifier.name),
            why,
        )
    };
    Ok(match step {
        Step::Trim => StepSql::value(trim_ws(d, "v")),
        Step::Lowercase => StepSql::value(lower(d, "v")),
        Step::Uppercase if d == Dialect::DuckDb => StepSql::value("spine_upper(v)".to_owned()),
        Step::Uppercase => {
            let (levels, value) = crate::text::upper_levels(d, "v");
            StepSql {
                levels,
                error: None,
                value,
            }
        }
        Step::CollapseWhitespace => {
            StepSql::value(d.regexp_replace_all("v", &format!("[{ws}]+"), " "))
        }
        Step::OnlyNumeric => StepSql::value(d.regexp_replace_all("v", "[^0-9]+", "")),
        Step::Alphanumeric => {
            if d == Dialect::Snowflake {
                return Err(refuse(
                    "Snowflake's regular expressions have no Unicode letter and number classes",
                ));
            }
            StepSql::value(d.regexp_replace_all("v", "[^\\p{L}\\p{N}]+", ""))
        }
        Step::RemoveAccents => {
            if d != Dialect::DuckDb {
                return Err(refuse(
                    "the dialect has no Unicode decomposition (NFD) to remove combining marks with",
                ));
            }
            StepSql::value("STRIP_ACCENTS(v)".to_owned())
        }
        Step::Name => {
            if d != Dialect::DuckDb {
                return Err(refuse(
                    "the dialect has no Unicode decomposition (NFD) to remove accents with",
                ));
            }
            let honorifics: Vec<String> = HONORIFICS.iter().map(|h| lit(h)).collect();
            StepSql::value(format!(
                "ARRAY_TO_STRING(LIST_FILTER(REGEXP_SPLIT_TO_ARRAY(STRIP_ACCENTS({}), {}),\n      \
                 lambda w: w <> '' AND w NOT IN ({})), ' ')",
                lower(d, "v"),
                lit(&format!("[{ws}\\p{{P}}]+")),
                honorifics.join(", ")
            ))
        }
        Step::Nickname => {
            if d != Dialect::DuckDb {
                return Err(refuse(
                    "the word-by-word lookup is written for DuckDB's list functions only",
                ));
            }
            let entries: Vec<String> = spine_core::standardize::nicknames()
                .iter()
                .map(|(nick, name)| format!("{}: {}", lit(nick), lit(name)))
                .collect();
            StepSql::value(format!(
                "ARRAY_TO_STRING(LIST_TRANSFORM(REGEXP_EXTRACT_ALL(v, {}),\n      \
                 lambda t: COALESCE(MAP {{{}}}[t], t)), '')",
                lit(&format!("[{ws}]+|[^{ws}]+")),
                entries.join(", ")
            ))
        }
        Step::Email => {
            let at = d.strpos("em", "'@'");
            StepSql {
                levels: vec![
                    vec![("em".to_owned(), lower(d, &trim_ws(d, "v")))],
                    vec![("at_pos".to_owned(), at)],
                    vec![
                        ("loc".to_owned(), "CASE WHEN at_pos > 0 THEN SUBSTR(em, 1, at_pos - 1) ELSE '' END".to_owned()),
                        ("dom".to_owned(), "CASE WHEN at_pos > 0 THEN SUBSTR(em, at_pos + 1) ELSE '' END".to_owned()),
                    ],
                    vec![
                        ("tld".to_owned(), d.regexp_extract("dom", "([^.]*)$")),
                        ("plus_pos".to_owned(), d.strpos("loc", "'+'")),
                    ],
                ],
                error: Some(format!(
                    "CASE WHEN {} THEN 'contains whitespace'\n      \
                     WHEN at_pos = 0 THEN 'no @'\n      \
                     WHEN {} > 0 THEN 'more than one @'\n      \
                     WHEN loc = '' OR plus_pos = 1 THEN 'empty local part'\n      \
                     WHEN dom = '' THEN 'empty domain'\n      \
                     WHEN SUBSTR(dom, 1, 1) = '.' OR SUBSTR(dom, LENGTH(dom), 1) = '.' OR {} > 0\n        \
                     THEN 'empty domain label'\n      \
                     WHEN {} = 0 THEN 'domain has fewer than two labels'\n      \
                     WHEN LENGTH(tld) < 2 THEN 'top-level domain shorter than two characters'\n      \
                     WHEN {} THEN 'top-level domain is all digits' END",
                    d.regexp_contains("em", &format!("[{ws}]")),
                    d.strpos("dom", "'@'"),
                    d.strpos("dom", "'..'"),
                    d.strpos("dom", "'.'"),
                    d.regexp_full_match("tld", "[0-9]+"),
                )),
                value: "CASE WHEN plus_pos > 0 THEN SUBSTR(loc, 1, plus_pos - 1) || '@' || dom ELSE em END".to_owned(),
            }
        }
        Step::EmailGmailDots => {
            let gmail = "has_at AND LOWER(dom) IN ('gmail.com', 'googlemail.com')";
            StepSql {
                levels: vec![vec![
                    ("has_at".to_owned(), format!("{} > 0", d.strpos("v", "'@'"))),
                    ("dom".to_owned(), d.regexp_extract("v", "@([^@]*)$")),
                    ("loc".to_owned(), d.regexp_replace_all("v", "@[^@]*$", "")),
                ]],
                error: Some(format!(
                    "CASE WHEN {gmail} AND REPLACE(loc, '.', '') = '' THEN 'empty local part' END"
                )),
                value: format!(
                    "CASE WHEN {gmail} THEN REPLACE(loc, '.', '') || '@gmail.com' ELSE v END"
                ),
            }
        }
        Step::Date => date_sql(compiler, identifier)?,
        Step::Phone => {
            return Err(refuse(
                "phone numbers need the libphonenumber metadata, which no SQL dialect carries",
            ));
        }
        Step::Phonetic => {
            return Err(refuse("Double Metaphone has no SQL form"));
        }
    })
}

/// The `date` step: `YYYYMMDD`, `YYYY-MM-DD` (optionally followed by an ISO time), or day, month and year with
/// one separator used twice, read in the identifier's `date_order`; then checked against the calendar.
fn date_sql(compiler: &Compiler<'_>, identifier: &Identifier) -> Result<StepSql, Refusal> {
    let d = compiler.dialect();
    let int = d.int_type();
    let time = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:[.,][0-9]+)?)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)?";
    let iso = format!("([0-9]{{4}})-([0-9]{{2}})-([0-9]{{2}})(?:[Tt ]{time})?");
    let compact = "([0-9]{4})([0-9]{2})([0-9]{2})";
    let written = "([0-9]{1,2})([/.-])([0-9]{1,2})[/.-]([0-9]{4})";
    let (day_group, month_group) = match identifier.date_order {
        spine_core::settings::DateOrder::Dmy => (1, 3),
        spine_core::settings::DateOrder::Mdy => (3, 1),
    };
    let group = |pattern: &str, n: usize| -> String {
        // Group n of a whole-value match (the pattern's groups numbered from 1).
        let mut wrapped = String::from("^");
        wrapped.push_str(pattern);
        wrapped.push('$');
        extract_group(d, "t", &wrapped, n)
    };
    let number = |expr: String| format!("CAST(NULLIF({expr}, '') AS {int})");
    let written_ok = format!(
        "({} AND {} = {})",
        d.regexp_full_match("t", written),
        group(written, 2),
        d.regexp_extract("t", "^[0-9]{1,2}[/.-][0-9]{1,2}([/.-])")
    );
    let levels = vec![
        vec![("t".to_owned(), trim_ws(d, "v"))],
        vec![
            (
                "y".to_owned(),
                format!(
                    "CASE WHEN {c} THEN {} WHEN {i} THEN {} WHEN {written_ok} THEN {} END",
                    number(group(compact, 1)),
                    number(group(&iso, 1)),
                    number(group(written, 4)),
                    c = d.regexp_full_match("t", compact),
                    i = d.regexp_full_match("t", &iso),
                ),
            ),
            (
                "mo".to_owned(),
                format!(
                    "CASE WHEN {c} THEN {} WHEN {i} THEN {} WHEN {written_ok} THEN {} END",
                    number(group(compact, 2)),
                    number(group(&iso, 2)),
                    number(group(written, month_group)),
                    c = d.regexp_full_match("t", compact),
                    i = d.regexp_full_match("t", &iso),
                ),
            ),
            (
                "dd".to_owned(),
                format!(
                    "CASE WHEN {c} THEN {} WHEN {i} THEN {} WHEN {written_ok} THEN {} END",
                    number(group(compact, 3)),
                    number(group(&iso, 3)),
                    number(group(written, day_group)),
                    c = d.regexp_full_match("t", compact),
                    i = d.regexp_full_match("t", &iso),
                ),
            ),
        ],
    ];
    let days = "CASE WHEN mo = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END \
                WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END";
    Ok(StepSql {
        levels,
        error: Some(format!(
            "CASE WHEN y IS NULL THEN 'not a recognised date' WHEN y = 0 THEN 'year 0000'\n      \
             WHEN mo < 1 OR mo > 12 OR dd < 1 OR dd > {days} THEN 'impossible date' END"
        )),
        value: format!(
            "CASE WHEN y IS NULL THEN '' ELSE LPAD({}, 4, '0') || '-' || LPAD({}, 2, '0') || '-' || LPAD({}, 2, '0') END",
            d.to_text("y"),
            d.to_text("mo"),
            d.to_text("dd")
        ),
    })
}

/// Capture group `n` of the first match of `pattern` in `expr`, '' when nothing matches.
fn extract_group(d: Dialect, expr: &str, pattern: &str, n: usize) -> String {
    let literal = d.literal(pattern);
    match d {
        Dialect::DuckDb | Dialect::Spark => format!("REGEXP_EXTRACT({expr}, {literal}, {n})"),
        Dialect::Snowflake => {
            format!("COALESCE(REGEXP_SUBSTR({expr}, {literal}, 1, 1, 'e', {n}), '')")
        }
        // BigQuery returns only the one capture group a pattern may hold, so the others become non-capturing.
        Dialect::BigQuery => {
            let single = keep_one_group(pattern, n);
            format!(
                "COALESCE(REGEXP_EXTRACT({expr}, {}), '')",
                d.literal(&single)
            )
        }
    }
}

/// The pattern with every capturing group but the n-th made non-capturing.
fn keep_one_group(pattern: &str, n: usize) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut seen = 0;
    let mut chars = pattern.chars().peekable();
    let mut escaped = false;
    while let Some(ch) = chars.next() {
        out.push(ch);
        if escaped {
            escaped = false;
            continue;
        }
        match ch {
            '\\' => escaped = true,
            '(' if chars.peek() != Some(&'?') => {
                seen += 1;
                if seen != n {
                    out.push_str("?:");
                }
            }
            _ => {}
        }
    }
    out
}

/// Translates a blocked pattern from Rust's `regex` syntax into one the dialect's engine reads the same way:
/// classes such as `\d` and `\w` (Unicode-aware in Rust, ASCII in RE2) are spelled out as explicit ranges.
fn translate_pattern(
    compiler: &Compiler<'_>,
    identifier: &Identifier,
    source: &str,
) -> Result<String, Refusal> {
    let d = compiler.dialect();
    let refuse = |why: &str| {
        compiler.refuse(
            &format!("blocked pattern '{source}'"),
            Some(&identifier.name),
            why,
        )
    };
    if d == Dialect::Snowflake {
        // POSIX expressions read plain ASCII patterns as Rust does; escapes and classes such as `\d` or `\w`
        // mean other things there, so only those patterns are written as they are.
        if source.is_ascii() && !source.contains('\\') {
            return Ok(source.to_owned());
        }
        return Err(refuse(
            "Snowflake's POSIX regular expressions cannot spell Rust's escapes and Unicode classes",
        ));
    }
    let hir = regex_syntax::Parser::new()
        .parse(source)
        .map_err(|error| refuse(&format!("the pattern does not parse: {error}")))?;
    Ok(hir.to_string())
}

/// The standardization of one identifier as a query over the distinct values in `spine_work_values`:
/// `(raw_value, v, err)` with `err` the invalid detail.
fn steps_query(
    compiler: &Compiler<'_>,
    index: usize,
    identifier: &Identifier,
) -> Result<String, Refusal> {
    let d = compiler.dialect();
    let values = compiler.script.table("spine_work_values");
    let mut ctes = vec![format!(
        "s0 AS (SELECT raw_value, raw_value AS v, CAST(NULL AS {text}) AS err\n    \
         FROM {values} WHERE identifier_index = {index} AND {} <> '')",
        trim_ws(d, "raw_value"),
        text = d.text_type()
    )];
    let mut last = "s0".to_owned();
    for (position, &step) in identifier.steps.iter().enumerate() {
        let sql = step_sql(compiler, identifier, step)?;
        let name = format!("s{}", position + 1);
        let mut from = last.clone();
        for (level, columns) in sql.levels.iter().enumerate() {
            let level_name = format!("{name}_{level}");
            let list: Vec<String> = columns.iter().map(|(n, e)| format!("{e} AS {n}")).collect();
            ctes.push(format!(
                "{level_name} AS (SELECT *, {} FROM {from})",
                list.join(", ")
            ));
            from = level_name;
        }
        let error = sql
            .error
            .unwrap_or_else(|| format!("CAST(NULL AS {})", d.text_type()));
        let step_label = step_name(step);
        ctes.push(format!(
            "{name} AS (\n    SELECT raw_value, CASE WHEN err IS NULL THEN nv ELSE v END AS v,\n      \
             COALESCE(err, CASE WHEN step_err IS NOT NULL THEN {} || step_err WHEN {} = '' THEN {} END) AS err\n    \
             FROM (SELECT raw_value, v, err, {error} AS step_err, {} AS nv FROM {from}) AS t)",
            d.literal(&format!("{step_label}: ")),
            trim_ws(d, "nv"),
            d.literal(&format!("{step_label}: {}", empty_reason(step))),
            sql.value,
        ));
        last = name;
    }
    Ok(format!(
        "SELECT {index} AS identifier_index, raw_value, v AS value, err FROM (\n  WITH {}\n  SELECT * FROM {last}) AS i{index}",
        ctes.join(",\n  ")
    ))
}

/// The identifiers whose steps the dialect cannot express, so their values come from the `spine_lookup` table
/// that `spine lookup` writes (with `--lookup`).
pub fn lookup_identifiers(settings: &spine_core::Settings, dialect: Dialect) -> Vec<usize> {
    let options = crate::SqlOptions::default();
    let compiler = Compiler {
        settings,
        options: &options,
        script: crate::script::Script::new(dialect, None),
    };
    settings
        .identifiers
        .iter()
        .enumerate()
        .filter(|(index, identifier)| steps_query(&compiler, *index, identifier).is_err())
        .map(|(index, _)| index)
        .collect()
}

pub(crate) fn observations(compiler: &mut Compiler<'_>) -> Result<(), Refusal> {
    let settings = compiler.settings;
    let d = compiler.dialect();
    let mut raw = Vec::new();
    for (index, model) in settings.models.iter().enumerate() {
        for mapping in &model.identifiers {
            for column in &mapping.columns {
                raw.push(format!(
                    "SELECT r.rec, {} AS identifier_index, {} AS raw_value FROM {}",
                    mapping.identifier,
                    crate::text::cell(d, "m", column),
                    join_records(compiler, index)
                ));
            }
        }
    }
    if raw.is_empty() {
        raw.push(format!(
            "SELECT rec, 0 AS identifier_index, key AS raw_value FROM {} WHERE 1 = 0",
            compiler.script.table("spine_work_record")
        ));
    }
    compiler.script.comment(&[
        "Step 2 (standardize): one observation per record, identifier and distinct raw value; two columns",
        "holding the same text for one identifier make one observation, an empty cell an `empty` one.",
    ]);
    compiler.script.create(
        "spine_work_raw",
        &format!(
            "SELECT DISTINCT * FROM (\n{}\n) AS raw",
            raw.join("\nUNION ALL\n")
        ),
    );
    let raw_table = compiler.script.table("spine_work_raw");
    let mut values = vec![format!(
        "SELECT identifier_index, raw_value FROM {raw_table}"
    )];
    if let Some(events) = &settings.events {
        for model in &events.models {
            for mapping in &model.identifiers {
                for column in &mapping.columns {
                    values.push(format!(
                        "SELECT {} AS identifier_index, {} AS raw_value FROM {} AS m",
                        mapping.identifier,
                        crate::text::cell(d, "m", column),
                        compiler.script.table(&model.name)
                    ));
                }
            }
        }
    }
    compiler.script.comment(&[
        "Every distinct raw value of every identifier, in profile models and event models alike.",
    ]);
    compiler.script.create(
        "spine_work_values",
        &format!(
            "SELECT DISTINCT * FROM (\n{}\n) AS v",
            values.join("\nUNION ALL\n")
        ),
    );

    let values_table = compiler.script.table("spine_work_values");
    let lookup = compiler.script.table("spine_lookup");
    let mut per_identifier = Vec::new();
    let mut looked_up = Vec::new();
    for (index, identifier) in settings.identifiers.iter().enumerate() {
        match steps_query(compiler, index, identifier) {
            Ok(query) => per_identifier.push(query),
            Err(refusal) if compiler.options.lookup => {
                let _ = refusal;
                looked_up.push(identifier.name.as_str());
                per_identifier.push(format!(
                    "SELECT {index} AS identifier_index, v.raw_value, COALESCE(l.standardized_value, '') AS value,\n  \
                     CASE WHEN l.detail = '' THEN NULL ELSE l.detail END AS err\n\
                     FROM {values_table} AS v JOIN {lookup} AS l\n  \
                     ON l.identifier = {} AND l.raw_value = v.raw_value\n\
                     WHERE v.identifier_index = {index} AND {} <> ''",
                    d.literal(&identifier.name),
                    trim_ws(d, "v.raw_value"),
                ));
            }
            Err(mut refusal) => {
                refusal.why.push_str(
                    "; with --lookup the script reads this identifier's values from a spine_lookup table written by `spine lookup`",
                );
                return Err(refusal);
            }
        }
    }
    if per_identifier.is_empty() {
        per_identifier.push(format!(
            "SELECT identifier_index, raw_value, raw_value AS value, raw_value AS err FROM {values_table} WHERE 1 = 0"
        ));
    }
    compiler.script.comment(&[
        "Each identifier's standardization steps, applied in order to every distinct raw value. A value a step",
        "rejects, or leaves blank, is invalid with the step's reason.",
    ]);
    if !looked_up.is_empty() {
        let names = looked_up.join(", ");
        compiler.script.comment(&[&format!(
            "Identifiers standardized by `spine lookup` (table spine_lookup): {names}."
        )]);
    }
    compiler
        .script
        .create("spine_work_std", &per_identifier.join("\nUNION ALL\n"));
    if !looked_up.is_empty() {
        let std_table = compiler.script.table("spine_work_std");
        let check = d.fail_when(
            &format!(
                "SELECT 1 FROM {values_table} AS v WHERE v.identifier_index IN ({}) AND {} <> ''\n  \
                 AND NOT EXISTS (SELECT 1 FROM {std_table} AS s WHERE s.identifier_index = v.identifier_index AND s.raw_value = v.raw_value)",
                lookup_indices(settings, &looked_up),
                trim_ws(d, "v.raw_value"),
            ),
            "spine_lookup lacks some raw values; write it again with `spine lookup` from the current data",
        );
        compiler.script.statement(&check);
    }

    // Status of each distinct (identifier, raw value): empty, invalid, blocked (values, then patterns), used.
    let mut blocked = Vec::new();
    for (index, identifier) in settings.identifiers.iter().enumerate() {
        if !identifier.blocked_values.is_empty() {
            let values: Vec<String> = identifier
                .blocked_values
                .iter()
                .map(|v| d.literal(v))
                .collect();
            blocked.push(format!(
                "WHEN s.identifier_index = {index} AND s.value IN ({}) THEN 'listed in blocked_values'",
                values.join(", ")
            ));
        }
        for source in &identifier.blocked_pattern_sources {
            let pattern = translate_pattern(compiler, identifier, source)?;
            blocked.push(format!(
                "WHEN s.identifier_index = {index} AND {} THEN {}",
                d.regexp_full_match("s.value", &pattern),
                d.literal(&format!("matches blocked pattern '{source}'"))
            ));
        }
    }
    let blocked_case = if blocked.is_empty() {
        format!("CAST(NULL AS {})", d.text_type())
    } else {
        format!("CASE {} END", blocked.join("\n    "))
    };
    let std_table = compiler.script.table("spine_work_std");
    compiler.script.comment(&[
        "Statuses of every distinct value: empty (blank), invalid (a step rejected it), blocked (blocked_values",
        "as written or after the steps, then blocked_patterns matching the whole value), otherwise used.",
    ]);
    compiler.script.create(
        "spine_work_class",
        &format!(
            "SELECT v.identifier_index, v.raw_value,\n  \
             CASE WHEN s.raw_value IS NULL OR s.err IS NOT NULL THEN '' ELSE s.value END AS standardized_value,\n  \
             CASE WHEN s.raw_value IS NULL THEN 'empty' WHEN s.err IS NOT NULL THEN 'invalid'\n    \
             WHEN s.why IS NOT NULL THEN 'blocked' ELSE 'used' END AS status,\n  \
             CASE WHEN s.raw_value IS NULL THEN '' WHEN s.err IS NOT NULL THEN s.err\n    \
             WHEN s.why IS NOT NULL THEN s.why ELSE '' END AS detail\n\
             FROM {values_table} AS v\n\
             LEFT JOIN (SELECT s.*, {blocked_case} AS why FROM {std_table} AS s) AS s\n  \
             ON s.identifier_index = v.identifier_index AND s.raw_value = v.raw_value"
        ),
    );
    let class = compiler.script.table("spine_work_class");
    let mut limits = Vec::new();
    for (index, identifier) in settings.identifiers.iter().enumerate() {
        if let Some(max) = identifier.max_records_per_value {
            limits.push(format!("WHEN {index} THEN {max}"));
        }
    }
    let limit_case = if limits.is_empty() {
        "NULL".to_owned()
    } else {
        format!("CASE o.identifier_index {} END", limits.join(" "))
    };
    compiler.script.comment(&[
        "Quarantine: a used value held by more distinct records than its identifier's max_records_per_value.",
    ]);
    compiler.script.create(
        "spine_work_quarantine",
        &format!(
            "SELECT identifier_index, standardized_value, holders, max_records\n\
             FROM (SELECT o.identifier_index, c.standardized_value, COUNT(DISTINCT o.rec) AS holders, {limit_case} AS max_records\n      \
             FROM {raw_table} AS o JOIN {class} AS c ON c.identifier_index = o.identifier_index AND c.raw_value = o.raw_value\n      \
             WHERE c.status = 'used' GROUP BY o.identifier_index, c.standardized_value) AS h\n\
             WHERE holders > max_records"
        ),
    );
    let quarantine = compiler.script.table("spine_work_quarantine");
    let mut names = Vec::new();
    let mut by_name: Vec<usize> = (0..settings.identifiers.len()).collect();
    spine_core::sort::sort_by(&mut by_name, |&a, &b| {
        settings.identifiers[a]
            .name
            .cmp(&settings.identifiers[b].name)
    });
    let mut ranks = vec![0; settings.identifiers.len()];
    for (rank, &index) in by_name.iter().enumerate() {
        ranks[index] = rank;
    }
    for (index, identifier) in settings.identifiers.iter().enumerate() {
        names.push(format!("WHEN {index} THEN {}", d.literal(&identifier.name)));
    }
    let name_case = if names.is_empty() {
        "''".to_owned()
    } else {
        format!("CASE o.identifier_index {} END", names.join(" "))
    };
    let rank_case = if ranks.is_empty() {
        "0".to_owned()
    } else {
        let list: Vec<String> = ranks
            .iter()
            .enumerate()
            .map(|(i, r)| format!("WHEN {i} THEN {r}"))
            .collect();
        format!("CASE o.identifier_index {} END", list.join(" "))
    };
    compiler
        .script
        .comment(&["The observations: each record's raw values with their status and why."]);
    compiler.script.create(
        "spine_work_obs",
        &format!(
            "SELECT o.rec, {name_case} AS identifier, o.identifier_index, {rank_case} AS identifier_rank,\n  \
             o.raw_value, c.standardized_value,\n  \
             CASE WHEN q.holders IS NOT NULL THEN 'blocked' ELSE c.status END AS status,\n  \
             CASE WHEN q.holders IS NOT NULL THEN 'held by ' || {} || ' records, over max_records_per_value ' || {}\n    \
             ELSE c.detail END AS detail\n\
             FROM {raw_table} AS o\n\
             JOIN {class} AS c ON c.identifier_index = o.identifier_index AND c.raw_value = o.raw_value\n\
             LEFT JOIN {quarantine} AS q ON c.status = 'used' AND q.identifier_index = o.identifier_index\n  \
             AND q.standardized_value = c.standardized_value",
            d.to_text("q.holders"),
            d.to_text("q.max_records"),
        ),
    );
    Ok(())
}

fn lookup_indices(settings: &spine_core::Settings, names: &[&str]) -> String {
    let indices: Vec<String> = settings
        .identifiers
        .iter()
        .enumerate()
        .filter(|(_, i)| names.contains(&i.name.as_str()))
        .map(|(index, _)| index.to_string())
        .collect();
    indices.join(", ")
}

pub(crate) fn lookup(compiler: &mut Compiler<'_>) {
    let obs = compiler.script.table("spine_work_obs");
    let record = compiler.script.table("spine_work_record");
    compiler
        .script
        .comment(&["identity_lookup: every observation with its status and why."]);
    compiler.script.create(
        "identity_lookup",
        &format!(
            "SELECT r.model, r.key, o.identifier, o.raw_value, o.standardized_value, o.status, o.detail\n\
             FROM {obs} AS o JOIN {record} AS r ON r.rec = o.rec"
        ),
    );
}
