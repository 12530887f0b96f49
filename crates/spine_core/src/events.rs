//! Event stitching (SPEC section 7): event rows attached to the profiles of a finished run through the
//! identifiers they carry, with backfill of anonymous visits, the tables `identity_event_links` and
//! `identity_unstitched_events`, and stitch rates by model and identifier (`identity_event_metrics`).
//!
//! Choices where the SPEC is silent, kept here so the README can quote them:
//! - Event values go through the same standardization, `blocked_values` and `blocked_patterns` as profile
//!   values; a value the run quarantined (`max_records_per_value`) is blocked for events too.
//! - Only identifiers listed in `priority` are looked up on profiles; several values of one identifier on an
//!   event count together (one profile among them all stitches, more are `ambiguous`).
//! - Backfill applies to an event that no identifier stitched and whose only used values are anonymous
//!   identifiers. Its sources are the events stitched directly by a non-anonymous identifier that carry the same
//!   anonymous value. "Within `lifetime_days`" is the absolute time between the two events' timestamps
//!   (parsed like order fields), inclusive; with a lifetime, an event whose timestamp does not parse is neither
//!   backfilled nor a source. Without `lifetime_days` there is no time limit. Backfilled events have status
//!   `backfilled`, directly stitched ones `stitched`.
//! - An unstitched event's reason is the strongest found: `ambiguous`, then `unknown_identifier`, then
//!   `blocked_value`, then `no_identifier` (empty or invalid values only).
//! - Event rows are not deduplicated by key; rows are sorted by model, event key, then file line.

use crate::resolve::{
    Instant, NONE, ObservationStatus, Resolution, ResolveError, StrArena, index_u32, parse_order,
    ratio4,
};
use crate::settings::{IdentifierId, Settings};
use crate::standardize::{Standardized, blocked_reason, quarantine_reason, standardize};
use crate::table::Table;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The tables event stitching writes, in order.
pub const EVENT_TABLES: [&str; 3] = [
    "identity_event_links",
    "identity_unstitched_events",
    "identity_event_metrics",
];

/// How a stitched event found its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// A value of a priority identifier belongs to exactly one profile.
    Stitched,
    /// An anonymous value that a stronger identifier stitched in another event within the lifetime.
    Backfilled,
}

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stitched => "stitched",
            Self::Backfilled => "backfilled",
        }
    }
}

/// Why an event was not stitched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnstitchedReason {
    /// No used value of any identifier (every cell empty or invalid).
    NoIdentifier,
    /// Used values that no profile holds.
    UnknownIdentifier,
    /// Only blocked (or quarantined) values.
    BlockedValue,
    /// A value held by several profiles (or backfilled to several).
    Ambiguous,
}

impl UnstitchedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoIdentifier => "no_identifier",
            Self::UnknownIdentifier => "unknown_identifier",
            Self::BlockedValue => "blocked_value",
            Self::Ambiguous => "ambiguous",
        }
    }
}

/// One row of `identity_event_links`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventLink<'a> {
    pub model: &'a str,
    pub event_key: &'a str,
    pub event_timestamp: &'a str,
    pub event_type: &'a str,
    pub profile_id: &'a str,
    pub status: LinkStatus,
    pub stitched_by: &'a str,
    pub stitched_value: &'a str,
}

/// One row of `identity_unstitched_events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnstitchedEvent<'a> {
    pub model: &'a str,
    pub event_key: &'a str,
    pub reason: UnstitchedReason,
    pub detail: &'a str,
}

/// One row of `identity_event_metrics`: a model (or all models, `model` empty) and an identifier (or all,
/// `identifier` empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventMetrics {
    pub model: String,
    pub identifier: String,
    /// Events of the model; on an identifier row, events carrying a used value of the identifier.
    pub events: u64,
    /// Events stitched directly (by this identifier on an identifier row).
    pub stitched: u64,
    /// Events backfilled (through this identifier on an identifier row).
    pub backfilled: u64,
    /// `(stitched + backfilled) / events of the model`, four decimals.
    pub stitch_rate: String,
    /// Unstitched events by reason (model rows only; zero on identifier rows).
    pub ambiguous: u64,
    pub unknown_identifier: u64,
    pub blocked_value: u64,
    pub no_identifier: u64,
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Linked {
        profile: u32,
        status: LinkStatus,
        identifier: u32,
        value: u32,
    },
    Unstitched {
        reason: UnstitchedReason,
        detail: u32,
    },
}

