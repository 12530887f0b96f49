//! Standardization of identifier values (SPEC sections 2 and 10): the ordered steps, and blocked values and
//! patterns.
//!
//! OWNER: engine-config helper. The bodies below are placeholders (trim + lowercase only) so the resolution
//! pipeline can be built in parallel; keep the signatures.

use crate::settings::Identifier;

/// The outcome of standardizing one raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standardized {
    /// A usable standardized value.
    Used(String),
    /// Empty after trimming.
    Empty,
    /// A step rejected the value or left it empty; the text says which step and why.
    Invalid(String),
}

/// Applies the identifier's steps, in order, to one raw cell value.
pub fn standardize(identifier: &Identifier, raw: &str) -> Standardized {
    let _ = &identifier.steps;
    let value = raw.trim();
    if value.is_empty() {
        Standardized::Empty
    } else {
        Standardized::Used(value.to_lowercase())
    }
}

/// Why a standardized value is blocked by the identifier's `blocked_values` or `blocked_patterns`, if it is.
/// (Quarantine by `max_records_per_value` is decided by the pipeline, which counts records.)
pub fn blocked_reason(identifier: &Identifier, value: &str) -> Option<String> {
    if identifier.blocked_values.contains(value) {
        return Some(format!("blocked value '{value}'"));
    }
    identifier
        .blocked_patterns
        .iter()
        .zip(&identifier.blocked_pattern_sources)
        .find(|(pattern, _)| pattern.is_match(value))
        .map(|(_, source)| format!("matches blocked pattern '{source}'"))
}
