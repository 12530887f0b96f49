//! A chosen profile growing stage by stage: its records (coloured by model) move together as the pairs of
//! each rule (coloured by rule) join them; refused pairs show dashed. A play button and a stage slider drive it.

use crate::components::stage_timeline::truncate;
use crate::growth::{components, growth, positions};
use crate::protocol::ProfileDetail;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Colours of models, in graph order.
pub const MODEL_COLOURS: [&str; 8] = [
    "#3b5bdb", "#e8590c", "#2b8a3e", "#ae3ec9", "#0c8599", "#c2255c", "#5f3dc4", "#868e96",
];
/// Colours of rules, in priority order.
pub const RULE_COLOURS: [&str; 8] = [
    "#1864ab", "#d9480f", "#087f5b", "#862e9c", "#a61e4d", "#364fc7", "#5c940d", "#495057",
];

const W: f64 = 620.0;
/// Profiles up to this many drawn records get their keys written.
const LABELLED_NODES: usize = 16;
const H: f64 = 380.0;

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub detail: Option<Rc<ProfileDetail>>,
    /// Model names in graph order, for colours.
    pub models: Vec<String>,
    pub stage: usize,
    pub stage_count: usize,
    pub playing: bool,
    pub on_stage: Callback<usize>,
    pub on_play: Callback<()>,
    /// Profiles offered in the chooser: (ID, records).
    pub choices: Vec<(String, u64)>,
    pub watched: Option<String>,
    pub on_watch: Callback<String>,
}

fn colour(list: &[&'static str], index: usize) -> &'static str {
    list[index % list.len()]
}

#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let on_slider = {
        let on_stage = props.on_stage.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Ok(stage) = input.value().parse() {
                on_stage.emit(stage);
            }
        })
    };
    let on_choose = {
        let on_watch = props.on_watch.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            on_watch.emit(select.value());
        })
    };
    let on_play = props.on_play.reform(|_: MouseEvent| ());
    let mut choices = props.choices.clone();
    if let Some(watched) = &props.watched
        && choices.iter().all(|(id, _)| id != watched)
    {
        choices.insert(
            0,
            (
                watched.clone(),
                props.detail.as_ref().map_or(0, |d| d.records.len() as u64),
            ),
        );
    }
    let controls = html! {
        <div class="player row">
            <label class="stack">
                <span>{ "Profile" }</span>
                <select id="watch-profile" onchange={on_choose}>
                    { for choices.iter().map(|(id, n)| html! {
                        <option value={id.clone()} selected={props.watched.as_deref() == Some(id.as_str())}>{ format!("{id} ({n} records)") }</option>
                    }) }
                </select>
            </label>
            <button id="play" class="primary small" onclick={on_play} aria-label={if props.playing { "Pause the replay" } else { "Play the stages" }}>
                { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <label class="stack grow">
                <span>{ format!("Stage {} of {}", props.stage, props.stage_count) }</span>
                <input id="stage-slider" type="range" min="0" max={props.stage_count.to_string()} value={props.stage.to_string()}
                    oninput={on_slider} aria-label="Stage" />
            </label>
        </div>
    };
    let Some(detail) = &props.detail else {
        return html! { <div class="cluster-view card">{ controls }<p class="muted">{ "Loading the profile…" }</p></div> };
    };
    let grown = growth(detail);
    let labels = components(grown.nodes.len(), &grown.edges, props.stage);
    let places = positions(&labels, W, H);
    let model_index = |model: &str| {
        props
            .models
            .iter()
            .position(|m| m == model)
            .unwrap_or_default()
    };
    let rule_index = |rule: &str| {
        detail
            .rules
            .iter()
            .position(|r| r == rule)
            .unwrap_or_default()
    };
    let joined = |node: usize| labels.iter().filter(|&&l| l == labels[node]).count() > 1;
    let edges = grown.edges.iter().filter(|e| e.stage <= props.stage).map(|e| {
        let ((x1, y1), (x2, y2)) = (places[e.a], places[e.b]);
        let stroke = if e.accepted { colour(&RULE_COLOURS, rule_index(&e.rule)) } else { "#c92a2a" };
        html! {
            <line class={classes!("pair", (!e.accepted).then_some("refused"), (e.stage == props.stage).then_some("fresh"))}
                x1={format!("{x1:.1}")} y1={format!("{y1:.1}")} x2={format!("{x2:.1}")} y2={format!("{y2:.1}")} stroke={stroke}>
                <title>{ format!("{} (stage {}) {}: {}", e.rule, e.stage, if e.accepted { "accepted" } else { "refused" }, e.scores) }</title>
            </line>
        }
    });
    // Keys are written under the records while they fit; larger profiles name them on hover.
    let labelled = grown.nodes.len() <= LABELLED_NODES;
    let nodes = grown.nodes.iter().enumerate().map(|(i, (model, key))| {
        let (x, y) = places[i];
        html! {
            <g class={classes!("node", (!joined(i)).then_some("alone"))} style={format!("transform: translate({x:.1}px, {y:.1}px)")}>
                <title>{ format!("{model} {key}") }</title>
                <circle r="9" fill={colour(&MODEL_COLOURS, model_index(model))} />
                if labelled { <text y="22" text-anchor="middle">{ truncate(key, 12) }</text> }
            </g>
        }
    });
    let outside = grown
        .refused_outside
        .iter()
        .take(props.stage + 1)
        .sum::<usize>();
    let models_here: Vec<&String> = props
        .models
        .iter()
        .filter(|m| grown.nodes.iter().any(|(n, _)| n == *m))
        .collect();
    let groups = {
        let mut l = labels.clone();
        spine_core::sort::sort_unstable(&mut l);
        l.dedup();
        l.len()
    };
    html! {
        <div class="cluster-view card">
            { controls }
            <p class="muted small" aria-live="polite">
                { format!("{} record(s) in {} group(s) after stage {}", grown.nodes.len(), groups, props.stage) }
                if grown.hidden > 0 { { format!(" · {} more records not drawn", grown.hidden) } }
                if outside > 0 { { format!(" · {outside} refused pair(s) with other profiles so far") } }
            </p>
            <svg class="cluster" viewBox={format!("0 0 {W} {H}")} width="100%" role="img"
                aria-label={format!("Profile {} after stage {}", detail.id, props.stage)}>
                <g class="pairs">{ for edges }</g>
                <g class="nodes">{ for nodes }</g>
            </svg>
            <div class="legend">
                { for models_here.iter().map(|m| html! {
                    <span class="legend-item"><span class="dot" style={format!("background:{}", colour(&MODEL_COLOURS, model_index(m)))}></span>{ (*m).clone() }</span>
                }) }
                { for detail.rules.iter().enumerate().map(|(i, r)| html! {
                    <span class="legend-item"><span class="line" style={format!("background:{}", colour(&RULE_COLOURS, i))}></span>{ r.clone() }</span>
                }) }
                <span class="legend-item"><span class="line dashed"></span>{ "refused" }</span>
            </div>
        </div>
    }
}
