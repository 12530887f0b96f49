//! How one true value is written in one source record: the typos, case, spacing, formats, nicknames and
//! placeholders that make the same person look different from system to system.

use super::names::{self, GivenName};
use super::rng::DemoRng;
use std::fmt::Write as _;

/// One CSV line being built, cell by cell.
#[derive(Debug, Default)]
pub struct CsvLine {
    pub text: String,
    cells: usize,
}

impl CsvLine {
    /// Appends one cell, quoted when it holds a comma, a quote, CR or LF (RFC 4180).
    pub fn push(&mut self, cell: &str) {
        if self.cells > 0 {
            self.text.push(',');
        }
        self.cells += 1;
        if cell.contains([',', '"', '\r', '\n']) {
            self.text.push('"');
            self.text.push_str(&cell.replace('"', "\"\""));
            self.text.push('"');
        } else {
            self.text.push_str(cell);
        }
    }
}

/// A typing mistake: two letters swapped, one dropped, one doubled or one replaced (never the first letter,
/// which people rarely get wrong). Words shorter than four letters are left alone.
pub fn typo(rng: &mut DemoRng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_owned();
    }
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(4) {
        0 => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        2 => chars.insert(at, chars[at]),
        _ => chars[at] = *rng.pick(&['a', 'e', 'i', 'o', 'n', 'r']),
    }
    chars.into_iter().collect()
}

/// Case and spacing as different forms and exports leave them.
fn case_and_spacing(rng: &mut DemoRng, text: String) -> String {
    match rng.weighted(&[840, 70, 50, 25, 15]) {
        0 => text,
        1 => text.to_uppercase(),
        2 => text.to_lowercase(),
        3 => format!(" {text}  "),
        _ => text.replace(' ', "  ").replace('-', " - "),
    }
}

/// A given name as typed into one system.
pub fn given_name(rng: &mut DemoRng, given: &GivenName, honorific: bool) -> String {
    let mut text = if !given.nicknames.is_empty() && rng.chance(150) {
        (*rng.pick(given.nicknames)).to_owned()
    } else {
        given.full.to_owned()
    };
    if rng.chance(150) {
        text = names::strip_accents(&text);
    }
    if rng.chance(30) {
        text = typo(rng, &text);
    }
    text = case_and_spacing(rng, text);
    if honorific && rng.chance(60) {
        text = format!("{} {text}", rng.pick(names::HONORIFICS));
    }
    text
}

/// A family name as typed into one system.
pub fn family_name(rng: &mut DemoRng, family: &str) -> String {
    let mut text = family.to_owned();
    if rng.chance(150) {
        text = names::strip_accents(&text);
    }
    if rng.chance(25) {
        text = typo(rng, &text);
    }
    case_and_spacing(rng, text)
}

