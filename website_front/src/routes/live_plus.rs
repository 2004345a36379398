//! The live page's extras (track map, lap and tyre charts, trends; see
//! [`views::live_plus`]) read for the board being run: the live session's
//! stored records and its round's circuit, and `/live/charts`, the same
//! markup alone, which the page's script fetches again while it runs.
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use common::flight::Flights;
use content_types::{Live, LocationSample, Round, Session, SessionRecordPage, SessionStatus};
use futures_util::future::join_all;
use tokio::time::Instant;

use crate::client::ContentClient;
use crate::state::AppState;
use crate::views;
use crate::views::live_plus::Extras;
use crate::views::session::Records;

#[derive(serde::Deserialize)]
pub struct DelayQuery {
    delay: Option<u32>,
}

/// The extras of board `l` as it was `delay` seconds ago (records newer
/// than that are left out, so a delayed board tells nothing early); `None`
/// while the session is not placed in the calendar (round 0), or when
/// nothing can be read (they are extras: the board shows all the same).
pub async fn extras(app: &AppState, l: &Live, delay: u32) -> Option<Extras> {
    if l.round <= 0 || l.status == SessionStatus::Unspecified {
        return None;
    }
    let c = &app.content;
    let round_path = format!("/content/v1/seasons/{}/rounds/{}", l.season, l.round);
    let base = format!("{round_path}/sessions/{}", l.session_type.as_str());
    let (round, session) = tokio::join!(c.get_extra::<Round>(&round_path), c.get_extra::<Session>(&base));
    let round = round.ok().flatten();
    let info = session.ok().flatten().and_then(|s| s.session_data).filter(|d| d.available);
    let recs = match &info {
        Some(info) => super::sessions::records(c, &base, l.session_type, info).await.ok(),
        None => None,
    };
    let recs = recs.map(|r| {
        if delay == 0 { r } else { until(r, chrono::Utc::now() - chrono::Duration::seconds(i64::from(delay))) }
    });
    let located = if delay == 0 { locations(c, &base, l).await } else { BTreeMap::new() };
    Some(views::live_plus::extras(l, round.as_ref(), recs.as_ref(), &located))
}

/// Each car's last location sample, where the session has them (the
/// archive's, once published; a session being recorded live has none).
async fn locations(c: &ContentClient, base: &str, l: &Live) -> BTreeMap<i32, (f64, f64)> {
    let last = |car: i32| async move {
        let page = |p: i32| {
            c.get_extra::<SessionRecordPage<LocationSample>>(format!(
                "{base}/location?driver={car}&per_page=1&page={p}"
            ))
        };
        let total = page(1).await.ok().flatten()?.total;
        if total <= 0 {
            return None;
        }
        let sample = page(total).await.ok().flatten()?.items.pop()?;
        Some((car, (sample.x as f64, sample.y as f64)))
    };
    // One car first: a session without locations (every live one) costs one request.
    let Some((first, rest)) = l.leaderboard.split_first() else { return BTreeMap::new() };
    let Some(lead) = last(first.driver_number).await else { return BTreeMap::new() };
    let others = join_all(rest.iter().map(|d| last(d.driver_number))).await;
    std::iter::once(lead).chain(others.into_iter().flatten()).collect()
}

/// The records as they stood at `cutoff`: laps ended by then, stints cut
/// to those laps, pit stops, messages, weather and track status dated by
/// then.
fn until(mut r: Records, cutoff: chrono::DateTime<chrono::Utc>) -> Records {
    let at = |d: Option<&str>| d.and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok());
    let before = |d: Option<&str>| at(d).is_some_and(|d| d <= cutoff);
    r.laps.retain(|l| {
        at(l.start.as_deref())
            .is_some_and(|s| s + chrono::Duration::milliseconds((l.time.unwrap_or(0.0) * 1e3) as i64) <= cutoff)
    });
    let mut last: BTreeMap<i32, i32> = BTreeMap::new();
    for l in &r.laps {
        let n = last.entry(l.driver_number).or_default();
        *n = (*n).max(l.lap);
    }
    r.stints.retain(|s| last.get(&s.driver_number).is_some_and(|n| s.first_lap <= *n));
    for s in &mut r.stints {
        s.last_lap = s.last_lap.min(last[&s.driver_number]);
    }
    r.pit_stops.retain(|p| before(p.date.as_deref()));
    r.race_control.retain(|m| before(m.date.as_deref()));
    r.weather.retain(|w| before(Some(&w.date)));
    r.track_status.retain(|t| before(Some(&t.date)));
    r
}

