//! Makes a CSV safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-` or `@` would be read as a
//! formula, so it gets a leading apostrophe (`'`), which spreadsheets show as text and do not evaluate.

/// The characters that start a formula in common spreadsheets.
const FORMULA_START: [char; 4] = ['=', '+', '-', '@'];

/// The prefix written before a cell that would start a formula.
pub const NEUTRALISER: char = '\'';

/// Rewrites RFC 4180 CSV text, prefixing every cell that starts with a formula character with `'`. Quoting is
/// kept as it was: the apostrophe needs no quoting, so it goes right after an opening quote or at the cell's
/// start.
pub fn neutralise(csv: &str) -> String {
    let mut out = String::with_capacity(csv.len() + csv.len() / 64);
    let mut in_quotes = false;
    let mut at_cell_start = true;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        if at_cell_start {
            at_cell_start = false;
            if c == '"' {
                out.push(c);
                in_quotes = true;
                if chars
                    .peek()
                    .is_some_and(|next| FORMULA_START.contains(next))
                {
                    out.push(NEUTRALISER);
                }
                continue;
            }
            if FORMULA_START.contains(&c) {
                out.push(NEUTRALISER);
            }
        }
        out.push(c);
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    out.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
        } else if c == ',' || c == '\n' {
            at_cell_start = true;
        }
    }
    out
}

/// True when a single cell value would be read as a formula.
pub fn is_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_START)
}
