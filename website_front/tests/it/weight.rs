//! A season page stays light: HTML plus the CSS and JS it references
//! under 100 KB (images aside).
use crate::stack::page;

fn referenced(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["<link rel=\"stylesheet\" href=\"", "<script src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    out
}

#[tokio::test]
async fn season_page_weighs_under_100_kb() {
    let p = page("/seasons/2024").await;
    assert_eq!(p.status, 200);
    let assets = referenced(&p.body);
    assert_eq!(assets.len(), 2, "one stylesheet and one script: {assets:?}");
    let mut total = p.body.len();
    for a in &assets {
        let fetched = page(a).await;
        assert_eq!(fetched.status, 200, "{a}");
        total += fetched.body.len();
    }
    eprintln!("season page: {} bytes HTML, {total} bytes with CSS and JS", p.body.len());
    assert!(total < 100 * 1024, "season page weighs {total} bytes");
}
