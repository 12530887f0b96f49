//! What a loaded file holds, column by column: fill rate, distinct values, top values and a detected kind
//! (email, phone, date, ID, name), plus the primary key and order field a person would most likely pick.

use crate::protocol::{ColumnKind, ColumnProfile, FileSummary};
use spine_core::Table;
use std::collections::HashMap;

/// Rows shown in a file's preview.
pub const PREVIEW_ROWS: usize = 8;
/// Top values listed per column.
const TOP_VALUES: usize = 3;
/// Values sampled per column to detect its kind (the first ones, so detection is quick on large files).
const SAMPLE: usize = 500;
/// The share of sampled values that must look like a kind for the column to get it.
const KIND_SHARE: f64 = 0.8;

/// The model name for a file name: its stem, lower case, with every character other than a letter, a digit or
/// `_` replaced by `_` (so `CRM contacts.csv` becomes `crm_contacts`).
pub fn model_name(file: &str) -> String {
    let stem = file.rsplit_once('.').map_or(file, |(stem, ext)| {
        if ext.eq_ignore_ascii_case("csv") {
            stem
        } else {
            file
        }
    });
    let name: String = stem
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "model".to_owned()
    } else {
        name
    }
}

/// Profiles every column of a parsed table.
pub fn summarize(file: &str, bytes: u64, table: &Table) -> FileSummary {
    let columns: Vec<ColumnProfile> = (0..table.columns.len())
        .map(|column| profile_column(table, column))
        .collect();
    let preview = (0..table.len().min(PREVIEW_ROWS))
        .map(|row| table.row(row).map(str::to_owned).collect())
        .collect();
    let suggested_key = suggest_key(&columns, table.len());
    let suggested_order = suggest_order(&columns, suggested_key.as_deref());
    FileSummary {
        file: file.to_owned(),
        model: model_name(file),
        bytes,
        rows: table.len(),
        columns,
        preview,
        suggested_key,
        suggested_order,
    }
}

fn profile_column(table: &Table, column: usize) -> ColumnProfile {
    let name = &table.columns[column];
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut filled = 0;
    let mut sample: Vec<&str> = Vec::new();
    for row in 0..table.len() {
        let value = table.cell(row, column).trim();
        if value.is_empty() {
            continue;
        }
        filled += 1;
        *counts.entry(value).or_default() += 1;
        if sample.len() < SAMPLE {
            sample.push(value);
        }
    }
    let distinct = counts.len();
    // Sorted by count then value so the list does not depend on the hash map's order.
    let mut top: Vec<(&str, usize)> = counts.into_iter().collect();
    spine_core::sort::sort_by(&mut top, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    top.truncate(TOP_VALUES);
    ColumnProfile {
        name: name.clone(),
        filled,
        distinct,
        top: top
            .into_iter()
            .map(|(value, count)| (value.to_owned(), count))
            .collect(),
        kind: detect_kind(name, &sample, filled, distinct),
    }
}

/// The kind of a column from a sample of its non-empty values, its name, and how unique its values are.
pub fn detect_kind(name: &str, sample: &[&str], filled: usize, distinct: usize) -> ColumnKind {
    let name = name.to_lowercase();
    let share = |test: fn(&str) -> bool| {
        if sample.is_empty() {
            return 0.0;
        }
        sample.iter().filter(|value| test(value)).count() as f64 / sample.len() as f64
    };
    if share(looks_like_email) >= KIND_SHARE {
        return ColumnKind::Email;
    }
    if share(looks_like_date) >= KIND_SHARE {
        return ColumnKind::Date;
    }
    // Unix seconds look like long numbers; a name that speaks of time says what they are.
    let time_name = [
        "time", "login", "seen", "updated", "modified", "created", "date", "_at", "ts",
    ]
    .iter()
    .any(|hint| name.contains(hint));
    if time_name && share(looks_like_unix_seconds) >= KIND_SHARE {
        return ColumnKind::Date;
    }
    let id_name = name == "id"
        || name.ends_with("_id")
        || name.ends_with("id") && name.len() <= 6
        || name.ends_with("_key")
        || name.ends_with("_no")
        || name.ends_with("_number") && !name.contains("phone");
    let phone_name = ["phone", "mobile", "tel", "cell", "fax"]
        .iter()
        .any(|hint| name.contains(hint));
    if share(looks_like_phone) >= KIND_SHARE && (phone_name || !id_name) {
        return ColumnKind::Phone;
    }
    let name_hint = ["name", "first", "last", "given", "surname", "prenom", "nom"]
        .iter()
        .any(|hint| name.contains(hint));
    if name_hint && !id_name && share(looks_like_name) >= KIND_SHARE {
        return ColumnKind::Name;
    }
    let mostly_unique = filled > 0 && distinct * 10 >= filled * 9;
    if id_name || (mostly_unique && share(looks_like_code) >= KIND_SHARE) {
        return ColumnKind::Id;
    }
    ColumnKind::Text
}

/// One `@`, no whitespace, a dot in the domain.
pub fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Seven to fifteen digits with only spaces, dots, dashes, parentheses and a leading `+` around them.
pub fn looks_like_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value.char_indices().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')') || (c == '+' && i == 0)
    });
    allowed && (7..=15).contains(&digits)
}

