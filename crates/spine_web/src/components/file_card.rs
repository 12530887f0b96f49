//! One loaded file: its model settings (primary key, order field, priority), a profile of every column and a
//! preview of the first rows. Cell text is always shown as text.

use crate::components::problem_list::ProblemList;
use crate::graph_edit::Edit;
use crate::protocol::{ColumnKind, FileSummary, Problem};
use spine_core::options::Model;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What a file is in the identity graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    Model,
    Events,
    Unused,
}

#[derive(Properties, PartialEq)]
pub struct FileCardProps {
    pub summary: Rc<FileSummary>,
    /// The file's model in the graph, when it is one.
    pub model: Option<Rc<Model>>,
    pub role: FileRole,
    pub problems: Vec<Problem>,
    pub on_edit: Callback<Edit>,
    pub on_remove: Callback<String>,
    /// (file name to keep, the new file).
    pub on_replace: Callback<(String, web_sys::File)>,
    pub on_add_model: Callback<()>,
}

/// A size in bytes for people.
pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// A whole number with thousands separators.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn kind_class(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Email => "kind-email",
        ColumnKind::Phone => "kind-phone",
        ColumnKind::Date => "kind-date",
        ColumnKind::Id => "kind-id",
        ColumnKind::Name => "kind-name",
        ColumnKind::Text => "kind-text",
    }
}

/// A select of the file's columns, with an optional "none" entry; emits the chosen column.
fn column_select(
    id: String,
    columns: &[String],
    current: Option<&str>,
    suggested: Option<&str>,
    allow_none: bool,
    on_change: Callback<Option<String>>,
) -> Html {
    let onchange = Callback::from(move |event: Event| {
        let select: HtmlSelectElement = event.target_unchecked_into();
        let value = select.value();
        on_change.emit((!value.is_empty()).then_some(value));
    });
    html! {
        <select {id} {onchange}>
            if allow_none || current.is_none() {
                <option value="" selected={current.is_none()}>{ if allow_none { "none" } else { "choose a column" } }</option>
            }
            { for columns.iter().map(|c| html! {
                <option value={c.clone()} selected={current == Some(c.as_str())}>
                    { c.clone() }{ if suggested == Some(c.as_str()) { " (suggested)" } else { "" } }
                </option>
            }) }
        </select>
    }
}

