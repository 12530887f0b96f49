//! The Export screen: the validated identity graph as JSON, every output table as CSV, and importing a saved
//! graph.

use crate::browser::{copy_text, download};
use crate::components::graph_export::GraphExport;
use crate::components::problem_list::ProblemList;
use crate::graph_edit::Edit;
use crate::hooks::use_studio::use_studio;
use crate::protocol::{Problem, Request};
use crate::state::Action;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// One sentence per output table.
fn describe(table: &str) -> &'static str {
    match table {
        "identity_golden" => "one golden record per profile",
        "identity_golden_lineage" => "where each golden value came from",
        "identity_match" => "the profile of every emitted record",
        "identity_matched_ids" => "every identifier value of every profile",
        "identity_unresolved_records" => "records left out, with the reason",
        "identity_lookup" => "every identifier value, raw and standardized",
        "match_pairs" => "every candidate pair and its decision",
        "identity_redirects" => "profile IDs retired or split since a previous run",
        "identity_golden_report" => "the run's key numbers",
        "identity_cluster_sizes" => "profiles by size",
        "identity_model_metrics" => "numbers by model",
        "identity_rule_metrics" => "numbers by rule",
        "identity_identifier_metrics" => "numbers by identifier",
        _ => "",
    }
}

#[component]
pub fn ExportScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let copied = use_state(|| None::<bool>);
    let json = serde_json::to_string_pretty(&*state.graph).unwrap_or_default();
    let on_download = {
        let name = if state.graph.name.trim().is_empty() {
            "identity_graph".to_owned()
        } else {
            state
                .graph
                .name
                .replace(|c: char| !c.is_alphanumeric() && c != '_' && c != '-', "_")
        };
        Callback::from(move |json: String| {
            download(&format!("{name}.json"), &json, "application/json")
        })
    };
    let on_copy = {
        let copied = copied.clone();
        Callback::from(move |json: String| {
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(
                async move { copied.set(Some(copy_text(&json).await)) },
            );
        })
    };
    let pending = use_state(|| None::<String>);
    let on_import = {
        let (studio, pending) = (studio.clone(), pending.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|list| list.get(0)) else {
                return;
            };
            input.set_value("");
            let (studio, pending) = (studio.clone(), pending.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let json = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                // The worker reads it first, so its problems come with their JSON paths.
                pending.set(Some(json.clone()));
                studio.send.emit(Request::Parse {
                    file: file.name(),
                    json,
                });
            });
        })
    };
    // Once the worker has read the file without a problem, it replaces the graph.
    {
        let (studio, pending) = (studio.clone(), pending.clone());
        let outcome = state.import.clone();
        use_effect_with(outcome, move |outcome| {
            if let (Some(import), Some(json)) = (outcome, (*pending).clone()) {
                pending.set(None);
                match serde_json::from_str(&json) {
                    Ok(graph) if import.problems.is_empty() => {
                        studio.dispatch(Action::Edit(Edit::Replace(Box::new(graph))));
                        studio.dispatch(Action::Notice(Some(format!(
                            "Imported the identity graph from {}.",
                            import.file
                        ))));
                    }
                    _ => {}
                }
            }
        });
    }
    let import_problems: Vec<Problem> = state
        .import
        .as_ref()
        .map(|i| {
            i.problems
                .iter()
                .map(|p| Problem {
                    path: p.path.clone(),
                    message: format!("{}: {}", i.file, p.message),
                })
                .collect()
        })
        .unwrap_or_default();
    let tables = state
        .summary
        .as_ref()
        .map(|s| s.tables.clone())
        .unwrap_or_default();
    let dialect = use_state(|| "duckdb".to_owned());
    let on_dialect = {
        let dialect = dialect.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            dialect.set(select.value());
        })
    };
    let on_sql = {
        let (studio, dialect) = (studio.clone(), dialect.clone());
        let graph_json = serde_json::to_string(&*state.graph).unwrap_or_default();
        Callback::from(move |_: MouseEvent| {
            studio.send.emit(Request::Sql {
                graph_json: graph_json.clone(),
                dialect: (*dialect).clone(),
            })
        })
    };
    let sql_blocked = state
        .current_problems()
        .is_some_and(|problems| !problems.is_empty());
    let get_table = |name: String| {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| studio.send.emit(Request::Table { name: name.clone() }))
    };
    html! {
        <section class="export-screen" aria-labelledby="export-title">
            <header class="screen-head">
                <h1 id="export-title">{ "Export" }</h1>
                <p class="lead">{ "Take the identity graph to production, and the output tables to a spreadsheet." }</p>
            </header>
            <div class="card">
                <h2>{ "Identity graph" }</h2>
                <p class="muted">{ "The validated configuration, ready for `spine run` or `spine validate`. It is also kept in this browser and restored when you come back." }</p>
                <GraphExport json={json} problems={state.current_problems().cloned()} {on_download} {on_copy} />
                { match *copied {
                    Some(true) => html! { <p class="status" role="status">{ "Copied to the clipboard." }</p> },
                    Some(false) => html! { <p class="error" role="alert">{ "The browser refused to copy; select the JSON above and copy it by hand." }</p> },
                    None => Html::default(),
                } }
            </div>
            <div class="card">
                <h2>{ "Import a saved identity graph" }</h2>
                <p class="muted">{ "A JSON file exported earlier. It replaces the current graph; problems are listed with their place in the file." }</p>
                <label class="button" for="import-graph">{ "Choose a JSON file" }</label>
                <input id="import-graph" class="visually-hidden" type="file" accept=".json,application/json" onchange={on_import} />
                if !import_problems.is_empty() {
                    <div id="import-errors" class="errors" role="alert">
                        <p>{ "The file was not imported:" }</p>
                        <ProblemList problems={import_problems.clone()} />
                    </div>
                }
            </div>
            <div class="card">
                <h2>{ "Warehouse SQL" }</h2>
                <p class="muted">{ "One SQL script that resolves the same identity graph inside your warehouse, with the same output tables as this studio. It reads each model from a table named after it. Phone numbers and phonetic codes have no SQL form: their values then come from spine_lookup.csv, downloaded with the script." }</p>
                <label for="sql-dialect">{ "Dialect " }</label>
                <select id="sql-dialect" onchange={on_dialect}>
                    { for [("duckdb", "DuckDB"), ("spark", "Spark"), ("snowflake", "Snowflake"), ("bigquery", "BigQuery")].iter().map(|(value, label)| html! {
                        <option value={*value} selected={*dialect == *value}>{ *label }</option>
                    }) }
                </select>
                { " " }
                <button id="download-sql" onclick={on_sql} disabled={sql_blocked}>{ "Download the SQL script" }</button>
                if sql_blocked {
                    <p class="muted">{ "Fix the identity graph's problems first." }</p>
                }
            </div>
            <div class="card">
                <h2>{ "Output tables (CSV)" }</h2>
                <p class="muted">{ "Each table of the last run as a UTF-8 CSV file. To open safely in a spreadsheet, a cell that starts with =, +, - or @ is prefixed with an apostrophe ('), so it shows as text instead of running as a formula." }</p>
                if tables.is_empty() {
                    <p class="empty">{ "Run the resolution to get the tables." }</p>
                }
                <ul class="table-list">
                    { for tables.iter().map(|t| html! {
                        <li>
                            <button class="small" id={format!("table-{t}")} onclick={get_table(t.clone())}>{ format!("{t}.csv") }</button>
                            <span class="muted">{ format!(" {}", describe(t)) }</span>
                        </li>
                    }) }
                </ul>
            </div>
        </section>
    }
}
