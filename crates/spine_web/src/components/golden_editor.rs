//! The golden record: which fields it has and how each winning value is chosen (survivorship).

use crate::components::problem_list::{ProblemList, problems_under};
use crate::graph_edit::{Edit, golden_candidates, parse_snake, snake};
use crate::protocol::Problem;
use spine_core::options::IdentityGraph;
use spine_core::settings::Strategy;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Every strategy with a sentence for people.
pub const STRATEGIES: [(Strategy, &str); 8] = [
    (
        Strategy::LastNonNull,
        "the most recently updated record's value",
    ),
    (Strategy::FirstNonNull, "the oldest record's value"),
    (Strategy::MostFrequent, "the value most records hold"),
    (Strategy::ModelPriority, "the most trusted source's value"),
    (Strategy::Longest, "the longest value"),
    (Strategy::Max, "the largest value"),
    (Strategy::Min, "the smallest value"),
    (Strategy::AllDistinct, "every distinct value, joined with |"),
];

#[derive(Properties, PartialEq)]
pub struct GoldenEditorProps {
    pub graph: Rc<IdentityGraph>,
    pub problems: Rc<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
}

#[component]
pub fn GoldenEditor(props: &GoldenEditorProps) -> Html {
    let graph = &props.graph;
    let new_field = use_node_ref();
    let emit = |edit: Edit| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| on_edit.emit(edit.clone()))
    };
    let used: Vec<&String> = graph.golden.fields.iter().map(|f| &f.name).collect();
    let candidates: Vec<String> = golden_candidates(graph)
        .into_iter()
        .filter(|c| !used.contains(&c))
        .collect();
    let add = {
        let (on_edit, new_field) = (props.on_edit.clone(), new_field.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(select) = new_field.cast::<HtmlSelectElement>() {
                let name = select.value();
                if !name.is_empty() {
                    on_edit.emit(Edit::AddGoldenField {
                        name,
                        strategy: Strategy::LastNonNull,
                    });
                }
            }
        })
    };
    let count = graph.golden.fields.len();
    let models: Vec<String> = graph.models.iter().map(|m| m.name.clone()).collect();
    html! {
        <section class="card golden-editor" aria-labelledby="golden-title">
            <h2 id="golden-title">{ "Golden record" }</h2>
            <p class="muted">{ "One row per profile. Ties break by the latest update, then source priority." }</p>
            <ProblemList problems={problems_under(&props.problems, "golden").into_iter().cloned().collect::<Vec<_>>()} />
            <table class="golden-fields">
                <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "Winning value" }</th><th scope="col">{ "Source order" }</th><th scope="col"><span class="visually-hidden">{ "Actions" }</span></th></tr></thead>
                <tbody>
                { for graph.golden.fields.iter().enumerate().map(|(i, field)| {
                    let on_strategy = {
                        let on_edit = props.on_edit.clone();
                        Callback::from(move |event: Event| {
                            let select: HtmlSelectElement = event.target_unchecked_into();
                            if let Some(strategy) = parse_snake(&select.value()) {
                                on_edit.emit(Edit::SetGoldenStrategy { index: i, strategy });
                            }
                        })
                    };
                    let on_order = {
                        let on_edit = props.on_edit.clone();
                        Callback::from(move |event: Event| {
                            let input: HtmlInputElement = event.target_unchecked_into();
                            let models: Vec<String> = input.value().split(',').map(str::trim).filter(|m| !m.is_empty()).map(str::to_owned).collect();
                            on_edit.emit(Edit::SetGoldenModelOrder { index: i, models: (!models.is_empty()).then_some(models) });
                        })
                    };
                    html! {
                        <tr>
                            <th scope="row">{ field.name.clone() }</th>
                            <td>
                                <select aria-label={format!("Strategy of {}", field.name)} onchange={on_strategy}>
                                    { for STRATEGIES.iter().map(|(s, words)| html! {
                                        <option value={snake(s)} selected={*s == field.strategy} title={*words}>{ snake(s) }</option>
                                    }) }
                                </select>
                                <div class="muted small">{ STRATEGIES.iter().find(|(s, _)| *s == field.strategy).map_or("", |(_, w)| *w) }</div>
                            </td>
                            <td>
                                if field.strategy == Strategy::ModelPriority {
                                    <input aria-label={format!("Source order of {}", field.name)} placeholder={models.join(", ")}
                                        value={field.model_order.clone().unwrap_or_default().join(", ")} onchange={on_order} />
                                } else {
                                    <span class="muted">{ "—" }</span>
                                }
                            </td>
                            <td class="actions">
                                <button class="icon" aria-label={format!("Move {} up", field.name)} disabled={i == 0}
                                    onclick={emit(Edit::MoveGoldenField { from: i, to: i.saturating_sub(1) })}>{ "↑" }</button>
                                <button class="icon" aria-label={format!("Move {} down", field.name)} disabled={i + 1 == count}
                                    onclick={emit(Edit::MoveGoldenField { from: i, to: i + 1 })}>{ "↓" }</button>
                                <button class="icon danger" aria-label={format!("Remove golden field {}", field.name)}
                                    onclick={emit(Edit::RemoveGoldenField { index: i })}>{ "✕" }</button>
                            </td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            if !candidates.is_empty() {
                <div class="row">
                    <select ref={new_field} aria-label="Golden field to add">
                        { for candidates.iter().enumerate().map(|(i, c)| html! { <option value={c.clone()} selected={i == 0}>{ c.clone() }</option> }) }
                    </select>
                    <button class="small" onclick={add}>{ "Add golden field" }</button>
                </div>
            }
        </section>
    }
}
