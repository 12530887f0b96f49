//! The run's progress: overall bar, the stage under way, and a cancel button.

use crate::protocol::RunProgress;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProgressBarProps {
    pub progress: Option<RunProgress>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn ProgressBar(props: &ProgressBarProps) -> Html {
    let (fraction, label) = match &props.progress {
        Some(p) => {
            let within = if p.total > 0 {
                format!(" · {} of {}", p.done, p.total)
            } else {
                String::new()
            };
            (
                p.fraction(),
                format!(
                    "Stage {} of {}: {}{}",
                    p.stage_index + 1,
                    p.stage_count,
                    p.stage,
                    within
                ),
            )
        }
        None => (0.0, "Starting…".to_owned()),
    };
    let percent = (fraction * 100.0).round() as u32;
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="progress card" id="run-progress">
            <div class="row-between">
                <strong>{ "Resolving in the background…" }</strong>
                <button id="cancel-run" class="danger small" onclick={on_cancel}>{ "Cancel" }</button>
            </div>
            <div class="progress-track" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                aria-valuenow={percent.to_string()} aria-label="Run progress">
                <div class="progress-fill" style={format!("width:{percent}%")}></div>
            </div>
            <p class="muted small" aria-live="polite">{ format!("{percent}% · {label}") }</p>
        </div>
    }
}
