//! Standardization of identifier values (SPEC sections 2 and 10): the ordered steps, and blocked values and
//! patterns.
//!
//! These functions run once per identifier cell, so millions of times on a large run: each step writes into a
//! reused buffer, ASCII input takes fast paths, and nothing is compiled per call (regular expressions are
//! compiled once by `validate`, the nickname table is a sorted constant, the phone metadata is loaded once by
//! the `phonenumber` crate).

mod date;
mod nfd;
mod nickname;

/// The nickname table of the `nickname` step (nickname, canonical given name), sorted by nickname; exported so
/// the warehouse SQL can carry the same table.
pub fn nicknames() -> &'static [(&'static str, &'static str)] {
    &nickname::NICKNAMES
}

use crate::settings::{DateOrder, Identifier, Step};
use nfd::nfd;
use std::str::FromStr;
use unicode_general_category::{GeneralCategory, get_general_category};

/// The outcome of standardizing one raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standardized {
    /// A usable standardized value.
    Used(String),
    /// Empty after trimming.
    Empty,
    /// A step rejected the value or left it empty; the text says which step and why.
    Invalid(String),
}

/// Applies the identifier's steps, in order, to one raw cell value.
///
/// A value that is empty after trimming is [`Standardized::Empty`] whatever the steps. Otherwise the steps run
/// on the raw value (trimming is itself a step); a step that rejects the value, or leaves it empty (or only
/// whitespace), makes it [`Standardized::Invalid`] with the text `"<step>: <reason>"`.
pub fn standardize(identifier: &Identifier, raw: &str) -> Standardized {
    if raw.trim().is_empty() {
        return Standardized::Empty;
    }
    let context = Context {
        default_region: identifier.default_region.as_deref(),
        date_order: identifier.date_order,
    };
    // Two buffers swap roles from step to step; the raw value itself is the first step's input, so a value
    // costs one or two allocations whatever the number of steps.
    let mut current = String::new();
    let mut next = String::with_capacity(raw.len() + 8);
    let mut stepped = false;
    for &step in &identifier.steps {
        next.clear();
        let input = if stepped { current.as_str() } else { raw };
        if let Err(reason) = apply(step, input, &mut next, &context) {
            return Standardized::Invalid(format!("{}: {reason}", step_name(step)));
        }
        // A value left blank is treated like one left empty: a run of spaces is no identifier.
        if next.trim().is_empty() {
            return Standardized::Invalid(format!("{}: {}", step_name(step), empty_reason(step)));
        }
        std::mem::swap(&mut current, &mut next);
        stepped = true;
    }
    Standardized::Used(if stepped { current } else { raw.to_owned() })
}

/// Why a standardized value is blocked by the identifier's `blocked_values` or `blocked_patterns`, if it is.
/// (Quarantine by `max_records_per_value` is decided by the pipeline, which counts records; its text comes from
/// [`quarantine_reason`].)
///
/// The texts are `listed in blocked_values` and `matches blocked pattern '<pattern as written>'` (the first
/// pattern that matches, in the order written).
pub fn blocked_reason(identifier: &Identifier, value: &str) -> Option<String> {
    if identifier.blocked_values.contains(value) {
        return Some("listed in blocked_values".to_owned());
    }
    identifier
        .blocked_patterns
        .iter()
        .zip(&identifier.blocked_pattern_sources)
        .find(|(pattern, _)| pattern.is_match(value))
        .map(|(_, source)| format!("matches blocked pattern '{source}'"))
}

/// The `identity_lookup.detail` of a value quarantined because `records` distinct records hold it, more than
/// the identifier's `max_records_per_value` (`limit`).
pub fn quarantine_reason(records: u64, limit: u64) -> String {
    format!("held by {records} records, over max_records_per_value {limit}")
}

/// The name of a step as written in the identity graph.
pub fn step_name(step: Step) -> &'static str {
    match step {
        Step::Trim => "trim",
        Step::Lowercase => "lowercase",
        Step::Uppercase => "uppercase",
        Step::CollapseWhitespace => "collapse_whitespace",
        Step::RemoveAccents => "remove_accents",
        Step::OnlyNumeric => "only_numeric",
        Step::Alphanumeric => "alphanumeric",
        Step::Date => "date",
        Step::Email => "email",
        Step::EmailGmailDots => "email_gmail_dots",
        Step::Phone => "phone",
        Step::Name => "name",
        Step::Nickname => "nickname",
        Step::Phonetic => "phonetic",
    }
}

/// The reason given when a step leaves nothing of a non-empty value.
pub fn empty_reason(step: Step) -> &'static str {
    match step {
        Step::OnlyNumeric => "no digits",
        Step::Alphanumeric => "no letters or digits",
        Step::Name => "nothing left after removing punctuation and honorifics",
        Step::Phonetic => "no letters to encode",
        _ => "leaves the value empty",
    }
}

/// What a step needs from its identifier besides the value.
struct Context<'a> {
    default_region: Option<&'a str>,
    date_order: DateOrder,
}