#[component]
pub fn FileCard(props: &FileCardProps) -> Html {
    let summary = &props.summary;
    let slug = summary.model.clone();
    let columns: Vec<String> = summary.columns.iter().map(|c| c.name.clone()).collect();
    let on_remove = {
        let on_remove = props.on_remove.clone();
        let file = summary.file.clone();
        Callback::from(move |_: MouseEvent| on_remove.emit(file.clone()))
    };
    let on_replace = {
        let on_replace = props.on_replace.clone();
        let file = summary.file.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(picked) = input.files().and_then(|list| list.get(0)) {
                on_replace.emit((file.clone(), picked));
            }
            input.set_value("");
        })
    };
    let mapped = |column: &str| -> Vec<String> {
        let Some(model) = &props.model else {
            return Vec::new();
        };
        let mut out: Vec<String> = model
            .identifiers
            .iter()
            .filter(|(_, cols)| cols.as_slice().iter().any(|c| c == column))
            .map(|(identifier, _)| identifier.clone())
            .collect();
        out.extend(
            model
                .fields
                .iter()
                .filter(|(_, c)| *c == column)
                .map(|(field, _)| format!("field {field}")),
        );
        out
    };
    let settings = props.model.as_ref().map(|model| {
        let name = model.name.clone();
        let on_key = {
            let on_edit = props.on_edit.clone();
            let name = name.clone();
            Callback::from(move |column| on_edit.emit(Edit::SetPrimaryKey { model: name.clone(), column }))
        };
        let on_order = {
            let on_edit = props.on_edit.clone();
            let name = name.clone();
            Callback::from(move |column| on_edit.emit(Edit::SetOrderBy { model: name.clone(), column }))
        };
        let on_priority = {
            let on_edit = props.on_edit.clone();
            let name = name.clone();
            Callback::from(move |event: Event| {
                let input: HtmlInputElement = event.target_unchecked_into();
                if let Ok(priority) = input.value().trim().parse::<u32>() {
                    on_edit.emit(Edit::SetPriority { model: name.clone(), priority });
                }
            })
        };
        let on_one = {
            let on_edit = props.on_edit.clone();
            let name = name.clone();
            Callback::from(move |event: Event| {
                let input: HtmlInputElement = event.target_unchecked_into();
                on_edit.emit(Edit::SetOnePerProfile { model: name.clone(), on: input.checked() });
            })
        };
        html! {
            <div class="model-settings">
                <label>
                    <span>{ "Primary key" }</span>
                    { column_select(format!("key-{slug}"), &columns, model.primary_key.as_deref(),
                        summary.suggested_key.as_deref(), false, on_key) }
                </label>
                <label>
                    <span>{ "Order field (last update)" }</span>
                    { column_select(format!("order-{slug}"), &columns, model.order_by.as_deref(),
                        summary.suggested_order.as_deref(), true, on_order) }
                </label>
                <label>
                    <span>{ "Priority (1 = most trusted)" }</span>
                    <input id={format!("priority-{slug}")} type="number" min="1" value={model.priority.to_string()} onchange={on_priority} />
                </label>
                <label class="check">
                    <input type="checkbox" checked={model.one_per_profile} onchange={on_one} />
                    <span>{ "At most one record of this file per profile" }</span>
                </label>
            </div>
        }
    });
    let role = match props.role {
        FileRole::Model => html! { <span class="badge ok">{ "profile model" }</span> },
        FileRole::Events => html! { <span class="badge info">{ "event file" }</span> },
        FileRole::Unused => html! { <span class="badge">{ "not in the graph" }</span> },
    };
    let add_model = props.on_add_model.reform(|_: MouseEvent| ());
    html! {
        <article class="card file-card" id={format!("file-{slug}")} aria-label={format!("File {}", summary.file)}>
            <header class="card-head">
                <div>
                    <h2>{ summary.file.clone() }</h2>
                    <p class="muted">
                        { format!("model `{}` · {} rows · {} columns · {}", summary.model, thousands(summary.rows as u64),
                            summary.columns.len(), human_bytes(summary.bytes)) }
                    </p>
                </div>
                <div class="card-actions">
                    { role }
                    if props.role == FileRole::Unused {
                        <button onclick={add_model}>{ "Use as a model" }</button>
                    }
                    <label class="button" for={format!("replace-{slug}")}>{ "Replace" }</label>
                    <input id={format!("replace-{slug}")} class="visually-hidden" type="file" accept=".csv,text/csv" onchange={on_replace} />
                    <button class="danger" onclick={on_remove} aria-label={format!("Remove {}", summary.file)}>{ "Remove" }</button>
                </div>
            </header>
            <ProblemList problems={props.problems.clone()} />
            { settings.unwrap_or_default() }
            <table class="columns-table">
                <caption class="visually-hidden">{ format!("Columns of {}", summary.file) }</caption>
                <thead><tr>
                    <th scope="col">{ "Column" }</th><th scope="col">{ "Detected" }</th><th scope="col">{ "Filled" }</th>
                    <th scope="col">{ "Distinct" }</th><th scope="col">{ "Top values" }</th><th scope="col">{ "Mapped to" }</th>
                </tr></thead>
                <tbody>
                { for summary.columns.iter().map(|c| {
                    let fill = if summary.rows == 0 { 0.0 } else { c.filled as f64 / summary.rows as f64 };
                    html! {
                        <tr>
                            <th scope="row"><code>{ c.name.clone() }</code></th>
                            <td><span class={classes!("kind", kind_class(c.kind))}>{ c.kind.label() }</span></td>
                            <td class="fill">
                                <span class="meter" aria-hidden="true"><span style={format!("width:{:.0}%", fill * 100.0)}></span></span>
                                { percent(fill) }
                            </td>
                            <td class="num">{ thousands(c.distinct as u64) }</td>
                            <td class="top">{ for c.top.iter().map(|(value, n)| html! {
                                <span class="chip" title={format!("{n} rows")}>{ value.clone() }<small>{ format!(" ×{n}") }</small></span>
                            }) }</td>
                            <td>{ for mapped(&c.name).into_iter().map(|m| html! { <span class="chip mapped">{ m }</span> }) }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            <details class="preview">
                <summary>{ format!("Preview of the first {} rows", summary.preview.len()) }</summary>
                <div class="table-scroll">
                    <table class="data-table">
                        <thead><tr>{ for columns.iter().map(|c| html! { <th scope="col">{ c.clone() }</th> }) }</tr></thead>
                        <tbody>{ for summary.preview.iter().map(|row| html! {
                            <tr>{ for row.iter().map(|cell| html! { <td>{ cell.clone() }</td> }) }</tr>
                        }) }</tbody>
                    </table>
                </div>
            </details>
        </article>
    }
}
