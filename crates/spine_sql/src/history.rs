//! Step 8 with history (`--previous`): IDs carried over from the previous run's `identity_match`, fresh IDs
//! salted until they never existed, and the `merge`, `split` and `retired` redirects (SPEC section 10).
//!
//! Inputs: `previous_identity_match(model, key, <id_column>, status)` and
//! `previous_identity_redirects(old_dinmo_id, new_dinmo_id, kind)`, every column text.

use crate::Compiler;

/// How many salted IDs the script tries for one profile before it gives up (and fails loudly): a fresh ID
/// that existed before is already a once-in-2^64 event, so eight in a row never happen by chance.
const SALTS: u32 = 8;

pub(crate) fn ids(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let s = &compiler.script;
    let member = s.table("spine_work_member");
    let record = s.table("spine_work_record");
    let previous_match = s.table("previous_identity_match");
    let previous_redirects = s.table("previous_identity_redirects");
    let id_col = s.col(&compiler.settings.id_column);
    let text = |c: &str| format!("COALESCE(CAST({c} AS {}), '')", d.text_type());
    compiler.script.comment(&[
        "Step 8 (stable IDs) with the previous run: the previous ID of every record still emitted.",
        "Rows of the previous identity_match with an empty ID are ignored.",
    ]);
    compiler.script.create(
        "spine_work_prev",
        &format!(
            "SELECT p.model, p.key, p.id, m.profile\n\
             FROM (SELECT {} AS model, {} AS key, {} AS id FROM {previous_match}) AS p\n\
             LEFT JOIN {record} AS r ON r.model = p.model AND r.key = p.key\n\
             LEFT JOIN {member} AS m ON m.rec = r.rec\n\
             WHERE p.id <> ''",
            text("model"),
            text("key"),
            text(&id_col),
        ),
    );
    let prev = compiler.script.table("spine_work_prev");
    let check = d.fail_when(
        &format!("SELECT model, key FROM {prev} GROUP BY model, key HAVING COUNT(*) > 1"),
        "previous_identity_match lists a record twice; each record has one ID",
    );
    compiler.script.statement(&check);
    compiler.script.comment(&[
        "Every ID that existed (in the previous identity_match or its redirects) is never minted again.",
    ]);
    compiler.script.create(
        "spine_work_known",
        &format!(
            "SELECT id FROM {prev}\n\
             {union} SELECT {old} FROM {previous_redirects} WHERE {old} <> ''\n\
             {union} SELECT {new} FROM {previous_redirects} WHERE {new} <> ''",
            union = d.union_distinct(),
            old = text("old_dinmo_id"),
            new = text("new_dinmo_id"),
        ),
    );
    let known = compiler.script.table("spine_work_known");
    compiler.script.comment(&[
        "Each profile claims the previous ID most of its records held (ties: the smaller ID); of several",
        "profiles claiming one ID, the one holding more of its records keeps it (ties: the anchor first).",
    ]);
    compiler.script.create(
        "spine_work_claim",
        &format!(
            "SELECT profile, id, held,\n  \
             ROW_NUMBER() OVER (PARTITION BY id ORDER BY held DESC, profile) = 1 AS keeps\n\
             FROM (SELECT profile, id, held, ROW_NUMBER() OVER (PARTITION BY profile ORDER BY held DESC, id) AS choice\n      \
             FROM (SELECT profile, id, COUNT(*) AS held FROM {prev} WHERE profile IS NOT NULL GROUP BY profile, id) AS h) AS c\n\
             WHERE choice = 1"
        ),
    );
    let claim = compiler.script.table("spine_work_claim");
    let salts: Vec<String> = (0..=SALTS).map(|n| format!("SELECT {n} AS salt")).collect();
    let unit = d.literal("\u{1F}");
    let candidate = format!(
        "'dm_' || SUBSTR({}, 1, 16)",
        d.md5_hex(&format!(
            "r.model || {unit} || r.key || CASE WHEN n.salt = 0 THEN '' ELSE {unit} || {} END",
            d.to_text("n.salt")
        ))
    );
    compiler.script.comment(&[
        "Profiles that keep no previous ID get a fresh one from their anchor; a fresh ID that existed before",
        "is salted with a counter 1, 2, ... (MD5 of model, key and counter) until it did not.",
    ]);
    compiler.script.create(
        "spine_work_fresh",
        &format!(
            "SELECT profile, MIN(salt) AS salt, MIN(CASE WHEN rank_ok = 1 THEN candidate END) AS dinmo_id\n\
             FROM (SELECT profile, salt, candidate, ROW_NUMBER() OVER (PARTITION BY profile ORDER BY salt) AS rank_ok\n      \
             FROM (SELECT m.profile, n.salt, {candidate} AS candidate\n            \
             FROM (SELECT DISTINCT profile FROM {member}) AS m\n            \
             JOIN {record} AS r ON r.rec = m.profile\n            \
             CROSS JOIN ({}) AS n\n            \
             WHERE NOT EXISTS (SELECT 1 FROM {claim} AS c WHERE c.profile = m.profile AND c.keeps)) AS c\n      \
             WHERE candidate NOT IN (SELECT id FROM {known})) AS f\n\
             GROUP BY profile",
            salts.join(" UNION ALL ")
        ),
    );
    let fresh = compiler.script.table("spine_work_fresh");
    let check = d.fail_when(
        &format!(
            "SELECT 1 FROM (SELECT DISTINCT profile FROM {member}) AS m\n  \
             WHERE NOT EXISTS (SELECT 1 FROM {claim} AS c WHERE c.profile = m.profile AND c.keeps)\n  \
             AND NOT EXISTS (SELECT 1 FROM {fresh} AS f WHERE f.profile = m.profile)"
        ),
        &format!("every salted ID up to {SALTS} existed before; cannot mint a new ID"),
    );
    compiler.script.statement(&check);
    compiler.script.create(
        "spine_work_profile",
        &format!(
            "SELECT m.profile, COALESCE(c.id, f.dinmo_id) AS dinmo_id, m.record_count\n\
             FROM (SELECT profile, COUNT(*) AS record_count FROM {member} GROUP BY profile) AS m\n\
             LEFT JOIN {claim} AS c ON c.profile = m.profile AND c.keeps\n\
             LEFT JOIN {fresh} AS f ON f.profile = m.profile"
        ),
    );
    let profile = compiler.script.table("spine_work_profile");
    compiler.script.comment(&[
        "identity_redirects: an ID kept while some of its records moved gives one split row per profile they",
        "moved to; an ID no profile kept is a merge into the profile now holding most of its records (ties:",
        "the smaller ID), or retired when none of its records is emitted any more.",
    ]);
    compiler.script.create(
        "identity_redirects",
        &format!(
            "WITH held AS (\n  \
             SELECT h.id, h.profile, h.n, p.dinmo_id FROM (SELECT id, profile, COUNT(*) AS n FROM {prev}\n    \
             WHERE profile IS NOT NULL GROUP BY id, profile) AS h JOIN {profile} AS p ON p.profile = h.profile\n\
             ),\n\
             owner AS (SELECT id, profile FROM {claim} WHERE keeps),\n\
             ids AS (SELECT DISTINCT id FROM {prev})\n\
             SELECT h.id AS old_dinmo_id, h.dinmo_id AS new_dinmo_id, 'split' AS kind\n\
             FROM held AS h JOIN owner AS o ON o.id = h.id WHERE h.profile <> o.profile\n\
             UNION ALL\n\
             SELECT id, dinmo_id, 'merge' FROM (\n  \
             SELECT h.id, h.dinmo_id, ROW_NUMBER() OVER (PARTITION BY h.id ORDER BY h.n DESC, h.dinmo_id) AS rn\n  \
             FROM held AS h WHERE NOT EXISTS (SELECT 1 FROM owner AS o WHERE o.id = h.id)) AS m WHERE rn = 1\n\
             UNION ALL\n\
             SELECT i.id, '', 'retired' FROM ids AS i\n\
             WHERE NOT EXISTS (SELECT 1 FROM owner AS o WHERE o.id = i.id)\n  \
             AND NOT EXISTS (SELECT 1 FROM held AS h WHERE h.id = i.id)"
        ),
    );
}
