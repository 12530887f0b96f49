//! The What-if screen: the last run compared with the one before by the engine's diff: profiles merged, split
//! and unchanged, records moved to another profile, records whose status changed, each list browsable.

use crate::components::file_card::thousands;
use crate::hooks::use_studio::use_studio;
use crate::protocol::{ChangeItem, ChangeList, Request};
use crate::state::{Action, Screen};
use yew::prelude::*;

#[component]
pub fn WhatIfScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let list = use_state(|| ChangeList::Merged);
    let page = use_state(|| 0usize);
    let what_if = state.summary.as_ref().and_then(|s| s.what_if.clone());
    let run_id = state.summary.as_ref().map(|s| s.totals.run_id.clone());
    {
        let studio = studio.clone();
        let has = what_if.is_some();
        use_effect_with((*list, *page, run_id, has), move |(list, page, _, has)| {
            if *has {
                studio.send.emit(Request::WhatIf {
                    list: *list,
                    page: *page,
                });
            }
        });
    }
    let Some(summary) = what_if else {
        return html! {
            <section class="what-if-screen">
                <header class="screen-head"><h1>{ "What-if" }</h1></header>
                <p class="empty" id="what-if-empty">{ "Run once, change a rule or a guardrail, and run again: this screen then shows what the change did to the profiles." }</p>
            </section>
        };
    };
    let choose = |target: ChangeList| {
        let (list, page) = (list.clone(), page.clone());
        Callback::from(move |_: MouseEvent| {
            list.set(target);
            page.set(0);
        })
    };
    let open = |id: String| {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| {
            studio.dispatch(Action::Open(id.clone()));
            studio.dispatch(Action::Navigate(Screen::Profiles));
        })
    };
    let shown = state
        .what_if
        .as_ref()
        .filter(|p| p.list == *list && p.page == *page);
    let pages = shown.map_or(1, |p| p.total.div_ceil(p.page_size).max(1));
    let prev = {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(page.saturating_sub(1)))
    };
    let next = {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(*page + 1))
    };
    let tiles = [
        ("what-if-before", "profiles before", summary.profiles_before),
        ("what-if-after", "profiles after", summary.profiles_after),
        ("what-if-merged", "merged", summary.merged),
        ("what-if-split", "split", summary.split),
        ("what-if-unchanged", "unchanged", summary.unchanged),
        ("what-if-moved", "records moved", summary.moved),
        (
            "what-if-status",
            "records changed status",
            summary.status_changed,
        ),
    ];
    let tab = |target: ChangeList, label: &str, count: u64| {
        html! {
            <button role="tab" id={format!("tab-{}", format!("{target:?}").to_lowercase())} aria-selected={(*list == target).to_string()}
                class={classes!("tab", (*list == target).then_some("current"))} onclick={choose(target)}>
                { format!("{label} ({})", thousands(count)) }
            </button>
        }
    };
    html! {
        <section class="what-if-screen" aria-labelledby="what-if-title">
            <header class="screen-head">
                <h1 id="what-if-title">{ "What-if" }</h1>
                <p class="lead">{ format!("The last run compared with the run before it (graph edit #{}), record by record.", summary.before_revision) }</p>
            </header>
            <dl class="tiles">
                { for tiles.into_iter().map(|(id, label, value)| html! {
                    <div class="tile"><dt>{ label }</dt><dd id={id}>{ thousands(value) }</dd></div>
                }) }
            </dl>
            <div class="tabs" role="tablist">
                { tab(ChangeList::Merged, "Merged profiles", summary.merged) }
                { tab(ChangeList::Split, "Split profiles", summary.split) }
                { tab(ChangeList::Moved, "Moved records", summary.moved) }
                { tab(ChangeList::Status, "Status changes", summary.status_changed) }
            </div>
            <div class="card" role="tabpanel">
                { match shown {
                    None => html! { <p class="muted">{ "Loading…" }</p> },
                    Some(p) if p.items.is_empty() => html! { <p class="muted">{ "Nothing here: this change did not do that." }</p> },
                    Some(p) => html! {
                        <ul class="changes">
                            { for p.items.iter().map(|item| match item {
                                ChangeItem::Merged { id, records, from } => html! {
                                    <li><button class="link" onclick={open(id.clone())}>{ id.clone() }</button>
                                        { format!(" ({records} records) now joins {} earlier profiles: {}", from.len(), from.join(", ")) }</li>
                                },
                                ChangeItem::Split { id, records, into } => html! {
                                    <li><code>{ id.clone() }</code>{ format!(" ({records} records) is now {} profiles: ", into.len()) }
                                        { for into.iter().map(|i| html! { <><button class="link" onclick={open(i.clone())}>{ i.clone() }</button>{ " " }</> }) }</li>
                                },
                                ChangeItem::Moved { model, key, before, after } => html! {
                                    <li><code>{ format!("{model} {key}") }</code>{ format!(" moved from {before} to ") }
                                        <button class="link" onclick={open(after.clone())}>{ after.clone() }</button></li>
                                },
                                ChangeItem::Status { model, key, before, after } => html! {
                                    <li><code>{ format!("{model} {key}") }</code>{ format!(": {before} → {after}") }</li>
                                },
                            }) }
                        </ul>
                    },
                } }
                <nav class="pager" aria-label="Pages">
                    <button onclick={prev} disabled={*page == 0}>{ "← Previous" }</button>
                    <span>{ format!("Page {} of {}", *page + 1, pages) }</span>
                    <button onclick={next} disabled={*page + 1 >= pages}>{ "Next →" }</button>
                </nav>
            </div>
        </section>
    }
}
