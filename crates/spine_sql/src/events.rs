//! Event stitching (SPEC section 7): the event rows of each event model attached to the profiles of the run
//! through the identifiers they carry, with backfill of anonymous visits, as the engine's `events.rs` does it;
//! the script creates `identity_event_links`, `identity_unstitched_events` and `identity_event_metrics`.
//!
//! Work tables:
//! - `spine_work_event(ev, model_index, model, key, event_timestamp, event_type, seconds, nanos, c0..cN)`:
//!   every event row (rows are not deduplicated by key), its timestamp parsed like an order field (`seconds`
//!   NULL when it does not parse) and the raw cell of each (identifier, column) slot its model maps.
//! - `spine_work_event_cell(ev, identifier_index, pos, raw_value, status, value, detail)`: each slot's cell
//!   with its status (a value quarantined by `max_records_per_value` is blocked); `pos` is the slot's place in
//!   the model's mapping order, the order the engine reads cells in.
//! - `spine_work_event_holder(identifier_index, value, profile, dinmo_id)`: the profiles holding each used
//!   value of a priority identifier.
//! - `spine_work_event_hit(ev, identifier_index, pos, value, profile, dinmo_id)`: each used cell of a
//!   priority identifier with each profile holding its value.
//! - `spine_work_event_try(ev, identifier_index, try_rank, profiles, profile, dinmo_id, value, txt)`: each
//!   priority identifier an event carries a held value of: how many profiles its values reach, the first
//!   such value in cell order and the `ambiguous` text.
//! - `spine_work_event_first(ev, identifier_index, dinmo_id, value, linked, reason, detail, candidate)`: the
//!   outcome of the priority pass, and whether backfill tries the event.
//! - `spine_work_event_source(identifier_index, value, seconds, nanos, dinmo_id)`: the anonymous values of the
//!   events stitched by a non-anonymous identifier.
//! - `spine_work_event_fill_hit`, `spine_work_event_fill`: as `_hit` and `_try`, for backfill through the
//!   sources (within the lifetime), in backfill order.
//! - `spine_work_event_outcome(ev, status, identifier_index, dinmo_id, value, reason, detail)`: the outcome
//!   of every event (`status` is stitched, backfilled or unstitched).

use crate::Compiler;
use crate::dialect::Dialect;
use crate::instant;
use crate::text::{cell, trim_ws};
use spine_core::settings::{EventModel, Events};

/// The SQL an event step is written with: the dialect, the identifier names and the policy's lists.
struct EventSql<'a> {
    d: Dialect,
    events: &'a Events,
    names: Vec<String>,
}

impl EventSql<'_> {
    /// `CASE <expr> WHEN <identifier index> THEN '<name>' ... END`.
    fn name(&self, expr: &str) -> String {
        let arms: Vec<String> = self
            .names
            .iter()
            .enumerate()
            .map(|(index, name)| format!("WHEN {index} THEN {}", self.d.literal(name)))
            .collect();
        if arms.is_empty() {
            return "''".to_owned();
        }
        format!("CASE {expr} {} END", arms.join(" "))
    }

    /// The place of an identifier in a list as a CASE over its index (NULL when it is not listed).
    fn rank(expr: &str, list: &[usize]) -> String {
        if list.is_empty() {
            return "CAST(NULL AS INTEGER)".to_owned();
        }
        let arms: Vec<String> = list
            .iter()
            .enumerate()
            .map(|(rank, identifier)| format!("WHEN {identifier} THEN {rank}"))
            .collect();
        format!("CASE {expr} {} END", arms.join(" "))
    }

    /// True when the identifier is one of a list.
    fn among(expr: &str, list: &[usize]) -> String {
        if list.is_empty() {
            return "FALSE".to_owned();
        }
        let items: Vec<String> = list.iter().map(usize::to_string).collect();
        format!("{expr} IN ({})", items.join(", "))
    }

    fn priority_rank(&self, expr: &str) -> String {
        Self::rank(expr, &self.events.priority)
    }

    fn is_priority(&self, expr: &str) -> String {
        Self::among(expr, &self.events.priority)
    }

    fn is_anonymous(&self, expr: &str) -> String {
        Self::among(expr, &self.events.anonymous)
    }

    /// Backfill tries anonymous identifiers in priority order, then those `priority` does not list.
    fn backfill_order(&self) -> Vec<usize> {
        let policy = self.events;
        let mut order: Vec<usize> = policy
            .priority
            .iter()
            .copied()
            .filter(|i| policy.anonymous.contains(i))
            .collect();
        order.extend(
            policy
                .anonymous
                .iter()
                .copied()
                .filter(|i| !policy.priority.contains(i)),
        );
        order
    }

    /// Integer division of non-negative integers.
    fn div(&self, a: &str, b: &str) -> String {
        self.d.int_div(a, b)
    }

    /// The remainder of an integer division.
    fn rem(&self, a: &str, b: &str) -> String {
        format!("MOD({a}, {b})")
    }

    /// `numerator / denominator` with four decimals, rounded half up, as the engine's `ratio4` writes it.
    fn ratio4(&self, numerator: &str, denominator: &str) -> String {
        let scaled = self.div(
            &format!("({numerator}) * 20000 + ({denominator})"),
            &format!("2 * ({denominator})"),
        );
        format!(
            "CASE WHEN ({denominator}) = 0 THEN '0.0000' ELSE {} || '.' || LPAD({}, 4, '0') END",
            self.d.to_text(&self.div(&scaled, "10000")),
            self.d.to_text(&self.rem(&scaled, "10000")),
        )
    }

    /// The ` within N days` of the backfill texts ('' without a lifetime).
    fn within(&self) -> String {
        self.events
            .lifetime_days
            .map_or(String::new(), |days| format!(" within {days} days"))
    }
}

