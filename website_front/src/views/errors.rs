//! The 404, 503 and 500 pages: plain words, a way on, never internals.
use maud::{Markup, html};

use super::layout::{self, Page, Section};

pub fn not_found(what: &str) -> Markup {
    let page = Page::new("Not found", "This page does not exist.", Section::Other);
    layout::render(
        &page,
        html! {
            div class="card error" {
                p class="big" aria-hidden="true" { "404" }
                h1 { "Not found" }
                p { "We have no " (what) "." }
                p { a href="/seasons" { "Browse every season" } " or go to " a href="/" { "the current season" } "." }
            }
        },
    )
}

/// A query parameter that cannot be right: which one, and what it takes.
pub fn bad_parameter(parameter: &str, message: &str) -> Markup {
    let page = Page::new("Bad request", "This address asks for something we cannot show.", Section::Other);
    layout::render(
        &page,
        html! {
            div class="card error" role="alert" {
                p class="big" aria-hidden="true" { "400" }
                h1 { "Bad request" }
                p { "The " code { (parameter) } " in this address is not right: " (message) "." }
                p { a href="/" { "Go to the current season" } }
            }
        },
    )
}

pub fn unavailable(retry_secs: u64) -> Markup {
    let mut page = Page::new("Data service unavailable", "The data service is unavailable right now.", Section::Other);
    page.refresh = Some(retry_secs);
    layout::render(
        &page,
        html! {
            div class="card error" role="alert" {
                p class="big" aria-hidden="true" { "503" }
                h1 { "The data service is unavailable" }
                p { "We cannot reach the F1 data right now. This page will retry by itself in "
                    (retry_secs) " seconds." }
                p { a href="" { "Retry now" } }
            }
        },
    )
}

pub fn internal(request_id: &str) -> Markup {
    let page = Page::new("Something went wrong", "Something went wrong.", Section::Other);
    layout::render(
        &page,
        html! {
            div class="card error" {
                p class="big" aria-hidden="true" { "500" }
                h1 { "Something went wrong" }
                p { "We could not show this page. Please try again later." }
                @if !request_id.is_empty() {
                    p class="muted" { "Reference: " code { (request_id) } }
                }
            }
        },
    )
}
