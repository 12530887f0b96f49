//! The place to drop CSV files, with a file picker for those who prefer one (or use a keyboard).

use crate::browser::file_list;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub on_files: Callback<Vec<web_sys::File>>,
    #[prop_or_default]
    pub busy: bool,
}

/// A drop target around a labelled `<input type=file multiple>`.
#[component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let over = use_state(|| false);
    let ondragover = {
        let over = over.clone();
        Callback::from(move |event: DragEvent| {
            // Without this the browser opens the dropped file instead of handing it to the page.
            event.prevent_default();
            over.set(true);
        })
    };
    let ondragleave = {
        let over = over.clone();
        Callback::from(move |_: DragEvent| over.set(false))
    };
    let ondrop = {
        let over = over.clone();
        let on_files = props.on_files.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            over.set(false);
            let files = file_list(event.data_transfer().and_then(|d| d.files()));
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    let onchange = {
        let on_files = props.on_files.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let files = file_list(input.files());
            // Clearing the input lets the same file be picked again after a fix.
            input.set_value("");
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    html! {
        <div class={classes!("drop-zone", (*over).then_some("over"))} {ondragover} {ondragleave} {ondrop}>
            <div class="drop-icon" aria-hidden="true">{ "⇪" }</div>
            <p class="drop-title">{ "Drop CSV files here" }</p>
            <p class="muted">{ "one file per source: CRM contacts, shop customers, app users…" }</p>
            <label class="button primary" for="file-input">{ if props.busy { "Reading…" } else { "Choose CSV files" } }</label>
            <input id="file-input" class="visually-hidden" type="file" multiple=true accept=".csv,text/csv" {onchange} />
            <p class="muted small">{ "Files over 200 MB are refused before they are read. Comma-separated, UTF-8, a header row." }</p>
        </div>
    }
}
