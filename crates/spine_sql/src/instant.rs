//! Timestamps as the engine reads order fields and event times (`spine_core::resolve::parse_order`): Unix
//! seconds, or an ISO 8601 date or date and time with an optional zone, checked against the calendar and the
//! clock, as whole seconds since the Unix epoch and nanoseconds. Golden records order their candidates by it, and
//! event stitching compares event times with it.

use crate::dialect::Dialect;

/// Wraps `query`, which has the trimmed text in a column `t`, in the levels that parse it: the result has every
/// column of `query` and `seconds` (a wide decimal, NULL when the text is empty or not an accepted form) and
/// `nanos` (0 when there is no fraction), with some helper columns.
pub(crate) fn parsed(d: Dialect, query: &str) -> String {
    let mut query = query.to_owned();
    for (level, columns) in levels(d).into_iter().enumerate() {
        let list: Vec<String> = columns
            .iter()
            .map(|(name, sql)| format!("{sql} AS {name}"))
            .collect();
        query = format!(
            "SELECT l{level}.*, {}\nFROM ({query}) AS l{level}",
            list.join(",\n  ")
        );
    }
    query
}

/// The remainder of an integer division.
fn rem(a: &str, b: &str) -> String {
    format!("MOD({a}, {b})")
}

/// The levels of columns that parse a timestamp as the engine's order parser does, each level over the
/// previous one, starting from the trimmed text `t`; the last level holds `seconds` (a wide decimal, NULL
/// when the text is not an accepted form) and `nanos`. Every cast reads a text already checked to hold digits.
fn levels(d: Dialect) -> Vec<Vec<(&'static str, String)>> {
    let int = d.int_type();
    let wide = d.wide_type();
    let digits = d.regexp_full_match("t", "[0-9]+");
    let stripped = d.regexp_replace_all("t", "^0+", "");
    // Rust's i64 parse: at most 19 significant digits, and no more than i64::MAX.
    let fits = format!(
        "(LENGTH({stripped}) < 19 OR (LENGTH({stripped}) = 19 AND {stripped} <= '9223372036854775807'))"
    );
    let unix = format!(
        "CAST(CASE WHEN {digits} AND {fits} THEN CASE WHEN {stripped} = '' THEN '0' ELSE {stripped} END END AS {wide})"
    );
    // Plain groups rather than non-capturing ones, which Snowflake's POSIX expressions lack; an extraction
    // pattern holds one group only, as BigQuery requires. The shape is checked whole first, so the offset
    // pattern only has to find the zone at the end of a text that has one.
    let shape = d.regexp_full_match(
        "t",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?",
    );
    let num = |from: usize, len: usize| format!("CAST(SUBSTR(st, {from}, {len}) AS {int})");
    let has_time = "LENGTH(st) > 10";
    let fields = vec![
        ("yy", num(1, 4)),
        ("mo", num(6, 2)),
        ("dd", num(9, 2)),
        (
            "hh",
            format!("CASE WHEN {has_time} THEN {} ELSE 0 END", num(12, 2)),
        ),
        (
            "mi",
            format!("CASE WHEN {has_time} THEN {} ELSE 0 END", num(15, 2)),
        ),
        (
            "ss",
            format!(
                "CASE WHEN SUBSTR(st, 17, 1) = ':' THEN {} ELSE 0 END",
                num(18, 2)
            ),
        ),
        ("frac", d.regexp_extract("st", "^.{19}[.,]([0-9]+)")),
        (
            "off",
            format!(
                "CASE WHEN {has_time} THEN {} ELSE '' END",
                d.regexp_extract("st", "([+-][0-9]{2}:?[0-9]{0,2})$")
            ),
        ),
    ];
    let offset = vec![
        (
            "oh",
            format!("CASE WHEN off = '' THEN 0 ELSE CAST(SUBSTR(off, 2, 2) AS {int}) END"),
        ),
        (
            "om",
            format!(
                "CASE WHEN LENGTH(off) > 3 THEN CAST(SUBSTR(off, LENGTH(off) - 1, 2) AS {int}) ELSE 0 END"
            ),
        ),
        (
            "os",
            "CASE WHEN SUBSTR(off, 1, 1) = '-' THEN -1 ELSE 1 END".to_owned(),
        ),
    ];
    let days_in_month = format!(
        "CASE WHEN mo = 2 THEN CASE WHEN ({} = 0 AND {} <> 0) OR {} = 0 THEN 29 ELSE 28 END \
         WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END",
        rem("yy", "4"),
        rem("yy", "100"),
        rem("yy", "400"),
    );
    let valid = format!(
        "shaped AND mo BETWEEN 1 AND 12 AND dd >= 1 AND dd <= {days_in_month}\n      \
         AND hh <= 23 AND mi <= 59 AND ss <= 59 AND oh <= 23 AND om <= 59"
    );
    // Howard Hinnant's days_from_civil, shifted by 400 years (146097 days) so every division is of
    // non-negative numbers.
    let shifted = "(CASE WHEN mo <= 2 THEN yy - 1 ELSE yy END + 400)";
    let era = d.int_div(shifted, "400");
    let year_of_era = format!("({shifted} - {era} * 400)");
    let day_of_year = format!(
        "({} + dd - 1)",
        d.int_div(&format!("153 * {} + 2", rem("mo + 9", "12")), "5")
    );
    let day_of_era = format!(
        "({year_of_era} * 365 + {} - {} + {day_of_year})",
        d.int_div(&year_of_era, "4"),
        d.int_div(&year_of_era, "100")
    );
    let days = format!("({era} * 146097 + {day_of_era} - 719468 - 146097)");
    let seconds = format!(
        "CASE WHEN t = '' THEN NULL WHEN {digits} THEN unix\n    \
         WHEN {valid}\n    \
         THEN CAST({days} AS {wide}) * 86400 + hh * 3600 + mi * 60 + ss - os * (oh * 3600 + om * 60) END"
    );
    let nanos = format!(
        "CASE WHEN frac = '' THEN 0 ELSE CAST(RPAD(SUBSTR(frac, 1, 9), 9, '0') AS {int}) END"
    );
    vec![
        vec![
            ("unix", unix),
            ("shaped", shape.clone()),
            (
                "st",
                format!("CASE WHEN {shape} THEN t ELSE '1970-01-01' END"),
            ),
        ],
        fields,
        offset,
        vec![("seconds", seconds), ("nanos", nanos)],
    ]
}
