//! What-if (SPEC section 5): two runs on the same data (before and after a configuration edit) compared by
//! record membership: profiles merged, split, unchanged, records moved, records whose status changed.
//!
//! Definitions (where the SPEC is silent): records are matched by model and key. An after-profile is *merged*
//! when its records come from two or more before-profiles; a before-profile is *split* when its records go to
//! two or more after-profiles; a pair of profiles with exactly the same records is *unchanged*. The
//! *successor* of a before-profile is the after-profile holding most of its records (ties: the one that kept
//! its ID, then the smaller ID); a
//! record that stays in a profile but not in its before-profile's successor has *moved*. Records entering or
//! leaving profiles show up as status changes (`conflict`, `missing`, `missing_key`, `absent` for a model the
//! other graph does not have).

use crate::resolve::{NONE, Resolution};
use serde::Serialize;
use std::collections::BTreeMap;

/// The counts of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffCounts {
    pub profiles_before: u64,
    pub profiles_after: u64,
    pub unchanged: u64,
    pub merged: u64,
    pub split: u64,
    pub moved_records: u64,
    pub status_changes: u64,
}

/// An after-profile made of records of several before-profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergedProfile {
    pub after: String,
    /// The before-profiles its records came from, sorted.
    pub before: Vec<String>,
    pub records: u64,
}

/// A before-profile whose records went to several after-profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitProfile {
    pub before: String,
    /// The after-profiles its records went to, sorted.
    pub after: Vec<String>,
    pub records: u64,
}

/// A profile with exactly the same records in both runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnchangedProfile {
    pub before: String,
    pub after: String,
    pub records: u64,
}

/// A record that left its before-profile's successor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedRecord {
    pub model: String,
    pub key: String,
    pub before: String,
    pub after: String,
}

/// A record whose status differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub model: String,
    pub key: String,
    pub before: String,
    pub after: String,
}

/// The comparison of two runs; every list is sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub counts: DiffCounts,
    pub merged: Vec<MergedProfile>,
    pub split: Vec<SplitProfile>,
    pub unchanged: Vec<UnchangedProfile>,
    pub moved: Vec<MovedRecord>,
    pub status_changes: Vec<StatusChange>,
}

/// One record's place in one run: profile index (or `NONE`) and status text.
#[derive(Debug, Clone, Copy)]
struct Place<'a> {
    profile: u32,
    status: &'a str,
}

/// Every record of a run by (model, key), with the rows set aside at load.
fn places(run: &Resolution) -> BTreeMap<(&str, &str), Place<'_>> {
    let mut out = BTreeMap::new();
    for record in run.records_by_name() {
        out.insert(
            (run.model_name(record), run.records.key(record)),
            Place {
                profile: run.profiles.of_record[record as usize],
                status: run.status[record as usize].as_str(),
            },
        );
    }
    for bad in &run.bad {
        out.entry((
            run.settings.models[bad.model].name.as_str(),
            bad.key.as_str(),
        ))
        .or_insert(Place {
            profile: NONE,
            status: bad.reason.as_str(),
        });
    }
    out
}

/// Compares two runs on the same data by record membership.
pub fn diff(before: &Resolution, after: &Resolution) -> Diff {
    let a = places(before);
    let b = places(after);
    let absent = Place {
        profile: NONE,
        status: "absent",
    };
    let mut keys: Vec<(&str, &str)> = a.keys().chain(b.keys()).copied().collect();
    crate::sort::sort_unstable(&mut keys);
    keys.dedup();

    // (before profile, after profile) -> records, for records in a profile in both runs.
    let mut links: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    let mut diff = Diff::default();
    let rows: Vec<((&str, &str), Place<'_>, Place<'_>)> = keys
        .iter()
        .map(|key| {
            (
                *key,
                a.get(key).copied().unwrap_or(absent),
                b.get(key).copied().unwrap_or(absent),
            )
        })
        .collect();
    for (key, x, y) in &rows {
        if x.status != y.status {
            diff.status_changes.push(StatusChange {
                model: key.0.to_owned(),
                key: key.1.to_owned(),
                before: x.status.to_owned(),
                after: y.status.to_owned(),
            });
        }
        if x.profile != NONE && y.profile != NONE {
            *links.entry((x.profile, y.profile)).or_default() += 1;
        }
    }
    let before_id = |p: u32| before.profiles.ids[p as usize].clone();
    let after_id = |p: u32| after.profiles.ids[p as usize].clone();

    let mut targets: BTreeMap<u32, Vec<(u32, u64)>> = BTreeMap::new();
    let mut sources: BTreeMap<u32, Vec<(u32, u64)>> = BTreeMap::new();
    for (&(p, q), &n) in &links {
        targets.entry(p).or_default().push((q, n));
        sources.entry(q).or_default().push((p, n));
    }
    // The successor: most records; ties go to the profile that kept the ID, then to the smaller ID (profiles
    // are numbered in ID order).
    // Extended rather than collected: collecting into a map sorts first, another copy of the sort code, for
    // keys that already come in order.
    let mut successor: BTreeMap<u32, u32> = BTreeMap::new();
    successor.extend(targets.iter().map(|(&p, list)| {
        let rank = |&(q, n): &(u32, u64)| {
            (
                n,
                before.profiles.ids[p as usize] == after.profiles.ids[q as usize],
                std::cmp::Reverse(q),
            )
        };
        let best = list
            .iter()
            .max_by_key(|entry| rank(entry))
            .map_or(NONE, |&(q, _)| q);
        (p, best)
    }));
    for (key, x, y) in &rows {
        if x.profile != NONE && y.profile != NONE && successor.get(&x.profile) != Some(&y.profile) {
            diff.moved.push(MovedRecord {
                model: key.0.to_owned(),
                key: key.1.to_owned(),
                before: before_id(x.profile),
                after: after_id(y.profile),
            });
        }
    }
    for (&p, list) in &targets {
        let size = before.profiles.members(p).len() as u64;
        if list.len() > 1 {
            diff.split.push(SplitProfile {
                before: before_id(p),
                after: list.iter().map(|&(q, _)| after_id(q)).collect(),
                records: size,
            });
        } else if let [(q, n)] = list.as_slice()
            && *n == size
            && after.profiles.members(*q).len() as u64 == size
        {
            diff.unchanged.push(UnchangedProfile {
                before: before_id(p),
                after: after_id(*q),
                records: size,
            });
        }
    }
    for (&q, list) in &sources {
        if list.len() > 1 {
            diff.merged.push(MergedProfile {
                after: after_id(q),
                before: list.iter().map(|&(p, _)| before_id(p)).collect(),
                records: after.profiles.members(q).len() as u64,
            });
        }
    }
    diff.counts = DiffCounts {
        profiles_before: before.profiles.len() as u64,
        profiles_after: after.profiles.len() as u64,
        unchanged: diff.unchanged.len() as u64,
        merged: diff.merged.len() as u64,
        split: diff.split.len() as u64,
        moved_records: diff.moved.len() as u64,
        status_changes: diff.status_changes.len() as u64,
    };
    diff
}
