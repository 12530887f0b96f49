//! The stitching policy: identifiers tried strongest first (reorder, add, remove), which are anonymous,
//! backfill and its lifetime in days.

use crate::graph_edit::{Edit, move_item};
use spine_core::options::{Events, IdentityGraph};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventPolicyProps {
    pub graph: Rc<IdentityGraph>,
    pub events: Events,
    pub on_edit: Callback<Edit>,
}

#[component]
pub fn EventPolicy(props: &EventPolicyProps) -> Html {
    let set = |change: Box<dyn Fn(&mut Events)>| {
        let (on_edit, events) = (props.on_edit.clone(), props.events.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = events.clone();
            change(&mut next);
            on_edit.emit(Edit::SetEvents(Some(Box::new(next))));
        })
    };
    let priority = &props.events.priority;
    let count = priority.len();
    let add = {
        let (on_edit, events) = (props.on_edit.clone(), props.events.clone());
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let name = select.value();
            if !name.is_empty() && !events.priority.contains(&name) {
                let mut next = events.clone();
                next.priority.push(name);
                on_edit.emit(Edit::SetEvents(Some(Box::new(next))));
            }
            select.set_value("");
        })
    };
    let on_backfill = {
        let (on_edit, events) = (props.on_edit.clone(), props.events.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut next = events.clone();
            next.backfill = input.checked();
            on_edit.emit(Edit::SetEvents(Some(Box::new(next))));
        })
    };
    let on_lifetime = {
        let (on_edit, events) = (props.on_edit.clone(), props.events.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut next = events.clone();
            next.lifetime_days = input.value().trim().parse().ok();
            on_edit.emit(Edit::SetEvents(Some(Box::new(next))));
        })
    };
    let others: Vec<&String> = props
        .graph
        .identifiers
        .iter()
        .map(|i| &i.name)
        .filter(|n| !priority.contains(n))
        .collect();
    html! {
        <div class="event-policy">
            <h3>{ "Stitching policy" }</h3>
            <p class="muted small">{ "Each event is stitched by the first of these identifiers whose value belongs to exactly one profile." }</p>
            <ol class="priority-list">
                { for priority.iter().enumerate().map(|(i, name)| {
                    let anonymous = props.events.anonymous.contains(name);
                    let toggle = {
                        let name = name.clone();
                        set(Box::new(move |e: &mut Events| {
                            if e.anonymous.contains(&name) { e.anonymous.retain(|a| *a != name) } else { e.anonymous.push(name.clone()) }
                        }))
                    };
                    html! {
                        <li class="priority-item">
                            <span class="priority">{ i + 1 }</span>
                            <strong>{ name.clone() }</strong>
                            <label class="check">
                                <input type="checkbox" checked={anonymous} onclick={toggle} />
                                <span>{ "anonymous" }</span>
                            </label>
                            <span class="grow"></span>
                            <button class="icon" aria-label={format!("Try {name} earlier")} disabled={i == 0}
                                onclick={set(Box::new(move |e: &mut Events| move_item(&mut e.priority, i, i.saturating_sub(1))))}>{ "↑" }</button>
                            <button class="icon" aria-label={format!("Try {name} later")} disabled={i + 1 == count}
                                onclick={set(Box::new(move |e: &mut Events| move_item(&mut e.priority, i, i + 1)))}>{ "↓" }</button>
                            <button class="icon danger" aria-label={format!("Stop stitching by {name}")}
                                onclick={{ let name = name.clone(); set(Box::new(move |e: &mut Events| { e.priority.retain(|p| *p != name); e.anonymous.retain(|a| *a != name); })) }}>{ "✕" }</button>
                        </li>
                    }
                }) }
            </ol>
            if !others.is_empty() {
                <select aria-label="Add an identifier to the stitching priority" onchange={add}>
                    <option value="" selected=true>{ "+ stitch by…" }</option>
                    { for others.iter().map(|n| html! { <option value={(*n).clone()}>{ (*n).clone() }</option> }) }
                </select>
            }
            <div class="row policy-options">
                <label class="check">
                    <input id="backfill" type="checkbox" checked={props.events.backfill} onchange={on_backfill} />
                    <span>{ "Backfill: give anonymous visits to the profile that later logs in" }</span>
                </label>
                <label class="stack">
                    <span>{ "within (days)" }</span>
                    <input type="number" min="1" placeholder="no limit" value={props.events.lifetime_days.map(|d| d.to_string()).unwrap_or_default()}
                        onchange={on_lifetime} />
                </label>
            </div>
        </div>
    }
}
