//! The standings-progression chart: points after each round, one line per
//! driver or constructor in team colours, drawn as SVG on the server so it
//! reads without JavaScript. The leading lines are labelled at their ends,
//! with labels nudged apart so none overlap.
//!
//! The session pages' charts are drawn by [`series`] (lines over laps or
//! minutes) and [`rows`] (a row per driver or lane), on the same sizes and
//! with the same helpers.
pub mod rows;
pub mod series;

use std::fmt::Write;

use maud::{Markup, PreEscaped, html};

const LEFT: f64 = 38.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 30.0;
/// Vertical room one end label needs.
pub const LABEL_GAP: f64 = 13.0;

/// The drawing's size in SVG units (text is 11 units high): a wide chart
/// for desktops, a narrow one for phones, so text stays readable on both.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub w: f64,
    pub h: f64,
}

pub const WIDE: Size = Size { w: 920.0, h: 400.0 };
pub const NARROW: Size = Size { w: 360.0, h: 320.0 };

/// One line of the chart.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// Short label at the line's end (a driver code, a team name).
    pub label: &'a str,
    /// Full name, for the tooltip.
    pub name: &'a str,
    /// `#rrggbb`.
    pub color: &'a str,
    /// Dashed (a team's second driver, so teammates differ).
    pub dashed: bool,
    /// Points after each round; None before the first start.
    pub points: &'a [Option<f64>],
}

#[derive(Debug, Clone)]
pub struct Chart<'a> {
    /// Unique within the page (for `aria-labelledby`).
    pub id: &'a str,
    pub title: &'a str,
    /// One per round, aligned with every line's points (e.g. round names).
    pub rounds: &'a [String],
    /// Lines in order of the latest standings, leader first.
    pub lines: Vec<Line<'a>>,
    /// How many of the first lines get an end label.
    pub labelled: usize,
    pub size: Size,
}

/// A round step for the y axis: 1, 2 or 5 times a power of ten, giving
/// about five grid lines.
pub fn nice_step(max: f64) -> f64 {
    let raw = (max / 5.0).max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag)
}

/// Moves label positions apart so consecutive ones are at least `gap`
/// apart, staying within `lo..=hi` when they fit. Returns the new
/// positions in the input order.
pub fn spread_labels(wanted: &[f64], lo: f64, hi: f64, gap: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|a, b| wanted[*a].total_cmp(&wanted[*b]));
    let mut ys: Vec<f64> = order.iter().map(|i| wanted[*i].clamp(lo, hi)).collect();
    for i in 1..ys.len() {
        ys[i] = ys[i].max(ys[i - 1] + gap);
    }
    if let Some(last) = ys.last_mut() {
        *last = last.min(hi);
    }
    for i in (0..ys.len().saturating_sub(1)).rev() {
        ys[i] = ys[i].min(ys[i + 1] - gap);
    }
    let mut out = vec![0.0; wanted.len()];
    for (k, i) in order.into_iter().enumerate() {
        out[i] = ys[k];
    }
    out
}

struct Frame {
    size: Size,
    n: usize,
    ymax: f64,
    /// Room right of the plot for the end labels.
    right: f64,
}

impl Frame {
    fn x(&self, i: usize) -> f64 {
        let w = self.size.w - LEFT - self.right;
        if self.n <= 1 { LEFT + w / 2.0 } else { LEFT + w * i as f64 / (self.n - 1) as f64 }
    }
    fn y(&self, v: f64) -> f64 {
        TOP + (self.size.h - TOP - BOTTOM) * (1.0 - v / self.ymax)
    }
}

