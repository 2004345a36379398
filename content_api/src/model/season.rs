use content_types::{Named, Season, SeasonStatus};
use protobuf::v1;

use super::opt;

fn status(v: i32) -> SeasonStatus {
    match v1::SeasonStatus::try_from(v).unwrap_or_default() {
        v1::SeasonStatus::Upcoming => SeasonStatus::Upcoming,
        v1::SeasonStatus::InProgress => SeasonStatus::InProgress,
        v1::SeasonStatus::Completed => SeasonStatus::Completed,
        v1::SeasonStatus::Unspecified => SeasonStatus::Unknown,
    }
}

fn named(id: &str, name: &str) -> Option<Named> {
    (!id.is_empty()).then(|| Named { id: id.to_string(), name: name.to_string() })
}

pub fn season(s: v1::Season) -> Season {
    Season {
        year: s.year,
        status: status(s.status),
        total_rounds: s.total_rounds,
        current_round: s.current_round,
        first_date: opt(&s.first_date),
        end_date: opt(&s.end_date),
        champion_driver: named(&s.champion_driver_id, &s.champion_driver_name),
        champion_constructor: named(&s.champion_constructor_id, &s.champion_constructor_name),
    }
}
