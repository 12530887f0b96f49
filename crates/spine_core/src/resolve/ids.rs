//! Step 8 (stable `dinmo_id`): the emitted profiles in anchor order, their IDs minted from the anchor record
//! or carried over from a previous run, and the `merge`, `split` and `retired` redirects (SPEC section 10).

use super::ResolveError;
use super::observe::NONE;
use super::records::Records;
use super::text::{index_u32, md5_hex};
use crate::settings::Settings;
use crate::table::Table;
use rustc_hash::FxHashMap;

/// The emitted profiles: each a set of records, numbered in anchor order (by their first record).
#[derive(Debug, Clone, Default)]
pub(crate) struct Profiles {
    /// The profile of each record, or [`NONE`] when the record is not emitted.
    pub of_record: Vec<u32>,
    /// Start of each profile's members in `members` (one more entry than profiles).
    pub start: Vec<u32>,
    /// Members of every profile, each profile's sorted (so its anchor comes first).
    pub members: Vec<u32>,
    /// Profiles of conflict records kept with `on_conflict: keep`.
    pub conflict: Vec<bool>,
    pub ids: Vec<String>,
}

impl Profiles {
    pub(crate) fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    pub(crate) fn members(&self, profile: u32) -> &[u32] {
        &self.members
            [self.start[profile as usize] as usize..self.start[profile as usize + 1] as usize]
    }

    pub(crate) fn anchor(&self, profile: u32) -> u32 {
        self.members[self.start[profile as usize] as usize]
    }

    /// Renumbers the profiles in ID order, so that tables sorted by ID read profiles and golden values in
    /// memory order (at a million profiles, random access costs more than the writing).
    pub(crate) fn into_id_order(mut self) -> Self {
        let count = self.len();
        let mut order: Vec<u32> = (0..index_u32(count)).collect();
        // IDs are distinct (the profile number would only break a tie of two minted IDs' 64 bits), so no two
        // profiles tie and any sort gives this one order.
        crate::sort::sort_by(&mut order, |&a, &b| {
            self.ids[a as usize]
                .cmp(&self.ids[b as usize])
                .then(a.cmp(&b))
        });
        let mut renumbered = vec![0u32; count];
        let mut start = Vec::with_capacity(count + 1);
        let mut members = Vec::with_capacity(self.members.len());
        let mut conflict = Vec::with_capacity(count);
        let mut ids = Vec::with_capacity(count);
        for (position, &old) in order.iter().enumerate() {
            renumbered[old as usize] = index_u32(position);
            start.push(index_u32(members.len()));
            members.extend_from_slice(self.members(old));
            conflict.push(self.conflict[old as usize]);
            ids.push(std::mem::take(&mut self.ids[old as usize]));
        }
        start.push(index_u32(members.len()));
        let of_record = self
            .of_record
            .iter()
            .map(|&p| {
                if p == NONE {
                    NONE
                } else {
                    renumbered[p as usize]
                }
            })
            .collect();
        Self {
            of_record,
            start,
            members,
            conflict,
            ids,
        }
    }

    /// Builds the profiles from each emitted record's cluster root (`NONE` for records not emitted).
    pub(crate) fn from_roots(roots: &[u32], conflict_record: &[bool]) -> Self {
        let mut profile_of_root = vec![NONE; roots.len()];
        let mut of_record = vec![NONE; roots.len()];
        let mut sizes: Vec<u32> = Vec::new();
        let mut conflict = Vec::new();
        for (record, &root) in roots.iter().enumerate() {
            if root == NONE {
                continue;
            }
            let slot = &mut profile_of_root[root as usize];
            if *slot == NONE {
                *slot = index_u32(sizes.len());
                sizes.push(0);
                conflict.push(conflict_record[record]);
            }
            of_record[record] = *slot;
            sizes[*slot as usize] += 1;
        }
        let mut start = Vec::with_capacity(sizes.len() + 1);
        let mut total = 0u32;
        for size in &sizes {
            start.push(total);
            total += size;
        }
        start.push(total);
        let mut fill: Vec<u32> = start[..sizes.len()].to_vec();
        let mut members = vec![0; total as usize];
        for (record, &profile) in of_record.iter().enumerate() {
            if profile != NONE {
                members[fill[profile as usize] as usize] = index_u32(record);
                fill[profile as usize] += 1;
            }
        }
        Self {
            of_record,
            start,
            members,
            conflict,
            ids: Vec::new(),
        }
    }
}

/// The previous run's IDs (its `identity_match` table and, optionally, its `identity_redirects`).
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// (model, key, index into `ids`) of every record the previous run emitted.
    rows: Vec<(String, String, u32)>,
    /// Distinct previous IDs, sorted by code points.
    ids: Vec<String>,
    /// Every ID the previous run knew (its profiles' and its redirects'), sorted.
    known: Vec<String>,
}

