//! The one derivation: topic messages in, records out. Each message is
//! merged into its topic's state (by [`crate::merge`]'s rules) and read for
//! what it changed; what only the end state knows (drivers, stints, grid,
//! result) is read from the merged state by [`Deriver::finish`].
use std::collections::{BTreeMap, HashMap};

use chrono::TimeDelta;
use serde_json::Value;

use super::TopicMessage;
use super::records::*;
use super::session;
use super::timing::{Car, Context, PitVisit, lap_seconds, read_line, running_order};
use crate::InvalidData;
use crate::merge::merge;
use crate::topics::{Moved, PartBests, has_started, indexed, int, items, text};

/// How close to a pit-lane entry or exit, or to a retirement, a change of
/// order is not an overtake.
const OVERTAKE_EXCLUSION: TimeDelta = TimeDelta::seconds(60);

/// A pit time the feed published: car, lap, date, lane and stationary time.
type Published = (i32, i32, Date, Option<f64>, Option<f64>);

/// Feeds on topic messages in time order; [`Deriver::finish`] gives the
/// records. `.z` topics are skipped (see [`super::telemetry`]).
#[derive(Debug, Clone, Default)]
pub struct Deriver {
    topics: BTreeMap<String, Value>,
    race: bool,
    started: bool,
    chequered: bool,
    qualifying_phase: Option<i64>,
    cars: BTreeMap<i32, Car>,
    visits: Vec<PitVisit>,
    order: Option<Vec<i32>>,
    parts: PartBests,
    moved: Moved,
    /// First `TotalLaps` seen per car and stint, for a stint without `StartLaps`.
    first_total: HashMap<(i32, usize), i64>,
    /// Pit-lane and stop times the feed published, by car and lap.
    lane_times: Vec<Published>,
    radio: Vec<(i32, Option<Date>, String)>,
    out: SessionRecords,
}

