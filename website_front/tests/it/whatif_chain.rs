//! The what-if carries on: 2021 before its last two rounds (Saudi Arabia and
//! Abu Dhabi; Verstappen 351.5, Hamilton 343.5), played session after
//! session through the forms, the scenario in the URL, each contender's
//! change shown; and "wins every remaining race and sprint" in one go.
use common::Shutdown;
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use testkit::data_scheduler::TestDataScheduler;

use crate::browser::{self, cdp::Browser};
use crate::stack::{before_the_last_rounds, between, get, start_content, start_site};

const FIRST: &str = "s=21-race%3Alewis-hamilton%2Cmax-verstappen";
const THEN: &str = "s=22-race%3Amax-verstappen%2Clewis-hamilton";

// Two workers: the browser blocks one while the servers answer on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_what_if_chains_session_after_session() {
    let ds = TestDataScheduler::start().await;
    import_into(&ds.client(), F1dbSource::Bundled, Some(2021), Some(2021), |_| {}).await.expect("2021");
    before_the_last_rounds(&ds, 2021, 2).await;
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    // Without scripts, by URL: the first step redirects to its scenario's URL.
    let first = get(&format!("{site}/seasons/2021/what-if?p1=lewis-hamilton&p2=max-verstappen")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains("Still open after the Saudi Arabian Grand Prix race (round 21)."), "{}", first.body);
    let changes = between(&first.body, "<table id=\"whatif-changes\"", "</table>");
    // Hamilton 343.5 + 25, Verstappen 351.5 + 18 (no fastest-lap point set).
    assert!(
        changes.contains(
            "Lewis Hamilton</th><td class=\"n\">343.5</td><td class=\"n\">368.5 <small class=\"muted\">+25</small></td>"
        ),
        "{changes}"
    );
    assert!(
        changes.contains(
            "Max Verstappen</th><td class=\"n\">351.5</td><td class=\"n\">369.5 <small class=\"muted\">+18</small></td>"
        ),
        "{changes}"
    );
    // The next form carries the scenario and asks about Abu Dhabi.
    let form = between(&first.body, "<h3>And then…</h3>", "</form>");
    assert!(form.contains("Abu Dhabi Grand Prix race (round 22)"), "{form}");
    assert!(form.contains("name=\"s\" value=\"21-race:lewis-hamilton,max-verstappen\""), "{form}");

    let both = get(&format!("{site}/seasons/2021/what-if?{FIRST}&{THEN}")).await;
    let verdicts: Vec<&str> =
        both.body.match_indices("id=\"whatif-verdict\"").map(|(i, _)| &both.body[i..i + 120]).collect();
    assert_eq!(verdicts.len(), 2, "one verdict per session");
    assert!(both.body.contains("Max Verstappen would be champion after the Abu Dhabi Grand Prix race (round 22)."));
    let scenario = between(&both.body, "<ol class=\"scenario\">", "</ol>");
    assert_eq!(scenario.matches("<li>").count(), 2, "the scenario repeated: {scenario}");

    // One driver winning everything that is left.
    let all = get(&format!("{site}/seasons/2021/what-if?all=lewis-hamilton")).await;
    assert!(
        all.body.contains("Lewis Hamilton would be champion after the Abu Dhabi Grand Prix race (round 22)."),
        "{}",
        all.body
    );

    if let Some(bin) = browser::chromium("a_what_if_chains_session_after_session") {
        let mut b = Browser::launch(&bin);
        for width in [390, 1366] {
            let mut tab = b.tab(width, 900);
            tab.open(&format!("{site}/seasons/2021"));
            for (place, id) in [("p1", "lewis-hamilton"), ("p2", "max-verstappen")] {
                tab.eval(&format!("document.querySelector('form.whatif select[name={place}]').value = '{id}'"));
            }
            tab.submit("form.whatif");
            let url = tab.eval("location.pathname + location.search").as_str().unwrap_or_default().to_string();
            assert_eq!(url, format!("/seasons/2021/what-if?{FIRST}"), "the scenario's own URL at {width}");
            for (place, id) in [("p1", "max-verstappen"), ("p2", "lewis-hamilton")] {
                tab.eval(&format!("document.querySelector('form.whatif select[name={place}]').value = '{id}'"));
            }
            tab.submit("form.whatif");
            let url = tab.eval("location.pathname + location.search").as_str().unwrap_or_default().to_string();
            assert_eq!(url, format!("/seasons/2021/what-if?{FIRST}&{THEN}"), "chained at {width}");
            assert!(tab.visible("#whatif-changes"), "the changes at {width}");
            let page_width = tab.eval("document.documentElement.scrollWidth").as_i64().unwrap_or(0);
            assert!(page_width <= i64::from(width), "the page is {page_width}px wide at {width}");
            tab.screenshot_full(width, &browser::screenshot_path("what-if-chain-2021", width));
        }
    }
    shutdown.trigger();
}
