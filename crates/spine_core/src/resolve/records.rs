//! Step 1 (load): finds each model's columns, sets aside rows with a missing or duplicated key, and numbers
//! the remaining records in anchor order (model priority, model name, key) so later stages work on integers.

use super::ResolveError;
use super::text::{StrArena, index_u32, join_and};
use crate::settings::{GoldenSource, IdentifierId, Settings};
use crate::table::Table;

/// The column indices one model's table provides.
#[derive(Debug, Clone)]
pub(crate) struct ModelColumns {
    pub key: usize,
    pub order: Option<usize>,
    /// Identifier -> columns, sorted by identifier index, columns in the order written.
    pub identifiers: Vec<(IdentifierId, Vec<usize>)>,
    /// For each golden field (graph order): the column of a field source in this model, if it maps one.
    pub golden_fields: Vec<Option<usize>>,
}

/// Finds every column the graph names in its table, or says which one is missing.
pub(crate) fn model_columns(
    settings: &Settings,
    tables: &[Table],
) -> Result<Vec<ModelColumns>, ResolveError> {
    if tables.len() != settings.models.len() {
        return Err(ResolveError::Input {
            file: String::new(),
            line: 0,
            column: String::new(),
            message: format!(
                "the identity graph has {} models but {} tables were given; give one table per model",
                settings.models.len(),
                tables.len()
            ),
        });
    }
    let mut all = Vec::with_capacity(tables.len());
    for (model, table) in settings.models.iter().zip(tables) {
        let find = |column: &str| {
            table
                .column_index(column)
                .ok_or_else(|| ResolveError::Input {
                    file: table.name.clone(),
                    line: 1,
                    column: column.to_owned(),
                    message: format!(
                        "model '{}' maps this column but the file has no such column",
                        model.name
                    ),
                })
        };
        let key = find(&model.primary_key)?;
        let order = model.order_by.as_deref().map(find).transpose()?;
        let mut identifiers = Vec::with_capacity(model.identifiers.len());
        for mapping in &model.identifiers {
            let columns = mapping
                .columns
                .iter()
                .map(|c| find(c))
                .collect::<Result<Vec<_>, _>>()?;
            identifiers.push((mapping.identifier, columns));
        }
        crate::sort::sort_by_key(&mut identifiers, |(identifier, _)| *identifier);
        let mut golden_fields = Vec::with_capacity(settings.golden.len());
        for field in &settings.golden {
            golden_fields.push(match &field.source {
                GoldenSource::Field(name) => match model.fields.iter().find(|(f, _)| f == name) {
                    Some((_, column)) => Some(find(column)?),
                    None => None,
                },
                GoldenSource::Identifier(_) => None,
            });
        }
        all.push(ModelColumns {
            key,
            order,
            identifiers,
            golden_fields,
        });
    }
    Ok(all)
}

/// Why a row takes no part in resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadKey {
    Missing,
    Duplicate,
}

impl BadKey {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing_key",
            Self::Duplicate => "duplicate_key",
        }
    }
}

/// A row set aside at load.
#[derive(Debug, Clone)]
pub(crate) struct BadRow {
    pub model: usize,
    pub line: u64,
    pub key: String,
    pub reason: BadKey,
    pub detail: String,
}

/// The loaded records, numbered in anchor order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Records {
    /// Model index of each record.
    pub model: Vec<u32>,
    /// Row of each record in its model's table.
    pub row: Vec<u32>,
    pub keys: StrArena,
    /// Records of each model (by model index) form one contiguous run, sorted by key.
    pub runs: Vec<(u32, u32)>,
}

impl Records {
    pub(crate) fn len(&self) -> usize {
        self.model.len()
    }

    pub(crate) fn key(&self, record: u32) -> &str {
        self.keys.get(record)
    }

    pub(crate) fn model_of(&self, record: u32) -> usize {
        self.model[record as usize] as usize
    }

    /// The record of a model with this exact key, if it was loaded.
    pub(crate) fn find(&self, model: usize, key: &str) -> Option<u32> {
        let (start, end) = self.runs[model];
        let mut low = start;
        let mut high = end;
        while low < high {
            let middle = low + (high - low) / 2;
            match self.key(middle).cmp(key) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }
}

/// Loads every model's rows: good records in anchor order, bad rows with their reason.
pub(crate) fn load(
    settings: &Settings,
    tables: &[Table],
    columns: &[ModelColumns],
) -> (Records, Vec<BadRow>) {
    let mut records = Records {
        runs: vec![(0, 0); settings.models.len()],
        ..Records::default()
    };
    let mut bad = Vec::new();
    for &model in &settings.anchor_order {
        let table = &tables[model];
        let key_column = columns[model].key;
        let key_name = &settings.models[model].primary_key;
        let mut keyed: Vec<(&str, usize)> = Vec::with_capacity(table.len());
        for row in 0..table.len() {
            let key = table.cell(row, key_column);
            if key.trim().is_empty() {
                bad.push(BadRow {
                    model,
                    line: table.line(row),
                    key: key.to_owned(),
                    reason: BadKey::Missing,
                    detail: format!("the primary key column '{key_name}' is empty"),
                });
            } else {
                keyed.push((key, row));
            }
        }
        // A stable sort keeps rows of one key in file order, so duplicates are listed by line.
        crate::sort::sort_by(&mut keyed, |a, b| a.0.cmp(b.0));
        let start = index_u32(records.len());
        let mut index = 0;
        while index < keyed.len() {
            let mut end = index + 1;
            while end < keyed.len() && keyed[end].0 == keyed[index].0 {
                end += 1;
            }
            if end - index == 1 {
                let (key, row) = keyed[index];
                records.model.push(index_u32(model));
                records.row.push(index_u32(row));
                records.keys.push(key);
            } else {
                let lines: Vec<String> = keyed[index..end]
                    .iter()
                    .map(|(_, row)| table.line(*row).to_string())
                    .collect();
                let detail = format!(
                    "the key appears on {} rows: lines {}",
                    end - index,
                    join_and(&lines)
                );
                for &(key, row) in &keyed[index..end] {
                    bad.push(BadRow {
                        model,
                        line: table.line(row),
                        key: key.to_owned(),
                        reason: BadKey::Duplicate,
                        detail: detail.clone(),
                    });
                }
            }
            index = end;
        }
        records.runs[model] = (start, index_u32(records.len()));
    }
    (records, bad)
}
