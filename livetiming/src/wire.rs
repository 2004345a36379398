//! The session records ([`crate::openf1`]) on the wire: [`to_wire`] makes
//! the `SessionData` a writer sends to data_scheduler, [`from_wire`] gives
//! back the OpenF1 records a reader serialises. Behind the `proto` feature,
//! so the crate's other users do not link the protobuf crate.
//!
//! The keys (`meeting_key`, `session_key`) are on the `SessionData`, not on
//! each record: [`from_wire`] puts them back on every record. Dates travel
//! as unix microseconds (OpenF1's precision); a finer date is truncated.
use protobuf::v1 as pb;
use protobuf::v1::gap::Value;

use crate::openf1::records::*;
use crate::openf1::{Date, SessionRecords};

/// Our season, round and session type, when the session is one of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub season: i32,
    pub round: i32,
    pub session_type: pb::SessionType,
}

/// Where the records came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The LiveTiming archive, synced after the session.
    Archive,
    /// The live hub, while the session ran.
    Live,
}

impl Source {
    /// The wire's spelling (`SessionData.source`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Archive => "archive",
            Self::Live => "live",
        }
    }
}

/// What the records do not say themselves: whose they are and where from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub meeting_key: i64,
    pub session_key: i64,
    pub link: Option<Link>,
    pub source: Source,
    /// False while a live session is running.
    pub complete: bool,
}

/// A `SessionData` that cannot be OpenF1 records.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WireError {
    #[error("{field}: {value} µs is not a representable date")]
    Date { field: &'static str, value: i64 },
}

fn micros(d: &Date) -> i64 {
    d.timestamp_micros()
}

fn micros_opt(d: &Option<Date>) -> Option<i64> {
    d.as_ref().map(micros)
}

fn date(field: &'static str, value: i64) -> Result<Date, WireError> {
    Date::from_timestamp_micros(value).ok_or(WireError::Date { field, value })
}

fn date_opt(field: &'static str, value: Option<i64>) -> Result<Option<Date>, WireError> {
    value.map(|v| date(field, v)).transpose()
}

fn gap_to_wire(g: &Gap) -> pb::Gap {
    let value = match g {
        Gap::Seconds(s) => Value::Seconds(*s),
        Gap::Text(t) => Value::Text(t.clone()),
    };
    pb::Gap { value: Some(value) }
}

fn gap_from_wire(g: &pb::Gap) -> Option<Gap> {
    match &g.value {
        Some(Value::Seconds(s)) => Some(Gap::Seconds(*s)),
        Some(Value::Text(t)) => Some(Gap::Text(t.clone())),
        None => None,
    }
}

/// One value (a list of none or one) or one per part (`by_part`).
fn result_time_to_wire(t: &ResultTime) -> (Vec<pb::Gap>, bool) {
    match t {
        ResultTime::One(g) => (g.iter().map(gap_to_wire).collect(), false),
        ResultTime::Parts(parts) => {
            (parts.iter().map(|g| g.as_ref().map_or_else(pb::Gap::default, gap_to_wire)).collect(), true)
        }
    }
}

fn result_time_from_wire(gaps: &[pb::Gap], by_part: bool) -> ResultTime {
    if by_part {
        ResultTime::Parts(gaps.iter().map(gap_from_wire).collect())
    } else {
        ResultTime::One(gaps.first().and_then(gap_from_wire))
    }
}

fn segments_to_wire(s: &Option<Vec<Option<i64>>>) -> (bool, Vec<pb::SegmentCode>) {
    (s.is_some(), s.iter().flatten().map(|code| pb::SegmentCode { code: *code }).collect())
}

fn segments_from_wire(given: bool, s: &[pb::SegmentCode]) -> Option<Vec<Option<i64>>> {
    given.then(|| s.iter().map(|c| c.code).collect())
}

