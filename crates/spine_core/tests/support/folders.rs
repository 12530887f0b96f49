//! Reads a spec case folder from disk into the in-memory file map the case runners share (native only: the
//! browser runners embed the folders instead).

use super::cases;
use std::fs;
use std::path::Path;

/// Every file below `dir`, keyed by its path relative to `dir` with `/` separators.
pub fn read_case(dir: &Path) -> cases::Files {
    let mut files = cases::Files::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}
