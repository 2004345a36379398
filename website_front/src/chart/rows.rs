//! A chart of rows along a numeric x axis: one row per driver (a tyre
//! strategy, a best lap's mini-sectors, the laps that improved) or per
//! lane (race control). Each row is a `g` with its `data-car` (or
//! `data-row`), holding its bars (`rect`) and marks (`circle`), so a reader
//! or a test can count what each row holds.
use maud::{Markup, html};

use super::num;

const TOP: f64 = 8.0;
const BOTTOM: f64 = 30.0;
const ROW: f64 = 16.0;

/// A bar from `x0` to `x1`.
#[derive(Debug, Clone)]
pub struct Bar {
    pub x0: f64,
    pub x1: f64,
    pub fill: String,
    /// Text inside the bar when it fits (a compound's initial).
    pub text: Option<String>,
    pub title: String,
}

/// A dot at `x` (a pit stop, a message, an improvement).
#[derive(Debug, Clone)]
pub struct Dot {
    pub x: f64,
    pub fill: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    /// `data-car` for a driver's row, else `data-row` with `key`.
    pub car: Option<i32>,
    pub key: String,
    pub label: String,
    /// The team colour shown beside the label.
    pub color: Option<String>,
    pub bars: Vec<Bar>,
    pub dots: Vec<Dot>,
}

/// A band across every row (a safety-car period, a part of qualifying).
#[derive(Debug, Clone)]
pub struct Band {
    pub x0: f64,
    pub x1: f64,
    pub fill: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct RowsChart {
    pub id: String,
    /// `data-chart` (`strategy`, `race-control`, `mini-sectors`...).
    pub kind: &'static str,
    pub title: String,
    pub summary: String,
    pub width: f64,
    /// Room for the labels on the left.
    pub label_width: f64,
    pub x_min: f64,
    pub x_max: f64,
    pub ticks: Vec<(f64, String)>,
    pub x_label: String,
    pub rows: Vec<Row>,
    pub bands: Vec<Band>,
}

impl RowsChart {
    fn px(&self, x: f64) -> f64 {
        let w = self.width - self.label_width - 10.0;
        let span = (self.x_max - self.x_min).max(1e-9);
        self.label_width + w * ((x - self.x_min) / span).clamp(0.0, 1.0)
    }
}

pub fn draw(c: &RowsChart) -> Markup {
    let w = c.width;
    let h = TOP + ROW * c.rows.len() as f64 + BOTTOM;
    let bottom = h - BOTTOM;
    html! {
        svg viewBox=(format!("0 0 {w} {}", num(h))) role="img" aria-labelledby=(format!("{0}-t {0}-d", c.id))
            xmlns="http://www.w3.org/2000/svg" data-chart=(c.kind) {
            title id=(format!("{}-t", c.id)) { (c.title) }
            desc id=(format!("{}-d", c.id)) { (c.summary) }
            @for b in &c.bands {
                rect class="band" x=(num(c.px(b.x0))) y=(TOP) width=(num((c.px(b.x1) - c.px(b.x0)).max(1.5))) height=(num(bottom - TOP))
                    fill=(b.fill) { title { (b.title) } }
            }
            @for (v, label) in &c.ticks {
                line class="grid-l" x1=(num(c.px(*v))) x2=(num(c.px(*v))) y1=(TOP) y2=(num(bottom)) stroke="#8884" {}
                text x=(num(c.px(*v))) y=(num(bottom + 14.0)) text-anchor="middle" { (label) }
            }
            text x=(num(w - 10.0)) y=(num(h - 4.0)) text-anchor="end" { (c.x_label) }
            @for (i, r) in c.rows.iter().enumerate() {
                @let y = TOP + ROW * i as f64;
                g class="row" data-car=[r.car] data-row=[r.car.is_none().then_some(r.key.as_str())] {
                    @if let Some(color) = &r.color { rect x="0" y=(num(y + 3.0)) width="3" height=(ROW - 6.0) fill=(color) {} }
                    text class="lbl" x="6" y=(num(y + ROW / 2.0)) dy=".35em" { (r.label) }
                    @for b in &r.bars {
                        @let (x0, x1) = (c.px(b.x0), c.px(b.x1));
                        rect x=(num(x0)) y=(num(y + 2.5)) width=(num((x1 - x0).max(1.0))) height=(ROW - 5.0) rx="2" fill=(b.fill)
                            stroke="#0006" stroke-width=".5" { title { (b.title) } }
                        @if let Some(t) = &b.text {
                            @if x1 - x0 > 12.0 {
                                text class="in" x=(num((x0 + x1) / 2.0)) y=(num(y + ROW / 2.0)) dy=".35em" text-anchor="middle" { (t) }
                            }
                        }
                    }
                    @for d in &r.dots {
                        circle cx=(num(c.px(d.x))) cy=(num(y + ROW / 2.0)) r="3.6" fill=(d.fill) stroke="#0008" stroke-width=".6" {
                            title { (d.title) }
                        }
                    }
                }
            }
        }
    }
}
