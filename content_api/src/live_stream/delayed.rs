//! `?delay=N`: the stream and the board as they were N seconds ago, read
//! from the hub's [`History`](super::history::History).
use std::convert::Infallible;
use std::time::Duration;

use axum::body::Bytes;
use futures_util::Stream;
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};

use super::history::{Built, Next};
use super::{EventId, HEARTBEAT, LiveHub};

/// Boards kept from recent rebuilds (one per delay in use, roughly).
const BUILT: usize = 8;

/// A delayed client: where it is in the history and when it last sent.
struct Follower {
    hub: LiveHub,
    delay: Duration,
    heartbeat: Duration,
    next: u64,
    /// A snapshot to send before the next event.
    first: Option<Bytes>,
    last_sent: Instant,
    held: watch::Receiver<u64>,
}

enum Step {
    Send(Bytes),
    Wait(Instant),
    WaitForMore,
    Restart,
}

impl LiveHub {
    /// The board as it was `delay` ago (`Value::Null` if no session was
    /// seen then), with the id of the last event about it; `None` when this
    /// process has seen no board at all yet.
    pub fn board_at(&self, delay: Duration) -> Option<Built> {
        self.start();
        if !self.board.lock().expect("live board lock").history.seen() {
            return None;
        }
        Some(self.rebuild(Instant::now().checked_sub(delay).unwrap_or_else(Instant::now)))
    }

    /// The board at `cutoff`: from the nearest board rebuilt before, with
    /// the events after it applied outside the hub's lock.
    fn rebuild(&self, cutoff: Instant) -> Built {
        let plan = {
            let board = self.board.lock().expect("live board lock");
            let mut near = self.built.lock().expect("built boards lock");
            board.history.plan(cutoff, near.make_contiguous())
        };
        if let Some(same) = self.built.lock().expect("built boards lock").iter().find(|b| b.end == plan.end()) {
            return same.clone();
        }
        let built = plan.build();
        let mut near = self.built.lock().expect("built boards lock");
        if !near.iter().any(|b| b.end == built.end) {
            near.push_back(built.clone());
            if near.len() > BUILT {
                near.pop_front();
            }
        }
        built
    }

    /// A client `delay` behind: a snapshot of the board as it was `delay`
    /// ago (or, after `last_id` when it is held and was due by then, what
    /// followed it), then each event `delay` after it arrived, with a
    /// heartbeat comment after each `heartbeat` without one. Every client
    /// reads the one shared history; one that falls behind the history
    /// gets a fresh snapshot.
    pub fn subscribe_delayed(
        &self,
        last_id: Option<EventId>,
        delay: Duration,
        heartbeat: Duration,
    ) -> impl Stream<Item = Result<Bytes, Infallible>> + use<> {
        self.start();
        let now = Instant::now();
        let cutoff = now.checked_sub(delay).unwrap_or(now);
        let resume = {
            let board = self.board.lock().expect("live board lock");
            last_id.filter(|id| id.version != 0).and_then(|id| board.history.after(id, cutoff))
        };
        let (next, first) = match resume {
            Some(next) => (next, None),
            None => {
                let built = self.rebuild(cutoff);
                (built.end, Some(built.frame))
            }
        };
        let follower =
            Follower { hub: self.clone(), delay, heartbeat, next, first, last_sent: now, held: self.held.subscribe() };
        futures_util::stream::unfold(follower, |mut f| async move {
            let bytes = f.next_frame().await;
            f.last_sent = Instant::now();
            Some((Ok(bytes), f))
        })
    }
}

impl Follower {
    async fn next_frame(&mut self) -> Bytes {
        loop {
            if let Some(first) = self.first.take() {
                return first;
            }
            let beat = self.last_sent + self.heartbeat;
            self.held.borrow_and_update();
            match self.step() {
                Step::Send(bytes) => return bytes,
                Step::Restart => {
                    let built = self.hub.rebuild(Instant::now().checked_sub(self.delay).unwrap_or_else(Instant::now));
                    self.next = built.end;
                    self.first = Some(built.frame);
                }
                Step::Wait(due) => {
                    if due > beat {
                        sleep_until(beat).await;
                        return Bytes::from_static(HEARTBEAT);
                    }
                    sleep_until(due).await;
                }
                Step::WaitForMore => {
                    tokio::select! {
                        changed = self.held.changed() => {
                            if changed.is_err() {
                                // The hub is gone: nothing more will come.
                                std::future::pending::<()>().await;
                            }
                        }
                        () = sleep_until(beat) => return Bytes::from_static(HEARTBEAT),
                    }
                }
            }
        }
    }

    fn step(&mut self) -> Step {
        let next = self.hub.board.lock().expect("live board lock").history.next(self.next);
        match next {
            Next::Gone => Step::Restart,
            Next::NotYet => Step::WaitForMore,
            Next::Held(at, event) => {
                let due = at + self.delay;
                if due <= Instant::now() {
                    self.next += 1;
                    Step::Send(event.frame.clone())
                } else {
                    Step::Wait(due)
                }
            }
        }
    }
}
