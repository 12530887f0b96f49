//! Step 6 (staged clustering): each rule's accepted pairs join the profiles of the stage before; a merged
//! profile that breaks a limit is refused, and its parts without a value of a broken limit become frozen
//! `conflict` records (SPEC sections 3 and 10).

use super::candidates::Candidate;
use super::limits::{self, Broken, Limits};
use super::observe::{NONE, UsedValues};
use super::records::Records;
use super::text::index_u32;
use crate::settings::OnConflict;

/// What became of a candidate pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// The pair's profiles merged (or its records were already in one profile).
    Accepted,
    /// The two records alone break a conflict limit or `one_per_profile`.
    PairConflict,
    /// The merge the pair asked for broke a limit and was refused.
    MergeRefused,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::PairConflict => "pair_conflict",
            Self::MergeRefused => "merge_refused",
        }
    }
}

/// A refused merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// 0-based index of the rule whose stage refused it.
    pub rule: usize,
    pub broken: Vec<Broken>,
    /// One record of each part that holds a value of a broken limit (their final profiles are the candidates
    /// of the conflict records).
    pub holders: Vec<u32>,
    pub conflict_records: u64,
}

/// Counts of one stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct StageMerges {
    pub merges: u64,
    /// Merges whose parts were all single records.
    pub created: u64,
    /// Merges where some part already held several records.
    pub grown: u64,
    pub refused: u64,
    pub conflict_records: u64,
}

/// The profiles as the stages build them: a union-find over records with each profile's members on a ring.
#[derive(Debug, Clone)]
pub(crate) struct Clusters {
    parent: Vec<u32>,
    /// The next member of the same profile (a circular list, so two profiles join in O(1)).
    next: Vec<u32>,
    size: Vec<u32>,
    /// Conflict records: left out of every later stage.
    pub frozen: Vec<bool>,
    /// For each conflict record, the refusal that made it one.
    pub conflict_of: Vec<u32>,
    pub refusals: Vec<Refusal>,
    /// Profiles that will be emitted if no later stage changes them.
    pub profiles: u64,
}

impl Clusters {
    /// Every record that takes part starts as a profile of its own.
    pub(crate) fn new(missing: &[bool]) -> Self {
        let count = missing.len();
        Self {
            parent: (0..index_u32(count)).collect(),
            next: (0..index_u32(count)).collect(),
            size: vec![1; count],
            frozen: vec![false; count],
            conflict_of: vec![NONE; count],
            refusals: Vec::new(),
            profiles: missing.iter().filter(|&&m| !m).count() as u64,
        }
    }

    pub(crate) fn find(&mut self, mut record: u32) -> u32 {
        while self.parent[record as usize] != record {
            let grandparent = self.parent[self.parent[record as usize] as usize];
            self.parent[record as usize] = grandparent;
            record = grandparent;
        }
        record
    }

    /// The root of a record's profile without shortening paths (for read-only callers).
    pub(crate) fn root(&self, mut record: u32) -> u32 {
        while self.parent[record as usize] != record {
            record = self.parent[record as usize];
        }
        record
    }

    fn union(&mut self, a: u32, b: u32) -> u32 {
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
        self.next.swap(a as usize, b as usize);
        big
    }

    /// Appends the members of the profile that `record` belongs to.
    pub(crate) fn members_into(&self, record: u32, out: &mut Vec<u32>) {
        let mut at = record;
        loop {
            out.push(at);
            at = self.next[at as usize];
            if at == record {
                break;
            }
        }
    }

