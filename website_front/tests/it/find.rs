//! Finding one's way (issue 27): the indexes, the search page and the
//! header's search form, as plain HTML (they work without scripts).
use crate::stack::{between, page};

fn links_in<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.match_indices(&format!("href=\"{prefix}"))
        .filter_map(|(i, _)| {
            let rest = &html[i + 6..];
            Some(&rest[..rest.find('"')?])
        })
        .collect()
}

#[tokio::test]
async fn drivers_index_pages_through_every_driver_and_filters_by_season() {
    let p = page("/drivers").await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("<h1>Drivers</h1>"));
    let table = between(&p.body, "<tbody>", "</tbody>");
    assert_eq!(links_in(table, "/drivers/").len(), 100, "a page of 100");
    assert!(p.body.contains("rel=\"next\" href=\"/drivers?page=2\""), "the next page");
    assert!(p.body.contains("aria-current=\"page\">Drivers</a>"), "Drivers is the current section");
    let second = page("/drivers?page=2").await;
    assert!(second.body.contains("rel=\"prev\" href=\"/drivers\""));

    let season = page("/drivers?season=2024").await;
    assert_eq!(season.status, 200);
    let rows = links_in(between(&season.body, "<tbody>", "</tbody>"), "/drivers/");
    assert_eq!(rows.len(), 24, "{rows:?}");
    assert!(rows.contains(&"/drivers/max-verstappen") && !rows.contains(&"/drivers/ayrton-senna"));
    assert!(season.body.contains("24 drivers in <a href=\"/seasons/2024\">2024</a>"), "the filter is said");
    assert_eq!(page("/drivers?season=19x4").await.status, 404);
    assert_eq!(page("/drivers?page=0").await.status, 404);
}

#[tokio::test]
async fn constructors_and_circuits_indexes_and_a_circuit_page() {
    let p = page("/constructors?q=ferrari").await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(links_in(&p.body, "/constructors/").contains(&"/constructors/ferrari"));
    let p = page("/circuits?season=2024").await;
    let rows = links_in(between(&p.body, "<tbody>", "</tbody>"), "/circuits/");
    assert_eq!(rows.len(), 24, "{rows:?}");
    let monza = page("/circuits/monza").await;
    assert_eq!(monza.status, 200, "{}", monza.body);
    assert!(monza.body.contains("<h1>Monza</h1>") && monza.body.contains("Italy"), "{}", monza.body);
    assert!(between(&monza.body, "class=\"crumbs\"", "</nav>").contains("href=\"/circuits\""));
    // The track map drawn from the recorded circuit data (bundled), served
    // from our own origin.
    assert!(monza.body.contains("src=\"/images/circuits/monza\""), "the track map");
    let map = page("/images/circuits/monza").await;
    assert_eq!((map.status, map.headers["content-type"].to_str().unwrap()), (200, "image/svg+xml"));
    assert!(map.body.contains("<title>Track map of Monza</title>"));
    assert_eq!(map.body.matches("<text ").count(), 11, "Monza's eleven corners");
    let winners = between(&monza.body, "id=\"winners\"", "</table>");
    let row = |year: i32| between(winners, &format!("href=\"/seasons/{year}\""), "</tr>").to_string();
    assert!(
        row(2024).contains("/drivers/charles-leclerc") && row(2024).contains("/constructors/ferrari"),
        "{}",
        row(2024)
    );
    assert!(row(1988).contains("/drivers/gerhard-berger"), "Berger won at Monza in 1988: {}", row(1988));
    assert!(winners.find("/seasons/2024\"") < winners.find("/seasons/1952\""), "newest first");
    assert_eq!(page("/circuits/nowhere").await.status, 404);
}

#[tokio::test]
async fn the_breadcrumbs_of_driver_and_constructor_pages_lead_to_their_indexes() {
    let p = page("/drivers/max-verstappen").await;
    let crumbs = between(&p.body, "class=\"crumbs\"", "</nav>");
    assert!(crumbs.contains("<a href=\"/drivers\">Drivers</a>"), "{crumbs}");
    assert_eq!(page("/drivers").await.status, 200);
    let round = page("/seasons/2021/rounds/22").await;
    assert!(round.body.contains("href=\"/circuits/yas-marina\""), "the round's circuit links its page");
}

#[tokio::test]
async fn search_finds_senna_perez_and_monza() {
    let senna = page("/search?q=senna").await;
    assert_eq!(senna.status, 200, "{}", senna.body);
    let drivers = between(&senna.body, "id=\"found-drivers\"", "</section>");
    for id in ["ayrton-senna", "bruno-senna"] {
        assert!(drivers.contains(&format!("href=\"/drivers/{id}\"")), "{id}: {drivers}");
    }
    let perez = page("/search?q=perez").await;
    let drivers = between(&perez.body, "id=\"found-drivers\"", "</section>");
    assert!(drivers.contains("href=\"/drivers/sergio-perez\">Sergio Pérez</a>"), "{drivers}");
    let monza = page("/search?q=monza").await;
    let circuits = between(&monza.body, "id=\"found-circuits\"", "</section>");
    assert!(circuits.contains("href=\"/circuits/monza\""), "{circuits}");
    assert!(between(&monza.body, "id=\"found-drivers\"", "</section>").contains("None."));
    let accented = page("/search?q=P%C3%A9rez").await;
    assert!(accented.body.contains("href=\"/drivers/sergio-perez\""), "Pérez typed with its accent");
}

#[tokio::test]
async fn search_without_a_name_shows_the_form_and_every_page_has_the_header_box() {
    for path in ["/search", "/search?q=", "/search?q=%3F%21"] {
        let p = page(path).await;
        assert_eq!(p.status, 200, "{path}");
        assert!(p.body.contains("action=\"/search\" method=\"get\""), "{path}");
        assert!(!p.body.contains("id=\"found-drivers\""), "{path}: nothing searched");
    }
    for path in ["/", "/seasons", "/drivers/max-verstappen"] {
        let p = page(path).await;
        let header = between(&p.body, "<header", "</header>");
        assert!(header.contains("<form class=\"search\" action=\"/search\" method=\"get\""), "{path}: {header}");
        assert!(header.contains("name=\"q\""), "{path}");
        let footer = between(&p.body, "<footer", "</footer>");
        assert!(footer.contains("href=\"/content/v1/docs\""), "{path}: the API docs are linked: {footer}");
    }
    // A long search is cut to what content_api takes, not refused.
    let long = page(&format!("/search?q={}", "a".repeat(300))).await;
    assert_eq!(long.status, 200);
}
