//! Sorting through one shared copy of the standard library's sort code in WebAssembly.
//!
//! Each call of `sort_by`, `sort_by_key` or `sort_unstable` with another element type or closure compiles
//! another copy of the sort, a few kilobytes each; the studio's worker carried about sixty of them. In
//! WebAssembly the functions here sort the elements' positions instead, with one stable sort of `usize` behind
//! a dynamic comparator, then move the elements into their places. A stable sort's result is fully determined
//! by the order it is given (ties keep their input order), so this is the same result as sorting the elements
//! directly. Natively they call the standard sorts, so the engine keeps its inlined comparators.
//!
//! The hot sorts of large integer lists (candidate pairs, blocks) do not come here: they keep their own copies.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, as [`slice::sort_by`].
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    {
        let mut order = Positions::sorted(items.len(), &mut |a, b| compare(&items[a], &items[b]));
        place(items, order.as_mut());
    }
    #[cfg(not(target_arch = "wasm32"))]
    items.sort_by(&mut compare);
}

/// Sorts `items` stably by the key `key` gives, as [`slice::sort_by_key`].
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order, stably, as [`slice::sort`].
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Sorts `items` in their natural order, as [`slice::sort_unstable`], for element types whose equal elements
/// cannot be told apart (integers, strings, tuples and enums of them with derived `Ord`): the result is then
/// the one sorted order there is, whichever algorithm finds it.
pub fn sort_unstable<T: Ord>(items: &mut [T]) {
    #[cfg(target_arch = "wasm32")]
    sort(items);
    #[cfg(not(target_arch = "wasm32"))]
    items.sort_unstable();
}

/// The positions `0..len` of a list, in sorted order. Short lists (most are: a record's values, a profile's
/// records) keep them inline rather than in an allocation.
#[cfg(any(target_arch = "wasm32", test))]
struct Positions {
    len: usize,
    short: [usize; 32],
    long: Vec<usize>,
}

#[cfg(any(target_arch = "wasm32", test))]
impl Positions {
    /// The positions sorted stably by `compare`. Not generic, so every caller shares this one sort.
    fn sorted(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Self {
        let mut positions = Self {
            len,
            short: [0; 32],
            long: if len > 32 { vec![0; len] } else { Vec::new() },
        };
        let order = positions.as_mut();
        for (position, slot) in order.iter_mut().enumerate() {
            *slot = position;
        }
        order.sort_by(|&a, &b| compare(a, b));
        positions
    }

    fn as_mut(&mut self) -> &mut [usize] {
        if self.len > self.short.len() {
            &mut self.long
        } else {
            &mut self.short[..self.len]
        }
    }
}

/// Moves each element to its place: the element at `order[i]` goes to position `i`. Each cycle of the
/// permutation is walked once with swaps, marking its positions done as it goes.
#[cfg(any(target_arch = "wasm32", test))]
fn place<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn place_moves_each_element_where_the_order_says() {
        let mut items = ['a', 'b', 'c', 'd', 'e'];
        place(&mut items, &mut [2, 0, 4, 3, 1]);
        assert_eq!(items, ['c', 'a', 'e', 'd', 'b']);
    }

    proptest! {
        #[test]
        fn sorting_by_positions_is_the_standard_stable_sort(items in proptest::collection::vec((0u8..4, any::<u16>()), 0..64)) {
            // Ties on the first field keep their input order, as the standard stable sort keeps them.
            let mut order = Positions::sorted(items.len(), &mut |a, b| items[a].0.cmp(&items[b].0));
            let mut placed = items.clone();
            place(&mut placed, order.as_mut());
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            prop_assert_eq!(&placed, &expected);

            let mut sorted = items.clone();
            sort_by_key(&mut sorted, |item| item.0);
            prop_assert_eq!(&sorted, &expected);
            sort_unstable(&mut sorted);
            expected.sort();
            prop_assert_eq!(sorted, expected);
        }
    }
}
