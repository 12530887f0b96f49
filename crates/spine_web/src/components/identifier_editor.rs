//! Each identifier's definition: its kind, the standardization steps applied before matching (in order),
//! blocked values and patterns, the frequent-value quarantine and the conflict limit.

use crate::components::problem_list::{ProblemList, problems_under};
use crate::components::selection_panel::KINDS;
use crate::graph_edit::{Edit, IdentifierChange, move_item, parse_snake, snake};
use crate::protocol::Problem;
use spine_core::options::{Identifier, IdentityGraph};
use spine_core::settings::{DateOrder, IdentifierKind, Step};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Lines of a text area as a list, blank lines dropped.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An optional whole number from a text field: empty means none; anything unreadable is ignored.
fn optional_number<T: std::str::FromStr>(text: &str) -> Result<Option<T>, ()> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        text.parse().map(Some).map_err(|_| ())
    }
}

#[derive(Properties, PartialEq)]
pub struct IdentifierEditorProps {
    pub graph: Rc<IdentityGraph>,
    pub problems: Rc<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
}

fn identifier_card(
    index: usize,
    identifier: &Identifier,
    problems: &[Problem],
    on_edit: &Callback<Edit>,
) -> Html {
    let name = identifier.name.clone();
    let change = |f: fn(String) -> Option<IdentifierChange>| {
        let (on_edit, name) = (on_edit.clone(), name.clone());
        Callback::from(move |value: String| {
            if let Some(change) = f(value) {
                on_edit.emit(Edit::SetIdentifier {
                    name: name.clone(),
                    change,
                });
            }
        })
    };
    let from_input = |callback: Callback<String>| {
        callback.reform(|event: Event| event.target_unchecked_into::<HtmlInputElement>().value())
    };
    let from_area = |callback: Callback<String>| {
        callback.reform(|event: Event| event.target_unchecked_into::<HtmlTextAreaElement>().value())
    };
    let from_select = |callback: Callback<String>| {
        callback.reform(|event: Event| event.target_unchecked_into::<HtmlSelectElement>().value())
    };
    let steps = identifier.standardize.clone();
    let set_steps = |steps: Vec<Step>| {
        let (on_edit, name) = (on_edit.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            on_edit.emit(Edit::SetIdentifier {
                name: name.clone(),
                change: IdentifierChange::Steps(steps.clone()),
            })
        })
    };
    let add_step = {
        let (on_edit, name, steps) = (on_edit.clone(), name.clone(), steps.clone());
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some(step) = parse_snake::<Step>(&select.value()) {
                let mut steps = steps.clone();
                steps.push(step);
                on_edit.emit(Edit::SetIdentifier {
                    name: name.clone(),
                    change: IdentifierChange::Steps(steps),
                });
            }
            select.set_value("");
        })
    };
    let uses_phone = identifier.kind == IdentifierKind::Phone || steps.contains(&Step::Phone);
    let uses_date = steps.contains(&Step::Date);
    let mine: Vec<Problem> = problems_under(problems, &format!("identifiers[{index}]"))
        .into_iter()
        .cloned()
        .collect();
    let slug = format!("identifier-{}", identifier.name);
    html! {
        <li class="card identifier-card" id={slug.clone()}>
            <header class="row-between">
                <h3>{ identifier.name.clone() }</h3>
                <select aria-label={format!("Kind of {}", identifier.name)}
                    onchange={from_select(change(|v| parse_snake(&v).map(IdentifierChange::Kind)))}>
                    { for KINDS.iter().map(|k| html! { <option value={snake(k)} selected={*k == identifier.kind}>{ snake(k) }</option> }) }
                </select>
            </header>
            <ProblemList problems={mine} />
            <div class="field">
                <span class="label">{ "Standardization, in order" }</span>
                <ol class="steps">
                    { for steps.iter().enumerate().map(|(i, step)| {
                        let mut without = steps.clone();
                        without.remove(i);
                        let mut earlier = steps.clone();
                        move_item(&mut earlier, i, i.saturating_sub(1));
                        html! {
                            <li class="chip step">
                                { snake(step) }
                                if i > 0 {
                                    <button class="chip-x" aria-label={format!("Move step {} earlier", snake(step))} onclick={set_steps(earlier)}>{ "←" }</button>
                                }
                                <button class="chip-x" aria-label={format!("Remove step {}", snake(step))} onclick={set_steps(without)}>{ "×" }</button>
                            </li>
                        }
                    }) }
                    <li>
                        <select class="add-step" aria-label={format!("Add a step to {}", identifier.name)} onchange={add_step}>
                            <option value="" selected=true>{ "+ step" }</option>
                            { for Step::ALL.iter().map(|s| html! { <option value={snake(s)}>{ snake(s) }</option> }) }
                        </select>
                    </li>
                </ol>
            </div>
            <div class="grid-2">
                if uses_phone {
                    <label class="stack">
                        <span>{ "Default phone region (ISO code)" }</span>
                        <input value={identifier.default_region.clone().unwrap_or_default()} placeholder="FR"
                            onchange={from_input(change(|v| Some(IdentifierChange::DefaultRegion(Some(v.trim().to_uppercase()).filter(|v| !v.is_empty())))))} />
                    </label>
                }
                if uses_date {
                    <label class="stack">
                        <span>{ "Date order for 1/2/2024" }</span>
                        <select onchange={from_select(change(|v| Some(IdentifierChange::DateOrder(parse_snake::<DateOrder>(&v)))))}>
                            <option value="dmy" selected={identifier.date_order != Some(DateOrder::Mdy)}>{ "day first (dmy)" }</option>
                            <option value="mdy" selected={identifier.date_order == Some(DateOrder::Mdy)}>{ "month first (mdy)" }</option>
                        </select>
                    </label>
                }
                <label class="stack">
                    <span>{ "Conflict limit (distinct values per profile)" }</span>
                    <input type="number" min="1" placeholder="no limit" class="conflict-limit"
                        value={identifier.conflict_limit.map(|n| n.to_string()).unwrap_or_default()}
                        onchange={from_input(change(|v| optional_number::<u32>(&v).ok().map(IdentifierChange::ConflictLimit)))} />
                </label>
                <label class="stack">
                    <span>{ "Quarantine a value held by more than … records" }</span>
                    <input type="number" min="1" placeholder="no limit"
                        value={identifier.max_records_per_value.map(|n| n.to_string()).unwrap_or_default()}
                        onchange={from_input(change(|v| optional_number::<u64>(&v).ok().map(IdentifierChange::MaxRecordsPerValue)))} />
                </label>
            </div>
            <details class="blocking" open={!identifier.blocked_values.is_empty() || !identifier.blocked_patterns.is_empty()}>
                <summary>{ format!("Blocked values ({}) and patterns ({})", identifier.blocked_values.len(), identifier.blocked_patterns.len()) }</summary>
                <div class="grid-2">
                    <label class="stack">
                        <span>{ "Blocked values (one per line)" }</span>
                        <textarea rows="3" value={identifier.blocked_values.join("\n")}
                            onchange={from_area(change(|v| Some(IdentifierChange::BlockedValues(lines(&v)))))} />
                    </label>
                    <label class="stack">
                        <span>{ "Blocked patterns (regular expressions, one per line)" }</span>
                        <textarea rows="3" value={identifier.blocked_patterns.join("\n")}
                            onchange={from_area(change(|v| Some(IdentifierChange::BlockedPatterns(lines(&v)))))} />
                    </label>
                </div>
            </details>
        </li>
    }
}

#[component]
pub fn IdentifierEditor(props: &IdentifierEditorProps) -> Html {
    html! {
        <section class="identifier-editor" aria-labelledby="identifiers-title">
            <h2 id="identifiers-title">{ "Identifiers and standardization" }</h2>
            <p class="muted">{ "Values are standardized before matching; a blocked or quarantined value is never used to match but stays in the audit tables." }</p>
            if props.graph.identifiers.is_empty() {
                <p class="empty">{ "No identifier yet: map columns on the Identity graph screen." }</p>
            }
            <ul class="identifiers">
                { for props.graph.identifiers.iter().enumerate().map(|(i, identifier)| identifier_card(i, identifier, &props.problems, &props.on_edit)) }
            </ul>
        </section>
    }
}
