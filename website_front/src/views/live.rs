//! `/live`: the live board. The server renders the board as it stands;
//! `live.js` then follows `/live/stream` and redraws the same markup from
//! each event (the class names and ids here are what it fills), and without
//! scripts the page reloads itself every [`REFRESH_SECS`].
use championship::Championship;
use championship::standing_now::AsItStands;
use content_types::{Live, LiveDriver, Round, Session, SessionStatus, SessionType};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

/// How often the page reloads itself when scripts are off.
pub const REFRESH_SECS: u64 = 15;

/// What the live page shows.
pub struct Board {
    /// The board being run now, or the last session's final one.
    pub live: Option<Live>,
    /// A session the timetable says is running while no live data came.
    pub under_way: Option<(Round, Session)>,
    /// The next session to start, with its round.
    pub next: Option<(Round, Session)>,
    /// "If it finished now": the title fight from the live order (races and sprints).
    pub as_it_stands: Option<Markup>,
    /// Seconds the board is held back (`?delay=`), to match a delayed broadcast.
    pub delay: u32,
    /// Track map, lap and tyre charts, trends ([`super::live_plus`]).
    pub extras: Option<super::live_plus::Extras>,
}

/// The longest delay `?delay=` may ask for, in seconds (content_api's bound).
pub const MAX_DELAY: u32 = 300;

/// The steps the delay control offers, in seconds.
const STEPS: [i64; 4] = [-5, -1, 1, 5];

/// "Delay to match your broadcast": a plain GET form (the number, and
/// links a step away), so it works without scripts; `live.js` remembers
/// the choice.
fn delay_control(delay: u32) -> Markup {
    let max = i64::from(MAX_DELAY);
    html! {
        form id="live-delay" class="delay" method="get" action="/live" {
            label for="live-delay-input" { "Delay to match your broadcast" }
            " "
            input id="live-delay-input" type="number" name="delay" min="0" max=(max) step="1" value=(delay)
                inputmode="numeric" aria-describedby="live-delay-note";
            " s "
            @for step in STEPS {
                @let to = (i64::from(delay) + step).clamp(0, max);
                a class="step" href=(format!("/live?delay={to}")) data-delay=(to)
                    aria-label=(format!("{} {} s", if step < 0 { "Less delay:" } else { "More delay:" }, step.abs())) {
                    (if step < 0 { "−" } else { "+" }) (step.abs()) " s"
                }
                " "
            }
            button type="submit" { "Set" }
            p id="live-delay-note" class="note" role="status" {
                @if delay > 0 {
                    "The board is delayed by " strong { (delay) " s" } ", to match your broadcast."
                } @else {
                    "The board is live, with no delay."
                }
            }
        }
    }
}

/// The banner's words for a TrackStatus slug; none when the track is clear.
pub fn track_label(slug: &str) -> Option<&'static str> {
    Some(match slug {
        "yellow" => "Yellow flag",
        "safety_car" => "Safety car",
        "vsc_deployed" => "Virtual safety car",
        "vsc_ending" => "Virtual safety car ending",
        "red" => "Red flag",
        _ => return None,
    })
}

fn title(l: &Live) -> String {
    let kind = fmt::session_name(l.session_type, l.season);
    let session = if l.session_name.is_empty() { kind } else { l.session_name.as_str() };
    if l.meeting_name.is_empty() {
        format!("{} {session}", l.season)
    } else {
        format!("{} {} · {session}", l.season, l.meeting_name)
    }
}

fn is_race(l: &Live) -> bool {
    matches!(l.session_type, SessionType::Race | SessionType::Sprint)
}

