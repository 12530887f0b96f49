//! The ordered matching rules: the first is the strongest and runs first. Reorder with the arrow buttons or by
//! dragging; edit each rule's criteria (identifiers pooled with `|`, a match type, a threshold).

use crate::components::problem_list::{ProblemList, problems_under};
use crate::graph_edit::{Edit, parse_snake, snake};
use crate::protocol::Problem;
use spine_core::options::{IdentityGraph, MatchType};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The match types in the order offered.
const MATCH_TYPES: [(MatchType, &str); 4] = [
    (MatchType::Exact, "exact"),
    (MatchType::FuzzyMedium, "fuzzy, medium"),
    (MatchType::FuzzyStrong, "fuzzy, strong"),
    (MatchType::Fuzzy, "fuzzy, own threshold"),
];

#[derive(Properties, PartialEq)]
pub struct RuleEditorProps {
    pub graph: Rc<IdentityGraph>,
    pub problems: Rc<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
}

/// A name for a new rule that no rule has yet.
pub fn fresh_rule_name(graph: &IdentityGraph) -> String {
    (1..)
        .map(|n| format!("rule_{n}"))
        .find(|name| graph.rules.iter().all(|r| r.name != *name))
        .unwrap_or_default()
}

#[component]
pub fn RuleEditor(props: &RuleEditorProps) -> Html {
    let graph = &props.graph;
    let dragged = use_state(|| None::<usize>);
    let emit = |edit: Edit| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| on_edit.emit(edit.clone()))
    };
    let add_rule = {
        let on_edit = props.on_edit.clone();
        let name = fresh_rule_name(graph);
        Callback::from(move |_: MouseEvent| on_edit.emit(Edit::AddRule { name: name.clone() }))
    };
    let count = graph.rules.len();
    let rules = graph.rules.iter().enumerate().map(|(r, rule)| {
        let rename = {
            let on_edit = props.on_edit.clone();
            Callback::from(move |event: Event| {
                let input: HtmlInputElement = event.target_unchecked_into();
                on_edit.emit(Edit::RenameRule { index: r, name: input.value().trim().to_owned() });
            })
        };
        let ondragstart = {
            let dragged = dragged.clone();
            Callback::from(move |_: DragEvent| dragged.set(Some(r)))
        };
        let ondragover = Callback::from(|event: DragEvent| event.prevent_default());
        let ondrop = {
            let (dragged, on_edit) = (dragged.clone(), props.on_edit.clone());
            Callback::from(move |event: DragEvent| {
                event.prevent_default();
                if let Some(from) = *dragged {
                    on_edit.emit(Edit::MoveRule { from, to: r });
                }
                dragged.set(None);
            })
        };
        let criteria = rule.criteria.iter().enumerate().map(|(c, criterion)| {
            let on_match = {
                let on_edit = props.on_edit.clone();
                let threshold = criterion.threshold;
                Callback::from(move |event: Event| {
                    let select: HtmlSelectElement = event.target_unchecked_into();
                    if let Some(match_type) = parse_snake::<MatchType>(&select.value()) {
                        on_edit.emit(Edit::SetCriterionMatch { rule: r, criterion: c, match_type, threshold });
                    }
                })
            };
            let on_threshold = {
                let on_edit = props.on_edit.clone();
                Callback::from(move |event: Event| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    if let Some(value) = crate::browser::parse_f64(input.value().trim()) {
                        on_edit.emit(Edit::SetCriterionMatch { rule: r, criterion: c, match_type: MatchType::Fuzzy, threshold: Some(value) });
                    }
                })
            };
            let pool = {
                let on_edit = props.on_edit.clone();
                let identifiers = criterion.identifiers.clone();
                Callback::from(move |event: Event| {
                    let select: HtmlSelectElement = event.target_unchecked_into();
                    let value = select.value();
                    if !value.is_empty() && !identifiers.contains(&value) {
                        let mut identifiers = identifiers.clone();
                        identifiers.push(value);
                        on_edit.emit(Edit::SetCriterionIdentifiers { rule: r, criterion: c, identifiers });
                    }
                    select.set_value("");
                })
            };
            let others: Vec<&String> = graph.identifiers.iter().map(|i| &i.name).filter(|n| !criterion.identifiers.contains(n)).collect();
            html! {
                <li class="criterion">
                    <span class="criterion-ids">
                        { for criterion.identifiers.iter().map(|name| {
                            let rest: Vec<String> = criterion.identifiers.iter().filter(|n| *n != name).cloned().collect();
                            html! {
                                <span class="chip">{ name.clone() }
                                    if !rest.is_empty() {
                                        <button class="chip-x" aria-label={format!("Unpool {name}")}
                                            onclick={emit(Edit::SetCriterionIdentifiers { rule: r, criterion: c, identifiers: rest })}>{ "×" }</button>
                                    }
                                </span>
                            }
                        }) }
                        if !others.is_empty() {
                            <select class="pool" aria-label="Pool another identifier into this criterion" onchange={pool}>
                                <option value="" selected=true>{ "+ or…" }</option>
                                { for others.iter().map(|n| html! { <option value={(*n).clone()}>{ (*n).clone() }</option> }) }
                            </select>
                        }
                    </span>
                    <select class="match" aria-label={format!("Match type of criterion {} of rule {}", c + 1, rule.name)} onchange={on_match}>
                        { for MATCH_TYPES.iter().map(|(m, label)| html! {
                            <option value={snake(m)} selected={*m == criterion.match_type}>{ *label }</option>
                        }) }
                    </select>
                    if criterion.match_type == MatchType::Fuzzy {
                        <input class="threshold" type="number" min="0.01" max="1" step="0.01" aria-label="Threshold"
                            value={format!("{:.2}", criterion.threshold.unwrap_or(0.9))} onchange={on_threshold} />
                    }
                    <button class="remove-criterion icon" aria-label={format!("Remove criterion {} of rule {}", c + 1, rule.name)}
                        onclick={emit(Edit::RemoveCriterion { rule: r, criterion: c })}>{ "✕" }</button>
                </li>
            }
        });
        let add_criterion = {
            let on_edit = props.on_edit.clone();
            Callback::from(move |event: Event| {
                let select: HtmlSelectElement = event.target_unchecked_into();
                let identifier = select.value();
                if !identifier.is_empty() {
                    on_edit.emit(Edit::AddCriterion { rule: r, identifier });
                }
                select.set_value("");
            })
        };
        let mine: Vec<Problem> = problems_under(&props.problems, &format!("rules[{r}]")).into_iter().cloned().collect();
        html! {
            <li class={classes!("card", "rule-card", (*dragged == Some(r)).then_some("dragging"))} draggable="true"
                {ondragstart} {ondragover} {ondrop} data-rule={rule.name.clone()}>
                <header class="rule-head">
                    <span class="drag-handle" aria-hidden="true" title="Drag to reorder">{ "⠿" }</span>
                    <span class="priority" title="Priority: rules run in this order">{ r + 1 }</span>
                    <input class="rule-name" value={rule.name.clone()} aria-label={format!("Name of rule {}", r + 1)} onchange={rename} />
                    <button class="move-up icon" aria-label={format!("Move rule {} up", rule.name)} disabled={r == 0}
                        onclick={emit(Edit::MoveRule { from: r, to: r.saturating_sub(1) })}>{ "↑" }</button>
                    <button class="move-down icon" aria-label={format!("Move rule {} down", rule.name)} disabled={r + 1 == count}
                        onclick={emit(Edit::MoveRule { from: r, to: r + 1 })}>{ "↓" }</button>
                    <button class="remove-rule small danger" aria-label={format!("Remove rule {}", rule.name)}
                        onclick={emit(Edit::RemoveRule { index: r })}>{ "Remove" }</button>
                </header>
                <ProblemList problems={mine} />
                <p class="muted small">{ "All criteria must hold; at least one must be exact." }</p>
                <ul class="criteria">{ for criteria }</ul>
                <select class="add-criterion" aria-label={format!("Add a criterion to rule {}", rule.name)} onchange={add_criterion}>
                    <option value="" selected=true>{ "+ add a criterion on…" }</option>
                    { for graph.identifiers.iter().map(|i| html! { <option value={i.name.clone()}>{ i.name.clone() }</option> }) }
                </select>
            </li>
        }
    });
    html! {
        <section class="rule-editor" aria-labelledby="rules-title">
            <div class="row-between">
                <h2 id="rules-title">{ "Matching rules" }</h2>
                <button id="add-rule" class="primary small" onclick={add_rule}>{ "Add rule" }</button>
            </div>
            <p class="muted">{ "Rules combine with OR, strongest first: each one is a stage that merges the profiles its pairs connect." }</p>
            if graph.rules.is_empty() {
                <p class="empty">{ "No rule yet: add one, then give it criteria." }</p>
            }
            <ol class="rules">{ for rules }</ol>
        </section>
    }
}