/// The records of one session, as data_scheduler stores them.
pub fn to_wire(r: &SessionRecords, head: Head) -> pb::SessionData {
    let link = head.link;
    pb::SessionData {
        meeting_key: head.meeting_key,
        session_key: head.session_key,
        season: link.map_or(0, |l| l.season),
        round: link.map_or(0, |l| l.round),
        r#type: link.map_or(0, |l| l.session_type as i32),
        source: head.source.as_str().to_string(),
        complete: head.complete,
        meeting: r.meeting.as_ref().map(|m| pb::SessionDataMeeting {
            meeting_name: m.meeting_name.clone(),
            meeting_official_name: m.meeting_official_name.clone(),
            location: m.location.clone(),
            country_key: m.country_key,
            country_code: m.country_code.clone(),
            country_name: m.country_name.clone(),
            circuit_key: m.circuit_key,
            circuit_short_name: m.circuit_short_name.clone(),
            date_start: micros_opt(&m.date_start),
            gmt_offset: m.gmt_offset.clone(),
            year: m.year,
        }),
        session: r.session.as_ref().map(|s| pb::SessionDataSession {
            session_name: s.session_name.clone(),
            session_type: s.session_type.clone(),
            date_start: micros_opt(&s.date_start),
            date_end: micros_opt(&s.date_end),
            gmt_offset: s.gmt_offset.clone(),
            location: s.location.clone(),
            country_key: s.country_key,
            country_code: s.country_code.clone(),
            country_name: s.country_name.clone(),
            circuit_key: s.circuit_key,
            circuit_short_name: s.circuit_short_name.clone(),
            year: s.year,
        }),
        drivers: r
            .drivers
            .iter()
            .map(|d| pb::SessionDataDriver {
                driver_number: d.driver_number,
                broadcast_name: d.broadcast_name.clone(),
                full_name: d.full_name.clone(),
                first_name: d.first_name.clone(),
                last_name: d.last_name.clone(),
                name_acronym: d.name_acronym.clone(),
                team_name: d.team_name.clone(),
                team_colour: d.team_colour.clone(),
                headshot_url: d.headshot_url.clone(),
                country_code: d.country_code.clone(),
            })
            .collect(),
        laps: r.laps.iter().map(lap_to_wire).collect(),
        stints: r
            .stints
            .iter()
            .map(|s| pb::SessionDataStint {
                driver_number: s.driver_number,
                stint_number: s.stint_number,
                compound: s.compound.clone(),
                tyre_age_at_start: s.tyre_age_at_start,
                lap_start: s.lap_start,
                lap_end: s.lap_end,
            })
            .collect(),
        pit: r
            .pit
            .iter()
            .map(|p| pb::SessionDataPit {
                driver_number: p.driver_number,
                lap_number: p.lap_number,
                date: micros_opt(&p.date),
                pit_duration: p.pit_duration,
                lane_duration: p.lane_duration,
                stop_duration: p.stop_duration,
            })
            .collect(),
        race_control: r
            .race_control
            .iter()
            .map(|m| pb::SessionDataRaceControl {
                date: micros_opt(&m.date),
                category: m.category.clone(),
                flag: m.flag.clone(),
                scope: m.scope.clone(),
                sector: m.sector,
                driver_number: m.driver_number,
                lap_number: m.lap_number,
                qualifying_phase: m.qualifying_phase,
                message: m.message.clone(),
            })
            .collect(),
        weather: r
            .weather
            .iter()
            .map(|w| pb::SessionDataWeather {
                date: micros(&w.date),
                air_temperature: w.air_temperature,
                track_temperature: w.track_temperature,
                humidity: w.humidity,
                pressure: w.pressure,
                rainfall: w.rainfall,
                wind_direction: w.wind_direction,
                wind_speed: w.wind_speed,
            })
            .collect(),
        intervals: r
            .intervals
            .iter()
            .map(|i| pb::SessionDataInterval {
                driver_number: i.driver_number,
                date: micros(&i.date),
                gap_to_leader: i.gap_to_leader.as_ref().map(gap_to_wire),
                interval: i.interval.as_ref().map(gap_to_wire),
            })
            .collect(),
        position: r
            .position
            .iter()
            .map(|p| pb::SessionDataPosition {
                driver_number: p.driver_number,
                date: micros(&p.date),
                position: p.position,
            })
            .collect(),
        session_result: r.session_result.iter().map(result_to_wire).collect(),
        starting_grid: r
            .starting_grid
            .iter()
            .map(|g| pb::SessionDataGridSlot {
                driver_number: g.driver_number,
                position: g.position,
                lap_duration: g.lap_duration,
            })
            .collect(),
        overtakes: r
            .overtakes
            .iter()
            .map(|o| pb::SessionDataOvertake {
                overtaking_driver_number: o.overtaking_driver_number,
                overtaken_driver_number: o.overtaken_driver_number,
                date: micros(&o.date),
                position: o.position,
            })
            .collect(),
        team_radio: r
            .team_radio
            .iter()
            .map(|t| pb::SessionDataTeamRadio {
                driver_number: t.driver_number,
                date: micros_opt(&t.date),
                recording_url: t.recording_url.clone(),
            })
            .collect(),
        track_status: r
            .track_status
            .iter()
            .map(|t| pb::SessionDataTrackStatus {
                date: micros(&t.date),
                status: t.status.clone(),
                message: t.message.clone(),
            })
            .collect(),
        session_status: r
            .session_status
            .iter()
            .map(|s| pb::SessionDataSessionStatus { date: micros(&s.date), status: s.status.clone() })
            .collect(),
    }
}

