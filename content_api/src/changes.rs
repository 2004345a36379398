//! Following data_scheduler's change announcements (`FollowChanges`): one
//! stream per process, reconnecting with backoff. Each announcement drops
//! the kept answers the write touched ([`AnswerCache::apply`]) and is then
//! acknowledged; data_scheduler answers the write only after that, so a
//! read after a successful write never gets a kept answer from before it.
//! While the stream is down nothing is kept (writes may go unheard).
use std::sync::{Arc, Once};
use std::time::Duration;

use data_client::Client;
use futures_util::StreamExt;
use protobuf::v1::ChangesApplied;
use tokio::sync::mpsc;

use crate::answers::AnswerCache;

#[derive(Clone)]
pub struct Follower {
    client: Client,
    answers: AnswerCache,
    started: Arc<Once>,
}

impl Follower {
    pub fn new(client: Client, answers: AnswerCache) -> Self {
        Self { client, answers, started: Arc::new(Once::new()) }
    }

    /// Starts following (once per process; needs a Tokio runtime).
    pub fn start(&self) {
        let me = self.clone();
        self.started.call_once(move || {
            tokio::spawn(me.run());
        });
    }

    async fn run(self) {
        let mut delay = Duration::from_millis(100);
        loop {
            let (ack, acks) = mpsc::unbounded_channel::<ChangesApplied>();
            let acks = futures_util::stream::unfold(acks, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) });
            let mut first = true;
            match self.client.sport().follow_changes(acks).await {
                Ok(stream) => {
                    let mut stream = stream.into_inner();
                    while let Some(message) = stream.next().await {
                        let changes = match message {
                            Ok(c) => c,
                            Err(e) => {
                                tracing::warn!(error = %e.message(), "change announcements ended; reconnecting");
                                break;
                            }
                        };
                        if first {
                            // Whatever was kept may predate writes we did not hear.
                            self.answers.set_following(true);
                            tracing::info!("following data_scheduler's change announcements");
                            first = false;
                            delay = Duration::from_millis(100);
                        } else {
                            let dropped = self.answers.apply(&changes);
                            tracing::debug!(seq = changes.seq, seasons = ?changes.seasons, dropped, "applied a change");
                        }
                        if ack.send(ChangesApplied { seq: changes.seq }).is_err() {
                            break;
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e.message(), "cannot follow the change announcements; retrying"),
            }
            if !first {
                self.answers.set_following(false);
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }
}
