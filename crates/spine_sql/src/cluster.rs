//! Steps 4 to 6 (candidate pairs, pairwise conflicts, staged clustering): one block of statements per rule.
//!
//! Work tables:
//! - `spine_work_used(rec, identifier_index, value)`: the distinct used values of each record.
//! - `spine_work_state_<k>(rec, profile, frozen, conflict_stage, conflict_comp)`: after stage k, the profile of
//!   every record with a used value (`profile` is the smallest `rec` of the profile, so it is also the
//!   profile's anchor record), whether it is a frozen conflict record, and which refusal froze it.
//! - `spine_work_cand_<k>`, `spine_work_comp_<k>`, `spine_work_check_<k>`: stage k's candidate pairs, the
//!   components their accepted pairs form over the profiles of stage k - 1, and each component's verdict.
//! - `spine_work_pair(stage, a, b, scores, decision, detail)`: every candidate pair with its decision.
//! - `spine_work_stage(stage, ...)`: the counts of `identity_rule_metrics`.
//! - `spine_work_refusal(stage, comp, broken_text, value_names)`: every refused merge.

use crate::dialect::Dialect;
use crate::{Compiler, Refusal};
use spine_core::settings::{Algorithm, Comparison, Criterion, Rule};

/// The number of label-propagation rounds written out for dialects without a keyed recursive query.
pub(crate) const ROUNDS: usize = 32;

fn list(items: &[usize]) -> String {
    let parts: Vec<String> = items.iter().map(usize::to_string).collect();
    parts.join(", ")
}

/// A double literal that every engine reads as the same IEEE value Rust holds.
fn double(d: Dialect, value: f64) -> String {
    format!("CAST('{value:?}' AS {})", double_type(d))
}

fn double_type(d: Dialect) -> &'static str {
    match d {
        Dialect::BigQuery => "FLOAT64",
        _ => "DOUBLE",
    }
}

/// `strsim`'s similarity of two values, as the dialect computes it; Jaro-Winkler is rebuilt from Jaro with
/// strsim's own arithmetic so the last bit agrees.
fn similarity(
    compiler: &Compiler<'_>,
    algorithm: Algorithm,
    a: &str,
    b: &str,
) -> Result<String, Refusal> {
    let d = compiler.dialect();
    let double = double_type(d);
    let unsupported = |name: &str| {
        compiler.refuse(
            &format!("fuzzy algorithm '{name}'"),
            None,
            "the dialect has no function that gives strsim's scores",
        )
    };
    let jaro = match d {
        Dialect::DuckDb => format!("JARO_SIMILARITY({a}, {b})"),
        _ => String::new(),
    };
    Ok(match algorithm {
        Algorithm::Jaro if d == Dialect::DuckDb => jaro,
        Algorithm::JaroWinkler if d == Dialect::DuckDb => format!("spine_jaro_winkler({a}, {b})"),
        Algorithm::SorensenDice if matches!(d, Dialect::DuckDb | Dialect::Spark) => {
            format!("spine_sorensen_dice({a}, {b})")
        }
        // Spark's functions are written into the script by `text::macros`.
        Algorithm::Jaro if d == Dialect::Spark => format!("spine_jaro({a}, {b}, FALSE)"),
        Algorithm::JaroWinkler if d == Dialect::Spark => format!("spine_jaro({a}, {b}, TRUE)"),
        Algorithm::Levenshtein | Algorithm::DamerauLevenshtein => {
            let function = match (algorithm, d) {
                (Algorithm::Levenshtein, Dialect::DuckDb | Dialect::Spark) => "LEVENSHTEIN",
                (Algorithm::Levenshtein, Dialect::Snowflake) => "EDITDISTANCE",
                (Algorithm::Levenshtein, Dialect::BigQuery) => "EDIT_DISTANCE",
                (Algorithm::DamerauLevenshtein, Dialect::DuckDb) => "DAMERAU_LEVENSHTEIN",
                (Algorithm::DamerauLevenshtein, Dialect::Spark) => "spine_damerau",
                _ => return Err(unsupported("damerau_levenshtein")),
            };
            format!(
                "CAST(1 AS {double}) - CAST({function}({a}, {b}) AS {double}) / CAST(GREATEST(LENGTH({a}), LENGTH({b})) AS {double})"
            )
        }
        Algorithm::Jaro => return Err(unsupported("jaro")),
        Algorithm::JaroWinkler => return Err(unsupported("jaro_winkler")),
        Algorithm::SorensenDice => return Err(unsupported("sorensen_dice")),
    })
}

/// The label of a criterion in `match_pairs.scores`: its identifiers joined with `|`.
fn criterion_label(compiler: &Compiler<'_>, criterion: &Criterion) -> String {
    let names: Vec<&str> = criterion
        .identifiers
        .iter()
        .map(|&i| compiler.settings.identifiers[i].name.as_str())
        .collect();
    names.join("|")
}

