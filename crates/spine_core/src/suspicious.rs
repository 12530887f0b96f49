//! Suspicious profiles (SPEC section 5), ranked, each with reasons a person can read: a size far above the
//! distribution, many distinct names, emails or phones, a bridge pair (an accepted pair whose removal splits
//! the profile into two groups of two or more records), and guardrail refusals nearby.
//!
//! Thresholds (where the SPEC is silent): a profile is large when it holds at least 3 records and at least the
//! mean size plus three standard deviations (over emitted profiles); an identifier of kind `email`, `phone` or
//! `name` is "many" at 3 distinct values or more. Ranking: more kinds of reason first, then more records, then
//! more refusals nearby, then profile ID.

use crate::resolve::{Decision, Resolution};
use crate::settings::IdentifierKind;
use serde::Serialize;

/// What makes a profile suspicious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspicionKind {
    Large,
    ManyValues,
    Bridge,
    RefusalsNearby,
}

/// One reason, with the sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspicion {
    pub kind: SuspicionKind,
    pub text: String,
}

/// A profile worth a look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuspiciousProfile {
    pub profile_id: String,
    pub records: u64,
    pub refusals_nearby: u64,
    pub reasons: Vec<Suspicion>,
}

/// The bridges of an undirected multigraph: indices of the edges whose removal disconnects their endpoints,
/// sorted. Parallel edges are never bridges. Tarjan's low-link algorithm, iterative so deep chains cannot
/// overflow the stack.
pub fn bridges(nodes: usize, edges: &[(u32, u32)]) -> Vec<usize> {
    let mut adjacency: Vec<Vec<(u32, usize)>> = vec![Vec::new(); nodes];
    for (index, &(a, b)) in edges.iter().enumerate() {
        if a == b {
            continue;
        }
        adjacency[a as usize].push((b, index));
        adjacency[b as usize].push((a, index));
    }
    const UNSEEN: usize = usize::MAX;
    let mut order = vec![UNSEEN; nodes];
    let mut low = vec![0usize; nodes];
    let mut found = Vec::new();
    let mut clock = 0;
    // Frames: (node, the edge that reached it, position in its adjacency list).
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    for start in 0..nodes {
        if order[start] != UNSEEN {
            continue;
        }
        order[start] = clock;
        low[start] = clock;
        clock += 1;
        stack.push((start, usize::MAX, 0));
        while let Some(frame) = stack.last_mut() {
            let (node, via, next) = *frame;
            if let Some(&(neighbour, edge)) = adjacency[node].get(next) {
                frame.2 += 1;
                // Skip only the edge we came by, so a parallel edge back to the parent counts as a cycle.
                if edge == via {
                    continue;
                }
                let neighbour = neighbour as usize;
                if order[neighbour] == UNSEEN {
                    order[neighbour] = clock;
                    low[neighbour] = clock;
                    clock += 1;
                    stack.push((neighbour, edge, 0));
                } else {
                    low[node] = low[node].min(order[neighbour]);
                }
            } else {
                stack.pop();
                if let Some(&(parent, _, _)) = stack.last() {
                    low[parent] = low[parent].min(low[node]);
                    if low[node] > order[parent] {
                        found.push(via);
                    }
                }
            }
        }
    }
    crate::sort::sort_unstable(&mut found);
    found
}

