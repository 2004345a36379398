//! Dates in filters and in records, read as instants (microseconds since
//! the Unix epoch, UTC) without allocating: records are read once per
//! condition per request.
//!
//! Accepted: `2023-09-16` (a day alone), and `2023-09-16T13:03:35` with
//! `T`, `t` or a space between date and time, minutes and seconds optional,
//! a fraction of up to 9 digits (kept to the microsecond), then an optional
//! zone: `Z`, `+02:00`, `+0200`, `+02`, ` UTC`/` GMT`, or ` 02:00` (a `+`
//! that form decoding turned into a space, as OpenF1 also repairs). No
//! zone means UTC, as in OpenF1. OpenF1 reads any form Python's
//! `dateutil` knows (`Sep 10, 2021`, `09/10/2021`, ...); we read these ISO
//! forms only, and say so in the 400.
use chrono::NaiveDate;

pub const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A filter's date: an instant, or a day alone (its first microsecond).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    Instant(i64),
    Day(i64),
}

/// A record's date, e.g. `2023-09-16T13:03:35.292000+00:00`.
pub fn instant(text: &str) -> Option<i64> {
    match parse(text)? {
        DateValue::Instant(t) => Some(t),
        DateValue::Day(_) => None,
    }
}

pub fn parse(text: &str) -> Option<DateValue> {
    let mut s = Scanner { b: text.as_bytes(), i: 0 };
    let year = s.digits(4)?;
    s.eat(b'-')?;
    let month = s.digits(2)?;
    s.eat(b'-')?;
    let day = s.digits(2)?;
    let date = NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32)?;
    let day_start = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros();
    if s.done() {
        return Some(DateValue::Day(day_start));
    }
    match s.next()? {
        b'T' | b't' | b' ' => {}
        _ => return None,
    }
    let hour = s.digits(2)?;
    let (mut minute, mut second, mut micros) = (0, 0, 0);
    if s.peek() == Some(b':') {
        s.i += 1;
        minute = s.digits(2)?;
        if s.peek() == Some(b':') {
            s.i += 1;
            second = s.digits(2)?;
            if matches!(s.peek(), Some(b'.' | b',')) {
                s.i += 1;
                micros = s.fraction()?;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset = s.zone()?;
    if !s.done() {
        return None;
    }
    let seconds = hour * 3600 + minute * 60 + second - offset;
    Some(DateValue::Instant(day_start + seconds * 1_000_000 + micros))
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    fn rest_is(&self, word: &str) -> bool {
        self.b[self.i..].eq_ignore_ascii_case(word.as_bytes())
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<i64> {
        let mut v = 0;
        for _ in 0..n {
            let c = self.next()?;
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    }

    /// 1 to 9 digits after the point, as microseconds (truncated).
    fn fraction(&mut self) -> Option<i64> {
        let start = self.i;
        let mut micros = 0;
        while let Some(c) = self.peek().filter(u8::is_ascii_digit) {
            let place = self.i - start;
            if place < 6 {
                micros = micros * 10 + i64::from(c - b'0');
            }
            self.i += 1;
        }
        let len = self.i - start;
        if len == 0 || len > 9 {
            return None;
        }
        Some(micros * 10_i64.pow(6 - len.min(6) as u32))
    }

    /// The zone's offset east of UTC, in seconds; none is UTC.
    fn zone(&mut self) -> Option<i64> {
        let sign = match self.peek() {
            None => return Some(0),
            Some(b'Z' | b'z') => {
                self.i += 1;
                return Some(0);
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            Some(b' ') => {
                self.i += 1;
                if self.rest_is("UTC") || self.rest_is("GMT") || self.rest_is("Z") {
                    self.i = self.b.len();
                    return Some(0);
                }
                // `+02:00` after form decoding; step back so the `+` arm runs.
                self.i -= 1;
                1
            }
            Some(_) => return None,
        };
        self.i += 1;
        let hours = self.digits(2)?;
        let minutes = match self.peek() {
            None => 0,
            Some(b':') => {
                self.i += 1;
                self.digits(2)?
            }
            Some(_) => self.digits(2)?,
        };
        if hours > 23 || minutes > 59 {
            return None;
        }
        Some(sign * (hours * 3600 + minutes * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: i64 = 1_694_822_400_000_000; // 2023-09-16T00:00:00Z
    const T: i64 = BASE + (13 * 3600 + 3 * 60 + 35) * 1_000_000; // 13:03:35Z

    #[test]
    fn reads_the_forms_openf1_clients_send() {
        let cases: &[(&str, Option<DateValue>)] = &[
            ("2023-09-16", Some(DateValue::Day(BASE))),
            ("2023-09-16T13:03:35", Some(DateValue::Instant(T))),
            ("2023-09-16t13:03:35z", Some(DateValue::Instant(T))),
            ("2023-09-16 13:03:35", Some(DateValue::Instant(T))),
            ("2023-09-16T13:03:35Z", Some(DateValue::Instant(T))),
            ("2023-09-16T13:03:35+00:00", Some(DateValue::Instant(T))),
            ("2023-09-16T15:03:35+02:00", Some(DateValue::Instant(T))),
            ("2023-09-16T15:03:35+0200", Some(DateValue::Instant(T))),
            ("2023-09-16T15:03:35+02", Some(DateValue::Instant(T))),
            ("2023-09-16T11:03:35-02:00", Some(DateValue::Instant(T))),
            // `+` decoded as a space by form decoding
            ("2023-09-16T15:03:35 02:00", Some(DateValue::Instant(T))),
            ("2023-09-16 13:03:35 UTC", Some(DateValue::Instant(T))),
            ("2023-09-16T13:03:35.292000+00:00", Some(DateValue::Instant(T + 292_000))),
            ("2023-09-16T13:03:35.292", Some(DateValue::Instant(T + 292_000))),
            ("2023-09-16T13:03:35.2925679", Some(DateValue::Instant(T + 292_567))),
            ("2023-09-16T13:03", Some(DateValue::Instant(T - 35_000_000))),
            ("2023-09-16T13", Some(DateValue::Instant(T - 215_000_000))),
            ("2023-09-16T00:00", Some(DateValue::Instant(BASE))),
            ("2023-02-30", None),
            ("2023-9-16", None),
            ("2023-09-16T25:00", None),
            ("2023-09-16T13:03:35.", None),
            ("2023-09-16T13:03:35+2", None),
            ("2023-09-16T13:03:35 x", None),
            ("Sep 16, 2023", None),
            ("latest", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), *want, "{text:?}");
        }
    }

    #[test]
    fn a_day_alone_is_no_instant() {
        assert_eq!(instant("2023-09-16"), None);
        assert_eq!(instant("2023-09-16T13:03:35+00:00"), Some(T));
    }
}
