//! Spine studio: a Yew single-page app whose heavy work runs in a Web Worker, so data never leaves the browser.

pub mod components;
pub mod demo;
pub mod worker;

use components::load_demo::{LoadDemo, RunState};
use yew::prelude::*;
use yew_agent::reactor::{ReactorEvent, ReactorProvider, use_reactor_bridge};

/// The path of the worker script that Trunk emits next to `index.html`.
const WORKER_PATH: &str = "./spine_worker.js";

#[component]
fn Studio() -> Html {
    let state = use_state(|| RunState::Idle);
    let bridge = {
        let state = state.clone();
        use_reactor_bridge::<worker::Engine, _>(move |event| match event {
            ReactorEvent::Output(worker::Response::Done { profiles }) => {
                state.set(RunState::Done { profiles })
            }
            ReactorEvent::Output(worker::Response::Failed { message }) => {
                state.set(RunState::Failed { message })
            }
            ReactorEvent::Finished => {}
        })
    };
    let on_load = {
        let state = state.clone();
        Callback::from(move |()| {
            state.set(RunState::Running);
            bridge.send(worker::Request::Run {
                files: demo::files(),
            });
        })
    };
    html! {
        <main class="studio">
            <header><h1>{ "Spine" }</h1><p class="tagline">{ "One profile per person, and the reasons why." }</p></header>
            <LoadDemo state={(*state).clone()} {on_load} />
        </main>
    }
}

/// The whole studio, with the worker provider around it.
#[component]
pub fn App() -> Html {
    html! {
        <ReactorProvider<worker::Engine> path={WORKER_PATH}>
            <Studio />
        </ReactorProvider<worker::Engine>>
    }
}
