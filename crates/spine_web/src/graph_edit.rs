//! Every change a person can make to the identity graph, as values: the components emit an [`Edit`], the
//! state applies it with [`apply`]. Keeping edits as data makes them easy to test and to replay.

use serde::{Serialize, de::DeserializeOwned};
use spine_core::options::{
    Columns, Criterion, EventModel, Events, Fuzzy, Golden, GoldenField, Guardrails, Identifier,
    IdentityGraph, MatchType, Model, Rule,
};
use spine_core::settings::{DateOrder, IdentifierKind, Step, Strategy};
use std::collections::BTreeMap;

/// One change to the identity graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Adds a model for an uploaded file (no-op when a model of that name exists).
    AddModel {
        name: String,
        primary_key: Option<String>,
        order_by: Option<String>,
    },
    RemoveModel {
        model: String,
    },
    SetPrimaryKey {
        model: String,
        column: Option<String>,
    },
    SetOrderBy {
        model: String,
        column: Option<String>,
    },
    SetPriority {
        model: String,
        priority: u32,
    },
    SetOnePerProfile {
        model: String,
        on: bool,
    },
    /// Maps a column to an identifier, creating the identifier with `kind` when it does not exist.
    Map {
        model: String,
        column: String,
        identifier: String,
        kind: IdentifierKind,
    },
    Unmap {
        model: String,
        column: String,
        identifier: String,
    },
    /// Maps a column to a golden field of the model.
    MapField {
        model: String,
        column: String,
        field: String,
    },
    UnmapField {
        model: String,
        field: String,
    },
    AddIdentifier {
        name: String,
        kind: IdentifierKind,
    },
    /// Removes an identifier with its mappings, its criteria and its golden field.
    RemoveIdentifier {
        name: String,
    },
    SetIdentifier {
        name: String,
        change: IdentifierChange,
    },
    AddRule {
        name: String,
    },
    RemoveRule {
        index: usize,
    },
    /// Moves the rule at `from` to position `to` (its priority).
    MoveRule {
        from: usize,
        to: usize,
    },
    RenameRule {
        index: usize,
        name: String,
    },
    AddCriterion {
        rule: usize,
        identifier: String,
    },
    RemoveCriterion {
        rule: usize,
        criterion: usize,
    },
    SetCriterionMatch {
        rule: usize,
        criterion: usize,
        match_type: MatchType,
        threshold: Option<f64>,
    },
    SetCriterionIdentifiers {
        rule: usize,
        criterion: usize,
        identifiers: Vec<String>,
    },
    SetGuardrails(Guardrails),
    SetFuzzy(Fuzzy),
    AddGoldenField {
        name: String,
        strategy: Strategy,
    },
    RemoveGoldenField {
        index: usize,
    },
    MoveGoldenField {
        from: usize,
        to: usize,
    },
    SetGoldenStrategy {
        index: usize,
        strategy: Strategy,
    },
    SetGoldenModelOrder {
        index: usize,
        models: Option<Vec<String>>,
    },
    SetName {
        name: String,
    },
    /// Replaces the event models and stitching policy (None removes event stitching).
    SetEvents(Option<Box<Events>>),
    /// Maps a column of an event model to an identifier the graph defines (an event never creates one).
    MapEvent {
        model: String,
        column: String,
        identifier: String,
    },
    /// Removes one column from an event model's identifier, and the identifier when no column is left.
    UnmapEvent {
        model: String,
        column: String,
        identifier: String,
    },
    /// Replaces the whole graph (import, demo).
    Replace(Box<IdentityGraph>),
}

/// A change to one identifier's definition.
#[derive(Debug, Clone, PartialEq)]
pub enum IdentifierChange {
    Kind(IdentifierKind),
    Steps(Vec<Step>),
    DefaultRegion(Option<String>),
    DateOrder(Option<DateOrder>),
    BlockedValues(Vec<String>),
    BlockedPatterns(Vec<String>),
    MaxRecordsPerValue(Option<u64>),
    ConflictLimit(Option<u32>),
}

