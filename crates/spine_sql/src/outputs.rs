//! Steps 7 and 8 (record status, stable IDs) and the record-level output tables: `identity_match`,
//! `match_pairs`, `identity_unresolved_records` and `identity_redirects`.
//!
//! Work tables:
//! - `spine_work_member(rec, profile, status)`: every emitted record with its profile and status.
//! - `spine_work_profile(profile, dinmo_id, record_count)`: every emitted profile and its ID.

use crate::Compiler;
use spine_core::settings::OnConflict;

/// `dm_` and the first 16 hex digits of the MD5 of model, U+001F and key.
fn fresh_id(compiler: &Compiler<'_>, model: &str, key: &str) -> String {
    let d = compiler.dialect();
    format!(
        "'dm_' || SUBSTR({}, 1, 16)",
        d.md5_hex(&format!("{model} || {} || {key}", d.literal("\u{1F}")))
    )
}

pub(crate) fn members(compiler: &mut Compiler<'_>) {
    let s = &compiler.script;
    let state = s.table("spine_work_state");
    let keep = compiler.settings.guardrails.on_conflict == OnConflict::Keep;
    let emitted = if keep { "TRUE" } else { "NOT st.frozen" };
    compiler.script.comment(&[
        "Step 7 (record status): matched in a profile of two or more records, unique alone, conflict for",
        "the frozen records (emitted only with on_conflict: keep).",
    ]);
    compiler.script.create(
        "spine_work_member",
        &format!(
            "SELECT st.rec, st.profile,\n  \
             CASE WHEN st.frozen THEN 'conflict' WHEN COUNT(*) OVER (PARTITION BY st.profile) > 1 THEN 'matched'\n    \
             ELSE 'unique' END AS status\n\
             FROM {state} AS st WHERE {emitted}"
        ),
    );
}

pub(crate) fn ids(compiler: &mut Compiler<'_>) {
    let s = &compiler.script;
    let member = s.table("spine_work_member");
    let record = s.table("spine_work_record");
    let id = fresh_id(compiler, "r.model", "r.key");
    if compiler.options.previous {
        crate::history::ids(compiler);
        return;
    }
    compiler.script.comment(&[
        "Step 8 (stable IDs): dm_ and the first 16 hex digits of the MD5 of the anchor record's model, U+001F",
        "and key; a profile's anchor is its smallest record number.",
    ]);
    compiler.script.create(
        "spine_work_profile",
        &format!(
            "SELECT m.profile, {id} AS dinmo_id, COUNT(*) AS record_count\n\
             FROM {member} AS m JOIN {record} AS r ON r.rec = m.profile\n\
             GROUP BY m.profile, r.model, r.key"
        ),
    );
    compiler.script.create(
        "identity_redirects",
        &format!(
            "SELECT CAST('' AS {t}) AS old_dinmo_id, CAST('' AS {t}) AS new_dinmo_id, CAST('' AS {t}) AS kind FROM {record} WHERE 1 = 0",
            t = compiler.dialect().text_type()
        ),
    );
}

