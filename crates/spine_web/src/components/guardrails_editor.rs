//! Guardrails that keep profiles sane (profile size, fuzzy block size, what happens to conflicting records)
//! and the fuzzy matching settings.

use crate::components::problem_list::{ProblemList, problems_under};
use crate::graph_edit::{Edit, parse_snake, snake};
use crate::protocol::Problem;
use spine_core::options::{Fuzzy, Guardrails};
use spine_core::settings::{Algorithm, OnConflict};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const ALGORITHMS: [Algorithm; 5] = [
    Algorithm::JaroWinkler,
    Algorithm::Jaro,
    Algorithm::Levenshtein,
    Algorithm::DamerauLevenshtein,
    Algorithm::SorensenDice,
];

#[derive(Properties, PartialEq)]
pub struct GuardrailsEditorProps {
    pub guardrails: Guardrails,
    pub fuzzy: Fuzzy,
    pub problems: Vec<Problem>,
    pub on_edit: Callback<Edit>,
}

#[component]
pub fn GuardrailsEditor(props: &GuardrailsEditorProps) -> Html {
    let set = |update: fn(&mut Guardrails, &str)| {
        let (on_edit, current) = (props.on_edit.clone(), props.guardrails.clone());
        Callback::from(move |event: Event| {
            let value = match event.target_dyn_into::<HtmlSelectElement>() {
                Some(select) => select.value(),
                None => event.target_unchecked_into::<HtmlInputElement>().value(),
            };
            let mut next = current.clone();
            update(&mut next, value.trim());
            on_edit.emit(Edit::SetGuardrails(next));
        })
    };
    let set_fuzzy = |update: fn(&mut Fuzzy, &str)| {
        let (on_edit, current) = (props.on_edit.clone(), props.fuzzy.clone());
        Callback::from(move |event: Event| {
            let value = match event.target_dyn_into::<HtmlSelectElement>() {
                Some(select) => select.value(),
                None => event.target_unchecked_into::<HtmlInputElement>().value(),
            };
            let mut next = current.clone();
            update(&mut next, value.trim());
            on_edit.emit(Edit::SetFuzzy(next));
        })
    };
    let guardrails = &props.guardrails;
    let mut problems: Vec<Problem> = problems_under(&props.problems, "guardrails")
        .into_iter()
        .cloned()
        .collect();
    problems.extend(
        problems_under(&props.problems, "fuzzy")
            .into_iter()
            .cloned(),
    );
    html! {
        <section class="card guardrails-editor" aria-labelledby="guardrails-title">
            <h2 id="guardrails-title">{ "Guardrails" }</h2>
            <ProblemList {problems} />
            <div class="grid-2">
                <label class="stack">
                    <span>{ "Largest profile (records)" }</span>
                    <input id="max-profile-size" type="number" min="1" placeholder="no limit"
                        value={guardrails.max_profile_size.map(|n| n.to_string()).unwrap_or_default()}
                        onchange={set(|g, v| g.max_profile_size = v.parse().ok())} />
                </label>
                <label class="stack">
                    <span>{ "Largest fuzzy block (records)" }</span>
                    <input type="number" min="1" placeholder="no limit"
                        value={guardrails.max_block_size.map(|n| n.to_string()).unwrap_or_default()}
                        onchange={set(|g, v| g.max_block_size = v.parse().ok())} />
                </label>
                <label class="stack">
                    <span>{ "Records that cannot be attributed in a refused merge" }</span>
                    <select onchange={set(|g, v| g.on_conflict = parse_snake(v).unwrap_or_default())}>
                        <option value="exclude" selected={guardrails.on_conflict == OnConflict::Exclude}>{ "exclude them (unresolved records)" }</option>
                        <option value="keep" selected={guardrails.on_conflict == OnConflict::Keep}>{ "keep them as flagged profiles" }</option>
                    </select>
                </label>
            </div>
            <h3>{ "Fuzzy matching" }</h3>
            <div class="grid-3">
                <label class="stack">
                    <span>{ "Similarity" }</span>
                    <select onchange={set_fuzzy(|f, v| f.algorithm = parse_snake(v).unwrap_or_default())}>
                        { for ALGORITHMS.iter().map(|a| html! { <option value={snake(a)} selected={*a == props.fuzzy.algorithm}>{ snake(a) }</option> }) }
                    </select>
                </label>
                <label class="stack">
                    <span>{ "Medium threshold" }</span>
                    <input type="number" min="0.01" max="1" step="0.01" value={format!("{:.2}", props.fuzzy.medium)}
                        onchange={set_fuzzy(|f, v| if let Some(x) = crate::browser::parse_f64(v) { f.medium = x })} />
                </label>
                <label class="stack">
                    <span>{ "Strong threshold" }</span>
                    <input type="number" min="0.01" max="1" step="0.01" value={format!("{:.2}", props.fuzzy.strong)}
                        onchange={set_fuzzy(|f, v| if let Some(x) = crate::browser::parse_f64(v) { f.strong = x })} />
                </label>
            </div>
        </section>
    }
}
