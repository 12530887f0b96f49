//! The identity graph, drawn: models and their columns (left), identifiers (middle), rules (right). Mappings
//! and criteria are edges; criteria are labelled with their match type. Click a column then an identifier to
//! map it, an identifier then a rule to add a criterion; select an edge and press Delete to remove it.
//! Problems of the graph are shown on the box they concern.

use crate::components::problem_list::problems_under;
use crate::graph_edit::{Edit, mappings};
use crate::graph_layout::{
    HEAD_H, IDENT_H, IDENT_W, IDENT_X, Layout, MODEL_W, MODEL_X, ROW_H, RULE_W, RULE_X, WIDTH,
};
use crate::protocol::Problem;
use crate::suggest::Suggestion;
use spine_core::options::IdentityGraph;
use spine_core::settings::IdentifierKind;
use std::rc::Rc;
use yew::prelude::*;

/// What is selected on the drawing.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Selection {
    #[default]
    None,
    Column {
        model: String,
        column: String,
    },
    Identifier(String),
    Mapping {
        model: String,
        column: String,
        identifier: String,
    },
    Criterion {
        rule: usize,
        criterion: usize,
    },
}

#[derive(Properties, PartialEq)]
pub struct GraphCanvasProps {
    pub graph: Rc<IdentityGraph>,
    pub layout: Rc<Layout>,
    pub problems: Rc<Vec<Problem>>,
    pub suggestions: Rc<Vec<Suggestion>>,
    pub selection: Selection,
    pub on_select: Callback<Selection>,
    pub on_edit: Callback<Edit>,
}

/// A smooth left-to-right curve between two points.
fn curve(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    let mid = (x1 + x2) / 2.0;
    format!("M{x1:.1},{y1:.1} C{mid:.1},{y1:.1} {mid:.1},{y2:.1} {x2:.1},{y2:.1}")
}

/// Enter and Space act like a click on the drawing's focusable shapes.
fn activate(callback: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |event: KeyboardEvent| {
        if event.key() == "Enter" || event.key() == " " {
            event.prevent_default();
            callback.emit(());
        }
    })
}

/// Delete and Backspace remove the focused edge; Enter and Space select it.
fn edge_keys(select: Callback<()>, remove: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
        "Delete" | "Backspace" => {
            event.prevent_default();
            remove.emit(());
        }
        "Enter" | " " => {
            event.prevent_default();
            select.emit(());
        }
        _ => {}
    })
}

/// A warning marker with the problems as its tooltip.
fn warning(x: f64, y: f64, problems: &[&Problem]) -> Html {
    if problems.is_empty() {
        return Html::default();
    }
    let text: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    html! {
        <g class="warn" transform={format!("translate({x:.1},{y:.1})")}>
            <title>{ text.join("\n") }</title>
            <circle r="9" />
            <text text-anchor="middle" dy="4">{ problems.len().to_string() }</text>
        </g>
    }
}