fn lap_to_wire(l: &Lap) -> pb::SessionDataLap {
    let (has_segments_sector_1, segments_sector_1) = segments_to_wire(&l.segments_sector_1);
    let (has_segments_sector_2, segments_sector_2) = segments_to_wire(&l.segments_sector_2);
    let (has_segments_sector_3, segments_sector_3) = segments_to_wire(&l.segments_sector_3);
    pb::SessionDataLap {
        driver_number: l.driver_number,
        lap_number: l.lap_number,
        date_start: micros_opt(&l.date_start),
        lap_duration: l.lap_duration,
        duration_sector_1: l.duration_sector_1,
        duration_sector_2: l.duration_sector_2,
        duration_sector_3: l.duration_sector_3,
        has_segments_sector_1,
        has_segments_sector_2,
        has_segments_sector_3,
        segments_sector_1,
        segments_sector_2,
        segments_sector_3,
        i1_speed: l.i1_speed,
        i2_speed: l.i2_speed,
        st_speed: l.st_speed,
        is_pit_out_lap: l.is_pit_out_lap,
    }
}

fn result_to_wire(r: &SessionResult) -> pb::SessionDataResult {
    let (duration, by_part) = result_time_to_wire(&r.duration);
    let (gap_to_leader, gap_by_part) = result_time_to_wire(&r.gap_to_leader);
    pb::SessionDataResult {
        driver_number: r.driver_number,
        position: r.position,
        number_of_laps: r.number_of_laps,
        dnf: r.dnf,
        dns: r.dns,
        dsq: r.dsq,
        duration,
        gap_to_leader,
        // Both are per part, or neither (OpenF1 gives a qualifying both as lists).
        by_part: by_part || gap_by_part,
    }
}

/// Every record of one kind, or the first that cannot be converted.
fn all<T, U>(records: &[T], convert: impl Fn(&T) -> Result<U, WireError>) -> Result<Vec<U>, WireError> {
    records.iter().map(convert).collect()
}

