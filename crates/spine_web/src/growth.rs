//! How a profile grew, stage by stage: its records, the pairs between them, which records were joined after
//! each stage, and where to draw them so that joined records sit together.

use crate::protocol::ProfileDetail;

/// Records drawn at most; larger profiles show their first records in anchor order.
pub const MAX_NODES: usize = 80;

/// One pair drawn between two records of the profile.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthEdge {
    pub a: usize,
    pub b: usize,
    pub stage: usize,
    pub accepted: bool,
    pub rule: String,
    pub scores: String,
}

/// A profile's records and the pairs among them.
#[derive(Debug, Clone, PartialEq)]
pub struct Growth {
    /// (model, key) of each record drawn, in anchor order.
    pub nodes: Vec<(String, String)>,
    pub edges: Vec<GrowthEdge>,
    /// Records of the profile not drawn.
    pub hidden: usize,
    /// Refused pairs between the profile and records outside it, per stage (1-based index).
    pub refused_outside: Vec<usize>,
}

/// The records and pairs of a profile, from its detail.
pub fn growth(detail: &ProfileDetail) -> Growth {
    let nodes: Vec<(String, String)> = detail
        .records
        .iter()
        .take(MAX_NODES)
        .map(|r| (r.model.clone(), r.key.clone()))
        .collect();
    let find = |model: &str, key: &str| nodes.iter().position(|(m, k)| m == model && k == key);
    let mut edges = Vec::new();
    let mut refused_outside = vec![0; detail.rules.len() + 1];
    for pair in &detail.pairs {
        let accepted = pair.decision == "accepted";
        match (
            find(&pair.left_model, &pair.left_key),
            find(&pair.right_model, &pair.right_key),
        ) {
            (Some(a), Some(b)) => edges.push(GrowthEdge {
                a,
                b,
                stage: pair.stage,
                accepted,
                rule: pair.rule.clone(),
                scores: pair.scores.clone(),
            }),
            _ if !accepted => {
                if let Some(count) = refused_outside.get_mut(pair.stage) {
                    *count += 1;
                }
            }
            _ => {}
        }
    }
    Growth {
        hidden: detail.records.len().saturating_sub(nodes.len()),
        nodes,
        edges,
        refused_outside,
    }
}

/// The component of each node once the accepted pairs of stages `1..=stage` are applied: each node is
/// labelled with the smallest node index of its component.
pub fn components(nodes: usize, edges: &[GrowthEdge], stage: usize) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..nodes).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for edge in edges.iter().filter(|e| e.accepted && e.stage <= stage) {
        let (a, b) = (root(&mut parent, edge.a), root(&mut parent, edge.b));
        if a != b {
            // The smaller index becomes the root so labels are the smallest member.
            let (low, high) = if a < b { (a, b) } else { (b, a) };
            parent[high] = low;
        }
    }
    (0..nodes).map(|x| root(&mut parent, x)).collect()
}

/// Where each node goes: every component is a small ring, rings laid out in a grid, largest first, so records
/// that have been joined sit together and the last stage shows one ring.
pub fn positions(labels: &[usize], width: f64, height: f64) -> Vec<(f64, f64)> {
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (node, &label) in labels.iter().enumerate() {
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, members)) => members.push(node),
            None => groups.push((label, vec![node])),
        }
    }
    spine_core::sort::sort_by(&mut groups, |a, b| {
        b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0))
    });
    let count = groups.len().max(1);
    // A grid with roughly the drawing's aspect ratio.
    let columns = ((count as f64 * width / height).sqrt().ceil() as usize).clamp(1, count);
    let rows = count.div_ceil(columns);
    let (cell_w, cell_h) = (width / columns as f64, height / rows as f64);
    let mut out = vec![(0.0, 0.0); labels.len()];
    for (g, (_, members)) in groups.iter().enumerate() {
        let (cx, cy) = (
            cell_w * ((g % columns) as f64 + 0.5),
            cell_h * ((g / columns) as f64 + 0.5),
        );
        // About 60 pixels of ring per record, so keys written under neighbours do not overlap, within the cell.
        let radius = if members.len() == 1 {
            0.0
        } else {
            (9.5 * members.len() as f64)
                .max(24.0)
                .min(cell_w.min(cell_h) * 0.42)
        };
        for (i, &node) in members.iter().enumerate() {
            let angle = std::f64::consts::TAU * i as f64 / members.len() as f64
                - std::f64::consts::FRAC_PI_2;
            out[node] = (cx + radius * angle.cos(), cy + radius * angle.sin());
        }
    }
    out
}