/// The limits a group of records breaks, one row per broken limit: `(grp..., sort1, sort2, kind, name, text)`
/// where kind is `identifier`, `model` or `size`. `groups` yields the group columns then `rec`.
fn broken_query(
    compiler: &Compiler<'_>,
    groups: &str,
    group_cols: &[&str],
    with_size: bool,
) -> Option<String> {
    let settings = compiler.settings;
    let d = compiler.dialect();
    let s = &compiler.script;
    let g = group_cols.join(", ");
    let gq: Vec<String> = group_cols.iter().map(|c| format!("g.{c}")).collect();
    let gq = gq.join(", ");
    let mut parts = Vec::new();
    let limited: Vec<(usize, u32)> = settings
        .identifiers
        .iter()
        .enumerate()
        .filter_map(|(i, identifier)| identifier.conflict_limit.map(|l| (i, l)))
        .collect();
    if !limited.is_empty() {
        let limit_case: Vec<String> = limited
            .iter()
            .map(|(i, l)| format!("WHEN {i} THEN {l}"))
            .collect();
        let name_case: Vec<String> = limited
            .iter()
            .map(|(i, _)| {
                format!(
                    "WHEN {i} THEN {}",
                    d.literal(&settings.identifiers[*i].name)
                )
            })
            .collect();
        let indices: Vec<usize> = limited.iter().map(|(i, _)| *i).collect();
        parts.push(format!(
            "SELECT {g}, 0 AS sort1, identifier_index AS sort2, 'identifier' AS kind, name,\n    \
             {} || ' distinct ' || name || ' values, over conflict_limit ' || {} AS text\n  \
             FROM (SELECT {gq}, u.identifier_index, CASE u.identifier_index {} END AS name,\n      \
             COUNT(DISTINCT u.value) AS cnt, CASE u.identifier_index {} END AS lim\n    \
             FROM ({groups}) AS g JOIN {} AS u ON u.rec = g.rec\n    \
             WHERE u.identifier_index IN ({})\n    \
             GROUP BY {gq}, u.identifier_index) AS c\n  \
             WHERE cnt > lim",
            d.to_text("cnt"),
            d.to_text("lim"),
            name_case.join(" "),
            limit_case.join(" "),
            s.table("spine_work_used"),
            list(&indices),
        ));
    }
    let one: Vec<usize> = (0..settings.models.len())
        .filter(|&m| settings.models[m].one_per_profile)
        .collect();
    if !one.is_empty() {
        let mut by_name: Vec<usize> = (0..settings.models.len()).collect();
        spine_core::sort::sort_by(&mut by_name, |&a, &b| {
            settings.models[a].name.cmp(&settings.models[b].name)
        });
        let rank_case: Vec<String> = by_name
            .iter()
            .enumerate()
            .map(|(rank, m)| format!("WHEN {m} THEN {rank}"))
            .collect();
        parts.push(format!(
            "SELECT {g}, 1 AS sort1, CASE model_index {} END AS sort2, 'model' AS kind, model AS name,\n    \
             {} || ' records of one_per_profile model ' || model AS text\n  \
             FROM (SELECT {gq}, r.model_index, r.model, COUNT(*) AS cnt\n    \
             FROM ({groups}) AS g JOIN {} AS r ON r.rec = g.rec\n    \
             WHERE r.model_index IN ({})\n    \
             GROUP BY {gq}, r.model_index, r.model) AS c\n  \
             WHERE cnt > 1",
            rank_case.join(" "),
            d.to_text("cnt"),
            s.table("spine_work_record"),
            list(&one),
        ));
    }
    if with_size && let Some(max) = settings.guardrails.max_profile_size {
        parts.push(format!(
            "SELECT {g}, 2 AS sort1, 0 AS sort2, 'size' AS kind, '' AS name,\n    \
             {} || ' records, over max_profile_size {max}' AS text\n  \
             FROM (SELECT {gq}, COUNT(*) AS cnt FROM ({groups}) AS g GROUP BY {gq}) AS c\n  \
             WHERE cnt > {max}",
            d.to_text("cnt"),
        ));
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n  UNION ALL\n  "))
    }
}