fn row(d: &LiveDriver, race: bool, trend: Option<&super::live_plus::Trend>) -> Markup {
    use super::live_plus::badge;
    let out = d.retired || d.stopped || d.knocked_out;
    html! {
        tr class=[out.then_some("out")] data-car=(d.driver_number) {
            td class="n" { (d.position) }
            td class="who" {
                (parts::bar(Some(d.team_color.as_str()).filter(|c| fmt::valid_color(c))))
                abbr class="code" title=(d.driver_name) { (d.driver_code) }
                span class="long muted" { " " (d.team) }
            }
            td class="n" { @if d.position == 1 && race { "Leader" } @else { (d.gap_to_leader) } (badge(trend.and_then(|t| t.gap), "the leader")) }
            td class="n" { (d.interval) (badge(trend.and_then(|t| t.interval), "the car ahead")) }
            td class="n long" { (d.last_lap) }
            td class="n long" { (d.best_lap) }
            td class="tyres" {
                @if !d.tyre.is_empty() {
                    span class=(format!("tyre t-{}", d.tyre.to_lowercase())) title=(d.tyre) { (d.tyre.chars().next().unwrap_or('?')) }
                    " " (d.tyre_age)
                }
            }
            td class="n" {
                (d.pit_count)
                @if d.in_pit { " " span class="pill pit" { "PIT" } }
                @if d.retired { " " span class="pill out" { "OUT" } }
                @else if d.stopped { " " span class="pill out" { "STOPPED" } }
            }
        }
    }
}

fn leaderboard(l: &Live, trends: Option<&std::collections::BTreeMap<i32, super::live_plus::Trend>>) -> Markup {
    let race = is_race(l);
    html! {
        div class="scroll" {
            table id="leaderboard" {
                caption class="sr-only" { "Leaderboard" }
                thead { tr {
                    th class="n" scope="col" { "Pos" } th scope="col" { "Driver" }
                    th class="n" scope="col" id="live-gap-head" { (if race { "Gap" } else { "Best gap" }) }
                    th class="n" scope="col" { "Int" }
                    th class="n long" scope="col" { "Last" } th class="n long" scope="col" { "Best" }
                    th scope="col" { "Tyre" } th class="n" scope="col" { "Pits" }
                } }
                tbody { @for d in &l.leaderboard { (row(d, race, trends.and_then(|t| t.get(&d.driver_number)))) } }
            }
        }
    }
}

fn head(l: &Live) -> Markup {
    let live = l.status == SessionStatus::Live;
    html! {
        div class="hero" {
            div {
                h1 id="live-title" { (title(l)) }
                p class="live-meta" {
                    span id="live-status" { (parts::pill(l.status.as_str())) }
                    @if l.total_laps > 0 { " · " span id="live-lap" { "Lap " (l.current_lap) " of " (l.total_laps) } }
                    @else { span id="live-lap" {} }
                    " · " span id="live-clock" data-remaining=(l.clock_remaining) data-at=(l.clock_at)
                        data-running=(if live && l.clock_running { "1" } else { "0" }) { (l.clock_remaining) }
                }
            }
            // Round 0: live, but not placed in the stored calendar yet.
            @if l.round > 0 { a href=(format!("/seasons/{}/rounds/{}", l.season, l.round)) { "The weekend →" } }
        }
        div id="live-track" class=(format!("banner track {}", l.track_status)) role="status"
            hidden[track_label(&l.track_status).is_none()] {
            (track_label(&l.track_status).unwrap_or_default())
            @if !l.track_status_message.is_empty() { " · " (l.track_status_message) }
        }
        p id="live-stale" class="note" role="status" hidden { "No news from the timing feed for a while: the board may be behind." }
    }
}

fn side(l: &Live) -> Markup {
    html! {
        div class="card" id="live-weather" {
            h2 { "Weather" }
            @match &l.weather {
                Some(w) => p {
                    "Air " (format!("{:.1}", w.air_temp)) " °C · track " (format!("{:.1}", w.track_temp)) " °C · humidity "
                    (format!("{:.0}", w.humidity)) " % · wind " (format!("{:.1}", w.wind_speed)) " m/s"
                    @if w.rainfall { " · " strong { "rain" } }
                },
                None => p id="live-weather-text" class="muted" { "No weather data." },
            }
        }
        div class="card" {
            h2 { "Race control" }
            ol id="live-rc" class="rc" reversed {
                @for m in l.race_control.iter().rev().take(12) {
                    li { @if m.lap > 0 { span class="muted" { "Lap " (m.lap) " · " } } (m.message) }
                }
            }
        }
    }
}