impl Resolution {
    /// Profiles worth a look, most suspicious first (see the module's documentation for the thresholds).
    pub fn suspicious_profiles(&self) -> Vec<SuspiciousProfile> {
        let count = self.profiles.len();
        if count == 0 {
            return Vec::new();
        }
        let sizes: Vec<u64> = (0..count)
            .map(|p| self.profiles.members(crate::resolve::index_u32(p)).len() as u64)
            .collect();
        let mean = sizes.iter().sum::<u64>() as f64 / count as f64;
        let variance = sizes
            .iter()
            .map(|&s| (s as f64 - mean) * (s as f64 - mean))
            .sum::<f64>()
            / count as f64;
        // `sqrt` is correctly rounded (IEEE 754), so this is the same on every platform.
        let large_from = (mean + 3.0 * variance.sqrt()).max(3.0);

        // Accepted pairs and refusals, grouped by the profile of their records.
        let mut accepted: Vec<Vec<(u32, u32)>> = vec![Vec::new(); count];
        let mut refused = vec![0u64; count];
        for pair in &self.pairs {
            let (a, b) = (
                self.profiles.of_record[pair.left as usize],
                self.profiles.of_record[pair.right as usize],
            );
            if pair.decision == Decision::Accepted {
                if a != crate::resolve::NONE && a == b {
                    accepted[a as usize].push((pair.left, pair.right));
                }
            } else {
                for profile in [a, b] {
                    if profile != crate::resolve::NONE {
                        refused[profile as usize] += 1;
                    }
                }
                if a == b && a != crate::resolve::NONE {
                    refused[a as usize] -= 1;
                }
            }
        }
        let many_kinds: Vec<usize> = self
            .settings
            .identifiers
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                matches!(
                    i.kind,
                    IdentifierKind::Email | IdentifierKind::Phone | IdentifierKind::Name
                )
            })
            .map(|(index, _)| index)
            .collect();

        let mut found = Vec::new();
        for profile in 0..count {
            let members = self.profiles.members(crate::resolve::index_u32(profile));
            let size = members.len() as u64;
            let mut reasons = Vec::new();
            if size as f64 >= large_from {
                reasons.push(Suspicion {
                    kind: SuspicionKind::Large,
                    text: format!(
                        "{size} records, far above the typical profile (mean {mean:.1}; flagged from {large_from:.1})"
                    ),
                });
            }
            let mut many = Vec::new();
            for &identifier in &many_kinds {
                let mut values: Vec<u32> = members
                    .iter()
                    .flat_map(|&r| self.observed.used.get(r, identifier).iter().copied())
                    .collect();
                values.sort_unstable();
                values.dedup();
                if values.len() >= 3 {
                    many.push(format!(
                        "{} distinct {} values",
                        values.len(),
                        self.settings.identifiers[identifier].name
                    ));
                }
            }
            if !many.is_empty() {
                reasons.push(Suspicion {
                    kind: SuspicionKind::ManyValues,
                    text: many.join(", "),
                });
            }
            if let Some(text) = self.bridge_reason(members, &accepted[profile]) {
                reasons.push(Suspicion {
                    kind: SuspicionKind::Bridge,
                    text,
                });
            }
            if refused[profile] > 0 {
                reasons.push(Suspicion {
                    kind: SuspicionKind::RefusalsNearby,
                    text: if refused[profile] == 1 {
                        "1 candidate pair touching it was refused by a guardrail".to_owned()
                    } else {
                        format!(
                            "{} candidate pairs touching it were refused by a guardrail",
                            refused[profile]
                        )
                    },
                });
            }
            if !reasons.is_empty() {
                found.push(SuspiciousProfile {
                    profile_id: self.profiles.ids[profile].clone(),
                    records: size,
                    refusals_nearby: refused[profile],
                    reasons,
                });
            }
        }
        crate::sort::sort_by(&mut found, |a, b| {
            b.reasons
                .len()
                .cmp(&a.reasons.len())
                .then(b.records.cmp(&a.records))
                .then(b.refusals_nearby.cmp(&a.refusals_nearby))
                .then_with(|| a.profile_id.cmp(&b.profile_id))
        });
        found
    }

    /// The bridge pairs of a profile that split it into two groups of two or more records, as a sentence.
    fn bridge_reason(&self, members: &[u32], pairs: &[(u32, u32)]) -> Option<String> {
        if members.len() < 4 {
            return None;
        }
        let local = |record: u32| {
            crate::resolve::index_u32(members.binary_search(&record).unwrap_or_default())
        };
        let edges: Vec<(u32, u32)> = pairs.iter().map(|&(a, b)| (local(a), local(b))).collect();
        let mut texts = Vec::new();
        for bridge in bridges(members.len(), &edges) {
            let side = component_size(members.len(), &edges, bridge, edges[bridge].0);
            let other = members.len() - side;
            if side >= 2 && other >= 2 {
                let (a, b) = pairs[bridge];
                texts.push(format!(
                    "the pair {} {} - {} {} alone joins a group of {side} records to a group of {other}",
                    self.model_name(a),
                    self.records.key(a),
                    self.model_name(b),
                    self.records.key(b)
                ));
            }
        }
        (!texts.is_empty()).then(|| texts.join("; "))
    }
}

