use content_types::{Live, LiveDriver, RaceControl, Weather};
use protobuf::v1;

use super::round::{session_status, session_type};

/// Conversions both ways between a wire type and ours whose fields have
/// the same names and types, from one list of the fields. Both name every
/// field, so a field added to either type fails to build until listed.
macro_rules! both_ways {
    ($to_ours:ident: $wire:path => $ours:ident, $to_wire:ident, [$($field:ident),+ $(,)?]) => {
        fn $to_ours(x: $wire) -> $ours {
            $ours { $($field: x.$field),+ }
        }

        fn $to_wire(x: $ours) -> $wire {
            $wire { $($field: x.$field),+ }
        }
    };
}

both_ways!(driver: v1::LiveDriver => LiveDriver, wire_driver, [
    position, driver_number, driver_code, driver_name, team, team_color, gap_to_leader, interval, last_lap,
    best_lap, sectors, tyre, tyre_age, pit_count, in_pit, retired, laps, knocked_out, stopped, mini_sectors_lit,
    mini_sectors,
]);
both_ways!(race_control: v1::RaceControlMessage => RaceControl, wire_race_control, [
    time, category, flag, message, lap,
]);
both_ways!(weather: v1::Weather => Weather, wire_weather, [
    air_temp, track_temp, humidity, pressure, rainfall, wind_speed, wind_direction,
]);

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

/// A board read back from the live stream's history (`?delay=N`) as the
/// state it was written from, so what is computed from the live state (the
/// title fight as it stands) can be computed from a board of the past.
pub fn state_of(l: Live) -> v1::LiveSessionState {
    v1::LiveSessionState {
        season: l.season,
        round: l.round,
        session_type: v1::SessionType::from_slug(l.session_type.as_str()).unwrap_or_default() as i32,
        session_name: l.session_name,
        meeting_name: l.meeting_name,
        status: v1::SessionStatus::from_slug(l.status.as_str()).unwrap_or_default() as i32,
        track_status: l.track_status,
        track_status_message: l.track_status_message,
        current_lap: l.current_lap,
        total_laps: l.total_laps,
        leaderboard: l.leaderboard.into_iter().map(wire_driver).collect(),
        race_control: l.race_control.into_iter().map(wire_race_control).collect(),
        weather: l.weather.map(wire_weather),
        updated_at: l.updated_at,
        session_part: l.session_part,
        clock_remaining: l.clock_remaining,
        clock_at: l.clock_at,
        clock_running: l.clock_running,
        heartbeat_at: l.heartbeat_at,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_board_reads_back_as_the_state_it_was_written_from() {
        let state = v1::LiveSessionState {
            season: 2021,
            round: 22,
            session_type: v1::SessionType::Race as i32,
            session_name: "Race".into(),
            status: v1::SessionStatus::Live as i32,
            track_status: "yellow".into(),
            current_lap: 53,
            total_laps: 58,
            leaderboard: vec![v1::LiveDriver {
                position: 1,
                driver_number: 44,
                driver_code: "HAM".into(),
                best_lap: "1:26.615".into(),
                ..Default::default()
            }],
            race_control: vec![v1::RaceControlMessage {
                message: "SAFETY CAR DEPLOYED".into(),
                lap: 53,
                ..Default::default()
            }],
            weather: Some(v1::Weather { air_temp: 24.5, ..Default::default() }),
            clock_remaining: "0:12:00".into(),
            ..Default::default()
        };
        assert_eq!(state_of(live(state.clone())), state);
    }
}