/// `YYYY-MM-DD` (with an optional time after it), or `D/M/YYYY`-like dates with `/`, `.` or `-`.
pub fn looks_like_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let iso = bytes.len() >= 10
        && (0..4).all(digit)
        && bytes[4] == b'-'
        && digit(5)
        && digit(6)
        && bytes[7] == b'-'
        && digit(8)
        && digit(9)
        && (bytes.len() == 10 || matches!(bytes[10], b'T' | b' '));
    if iso {
        return true;
    }
    let parts: Vec<&str> = value.split(['/', '.', '-']).collect();
    let numeric = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 3
        && parts.iter().all(|part| numeric(part))
        && parts[0].len() <= 2
        && parts[1].len() <= 2
        && parts[2].len() == 4
}

/// Nine or ten ASCII digits: a Unix time between 1973 and 2286.
pub fn looks_like_unix_seconds(value: &str) -> bool {
    (9..=10).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
}

/// Letters, spaces, hyphens, apostrophes and dots only, with at least one letter.
pub fn looks_like_name(value: &str) -> bool {
    value.chars().any(char::is_alphabetic)
        && value
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'))
}

/// One token of letters, digits, `-` or `_`, with at least one digit.
pub fn looks_like_code(value: &str) -> bool {
    value.chars().any(|c| c.is_ascii_digit())
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The primary key a person would pick: a column filled and unique on every row, preferring one named like a
/// key (`id`, `*_id`, `key`, `*_ref`), then the leftmost. When no column is fully unique (real files have a
/// few empty or repeated keys, which resolution reports), a column filled and distinct on 95% of rows will do.
pub fn suggest_key(columns: &[ColumnProfile], rows: usize) -> Option<String> {
    if rows == 0 {
        return None;
    }
    let unique = |c: &&ColumnProfile| c.filled == rows && c.distinct == rows;
    let nearly =
        |c: &&ColumnProfile| c.filled * 100 >= rows * 95 && c.distinct * 100 >= c.filled * 95;
    let named = |c: &&ColumnProfile| {
        let name = c.name.to_lowercase();
        name == "id"
            || name == "key"
            || name == "ref"
            || name.ends_with("id")
            || name.ends_with("_key")
            || name.ends_with("_ref")
    };
    let pick = |test: &dyn Fn(&&ColumnProfile) -> bool| {
        columns
            .iter()
            .filter(|c| test(c))
            .find(named)
            .or_else(|| columns.iter().find(|c| test(c)))
    };
    pick(&unique)
        .or_else(|| pick(&nearly))
        .map(|c| c.name.clone())
}

/// The order field a person would pick: a date column named like an update time, else the first date column
/// that is not the key.
pub fn suggest_order(columns: &[ColumnProfile], key: Option<&str>) -> Option<String> {
    let dates: Vec<&ColumnProfile> = columns
        .iter()
        .filter(|c| c.kind == ColumnKind::Date && Some(c.name.as_str()) != key)
        .collect();
    // Hints in order of preference: an update time beats a creation time.
    let hints = [
        "updated",
        "modified",
        "changed",
        "last",
        "timestamp",
        "_at",
        "ts",
        "date",
        "login",
    ];
    hints
        .iter()
        .find_map(|hint| dates.iter().find(|c| c.name.to_lowercase().contains(hint)))
        .or_else(|| dates.first())
        .map(|c| c.name.clone())
}
