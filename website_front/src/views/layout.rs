//! The page shell: head with the fingerprinted assets, header with
//! navigation, footer with the data attribution.
use maud::{DOCTYPE, Markup, html};

use crate::assets;

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Seasons,
    Drivers,
    Constructors,
    Circuits,
    Live,
    Other,
}

pub struct Page<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub section: Section,
    /// Seconds after which the page reloads itself (the 503 page).
    pub refresh: Option<u64>,
    /// Seconds after which the page reloads itself when scripts are off
    /// (the live board, which a script otherwise keeps current).
    pub refresh_without_script: Option<u64>,
    /// A page's own script (an asset's logical name), after `site.js`.
    pub script: Option<&'static str>,
}

impl<'a> Page<'a> {
    pub fn new(title: &'a str, description: &'a str, section: Section) -> Self {
        Self { title, description, section, refresh: None, refresh_without_script: None, script: None }
    }
}

fn nav_link(href: &str, label: &str, current: bool) -> Markup {
    html! { a href=(href) aria-current=[current.then_some("page")] { (label) } }
}

pub fn render(page: &Page<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) " · willitbemax" }
                meta name="description" content=(page.description);
                meta property="og:title" content=(page.title);
                meta property="og:description" content=(page.description);
                meta property="og:type" content="website";
                meta property="og:site_name" content="willitbemax";
                meta name="color-scheme" content="light dark";
                @if let Some(secs) = page.refresh {
                    meta http-equiv="refresh" content=(secs);
                }
                link rel="icon" href=(assets::url("favicon.svg")) type="image/svg+xml";
                link rel="stylesheet" href=(assets::url("site.css"));
                script src=(assets::url("site.js")) defer {}
                @if let Some(script) = page.script {
                    script src=(assets::url(script)) defer {}
                }
                @if let Some(secs) = page.refresh_without_script {
                    noscript { meta http-equiv="refresh" content=(secs); }
                }
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="top" {
                    div class="wrap" {
                        a class="brand" href="/" {
                            img src=(assets::url("favicon.svg")) alt="" width="28" height="28";
                            span { "willitbe" b { "max" } }
                        }
                        nav aria-label="Main" {
                            (nav_link("/", "Now", page.section == Section::Home))
                            (nav_link("/seasons", "Seasons", page.section == Section::Seasons))
                            (nav_link("/drivers", "Drivers", page.section == Section::Drivers))
                            (nav_link("/constructors", "Constructors", page.section == Section::Constructors))
                            (nav_link("/circuits", "Circuits", page.section == Section::Circuits))
                            (nav_link("/live", "Live", page.section == Section::Live))
                        }
                        // A plain GET form: works without scripts.
                        form class="search" action="/search" method="get" role="search" {
                            label for="site-q" class="sr-only" { "Search drivers, constructors and circuits" }
                            input type="search" id="site-q" name="q" placeholder="Search" maxlength="100";
                            button type="submit" { "Search" }
                        }
                    }
                }
                main id="main" class="wrap" { (body) }
                footer {
                    div class="wrap" {
                        "willitbemax — a self-hosted Formula 1 data site. Historical data from F1DB (CC BY 4.0). "
                        "Not affiliated with Formula 1."
                        p class="api" {
                            "For programs: the "
                            a href="/content/v1/docs" { "API documentation" } " ("
                            a href="/content/v1/openapi.json" { "OpenAPI" } ")."
                        }
                    }
                }
            }
        }
    }
}
