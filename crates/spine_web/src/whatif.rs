//! The what-if comparison: two runs on the same data compared by record membership (SPEC section 5), so a
//! person sees what an edit of the identity graph did: profiles merged, profiles split, profiles unchanged,
//! records whose status changed. Every list comes out in a fixed order.

use crate::protocol::{ChangeItem, WhatIfSummary};
use std::collections::{BTreeMap, BTreeSet};

/// Where one record ended in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub model: String,
    pub key: String,
    /// The profile holding the record, when it was emitted.
    pub profile: Option<String>,
    /// `matched`, `unique`, `conflict` or `missing`.
    pub status: String,
}

/// Every record of a run, with the revision of the graph that produced it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership {
    pub revision: u64,
    pub members: Vec<Member>,
}

/// The status written for a record that one of the two runs did not have (its file was added or removed).
pub const ABSENT: &str = "absent";

/// The comparison of two runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub summary: WhatIfSummary,
    /// New profiles made of records from two or more earlier profiles, by ID.
    pub merged: Vec<ChangeItem>,
    /// Earlier profiles whose records now sit in two or more profiles, by earlier ID.
    pub split: Vec<ChangeItem>,
    /// Records whose status changed, by model then key.
    pub status: Vec<ChangeItem>,
}

type Record<'a> = (&'a str, &'a str);

/// Profile ID -> its records, and record -> (profile, status).
struct Run<'a> {
    profiles: BTreeMap<&'a str, BTreeSet<Record<'a>>>,
    records: BTreeMap<Record<'a>, (Option<&'a str>, &'a str)>,
}

fn index(membership: &Membership) -> Run<'_> {
    let mut run = Run {
        profiles: BTreeMap::new(),
        records: BTreeMap::new(),
    };
    for member in &membership.members {
        let record = (member.model.as_str(), member.key.as_str());
        let profile = member.profile.as_deref();
        run.records
            .insert(record, (profile, member.status.as_str()));
        if let Some(profile) = profile {
            run.profiles.entry(profile).or_default().insert(record);
        }
    }
    run
}

/// A record's status in a run, or [`ABSENT`].
fn status_in<'a>(run: &Run<'a>, record: Record<'_>) -> &'a str {
    run.records
        .get(&record)
        .map_or(ABSENT, |(_, status)| *status)
}

/// Compares the run `before` with the run `after`.
pub fn compare(before: &Membership, after: &Membership) -> Comparison {
    let old = index(before);
    let new = index(after);
    let mut comparison = Comparison {
        summary: WhatIfSummary {
            before_revision: before.revision,
            profiles_before: old.profiles.len() as u64,
            profiles_after: new.profiles.len() as u64,
            ..WhatIfSummary::default()
        },
        ..Comparison::default()
    };
    for (id, records) in &new.profiles {
        let from: BTreeSet<&str> = records
            .iter()
            .filter_map(|record| old.records.get(record).and_then(|(profile, _)| *profile))
            .collect();
        if from.len() > 1 {
            comparison.merged.push(ChangeItem::Merged {
                id: (*id).to_owned(),
                records: records.len(),
                from: from.into_iter().map(str::to_owned).collect(),
            });
        }
        let first = records.iter().next();
        let same = first
            .and_then(|record| old.records.get(record))
            .and_then(|(profile, _)| *profile)
            .and_then(|profile| old.profiles.get(profile))
            .is_some_and(|old_records| old_records == records);
        if same {
            comparison.summary.unchanged += 1;
        }
    }
    for (id, records) in &old.profiles {
        let into: BTreeSet<&str> = records
            .iter()
            .filter_map(|record| new.records.get(record).and_then(|(profile, _)| *profile))
            .collect();
        if into.len() > 1 {
            comparison.split.push(ChangeItem::Split {
                id: (*id).to_owned(),
                records: records.len(),
                into: into.into_iter().map(str::to_owned).collect(),
            });
        }
    }
    let all: BTreeSet<Record<'_>> = old
        .records
        .keys()
        .chain(new.records.keys())
        .copied()
        .collect();
    for record in all {
        let (was, is) = (status_in(&old, record), status_in(&new, record));
        if was != is {
            comparison.status.push(ChangeItem::Status {
                model: record.0.to_owned(),
                key: record.1.to_owned(),
                before: was.to_owned(),
                after: is.to_owned(),
            });
        }
    }
    comparison.summary.merged = comparison.merged.len() as u64;
    comparison.summary.split = comparison.split.len() as u64;
    comparison.summary.status_changed = comparison.status.len() as u64;
    comparison
}
