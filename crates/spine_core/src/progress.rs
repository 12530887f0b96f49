//! How the engine tells its host how far a run has come, and how the host asks it to stop.

/// The host's answer to a progress report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    Stop,
}

/// One progress report: the stage under way and how much of it is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress<'a> {
    /// A short stage name a person can read: `load`, `standardize`, `rule 2: email_and_name`, `golden`, ...
    pub stage: &'a str,
    /// 0-based index of the stage and the number of stages, for an overall bar.
    pub stage_index: usize,
    pub stage_count: usize,
    /// Units done within the stage, of `total` (records, blocks or pairs; `total` may be 0 when unknown).
    pub done: u64,
    pub total: u64,
}

/// Receives progress; returning [`Control::Stop`] makes the run end early with `ResolveError::Stopped`.
pub trait ProgressSink {
    fn report(&mut self, progress: &Progress<'_>) -> Control;
}

/// A sink that ignores progress and never stops.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn report(&mut self, _progress: &Progress<'_>) -> Control {
        Control::Continue
    }
}

impl<F: FnMut(&Progress<'_>) -> Control> ProgressSink for F {
    fn report(&mut self, progress: &Progress<'_>) -> Control {
        self(progress)
    }
}
