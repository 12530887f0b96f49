//! The page layout: the navigation on the left, the current screen on the right, and any notice above it.

use crate::components::data_screen::DataScreen;
use crate::components::events_screen::EventsScreen;
use crate::components::export_screen::ExportScreen;
use crate::components::graph_screen::GraphScreen;
use crate::components::nav_bar::NavBar;
use crate::components::profiles_screen::ProfilesScreen;
use crate::components::review_screen::ReviewScreen;
use crate::components::rules_screen::RulesScreen;
use crate::components::run_screen::RunScreen;
use crate::components::what_if_screen::WhatIfScreen;
use crate::hooks::use_studio::use_studio;
use crate::state::{Action, RunState, Screen};
use yew::prelude::*;

/// The studio's frame.
#[component]
pub fn Shell() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let on_navigate = {
        let studio = studio.clone();
        Callback::from(move |screen| studio.dispatch(Action::Navigate(screen)))
    };
    let run_status = match &state.run {
        RunState::Running(_) => "running",
        RunState::Failed(_) => "failed",
        RunState::Cancelled => "cancelled",
        RunState::Idle if state.summary.is_some() => "done",
        RunState::Idle => "",
    };
    let dismiss = {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| studio.dispatch(Action::Notice(None)))
    };
    html! {
        <div class="app">
            <NavBar current={state.screen} {on_navigate} files={state.files.len()}
                problems={state.current_problems().map(|p| p.len())}
                run_status={run_status} has_results={state.summary.is_some()} />
            <main class="screen" id={format!("screen-{}", state.screen.slug())}>
                if let Some(notice) = &state.notice {
                    <div class="notice" role="status">
                        <span>{ notice.clone() }</span>
                        <button class="link" onclick={dismiss}>{ "Dismiss" }</button>
                    </div>
                }
                { match state.screen {
                    Screen::Data => html! { <DataScreen /> },
                    Screen::Graph => html! { <GraphScreen /> },
                    Screen::Rules => html! { <RulesScreen /> },
                    Screen::Run => html! { <RunScreen /> },
                    Screen::Profiles => html! { <ProfilesScreen /> },
                    Screen::Review => html! { <ReviewScreen /> },
                    Screen::WhatIf => html! { <WhatIfScreen /> },
                    Screen::Events => html! { <EventsScreen /> },
                    Screen::Export => html! { <ExportScreen /> },
                } }
            </main>
        </div>
    }
}
