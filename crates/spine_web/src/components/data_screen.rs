//! The Data screen: load files (drop, pick, or the demo set) and see what each holds before it becomes a model.

use crate::browser::{check_sizes, read_files};
use crate::components::drop_zone::DropZone;
use crate::components::file_card::{FileCard, FileRole};
use crate::graph_edit::Edit;
use crate::hooks::use_studio::{Studio, use_studio};
use crate::protocol::Request;
use crate::state::{Action, Origin, Screen, Source};
use std::rc::Rc;
use yew::prelude::*;

/// Reads picked or dropped files and hands them to the worker; `rename` gives a replacement file the name of
/// the file it replaces, so it keeps its model.
pub fn upload(studio: &Studio, files: Vec<web_sys::File>, rename: Option<String>) {
    let (accepted, refused) = check_sizes(files);
    studio.dispatch(Action::Refused(refused));
    if accepted.is_empty() {
        return;
    }
    let studio = studio.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let (mut read, failed) = read_files(accepted).await;
        if let (Some(name), [file]) = (rename, read.as_mut_slice()) {
            file.name = name;
        }
        if !failed.is_empty() {
            studio.dispatch(Action::Refused(failed));
        }
        if read.is_empty() {
            return;
        }
        let sources = read
            .iter()
            .map(|file| Source {
                file: file.name.clone(),
                origin: Origin::Upload(Rc::new(file.bytes.clone())),
            })
            .collect();
        studio.dispatch(Action::LoadStarted {
            sources,
            demo: false,
        });
        studio.send.emit(Request::Load {
            files: read,
            fresh: true,
        });
    });
}

/// The names of the demo set's files.
const DEMO_FILES: [&str; 5] = [
    "crm.csv",
    "shop.csv",
    "app.csv",
    "support.csv",
    "web_events.csv",
];

#[component]
pub fn DataScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let on_files = {
        let studio = studio.clone();
        Callback::from(move |files| upload(&studio, files, None))
    };
    let on_demo = {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| {
            studio.dispatch(Action::Refused(Vec::new()));
            studio.dispatch(Action::LoadStarted {
                sources: DEMO_FILES
                    .iter()
                    .map(|f| Source {
                        file: (*f).to_owned(),
                        origin: Origin::Demo,
                    })
                    .collect(),
                demo: true,
            });
            studio.send.emit(Request::LoadDemo {
                only: None,
                fresh: true,
            });
        })
    };
    let on_edit = studio.on_edit();
    let on_remove = {
        let studio = studio.clone();
        Callback::from(move |file: String| {
            studio.send.emit(Request::Remove { file: file.clone() });
            studio.dispatch(Action::RemoveFile { file });
        })
    };
    let on_replace = {
        let studio = studio.clone();
        Callback::from(move |(name, file): (String, web_sys::File)| {
            upload(&studio, vec![file], Some(name))
        })
    };
    let to_graph = {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| studio.dispatch(Action::Navigate(Screen::Graph)))
    };
    let problems = state.current_problems().cloned().unwrap_or_default();
    let events = state.event_models();
    html! {
        <section class="data-screen" aria-labelledby="data-title">
            <header class="screen-head">
                <h1 id="data-title">{ "Data" }</h1>
                <p class="lead">{ "Load one CSV per source system. Each file becomes a model of the identity graph: pick its primary key and the column that says when a record was last updated." }</p>
            </header>
            <div class="load-row">
                <DropZone {on_files} busy={state.loading > 0} />
                <div class="demo-card">
                    <h2>{ "No data at hand?" }</h2>
                    <p class="muted">{ "The demo set has four customer systems and a web event log, with the traps real data has: typos, nicknames, shared family emails, placeholder values and duplicate keys." }</p>
                    <button id="load-demo" class="primary" onclick={on_demo} disabled={state.loading > 0}>{ "Load demo data" }</button>
                </div>
            </div>
            if state.loading > 0 {
                <p class="status" role="status">{ "Reading and profiling files in the background…" }</p>
            }
            if !state.load_errors.is_empty() {
                <div id="load-errors" class="errors" role="alert">
                    <h2>{ "Some files could not be loaded" }</h2>
                    <ul>{ for state.load_errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
                </div>
            }
            if !state.files.is_empty() {
                <div class="next-step">
                    <span>{ format!("{} file(s) loaded.", state.files.len()) }</span>
                    <button class="primary" onclick={to_graph}>{ "Next: map columns to identifiers →" }</button>
                </div>
            }
            <div class="file-list">
                { for state.files.iter().map(|file| {
                    let index = state.graph.models.iter().position(|m| m.name == file.model);
                    let role = if events.contains(&file.model) {
                        FileRole::Events
                    } else if index.is_some() {
                        FileRole::Model
                    } else {
                        FileRole::Unused
                    };
                    let model = index.map(|i| Rc::new(state.graph.models[i].clone()));
                    let prefix = index.map(|i| format!("models[{i}]"));
                    let mine: Vec<_> = prefix
                        .map(|p| crate::components::problem_list::problems_under(&problems, &p).into_iter().cloned().collect())
                        .unwrap_or_default();
                    let add_model = {
                        let on_edit = on_edit.clone();
                        let file = file.clone();
                        Callback::from(move |_| on_edit.emit(Edit::AddModel {
                            name: file.model.clone(),
                            primary_key: file.suggested_key.clone(),
                            order_by: file.suggested_order.clone(),
                        }))
                    };
                    html! {
                        <FileCard key={file.file.clone()} summary={Rc::new(file.clone())} {model} {role}
                            problems={mine} on_edit={on_edit.clone()} on_remove={on_remove.clone()}
                            on_replace={on_replace.clone()} on_add_model={add_model} />
                    }
                }) }
            </div>
        </section>
    }
}
