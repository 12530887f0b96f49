//! Why a profile's records are together: the chain of accepted pairs (rule, stage, scores) that joined them,
//! and the pairs the guardrails refused. This is where fuller explanations will go.

use crate::protocol::PairRow;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PairChainProps {
    pub pairs: Vec<PairRow>,
}

/// A decision in words.
pub fn decision_words(decision: &str) -> &'static str {
    match decision {
        "accepted" => "joined",
        "pair_conflict" => "refused: the two records conflict",
        "merge_refused" => "refused: the merge broke a guardrail",
        _ => "",
    }
}

#[component]
pub fn PairChain(props: &PairChainProps) -> Html {
    if props.pairs.is_empty() {
        return html! { <p class="muted">{ "A profile of one record: no pair joined it to another." }</p> };
    }
    html! {
        <ol class="pair-chain" id="pair-chain">
            { for props.pairs.iter().map(|p| {
                let accepted = p.decision == "accepted";
                html! {
                    <li class={classes!("pair-row", (!accepted).then_some("refused"))}>
                        <span class="stage-chip">{ format!("stage {}", p.stage) }</span>
                        <code>{ format!("{} {}", p.left_model, p.left_key) }</code>
                        <span aria-hidden="true">{ if accepted { " ⟷ " } else { " ⤫ " } }</span>
                        <code>{ format!("{} {}", p.right_model, p.right_key) }</code>
                        <span class="muted">{ format!(" by rule {} · {}", p.rule, decision_words(&p.decision)) }</span>
                        <div class="scores small">{ p.scores.replace(';', " · ") }
                            if !p.detail.is_empty() { <span class="detail">{ format!(" — {}", p.detail) }</span> }
                        </div>
                    </li>
                }
            }) }
        </ol>
    }
}
