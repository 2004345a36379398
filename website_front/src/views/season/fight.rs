//! "Who can still win?" (or, once the season is over, "How the title was
//! won"): the title fight from `/championship`.
use championship::model::{Championship, Contender, ScoringSession, SessionRef, TitleFight};
use content_types::{HypotheticalSession, Progression, ProgressionSeries};
use maud::{Markup, html};

use crate::views::fmt;

pub fn at(s: &SessionRef) -> String {
    let kind = match s.session {
        ScoringSession::Sprint => "sprint",
        ScoringSession::Race => "race",
    };
    format!("the {} {kind} (round {})", s.name, s.round)
}

fn verdict(f: &TitleFight, c: &Championship, completed: bool) -> Markup {
    let leader = f.leader_name.as_deref().unwrap_or("The leader");
    html! {
        p class="verdict" {
            @if f.clinched {
                @if let Some(s) = &f.clinched_at {
                    (leader) @if completed { " won the title, clinched at " } @else { " has clinched the title, at " } (at(s)) "."
                } @else { (leader) " has clinched the title." }
            } @else if let Some(n) = &f.leader_needs {
                (n.message) "."
            } @else {
                (leader) " leads."
            }
        }
        @if !f.clinched && let Some(r) = &c.remaining {
            p class="muted" { (to_go(r.races, r.sprints)) }
        }
        @if let Some(note) = &f.dropped_scores_note {
            p class="note dropped" { "Dropped scores: " (note) "." }
        }
    }
}

/// The next session, once, above the table whose "Needs" column speaks of it.
fn next_line(f: &TitleFight, c: &Championship) -> Markup {
    html! {
        @if !f.clinched && let Some(next) = &c.next_session {
            p class="muted next" { "Next: " (at(next)) "." }
        }
    }
}

/// What `c` needs at the next session, in one short phrase: the leader's
/// condition to clinch there, a rival's room against the leader.
fn needs_phrase(c: &Contender, f: &TitleFight) -> Option<String> {
    if f.clinched || !c.can_win {
        return None;
    }
    let is_leader = f.leader.as_deref() == Some(c.id.as_str());
    let clinch = |position: Option<u32>, points: Option<f64>, rivals: &[championship::model::RivalLimit]| {
        let own = match (position, points) {
            (Some(1), _) => "Clinches by winning".to_string(),
            (Some(p), _) => format!("Clinches with {} or better", fmt::ordinal(i64::from(p))),
            (None, Some(p)) => format!("Clinches by scoring {}", fmt::points(p)),
            _ => "Can clinch".to_string(),
        };
        let held: Vec<String> = rivals
            .iter()
            .map(|r| {
                let who = short_name(&r.name);
                if r.outside_points {
                    format!("{who} outside the points")
                } else {
                    format!("{who} {} or lower", fmt::ordinal(i64::from(r.no_higher_than)))
                }
            })
            .collect();
        if held.is_empty() { own } else { format!("{own}, if {}", held.join(" and ")) }
    };
    if let Some(n) = c.needs.as_ref().filter(|n| n.can_clinch) {
        return Some(clinch(n.finish_position, n.points, &n.rivals));
    }
    if is_leader {
        return Some("Cannot clinch there".to_string());
    }
    let leader = short_name(f.leader_name.as_deref().unwrap_or("the leader"));
    let m = c.margin_to_leader?;
    Some(if m >= 0.0 {
        format!("Can lose up to {} {} to {leader}", fmt::points(m), plural(m, "point"))
    } else {
        format!("Must outscore {leader} by {}", fmt::points(-m))
    })
}

/// A driver by surname, a team by its name.
fn short_name(name: &str) -> &str {
    name.rsplit_once(' ').filter(|(_, last)| last.len() > 2).map_or(name, |(_, last)| last)
}

/// A session as a table cell says it: "R22 race", "R15 sprint".
fn short_at(s: &SessionRef) -> String {
    let kind = match s.session {
        ScoringSession::Sprint => "sprint",
        ScoringSession::Race => "race",
    };
    format!("R{} {kind}", s.round)
}

