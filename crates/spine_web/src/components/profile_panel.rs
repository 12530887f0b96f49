//! One profile opened: its golden values with where each came from and how it was chosen, its records side by
//! side with the winning cells highlighted, and the pairs that joined them.

use crate::components::pair_chain::PairChain;
use crate::components::why_not::WhyNot;
use crate::protocol::{ProfileDetail, RecordId, RecordsExplanation};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProfilePanelProps {
    pub detail: Rc<ProfileDetail>,
    pub on_close: Callback<()>,
    pub on_watch: Callback<String>,
    /// Every model, for the "why not" question.
    pub models: Vec<String>,
    pub explained: Option<Result<Rc<RecordsExplanation>, String>>,
    pub on_explain: Callback<(RecordId, RecordId)>,
}

#[component]
pub fn ProfilePanel(props: &ProfilePanelProps) -> Html {
    let d = &props.detail;
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let on_watch = {
        let (on_watch, id) = (props.on_watch.clone(), d.id.clone());
        Callback::from(move |_: MouseEvent| on_watch.emit(id.clone()))
    };
    html! {
        <section class="card profile-panel" id="profile-panel" aria-labelledby="profile-title">
            <header class="row-between">
                <div>
                    <h2 id="profile-title">{ "Profile " }<code>{ d.id.clone() }</code>
                        if d.conflict { <span class="badge bad">{ "conflict" }</span> }</h2>
                    <p class="muted">{ format!("{} record(s) from {} source(s)", d.records.len(),
                        { let mut m: Vec<&str> = d.records.iter().map(|r| r.model.as_str()).collect(); spine_core::sort::sort_unstable(&mut m); m.dedup(); m.len() }) }</p>
                </div>
                <div class="row">
                    <button class="small" onclick={on_watch}>{ "Watch it form" }</button>
                    <button class="small" onclick={on_close}>{ "Close" }</button>
                </div>
            </header>
            <h3>{ "Golden record" }</h3>
            <table class="golden-table" id="golden-values">
                <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "From" }</th><th scope="col">{ "Strategy" }</th></tr></thead>
                <tbody>
                { for d.golden.iter().map(|g| html! {
                    <tr data-field={g.field.clone()}>
                        <th scope="row">{ g.field.clone() }</th>
                        <td class="golden-value">{ if g.value.is_empty() { html! { <span class="muted">{ "no value" }</span> } } else { html! { g.value.clone() } } }</td>
                        <td>{ if g.model.is_empty() { String::new() } else { format!("{} {}", g.model, g.key) } }</td>
                        <td><span class="chip">{ g.strategy.clone() }</span></td>
                    </tr>
                }) }
                </tbody>
            </table>
            <h3>{ "Records side by side" }</h3>
            <p class="muted small">{ "Highlighted cells are where a golden value came from." }</p>
            <div class="records" style={format!("--records:{}", d.records.len().min(4))}>
                { for d.records.iter().map(|r| html! {
                    <article class="record">
                        <header><strong>{ r.model.clone() }</strong>{ " " }<code>{ r.key.clone() }</code>
                            <span class={classes!("badge", if r.status == "matched" { "ok" } else { "info" })}>{ r.status.clone() }</span></header>
                        <dl>
                            { for r.cells.iter().map(|c| {
                                let won = !c.golden.is_empty();
                                let strategies: Vec<String> = c.golden.iter().filter_map(|field| d.golden.iter().find(|g| g.field == *field).map(|g| format!("{} ({})", g.field, g.strategy))).collect();
                                html! {
                                    <div class={classes!("cell", won.then_some("won"))} title={strategies.join(", ")}>
                                        <dt>{ c.column.clone() }</dt>
                                        <dd>{ c.value.clone() }
                                            if won { <span class="won-badge">{ format!("★ {}", strategies.join(", ")) }</span> }
                                        </dd>
                                    </div>
                                }
                            }) }
                        </dl>
                    </article>
                }) }
            </div>
            <h3>{ "Why these records are together" }</h3>
            <p class="muted small">{ "The pairs that joined the records, earliest stage first: each joined two groups not yet joined." }</p>
            <PairChain pairs={d.chain.clone()} />
            if !d.refusals.is_empty() {
                <h3>{ "Refused around it" }</h3>
                <PairChain pairs={d.refusals.clone()} />
            }
            <WhyNot records={d.records.iter().map(|r| RecordId { model: r.model.clone(), key: r.key.clone() }).collect::<Vec<_>>()}
                models={props.models.clone()} result={props.explained.clone()} on_ask={props.on_explain.clone()} />
        </section>
    }
}