/// `/live/charts?delay=N`: the extras alone, as they were N seconds ago
/// (empty when nothing is live or they cannot be read). Browsers keep
/// nothing; the site shares one build a second per delay ([`ChartsKept`]).
pub async fn charts(State(app): State<AppState>, Query(q): Query<DelayQuery>) -> Response {
    let delay = q.delay.unwrap_or(0).min(crate::views::live::MAX_DELAY);
    let markup = app
        .charts
        .get_or_build(delay, || async {
            let path =
                if delay == 0 { "/content/v1/live".to_string() } else { format!("/content/v1/live?delay={delay}") };
            let live = app.content.get_optional::<Live>(&path).await.ok().flatten();
            let extras = match &live {
                Some(l) => extras(&app, l, delay).await,
                None => None,
            };
            Bytes::from(extras.map(|e| e.markup.into_string()).unwrap_or_default())
        })
        .await;
    let mut res = Html(markup).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// How long one build of the charts serves every viewer with the same delay.
/// Less than the live records' own write interval (2 s by default), so no
/// viewer sees anything later than the records allow.
pub const CHARTS_FRESH: Duration = Duration::from_secs(1);

/// The charts last built for each delay. Every live page asks for them
/// every 5 s, and a build reads the session's records from content_api and
/// draws every chart: a race day's viewers share one build a second per
/// delay in use instead of making one each. Asks that come while a build
/// of their delay is under way wait for it and share it
/// ([`common::flight`]).
#[derive(Default)]
pub struct ChartsKept {
    /// The last build of each delay: when it began reading, and its markup.
    kept: std::sync::Mutex<HashMap<u32, (Instant, Bytes)>>,
    flights: Flights<Bytes>,
}

impl ChartsKept {
    /// The markup of a build of `delay` begun less than [`CHARTS_FRESH`]
    /// ago, or of the build under way, or `build`'s.
    pub async fn get_or_build<F, Fut>(&self, delay: u32, build: F) -> Bytes
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Bytes>,
    {
        if let Some(markup) = self.fresh(delay) {
            return markup;
        }
        let key = delay.to_string();
        let flight = self.flights.join(&key);
        let mut made = flight.lock().await;
        // Built while this ask waited.
        if let Some(markup) = made.as_ref().cloned().or_else(|| self.fresh(delay)) {
            return markup;
        }
        let _landing = self.flights.landing(&key);
        let began = Instant::now();
        let markup = build().await;
        *made = Some(markup.clone());
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Builds too old to serve go (at most one a delay, 0 to 300, stays).
        kept.retain(|_, (at, _)| at.elapsed() < CHARTS_FRESH);
        kept.insert(delay, (began, markup.clone()));
        markup
    }

    fn fresh(&self, delay: u32) -> Option<Bytes> {
        let kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.get(&delay).filter(|(at, _)| at.elapsed() < CHARTS_FRESH).map(|(_, markup)| markup.clone())
    }

    /// How many delays have a build kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.kept.lock().map(|s| s.len()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lap(car: i32, n: i32, start: &str, time: f64) -> content_types::Lap {
        serde_json::from_value(json!({"driver_number": car, "driver": null, "lap": n, "start": start, "time": time,
            "sector_1": null, "sector_2": null, "sector_3": null, "speed_i1": null, "speed_i2": null,
            "speed_trap": null, "pit_out_lap": false, "mini_sectors": []}))
        .unwrap()
    }

    /// A build that counts itself and takes 100 ms (content_api's reads).
    async fn counted(builds: &std::sync::atomic::AtomicUsize, text: &'static str) -> Bytes {
        builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(100)).await;
        Bytes::from_static(text.as_bytes())
    }

    #[tokio::test(start_paused = true)]
    async fn viewers_share_one_build_a_second_per_delay() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let kept = ChartsKept::default();
        let builds = AtomicUsize::new(0);
        // Fifty viewers at once, on the same delay: one build, all served by it.
        let answers = join_all((0..50).map(|_| kept.get_or_build(0, || counted(&builds, "first")))).await;
        assert_eq!(builds.load(SeqCst), 1);
        assert!(answers.iter().all(|a| a == "first"));
        // Within the second since the build began reading: still that build.
        tokio::time::advance(Duration::from_millis(800)).await;
        assert_eq!(kept.get_or_build(0, || counted(&builds, "second")).await, "first");
        assert_eq!(builds.load(SeqCst), 1);
        // Another delay is its own build (100 ms: a second since the first began).
        assert_eq!(kept.get_or_build(30, || counted(&builds, "delayed")).await, "delayed");
        assert_eq!(builds.load(SeqCst), 2);
        // A second after the build began, the next ask builds again.
        assert_eq!(kept.get_or_build(0, || counted(&builds, "second")).await, "second");
        assert_eq!(builds.load(SeqCst), 3);
        // A build slower than the second is still shared by those who asked
        // while it ran.
        tokio::time::advance(CHARTS_FRESH).await;
        let slow = || async {
            builds.fetch_add(1, SeqCst);
            tokio::time::sleep(Duration::from_millis(1500)).await;
            Bytes::from_static(b"slow")
        };
        let (a, b) = tokio::join!(kept.get_or_build(0, slow), async {
            tokio::time::sleep(Duration::from_millis(1200)).await;
            kept.get_or_build(0, || counted(&builds, "unwanted")).await
        });
        assert_eq!((a.as_ref(), b.as_ref(), builds.load(SeqCst)), (&b"slow"[..], &b"slow"[..], 4));
        // Delays no longer asked for are let go.
        tokio::time::advance(CHARTS_FRESH).await;
        kept.get_or_build(0, || counted(&builds, "third")).await;
        assert_eq!(kept.len(), 1);
        assert_eq!(kept.flights.in_flight(), 0);
    }

    #[test]
    fn a_delayed_board_sees_only_what_had_happened_by_then() {
        let stint = |car: i32, first: i32, last: i32| -> content_types::Stint {
            serde_json::from_value(json!({"driver_number": car, "driver": null, "stint": 1, "compound": "SOFT",
                "tyre_age_at_start": 0, "first_lap": first, "last_lap": last}))
            .unwrap()
        };
        let message = |date: &str| -> content_types::RaceControlMessage {
            serde_json::from_value(json!({"date": date, "category": "Flag", "flag": "YELLOW", "scope": null,
                "sector": null, "driver_number": null, "lap": null, "qualifying_phase": null, "message": "YELLOW"}))
            .unwrap()
        };
        let r = Records {
            laps: vec![
                lap(1, 1, "2024-05-19T13:03:00+00:00", 90.0),
                lap(1, 2, "2024-05-19T13:04:30+00:00", 90.0),
                lap(1, 3, "2024-05-19T13:06:00+00:00", 90.0),
            ],
            stints: vec![stint(1, 1, 3), stint(1, 3, 3)],
            race_control: vec![message("2024-05-19T13:05:00+00:00"), message("2024-05-19T13:07:00+00:00")],
            ..Records::default()
        };
        // Lap 2 ended at 13:06:00; lap 3 had not.
        let cutoff = chrono::DateTime::parse_from_rfc3339("2024-05-19T13:06:30+00:00").unwrap().to_utc();
        let seen = until(r, cutoff);
        assert_eq!(seen.laps.iter().map(|l| l.lap).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(seen.stints.iter().map(|s| (s.first_lap, s.last_lap)).collect::<Vec<_>>(), [(1, 2)]);
        assert_eq!(seen.race_control.len(), 1);
    }
}