impl Previous {
    /// Reads a previous `identity_match` table (columns `model`, `key`, the ID column and `status`; the ID
    /// column is `dinmo_id` or whichever `id_column` named it) and optionally its `identity_redirects`.
    pub fn from_tables(
        identity_match: &Table,
        redirects: Option<&Table>,
    ) -> Result<Self, ResolveError> {
        let column = |table: &Table, name: &str| {
            table.column_index(name).ok_or_else(|| ResolveError::Input {
                file: table.name.clone(),
                line: 1,
                column: name.to_owned(),
                message: "a previous run's table needs this column".to_owned(),
            })
        };
        let model = column(identity_match, "model")?;
        let key = column(identity_match, "key")?;
        let others: Vec<usize> = (0..identity_match.columns.len())
            .filter(|&c| {
                !matches!(
                    identity_match.columns[c].as_str(),
                    "model" | "key" | "status"
                )
            })
            .collect();
        let id = match (identity_match.column_index("dinmo_id"), others.as_slice()) {
            (Some(id), _) | (None, &[id]) => id,
            _ => {
                return Err(ResolveError::Input {
                    file: identity_match.name.clone(),
                    line: 1,
                    column: String::new(),
                    message: "cannot tell which column holds the profile ID; expected model, key, the ID column and status"
                        .to_owned(),
                });
            }
        };
        let mut interned: FxHashMap<&str, u32> = FxHashMap::default();
        let mut rows = Vec::with_capacity(identity_match.len());
        let mut seen: FxHashMap<(&str, &str), u64> = FxHashMap::default();
        for row in 0..identity_match.len() {
            let (m, k, i) = (
                identity_match.cell(row, model),
                identity_match.cell(row, key),
                identity_match.cell(row, id),
            );
            if i.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert((m, k), identity_match.line(row)) {
                return Err(ResolveError::Input {
                    file: identity_match.name.clone(),
                    line: identity_match.line(row),
                    column: "key".to_owned(),
                    message: format!(
                        "model '{m}' key '{k}' already appears on line {first}; each record has one ID"
                    ),
                });
            }
            let next = index_u32(interned.len());
            let index = *interned.entry(i).or_insert(next);
            rows.push((m.to_owned(), k.to_owned(), index));
        }
        let mut ids: Vec<(&str, u32)> = interned.into_iter().collect();
        crate::sort::sort_unstable(&mut ids);
        let mut rank = vec![0; ids.len()];
        for (position, &(_, provisional)) in ids.iter().enumerate() {
            rank[provisional as usize] = index_u32(position);
        }
        for row in &mut rows {
            row.2 = rank[row.2 as usize];
        }
        let ids: Vec<String> = ids.into_iter().map(|(text, _)| text.to_owned()).collect();
        let mut known = ids.clone();
        if let Some(redirects) = redirects {
            for name in ["old_dinmo_id", "new_dinmo_id"] {
                let at = column(redirects, name)?;
                known.extend(
                    (0..redirects.len())
                        .map(|row| redirects.cell(row, at))
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned),
                );
            }
        }
        crate::sort::sort_unstable(&mut known);
        known.dedup();
        Ok(Self { rows, ids, known })
    }

    fn existed(&self, id: &str) -> bool {
        self.known
            .binary_search_by(|known| known.as_str().cmp(id))
            .is_ok()
    }
}

/// How a previous ID was redirected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RedirectKind {
    Merge,
    Split,
    Retired,
}

impl RedirectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Merge => "merge",
            Self::Split => "split",
            Self::Retired => "retired",
        }
    }
}

/// One row of `identity_redirects`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Redirect {
    pub old_id: String,
    pub new_id: String,
    pub kind: RedirectKind,
}

/// `dm_` and the first 16 hex digits of MD5 of the parts joined by U+001F.
fn minted(parts: &[&str]) -> String {
    let mut id = md5_hex(parts);
    id.truncate(16);
    format!("dm_{id}")
}