/// A graph with nothing in it yet.
pub fn empty_graph() -> IdentityGraph {
    IdentityGraph {
        version: 1,
        name: "my identity graph".to_owned(),
        description: None,
        id_column: "dinmo_id".to_owned(),
        models: Vec::new(),
        identifiers: Vec::new(),
        rules: Vec::new(),
        fuzzy: Fuzzy::default(),
        guardrails: Guardrails::default(),
        golden: Golden::default(),
        events: None,
        schedule: None,
    }
}

/// The standardization a new identifier of a kind starts with.
pub fn default_steps(kind: IdentifierKind) -> Vec<Step> {
    match kind {
        IdentifierKind::Email => vec![Step::Email],
        IdentifierKind::Phone => vec![Step::Phone],
        IdentifierKind::Name => vec![Step::Name],
        _ => vec![Step::Trim],
    }
}

/// A new identifier of a kind with its default steps.
pub fn new_identifier(name: &str, kind: IdentifierKind) -> Identifier {
    Identifier {
        name: name.to_owned(),
        kind,
        standardize: default_steps(kind),
        default_region: None,
        date_order: None,
        blocked_values: Vec::new(),
        blocked_patterns: Vec::new(),
        max_records_per_value: None,
        conflict_limit: None,
    }
}

/// The snake-case name serde writes for an enum value (`IdentifierKind::CustomerId` -> `customer_id`).
pub fn snake<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .trim_matches('"')
        .to_owned()
}

/// The enum value serde reads from a snake-case name.
pub fn parse_snake<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

fn model_mut<'a>(graph: &'a mut IdentityGraph, name: &str) -> Option<&'a mut Model> {
    graph.models.iter_mut().find(|m| m.name == name)
}

fn event_model_mut<'a>(graph: &'a mut IdentityGraph, name: &str) -> Option<&'a mut EventModel> {
    graph
        .events
        .as_mut()
        .and_then(|events| events.models.iter_mut().find(|m| m.name == name))
}

fn identifier_mut<'a>(graph: &'a mut IdentityGraph, name: &str) -> Option<&'a mut Identifier> {
    graph.identifiers.iter_mut().find(|i| i.name == name)
}

/// Adds `column` to the columns of an identifier mapping, keeping the one-column form when it fits.
fn add_column(columns: Option<Columns>, column: &str) -> Columns {
    match columns {
        None => Columns::One(column.to_owned()),
        Some(existing) => {
            let mut list = existing.as_slice().to_vec();
            if !list.iter().any(|c| c == column) {
                list.push(column.to_owned());
            }
            if list.len() == 1 {
                Columns::One(list.remove(0))
            } else {
                Columns::Many(list)
            }
        }
    }
}

/// The columns of an identifier mapping without `column`, in the one-column form when one is left; `None` when
/// none is left, so the mapping goes.
fn remove_column(columns: Columns, column: &str) -> Option<Columns> {
    let mut rest: Vec<String> = columns
        .as_slice()
        .iter()
        .filter(|c| *c != column)
        .cloned()
        .collect();
    match rest.len() {
        0 => None,
        1 => Some(Columns::One(rest.remove(0))),
        _ => Some(Columns::Many(rest)),
    }
}

/// Moves the item at `from` to `to` within a list; out-of-range positions change nothing.
pub fn move_item<T>(items: &mut Vec<T>, from: usize, to: usize) {
    if from < items.len() && to < items.len() && from != to {
        let item = items.remove(from);
        items.insert(to, item);
    }
}