/// Runs one step from `input` into the empty buffer `out`, or says why the value is rejected.
fn apply(step: Step, input: &str, out: &mut String, context: &Context) -> Result<(), &'static str> {
    match step {
        Step::Trim => out.push_str(input.trim()),
        Step::Lowercase => lowercase_into(input, out),
        Step::Uppercase => {
            if input.is_ascii() {
                out.push_str(input);
                out.make_ascii_uppercase();
            } else {
                out.push_str(&input.to_uppercase());
            }
        }
        Step::CollapseWhitespace => collapse_whitespace_into(input, out),
        Step::RemoveAccents => remove_accents_into(input, out),
        Step::OnlyNumeric => out.extend(input.chars().filter(char::is_ascii_digit)),
        Step::Alphanumeric => out.extend(input.chars().filter(|c| c.is_alphanumeric())),
        Step::Date => date::standardize_into(input, context.date_order, out)?,
        Step::Email => email_into(input, out)?,
        Step::EmailGmailDots => gmail_dots_into(input, out)?,
        Step::Phone => phone_into(input, context.default_region, out)?,
        Step::Name => name_into(input, out),
        Step::Nickname => nickname_into(input, out),
        Step::Phonetic => phonetic_into(input, out),
    }
    Ok(())
}

/// Unicode lower case (`str::to_lowercase`, with its final-sigma rule), without allocating for ASCII.
fn lowercase_into(input: &str, out: &mut String) {
    if input.is_ascii() {
        let start = out.len();
        out.push_str(input);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&input.to_lowercase());
    }
}

/// Each run of Unicode whitespace becomes one space; nothing is trimmed.
fn collapse_whitespace_into(input: &str, out: &mut String) {
    let mut in_run = false;
    for ch in input.chars() {
        if ch.is_whitespace() {
            if !in_run {
                out.push(' ');
            }
            in_run = true;
        } else {
            out.push(ch);
            in_run = false;
        }
    }
}

fn is_mark(ch: char) -> bool {
    matches!(
        get_general_category(ch),
        GeneralCategory::NonspacingMark
            | GeneralCategory::SpacingMark
            | GeneralCategory::EnclosingMark
    )
}

fn is_punctuation(ch: char) -> bool {
    if ch.is_ascii() {
        // The ASCII characters of categories P* (the others, such as `$ + < = > ^ ` | ~`, are symbols).
        return matches!(
            ch,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    matches!(
        get_general_category(ch),
        GeneralCategory::ConnectorPunctuation
            | GeneralCategory::DashPunctuation
            | GeneralCategory::OpenPunctuation
            | GeneralCategory::ClosePunctuation
            | GeneralCategory::InitialPunctuation
            | GeneralCategory::FinalPunctuation
            | GeneralCategory::OtherPunctuation
    )
}

/// Canonical decomposition (NFD), then every combining mark (Mn, Mc, Me) dropped, without recomposing: letters
/// that do not decompose (`ø`, `æ`, `ß`) stay.
fn remove_accents_into(input: &str, out: &mut String) {
    if input.is_ascii() {
        out.push_str(input);
    } else {
        nfd(input.chars(), |ch| {
            if !is_mark(ch) {
                out.push(ch);
            }
        });
    }
}

/// SPEC section 10: valid when there is no whitespace, exactly one `@`, a local part still non-empty once the
/// `+tag` is cut, and a domain of two or more non-empty dot-separated labels whose last label has two or more
/// characters and is not all digits. The result is trimmed, lower-cased and without the `+tag`.
fn email_into(input: &str, out: &mut String) -> Result<(), &'static str> {
    lowercase_into(input.trim(), out);
    let value = out.as_str();
    if value.chars().any(char::is_whitespace) {
        return Err("contains whitespace");
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Err("no @");
    };
    if domain.contains('@') {
        return Err("more than one @");
    }
    let local_end = local.find('+').unwrap_or(local.len());
    if local_end == 0 {
        return Err("empty local part");
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(if domain.is_empty() {
                "empty domain"
            } else {
                "empty domain label"
            });
        }
        labels += 1;
        last = label;
    }
    if labels < 2 {
        return Err("domain has fewer than two labels");
    }
    if last.chars().count() < 2 {
        return Err("top-level domain shorter than two characters");
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err("top-level domain is all digits");
    }
    if local_end < local.len() {
        // Cut the `+tag`: remove the bytes between its `+` and the `@`.
        out.replace_range(local_end..local.len(), "");
    }
    Ok(())
}

/// Drops the dots of a `gmail.com` or `googlemail.com` local part, and writes `googlemail.com` as `gmail.com`
/// (the two domains deliver to the same mailbox). Other values pass unchanged.
fn gmail_dots_into(input: &str, out: &mut String) -> Result<(), &'static str> {
    let Some((local, domain)) = input.rsplit_once('@') else {
        out.push_str(input);
        return Ok(());
    };
    if !(domain.eq_ignore_ascii_case("gmail.com") || domain.eq_ignore_ascii_case("googlemail.com"))
    {
        out.push_str(input);
        return Ok(());
    }
    out.extend(local.chars().filter(|&c| c != '.'));
    if out.is_empty() {
        return Err("empty local part");
    }
    out.push_str("@gmail.com");
    Ok(())
}

