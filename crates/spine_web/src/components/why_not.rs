//! Why another record is not in a profile: pick one of the profile's records and any other record, and read
//! each rule's verdict (no shared value, a score under its threshold, a blocked value, a guardrail, ...).

use crate::protocol::{RecordId, RecordsExplanation};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WhyNotProps {
    /// The profile's records.
    pub records: Vec<RecordId>,
    /// Every model, for the other record.
    pub models: Vec<String>,
    /// The last explanation (or why none could be given).
    pub result: Option<Result<Rc<RecordsExplanation>, String>>,
    pub on_ask: Callback<(RecordId, RecordId)>,
}

fn describe(fate: &crate::protocol::RecordFate) -> String {
    match &fate.profile {
        Some(profile) => format!(
            "{} {} ({}, profile {profile})",
            fate.model, fate.key, fate.status
        ),
        None => format!("{} {} ({})", fate.model, fate.key, fate.status),
    }
}

#[component]
pub fn WhyNot(props: &WhyNotProps) -> Html {
    let mine = use_node_ref();
    let model = use_node_ref();
    let key = use_node_ref();
    let asked = use_state(|| None::<(RecordId, RecordId)>);
    let onsubmit = {
        let (mine, model, key, asked, records, on_ask) = (
            mine.clone(),
            model.clone(),
            key.clone(),
            asked.clone(),
            props.records.clone(),
            props.on_ask.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(mine), Some(model), Some(key)) = (
                mine.cast::<HtmlSelectElement>(),
                model.cast::<HtmlSelectElement>(),
                key.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let Some(left) = mine
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|i| records.get(i).cloned())
            else {
                return;
            };
            let right = RecordId {
                model: model.value(),
                key: key.value().trim().to_owned(),
            };
            if right.key.is_empty() {
                return;
            }
            asked.set(Some((left.clone(), right.clone())));
            on_ask.emit((left, right));
        })
    };
    // Only the answer to this panel's own question is shown.
    let answer = props
        .result
        .as_ref()
        .filter(|result| match (result, &*asked) {
            (Ok(e), Some((left, right))) => {
                e.left.model == left.model
                    && e.left.key == left.key
                    && e.right.model == right.model
                    && e.right.key == right.key
            }
            (Err(_), Some(_)) => true,
            _ => false,
        });
    html! {
        <div class="why-not">
            <h3>{ "Why is another record not in this profile?" }</h3>
            <form class="row" {onsubmit}>
                <select ref={mine} aria-label="A record of this profile">
                    { for props.records.iter().enumerate().map(|(i, r)| html! { <option value={i.to_string()} selected={i == 0}>{ format!("{} {}", r.model, r.key) }</option> }) }
                </select>
                <span class="muted">{ "and" }</span>
                <select ref={model} aria-label="The other record's model">
                    { for props.models.iter().enumerate().map(|(i, m)| html! { <option value={m.clone()} selected={i == 0}>{ m.clone() }</option> }) }
                </select>
                <input id="why-not-key" ref={key} placeholder="its key" aria-label="The other record's key" />
                <button class="small" type="submit">{ "Explain" }</button>
            </form>
            { match answer {
                Some(Ok(e)) => html! {
                    <div id="why-not-answer" role="status">
                        <p>{ format!("{} and {} {}.", describe(&e.left), describe(&e.right),
                            if e.same_profile { "are in the same profile" } else { "are not in one profile" }) }</p>
                        if e.verdicts.is_empty() {
                            <p class="muted">{ "A record was set aside at load, so no rule saw it." }</p>
                        }
                        <ol class="verdicts">
                            { for e.verdicts.iter().map(|(stage, rule, joined, sentence)| html! {
                                <li class={classes!((!joined).then_some("refused"))}>
                                    <span class="stage-chip">{ format!("stage {stage}") }</span>
                                    <strong>{ rule.clone() }</strong>{ ": " }{ sentence.clone() }
                                </li>
                            }) }
                        </ol>
                    </div>
                },
                Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
                None => Html::default(),
            } }
        </div>
    }
}