/// The ASCII, lower-case, punctuation-free form of a name used in email addresses.
pub fn email_word(name: &str) -> String {
    names::strip_accents(name)
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// An email address as written in one record: case, spaces, `+tags`, gmail dots and, with `typos`, the odd
/// typing mistake (which makes it another address).
pub fn email(rng: &mut DemoRng, address: &str, typos: bool) -> String {
    let Some((local, domain)) = address.split_once('@') else {
        return address.to_owned();
    };
    let mut local = local.to_owned();
    if domain == "gmail.com" && rng.chance(300) {
        if local.contains('.') {
            local = local.replace('.', "");
        } else if local.len() > 2 {
            let at = 1 + rng.below(local.len() - 1);
            local.insert(at, '.');
        }
    }
    if rng.chance(60) {
        local = format!(
            "{local}+{}",
            rng.pick(&["shop", "promo", "news", "2023", "app"])
        );
    }
    if typos && rng.chance(6) {
        local = typo(rng, &local);
    }
    let text = format!("{local}@{domain}");
    match rng.weighted(&[850, 60, 50, 40]) {
        0 => text,
        1 => text.to_uppercase(),
        2 => {
            let mut chars = text.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => format!("  {text} "),
    }
}

/// A French phone number (ten national digits, `0XXXXXXXXX`) in one of the formats people type.
pub fn phone(rng: &mut DemoRng, national: &str) -> String {
    let digits = &national[1..];
    let pairs = |first: &str, rest: &str, separator: &str| {
        let mut out = first.to_owned();
        for pair in rest.as_bytes().chunks(2) {
            out.push_str(separator);
            out.push_str(std::str::from_utf8(pair).unwrap_or_default());
        }
        out
    };
    match rng.weighted(&[300, 250, 150, 120, 100, 50, 30]) {
        0 => pairs(&national[..2], &national[2..], " "),
        1 => national.to_owned(),
        2 => pairs(&format!("+33 {}", &digits[..1]), &digits[1..], " "),
        3 => format!("+33{digits}"),
        4 => pairs(&national[..2], &national[2..], "."),
        5 => pairs(&national[..2], &national[2..], "-"),
        _ => format!(" {national}"),
    }
}

/// A new valid French number: a mobile (`06`, `07`) or, for households, a landline (`01`-`05`).
pub fn new_phone(rng: &mut DemoRng, landline: bool) -> String {
    let mut out = String::with_capacity(10);
    if landline {
        out.push('0');
        out.push(char::from(b'1' + rng.below(5) as u8));
    } else if rng.chance(700) {
        // `063` and `069` are not all allocated; `06` followed by these digits always is.
        out.push_str("06");
        out.push(*rng.pick(&['0', '1', '2', '4', '5', '6', '7', '8']));
    } else {
        out.push_str("07");
        out.push(*rng.pick(&['5', '6', '7', '8']));
    }
    while out.len() < 10 {
        out.push(rng.digit());
    }
    out
}

/// The order-field formats of the source systems.
#[derive(Debug, Clone, Copy)]
pub enum TimeFormat {
    /// `2024-03-05 10:22:11`
    SpaceSeparated,
    /// `2024-03-05T10:22:11Z`
    Iso,
    /// `1709634131`
    UnixSeconds,
    /// `2024-03-05`
    Date,
}

/// Writes Unix seconds in a format; a few values are unparsable, as in real exports.
pub fn timestamp(rng: &mut DemoRng, seconds: i64, format: TimeFormat) -> String {
    if rng.chance(4) {
        return (*rng.pick(&["", "unknown", "31/13/2023", "0000-00-00"])).to_owned();
    }
    format_time(seconds, format)
}

/// Writes Unix seconds in a format, exactly.
pub fn format_time(seconds: i64, format: TimeFormat) -> String {
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (in_day / 3600, in_day / 60 % 60, in_day % 60);
    let mut out = String::with_capacity(20);
    let _ = match format {
        TimeFormat::SpaceSeparated => {
            write!(
                out,
                "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"
            )
        }
        TimeFormat::Iso => write!(
            out,
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"
        ),
        TimeFormat::UnixSeconds => write!(out, "{seconds}"),
        TimeFormat::Date => write!(out, "{year:04}-{month:02}-{day:02}"),
    };
    out
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_exact() {
        assert_eq!(format_time(0, TimeFormat::Iso), "1970-01-01T00:00:00Z");
        assert_eq!(
            format_time(1_709_634_131, TimeFormat::SpaceSeparated),
            "2024-03-05 10:22:11"
        );
        assert_eq!(format_time(951_782_400, TimeFormat::Date), "2000-02-29");
        assert_eq!(
            format_time(1_709_634_131, TimeFormat::UnixSeconds),
            "1709634131"
        );
    }

    #[test]
    fn phones_keep_their_digits() {
        let mut rng = DemoRng::new(3, 0);
        for _ in 0..200 {
            let number = new_phone(&mut rng, false);
            assert_eq!(number.len(), 10);
            let written = phone(&mut rng, &number);
            let digits: String = written.chars().filter(char::is_ascii_digit).collect();
            assert!(
                digits == number || digits == format!("33{}", &number[1..]),
                "{written} for {number}"
            );
        }
    }

    #[test]
    fn cells_are_quoted_when_needed() {
        let mut line = CsvLine::default();
        for cell in ["", "b,c", "say \"hi\""] {
            line.push(cell);
        }
        assert_eq!(line.text, ",\"b,c\",\"say \"\"hi\"\"\"");
    }

    #[test]
    fn typos_change_long_words_only() {
        let mut rng = DemoRng::new(5, 0);
        assert_eq!(typo(&mut rng, "Ann"), "Ann");
        let changed = (0..50)
            .filter(|_| typo(&mut rng, "Margaret") != "Margaret")
            .count();
        assert!(changed > 40, "{changed}");
    }
}
