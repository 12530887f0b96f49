//! The generator's source of randomness: ChaCha8 seeded from a `u64`, with small integer-only helpers so the
//! same seed gives the same bytes on every platform and every version of this crate.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng as _, SeedableRng as _};

/// A seeded, portable random stream.
///
/// ChaCha8's output is fixed by its specification, and the helpers below use only integer arithmetic (no
/// floats, no library sampling code whose algorithm may change between versions), so a seed means the same
/// data forever.
#[derive(Debug, Clone)]
pub struct DemoRng {
    inner: ChaCha8Rng,
}

impl DemoRng {
    /// A stream for a seed and a purpose: different purposes with one seed give independent streams.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..16].copy_from_slice(&stream.to_le_bytes());
        key[16..24].copy_from_slice(b"spinedmo");
        Self {
            inner: ChaCha8Rng::from_seed(key),
        }
    }

    /// A uniform integer in `0..n` (0 when `n` is 0), by the multiply-high method.
    pub fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.inner.next_u64()) * n as u128;
        (wide >> 64) as usize
    }

    /// True with a probability of `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u32) -> bool {
        (self.inner.next_u32() % 1000) < per_mille
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given integer weights (which must not all be zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut draw = self.below(total as usize) as u32;
        for (index, weight) in weights.iter().enumerate() {
            if draw < *weight {
                return index;
            }
            draw -= weight;
        }
        weights.len() - 1
    }

    /// A digit character `0`-`9`.
    pub fn digit(&mut self) -> char {
        char::from(b'0' + self.below(10) as u8)
    }

    /// Shuffles a slice in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            let other = self.below(last + 1);
            items.swap(last, other);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_fixed_by_the_seed() {
        // These numbers pin the stream: if they change, every published demo set changes with them.
        let mut rng = DemoRng::new(42, 0);
        let drawn: Vec<usize> = (0..6).map(|_| rng.below(1000)).collect();
        assert_eq!(drawn, [552, 527, 903, 412, 430, 637]);
        let mut other = DemoRng::new(42, 1);
        let different: Vec<usize> = (0..6).map(|_| other.below(1000)).collect();
        assert_ne!(drawn, different);
    }

    #[test]
    fn helpers_stay_in_range() {
        let mut rng = DemoRng::new(7, 0);
        for _ in 0..1000 {
            assert!(rng.below(3) < 3);
            assert!(rng.weighted(&[0, 3, 0, 1]) % 2 == 1);
        }
        assert_eq!(rng.below(0), 0);
        assert!((0..1000).all(|_| !rng.chance(0)));
        assert!((0..1000).all(|_| rng.chance(1000)));
    }
}
