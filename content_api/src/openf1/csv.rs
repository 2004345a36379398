//! `csv=true` answers, written as OpenF1 writes them (Python's `csv`
//! module over its records): a header of the field names in byte order,
//! then a line per record, lines ending in CRLF, a value quoted (`"`
//! doubled) only when it holds a comma, a quote or a line break (RFC 4180).
//! Values as Python prints them: `null`/missing empty, booleans `True`/
//! `False`, floats in Python's repr (`92.0`, `1e-05`), dates with a space
//! for the `T` (`2023-09-16 13:03:35.292000+00:00`), lists as Python lists
//! (`[2049, 2051, None]`).
//!
//! Columns are the endpoint's fields (OpenF1 takes the union of the keys
//! its records have, which is the same set once every record carries every
//! field). With no record we send the header alone; OpenF1 fails there.
use std::fmt::Write;

use serde_json::Value as Json;

use super::filter::Record;
use super::schema::{Endpoint, Kind};

pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// The file name OpenF1 gives in `Content-Disposition: attachment;
/// filename=laps.csv`.
pub fn file_name(endpoint: Endpoint) -> String {
    format!("{}.csv", endpoint.name())
}

/// The CSV document of `records`, in their order.
pub fn write<'r, R: Record + 'r>(endpoint: Endpoint, records: impl IntoIterator<Item = &'r R>) -> String {
    let fields = endpoint.fields();
    let mut out = String::new();
    let names = fields.iter().map(|f| f.name);
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
    }
    out.push_str("\r\n");
    let mut cell = String::new();
    for record in records {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            cell.clear();
            if let Some(value) = record.field(field.name) {
                python_str(&mut cell, value, field.kind == Kind::Date);
            }
            push_cell(&mut out, &cell);
        }
        out.push_str("\r\n");
    }
    out
}

fn push_cell(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// `str(value)` in Python, for the values OpenF1's records hold.
fn python_str(out: &mut String, value: &Json, is_date: bool) {
    match value {
        Json::Null => {}
        Json::String(s) if is_date && s.as_bytes().get(10) == Some(&b'T') => {
            out.push_str(&s[..10]);
            out.push(' ');
            out.push_str(&s[11..]);
        }
        Json::String(s) => out.push_str(s),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_repr(out, item);
            }
            out.push(']');
        }
        other => python_repr(out, other),
    }
}

/// `repr(value)` in Python, as a list prints its elements.
fn python_repr(out: &mut String, value: &Json) {
    match value {
        Json::Null => out.push_str("None"),
        Json::Bool(true) => out.push_str("True"),
        Json::Bool(false) => out.push_str("False"),
        Json::Number(n) => match n.as_f64().filter(|_| n.is_f64()) {
            Some(f) => python_float(out, f),
            None => {
                let _ = write!(out, "{n}");
            }
        },
        Json::String(s) => {
            out.push('\'');
            for c in s.chars() {
                if c == '\'' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('\'');
        }
        Json::Array(_) => python_str(out, value, false),
        // OpenF1's records hold no objects; write them as JSON.
        Json::Object(_) => {
            let _ = write!(out, "{value}");
        }
    }
}

/// Python's `repr(float)`: the shortest digits that read back, positional
/// from 1e-4 up to 1e16 (always with a fraction, `92.0`), else scientific
/// with a signed exponent of at least two digits (`1e-05`, `1.5e+16`).
fn python_float(out: &mut String, f: f64) {
    // Rust's `{:e}` gives the same shortest digits: `9.1743e1`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = mantissa.strip_prefix('-').map_or(("", mantissa), |m| ("-", m));
    out.push_str(sign);
    if !(-4..16).contains(&exp) {
        let _ = write!(out, "{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
        return;
    }
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if exp < 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
        out.push_str(&digits);
        return;
    }
    let whole = exp as usize + 1;
    if digits.len() <= whole {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', whole - digits.len()));
        out.push_str(".0");
    } else {
        out.push_str(&digits[..whole]);
        out.push('.');
        out.push_str(&digits[whole..]);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn floats_print_as_python_prints_them() {
        let cases: &[(f64, &str)] = &[
            (91.743, "91.743"),
            (92.0, "92.0"),
            (0.003, "0.003"),
            (-1.5, "-1.5"),
            (0.0, "0.0"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (123456789012345.6, "123456789012345.6"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1018.7, "1018.7"),
        ];
        for (f, want) in cases {
            let mut out = String::new();
            python_float(&mut out, *f);
            assert_eq!(out, *want, "{f}");
        }
    }

    #[test]
    fn header_in_field_order_then_quoted_rows() {
        let rows = [
            json!({
                "category": "Flag", "date": "2023-06-04T14:21:01.500000+00:00", "driver_number": 1,
                "flag": "BLACK AND WHITE", "lap_number": 59, "meeting_key": 1211,
                "message": "CAR 1 (VER) - \"TRACK LIMITS\", TURN 4", "qualifying_phase": null,
                "scope": "Driver", "sector": null, "session_key": 9102
            }),
            json!({"category": "Other", "message": "line one\nline two", "meeting_key": 1211, "session_key": 9102}),
        ];
        let csv = write(Endpoint::RaceControl, &rows);
        let want = "category,date,driver_number,flag,lap_number,meeting_key,message,qualifying_phase,scope,sector,session_key\r\n\
            Flag,2023-06-04 14:21:01.500000+00:00,1,BLACK AND WHITE,59,1211,\"CAR 1 (VER) - \"\"TRACK LIMITS\"\", TURN 4\",,Driver,,9102\r\n\
            Other,,,,,1211,\"line one\nline two\",,,,9102\r\n";
        assert_eq!(csv, want);
    }

    #[test]
    fn lists_and_booleans_as_python_writes_them() {
        let lap = json!({
            "date_start": null, "driver_number": 63, "duration_sector_1": 26.966, "duration_sector_2": 38.0,
            "duration_sector_3": null, "i1_speed": 307, "i2_speed": null, "is_pit_out_lap": false,
            "lap_duration": 91.743, "lap_number": 8, "meeting_key": 1219,
            "segments_sector_1": [2049, 2051, null], "segments_sector_2": [], "segments_sector_3": [2064],
            "session_key": 9161, "st_speed": 298
        });
        let csv = write(Endpoint::Laps, [&lap]);
        let row = csv.split("\r\n").nth(1).unwrap();
        assert_eq!(row, ",63,26.966,38.0,,307,,False,91.743,8,1219,\"[2049, 2051, None]\",[],[2064],9161,298");
        let result = json!({"duration": [77.565, null, 76.1], "gap_to_leader": [0, "+1 LAP", 0.25], "dnf": true});
        let csv = write(Endpoint::SessionResult, [&result]);
        assert_eq!(csv.split("\r\n").nth(1).unwrap(), "True,,,,\"[77.565, None, 76.1]\",\"[0, '+1 LAP', 0.25]\",,,,");
    }

    #[test]
    fn no_record_is_the_header_alone() {
        let none: [Json; 0] = [];
        assert_eq!(write(Endpoint::Position, &none), "date,driver_number,meeting_key,position,session_key\r\n");
        assert_eq!(file_name(Endpoint::Position), "position.csv");
    }
}
