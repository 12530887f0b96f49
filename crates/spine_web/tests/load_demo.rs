//! The "Load demo data" component renders, reacts to a click, and shows the count it is given.
#![cfg(target_arch = "wasm32")]

use spine_web::components::load_demo::{LoadDemo, LoadDemoProps, RunState};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount(props: LoadDemoProps) -> web_sys::Element {
    let document = gloo_utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<LoadDemo>::with_root_and_props(root.clone(), props).render();
    root
}

#[wasm_bindgen_test]
async fn clicking_the_button_asks_for_a_run() {
    let clicks = Rc::new(Cell::new(0));
    let on_load = {
        let clicks = clicks.clone();
        Callback::from(move |()| clicks.set(clicks.get() + 1))
    };
    let root = mount(LoadDemoProps {
        state: RunState::Idle,
        on_load,
    });
    yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    assert!(root.text_content().unwrap().contains("No data loaded yet."));
    let button: web_sys::HtmlElement = root
        .query_selector("#load-demo")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    assert_eq!(clicks.get(), 1);
}

#[wasm_bindgen_test]
async fn shows_the_profile_count() {
    let root = mount(LoadDemoProps {
        state: RunState::Done { profiles: 42 },
        on_load: Callback::noop(),
    });
    yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    let count = root.query_selector("#profile-count").unwrap().unwrap();
    assert_eq!(count.text_content().unwrap(), "42");
}
