//! The page's few contacts with the browser outside rendering: reading picked files, downloading text,
//! copying to the clipboard and keeping the identity graph in `localStorage`.

use crate::protocol::CsvFile;
use crate::session::MAX_FILE_BYTES;
use spine_core::options::IdentityGraph;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The `localStorage` key holding the current identity graph.
pub const GRAPH_KEY: &str = "spine.identity_graph";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Saves the graph so a reload finds it again. Storage can be full or disabled; the graph then simply is not
/// kept, which the person can always fix by exporting it.
pub fn save_graph(graph: &IdentityGraph) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(graph)) {
        let _ = storage.set_item(GRAPH_KEY, &json);
    }
}

/// The graph saved by an earlier visit, if it still reads.
pub fn saved_graph() -> Option<IdentityGraph> {
    let json = storage()?.get_item(GRAPH_KEY).ok()??;
    // Only graphs this page saved are read back, so plain serde is enough; anything unreadable is dropped.
    serde_json::from_str(&json).ok()
}

/// The files of a `FileList` (from a picker or a drop).
pub fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The files refused for their size, as messages, and the others.
pub fn check_sizes(files: Vec<web_sys::File>) -> (Vec<web_sys::File>, Vec<String>) {
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for file in files {
        let size = file.size() as u64;
        if size > MAX_FILE_BYTES {
            refused.push(format!(
                "{}: the file is {} MB, over the 200 MB limit; it was not read. Upload a sample of its rows.",
                file.name(),
                size / (1024 * 1024)
            ));
        } else {
            accepted.push(file);
        }
    }
    (accepted, refused)
}

/// Reads files into memory; a file that cannot be read becomes a message.
pub async fn read_files(files: Vec<web_sys::File>) -> (Vec<CsvFile>, Vec<String>) {
    let mut read = Vec::new();
    let mut failed = Vec::new();
    for file in files {
        match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => read.push(CsvFile {
                name: file.name(),
                bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
            }),
            Err(_) => failed.push(format!(
                "{}: the browser could not read the file",
                file.name()
            )),
        }
    }
    (read, failed)
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str, mime: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(anchor) = document.create_element("a")
        && let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Copies text to the clipboard; resolves to false when the browser refuses.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// `text.parse::<f64>().ok()`, with the browser doing the arithmetic: Rust's correctly rounded parser would
/// bring its tables (about 12 KB gzip) into a page whose browser already has one. The text must follow Rust's
/// grammar, checked here: an optional sign, then `inf`, `infinity` or `nan` in any case, or digits with an
/// optional point (at least one digit) and an optional exponent. JavaScript reads those decimals with the same
/// grammar and rounds them to the nearest double, as Rust does.
pub fn parse_f64(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let sign = if text.starts_with('-') { -1.0 } else { 1.0 };
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Some(sign * f64::INFINITY);
    }
    if unsigned.eq_ignore_ascii_case("nan") {
        return Some(if sign < 0.0 { -f64::NAN } else { f64::NAN });
    }
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let exponent_ok = exponent.is_none_or(|exponent| {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        !exponent.is_empty() && digits(exponent)
    });
    let mantissa_ok =
        !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction);
    (mantissa_ok && exponent_ok).then(|| js_sys::Number::parse_float(text))
}
