//! The pages in headless Chromium, at phone and desktop widths: key
//! elements are rendered and visible, scripts ran (local times, tabs), the
//! chart is drawn; full-page screenshots go to `target/screenshots/`.
//! Without Chromium the tests say they were skipped, unless
//! `WIBM_REQUIRE_BROWSER=1`, which makes that a failure.
pub(crate) mod cdp;

use std::path::PathBuf;

use cdp::Browser;

use crate::stack::stack;

const PHONE: u32 = 390;
const DESKTOP: u32 = 1366;

pub fn chromium(test: &str) -> Option<String> {
    let found = cdp::find();
    if found.is_none() {
        assert!(
            !common::config::env_flag("WIBM_REQUIRE_BROWSER"),
            "{test}: Chromium is not installed but WIBM_REQUIRE_BROWSER=1"
        );
        eprintln!(
            "SKIPPED {test}: chromium not found (install Debian's chromium, or set WIBM_REQUIRE_BROWSER=1 to fail)"
        );
    }
    found
}

/// The workspace's target dir: `CARGO_TARGET_DIR`, else `target/` next to
/// the workspace's Cargo.lock above this crate.
fn target_dir() -> PathBuf {
    if let Some(dir) = common::config::env_var("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.ancestors().find(|p| p.join("Cargo.lock").exists()).unwrap_or(&manifest);
    root.join("target")
}

pub fn screenshot_path(name: &str, width: u32) -> PathBuf {
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots dir");
    dir.join(format!("{name}-{}.png", if width < 600 { "phone" } else { "desktop" }))
}

/// Loads `path` at both widths, runs `check` on each, and saves screenshots.
fn at_both_widths(test: &str, name: &str, path: &str, check: impl Fn(&mut cdp::Tab<'_>, u32)) {
    let Some(bin) = chromium(test) else { return };
    let url = format!("{}{path}", stack().site);
    let mut browser = Browser::launch(&bin);
    for width in [PHONE, DESKTOP] {
        let mut tab = browser.tab(width, 900);
        tab.open(&url);
        let dom = tab.dom();
        assert!(dom.contains("<html lang=\"en\" class=\"js\">"), "{path}: the script ran");
        assert!(tab.visible("header.top") && tab.visible("main h1") && tab.visible("footer"), "{path} at {width}");
        // Against the tab's width: a mobile viewport widens to fit what
        // overflows it, so innerWidth would hide the overflow.
        let page_width = tab.eval("document.documentElement.scrollWidth").as_i64().unwrap_or(0);
        assert!(page_width <= i64::from(width), "{path} at {width}: the page is {page_width}px wide");
        check(&mut tab, width);
        let file = screenshot_path(name, width);
        tab.screenshot_full(width, &file);
        eprintln!("saved {}", file.display());
    }
}

#[test]
fn home_page_in_a_browser() {
    at_both_widths("home_page_in_a_browser", "home", "/", |tab, width| {
        assert!(tab.visible(".podium"), "the podium at {width}");
        let leader = tab.eval("document.querySelector('.big a').textContent").as_str().unwrap_or_default().to_string();
        assert_eq!(leader, "Max Verstappen");
        assert!(tab.visible("#drivers"), "standings at {width}");
    });
}

#[test]
fn season_page_in_a_browser() {
    at_both_widths("season_page_in_a_browser", "season-2024", "/seasons/2024", |tab, width| {
        let (shown, hidden) = if width < 600 { (".narrow", ".wide") } else { (".wide", ".narrow") };
        for sel in ["#calendar", "#drivers", "#constructors", "#title-fight", &format!("#progression {shown} svg")] {
            assert!(tab.visible(sel), "{sel} at {width}");
        }
        assert!(!tab.visible(&format!("#progression {hidden} svg")), "one chart size at a time");
        let rows = tab.eval("document.querySelectorAll('#calendar tbody tr').length").as_u64();
        assert_eq!(rows, Some(24));
        let lines = tab.eval("document.querySelectorAll('#progression .wide svg g.ln path').length").as_u64();
        assert!(lines.unwrap_or(0) >= 20 + 10, "a line per driver and per team: {lines:?}");
        // The leader's line (drawn last) has real length on screen.
        let js =
            format!("document.querySelector('#progression {shown} g.ln:not(.minor) path:last-child').getTotalLength()");
        let len = tab.eval(&js).as_f64().unwrap_or(0.0);
        assert!(len > 100.0, "the chart is drawn: {len}");
    });
}

#[test]
fn round_page_in_a_browser() {
    at_both_widths("round_page_in_a_browser", "round-2021-22", "/seasons/2021/rounds/22", |tab, width| {
        // Tabs: the race panel shows, the others are hidden until chosen.
        assert!(tab.visible("#s-race table"), "race classification at {width}");
        assert!(!tab.visible("#s-qualifying"), "qualifying is behind its tab");
        let tabs = tab.eval("document.querySelectorAll('[role=tab]').length").as_u64().unwrap_or(0);
        assert!(tabs >= 4, "a tab per session: {tabs}");
        tab.eval("document.getElementById('tab-s-qualifying').click()");
        assert!(tab.visible("#s-qualifying table") && !tab.visible("#s-race"), "qualifying tab at {width}");
        tab.eval("document.getElementById('tab-s-race').click()");
    });
}

#[test]
fn a_pre_1991_season_shows_its_fight_with_dropped_scores() {
    at_both_widths("a_pre_1991_season_shows_its_fight", "season-1988", "/seasons/1988", |tab, width| {
        assert!(tab.visible("#title-fight"), "the title fight at {width}");
        assert!(tab.visible("#title-fight .note.dropped"), "the dropped-scores note at {width}");
        let text =
            tab.eval("document.querySelector('#title-fight').textContent").as_str().unwrap_or_default().to_string();
        assert!(text.contains("Ayrton Senna won the title, clinched at"), "{text}");
        assert!(text.contains("(round 15)"), "decided at Suzuka: {text}");
        assert!(text.contains("Alain Prost scored more points in total (105 to 94)"), "{text}");
    });
}

#[test]
fn the_what_if_form_plays_the_1964_finale() {
    let Some(bin) = chromium("the_what_if_form_plays_the_1964_finale") else { return };
    let mut browser = Browser::launch(&bin);
    for width in [PHONE, DESKTOP] {
        let mut tab = browser.tab(width, 900);
        tab.open(&format!("{}/seasons/1964", stack().site));
        assert!(tab.visible("form.whatif"), "the what-if form at {width}");
        assert!(tab.visible("#title-fight .needs"), "what each contender needs at {width}");
        // Mexico 1964 as it finished: Gurney, Surtees, Bandini.
        for (place, id) in [("p1", "dan-gurney"), ("p2", "john-surtees"), ("p3", "lorenzo-bandini")] {
            tab.eval(&format!("document.querySelector('form.whatif select[name={place}]').value = '{id}'"));
        }
        tab.submit("form.whatif");
        let url = tab.eval("location.pathname + location.search").as_str().unwrap_or_default().to_string();
        // The scenario's own URL, to share.
        assert_eq!(url, "/seasons/1964/what-if?s=10-race%3Adan-gurney%2Cjohn-surtees%2Clorenzo-bandini");
        assert!(tab.visible("#whatif-verdict"), "the outcome at {width}");
        let verdict =
            tab.eval("document.querySelector('#whatif-verdict').textContent").as_str().unwrap_or_default().to_string();
        assert!(verdict.starts_with("John Surtees would be champion"), "{verdict}");
        let file = screenshot_path("what-if-1964", width);
        tab.screenshot_full(width, &file);
    }
}

#[test]
fn the_drivers_index_in_a_browser() {
    at_both_widths("the_drivers_index_in_a_browser", "drivers-1994", "/drivers?season=1994", |tab, width| {
        assert!(tab.visible("form.filter input[name=q]"), "the filter form at {width}");
        let rows = tab.eval("document.querySelectorAll('main tbody tr').length").as_u64();
        assert!(rows.unwrap_or(0) > 30, "1994's drivers: {rows:?}");
    });
}

#[test]
fn the_header_search_works_without_scripts() {
    let Some(bin) = chromium("the_header_search_works_without_scripts") else { return };
    let mut browser = Browser::launch(&bin);
    for width in [PHONE, DESKTOP] {
        let mut tab = browser.tab(width, 900);
        tab.without_scripts();
        tab.open(&format!("{}/seasons/2024", stack().site));
        assert!(!tab.dom().contains("class=\"js\""), "the site's script did not run");
        assert!(tab.visible("header.top form.search input[name=q]"), "the search box at {width}");
        let page_width = tab.eval("document.documentElement.scrollWidth").as_i64().unwrap_or(0);
        assert!(page_width <= i64::from(width), "the header fits at {width}: the page is {page_width}px wide");
        tab.eval("document.querySelector('#site-q').value = 'senna'");
        tab.submit("header.top form.search");
        let at = tab.eval("location.pathname + location.search").as_str().unwrap_or_default().to_string();
        assert_eq!(at, "/search?q=senna");
        assert!(tab.visible("a[href='/drivers/ayrton-senna']"), "Ayrton Senna found at {width}");
        let file = screenshot_path("search-senna", width);
        tab.screenshot_full(width, &file);
    }
}

#[test]
fn the_api_docs_from_the_footer_read_without_markdown_on_a_phone() {
    let Some(bin) = chromium("the_api_docs_from_the_footer_read_without_markdown_on_a_phone") else { return };
    let mut browser = Browser::launch(&bin);
    let mut tab = browser.tab(PHONE, 800);
    tab.open(&format!("{}/", stack().site));
    let href = tab.eval("document.querySelector('footer a[href=\"/content/v1/docs\"]').getAttribute('href')");
    assert_eq!(href, "/content/v1/docs", "the footer links the API docs");
    // The website's own port does not serve the API (the gateway or Traefik
    // does, on one origin); open the docs where content_api answers.
    tab.open(&format!("{}{}", stack().content, href.as_str().unwrap_or_default()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while tab.eval("document.querySelectorAll('details.op').length").as_u64().unwrap_or(0) < 20 {
        assert!(std::time::Instant::now() < deadline, "the docs listed the routes");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    tab.eval("document.querySelectorAll('details.op').forEach((d) => d.open = true)");
    let text = tab.eval("document.querySelector('main').innerText").as_str().unwrap_or_default().to_string();
    assert!(!text.contains('`'), "no raw backticks");
    for raw in ["crate::", "](http", "](crate"] {
        let at = text.find(raw).map(|i| text[i.saturating_sub(80)..(i + 80).min(text.len())].to_string());
        assert!(at.is_none(), "no rustdoc or Markdown links: {at:?}");
    }
    let codes = tab.eval("document.querySelectorAll('.md code').length").as_u64().unwrap_or(0);
    assert!(codes > 10, "code spans are rendered as code: {codes}");
    // Measured against the phone's width: a mobile viewport widens to fit
    // what overflows it.
    let wide = tab
        .eval(
            "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391 \
             && !e.closest('.scroll, pre')).map((e) => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 40)).slice(0, 8)",
        )
        .to_string();
    let width = tab.eval("document.documentElement.scrollWidth").as_i64().unwrap_or(0);
    assert!(width <= i64::from(PHONE), "the docs fit a phone: {width}px wide; {wide}");
    tab.screenshot_full(PHONE, &screenshot_path("api-docs", PHONE));
}

/// On a phone, no table runs past its card: each table's width is at most
/// its card's inner width (measured, not looked at), essential columns
/// first and the others hidden.
#[test]
fn no_table_is_wider_than_its_card_on_a_phone() {
    let Some(bin) = chromium("no_table_is_wider_than_its_card_on_a_phone") else { return };
    let mut browser = Browser::launch(&bin);
    let mut tab = browser.tab(PHONE, 900);
    let js = "JSON.stringify([...document.querySelectorAll('main table')].map((t) => { \
              const card = t.closest('.card'); if (!card) return null; \
              const s = getComputedStyle(card); \
              const inner = card.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); \
              return [t.id || t.className || t.querySelector('caption')?.textContent || '?', \
                      Math.ceil(t.getBoundingClientRect().width), Math.floor(inner)]; \
              }).filter((x) => x && x[1] > x[2] + 1))";
    let mut over = Vec::new();
    for path in [
        "/",
        "/seasons/2021",
        "/seasons/1964",
        "/seasons/1988",
        "/seasons/2021/rounds/22",
        "/seasons/1964/what-if?p1=dan-gurney&p2=john-surtees",
        "/drivers/ayrton-senna",
        "/constructors/ferrari",
        "/drivers?season=1994",
        "/circuits/monza",
    ] {
        tab.open(&format!("{}{path}", stack().site));
        let wide = tab.eval(js).as_str().unwrap_or("[]").to_string();
        if wide != "[]" {
            over.push(format!("{path}: {wide}"));
        }
        tab.screenshot_full(
            PHONE,
            &screenshot_path(&format!("phone{}", path.replace(['/', '?', '&', '='], "-")), PHONE),
        );
    }
    assert!(over.is_empty(), "tables wider than their card (id, table px, card px):\n{}", over.join("\n"));
}

/// On a small phone (320 px) the session tabs of a weekend scroll sideways;
/// the round page opens on the race, the last tab, and keeps it in view.
#[test]
fn the_selected_tab_stays_in_view_on_a_small_phone() {
    let Some(bin) = chromium("the_selected_tab_stays_in_view_on_a_small_phone") else { return };
    let mut browser = Browser::launch(&bin);
    let mut tab = browser.tab(320, 700);
    tab.open(&format!("{}/seasons/2021/rounds/22", stack().site));
    let overflows = tab.eval(
        "(() => { const l = document.querySelector('[role=tablist]'); return l.scrollWidth > l.clientWidth; })()",
    );
    assert_eq!(overflows.as_bool(), Some(true), "the tabs do not fit: the case under test");
    let selected = tab.eval("document.querySelector('[role=tab][aria-selected=true]').id");
    assert_eq!(selected.as_str(), Some("tab-s-race"));
    let js = "(() => { const l = document.querySelector('[role=tablist]').getBoundingClientRect(); \
              const t = document.querySelector('[role=tab][aria-selected=true]').getBoundingClientRect(); \
              return t.left >= l.left - 1 && t.right <= l.right + 1; })()";
    assert_eq!(tab.eval(js).as_bool(), Some(true), "the selected tab in view");
    tab.screenshot_full(320, &screenshot_path("round-2021-22-small", 320));
}
