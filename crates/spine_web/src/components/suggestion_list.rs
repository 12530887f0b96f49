//! Suggested mappings, each with its reason and a button to accept it (or all of them at once).

use crate::graph_edit::Edit;
use crate::suggest::Suggestion;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SuggestionListProps {
    pub suggestions: Rc<Vec<Suggestion>>,
    pub on_edit: Callback<Edit>,
}

#[component]
pub fn SuggestionList(props: &SuggestionListProps) -> Html {
    if props.suggestions.is_empty() {
        return html! { <p class="muted" id="no-suggestions">{ "No mapping to suggest: every column that looks like an identifier is mapped." }</p> };
    }
    let accept_all = {
        let on_edit = props.on_edit.clone();
        let suggestions = props.suggestions.clone();
        Callback::from(move |_: MouseEvent| {
            for suggestion in suggestions.iter() {
                on_edit.emit(suggestion.edit());
            }
        })
    };
    html! {
        <div class="suggestions">
            <div class="row-between">
                <h3>{ format!("Suggested mappings ({})", props.suggestions.len()) }</h3>
                <button id="accept-all" class="primary small" onclick={accept_all}>{ "Accept all" }</button>
            </div>
            <ul>
                { for props.suggestions.iter().map(|s| {
                    let on_edit = props.on_edit.clone();
                    let edit = s.edit();
                    let onclick = Callback::from(move |_: MouseEvent| on_edit.emit(edit.clone()));
                    html! {
                        <li class="suggestion">
                            <div>
                                <code>{ format!("{}.{}", s.model, s.column) }</code>{ " → " }<strong>{ s.identifier.clone() }</strong>
                                if s.creates { <span class="badge info">{ "new identifier" }</span> }
                                <div class="muted small">{ format!("because {}", s.reason) }</div>
                            </div>
                            <button class="small" {onclick} aria-label={format!("Accept {}.{} to {}", s.model, s.column, s.identifier)}>{ "Accept" }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
