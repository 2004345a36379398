//! Track maps drawn from recorded circuit data (MultiViewer's format: the
//! outline's `x`/`y` points, the corners with their position and the
//! angle their label sits at, and a `rotation` for display), for circuits
//! with no image stored. The data is bundled (`bundled/layouts/`, see its
//! `SOURCE.md`); the drawing is an SVG written as the circuit's image by
//! the f1db import (the bundled data's first start), never over an image
//! already stored (formula1.com's, once synced, is the circuit's own).
use protobuf::v1::CircuitImage;
use serde::Deserialize;

use crate::upstream::{SourceName, UpstreamError};

/// Our circuit id, the bundled file and where it was recorded from.
const BUNDLED: &[(&str, &str, &str)] = &[(
    "monza",
    include_str!("../../bundled/layouts/monza.json"),
    "https://api.multiviewer.app/api/v1/circuits/39/2020",
)];

#[derive(Debug, Deserialize)]
struct Layout {
    x: Vec<f64>,
    y: Vec<f64>,
    #[serde(default)]
    rotation: f64,
    #[serde(default)]
    corners: Vec<Corner>,
    #[serde(rename = "circuitName")]
    circuit_name: String,
}

#[derive(Debug, Deserialize)]
struct Corner {
    number: u32,
    #[serde(default)]
    letter: Option<String>,
    angle: f64,
    #[serde(rename = "trackPosition")]
    at: Point,
}

#[derive(Debug, Deserialize, Clone, Copy)]
struct Point {
    x: f64,
    y: f64,
}

/// The drawing's size: the outline is scaled into this box, less a margin.
const SIZE: f64 = 1000.0;
const MARGIN: f64 = 70.0;
/// How far from the track a corner's number sits (track units).
const LABEL_OFFSET: f64 = 700.0;

fn rotate(p: Point, degrees: f64) -> Point {
    let (s, c) = degrees.to_radians().sin_cos();
    Point { x: p.x * c - p.y * s, y: p.x * s + p.y * c }
}

/// The SVG of a layout: the outline as one closed path, the corners'
/// numbers beside it, the start/finish at the outline's first point.
fn svg(l: &Layout) -> Result<String, String> {
    if l.x.len() != l.y.len() || l.x.len() < 10 {
        return Err(format!("{} points of x and {} of y", l.x.len(), l.y.len()));
    }
    let track: Vec<Point> = l.x.iter().zip(&l.y).map(|(&x, &y)| rotate(Point { x, y }, l.rotation)).collect();
    let labels: Vec<(String, Point)> = l
        .corners
        .iter()
        .map(|c| {
            let (s, co) = c.angle.to_radians().sin_cos();
            let at = Point { x: c.at.x + LABEL_OFFSET * co, y: c.at.y + LABEL_OFFSET * s };
            (format!("{}{}", c.number, c.letter.as_deref().unwrap_or("")), rotate(at, l.rotation))
        })
        .collect();
    let all = track.iter().chain(labels.iter().map(|(_, p)| p));
    let (min_x, max_x, min_y, max_y) = all.fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |(a, b, c, d), p| {
        (a.min(p.x), b.max(p.x), c.min(p.y), d.max(p.y))
    });
    let span = (max_x - min_x).max(max_y - min_y).max(1.0);
    let scale = (SIZE - 2.0 * MARGIN) / span;
    let (w, h) = ((max_x - min_x) * scale + 2.0 * MARGIN, (max_y - min_y) * scale + 2.0 * MARGIN);
    // SVG's y runs down: flip it so the map reads as the data draws it.
    let at = |p: &Point| ((p.x - min_x) * scale + MARGIN, h - ((p.y - min_y) * scale + MARGIN));
    let mut path = String::new();
    for (i, p) in track.iter().enumerate() {
        let (x, y) = at(p);
        path.push_str(&format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" }));
    }
    path.push_str(" Z");
    let (sx, sy) = at(&track[0]);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" role=\"img\" aria-label=\"Track map of {name}\">\
         <title>Track map of {name}</title>\
         <path d=\"{path}\" fill=\"none\" stroke=\"#888\" stroke-width=\"22\" stroke-linejoin=\"round\"/>\
         <path d=\"{path}\" fill=\"none\" stroke=\"#15151e\" stroke-width=\"9\" stroke-linejoin=\"round\"/>\
         <circle cx=\"{sx:.1}\" cy=\"{sy:.1}\" r=\"13\" fill=\"#d10600\"><title>Start and finish</title></circle>",
        name = l.circuit_name
    );
    for (label, p) in &labels {
        let (x, y) = at(p);
        out.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-family=\"system-ui, sans-serif\" font-size=\"30\" font-weight=\"700\" \
             text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#585866\">{label}</text>"
        ));
    }
    out.push_str("</svg>");
    Ok(out)
}

/// The bundled track maps as circuit images (SVG), by our circuit id.
pub fn circuit_images() -> Result<Vec<CircuitImage>, UpstreamError> {
    BUNDLED
        .iter()
        .map(|(id, json, source)| {
            let invalid = |message: String| UpstreamError::Invalid {
                upstream: SourceName::F1db,
                path: format!("bundled/layouts/{id}.json"),
                field: "layout".into(),
                message,
            };
            let layout: Layout = serde_json::from_str(json).map_err(|e| invalid(e.to_string()))?;
            Ok(CircuitImage {
                circuit_id: (*id).to_string(),
                content_type: "image/svg+xml".into(),
                data: svg(&layout).map_err(invalid)?.into_bytes(),
                source_url: (*source).to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monza_is_drawn_with_its_eleven_corners() {
        let images = circuit_images().unwrap();
        assert_eq!(images.len(), 1);
        let svg = String::from_utf8(images[0].data.clone()).unwrap();
        assert_eq!(images[0].circuit_id, "monza");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg:.80}");
        assert!(svg.contains("<title>Track map of Monza</title>"));
        // The recording: 726 outline points, 11 corners.
        let raw: serde_json::Value = serde_json::from_str(BUNDLED[0].1).unwrap();
        let points = raw["x"].as_array().unwrap().len();
        let corners = raw["corners"].as_array().unwrap().len();
        assert_eq!(svg.matches(" L").count() / 2 + 1, points, "every point, in both strokes");
        assert_eq!(svg.matches("<text ").count(), corners);
        for n in 1..=corners {
            assert!(svg.contains(&format!(">{n}</text>")), "corner {n}");
        }
        // Everything inside the view box.
        let view: Vec<f64> = svg
            .split("viewBox=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        for n in svg.split(['M', 'L', ' ']).filter_map(|t| t.parse::<f64>().ok()) {
            assert!((0.0..=view[2].max(view[3])).contains(&n), "{n} outside {view:?}");
        }
    }
}
