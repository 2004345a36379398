//! `/drivers/{id}` and `/constructors/{id}`.
use content_types::{CareerRace, Constructor, ConstructorSeason, Driver, DriverSeason, SeasonEntry};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

/// A driver's seasons: every team they raced for each year with their
/// standing, and the latest season's races.
pub struct Career {
    pub driver: Driver,
    /// Newest first.
    pub seasons: Vec<DriverSeason>,
    /// The driver's races of their latest season, in round order.
    pub latest: Vec<CareerRace>,
}

/// A constructor's seasons and the drivers who raced for it each year.
pub struct TeamHistory {
    pub constructor: Constructor,
    /// Newest first.
    pub seasons: Vec<ConstructorSeason>,
}

/// Whole years from `from` to `to` (today when `None`).
fn age(dob: &str, to: Option<&str>) -> Option<i64> {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let born = day(dob)?;
    let until = match to {
        Some(d) => day(d)?,
        None => chrono::Utc::now().date_naive(),
    };
    Some(i64::from(until.years_since(born)?))
}

/// `#0`, `#27 · #28`: the numbers as raced (0 was a number too).
fn numbers(e: &SeasonEntry) -> String {
    e.numbers.iter().map(|n| format!("#{n}")).collect::<Vec<_>>().join(" · ")
}

/// What the driver's season counts for: the standing when there is one,
/// the entries otherwise.
struct Tally {
    wins: i32,
    podiums: i32,
    poles: i32,
    points: f64,
}

fn tally(entries: &[SeasonEntry]) -> Tally {
    Tally {
        wins: entries.iter().map(|e| e.wins).sum(),
        podiums: entries.iter().map(|e| e.podiums).sum(),
        poles: entries.iter().map(|e| e.poles).sum(),
        points: entries.iter().map(|e| e.points).sum(),
    }
}

fn driver_tally(s: &DriverSeason) -> Tally {
    match &s.standing {
        Some(st) => Tally { wins: st.stats.wins, podiums: st.stats.podiums, poles: st.stats.poles, points: st.points },
        None => tally(&s.entries),
    }
}

fn constructor_tally(s: &ConstructorSeason) -> Tally {
    match &s.standing {
        Some(st) => Tally { wins: st.stats.wins, podiums: st.stats.podiums, poles: st.stats.poles, points: st.points },
        None => tally(&s.entries),
    }
}

/// A season's place, or a dash when the standings leave the season out.
fn place(position_text: Option<&str>, why: &str) -> Markup {
    html! {
        @match position_text {
            Some(p) => (p),
            None => abbr title=(why) { "–" },
        }
    }
}

