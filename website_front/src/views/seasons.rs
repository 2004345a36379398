//! `/seasons`: every season in the store, newest first.
use content_types::Season;
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::parts;

pub fn list(seasons: &[Season]) -> Markup {
    let mut sorted: Vec<&Season> = seasons.iter().collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.year));
    let page = Page::new("Seasons", "Every Formula 1 season with its champions.", Section::Seasons);
    layout::render(
        &page,
        html! {
            div class="hero" {
                div { h1 { "Seasons" } p { (sorted.len()) " championships, newest first." } }
            }
            div class="card" {
                div class="scroll" {
                    table {
                        caption class="long" { "Every season" }
                        thead { tr {
                            th scope="col" { "Season" }
                            th scope="col" { "Drivers’ champion" }
                            th scope="col" class="opt" { "Constructors’ champion" }
                            th scope="col" class="n" { "Rounds" }
                            th scope="col" class="opt" { "Status" }
                        } }
                        tbody {
                            @for s in &sorted {
                                tr {
                                    th scope="row" { a href=(format!("/seasons/{}", s.year)) { (s.year) } }
                                    td { @match &s.champion_driver {
                                        Some(d) => (parts::driver(&d.id, &d.name)),
                                        None => span class="muted" { "—" },
                                    } }
                                    td class="opt" { @match &s.champion_constructor {
                                        Some(c) => (parts::constructor(&c.id, &c.name)),
                                        None => span class="muted" { "—" },
                                    } }
                                    td class="n" { (s.total_rounds) }
                                    td class="opt" { (parts::pill(s.status.as_str())) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