/// The what-if forms for the session after `steps` (`c` is the fight after
/// them): a finishing order (the first three shown, places 4 to 10 folded;
/// the rest score nothing), or one driver winning every remaining race and
/// sprint. Plain GET forms carrying the scenario so far.
pub fn what_if_form(c: &Championship, year: i32, steps: &[HypotheticalSession], chosen: &[String]) -> Markup {
    let (Some(f), Some(next)) = (&c.drivers, &c.next_session) else { return html! {} };
    if f.clinched {
        return html! {};
    }
    let action = format!("/seasons/{year}/what-if");
    let place = |i: usize| {
        html! {
            label {
                span { (fmt::ordinal(i as i64 + 1)) }
                select name=(format!("p{}", i + 1)) {
                    @if i > 0 { option value="" { "anyone else" } }
                    @for d in &f.standings {
                        option value=(d.id) selected[chosen.get(i).is_some_and(|c| *c == d.id)] { (d.name) }
                    }
                }
            }
        }
    };
    let carried = html! { @for s in steps { input type="hidden" name="s" value=(whatif_step(s)); } };
    html! {
        form class="whatif" method="get" action=(action) {
            h3 { @if steps.is_empty() { "What if…" } @else { "And then…" } }
            p { "…" (at(next)) " finished like this?" }
            (carried)
            @for i in 0..3 { (place(i)) }
            details class="more-places" {
                summary { "Places 4 to 10" }
                @for i in 3..10 { (place(i)) }
            }
            button type="submit" { "Show the outcome" }
        }
        form class="whatif all" method="get" action=(action) {
            (carried)
            label {
                span { "Or:" }
                select name="all" {
                    @for d in f.standings.iter().filter(|d| d.can_win) { option value=(d.id) { (d.name) } }
                }
            }
            button type="submit" { "wins every remaining race and sprint" }
        }
    }
}

/// A scenario's session as the URL writes it (`22-race:a,b`).
pub fn whatif_step(s: &HypotheticalSession) -> String {
    let kind = match s.session {
        ScoringSession::Race => "race",
        ScoringSession::Sprint => "sprint",
    };
    format!("{}-{kind}:{}", s.round, s.order.join(","))
}

fn status(c: &Contender, f: &TitleFight, completed: bool) -> Markup {
    let is_leader = f.leader.as_deref() == Some(c.id.as_str());
    html! {
        @if is_leader && f.clinched && completed { span class="pill champ" { "Champion" } }
        @else if is_leader && f.clinched { span class="pill champ" { "Clinched" } }
        @else if c.can_win && c.needs_countback { span class="pill yes" { "Only on countback" } }
        @else if c.can_win { span class="pill yes" { "Still possible" } }
        @else { span class="pill no" { "Eliminated" } }
    }
}

/// Rows worth showing: everyone who can still win, and at least five.
fn shown(f: &TitleFight) -> Vec<&Contender> {
    let alive = f.standings.iter().filter(|c| c.can_win).count();
    f.standings.iter().take(alive.max(5)).collect()
}

fn table(f: &TitleFight, title: &str, completed: bool) -> Markup {
    let rows = shown(f);
    let leader_points = rows.first().map_or(0.0, |c| c.points);
    let scale = rows.iter().map(|c| c.max_points.max(c.points)).fold(1.0_f64, f64::max);
    let pct = |v: f64| format!("{:.1}%", (v / scale * 100.0).clamp(0.0, 100.0));
    let needs: Vec<Option<String>> = rows.iter().map(|c| needs_phrase(c, f)).collect();
    let with_needs = needs.iter().any(Option::is_some);
    let with_earliest = rows.iter().any(|c| c.earliest_clinch.is_some());
    html! {
        div class="scroll" {
                table class="fight-table" {
                    caption class="sr-only" { (title) ": points now, the most still reachable, what each needs next and the title" }
                    thead { tr {
                        th scope="col" class="n" { "Pos" }
                        th scope="col" { "Name" }
                        th scope="col" class="n" { "Pts" }
                        th scope="col" class="n opt" { "Max" }
                        th scope="col" class="opt" { span class="long" { "Reach" } }
                        @if with_needs { th scope="col" class="needs" { "Needs next" } }
                        @if with_earliest { th scope="col" class="opt" { "Earliest clinch" } }
                        th scope="col" { "Title" }
                    } }
                    tbody {
                        @for (c, need) in rows.iter().zip(&needs) {
                            tr class=[(!c.can_win).then_some("out")] {
                                td class="n pos" { (c.position) }
                                th scope="row" { (c.name) }
                                td class="n pts" { (fmt::points(c.points)) }
                                td class="n opt" { (fmt::points(c.max_points)) }
                                td class="opt" aria-hidden="true" {
                                    div class="meter" {
                                        i style=(format!("width:{}", pct(c.max_points))) {}
                                        b style=(format!("left:{}", pct(leader_points))) {}
                                    }
                                }
                                @if with_needs { td class="needs" { (need.as_deref().unwrap_or("")) } }
                                @if with_earliest {
                                    td class="opt" {
                                        @if let Some(e) = &c.earliest_clinch { span title=(at(e)) { (short_at(e)) } }
                                    }
                                }
                                td { (status(c, f, completed)) }
                            }
                        }
                    }
                }
            }
    }
}

