//! The studio's Web Worker: runs the engine off the page's thread.

use yew_agent::Registrable;

fn main() {
    spine_web::worker::Engine::registrar().register();
}