/// The (identifier, column) slots of an event model, in the order the engine reads its cells.
fn slots(model: &EventModel) -> Vec<(usize, &str)> {
    model
        .identifiers
        .iter()
        .flat_map(|m| m.columns.iter().map(move |c| (m.identifier, c.as_str())))
        .collect()
}

/// Writes the event stitching steps and tables when the graph has event models.
pub(crate) fn stitching(compiler: &mut Compiler<'_>) {
    let Some(events) = &compiler.settings.events else {
        return;
    };
    let sql = EventSql {
        d: compiler.dialect(),
        events,
        names: compiler
            .settings
            .identifiers
            .iter()
            .map(|i| i.name.clone())
            .collect(),
    };
    load(compiler, &sql);
    cells(compiler, &sql);
    priority(compiler, &sql);
    backfill(compiler, &sql);
    tables(compiler, &sql);
}

/// Every event row with its timestamp parsed and the raw cells of its identifier slots.
fn load(compiler: &mut Compiler<'_>, sql: &EventSql<'_>) {
    let d = sql.d;
    let s = &compiler.script;
    let text = d.text_type();
    let width = sql
        .events
        .models
        .iter()
        .map(|m| slots(m).len())
        .max()
        .unwrap_or(0);
    let mut selects = Vec::new();
    for (index, model) in sql.events.models.iter().enumerate() {
        let model_slots = slots(model);
        let mut columns = vec![
            format!("{index} AS model_index"),
            format!("{} AS model", s.lit(&model.name)),
            format!("{} AS key", cell(d, "m", &model.key)),
            format!("{} AS event_timestamp", cell(d, "m", &model.timestamp)),
            match &model.event_type {
                Some(column) => format!("{} AS event_type", cell(d, "m", column)),
                None => format!("CAST('' AS {text}) AS event_type"),
            },
        ];
        for slot in 0..width {
            columns.push(match model_slots.get(slot) {
                Some((_, column)) => format!("{} AS c{slot}", cell(d, "m", column)),
                None => format!("CAST(NULL AS {text}) AS c{slot}"),
            });
        }
        selects.push(format!(
            "SELECT {} FROM {} AS m",
            columns.join(", "),
            s.table(&model.name)
        ));
    }
    if selects.is_empty() {
        // A graph may list no event models: the tables are then created empty and the metrics hold only the
        // all-models row, as the engine writes them.
        selects.push(format!(
            "SELECT 0 AS model_index, CAST('' AS {text}) AS model, CAST('' AS {text}) AS key,\n  \
             CAST('' AS {text}) AS event_timestamp, CAST('' AS {text}) AS event_type FROM {} WHERE 1 = 0",
            s.table("spine_work_record")
        ));
    }
    let query = instant::parsed(
        d,
        &format!(
            "SELECT w.*, {} AS t FROM (\n{}\n) AS w",
            trim_ws(d, "w.event_timestamp"),
            selects.join("\nUNION ALL\n")
        ),
    );
    let mut columns = vec![
        "model_index",
        "model",
        "key",
        "event_timestamp",
        "event_type",
        "seconds",
        "nanos",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    columns.extend((0..width).map(|slot| format!("c{slot}")));
    compiler.script.comment(&[
        "Events (SPEC section 7): every row of every event model, numbered, with its timestamp parsed like an",
        "order field (ISO 8601 with or without a zone, YYYY-MM-DD HH:MM:SS, Unix seconds; seconds is NULL when",
        "the text is none of these) and the raw cell of each identifier column the model maps.",
    ]);
    compiler.script.create(
        "spine_work_event",
        &format!(
            "SELECT ROW_NUMBER() OVER (ORDER BY model_index, key, event_timestamp) AS ev, {}\nFROM ({query}) AS p",
            columns.join(", ")
        ),
    );
}

/// Each identifier cell of each event with its status, standardized value and detail.
fn cells(compiler: &mut Compiler<'_>, sql: &EventSql<'_>) {
    let d = sql.d;
    let s = &compiler.script;
    let event = s.table("spine_work_event");
    let mut selects = Vec::new();
    for (index, model) in sql.events.models.iter().enumerate() {
        for (pos, (identifier, _)) in slots(model).iter().enumerate() {
            selects.push(format!(
                "SELECT ev, {identifier} AS identifier_index, {pos} AS pos, c{pos} AS raw_value \
                 FROM {event} WHERE model_index = {index}"
            ));
        }
    }
    if selects.is_empty() {
        selects.push(format!(
            "SELECT ev, 0 AS identifier_index, 0 AS pos, key AS raw_value FROM {event} WHERE 1 = 0"
        ));
    }
    let class = s.table("spine_work_class");
    let quarantine = s.table("spine_work_quarantine");
    let query = format!(
        "SELECT x.ev, x.identifier_index, x.pos, x.raw_value,\n  \
         CASE WHEN q.holders IS NOT NULL THEN 'blocked' ELSE c.status END AS status,\n  \
         c.standardized_value AS value,\n  \
         CASE WHEN q.holders IS NOT NULL THEN 'held by ' || {} || ' records, over max_records_per_value ' || {}\n    \
         ELSE c.detail END AS detail\n\
         FROM (\n{}\n) AS x\n\
         JOIN {class} AS c ON c.identifier_index = x.identifier_index AND c.raw_value = x.raw_value\n\
         LEFT JOIN {quarantine} AS q ON c.status = 'used' AND q.identifier_index = x.identifier_index\n  \
         AND q.standardized_value = c.standardized_value",
        d.to_text("q.holders"),
        d.to_text("q.max_records"),
        selects.join("\nUNION ALL\n"),
    );
    compiler.script.comment(&[
        "Each identifier cell of each event, standardized, blocked and quarantined as profile values are.",
    ]);
    compiler.script.create("spine_work_event_cell", &query);
}

/// Per event and identifier: how many profiles the cells' values reach, the first such value in cell order,
/// the distinct values and the distinct profile IDs (sorted, joined with `|`), from a hit table
/// `(ev, identifier_index, pos, value, profile, dinmo_id)`.
fn reach(d: Dialect, hits: &str, rank: &str, text: &str) -> String {
    format!(
        "SELECT a.ev, a.identifier_index, {rank} AS try_rank, a.profiles, a.profile, a.dinmo_id, f.value,\n  \
         {text} AS txt\n\
         FROM (SELECT ev, identifier_index, COUNT(DISTINCT profile) AS profiles, MIN(profile) AS profile,\n        \
         MIN(dinmo_id) AS dinmo_id FROM {hits} GROUP BY ev, identifier_index) AS a\n\
         JOIN (SELECT ev, identifier_index, value FROM (SELECT ev, identifier_index, value,\n        \
         ROW_NUMBER() OVER (PARTITION BY ev, identifier_index ORDER BY pos) AS n FROM {hits}) AS o WHERE n = 1) AS f\n  \
         ON f.ev = a.ev AND f.identifier_index = a.identifier_index\n\
         JOIN (SELECT ev, identifier_index, {} AS vals\n      \
         FROM (SELECT DISTINCT ev, identifier_index, value FROM {hits}) AS v GROUP BY ev, identifier_index) AS v\n  \
         ON v.ev = a.ev AND v.identifier_index = a.identifier_index\n\
         JOIN (SELECT ev, identifier_index, {} AS ids\n      \
         FROM (SELECT DISTINCT ev, identifier_index, dinmo_id FROM {hits}) AS i GROUP BY ev, identifier_index) AS i\n  \
         ON i.ev = a.ev AND i.identifier_index = a.identifier_index",
        d.string_agg("value", "|", "value"),
        d.string_agg("dinmo_id", "|", "dinmo_id"),
    )
}

/// The priority pass: the first priority identifier whose values one profile holds stitches the event;
/// an event no identifier stitched gets its reason and detail.
fn priority(compiler: &mut Compiler<'_>, sql: &EventSql<'_>) {
    let d = sql.d;
    let s = &compiler.script;
    let used = s.table("spine_work_used");
    let member = s.table("spine_work_member");
    let profile = s.table("spine_work_profile");
    let cell_table = s.table("spine_work_event_cell");
    let event = s.table("spine_work_event");
    let holder = s.table("spine_work_event_holder");
    let try_table = s.table("spine_work_event_try");
    compiler
        .script
        .comment(&["The profiles holding each used value of a priority identifier."]);
    compiler.script.create(
        "spine_work_event_holder",
        &format!(
            "SELECT DISTINCT u.identifier_index, u.value, m.profile, p.dinmo_id\n\
             FROM {used} AS u JOIN {member} AS m ON m.rec = u.rec JOIN {profile} AS p ON p.profile = m.profile\n\
             WHERE {}",
            sql.is_priority("u.identifier_index")
        ),
    );
    compiler
        .script
        .comment(&["Each used cell of a priority identifier with each profile holding its value."]);
    compiler.script.create(
        "spine_work_event_hit",
        &format!(
            "SELECT c.ev, c.identifier_index, c.pos, c.value, h.profile, h.dinmo_id\n\
             FROM {cell_table} AS c JOIN {holder} AS h ON h.identifier_index = c.identifier_index AND h.value = c.value\n\
             WHERE c.status = 'used'"
        ),
    );
    let hits = compiler.script.table("spine_work_event_hit");
    let text = format!(
        "{} || ' ' || v.vals || ' is held by ' || {} || ' profiles (' || i.ids || ')'",
        sql.name("a.identifier_index"),
        d.to_text("a.profiles")
    );
    compiler.script.comment(&[
        "Each priority identifier whose values on an event some profile holds: the profiles its values reach",
        "(all of an event's values of one identifier count together), its first such value in cell order.",
    ]);
    compiler.script.create(
        "spine_work_event_try",
        &reach(d, &hits, &sql.priority_rank("a.identifier_index"), &text),
    );

    // The reasons of an event no priority identifier stitched, strongest first.
    let name = sql.name("c.identifier_index");
    let prank = sql.priority_rank("c.identifier_index");
    let ambiguous = format!(
        "SELECT ev, {} AS txt FROM {try_table} WHERE profiles > 1 GROUP BY ev",
        d.string_agg("txt", "; ", "try_rank")
    );
    let unknown = format!(
        "SELECT ev, {} AS txt FROM (SELECT c.ev, c.pos, {prank} AS try_rank, 'no profile holds ' || {name} || ' ' || c.value AS part\n    \
         FROM {cell_table} AS c WHERE c.status = 'used' AND {}) AS c GROUP BY ev",
        d.string_agg("part", "; ", "try_rank, pos"),
        sql.is_priority("c.identifier_index")
    );
    let mut blockable: Vec<usize> = sql.events.priority.clone();
    blockable.extend(sql.events.anonymous.iter().copied());
    let blocked = format!(
        "SELECT ev, {} AS txt FROM (SELECT c.ev, c.pos, {name} || ' ' || c.value || ': ' || c.detail AS part\n    \
         FROM {cell_table} AS c WHERE c.status = 'blocked' AND {}) AS c GROUP BY ev",
        d.string_agg("part", "; ", "pos"),
        EventSql::among("c.identifier_index", &blockable)
    );
    let carried = format!(
        "SELECT ev, {} || ' is not in events.priority' AS txt,\n    \
         SUM(CASE WHEN {} THEN 0 ELSE 1 END) AS named_ones\n  \
         FROM (SELECT c.ev, {name} AS part, MIN(c.pos) AS pos, MIN(c.identifier_index) AS identifier_index\n    \
         FROM {cell_table} AS c WHERE c.status = 'used' GROUP BY c.ev, c.identifier_index) AS c GROUP BY ev",
        d.string_agg("part", ", ", "pos"),
        sql.is_anonymous("identifier_index"),
    );
    let invalid = format!(
        "SELECT ev, {} AS txt FROM (SELECT c.ev, c.pos, {name} || {open} || c.raw_value || {close} || c.detail AS part\n    \
         FROM {cell_table} AS c WHERE c.status = 'invalid') AS c GROUP BY ev",
        d.string_agg("part", "; ", "pos"),
        open = d.literal(" '"),
        close = d.literal("': "),
    );
    let candidate = if sql.events.backfill {
        "car.ev IS NOT NULL AND car.named_ones = 0"
    } else {
        "FALSE"
    };
    compiler.script.comment(&[
        "The priority pass: an event is stitched by the first priority identifier whose values exactly one",
        "profile holds; an identifier whose values several profiles hold is passed over. An event left",
        "unstitched is ambiguous, else unknown_identifier (values no profile holds), else blocked_value,",
        "else unknown_identifier (identifiers not in events.priority), else no_identifier. With backfill, an",
        "unstitched event whose used values are all anonymous is a backfill candidate.",
    ]);
    compiler.script.create(
        "spine_work_event_first",
        &format!(
            "SELECT e.ev, l.identifier_index, l.dinmo_id, l.value, l.ev IS NOT NULL AS linked,\n  \
             CASE WHEN amb.ev IS NOT NULL THEN 'ambiguous' WHEN unk.ev IS NOT NULL THEN 'unknown_identifier'\n    \
             WHEN blk.ev IS NOT NULL THEN 'blocked_value' WHEN car.ev IS NOT NULL THEN 'unknown_identifier'\n    \
             ELSE 'no_identifier' END AS reason,\n  \
             CASE WHEN amb.ev IS NOT NULL THEN amb.txt WHEN unk.ev IS NOT NULL THEN unk.txt\n    \
             WHEN blk.ev IS NOT NULL THEN blk.txt WHEN car.ev IS NOT NULL THEN car.txt\n    \
             WHEN inv.ev IS NOT NULL THEN inv.txt ELSE 'every identifier cell is empty' END AS detail,\n  \
             l.ev IS NULL AND {candidate} AS candidate\n\
             FROM {event} AS e\n\
             LEFT JOIN (SELECT ev, identifier_index, dinmo_id, value FROM (SELECT t.*,\n      \
             ROW_NUMBER() OVER (PARTITION BY ev ORDER BY try_rank) AS n FROM {try_table} AS t WHERE profiles = 1) AS o\n    \
             WHERE n = 1) AS l ON l.ev = e.ev\n\
             LEFT JOIN ({ambiguous}) AS amb ON amb.ev = e.ev\n\
             LEFT JOIN ({unknown}) AS unk ON unk.ev = e.ev\n\
             LEFT JOIN ({blocked}) AS blk ON blk.ev = e.ev\n\
             LEFT JOIN ({carried}) AS car ON car.ev = e.ev\n\
             LEFT JOIN ({invalid}) AS inv ON inv.ev = e.ev"
        ),
    );
}

/// Backfill: candidates reach the profiles of the events stitched by a non-anonymous identifier that carry
/// the same anonymous value (within the lifetime), then every event gets its outcome.
fn backfill(compiler: &mut Compiler<'_>, sql: &EventSql<'_>) {
    let d = sql.d;
    let s = &compiler.script;
    let cell_table = s.table("spine_work_event_cell");
    let event = s.table("spine_work_event");
    let first = s.table("spine_work_event_first");
    let source = s.table("spine_work_event_source");
    let fill = s.table("spine_work_event_fill");
    let order = sql.backfill_order();
    let within = match sql.events.lifetime_days {
        // |a - b| <= L days, compared exactly in whole seconds and then nanoseconds.
        Some(days) => {
            let limit = u64::from(days) * 86_400;
            let ds = "(e.seconds - o.seconds)";
            let dn = "(e.nanos - o.nanos)";
            format!(
                "e.seconds IS NOT NULL AND o.seconds IS NOT NULL\n    \
                 AND ({ds} < {limit} OR ({ds} = {limit} AND {dn} <= 0))\n    \
                 AND ({ds} > -{limit} OR ({ds} = -{limit} AND {dn} >= 0))"
            )
        }
        None => "TRUE".to_owned(),
    };
    compiler.script.comment(&[
        "Backfill sources: the anonymous values of the events stitched by a non-anonymous identifier, with",
        "their timestamps and profiles.",
    ]);
    compiler.script.create(
        "spine_work_event_source",
        &format!(
            "SELECT DISTINCT c.identifier_index, c.value, e.seconds, e.nanos, f.dinmo_id\n\
             FROM {first} AS f JOIN {event} AS e ON e.ev = f.ev JOIN {cell_table} AS c ON c.ev = f.ev\n\
             WHERE f.linked AND NOT ({}) AND c.status = 'used' AND {}",
            sql.is_anonymous("f.identifier_index"),
            EventSql::among("c.identifier_index", &order),
        ),
    );
    compiler.script.comment(&[
        "Each used anonymous cell of a backfill candidate with each source carrying its value",
        &format!(
            "{}.",
            sql.events
                .lifetime_days
                .map_or(" (no time limit)".to_owned(), |days| format!(
                    " whose timestamp is at most {days} days from the event's (both must parse)"
                ))
        ),
    ]);
    compiler.script.create(
        "spine_work_event_fill_hit",
        &format!(
            "SELECT DISTINCT c.ev, c.identifier_index, c.pos, c.value, o.dinmo_id AS profile, o.dinmo_id\n\
             FROM {first} AS f JOIN {event} AS e ON e.ev = f.ev JOIN {cell_table} AS c ON c.ev = f.ev\n\
             JOIN {source} AS o ON o.identifier_index = c.identifier_index AND o.value = c.value\n\
             WHERE f.candidate AND c.status = 'used' AND {within}"
        ),
    );
    let hits = compiler.script.table("spine_work_event_fill_hit");
    let text = format!(
        "{} || ' ' || v.vals || ' was stitched to ' || {} || {} || ' (' || i.ids || ')'",
        sql.name("a.identifier_index"),
        d.to_text("a.profiles"),
        d.literal(&format!(" profiles{}", sql.within())),
    );
    compiler.script.comment(&[
        "Backfill attempts: each anonymous identifier of a candidate, the profiles its values reach through the",
        "sources and its first such value in cell order.",
    ]);
    compiler.script.create(
        "spine_work_event_fill",
        &reach(
            d,
            &hits,
            &EventSql::rank("a.identifier_index", &order),
            &text,
        ),
    );
    let suffix = d.literal(&format!(
        "; no event stitched by a stronger identifier carries its anonymous value{}",
        sql.within()
    ));
    compiler.script.comment(&[
        "Every event's outcome: stitched in the priority pass; else backfilled by the first anonymous identifier",
        "reaching one profile; else a candidate reaching several is ambiguous, and one reaching none is",
        "unknown_identifier with the reason of the priority pass and why backfill found nothing.",
    ]);
    compiler.script.create(
        "spine_work_event_outcome",
        &format!(
            "SELECT f.ev,\n  \
             CASE WHEN f.linked THEN 'stitched' WHEN b.ev IS NOT NULL THEN 'backfilled' ELSE 'unstitched' END AS status,\n  \
             CASE WHEN f.linked THEN f.identifier_index ELSE b.identifier_index END AS identifier_index,\n  \
             CASE WHEN f.linked THEN f.dinmo_id ELSE b.dinmo_id END AS dinmo_id,\n  \
             CASE WHEN f.linked THEN f.value ELSE b.value END AS value,\n  \
             CASE WHEN f.linked OR b.ev IS NOT NULL THEN '' WHEN a.ev IS NOT NULL THEN 'ambiguous'\n    \
             WHEN f.candidate THEN 'unknown_identifier' ELSE f.reason END AS reason,\n  \
             CASE WHEN f.linked OR b.ev IS NOT NULL THEN '' WHEN a.ev IS NOT NULL THEN a.txt\n    \
             WHEN f.candidate THEN f.detail || {suffix} ELSE f.detail END AS detail\n\
             FROM {first} AS f\n\
             LEFT JOIN (SELECT ev, identifier_index, dinmo_id, value FROM (SELECT t.*,\n      \
             ROW_NUMBER() OVER (PARTITION BY ev ORDER BY try_rank) AS n FROM {fill} AS t WHERE profiles = 1) AS o\n    \
             WHERE n = 1) AS b ON b.ev = f.ev\n\
             LEFT JOIN (SELECT ev, {} AS txt FROM {fill} WHERE profiles > 1 GROUP BY ev) AS a ON a.ev = f.ev",
            d.string_agg("txt", "; ", "try_rank"),
        ),
    );
}

/// The three event tables.
fn tables(compiler: &mut Compiler<'_>, sql: &EventSql<'_>) {
    let d = sql.d;
    let s = &compiler.script;
    let event = s.table("spine_work_event");
    let outcome = s.table("spine_work_event_outcome");
    let cell_table = s.table("spine_work_event_cell");
    let id_col = s.col(&compiler.settings.id_column);
    let stitched_by = sql.name("o.identifier_index");
    compiler
        .script
        .comment(&["identity_event_links: every stitched or backfilled event and its profile."]);
    compiler.script.create(
        "identity_event_links",
        &format!(
            "SELECT e.model, e.key AS event_key, e.event_timestamp, e.event_type, o.dinmo_id AS {id_col},\n  \
             o.status, {stitched_by} AS stitched_by, o.value AS stitched_value\n\
             FROM {event} AS e JOIN {outcome} AS o ON o.ev = e.ev WHERE o.status <> 'unstitched'"
        ),
    );
    compiler
        .script
        .comment(&["identity_unstitched_events: every event left unstitched, with its reason."]);
    compiler.script.create(
        "identity_unstitched_events",
        &format!(
            "SELECT e.model, e.key AS event_key, o.reason, o.detail\n\
             FROM {event} AS e JOIN {outcome} AS o ON o.ev = e.ev WHERE o.status = 'unstitched'"
        ),
    );

    let flag = |condition: &str| format!("CASE WHEN {condition} THEN 1 ELSE 0 END");
    // One row per event (identifier_index -1) and one per event and identifier it carries a used value of.
    let base = format!(
        "SELECT e.model_index, -1 AS identifier_index, {} AS stitched, {} AS backfilled,\n    \
         {} AS ambiguous, {} AS unknown_identifier, {} AS blocked_value, {} AS no_identifier\n  \
         FROM {event} AS e JOIN {outcome} AS o ON o.ev = e.ev\n  \
         UNION ALL\n  \
         SELECT e.model_index, c.identifier_index, {}, {}, 0, 0, 0, 0\n  \
         FROM (SELECT DISTINCT ev, identifier_index FROM {cell_table} WHERE status = 'used') AS c\n  \
         JOIN {event} AS e ON e.ev = c.ev JOIN {outcome} AS o ON o.ev = c.ev",
        flag("o.status = 'stitched'"),
        flag("o.status = 'backfilled'"),
        flag("o.reason = 'ambiguous'"),
        flag("o.reason = 'unknown_identifier'"),
        flag("o.reason = 'blocked_value'"),
        flag("o.reason = 'no_identifier'"),
        flag("o.status = 'stitched' AND o.identifier_index = c.identifier_index"),
        flag("o.status = 'backfilled' AND o.identifier_index = c.identifier_index"),
    );
    let counts = "COUNT(*) AS events, SUM(stitched) AS stitched, SUM(backfilled) AS backfilled, \
                  SUM(ambiguous) AS ambiguous, SUM(unknown_identifier) AS unknown_identifier, \
                  SUM(blocked_value) AS blocked_value, SUM(no_identifier) AS no_identifier";
    let mut models = vec![format!(
        "SELECT -1 AS model_index, CAST('' AS {}) AS model",
        d.text_type()
    )];
    for (index, model) in sql.events.models.iter().enumerate() {
        models.push(format!("SELECT {index}, {}", d.literal(&model.name)));
    }
    let int = d.int_type();
    let zero = |column: &str| format!("CAST(COALESCE(t.{column}, 0) AS {int}) AS {column}");
    let ratio = sql.ratio4(
        "COALESCE(t.stitched, 0) + COALESCE(t.backfilled, 0)",
        "COALESCE(m.events, 0)",
    );
    compiler.script.comment(&[
        "identity_event_metrics: all models (model empty) and each model, each with a row for all identifiers",
        "(identifier empty) and one per identifier its events carry a used value of. The stitch rate divides",
        "the stitched and backfilled events by all the events of the model, with four decimals.",
    ]);
    compiler.script.create(
        "identity_event_metrics",
        &format!(
            "WITH base AS (\n  {base}\n),\n\
             counted AS (\n  \
             SELECT model_index, identifier_index, {counts} FROM base GROUP BY model_index, identifier_index\n  \
             UNION ALL\n  \
             SELECT -1, identifier_index, {counts} FROM base GROUP BY identifier_index\n),\n\
             models AS (\n  {}\n),\n\
             metric_rows AS (\n  \
             SELECT n.model_index, -1 AS identifier_index, t.events, t.stitched, t.backfilled, t.ambiguous,\n    \
             t.unknown_identifier, t.blocked_value, t.no_identifier\n  \
             FROM models AS n LEFT JOIN counted AS t ON t.model_index = n.model_index AND t.identifier_index = -1\n  \
             UNION ALL\n  \
             SELECT model_index, identifier_index, events, stitched, backfilled, 0, 0, 0, 0\n  \
             FROM counted WHERE identifier_index >= 0\n)\n\
             SELECT n.model, CASE WHEN t.identifier_index < 0 THEN '' ELSE {} END AS identifier,\n  \
             {}, {}, {}, {ratio} AS stitch_rate,\n  {}, {}, {}, {}\n\
             FROM metric_rows AS t JOIN models AS n ON n.model_index = t.model_index\n\
             LEFT JOIN counted AS m ON m.model_index = t.model_index AND m.identifier_index = -1",
            models.join("\n  UNION ALL\n  "),
            sql.name("t.identifier_index"),
            zero("events"),
            zero("stitched"),
            zero("backfilled"),
            zero("ambiguous"),
            zero("unknown_identifier"),
            zero("blocked_value"),
            zero("no_identifier"),
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::{Dialect, SqlOptions, compile};
    use spine_core::Settings;

    /// A small graph with one profile model and, when `events` is given, that `events` section.
    fn settings(events: Option<&str>) -> Settings {
        let events = events.map_or(String::new(), |e| format!(", \"events\": {e}"));
        let json = format!(
            r#"{{"version": 1, "name": "g",
              "models": [{{"name": "crm", "primary_key": "id", "priority": 1,
                "identifiers": {{"user_id": "uid", "cookie": "cookie"}}}}],
              "identifiers": [
                {{"name": "user_id", "kind": "user_id", "standardize": ["trim"]}},
                {{"name": "cookie", "kind": "anonymous_id", "standardize": ["trim"]}}],
              "rules": [{{"name": "same_user_id", "criteria": [{{"identifiers": ["user_id"], "match": "exact"}}]}}],
              "golden": {{"fields": []}}{events}}}"#
        );
        spine_core::validate::load_settings(&json, None).expect("the test graph is valid")
    }

    fn events(lifetime: Option<u32>) -> String {
        let lifetime =
            lifetime.map_or(String::new(), |days| format!(", \"lifetime_days\": {days}"));
        format!(
            r#"{{"models": [{{"name": "we\"ird", "key": "k", "timestamp": "when", "event_type": "kind",
                "identifiers": {{"user_id": "u", "cookie": ["c1", "c2"]}}}}],
              "priority": ["user_id"], "anonymous": ["cookie"], "backfill": true{lifetime}}}"#
        )
    }

    fn script(dialect: Dialect, lifetime: Option<u32>) -> String {
        compile(
            &settings(Some(&events(lifetime))),
            dialect,
            &SqlOptions::default(),
        )
        .expect("every dialect expresses event stitching")
    }

    #[test]
    fn event_tables_only_when_the_graph_has_events() {
        let without =
            compile(&settings(None), Dialect::DuckDb, &SqlOptions::default()).expect("compiles");
        assert!(!without.contains("identity_event"));
        assert!(!without.contains("spine_work_event"));
        let with = script(Dialect::DuckDb, Some(30));
        for table in spine_core::events::EVENT_TABLES {
            assert!(
                with.contains(&format!("CREATE OR REPLACE TABLE \"{table}\" AS")),
                "{table} is created"
            );
        }
    }

    #[test]
    fn a_model_name_with_a_quote_stays_one_name() {
        let duckdb = script(Dialect::DuckDb, None);
        assert!(duckdb.contains("FROM \"we\"\"ird\" AS m"), "{duckdb}");
        assert!(duckdb.contains("'we\"ird' AS model"));
        let spark = script(Dialect::Spark, None);
        assert!(spark.contains("FROM `we\"ird` AS m"));
        let bigquery = script(Dialect::BigQuery, None);
        assert!(bigquery.contains("FROM `we\"ird` AS m"));
    }

    #[test]
    fn cells_are_read_in_mapping_order() {
        let duckdb = script(Dialect::DuckDb, None);
        // user_id's column is slot 0, then cookie's two columns in the order the graph lists them.
        assert!(duckdb.contains("COALESCE(CAST(m.\"u\" AS VARCHAR), '') AS c0"));
        assert!(duckdb.contains("COALESCE(CAST(m.\"c1\" AS VARCHAR), '') AS c1"));
        assert!(duckdb.contains("COALESCE(CAST(m.\"c2\" AS VARCHAR), '') AS c2"));
        assert!(duckdb.contains("SELECT ev, 1 AS identifier_index, 2 AS pos, c2 AS raw_value"));
    }

    #[test]
    fn the_lifetime_is_inclusive_and_exact_to_the_nanosecond() {
        let with = script(Dialect::DuckDb, Some(30));
        assert!(with.contains("((e.seconds - o.seconds) < 2592000 OR ((e.seconds - o.seconds) = 2592000 AND (e.nanos - o.nanos) <= 0))"));
        assert!(with.contains("((e.seconds - o.seconds) > -2592000 OR ((e.seconds - o.seconds) = -2592000 AND (e.nanos - o.nanos) >= 0))"));
        assert!(with.contains("e.seconds IS NOT NULL AND o.seconds IS NOT NULL"));
        assert!(with.contains("' profiles within 30 days'"));
        assert!(with.contains(
            "no event stitched by a stronger identifier carries its anonymous value within 30 days"
        ));
        let without = script(Dialect::DuckDb, None);
        assert!(!without.contains("e.seconds - o.seconds"));
        assert!(!without.contains("within 30 days"));
        assert!(without.contains("carries its anonymous value'"));
    }

    #[test]
    fn every_dialect_divides_integers_its_own_way() {
        let spellings = [
            (Dialect::DuckDb, ") // ("),
            (Dialect::Spark, ") DIV ("),
            (Dialect::Snowflake, ") - MOD("),
            (Dialect::BigQuery, "DIV(("),
        ];
        for (dialect, division) in spellings {
            let sql = script(dialect, Some(1));
            assert!(sql.contains(division), "{dialect} divides with {division}");
            assert!(sql.contains("86400"), "{dialect}");
        }
    }

    #[test]
    fn unix_seconds_beyond_i64_do_not_parse() {
        let duckdb = script(Dialect::DuckDb, None);
        assert!(duckdb.contains("= 19 AND "));
        assert!(duckdb.contains("<= '9223372036854775807'"));
    }

    #[test]
    fn a_graph_without_event_models_creates_empty_event_tables() {
        let events =
            r#"{"models": [], "priority": ["user_id"], "anonymous": [], "backfill": false}"#;
        let sql = compile(
            &settings(Some(events)),
            Dialect::DuckDb,
            &SqlOptions::default(),
        )
        .expect("compiles");
        assert!(
            sql.contains(
                "CAST('' AS VARCHAR) AS event_type FROM \"spine_work_record\" WHERE 1 = 0"
            )
        );
        assert!(!sql.contains("(\n\n)"), "no statement reads an empty union");
        assert!(sql.contains("CREATE OR REPLACE TABLE \"identity_event_metrics\" AS"));
    }
}
