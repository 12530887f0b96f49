//! A list of identity-graph problems, each with where it is and how to fix it.

use crate::protocol::Problem;
use yew::prelude::*;

/// True when a problem's JSON path is `prefix` or inside it (`models[1]` holds `models[1].primary_key` but not
/// `models[10]`).
pub fn concerns(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('.') || rest.starts_with('['),
        None => false,
    }
}

/// The problems under a JSON path.
pub fn problems_under<'a>(problems: &'a [Problem], prefix: &str) -> Vec<&'a Problem> {
    problems
        .iter()
        .filter(|p| concerns(&p.path, prefix))
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct ProblemListProps {
    pub problems: Vec<Problem>,
    /// Show each problem's JSON path before its message.
    #[prop_or(true)]
    pub show_paths: bool,
}

/// Problems as an alert list; nothing when there are none.
#[component]
pub fn ProblemList(props: &ProblemListProps) -> Html {
    if props.problems.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="problems" role="alert">
            { for props.problems.iter().map(|p| html! {
                <li class="problem">
                    if props.show_paths && !p.path.is_empty() {
                        <code class="path">{ p.path.clone() }</code>{ " " }
                    }
                    <span>{ p.message.clone() }</span>
                </li>
            }) }
        </ul>
    }
}
