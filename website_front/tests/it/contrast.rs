//! Every pill's text against its background, in both themes, computed from
//! the stylesheet itself: WCAG AA asks 4.5:1 for text this small (0.78rem).
//! Pills sit on cards; their own background is `--soft` unless a rule sets
//! one, and their text is the card's (`--fg`) unless a rule sets a colour.
use std::collections::HashMap;

const CSS: &str = include_str!("../../src/assets/site.css");

/// The custom properties of the first `:root { … }` block in `css`.
fn vars_of(css: &str) -> HashMap<String, String> {
    let start = css.find(":root {").expect(":root block") + ":root {".len();
    let end = start + css[start..].find('}').expect("end of :root");
    css[start..end]
        .split(';')
        .filter_map(|d| {
            let d = strip_comments(d);
            let (k, v) = d.split_once(':')?;
            let k = k.trim();
            k.starts_with("--").then(|| (k.to_string(), v.trim().to_string()))
        })
        .collect()
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out
}

/// The light theme's properties, and the dark theme's (light overridden).
fn themes() -> [(&'static str, HashMap<String, String>); 2] {
    let light = vars_of(CSS);
    let dark_at = CSS.find("@media (prefers-color-scheme: dark)").expect("a dark theme");
    let mut dark = light.clone();
    dark.extend(vars_of(&CSS[dark_at..]));
    [("light", light), ("dark", dark)]
}

/// Each `.pill…` rule's selector with its `color` and `background`.
fn pill_rules() -> Vec<(String, Option<String>, Option<String>)> {
    let css = strip_comments(CSS);
    let mut out = Vec::new();
    for block in css.split('}') {
        let Some((selectors, decls)) = block.split_once('{') else { continue };
        let decl = |name: &str| {
            decls.split(';').find_map(|d| {
                let (k, v) = d.split_once(':')?;
                (k.trim() == name).then(|| v.trim().to_string())
            })
        };
        for sel in selectors.split(',').map(str::trim).filter(|s| s.starts_with(".pill")) {
            out.push((sel.to_string(), decl("color"), decl("background")));
        }
    }
    out
}

fn resolve(value: &str, vars: &HashMap<String, String>) -> String {
    match value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) {
        Some(name) => resolve(&vars[name.trim()], vars),
        None => value.to_string(),
    }
}

fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    let h: String = if h.len() == 3 { h.chars().flat_map(|c| [c, c]).collect() } else { h.to_string() };
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&h[i..i + 2], 16).expect("hex colour")) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn every_pill_meets_aa_contrast_in_both_themes() {
    let rules = pill_rules();
    assert!(rules.len() >= 12, "the pills were found: {rules:?}");
    for (theme, vars) in themes() {
        for (selector, color, background) in &rules {
            let fg = resolve(color.as_deref().unwrap_or("var(--fg)"), &vars);
            let bg = resolve(background.as_deref().unwrap_or("var(--soft)"), &vars);
            if !fg.starts_with('#') || !bg.starts_with('#') {
                continue; // `currentColor` and the like follow another rule's colour
            }
            let ratio = contrast(&fg, &bg);
            assert!(ratio >= 4.5, "{selector} in the {theme} theme: {fg} on {bg} is {ratio:.2}:1");
        }
    }
}

#[test]
fn the_contrast_ratio_is_wcags() {
    // Black on white is 21:1; the same colour is 1:1.
    assert!((contrast("#000", "#fff") - 21.0).abs() < 1e-9);
    assert!((contrast("#767676", "#767676") - 1.0).abs() < 1e-9);
    // #767676 on white is WCAG's classic 4.54:1.
    assert!((contrast("#767676", "#ffffff") - 4.54).abs() < 0.01);
}

/// The `color` of the first rule whose selector list holds `selector`.
fn color_of(selector: &str) -> String {
    let css = strip_comments(CSS);
    css.split('}')
        .filter_map(|b| b.split_once('{'))
        .find(|(sels, _)| sels.split(',').any(|s| s.trim() == selector))
        .and_then(|(_, decls)| {
            decls.split(';').find_map(|d| {
                let (k, v) = d.split_once(':')?;
                (k.trim() == "color").then(|| v.trim().to_string())
            })
        })
        .unwrap_or_else(|| panic!("a colour for {selector}"))
}

#[test]
fn the_live_boards_trends_meet_aa_contrast_in_both_themes() {
    // The arrows and numbers sit in the leaderboard, on a card.
    for (theme, vars) in themes() {
        let bg = resolve("var(--card)", &vars);
        for selector in [".trend.gain", ".trend.lose", ".trend.same"] {
            let fg = resolve(&color_of(selector), &vars);
            let ratio = contrast(&fg, &bg);
            assert!(ratio >= 4.5, "{selector} in the {theme} theme: {fg} on {bg} is {ratio:.2}:1");
        }
    }
}
