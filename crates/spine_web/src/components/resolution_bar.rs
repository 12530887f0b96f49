//! The resolution-rate bar: all records split into matched, unique, conflict and missing.

use crate::components::file_card::{percent, thousands};
use crate::protocol::{Totals, ratio};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResolutionBarProps {
    pub totals: Totals,
}

#[component]
pub fn ResolutionBar(props: &ResolutionBarProps) -> Html {
    let t = &props.totals;
    let parts = [
        ("matched", t.matched, "#2b8a3e"),
        ("unique", t.unique, "#74b816"),
        ("conflict", t.conflict, "#e67700"),
        ("missing", t.missing, "#c92a2a"),
    ];
    let mut x = 0.0;
    let segments = parts.iter().map(|(name, count, colour)| {
        let width = ratio(*count, t.records) * 1000.0;
        let segment = html! {
            <rect x={format!("{x:.2}")} y="0" width={format!("{width:.2}")} height="28" fill={*colour}>
                <title>{ format!("{name}: {} records ({})", thousands(*count), percent(ratio(*count, t.records))) }</title>
            </rect>
        };
        x += width;
        segment
    });
    html! {
        <figure class="resolution-bar">
            <svg viewBox="0 0 1000 28" preserveAspectRatio="none" width="100%" height="28" role="img"
                aria-label={format!("Resolution rate {}", percent(t.resolution_rate()))}>
                { for segments }
            </svg>
            <figcaption class="legend">
                { for parts.iter().map(|(name, count, colour)| html! {
                    <span class="legend-item"><span class="dot" style={format!("background:{colour}")}></span>
                        { format!("{name} {} ({})", thousands(*count), percent(ratio(*count, t.records))) }</span>
                }) }
            </figcaption>
        </figure>
    }
}
