//! A session's timing records (OpenF1's shape, [`livetiming::openf1`]) in
//! our contract ([`content_types`]'s session data), with each car's driver
//! id when the session's classification names it.
use std::collections::HashMap;

use content_types as ct;
use livetiming::openf1::{self as of1, date::write as date};
use protobuf::v1::SessionDataSummary;

use crate::telemetry::Sample;

/// Driver ids by car number (from the session's results).
pub type Drivers = HashMap<i32, String>;

fn driver(ids: &Drivers, number: i32) -> Option<String> {
    ids.get(&number).cloned()
}

fn gap(g: &of1::Gap) -> ct::Gap {
    match g {
        of1::Gap::Seconds(s) => ct::Gap::Seconds(*s),
        of1::Gap::Text(t) => ct::Gap::Text(t.clone()),
    }
}

/// What the session's answer says about its records.
pub fn info(summary: Option<&SessionDataSummary>) -> ct::SessionDataInfo {
    match summary {
        None => ct::SessionDataInfo::default(),
        Some(s) => ct::SessionDataInfo {
            available: true,
            session_key: Some(s.session_key),
            meeting_key: Some(s.meeting_key),
            source: Some(s.source.clone()),
            complete: s.complete,
            counts: s.counts.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        },
    }
}

pub fn lap(l: &of1::Lap, ids: &Drivers) -> ct::Lap {
    ct::Lap {
        driver_number: l.driver_number,
        driver: driver(ids, l.driver_number),
        lap: l.lap_number,
        start: l.date_start.as_ref().map(date),
        time: l.lap_duration,
        sector_1: l.duration_sector_1,
        sector_2: l.duration_sector_2,
        sector_3: l.duration_sector_3,
        speed_i1: l.i1_speed,
        speed_i2: l.i2_speed,
        speed_trap: l.st_speed,
        pit_out_lap: l.is_pit_out_lap,
        mini_sectors: [&l.segments_sector_1, &l.segments_sector_2, &l.segments_sector_3]
            .into_iter()
            .map(|codes| codes.clone().unwrap_or_default())
            .collect(),
    }
}

pub fn stint(s: &of1::Stint, ids: &Drivers) -> ct::Stint {
    ct::Stint {
        driver_number: s.driver_number,
        driver: driver(ids, s.driver_number),
        stint: s.stint_number,
        compound: s.compound.clone(),
        tyre_age_at_start: s.tyre_age_at_start,
        first_lap: s.lap_start,
        last_lap: s.lap_end,
    }
}

pub fn pit_stop(p: &of1::Pit, ids: &Drivers) -> ct::PitStop {
    ct::PitStop {
        driver_number: p.driver_number,
        driver: driver(ids, p.driver_number),
        lap: p.lap_number,
        date: p.date.as_ref().map(date),
        lane_duration: p.lane_duration.or(p.pit_duration),
        stop_duration: p.stop_duration,
    }
}

pub fn race_control(m: &of1::RaceControl, _: &Drivers) -> ct::RaceControlMessage {
    ct::RaceControlMessage {
        date: m.date.as_ref().map(date),
        category: m.category.clone(),
        flag: m.flag.clone(),
        scope: m.scope.clone(),
        sector: m.sector,
        driver_number: m.driver_number,
        lap: m.lap_number,
        qualifying_phase: m.qualifying_phase,
        message: m.message.clone(),
    }
}

pub fn weather(w: &of1::Weather, _: &Drivers) -> ct::WeatherSample {
    ct::WeatherSample {
        date: date(&w.date),
        air_temperature: w.air_temperature,
        track_temperature: w.track_temperature,
        humidity: w.humidity,
        pressure: w.pressure,
        rainfall: w.rainfall,
        wind_direction: w.wind_direction,
        wind_speed: w.wind_speed,
    }
}

pub fn track_status(t: &of1::TrackStatus, _: &Drivers) -> ct::TrackStatusChange {
    ct::TrackStatusChange { date: date(&t.date), status: t.status.clone(), message: t.message.clone() }
}

pub fn session_status(s: &of1::SessionStatus, _: &Drivers) -> ct::SessionStatusChange {
    ct::SessionStatusChange { date: date(&s.date), status: s.status.clone() }
}

pub fn position(p: &of1::Position, ids: &Drivers) -> ct::PositionChange {
    ct::PositionChange {
        driver_number: p.driver_number,
        driver: driver(ids, p.driver_number),
        date: date(&p.date),
        position: p.position,
    }
}

pub fn interval(i: &of1::Interval, ids: &Drivers) -> ct::Interval {
    ct::Interval {
        driver_number: i.driver_number,
        driver: driver(ids, i.driver_number),
        date: date(&i.date),
        gap_to_leader: i.gap_to_leader.as_ref().map(gap),
        interval: i.interval.as_ref().map(gap),
    }
}

pub fn car_data(s: Sample, ids: &Drivers) -> Option<ct::CarDataSample> {
    let Sample::Car(c) = s else { return None };
    Some(ct::CarDataSample {
        driver_number: c.driver_number,
        driver: driver(ids, c.driver_number),
        date: date(&c.date),
        rpm: c.rpm,
        speed: c.speed,
        gear: c.n_gear,
        throttle: c.throttle,
        brake: c.brake,
        drs: c.drs,
    })
}

pub fn location(s: Sample, ids: &Drivers) -> Option<ct::LocationSample> {
    let Sample::Place(l) = s else { return None };
    Some(ct::LocationSample {
        driver_number: l.driver_number,
        driver: driver(ids, l.driver_number),
        date: date(&l.date),
        x: l.x,
        y: l.y,
        z: l.z,
    })
}
