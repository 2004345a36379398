//! The title-fight card is one table: position, points, the most reachable,
//! what each needs at the next session in a short phrase, the earliest
//! round each could clinch, and a badge; no sentence repeated per
//! contender. Read on the bundled 2026 data (which ends after round 11:
//! the next session is the Dutch Grand Prix sprint), and on finished
//! seasons (2021, decided at the last race; 1988, dropped scores).
use common::Shutdown;
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use testkit::data_scheduler::TestDataScheduler;

use crate::stack::{between, get, page, start_content, start_site};

/// The cells of each body row of the first table in `html`, tags stripped.
fn rows(html: &str) -> Vec<Vec<String>> {
    let body = between(html, "<tbody>", "</tbody>");
    body.split("</tr>")
        .filter(|r| r.contains("<td"))
        .map(|r| {
            r.split("</t")
                .filter_map(|cell| cell.rfind("<td").or_else(|| cell.rfind("<th")).map(|i| &cell[i..]))
                .map(strip)
                .collect()
        })
        .collect()
}

fn strip(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for ch in html.chars() {
        match ch {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn number(cell: &str) -> f64 {
    cell.parse().unwrap_or_else(|_| panic!("a number: {cell}"))
}

#[tokio::test]
async fn the_2026_card_is_a_table_with_what_each_needs() {
    let ds = TestDataScheduler::start().await;
    import_into(&ds.client(), F1dbSource::Bundled, Some(2026), Some(2026), |_| {}).await.expect("2026");
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    let season = get(&format!("{site}/seasons/2026")).await;
    assert_eq!(season.status, 200, "{}", season.body);
    let card = between(&season.body, "id=\"title-fight\"", "</section>");
    assert!(card.contains("Next: the Dutch Grand Prix sprint (round 12)."), "{card}");
    // No per-contender sentence: the old card said "… cannot clinch the
    // title at the Dutch Grand Prix sprint. Earliest possible: …" 22 times.
    assert!(!card.contains("Earliest possible"), "{card}");
    let text = strip(card);
    assert!(text.matches("cannot clinch the title at").count() <= 2, "at most the two headlines: {text}");

    let drivers = between(card, "<h3>Drivers</h3>", "</table>");
    let head = between(drivers, "<thead>", "</thead>");
    for column in ["Pos", "Name", "Pts", "Max", "Needs next", "Earliest clinch", "Title"] {
        assert!(head.contains(&format!(">{column}<")), "{column}: {head}");
    }
    let table = rows(drivers);
    assert!(table.len() >= 5, "{table:?}");
    // Columns: pos, name, pts, max, reach (the bar), needs, earliest, title.
    let (leader, second) = (&table[0], &table[1]);
    assert_eq!(leader[5], "Cannot clinch there", "{leader:?}");
    // The second may lose to the leader at the sprint what the rest of the
    // season (after it) still holds beyond the gap: its most reachable
    // less a sprint win (8 points in 2026), less the leader's points.
    let room = number(&second[3]) - 8.0 - number(&leader[2]);
    let surname = leader[1].rsplit(' ').next().unwrap();
    let phrase = if room >= 0.0 {
        format!("Can lose up to {room} points to {surname}")
    } else {
        format!("Must outscore {surname} by {}", -room)
    };
    assert_eq!(second[5], phrase, "{second:?}");
    // The earliest clinch, short ("R19 race"), for everyone still in it.
    for row in table.iter().filter(|r| r[7] != "Eliminated") {
        assert!(row[6].starts_with('R') && (row[6].ends_with(" race") || row[6].ends_with(" sprint")), "{row:?}");
    }
    assert!(card.contains("<h3>Constructors</h3>"), "both championships");
}

#[tokio::test]
async fn finished_seasons_keep_their_card_without_the_needs_columns() {
    for (year, champion) in [(2021, "Max Verstappen"), (1988, "Ayrton Senna")] {
        let p = page(&format!("/seasons/{year}")).await;
        let card = between(&p.body, "id=\"title-fight\"", "</section>");
        assert!(card.contains("class=\"fight-table\""), "{year}: {card}");
        assert!(!card.contains("Needs next") && !card.contains("Earliest clinch"), "{year}: {card}");
        assert!(card.contains(&format!("{champion} won the title")), "{year}: {card}");
    }
    let card = between(&page("/seasons/1988").await.body, "id=\"title-fight\"", "</section>").to_string();
    assert!(card.contains("Dropped scores: "), "1988 keeps its dropped-scores note: {card}");
    // 2021 was decided at the last race, level on points before it.
    let card = between(&page("/seasons/2021").await.body, "id=\"title-fight\"", "</section>").to_string();
    assert!(card.contains("were level on 369.5 points"), "{card}");
}
