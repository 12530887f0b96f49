//! The Identity graph screen: the drawing, the selection panel, suggested mappings and every problem.

use crate::components::graph_canvas::{GraphCanvas, Selection};
use crate::components::problem_list::ProblemList;
use crate::components::selection_panel::SelectionPanel;
use crate::components::suggestion_list::SuggestionList;
use crate::graph_layout::layout;
use crate::hooks::use_studio::use_studio;
use crate::state::{Action, Screen};
use crate::suggest::suggest;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

#[component]
pub fn GraphScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let selection = use_state(Selection::default);
    let files = state.files.clone();
    let suggestions = {
        let graph = state.graph.clone();
        let files = files.clone();
        use_memo((graph, files), |(graph, files)| suggest(graph, files))
    };
    let drawing = {
        let graph = state.graph.clone();
        let files = files.clone();
        let suggestions = suggestions.clone();
        use_memo(
            (graph, files, suggestions),
            |(graph, files, suggestions)| {
                // Extended rather than collected: collecting into a map sorts first, another copy of the
                // sort code.
                let mut columns: BTreeMap<String, Vec<_>> = BTreeMap::new();
                columns.extend(files.iter().map(|f| {
                    (
                        f.model.clone(),
                        f.columns.iter().map(|c| (c.name.clone(), c.kind)).collect(),
                    )
                }));
                layout(graph, &columns, suggestions)
            },
        )
    };
    let problems = state.current_problems().cloned().unwrap_or_default();
    let on_select = {
        let selection = selection.clone();
        Callback::from(move |s| selection.set(s))
    };
    let on_edit = studio.on_edit();
    let suggestions_rc = Rc::new((*suggestions).clone());
    let to_rules = {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| studio.dispatch(Action::Navigate(Screen::Rules)))
    };
    let status = match state.current_problems() {
        None => html! { <span class="badge">{ "checking…" }</span> },
        Some(p) if p.is_empty() => {
            html! { <span id="graph-valid" class="badge ok">{ "valid" }</span> }
        }
        Some(p) => html! { <span class="badge bad">{ format!("{} problem(s)", p.len()) }</span> },
    };
    let onkeydown = {
        let selection = selection.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                selection.set(Selection::None);
            }
        })
    };
    html! {
        <section class="graph-screen" aria-labelledby="graph-title" {onkeydown}>
            <header class="screen-head">
                <h1 id="graph-title">{ "Identity graph " }{ status }</h1>
                <p class="lead">{ "Which column holds which identifier, and which identifiers must match for two records to be the same person." }</p>
            </header>
            if state.graph.models.is_empty() {
                <p class="empty">{ "Load files on the Data screen first: each file becomes a model here." }</p>
            }
            <div class="graph-layout">
                <div class="card canvas-card">
                    <GraphCanvas graph={state.graph.clone()} layout={drawing.clone()} problems={problems.clone()}
                        suggestions={suggestions_rc.clone()} selection={(*selection).clone()} on_select={on_select.clone()}
                        on_edit={on_edit.clone()} />
                </div>
                <aside class="side-panel" aria-label="Graph details">
                    <SelectionPanel graph={state.graph.clone()} files={files.clone()} selection={(*selection).clone()}
                        {on_select} on_edit={on_edit.clone()} />
                    <SuggestionList suggestions={suggestions_rc} on_edit={on_edit.clone()} />
                    if !problems.is_empty() {
                        <div class="all-problems">
                            <h3>{ "Problems to fix" }</h3>
                            <ProblemList problems={(*problems).clone()} />
                        </div>
                    }
                    <button class="primary" onclick={to_rules}>{ "Next: rules & guardrails →" }</button>
                </aside>
            </div>
        </section>
    }
}
