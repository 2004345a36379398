//! The progression charts (drivers and constructors) from `/standings/progression`.
use std::collections::HashSet;

use content_types::{Progression, ProgressionSeries};
use maud::{Markup, html};

use crate::chart::{self, Chart, Line};
use crate::views::{fmt, parts};

fn color(s: &ProgressionSeries) -> &str {
    s.color.as_deref().filter(|c| fmt::valid_color(c)).unwrap_or(fmt::NO_COLOR)
}

/// Driver lines; a team's second driver (in standings order) is dashed.
fn driver_lines(p: &Progression) -> Vec<Line<'_>> {
    let mut seen = HashSet::new();
    let codes = parts::SharedCodes::of(p.drivers.iter().filter_map(|s| Some((s.id.as_str(), s.code.as_deref()?))));
    p.drivers
        .iter()
        .map(|s| {
            let team = s.team.as_deref().unwrap_or(&s.id);
            Line {
                label: s.code.as_deref().map_or(s.name.as_str(), |code| codes.short(&s.name, code)),
                name: &s.name,
                color: color(s),
                dashed: !seen.insert(team),
                points: &s.points,
            }
        })
        .collect()
}

fn team_lines(p: &Progression) -> Vec<Line<'_>> {
    p.constructors
        .iter()
        .map(|s| Line { label: &s.name, name: &s.name, color: color(s), dashed: false, points: &s.points })
        .collect()
}

/// Both sizes of one chart; CSS shows the one that fits the screen.
fn both(id: &str, title: &str, names: &[String], lines: Vec<Line<'_>>, labelled: usize) -> Markup {
    let narrow_id = format!("{id}-m");
    let wide = Chart { id, title, rounds: names, lines: lines.clone(), labelled, size: chart::WIDE };
    // On a phone: the leaders' lines only, fewer labels.
    let few: Vec<Line<'_>> = lines.into_iter().take(12).collect();
    let narrow =
        Chart { id: &narrow_id, title, rounds: names, lines: few, labelled: labelled.min(6), size: chart::NARROW };
    html! {
        div class="chart wide" { (chart::progression(&wide)) }
        div class="chart narrow" { (chart::progression(&narrow)) }
    }
}

pub fn section(p: &Progression) -> Markup {
    if p.rounds.is_empty() {
        return html! {};
    }
    let names: Vec<String> = p.rounds.iter().map(|r| format!("Round {}: {}", r.round, r.name)).collect();
    html! {
        section class="card" aria-labelledby="prog-h" id="progression" {
            h2 id="prog-h" { "How the championship unfolded" }
            h3 { "Drivers" }
            (both("chart-drivers", "Drivers’ points after each round", &names, driver_lines(p), 10))
            p class="legend-note" { "Points after each round, in team colours; a team’s second driver is dashed. The leaders are labelled." }
            h3 { "Constructors" }
            (both("chart-teams", "Constructors’ points after each round", &names, team_lines(p), 10))
        }
    }
}
