//! Change announcements: what every successful write changed, told to
//! whoever keeps answers built from our reads (content_api) before the
//! write answers, so a read after a successful write never gets a kept
//! answer from before it.
//!
//! A follower (`FollowChanges`) gets a first [`Changes`] saying "everything"
//! (it may have missed writes before it came), then one per write, and
//! acknowledges each `seq` once it dropped what it touches. A write waits for
//! every follower of this replica to acknowledge, at most [`ACK_TIMEOUT`]: a
//! follower that does not is dropped (its stream ends, and it keeps nothing
//! until it follows again). With Redis, each write is also published to the
//! other replicas, which announce it to their own followers and then
//! acknowledge it on [`ACKS`]; the write also waits for as many
//! acknowledgements as Redis delivered the message to (each replica's
//! listener, its own included), at most twice [`ACK_TIMEOUT`]. A replica
//! that lost the subscription announces "everything" when it is back.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use protobuf::v1::Changes;
use tokio::sync::{mpsc, watch};

use crate::cache::live_bus::RedisLiveBus;
use crate::repo::keys::tag;

/// How long a write waits for a follower's acknowledgement.
pub const ACK_TIMEOUT: Duration = Duration::from_secs(2);
/// Announcements a follower may have unread before it is dropped.
const BACKLOG: usize = 256;
/// The Redis pub/sub channel of announcements between replicas.
pub const CHANNEL: &str = "wibm:changes";
/// Where replicas acknowledge an announcement they passed on.
pub const ACKS: &str = "wibm:changes:acks";

#[derive(Default)]
struct Followers {
    next_id: u64,
    /// The last `seq` given out.
    seq: u64,
    by_id: HashMap<u64, Follower>,
}

struct Follower {
    tx: mpsc::Sender<Changes>,
    acked: watch::Receiver<u64>,
}

/// The announcements of one replica.
pub struct ChangeFeed {
    followers: Mutex<Followers>,
    ack_timeout: Duration,
    bus: OnceLock<Fanout>,
}

/// The fan-out to the other replicas.
struct Fanout {
    bus: Arc<RedisLiveBus>,
    /// This replica among the others.
    origin: String,
    /// The number of this replica's next announcement.
    next: AtomicU64,
    /// The acknowledgements awaited, by announcement number.
    waiting: Mutex<HashMap<u64, mpsc::UnboundedSender<()>>>,
}

impl Fanout {
    fn waiting(&self) -> std::sync::MutexGuard<'_, HashMap<u64, mpsc::UnboundedSender<()>>> {
        // Single inserts and removals: poisoning is ignored.
        self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Publishes an announcement and waits for the acknowledgement of every
    /// listener Redis delivered it to, at most `within`.
    async fn publish(&self, tags: &[String], within: Duration) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, mut acks) = mpsc::unbounded_channel();
        self.waiting().insert(id, tx);
        match self.bus.publish(CHANNEL, encode(&self.origin, id, tags).as_bytes()).await {
            Ok(listeners) => {
                let all = async {
                    for _ in 0..listeners {
                        if acks.recv().await.is_none() {
                            break;
                        }
                    }
                };
                if tokio::time::timeout(within, all).await.is_err() {
                    tracing::warn!(id, listeners, "change fan-out: not every replica acknowledged in time");
                }
            }
            // The other replicas announce "everything" when their
            // subscription comes back; one that stayed subscribed misses it.
            Err(e) => tracing::warn!(error = %e, "change fan-out: publishing to the other replicas failed"),
        }
        self.waiting().remove(&id);
    }
}

/// A follower as the gRPC stream holds it: announcements to send, where to
/// report acknowledgements; dropping it (the stream ended) unregisters it.
pub struct Following {
    pub changes: mpsc::Receiver<Changes>,
    acked: watch::Sender<u64>,
    id: u64,
    feed: Arc<ChangeFeed>,
}

impl Following {
    /// Where to report that the follower applied every announcement up to
    /// a `seq` (usable while the stream holds `self`).
    pub fn acks(&self) -> watch::Sender<u64> {
        self.acked.clone()
    }
}

impl Drop for Following {
    fn drop(&mut self) {
        self.feed.drop_follower(self.id);
    }
}

impl Default for ChangeFeed {
    fn default() -> Self {
        Self::new(ACK_TIMEOUT)
    }
}

