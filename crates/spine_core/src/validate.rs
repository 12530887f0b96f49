//! Checks an identity graph and compiles it into `settings::Settings`, reporting every problem at once with its
//! JSON path and a sentence that says how to fix it.
//!
//! OWNER: engine-config helper. To be written. Contract (keep these signatures):
//! - `pub struct Diagnostic { pub path: String, pub message: String }` (`path` like `rules[1].criteria[0].match`)
//! - `pub fn parse_graph(json: &str) -> Result<options::IdentityGraph, Vec<Diagnostic>>`
//! - `pub struct DataShape { pub models: BTreeMap<String, Vec<String>> }` (model name -> CSV columns)
//! - `pub fn validate(graph: &options::IdentityGraph, data: Option<&DataShape>) -> Result<Settings, Vec<Diagnostic>>`
//! - `pub fn load_settings(json: &str, data: Option<&DataShape>) -> Result<Settings, Vec<Diagnostic>>` (both)
