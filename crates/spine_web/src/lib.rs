//! Spine studio: a Yew single-page app whose heavy work runs in a Web Worker, so data never leaves the browser
//! and the page never freezes.
//!
//! `App` holds the one [`state::AppState`] (`use_reducer`), shares it with the screens through the
//! [`hooks::use_studio::Studio`] context, and links the page to the worker ([`worker::Engine`]).

pub mod browser;
pub mod components;
pub mod csv_safe;
pub mod event_setup;
pub mod graph_edit;
pub mod graph_layout;
pub mod growth;
pub mod hooks;
pub mod inspect;
pub mod protocol;
pub mod session;
pub mod state;
pub mod suggest;
pub mod whatif;
pub mod worker;

use components::shell::Shell;
use hooks::use_studio::Studio;
use protocol::{CsvFile, Request, Response};
use state::{Action, AppState, Origin};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;
use yew_agent::worker::{UseWorkerBridgeHandle, WorkerProvider, use_worker_bridge};

/// The path of the worker script that Trunk emits next to `index.html`.
const WORKER_PATH: &str = "./spine_worker.js";

/// Requests waiting for a worker bridge, and the bridge once there is one.
#[derive(Default)]
struct Outbox {
    bridge: Option<(u64, UseWorkerBridgeHandle<worker::Engine>)>,
    queue: Vec<Request>,
}

/// A shared outbox, compared by identity so it can be a property.
#[derive(Clone, Default)]
struct SharedOutbox(Rc<RefCell<Outbox>>);

impl PartialEq for SharedOutbox {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl SharedOutbox {
    fn send(&self, request: Request) {
        let mut outbox = self.0.borrow_mut();
        match &outbox.bridge {
            Some((_, bridge)) => bridge.send(request),
            None => outbox.queue.push(request),
        }
    }
}

#[derive(Properties, PartialEq)]
struct WorkerLinkProps {
    outbox: SharedOutbox,
    generation: u64,
    dispatch: UseReducerDispatcher<AppState>,
}

/// Holds the bridge to the worker: answers become actions, table downloads are offered at once.
#[component]
fn WorkerLink(props: &WorkerLinkProps) -> Html {
    let dispatch = props.dispatch.clone();
    let bridge = use_worker_bridge::<worker::Engine, _>(move |response: Response| match response {
        // A table can be large: it goes straight to a download instead of through the state.
        Response::Table { name, csv } => {
            browser::download(&format!("{name}.csv"), &csv, "text/csv;charset=utf-8")
        }
        // A script is offered as a download at once; a lookup table, when the dialect needs one, beside it.
        Response::Sql {
            dialect,
            script,
            lookup_csv,
            note,
        } => {
            browser::download(
                &format!("spine_{dialect}.sql"),
                &script,
                "application/sql;charset=utf-8",
            );
            if let Some(csv) = lookup_csv {
                browser::download("spine_lookup.csv", &csv, "text/csv;charset=utf-8");
            }
            dispatch.dispatch(Action::Notice(Some(match note {
                Some(note) => {
                    format!("Downloaded spine_{dialect}.sql and spine_lookup.csv. {note}")
                }
                None => format!("Downloaded spine_{dialect}.sql."),
            })));
        }
        other => dispatch.dispatch(Action::Worker(Box::new(other))),
    });
    {
        let outbox = props.outbox.clone();
        let generation = props.generation;
        use_effect_with(generation, move |_| {
            {
                let mut inner = outbox.0.borrow_mut();
                for request in inner.queue.drain(..) {
                    bridge.send(request);
                }
                inner.bridge = Some((generation, bridge));
            }
            move || {
                let mut inner = outbox.0.borrow_mut();
                if inner.bridge.as_ref().is_some_and(|(g, _)| *g == generation) {
                    inner.bridge = None;
                }
            }
        });
    }
    Html::default()
}

/// The graph as the JSON the worker reads.
pub fn graph_json(state: &AppState) -> String {
    serde_json::to_string(&*state.graph).unwrap_or_default()
}

/// Sends a fresh worker everything the old one held: the files, then the graph to check.
fn resync(state: &AppState, outbox: &SharedOutbox) {
    let demo: Vec<String> = state
        .sources
        .iter()
        .filter(|s| s.origin == Origin::Demo)
        .map(|s| s.file.clone())
        .collect();
    if !demo.is_empty() {
        outbox.send(Request::LoadDemo {
            only: Some(demo),
            fresh: false,
        });
    }
    let uploads: Vec<CsvFile> = state
        .sources
        .iter()
        .filter_map(|s| match &s.origin {
            Origin::Upload(bytes) => Some(CsvFile {
                name: s.file.clone(),
                bytes: bytes.to_vec(),
            }),
            Origin::Demo => None,
        })
        .collect();
    if !uploads.is_empty() {
        outbox.send(Request::Load {
            files: uploads,
            fresh: false,
        });
    }
}

/// The whole studio, with the worker provider beside it.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState {
        graph: Rc::new(browser::saved_graph().unwrap_or_else(graph_edit::empty_graph)),
        ..AppState::default()
    });
    let outbox = use_memo((), |_| SharedOutbox::default());
    let outbox = (*outbox).clone();
    // Check the graph and keep it whenever it or the data changes.
    {
        let outbox = outbox.clone();
        let revision = state.revision;
        let data_version = state.data_version;
        let state = state.clone();
        use_effect_with((revision, data_version), move |_| {
            browser::save_graph(&state.graph);
            outbox.send(Request::Validate {
                revision,
                graph_json: graph_json(&state),
            });
        });
    }
    // A new worker (after a cancel) gets the files again.
    {
        let outbox = outbox.clone();
        let state = state.clone();
        use_effect_with(state.worker_generation, move |generation| {
            if *generation > 0 {
                resync(&state, &outbox);
                outbox.send(Request::Validate {
                    revision: state.revision,
                    graph_json: graph_json(&state),
                });
            }
        });
    }
    let studio = Studio {
        state: state.clone(),
        send: {
            let outbox = outbox.clone();
            Callback::from(move |request| outbox.send(request))
        },
    };
    let generation = state.worker_generation;
    html! {
        <ContextProvider<Studio> context={studio}>
            <WorkerProvider<worker::Engine> key={generation.to_string()} path={WORKER_PATH}>
                <WorkerLink outbox={outbox} {generation} dispatch={state.dispatcher()} />
            </WorkerProvider<worker::Engine>>
            <Shell />
        </ContextProvider<Studio>>
    }
}