/// Gives every profile its ID and lists the redirects from the previous run.
pub(crate) fn assign(
    settings: &Settings,
    records: &Records,
    profiles: &Profiles,
    previous: Option<&Previous>,
) -> (Vec<String>, Vec<Redirect>) {
    let anchor_parts = |profile: u32| {
        let anchor = profiles.anchor(profile);
        (
            settings.models[records.model_of(anchor)].name.as_str(),
            records.key(anchor),
        )
    };
    let count = index_u32(profiles.len());
    let Some(previous) = previous else {
        let ids = (0..count)
            .map(|p| {
                let (model, key) = anchor_parts(p);
                minted(&[model, key])
            })
            .collect();
        return (ids, Vec::new());
    };

    // The previous ID of every current record, and the current profile of every previous record.
    let model_index: FxHashMap<&str, usize> = settings
        .models
        .iter()
        .enumerate()
        .map(|(index, m)| (m.name.as_str(), index))
        .collect();
    let mut previous_of = vec![NONE; records.len()];
    let mut holders: Vec<(u32, u32)> = Vec::with_capacity(previous.rows.len());
    for (model, key, id) in &previous.rows {
        let record = model_index
            .get(model.as_str())
            .and_then(|&m| records.find(m, key));
        let profile = record.map_or(NONE, |r| profiles.of_record[r as usize]);
        if let Some(record) = record {
            previous_of[record as usize] = *id;
        }
        holders.push((*id, profile));
    }

    // Each profile claims the previous ID most of its records held (ties: the smaller ID).
    let mut claims: Vec<Option<(u32, u32)>> = Vec::with_capacity(profiles.len());
    let mut scratch = Vec::new();
    for profile in 0..count {
        scratch.clear();
        scratch.extend(
            profiles
                .members(profile)
                .iter()
                .map(|&r| previous_of[r as usize])
                .filter(|&id| id != NONE),
        );
        scratch.sort_unstable();
        claims.push(most_common(&scratch));
    }
    // Several claims on one ID: the profile holding more of its records keeps it (ties: anchor first).
    let mut owner: Vec<Option<(u32, u32)>> = vec![None; previous.ids.len()];
    for (profile, claim) in claims.iter().enumerate() {
        if let Some((id, held)) = *claim {
            let slot = &mut owner[id as usize];
            if slot.is_none_or(|(_, best)| held > best) {
                *slot = Some((index_u32(profile), held));
            }
        }
    }
    let ids: Vec<String> = (0..count)
        .map(|profile| match claims[profile as usize] {
            Some((id, _)) if owner[id as usize].is_some_and(|(p, _)| p == profile) => {
                previous.ids[id as usize].clone()
            }
            _ => {
                let (model, key) = anchor_parts(profile);
                let mut fresh = minted(&[model, key]);
                let mut counter = 0u64;
                while previous.existed(&fresh) {
                    counter += 1;
                    fresh = minted(&[model, key, &counter.to_string()]);
                }
                fresh
            }
        })
        .collect();

    let mut redirects = Vec::new();
    crate::sort::sort_unstable(&mut holders);
    let mut start = 0;
    while start < holders.len() {
        let id = holders[start].0;
        let mut end = start + 1;
        while end < holders.len() && holders[end].0 == id {
            end += 1;
        }
        // (profile, records held) for every current profile holding some of the ID's records.
        let mut held: Vec<(u32, u32)> = Vec::new();
        for &(_, profile) in &holders[start..end] {
            if profile == NONE {
                continue;
            }
            match held.last_mut() {
                Some((last, n)) if *last == profile => *n += 1,
                _ => held.push((profile, 1)),
            }
        }
        let old_id = previous.ids[id as usize].clone();
        match owner[id as usize] {
            Some((kept_by, _)) => {
                for &(profile, _) in held.iter().filter(|&&(p, _)| p != kept_by) {
                    redirects.push(Redirect {
                        old_id: old_id.clone(),
                        new_id: ids[profile as usize].clone(),
                        kind: RedirectKind::Split,
                    });
                }
            }
            None => {
                let best = held.iter().max_by(|a, b| {
                    a.1.cmp(&b.1)
                        .then_with(|| ids[b.0 as usize].cmp(&ids[a.0 as usize]))
                });
                redirects.push(match best {
                    Some(&(profile, _)) => Redirect {
                        old_id,
                        new_id: ids[profile as usize].clone(),
                        kind: RedirectKind::Merge,
                    },
                    None => Redirect {
                        old_id,
                        new_id: String::new(),
                        kind: RedirectKind::Retired,
                    },
                });
            }
        }
        start = end;
    }
    crate::sort::sort_unstable(&mut redirects);
    (ids, redirects)
}

/// The most frequent value of a sorted slice with its count (ties: the smaller value).
fn most_common(sorted: &[u32]) -> Option<(u32, u32)> {
    let mut best: Option<(u32, u32)> = None;
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start + 1;
        while end < sorted.len() && sorted[end] == sorted[start] {
            end += 1;
        }
        let count = index_u32(end - start);
        if best.is_none_or(|(_, n)| count > n) {
            best = Some((sorted[start], count));
        }
        start = end;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_common_prefers_the_smaller_value_on_ties() {
        assert_eq!(most_common(&[]), None);
        assert_eq!(most_common(&[3, 3, 5, 5]), Some((3, 2)));
        assert_eq!(most_common(&[1, 4, 4]), Some((4, 2)));
    }

    #[test]
    fn minted_ids_hash_model_and_key() {
        let id = minted(&["crm", "1"]);
        assert_eq!(id, format!("dm_{}", &md5_hex(&["crm\u{1F}1"])[..16]));
        assert_eq!(id.len(), 19);
    }
}
