//! How a host lends the engine its threads. The engine never starts a thread itself (so it runs the same in
//! WebAssembly); where a stage splits into independent pieces it hands them to the host's [`Workers`], and it
//! merges their results in a fixed order, so the outputs never depend on how many workers there were or which
//! finished first.

use std::sync::OnceLock;

/// Runs independent pieces of work, on as many threads as the host has.
pub trait Workers: Sync {
    /// How many pieces can run at the same time (at least 1).
    fn width(&self) -> usize;

    /// Calls `work(i)` once for every `i` in `0..count`, in any order and on any thread, and returns when every
    /// call has returned.
    fn run(&self, count: usize, work: &(dyn Fn(usize) + Sync));
}

/// Runs the pieces one after another on the calling thread: the engine's default, and the browser's.
#[derive(Debug, Default, Clone, Copy)]
pub struct OneAfterAnother;

impl Workers for OneAfterAnother {
    fn width(&self) -> usize {
        1
    }

    fn run(&self, count: usize, work: &(dyn Fn(usize) + Sync)) {
        for index in 0..count {
            work(index);
        }
    }
}

/// Computes `a` and `b` side by side on `workers`, as far as they are wide.
pub(crate) fn join<A: Send + Sync, B: Send + Sync>(
    workers: &dyn Workers,
    a: impl Fn() -> A + Sync,
    b: impl Fn() -> B + Sync,
) -> (A, B) {
    let (left, right) = (OnceLock::new(), OnceLock::new());
    workers.run(2, &|piece| {
        if piece == 0 {
            let _ = left.set(a());
        } else {
            let _ = right.set(b());
        }
    });
    // Workers that skipped a piece broke their contract; computing it here keeps the result whole.
    (
        left.into_inner().unwrap_or_else(a),
        right.into_inner().unwrap_or_else(b),
    )
}
