//! Exporting the identity graph: download or copy its JSON, refused with the list of problems while the graph
//! is invalid.

use crate::components::problem_list::ProblemList;
use crate::protocol::Problem;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GraphExportProps {
    /// The graph as pretty JSON.
    pub json: AttrValue,
    /// The graph's problems; None while they are being checked.
    pub problems: Option<Rc<Vec<Problem>>>,
    /// Receives the JSON to download.
    pub on_download: Callback<String>,
    /// Receives the JSON to copy.
    pub on_copy: Callback<String>,
}

/// Why an export is refused, if it is.
pub fn refusal(problems: Option<&[Problem]>) -> Option<String> {
    match problems {
        None => Some("The graph is being checked; try again in a moment.".to_owned()),
        Some([]) => None,
        Some(problems) => Some(format!(
            "Export refused: the identity graph has {} problem(s). Fix them first:",
            problems.len()
        )),
    }
}

#[component]
pub fn GraphExport(props: &GraphExportProps) -> Html {
    let refused = use_state(|| false);
    let reason = refusal(props.problems.as_deref().map(Vec::as_slice));
    let attempt = |target: Callback<String>| {
        let (refused, json, blocked) = (refused.clone(), props.json.to_string(), reason.is_some());
        Callback::from(move |_: MouseEvent| {
            if blocked {
                refused.set(true);
            } else {
                refused.set(false);
                target.emit(json.clone());
            }
        })
    };
    let valid = reason.is_none();
    html! {
        <div class="graph-export">
            <div class="row">
                <button id="download-graph" class={classes!("primary", (!valid).then_some("blocked"))} onclick={attempt(props.on_download.clone())}>
                    { "Download identity graph (JSON)" }
                </button>
                <button id="copy-graph" class={classes!((!valid).then_some("blocked"))} onclick={attempt(props.on_copy.clone())}>{ "Copy JSON" }</button>
                if valid { <span class="badge ok">{ "valid" }</span> }
            </div>
            if let (true, Some(reason)) = (*refused, &reason) {
                <div id="export-refused" class="errors" role="alert">
                    <p>{ reason.clone() }</p>
                    if let Some(problems) = &props.problems {
                        <ProblemList problems={(**problems).clone()} />
                    }
                </div>
            } else if let Some(problems) = props.problems.as_ref().filter(|p| !p.is_empty()) {
                <p class="muted small">{ format!("{} problem(s) to fix before the graph can be exported.", problems.len()) }</p>
            }
            <details class="json-preview">
                <summary>{ "Show the JSON" }</summary>
                <pre id="graph-json">{ props.json.clone() }</pre>
            </details>
        </div>
    }
}
