//! `/drivers/{id}` and `/constructors/{id}`.
use content_types::{CareerRace, Constructor, ConstructorStanding, Driver, DriverStanding};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

/// A driver's seasons: their standing each year, and the latest season's races.
pub struct Career {
    pub driver: Driver,
    pub seasons: Vec<(i32, DriverStanding)>,
    /// The driver's races of their latest season, in round order.
    pub latest: Vec<CareerRace>,
}

/// A constructor's seasons and the drivers who scored for it each year.
pub struct TeamHistory {
    pub constructor: Constructor,
    pub seasons: Vec<(i32, ConstructorStanding, Vec<DriverStanding>)>,
}

fn age(dob: &str) -> Option<i64> {
    let born = chrono::NaiveDate::parse_from_str(dob, "%Y-%m-%d").ok()?;
    let today = chrono::Utc::now().date_naive();
    Some(i64::from(today.years_since(born)?))
}

fn race_by_race(c: &Career) -> Markup {
    let Some((year, _)) = c.seasons.first() else { return html! {} };
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
    let titles = c.seasons.iter().filter(|(_, s)| s.position == 1).count();
    let wins: i32 = c.seasons.iter().map(|(_, s)| s.stats.wins).sum();
    let podiums: i32 = c.seasons.iter().map(|(_, s)| s.stats.podiums).sum();
    let color = c.seasons.first().and_then(|(_, s)| s.team_color.as_deref());
    layout::render(
        &page,
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { "Drivers / " (name) }
            div class="hero" { div {
                h1 { (parts::bar(color)) (name) }
                p { (d.nationality)
                    @if let Some(n) = d.permanent_number { " · #" (n) }
                    @if let Some(code) = &d.code { " · " span class="code" { (code) } }
                    @if let Some(dob) = &d.date_of_birth { " · born " (fmt::day(dob)) @if let Some(a) = age(dob) { " (" (a) ")" } }
                }
            } }
            dl class="card facts" {
                div { dt { "Seasons" } dd { (c.seasons.len()) } }
                div { dt { "Titles" } dd { (titles) } }
                div { dt { "Wins" } dd { (wins) } }
                div { dt { "Podiums" } dd { (podiums) } }
            }
            section class="card" {
                div class="scroll" {
                    table {
                        caption { "Season by season" small { "seasons in this site’s data" } }
                        thead { tr {
                            th scope="col" { "Season" } th scope="col" { "Team" } th scope="col" class="n" { "Pos" }
                            th scope="col" class="n" { "Pts" } th scope="col" class="n opt" { "Wins" }
                            th scope="col" class="n opt" { "Podiums" } th scope="col" class="n opt" { "Poles" }
                        } }
                        tbody {
                            @for (y, s) in &c.seasons {
                                tr {
                                    th scope="row" { a href=(format!("/seasons/{y}")) { (y) } }
                                    td { (parts::bar(s.team_color.as_deref())) (parts::constructor(&s.constructor_id, &s.team)) }
                                    td class="n pos" { (s.position_text) }
                                    td class="n pts" { (fmt::points(s.points)) }
                                    td class="n opt" { (s.stats.wins) } td class="n opt" { (s.stats.podiums) } td class="n opt" { (s.stats.poles) }
                                }
                            }
                            @if c.seasons.is_empty() { tr { td colspan="7" class="muted" { "No championship results in this site’s data." } } }
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
    let titles = t.seasons.iter().filter(|(_, s, _)| s.position == 1).count();
    let wins: i32 = t.seasons.iter().map(|(_, s, _)| s.stats.wins).sum();
    layout::render(
        &page,
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { "Constructors / " (c.name) }
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
                        caption { "Season by season" small { "seasons in this site’s data" } }
                        thead { tr {
                            th scope="col" { "Season" } th scope="col" class="n" { "Pos" } th scope="col" class="n" { "Pts" }
                            th scope="col" class="n opt" { "Wins" } th scope="col" class="n opt" { "Podiums" } th scope="col" { "Drivers" }
                        } }
                        tbody {
                            @for (y, s, crew) in &t.seasons {
                                tr {
                                    th scope="row" { a href=(format!("/seasons/{y}")) { (y) } }
                                    td class="n pos" { (s.position_text) }
                                    td class="n pts" { (fmt::points(s.points)) }
                                    td class="n opt" { (s.stats.wins) } td class="n opt" { (s.stats.podiums) }
                                    td class="wrap-ok" {
                                        @for (i, d) in crew.iter().enumerate() {
                                            @if i > 0 { ", " } (parts::driver(&d.driver_id, &d.driver_name))
                                        }
                                    }
                                }
                            }
                            @if t.seasons.is_empty() { tr { td colspan="6" class="muted" { "No championship results in this site’s data." } } }
                        }
                    }
                }
            }
        },
    )
}