    /// Applies one stage: the accepted (non-conflicting) candidate pairs join profiles, within the limits.
    /// Returns each pair's decision with the refusal it belongs to ([`NONE`] when none).
    pub(crate) fn apply(
        &mut self,
        rule: usize,
        pairs: &[Candidate],
        context: &Context<'_>,
    ) -> (Vec<(Decision, u32)>, StageMerges) {
        let mut decisions = Vec::with_capacity(pairs.len());
        let mut edges: Vec<(u32, u32, usize)> = Vec::new();
        for (index, pair) in pairs.iter().enumerate() {
            if pair.conflict {
                decisions.push((Decision::PairConflict, NONE));
                continue;
            }
            decisions.push((Decision::Accepted, NONE));
            let (a, b) = (self.find(pair.left), self.find(pair.right));
            if a != b {
                edges.push((a, b, index));
            }
        }
        let mut stats = StageMerges::default();
        if edges.is_empty() {
            return (decisions, stats);
        }

        // Connected components over the profiles the edges touch, with a small union-find of their own.
        let mut parts: Vec<u32> = edges.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        parts.sort_unstable();
        parts.dedup();
        let position = |root: u32| parts.binary_search(&root).unwrap_or_default();
        let mut local: Vec<usize> = (0..parts.len()).collect();
        fn local_find(local: &mut [usize], mut at: usize) -> usize {
            while local[at] != at {
                local[at] = local[local[at]];
                at = local[at];
            }
            at
        }
        for &(a, b, _) in &edges {
            let (a, b) = (
                local_find(&mut local, position(a)),
                local_find(&mut local, position(b)),
            );
            if a != b {
                local[a.max(b)] = a.min(b);
            }
        }
        let mut grouped: Vec<(usize, u32)> = (0..parts.len())
            .map(|index| (local_find(&mut local, index), parts[index]))
            .collect();
        crate::sort::sort_unstable(&mut grouped);

        let mut refusal_of_component = vec![NONE; parts.len()];
        let mut members = Vec::new();
        let mut part_members = Vec::new();
        let mut scratch = Vec::new();
        let mut start = 0;
        while start < grouped.len() {
            let component = grouped[start].0;
            let mut end = start + 1;
            while end < grouped.len() && grouped[end].0 == component {
                end += 1;
            }
            let roots: Vec<u32> = grouped[start..end].iter().map(|&(_, root)| root).collect();
            members.clear();
            for &root in &roots {
                self.members_into(root, &mut members);
            }
            let broken =
                context
                    .limits
                    .check(&members, context.records, context.used, true, &mut scratch);
            if broken.is_empty() {
                stats.merges += 1;
                if roots.iter().all(|&root| self.size[root as usize] == 1) {
                    stats.created += 1;
                } else {
                    stats.grown += 1;
                }
                let mut joined = roots[0];
                for &root in &roots[1..] {
                    joined = self.union(joined, root);
                }
                self.profiles -= (roots.len() - 1) as u64;
            } else {
                refusal_of_component[component] =
                    self.refuse(rule, &roots, broken, context, &mut part_members);
                stats.refused += 1;
                stats.conflict_records += self.refusals.last().map_or(0, |r| r.conflict_records);
            }
            start = end;
        }

        for &(a, _, index) in &edges {
            let component = local_find(&mut local, position(a));
            let refusal = refusal_of_component[component];
            if refusal != NONE {
                decisions[index] = (Decision::MergeRefused, refusal);
            }
        }
        (decisions, stats)
    }

    /// Records a refused merge; parts holding no value of any broken value limit become conflict records.
    fn refuse(
        &mut self,
        rule: usize,
        roots: &[u32],
        broken: Vec<Broken>,
        context: &Context<'_>,
        part_members: &mut Vec<u32>,
    ) -> u32 {
        let index = index_u32(self.refusals.len());
        let value_limits: Vec<Broken> = broken
            .iter()
            .copied()
            .filter(|b| b.is_value_limit())
            .collect();
        let mut holders = Vec::new();
        let mut conflict_records = 0;
        if value_limits.is_empty() {
            // Refused only for `max_profile_size`: every part stays as it was.
            holders.extend_from_slice(roots);
        } else {
            for &root in roots {
                part_members.clear();
                self.members_into(root, part_members);
                let holds = value_limits
                    .iter()
                    .any(|&b| limits::holds(b, part_members, context.records, context.used));
                if holds {
                    holders.push(root);
                } else {
                    for &record in part_members.iter() {
                        self.frozen[record as usize] = true;
                        self.conflict_of[record as usize] = index;
                    }
                    conflict_records += part_members.len() as u64;
                    if context.on_conflict == OnConflict::Exclude {
                        self.profiles -= 1;
                    }
                }
            }
        }
        self.refusals.push(Refusal {
            rule,
            broken,
            holders,
            conflict_records,
        });
        index
    }
}

/// What a stage needs to check limits.
pub(crate) struct Context<'a> {
    pub limits: &'a Limits,
    pub records: &'a Records,
    pub used: &'a UsedValues,
    pub on_conflict: OnConflict,
}
