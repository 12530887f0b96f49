//! The left navigation: one entry per screen, with a badge where something needs attention.

use crate::state::Screen;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NavBarProps {
    pub current: Screen,
    pub on_navigate: Callback<Screen>,
    /// Files loaded.
    pub files: usize,
    /// Problems in the graph (None while unchecked).
    pub problems: Option<usize>,
    /// A short word on the run: "running", "done", ...
    pub run_status: AttrValue,
    pub has_results: bool,
}

/// The list of screens; the current one is marked for assistive technology too.
#[component]
pub fn NavBar(props: &NavBarProps) -> Html {
    let item = |screen: Screen| {
        let on_navigate = props.on_navigate.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_navigate.emit(screen));
        let badge = match screen {
            Screen::Data if props.files > 0 => Some((props.files.to_string(), "ok")),
            Screen::Graph | Screen::Rules => match props.problems {
                Some(0) => Some(("valid".to_owned(), "ok")),
                Some(n) => Some((n.to_string(), "bad")),
                None => None,
            },
            Screen::Run if !props.run_status.is_empty() => {
                Some((props.run_status.to_string(), "info"))
            }
            _ => None,
        };
        let needs_run = matches!(screen, Screen::Profiles | Screen::Review | Screen::WhatIf)
            && !props.has_results;
        let current = props.current == screen;
        html! {
            <li>
                <button id={format!("nav-{}", screen.slug())}
                    class={classes!("nav-item", current.then_some("current"), needs_run.then_some("waiting"))}
                    aria-current={current.then_some("page")} {onclick}>
                    <span class="nav-title">{ screen.title() }</span>
                    if let Some((text, tone)) = badge {
                        <span class={classes!("badge", tone)}>{ text }</span>
                    }
                </button>
            </li>
        }
    };
    html! {
        <nav class="nav" aria-label="Screens">
            <div class="brand">
                <span class="logo" aria-hidden="true">{ "◆" }</span>
                <div>
                    <div class="brand-name">{ "Spine" }</div>
                    <div class="brand-tag">{ "identity resolution studio" }</div>
                </div>
            </div>
            <ol class="nav-list">{ for Screen::ALL.into_iter().map(item) }</ol>
            <p class="nav-note">{ "Your data stays in this browser: nothing is uploaded anywhere." }</p>
        </nav>
    }
}
