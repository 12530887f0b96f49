//! The studio's components with logic, rendered in the browser and driven like a person would: the rule editor
//! changes the graph, suggestions are accepted, the drawing maps a column to an identifier, and the export of
//! an invalid graph is refused.
#![cfg(target_arch = "wasm32")]

use spine_core::options::{Columns, EventModel, IdentityGraph, MatchType};
use spine_core::settings::IdentifierKind;
use spine_web::components::event_model_card::EventModelCard;
use spine_web::components::graph_canvas::{GraphCanvas, Selection};
use spine_web::components::graph_export::GraphExport;
use spine_web::components::rule_editor::RuleEditor;
use spine_web::components::suggestion_list::SuggestionList;
use spine_web::event_setup::default_policy;
use spine_web::graph_edit::{Edit, apply, empty_graph};
use spine_web::graph_layout::layout;
use spine_web::protocol::{ColumnKind, Problem};
use spine_web::suggest::Suggestion;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Yew render what the last event scheduled.
async fn settle() {
    yew::platform::time::sleep(std::time::Duration::from_millis(20)).await;
}

fn root() -> web_sys::Element {
    let document = gloo_utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn find(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn click(root: &web_sys::Element, selector: &str) {
    let element = find(root, selector);
    // SVG shapes have no `click()`, so a bubbling click event is dispatched on anything.
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

fn choose(root: &web_sys::Element, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(root, selector).dyn_into().unwrap();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

fn two_rule_graph() -> IdentityGraph {
    let mut graph = empty_graph();
    for (name, kind) in [
        ("email", IdentifierKind::Email),
        ("phone", IdentifierKind::Phone),
    ] {
        apply(
            &mut graph,
            Edit::AddIdentifier {
                name: name.into(),
                kind,
            },
        );
    }
    apply(
        &mut graph,
        Edit::AddRule {
            name: "by_email".into(),
        },
    );
    apply(
        &mut graph,
        Edit::AddRule {
            name: "by_phone".into(),
        },
    );
    apply(
        &mut graph,
        Edit::SetCriterionIdentifiers {
            rule: 1,
            criterion: 0,
            identifiers: vec!["phone".into()],
        },
    );
    apply(
        &mut graph,
        Edit::AddCriterion {
            rule: 1,
            identifier: "email".into(),
        },
    );
    graph
}

/// The graph a harness component holds, readable by the test.
type Shared = Rc<RefCell<IdentityGraph>>;

#[derive(Properties)]
struct RuleHarnessProps {
    graph: Shared,
}

impl PartialEq for RuleHarnessProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.graph, &other.graph)
    }
}

/// The rule editor wired to a graph that its edits change, as the studio's state does.
#[component]
fn RuleHarness(props: &RuleHarnessProps) -> Html {
    let graph = use_state(|| Rc::new(props.graph.borrow().clone()));
    let on_edit = {
        let (graph, shared) = (graph.clone(), props.graph.clone());
        Callback::from(move |edit: Edit| {
            apply(&mut shared.borrow_mut(), edit);
            graph.set(Rc::new(shared.borrow().clone()));
        })
    };
    html! { <RuleEditor graph={(*graph).clone()} problems={Rc::new(Vec::new())} {on_edit} /> }
}

#[wasm_bindgen_test]
async fn the_rule_editor_adds_reorders_and_removes_criteria() {
    let shared: Shared = Rc::new(RefCell::new(two_rule_graph()));
    let root = root();
    yew::Renderer::<RuleHarness>::with_root_and_props(
        root.clone(),
        RuleHarnessProps {
            graph: shared.clone(),
        },
    )
    .render();
    settle().await;
    let first_up: web_sys::HtmlButtonElement = find(&root, ".move-up").dyn_into().unwrap();
    assert!(first_up.disabled(), "the strongest rule cannot move up");

    click(&root, "[aria-label='Remove criterion 2 of rule by_phone']");
    settle().await;
    assert_eq!(shared.borrow().rules[1].criteria.len(), 1);
    assert_eq!(
        shared.borrow().rules[1].criteria[0].identifiers,
        vec!["phone".to_owned()]
    );

    click(&root, "[aria-label='Move rule by_email down']");
    settle().await;
    let names: Vec<String> = shared
        .borrow()
        .rules
        .iter()
        .map(|r| r.name.clone())
        .collect();
    assert_eq!(names, ["by_phone", "by_email"]);

    click(&root, "#add-rule");
    settle().await;
    {
        let graph = shared.borrow();
        assert_eq!(graph.rules.len(), 3);
        assert_eq!(graph.rules[2].name, "rule_1");
        assert_eq!(
            graph.rules[2].criteria[0].match_type,
            MatchType::Exact,
            "a new rule starts exact"
        );
    }

    choose(
        &root,
        "[aria-label='Add a criterion to rule rule_1']",
        "phone",
    );
    settle().await;
    choose(
        &root,
        "[aria-label='Match type of criterion 2 of rule rule_1']",
        "fuzzy_strong",
    );
    settle().await;
    let graph = shared.borrow();
    assert_eq!(graph.rules[2].criteria.len(), 2);
    assert_eq!(
        graph.rules[2].criteria[1].identifiers,
        vec!["phone".to_owned()]
    );
    assert_eq!(
        graph.rules[2].criteria[1].match_type,
        MatchType::FuzzyStrong
    );
    // The page shows the new order.
    let shown: Vec<String> = (0..3)
        .map(|i| {
            let input: web_sys::HtmlInputElement =
                find(&root, &format!("[aria-label='Name of rule {}']", i + 1))
                    .dyn_into()
                    .unwrap();
            input.value()
        })
        .collect();
    assert_eq!(shown, ["by_phone", "by_email", "rule_1"]);
}

#[derive(Properties, PartialEq)]
struct SuggestionHarnessProps {
    edits: Rc<RefCell<Vec<Edit>>>,
}

#[component]
fn SuggestionHarness(props: &SuggestionHarnessProps) -> Html {
    let suggestion = |column: &str, identifier: &str, kind| Suggestion {
        model: "crm".into(),
        column: column.into(),
        identifier: identifier.into(),
        kind,
        creates: true,
        reason: "test".into(),
    };
    let suggestions = Rc::new(vec![
        suggestion("mail", "email", IdentifierKind::Email),
        suggestion("tel", "phone", IdentifierKind::Phone),
    ]);
    let edits = props.edits.clone();
    html! { <SuggestionList {suggestions} on_edit={Callback::from(move |e| edits.borrow_mut().push(e))} /> }
}

#[wasm_bindgen_test]
async fn suggestions_are_accepted_one_by_one_or_all_at_once() {
    let edits = Rc::new(RefCell::new(Vec::new()));
    let root = root();
    yew::Renderer::<SuggestionHarness>::with_root_and_props(
        root.clone(),
        SuggestionHarnessProps {
            edits: edits.clone(),
        },
    )
    .render();
    settle().await;
    click(&root, "[aria-label='Accept crm.tel to phone']");
    settle().await;
    let map = |column: &str, identifier: &str, kind| Edit::Map {
        model: "crm".into(),
        column: column.into(),
        identifier: identifier.into(),
        kind,
    };
    assert_eq!(
        *edits.borrow(),
        vec![map("tel", "phone", IdentifierKind::Phone)]
    );
    click(&root, "#accept-all");
    settle().await;
    assert_eq!(edits.borrow().len(), 3);
    assert_eq!(
        edits.borrow()[1],
        map("mail", "email", IdentifierKind::Email)
    );
}

#[derive(Properties, PartialEq)]
struct CanvasHarnessProps {
    edits: Rc<RefCell<Vec<Edit>>>,
}

/// The drawing with its selection held like the Identity graph screen holds it.
#[component]
fn CanvasHarness(props: &CanvasHarnessProps) -> Html {
    let selection = use_state(Selection::default);
    let mut graph = empty_graph();
    apply(
        &mut graph,
        Edit::AddModel {
            name: "crm".into(),
            primary_key: Some("id".into()),
            order_by: None,
        },
    );
    apply(
        &mut graph,
        Edit::AddIdentifier {
            name: "email".into(),
            kind: IdentifierKind::Email,
        },
    );
    let columns: BTreeMap<String, Vec<(String, ColumnKind)>> = [(
        "crm".to_owned(),
        vec![
            ("id".to_owned(), ColumnKind::Id),
            ("mail".to_owned(), ColumnKind::Email),
        ],
    )]
    .into();
    let drawing = Rc::new(layout(&graph, &columns, &[]));
    let edits = props.edits.clone();
    let on_select = {
        let selection = selection.clone();
        Callback::from(move |s| selection.set(s))
    };
    html! {
        <GraphCanvas graph={Rc::new(graph)} layout={drawing} problems={Rc::new(vec![Problem { path: "models[0].primary_key".into(), message: "check".into() }])}
            suggestions={Rc::new(Vec::new())} selection={(*selection).clone()} {on_select}
            on_edit={Callback::from(move |e| edits.borrow_mut().push(e))} />
    }
}

#[wasm_bindgen_test]
async fn clicking_a_column_then_an_identifier_maps_it() {
    let edits = Rc::new(RefCell::new(Vec::new()));
    let root = root();
    yew::Renderer::<CanvasHarness>::with_root_and_props(
        root.clone(),
        CanvasHarnessProps {
            edits: edits.clone(),
        },
    )
    .render();
    settle().await;
    assert!(
        find(&root, ".model.bad")
            .text_content()
            .unwrap()
            .contains('1'),
        "the model's problem is marked on it"
    );
    click(&root, "[data-column='crm.mail']");
    settle().await;
    assert_eq!(
        find(&root, "[data-column='crm.mail']")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    click(&root, "[data-identifier='email']");
    settle().await;
    assert_eq!(
        *edits.borrow(),
        vec![Edit::Map {
            model: "crm".into(),
            column: "mail".into(),
            identifier: "email".into(),
            kind: IdentifierKind::Email
        }]
    );
    assert!(
        root.query_selector(".column.selected").unwrap().is_none(),
        "the selection is cleared"
    );
}

#[derive(Properties, PartialEq)]
struct ExportHarnessProps {
    problems: Option<Rc<Vec<Problem>>>,
    downloads: Rc<RefCell<Vec<String>>>,
}

#[component]
fn ExportHarness(props: &ExportHarnessProps) -> Html {
    let downloads = props.downloads.clone();
    html! {
        <GraphExport json={"{\"version\": 1}"} problems={props.problems.clone()}
            on_download={Callback::from(move |json| downloads.borrow_mut().push(json))} on_copy={Callback::noop()} />
    }
}

async fn try_export(problems: Option<Rc<Vec<Problem>>>) -> (web_sys::Element, Vec<String>) {
    let downloads = Rc::new(RefCell::new(Vec::new()));
    let root = root();
    yew::Renderer::<ExportHarness>::with_root_and_props(
        root.clone(),
        ExportHarnessProps {
            problems,
            downloads: downloads.clone(),
        },
    )
    .render();
    settle().await;
    click(&root, "#download-graph");
    settle().await;
    let downloaded = downloads.borrow().clone();
    (root, downloaded)
}

#[wasm_bindgen_test]
async fn an_invalid_graph_is_not_exported_and_its_problems_are_listed() {
    let problem = Problem {
        path: "rules[0].criteria".into(),
        message: "the rule needs an exact criterion".into(),
    };
    let (root, downloads) = try_export(Some(Rc::new(vec![problem]))).await;
    assert!(downloads.is_empty(), "nothing was downloaded");
    let refusal = find(&root, "#export-refused").text_content().unwrap();
    assert!(refusal.contains("Export refused"), "{refusal}");
    assert!(
        refusal.contains("rules[0].criteria") && refusal.contains("needs an exact criterion"),
        "{refusal}"
    );

    let (root, downloads) = try_export(None).await;
    assert!(
        downloads.is_empty(),
        "an unchecked graph is not exported either"
    );
    assert!(
        find(&root, "#export-refused")
            .text_content()
            .unwrap()
            .contains("being checked")
    );

    let (root, downloads) = try_export(Some(Rc::new(Vec::new()))).await;
    assert_eq!(downloads, vec!["{\"version\": 1}".to_owned()]);
    assert!(root.query_selector("#export-refused").unwrap().is_none());
}

#[derive(Properties)]
struct EventHarnessProps {
    graph: Shared,
}

impl PartialEq for EventHarnessProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.graph, &other.graph)
    }
}

