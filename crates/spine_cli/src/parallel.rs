//! Independent work spread over the machine's cores: the host's own (parsing one CSV per model, writing one
//! table per file) and the engine's pieces, which it hands over through [`Workers`] since it starts no thread
//! itself.

use spine_core::Workers;

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work` on every item, on as many threads as there are cores (at most one per item), and returns the
/// results in item order, so what follows does not depend on which thread finished first.
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        done.push((index, work(item)));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            match worker.join() {
                Ok(done) => {
                    for (index, result) in done {
                        results[index] = Some(result);
                    }
                }
                // A panic is a bug: let it continue as it began rather than hide it behind another message.
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
    });
    results.into_iter().flatten().collect()
}

/// The number of threads worth running.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The machine's cores, lent to the engine.
#[derive(Debug, Clone, Copy)]
pub struct Cores;

impl Workers for Cores {
    fn width(&self) -> usize {
        cores()
    }

    fn run(&self, count: usize, work: &(dyn Fn(usize) + Sync)) {
        let pieces: Vec<usize> = (0..count).collect();
        map(&pieces, |&piece| work(piece));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_item_order() {
        let items: Vec<u64> = (0..100).collect();
        let squares = map(&items, |n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(map(&[] as &[u8], |n| *n).is_empty());
    }

    #[test]
    fn cores_run_every_piece_once() {
        let runs: Vec<AtomicUsize> = (0..37).map(|_| AtomicUsize::new(0)).collect();
        Cores.run(runs.len(), &|piece| {
            runs[piece].fetch_add(1, Ordering::Relaxed);
        });
        assert!(runs.iter().all(|count| count.load(Ordering::Relaxed) == 1));
        assert!(Cores.width() >= 1);
    }
}