fn race_by_race(c: &Career) -> Markup {
    let Some(year) = c.seasons.first().map(|s| s.season) else { return html! {} };
    html! {
        section class="card" {
            div class="scroll" {
                table {
                    caption { "Races in " (year) }
                    thead { tr {
                        th scope="col" class="n" { "Rd" } th scope="col" { "Grand Prix" }
                        th scope="col" class="n opt" { "Grid" } th scope="col" class="n" { "Result" }
                        th scope="col" class="opt" { "Status" } th scope="col" class="n opt" { "Sprint" } th scope="col" class="n" { "Pts" }
                    } }
                    tbody {
                        @for r in &c.latest {
                            tr {
                                td class="n" { (r.round) }
                                th scope="row" { a href=(format!("/seasons/{}/rounds/{}", r.season, r.round)) { (r.name) } }
                                td class="n opt" { @if let Some(grid) = r.grid { (grid) } }
                                td class="n pos" { (r.position_text) }
                                td class="opt" { (r.status) }
                                td class="n opt" { @if let Some(s) = &r.sprint_position_text { (s) } }
                                td class="n pts" { (fmt::points(r.points)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn driver(c: &Career) -> Markup {
    let d = &c.driver;
    let name = if d.full_name.is_empty() { format!("{} {}", d.first_name, d.last_name) } else { d.full_name.clone() };
    let description = format!("{name}: Formula 1 seasons and results.");
    let page = Page::new(&name, &description, Section::Other);
    let titles = c.seasons.iter().filter(|s| s.standing.as_ref().is_some_and(|s| s.position == 1)).count();
    let wins: i32 = c.seasons.iter().map(|s| driver_tally(s).wins).sum();
    let podiums: i32 = c.seasons.iter().map(|s| driver_tally(s).podiums).sum();
    let starts: i32 = c.seasons.iter().flat_map(|s| &s.entries).map(|e| e.starts).sum();
    let color = c.seasons.first().and_then(|s| s.entries.last()).and_then(|e| e.team_color.as_deref());
    let died = d.date_of_death.as_deref();
    layout::render(
        &page,
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { a href="/drivers" { "Drivers" } " / " (name) }
            div class="hero" { div {
                h1 { (parts::bar(color)) (name) }
                p { (d.nationality)
                    @if let Some(n) = d.permanent_number { " · #" (n) }
                    @if let Some(code) = &d.code { " · " span class="code" { (code) } }
                    @if let Some(dob) = &d.date_of_birth {
                        " · born " (fmt::day(dob))
                        @if died.is_none() { @if let Some(a) = age(dob, None) { " (" (a) ")" } }
                    }
                    @if let Some(dod) = died {
                        " · died " (fmt::day(dod))
                        @if let Some(a) = d.date_of_birth.as_deref().and_then(|dob| age(dob, Some(dod))) { " (aged " (a) ")" }
                    }
                }
            } }
            dl class="card facts" {
                div { dt { "Seasons" } dd { (c.seasons.len()) } }
                div { dt { "Starts" } dd { (starts) } }
                div { dt { "Titles" } dd { (titles) } }
                div { dt { "Wins" } dd { (wins) } }
                div { dt { "Podiums" } dd { (podiums) } }
            }
            section class="card" {
                div class="scroll" {
                    table {
                        caption { "Season by season" small { "every race entry in this site’s data" } }
                        thead { tr {
                            th scope="col" { "Season" } th scope="col" { "Team" } th scope="col" class="n" { "Pos" }
                            th scope="col" class="n" { "Pts" } th scope="col" class="n opt" { "Wins" }
                            th scope="col" class="n opt" { "Podiums" } th scope="col" class="n opt" { "Poles" }
                        } }
                        tbody {
                            @for s in &c.seasons {
                                @let t = driver_tally(s);
                                tr {
                                    th scope="row" { a href=(format!("/seasons/{}", s.season)) { (s.season) } }
                                    td class="wrap-ok" {
                                        @for (i, e) in s.entries.iter().enumerate() {
                                            @if i > 0 { br; }
                                            (parts::bar(e.team_color.as_deref())) (parts::constructor(&e.constructor_id, &e.team))
                                            " " span class="muted num" { (numbers(e)) }
                                        }
                                        @if s.entries.is_empty() { @if let Some(st) = &s.standing {
                                            (parts::bar(st.team_color.as_deref())) (parts::constructor(&st.constructor_id, &st.team))
                                        } }
                                    }
                                    td class="n pos" { (place(s.standing.as_ref().map(|st| st.position_text.as_str()), "Not in the final standings")) }
                                    td class="n pts" { (fmt::points(t.points)) }
                                    td class="n opt" { (t.wins) } td class="n opt" { (t.podiums) } td class="n opt" { (t.poles) }
                                }
                            }
                            @if c.seasons.is_empty() { tr { td colspan="7" class="muted" { "No race entries in this site’s data." } } }
                        }
                    }
                }
            }
            (race_by_race(c))
        },
    )
}

pub fn constructor(t: &TeamHistory) -> Markup {
    let c = &t.constructor;
    let name = if c.full_name.is_empty() { c.name.clone() } else { c.full_name.clone() };
    let description = format!("{name}: Formula 1 seasons and drivers.");
    let page = Page::new(&c.name, &description, Section::Other);
    let titles = t.seasons.iter().filter(|s| s.standing.as_ref().is_some_and(|s| s.position == 1)).count();
    let wins: i32 = t.seasons.iter().map(|s| constructor_tally(s).wins).sum();
    layout::render(
        &page,
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { a href="/constructors" { "Constructors" } " / " (c.name) }
            div class="hero" { div {
                h1 { (parts::bar(c.color.as_deref())) (c.name) }
                p { (name) @if !c.nationality.is_empty() { " · " (c.nationality) } }
            } }
            dl class="card facts" {
                div { dt { "Seasons" } dd { (t.seasons.len()) } }
                div { dt { "Titles" } dd { (titles) } }
                div { dt { "Wins" } dd { (wins) } }
            }
            section class="card" {
                div class="scroll" {
                    table {
                        caption { "Season by season" small { "every race entry in this site’s data" } }
                        thead { tr {
                            th scope="col" { "Season" } th scope="col" class="n" { "Pos" } th scope="col" class="n" { "Pts" }
                            th scope="col" class="n opt" { "Wins" } th scope="col" class="n opt" { "Podiums" } th scope="col" { "Drivers" }
                        } }
                        tbody {
                            @for s in &t.seasons {
                                @let tl = constructor_tally(s);
                                tr {
                                    th scope="row" { a href=(format!("/seasons/{}", s.season)) { (s.season) } }
                                    td class="n pos" { (place(s.standing.as_ref().map(|st| st.position_text.as_str()), "No constructors’ standing that season")) }
                                    td class="n pts" { (fmt::points(tl.points)) }
                                    td class="n opt" { (tl.wins) } td class="n opt" { (tl.podiums) }
                                    td class="wrap-ok" {
                                        @for (i, e) in s.entries.iter().enumerate() {
                                            @if i > 0 { ", " } (parts::driver(&e.driver_id, &e.driver_name))
                                            " " span class="muted num" { (numbers(e)) }
                                        }
                                        @if s.entries.is_empty() {
                                            @for (i, d) in s.drivers.iter().enumerate() {
                                                @if i > 0 { ", " } (parts::driver(&d.driver_id, &d.driver_name))
                                            }
                                        }
                                    }
                                }
                            }
                            @if t.seasons.is_empty() { tr { td colspan="6" class="muted" { "No race entries in this site’s data." } } }
                        }
                    }
                }
            }
        },
    )
}