/// The stitched and unstitched events of every event model.
#[derive(Debug, Clone)]
pub struct Stitching {
    id_column: String,
    models: Vec<String>,
    identifiers: Vec<String>,
    profile_ids: Vec<String>,
    /// Per event, in input order (model by model, row by row).
    event_model: Vec<u32>,
    keys: StrArena,
    timestamps: StrArena,
    types: StrArena,
    outcomes: Vec<Outcome>,
    /// Interned standardized values (stitched values).
    values: StrArena,
    /// The detail text of each unstitched event.
    texts: StrArena,
    /// Event indices sorted by model name, key, then input order.
    order: Vec<u32>,
    metrics: Vec<EventMetrics>,
}

/// What standardization and the profile index made of one raw cell (cached per identifier).
#[derive(Debug, Clone, Copy)]
enum Cell {
    Empty,
    Invalid(u32),
    Blocked(u32, u32),
    /// A used value and the profiles that hold it: none, one, or several (an index into `shared`).
    Used(u32, Holders),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holders {
    None,
    One(u32),
    Many(u32),
}

/// Interns strings into an arena.
#[derive(Default)]
struct Interner {
    map: FxHashMap<String, u32>,
    arena: StrArena,
}

impl Interner {
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&index) = self.map.get(text) {
            return index;
        }
        let index = self.arena.push(text);
        self.map.insert(text.to_owned(), index);
        index
    }
}

/// An event stitched by a non-anonymous identifier: its instant and profile (a backfill source).
type Source = (Option<Instant>, u32);

