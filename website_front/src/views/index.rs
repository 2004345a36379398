//! `/drivers`, `/constructors`, `/circuits` and `/search`: the ways in.
//! Every filter is a plain GET form, so they work without scripts and each
//! result page has its own URL.
use content_types::{Circuit, CircuitList, Constructor, ConstructorList, Driver, DriverList};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

/// What an index page was asked for (already checked by the route).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub q: Option<String>,
    pub season: Option<i32>,
}

impl Filter {
    /// The query string of `page` under this filter (`?q=..&season=..&page=..`).
    pub fn query(&self, page: u32) -> String {
        let mut pairs = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = &self.q {
            pairs.append_pair("q", q);
        }
        if let Some(season) = self.season {
            pairs.append_pair("season", &season.to_string());
        }
        if page > 1 {
            pairs.append_pair("page", &page.to_string());
        }
        let query = pairs.finish();
        if query.is_empty() { query } else { format!("?{query}") }
    }
}

fn name_of(d: &Driver) -> String {
    if d.full_name.is_empty() { format!("{} {}", d.first_name, d.last_name) } else { d.full_name.clone() }
}

fn place_of(c: &Circuit) -> String {
    [c.locality.as_str(), c.country.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ")
}

fn driver_rows(drivers: &[Driver]) -> Markup {
    html! {
        @for d in drivers {
            tr {
                th scope="row" { (parts::driver(&d.id, &name_of(d))) }
                td class="opt" { (d.nationality) }
                td class="opt" {
                    @if let Some(dob) = &d.date_of_birth { (fmt::day(dob)) }
                    @if let Some(dod) = &d.date_of_death { " – " (fmt::day(dod)) }
                }
            }
        }
    }
}

fn constructor_rows(constructors: &[Constructor]) -> Markup {
    html! {
        @for c in constructors {
            tr {
                th scope="row" { (parts::bar(c.color.as_deref())) (parts::constructor(&c.id, &c.name)) }
                td class="opt" { (c.nationality) }
            }
        }
    }
}

fn circuit_rows(circuits: &[Circuit]) -> Markup {
    html! {
        @for c in circuits {
            tr {
                th scope="row" { a href=(format!("/circuits/{}", c.id)) { (c.name) } }
                td { (place_of(c)) }
            }
        }
    }
}

/// A table of `rows` under `heads` (the first names the record).
fn table(caption: &str, heads: &[(&str, bool)], rows: Markup, empty: bool) -> Markup {
    html! {
        div class="scroll" {
            table {
                caption class="sr-only" { (caption) }
                thead { tr { @for (h, optional) in heads { th scope="col" class=[optional.then_some("opt")] { (h) } } } }
                tbody {
                    (rows)
                    @if empty { tr { td colspan=(heads.len()) class="muted" { "Nothing matches." } } }
                }
            }
        }
    }
}

/// The filter form of an index: a name and a season, sent by GET.
fn filter_form(path: &str, what: &str, f: &Filter) -> Markup {
    html! {
        form class="card filter" action=(path) method="get" role="search" {
            label { "Name " input type="search" name="q" value=[f.q.as_deref()] placeholder=(format!("Search {what}")) maxlength="100"; }
            label { "Season " input type="number" name="season" value=[f.season] min="1950" max="2100" inputmode="numeric"; }
            button type="submit" { "Show" }
            @if f.q.is_some() || f.season.is_some() { " " a href=(path) { "Show all" } }
        }
    }
}

/// "Page 2 of 9" with the links either side.
fn pager(path: &str, f: &Filter, page: u32, per_page: u32, total: i32) -> Markup {
    let pages = u32::try_from(total).unwrap_or(0).div_ceil(per_page.max(1)).max(1);
    html! {
        @if pages > 1 {
            nav class="pager" aria-label="Pages" {
                @if page > 1 { a rel="prev" href=(format!("{path}{}", f.query(page - 1))) { "← Previous" } " " }
                span { "Page " (page) " of " (pages) }
                @if page < pages { " " a rel="next" href=(format!("{path}{}", f.query(page + 1))) { "Next →" } }
            }
        }
    }
}

/// `1 driver`, `24 drivers`: `plural` is the noun as the index names it.
fn counted(total: i32, plural: &str) -> String {
    let noun = if total == 1 { plural.strip_suffix('s').unwrap_or(plural) } else { plural };
    format!("{total} {noun}")
}

fn summary(total: i32, noun: &str, f: &Filter) -> Markup {
    html! {
        p {
            (counted(total, noun))
            @if let Some(q) = &f.q { " matching “" (q) "”" }
            @if let Some(y) = f.season { " in " a href=(format!("/seasons/{y}")) { (y) } }
            "."
        }
    }
}

/// One index's page: what it is, and the page of rows it shows.
struct Listing<'a> {
    title: &'static str,
    section: Section,
    path: &'static str,
    /// The first column's heading, and the others' (optional on a phone or not).
    heads: &'a [(&'a str, bool)],
    rows: Markup,
    shown: usize,
    total: i32,
    page: u32,
    per_page: u32,
}

