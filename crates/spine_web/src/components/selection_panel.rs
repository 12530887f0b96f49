//! The side panel of the identity graph: details of what is selected on the drawing and precise controls to
//! map, unmap, add identifiers and remove criteria without aiming at lines.

use crate::components::graph_canvas::Selection;
use crate::graph_edit::{Edit, parse_snake, snake};
use crate::protocol::FileSummary;
use spine_core::options::IdentityGraph;
use spine_core::settings::IdentifierKind;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Every identifier kind, in the SPEC's order.
pub const KINDS: [IdentifierKind; 10] = [
    IdentifierKind::Email,
    IdentifierKind::Phone,
    IdentifierKind::UserId,
    IdentifierKind::CustomerId,
    IdentifierKind::CrmId,
    IdentifierKind::AnonymousId,
    IdentifierKind::DeviceId,
    IdentifierKind::AccountId,
    IdentifierKind::Name,
    IdentifierKind::Custom,
];

#[derive(Properties, PartialEq)]
pub struct SelectionPanelProps {
    pub graph: Rc<IdentityGraph>,
    pub files: Rc<Vec<FileSummary>>,
    pub selection: Selection,
    pub on_select: Callback<Selection>,
    pub on_edit: Callback<Edit>,
}

fn kind_options(selected: IdentifierKind) -> Html {
    html! { <>{ for KINDS.iter().map(|k| html! {
        <option value={snake(k)} selected={*k == selected}>{ snake(k) }</option>
    }) }</> }
}