/// The title-fight card of a season page, with the what-if form while the
/// title is open.
pub fn panel(c: &Championship, completed: bool, progression: Option<&Progression>) -> Markup {
    panel_with(c, completed, true, progression)
}

/// When a finished season's title was decided at its final round: how the
/// two first stood before it, and countback if they finished level.
/// `series` is the points after each round (drivers or constructors).
pub fn decisive(f: &TitleFight, series: &[ProgressionSeries], rounds: usize) -> Option<Markup> {
    let decided_at = f.clinched_at.as_ref()?.round;
    if !f.clinched || rounds < 2 || usize::try_from(decided_at).ok()? != rounds {
        return None;
    }
    let (first, second) = (f.standings.first()?, f.standings.get(1)?);
    let before = |id: &str| {
        series.iter().find(|s| s.id == id).and_then(|s| s.points.get(rounds - 2).copied().flatten()).unwrap_or(0.0)
    };
    let (a, b) = (before(&first.id), before(&second.id));
    let (one, two) = (first.name.as_str(), second.name.as_str());
    Some(html! {
        p class="decisive" {
            @if a == b {
                "Before the final round, " (one) " and " (two) " were level on " (fmt::points(a)) " points."
            } @else if a > b {
                (one) " led " (two) " by " (fmt::points(a - b)) " " (plural(a - b, "point")) " before the final round."
            } @else {
                (two) " led " (one) " by " (fmt::points(b - a)) " " (plural(b - a, "point")) " before the final round."
            }
            @if first.points == second.points {
                " They finished level on " (fmt::points(first.points)) " points; " (one) " took the title on countback ("
                (first.wins) " " (plural(f64::from(first.wins), "win")) " to " (second.wins) ")."
            }
        }
    })
}

/// "12 races and 1 sprint to go", "1 race to go".
pub fn to_go(races: u32, sprints: u32) -> String {
    let count = |n: u32, word: &str| format!("{n} {}", plural(f64::from(n), word));
    match (races, sprints) {
        (r, 0) => format!("{} to go.", count(r, "race")),
        (0, s) => format!("{} to go.", count(s, "sprint")),
        (r, s) => format!("{} and {} to go.", count(r, "race"), count(s, "sprint")),
    }
}

fn plural(n: f64, word: &str) -> String {
    if n == 1.0 { word.to_string() } else { format!("{word}s") }
}

/// The card; `form`: whether to offer the what-if form.
pub fn panel_with(c: &Championship, completed: bool, form: bool, progression: Option<&Progression>) -> Markup {
    let decided = |f: &TitleFight, drivers: bool| {
        let p = progression.filter(|_| completed)?;
        decisive(f, if drivers { &p.drivers } else { &p.constructors }, p.rounds.len())
    };
    html! {
        section class="card" aria-labelledby="fight-h" id="title-fight" {
            // A finished season tells how it was won; one in progress, who can still win.
            h2 id="fight-h" { @if completed { "How the title was won" } @else { "Who can still win?" } }
            @if !c.modelled {
                p class="muted" { (c.note.as_deref().unwrap_or("The title fight is not modelled for this season.")) }
            } @else {
                div class="fight" {
                    @if let Some(f) = &c.drivers { div { h3 { "Drivers" } (verdict(f, c, completed)) @if let Some(d) = decided(f, true) { (d) } (next_line(f, c)) (table(f, "Drivers", completed)) } }
                    @if let Some(f) = &c.constructors { div { h3 { "Constructors" } (verdict(f, c, completed)) @if let Some(d) = decided(f, false) { (d) } (next_line(f, c)) (table(f, "Constructors", completed)) } }
                }
                p class="legend-note" { "The bar runs to the most points each can still reach; the mark is the leader’s total." }
                @if form { (what_if_form(c, c.season, &[], &[])) }
            }
        }
    }
}
