//! The resolution pipeline (SPEC sections 3-5): load, standardize, block, compare, cluster in stages under
//! guardrails, assign stable IDs, pick golden records, and build the output tables and metrics.
//!
//! OWNER: engine-resolve helper. To be written. Contract (keep these signatures):
//! - `pub fn resolve(settings: &Settings, tables: &[Table], previous: Option<&Previous>,
//!    sink: &mut dyn ProgressSink) -> Result<Resolution, ResolveError>` where `tables[i]` holds the rows of
//!   `settings.models[i]`.
//! - `pub struct Previous` built by `Previous::from_tables(identity_match: &Table, redirects: Option<&Table>)`.
//! - `pub struct Resolution` with `pub fn table_names(&self) -> Vec<&'static str>`,
//!   `pub fn write_table(&self, name: &str, out: &mut dyn std::io::Write) -> std::io::Result<()>` and
//!   `pub fn table_csv(&self, name: &str) -> Option<String>`; plus typed accessors the studio and explain use.
//! - `pub enum ResolveError { Stopped, Input { file, line, column, message } }` (thiserror, Display names the place).
