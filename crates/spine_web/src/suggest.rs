//! Mapping suggestions: which identifier each column of a model probably holds, from the column's name and its
//! detected kind, reusing the graph's identifiers where one fits.

use crate::graph_edit::Edit;
use crate::protocol::{ColumnKind, FileSummary};
use spine_core::options::IdentityGraph;
use spine_core::settings::IdentifierKind;

/// One suggested mapping of a column to an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub model: String,
    pub column: String,
    pub identifier: String,
    pub kind: IdentifierKind,
    /// True when the identifier does not exist yet and accepting creates it.
    pub creates: bool,
    /// Why, in words.
    pub reason: String,
}

impl Suggestion {
    /// The edit that accepts the suggestion.
    pub fn edit(&self) -> Edit {
        Edit::Map {
            model: self.model.clone(),
            column: self.column.clone(),
            identifier: self.identifier.clone(),
            kind: self.kind,
        }
    }
}

/// Column-name hints: (words that must all appear in the normalized name, identifier kind, identifier name).
/// The first matching line wins, so specific hints come before general ones.
const NAME_HINTS: &[(&[&str], IdentifierKind, &str)] = &[
    (&["mail"], IdentifierKind::Email, "email"),
    (&["phone"], IdentifierKind::Phone, "phone"),
    (&["mobile"], IdentifierKind::Phone, "phone"),
    (&["tel"], IdentifierKind::Phone, "phone"),
    (&["first", "name"], IdentifierKind::Name, "first_name"),
    (&["firstname"], IdentifierKind::Name, "first_name"),
    (&["fname"], IdentifierKind::Name, "first_name"),
    (&["given"], IdentifierKind::Name, "first_name"),
    (&["prenom"], IdentifierKind::Name, "first_name"),
    (&["last", "name"], IdentifierKind::Name, "last_name"),
    (&["lastname"], IdentifierKind::Name, "last_name"),
    (&["lname"], IdentifierKind::Name, "last_name"),
    (&["surname"], IdentifierKind::Name, "last_name"),
    (&["family", "name"], IdentifierKind::Name, "last_name"),
    (&["first"], IdentifierKind::Name, "first_name"),
    (&["last"], IdentifierKind::Name, "last_name"),
    (&["anon"], IdentifierKind::AnonymousId, "anonymous_id"),
    (&["device"], IdentifierKind::DeviceId, "device_id"),
    (&["account"], IdentifierKind::AccountId, "account_id"),
    (&["cust"], IdentifierKind::CustomerId, "customer_id"),
    (&["crm"], IdentifierKind::CrmId, "crm_id"),
    (&["contact", "id"], IdentifierKind::CrmId, "crm_id"),
    (&["user", "id"], IdentifierKind::UserId, "user_id"),
    (&["userid"], IdentifierKind::UserId, "user_id"),
    (&["uid"], IdentifierKind::UserId, "user_id"),
];

/// A column name in lower case with separators turned into `_`, framed by `_` so whole words can be found.
fn normalize(name: &str) -> String {
    let mut out = String::from("_");
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    if !out.ends_with('_') {
        out.push('_');
    }
    out
}

/// True when `word` appears in the normalized name: as a whole word for short words, anywhere for long ones
/// (so `tel` does not match `hotel_code` but `mail` matches `e_mail` and `mailaddress`).
fn has_word(normalized: &str, word: &str) -> bool {
    if word.len() <= 3 {
        normalized.contains(&format!("_{word}_"))
    } else {
        normalized.contains(word)
    }
}

/// True when a column's detected kind does not contradict an identifier kind its name suggests (so
/// `email_opt_in`, holding yes/no, is not taken for an email column).
fn fits(identifier: IdentifierKind, column: ColumnKind) -> bool {
    match identifier {
        IdentifierKind::Email => column == ColumnKind::Email,
        IdentifierKind::Phone => matches!(column, ColumnKind::Phone | ColumnKind::Id),
        IdentifierKind::Name => matches!(column, ColumnKind::Name | ColumnKind::Text),
        _ => matches!(column, ColumnKind::Id | ColumnKind::Text),
    }
}

/// The kind and canonical identifier name a column suggests, with the reason.
pub fn guess(column: &str, kind: ColumnKind) -> Option<(IdentifierKind, &'static str, String)> {
    let normalized = normalize(column);
    for (words, identifier_kind, name) in NAME_HINTS {
        if words.iter().all(|word| has_word(&normalized, word)) && fits(*identifier_kind, kind) {
            return Some((
                *identifier_kind,
                name,
                format!("the column is named `{column}`"),
            ));
        }
    }
    match kind {
        ColumnKind::Email => Some((
            IdentifierKind::Email,
            "email",
            "its values look like email addresses".to_owned(),
        )),
        ColumnKind::Phone => Some((
            IdentifierKind::Phone,
            "phone",
            "its values look like phone numbers".to_owned(),
        )),
        _ => None,
    }
}

/// Suggestions for every model of the graph that has a loaded file: each column that is not the order field
/// (nor a key private to the file) and is not mapped yet, in model then column order.
pub fn suggest(graph: &IdentityGraph, files: &[FileSummary]) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for model in &graph.models {
        let Some(file) = files.iter().find(|f| f.model == model.name) else {
            continue;
        };
        for column in &file.columns {
            let name = column.name.as_str();
            if model.order_by.as_deref() == Some(name) {
                continue;
            }
            let mapped = model
                .identifiers
                .values()
                .any(|columns| columns.as_slice().iter().any(|c| c == name));
            if mapped {
                continue;
            }
            let Some((kind, canonical, reason)) = guess(name, column.kind) else {
                continue;
            };
            // A primary key is worth matching on only when other systems share it (a user or customer ID),
            // not when it is the file's own row number.
            let shared_key = matches!(
                kind,
                IdentifierKind::UserId | IdentifierKind::CustomerId | IdentifierKind::AccountId
            );
            if model.primary_key.as_deref() == Some(name) && !shared_key {
                continue;
            }
            // Reuse an identifier of the same name, else the only identifier of the same kind (names excepted:
            // a first name and a last name are both of kind `name` but must stay apart).
            let same_name = graph.identifiers.iter().find(|i| i.name == canonical);
            let same_kind: Vec<_> = graph
                .identifiers
                .iter()
                .filter(|i| i.kind == kind)
                .collect();
            let existing = same_name.or(if kind != IdentifierKind::Name && same_kind.len() == 1 {
                Some(same_kind[0])
            } else {
                None
            });
            let (identifier, kind, creates) = match existing {
                Some(found) => (found.name.clone(), found.kind, false),
                None => (canonical.to_owned(), kind, true),
            };
            // A column already mapping to this identifier in another column keeps both (e.g. email_2).
            out.push(Suggestion {
                model: model.name.clone(),
                column: name.to_owned(),
                identifier,
                kind,
                creates,
                reason,
            });
        }
    }
    out
}
