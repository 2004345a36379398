//! The current season's calendar as the planner sees it: sessions with a
//! scheduled start, and race weekends derived from them.
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};
use protobuf::Year;
use protobuf::v1::{Round, SessionStatus, SessionType};

use super::WeekendRule;

/// A session with a known scheduled start (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalSession {
    pub round: i32,
    pub kind: SessionType,
    pub start: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalRound {
    pub round: i32,
    pub name: String,
    /// Day of the first session.
    pub first_day: NaiveDate,
    /// Day of the race (the last session when there is no race).
    pub race_day: NaiveDate,
    pub sessions: Vec<CalSession>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub season: Year,
    pub rounds: Vec<CalRound>,
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl Calendar {
    /// Reads the stored rounds. Cancelled sessions and sessions without a
    /// scheduled start are left out; a round with no dates at all too.
    pub fn from_rounds(season: Year, rounds: &[Round]) -> Self {
        let rounds = rounds
            .iter()
            .filter_map(|r| {
                let mut sessions: Vec<CalSession> = r
                    .sessions
                    .iter()
                    .filter(|s| s.status != SessionStatus::Cancelled as i32)
                    .filter_map(|s| {
                        let kind = SessionType::from_wire(s.r#type).ok()?;
                        let start = DateTime::from_timestamp(s.start_time?, 0)?;
                        Some(CalSession { round: r.round, kind, start })
                    })
                    .collect();
                sessions.sort_by_key(|s| s.start);
                let session_days = sessions.iter().map(|s| s.start.date_naive());
                let first_day = session_days.clone().min().or_else(|| day(&r.first_date)).or_else(|| day(&r.date))?;
                let race_day = sessions
                    .iter()
                    .find(|s| s.kind == SessionType::Race)
                    .map(|s| s.start.date_naive())
                    .or_else(|| day(&r.date))
                    .or_else(|| session_days.max())?;
                Some(CalRound { round: r.round, name: r.name.clone(), first_day, race_day, sessions })
            })
            .collect();
        Self { season, rounds }
    }

    pub fn sessions(&self) -> impl Iterator<Item = &CalSession> {
        self.rounds.iter().flat_map(|r| r.sessions.iter())
    }

    /// Each round's race weekend `[start, end)`.
    pub fn weekends(&self, rule: &WeekendRule) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        self.rounds.iter().map(|r| weekend(r.first_day, r.race_day, rule)).collect()
    }

    pub fn is_race_weekend(&self, now: DateTime<Utc>, rule: &WeekendRule) -> bool {
        self.weekends(rule).iter().any(|(start, end)| *start <= now && now < *end)
    }

    /// The first session starting after `now`.
    pub fn next_session(&self, now: DateTime<Utc>) -> Option<(&CalRound, &CalSession)> {
        self.rounds
            .iter()
            .flat_map(|r| r.sessions.iter().map(move |s| (r, s)))
            .filter(|(_, s)| s.start > now)
            .min_by_key(|(_, s)| s.start)
    }
}

fn at(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    day.and_time(time).and_utc()
}

fn days_between(from: Weekday, to: Weekday) -> u64 {
    u64::from((to.num_days_from_monday() + 7 - from.num_days_from_monday()) % 7)
}

/// From the rule's start weekday on or before the first session's day, to
/// its end weekday strictly after the race day.
pub fn weekend(first_day: NaiveDate, race_day: NaiveDate, rule: &WeekendRule) -> (DateTime<Utc>, DateTime<Utc>) {
    let (start_day, start_time) = rule.start;
    let (end_day, end_time) = rule.end;
    let back = days_between(start_day, first_day.weekday());
    let start = first_day.checked_sub_days(Days::new(back)).unwrap_or(first_day);
    let forward = match days_between(race_day.weekday(), end_day) {
        0 => 7,
        n => n,
    };
    let end = race_day.checked_add_days(Days::new(forward)).unwrap_or(race_day);
    (at(start, start_time), at(end, end_time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> WeekendRule {
        WeekendRule {
            start: (Weekday::Thu, NaiveTime::from_hms_opt(0, 0, 0).unwrap()),
            end: (Weekday::Mon, NaiveTime::from_hms_opt(12, 0, 0).unwrap()),
        }
    }

    fn d(s: &str) -> NaiveDate {
        day(s).unwrap()
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn a_friday_to_sunday_weekend_runs_thursday_to_monday_noon() {
        let (start, end) = weekend(d("2024-04-19"), d("2024-04-21"), &rule());
        assert_eq!(start, t("2024-04-18T00:00:00Z"));
        assert_eq!(end, t("2024-04-22T12:00:00Z"));
    }

    #[test]
    fn a_saturday_race_and_a_thursday_start_follow_the_rule() {
        // Bahrain 2024: first practice Thursday, race Saturday.
        let (start, end) = weekend(d("2024-02-29"), d("2024-03-02"), &rule());
        assert_eq!(start, t("2024-02-29T00:00:00Z"));
        assert_eq!(end, t("2024-03-04T12:00:00Z"));
    }
}
