//! The JavaScript face of Spine: one exported `Spine` type whose methods take bytes and JSON, never paths.

use wasm_bindgen::prelude::*;

/// Entry point for JavaScript callers.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Spine;

#[wasm_bindgen]
impl Spine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self
    }

    /// Parses each CSV (names and bytes in the same order) and returns the number of profiles that share an
    /// email. Throws an `Error` naming the file, line and column when a CSV is malformed.
    #[wasm_bindgen(js_name = countProfiles)]
    pub fn count_profiles(
        &self,
        names: Vec<String>,
        files: Vec<js_sys::Uint8Array>,
    ) -> Result<u32, JsError> {
        if names.len() != files.len() {
            return Err(JsError::new("names and files must have the same length"));
        }
        let mut tables = Vec::with_capacity(files.len());
        for (name, file) in names.iter().zip(files) {
            tables.push(spine_core::parse_csv(name, &file.to_vec())?);
        }
        Ok(u32::try_from(spine_core::count_profiles_by_email(&tables)).unwrap_or(u32::MAX))
    }
}
