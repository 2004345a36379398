//! The track map of a session: the circuit's outline with its corner
//! numbers and marshal sectors, each sector coloured by the flags race
//! control showed in it. Drawn from recorded circuit data (MultiViewer's
//! format, bundled with the fetcher in `fetcher_service/bundled/layouts/`:
//! only Monza's was recorded), read once per circuit and kept.
use std::collections::BTreeMap;
use std::sync::OnceLock;

use content_types::RaceControlMessage;
use maud::{Markup, html};
use serde::Deserialize;

use super::shared::numbers;
use crate::chart::num;

/// Our circuit id and its recorded layout.
const BUNDLED: &[(&str, &str)] = &[("monza", include_str!("../../../../fetcher_service/bundled/layouts/monza.json"))];

#[derive(Debug, Deserialize)]
struct Raw {
    x: Vec<f64>,
    y: Vec<f64>,
    #[serde(default)]
    rotation: f64,
    #[serde(default)]
    corners: Vec<RawMarker>,
    #[serde(default, rename = "marshalSectors")]
    marshal_sectors: Vec<RawMarker>,
}

#[derive(Debug, Deserialize)]
struct RawMarker {
    number: u32,
    #[serde(default)]
    letter: Option<String>,
    #[serde(default)]
    angle: f64,
    #[serde(rename = "trackPosition")]
    at: RawPoint,
}

#[derive(Debug, Deserialize, Clone, Copy)]
struct RawPoint {
    x: f64,
    y: f64,
}

/// A layout ready to draw, in SVG units.
#[derive(Debug)]
pub struct Layout {
    w: f64,
    h: f64,
    track: Vec<(f64, f64)>,
    corners: Vec<(String, (f64, f64))>,
    /// Each marshal sector's number and first outline point, in track order.
    sectors: Vec<(u32, usize, (f64, f64))>,
    /// From the recorded coordinates (the feed's, as location samples
    /// carry them) to SVG units: rotation, minimum x and y, scale.
    rotation: f64,
    min: (f64, f64),
    scale: f64,
}

const SIZE: f64 = 600.0;
const MARGIN: f64 = 36.0;
const LABEL_OFFSET: f64 = 700.0;

fn rotate(p: RawPoint, degrees: f64) -> RawPoint {
    let (s, c) = degrees.to_radians().sin_cos();
    RawPoint { x: p.x * c - p.y * s, y: p.x * s + p.y * c }
}

fn build(raw: &Raw) -> Option<Layout> {
    if raw.x.len() != raw.y.len() || raw.x.len() < 10 {
        return None;
    }
    let track: Vec<RawPoint> =
        raw.x.iter().zip(&raw.y).map(|(&x, &y)| rotate(RawPoint { x, y }, raw.rotation)).collect();
    let labels: Vec<(String, RawPoint)> = raw
        .corners
        .iter()
        .map(|c| {
            let (s, co) = c.angle.to_radians().sin_cos();
            let at = RawPoint { x: c.at.x + LABEL_OFFSET * co, y: c.at.y + LABEL_OFFSET * s };
            (format!("{}{}", c.number, c.letter.as_deref().unwrap_or("")), rotate(at, raw.rotation))
        })
        .collect();
    let all = track.iter().chain(labels.iter().map(|(_, p)| p));
    let (min_x, max_x, min_y, max_y) = all.fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |(a, b, c, d), p| {
        (a.min(p.x), b.max(p.x), c.min(p.y), d.max(p.y))
    });
    let scale = (SIZE - 2.0 * MARGIN) / (max_x - min_x).max(max_y - min_y).max(1.0);
    let (w, h) = ((max_x - min_x) * scale + 2.0 * MARGIN, (max_y - min_y) * scale + 2.0 * MARGIN);
    // SVG's y runs down: flip it so the map reads as the data draws it.
    let at = |p: &RawPoint| ((p.x - min_x) * scale + MARGIN, h - ((p.y - min_y) * scale + MARGIN));
    let pts: Vec<(f64, f64)> = track.iter().map(at).collect();
    let mut sectors: Vec<(u32, usize, (f64, f64))> = raw
        .marshal_sectors
        .iter()
        .map(|m| {
            let p = at(&rotate(m.at, raw.rotation));
            let nearest =
                pts.iter().enumerate().min_by(|a, b| dist(*a.1, p).total_cmp(&dist(*b.1, p))).map_or(0, |(i, _)| i);
            (m.number, nearest, pts[nearest])
        })
        .collect();
    sectors.sort_by_key(|s| (s.1, s.0));
    Some(Layout {
        w,
        h,
        track: pts,
        corners: labels.iter().map(|(l, p)| (l.clone(), at(p))).collect(),
        sectors,
        rotation: raw.rotation,
        min: (min_x, min_y),
        scale,
    })
}