/// The number of nodes reachable from `start` without crossing edge `skip`.
pub(crate) fn component_size(nodes: usize, edges: &[(u32, u32)], skip: usize, start: u32) -> usize {
    let mut adjacency: Vec<Vec<u32>> = vec![Vec::new(); nodes];
    for (index, &(a, b)) in edges.iter().enumerate() {
        if index != skip {
            adjacency[a as usize].push(b);
            adjacency[b as usize].push(a);
        }
    }
    let mut seen = vec![false; nodes];
    let mut stack = vec![start];
    seen[start as usize] = true;
    let mut size = 0;
    while let Some(node) = stack.pop() {
        size += 1;
        for &next in &adjacency[node as usize] {
            if !seen[next as usize] {
                seen[next as usize] = true;
                stack.push(next);
            }
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn connected_pairs(nodes: usize, edges: &[(u32, u32)], skip: Option<usize>) -> usize {
        // Components count by union-find, ignoring the skipped edge.
        let mut parent: Vec<usize> = (0..nodes).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (index, &(a, b)) in edges.iter().enumerate() {
            if Some(index) == skip {
                continue;
            }
            let (a, b) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
            parent[a.max(b)] = a.min(b);
        }
        (0..nodes).filter(|&x| find(&mut parent, x) == x).count()
    }

    #[test]
    fn every_edge_of_a_chain_is_a_bridge() {
        let edges: Vec<(u32, u32)> = (0..5).map(|i| (i, i + 1)).collect();
        assert_eq!(bridges(6, &edges), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn every_edge_of_a_star_is_a_bridge() {
        let edges: Vec<(u32, u32)> = (1..6).map(|i| (0, i)).collect();
        assert_eq!(bridges(6, &edges), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_cycle_has_no_bridge_and_a_tail_on_it_is_one() {
        let mut edges = vec![(0, 1), (1, 2), (2, 3), (3, 0)];
        assert!(bridges(4, &edges).is_empty());
        edges.push((3, 4));
        assert_eq!(bridges(5, &edges), vec![4]);
    }

    #[test]
    fn parallel_edges_are_not_bridges() {
        assert_eq!(bridges(3, &[(0, 1), (1, 0), (1, 2)]), vec![2]);
    }

    #[test]
    fn two_triangles_joined_by_one_edge_have_one_bridge() {
        let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)];
        assert_eq!(bridges(6, &edges), vec![6]);
        assert_eq!(component_size(6, &edges, 6, 0), 3);
    }

    proptest! {
        #[test]
        fn a_bridge_splits_and_any_other_edge_does_not(
            nodes in 2usize..12,
            raw in proptest::collection::vec((0u32..12, 0u32..12), 1..24),
        ) {
            let edges: Vec<(u32, u32)> =
                raw.into_iter().map(|(a, b)| (a % nodes as u32, b % nodes as u32)).collect();
            let found = bridges(nodes, &edges);
            let base = connected_pairs(nodes, &edges, None);
            for index in 0..edges.len() {
                let split = connected_pairs(nodes, &edges, Some(index)) > base;
                prop_assert_eq!(split, found.contains(&index), "edge {} of {:?}", index, edges);
            }
        }
    }
}
