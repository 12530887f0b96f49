//! Conflict limits, `one_per_profile` and `max_profile_size` (SPEC sections 3 and 10): which limits a pair or
//! a merged profile breaks, whether a part holds a value of a broken limit, and the sentences that say so.

use super::observe::UsedValues;
use super::records::Records;
use crate::settings::Settings;

/// One broken limit with the count that broke it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Broken {
    /// More distinct values of an identifier than its `conflict_limit`.
    Identifier {
        identifier: usize,
        count: u32,
        limit: u32,
    },
    /// More than one record of a `one_per_profile` model.
    OnePerProfile { model: usize, count: u32 },
    /// More records than `max_profile_size`.
    Size { count: u64, max: u64 },
}

impl Broken {
    /// True for limits that a part can hold a value of (every limit but the profile size).
    pub fn is_value_limit(self) -> bool {
        !matches!(self, Self::Size { .. })
    }
}

/// The limits of one identity graph, indexed for fast checks.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    /// (identifier, conflict_limit), by identifier index.
    identifiers: Vec<(usize, u32)>,
    one_per_profile: Vec<bool>,
    any_one_per_profile: bool,
    /// Each model's position by name, so broken `one_per_profile` limits are listed by model name.
    model_name_rank: Vec<usize>,
    max_profile_size: Option<u64>,
}

impl Limits {
    pub(crate) fn new(settings: &Settings) -> Self {
        let identifiers = settings
            .identifiers
            .iter()
            .enumerate()
            .filter_map(|(index, identifier)| identifier.conflict_limit.map(|limit| (index, limit)))
            .collect();
        let one_per_profile: Vec<bool> =
            settings.models.iter().map(|m| m.one_per_profile).collect();
        let mut by_name: Vec<usize> = (0..settings.models.len()).collect();
        crate::sort::sort_by(&mut by_name, |&a, &b| {
            settings.models[a].name.cmp(&settings.models[b].name)
        });
        let mut model_name_rank = vec![0; by_name.len()];
        for (rank, model) in by_name.into_iter().enumerate() {
            model_name_rank[model] = rank;
        }
        Self {
            model_name_rank,
            identifiers,
            any_one_per_profile: one_per_profile.iter().any(|&flag| flag),
            one_per_profile,
            max_profile_size: settings.guardrails.max_profile_size,
        }
    }

    /// True when some pair of records could conflict (a conflict limit or `one_per_profile` exists).
    pub(crate) fn has_pairwise(&self) -> bool {
        !self.identifiers.is_empty() || self.any_one_per_profile
    }

    /// True when two records together break a conflict limit or `one_per_profile` (SPEC section 3, step 5).
    pub(crate) fn pair_conflicts(
        &self,
        records: &Records,
        used: &UsedValues,
        a: u32,
        b: u32,
    ) -> bool {
        let model = records.model_of(a);
        if self.one_per_profile[model] && model == records.model_of(b) {
            return true;
        }
        self.identifiers.iter().any(|&(identifier, limit)| {
            distinct_union(used.get(a, identifier), used.get(b, identifier)) > limit as usize
        })
    }

    /// Every limit the records together break; `scratch` and `per_model` are reused buffers.
    pub(crate) fn check(
        &self,
        members: &[u32],
        records: &Records,
        used: &UsedValues,
        with_size: bool,
        scratch: &mut Vec<u32>,
    ) -> Vec<Broken> {
        let mut broken = Vec::new();
        for &(identifier, limit) in &self.identifiers {
            scratch.clear();
            for &record in members {
                scratch.extend_from_slice(used.get(record, identifier));
            }
            scratch.sort_unstable();
            scratch.dedup();
            if scratch.len() > limit as usize {
                broken.push(Broken::Identifier {
                    identifier,
                    count: super::text::index_u32(scratch.len()),
                    limit,
                });
            }
        }
        if self.any_one_per_profile {
            scratch.clear();
            scratch.extend(
                members
                    .iter()
                    .map(|&r| records.model[r as usize])
                    .filter(|&m| self.one_per_profile[m as usize]),
            );
            scratch.sort_unstable();
            let mut index = 0;
            while index < scratch.len() {
                let mut end = index + 1;
                while end < scratch.len() && scratch[end] == scratch[index] {
                    end += 1;
                }
                if end - index > 1 {
                    broken.push(Broken::OnePerProfile {
                        model: scratch[index] as usize,
                        count: super::text::index_u32(end - index),
                    });
                }
                index = end;
            }
            let ranks = &self.model_name_rank;
            crate::sort::sort_by_key(&mut broken, |b| match *b {
                Broken::OnePerProfile { model, .. } => (1, ranks[model]),
                _ => (0, 0),
            });
        }
        if with_size && let Some(max) = self.max_profile_size {
            let count = members.len() as u64;
            if count > max {
                broken.push(Broken::Size { count, max });
            }
        }
        broken
    }
}

/// True when a part (its records) holds a value of the broken limit.
pub(crate) fn holds(broken: Broken, members: &[u32], records: &Records, used: &UsedValues) -> bool {
    match broken {
        Broken::Identifier { identifier, .. } => {
            members.iter().any(|&r| !used.get(r, identifier).is_empty())
        }
        Broken::OnePerProfile { model, .. } => {
            members.iter().any(|&r| records.model_of(r) == model)
        }
        Broken::Size { .. } => false,
    }
}

/// `2 distinct customer_id values, over conflict_limit 1; 51 records, over max_profile_size 50`.
pub(crate) fn describe(settings: &Settings, broken: &[Broken]) -> String {
    let parts: Vec<String> = broken
        .iter()
        .map(|b| match *b {
            Broken::Identifier {
                identifier,
                count,
                limit,
            } => {
                format!(
                    "{count} distinct {} values, over conflict_limit {limit}",
                    settings.identifiers[identifier].name
                )
            }
            Broken::OnePerProfile { model, count } => {
                format!(
                    "{count} records of one_per_profile model {}",
                    settings.models[model].name
                )
            }
            Broken::Size { count, max } => format!("{count} records, over max_profile_size {max}"),
        })
        .collect();
    parts.join("; ")
}

/// What a part lacks to be attributed: `customer_id or user_id value`, `crm record`, or both joined.
pub(crate) fn value_limit_names(settings: &Settings, broken: &[Broken]) -> String {
    let mut identifiers: Vec<&str> = Vec::new();
    let mut models: Vec<&str> = Vec::new();
    for b in broken {
        match *b {
            Broken::Identifier { identifier, .. } => {
                identifiers.push(&settings.identifiers[identifier].name)
            }
            Broken::OnePerProfile { model, .. } => models.push(&settings.models[model].name),
            Broken::Size { .. } => {}
        }
    }
    let mut parts = Vec::new();
    if !identifiers.is_empty() {
        parts.push(format!("{} value", identifiers.join(" or ")));
    }
    if !models.is_empty() {
        parts.push(format!("{} record", models.join(" or ")));
    }
    parts.join(" and no ")
}

/// The number of distinct values in the union of two sorted, deduplicated slices.
fn distinct_union(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    a.len() + b.len() - shared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_counts_shared_values_once() {
        assert_eq!(distinct_union(&[1, 3, 5], &[3, 4]), 4);
        assert_eq!(distinct_union(&[], &[2]), 1);
        assert_eq!(distinct_union(&[7], &[7]), 1);
    }
}
