//! Driver and constructor pages built from race entries (issue 27): a
//! season without points, a team before the constructors' title, every
//! team of a season, numbers as raced and a date of death.
use crate::stack::{between, page};

#[tokio::test]
async fn senna_1994_shows_on_his_page_with_williams_and_his_date_of_death() {
    let p = page("/drivers/ayrton-senna").await;
    assert_eq!(p.status, 200, "{}", p.body);
    let hero = between(&p.body, "<h1>", "</p>");
    assert!(hero.contains("born 21 Mar 1960") && hero.contains("died 1 May 1994 (aged 34)"), "{hero}");
    assert!(!hero.contains("born 21 Mar 1960 ("), "no age today for the dead: {hero}");
    let row = between(&p.body, "href=\"/seasons/1994\"", "</tr>");
    assert!(row.contains("/constructors/williams") && row.contains("#2"), "{row}");
    assert!(row.contains("title=\"Not in the final standings\""), "{row}");
    assert!(p.body.contains("Races in 1994"), "his last season's races");
}

#[tokio::test]
async fn ickx_1973_lists_each_team_and_hill_his_number_0() {
    let p = page("/drivers/jacky-ickx").await;
    assert_eq!(p.status, 200, "{}", p.body);
    let row = between(&p.body, "href=\"/seasons/1973\"", "</tr>");
    for team in ["ferrari", "mclaren", "iso-marlboro"] {
        assert!(row.contains(&format!("/constructors/{team}\"")), "{team}: {row}");
    }
    let p = page("/drivers/damon-hill").await;
    let row = between(&p.body, "href=\"/seasons/1994\"", "</tr>");
    assert!(row.contains(">#0<"), "{row}");
    let race = page("/seasons/1994/rounds/1").await;
    let table = between(&race.body, "id=\"s-race\"", "</table>");
    let hill = table.split("<tr").find(|row| row.contains("/drivers/damon-hill")).expect("Hill's row");
    assert!(
        hill.starts_with("><td class=\"n pos\">2</td><td class=\"n opt\">0</td>"),
        "#0 in the classification: {hill}"
    );
}

#[tokio::test]
async fn ferrari_1952_shows_before_the_constructors_championship() {
    let p = page("/constructors/ferrari").await;
    assert_eq!(p.status, 200, "{}", p.body);
    let row = between(&p.body, "href=\"/seasons/1952\"", "</tr>");
    assert!(
        row.contains("/drivers/alberto-ascari") && row.contains("title=\"No constructors’ standing that season\""),
        "{row}"
    );
    assert!(row.contains("<td class=\"n opt\">7</td>"), "7 wins: {row}");
    let crumbs = between(&p.body, "class=\"crumbs\"", "</nav>");
    assert!(crumbs.contains("href=\"/constructors\""), "{crumbs}");
}

#[tokio::test]
async fn a_code_three_drivers_shared_in_1994_gives_way_to_their_surnames() {
    let race = page("/seasons/1994/rounds/1").await;
    let table = between(&race.body, "id=\"s-race\"", "</table>");
    for (name, surname) in [("Gerhard Berger", "Berger"), ("Éric Bernard", "Bernard"), ("Olivier Beretta", "Beretta")]
    {
        assert!(table.contains(&format!("title=\"{name}\">{surname}</abbr>")), "{name}: {table}");
    }
    assert!(!table.contains(">BER</abbr>"), "BER alone does not say who");
    assert!(table.contains("title=\"Damon Hill\">HIL</abbr>"), "an unshared code stays");
}
