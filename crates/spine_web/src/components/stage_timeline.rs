//! The stage-by-stage timeline: profiles after each rule, merges made and refused. Each stage is a button that
//! moves the replay to it.

use crate::components::file_card::thousands;
use crate::protocol::StageRow;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StageTimelineProps {
    /// Profiles before the first rule (every record with an identifier alone).
    pub initial: u64,
    pub stages: Vec<StageRow>,
    /// The stage shown (0 = before any rule).
    pub current: usize,
    pub on_stage: Callback<usize>,
}

const W: f64 = 760.0;
const H: f64 = 210.0;
const BASE: f64 = 150.0;

#[component]
pub fn StageTimeline(props: &StageTimelineProps) -> Html {
    let counts: Vec<u64> = std::iter::once(props.initial)
        .chain(props.stages.iter().map(|s| s.profiles_after))
        .collect();
    let most = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let slot = W / counts.len() as f64;
    let bar_w = (slot * 0.5).min(70.0);
    let bars = counts.iter().enumerate().map(|(i, &count)| {
        let height = (count as f64 / most * (BASE - 30.0)).max(2.0);
        let x = slot * i as f64 + (slot - bar_w) / 2.0;
        let stage = props.stages.get(i.wrapping_sub(1)).filter(|_| i > 0);
        let label = stage.map_or("start".to_owned(), |s| format!("{}. {}", s.stage, s.rule));
        let on_stage = props.on_stage.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_stage.emit(i));
        let onkeydown = {
            let on_stage = props.on_stage.clone();
            Callback::from(move |event: KeyboardEvent| {
                if event.key() == "Enter" || event.key() == " " {
                    event.prevent_default();
                    on_stage.emit(i);
                }
            })
        };
        let current = i == props.current;
        let cx = x + bar_w / 2.0;
        html! {
            <g class={classes!("stage", current.then_some("current"), (i > props.current).then_some("later"))}
                tabindex="0" role="button" aria-pressed={current.to_string()}
                aria-label={format!("{label}: {count} profiles")} {onclick} {onkeydown}>
                <title>{ match stage {
                    Some(s) => format!("{label}\n{} profiles after this stage\n{} merges made, {} refused\n{} candidate pairs, {} accepted",
                        s.profiles_after, s.merges, s.merges_refused, s.candidate_pairs, s.accepted_pairs),
                    None => format!("{count} records with a usable identifier, each its own profile"),
                } }</title>
                <rect class="hit" x={format!("{:.1}", slot * i as f64)} y="0" width={format!("{slot:.1}")} height={H.to_string()} />
                <rect class="bar" x={format!("{x:.1}")} y={format!("{:.1}", BASE - height)} width={format!("{bar_w:.1}")} height={format!("{height:.1}")} rx="3" />
                <text class="value" x={format!("{cx:.1}")} y={format!("{:.1}", BASE - height - 6.0)} text-anchor="middle">{ thousands(count) }</text>
                <text class="axis" x={format!("{cx:.1}")} y={format!("{:.1}", BASE + 16.0)} text-anchor="middle">{ truncate(&label, 22) }</text>
                if let Some(s) = stage {
                    <text class="merges" x={format!("{cx:.1}")} y={format!("{:.1}", BASE + 34.0)} text-anchor="middle">
                        { format!("+{} merged", thousands(s.merges)) }
                    </text>
                    if s.merges_refused > 0 {
                        <text class="refused" x={format!("{cx:.1}")} y={format!("{:.1}", BASE + 50.0)} text-anchor="middle">
                            { format!("{} refused", thousands(s.merges_refused)) }
                        </text>
                    }
                }
            </g>
        }
    });
    html! {
        <figure class="timeline">
            <svg viewBox={format!("0 0 {W} {H}")} width="100%" role="group" aria-label="Profiles after each stage">
                <line class="baseline" x1="0" x2={W.to_string()} y1={BASE.to_string()} y2={BASE.to_string()} />
                { for bars }
            </svg>
            <figcaption class="muted small">{ "Profiles after each stage (one stage per rule, strongest first). Click a stage to replay it." }</figcaption>
        </figure>
    }
}

/// Shortens a label to `max` characters with an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}