fn next_session(under_way: &Option<(Round, Session)>, next: &Option<(Round, Session)>) -> Markup {
    html! {
        div class="card" {
            @if let Some((r, s)) = under_way {
                p class="notice" role="status" {
                    a href=(format!("/seasons/{}/rounds/{}", r.season, r.round_id)) { (r.name) } " · "
                    strong { (fmt::session_name(s.session_type, r.season)) " under way" }
                    " — no live data yet. This page shows it as soon as the timing feed answers."
                }
            }
            @match next {
                Some((r, s)) => {
                    p { "Next: " a href=(format!("/seasons/{}/rounds/{}", r.season, r.round_id)) { (r.name) } " · "
                        strong { (fmt::session_name(s.session_type, r.season)) } " · "
                        @if let Some(ts) = s.start_time { (parts::local_time(ts)) } }
                    @if let Some(ts) = s.start_time {
                        p class="big" data-countdown=(fmt::iso(ts)) aria-live="off" { "starts " (fmt::utc_label(ts)) }
                    }
                },
                None => p { "No session is scheduled." },
            }
        }
    }
}

/// The board's frame when nothing was ever live: the script fills it in
/// when a session begins.
fn nothing_yet() -> Live {
    Live {
        season: 0,
        round: 0,
        session_type: SessionType::Unspecified,
        session_name: String::new(),
        meeting_name: String::new(),
        status: SessionStatus::Unspecified,
        track_status: String::new(),
        track_status_message: String::new(),
        current_lap: 0,
        total_laps: 0,
        leaderboard: Vec::new(),
        race_control: Vec::new(),
        weather: None,
        updated_at: 0,
        session_part: 0,
        clock_remaining: String::new(),
        clock_at: 0,
        clock_running: false,
        heartbeat_at: 0,
    }
}

pub fn page(b: &Board) -> Markup {
    let mut page =
        Page::new("Live timing", "The live board: order, gaps, tyres, flags and race control.", Section::Live);
    page.refresh_without_script = Some(REFRESH_SECS);
    page.script = Some("live.js");
    let live_now = b.live.as_ref().is_some_and(|l| l.status == SessionStatus::Live);
    let blank = nothing_yet();
    let l = b.live.as_ref().unwrap_or(&blank);
    layout::render(
        &page,
        html! {
            section id="live" data-stream=(with_delay("/live/stream", b.delay)) data-fight=(with_delay("/live/fight", b.delay))
                data-delay=(b.delay) data-live=(if live_now { "1" } else { "0" }) {
                (delay_control(b.delay))
                p id="live-none" class="big" hidden[b.live.is_some()] { "No session is live right now." }
                div id="live-body" hidden[b.live.is_none()] {
                    (head(l))
                    div class="grid split live-grid" {
                        div class="card" { (leaderboard(l, b.extras.as_ref().map(|e| &e.trends))) }
                        div { (side(l)) }
                    }
                    div id="live-plus" data-src=(if b.delay == 0 { "/live/charts".to_string() } else { format!("/live/charts?delay={}", b.delay) }) { @if let Some(e) = &b.extras { (e.markup) } }
                }
                div id="live-fight" { @if let Some(f) = &b.as_it_stands { (f) } }
                div id="live-next" hidden[live_now] { (next_session(&b.under_way, &b.next)) }
            }
        },
    )
}

fn with_delay(path: &str, delay: u32) -> String {
    if delay == 0 { path.to_string() } else { format!("{path}?delay={delay}") }
}

/// The title fight if the live race or sprint finished now.
pub fn as_it_stands(s: &AsItStands, c: &Championship) -> Markup {
    let top = c.drivers.as_ref().map(|f| f.standings.iter().take(5).collect::<Vec<_>>()).unwrap_or_default();
    html! {
        div class="card" id="as-it-stands" {
            div class="kicker" { "As it stands" @if s.lap > 0 { " · lap " (s.lap) } }
            p class="verdict" { (s.note) }
            ol class="podium" aria-label="The championship if it finished now" {
                @for d in top {
                    li {
                        span class="p" { (d.position) }
                        span { (parts::driver(&d.id, &d.name)) }
                        span class="muted" { (fmt::points(d.points)) " pts" }
                    }
                }
            }
            p class="muted" { "Provisional points from the live order, by the season’s rules." }
        }
    }
}