impl ChangeFeed {
    pub fn new(ack_timeout: Duration) -> Self {
        Self { followers: Mutex::new(Followers::default()), ack_timeout, bus: OnceLock::new() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Followers> {
        // Each critical section is a few inserts or removals: poisoning is ignored.
        self.followers.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a follower; its first announcement says "everything".
    pub fn follow(self: &Arc<Self>) -> Following {
        let (tx, changes) = mpsc::channel(BACKLOG);
        let (acked, ack_rx) = watch::channel(0);
        let mut f = self.lock();
        f.next_id += 1;
        let id = f.next_id;
        let hello = Changes { seq: f.seq, everything: true, ..Default::default() };
        tx.try_send(hello).expect("an empty channel has room");
        f.by_id.insert(id, Follower { tx, acked: ack_rx });
        metrics::gauge!("change_followers").set(f.by_id.len() as f64);
        Following { changes, acked, id, feed: self.clone() }
    }

    fn drop_follower(&self, id: u64) {
        let mut f = self.lock();
        if f.by_id.remove(&id).is_some() {
            metrics::gauge!("change_followers").set(f.by_id.len() as f64);
        }
    }

    /// Announces a write that bumped `tags` to this replica's followers and
    /// the other replicas; returns once every follower acknowledged it or
    /// was dropped.
    pub async fn announce(&self, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        let here = self.announce_here(describe(tags));
        match self.bus.get() {
            Some(fanout) => {
                tokio::join!(here, fanout.publish(tags, 2 * self.ack_timeout));
            }
            None => here.await,
        }
    }

    /// Tells this replica's followers, waiting for their acknowledgements.
    async fn announce_here(&self, mut changes: Changes) {
        let waits: Vec<(u64, watch::Receiver<u64>)> = {
            let mut f = self.lock();
            f.seq += 1;
            changes.seq = f.seq;
            let mut full = Vec::new();
            let mut waits = Vec::new();
            for (id, follower) in &f.by_id {
                match follower.tx.try_send(changes.clone()) {
                    Ok(()) => waits.push((*id, follower.acked.clone())),
                    Err(_) => full.push(*id),
                }
            }
            for id in full {
                tracing::warn!(follower = id, "dropping a change follower that fell behind");
                f.by_id.remove(&id);
            }
            waits
        };
        let seq = changes.seq;
        let timeout = self.ack_timeout;
        let acked = futures_util::future::join_all(waits.into_iter().map(|(id, mut acked)| async move {
            let ok = tokio::time::timeout(timeout, acked.wait_for(|a| *a >= seq)).await.is_ok_and(|r| r.is_ok());
            (id, ok)
        }))
        .await;
        for (id, ok) in acked {
            if !ok {
                tracing::warn!(follower = id, seq, "dropping a change follower that did not acknowledge in time");
                self.drop_follower(id);
            }
        }
    }

    /// Publishes this replica's announcements through `bus` and announces
    /// the other replicas' to this one's followers, acknowledging each once
    /// they did, until `stop`.
    pub fn attach(self: &Arc<Self>, bus: Arc<RedisLiveBus>, stop: common::Shutdown) {
        let fanout = Fanout {
            bus: bus.clone(),
            origin: format!("{:016x}", rand::random::<u64>()),
            next: AtomicU64::new(1),
            waiting: Mutex::new(HashMap::new()),
        };
        if self.bus.set(fanout).is_err() {
            return;
        }
        let feed = self.clone();
        let acks_stop = stop.clone();
        tokio::spawn(async move {
            let Some(fanout) = feed.bus.get() else { return };
            let heard = |body: &[u8]| match decode_ack(body) {
                Some((origin, id)) if origin == fanout.origin => {
                    if let Some(waiting) = fanout.waiting().get(&id) {
                        let _ = waiting.send(());
                    }
                }
                Some(_) => {}
                None => tracing::warn!("change fan-out: skipping an unreadable acknowledgement"),
            };
            fanout.bus.listen(ACKS, acks_stop, || async {}, heard).await;
        });
        let feed = self.clone();
        tokio::spawn(async move {
            // (origin and number to acknowledge, what changed)
            let (heard_tx, mut heard_rx) = mpsc::unbounded_channel::<(Option<(String, u64)>, Changes)>();
            let resubscribed = heard_tx.clone();
            let relay = tokio::spawn({
                let (feed, bus) = (feed.clone(), bus.clone());
                async move {
                    while let Some((from, changes)) = heard_rx.recv().await {
                        feed.announce_here(changes).await;
                        if let Some((origin, id)) = from
                            && let Err(e) = bus.publish(ACKS, format!("{origin}\n{id}").as_bytes()).await
                        {
                            tracing::warn!(error = %e, "change fan-out: cannot acknowledge an announcement");
                        }
                    }
                }
            });
            let Some(fanout) = feed.bus.get() else { return };
            let subscribed = || {
                // Writes published while we were away are unknown.
                let _ = resubscribed.send((None, Changes { everything: true, ..Default::default() }));
                async {}
            };
            let heard = |body: &[u8]| match decode(body) {
                // Our own: announced here already, acknowledged at once.
                Some((origin, id, _)) if origin == fanout.origin => {
                    if let Some(waiting) = fanout.waiting().get(&id) {
                        let _ = waiting.send(());
                    }
                }
                Some((origin, id, tags)) => {
                    let _ = heard_tx.send((Some((origin, id)), describe(&tags)));
                }
                None => tracing::warn!("change fan-out: skipping an unreadable message"),
            };
            bus.listen(CHANNEL, stop, subscribed, heard).await;
            relay.abort();
        });
    }
}

/// What `tags` cover: the seasons named, and whether anything else is.
pub fn describe(tags: &[String]) -> Changes {
    let mut seasons = Vec::new();
    let mut everything = false;
    for t in tags {
        match tag::season_of(t) {
            Some(y) => seasons.push(y),
            None => everything = true,
        }
    }
    seasons.sort_unstable();
    seasons.dedup();
    Changes { seq: 0, tags: tags.to_vec(), seasons, everything }
}

/// `origin`, the announcement's number, then the tags, one a line.
fn encode(origin: &str, id: u64, tags: &[String]) -> String {
    let mut out = format!("{origin}\n{id}");
    for t in tags {
        out.push('\n');
        out.push_str(t);
    }
    out
}

fn decode(body: &[u8]) -> Option<(String, u64, Vec<String>)> {
    let (origin, id) = decode_ack(body)?;
    let tags = std::str::from_utf8(body).ok()?.split('\n').skip(2).map(str::to_string).collect();
    Some((origin, id, tags))
}

/// `origin` and the number of one of its announcements (the first two lines).
fn decode_ack(body: &[u8]) -> Option<(String, u64)> {
    let mut lines = std::str::from_utf8(body).ok()?.split('\n');
    let origin = lines.next()?.to_string();
    let id = lines.next()?.parse().ok()?;
    Some((origin, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_their_seasons() {
        let c = describe(&["session:2025:6:sprint".into(), "round:2025:6".into(), "rounds:2025".into()]);
        assert_eq!((c.seasons, c.everything), (vec![2025], false));
        let c = describe(&["standings:2024".into(), "circuit:monza".into()]);
        assert_eq!((c.seasons, c.everything), (vec![2024], true));
    }

    #[test]
    fn messages_between_replicas_round_trip() {
        let tags = vec!["rounds:2025".to_string(), "circuit:monza".to_string()];
        assert_eq!(decode(encode("abc", 7, &tags).as_bytes()), Some(("abc".to_string(), 7, tags)));
        assert_eq!(decode_ack(b"abc\n7"), Some(("abc".to_string(), 7)));
    }

    #[tokio::test]
    async fn a_write_waits_for_its_followers_and_drops_the_silent_one() {
        let feed = Arc::new(ChangeFeed::new(Duration::from_millis(200)));
        let mut eager = feed.follow();
        let mut silent = feed.follow();
        assert!(eager.changes.recv().await.unwrap().everything, "the first announcement says everything");
        assert!(silent.changes.recv().await.unwrap().everything);
        let acks = eager.acks();
        let follower = tokio::spawn(async move {
            let c = eager.changes.recv().await.unwrap();
            acks.send_replace(c.seq);
            (c, eager)
        });
        feed.announce(&["round:2025:6".into()]).await;
        let (c, eager) = follower.await.unwrap();
        assert_eq!(c.seasons, vec![2025]);
        assert_eq!(feed.lock().by_id.len(), 1, "the follower that never acknowledged was dropped");
        drop(eager);
        assert!(feed.lock().by_id.is_empty());
        drop(silent);
    }
}
