//! The Review screen: section 5 of the specification as a dashboard. Key numbers, the resolution-rate bar, the
//! cluster sizes, breakdowns by model, rule and identifier, unresolved records and suspicious profiles.

use crate::components::file_card::thousands;
use crate::components::metric_table::MetricTable;
use crate::components::resolution_bar::ResolutionBar;
use crate::components::size_histogram::SizeHistogram;
use crate::components::stat_tiles::StatTiles;
use crate::hooks::use_studio::use_studio;
use crate::protocol::Request;
use crate::state::{Action, Screen};
use yew::prelude::*;

#[component]
pub fn ReviewScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let run_id = state.summary.as_ref().map(|s| s.totals.run_id.clone());
    {
        let studio = studio.clone();
        let loaded = state.review.is_some();
        use_effect_with((run_id.clone(), loaded), move |(run, loaded)| {
            if run.is_some() && !loaded {
                studio.send.emit(Request::Review);
            }
        });
    }
    let (Some(summary), Some(review)) = (&state.summary, &state.review) else {
        return html! {
            <section class="review-screen">
                <header class="screen-head"><h1>{ "Review" }</h1></header>
                <p class="empty">{ if state.summary.is_some() { "Gathering the numbers…" } else { "Run the resolution first: the dashboard appears here." } }</p>
            </section>
        };
    };
    let open = |id: String| {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| {
            studio.dispatch(Action::Open(id.clone()));
            studio.dispatch(Action::Navigate(Screen::Profiles));
        })
    };
    let unresolved_columns: Vec<usize> = ["model", "key", "reason", "detail"]
        .iter()
        .filter_map(|c| review.unresolved.column(c))
        .collect();
    html! {
        <section class="review-screen" aria-labelledby="review-title">
            <header class="screen-head">
                <h1 id="review-title">{ "Review" }</h1>
                <p class="lead">{ "How well the data resolved, where it did not, and which profiles deserve a second look." }</p>
            </header>
            <StatTiles totals={review.totals.clone()} />
            <div class="card">
                <h2>{ "Resolution rate" }</h2>
                <ResolutionBar totals={review.totals.clone()} />
            </div>
            <div class="run-grid">
                <div class="card">
                    <h2>{ "Cluster sizes" }</h2>
                    <SizeHistogram sizes={summary.cluster_sizes.clone()} />
                </div>
                <div class="card" id="suspicious">
                    <h2>{ "Suspicious profiles" }</h2>
                    if review.suspicious.is_empty() {
                        <p class="muted">{ "Nothing stands out." }</p>
                    }
                    <ul class="suspects">
                        { for review.suspicious.iter().map(|s| html! {
                            <li>
                                <button class="link" onclick={open(s.id.clone())}>{ s.id.clone() }</button>
                                <span class="muted">{ format!(" · {} records · ", s.records) }</span>
                                <span>{ s.reason.clone() }</span>
                            </li>
                        }) }
                    </ul>
                </div>
            </div>
            <div class="card">
                <MetricTable id="model-metrics" caption="By model" table={review.models.clone()} columns={vec![
                    ("model", "Model", false), ("records", "Records", false), ("resolution_rate", "Resolved", true),
                    ("matched", "Matched", false), ("unique", "Unique", false), ("unresolved", "Unresolved", false),
                    ("missing_identifiers", "No identifier", false), ("missing_key", "Missing key", false),
                    ("duplicate_key", "Duplicate key", false), ("golden_share", "Golden contribution", true),
                ]} />
            </div>
            <div class="card">
                <MetricTable id="rule-metrics" caption="By rule (stage)" table={review.rules.clone()} columns={vec![
                    ("rule", "Rule", false), ("applicable_rate", "Applicable", true), ("candidate_pairs", "Candidate pairs", false),
                    ("accepted_pairs", "Accepted", false), ("valid_match_rate", "Valid match rate", true),
                    ("conflict_rate", "Conflict rate", true), ("profiles_created", "Profiles created", false),
                    ("profiles_grown", "Profiles grown", false), ("merges_refused", "Merges refused", false),
                ]} />
            </div>
            <div class="card">
                <MetricTable id="identifier-metrics" caption="By identifier" table={review.identifiers.clone()} columns={vec![
                    ("identifier", "Identifier", false), ("completeness", "Completeness", true),
                    ("golden_completeness", "Golden completeness", true), ("invalid", "Invalid", false),
                    ("blocked", "Blocked", false), ("distinct_values", "Distinct", false),
                    ("top_shared_values", "Most shared values", false), ("conflict_rate", "Conflict rate", true),
                ]} />
            </div>
            <div class="card" id="unresolved">
                <h2>{ format!("Unresolved records ({})", thousands(review.unresolved_total as u64)) }</h2>
                <ul class="reasons">
                    { for review.unresolved_by_reason.iter().map(|(reason, n)| html! {
                        <li><span class="chip">{ reason.clone() }</span>{ format!(" {}", thousands(*n)) }</li>
                    }) }
                </ul>
                if !review.unresolved.rows.is_empty() {
                    <div class="table-scroll tall">
                        <table class="data-table">
                            <thead><tr>{ for unresolved_columns.iter().map(|&c| html! { <th scope="col">{ review.unresolved.columns[c].clone() }</th> }) }</tr></thead>
                            <tbody>{ for review.unresolved.rows.iter().map(|row| html! {
                                <tr>{ for unresolved_columns.iter().map(|&c| html! { <td>{ row[c].clone() }</td> }) }</tr>
                            }) }</tbody>
                        </table>
                    </div>
                    if review.unresolved_total > review.unresolved.rows.len() {
                        <p class="muted small">{ format!("Showing the first {}; download identity_unresolved_records from Export for all.", review.unresolved.rows.len()) }</p>
                    }
                }
            </div>
        </section>
    }
}