pub(crate) fn stages(compiler: &mut Compiler<'_>) -> Result<(), Refusal> {
    let settings = compiler.settings;
    let d = compiler.dialect();
    let obs = compiler.script.table("spine_work_obs");
    compiler.script.comment(&[
        "The distinct used values of each record, which matching and the limits look at.",
    ]);
    compiler.script.create(
        "spine_work_used",
        &format!("SELECT DISTINCT rec, identifier_index, standardized_value AS value FROM {obs} WHERE status = 'used'"),
    );
    let used = compiler.script.table("spine_work_used");
    compiler.script.comment(&[
        "Step 3 (missing) and the starting point of clustering: every record with a used value is a profile of",
        "its own (named by its smallest record number), nothing frozen yet.",
    ]);
    compiler.script.create(
        "spine_work_state_0",
        &format!(
            "SELECT DISTINCT rec, rec AS profile, FALSE AS frozen, CAST(NULL AS {int}) AS conflict_stage,\n  \
             CAST(NULL AS {int}) AS conflict_comp\nFROM {used}",
            int = d.int_type()
        ),
    );
    let mut pair_tables = Vec::new();
    let mut stage_rows = Vec::new();
    let mut refusal_rows = Vec::new();
    for (index, rule) in settings.rules.iter().enumerate() {
        let stage = index + 1;
        stage_block(compiler, stage, rule)?;
        pair_tables.push(format!(
            "SELECT * FROM {}",
            compiler.script.table(&format!("spine_work_pairs_{stage}"))
        ));
        stage_rows.push(format!(
            "SELECT * FROM {}",
            compiler.script.table(&format!("spine_work_stats_{stage}"))
        ));
        refusal_rows.push(format!(
            "SELECT {stage} AS stage, comp, broken_text, value_names FROM {} WHERE refused",
            compiler.script.table(&format!("spine_work_check_{stage}"))
        ));
    }
    let last = compiler
        .script
        .table(&format!("spine_work_state_{}", settings.rules.len()));
    compiler
        .script
        .comment(&["The clustering's result: each record's final profile."]);
    compiler
        .script
        .create("spine_work_state", &format!("SELECT * FROM {last}"));
    compiler
        .script
        .comment(&["Every candidate pair of every stage, with its decision."]);
    let empty_pairs = format!(
        "SELECT CAST(0 AS {int}) AS stage, CAST(0 AS {int}) AS a, CAST(0 AS {int}) AS b, '' AS scores, '' AS decision, '' AS detail FROM {used} WHERE 1 = 0",
        int = d.int_type()
    );
    compiler.script.create(
        "spine_work_pair",
        &if pair_tables.is_empty() {
            empty_pairs
        } else {
            pair_tables.join("\nUNION ALL\n")
        },
    );
    if !stage_rows.is_empty() {
        compiler
            .script
            .create("spine_work_stage", &stage_rows.join("\nUNION ALL\n"));
        compiler
            .script
            .create("spine_work_refusal", &refusal_rows.join("\nUNION ALL\n"));
    }
    Ok(())
}

