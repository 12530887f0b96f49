//! The Run screen: start a run in the worker, watch its progress (or cancel it), then replay how profiles
//! formed stage by stage, watch one profile grow, and see the cluster sizes.

use crate::components::cluster_view::ClusterView;
use crate::components::problem_list::ProblemList;
use crate::components::progress_bar::ProgressBar;
use crate::components::size_histogram::SizeHistogram;
use crate::components::stage_timeline::StageTimeline;
use crate::components::stat_tiles::StatTiles;
use crate::hooks::use_studio::{Studio, use_studio};
use crate::protocol::Request;
use crate::state::{Action, RunState, Screen};
use yew::prelude::*;

/// Milliseconds between two stages of the replay.
const REPLAY_STEP_MS: u32 = 1100;

/// Starts a run of the current graph.
pub fn start_run(studio: &Studio) {
    let state = &studio.state;
    studio.send.emit(Request::Run {
        revision: state.revision,
        graph_json: crate::graph_json(state),
    });
    studio.dispatch(Action::RunStarted);
}

#[component]
pub fn RunScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let stage_count = state.summary.as_ref().map_or(0, |s| s.stages.len());
    let stage = use_state(|| stage_count);
    let playing = use_state(|| false);
    // The charts below the key numbers are drawn one task later, so a finished run never holds the page's
    // thread for long in one go.
    let charts = use_state(|| false);
    // A new run shows its last stage.
    {
        let (stage, charts) = (stage.clone(), charts.clone());
        let revision = state
            .summary
            .as_ref()
            .map(|s| (s.revision, s.totals.run_id.clone()));
        use_effect_with(revision, move |_| {
            stage.set(stage_count);
            charts.set(false);
            let timer = gloo_timers::callback::Timeout::new(0, move || charts.set(true));
            move || drop(timer)
        });
    }
    // Ask for the watched profile when it is not known yet.
    {
        let studio = studio.clone();
        let watched = state.watched.clone();
        let known = watched
            .as_ref()
            .is_some_and(|id| state.details.contains_key(id));
        use_effect_with((watched, known), move |(watched, known)| {
            if let (Some(id), false) = (watched, known) {
                studio.send.emit(Request::Profile { id: id.clone() });
            }
        });
    }
    // The replay: one stage per tick, stopping at the last.
    {
        let (stage, playing) = (stage.clone(), playing.clone());
        use_effect_with((*playing, *stage), move |(is_playing, current)| {
            let timer = (*is_playing).then(|| {
                let next = *current + 1;
                gloo_timers::callback::Timeout::new(REPLAY_STEP_MS, move || {
                    if next > stage_count {
                        playing.set(false);
                    } else {
                        stage.set(next);
                    }
                })
            });
            move || drop(timer)
        });
    }
    let run = {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| start_run(&studio))
    };
    let cancel = {
        let studio = studio.clone();
        Callback::from(move |()| studio.dispatch(Action::Cancel))
    };
    let on_stage = {
        let (stage, playing) = (stage.clone(), playing.clone());
        Callback::from(move |s| {
            playing.set(false);
            stage.set(s);
        })
    };
    let on_play = {
        let (stage, playing) = (stage.clone(), playing.clone());
        Callback::from(move |()| {
            if !*playing && *stage >= stage_count {
                stage.set(0);
            }
            playing.set(!*playing);
        })
    };
    let on_watch = {
        let studio = studio.clone();
        Callback::from(move |id| studio.dispatch(Action::Watch(id)))
    };
    let problems = state.current_problems().cloned();
    let blocker = if state.files.is_empty() {
        Some("Load data first (Data screen).")
    } else if state.graph.models.is_empty() {
        Some("The identity graph has no model yet.")
    } else if state.graph.rules.is_empty() {
        Some("Add at least one matching rule (Rules & guardrails).")
    } else {
        match &problems {
            None => Some("Checking the identity graph…"),
            Some(p) if !p.is_empty() => Some("Fix the identity graph's problems first."),
            _ => None,
        }
    };
    let to_profiles = {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| studio.dispatch(Action::Navigate(Screen::Profiles)))
    };
    html! {
        <section class="run-screen" aria-labelledby="run-title">
            <header class="screen-head row-between">
                <div>
                    <h1 id="run-title">{ "Run: watch clusters form" }</h1>
                    <p class="lead">{ "The engine runs in a background worker, so the page stays responsive. Nothing leaves this browser." }</p>
                </div>
                <button id="run" class="primary big" onclick={run} disabled={blocker.is_some() || state.is_running()}>
                    { if state.summary.is_some() { "Run again" } else { "Run" } }
                </button>
            </header>
            if let Some(reason) = blocker {
                <p class="status" id="run-blocker">{ reason }</p>
            }
            if let Some(p) = problems.filter(|p| !p.is_empty()) {
                <ProblemList problems={(*p).clone()} />
            }
            { match &state.run {
                RunState::Running(progress) => html! { <ProgressBar progress={progress.clone()} on_cancel={cancel} /> },
                RunState::Failed(message) => html! { <p class="error" id="run-error" role="alert">{ message.clone() }</p> },
                RunState::Cancelled => html! { <p class="status" id="run-cancelled" role="status">{ "Run cancelled. Results of earlier runs were discarded with the worker; run again when ready." }</p> },
                RunState::Idle => Html::default(),
            } }
            if let Some(summary) = &state.summary {
                <div id="run-summary">
                    <StatTiles totals={summary.totals.clone()} />
                    <p class="muted small" id="run-timing">
                        { format!("Resolved in {:.0} ms in the worker ({:.0} ms in the engine).", summary.elapsed_ms, summary.engine_ms) }
                        if summary.warning_count > 0 { { format!(" {} warning(s).", summary.warning_count) } }
                    </p>
                    if !summary.warnings.is_empty() {
                        <details class="warnings">
                            <summary>{ format!("Warnings ({})", summary.warning_count) }</summary>
                            <ul>{ for summary.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                        </details>
                    }
                    if *charts {
                    <div class="run-grid">
                        <div class="card">
                            <h2>{ "Stage by stage" }</h2>
                            <StageTimeline initial={summary.initial_profiles} stages={summary.stages.clone()} current={*stage} on_stage={on_stage.clone()} />
                        </div>
                        <div class="card">
                            <h2>{ "Cluster sizes" }</h2>
                            <SizeHistogram sizes={summary.cluster_sizes.clone()} />
                        </div>
                    </div>
                    <h2>{ "Watch a profile grow" }</h2>
                    <ClusterView detail={state.watched.as_ref().and_then(|id| state.details.get(id).cloned())}
                        models={state.graph.models.iter().map(|m| m.name.clone()).collect::<Vec<_>>()}
                        stage={*stage} {stage_count} playing={*playing} {on_stage} {on_play}
                        choices={summary.largest.clone()} watched={state.watched.clone()} {on_watch} />
                    }
                    <button class="primary" onclick={to_profiles}>{ "Next: browse the golden records →" }</button>
                </div>
            }
        </section>
    }
}