/// The first event model's card wired to a graph that its edits change, with the file's columns loaded.
#[component]
fn EventHarness(props: &EventHarnessProps) -> Html {
    let graph = use_state(|| props.graph.borrow().clone());
    let on_edit = {
        let (graph, shared) = (graph.clone(), props.graph.clone());
        Callback::from(move |edit: Edit| {
            apply(&mut shared.borrow_mut(), edit);
            graph.set(shared.borrow().clone());
        })
    };
    let model = graph.events.as_ref().unwrap().models[0].clone();
    let columns = ["event_id", "ts", "uid", "mail", "mail_2"]
        .map(str::to_owned)
        .to_vec();
    let identifiers = graph
        .identifiers
        .iter()
        .map(|i| i.name.clone())
        .collect::<Vec<_>>();
    html! { <EventModelCard {model} columns={Some(columns)} {identifiers} {on_edit} on_remove={Callback::noop()} /> }
}

fn event_graph() -> IdentityGraph {
    let mut graph = empty_graph();
    for (name, kind) in [
        ("email", IdentifierKind::Email),
        ("user_id", IdentifierKind::UserId),
    ] {
        apply(
            &mut graph,
            Edit::AddIdentifier {
                name: name.into(),
                kind,
            },
        );
    }
    let model = EventModel {
        name: "web".into(),
        key: "event_id".into(),
        timestamp: "ts".into(),
        event_type: None,
        identifiers: BTreeMap::from([("email".to_owned(), Columns::One("mail".into()))]),
    };
    let events = default_policy(&graph, vec![model]);
    apply(&mut graph, Edit::SetEvents(Some(Box::new(events))));
    graph
}

