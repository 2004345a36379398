use content_types::{ConstructorStandings, DriverStandings};
use maud::{Markup, html};

use crate::views::{fmt, parts};

/// "Final standings" once the season is over, else "after round N".
fn when(round: i32, final_standings: bool) -> Markup {
    html! { @if final_standings { "Final standings" } @else { "after round " (round) } }
}

pub fn driver_table(t: &DriverStandings, final_standings: bool) -> Markup {
    html! {
        div class="scroll" {
            table id="drivers" {
                caption { "Drivers’ championship" small { (when(t.round, final_standings)) } }
                thead { tr {
                    th scope="col" class="n" { "Pos" }
                    th scope="col" { "Driver" }
                    th scope="col" class="opt" { "Team" }
                    th scope="col" class="n opt" { "Wins" }
                    th scope="col" class="n opt" { "Podiums" }
                    th scope="col" class="n" { "Points" }
                } }
                tbody {
                    @for d in &t.standings {
                        tr {
                            td class="n pos" { (d.position_text) }
                            th scope="row" { (parts::bar(d.team_color.as_deref())) (parts::driver(&d.driver_id, &d.driver_name)) }
                            td class="opt" { (parts::constructor(&d.constructor_id, &d.team)) }
                            td class="n opt" { (d.stats.wins) }
                            td class="n opt" { (d.stats.podiums) }
                            td class="n pts" { (fmt::points(d.points)) }
                        }
                    }
                }
            }
        }
    }
}

pub fn constructor_table(t: &ConstructorStandings, final_standings: bool) -> Markup {
    html! {
        div class="scroll" {
            table id="constructors" {
                caption { "Constructors’ championship" small { (when(t.round, final_standings)) } }
                thead { tr {
                    th scope="col" class="n" { "Pos" }
                    th scope="col" { "Team" }
                    th scope="col" class="n" { "Wins" }
                    th scope="col" class="n opt" { "Podiums" }
                    th scope="col" class="n" { "Points" }
                } }
                tbody {
                    @for c in &t.standings {
                        tr {
                            td class="n pos" { (c.position_text) }
                            th scope="row" { (parts::bar(c.color.as_deref())) (parts::constructor(&c.constructor_id, &c.name)) }
                            td class="n" { (c.stats.wins) }
                            td class="n opt" { (c.stats.podiums) }
                            td class="n pts" { (fmt::points(c.points)) }
                        }
                    }
                }
            }
        }
    }
}
