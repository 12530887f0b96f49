//! How a host lends the engine its threads. The engine never starts a thread itself (so it runs the same in
//! WebAssembly); where a stage splits into independent pieces it hands them to the host's [`Workers`], and it
//! merges their results in a fixed order, so the outputs never depend on how many workers there were or which
//! finished first.

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
