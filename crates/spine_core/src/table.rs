//! CSV bytes in, a compact in-memory table out, and tables back to RFC 4180 CSV text.
//!
//! Every problem names the file, the line and the column, so a person can find it in a spreadsheet.

use std::fmt::Write as _;

/// A parsed CSV file: a header and rows of text cells, stored in one arena so a million rows stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The file (or model) name used in messages.
    pub name: String,
    /// Column names from the header row, in file order.
    pub columns: Vec<String>,
    /// All cells, row-major, concatenated.
    data: String,
    /// End offset in `data` of every cell, row-major.
    ends: Vec<u32>,
    /// 1-based line number where each data row starts (the header is line 1).
    lines: Vec<u64>,
}

/// Why a CSV file could not be read. Each variant names the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("{file}: the file is empty; a CSV needs a header row naming its columns")]
    Empty { file: String },
    #[error(
        "{file}: line {line}, column {column}: the bytes are not valid UTF-8; save the file as UTF-8 and upload it again"
    )]
    NotUtf8 {
        file: String,
        line: u64,
        column: usize,
    },
    #[error(
        "{file}: line {line}: row has {found} cells but the header has {expected}; check for an unquoted comma or a missing cell"
    )]
    Ragged {
        file: String,
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error(
        "{file}: line {line}, column {column}: a quoted cell is never closed; add the missing '\"' or remove the stray one"
    )]
    UnclosedQuote {
        file: String,
        line: u64,
        column: usize,
    },
    #[error(
        "{file}: line 1, column {column}: the column name '{name}' appears twice; rename one of them"
    )]
    DuplicateColumn {
        file: String,
        column: usize,
        name: String,
    },
    #[error(
        "{file}: line 1, column {column}: the header has an empty column name; name every column"
    )]
    EmptyColumnName { file: String, column: usize },
    #[error("{file}: the file is larger than 4 GiB of text, more than one table can hold")]
    TooLarge { file: String },
    #[error("{file}: line {line}: {message}")]
    Other {
        file: String,
        line: u64,
        message: String,
    },
}

impl Table {
    /// Builds a table from a header and rows (used by tests and generators).
    pub fn from_rows(name: &str, columns: &[&str], rows: &[Vec<String>]) -> Self {
        let mut builder = Self::empty(name, columns.iter().map(|c| (*c).to_owned()).collect());
        for (index, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), columns.len(), "row {index} has the wrong width");
            for cell in row {
                builder.data.push_str(cell);
                builder
                    .ends
                    .push(u32::try_from(builder.data.len()).expect("table under 4 GiB"));
            }
            builder.lines.push(index as u64 + 2);
        }
        builder
    }

    fn empty(name: &str, columns: Vec<String>) -> Self {
        Self {
            name: name.to_owned(),
            columns,
            data: String::new(),
            ends: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// Number of data rows (the header excluded).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when the file has a header but no data rows.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The index of a column by exact name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// One cell as text.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        let index = row * self.columns.len() + column;
        let start = if index == 0 {
            0
        } else {
            self.ends[index - 1] as usize
        };
        &self.data[start..self.ends[index] as usize]
    }

    /// The 1-based line of the file where a data row starts.
    pub fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }

    /// The cells of one row.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.columns.len()).map(move |column| self.cell(row, column))
    }
}

/// Parses CSV bytes (comma separated, RFC 4180 quoting, optional UTF-8 byte-order mark).
///
/// `file` is the name used in error messages. A byte-order mark is dropped; a file with a header and no rows
/// is a valid, empty table.
pub fn parse_csv(file: &str, bytes: &[u8]) -> Result<Table, CsvError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(CsvError::Empty {
            file: file.to_owned(),
        });
    }
    if let Some((line, column)) = unclosed_quote(bytes) {
        return Err(CsvError::UnclosedQuote {
            file: file.to_owned(),
            line,
            column,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut table: Option<Table> = None;
    loop {
        let more = reader
            .read_byte_record(&mut record)
            .map_err(|error| CsvError::Other {
                file: file.to_owned(),
                line: error.position().map_or(0, csv::Position::line),
                message: error.to_string(),
            })?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, csv::Position::line);
        let mut cells = Vec::with_capacity(record.len());
        for (index, cell) in record.iter().enumerate() {
            let text = std::str::from_utf8(cell).map_err(|_| CsvError::NotUtf8 {
                file: file.to_owned(),
                line,
                column: index + 1,
            })?;
            cells.push(text);
        }
        match table.as_mut() {
            None => table = Some(header(file, &cells)?),
            Some(table) => {
                if cells.len() != table.columns.len() {
                    // A blank line is not a row: skip it rather than report a ragged row.
                    if cells.len() == 1 && cells[0].is_empty() {
                        continue;
                    }
                    return Err(CsvError::Ragged {
                        file: file.to_owned(),
                        line,
                        expected: table.columns.len(),
                        found: cells.len(),
                    });
                }
                for cell in cells {
                    table.data.push_str(cell);
                    let end = u32::try_from(table.data.len()).map_err(|_| CsvError::TooLarge {
                        file: file.to_owned(),
                    })?;
                    table.ends.push(end);
                }
                table.lines.push(line);
            }
        }
    }
    table.ok_or_else(|| CsvError::Empty {
        file: file.to_owned(),
    })
}

fn header(file: &str, cells: &[&str]) -> Result<Table, CsvError> {
    let mut columns: Vec<String> = Vec::with_capacity(cells.len());
    for (index, name) in cells.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            return Err(CsvError::EmptyColumnName {
                file: file.to_owned(),
                column: index + 1,
            });
        }
        if columns.iter().any(|c| c == name) {
            return Err(CsvError::DuplicateColumn {
                file: file.to_owned(),
                column: index + 1,
                name: name.to_owned(),
            });
        }
        columns.push(name.to_owned());
    }
    Ok(Table::empty(file, columns))
}

