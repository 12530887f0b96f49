//! The Events screen: event files, the stitching policy, and after a run the stitch rate by model and
//! identifier and the events left unstitched with their reason.

use crate::components::event_model_card::EventModelCard;
use crate::components::event_policy::EventPolicy;
use crate::components::file_card::{percent, thousands};
use crate::components::metric_table::MetricTable;
use crate::components::problem_list::{ProblemList, problems_under};
use crate::event_setup::with_event_model;
use crate::graph_edit::Edit;
use crate::hooks::use_studio::use_studio;
use crate::protocol::{Problem, Request, ratio};
use yew::prelude::*;

#[component]
pub fn EventsScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let graph = &state.graph;
    let on_edit = studio.on_edit();
    let has_events = state.summary.as_ref().is_some_and(|s| s.events.is_some());
    let run_id = state.summary.as_ref().map(|s| s.totals.run_id.clone());
    {
        let studio = studio.clone();
        let loaded = state.events.is_some();
        use_effect_with(
            (run_id, has_events, loaded),
            move |(_, has_events, loaded)| {
                if *has_events && !loaded {
                    studio.send.emit(Request::Events);
                }
            },
        );
    }
    let identifiers: Vec<String> = graph.identifiers.iter().map(|i| i.name.clone()).collect();
    let event_names = state.event_models();
    let candidates: Vec<_> = state
        .files
        .iter()
        .filter(|f| !event_names.contains(&f.model))
        .collect();
    let problems: Vec<Problem> = state
        .current_problems()
        .map(|p| problems_under(p, "events").into_iter().cloned().collect())
        .unwrap_or_default();
    let use_as_events = |file: &crate::protocol::FileSummary| {
        let (on_edit, graph, file) = (on_edit.clone(), graph.clone(), file.clone());
        Callback::from(move |_: MouseEvent| {
            let model = crate::event_setup::event_model(&file, &graph);
            // A file is either a profile model or an event model, never both.
            if graph.models.iter().any(|m| m.name == file.model) {
                on_edit.emit(Edit::RemoveModel {
                    model: file.model.clone(),
                });
            }
            on_edit.emit(Edit::SetEvents(Some(Box::new(with_event_model(
                &graph, model,
            )))));
        })
    };
    let remove_event_model = |name: String| {
        let (on_edit, graph) = (on_edit.clone(), graph.clone());
        Callback::from(move |()| {
            let Some(events) = &graph.events else { return };
            let mut next = events.clone();
            next.models.retain(|m| m.name != name);
            let next = (!next.models.is_empty()).then(|| Box::new(next));
            on_edit.emit(Edit::SetEvents(next));
        })
    };
    html! {
        <section class="events-screen" aria-labelledby="events-title">
            <header class="screen-head">
                <h1 id="events-title">{ "Events" }</h1>
                <p class="lead">{ "Purchases, sessions and tickets attached to the profiles through the identifiers they carry. Events never create or merge profiles." }</p>
            </header>
            <ProblemList {problems} />
            <div class="run-grid">
                <div class="card">
                    <h2>{ "Event files" }</h2>
                    if let Some(events) = &graph.events {
                        <ul class="event-models">
                            { for events.models.iter().map(|m| html! {
                                <EventModelCard model={m.clone()} identifiers={identifiers.clone()} on_edit={on_edit.clone()}
                                    columns={state.files.iter().find(|f| f.model == m.name).map(|f| f.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>())}
                                    on_remove={remove_event_model(m.name.clone())} />
                            }) }
                        </ul>
                    } else {
                        <p class="muted">{ "No event model yet." }</p>
                    }
                    if !candidates.is_empty() {
                        <h3>{ "Use a loaded file as events" }</h3>
                        <ul class="table-list">
                            { for candidates.iter().map(|f| html! {
                                <li>
                                    <button class="small" id={format!("events-from-{}", f.model)} onclick={use_as_events(f)}>{ format!("Use {} as events", f.file) }</button>
                                    if graph.models.iter().any(|m| m.name == f.model) {
                                        <span class="muted small">{ " (it stops being a profile model)" }</span>
                                    }
                                </li>
                            }) }
                        </ul>
                    }
                </div>
                <div class="card">
                    if let Some(events) = &graph.events {
                        <EventPolicy graph={graph.clone()} events={events.clone()} on_edit={on_edit.clone()} />
                    } else {
                        <p class="muted">{ "The stitching policy appears once there is an event model." }</p>
                    }
                </div>
            </div>
            { match (&state.events, state.summary.as_ref().and_then(|s| s.events)) {
                (Some(data), Some((events, stitched))) => html! {
                    <>
                        <dl class="tiles">
                            <div class="tile"><dt>{ "events" }</dt><dd id="events-total">{ thousands(events) }</dd></div>
                            <div class="tile"><dt>{ "stitched" }</dt><dd id="events-stitched">{ thousands(stitched) }</dd></div>
                            <div class="tile"><dt>{ "stitch rate" }</dt><dd id="events-rate">{ percent(ratio(stitched, events)) }</dd></div>
                            <div class="tile"><dt>{ "unstitched" }</dt><dd>{ thousands(data.unstitched_total as u64) }</dd></div>
                        </dl>
                        <div class="card">
                            <MetricTable id="event-metrics" caption="Stitch rate by model and identifier (blank: all)" table={data.metrics.clone()} columns={vec![
                                ("model", "Model", false), ("identifier", "Identifier", false), ("events", "Events", false),
                                ("stitched", "Stitched", false), ("backfilled", "Backfilled", false), ("stitch_rate", "Stitch rate", true),
                                ("ambiguous", "Ambiguous", false), ("unknown_identifier", "Unknown", false),
                                ("blocked_value", "Blocked", false), ("no_identifier", "No identifier", false),
                            ]} />
                        </div>
                        <div class="card">
                            <MetricTable id="unstitched-events" caption={format!("Unstitched events (first {} of {})", data.unstitched.rows.len(), data.unstitched_total)}
                                tall=true table={data.unstitched.clone()} columns={vec![
                                    ("model", "Model", false), ("event_key", "Event", false), ("reason", "Reason", false), ("detail", "Detail", false),
                                ]} />
                        </div>
                    </>
                },
                (None, Some(_)) => html! { <p class="status">{ "Gathering the stitching results…" }</p> },
                _ => html! { <p class="empty">{ if graph.events.is_some() { "Run the resolution: events are stitched to the profiles it makes." } else { "Add an event model, then run." } }</p> },
            } }
        </section>
    }
}