pub(crate) fn tables(compiler: &mut Compiler<'_>) {
    let d = compiler.dialect();
    let settings = compiler.settings;
    let s = &compiler.script;
    let member = s.table("spine_work_member");
    let profile = s.table("spine_work_profile");
    let record = s.table("spine_work_record");
    let pair = s.table("spine_work_pair");
    let state = s.table("spine_work_state");
    let bad = s.table("spine_work_bad");
    let used = s.table("spine_work_used");
    let obs = s.table("spine_work_obs");
    let id_col = s.col(&settings.id_column);
    let refusal = s.table("spine_work_refusal");
    let part_tables: Vec<String> = (1..=settings.rules.len())
        .map(|stage| s.table(&format!("spine_work_part_{stage}")))
        .collect();
    compiler
        .script
        .comment(&["identity_match: every emitted record with its profile ID and status."]);
    compiler.script.create(
        "identity_match",
        &format!(
            "SELECT r.model, r.key, p.dinmo_id AS {id_col}, m.status\n\
             FROM {member} AS m JOIN {record} AS r ON r.rec = m.rec JOIN {profile} AS p ON p.profile = m.profile"
        ),
    );
    let rule_case: Vec<String> = settings
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| format!("WHEN {} THEN {}", i + 1, d.literal(&rule.name)))
        .collect();
    let rule_name = |stage: &str| {
        if rule_case.is_empty() {
            "''".to_owned()
        } else {
            format!("CASE {stage} {} END", rule_case.join(" "))
        }
    };
    compiler.script.comment(&[
        "match_pairs: every candidate pair, left the earlier record in anchor order; the ID is filled when",
        "both records end in the same emitted profile.",
    ]);
    compiler.script.create(
        "match_pairs",
        &format!(
            "SELECT l.model AS left_model, l.key AS left_key, r.model AS right_model, r.key AS right_key,\n  \
             {} AS rule, c.stage, c.scores, c.decision, c.detail,\n  \
             CASE WHEN ml.profile = mr.profile THEN p.dinmo_id ELSE '' END AS {id_col}\n\
             FROM {pair} AS c\n\
             JOIN {record} AS l ON l.rec = c.a JOIN {record} AS r ON r.rec = c.b\n\
             LEFT JOIN {member} AS ml ON ml.rec = c.a LEFT JOIN {member} AS mr ON mr.rec = c.b\n\
             LEFT JOIN {profile} AS p ON p.profile = ml.profile",
            rule_name("c.stage")
        ),
    );

    // The missing_identifiers detail: each identifier (by name) with the statuses of its observations.
    let status_rank =
        "CASE status WHEN 'used' THEN 0 WHEN 'empty' THEN 1 WHEN 'invalid' THEN 2 ELSE 3 END";
    let per_identifier = format!(
        "SELECT rec, identifier_rank, identifier || ' ' || {} AS part\n  \
         FROM (SELECT DISTINCT o.rec, o.identifier, o.identifier_rank, o.status, {status_rank} AS status_rank\n    \
         FROM {obs} AS o JOIN missing AS m ON m.rec = o.rec) AS o\n  \
         GROUP BY rec, identifier, identifier_rank",
        d.string_agg("status", "/", "status_rank")
    );
    let missing_detail = format!(
        "SELECT rec, 'no used identifier value: ' || {} AS detail FROM ({per_identifier}) AS p GROUP BY rec",
        d.string_agg("part", ", ", "identifier_rank")
    );
    let exclude = settings.guardrails.on_conflict == OnConflict::Exclude;
    let mut unresolved = vec![
        format!("SELECT model, key, reason, detail, '' AS candidate_dinmo_ids FROM {bad}"),
        format!(
            "SELECT r.model, r.key, 'missing_identifiers' AS reason,\n  \
             COALESCE(md.detail, 'the model maps no identifier') AS detail, '' AS candidate_dinmo_ids\n\
             FROM missing AS m JOIN {record} AS r ON r.rec = m.rec LEFT JOIN ({missing_detail}) AS md ON md.rec = r.rec"
        ),
    ];
    if exclude && !settings.rules.is_empty() {
        let parts: Vec<String> = part_tables
            .iter()
            .enumerate()
            .map(|(index, table)| {
                format!(
                    "SELECT {} AS stage, comp, profile FROM {table} WHERE holds",
                    index + 1
                )
            })
            .collect();
        let holders = format!(
            "SELECT h.stage, h.comp, {} AS ids\n  \
             FROM (SELECT DISTINCT hp.stage, hp.comp, p.dinmo_id\n    \
             FROM ({}) AS hp JOIN {member} AS m ON m.rec = hp.profile JOIN {profile} AS p ON p.profile = m.profile) AS h\n  \
             GROUP BY h.stage, h.comp",
            d.string_agg("h.dinmo_id", "|", "h.dinmo_id"),
            parts.join(" UNION ALL "),
        );
        unresolved.push(format!(
            "SELECT r.model, r.key, 'conflict' AS reason,\n  \
             'merge refused at stage ' || {} || ' (' || {} || '): the merged profile would hold ' || f.broken_text\n    \
             || '; this part holds no ' || f.value_names AS detail,\n  \
             COALESCE(h.ids, '') AS candidate_dinmo_ids\n\
             FROM {state} AS st JOIN {record} AS r ON r.rec = st.rec\n\
             JOIN {refusal} AS f ON f.stage = st.conflict_stage AND f.comp = st.conflict_comp\n\
             LEFT JOIN ({holders}) AS h ON h.stage = st.conflict_stage AND h.comp = st.conflict_comp\n\
             WHERE st.frozen",
            d.to_text("st.conflict_stage"),
            rule_name("st.conflict_stage"),
        ));
    }
    compiler.script.comment(&[
        "identity_unresolved_records: rows with a bad key, records with no used identifier value and, with",
        "on_conflict: exclude, conflict records with the IDs of the parts that kept their values.",
    ]);
    compiler.script.create(
        "identity_unresolved_records",
        &format!(
            "WITH missing AS (\n  \
             SELECT r.rec FROM {record} AS r LEFT JOIN (SELECT DISTINCT rec FROM {used}) AS u ON u.rec = r.rec\n  \
             WHERE u.rec IS NULL\n\
             )\n{}",
            unresolved.join("\nUNION ALL\n")
        ),
    );
}
