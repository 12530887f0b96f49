//! Key numbers of a run as tiles.

use crate::components::file_card::{percent, thousands};
use crate::protocol::Totals;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatTilesProps {
    pub totals: Totals,
}

#[component]
pub fn StatTiles(props: &StatTilesProps) -> Html {
    let t = &props.totals;
    let tiles = [
        (
            "stat-records",
            "source records",
            thousands(t.records),
            "every row of every file",
        ),
        (
            "stat-golden",
            "profiles",
            thousands(t.golden),
            "golden records, one per person",
        ),
        (
            "stat-rate",
            "resolution rate",
            percent(t.resolution_rate()),
            "matched + unique, of all records",
        ),
        (
            "stat-consolidation",
            "consolidation",
            format!("{:.2}", t.consolidation()),
            "records per profile",
        ),
        (
            "stat-matched",
            "matched",
            thousands(t.matched),
            "records in a profile of 2 or more",
        ),
        (
            "stat-unique",
            "unique",
            thousands(t.unique),
            "records alone in their profile",
        ),
        (
            "stat-conflict",
            "conflict",
            thousands(t.conflict),
            "records a guardrail could not attribute",
        ),
        (
            "stat-missing",
            "missing",
            thousands(t.missing),
            "no usable identifier or a bad key",
        ),
    ];
    html! {
        <dl class="tiles">
            { for tiles.into_iter().map(|(id, label, value, hint)| html! {
                <div class="tile" title={hint}>
                    <dt>{ label }</dt>
                    <dd id={id}>{ value }</dd>
                </div>
            }) }
        </dl>
    }
}
