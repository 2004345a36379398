//! The season racing page (`/en/racing/{year}`): one card per event, each a
//! link to its race-weekend page `/en/racing/{year}/{slug}` whose text
//! carries `ROUND n` (testing cards carry no round and are skipped).
use scraper::{Html, Selector};

use super::Formula1Error;

/// One championship round listed on the season page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeasonRound {
    pub round: i32,
    /// The weekend page's last path segment, e.g. `china`.
    pub slug: String,
    /// The card's title (usually the country), e.g. `China`.
    pub title: String,
    /// The weekend page's URL path, e.g. `/en/racing/2024/china`.
    pub path: String,
}

/// The URL path of a season's racing page.
pub fn season_path(year: i32) -> String {
    format!("/en/racing/{year}")
}

/// Parses a season racing page into its rounds, in round order. No round,
/// a round number twice, or a round linking two pages is an error.
pub fn parse_season_page(html: &str, year: i32) -> Result<Vec<SeasonRound>, Formula1Error> {
    let path = season_path(year);
    let doc = Html::parse_document(html);
    let links = Selector::parse("a[href]").expect("static selector");
    let prefix = format!("/en/racing/{year}/");
    let mut rounds: Vec<SeasonRound> = Vec::new();
    for a in doc.select(&links) {
        let href = a.attr("href").unwrap_or_default();
        let href = href.strip_prefix("https://www.formula1.com").unwrap_or(href);
        let Some(slug) = href.strip_prefix(&prefix) else { continue };
        let slug = slug.trim_end_matches('/');
        if slug.is_empty() || !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            continue;
        }
        let words: Vec<&str> = a.text().flat_map(str::split_whitespace).collect();
        let Some(at) = words.iter().position(|w| w.eq_ignore_ascii_case("round")) else { continue };
        let round: i32 = words.get(at + 1).and_then(|n| n.parse().ok()).ok_or_else(|| {
            Formula1Error::invalid(&path, format!("a[href=\"{href}\"]"), "ROUND is not followed by a number")
        })?;
        let title = card_title(&a).unwrap_or_else(|| slug.to_string());
        match rounds.iter().find(|r| r.round == round) {
            Some(known) if known.slug == slug => continue,
            Some(known) => {
                return Err(Formula1Error::invalid(
                    &path,
                    format!("round {round}"),
                    format!("links both `{}` and `{slug}`", known.slug),
                ));
            }
            None => {}
        }
        if let Some(known) = rounds.iter().find(|r| r.slug == slug) {
            return Err(Formula1Error::invalid(
                &path,
                slug,
                format!("is both round {} and round {round}", known.round),
            ));
        }
        rounds.push(SeasonRound { round, slug: slug.to_string(), title, path: format!("{prefix}{slug}") });
    }
    if rounds.is_empty() {
        return Err(Formula1Error::missing(&path, format!("a[href^=\"{prefix}\"] card with ROUND n")));
    }
    rounds.sort_by_key(|r| r.round);
    Ok(rounds)
}

/// The card's heading (`h2`..`h4`, or an element with a `title` class).
fn card_title(card: &scraper::ElementRef<'_>) -> Option<String> {
    let heading = Selector::parse("h2, h3, h4, .title, [class*=\"title\"]").expect("static selector");
    card.select(&heading)
        .map(|h| h.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|t| !t.is_empty())
}