#[component]
pub fn SelectionPanel(props: &SelectionPanelProps) -> Html {
    let graph = &props.graph;
    let new_name = use_node_ref();
    let new_kind = use_node_ref();
    let map_to = use_node_ref();
    let add_identifier = {
        let (new_name, new_kind, on_edit) =
            (new_name.clone(), new_kind.clone(), props.on_edit.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(name), Some(kind)) = (
                new_name.cast::<HtmlInputElement>(),
                new_kind.cast::<HtmlSelectElement>(),
            ) else {
                return;
            };
            let value = name.value().trim().to_owned();
            if !value.is_empty() {
                on_edit.emit(Edit::AddIdentifier {
                    name: value,
                    kind: parse_snake(&kind.value()).unwrap_or(IdentifierKind::Custom),
                });
                name.set_value("");
            }
        })
    };
    let clear = props.on_select.reform(|_: MouseEvent| Selection::None);
    let body = match &props.selection {
        Selection::None => html! {
            <p class="muted">{ "Click a column on the left, then an identifier in the middle, to map it. Click an identifier, then a rule, to add an exact criterion. Select a line and press Delete to remove it. Everything is also reachable with Tab and Enter." }</p>
        },
        Selection::Column { model, column } => {
            let summary = props
                .files
                .iter()
                .find(|f| f.model == *model)
                .and_then(|f| f.columns.iter().find(|c| c.name == *column).cloned());
            let current: Vec<String> = graph
                .models
                .iter()
                .find(|m| m.name == *model)
                .map(|m| {
                    m.identifiers
                        .iter()
                        .filter(|(_, c)| c.as_slice().contains(column))
                        .map(|(i, _)| i.clone())
                        .collect()
                })
                .unwrap_or_default();
            let on_map = {
                let (map_to, on_edit, on_select) = (
                    map_to.clone(),
                    props.on_edit.clone(),
                    props.on_select.clone(),
                );
                let (model, column, graph) = (model.clone(), column.clone(), graph.clone());
                Callback::from(move |_: MouseEvent| {
                    if let Some(select) = map_to.cast::<HtmlSelectElement>() {
                        let identifier = select.value();
                        let kind = graph
                            .identifiers
                            .iter()
                            .find(|i| i.name == identifier)
                            .map_or(IdentifierKind::Custom, |i| i.kind);
                        if !identifier.is_empty() {
                            on_edit.emit(Edit::Map {
                                model: model.clone(),
                                column: column.clone(),
                                identifier,
                                kind,
                            });
                            on_select.emit(Selection::None);
                        }
                    }
                })
            };
            html! {
                <div class="selected">
                    <h3>{ "Column " }<code>{ format!("{model}.{column}") }</code></h3>
                    if let Some(c) = summary {
                        <p class="muted">{ format!("{} · {} distinct · {} filled", c.kind.label(), c.distinct, c.filled) }</p>
                    }
                    if !current.is_empty() {
                        <p>{ "Mapped to: " }{ for current.iter().map(|i| {
                            let on_edit = props.on_edit.clone();
                            let edit = Edit::Unmap { model: model.clone(), column: column.clone(), identifier: i.clone() };
                            html! { <span class="chip mapped">{ i.clone() }
                                <button class="chip-x" aria-label={format!("Unmap {column} from {i}")}
                                    onclick={Callback::from(move |_: MouseEvent| on_edit.emit(edit.clone()))}>{ "×" }</button></span> }
                        }) }</p>
                    }
                    <label class="stack">
                        <span>{ "Map to identifier" }</span>
                        <select id="map-to" ref={map_to.clone()}>
                            { for graph.identifiers.iter().enumerate().map(|(n, i)| html! { <option value={i.name.clone()} selected={n == 0}>{ i.name.clone() }</option> }) }
                        </select>
                    </label>
                    <div class="row">
                        <button id="map-button" class="primary small" onclick={on_map} disabled={graph.identifiers.is_empty()}>{ "Map" }</button>
                        <button class="small" onclick={clear.clone()}>{ "Cancel" }</button>
                    </div>
                    <p class="muted small">{ "Or click an identifier on the drawing." }</p>
                </div>
            }
        }
        Selection::Identifier(name) => {
            let uses: Vec<String> = graph
                .models
                .iter()
                .flat_map(|m| {
                    m.identifiers
                        .get(name)
                        .map(|c| {
                            c.as_slice()
                                .iter()
                                .map(|col| format!("{}.{}", m.name, col))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                })
                .collect();
            let remove = {
                let (on_edit, on_select, name) =
                    (props.on_edit.clone(), props.on_select.clone(), name.clone());
                Callback::from(move |_: MouseEvent| {
                    on_edit.emit(Edit::RemoveIdentifier { name: name.clone() });
                    on_select.emit(Selection::None);
                })
            };
            html! {
                <div class="selected">
                    <h3>{ "Identifier " }<strong>{ name.clone() }</strong></h3>
                    <p class="muted">{ if uses.is_empty() { "No column maps to it yet.".to_owned() } else { format!("Columns: {}", uses.join(", ")) } }</p>
                    <p class="muted small">{ "Click a rule on the right to add an exact criterion on it; edit its standardization on the Rules & guardrails screen." }</p>
                    <div class="row">
                        <button class="danger small" onclick={remove}>{ "Remove identifier" }</button>
                        <button class="small" onclick={clear.clone()}>{ "Cancel" }</button>
                    </div>
                </div>
            }
        }
        Selection::Mapping {
            model,
            column,
            identifier,
        } => {
            let remove = {
                let (on_edit, on_select) = (props.on_edit.clone(), props.on_select.clone());
                let edit = Edit::Unmap {
                    model: model.clone(),
                    column: column.clone(),
                    identifier: identifier.clone(),
                };
                Callback::from(move |_: MouseEvent| {
                    on_edit.emit(edit.clone());
                    on_select.emit(Selection::None);
                })
            };
            html! {
                <div class="selected">
                    <h3>{ "Mapping" }</h3>
                    <p><code>{ format!("{model}.{column}") }</code>{ " → " }<strong>{ identifier.clone() }</strong></p>
                    <div class="row">
                        <button id="remove-mapping" class="danger small" onclick={remove}>{ "Remove mapping" }</button>
                        <button class="small" onclick={clear.clone()}>{ "Cancel" }</button>
                    </div>
                </div>
            }
        }
        Selection::Criterion { rule, criterion } => {
            let described = graph.rules.get(*rule).and_then(|r| {
                r.criteria.get(*criterion).map(|c| {
                    (
                        r.name.clone(),
                        c.identifiers.join(" | "),
                        snake(&c.match_type),
                    )
                })
            });
            let remove = {
                let (on_edit, on_select) = (props.on_edit.clone(), props.on_select.clone());
                let edit = Edit::RemoveCriterion {
                    rule: *rule,
                    criterion: *criterion,
                };
                Callback::from(move |_: MouseEvent| {
                    on_edit.emit(edit.clone());
                    on_select.emit(Selection::None);
                })
            };
            html! {
                <div class="selected">
                    <h3>{ "Criterion" }</h3>
                    if let Some((rule, identifiers, match_type)) = described {
                        <p>{ format!("Rule {rule}: {identifiers} must match ({match_type}).") }</p>
                    }
                    <div class="row">
                        <button class="danger small" onclick={remove}>{ "Remove criterion" }</button>
                        <button class="small" onclick={clear.clone()}>{ "Cancel" }</button>
                    </div>
                </div>
            }
        }
    };
    html! {
        <div class="selection-panel">
            { body }
            <form class="add-identifier" onsubmit={add_identifier}>
                <h3>{ "New identifier" }</h3>
                <div class="row">
                    <input id="new-identifier-name" ref={new_name} placeholder="name, e.g. loyalty_id" aria-label="New identifier name" />
                    <select ref={new_kind} aria-label="New identifier kind">{ kind_options(IdentifierKind::Custom) }</select>
                    <button class="small" type="submit">{ "Add" }</button>
                </div>
            </form>
        </div>
    }
}
