//! Order fields (SPEC sections 3 and 10): ISO 8601 dates and timestamps with or without a zone,
//! `YYYY-MM-DD HH:MM:SS`, and all-digit Unix seconds, parsed by hand into an instant that compares exactly.

/// An instant: seconds since 1970-01-01T00:00:00Z and nanoseconds within the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    pub seconds: i64,
    pub nanos: u32,
}

/// Parses a trimmed order value, or `None` when it is not one of the accepted forms.
pub fn parse_order(raw: &str) -> Option<Instant> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .ok()
            .map(|seconds| Instant { seconds, nanos: 0 });
    }
    let mut cursor = Cursor {
        bytes: text.as_bytes(),
        at: 0,
    };
    let year = cursor.digits(4)?;
    cursor.expect(b'-')?;
    let month = cursor.digits(2)?;
    cursor.expect(b'-')?;
    let day = cursor.digits(2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if cursor.done() {
        return Some(Instant {
            seconds: days * 86_400,
            nanos: 0,
        });
    }
    if !matches!(cursor.next()?, b'T' | b't' | b' ') {
        return None;
    }
    let hour = cursor.digits(2)?;
    cursor.expect(b':')?;
    let minute = cursor.digits(2)?;
    let mut second = 0;
    let mut nanos = 0u32;
    if cursor.peek() == Some(b':') {
        cursor.expect(b':')?;
        second = cursor.digits(2)?;
        if matches!(cursor.peek(), Some(b'.' | b',')) {
            cursor.at += 1;
            let start = cursor.at;
            let mut scale = 100_000_000u32;
            while let Some(digit) = cursor.peek().filter(u8::is_ascii_digit) {
                nanos += u32::from(digit - b'0') * scale;
                scale /= 10;
                cursor.at += 1;
            }
            if cursor.at == start {
                return None;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset = match cursor.peek() {
        None => 0,
        Some(b'Z' | b'z') => {
            cursor.at += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            cursor.at += 1;
            let hours = cursor.digits(2)?;
            let minutes = if cursor.done() {
                0
            } else {
                if cursor.peek() == Some(b':') {
                    cursor.at += 1;
                }
                cursor.digits(2)?
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3_600 + minutes * 60;
            if sign == b'-' { -offset } else { offset }
        }
        Some(_) => return None,
    };
    if !cursor.done() {
        return None;
    }
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset;
    Some(Instant { seconds, nanos })
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Option<i64> {
        let slice = self.bytes.get(self.at..self.at + count)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += count;
        Some(slice.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    fn next(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(text: &str) -> Option<i64> {
        parse_order(text).map(|i| i.seconds)
    }

    #[test]
    fn parses_every_accepted_form_to_the_same_instant() {
        let expected = Some(1_704_112_496); // 2024-01-01T12:34:56Z
        for text in [
            "2024-01-01T12:34:56Z",
            "2024-01-01T12:34:56",
            "2024-01-01 12:34:56",
            " 2024-01-01 12:34:56 ",
            "2024-01-01T14:34:56+02:00",
            "2024-01-01T14:34:56+0200",
            "2024-01-01T14:34:56+02",
            "2024-01-01T07:34:56-05:00",
            "1704112496",
        ] {
            assert_eq!(seconds(text), expected, "{text}");
        }
        assert_eq!(seconds("2024-01-01"), Some(1_704_067_200));
        assert_eq!(seconds("1970-01-01T00:00Z"), Some(0));
        assert_eq!(seconds("1969-12-31"), Some(-86_400));
        assert_eq!(seconds("2000-02-29"), Some(951_782_400));
    }

    #[test]
    fn fractions_order_within_a_second() {
        let a = parse_order("2024-01-01T00:00:00.5Z").unwrap();
        let b = parse_order("2024-01-01T00:00:00.25Z").unwrap();
        assert!(b < a);
        assert_eq!(a.nanos, 500_000_000);
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in [
            "",
            "yesterday",
            "2024-13-01",
            "2023-02-29",
            "2024-01-32",
            "2024-01-01T24:00:00",
            "2024/01/01",
            "2024-01-01T10",
            "2024-01-01T10:00:00+",
            "2024-01-01X",
            "-5",
            "2024-01-01T10:00:00.Z",
        ] {
            assert_eq!(parse_order(text), None, "{text}");
        }
    }
}