impl Layout {
    /// The drawing's width and height, in SVG units.
    pub fn size(&self) -> (f64, f64) {
        (self.w, self.h)
    }

    /// The outline as an SVG path.
    pub fn outline(&self) -> String {
        path(&self.track, true)
    }

    /// The start and finish line.
    pub fn start(&self) -> Option<(f64, f64)> {
        self.track.first().copied()
    }

    /// The point `fraction` (0..1) of the way round the lap from the line,
    /// by distance along the outline.
    pub fn along(&self, fraction: f64) -> (f64, f64) {
        let n = self.track.len();
        let seg = |i: usize| dist(self.track[i], self.track[(i + 1) % n]);
        let total: f64 = (0..n).map(seg).sum();
        let mut left = fraction.rem_euclid(1.0) * total;
        for i in 0..n {
            let d = seg(i);
            if left <= d && d > 0.0 {
                let (a, b) = (self.track[i], self.track[(i + 1) % n]);
                let k = left / d;
                return (a.0 + (b.0 - a.0) * k, a.1 + (b.1 - a.1) * k);
            }
            left -= d;
        }
        self.track[0]
    }

    /// A location sample's coordinates (the feed's, as the layout was
    /// recorded in) in SVG units.
    pub fn place(&self, x: f64, y: f64) -> (f64, f64) {
        let p = rotate(RawPoint { x, y }, self.rotation);
        ((p.x - self.min.0) * self.scale + MARGIN, self.h - ((p.y - self.min.1) * self.scale + MARGIN))
    }
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

/// The layout of `circuit`, built once.
pub fn layout(circuit: &str) -> Option<&'static Layout> {
    static BUILT: OnceLock<Vec<(&'static str, Option<Layout>)>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        BUNDLED
            .iter()
            .map(|(id, json)| {
                let layout = serde_json::from_str::<Raw>(json).ok().and_then(|r| build(&r));
                if layout.is_none() {
                    tracing::warn!(circuit = id, "a bundled circuit layout cannot be read");
                }
                (*id, layout)
            })
            .collect()
    });
    built.iter().find(|(id, _)| *id == circuit).and_then(|(_, l)| l.as_ref())
}

fn path(points: &[(f64, f64)], close: bool) -> String {
    let mut d = String::with_capacity(points.len() * 12);
    for (i, (x, y)) in points.iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        d.push_str(&num(*x));
        d.push(' ');
        d.push_str(&num(*y));
    }
    if close {
        d.push('Z');
    }
    d
}

/// The flags race control showed in each marshal sector.
#[derive(Debug, Default, Clone, Copy)]
pub struct SectorFlags {
    pub yellow: usize,
    pub double_yellow: usize,
    pub red: usize,
}

pub fn flags_by_sector(msgs: &[RaceControlMessage]) -> BTreeMap<i64, SectorFlags> {
    let mut out: BTreeMap<i64, SectorFlags> = BTreeMap::new();
    for m in msgs {
        let Some(sector) = m.sector.filter(|_| m.scope.as_deref() == Some("Sector")) else { continue };
        let f = out.entry(sector).or_default();
        match m.flag.as_deref() {
            Some("YELLOW") => f.yellow += 1,
            Some("DOUBLE YELLOW") => f.double_yellow += 1,
            Some("RED") => f.red += 1,
            _ => {}
        }
    }
    out.retain(|_, f| f.yellow + f.double_yellow + f.red > 0);
    out
}

fn sector_color(f: &SectorFlags) -> &'static str {
    if f.red > 0 {
        "#e10600"
    } else if f.double_yellow > 0 {
        "#f08a24"
    } else {
        "#f0c419"
    }
}