#[component]
pub fn GraphCanvas(props: &GraphCanvasProps) -> Html {
    let graph = &props.graph;
    let layout = &props.layout;
    let selection = &props.selection;
    let select = |target: Selection| {
        let on_select = props.on_select.clone();
        Callback::from(move |()| on_select.emit(target.clone()))
    };
    let click = |callback: Callback<()>| callback.reform(|_: MouseEvent| ());

    // Mapping edges, and suggested ones dashed.
    let mut edges = Vec::new();
    for model in &graph.models {
        let index = graph
            .models
            .iter()
            .position(|m| m.name == model.name)
            .unwrap_or_default();
        for (identifier, column) in mappings(model) {
            let (Some(y1), Some(y2)) = (
                layout.column_y(&model.name, &column),
                layout.identifier_y(&identifier),
            ) else {
                continue;
            };
            let target = Selection::Mapping {
                model: model.name.clone(),
                column: column.clone(),
                identifier: identifier.clone(),
            };
            let selected = *selection == target;
            let bad = !problems_under(
                &props.problems,
                &format!("models[{index}].identifiers.{identifier}"),
            )
            .is_empty();
            let remove = {
                let on_edit = props.on_edit.clone();
                let edit = Edit::Unmap {
                    model: model.name.clone(),
                    column: column.clone(),
                    identifier: identifier.clone(),
                };
                Callback::from(move |()| on_edit.emit(edit.clone()))
            };
            let label = format!(
                "mapping: {}.{} to identifier {}",
                model.name, column, identifier
            );
            edges.push(html! {
                <path class={classes!("edge", "mapping", selected.then_some("selected"), bad.then_some("bad"))}
                    d={curve(MODEL_X + MODEL_W, y1, IDENT_X, y2)} tabindex="0" role="button"
                    aria-label={label.clone()} onclick={click(select(target.clone()))}
                    onkeydown={edge_keys(select(target), remove)}>
                    <title>{ label }</title>
                </path>
            });
        }
    }
    for suggestion in props.suggestions.iter() {
        if let (Some(y1), Some(y2)) = (
            layout.column_y(&suggestion.model, &suggestion.column),
            layout.identifier_y(&suggestion.identifier),
        ) {
            edges.push(html! {
                <path class="edge suggested" d={curve(MODEL_X + MODEL_W, y1, IDENT_X, y2)}>
                    <title>{ format!("suggested: {}.{} → {} ({})", suggestion.model, suggestion.column, suggestion.identifier, suggestion.reason) }</title>
                </path>
            });
        }
    }
    // Criterion edges with their match type.
    let mut criteria = Vec::new();
    for rule in &layout.rules {
        for row in &rule.criteria {
            for identifier in &row.identifiers {
                let Some(y1) = layout.identifier_y(identifier) else {
                    continue;
                };
                let target = Selection::Criterion {
                    rule: rule.index,
                    criterion: row.index,
                };
                let selected = *selection == target;
                let remove = {
                    let on_edit = props.on_edit.clone();
                    let edit = Edit::RemoveCriterion {
                        rule: rule.index,
                        criterion: row.index,
                    };
                    Callback::from(move |()| on_edit.emit(edit.clone()))
                };
                let (x1, x2) = (IDENT_X + IDENT_W, RULE_X);
                let (lx, ly) = ((x1 + x2) / 2.0, (y1 + row.y) / 2.0);
                let label = format!(
                    "criterion of rule {}: {} {}",
                    rule.name, identifier, row.label
                );
                criteria.push(html! {
                    <g class={classes!("criterion-edge", selected.then_some("selected"), (!row.exact).then_some("fuzzy"))}>
                        <path class="edge criterion" d={curve(x1, y1, x2, row.y)} tabindex="0" role="button"
                            aria-label={label.clone()} onclick={click(select(target.clone()))}
                            onkeydown={edge_keys(select(target.clone()), remove)}>
                            <title>{ label }</title>
                        </path>
                        <g class="edge-label" transform={format!("translate({lx:.1},{ly:.1})")} onclick={click(select(target))}>
                            <rect x={format!("{:.1}", -(row.label.chars().count() as f64 * 3.3 + 6.0))} y="-9"
                                width={format!("{:.1}", row.label.chars().count() as f64 * 6.6 + 12.0)} height="18" rx="9" />
                            <text text-anchor="middle" dy="4">{ row.label.clone() }</text>
                        </g>
                    </g>
                });
            }
        }
    }

    let selected_column = match selection {
        Selection::Column { model, column } => Some((model.clone(), column.clone())),
        _ => None,
    };
    let selected_identifier = match selection {
        Selection::Identifier(name) => Some(name.clone()),
        _ => None,
    };

    let models = layout.models.iter().map(|m| {
        let mine = problems_under(&props.problems, &format!("models[{}]", m.index));
        html! {
            <g class={classes!("model", (!mine.is_empty()).then_some("bad"))} aria-label={format!("model {}", m.name)}>
                <rect class="box" x={MODEL_X.to_string()} y={format!("{:.1}", m.y)} width={MODEL_W.to_string()}
                    height={format!("{:.1}", m.height)} rx="8" />
                <text class="box-title" x={format!("{:.1}", MODEL_X + 12.0)} y={format!("{:.1}", m.y + 20.0)}>{ m.name.clone() }</text>
                { warning(MODEL_X + MODEL_W - 16.0, m.y + 15.0, &mine) }
                { for m.columns.iter().map(|c| {
                    let target = Selection::Column { model: m.name.clone(), column: c.name.clone() };
                    let selected = selected_column.as_ref().is_some_and(|(mm, cc)| *mm == m.name && *cc == c.name);
                    let kind = c.kind.map(|k| k.label()).unwrap_or("");
                    html! {
                        <g class={classes!("column", selected.then_some("selected"), c.role.map(|_| "fixed"))}
                            tabindex="0" role="button" aria-pressed={selected.to_string()}
                            aria-label={format!("column {} of {}", c.name, m.name)}
                            data-column={format!("{}.{}", m.name, c.name)}
                            onclick={click(select(target.clone()))} onkeydown={activate(select(target))}>
                            <rect x={format!("{:.1}", MODEL_X + 4.0)} y={format!("{:.1}", c.y - ROW_H / 2.0 + 1.0)}
                                width={format!("{:.1}", MODEL_W - 8.0)} height={format!("{:.1}", ROW_H - 2.0)} rx="4" />
                            <text x={format!("{:.1}", MODEL_X + 12.0)} y={format!("{:.1}", c.y + 4.0)}>{ c.name.clone() }</text>
                            <text class="column-kind" x={format!("{:.1}", MODEL_X + MODEL_W - 12.0)} y={format!("{:.1}", c.y + 4.0)}
                                text-anchor="end">{ c.role.unwrap_or(kind) }</text>
                            <circle class="port" cx={format!("{:.1}", MODEL_X + MODEL_W)} cy={format!("{:.1}", c.y)} r="3.5" />
                        </g>
                    }
                }) }
            </g>
        }
    });

    let identifiers = layout.identifiers.iter().map(|i| {
        let mine = i.index.map(|index| problems_under(&props.problems, &format!("identifiers[{index}]"))).unwrap_or_default();
        let selected = selected_identifier.as_deref() == Some(i.name.as_str());
        let on_activate = {
            let on_select = props.on_select.clone();
            let on_edit = props.on_edit.clone();
            let column = selected_column.clone();
            let name = i.name.clone();
            let kind: IdentifierKind = crate::graph_edit::parse_snake(&i.kind).unwrap_or(IdentifierKind::Custom);
            Callback::from(move |()| match &column {
                // A column then an identifier: the mapping the person asked for.
                Some((model, column)) => {
                    on_edit.emit(Edit::Map { model: model.clone(), column: column.clone(), identifier: name.clone(), kind });
                    on_select.emit(Selection::None);
                }
                None => on_select.emit(Selection::Identifier(name.clone())),
            })
        };
        let ghost = i.index.is_none();
        let waiting = selected_column.is_some();
        html! {
            <g class={classes!("identifier", selected.then_some("selected"), ghost.then_some("ghost"),
                    waiting.then_some("target"), (!mine.is_empty()).then_some("bad"))}
                tabindex="0" role="button" aria-label={format!("identifier {}{}", i.name, if ghost { " (suggested)" } else { "" })}
                data-identifier={i.name.clone()}
                onclick={click(on_activate.clone())} onkeydown={activate(on_activate)}>
                <rect class="box" x={IDENT_X.to_string()} y={format!("{:.1}", i.y)} width={IDENT_W.to_string()} height={IDENT_H.to_string()} rx="20" />
                <text class="box-title" x={format!("{:.1}", IDENT_X + IDENT_W / 2.0)} y={format!("{:.1}", i.y + 18.0)} text-anchor="middle">{ i.name.clone() }</text>
                <text class="box-sub" x={format!("{:.1}", IDENT_X + IDENT_W / 2.0)} y={format!("{:.1}", i.y + 32.0)} text-anchor="middle">
                    { if ghost { format!("{} · suggested", i.kind) } else { i.kind.clone() } }
                </text>
                { warning(IDENT_X + IDENT_W - 8.0, i.y + 4.0, &mine) }
            </g>
        }
    });

    let rules = layout.rules.iter().map(|r| {
        let mine = problems_under(&props.problems, &format!("rules[{}]", r.index));
        let on_activate = {
            let on_edit = props.on_edit.clone();
            let on_select = props.on_select.clone();
            let identifier = selected_identifier.clone();
            let rule = r.index;
            Callback::from(move |()| {
                // An identifier then a rule: a new exact criterion on it.
                if let Some(identifier) = &identifier {
                    on_edit.emit(Edit::AddCriterion { rule, identifier: identifier.clone() });
                    on_select.emit(Selection::None);
                }
            })
        };
        let waiting = selected_identifier.is_some();
        html! {
            <g class={classes!("rule", waiting.then_some("target"), (!mine.is_empty()).then_some("bad"))}
                tabindex={waiting.then_some("0")} role={waiting.then_some("button")}
                aria-label={format!("rule {}: {}", r.index + 1, r.name)}
                onclick={click(on_activate.clone())} onkeydown={activate(on_activate)}>
                <rect class="box" x={RULE_X.to_string()} y={format!("{:.1}", r.y)} width={RULE_W.to_string()} height={format!("{:.1}", r.height)} rx="8" />
                <text class="box-title" x={format!("{:.1}", RULE_X + 12.0)} y={format!("{:.1}", r.y + 20.0)}>
                    { format!("{}. {}", r.index + 1, r.name) }
                </text>
                { warning(RULE_X + RULE_W - 16.0, r.y + 15.0, &mine) }
                if r.criteria.is_empty() {
                    <text class="box-sub" x={format!("{:.1}", RULE_X + 12.0)} y={format!("{:.1}", r.y + HEAD_H + 15.0)}>{ "no criterion yet" }</text>
                }
                { for r.criteria.iter().map(|c| html! {
                    <text class="criterion-text" x={format!("{:.1}", RULE_X + 14.0)} y={format!("{:.1}", c.y + 4.0)}>
                        { format!("{} · {}", c.identifiers.join(" | "), c.label) }
                    </text>
                }) }
            </g>
        }
    });

    html! {
        <svg class="graph-canvas" viewBox={format!("0 0 {WIDTH} {:.0}", layout.height)} role="group"
            aria-label="Identity graph: models, identifiers and rules" width="100%">
            <text class="lane" x={MODEL_X.to_string()} y="18">{ "MODELS & COLUMNS" }</text>
            <text class="lane" x={IDENT_X.to_string()} y="18">{ "IDENTIFIERS" }</text>
            <text class="lane" x={RULE_X.to_string()} y="18">{ "RULES (strongest first)" }</text>
            <g class="edges">{ for edges }</g>
            { for models }
            { for identifiers }
            { for rules }
            <g class="edges criteria">{ for criteria }</g>
        </svg>
    }
}
