//! What the run saw of one record or of two records, for the studio's profile view: a record's observations,
//! and rule by rule whether two records shared a block, how their fuzzy criteria scored, and what became of
//! their pair.

use crate::resolve::{NONE, ObservationStatus, PairView, RecordRef, Resolution, index_u32};
use crate::settings::Comparison;

/// One observation of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservationView<'a> {
    pub identifier: &'a str,
    pub raw: &'a str,
    /// Empty for `empty` and `invalid` observations.
    pub standardized: &'a str,
    pub status: ObservationStatus,
    /// Why the value is invalid or blocked (empty otherwise).
    pub detail: &'a str,
}

/// What one criterion of a rule says about two records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CriterionEvidence {
    /// An exact criterion: whether the records share a used value of its (pooled) identifiers.
    Exact { shared: bool },
    /// A fuzzy criterion: the best score over the records' used values (`None` when one of them has none) and
    /// the threshold it must reach.
    Fuzzy { score: Option<f64>, threshold: f64 },
}

/// What one stage saw of two records.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleEvidence<'a> {
    pub stage: usize,
    pub rule: &'a str,
    /// One entry per criterion, in the rule's order.
    pub criteria: Vec<CriterionEvidence>,
    /// One of the records was a conflict record frozen by an earlier stage, so it was in no block.
    pub frozen: bool,
    /// The candidate pair the stage wrote for these two records, if any. Exact-only rules link each record to
    /// one partner only, so two records of one block may be joined through others without a pair of their own.
    pub pair: Option<PairView<'a>>,
}

