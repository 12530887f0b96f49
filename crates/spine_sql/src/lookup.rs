//! The `spine_lookup` table: the standardized value of every distinct raw value of the identifiers whose steps
//! a dialect cannot express (`phone`, `phonetic`, ...), computed by the engine itself so the warehouse gets
//! exactly its answers.

use crate::Dialect;
use crate::observe::lookup_identifiers;
use spine_core::Settings;
use spine_core::standardize::{Standardized, standardize};
use spine_core::table::Table;
use std::collections::BTreeMap;

/// The columns of `spine_lookup`.
pub const LOOKUP_COLUMNS: [&str; 4] = ["identifier", "raw_value", "standardized_value", "detail"];

/// `spine_lookup` as CSV for the given tables (`tables[i]` holds model i, then the event models in graph order):
/// one row per identifier and distinct non-blank raw value, sorted; `detail` is the invalid reason, empty when
/// the steps accept the value.
pub fn lookup_csv(settings: &Settings, dialect: Dialect, tables: &[Table]) -> String {
    let wanted = lookup_identifiers(settings, dialect);
    let mut rows: BTreeMap<(&str, &str), (String, String)> = BTreeMap::new();
    let mut mappings: Vec<(&Table, &spine_core::settings::IdentifierMapping)> = Vec::new();
    for (model, table) in settings.models.iter().zip(tables) {
        mappings.extend(model.identifiers.iter().map(|m| (table, m)));
    }
    if let Some(events) = &settings.events {
        for (model, table) in events
            .models
            .iter()
            .zip(tables.iter().skip(settings.models.len()))
        {
            mappings.extend(model.identifiers.iter().map(|m| (table, m)));
        }
    }
    for (table, mapping) in mappings {
        if !wanted.contains(&mapping.identifier) {
            continue;
        }
        let identifier = &settings.identifiers[mapping.identifier];
        for column in &mapping.columns {
            let Some(at) = table.column_index(column) else {
                continue;
            };
            for row in 0..table.len() {
                let raw = table.cell(row, at);
                if raw.trim().is_empty() || rows.contains_key(&(identifier.name.as_str(), raw)) {
                    continue;
                }
                let outcome = match standardize(identifier, raw) {
                    Standardized::Empty => continue,
                    Standardized::Invalid(why) => (String::new(), why),
                    Standardized::Used(value) if value.is_empty() => (
                        String::new(),
                        "standardization left the value empty".to_owned(),
                    ),
                    Standardized::Used(value) => (value, String::new()),
                };
                rows.insert((identifier.name.as_str(), raw), outcome);
            }
        }
    }
    spine_core::write_csv(
        &LOOKUP_COLUMNS,
        rows.iter()
            .map(|((name, raw), (value, detail))| [*name, *raw, value.as_str(), detail.as_str()]),
    )
}
