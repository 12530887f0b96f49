//! Turning a loaded file into an event model, and the stitching policy a new one starts with: the event's key,
//! time and type columns, its identifier columns (mapped to identifiers the graph already defines), and the
//! identifiers tried strongest first.

use crate::protocol::{ColumnKind, FileSummary};
use crate::suggest::guess;
use spine_core::options::{Columns, EventModel, Events, IdentityGraph};
use spine_core::settings::IdentifierKind;
use std::collections::BTreeMap;

/// Identifier kinds from the strongest evidence of identity to the weakest, for the stitching priority.
const STRENGTH: [IdentifierKind; 8] = [
    IdentifierKind::UserId,
    IdentifierKind::CustomerId,
    IdentifierKind::CrmId,
    IdentifierKind::AccountId,
    IdentifierKind::Email,
    IdentifierKind::Phone,
    IdentifierKind::DeviceId,
    IdentifierKind::AnonymousId,
];

/// Days an anonymous value stays linked to a profile for backfill, in a new policy.
pub const DEFAULT_LIFETIME_DAYS: u32 = 90;

/// Column names that hold an event's type.
const TYPE_NAMES: [&str; 5] = ["type", "event_type", "event", "event_name", "action"];

/// An event model for a file: its key (the suggested one, else the first column), its time column (the
/// suggested order field, else the first date column), a type column when one is named like it, and every
/// other column that holds one of the graph's identifiers.
pub fn event_model(file: &FileSummary, graph: &IdentityGraph) -> EventModel {
    let first = file
        .columns
        .first()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let key = file.suggested_key.clone().unwrap_or(first.clone());
    let timestamp = file
        .suggested_order
        .clone()
        .or_else(|| {
            file.columns
                .iter()
                .find(|c| c.kind == ColumnKind::Date)
                .map(|c| c.name.clone())
        })
        .unwrap_or(first);
    let event_type = file
        .columns
        .iter()
        .find(|c| TYPE_NAMES.contains(&c.name.to_lowercase().as_str()))
        .map(|c| c.name.clone());
    let mut identifiers: BTreeMap<String, Columns> = BTreeMap::new();
    for column in &file.columns {
        let name = column.name.as_str();
        if name == key || name == timestamp || Some(name) == event_type.as_deref() {
            continue;
        }
        let identifier = graph
            .identifiers
            .iter()
            .find(|i| i.name == name)
            .or_else(|| {
                let (kind, canonical, _) = guess(name, column.kind)?;
                graph
                    .identifiers
                    .iter()
                    .find(|i| i.name == canonical)
                    .or_else(|| {
                        let same: Vec<_> = graph
                            .identifiers
                            .iter()
                            .filter(|i| i.kind == kind)
                            .collect();
                        (kind != IdentifierKind::Name && same.len() == 1).then(|| same[0])
                    })
            });
        if let Some(identifier) = identifier {
            identifiers
                .entry(identifier.name.clone())
                .or_insert_with(|| Columns::One(name.to_owned()));
        }
    }
    EventModel {
        name: file.model.clone(),
        key,
        timestamp,
        event_type,
        identifiers,
    }
}

/// The stitching policy for a set of event models: every identifier they map, strongest kind first (names and
/// custom identifiers are not evidence of identity on their own and are left out), anonymous and device IDs
/// marked anonymous, backfill on for 90 days.
pub fn default_policy(graph: &IdentityGraph, models: Vec<EventModel>) -> Events {
    let mapped = |name: &str| models.iter().any(|m| m.identifiers.contains_key(name));
    let mut priority = Vec::new();
    for kind in STRENGTH {
        for identifier in graph
            .identifiers
            .iter()
            .filter(|i| i.kind == kind && mapped(&i.name))
        {
            priority.push(identifier.name.clone());
        }
    }
    let anonymous = graph
        .identifiers
        .iter()
        .filter(|i| {
            matches!(
                i.kind,
                IdentifierKind::AnonymousId | IdentifierKind::DeviceId
            )
        })
        .filter(|i| priority.contains(&i.name))
        .map(|i| i.name.clone())
        .collect();
    Events {
        models,
        priority,
        anonymous,
        backfill: true,
        lifetime_days: Some(DEFAULT_LIFETIME_DAYS),
    }
}

/// The graph's events with one more event model (a new policy when there was none).
pub fn with_event_model(graph: &IdentityGraph, model: EventModel) -> Events {
    match &graph.events {
        Some(events) => {
            let mut events = events.clone();
            events.models.retain(|m| m.name != model.name);
            events.models.push(model);
            events
        }
        None => default_policy(graph, vec![model]),
    }
}
