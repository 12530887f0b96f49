//! Reading the command's input files: each file read once, every error naming the file (and, through the CSV
//! parser, the line and column).

use anyhow::{Context, Result, bail};
use spine_core::Table;
use std::io::{BufRead as _, BufReader};
use std::path::Path;

/// Reads a text file that must be UTF-8 (an identity graph).
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
            let column = 1 + at
                - bytes[..at]
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |newline| newline + 1);
            bail!(
                "{}: line {line}, column {column}: the bytes are not valid UTF-8; save the file as UTF-8",
                path.display()
            )
        }
    }
}

/// Reads and parses a whole CSV file.
pub fn read_table(path: &Path) -> Result<Table> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(spine_core::parse_csv(&path.display().to_string(), &bytes)?)
}

/// Reads only the header row of a CSV file: its column names.
pub fn read_header(path: &Path) -> Result<Vec<String>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut first = Vec::new();
    BufReader::new(file)
        .read_until(b'\n', &mut first)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(spine_core::parse_csv(&path.display().to_string(), &first)?.columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_text_names_the_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph.json");
        std::fs::write(&path, b"{\n  \"name\": \"caf\xE9\"\n}").unwrap();
        let message = read_text(&path).unwrap_err().to_string();
        assert!(message.ends_with("graph.json: line 2, column 15: the bytes are not valid UTF-8; save the file as UTF-8"), "{message}");
    }

    #[test]
    fn a_header_is_read_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crm.csv");
        std::fs::write(&path, b"\xEF\xBB\xBFid,email\n1,\"never closed\n").unwrap();
        assert_eq!(read_header(&path).unwrap(), ["id", "email"]);
    }
}
