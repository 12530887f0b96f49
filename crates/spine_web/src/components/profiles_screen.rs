//! The Profiles screen: golden records, searchable and paged; a profile opens its records side by side.

use crate::components::file_card::thousands;
use crate::components::profile_panel::ProfilePanel;
use crate::hooks::use_studio::use_studio;
use crate::protocol::Request;
use crate::state::{Action, Screen};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[component]
pub fn ProfilesScreen() -> Html {
    let studio = use_studio();
    let state = &studio.state;
    let search = use_state(String::new);
    let page = use_state(|| 0usize);
    let run_id = state.summary.as_ref().map(|s| s.totals.run_id.clone());
    // Ask for the page whenever the search, the page or the run changes.
    {
        let studio = studio.clone();
        use_effect_with(
            ((*search).clone(), *page, run_id.clone()),
            move |(search, page, run)| {
                if run.is_some() {
                    studio.send.emit(Request::ProfilesPage {
                        search: search.clone(),
                        page: *page,
                    });
                }
            },
        );
    }
    // Ask for the opened profile's detail.
    {
        let studio = studio.clone();
        let opened = state.opened.clone();
        let known = opened
            .as_ref()
            .is_some_and(|id| state.details.contains_key(id));
        use_effect_with((opened, known), move |(opened, known)| {
            if let (Some(id), false) = (opened, known) {
                studio.send.emit(Request::Profile { id: id.clone() });
            }
        });
    }
    if state.summary.is_none() {
        return html! {
            <section class="profiles-screen">
                <header class="screen-head"><h1>{ "Profiles" }</h1></header>
                <p class="empty">{ "Run the resolution first: golden records appear here." }</p>
            </section>
        };
    }
    let oninput = {
        let (search, page) = (search.clone(), page.clone());
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            search.set(input.value());
            page.set(0);
        })
    };
    let open = |id: String| {
        let studio = studio.clone();
        Callback::from(move |_: MouseEvent| studio.dispatch(Action::Open(id.clone())))
    };
    let on_close = {
        let studio = studio.clone();
        Callback::from(move |()| studio.dispatch(Action::CloseProfile))
    };
    let on_watch = {
        let studio = studio.clone();
        Callback::from(move |id: String| {
            studio.dispatch(Action::Watch(id));
            studio.dispatch(Action::Navigate(Screen::Run));
        })
    };
    let on_explain = {
        let studio = studio.clone();
        Callback::from(move |(left, right)| {
            studio.send.emit(Request::ExplainRecords { left, right })
        })
    };
    let listing = state
        .profiles
        .as_ref()
        .filter(|p| p.search == *search && p.page == *page);
    let pages = listing.map_or(1, |p| p.total.div_ceil(p.page_size).max(1));
    let prev = {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(page.saturating_sub(1)))
    };
    let next = {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(*page + 1))
    };
    let detail = state
        .opened
        .as_ref()
        .and_then(|id| state.details.get(id).cloned());
    html! {
        <section class="profiles-screen" aria-labelledby="profiles-title">
            <header class="screen-head">
                <h1 id="profiles-title">{ "Profiles" }</h1>
                <p class="lead">{ "One golden record per person. Search by ID or any golden value; open a profile to see its records and why they were joined." }</p>
            </header>
            <div class="row search-row">
                <input id="profile-search" type="search" placeholder="Search: an email, a name, a dm_ ID…" value={(*search).clone()} {oninput}
                    aria-label="Search golden records" />
                <span class="muted" id="profile-total" aria-live="polite">
                    { listing.map(|p| format!("{} profile(s)", thousands(p.total as u64))).unwrap_or_else(|| "searching…".to_owned()) }
                </span>
            </div>
            if let Some(detail) = detail {
                <ProfilePanel {detail} {on_close} {on_watch} models={state.graph.models.iter().map(|m| m.name.clone()).collect::<Vec<_>>()}
                    explained={state.explained.clone()} on_explain={on_explain} />
            } else if state.opened.is_some() {
                <p class="status">{ "Opening the profile…" }</p>
            }
            if let Some(listing) = listing {
                <div class="table-scroll card">
                    <table class="data-table profiles-table" id="profiles-table">
                        <thead><tr>
                            <th scope="col">{ "Profile" }</th><th scope="col">{ "Records" }</th><th scope="col">{ "Sources" }</th>
                            { for listing.fields.iter().map(|f| html! { <th scope="col">{ f.clone() }</th> }) }
                        </tr></thead>
                        <tbody>
                        { for listing.rows.iter().map(|row| html! {
                            <tr class={classes!(row.conflict.then_some("conflict"), (state.opened.as_deref() == Some(row.id.as_str())).then_some("opened"))}>
                                <th scope="row"><button class="link profile-link" onclick={open(row.id.clone())}>{ row.id.clone() }</button></th>
                                <td class="num">{ row.records }</td>
                                <td class="num">{ row.models }</td>
                                { for row.values.iter().map(|v| html! { <td>{ v.clone() }</td> }) }
                            </tr>
                        }) }
                        </tbody>
                    </table>
                </div>
                <nav class="pager" aria-label="Pages">
                    <button onclick={prev} disabled={*page == 0}>{ "← Previous" }</button>
                    <span>{ format!("Page {} of {}", *page + 1, pages) }</span>
                    <button onclick={next} disabled={*page + 1 >= pages}>{ "Next →" }</button>
                </nav>
            }
        </section>
    }
}