/// Where a listing's page stands: its path, rows shown and the paging.
struct Paged {
    path: &'static str,
    shown: usize,
    total: i32,
    page: u32,
    per_page: u32,
}

impl Paged {
    fn of(path: &'static str, shown: usize, total: i32, page: u32, per_page: u32) -> Self {
        Self { path, shown, total, page, per_page }
    }

    fn listing<'a>(
        self,
        title: &'static str,
        section: Section,
        heads: &'a [(&'a str, bool)],
        rows: Markup,
    ) -> Listing<'a> {
        let Self { path, shown, total, page, per_page } = self;
        Listing { title, section, path, heads, rows, shown, total, page, per_page }
    }
}

fn index_page(l: Listing<'_>, f: &Filter) -> Markup {
    let noun = l.title.to_lowercase();
    let description = format!("{} in this site’s Formula 1 data, searchable by name and season.", l.title);
    layout::render(
        &Page::new(l.title, &description, l.section),
        html! {
            div class="hero" { div { h1 { (l.title) } (summary(l.total, &noun, f)) } }
            (filter_form(l.path, &noun, f))
            section class="card" {
                (table(l.title, l.heads, l.rows, l.shown == 0))
                (pager(l.path, f, l.page, l.per_page, l.total))
            }
        },
    )
}

pub fn drivers(list: &DriverList, f: &Filter) -> Markup {
    let heads = [("Driver", false), ("Nationality", true), ("Born – died", true)];
    let rows = driver_rows(&list.drivers);
    let page = Paged::of("/drivers", list.drivers.len(), list.total, list.page, list.per_page);
    index_page(page.listing("Drivers", Section::Drivers, &heads, rows), f)
}

pub fn constructors(list: &ConstructorList, f: &Filter) -> Markup {
    let heads = [("Constructor", false), ("Nationality", true)];
    let rows = constructor_rows(&list.constructors);
    let page = Paged::of("/constructors", list.constructors.len(), list.total, list.page, list.per_page);
    index_page(page.listing("Constructors", Section::Constructors, &heads, rows), f)
}

pub fn circuits(list: &CircuitList, f: &Filter) -> Markup {
    let heads = [("Circuit", false), ("Place", false)];
    let rows = circuit_rows(&list.circuits);
    let page = Paged::of("/circuits", list.circuits.len(), list.total, list.page, list.per_page);
    index_page(page.listing("Circuits", Section::Circuits, &heads, rows), f)
}

/// What `/search` found in each index (the first page of each).
pub struct Found {
    pub q: String,
    pub drivers: DriverList,
    pub constructors: ConstructorList,
    pub circuits: CircuitList,
}

fn found_section(id: &str, title: &str, total: i32, shown: usize, all: &str, rows: Markup) -> Markup {
    html! {
        section class="card" aria-labelledby=(id) {
            h2 id=(id) { (title) " " small class="muted" { (total) } }
            @if total == 0 { p class="muted" { "None." } } @else {
                div class="scroll" { table { tbody { (rows) } } }
                @if usize::try_from(total).unwrap_or(0) > shown { p { a href=(all) { "All " (total) " " (title.to_lowercase()) " →" } } }
            }
        }
    }
}

/// `/search`: the query's matches among drivers, constructors and circuits,
/// or just the form when nothing was asked.
pub fn search(found: Option<&Found>) -> Markup {
    let title = found.map_or_else(|| "Search".to_string(), |f| format!("Search: {}", f.q));
    let page = Page::new(&title, "Find a driver, a constructor or a circuit by name.", Section::Other);
    layout::render(
        &page,
        html! {
            div class="hero" { div {
                h1 { "Search" }
                @match found {
                    Some(f) => p { (counted(f.drivers.total + f.constructors.total + f.circuits.total, "results")) " for “" (f.q) "”." },
                    None => p { "Type a driver’s, a constructor’s or a circuit’s name; accents are optional." },
                }
            } }
            form class="card filter" action="/search" method="get" role="search" {
                label { "Name " input type="search" name="q" value=[found.map(|f| f.q.as_str())] maxlength="100"; }
                button type="submit" { "Search" }
            }
            @if let Some(f) = found {
                @let all = |path: &str| format!("{path}{}", Filter { q: Some(f.q.clone()), season: None }.query(1));
                (found_section("found-drivers", "Drivers", f.drivers.total, f.drivers.drivers.len(), &all("/drivers"), driver_rows(&f.drivers.drivers)))
                (found_section("found-constructors", "Constructors", f.constructors.total, f.constructors.constructors.len(), &all("/constructors"), constructor_rows(&f.constructors.constructors)))
                (found_section("found-circuits", "Circuits", f.circuits.total, f.circuits.circuits.len(), &all("/circuits"), circuit_rows(&f.circuits.circuits)))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(counted(1, "drivers"), "1 driver");
        assert_eq!(counted(0, "circuits"), "0 circuits");
        assert_eq!(counted(24, "results"), "24 results");
        let f = Filter { q: Some("Pérez".into()), season: Some(2024) };
        assert_eq!(f.query(2), "?q=P%C3%A9rez&season=2024&page=2");
        assert_eq!(Filter::default().query(1), "");
    }
}