fn event_mappings(graph: &Shared) -> Vec<(String, Vec<String>)> {
    graph.borrow().events.as_ref().unwrap().models[0]
        .identifiers
        .iter()
        .map(|(i, c)| (i.clone(), c.as_slice().to_vec()))
        .collect()
}

fn submit(root: &web_sys::Element, selector: &str) {
    let button: web_sys::HtmlButtonElement = find(root, selector).dyn_into().unwrap();
    button.click();
}

#[wasm_bindgen_test]
async fn each_event_mapping_is_added_and_removed_on_its_own() {
    let shared: Shared = Rc::new(RefCell::new(event_graph()));
    let root = root();
    yew::Renderer::<EventHarness>::with_root_and_props(
        root.clone(),
        EventHarnessProps {
            graph: shared.clone(),
        },
    )
    .render();
    settle().await;
    // The key and time columns hold the event itself and are not offered.
    let offered: Vec<String> = (0..)
        .map_while(|i| {
            root.query_selector(&format!("#event-column-web option:nth-child({})", i + 1))
                .unwrap()
        })
        .map(|o| o.text_content().unwrap_or_default())
        .collect();
    assert_eq!(offered, ["uid", "mail", "mail_2"]);

    choose(&root, "#event-column-web", "uid");
    choose(&root, "#event-identifier-web", "user_id");
    submit(&root, "#event-map-web");
    settle().await;
    choose(&root, "#event-column-web", "mail_2");
    choose(&root, "#event-identifier-web", "email");
    submit(&root, "#event-map-web");
    settle().await;
    assert_eq!(
        event_mappings(&shared),
        vec![
            (
                "email".to_owned(),
                vec!["mail".to_owned(), "mail_2".to_owned()]
            ),
            ("user_id".to_owned(), vec!["uid".to_owned()]),
        ]
    );
    assert!(find(&root, "[data-mapping='email=mail_2']").is_object());

    // Removing one column of a two-column mapping keeps the other; removing the last drops the identifier.
    click(&root, "[aria-label='Unmap mail from email']");
    settle().await;
    click(&root, "[aria-label='Unmap uid from user_id']");
    settle().await;
    assert_eq!(
        event_mappings(&shared),
        vec![("email".to_owned(), vec!["mail_2".to_owned()])]
    );
    assert!(
        root.query_selector("[data-mapping='user_id=uid']")
            .unwrap()
            .is_none()
    );
}
