//! The "Load demo data" button and the result it shows.

use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    Idle,
    Running,
    Done { profiles: usize },
    Failed { message: String },
}

#[derive(Properties, PartialEq)]
pub struct LoadDemoProps {
    pub state: RunState,
    pub on_load: Callback<()>,
}

/// A button that asks for the demo run, and the profile count once it is known.
#[component]
pub fn LoadDemo(props: &LoadDemoProps) -> Html {
    let onclick = props.on_load.reform(|_: MouseEvent| ());
    let running = props.state == RunState::Running;
    html! {
        <section class="load-demo">
            <button id="load-demo" class="primary" {onclick} disabled={running}>{ "Load demo data" }</button>
            <p id="run-status" aria-live="polite">
                { match &props.state {
                    RunState::Idle => html! { "No data loaded yet." },
                    RunState::Running => html! { "Resolving…" },
                    RunState::Done { profiles } => html! {
                        <><span id="profile-count" class="count">{ profiles }</span>{ " profiles" }</>
                    },
                    RunState::Failed { message } => html! { <span class="error">{ message.clone() }</span> },
                } }
            </p>
        </section>
    }
}
