//! Small pieces shared by the pages.
use maud::{Markup, html};

use super::fmt;

/// A link to a driver's page (plain text without an id).
pub fn driver(id: &str, name: &str) -> Markup {
    html! {
        @if id.is_empty() { (name) } @else { a href=(format!("/drivers/{id}")) { (name) } }
    }
}

/// A driver's name, shortened to the three-letter code on a phone.
pub fn driver_short(id: &str, name: &str, code: &str) -> Markup {
    if code.is_empty() {
        return driver(id, name);
    }
    let inner = html! { span class="long" { (name) } abbr class="short" title=(name) { (code) } };
    html! {
        @if id.is_empty() { (inner) } @else { a href=(format!("/drivers/{id}")) { (inner) } }
    }
}

/// A round's name; "Grand Prix" is left out on a phone.
pub fn round_name(name: &str) -> Markup {
    html! {
        @match name.strip_suffix(" Grand Prix") {
            Some(place) => { (place) span class="long" { " Grand Prix" } },
            None => (name),
        }
    }
}

/// A link to a constructor's page (plain text without an id).
pub fn constructor(id: &str, name: &str) -> Markup {
    html! {
        @if id.is_empty() { (name) } @else { a href=(format!("/constructors/{id}")) { (name) } }
    }
}

/// The thin team-colour bar in front of a name (decorative).
pub fn bar(color: Option<&str>) -> Markup {
    html! { span class="team" style=[fmt::team_style(color)] aria-hidden="true" {} }
}

pub fn pill(status: &str) -> Markup {
    html! { span class=(format!("pill {status}")) { (fmt::status_label(status)) } }
}

/// A start time in UTC that the script shows in the visitor's time zone.
pub fn local_time(ts: i64) -> Markup {
    html! { time datetime=(fmt::iso(ts)) data-local { (fmt::utc_label(ts)) } }
}
