//! The `date` step (SPEC section 10): a few written forms of a calendar date, rewritten as `YYYY-MM-DD`.

use crate::settings::DateOrder;
use std::fmt::Write as _;

/// Trims, then reads `YYYY-MM-DD`, `YYYYMMDD`, an ISO 8601 timestamp (`YYYY-MM-DD` then `T` or a space and a
/// time `HH:MM[:SS[.fraction]]` with an optional `Z` or `±HH[:MM]` offset; the date part is kept as written,
/// never shifted by the offset), or `D/M/YYYY` / `M/D/YYYY` with one or two digit day and month and one
/// separator (`/`, `-` or `.`) used twice, read in `order`. Writes `YYYY-MM-DD`.
pub(super) fn standardize_into(
    input: &str,
    order: DateOrder,
    out: &mut String,
) -> Result<(), &'static str> {
    let (year, month, day) = read(input.trim().as_bytes(), order).ok_or("not a recognised date")?;
    if year == 0 {
        return Err("year 0000");
    }
    if month == 0 || month > 12 || day == 0 || day > days_in_month(year, month) {
        return Err("impossible date");
    }
    write!(out, "{year:04}-{month:02}-{day:02}").map_err(|_| "not a recognised date")
}

/// Year, month and day as written (not yet checked against the calendar).
fn read(text: &[u8], order: DateOrder) -> Option<(u32, u32, u32)> {
    if text.len() == 8 && text.iter().all(u8::is_ascii_digit) {
        return Some((
            number(&text[..4])?,
            number(&text[4..6])?,
            number(&text[6..])?,
        ));
    }
    if text.len() >= 10 && text[4] == b'-' && text[7] == b'-' {
        let date = (
            number(&text[..4])?,
            number(&text[5..7])?,
            number(&text[8..10])?,
        );
        return match &text[10..] {
            [] => Some(date),
            [b'T' | b't' | b' ', time @ ..] if is_time(time) => Some(date),
            _ => None,
        };
    }
    let separator = *text.iter().find(|b| !b.is_ascii_digit())?;
    if !matches!(separator, b'/' | b'-' | b'.') {
        return None;
    }
    let mut parts = text.split(|&b| b == separator);
    let (first, second, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !(1..=2).contains(&first.len())
        || !(1..=2).contains(&second.len())
        || year.len() != 4
    {
        return None;
    }
    let (first, second, year) = (number(first)?, number(second)?, number(year)?);
    match order {
        DateOrder::Dmy => Some((year, second, first)),
        DateOrder::Mdy => Some((year, first, second)),
    }
}

/// The value of a non-empty run of ASCII digits.
fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0, |value, &digit| value * 10 + u32::from(digit - b'0')),
    )
}

/// `HH:MM[:SS[.fraction]][Z|±HH[:MM]|±HHMM]` with hours 00-23, minutes 00-59 and seconds 00-60.
fn is_time(text: &[u8]) -> bool {
    let two = |at: usize, max: u32| {
        text.get(at..at + 2)
            .and_then(number)
            .is_some_and(|value| value <= max)
    };
    if !(two(0, 23) && text.get(2) == Some(&b':') && two(3, 59)) {
        return false;
    }
    let mut rest = &text[5..];
    if let [b':', ..] = rest {
        if !(rest.len() >= 3
            && rest[1..3].iter().all(u8::is_ascii_digit)
            && number(&rest[1..3]) <= Some(60))
        {
            return false;
        }
        rest = &rest[3..];
        if let [b'.' | b',', fraction @ ..] = rest {
            let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            rest = &fraction[digits..];
        }
    }
    match rest {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', offset @ ..] => {
            let hours_ok = offset.get(..2).and_then(number).is_some_and(|h| h <= 23);
            let minutes_ok = |m: &[u8]| number(m).is_some_and(|m| m <= 59);
            hours_ok
                && match &offset[2..] {
                    [] => true,
                    [b':', minutes @ ..] => minutes.len() == 2 && minutes_ok(minutes),
                    minutes => minutes.len() == 2 && minutes_ok(minutes),
                }
        }
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