/// Finds a quoted cell that is still open at the end of the file: (line, column) where it opened.
fn unclosed_quote(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut line = 1u64;
    let mut column = 1usize;
    let mut at_cell_start = true;
    let mut open: Option<(u64, usize)> = None;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if open.is_some() {
            match byte {
                b'"' if bytes.get(index + 1) == Some(&b'"') => index += 1,
                b'"' => open = None,
                b'\n' => line += 1,
                _ => {}
            }
        } else {
            match byte {
                b'"' if at_cell_start => open = Some((line, column)),
                b',' => {
                    column += 1;
                    at_cell_start = true;
                    index += 1;
                    continue;
                }
                b'\n' => {
                    line += 1;
                    column = 1;
                    at_cell_start = true;
                    index += 1;
                    continue;
                }
                _ => {}
            }
            at_cell_start = false;
        }
        index += 1;
    }
    open
}

/// Writes rows as CSV text: header first, `\n` line ends, a field quoted only when it holds a comma, a quote,
/// CR or LF (RFC 4180).
pub fn write_csv<R, C>(columns: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut out = String::new();
    write_line(&mut out, columns.iter());
    for row in rows {
        write_line(&mut out, row.into_iter());
    }
    out
}

fn write_line<I>(out: &mut String, cells: I)
where
    I: Iterator,
    I::Item: AsRef<str>,
{
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            out.push(',');
        }
        let cell = cell.as_ref();
        if cell.contains([',', '"', '\r', '\n']) {
            let _ = write!(out, "\"{}\"", cell.replace('"', "\"\""));
        } else {
            out.push_str(cell);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header_rows_and_quotes() {
        let table = parse_csv(
            "crm.csv",
            b"id,name\n1,\"Smith, Ann\"\n2,\"say \"\"hi\"\"\"\n",
        )
        .unwrap();
        assert_eq!(table.columns, ["id", "name"]);
        assert_eq!(table.len(), 2);
        assert_eq!(table.cell(0, 1), "Smith, Ann");
        assert_eq!(table.cell(1, 1), "say \"hi\"");
        assert_eq!(table.line(1), 3);
    }

    #[test]
    fn drops_a_byte_order_mark() {
        let table = parse_csv("a.csv", b"\xEF\xBB\xBFid\n7\n").unwrap();
        assert_eq!(table.columns, ["id"]);
        assert_eq!(table.cell(0, 0), "7");
    }

    #[test]
    fn header_only_is_an_empty_table() {
        let table = parse_csv("a.csv", b"id,email\n").unwrap();
        assert!(table.is_empty());
    }

    #[test]
    fn errors_name_the_place() {
        let cases: [(&[u8], &str); 6] = [
            (b"", "a.csv: the file is empty"),
            (
                b"id,name\n1,2,3\n",
                "a.csv: line 2: row has 3 cells but the header has 2",
            ),
            (
                b"id,id\n",
                "a.csv: line 1, column 2: the column name 'id' appears twice",
            ),
            (
                b"id,name\n1,\xFF\n",
                "a.csv: line 2, column 2: the bytes are not valid UTF-8",
            ),
            (
                b"id,name\n1,\"open\n2,x\n",
                "a.csv: line 2, column 2: a quoted cell is never closed",
            ),
            (
                b"id,,x\n",
                "a.csv: line 1, column 2: the header has an empty column name",
            ),
        ];
        for (bytes, expected) in cases {
            let message = parse_csv("a.csv", bytes).unwrap_err().to_string();
            assert!(
                message.starts_with(expected),
                "{message:?} should start with {expected:?}"
            );
        }
    }

    #[test]
    fn writes_rfc4180() {
        let text = write_csv(&["a", "b"], [["1", "x,y"], ["\"q\"", "line\nbreak"]]);
        assert_eq!(text, "a,b\n1,\"x,y\"\n\"\"\"q\"\"\",\"line\nbreak\"\n");
    }

    #[test]
    fn round_trips_through_the_parser() {
        let rows = vec![
            vec!["1".to_owned(), "Ann, \"A\"\nB".to_owned()],
            vec!["2".to_owned(), String::new()],
        ];
        let text = write_csv(&["id", "name"], &rows);
        let table = parse_csv("t.csv", text.as_bytes()).unwrap();
        assert_eq!(
            table,
            Table::from_rows("t.csv", &["id", "name"], &rows).with_lines(&[2, 4])
        );
    }

    impl Table {
        fn with_lines(mut self, lines: &[u64]) -> Self {
            self.lines = lines.to_vec();
            self
        }
    }
}
