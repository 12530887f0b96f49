//! Spine's identity-resolution engine: CSV tables and an identity graph in, profiles and audit tables out.
//!
//! Pure Rust with no file, clock, thread or randomness, so it gives byte-identical results natively and in
//! WebAssembly. A host with threads may lend them through [`Workers`]; the results do not depend on it.
#![warn(clippy::disallowed_methods)]

pub mod demo;
pub mod diff;
pub mod events;
pub mod explain;
pub mod options;
pub mod progress;
pub mod resolve;
pub mod settings;
pub mod sort;
pub mod standardize;
pub mod suspicious;
pub mod table;
pub mod validate;
pub mod workers;

pub use progress::{Control, NoProgress, Progress, ProgressSink};
pub use settings::Settings;
pub use table::{CsvError, Table, parse_csv, write_csv};
pub use workers::{OneAfterAnother, Workers};

use petgraph::unionfind::UnionFind;
use std::collections::BTreeMap;

/// Groups the records of several tables that share an exactly standardized (trimmed, lower-cased) email into
/// profiles, and returns the number of profiles. Records without an `email` column or value stay alone.
pub fn count_profiles_by_email(tables: &[Table]) -> usize {
    let total: usize = tables.iter().map(Table::len).sum();
    let mut sets = UnionFind::<usize>::new(total);
    let mut first_holder: BTreeMap<String, usize> = BTreeMap::new();
    let mut offset = 0;
    for table in tables {
        if let Some(column) = table.column_index("email") {
            for row in 0..table.len() {
                let email = table.cell(row, column).trim().to_lowercase();
                if email.is_empty() {
                    continue;
                }
                let record = offset + row;
                let anchor = *first_holder.entry(email).or_insert(record);
                sets.union(anchor, record);
            }
        }
        offset += table.len();
    }
    let mut labels = sets.into_labeling();
    sort::sort_unstable(&mut labels);
    labels.dedup();
    labels.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_sharing_an_email_form_one_profile() {
        let crm = parse_csv("crm.csv", b"id,email\n1,Ann@x.com\n2,bob@x.com\n3,\n").unwrap();
        let shop = parse_csv("shop.csv", b"id,email\n9, ann@X.com \n").unwrap();
        assert_eq!(count_profiles_by_email(&[crm, shop]), 3);
    }
}
