//! The what-if comparison as the studio shows it: the engine's [`spine_core::diff`] of two runs on the same
//! data (profiles merged, split and unchanged, records moved, records whose status changed) turned into the
//! counts and pageable lists of the What-if screen, in the engine's order.

use crate::protocol::{ChangeItem, ChangeList, WhatIfSummary};
use spine_core::diff::Diff;

/// The comparison of the last run with the run before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub summary: WhatIfSummary,
    /// Profiles of the last run made of records from two or more earlier profiles, by ID.
    pub merged: Vec<ChangeItem>,
    /// Earlier profiles whose records now sit in two or more profiles, by earlier ID.
    pub split: Vec<ChangeItem>,
    /// Records that left their earlier profile's successor, by model then key.
    pub moved: Vec<ChangeItem>,
    /// Records whose status changed, by model then key.
    pub status: Vec<ChangeItem>,
}

impl Comparison {
    /// One of the lists.
    pub fn list(&self, list: ChangeList) -> &[ChangeItem] {
        match list {
            ChangeList::Merged => &self.merged,
            ChangeList::Split => &self.split,
            ChangeList::Moved => &self.moved,
            ChangeList::Status => &self.status,
        }
    }
}

/// The studio's view of the engine's diff; `before_revision` is the graph edit of the earlier run.
pub fn comparison(before_revision: u64, diff: Diff) -> Comparison {
    let counts = &diff.counts;
    let summary = WhatIfSummary {
        before_revision,
        profiles_before: counts.profiles_before,
        profiles_after: counts.profiles_after,
        merged: counts.merged,
        split: counts.split,
        unchanged: counts.unchanged,
        moved: counts.moved_records,
        status_changed: counts.status_changes,
    };
    Comparison {
        summary,
        merged: diff
            .merged
            .into_iter()
            .map(|m| ChangeItem::Merged {
                id: m.after,
                records: m.records as usize,
                from: m.before,
            })
            .collect(),
        split: diff
            .split
            .into_iter()
            .map(|s| ChangeItem::Split {
                id: s.before,
                records: s.records as usize,
                into: s.after,
            })
            .collect(),
        moved: diff
            .moved
            .into_iter()
            .map(|m| ChangeItem::Moved {
                model: m.model,
                key: m.key,
                before: m.before,
                after: m.after,
            })
            .collect(),
        status: diff
            .status_changes
            .into_iter()
            .map(|s| ChangeItem::Status {
                model: s.model,
                key: s.key,
                before: s.before,
                after: s.after,
            })
            .collect(),
    }
}
