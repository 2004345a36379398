//! `/`: the season at a glance.
use std::collections::HashMap;

use content_types::{ConstructorStandings, DriverStandings, Live, Round, Season, Session, SessionStatus};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

/// What the home page shows.
pub struct Glance {
    pub season: Season,
    pub rounds: Vec<Round>,
    pub drivers: Option<DriverStandings>,
    pub constructors: Option<ConstructorStandings>,
    pub live: Option<Live>,
    /// The next session to start, with its round.
    pub next: Option<(Round, Session)>,
    /// Weekends with sessions held whose results are not stored yet.
    pub pending: Vec<parts::PendingWeekend>,
    /// A session the timetable says is running while no live data came.
    pub under_way: Option<(Round, Session)>,
    /// How far the stored data lags, when it does.
    pub freshness: Option<parts::Freshness>,
}

fn live_banner(l: &Live) -> Markup {
    html! {
        div class="banner" role="status" {
            span class="dot" aria-hidden="true" {}
            span {
                "Live now: "
                a href=(format!("/seasons/{}/rounds/{}", l.season, l.round)) {
                    @if l.session_name.is_empty() { (fmt::session_name(l.session_type, l.season)) } @else { (l.session_name) }
                }
                @if l.total_laps > 0 { " · lap " (l.current_lap) " of " (l.total_laps) }
                " · " a href="/live" { "Follow it live →" }
            }
        }
    }
}

fn under_way_banner(r: &Round, s: &Session) -> Markup {
    html! {
        div class="banner" role="status" {
            span {
                a href=(format!("/seasons/{}/rounds/{}", r.season, r.round_id)) {
                    (r.name) " · " (fmt::session_name(s.session_type, r.season))
                }
                " under way — no live data yet."
            }
        }
    }
}

fn leader_card(g: &Glance) -> Markup {
    let standings = g.drivers.as_ref().map(|d| d.standings.as_slice()).unwrap_or_default();
    let done = g.season.completed();
    html! {
        div class="card" {
            div class="kicker" { @if done { "Champion" } @else { "Championship leader" } }
            @match standings.first() {
                Some(l) => {
                    div class="big" { (parts::bar(l.team_color.as_deref())) (parts::driver(&l.driver_id, &l.driver_name)) }
                    p { strong { (fmt::points(l.points)) " points" } " · " (l.team) }
                    @if let Some(second) = standings.get(1) {
                        p class="muted" {
                            (fmt::points(l.points - second.points)) " points ahead of "
                            (parts::driver(&second.driver_id, &second.driver_name))
                        }
                    }
                },
                None => p class="muted" { "No standings yet." },
            }
        }
    }
}

fn podium_card(rounds: &[Round], colors: &HashMap<String, String>) -> Markup {
    let last = rounds.iter().rev().find(|r| r.winner().is_some());
    html! {
        div class="card" {
            div class="kicker" { "Last race" }
            @match last.and_then(|r| r.race().map(|race| (r, race))) {
                Some((r, race)) => {
                    h2 { a href=(format!("/seasons/{}/rounds/{}", r.season, r.round_id)) { (r.name) } }
                    ol class="podium" aria-label="Podium" {
                        @for p in race.results.iter().filter(|p| (1..=3).contains(&p.position)) {
                            li {
                                span class="p" { (p.position) }
                                span { (parts::bar(colors.get(&p.constructor_id).map(String::as_str))) (parts::driver(&p.driver_id, &p.driver_name)) }
                                span class="muted" { @if p.position == 1 { (p.time) } @else { (if p.gap.is_empty() { &p.time } else { &p.gap }) } }
                            }
                        }
                    }
                },
                None => p class="muted" { "No race has been run yet." },
            }
        }
    }
}

fn next_card(g: &Glance) -> Markup {
    html! {
        div class="card next" {
            div class="kicker" { "Next session" }
            @match &g.next {
                Some((r, s)) => {
                    h2 { a href=(format!("/seasons/{}/rounds/{}", r.season, r.round_id)) { (r.name) } }
                    p { strong { (fmt::session_name(s.session_type, r.season)) } " · "
                        @if let Some(ts) = s.start_time { (parts::local_time(ts)) } }
                    @if let Some(ts) = s.start_time {
                        p class="big" data-countdown=(fmt::iso(ts)) aria-live="off" { "starts " (fmt::utc_label(ts)) }
                    }
                },
                None => {
                    p { "No session is scheduled." }
                    @if g.season.completed() { p class="muted" { "The " (g.season.year) " season is over; next season’s calendar is not out yet." } }
                },
            }
            // Held sessions without results, honestly, after what comes next:
            // one line per weekend.
            @if !g.pending.is_empty() {
                div class="kicker" { "Results not in yet" }
                (parts::pending_list(&g.pending))
            }
        }
    }
}

pub fn page(g: &Glance) -> Markup {
    let year = g.season.year;
    let title = format!("{year} season at a glance");
    let page = Page::new(&title, "Formula 1 now: the leader, the last podium and the next session.", Section::Home);
    let colors: HashMap<String, String> = g
        .constructors
        .iter()
        .flat_map(|t| &t.standings)
        .filter_map(|c| c.color.clone().map(|col| (c.constructor_id.clone(), col)))
        .collect();
    layout::render(
        &page,
        html! {
            // After a session its final board stays stored: no banner then.
            @match g.live.as_ref().filter(|l| l.status == SessionStatus::Live) {
                Some(l) => (live_banner(l)),
                None => @if let Some((r, s)) = &g.under_way { (under_way_banner(r, s)) },
            }
            div class="hero" {
                div {
                    h1 { (year) " season" }
                    p {
                        @if g.season.current_round > 0 { "After round " (g.season.current_round) " of " (g.season.total_rounds) }
                        @else { (g.season.total_rounds) " rounds, the first still to come" }
                        " · " (parts::pill(g.season.status.as_str()))
                    }
                }
                a href=(format!("/seasons/{year}")) { "Calendar, standings and the title fight →" }
            }
            @if let Some(f) = &g.freshness { (parts::freshness_notice(f)) }
            div class="grid" {
                (next_card(g))
                (leader_card(g))
                (podium_card(&g.rounds, &colors))
            }
            div class="grid split" {
                @if let Some(d) = &g.drivers { div class="card" { (super::season::driver_table(&top(d, 10), g.season.completed())) } }
                @if let Some(c) = &g.constructors { div class="card" { (super::season::constructor_table(c, g.season.completed())) } }
            }
        },
    )
}

fn top(d: &DriverStandings, n: usize) -> DriverStandings {
    DriverStandings { standings: d.standings.iter().take(n).cloned().collect(), ..d.clone() }
}

pub fn empty() -> Markup {
    let page = Page::new("willitbemax", "Formula 1 data.", Section::Home);
    layout::render(
        &page,
        html! {
            div class="card error" {
                h1 { "No seasons yet" }
                p { "The data store is empty. Import the bundled F1 data and come back." }
            }
        },
    )
}
