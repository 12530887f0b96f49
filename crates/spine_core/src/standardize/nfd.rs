//! Canonical decomposition (Unicode Normalization Form D), character by character into a callback.
//!
//! This is what `unicode_normalization`'s `nfd()` iterator does, built from the same crate's per-character
//! functions. That iterator decides between canonical and compatibility decomposition at run time, so using it
//! links the compatibility tables too (about 30 KB gzip of the studio's worker) although no step needs them.

use unicode_normalization::char::{canonical_combining_class, decompose_canonical};

/// Calls `emit` with the NFD of `chars`: each character decomposed canonically, and each run of combining
/// characters (non-zero canonical combining class) put in canonical order, a stable sort by class.
pub(super) fn nfd(chars: impl Iterator<Item = char>, mut emit: impl FnMut(char)) {
    // The combining characters read since the last starter, kept sorted by class; equal classes keep their
    // text order. Runs are short (usually one accent), so inserting in place is the cheapest sort.
    let mut pending: Vec<(u8, char)> = Vec::new();
    for ch in chars {
        decompose_canonical(ch, |part| {
            let class = if part.is_ascii() {
                0
            } else {
                canonical_combining_class(part)
            };
            if class == 0 {
                pending.drain(..).for_each(|(_, mark)| emit(mark));
                emit(part);
            } else {
                let at = pending.partition_point(|&(other, _)| other <= class);
                pending.insert(at, (class, part));
            }
        });
    }
    pending.into_iter().for_each(|(_, mark)| emit(mark));
}
