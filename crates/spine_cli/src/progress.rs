//! Progress on the terminal: one bar per stage of a run, drawn only when stderr is a terminal so logs and pipes
//! stay clean, and the time each stage took (for `spine run --timings`).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use spine_core::{Control, Progress, ProgressSink};
use std::io::IsTerminal as _;
use std::time::{Duration, Instant};

/// A progress sink that shows stages as bars (or nothing when stderr is not a terminal) and times them.
pub struct Bars {
    draw: bool,
    /// The engine's stage index and its bar, while an engine stage runs.
    engine_stage: Option<usize>,
    bar: Option<ProgressBar>,
    /// Each stage's name and start, in order.
    starts: Vec<(String, Instant)>,
}

impl Bars {
    pub fn for_stderr() -> Self {
        Self {
            draw: std::io::stderr().is_terminal(),
            engine_stage: None,
            bar: None,
            starts: Vec::new(),
        }
    }

    /// Starts a stage of the host's own (reading files, writing tables) with `total` steps.
    pub fn stage(&mut self, name: &str, total: u64) {
        self.engine_stage = None;
        self.begin(name.to_owned(), total);
    }

    /// Advances the current bar by one step.
    pub fn step(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Ends the last stage, leaving its bar on screen.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
        self.starts.push((String::new(), Instant::now()));
    }

    /// Each finished stage with the time it took.
    pub fn timings(&self) -> Vec<(&str, Duration)> {
        self.starts
            .windows(2)
            .filter(|pair| !pair[0].0.is_empty())
            .map(|pair| (pair[0].0.as_str(), pair[1].1.duration_since(pair[0].1)))
            .collect()
    }

    fn begin(&mut self, name: String, total: u64) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
        if self.draw {
            self.bar = Some(new_bar(&name, total));
        }
        self.starts.push((name, Instant::now()));
    }
}

fn new_bar(name: &str, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    set_style(&bar, total);
    bar.set_prefix(name.to_owned());
    bar
}

/// A spinner while the amount of work is unknown, a bar once it is known.
fn set_style(bar: &ProgressBar, total: u64) {
    let template = if total == 0 {
        "{spinner} {prefix:<30} {elapsed:>4}"
    } else {
        "  {prefix:<30} [{bar:32}] {percent:>3}% {elapsed:>4}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
}

impl ProgressSink for Bars {
    fn report(&mut self, progress: &Progress<'_>) -> Control {
        let stage = progress.stage_index;
        if self.engine_stage != Some(stage) {
            self.engine_stage = Some(stage);
            self.begin(progress.stage.to_owned(), progress.total);
        }
        if let Some(bar) = &self.bar {
            if progress.total > 0 && bar.length() != Some(progress.total) {
                if bar.length() == Some(0) {
                    set_style(bar, progress.total);
                }
                bar.set_length(progress.total);
            }
            bar.set_position(progress.done);
        }
        Control::Continue
    }
}
