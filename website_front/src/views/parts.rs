//! Small pieces shared by the pages.
use content_types::{Round, Session, SessionStatus};
use std::collections::{HashMap, HashSet};

use maud::{Markup, html};

use super::fmt;

/// A link to a driver's page (plain text without an id).
pub fn driver(id: &str, name: &str) -> Markup {
    html! {
        @if id.is_empty() { (name) } @else { a href=(format!("/drivers/{id}")) { (name) } }
    }
}

/// The codes that name more than one driver in one table or chart (1994:
/// Berger, Bernard and Beretta were all BER), where a code alone would not
/// say who it is.
#[derive(Debug, Default)]
pub struct SharedCodes(HashSet<String>);

impl SharedCodes {
    /// From the `(driver id, code)` of everyone the table shows.
    pub fn of<'a>(drivers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut by_code: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (id, code) in drivers {
            if !code.is_empty() {
                by_code.entry(code).or_default().insert(id);
            }
        }
        Self(by_code.into_iter().filter(|(_, ids)| ids.len() > 1).map(|(code, _)| code.to_string()).collect())
    }

    /// The driver's short form: the code, or the surname where the code is shared.
    pub fn short<'a>(&self, name: &'a str, code: &'a str) -> &'a str {
        if self.0.contains(code) { name.split_once(' ').map_or(name, |(_, surname)| surname) } else { code }
    }
}

/// A driver's name, shortened to the three-letter code on a phone.
pub fn driver_short(id: &str, name: &str, code: &str) -> Markup {
    if code.is_empty() {
        return driver(id, name);
    }
    let inner = html! { span class="long" { (name) } abbr class="short" title=(name) { (code) } };
    html! {
        @if id.is_empty() { (inner) } @else { a href=(format!("/drivers/{id}")) { (inner) } }
    }
}

/// A round's name; "Grand Prix" is left out on a phone.
pub fn round_name(name: &str) -> Markup {
    html! {
        @match name.strip_suffix(" Grand Prix") {
            Some(place) => { (place) span class="long" { " Grand Prix" } },
            None => (name),
        }
    }
}

/// A link to a constructor's page (plain text without an id).
pub fn constructor(id: &str, name: &str) -> Markup {
    html! {
        @if id.is_empty() { (name) } @else { a href=(format!("/constructors/{id}")) { (name) } }
    }
}

/// The thin team-colour bar in front of a name (decorative).
pub fn bar(color: Option<&str>) -> Markup {
    html! { span class="team" style=[fmt::team_style(color)] aria-hidden="true" {} }
}

pub fn pill(status: &str) -> Markup {
    html! { span class=(format!("pill {status}")) { (fmt::status_label(status)) } }
}

/// On a session (or round) whose results are the order at the flag.
pub fn provisional_badge() -> Markup {
    html! { span class="pill provisional" role="note" { "Provisional — awaiting the official classification" } }
}

/// How long after its start a session's results are expected, and after
/// how long their absence is overdue (scheduler_api's defaults).
const RESULTS_EXPECTED_SECS: i64 = 3 * 3600;
const RESULTS_OVERDUE_SECS: i64 = 27 * 3600;

/// A session that has been held but whose results are not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    NotInYet,
    Overdue,
}

/// Whether `s` should have results by `now` and has none.
pub fn session_pending(s: &Session, now: i64) -> Option<Pending> {
    let start = s.start_time?;
    if !s.results.is_empty() || s.status == SessionStatus::Cancelled || now < start + RESULTS_EXPECTED_SECS {
        return None;
    }
    Some(if now >= start + RESULTS_OVERDUE_SECS { Pending::Overdue } else { Pending::NotInYet })
}

/// The race's missing results (the last session's when there is no race).
pub fn round_pending(r: &Round, now: i64) -> Option<Pending> {
    r.race().or(r.sessions.last()).and_then(|s| session_pending(s, now))
}

/// How long after its start a session counts as under way when nothing
/// says it ended: a race or sprint (with suspensions) 3 hours, others 1.5.
pub fn session_span_secs(s: &Session) -> i64 {
    match s.session_type {
        content_types::SessionType::Race | content_types::SessionType::Sprint => 3 * 3600,
        _ => 90 * 60,
    }
}

/// Whether `s` should be running at `now` by the timetable while nothing
/// live or final is stored for it: "under way, no live data yet".
pub fn under_way(s: &Session, now: i64) -> bool {
    s.start_time.is_some_and(|t| t <= now && now < t + session_span_secs(s))
        && s.results.is_empty()
        && !matches!(s.status, SessionStatus::Live | SessionStatus::Finished | SessionStatus::Cancelled)
}

