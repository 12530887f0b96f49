//! The Web Worker that runs the engine, so the page never freezes. It holds a [`Session`] and answers each
//! [`Request`] in order.
//!
//! It is a yew-agent *worker* (not a reactor) on purpose: a reactor's replies go through a queue that only
//! drains when the worker's event loop gets a turn, so progress sent from inside the synchronous engine would
//! all arrive at the end. A worker's `respond` posts at once, so the page sees each stage as it happens.
//!
//! Cancel: the engine runs synchronously here, so no message can reach it mid-run. The page cancels by
//! dropping its bridge and starting a fresh worker (re-sending the files); the abandoned worker finishes the
//! step it is in, its reply goes nowhere, and it closes itself.

pub use crate::protocol::{Request, Response};
use crate::session::Session;
use yew_agent::worker::{HandlerId, Worker, WorkerScope};

/// The worker agent.
pub struct Engine {
    session: Session,
}

/// Milliseconds from the worker's clock (not the engine's: the engine never reads a clock).
fn now() -> f64 {
    js_sys::Date::now()
}

impl Worker for Engine {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self {
            session: Session::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _message: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: Self::Input, id: HandlerId) {
        self.session
            .handle(request, &now, &mut |response| scope.respond(id, response));
    }
}
