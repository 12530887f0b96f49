//! Progress bars on the terminal: one bar per stage of a run, drawn only when stderr is a terminal so logs and
//! pipes stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use spine_core::{Control, Progress, ProgressSink};
use std::io::IsTerminal as _;

/// A progress sink that shows the engine's stages as bars, or nothing when stderr is not a terminal.
pub struct Bars {
    enabled: bool,
    current: Option<(usize, ProgressBar)>,
}

impl Bars {
    pub fn for_stderr() -> Self {
        Self { enabled: std::io::stderr().is_terminal(), current: None }
    }

    /// Starts a bar of its own for work done outside the engine (reading files).
    pub fn stage(&mut self, name: &str, total: u64) -> Option<ProgressBar> {
        if !self.enabled {
            return None;
        }
        self.finish();
        let bar = new_bar(name, total);
        Some(bar)
    }

    /// Leaves the last bar on screen, complete.
    pub fn finish(&mut self) {
        if let Some((_, bar)) = self.current.take() {
            bar.finish();
        }
    }
}

fn new_bar(name: &str, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = if total == 0 {
        "{spinner} {prefix:<28} {elapsed:>4}"
    } else {
        "  {prefix:<28} [{bar:32}] {percent:>3}% {elapsed:>4}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(name.to_owned());
    bar
}

impl ProgressSink for Bars {
    fn report(&mut self, progress: &Progress<'_>) -> Control {
        if !self.enabled {
            return Control::Continue;
        }
        let stage = progress.stage_index;
        if self.current.as_ref().is_none_or(|(index, _)| *index != stage) {
            self.finish();
            let name = format!("{}/{} {}", stage + 1, progress.stage_count, progress.stage);
            self.current = Some((stage, new_bar(&name, progress.total)));
        }
        if let Some((_, bar)) = &self.current {
            if bar.length() != Some(progress.total) && progress.total > 0 {
                bar.set_length(progress.total);
            }
            bar.set_position(progress.done);
        }
        Control::Continue
    }
}