/// The SVG `d` of a line, broken where a value is missing.
fn path_d(f: &Frame, points: &[Option<f64>]) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for (i, p) in points.iter().enumerate() {
        match p {
            Some(v) => {
                let _ = write!(d, "{}{} {}", if pen_down { "L" } else { "M" }, num(f.x(i)), num(f.y(*v)));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d
}

fn last_point(points: &[Option<f64>]) -> Option<(usize, f64)> {
    points.iter().enumerate().rev().find_map(|(i, p)| p.map(|v| (i, v)))
}

/// A coordinate with at most one decimal, without a trailing `.0`.
pub fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 { format!("{r:.0}") } else { format!("{r:.1}") }
}

fn fmt_points(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") }
}

/// Round ticks from `min` to `max`, about `count` of them (1, 2, 2.5 or 5
/// times a power of ten apart).
pub fn ticks(min: f64, max: f64, count: f64) -> Vec<f64> {
    let span = (max - min).max(1e-9);
    let raw = span / count.max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let first = (min / step).ceil() as i64;
    let last = (max / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Draws the chart.
pub fn progression(c: &Chart<'_>) -> Markup {
    let Size { w, h } = c.size;
    let n = c.rounds.len().max(c.lines.iter().map(|l| l.points.len()).max().unwrap_or(0));
    let max = c.lines.iter().flat_map(|l| l.points.iter().flatten()).fold(0.0_f64, |a, b| a.max(*b));
    let step = nice_step(max);
    let ymax = ((max / step).ceil() * step).max(step);
    // Room for the longest end label ("VER 437"), about 7 units a character.
    let widest = c.lines.iter().take(c.labelled).map(|l| l.label.chars().count() + 5).max().unwrap_or(0);
    let f = Frame { size: c.size, n, ymax, right: (18.0 + 7.0 * widest as f64).clamp(40.0, 170.0) };
    let ticks: Vec<f64> = (0..=((ymax / step).round() as usize)).map(|k| k as f64 * step).collect();
    // Round numbers at least 18 units apart.
    let spacing = if n > 1 { (w - LEFT - f.right) / (n - 1) as f64 } else { w };
    let every = (18.0 / spacing).ceil().max(1.0) as usize;
    let labelled: Vec<(&Line, usize, f64)> =
        c.lines.iter().take(c.labelled).filter_map(|l| last_point(l.points).map(|(i, v)| (l, i, v))).collect();
    let wanted: Vec<f64> = labelled.iter().map(|(_, _, v)| f.y(*v)).collect();
    let placed = spread_labels(&wanted, TOP + 4.0, h - BOTTOM, LABEL_GAP);
    let label_x = w - f.right + 8.0;
    let line = |l: &Line<'_>| {
        html! {
            path d=(path_d(&f, l.points)) stroke=(l.color) stroke-dasharray=[l.dashed.then_some("6 4")] {
                title { (l.name) ": " (last_point(l.points).map_or_else(String::new, |(_, v)| fmt_points(v))) " pts" }
            }
        }
    };
    let split = c.labelled.min(c.lines.len());
    html! {
        svg viewBox=(format!("0 0 {w} {h}")) role="img" aria-labelledby=(format!("{0}-t {0}-d", c.id))
            xmlns="http://www.w3.org/2000/svg" {
            title id=(format!("{}-t", c.id)) { (c.title) }
            desc id=(format!("{}-d", c.id)) { (summary(c)) }
            @for t in &ticks {
                line class="grid-l" x1=(LEFT) x2=(num(w - f.right)) y1=(num(f.y(*t))) y2=(num(f.y(*t))) stroke="#8884" {}
                text x=(LEFT - 6.0) y=(num(f.y(*t))) dy=".35em" text-anchor="end" { (fmt_points(*t)) }
            }
            @for (i, name) in c.rounds.iter().enumerate() {
                @if i % every == 0 || i + 1 == n {
                    text x=(num(f.x(i))) y=(h - BOTTOM + 16.0) text-anchor="middle" { title { (name) } (i + 1) }
                }
            }
            // Minor lines first, so the leaders are drawn on top of them.
            g class="ln minor" fill="none" stroke-width="1.5" opacity=".45" {
                @for l in c.lines[split..].iter().rev() { (line(l)) }
            }
            g class="ln" fill="none" stroke-width="2.5" stroke-linejoin="round" {
                @for l in c.lines[..split].iter().rev() { (line(l)) }
            }
            @for ((l, i, v), ly) in labelled.iter().zip(&placed) {
                @let (ex, ey) = (f.x(*i), f.y(*v));
                circle cx=(num(ex)) cy=(num(ey)) r="3" fill=(l.color) {}
                @if (ly - ey).abs() > 1.5 || *i + 1 < n {
                    (PreEscaped(format!(
                        r#"<path d="M{} {}L{} {}" stroke="{}" fill="none" opacity=".6"/>"#,
                        num(ex + 3.0), num(ey), num(label_x - 3.0), num(*ly), l.color
                    )))
                }
                text class="lbl" x=(num(label_x)) y=(num(*ly)) dy=".35em" { (l.label) " " tspan { (fmt_points(*v)) } }
            }
        }
    }
}

/// The chart in words, for screen readers.
fn summary(c: &Chart<'_>) -> String {
    let leaders: Vec<String> = c
        .lines
        .iter()
        .take(3)
        .filter_map(|l| last_point(l.points).map(|(_, v)| format!("{} {} points", l.name, fmt_points(v))))
        .collect();
    format!("Points after each of {} rounds. Leading: {}.", c.rounds.len(), leaders.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rounds(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("Round {i}")).collect()
    }

    #[test]
    fn steps_are_round_numbers() {
        assert_eq!(nice_step(437.0), 100.0);
        assert_eq!(nice_step(40.0), 10.0);
        assert_eq!(nice_step(3.0), 1.0);
        assert_eq!(nice_step(860.0), 200.0);
    }

    #[test]
    fn labels_never_overlap_and_stay_in_range() {
        let wanted = [100.0, 101.0, 99.0, 300.0, 345.0, 346.0, 346.5];
        let got = spread_labels(&wanted, 10.0, 350.0, LABEL_GAP);
        let mut sorted = got.clone();
        sorted.sort_by(f64::total_cmp);
        for w in sorted.windows(2) {
            assert!(w[1] - w[0] >= LABEL_GAP - 1e-9, "{sorted:?}");
        }
        assert!(sorted.iter().all(|y| (10.0..=350.0).contains(y)), "{sorted:?}");
        // A label with room keeps its place.
        assert_eq!(got[3], 300.0);
    }

    #[test]
    fn draws_a_line_per_series_with_gaps_and_labels() {
        let a = [Some(25.0), Some(43.0), Some(68.0)];
        let b = [Some(18.0), None, Some(40.0)];
        let c = [None, Some(1.0), Some(1.0)];
        let names = rounds(3);
        let chart = Chart {
            id: "t",
            title: "Drivers",
            rounds: &names,
            lines: vec![
                Line { label: "VER", name: "Max Verstappen", color: "#3671c6", dashed: false, points: &a },
                Line { label: "PER", name: "Sergio Pérez", color: "#3671c6", dashed: true, points: &b },
                Line { label: "ALB", name: "Alex Albon", color: "#64c4ff", dashed: false, points: &c },
            ],
            labelled: 2,
            size: WIDE,
        };
        let svg = progression(&chart).into_string();
        let minor = svg.split("<g class=\"ln minor\"").nth(1).unwrap().split("</g>").next().unwrap();
        assert_eq!(minor.matches("<path").count(), 1, "{svg}");
        let major = svg.split("<g class=\"ln\"").nth(1).unwrap().split("</g>").next().unwrap();
        assert_eq!(major.matches("<path").count(), 2, "{svg}");
        assert_eq!(svg.matches("stroke-dasharray=\"6 4\"").count(), 1);
        // Pérez's line has a gap at round 2: two separate moves.
        let per = svg.split("<title>Sergio Pérez: ").next().unwrap().rsplit("d=\"").next().unwrap();
        assert_eq!(per.matches('M').count(), 2, "{per}");
        assert!(svg.contains(">VER <tspan>68</tspan>"), "{svg}");
        assert!(svg.contains(">PER <tspan>40</tspan>"));
        assert!(!svg.contains(">ALB "), "only the first two are labelled");
        assert!(svg.contains("Leading: Max Verstappen 68 points"));
        // The axis reaches the next round number above the maximum.
        assert!(svg.contains(">80</text>"), "{svg}");
    }
}
