//! Every page rendered from real data (f1db 2021–2024).
use std::collections::BTreeSet;

use crate::stack::{between, page};

fn round_links(html: &str, year: i32) -> BTreeSet<u32> {
    let needle = format!("href=\"/seasons/{year}/rounds/");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

#[tokio::test]
async fn season_2024_lists_24_rounds_and_verstappen_champion_with_437_points() {
    let p = page("/seasons/2024").await;
    assert_eq!(p.status, 200, "{}", p.body);
    let calendar = between(&p.body, "<table id=\"calendar\"", "</table>");
    assert_eq!(round_links(calendar, 2024), (1..=24).collect(), "calendar rounds");
    assert_eq!(calendar.matches("<tr>").count(), 25, "a header row and 24 rounds");
    // The headline: the champion and his points.
    let champion = between(&p.body, "Drivers’ champion", "</div></div>");
    assert!(champion.contains("Max Verstappen"), "{champion}");
    assert!(champion.contains("437 points"), "{champion}");
    // Winners in the calendar: Norris won in Miami (round 6).
    let miami = between(calendar, "/seasons/2024/rounds/6\"", "</tr>");
    assert!(miami.contains("Lando Norris"), "{miami}");
    // Standings tables, the chart and the title fight.
    let drivers = between(&p.body, "<table id=\"drivers\"", "</table>");
    let first_row = between(drivers, "<tbody>", "</tr>");
    assert!(first_row.contains("Max Verstappen") && first_row.contains(">437<"), "{first_row}");
    let chart = between(&p.body, "id=\"progression\"", "</section>");
    let wide = between(chart, "<div class=\"chart wide\">", "</svg>");
    assert!(wide.matches("<path d=").count() >= 20, "a line per driver");
    assert!(chart.contains(">VER <tspan>437</tspan>"), "the leader's line is labelled");
    let fight = between(&p.body, "How the title was won", "</section>");
    assert!(fight.contains("Max Verstappen won the title, clinched at the Las Vegas Grand Prix race"), "{fight}");
    assert!(fight.contains("pill champ"), "{fight}");
}

#[tokio::test]
async fn abu_dhabi_2021_shows_the_race_classification() {
    let p = page("/seasons/2021/rounds/22").await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("<h1>Abu Dhabi Grand Prix</h1>"));
    assert!(p.body.contains("Yas Marina"), "circuit facts");
    let race = between(&p.body, "id=\"s-race\"", "</table>");
    assert!(race.contains("Race classification"), "{race}");
    let rows: Vec<&str> = race.split("<tr>").skip(2).collect();
    assert!(rows.len() >= 20, "every starter is classified: {}", rows.len());
    assert!(rows[0].contains("Max Verstappen") && rows[0].contains(">26<"), "winner with 26 points: {}", rows[0]);
    assert!(rows[1].contains("Lewis Hamilton"), "{}", rows[1]);
    // Qualifying with Q1/Q2/Q3.
    let quali = between(&p.body, "id=\"s-qualifying\"", "</table>");
    assert!(quali.contains(">Q3<"), "{quali}");
    // The race tab opens first.
    assert!(p.body.contains("aria-controls=\"s-race\" aria-selected=\"true\""));
}

#[tokio::test]
async fn unknown_season_round_and_driver_are_404_pages() {
    for path in ["/seasons/2024/rounds/99", "/seasons/1900", "/seasons/20x4", "/drivers/nobody-at-all", "/nowhere"] {
        let p = page(path).await;
        assert_eq!(p.status, 404, "{path}");
        assert!(p.body.contains("<h1>Not found</h1>"), "{path}: {}", p.body);
        assert!(p.headers["content-type"].to_str().unwrap().starts_with("text/html"), "{path}");
    }
    let p = page("/seasons/2024/rounds/99").await;
    assert!(p.body.contains("round 99 in the 2024 season"), "{}", p.body);
}

#[tokio::test]
async fn home_shows_the_latest_season_at_a_glance() {
    let p = page("/").await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("<h1>2024 season</h1>"), "{}", p.body);
    let leader = between(&p.body, "Champion</div>", "</div></div>");
    assert!(leader.contains("Max Verstappen") && leader.contains("63 points ahead of"), "{leader}");
    let podium = between(&p.body, "class=\"podium\"", "</ol>");
    assert!(podium.contains("Lando Norris"), "Norris won Abu Dhabi 2024: {podium}");
    assert!(!p.body.contains("class=\"banner\""), "no session is live");
}

#[tokio::test]
async fn seasons_are_listed_newest_first_with_champions() {
    let p = page("/seasons").await;
    assert_eq!(p.status, 200);
    let (y24, y21) = (p.body.find(">2024<").unwrap(), p.body.find(">2021<").unwrap());
    assert!(y24 < y21, "newest first");
    let row = between(&p.body, ">2023<", "</tr>");
    assert!(row.contains("Max Verstappen") && row.contains("Red Bull") && row.contains(">22<"), "{row}");
}