/// A weekend with sessions held but no results stored: one line each.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingWeekend {
    pub season: i32,
    pub round: i32,
    pub name: String,
    /// How many of its held sessions lack results.
    pub sessions: usize,
    /// Overdue when any of them is.
    pub state: Pending,
}

/// The weekends of `rounds` with sessions held by `now` without results, in order.
pub fn pending_weekends(rounds: &[Round], now: i64) -> Vec<PendingWeekend> {
    rounds
        .iter()
        .filter_map(|r| {
            let states: Vec<Pending> = r.sessions.iter().filter_map(|s| session_pending(s, now)).collect();
            let state = if states.contains(&Pending::Overdue) { Pending::Overdue } else { *states.first()? };
            Some(PendingWeekend {
                season: r.season,
                round: r.round_id,
                name: r.name.clone(),
                sessions: states.len(),
                state,
            })
        })
        .collect()
}

/// How far a season in progress lags behind its calendar: set only when
/// sessions held lack their results.
#[derive(Debug, Clone, PartialEq)]
pub struct Freshness {
    /// The round the stored standings are after (0: none stored).
    pub standings_round: i32,
    /// Rounds held whose race (or last session) has no results.
    pub missing: Vec<i32>,
    /// The start of the latest session whose results are stored.
    pub last_results: Option<i64>,
}

/// What the stored data of a season says about itself at `now`.
pub fn freshness(rounds: &[Round], standings_round: i32, now: i64) -> Option<Freshness> {
    let missing: Vec<i32> = rounds.iter().filter(|r| round_pending(r, now).is_some()).map(|r| r.round_id).collect();
    if missing.is_empty() {
        return None;
    }
    let last_results =
        rounds.iter().flat_map(|r| &r.sessions).filter(|s| !s.results.is_empty()).filter_map(|s| s.start_time).max();
    Some(Freshness { standings_round, missing, last_results })
}

/// `12–22` or `3, 5–7`: round numbers as ranges.
pub fn ranges(rounds: &[i32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rounds.len() {
        let mut j = i;
        while j + 1 < rounds.len() && rounds[j + 1] == rounds[j] + 1 {
            j += 1;
        }
        out.push(if j == i { rounds[i].to_string() } else { format!("{}–{}", rounds[i], rounds[j]) });
        i = j + 1;
    }
    out.join(", ")
}

/// The notice a page of a lagging season starts with.
pub fn freshness_notice(f: &Freshness) -> Markup {
    let n = f.missing.len();
    html! {
        p class="notice" role="status" {
            strong { "Not up to date. " }
            @if f.standings_round > 0 { "Standings after round " (f.standings_round) "; " } @else { "No standings yet; " }
            "results missing for " (if n == 1 { "round " } else { "rounds " }) (ranges(&f.missing))
            @if let Some(ts) = f.last_results { "; last results stored: " (fmt::date_label(ts)) }
            "."
        }
    }
}

/// Pending weekends, one line each; past three, folded behind their count.
pub fn pending_list(weekends: &[PendingWeekend]) -> Markup {
    let lines = html! {
        ul class="pending" {
            @for w in weekends {
                li {
                    a href=(format!("/seasons/{}/rounds/{}", w.season, w.round)) { (w.name) }
                    " · " (w.sessions) (if w.sessions == 1 { " session " } else { " sessions " }) (pending(w.state))
                }
            }
        }
    };
    html! {
        @if weekends.len() > 3 {
            details class="pending-all" {
                summary { "Results not in yet for " (weekends.len()) " weekends" }
                (lines)
            }
        } @else {
            (lines)
        }
    }
}

/// A session held whose results are not stored yet.
pub fn pending(p: Pending) -> Markup {
    match p {
        Pending::NotInYet => html! { span class="pill pending" { "Results not in yet" } },
        Pending::Overdue => html! { span class="pill overdue" { "Results overdue" } },
    }
}

/// A start time in UTC that the script shows in the visitor's time zone.
pub fn local_time(ts: i64) -> Markup {
    html! { time datetime=(fmt::iso(ts)) data-local { (fmt::utc_label(ts)) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_code_gives_way_to_the_surname() {
        let codes = SharedCodes::of([("gerhard-berger", "BER"), ("eric-bernard", "BER"), ("damon-hill", "HIL")]);
        assert_eq!(codes.short("Gerhard Berger", "BER"), "Berger");
        assert_eq!(codes.short("Éric Bernard", "BER"), "Bernard");
        assert_eq!(codes.short("Damon Hill", "HIL"), "HIL");
        let one = SharedCodes::of([("max-verstappen", "VER"), ("max-verstappen", "VER")]);
        assert_eq!(one.short("Max Verstappen", "VER"), "VER", "one driver twice is not a clash");
    }
}
