//! A chart of lines over a numeric x axis (laps, minutes): the lap chart,
//! the gap to the leader, the weather. One `path` per series, carrying its
//! `data-car` (or `data-series`) so a reader or a test can find each line;
//! marks (pit stops, a retirement) drawn on top.
use maud::{Markup, html};

use super::{Size, num};

const LEFT: f64 = 40.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 30.0;

/// An axis: its range, and the ticks to label (value, text).
#[derive(Debug, Clone)]
pub struct Axis {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<(f64, String)>,
    /// Drawn along the axis ("Lap", "Gap (s)").
    pub label: String,
}

/// A mark on a line: a pit stop (a ring), a retirement (a cross).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Ring,
    Cross,
}

#[derive(Debug, Clone)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub shape: Shape,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Series {
    /// `data-car` (a car number) or `data-series` (anything else).
    pub car: Option<i32>,
    pub key: String,
    /// Short label at the line's end.
    pub label: String,
    /// For the tooltip.
    pub name: String,
    pub color: String,
    pub dashed: bool,
    pub points: Vec<(f64, f64)>,
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone)]
pub struct SeriesChart {
    pub id: String,
    /// The chart's kind, as `data-chart` (`laps`, `gaps`, `weather`).
    pub kind: &'static str,
    pub title: String,
    /// The chart in words, for screen readers.
    pub summary: String,
    pub size: Size,
    pub x: Axis,
    pub y: Axis,
    /// The y axis runs downward (position 1, or the leader, at the top).
    pub y_down: bool,
    pub series: Vec<Series>,
    /// Label each line's end.
    pub end_labels: bool,
}

impl SeriesChart {
    fn right(&self) -> f64 {
        if self.end_labels { 46.0 } else { 12.0 }
    }
    fn px(&self, x: f64) -> f64 {
        let w = self.size.w - LEFT - self.right();
        let span = (self.x.max - self.x.min).max(1e-9);
        LEFT + w * ((x - self.x.min) / span).clamp(0.0, 1.0)
    }
    fn py(&self, y: f64) -> f64 {
        let h = self.size.h - TOP - BOTTOM;
        let span = (self.y.max - self.y.min).max(1e-9);
        let f = ((y - self.y.min) / span).clamp(0.0, 1.0);
        if self.y_down { TOP + h * f } else { TOP + h * (1.0 - f) }
    }
}

fn path_d(c: &SeriesChart, points: &[(f64, f64)]) -> String {
    let mut d = String::with_capacity(points.len() * 12);
    for (i, (x, y)) in points.iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        d.push_str(&num(c.px(*x)));
        d.push(' ');
        d.push_str(&num(c.py(*y)));
    }
    d
}

fn mark(c: &SeriesChart, m: &Mark, color: &str) -> Markup {
    let (x, y) = (c.px(m.x), c.py(m.y));
    match m.shape {
        Shape::Ring => html! {
            circle class="mk" cx=(num(x)) cy=(num(y)) r="3.2" fill="var(--card, #fff)" stroke=(color) stroke-width="1.6" {
                title { (m.title) }
            }
        },
        Shape::Cross => html! {
            path class="mk" d=(format!("M{} {}l7 7m0 -7l-7 7", num(x - 3.5), num(y - 3.5))) stroke=(color) stroke-width="2.2" {
                title { (m.title) }
            }
        },
    }
}

/// Draws the chart.
pub fn draw(c: &SeriesChart) -> Markup {
    let Size { w, h } = c.size;
    let ends: Vec<(&Series, f64)> = if c.end_labels {
        let wanted: Vec<f64> = c.series.iter().filter_map(|s| s.points.last().map(|p| c.py(p.1))).collect();
        let placed = super::spread_labels(&wanted, TOP, h - BOTTOM, 11.0);
        c.series.iter().filter(|s| !s.points.is_empty()).zip(placed).collect()
    } else {
        Vec::new()
    };
    let plot_right = w - c.right();
    html! {
        svg viewBox=(format!("0 0 {w} {h}")) role="img" aria-labelledby=(format!("{0}-t {0}-d", c.id))
            xmlns="http://www.w3.org/2000/svg" data-chart=(c.kind) {
            title id=(format!("{}-t", c.id)) { (c.title) }
            desc id=(format!("{}-d", c.id)) { (c.summary) }
            @for (v, label) in &c.y.ticks {
                line class="grid-l" x1=(LEFT) x2=(num(plot_right)) y1=(num(c.py(*v))) y2=(num(c.py(*v))) stroke="#8884" {}
                text x=(LEFT - 5.0) y=(num(c.py(*v))) dy=".35em" text-anchor="end" { (label) }
            }
            @for (v, label) in &c.x.ticks {
                text x=(num(c.px(*v))) y=(h - BOTTOM + 14.0) text-anchor="middle" { (label) }
            }
            text x=(num(plot_right)) y=(h - 4.0) text-anchor="end" { (c.x.label) }
            text x="2" y=(TOP - 2.0) { (c.y.label) }
            g class="ln" fill="none" stroke-width="1.8" stroke-linejoin="round" {
                @for s in c.series.iter().rev() {
                    path d=(path_d(c, &s.points)) stroke=(s.color) stroke-dasharray=[s.dashed.then_some("5 3")]
                        data-car=[s.car] data-series=[s.car.is_none().then_some(s.key.as_str())] {
                        title { (s.name) }
                    }
                }
            }
            g class="marks" {
                @for s in &c.series { @for m in &s.marks { (mark(c, m, &s.color)) } }
            }
            @for (s, ly) in &ends {
                text class="lbl" x=(num(plot_right + 6.0)) y=(num(*ly)) dy=".35em" fill=(s.color) { (s.label) }
            }
        }
    }
}