#[tokio::test]
async fn driver_and_constructor_pages_show_their_seasons() {
    let p = page("/drivers/max-verstappen").await;
    assert_eq!(p.status, 200, "{}", p.body);
    let row = between(&p.body, "href=\"/seasons/2023\"", "</tr>");
    assert!(row.contains(">575<"), "575 points in 2023: {row}");
    assert!(p.body.contains("Races in 2024"), "race by race of the latest season");
    let p = page("/constructors/mclaren").await;
    assert_eq!(p.status, 200, "{}", p.body);
    let row = between(&p.body, "href=\"/seasons/2024\"", "</tr>");
    assert!(row.contains("Lando Norris") && row.contains("Oscar Piastri"), "{row}");
}

#[tokio::test]
async fn assets_are_fingerprinted_and_immutable() {
    let p = page("/").await;
    // live.js is the live board's own script.
    let live = page("/live").await;
    for url in website_front::assets::urls() {
        let referenced = p.body.contains(url.as_str()) || live.body.contains(url.as_str());
        assert!(referenced || url.ends_with(".svg"), "{url} referenced");
        let a = page(url).await;
        assert_eq!(a.status, 200, "{url}");
        assert_eq!(a.headers["cache-control"], "public, max-age=31536000, immutable", "{url}");
    }
    assert_eq!(page("/assets/site.000000000000.css").await.status, 404);
    assert!(p.headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
}

/// Nothing is live in the shared stack: `/live/now` says so without a body.
#[tokio::test]
async fn nothing_live_is_no_content() {
    let p = page("/live/now").await;
    assert_eq!((p.status, p.body.as_str()), (204, ""));
    assert_eq!(p.headers["cache-control"], "public, max-age=15");
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    assert_eq!(page("/health").await.status, 200);
    let ready = page("/health/ready").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert!(ready.body.contains("\"content_api\""), "{}", ready.body);
    let m = page("/metrics").await;
    assert_eq!(m.status, 200);
}

#[tokio::test]
async fn the_1964_finale_what_if_and_what_each_contender_needs() {
    let p = page("/seasons/1964").await;
    assert_eq!(p.status, 200);
    for name in ["Graham Hill", "John Surtees", "Jim Clark"] {
        assert!(p.body.contains(name), "{name} on the page");
    }
    assert!(p.body.contains("class=\"needs\""), "what each contender needs");
    assert!(p.body.contains("action=\"/seasons/1964/what-if\""), "the what-if form");
    let w = page("/seasons/1964/what-if?p1=dan-gurney&p2=john-surtees&p3=lorenzo-bandini").await;
    assert_eq!(w.status, 200);
    assert!(w.body.contains("John Surtees would be champion"), "{}", w.body);
    let bad = page("/seasons/1964/what-if?p1=dan-gurney&p2=dan-gurney").await;
    assert!(bad.body.contains("Pick a different driver for each place."), "{}", bad.body);
    // A finished season says so in words (it said "We have no a session…").
    let over = page("/seasons/2021/what-if").await;
    assert_eq!(over.status, 200);
    assert!(over.body.contains("The 2021 season is over: no session is left to play."), "{}", over.body);
    assert!(over.body.contains("Max Verstappen won the title."), "{}", over.body);
}

/// A finished season reads as finished: "How the title was won" and "Final
/// standings"; a season still running (1964 before its last round, in this
/// stack) asks who can still win and names the round its tables are after.
#[tokio::test]
async fn finished_seasons_read_as_finished() {
    let done = page("/seasons/1988").await;
    assert_eq!(done.status, 200);
    assert!(done.body.contains("How the title was won"), "1988's title card");
    assert!(!done.body.contains("Who can still win?"), "not asked of a finished season");
    for table in ["<table id=\"drivers\"", "<table id=\"constructors\""] {
        let t = between(&done.body, table, "</caption>");
        assert!(t.contains("Final standings") && !t.contains("after round"), "{t}");
    }
    // Decided at the final round: how the two first stood before it.
    let finale = page("/seasons/2021").await;
    let fight = between(&finale.body, "id=\"title-fight\"", "</section>");
    assert!(
        fight.contains("Before the final round, Max Verstappen and Lewis Hamilton were level on 369.5 points."),
        "{fight}"
    );
    assert!(fight.contains("Mercedes led Red Bull by 28 points before the final round."), "{fight}");
    // 1988 was settled at Suzuka (round 15 of 16): no final-round fact.
    let settled = between(&done.body, "id=\"title-fight\"", "</section>");
    assert!(!settled.contains("before the final round") && !settled.contains("class=\"decisive\""), "{settled}");

    let running = page("/seasons/1964").await;
    assert_eq!(running.status, 200);
    assert!(running.body.contains("Who can still win?"), "1964 before its last round");
    let t = between(&running.body, "<table id=\"drivers\"", "</caption>");
    assert!(t.contains("after round ") && !t.contains("Final standings"), "{t}");
}
