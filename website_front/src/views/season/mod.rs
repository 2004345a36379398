//! `/seasons/{year}`: the calendar, the standings, the progression chart
//! and the title fight.
mod calendar;
pub mod fight;
mod progression;
mod standings;
pub mod whatif;

use std::collections::HashMap;

use championship::Championship;
use content_types::{ConstructorStandings, DriverStandings, Progression, RoundList, Season};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

pub use calendar::calendar;
pub use standings::{constructor_table, driver_table};

/// Everything the season page shows, fetched at once.
pub struct SeasonData {
    pub season: Season,
    pub rounds: RoundList,
    pub drivers: Option<DriverStandings>,
    pub constructors: Option<ConstructorStandings>,
    pub progression: Option<Progression>,
    pub championship: Option<Championship>,
    /// Every stored season's year, for the links to the previous and next.
    pub years: Vec<i32>,
    /// When the page is rendered (unix seconds): sessions held without
    /// results are shown as such.
    pub now: i64,
}

/// Team colours by constructor id, from the constructors' standings.
pub fn team_colors(d: &SeasonData) -> HashMap<String, String> {
    d.constructors
        .iter()
        .flat_map(|t| &t.standings)
        .filter_map(|c| c.color.clone().map(|col| (c.constructor_id.clone(), col)))
        .collect()
}

fn headline(d: &SeasonData) -> Markup {
    let s = &d.season;
    let leader = d.drivers.as_ref().and_then(|t| t.standings.first());
    let team = d.constructors.as_ref().and_then(|t| t.standings.first());
    let done = s.completed();
    html! {
        div class="grid" {
            @if let Some(l) = leader {
                div class="card" {
                    div class="kicker" { @if done && s.champion_driver.is_some() { "Drivers’ champion" } @else { "Drivers’ leader" } }
                    div class="big" { (parts::bar(l.team_color.as_deref())) (parts::driver(&l.driver_id, &l.driver_name)) }
                    p class="muted" { (fmt::points(l.points)) " points · " (l.stats.wins) " wins · " (l.team) }
                }
            }
            @if let Some(t) = team {
                div class="card" {
                    div class="kicker" { @if done && s.champion_constructor.is_some() { "Constructors’ champion" } @else { "Constructors’ leader" } }
                    div class="big" { (parts::bar(t.color.as_deref())) (parts::constructor(&t.constructor_id, &t.name)) }
                    p class="muted" { (fmt::points(t.points)) " points · " (t.stats.wins) " wins" }
                }
            }
        }
    }
}

pub fn page(d: &SeasonData) -> Markup {
    let s = &d.season;
    let year = s.year;
    let title = format!("{year} season");
    let description = format!("The {year} Formula 1 season: calendar, standings and the title fight.");
    let page = Page::new(&title, &description, Section::Seasons);
    let span = fmt::weekend(s.first_date.as_deref().unwrap_or(""), s.end_date.as_deref().unwrap_or(""));
    layout::render(
        &page,
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { a href="/seasons" { "Seasons" } " / " (year) }
            div class="hero" {
                div {
                    h1 { (year) " Formula 1 season" }
                    p { (s.total_rounds) " rounds · " (span) " · " (parts::pill(s.status.as_str())) }
                }
                nav class="pager" aria-label="Other seasons" {
                    @if d.years.contains(&(year - 1)) { a href=(format!("/seasons/{}", year - 1)) { "← " (year - 1) } }
                    @if d.years.contains(&(year + 1)) { a href=(format!("/seasons/{}", year + 1)) { (year + 1) " →" } }
                }
            }
            @if !s.completed() {
                @if let Some(f) = parts::freshness(&d.rounds.rounds, d.drivers.as_ref().map_or(0, |t| t.round), d.now) {
                    (parts::freshness_notice(&f))
                }
            }
            (headline(d))
            @if let Some(c) = &d.championship { (fight::panel(c, s.completed(), d.progression.as_ref())) }
            @if let Some(p) = &d.progression { (progression::section(p)) }
            (calendar(&d.rounds.rounds, year, &team_colors(d), d.now))
            div class="grid split" {
                @if let Some(t) = &d.drivers { div class="card" { (driver_table(t, s.completed())) } }
                @if let Some(t) = &d.constructors { div class="card" { (constructor_table(t, s.completed())) } }
            }
        },
    )
}
