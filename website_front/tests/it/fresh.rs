//! A season whose stored data ends mid-season says so: the bundled f1db
//! data of 2026 ends after round 11's race (Hungary, July; round 12 has
//! only its Friday sessions), a store of its own
//! holds just that, and the pages are read on a date after the season's
//! last race. The home page starts with the next session (or that none is
//! scheduled), says how stale the data is, and folds the weekends without
//! results into one line each behind their count.
use common::Shutdown;
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use testkit::data_scheduler::TestDataScheduler;

use crate::browser::{self, cdp::Browser};
use crate::stack::{between, get, start_content, start_site};

/// The bundled 2026 data's last round with results.
const LAST_STORED: i32 = 11;

// Two workers: the browser blocks one while the servers answer on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_season_whose_data_ends_mid_season_says_so() {
    // The pages read the clock: Abu Dhabi 2026 (round 23, the last) started
    // at 13:00 UTC on 6 Dec 2026, so its results have been expected since
    // 16:00 that day and every round after 11 lacks them from then on.
    let ds = TestDataScheduler::start().await;
    import_into(&ds.client(), F1dbSource::Bundled, Some(2026), Some(2026), |_| {}).await.expect("2026");
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    let home = get(&format!("{site}/")).await;
    assert_eq!(home.status, 200, "{}", home.body);
    let notice = between(&home.body, "<p class=\"notice\"", "</p>");
    assert!(notice.contains(&format!("Standings after round {LAST_STORED};")), "{notice}");
    assert!(notice.contains("results missing for rounds 12–23"), "{notice}");
    // The bundle's newest results: the Dutch GP's first practice and
    // sprint qualifying (round 12, Friday 21 August), without its race.
    assert!(notice.contains("last results stored: Fri 21 Aug 2026"), "{notice}");
    // The next session first; the weekends without results after it, folded.
    let grid = between(&home.body, "<div class=\"grid\">", "Championship leader");
    assert!(grid.starts_with("<div class=\"grid\"><div class=\"card next\">"), "{grid}");
    let folded = between(&home.body, "<details class=\"pending-all\">", "</details>");
    assert!(folded.contains("Results not in yet for 12 weekends"), "{folded}");
    assert_eq!(folded.matches("<li>").count(), 12, "one line per weekend: {folded}");
    assert!(folded.contains("Abu Dhabi") && folded.contains(" sessions "), "{folded}");

    // The season page says it too, and each missing round once.
    let season = get(&format!("{site}/seasons/2026")).await;
    assert!(season.body.contains("results missing for rounds 12–23"), "the season page's notice");
    let calendar = between(&season.body, "<table id=\"calendar\"", "</table>");
    let row = between(calendar, "/seasons/2026/rounds/23\"", "</tr>");
    let said = row.matches("Results overdue").count() + row.matches("Results not in yet").count();
    assert_eq!(said, 1, "said once: {row}");

    if let Some(bin) = browser::chromium("a_season_whose_data_ends_mid_season_says_so") {
        let mut b = Browser::launch(&bin);
        for width in [390, 1366] {
            let mut tab = b.tab(width, 900);
            tab.open(&format!("{site}/"));
            assert!(tab.visible("p.notice"), "the notice at {width}");
            assert!(tab.visible("details.pending-all summary"), "the folded list's line at {width}");
            // Folded: a closed <details> keeps its list out of the render
            // (Chromium lays it out on request, so ask checkVisibility).
            let open = tab.eval("document.querySelector('details.pending-all').open");
            assert_eq!(open.as_bool(), Some(false), "closed at {width}");
            let shown = tab.eval("document.querySelector('details.pending-all ul.pending').checkVisibility()");
            assert_eq!(shown.as_bool(), Some(false), "folded at {width}");
            // The next-session card is the first card on screen.
            let first =
                tab.eval("document.querySelector('.grid .card').className").as_str().unwrap_or_default().to_string();
            assert_eq!(first, "card next", "at {width}");
            let page_height = tab.eval("document.documentElement.scrollHeight").as_i64().unwrap_or(0);
            assert!(page_height < 3000, "the page is {page_height}px tall at {width}");
            tab.screenshot_full(width, &browser::screenshot_path("home-stale-2026", width));
        }
    }
    shutdown.trigger();
}