impl Deriver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Merges one message and derives what it changed. A patch that does not
    /// merge is an error naming the topic; nothing of it is kept.
    pub fn push(&mut self, message: TopicMessage) -> Result<(), InvalidData> {
        let TopicMessage { date, topic, payload } = message;
        if topic.ends_with(".z") {
            return Ok(());
        }
        crate::merge::check(self.topics.get(&topic).unwrap_or(&Value::Null), &payload)
            .map_err(|m| InvalidData::new(&topic, "patch", m))?;
        match topic.as_str() {
            "SessionInfo" => self.race = text(&payload, "Type").eq_ignore_ascii_case("race") || self.race,
            "SessionStatus" => self.session_status(&payload, date),
            "TimingData" => {
                self.parts.observe(&payload);
                self.moved.observe(&payload);
            }
            "TimingAppData" => self.tyre_ages(&payload),
            "RaceControlMessages" => self.race_control(&payload, date),
            "SessionData" => self.qualifying_part(&payload),
            "PitLaneTimeCollection" => self.lane_times(&payload, date),
            "PitStopSeries" => self.stop_times(&payload),
            "TeamRadio" => self.team_radio(&payload),
            _ => {}
        }
        let state = self.topics.entry(topic.clone()).or_insert(Value::Null);
        merge(state, payload.clone()).map_err(|m| InvalidData::new(&topic, "patch", m))?;
        match topic.as_str() {
            "TimingData" => self.timing(&payload, date),
            "WeatherData" => self.weather(date),
            "TrackStatus" => {
                let state = &self.topics["TrackStatus"];
                let (status, message) = (text(state, "Status"), text(state, "Message"));
                self.out.track_status.push(TrackStatus { meeting_key: 0, session_key: 0, date, status, message });
            }
            _ => {}
        }
        Ok(())
    }

    fn session_status(&mut self, patch: &Value, date: Date) {
        let status = text(patch, "Status");
        if status.is_empty() {
            return;
        }
        if !self.started && has_started(patch) {
            self.started = true;
            self.moved.start();
        }
        self.out.session_status.push(SessionStatus { meeting_key: 0, session_key: 0, date, status });
    }

    fn timing(&mut self, patch: &Value, date: Date) {
        let Some(lines) = patch.get("Lines").and_then(Value::as_object) else { return };
        let cx = Context {
            date,
            laps_count: self.started || !self.race,
            pits_count: self.race && self.started && !self.chequered,
            race: self.race,
        };
        for (key, line) in lines {
            let Ok(number) = key.parse::<i32>() else { continue };
            let car = self.cars.entry(number).or_default();
            let changes = read_line(car, number, line, &cx, &mut self.visits);
            let (meeting_key, session_key, driver_number) = (0, 0, number);
            if changes.position
                && let Some(position) = car.line
            {
                self.out.position.push(Position { meeting_key, session_key, driver_number, date, position });
            }
            if changes.interval {
                let (gap_to_leader, interval) = (car.gap.clone(), car.interval.clone());
                self.out.intervals.push(Interval {
                    meeting_key,
                    session_key,
                    driver_number,
                    date,
                    gap_to_leader,
                    interval,
                });
            }
        }
        self.overtakes(date);
    }

    /// Overtakes: in a race, between the start and the chequered flag, each
    /// pair of cars whose running order swapped between two consistent
    /// states of TimingData (no two cars on one line). Swaps caused by a
    /// pit stop or a retirement are removed by [`Deriver::finish`].
    fn overtakes(&mut self, date: Date) {
        if !self.race || !self.started || self.chequered {
            return;
        }
        let Some(order) = running_order(&self.cars) else { return };
        if let Some(before) = self.order.as_ref().filter(|b| **b != order) {
            let was: HashMap<i32, usize> = before.iter().enumerate().map(|(i, n)| (*n, i)).collect();
            for (ahead, a) in order.iter().enumerate() {
                for b in &order[ahead + 1..] {
                    if let (Some(wa), Some(wb)) = (was.get(a), was.get(b))
                        && wa > wb
                    {
                        self.out.overtakes.push(Overtake {
                            meeting_key: 0,
                            session_key: 0,
                            overtaking_driver_number: *a,
                            overtaken_driver_number: *b,
                            date,
                            position: ahead as i32 + 1,
                        });
                    }
                }
            }
        }
        self.order = Some(order);
    }

    fn tyre_ages(&mut self, patch: &Value) {
        let Some(lines) = patch.get("Lines").and_then(Value::as_object) else { return };
        for (key, line) in lines {
            let Ok(number) = key.parse::<i32>() else { continue };
            for (index, stint) in indexed(line.get("Stints")) {
                if let Ok(Some(total)) = int(stint, "TotalLaps") {
                    self.first_total.entry((number, index)).or_insert(total);
                }
            }
        }
    }

    fn race_control(&mut self, patch: &Value, date: Date) {
        for m in items(patch.get("Messages")) {
            let message = Some(text(m, "Message")).filter(|s| !s.is_empty());
            let flag = Some(text(m, "Flag")).filter(|s| !s.is_empty());
            if flag.as_deref() == Some("CHEQUERED") || message.as_deref() == Some("CHEQUERED FLAG") {
                self.chequered = true;
            }
            let category = Some(text(m, "Category")).filter(|s| !s.is_empty());
            // OpenF1 gives the qualifying part to these categories only.
            let phased = matches!(category.as_deref(), Some("Flag" | "CarEvent" | "SafetyCar"));
            self.out.race_control.push(RaceControl {
                meeting_key: 0,
                session_key: 0,
                date: super::input::parse_utc(&text(m, "Utc")).or(Some(date)),
                category,
                flag,
                scope: Some(text(m, "Scope")).filter(|s| !s.is_empty()),
                sector: int(m, "Sector").ok().flatten(),
                driver_number: int(m, "RacingNumber").ok().flatten().map(|n| n as i32),
                lap_number: int(m, "Lap").ok().flatten(),
                qualifying_phase: self.qualifying_phase.filter(|_| phased),
                message,
            });
        }
    }

    fn qualifying_part(&mut self, patch: &Value) {
        for item in items(patch.get("Series")) {
            if let Ok(Some(part)) = int(item, "QualifyingPart") {
                self.qualifying_phase = Some(part);
            }
        }
    }

    fn weather(&mut self, date: Date) {
        let w = &self.topics["WeatherData"];
        let real = |k: &str| text(w, k).parse::<f64>().ok();
        let whole = |k: &str| real(k).map(|v| v.round() as i64);
        self.out.weather.push(Weather {
            meeting_key: 0,
            session_key: 0,
            date,
            air_temperature: real("AirTemp"),
            track_temperature: real("TrackTemp"),
            humidity: real("Humidity"),
            pressure: real("Pressure"),
            rainfall: whole("Rainfall"),
            wind_direction: whole("WindDirection"),
            wind_speed: real("WindSpeed"),
        });
    }

    fn lane_times(&mut self, patch: &Value, date: Date) {
        let Some(times) = patch.get("PitTimes").and_then(Value::as_object) else { return };
        for (key, t) in times {
            let (Ok(number), Ok(Some(lap))) = (key.parse::<i32>(), int(t, "Lap")) else { continue };
            let lane = lap_seconds(&text(t, "Duration"));
            self.lane_times.push((number, lap as i32, date, lane, None));
        }
    }

    fn stop_times(&mut self, patch: &Value) {
        let Some(times) = patch.get("PitTimes").and_then(Value::as_object) else { return };
        for (key, list) in times {
            let Ok(number) = key.parse::<i32>() else { continue };
            for item in items(Some(list)) {
                let Some(stop) = item.get("PitStop") else { continue };
                let Ok(Some(lap)) = int(stop, "Lap") else { continue };
                let date = super::input::parse_utc(&text(item, "Timestamp"));
                let (lane, still) = (lap_seconds(&text(stop, "PitLaneTime")), lap_seconds(&text(stop, "PitStopTime")));
                if let Some(date) = date {
                    self.lane_times.push((number, lap as i32, date, lane, still));
                }
            }
        }
    }

    fn team_radio(&mut self, patch: &Value) {
        for capture in items(patch.get("Captures")) {
            let (Ok(Some(number)), path) = (int(capture, "RacingNumber"), text(capture, "Path")) else { continue };
            if !path.is_empty() {
                self.radio.push((number as i32, super::input::parse_utc(&text(capture, "Utc")), path));
            }
        }
    }

    /// The records so far, as [`Deriver::finish`] would give them now; the
    /// deriver goes on (the live path writes these while a session runs).
    pub fn records(&self) -> SessionRecords {
        self.clone().finish()
    }

    /// The records, keyed by SessionInfo's keys (0 when the feed had no
    /// SessionInfo).
    pub fn finish(mut self) -> SessionRecords {
        let info = self.topics.get("SessionInfo").cloned().unwrap_or(Value::Null);
        let (meeting, session) = session::meeting_and_session(&info);
        let out = &mut self.out;
        out.meeting = meeting;
        out.session = session;
        let empty = Value::Null;
        out.drivers = session::drivers(self.topics.get("DriverList").unwrap_or(&empty));
        let app = self.topics.get("TimingAppData").unwrap_or(&empty);
        let completed: HashMap<i32, i32> = self.cars.iter().map(|(n, c)| (*n, c.completed)).collect();
        out.stints = session::stints(app, &completed, &self.first_total);
        if self.race {
            out.starting_grid = session::starting_grid(app);
        }
        let timing = self.topics.get("TimingData").unwrap_or(&empty);
        out.laps = self.cars.values().flat_map(|c| c.completed_laps().cloned()).collect();
        if self.race {
            // The first lap has no `LastLapTime` in some years: it ends when
            // the second begins, and it began at the start.
            let start = out.session_status.iter().find(|s| s.status == "Started").map(|s| s.date);
            for lap in out.laps.iter_mut().filter(|l| l.lap_number == 1) {
                lap.date_start = lap.date_start.or(start);
            }
            let second: HashMap<i32, Date> = out
                .laps
                .iter()
                .filter(|l| l.lap_number == 2)
                .filter_map(|l| Some((l.driver_number, l.date_start?)))
                .collect();
            for lap in out.laps.iter_mut().filter(|l| l.lap_number == 1 && l.lap_duration.is_none()) {
                if let (Some(begin), Some(end)) = (lap.date_start, second.get(&lap.driver_number)) {
                    lap.lap_duration = Some((*end - begin).num_milliseconds() as f64 / 1000.0);
                }
            }
        }
        out.session_result = session::results(timing, &info, &out.laps, &self.parts, &self.moved);
        out.pit = pits(&self.visits, &self.lane_times);
        let cars = &self.cars;
        let near = |events: &[Date], at: Date| events.iter().any(|e| (*e - at).abs() <= OVERTAKE_EXCLUSION);
        out.overtakes.retain(|o| {
            let (Some(a), Some(b)) = (cars.get(&o.overtaking_driver_number), cars.get(&o.overtaken_driver_number))
            else {
                return false;
            };
            let retired = b.retired_at.is_some_and(|r| r - o.date <= OVERTAKE_EXCLUSION);
            !retired && !near(&a.pit_events, o.date) && !near(&b.pit_events, o.date)
        });
        let folder = text(&info, "Path");
        out.team_radio = self
            .radio
            .iter()
            .map(|(driver_number, date, path)| TeamRadio {
                meeting_key: 0,
                session_key: 0,
                driver_number: *driver_number,
                date: *date,
                recording_url: format!("{}{folder}{path}", super::ARCHIVE_BASE),
            })
            .collect();
        let (meeting_key, session_key) = session::keys(&info);
        let mut out = std::mem::take(&mut self.out);
        session::stamp(&mut out, meeting_key, session_key);
        out
    }
}