impl Resolution {
    /// A loaded record's observations (sorted by identifier name, then raw value); `None` for an unknown record
    /// or a row with a bad key.
    pub fn observations(&self, model: &str, key: &str) -> Option<Vec<ObservationView<'_>>> {
        let record = self.find_record(model, key)?;
        let observed = &self.observed;
        Some(
            observed
                .of_record(record)
                .iter()
                .map(|o| ObservationView {
                    identifier: &self.settings.identifiers[o.identifier as usize].name,
                    raw: observed.raw.get(o.raw),
                    standardized: if o.value == NONE {
                        ""
                    } else {
                        observed.values.get(o.value)
                    },
                    status: o.status,
                    detail: &observed.details[o.detail as usize],
                })
                .collect(),
        )
    }

    /// Rule by rule, what the run saw of two loaded records; `None` when either is unknown.
    pub fn evidence(&self, a: RecordRef<'_>, b: RecordRef<'_>) -> Option<Vec<RuleEvidence<'_>>> {
        let (a, b) = (
            self.find_record(a.model, a.key)?,
            self.find_record(b.model, b.key)?,
        );
        let (left, right) = (a.min(b), a.max(b));
        let frozen_before =
            |record: u32, rule: usize| self.frozen_by(record).is_some_and(|r| r < rule);
        let evidence = self
            .settings
            .rules
            .iter()
            .enumerate()
            .map(|(index, rule)| {
                let criteria = rule
                    .criteria
                    .iter()
                    .map(|criterion| {
                        let (x, y) = (
                            self.pooled(left, &criterion.identifiers),
                            self.pooled(right, &criterion.identifiers),
                        );
                        match criterion.comparison {
                            Comparison::Exact => CriterionEvidence::Exact {
                                shared: x.iter().any(|v| y.binary_search(v).is_ok()),
                            },
                            Comparison::Fuzzy {
                                algorithm,
                                threshold,
                            } => CriterionEvidence::Fuzzy {
                                score: self.best_score(algorithm, &x, &y).map(|best| best.0),
                                threshold,
                            },
                        }
                    })
                    .collect();
                let rule_index = index_u32(index);
                let start = self.pairs.partition_point(|p| p.rule < rule_index);
                let end = self.pairs.partition_point(|p| p.rule <= rule_index);
                let pair = self.pairs[start..end]
                    .binary_search_by(|p| (p.left, p.right).cmp(&(left, right)))
                    .ok()
                    .map(|at| self.pair_view(index_u32(start + at)));
                RuleEvidence {
                    stage: index + 1,
                    rule: &rule.name,
                    criteria,
                    frozen: frozen_before(left, index) || frozen_before(right, index),
                    pair,
                }
            })
            .collect();
        Some(evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::{Decision, resolve};
    use crate::table::parse_csv;
    use crate::validate::load_settings;

    #[test]
    fn evidence_names_shared_blocks_scores_pairs_and_frozen_records() {
        let graph = r#"{
          "version": 1, "name": "explain",
          "models": [{"name": "crm", "primary_key": "id", "priority": 1,
                      "identifiers": {"customer_id": "cust", "email": "email", "name": "name"}}],
          "identifiers": [
            {"name": "customer_id", "kind": "customer_id", "standardize": ["trim"], "conflict_limit": 1},
            {"name": "email", "kind": "email", "standardize": ["trim", "lowercase"]},
            {"name": "name", "kind": "name", "standardize": ["trim", "lowercase"], "blocked_values": ["unknown"]}
          ],
          "rules": [
            {"name": "same_email", "criteria": [{"identifiers": ["email"], "match": "exact"}]},
            {"name": "email_and_name", "criteria": [{"identifiers": ["email"], "match": "exact"},
                                                    {"identifiers": ["name"], "match": "fuzzy", "threshold": 0.95}]}
          ]
        }"#;
        let settings = load_settings(graph, None).unwrap();
        let crm = parse_csv(
            "crm.csv",
            b"id,cust,email,name\n1,c1,a@x.com,martha\n2,c2,a@x.com,marhta\n3,,a@x.com,unknown\n4,,b@x.com,bob\n",
        )
        .unwrap();
        let resolution = resolve(&settings, &[crm], None, &mut crate::NoProgress).unwrap();
        let record = |key| RecordRef { model: "crm", key };

        let evidence = resolution.evidence(record("2"), record("1")).unwrap();
        assert_eq!(evidence.len(), 2);
        // Stage 1 links 1 and 2 to 3 (they conflict with each other), and the merge is refused.
        assert_eq!(
            evidence[0].criteria,
            [CriterionEvidence::Exact { shared: true }]
        );
        assert_eq!(evidence[0].pair, None);
        assert!(!evidence[0].frozen);
        let CriterionEvidence::Fuzzy {
            score: Some(score),
            threshold,
        } = evidence[1].criteria[1]
        else {
            panic!()
        };
        assert!((score - 0.9611).abs() < 1e-4 && threshold == 0.95);
        // The names reach the threshold but the customer IDs differ.
        assert_eq!(
            evidence[1].pair.as_ref().map(|p| p.decision),
            Some(Decision::PairConflict)
        );

        let evidence = resolution.evidence(record("1"), record("3")).unwrap();
        assert_eq!(
            evidence[0].pair.as_ref().map(|p| p.decision),
            Some(Decision::MergeRefused)
        );
        assert!(evidence[1].frozen);
        assert_eq!(
            evidence[1].criteria[1],
            CriterionEvidence::Fuzzy {
                score: None,
                threshold: 0.95
            }
        );

        let evidence = resolution.evidence(record("1"), record("4")).unwrap();
        assert_eq!(
            evidence[0].criteria,
            [CriterionEvidence::Exact { shared: false }]
        );
        assert!(resolution.evidence(record("1"), record("9")).is_none());

        let observations = resolution.observations("crm", "3").unwrap();
        let name = observations
            .iter()
            .find(|o| o.identifier == "name")
            .unwrap();
        assert_eq!(
            (name.raw, name.standardized, name.status),
            ("unknown", "unknown", ObservationStatus::Blocked)
        );
        assert!(!name.detail.is_empty());
    }
}
