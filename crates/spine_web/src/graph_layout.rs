//! Where the identity graph's drawing puts things: models and their columns on the left, identifiers in the
//! middle, rules and their criteria on the right. Pure geometry, so the drawing stays simple.

use crate::protocol::ColumnKind;
use crate::suggest::Suggestion;
use spine_core::options::{IdentityGraph, MatchType};
use std::collections::BTreeMap;

pub const WIDTH: f64 = 860.0;
pub const MODEL_X: f64 = 12.0;
pub const MODEL_W: f64 = 225.0;
pub const IDENT_X: f64 = 335.0;
pub const IDENT_W: f64 = 165.0;
pub const IDENT_H: f64 = 40.0;
pub const RULE_X: f64 = 600.0;
pub const RULE_W: f64 = 252.0;
pub const ROW_H: f64 = 22.0;
pub const HEAD_H: f64 = 30.0;
const GAP: f64 = 18.0;
const TOP: f64 = 36.0;

/// One column row inside a model box.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRow {
    pub name: String,
    pub kind: Option<ColumnKind>,
    /// The row's vertical centre.
    pub y: f64,
    /// The model's primary key or order field, which are not mapped to identifiers.
    pub role: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelBox {
    pub index: usize,
    pub name: String,
    pub y: f64,
    pub height: f64,
    pub columns: Vec<ColumnRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IdentifierBox {
    /// Index in the graph's identifiers; None for a suggested identifier that does not exist yet.
    pub index: Option<usize>,
    pub name: String,
    pub kind: String,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionRow {
    pub index: usize,
    pub identifiers: Vec<String>,
    pub label: String,
    pub exact: bool,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleBox {
    pub index: usize,
    pub name: String,
    pub y: f64,
    pub height: f64,
    pub criteria: Vec<CriterionRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub height: f64,
    pub models: Vec<ModelBox>,
    pub identifiers: Vec<IdentifierBox>,
    pub rules: Vec<RuleBox>,
}

impl Layout {
    /// The vertical centre of an identifier's box.
    pub fn identifier_y(&self, name: &str) -> Option<f64> {
        self.identifiers
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.y + IDENT_H / 2.0)
    }

    /// The vertical centre of a model's column row.
    pub fn column_y(&self, model: &str, column: &str) -> Option<f64> {
        self.models
            .iter()
            .find(|m| m.name == model)?
            .columns
            .iter()
            .find(|c| c.name == column)
            .map(|c| c.y)
    }
}

/// How a criterion's match type reads on its edge.
pub fn match_label(match_type: MatchType, threshold: Option<f64>, graph: &IdentityGraph) -> String {
    match match_type {
        MatchType::Exact => "exact".to_owned(),
        MatchType::FuzzyMedium => format!("fuzzy medium ≥{:.2}", graph.fuzzy.medium),
        MatchType::FuzzyStrong => format!("fuzzy strong ≥{:.2}", graph.fuzzy.strong),
        MatchType::Fuzzy => format!("fuzzy ≥{:.2}", threshold.unwrap_or_default()),
    }
}

/// Lays out the graph. `columns` holds each loaded model's columns and kinds; a model without a file shows the
/// columns its mappings name. Suggested identifiers that do not exist yet are placed after the real ones.
pub fn layout(
    graph: &IdentityGraph,
    columns: &BTreeMap<String, Vec<(String, ColumnKind)>>,
    suggestions: &[Suggestion],
) -> Layout {
    let mut y = TOP;
    let mut models = Vec::new();
    for (index, model) in graph.models.iter().enumerate() {
        let listed: Vec<(String, Option<ColumnKind>)> = match columns.get(&model.name) {
            Some(found) => found.iter().map(|(c, k)| (c.clone(), Some(*k))).collect(),
            None => {
                let mut named: Vec<String> = model.primary_key.iter().cloned().collect();
                named.extend(model.order_by.iter().cloned());
                named.extend(
                    model
                        .identifiers
                        .values()
                        .flat_map(|c| c.as_slice().to_vec()),
                );
                named.extend(model.fields.values().cloned());
                let mut seen = Vec::new();
                named.retain(|c| {
                    let new = !seen.contains(c);
                    seen.push(c.clone());
                    new
                });
                named.into_iter().map(|c| (c, None)).collect()
            }
        };
        let rows: Vec<ColumnRow> = listed
            .into_iter()
            .enumerate()
            .map(|(i, (name, kind))| {
                let role = if model.primary_key.as_deref() == Some(name.as_str()) {
                    Some("key")
                } else if model.order_by.as_deref() == Some(name.as_str()) {
                    Some("order")
                } else {
                    None
                };
                ColumnRow {
                    y: y + HEAD_H + ROW_H * i as f64 + ROW_H / 2.0,
                    name,
                    kind,
                    role,
                }
            })
            .collect();
        let height = HEAD_H + ROW_H * rows.len() as f64 + 8.0;
        models.push(ModelBox {
            index,
            name: model.name.clone(),
            y,
            height,
            columns: rows,
        });
        y += height + GAP;
    }
    let left_bottom = y;

    let mut identifiers: Vec<IdentifierBox> = graph
        .identifiers
        .iter()
        .enumerate()
        .map(|(index, identifier)| IdentifierBox {
            index: Some(index),
            name: identifier.name.clone(),
            kind: crate::graph_edit::snake(&identifier.kind),
            y: 0.0,
        })
        .collect();
    for suggestion in suggestions.iter().filter(|s| s.creates) {
        if identifiers.iter().all(|i| i.name != suggestion.identifier) {
            identifiers.push(IdentifierBox {
                index: None,
                name: suggestion.identifier.clone(),
                kind: crate::graph_edit::snake(&suggestion.kind),
                y: 0.0,
            });
        }
    }
    let spacing = IDENT_H + GAP;
    for (i, identifier) in identifiers.iter_mut().enumerate() {
        identifier.y = TOP + spacing * i as f64;
    }
    let middle_bottom = TOP + spacing * identifiers.len() as f64;

    let mut y = TOP;
    let mut rules = Vec::new();
    for (index, rule) in graph.rules.iter().enumerate() {
        let criteria: Vec<CriterionRow> = rule
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| CriterionRow {
                index: i,
                identifiers: c.identifiers.clone(),
                label: match_label(c.match_type, c.threshold, graph),
                exact: c.match_type == MatchType::Exact,
                y: y + HEAD_H + ROW_H * i as f64 + ROW_H / 2.0,
            })
            .collect();
        let height = HEAD_H + ROW_H * criteria.len().max(1) as f64 + 8.0;
        rules.push(RuleBox {
            index,
            name: rule.name.clone(),
            y,
            height,
            criteria,
        });
        y += height + GAP;
    }
    Layout {
        height: left_bottom.max(middle_bottom).max(y).max(160.0) + 8.0,
        models,
        identifiers,
        rules,
    }
}
