//! The cache's line format: one sample per line, tab-separated, the date
//! as Unix microseconds (OpenF1 writes dates to the microsecond), an
//! absent channel as an empty field; the keys are the session's and the
//! car's, known from where the file is:
//! - car_data: `micros rpm speed n_gear throttle brake drs`;
//! - location: `micros x y z`.
//!
//! A race's car is about 30,000 lines of each, some 30 bytes a line.
use std::fmt::Write;

use chrono::DateTime;
use livetiming::archive::TelemetryKind;
use livetiming::openf1::{CarData, Location};

/// One sample of either kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    Car(CarData),
    Place(Location),
}

impl Sample {
    pub fn driver_number(&self) -> i32 {
        match self {
            Self::Car(c) => c.driver_number,
            Self::Place(l) => l.driver_number,
        }
    }

    /// The date as Unix microseconds.
    pub fn micros(&self) -> i64 {
        match self {
            Self::Car(c) => c.date.timestamp_micros(),
            Self::Place(l) => l.date.timestamp_micros(),
        }
    }
}

/// The file name of one car's samples of one kind.
pub fn file_name(kind: TelemetryKind, driver: i32) -> String {
    format!("{}-{driver}.tsv", prefix(kind))
}

/// The kind and car of a file name written by [`file_name`].
pub fn parse_file_name(name: &str) -> Option<(TelemetryKind, i32)> {
    let (prefix_part, rest) = name.strip_suffix(".tsv")?.rsplit_once('-')?;
    let kind = TelemetryKind::ALL.into_iter().find(|k| prefix(*k) == prefix_part)?;
    Some((kind, rest.parse().ok()?))
}

fn prefix(kind: TelemetryKind) -> &'static str {
    match kind {
        TelemetryKind::CarData => "car_data",
        TelemetryKind::Location => "location",
    }
}

/// Appends `sample`'s line to `out`.
pub fn write(sample: &Sample, out: &mut String) {
    let opt = |out: &mut String, v: Option<i64>| {
        out.push('\t');
        if let Some(v) = v {
            let _ = write!(out, "{v}");
        }
    };
    match sample {
        Sample::Car(c) => {
            let _ = write!(out, "{}", c.date.timestamp_micros());
            for v in [c.rpm, c.speed, c.n_gear, c.throttle, c.brake, c.drs] {
                opt(out, v);
            }
        }
        Sample::Place(l) => {
            let _ = write!(out, "{}\t{}\t{}\t{}", l.date.timestamp_micros(), l.x, l.y, l.z);
        }
    }
    out.push('\n');
}

/// Reads one line (without its line break) of car `driver`'s `kind` file,
/// stamped with the session's keys; `None` when it is not such a line.
pub fn read(line: &str, kind: TelemetryKind, keys: (i64, i64), driver_number: i32) -> Option<Sample> {
    let (meeting_key, session_key) = keys;
    let mut fields = line.split('\t');
    let date = DateTime::from_timestamp_micros(fields.next()?.parse().ok()?)?;
    let mut next = || -> Option<Option<i64>> {
        match fields.next()? {
            "" => Some(None),
            v => v.parse().ok().map(Some),
        }
    };
    let sample = match kind {
        TelemetryKind::CarData => Sample::Car(CarData {
            meeting_key,
            session_key,
            driver_number,
            date,
            rpm: next()?,
            speed: next()?,
            n_gear: next()?,
            throttle: next()?,
            brake: next()?,
            drs: next()?,
        }),
        TelemetryKind::Location => Sample::Place(Location {
            meeting_key,
            session_key,
            driver_number,
            date,
            x: next()??,
            y: next()??,
            z: next()??,
        }),
    };
    Some(sample)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_round_trip_through_a_line() {
        let date = DateTime::from_timestamp_micros(1_716_129_061_452_424).unwrap();
        let car = Sample::Car(CarData {
            meeting_key: 1235,
            session_key: 9515,
            driver_number: 44,
            date,
            rpm: Some(10_234),
            speed: Some(287),
            n_gear: Some(7),
            throttle: Some(100),
            brake: Some(0),
            drs: None,
        });
        let place = Sample::Place(Location {
            meeting_key: 1235,
            session_key: 9515,
            driver_number: 44,
            date,
            x: -1145,
            y: -4818,
            z: 1060,
        });
        let mut text = String::new();
        write(&car, &mut text);
        write(&place, &mut text);
        assert_eq!(text, "1716129061452424\t10234\t287\t7\t100\t0\t\n1716129061452424\t-1145\t-4818\t1060\n");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(read(lines[0], TelemetryKind::CarData, (1235, 9515), 44), Some(car));
        assert_eq!(read(lines[1], TelemetryKind::Location, (1235, 9515), 44), Some(place));
        assert_eq!(read("garbage", TelemetryKind::Location, (1, 2), 3), None);
        assert_eq!(read("1716129061452424\t1\t2", TelemetryKind::Location, (1, 2), 3), None, "a cut line");
    }

    #[test]
    fn file_names_name_kind_and_car() {
        for kind in TelemetryKind::ALL {
            assert_eq!(parse_file_name(&file_name(kind, 44)), Some((kind, 44)));
        }
        assert_eq!(parse_file_name("session"), None);
        assert_eq!(parse_file_name("car_data-x.tsv"), None);
    }
}