/// Pit stops: the pit-lane visits seen in TimingData, with the lane and
/// stationary times the feed published for that car and lap (±1: the
/// feed's lap is the one the stop counts to) where it did.
fn pits(visits: &[PitVisit], published: &[Published]) -> Vec<Pit> {
    let mut out: Vec<Pit> = visits
        .iter()
        .map(|v| {
            let lane = v.exit.map(|x| (x - v.entry).num_milliseconds() as f64 / 1000.0);
            Pit {
                meeting_key: 0,
                session_key: 0,
                driver_number: v.driver,
                lap_number: v.lap,
                date: Some(v.entry),
                pit_duration: lane,
                lane_duration: lane,
                stop_duration: None,
            }
        })
        .collect();
    for (driver, lap, date, lane, still) in published {
        let found = out.iter_mut().find(|p| p.driver_number == *driver && (p.lap_number - lap).abs() <= 1);
        match found {
            Some(pit) => {
                if lane.is_some() {
                    (pit.pit_duration, pit.lane_duration) = (*lane, *lane);
                }
                pit.stop_duration = still.or(pit.stop_duration);
            }
            None => out.push(Pit {
                meeting_key: 0,
                session_key: 0,
                driver_number: *driver,
                lap_number: *lap,
                date: Some(*date),
                pit_duration: *lane,
                lane_duration: *lane,
                stop_duration: *still,
            }),
        }
    }
    out.sort_by_key(|p| (p.date, p.driver_number));
    out
}