/// Applies one edit. Edits naming something that does not exist change nothing.
pub fn apply(graph: &mut IdentityGraph, edit: Edit) {
    match edit {
        Edit::AddModel {
            name,
            primary_key,
            order_by,
        } => {
            if graph.models.iter().all(|m| m.name != name) {
                let priority = graph.models.iter().map(|m| m.priority).max().unwrap_or(0) + 1;
                graph.models.push(Model {
                    name,
                    primary_key,
                    order_by,
                    priority,
                    identifiers: BTreeMap::new(),
                    fields: BTreeMap::new(),
                    one_per_profile: false,
                });
            }
        }
        Edit::RemoveModel { model } => {
            graph.models.retain(|m| m.name != model);
            for field in &mut graph.golden.fields {
                if let Some(order) = &mut field.model_order {
                    order.retain(|m| *m != model);
                }
            }
        }
        Edit::SetPrimaryKey { model, column } => {
            if let Some(m) = model_mut(graph, &model) {
                m.primary_key = column;
            }
        }
        Edit::SetOrderBy { model, column } => {
            if let Some(m) = model_mut(graph, &model) {
                m.order_by = column;
            }
        }
        Edit::SetPriority { model, priority } => {
            if let Some(m) = model_mut(graph, &model) {
                m.priority = priority.max(1);
            }
        }
        Edit::SetOnePerProfile { model, on } => {
            if let Some(m) = model_mut(graph, &model) {
                m.one_per_profile = on;
            }
        }
        Edit::Map {
            model,
            column,
            identifier,
            kind,
        } => {
            if graph.models.iter().all(|m| m.name != model) {
                return;
            }
            if graph.identifiers.iter().all(|i| i.name != identifier) {
                graph.identifiers.push(new_identifier(&identifier, kind));
            }
            if let Some(m) = model_mut(graph, &model) {
                let columns = m.identifiers.remove(&identifier);
                m.identifiers
                    .insert(identifier, add_column(columns, &column));
            }
        }
        Edit::Unmap {
            model,
            column,
            identifier,
        } => {
            if let Some(m) = model_mut(graph, &model)
                && let Some(columns) = m.identifiers.remove(&identifier)
                && let Some(rest) = remove_column(columns, &column)
            {
                m.identifiers.insert(identifier, rest);
            }
        }
        Edit::MapField {
            model,
            column,
            field,
        } => {
            if let Some(m) = model_mut(graph, &model) {
                m.fields.insert(field, column);
            }
        }
        Edit::UnmapField { model, field } => {
            if let Some(m) = model_mut(graph, &model) {
                m.fields.remove(&field);
            }
        }
        Edit::AddIdentifier { name, kind } => {
            if !name.trim().is_empty() && graph.identifiers.iter().all(|i| i.name != name) {
                graph.identifiers.push(new_identifier(&name, kind));
            }
        }
        Edit::RemoveIdentifier { name } => {
            graph.identifiers.retain(|i| i.name != name);
            for model in &mut graph.models {
                model.identifiers.remove(&name);
            }
            for rule in &mut graph.rules {
                for criterion in &mut rule.criteria {
                    criterion.identifiers.retain(|i| *i != name);
                }
                rule.criteria.retain(|c| !c.identifiers.is_empty());
            }
            graph.golden.fields.retain(|f| f.name != name);
        }
        Edit::SetIdentifier { name, change } => {
            if let Some(identifier) = identifier_mut(graph, &name) {
                match change {
                    IdentifierChange::Kind(kind) => identifier.kind = kind,
                    IdentifierChange::Steps(steps) => identifier.standardize = steps,
                    IdentifierChange::DefaultRegion(region) => identifier.default_region = region,
                    IdentifierChange::DateOrder(order) => identifier.date_order = order,
                    IdentifierChange::BlockedValues(values) => identifier.blocked_values = values,
                    IdentifierChange::BlockedPatterns(patterns) => {
                        identifier.blocked_patterns = patterns
                    }
                    IdentifierChange::MaxRecordsPerValue(limit) => {
                        identifier.max_records_per_value = limit
                    }
                    IdentifierChange::ConflictLimit(limit) => identifier.conflict_limit = limit,
                }
            }
        }
        Edit::AddRule { name } => {
            // A new rule starts with an exact criterion on the first identifier, since every rule needs one.
            let criteria = graph
                .identifiers
                .first()
                .map(|i| Criterion {
                    identifiers: vec![i.name.clone()],
                    match_type: MatchType::Exact,
                    threshold: None,
                })
                .into_iter()
                .collect();
            graph.rules.push(Rule { name, criteria });
        }
        Edit::RemoveRule { index } => {
            if index < graph.rules.len() {
                graph.rules.remove(index);
            }
        }
        Edit::MoveRule { from, to } => move_item(&mut graph.rules, from, to),
        Edit::RenameRule { index, name } => {
            if let Some(rule) = graph.rules.get_mut(index) {
                rule.name = name;
            }
        }
        Edit::AddCriterion { rule, identifier } => {
            if let Some(rule) = graph.rules.get_mut(rule) {
                rule.criteria.push(Criterion {
                    identifiers: vec![identifier],
                    match_type: MatchType::Exact,
                    threshold: None,
                });
            }
        }
        Edit::RemoveCriterion { rule, criterion } => {
            if let Some(rule) = graph.rules.get_mut(rule)
                && criterion < rule.criteria.len()
            {
                rule.criteria.remove(criterion);
            }
        }
        Edit::SetCriterionMatch {
            rule,
            criterion,
            match_type,
            threshold,
        } => {
            if let Some(c) = graph
                .rules
                .get_mut(rule)
                .and_then(|r| r.criteria.get_mut(criterion))
            {
                c.match_type = match_type;
                // Only the custom-threshold form carries a threshold; validation rejects it elsewhere.
                c.threshold = if match_type == MatchType::Fuzzy {
                    Some(threshold.unwrap_or(0.9))
                } else {
                    None
                };
            }
        }
        Edit::SetCriterionIdentifiers {
            rule,
            criterion,
            identifiers,
        } => {
            if let Some(c) = graph
                .rules
                .get_mut(rule)
                .and_then(|r| r.criteria.get_mut(criterion))
            {
                c.identifiers = identifiers;
            }
        }
        Edit::SetGuardrails(guardrails) => graph.guardrails = guardrails,
        Edit::SetFuzzy(fuzzy) => graph.fuzzy = fuzzy,
        Edit::AddGoldenField { name, strategy } => {
            if !name.is_empty() && graph.golden.fields.iter().all(|f| f.name != name) {
                graph.golden.fields.push(GoldenField {
                    name,
                    strategy,
                    model_order: None,
                });
            }
        }
        Edit::RemoveGoldenField { index } => {
            if index < graph.golden.fields.len() {
                graph.golden.fields.remove(index);
            }
        }
        Edit::MoveGoldenField { from, to } => move_item(&mut graph.golden.fields, from, to),
        Edit::SetGoldenStrategy { index, strategy } => {
            if let Some(field) = graph.golden.fields.get_mut(index) {
                field.strategy = strategy;
                if strategy != Strategy::ModelPriority {
                    field.model_order = None;
                }
            }
        }
        Edit::SetGoldenModelOrder { index, models } => {
            if let Some(field) = graph.golden.fields.get_mut(index) {
                field.model_order = models;
            }
        }
        Edit::SetName { name } => graph.name = name,
        Edit::SetEvents(events) => graph.events = events.map(|e| *e),
        Edit::MapEvent {
            model,
            column,
            identifier,
        } => {
            if graph.identifiers.iter().all(|i| i.name != identifier) {
                return;
            }
            if let Some(m) = event_model_mut(graph, &model) {
                let columns = m.identifiers.remove(&identifier);
                m.identifiers
                    .insert(identifier, add_column(columns, &column));
            }
        }
        Edit::UnmapEvent {
            model,
            column,
            identifier,
        } => {
            if let Some(m) = event_model_mut(graph, &model)
                && let Some(columns) = m.identifiers.remove(&identifier)
                && let Some(rest) = remove_column(columns, &column)
            {
                m.identifiers.insert(identifier, rest);
            }
        }
        Edit::Replace(new) => *graph = *new,
    }
}

/// Every column of a model mapped to an identifier: (identifier, column), in identifier then column order.
pub fn mappings(model: &Model) -> Vec<(String, String)> {
    mappings_of(&model.identifiers)
}

/// Every (identifier, column) of a model's or an event model's identifier mappings, in identifier then column
/// order.
pub fn mappings_of(identifiers: &BTreeMap<String, Columns>) -> Vec<(String, String)> {
    identifiers
        .iter()
        .flat_map(|(identifier, columns)| {
            columns
                .as_slice()
                .iter()
                .map(move |column| (identifier.clone(), column.clone()))
        })
        .collect()
}

/// The names a golden field can take: identifiers, then fields mapped by any model, without repeats.
pub fn golden_candidates(graph: &IdentityGraph) -> Vec<String> {
    let mut names: Vec<String> = graph.identifiers.iter().map(|i| i.name.clone()).collect();
    let mut fields: Vec<&String> = graph.models.iter().flat_map(|m| m.fields.keys()).collect();
    spine_core::sort::sort(&mut fields);
    fields.dedup();
    for field in fields {
        if !names.contains(field) {
            names.push(field.clone());
        }
    }
    names
}
