//! Read load on the content_api replicas while a data_scheduler replica is
//! SIGKILLed. The readers alternate between the replicas and ask for pages
//! of the season list no reader asked for in the last few seconds, so
//! content_api cannot answer from the rendered answers it keeps: every read
//! is a call to a data_scheduler.
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::ROUND;
use super::deployment::Service;

const READERS: usize = 4;
/// Reads before the kill, and after it.
const BEFORE: usize = 300;
const AFTER: usize = 600;

struct Sample {
    /// When the request started, from the start of the load.
    at: Duration,
    latency: Duration,
    error: Option<String>,
}

/// What the clients saw.
pub struct Report {
    pub requests: usize,
    pub after_kill: usize,
    pub failed: usize,
    first_failures: Vec<String>,
    rate: f64,
    max_before: Duration,
    /// The slowest read started within a second of the kill.
    max_around_kill: Duration,
    max_after: Duration,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} reads ({:.0}/s, {READERS} readers), {} after the SIGKILL of a data_scheduler; {} failed {:?}; \
             slowest read before {:?}, within 1 s of the kill {:?}, after {:?}",
            self.requests,
            self.rate,
            self.after_kill,
            self.failed,
            self.first_failures,
            self.max_before,
            self.max_around_kill,
            self.max_after
        )
    }
}

fn path(i: usize) -> String {
    if i % 3 == 2 {
        ROUND.to_string()
    } else {
        format!("/content/v1/seasons?page={}&per_page={}", 1 + (i / 1000) % 10, 1 + i % 1000)
    }
}

pub async fn kill_under_load(http: &reqwest::Client, content: &[Service], victim: &mut Service) -> Report {
    let bases: Arc<Vec<String>> = Arc::new(content.iter().map(Service::url).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let samples: Arc<Mutex<Vec<Sample>>> = Arc::default();
    let start = Instant::now();
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (http, bases, next, stop, samples) =
                (http.clone(), bases.clone(), next.clone(), stop.clone(), samples.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let url = format!("{}{}", bases[i % bases.len()], path(i));
                    let began = Instant::now();
                    let error = match http.get(&url).send().await {
                        Ok(r) if r.status().is_success() => r.bytes().await.err().map(|e| format!("{url}: {e}")),
                        Ok(r) => Some(format!("{url}: {}", r.status())),
                        Err(e) => Some(format!("{url}: {e}")),
                    };
                    let sample = Sample { at: began - start, latency: began.elapsed(), error };
                    samples.lock().unwrap().push(sample);
                }
            })
        })
        .collect();
    let count_after = |since: Duration| samples.lock().unwrap().iter().filter(|s| s.at >= since).count();
    testkit::wait::until("reads before the kill", Duration::from_secs(60), || async {
        (count_after(Duration::ZERO) >= BEFORE).then_some(())
    })
    .await;
    let killed_at = start.elapsed();
    victim.kill();
    testkit::wait::until("reads after the kill", Duration::from_secs(60), || async {
        (count_after(killed_at) >= AFTER).then_some(())
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.await.unwrap();
    }
    let elapsed = start.elapsed();
    let samples = samples.lock().unwrap();
    let max = |keep: &dyn Fn(&Sample) -> bool| samples.iter().filter(|s| keep(s)).map(|s| s.latency).max();
    let window = killed_at.saturating_sub(Duration::from_secs(1))..killed_at + Duration::from_secs(1);
    Report {
        requests: samples.len(),
        after_kill: samples.iter().filter(|s| s.at >= killed_at).count(),
        failed: samples.iter().filter(|s| s.error.is_some()).count(),
        first_failures: samples.iter().filter_map(|s| s.error.clone()).take(5).collect(),
        rate: samples.len() as f64 / elapsed.as_secs_f64(),
        max_before: max(&|s| s.at < killed_at).unwrap_or_default(),
        max_around_kill: max(&|s| window.contains(&s.at)).unwrap_or_default(),
        max_after: max(&|s| s.at >= killed_at).unwrap_or_default(),
    }
}
