//! One event model on the Events screen: its key, time and type columns, and each identifier mapping on its
//! own, removable one by one and added column by column, like a profile model's mappings.

use crate::graph_edit::{Edit, mappings_of};
use spine_core::options::EventModel;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventModelCardProps {
    pub model: EventModel,
    /// The columns of the loaded file, when it is loaded.
    pub columns: Option<Vec<String>>,
    /// Every identifier of the graph, the only names an event column can map to.
    pub identifiers: Vec<String>,
    pub on_edit: Callback<Edit>,
    pub on_remove: Callback<()>,
}

#[component]
pub fn EventModelCard(props: &EventModelCardProps) -> Html {
    let m = &props.model;
    let column_ref = use_node_ref();
    let identifier_ref = use_node_ref();
    let unmap = |identifier: &str, column: &str| {
        let edit = Edit::UnmapEvent {
            model: m.name.clone(),
            column: column.to_owned(),
            identifier: identifier.to_owned(),
        };
        props.on_edit.reform(move |_: MouseEvent| edit.clone())
    };
    let on_map = {
        let (column_ref, identifier_ref, on_edit, model) = (
            column_ref.clone(),
            identifier_ref.clone(),
            props.on_edit.clone(),
            m.name.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(column), Some(identifier)) = (
                column_ref.cast::<HtmlSelectElement>(),
                identifier_ref.cast::<HtmlSelectElement>(),
            ) else {
                return;
            };
            let (column, identifier) = (column.value(), identifier.value());
            if !column.is_empty() && !identifier.is_empty() {
                on_edit.emit(Edit::MapEvent {
                    model: model.clone(),
                    column,
                    identifier,
                });
            }
        })
    };
    // The key, time and type columns hold the event itself, so they are not offered as identifiers.
    let offered: Vec<&String> = props
        .columns
        .iter()
        .flatten()
        .filter(|c| **c != m.key && **c != m.timestamp && Some(*c) != m.event_type.as_ref())
        .collect();
    let on_remove = props.on_remove.reform(|_: MouseEvent| ());
    let name = &m.name;
    html! {
        <li class="event-model" id={format!("event-model-{name}")}>
            <strong>{ name.clone() }</strong>
            <span class="muted">{ format!(" · key {} · time {}{}", m.key, m.timestamp, m.event_type.as_ref().map(|t| format!(" · type {t}")).unwrap_or_default()) }</span>
            <div class="event-mappings">
                if m.identifiers.is_empty() {
                    <span class="muted small">{ "No column maps to an identifier: its events cannot be stitched." }</span>
                }
                { for mappings_of(&m.identifiers).into_iter().map(|(identifier, column)| html! {
                    <span class="chip mapped" data-mapping={format!("{identifier}={column}")}>{ format!("{identifier} ← {column}") }
                        <button class="chip-x" aria-label={format!("Unmap {column} from {identifier}")}
                            onclick={unmap(&identifier, &column)}>{ "×" }</button></span>
                }) }
            </div>
            if props.columns.is_some() {
                <form class="row event-map" onsubmit={on_map}>
                    <select id={format!("event-column-{name}")} ref={column_ref} aria-label={format!("A column of {name}")}>
                        { for offered.iter().enumerate().map(|(i, c)| html! { <option value={(*c).clone()} selected={i == 0}>{ (*c).clone() }</option> }) }
                    </select>
                    <span class="muted">{ "→" }</span>
                    <select id={format!("event-identifier-{name}")} ref={identifier_ref} aria-label="Identifier">
                        { for props.identifiers.iter().enumerate().map(|(i, n)| html! { <option value={n.clone()} selected={i == 0}>{ n.clone() }</option> }) }
                    </select>
                    <button class="small" type="submit" id={format!("event-map-{name}")}
                        disabled={offered.is_empty() || props.identifiers.is_empty()}>{ "Map" }</button>
                </form>
            } else {
                <p class="muted small">{ format!("Load {name}.csv on the Data screen to stitch it and map its columns.") }</p>
            }
            <button class="small danger" onclick={on_remove}>{ "Remove" }</button>
        </li>
    }
}