fn stage_block(compiler: &mut Compiler<'_>, stage: usize, rule: &Rule) -> Result<(), Refusal> {
    let settings = compiler.settings;
    let d = compiler.dialect();
    let s = &compiler.script;
    let used = s.table("spine_work_used");
    let previous = s.table(&format!("spine_work_state_{}", stage - 1));
    let block = s.table(&format!("spine_work_block_{stage}"));
    let cand = s.table(&format!("spine_work_cand_{stage}"));
    let exact: Vec<&Criterion> = rule
        .criteria
        .iter()
        .filter(|c| c.comparison == Comparison::Exact)
        .collect();
    let fuzzy: Vec<&Criterion> = rule
        .criteria
        .iter()
        .filter(|c| c.comparison != Comparison::Exact)
        .collect();
    let keys: Vec<String> = (0..exact.len()).map(|i| format!("k{i}")).collect();

    // Blocks: one row per record and combination of one value per exact criterion (pooled identifiers).
    let mut from = format!("(SELECT rec FROM {previous} WHERE NOT frozen) AS live");
    for (i, criterion) in exact.iter().enumerate() {
        from.push_str(&format!(
            "\n  JOIN (SELECT DISTINCT rec, value FROM {used} WHERE identifier_index IN ({})) AS c{i} ON c{i}.rec = live.rec",
            list(&criterion.identifiers)
        ));
    }
    let key_select: Vec<String> = (0..exact.len())
        .map(|i| format!("c{i}.value AS k{i}"))
        .collect();
    let mut script_lines = vec![format!(
        "Stage {stage}: rule '{}' ({}).",
        rule.name,
        if fuzzy.is_empty() {
            "exact criteria only"
        } else {
            "with fuzzy criteria"
        }
    )];
    script_lines.push(
        "Blocks: records not frozen, one row per combination of their values of the exact criteria.".to_owned(),
    );
    let lines: Vec<&str> = script_lines.iter().map(String::as_str).collect();
    compiler.script.comment(&lines);
    compiler.script.create(
        &format!("spine_work_block_{stage}"),
        &format!("SELECT live.rec, {}\nFROM {from}", key_select.join(", ")),
    );
    let same_block: Vec<String> = keys.iter().map(|k| format!("x.{k} = y.{k}")).collect();
    let same_block = same_block.join(" AND ");
    let key_list = keys.join(", ");
    let has_pairwise = settings
        .identifiers
        .iter()
        .any(|i| i.conflict_limit.is_some())
        || settings.models.iter().any(|m| m.one_per_profile);
    let labels: Vec<String> = rule
        .criteria
        .iter()
        .map(|c| criterion_label(compiler, c))
        .collect();

    if fuzzy.is_empty() {
        // Exact-only rules link each record to the first other record of its block it does not conflict with.
        let pairs = if has_pairwise {
            let ordered = format!(
                "SELECT DISTINCT x.rec AS a, y.rec AS b FROM {block} AS x JOIN {block} AS y ON {same_block} AND x.rec <> y.rec"
            );
            let groups = format!(
                "SELECT a, b, a AS rec FROM ({ordered}) AS o UNION ALL SELECT a, b, b AS rec FROM ({ordered}) AS o"
            );
            let broken = broken_query(compiler, &groups, &["a", "b"], false).unwrap_or_default();
            format!(
                "SELECT x.rec AS a, MIN(y.rec) AS b\n\
                 FROM {block} AS x JOIN {block} AS y ON {same_block} AND x.rec <> y.rec\n\
                 WHERE NOT EXISTS (SELECT 1 FROM ({broken}) AS k WHERE k.a = x.rec AND k.b = y.rec)\n\
                 GROUP BY x.rec, {}",
                keys.iter()
                    .map(|k| format!("x.{k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!(
                "SELECT rec AS a, CASE WHEN rec = first_rec THEN second_rec ELSE first_rec END AS b\n\
                 FROM (SELECT rec, MIN(rec) OVER (PARTITION BY {key_list}) AS first_rec,\n        \
                 MIN(CASE WHEN rn = 2 THEN rec END) OVER (PARTITION BY {key_list}) AS second_rec\n      \
                 FROM (SELECT rec, {key_list}, ROW_NUMBER() OVER (PARTITION BY {key_list} ORDER BY rec) AS rn FROM {block}) AS n) AS f\n\
                 WHERE second_rec IS NOT NULL"
            )
        };
        let scores: Vec<String> = labels.iter().map(|l| format!("{l}=1.0000")).collect();
        compiler.script.comment(&[
            "Candidate pairs: each record with the first other record of its block (anchor order) it has no",
            "pairwise conflict with, so evidence grows linearly with the block.",
        ]);
        compiler.script.create(
            &format!("spine_work_cand_{stage}"),
            &format!(
                "SELECT DISTINCT LEAST(a, b) AS a, GREATEST(a, b) AS b, {} AS scores, FALSE AS conflict, '' AS detail\n\
                 FROM ({pairs}) AS p WHERE b IS NOT NULL",
                d.literal(&scores.join(";"))
            ),
        );
    } else {
        let size = format!("SELECT {key_list}, COUNT(*) AS n FROM {block} GROUP BY {key_list}");
        let max = settings.guardrails.max_block_size;
        let small = match max {
            Some(max) => format!("s.n <= {max}"),
            None => "TRUE".to_owned(),
        };
        let mut joins = Vec::new();
        let mut score_parts = Vec::new();
        let mut checks = Vec::new();
        let mut fuzzy_index = 0;
        for (position, criterion) in rule.criteria.iter().enumerate() {
            match criterion.comparison {
                Comparison::Exact => {
                    score_parts.push(d.literal(&format!("{}=1.0000", labels[position])))
                }
                Comparison::Fuzzy {
                    algorithm,
                    threshold,
                } => {
                    let i = fuzzy_index;
                    fuzzy_index += 1;
                    let sim = similarity(compiler, algorithm, "ua.value", "ub.value")?;
                    joins.push(format!(
                        "JOIN (SELECT p.a, p.b, MAX(CASE WHEN ua.value = ub.value THEN CAST(1 AS {dt}) ELSE {sim} END) AS score\n    \
                         FROM pairs AS p\n    \
                         JOIN {used} AS ua ON ua.rec = p.a AND ua.identifier_index IN ({ids})\n    \
                         JOIN {used} AS ub ON ub.rec = p.b AND ub.identifier_index IN ({ids})\n    \
                         GROUP BY p.a, p.b) AS f{i} ON f{i}.a = pairs.a AND f{i}.b = pairs.b",
                        ids = list(&criterion.identifiers),
                        dt = double_type(d),
                    ));
                    score_parts.push(format!(
                        "{} || {}",
                        d.literal(&format!("{}=", labels[position])),
                        format_score(d, &format!("f{i}.score"))
                    ));
                    checks.push(format!("f{i}.score >= {}", double(d, threshold)));
                }
            }
        }
        let broken = if has_pairwise {
            let groups =
                "SELECT a, b, a AS rec FROM scored UNION ALL SELECT a, b, b AS rec FROM scored";
            broken_query(compiler, groups, &["a", "b"], false)
        } else {
            None
        };
        let conflict = match &broken {
            Some(broken) => format!(
                "LEFT JOIN (SELECT a, b, {} AS detail FROM ({broken}) AS k GROUP BY a, b) AS k ON k.a = scored.a AND k.b = scored.b",
                d.string_agg("text", "; ", "sort1, sort2")
            ),
            None => "LEFT JOIN (SELECT a, b, '' AS detail FROM scored WHERE 1 = 0) AS k ON k.a = scored.a AND k.b = scored.b".to_owned(),
        };
        compiler.script.comment(&[
            "Candidate pairs: every pair inside a block (blocks over max_block_size are skipped), kept when every",
            "fuzzy criterion reaches its threshold with the best pair of values; a pair whose two records",
            "together break a conflict limit or one_per_profile is a pair_conflict.",
        ]);
        compiler.script.create(
            &format!("spine_work_cand_{stage}"),
            &format!(
                "WITH pairs AS (\n  \
                 SELECT DISTINCT x.rec AS a, y.rec AS b\n  \
                 FROM {block} AS x JOIN {block} AS y ON {same_block} AND x.rec < y.rec\n  \
                 JOIN ({size}) AS s ON {}\n  \
                 WHERE {small}\n\
                 ),\n\
                 scored AS (\n  \
                 SELECT pairs.a, pairs.b, {} AS scores\n  \
                 FROM pairs\n  {}\n  \
                 WHERE {}\n\
                 )\n\
                 SELECT scored.a, scored.b, scores, k.detail IS NOT NULL AS conflict,\n  \
                 CASE WHEN k.detail IS NULL THEN '' ELSE 'the pair would hold ' || k.detail END AS detail\n\
                 FROM scored {conflict}",
                keys.iter().map(|k| format!("s.{k} = x.{k}")).collect::<Vec<_>>().join(" AND "),
                score_parts.join(" || ';' || "),
                joins.join("\n  "),
                checks.join(" AND "),
            ),
        );
    }
    let _ = cand;
    merge_block(compiler, stage, rule)
}

/// A score with four decimals, as Rust's `{:.4}` writes the exact binary value.
fn format_score(d: Dialect, expr: &str) -> String {
    match d {
        Dialect::DuckDb => format!("PRINTF('%.4f', {expr})"),
        Dialect::Spark => format!("FORMAT_STRING('%.4f', {expr})"),
        Dialect::Snowflake => format!("TO_VARCHAR({expr}, 'FM9990.0000')"),
        Dialect::BigQuery => format!("FORMAT('%.4f', {expr})"),
    }
}

/// Stage k's clustering: components of the accepted pairs over the profiles of stage k - 1, each checked
/// against the limits; refused components leave their parts as they were, and parts without a value of a
/// broken limit become frozen conflict records.
fn merge_block(compiler: &mut Compiler<'_>, stage: usize, rule: &Rule) -> Result<(), Refusal> {
    let d = compiler.dialect();
    let int = d.int_type();
    let s = &compiler.script;
    let previous = s.table(&format!("spine_work_state_{}", stage - 1));
    let cand = s.table(&format!("spine_work_cand_{stage}"));
    let edge = s.table(&format!("spine_work_edge_{stage}"));
    let comp = s.table(&format!("spine_work_comp_{stage}"));
    let check = s.table(&format!("spine_work_check_{stage}"));
    let used = s.table("spine_work_used");
    let record = s.table("spine_work_record");
    compiler.script.comment(&[
        "Merges: the accepted pairs as edges between the profiles of the previous stage (both directions).",
    ]);
    compiler.script.create(
        &format!("spine_work_edge_{stage}"),
        &format!(
            "SELECT DISTINCT pa.profile AS src, pb.profile AS dst\n\
             FROM {cand} AS c JOIN {previous} AS pa ON pa.rec = c.a JOIN {previous} AS pb ON pb.rec = c.b\n\
             WHERE NOT c.conflict AND pa.profile <> pb.profile\n\
             {union}\n\
             SELECT DISTINCT pb.profile AS src, pa.profile AS dst\n\
             FROM {cand} AS c JOIN {previous} AS pa ON pa.rec = c.a JOIN {previous} AS pb ON pb.rec = c.b\n\
             WHERE NOT c.conflict AND pa.profile <> pb.profile",
            union = d.union_distinct()
        ),
    );
    components(compiler, &edge, &format!("spine_work_comp_{stage}"), stage);

    // Members of each component, the limits they break, and which parts hold a value of a broken limit.
    let members = format!(
        "SELECT c.comp, st.rec FROM {comp} AS c JOIN {previous} AS st ON st.profile = c.node"
    );
    let text = d.text_type();
    let broken = broken_query(compiler, &members, &["comp"], true).unwrap_or_else(|| {
        format!(
            "SELECT comp, 0 AS sort1, 0 AS sort2, CAST('' AS {text}) AS kind, CAST('' AS {text}) AS name, CAST('' AS {text}) AS text FROM {comp} WHERE 1 = 0"
        )
    });
    compiler.script.comment(&[
        "Each merge is checked against the conflict limits, one_per_profile and max_profile_size; a merge that",
        "breaks any of them is refused and its parts stay as they were after the previous stage.",
    ]);
    compiler
        .script
        .create(&format!("spine_work_broken_{stage}"), &broken);
    let broken = compiler.script.table(&format!("spine_work_broken_{stage}"));
    compiler.script.create(
        &format!("spine_work_check_{stage}"),
        &format!(
            "SELECT c.comp, k.comp IS NOT NULL AS refused, k.broken_text,\n  \
             CASE WHEN k.ids IS NULL THEN '' ELSE k.ids || ' value' END\n    \
             || CASE WHEN k.ids IS NOT NULL AND k.models IS NOT NULL THEN ' and no ' ELSE '' END\n    \
             || CASE WHEN k.models IS NULL THEN '' ELSE k.models || ' record' END AS value_names,\n  \
             COALESCE(k.value_limits, 0) AS value_limits\n\
             FROM (SELECT DISTINCT comp FROM {comp}) AS c\n\
             LEFT JOIN (\n  \
             SELECT comp, {} AS broken_text, {} AS ids, {} AS models,\n    \
             SUM(CASE WHEN kind <> 'size' THEN 1 ELSE 0 END) AS value_limits\n  \
             FROM {broken} GROUP BY comp\n\
             ) AS k ON k.comp = c.comp",
            d.string_agg("text", "; ", "sort1, sort2"),
            d.string_agg("CASE WHEN kind = 'identifier' THEN name END", " or ", "sort1, sort2"),
            d.string_agg("CASE WHEN kind = 'model' THEN name END", " or ", "sort1, sort2"),
        ),
    );
    compiler.script.comment(&[
        "In a refused merge, a part holding no value of any broken limit cannot be attributed safely: its",
        "records become conflict records, frozen out of every later stage.",
    ]);
    compiler.script.create(
        &format!("spine_work_part_{stage}"),
        &format!(
            "WITH refused AS (\n  \
             SELECT c.node AS profile, c.comp FROM {comp} AS c JOIN {check} AS k ON k.comp = c.comp\n  \
             WHERE k.refused AND k.value_limits > 0\n\
             ),\n\
             holding AS (\n  \
             SELECT DISTINCT p.profile, p.comp FROM refused AS p\n  \
             JOIN {previous} AS st ON st.profile = p.profile\n  \
             JOIN {broken} AS b ON b.comp = p.comp AND b.kind = 'identifier'\n  \
             JOIN {used} AS u ON u.rec = st.rec AND u.identifier_index = b.sort2\n  \
             {union}\n  \
             SELECT DISTINCT p.profile, p.comp FROM refused AS p\n  \
             JOIN {previous} AS st ON st.profile = p.profile\n  \
             JOIN {broken} AS b ON b.comp = p.comp AND b.kind = 'model'\n  \
             JOIN {record} AS r ON r.rec = st.rec AND r.model = b.name\n\
             )\n\
             SELECT p.profile, p.comp, h.profile IS NOT NULL AS holds\n\
             FROM refused AS p LEFT JOIN holding AS h ON h.profile = p.profile AND h.comp = p.comp",
            union = d.union_distinct()
        ),
    );
    let part = compiler.script.table(&format!("spine_work_part_{stage}"));
    compiler.script.comment(&["The profiles after this stage."]);
    compiler.script.create(
        &format!("spine_work_state_{stage}"),
        &format!(
            "SELECT st.rec,\n  \
             CASE WHEN k.refused = FALSE THEN c.comp ELSE st.profile END AS profile,\n  \
             st.frozen OR COALESCE(NOT p.holds, FALSE) AS frozen,\n  \
             CASE WHEN p.holds = FALSE THEN CAST({stage} AS {int}) ELSE st.conflict_stage END AS conflict_stage,\n  \
             CASE WHEN p.holds = FALSE THEN c.comp ELSE st.conflict_comp END AS conflict_comp\n\
             FROM {previous} AS st\n\
             LEFT JOIN {comp} AS c ON c.node = st.profile\n\
             LEFT JOIN {check} AS k ON k.comp = c.comp\n\
             LEFT JOIN {part} AS p ON p.profile = st.profile"
        ),
    );
    compiler.script.comment(&[
        "Decisions: pair_conflict as found; accepted pairs whose merge was refused are merge_refused.",
    ]);
    compiler.script.create(
        &format!("spine_work_pairs_{stage}"),
        &format!(
            "SELECT CAST({stage} AS {int}) AS stage, c.a, c.b, c.scores,\n  \
             CASE WHEN c.conflict THEN 'pair_conflict' WHEN pa.profile <> pb.profile AND k.refused THEN 'merge_refused'\n    \
             ELSE 'accepted' END AS decision,\n  \
             CASE WHEN c.conflict THEN c.detail WHEN pa.profile <> pb.profile AND k.refused\n    \
             THEN 'the merged profile would hold ' || k.broken_text ELSE '' END AS detail\n\
             FROM {cand} AS c\n\
             JOIN {previous} AS pa ON pa.rec = c.a JOIN {previous} AS pb ON pb.rec = c.b\n\
             LEFT JOIN {comp} AS cc ON cc.node = pa.profile\n\
             LEFT JOIN {check} AS k ON k.comp = cc.comp"
        ),
    );
    let _ = rule;
    stats(compiler, stage);
    Ok(())
}

/// Connected components of an edge table `(src, dst)` (both directions present) into `(node, comp)`, `comp`
/// being the smallest node of the component.
///
/// DuckDB iterates a keyed recursive query to its fixpoint: each round lowers the label of the nodes next
/// to a node whose label just fell, labels only fall and are bounded below, so it stops, and when it stops
/// every edge joins equal labels. Other dialects run [`ROUNDS`] rounds of min-label propagation with pointer
/// jumping, written out, and then the script fails loudly if any edge still joins two labels.
fn components(compiler: &mut Compiler<'_>, edge: &str, out: &str, stage: usize) {
    let d = compiler.dialect();
    let int = d.int_type();
    compiler.script.comment(&[
        "Connected components by label propagation: every profile takes the smallest label among its",
        "neighbours until no label changes; the label of a component is its smallest profile.",
    ]);
    match d {
        Dialect::DuckDb => {
            compiler.script.create(
                out,
                &format!(
                    "WITH RECURSIVE lp(node, comp, lp_round) USING KEY (node) AS (\n  \
                     SELECT src AS node, LEAST(src, MIN(dst)) AS comp, CAST(0 AS {int}) AS lp_round FROM {edge} GROUP BY src\n  \
                     UNION\n  \
                     (SELECT e.dst AS node, MIN(w.comp) AS comp, MAX(w.lp_round) + 1 AS lp_round\n   \
                     FROM lp AS w JOIN {edge} AS e ON e.src = w.node JOIN recurring.lp AS cur ON cur.node = e.dst\n   \
                     WHERE w.comp < cur.comp\n   \
                     GROUP BY e.dst)\n\
                     )\n\
                     SELECT node, comp, lp_round FROM lp"
                ),
            );
        }
        Dialect::Spark => {
            // Spark's SQL scripting loops until no label changes; the loop ends because labels only fall.
            let labels = compiler.script.table(&format!("spine_work_labels_{stage}"));
            let next = compiler
                .script
                .table(&format!("spine_work_labels_next_{stage}"));
            compiler.script.statement(&format!(
                "BEGIN\n  \
                 DECLARE changed BIGINT DEFAULT 1;\n  \
                 DECLARE rounds BIGINT DEFAULT 0;\n  \
                 DROP TABLE IF EXISTS {labels};\n  \
                 CREATE TABLE {labels} USING PARQUET AS\n    \
                 SELECT src AS node, LEAST(src, MIN(dst)) AS comp, CAST(0 AS BIGINT) AS lp_round FROM {edge} GROUP BY src;\n  \
                 WHILE changed > 0 DO\n    \
                 DROP TABLE IF EXISTS {next};\n    \
                 CREATE TABLE {next} USING PARQUET AS\n      \
                 SELECT l.node, LEAST(l.comp, MIN(n.comp)) AS comp,\n        \
                 CASE WHEN MIN(n.comp) < l.comp THEN rounds + 1 ELSE l.lp_round END AS lp_round\n      \
                 FROM {labels} AS l JOIN {edge} AS e ON e.src = l.node JOIN {labels} AS n ON n.node = e.dst\n      \
                 GROUP BY l.node, l.comp, l.lp_round;\n    \
                 SET changed = (SELECT COUNT(*) FROM {next} AS x JOIN {labels} AS y ON x.node = y.node WHERE x.comp <> y.comp);\n    \
                 SET rounds = rounds + 1;\n    \
                 DROP TABLE {labels};\n    \
                 CREATE TABLE {labels} USING PARQUET AS SELECT * FROM {next};\n  \
                 END WHILE;\n\
                 END"
            ));
            compiler
                .script
                .create(out, &format!("SELECT node, comp, lp_round FROM {labels}"));
        }
        _ => {
            let mut previous = format!("{out}_r0");
            compiler.script.create(
                &previous,
                &format!("SELECT src AS node, LEAST(src, MIN(dst)) AS comp, CAST(0 AS {int}) AS lp_round FROM {edge} GROUP BY src"),
            );
            for round in 1..=ROUNDS {
                let next = format!("{out}_r{round}");
                let prev = compiler.script.table(&previous);
                compiler.script.create(
                    &next,
                    &format!(
                        "SELECT h.node, COALESCE(j.comp, h.comp) AS comp, CAST({round} AS {int}) AS lp_round\n\
                         FROM (SELECT l.node, LEAST(l.comp, MIN(n.comp)) AS comp FROM {prev} AS l\n      \
                         JOIN {edge} AS e ON e.src = l.node JOIN {prev} AS n ON n.node = e.dst GROUP BY l.node, l.comp) AS h\n\
                         LEFT JOIN {prev} AS j ON j.node = h.comp"
                    ),
                );
                previous = next;
            }
            let last = compiler.script.table(&previous);
            compiler
                .script
                .create(out, &format!("SELECT * FROM {last}"));
        }
    }
    let table = compiler.script.table(out);
    let check = d.fail_when(
        &format!(
            "SELECT 1 FROM {edge} AS e JOIN {table} AS a ON a.node = e.src JOIN {table} AS b ON b.node = e.dst WHERE a.comp <> b.comp"
        ),
        &format!("label propagation did not converge at stage {stage}"),
    );
    compiler.script.statement(&check);
}

/// The counts of `identity_rule_metrics` for stage k.
fn stats(compiler: &mut Compiler<'_>, stage: usize) {
    let d = compiler.dialect();
    let int = d.int_type();
    let s = &compiler.script;
    let block = s.table(&format!("spine_work_block_{stage}"));
    let pairs = s.table(&format!("spine_work_pairs_{stage}"));
    let check = s.table(&format!("spine_work_check_{stage}"));
    let comp = s.table(&format!("spine_work_comp_{stage}"));
    let previous = s.table(&format!("spine_work_state_{}", stage - 1));
    let state = s.table(&format!("spine_work_state_{stage}"));
    let rule = &compiler.settings.rules[stage - 1];
    let fuzzy = !rule.is_exact_only();
    let exact_keys: Vec<String> = rule
        .criteria
        .iter()
        .filter(|c| c.comparison == Comparison::Exact)
        .enumerate()
        .map(|(i, _)| format!("k{i}"))
        .collect();
    let keys = exact_keys.join(", ");
    let skipped = match (fuzzy, compiler.settings.guardrails.max_block_size) {
        (true, Some(max)) => format!(
            "(SELECT COUNT(*) FROM (SELECT {keys} FROM {block} GROUP BY {keys} HAVING COUNT(*) > {max}) AS s)"
        ),
        _ => "0".to_owned(),
    };
    let exclude =
        compiler.settings.guardrails.on_conflict == spine_core::settings::OnConflict::Exclude;
    let profiles_after = if exclude {
        format!("(SELECT COUNT(DISTINCT profile) FROM {state} WHERE NOT frozen)")
    } else {
        format!("(SELECT COUNT(DISTINCT profile) FROM {state})")
    };
    compiler
        .script
        .comment(&["The stage's counts for identity_rule_metrics."]);
    compiler.script.create(
        &format!("spine_work_stats_{stage}"),
        &format!(
            "SELECT CAST({stage} AS {int}) AS stage,\n  \
             (SELECT COUNT(DISTINCT rec) FROM {block}) AS applicable_records,\n  \
             (SELECT COUNT(*) FROM {pairs}) AS candidate_pairs,\n  \
             (SELECT COUNT(*) FROM {pairs} WHERE decision = 'accepted') AS accepted_pairs,\n  \
             (SELECT COUNT(*) FROM {pairs} WHERE decision = 'pair_conflict') AS pair_conflicts,\n  \
             (SELECT COUNT(*) FROM {pairs} WHERE decision = 'merge_refused') AS merge_refused_pairs,\n  \
             (SELECT COUNT(*) FROM (SELECT a AS rec FROM {pairs} WHERE decision = 'accepted' {union} SELECT b FROM {pairs} WHERE decision = 'accepted') AS l) AS linked_records,\n  \
             {skipped} AS skipped_blocks,\n  \
             (SELECT COUNT(*) FROM {check} WHERE NOT refused) AS merges,\n  \
             (SELECT COUNT(*) FROM {check} AS k WHERE NOT refused AND NOT EXISTS (\n     \
             SELECT 1 FROM {comp} AS c JOIN {previous} AS st ON st.profile = c.node WHERE c.comp = k.comp AND st.rec <> st.profile)) AS profiles_created,\n  \
             (SELECT COUNT(*) FROM {check} AS k WHERE NOT refused AND EXISTS (\n     \
             SELECT 1 FROM {comp} AS c JOIN {previous} AS st ON st.profile = c.node WHERE c.comp = k.comp AND st.rec <> st.profile)) AS profiles_grown,\n  \
             (SELECT COUNT(*) FROM {check} WHERE refused) AS merges_refused,\n  \
             (SELECT COUNT(*) FROM {state} WHERE conflict_stage = {stage}) AS conflict_records,\n  \
             {profiles_after} AS profiles_after,\n  \
             (SELECT COALESCE(MAX(lp_round), 0) FROM {comp}) AS rounds",
            union = d.union_distinct()
        ),
    );
}
