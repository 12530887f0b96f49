//! A table of one of the engine's metric tables, showing chosen columns under readable headings. Rates
//! (`0.8750`) read as percentages.

use crate::components::file_card::percent;
use crate::protocol::TableData;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MetricTableProps {
    pub id: AttrValue,
    pub caption: AttrValue,
    pub table: TableData,
    /// (column name in the engine's table, heading shown, is a rate).
    pub columns: Vec<(&'static str, &'static str, bool)>,
    /// Scroll inside a box of limited height (long lists).
    #[prop_or_default]
    pub tall: bool,
}

/// A rate of the engine's tables as a percentage; anything else as written.
fn show(value: &str, rate: bool) -> String {
    match (rate, crate::browser::parse_f64(value)) {
        (true, Some(share)) => percent(share),
        _ => value.to_owned(),
    }
}

#[component]
pub fn MetricTable(props: &MetricTableProps) -> Html {
    let shown: Vec<(Option<usize>, &str, bool)> = props
        .columns
        .iter()
        .map(|(name, heading, rate)| (props.table.column(name), *heading, *rate))
        .collect();
    html! {
        <div class={classes!("table-scroll", props.tall.then_some("tall"))}>
            <table class="data-table metric-table" id={props.id.clone()}>
                <caption>{ props.caption.clone() }</caption>
                <thead><tr>{ for shown.iter().map(|(_, heading, _)| html! { <th scope="col">{ *heading }</th> }) }</tr></thead>
                <tbody>
                { for props.table.rows.iter().map(|row| html! {
                    <tr>{ for shown.iter().enumerate().map(|(i, (index, _, rate))| {
                        let value = index.and_then(|c| row.get(c)).map(|v| show(v, *rate)).unwrap_or_default();
                        if i == 0 { html! { <th scope="row">{ value }</th> } } else { html! { <td class="num">{ value }</td> } }
                    }) }</tr>
                }) }
                </tbody>
            </table>
        </div>
    }
}
