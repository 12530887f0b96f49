//! The studio context: the state, its dispatcher and the channel to the worker, for any screen.

use crate::graph_edit::Edit;
use crate::protocol::Request;
use crate::state::{Action, AppState};
use yew::prelude::*;

/// What every screen can reach: the state, and how to change it or ask the worker.
#[derive(Clone, PartialEq)]
pub struct Studio {
    pub state: UseReducerHandle<AppState>,
    /// Sends a request to the worker (queued while a fresh worker starts).
    pub send: Callback<Request>,
}

impl Studio {
    pub fn dispatch(&self, action: Action) {
        self.state.dispatch(action);
    }

    /// A callback that applies edits to the graph.
    pub fn on_edit(&self) -> Callback<Edit> {
        let state = self.state.clone();
        Callback::from(move |edit| state.dispatch(Action::Edit(edit)))
    }
}

/// The studio context; every screen is rendered inside its provider.
#[hook]
pub fn use_studio() -> Studio {
    use_context::<Studio>().expect("screens are rendered inside the studio context")
}