/// E.164 (`+33612345678`) by the `phonenumber` crate (Google's libphonenumber metadata), reading numbers
/// without a country code in the identifier's `default_region`. Numbers that the metadata says are not valid
/// (impossible length or range for their region) are rejected.
fn phone_into(
    input: &str,
    default_region: Option<&str>,
    out: &mut String,
) -> Result<(), &'static str> {
    let region = default_region.and_then(|region| phonenumber::country::Id::from_str(region).ok());
    let number = match phonenumber::parse(region, input) {
        Ok(number) => number,
        Err(phonenumber::ParseError::InvalidCountryCode) if region.is_none() => {
            return Err("no country code and no default_region");
        }
        Err(phonenumber::ParseError::InvalidCountryCode) => return Err("invalid country code"),
        Err(_) => return Err("not a phone number"),
    };
    if !phonenumber::is_valid(&number) {
        return Err("impossible number");
    }
    // E.164 is `+`, the country code and the national number: exactly what `phonenumber::format` writes in
    // `Mode::E164`, without first searching the national formats, which E.164 never uses. (That formatter fails
    // only for a country code without metadata, and `is_valid` has just found the metadata of this one.)
    use std::fmt::Write as _;
    write!(out, "+{}{}", number.country().code(), number.national())
        .map_err(|_| "not a phone number")
}

/// Honorifics removed by the `name` step, as whole words.
const HONORIFICS: [&str; 8] = ["dr", "miss", "mlle", "mme", "mr", "mrs", "ms", "prof"];

/// SPEC section 10: lower case, accents removed, every punctuation character (P*) a space, whitespace collapsed
/// and trimmed, honorifics removed as whole words.
fn name_into(input: &str, out: &mut String) {
    let mut words = NameWords {
        out,
        word_start: 0,
        in_word: false,
    };
    if input.is_ascii() {
        // ASCII is its own NFD and has no combining marks.
        for byte in input.bytes() {
            words.push(char::from(byte.to_ascii_lowercase()));
        }
    } else {
        nfd(input.to_lowercase().chars(), |ch| words.push(ch));
    }
    words.finish();
}

/// Writes the words of lower-cased, decomposed text, character by character: marks dropped, punctuation and
/// whitespace separating words (one space between words), honorifics left out.
///
/// Words are written as they are read, one space before each but the first; a finished word that is an
/// honorific is cut off again together with the space before it.
struct NameWords<'a> {
    out: &'a mut String,
    /// Where the current (or last) word starts in `out`.
    word_start: usize,
    in_word: bool,
}

impl NameWords<'_> {
    fn push(&mut self, ch: char) {
        if ch.is_whitespace() || is_punctuation(ch) {
            if self.in_word {
                self.end_word();
                self.in_word = false;
            }
        } else if !is_mark(ch) {
            if !self.in_word {
                if !self.out.is_empty() {
                    self.out.push(' ');
                }
                self.word_start = self.out.len();
                self.in_word = true;
            }
            self.out.push(ch);
        }
    }

    fn finish(mut self) {
        if self.in_word {
            self.end_word();
        }
    }

    fn end_word(&mut self) {
        if HONORIFICS.contains(&&self.out[self.word_start..]) {
            self.out.truncate(self.word_start.saturating_sub(1));
        }
    }
}

/// Replaces each whitespace-separated word found in the nickname table by its canonical given name; the
/// whitespace between words is kept as it is. The table is lower case and without accents, so this step
/// belongs after `name` (or `lowercase` and `remove_accents`).
fn nickname_into(input: &str, out: &mut String) {
    let mut word_start = None;
    for (index, ch) in input.char_indices() {
        if ch.is_whitespace() {
            if let Some(start) = word_start.take() {
                out.push_str(nickname::canonical(&input[start..index]));
            }
            out.push(ch);
        } else if word_start.is_none() {
            word_start = Some(index);
        }
    }
    if let Some(start) = word_start {
        out.push_str(nickname::canonical(&input[start..]));
    }
}

/// The Double Metaphone primary code (at most 4 characters, as in the original algorithm) of each
/// whitespace-separated word, joined by one space. Accents are removed first and only ASCII letters are encoded;
/// a word with no code is left out.
fn phonetic_into(input: &str, out: &mut String) {
    use rphonetic::Encoder as _;
    let encoder = rphonetic::DoubleMetaphone::default();
    let mut word = String::new();
    for part in input.split_whitespace() {
        word.clear();
        // The encoder indexes by bytes around each letter, so it is only given ASCII letters.
        nfd(part.chars(), |ch| {
            if ch.is_ascii_alphabetic() {
                word.push(ch.to_ascii_uppercase());
            }
        });
        if word.is_empty() {
            continue;
        }
        let code = encoder.encode(&word);
        if code.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&code);
    }
}

#[cfg(test)]
mod tests;
