use content_types::{Live, LiveDriver, RaceControl, Weather};
use protobuf::v1;

use super::round::{session_status, session_type};

fn driver(d: v1::LiveDriver) -> LiveDriver {
    LiveDriver {
        position: d.position,
        driver_number: d.driver_number,
        driver_code: d.driver_code,
        driver_name: d.driver_name,
        team: d.team,
        team_color: d.team_color,
        gap_to_leader: d.gap_to_leader,
        interval: d.interval,
        last_lap: d.last_lap,
        best_lap: d.best_lap,
        sectors: d.sectors,
        tyre: d.tyre,
        tyre_age: d.tyre_age,
        pit_count: d.pit_count,
        in_pit: d.in_pit,
        retired: d.retired,
        laps: d.laps,
        knocked_out: d.knocked_out,
        stopped: d.stopped,
        mini_sectors_lit: d.mini_sectors_lit,
        mini_sectors: d.mini_sectors,
    }
}

fn race_control(m: v1::RaceControlMessage) -> RaceControl {
    RaceControl { time: m.time, category: m.category, flag: m.flag, message: m.message, lap: m.lap }
}

fn weather(w: v1::Weather) -> Weather {
    Weather {
        air_temp: w.air_temp,
        track_temp: w.track_temp,
        humidity: w.humidity,
        pressure: w.pressure,
        rainfall: w.rainfall,
        wind_speed: w.wind_speed,
        wind_direction: w.wind_direction,
    }
}

pub fn live(s: v1::LiveSessionState) -> Live {
    Live {
        season: s.season,
        round: s.round,
        session_type: session_type(s.session_type),
        session_name: s.session_name,
        meeting_name: s.meeting_name,
        status: session_status(s.status),
        track_status: s.track_status,
        track_status_message: s.track_status_message,
        current_lap: s.current_lap,
        total_laps: s.total_laps,
        leaderboard: s.leaderboard.into_iter().map(driver).collect(),
        race_control: s.race_control.into_iter().map(race_control).collect(),
        weather: s.weather.map(weather),
        updated_at: s.updated_at,
        session_part: s.session_part,
        clock_remaining: s.clock_remaining,
        clock_at: s.clock_at,
        clock_running: s.clock_running,
        heartbeat_at: s.heartbeat_at,
    }
}
