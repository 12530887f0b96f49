//! The Rules & guardrails screen: matching rules, identifiers and their standardization, guardrails and the
//! golden record, each with its problems beside it.

use crate::components::golden_editor::GoldenEditor;
use crate::components::guardrails_editor::GuardrailsEditor;
use crate::components::identifier_editor::IdentifierEditor;
use crate::components::rule_editor::RuleEditor;
use crate::hooks::use_studio::use_studio;
use crate::state::{Action, Screen};
use yew::prelude::*;

#[component]
pub fn RulesScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let problems = state.current_problems().cloned().unwrap_or_default();
    let on_edit = studio.on_edit();
    let to_run = {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| studio.dispatch(Action::Navigate(Screen::Run)))
    };
    html! {
        <section class="rules-screen" aria-labelledby="rules-screen-title">
            <header class="screen-head row-between">
                <div>
                    <h1 id="rules-screen-title">{ "Rules & guardrails" }</h1>
                    <p class="lead">{ "When are two records the same person, and what stops a profile from swallowing strangers." }</p>
                </div>
                <button class="primary" onclick={to_run}>{ "Next: run →" }</button>
            </header>
            <div class="rules-layout">
                <div class="column">
                    <RuleEditor graph={state.graph.clone()} problems={problems.clone()} on_edit={on_edit.clone()} />
                    <GuardrailsEditor guardrails={state.graph.guardrails.clone()} fuzzy={state.graph.fuzzy.clone()}
                        problems={(*problems).clone()} on_edit={on_edit.clone()} />
                    <GoldenEditor graph={state.graph.clone()} problems={problems.clone()} on_edit={on_edit.clone()} />
                </div>
                <div class="column">
                    <IdentifierEditor graph={state.graph.clone()} {problems} {on_edit} />
                </div>
            </div>
        </section>
    }
}
