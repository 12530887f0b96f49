//! Compact string storage, content hashes and fixed-decimal formatting shared by the pipeline's stages.

use md5::{Digest, Md5};
use std::fmt::Write as _;

/// Many short strings in one buffer, addressed by index, so a million keys cost two allocations.
#[derive(Debug, Clone, Default)]
pub(crate) struct StrArena {
    data: String,
    ends: Vec<usize>,
}

impl StrArena {
    /// Appends a string and returns its index.
    pub(crate) fn push(&mut self, text: &str) -> u32 {
        self.data.push_str(text);
        self.ends.push(self.data.len());
        index_u32(self.ends.len() - 1)
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Appends every string of `other`, which keep their order: the first gets index `self.len()` as it was.
    pub(crate) fn append(&mut self, other: &StrArena) {
        let offset = self.data.len();
        self.data.push_str(&other.data);
        self.ends.extend(other.ends.iter().map(|end| end + offset));
    }

    pub(crate) fn get(&self, index: u32) -> &str {
        let index = index as usize;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.data[start..self.ends[index]]
    }
}

/// Converts a count that the pipeline keeps under `u32::MAX` (records, values, pairs) into its compact form.
///
/// Tables are limited to 4 GiB of text, so no count of cells can reach `u32::MAX`; saturating keeps the
/// conversion total rather than panicking on a bug.
pub(crate) fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// `numerator / denominator` with exactly four decimals, rounded half up, computed in integers so the text
/// never depends on float printing; `0.0000` when the denominator is 0.
pub(crate) fn ratio4(numerator: u64, denominator: u64) -> String {
    if denominator == 0 {
        return "0.0000".to_owned();
    }
    let scaled =
        (u128::from(numerator) * 20_000 + u128::from(denominator)) / (2 * u128::from(denominator));
    format!("{}.{:04}", scaled / 10_000, scaled % 10_000)
}

/// A similarity score with four decimals (Rust formats the exact binary value, the same on every platform).
pub(crate) fn score4(score: f64) -> String {
    format!("{score:.4}")
}

/// Appends a similarity score with four decimals (Rust formats the exact binary value, the same on every
/// platform).
pub(crate) fn push_score4(out: &mut String, score: f64) {
    let _ = write!(out, "{score:.4}");
}

/// Lower-case hex MD5 of the parts joined by U+001F (the unit separator, which never occurs in a key).
pub(crate) fn md5_hex(parts: &[&str]) -> String {
    let mut hasher = Md5::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            hasher.update("\u{1F}".as_bytes());
        }
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

/// Lower-case hex of some bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    // Two table lookups per byte: every profile ID is a hash, and the formatting machinery costs far more.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Joins `lines` as `2, 5 and 9` for messages.
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arena_returns_what_was_pushed() {
        let mut arena = StrArena::default();
        let a = arena.push("ann");
        let empty = arena.push("");
        let b = arena.push("bob");
        assert_eq!(
            (arena.get(a), arena.get(empty), arena.get(b)),
            ("ann", "", "bob")
        );
    }

    #[test]
    fn ratios_round_half_up_with_four_decimals() {
        assert_eq!(ratio4(1, 3), "0.3333");
        assert_eq!(ratio4(2, 3), "0.6667");
        assert_eq!(ratio4(1, 20_000), "0.0001");
        assert_eq!(ratio4(7, 2), "3.5000");
        assert_eq!(ratio4(5, 0), "0.0000");
    }

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff, 0x5c]), "000fa0ff5c");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn md5_joins_with_the_unit_separator() {
        assert_eq!(md5_hex(&[""]), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(&["a", "b"]), md5_hex(&["a\u{1F}b"]));
        assert_ne!(md5_hex(&["a", "b"]), md5_hex(&["ab"]));
    }

    #[test]
    fn joins_lists_for_messages() {
        let items: Vec<String> = ["2", "5", "9"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(join_and(&items), "2, 5 and 9");
        assert_eq!(join_and(&items[..1]), "2");
    }
}
