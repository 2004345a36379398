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

/// Every session of `rounds` held by `now` without results, in order.
pub fn pending_sessions(rounds: &[Round], now: i64) -> Vec<(Round, Session, Pending)> {
    rounds
        .iter()
        .flat_map(|r| r.sessions.iter().filter_map(move |s| session_pending(s, now).map(|p| (r.clone(), s.clone(), p))))
        .collect()
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
