//! The facade used the way a JavaScript caller would, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use spine_wasm::Spine;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn bytes(text: &str) -> js_sys::Uint8Array {
    js_sys::Uint8Array::from(text.as_bytes())
}

#[wasm_bindgen_test]
fn counts_profiles_across_files() {
    let spine = Spine::new();
    let names = vec!["crm.csv".to_owned(), "shop.csv".to_owned()];
    let files = vec![
        bytes("id,email\n1,a@x.com\n2,b@x.com\n"),
        bytes("id,email\n7,A@X.com\n"),
    ];
    assert_eq!(spine.count_profiles(names, files).unwrap(), 2);
}

#[wasm_bindgen_test]
fn malformed_csv_names_the_place() {
    let spine = Spine::new();
    let error = spine
        .count_profiles(vec!["bad.csv".to_owned()], vec![bytes("id,email\n1,a,b\n")])
        .unwrap_err();
    let error: wasm_bindgen::JsValue = error.into();
    let message = js_sys::Error::from(error).message();
    assert!(String::from(message).starts_with("bad.csv: line 2"));
}