/// Which profiles hold each used value of the stitching identifiers.
struct ProfileIndex<'r> {
    holders: FxHashMap<(u32, &'r str), Holders>,
    shared: Vec<Vec<u32>>,
    quarantined: FxHashMap<(u32, &'r str), u32>,
}

impl<'r> ProfileIndex<'r> {
    fn new(resolution: &'r Resolution, wanted: &[bool]) -> Self {
        let mut holders: FxHashMap<(u32, &str), Holders> = FxHashMap::default();
        let mut shared: Vec<Vec<u32>> = Vec::new();
        let observed = &resolution.observed;
        for record in 0..index_u32(resolution.records.len()) {
            let profile = resolution.profiles.of_record[record as usize];
            if profile == NONE {
                continue;
            }
            for observation in observed.of_record(record) {
                if observation.status != ObservationStatus::Used
                    || !wanted[observation.identifier as usize]
                {
                    continue;
                }
                let key = (
                    observation.identifier,
                    observed.values.get(observation.value),
                );
                let entry = holders.entry(key).or_insert(Holders::One(profile));
                match *entry {
                    Holders::One(other) if other != profile => {
                        shared.push(vec![other.min(profile), other.max(profile)]);
                        *entry = Holders::Many(index_u32(shared.len() - 1));
                    }
                    Holders::Many(at) => {
                        let list = &mut shared[at as usize];
                        if let Err(position) = list.binary_search(&profile) {
                            list.insert(position, profile);
                        }
                    }
                    _ => {}
                }
            }
        }
        let quarantined = observed
            .quarantined
            .iter()
            .map(|q| ((q.identifier, observed.values.get(q.value)), q.records))
            .collect();
        Self {
            holders,
            shared,
            quarantined,
        }
    }
}

/// An identifier of an event model with the columns that hold it.
struct Mapped {
    identifier: IdentifierId,
    columns: Vec<usize>,
}

/// Stitches the rows of `events` (`events[i]` holds the rows of the graph's `events.models[i]`) to the profiles
/// of `resolution`. A graph without event models stitches nothing.
pub fn stitch(resolution: &Resolution, events: &[Table]) -> Result<Stitching, ResolveError> {
    let settings = &resolution.settings;
    let empty = crate::settings::Events {
        models: Vec::new(),
        priority: Vec::new(),
        anonymous: Vec::new(),
        backfill: false,
        lifetime_days: None,
    };
    let policy = settings.events.as_ref().unwrap_or(&empty);
    if events.len() != policy.models.len() {
        return Err(input_error(
            "",
            0,
            "",
            format!(
                "the identity graph has {} event models but {} event tables were given; give one table per event model",
                policy.models.len(),
                events.len()
            ),
        ));
    }
    let identifier_count = settings.identifiers.len();
    let mut wanted = vec![false; identifier_count];
    let mut is_anonymous = vec![false; identifier_count];
    for &identifier in &policy.priority {
        wanted[identifier] = true;
    }
    for &identifier in &policy.anonymous {
        is_anonymous[identifier] = true;
    }
    // Backfill tries anonymous identifiers in priority order, then those `priority` does not list.
    let mut backfill_order: Vec<IdentifierId> = policy
        .priority
        .iter()
        .copied()
        .filter(|&i| is_anonymous[i])
        .collect();
    backfill_order.extend(
        policy
            .anonymous
            .iter()
            .copied()
            .filter(|i| !policy.priority.contains(i)),
    );

    let index = ProfileIndex::new(resolution, &wanted);
    let mut values = Interner::default();
    let mut details = Interner::default();
    let mut texts = StrArena::default();
    let mut caches: Vec<FxHashMap<&str, Cell>> = vec![FxHashMap::default(); identifier_count];

    let mut stitching = Stitching {
        id_column: settings.id_column.clone(),
        models: policy.models.iter().map(|m| m.name.clone()).collect(),
        identifiers: settings
            .identifiers
            .iter()
            .map(|i| i.name.clone())
            .collect(),
        profile_ids: resolution.profiles.ids.clone(),
        event_model: Vec::new(),
        keys: StrArena::default(),
        timestamps: StrArena::default(),
        types: StrArena::default(),
        outcomes: Vec::new(),
        values: StrArena::default(),
        texts: StrArena::default(),
        order: Vec::new(),
        metrics: Vec::new(),
    };
    // Per event: its instant, and whether backfill may try it (unstitched, anonymous values only).
    let mut instants: Vec<Option<Instant>> = Vec::new();
    let mut backfill_candidates: Vec<u32> = Vec::new();
    // (anonymous identifier, interned value) -> (instant, profile) of events stitched by a stronger identifier.
    let mut sources: FxHashMap<(u32, u32), Vec<Source>> = FxHashMap::default();
    // Events of each model carrying a used value of each identifier.
    let mut carried_counts = vec![vec![0u64; identifier_count]; policy.models.len()];
    let total: usize = events.iter().map(Table::len).sum();
    stitching.event_model.reserve(total);
    stitching.outcomes.reserve(total);
    instants.reserve(total);

    for (model_index, (model, table)) in policy.models.iter().zip(events).enumerate() {
        let column = |name: &str| {
            table.column_index(name).ok_or_else(|| {
                input_error(
                    &table.name,
                    1,
                    name,
                    format!(
                        "event model '{}' maps this column but the file has no such column",
                        model.name
                    ),
                )
            })
        };
        let key_column = column(&model.key)?;
        let time_column = column(&model.timestamp)?;
        let type_column = model.event_type.as_deref().map(column).transpose()?;
        let mut mapped: Vec<Mapped> = Vec::with_capacity(model.identifiers.len());
        for mapping in &model.identifiers {
            let columns = mapping
                .columns
                .iter()
                .map(|c| column(c))
                .collect::<Result<Vec<_>, _>>()?;
            mapped.push(Mapped {
                identifier: mapping.identifier,
                columns,
            });
        }
        // Priority identifiers this model maps, in priority order.
        let tried: Vec<&Mapped> = policy
            .priority
            .iter()
            .filter_map(|&i| mapped.iter().find(|m| m.identifier == i))
            .collect();
        let backfilled: Vec<&Mapped> = backfill_order
            .iter()
            .filter_map(|&i| mapped.iter().find(|m| m.identifier == i))
            .collect();

        let mut carried = vec![false; identifier_count];
        let mut ambiguous: Vec<String> = Vec::new();
        let mut unknown: Vec<(usize, u32)> = Vec::new();
        let mut blocked: Vec<(usize, u32, u32)> = Vec::new();
        let mut invalid: Vec<(usize, &str, u32)> = Vec::new();
        let mut holders: Vec<u32> = Vec::new();
        let mut shared_values: Vec<u32> = Vec::new();
        let mut text = String::new();
        let mut cells: Vec<(usize, Cell)> = Vec::new();
        for row in 0..table.len() {
            let event = index_u32(stitching.outcomes.len());
            stitching.event_model.push(index_u32(model_index));
            stitching.keys.push(table.cell(row, key_column));
            let raw_time = table.cell(row, time_column);
            stitching.timestamps.push(raw_time);
            stitching
                .types
                .push(type_column.map_or("", |c| table.cell(row, c)));
            let instant = parse_order(raw_time);
            instants.push(instant);

            macro_rules! look {
                ($identifier:expr, $raw:expr) => {
                    cell(
                        settings,
                        &index,
                        &mut values,
                        &mut details,
                        &mut caches,
                        $identifier,
                        $raw,
                    )
                };
            }
            // Reasons are kept as indices and written out only for events left unstitched.
            ambiguous.clear();
            unknown.clear();
            blocked.clear();
            invalid.clear();
            let mut linked: Option<(u32, IdentifierId, u32)> = None;
            carried.fill(false);
            let mut any_used = false;
            let mut only_anonymous = true;
            // Each cell is looked up once; the priority loop and the backfill sources reuse the results.
            cells.clear();
            for mapping in &mapped {
                for &c in &mapping.columns {
                    let raw = table.cell(row, c);
                    let found = look!(mapping.identifier, raw);
                    cells.push((mapping.identifier, found));
                    match found {
                        Cell::Used(..) => {
                            any_used = true;
                            carried[mapping.identifier] = true;
                            only_anonymous &= is_anonymous[mapping.identifier];
                        }
                        Cell::Blocked(value, detail)
                            if wanted[mapping.identifier] || is_anonymous[mapping.identifier] =>
                        {
                            blocked.push((mapping.identifier, value, detail));
                        }
                        Cell::Invalid(detail) => invalid.push((mapping.identifier, raw, detail)),
                        _ => {}
                    }
                }
            }
            for mapping in &tried {
                let name = &settings.identifiers[mapping.identifier].name;
                let mut found: Option<(u32, u32)> = None;
                holders.clear();
                shared_values.clear();
                for &(identifier, looked) in &cells {
                    let Cell::Used(value, hit) = looked else {
                        continue;
                    };
                    if identifier != mapping.identifier {
                        continue;
                    }
                    match hit {
                        Holders::None => unknown.push((mapping.identifier, value)),
                        Holders::One(profile) => {
                            if found.is_none() {
                                found = Some((profile, value));
                            }
                            holders.push(profile);
                            shared_values.push(value);
                        }
                        Holders::Many(at) => {
                            holders.extend_from_slice(&index.shared[at as usize]);
                            shared_values.push(value);
                        }
                    }
                }
                holders.sort_unstable();
                holders.dedup();
                match (holders.len(), found) {
                    (1, Some((profile, value))) => {
                        linked = Some((profile, mapping.identifier, value));
                        break;
                    }
                    (0, _) => {}
                    _ => {
                        let mut texts: Vec<&str> =
                            shared_values.iter().map(|&v| values.arena.get(v)).collect();
                        crate::sort::sort_unstable(&mut texts);
                        texts.dedup();
                        ambiguous.push(format!(
                            "{name} {} is held by {} profiles ({})",
                            texts.join("|"),
                            holders.len(),
                            join_ids(&stitching.profile_ids, &holders)
                        ));
                    }
                }
            }
            let outcome = match linked {
                Some((profile, identifier, value)) => {
                    if !is_anonymous[identifier] {
                        for mapping in &backfilled {
                            for &(identifier, found) in &cells {
                                if let (true, Cell::Used(anonymous, _)) =
                                    (identifier == mapping.identifier, found)
                                {
                                    sources
                                        .entry((index_u32(identifier), anonymous))
                                        .or_default()
                                        .push((instant, profile));
                                }
                            }
                        }
                    }
                    Outcome::Linked {
                        profile,
                        status: LinkStatus::Stitched,
                        identifier: index_u32(identifier),
                        value,
                    }
                }
                None => {
                    if policy.backfill && any_used && only_anonymous && !backfilled.is_empty() {
                        backfill_candidates.push(event);
                    }
                    text.clear();
                    let name = |identifier: usize| settings.identifiers[identifier].name.as_str();
                    let reason = if !ambiguous.is_empty() {
                        text.push_str(&ambiguous.join("; "));
                        UnstitchedReason::Ambiguous
                    } else if !unknown.is_empty() {
                        for (at, &(identifier, value)) in unknown.iter().enumerate() {
                            separate(&mut text, at);
                            let _ = write!(
                                text,
                                "no profile holds {} {}",
                                name(identifier),
                                values.arena.get(value)
                            );
                        }
                        UnstitchedReason::UnknownIdentifier
                    } else if !blocked.is_empty() {
                        for (at, &(identifier, value, detail)) in blocked.iter().enumerate() {
                            separate(&mut text, at);
                            let _ = write!(
                                text,
                                "{} {}: {}",
                                name(identifier),
                                values.arena.get(value),
                                details.arena.get(detail)
                            );
                        }
                        UnstitchedReason::BlockedValue
                    } else if any_used {
                        // Used values of identifiers that are only anonymous (not in `priority`).
                        let names: Vec<&str> = mapped
                            .iter()
                            .filter(|m| carried[m.identifier])
                            .map(|m| name(m.identifier))
                            .collect();
                        let _ = write!(text, "{} is not in events.priority", names.join(", "));
                        UnstitchedReason::UnknownIdentifier
                    } else if !invalid.is_empty() {
                        for (at, &(identifier, raw, detail)) in invalid.iter().enumerate() {
                            separate(&mut text, at);
                            let _ = write!(
                                text,
                                "{} '{raw}': {}",
                                name(identifier),
                                details.arena.get(detail)
                            );
                        }
                        UnstitchedReason::NoIdentifier
                    } else {
                        text.push_str("every identifier cell is empty");
                        UnstitchedReason::NoIdentifier
                    };
                    Outcome::Unstitched {
                        reason,
                        detail: texts.push(&text),
                    }
                }
            };
            stitching.outcomes.push(outcome);
            for (identifier, &has) in carried.iter().enumerate() {
                carried_counts[model_index][identifier] += u64::from(has);
            }
        }
    }

    // Backfill needs every model's directly stitched events, so it runs after the last model.

    if policy.backfill {
        // Each list is sorted on its own, so the map's order never reaches an output.
        #[allow(clippy::iter_over_hash_type)]
        for list in sources.values_mut() {
            crate::sort::sort_unstable(list);
            list.dedup();
        }
        let lifetime = policy
            .lifetime_days
            .map(|days| i128::from(days) * 86_400 * 1_000_000_000);
        for &event in &backfill_candidates {
            let model_index = stitching.event_model[event as usize] as usize;
            let model = &policy.models[model_index];
            let table = &events[model_index];
            let row = event as usize - first_event_of(&stitching.event_model, model_index);
            let instant = instants[event as usize];
            let mut ambiguous: Vec<String> = Vec::new();
            let mut linked = None;
            for &identifier in &backfill_order {
                let Some(mapping) = model
                    .identifiers
                    .iter()
                    .find(|m| m.identifier == identifier)
                else {
                    continue;
                };
                let name = &settings.identifiers[identifier].name;
                let mut holders: Vec<u32> = Vec::new();
                let mut first: Option<u32> = None;
                let mut hit_values: Vec<u32> = Vec::new();
                for column in &mapping.columns {
                    let Some(c) = table.column_index(column) else {
                        continue;
                    };
                    let Cell::Used(value, _) = cell(
                        settings,
                        &index,
                        &mut values,
                        &mut details,
                        &mut caches,
                        identifier,
                        table.cell(row, c),
                    ) else {
                        continue;
                    };
                    let Some(list) = sources.get(&(index_u32(identifier), value)) else {
                        continue;
                    };
                    let before = holders.len();
                    match (lifetime, instant) {
                        (None, _) => holders.extend(list.iter().map(|&(_, p)| p)),
                        (Some(limit), Some(at)) => holders.extend(
                            list.iter()
                                .filter(|(when, _)| {
                                    when.is_some_and(|when| nanos_between(when, at) <= limit)
                                })
                                .map(|&(_, p)| p),
                        ),
                        (Some(_), None) => {}
                    }
                    if holders.len() > before {
                        first.get_or_insert(value);
                        hit_values.push(value);
                    }
                }
                holders.sort_unstable();
                holders.dedup();
                match (holders.len(), first) {
                    (0, _) => {}
                    (1, Some(value)) => {
                        linked = Some((holders[0], identifier, value));
                        break;
                    }
                    _ => {
                        let within = policy
                            .lifetime_days
                            .map_or(String::new(), |days| format!(" within {days} days"));
                        let mut texts: Vec<&str> =
                            hit_values.iter().map(|&v| values.arena.get(v)).collect();
                        crate::sort::sort_unstable(&mut texts);
                        texts.dedup();
                        ambiguous.push(format!(
                            "{name} {} was stitched to {} profiles{within} ({})",
                            texts.join("|"),
                            holders.len(),
                            join_ids(&stitching.profile_ids, &holders)
                        ));
                    }
                }
            }
            let outcome = &mut stitching.outcomes[event as usize];
            if let Some((profile, identifier, value)) = linked {
                *outcome = Outcome::Linked {
                    profile,
                    status: LinkStatus::Backfilled,
                    identifier: index_u32(identifier),
                    value,
                };
            } else if !ambiguous.is_empty() {
                *outcome = Outcome::Unstitched {
                    reason: UnstitchedReason::Ambiguous,
                    detail: texts.push(&ambiguous.join("; ")),
                };
            } else if let Outcome::Unstitched { detail, .. } = *outcome {
                let within = policy
                    .lifetime_days
                    .map_or(String::new(), |days| format!(" within {days} days"));
                let text = format!(
                    "{}; no event stitched by a stronger identifier carries its anonymous value{within}",
                    texts.get(detail)
                );
                *outcome = Outcome::Unstitched {
                    reason: UnstitchedReason::UnknownIdentifier,
                    detail: texts.push(&text),
                };
            }
        }
    }

    stitching.values = values.arena;
    stitching.texts = texts;
    let mut order: Vec<u32> = (0..index_u32(stitching.outcomes.len())).collect();
    let compare = |&a: &u32, &b: &u32| {
        let model = |e: u32| stitching.models[stitching.event_model[e as usize] as usize].as_str();
        model(a)
            .cmp(model(b))
            .then_with(|| stitching.keys.get(a).cmp(stitching.keys.get(b)))
            .then(a.cmp(&b))
    };
    // Event files are often already in key order; checking first saves the sort.
    if !order.is_sorted_by(|a, b| compare(a, b).is_le()) {
        // The comparison ends on the position, so no two events tie and any sort gives this one order.
        crate::sort::sort_by(&mut order, compare);
    }
    stitching.order = order;
    stitching.metrics = metrics(&stitching, settings, &carried_counts);
    Ok(stitching)
}

/// Standardizes one cell of an identifier and finds the profiles holding the value, through the cache.
fn cell<'t>(
    settings: &Settings,
    index: &ProfileIndex<'_>,
    values: &mut Interner,
    details: &mut Interner,
    caches: &mut [FxHashMap<&'t str, Cell>],
    identifier: IdentifierId,
    raw: &'t str,
) -> Cell {
    if let Some(&found) = caches[identifier].get(raw) {
        return found;
    }
    let definition = &settings.identifiers[identifier];
    let result = match standardize(definition, raw) {
        Standardized::Empty => Cell::Empty,
        Standardized::Invalid(why) => Cell::Invalid(details.intern(&why)),
        Standardized::Used(value) if value.is_empty() => {
            Cell::Invalid(details.intern("standardization left the value empty"))
        }
        Standardized::Used(value) => {
            let key = (index_u32(identifier), value.as_str());
            if let Some(why) = blocked_reason(definition, &value) {
                Cell::Blocked(values.intern(&value), details.intern(&why))
            } else if let Some(&records) = index.quarantined.get(&key) {
                let limit = definition.max_records_per_value.unwrap_or_default();
                Cell::Blocked(
                    values.intern(&value),
                    details.intern(&quarantine_reason(u64::from(records), limit)),
                )
            } else {
                let hit = index.holders.get(&key).copied().unwrap_or(Holders::None);
                Cell::Used(values.intern(&value), hit)
            }
        }
    };
    caches[identifier].insert(raw, result);
    result
}

/// The absolute time between two instants, in nanoseconds.
fn nanos_between(a: Instant, b: Instant) -> i128 {
    let nanos = |i: Instant| i128::from(i.seconds) * 1_000_000_000 + i128::from(i.nanos);
    (nanos(a) - nanos(b)).abs()
}

/// The index of a model's first event (events are stored model by model).
fn first_event_of(event_model: &[u32], model: usize) -> usize {
    event_model.partition_point(|&m| (m as usize) < model)
}

/// Starts the next part of a detail text.
fn separate(text: &mut String, at: usize) {
    if at > 0 {
        text.push_str("; ");
    }
}

fn join_ids(ids: &[String], profiles: &[u32]) -> String {
    let mut names: Vec<&str> = profiles.iter().map(|&p| ids[p as usize].as_str()).collect();
    crate::sort::sort_unstable(&mut names);
    names.join("|")
}

fn input_error(file: &str, line: u64, column: &str, message: String) -> ResolveError {
    ResolveError::Input {
        file: file.to_owned(),
        line,
        column: column.to_owned(),
        message,
    }
}

/// Stitch counts by model and by (model, identifier), with an all-models row (`model` empty) first.
fn metrics(stitching: &Stitching, settings: &Settings, carried: &[Vec<u64>]) -> Vec<EventMetrics> {
    let models = stitching.models.len();
    let identifiers = settings.identifiers.len();
    // Slot 0 is all models; slot m + 1 is model m. Per slot: the model row then one row per identifier.
    let mut rows: Vec<Vec<EventMetrics>> =
        vec![vec![EventMetrics::default(); identifiers + 1]; models + 1];
    for (model, counts) in carried.iter().enumerate() {
        for (identifier, &count) in counts.iter().enumerate() {
            rows[0][identifier + 1].events += count;
            rows[model + 1][identifier + 1].events += count;
        }
    }
    for (event, outcome) in stitching.outcomes.iter().enumerate() {
        let model = stitching.event_model[event] as usize + 1;
        for slot in [0, model] {
            let row = &mut rows[slot];
            row[0].events += 1;
            match *outcome {
                Outcome::Linked {
                    status, identifier, ..
                } => {
                    let at = identifier as usize + 1;
                    match status {
                        LinkStatus::Stitched => {
                            row[0].stitched += 1;
                            row[at].stitched += 1;
                        }
                        LinkStatus::Backfilled => {
                            row[0].backfilled += 1;
                            row[at].backfilled += 1;
                        }
                    }
                }
                Outcome::Unstitched { reason, .. } => match reason {
                    UnstitchedReason::Ambiguous => row[0].ambiguous += 1,
                    UnstitchedReason::UnknownIdentifier => row[0].unknown_identifier += 1,
                    UnstitchedReason::BlockedValue => row[0].blocked_value += 1,
                    UnstitchedReason::NoIdentifier => row[0].no_identifier += 1,
                },
            }
        }
    }
    let mut slots: Vec<usize> = (1..=models).collect();
    crate::sort::sort_by(&mut slots, |&a, &b| {
        stitching.models[a - 1].cmp(&stitching.models[b - 1])
    });
    slots.insert(0, 0);
    let mut names: Vec<usize> = (0..identifiers).collect();
    crate::sort::sort_by(&mut names, |&a, &b| {
        settings.identifiers[a]
            .name
            .cmp(&settings.identifiers[b].name)
    });
    let mut out = Vec::new();
    for slot in slots {
        let model = if slot == 0 {
            String::new()
        } else {
            stitching.models[slot - 1].clone()
        };
        let total = rows[slot][0].events;
        let mut row = std::mem::take(&mut rows[slot][0]);
        row.model = model.clone();
        row.stitch_rate = ratio4(row.stitched + row.backfilled, total);
        out.push(row);
        for &identifier in &names {
            let mut row = std::mem::take(&mut rows[slot][identifier + 1]);
            if row.events == 0 {
                continue;
            }
            row.model = model.clone();
            row.identifier = settings.identifiers[identifier].name.clone();
            row.stitch_rate = ratio4(row.stitched + row.backfilled, total);
            out.push(row);
        }
    }
    out
}

impl Stitching {
    /// The names of the tables stitching writes.
    pub fn table_names(&self) -> Vec<&'static str> {
        EVENT_TABLES.to_vec()
    }

    /// Stitched events, sorted by model, event key, then file order.
    pub fn links(&self) -> impl Iterator<Item = EventLink<'_>> + '_ {
        self.order
            .iter()
            .filter_map(move |&event| match self.outcomes[event as usize] {
                Outcome::Linked {
                    profile,
                    status,
                    identifier,
                    value,
                } => Some(EventLink {
                    model: &self.models[self.event_model[event as usize] as usize],
                    event_key: self.keys.get(event),
                    event_timestamp: self.timestamps.get(event),
                    event_type: self.types.get(event),
                    profile_id: &self.profile_ids[profile as usize],
                    status,
                    stitched_by: &self.identifiers[identifier as usize],
                    stitched_value: self.values.get(value),
                }),
                Outcome::Unstitched { .. } => None,
            })
    }

    /// Events left unstitched, sorted by model, event key, then file order.
    pub fn unstitched(&self) -> impl Iterator<Item = UnstitchedEvent<'_>> + '_ {
        self.order
            .iter()
            .filter_map(move |&event| match self.outcomes[event as usize] {
                Outcome::Unstitched { reason, detail } => Some(UnstitchedEvent {
                    model: &self.models[self.event_model[event as usize] as usize],
                    event_key: self.keys.get(event),
                    reason,
                    detail: self.texts.get(detail),
                }),
                Outcome::Linked { .. } => None,
            })
    }

    /// Stitch rates: all models first (`model` empty), then each model by name; within each, the model row
    /// (`identifier` empty) then each identifier by name.
    pub fn metrics(&self) -> &[EventMetrics] {
        &self.metrics
    }

    /// The number of events read.
    pub fn event_count(&self) -> usize {
        self.outcomes.len()
    }

    /// One table as CSV text, or `None` for an unknown name.
    pub fn table_csv(&self, name: &str) -> Option<String> {
        let mut bytes = Vec::new();
        match self.write(name, &mut bytes) {
            Ok(true) => String::from_utf8(bytes).ok(),
            _ => None,
        }
    }

    /// Writes one table as CSV.
    pub fn write_table(&self, name: &str, out: &mut dyn Write) -> io::Result<()> {
        if self.write(name, out)? {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("there is no event table named '{name}'"),
            ))
        }
    }

    fn write(&self, name: &str, out: &mut dyn Write) -> io::Result<bool> {
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        match name {
            "identity_event_links" => {
                line(
                    &mut out,
                    &[
                        "model",
                        "event_key",
                        "event_timestamp",
                        "event_type",
                        &self.id_column,
                        "status",
                        "stitched_by",
                        "stitched_value",
                    ],
                )?;
                for link in self.links() {
                    line(
                        &mut out,
                        &[
                            link.model,
                            link.event_key,
                            link.event_timestamp,
                            link.event_type,
                            link.profile_id,
                            link.status.as_str(),
                            link.stitched_by,
                            link.stitched_value,
                        ],
                    )?;
                }
            }
            "identity_unstitched_events" => {
                line(&mut out, &["model", "event_key", "reason", "detail"])?;
                for event in self.unstitched() {
                    line(
                        &mut out,
                        &[
                            event.model,
                            event.event_key,
                            event.reason.as_str(),
                            event.detail,
                        ],
                    )?;
                }
            }
            "identity_event_metrics" => {
                line(
                    &mut out,
                    &[
                        "model",
                        "identifier",
                        "events",
                        "stitched",
                        "backfilled",
                        "stitch_rate",
                        "ambiguous",
                        "unknown_identifier",
                        "blocked_value",
                        "no_identifier",
                    ],
                )?;
                for m in &self.metrics {
                    let numbers = [m.events, m.stitched, m.backfilled];
                    let reasons = [
                        m.ambiguous,
                        m.unknown_identifier,
                        m.blocked_value,
                        m.no_identifier,
                    ];
                    let mut cells: Vec<String> = vec![m.model.clone(), m.identifier.clone()];
                    cells.extend(numbers.iter().map(u64::to_string));
                    cells.push(m.stitch_rate.clone());
                    cells.extend(reasons.iter().map(u64::to_string));
                    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                    line(&mut out, &cells)?;
                }
            }
            _ => return Ok(false),
        }
        out.flush()?;
        Ok(true)
    }
}

/// Writes one CSV line: a cell is quoted only when it holds a comma, a quote, CR or LF (RFC 4180).
pub(crate) fn line(out: &mut dyn Write, cells: &[&str]) -> io::Result<()> {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        if cell
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        {
            out.write_all(b"\"")?;
            out.write_all(cell.replace('"', "\"\"").as_bytes())?;
            out.write_all(b"\"")?;
        } else {
            out.write_all(cell.as_bytes())?;
        }
    }
    out.write_all(b"\n")
}