/// The OpenF1 records of a stored session, each with the session's keys.
pub fn from_wire(d: &pb::SessionData) -> Result<SessionRecords, WireError> {
    let (meeting_key, session_key) = (d.meeting_key, d.session_key);
    Ok(SessionRecords {
        meeting: d
            .meeting
            .as_ref()
            .map(|m| -> Result<_, WireError> {
                Ok(Meeting {
                    meeting_key,
                    meeting_name: m.meeting_name.clone(),
                    meeting_official_name: m.meeting_official_name.clone(),
                    location: m.location.clone(),
                    country_key: m.country_key,
                    country_code: m.country_code.clone(),
                    country_name: m.country_name.clone(),
                    circuit_key: m.circuit_key,
                    circuit_short_name: m.circuit_short_name.clone(),
                    date_start: date_opt("meeting.date_start", m.date_start)?,
                    gmt_offset: m.gmt_offset.clone(),
                    year: m.year,
                })
            })
            .transpose()?,
        session: d
            .session
            .as_ref()
            .map(|s| -> Result<_, WireError> {
                Ok(Session {
                    meeting_key,
                    session_key,
                    session_name: s.session_name.clone(),
                    session_type: s.session_type.clone(),
                    date_start: date_opt("session.date_start", s.date_start)?,
                    date_end: date_opt("session.date_end", s.date_end)?,
                    gmt_offset: s.gmt_offset.clone(),
                    location: s.location.clone(),
                    country_key: s.country_key,
                    country_code: s.country_code.clone(),
                    country_name: s.country_name.clone(),
                    circuit_key: s.circuit_key,
                    circuit_short_name: s.circuit_short_name.clone(),
                    year: s.year,
                })
            })
            .transpose()?,
        drivers: d
            .drivers
            .iter()
            .map(|x| Driver {
                meeting_key,
                session_key,
                driver_number: x.driver_number,
                broadcast_name: x.broadcast_name.clone(),
                full_name: x.full_name.clone(),
                first_name: x.first_name.clone(),
                last_name: x.last_name.clone(),
                name_acronym: x.name_acronym.clone(),
                team_name: x.team_name.clone(),
                team_colour: x.team_colour.clone(),
                headshot_url: x.headshot_url.clone(),
                country_code: x.country_code.clone(),
            })
            .collect(),
        laps: all(&d.laps, |l| {
            Ok(Lap {
                meeting_key,
                session_key,
                driver_number: l.driver_number,
                lap_number: l.lap_number,
                date_start: date_opt("laps.date_start", l.date_start)?,
                lap_duration: l.lap_duration,
                duration_sector_1: l.duration_sector_1,
                duration_sector_2: l.duration_sector_2,
                duration_sector_3: l.duration_sector_3,
                segments_sector_1: segments_from_wire(l.has_segments_sector_1, &l.segments_sector_1),
                segments_sector_2: segments_from_wire(l.has_segments_sector_2, &l.segments_sector_2),
                segments_sector_3: segments_from_wire(l.has_segments_sector_3, &l.segments_sector_3),
                i1_speed: l.i1_speed,
                i2_speed: l.i2_speed,
                st_speed: l.st_speed,
                is_pit_out_lap: l.is_pit_out_lap,
            })
        })?,
        stints: d
            .stints
            .iter()
            .map(|s| Stint {
                meeting_key,
                session_key,
                driver_number: s.driver_number,
                stint_number: s.stint_number,
                compound: s.compound.clone(),
                tyre_age_at_start: s.tyre_age_at_start,
                lap_start: s.lap_start,
                lap_end: s.lap_end,
            })
            .collect(),
        pit: all(&d.pit, |p| {
            Ok(Pit {
                meeting_key,
                session_key,
                driver_number: p.driver_number,
                lap_number: p.lap_number,
                date: date_opt("pit.date", p.date)?,
                pit_duration: p.pit_duration,
                lane_duration: p.lane_duration,
                stop_duration: p.stop_duration,
            })
        })?,
        race_control: all(&d.race_control, |m| {
            Ok(RaceControl {
                meeting_key,
                session_key,
                date: date_opt("race_control.date", m.date)?,
                category: m.category.clone(),
                flag: m.flag.clone(),
                scope: m.scope.clone(),
                sector: m.sector,
                driver_number: m.driver_number,
                lap_number: m.lap_number,
                qualifying_phase: m.qualifying_phase,
                message: m.message.clone(),
            })
        })?,
        weather: all(&d.weather, |w| {
            Ok(Weather {
                meeting_key,
                session_key,
                date: date("weather.date", w.date)?,
                air_temperature: w.air_temperature,
                track_temperature: w.track_temperature,
                humidity: w.humidity,
                pressure: w.pressure,
                rainfall: w.rainfall,
                wind_direction: w.wind_direction,
                wind_speed: w.wind_speed,
            })
        })?,
        intervals: all(&d.intervals, |i| {
            Ok(Interval {
                meeting_key,
                session_key,
                driver_number: i.driver_number,
                date: date("intervals.date", i.date)?,
                gap_to_leader: i.gap_to_leader.as_ref().and_then(gap_from_wire),
                interval: i.interval.as_ref().and_then(gap_from_wire),
            })
        })?,
        position: all(&d.position, |p| {
            Ok(Position {
                meeting_key,
                session_key,
                driver_number: p.driver_number,
                date: date("position.date", p.date)?,
                position: p.position,
            })
        })?,
        session_result: d
            .session_result
            .iter()
            .map(|r| SessionResult {
                meeting_key,
                session_key,
                driver_number: r.driver_number,
                position: r.position,
                number_of_laps: r.number_of_laps,
                dnf: r.dnf,
                dns: r.dns,
                dsq: r.dsq,
                duration: result_time_from_wire(&r.duration, r.by_part),
                gap_to_leader: result_time_from_wire(&r.gap_to_leader, r.by_part),
            })
            .collect(),
        starting_grid: d
            .starting_grid
            .iter()
            .map(|g| StartingGrid {
                meeting_key,
                session_key,
                driver_number: g.driver_number,
                position: g.position,
                lap_duration: g.lap_duration,
            })
            .collect(),
        overtakes: all(&d.overtakes, |o| {
            Ok(Overtake {
                meeting_key,
                session_key,
                overtaking_driver_number: o.overtaking_driver_number,
                overtaken_driver_number: o.overtaken_driver_number,
                date: date("overtakes.date", o.date)?,
                position: o.position,
            })
        })?,
        team_radio: all(&d.team_radio, |t| {
            Ok(TeamRadio {
                meeting_key,
                session_key,
                driver_number: t.driver_number,
                date: date_opt("team_radio.date", t.date)?,
                recording_url: t.recording_url.clone(),
            })
        })?,
        track_status: all(&d.track_status, |t| {
            Ok(TrackStatus {
                meeting_key,
                session_key,
                date: date("track_status.date", t.date)?,
                status: t.status.clone(),
                message: t.message.clone(),
            })
        })?,
        session_status: all(&d.session_status, |s| {
            Ok(SessionStatus {
                meeting_key,
                session_key,
                date: date("session_status.date", s.date)?,
                status: s.status.clone(),
            })
        })?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_result_times_keep_their_shape() {
        for t in [
            ResultTime::One(None),
            ResultTime::One(Some(Gap::Seconds(5812.3))),
            ResultTime::One(Some(Gap::Text("+1 LAP".into()))),
            ResultTime::Parts(vec![Some(Gap::Seconds(90.1)), None, None]),
        ] {
            let (gaps, by_part) = result_time_to_wire(&t);
            assert_eq!(result_time_from_wire(&gaps, by_part), t);
        }
        for s in [None, Some(vec![]), Some(vec![Some(2049), None, Some(0)])] {
            let (given, codes) = segments_to_wire(&s);
            assert_eq!(segments_from_wire(given, &codes), s);
        }
    }

    #[test]
    fn a_date_out_of_range_is_an_error_naming_the_field() {
        let d = pb::SessionData {
            weather: vec![pb::SessionDataWeather { date: i64::MAX, ..Default::default() }],
            ..Default::default()
        };
        assert_eq!(from_wire(&d).unwrap_err(), WireError::Date { field: "weather.date", value: i64::MAX });
    }
}
