//! The worker's request handler runs the engine inside the browser.
#![cfg(target_arch = "wasm32")]

use spine_web::worker::{CsvFile, Request, Response, handle};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_run_counts_profiles() {
    let files = vec![
        CsvFile {
            name: "a.csv".to_owned(),
            bytes: b"id,email\n1,x@y.com\n2,X@y.com\n".to_vec(),
        },
        CsvFile {
            name: "b.csv".to_owned(),
            bytes: b"id,email\n1,z@y.com\n".to_vec(),
        },
    ];
    assert_eq!(
        handle(Request::Run { files }),
        Response::Done { profiles: 2 }
    );
}

#[wasm_bindgen_test]
fn a_malformed_file_fails_with_its_place() {
    let files = vec![CsvFile {
        name: "bad.csv".to_owned(),
        bytes: b"id,email\n1,\"x\n".to_vec(),
    }];
    let Response::Failed { message } = handle(Request::Run { files }) else {
        panic!("expected a failure")
    };
    assert!(
        message.starts_with("bad.csv: line 2, column 2"),
        "{message}"
    );
}