pub fn section(circuit: &str, msgs: &[RaceControlMessage]) -> Markup {
    let Some(l) = layout(circuit) else {
        return html! {
            section class="card" id="track-map" aria-labelledby="map-h" {
                h2 id="map-h" { "Track map" }
                p class="muted nomap" { "No track map is stored for this circuit." }
            }
        };
    };
    let flags = flags_by_sector(msgs);
    let n = l.track.len();
    let segment = |k: usize| {
        let from = l.sectors[k].1;
        let to = l.sectors.get(k + 1).map_or(n, |s| s.1);
        let mut pts: Vec<(f64, f64)> = l.track[from..to.max(from)].to_vec();
        // The last sector runs on to the line.
        pts.push(if to >= n { l.track[0] } else { l.track[to] });
        pts
    };
    let flagged: usize = flags.len();
    html! {
        section class="card" id="track-map" aria-labelledby="map-h" {
            h2 id="map-h" { "Track map" }
            div class="chart circuit-map" {
                svg viewBox=(format!("0 0 {} {}", num(l.w), num(l.h))) role="img" aria-labelledby="map-t map-d"
                    xmlns="http://www.w3.org/2000/svg" data-chart="track" {
                    title id="map-t" { "Track map with the flags by marshal sector" }
                    desc id="map-d" {
                        (l.corners.len()) " corners and " (l.sectors.len()) " marshal sectors; "
                        @if flagged == 0 { "no sector saw a yellow or red flag." } @else { (flagged) " sectors saw yellow or red flags." }
                    }
                    path d=(path(&l.track, true)) fill="none" stroke="#8888" stroke-width="14" stroke-linejoin="round" {}
                    path class="tarmac" d=(path(&l.track, true)) fill="none" stroke-width="6" stroke-linejoin="round" {}
                    @for (k, (number, _, _)) in l.sectors.iter().enumerate() {
                        @if let Some(f) = flags.get(&i64::from(*number)) {
                            path d=(path(&segment(k), false)) fill="none" stroke=(sector_color(f)) stroke-width="7" stroke-linecap="round"
                                data-sector=(number) {
                                title { "Marshal sector " (number) ": " (f.yellow) " yellow, " (f.double_yellow) " double yellow, " (f.red) " red" }
                            }
                        }
                    }
                    @for (number, _, (x, y)) in &l.sectors {
                        circle class="ms" cx=(num(*x)) cy=(num(*y)) r="2.5" {}
                        text class="ms" x=(num(*x + 5.0)) y=(num(*y - 4.0)) { (number) }
                    }
                    @if let Some((x, y)) = l.track.first() {
                        circle cx=(num(*x)) cy=(num(*y)) r="6" fill="#d10600" { title { "Start and finish" } }
                    }
                    @for (label, (x, y)) in &l.corners {
                        text class="corner" x=(num(*x)) y=(num(*y)) text-anchor="middle" dy=".35em" { (label) }
                    }
                }
            }
            p class="legend-note" {
                "Corner numbers in bold, marshal sectors in small type; a sector is yellow, orange (double yellow) or red where race control showed those flags in it."
            }
            (numbers("flags by marshal sector", html! {
                @if flags.is_empty() { p { "No yellow or red flag was shown in a marshal sector." } } @else {
                    table class="results" id="sector-flags-table" {
                        thead { tr { th scope="col" class="n" { "Sector" } th scope="col" class="n" { "Yellow" } th scope="col" class="n" { "Double yellow" } th scope="col" class="n" { "Red" } } }
                        tbody {
                            @for (s, f) in &flags {
                                tr data-sector=(s) { td class="n" { (s) } td class="n" { (f.yellow) } td class="n" { (f.double_yellow) } td class="n" { (f.red) } }
                            }
                        }
                    }
                }
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monza_has_its_corners_and_marshal_sectors_in_track_order() {
        let l = layout("monza").expect("Monza's layout");
        assert_eq!(l.corners.len(), 11);
        assert!(l.sectors.len() > 10, "{}", l.sectors.len());
        let idx: Vec<usize> = l.sectors.iter().map(|s| s.1).collect();
        assert!(idx.windows(2).all(|w| w[0] <= w[1]));
        assert!(layout("baku").is_none());
    }

    #[test]
    fn a_fraction_of_the_lap_is_a_point_on_the_outline_and_locations_land_on_it() {
        let l = layout("monza").expect("Monza's layout");
        assert_eq!(l.along(0.0), l.track[0]);
        assert_eq!(l.along(1.0), l.track[0], "a whole lap is back at the line");
        let half = l.along(0.5);
        let near = l.track.iter().map(|p| dist(*p, half)).fold(f64::MAX, f64::min);
        assert!(near < 20.0, "half a lap is on the outline: {near}");
        assert!(dist(half, l.track[0]) > 50.0, "and away from the line");
        // The recorded outline's own first point, placed as a location sample, is the line.
        let raw: Raw = serde_json::from_str(BUNDLED[0].1).expect("the layout");
        let p = l.place(raw.x[0], raw.y[0]);
        assert!(dist(p, l.track[0]) < 1e-6, "{p:?}");
    }
}
