//! The cluster-size histogram: how many profiles hold 1, 2, 3, … records.

use crate::components::file_card::thousands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SizeHistogramProps {
    /// (profile size, profiles), smallest first.
    pub sizes: Vec<(u64, u64)>,
}

const W: f64 = 560.0;
const H: f64 = 200.0;
const BASE: f64 = 165.0;

#[component]
pub fn SizeHistogram(props: &SizeHistogramProps) -> Html {
    if props.sizes.is_empty() {
        return html! { <p class="muted">{ "No profile yet." }</p> };
    }
    let most = props
        .sizes
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let slot = W / props.sizes.len() as f64;
    let bar_w = (slot * 0.7).min(48.0);
    html! {
        <figure class="histogram">
            <svg viewBox={format!("0 0 {W} {H}")} width="100%" role="img"
                aria-label={props.sizes.iter().map(|(s, n)| format!("{n} profiles of {s}")).collect::<Vec<_>>().join(", ")}>
                <line class="baseline" x1="0" x2={W.to_string()} y1={BASE.to_string()} y2={BASE.to_string()} />
                { for props.sizes.iter().enumerate().map(|(i, (size, count))| {
                    let height = (*count as f64 / most * (BASE - 24.0)).max(1.5);
                    let x = slot * i as f64 + (slot - bar_w) / 2.0;
                    html! {
                        <g>
                            <title>{ format!("{count} profile(s) of {size} record(s)") }</title>
                            <rect class="bar" x={format!("{x:.1}")} y={format!("{:.1}", BASE - height)} width={format!("{bar_w:.1}")} height={format!("{height:.1}")} rx="2" />
                            <text class="value" x={format!("{:.1}", x + bar_w / 2.0)} y={format!("{:.1}", BASE - height - 5.0)} text-anchor="middle">{ thousands(*count) }</text>
                            <text class="axis" x={format!("{:.1}", x + bar_w / 2.0)} y={format!("{:.1}", BASE + 15.0)} text-anchor="middle">{ size.to_string() }</text>
                        </g>
                    }
                }) }
                <text class="axis" x={format!("{:.1}", W / 2.0)} y={format!("{:.1}", H - 2.0)} text-anchor="middle">{ "records per profile" }</text>
            </svg>
        </figure>
    }
}
