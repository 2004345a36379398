//! Supervision: the engine loop never exits silently. A panic or an error
//! is logged and the loop restarts after a doubling pause; only shutdown
//! ends it.
use std::time::Duration;

use common::Shutdown;

use super::{Engine, LoopStatus};

const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(60);

/// Runs `make()` again and again until `shutdown`; returns the number of restarts.
pub async fn supervise<F, Fut>(name: &'static str, shutdown: Shutdown, mut make: F, mut on_restart: impl FnMut()) -> u32
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let mut restarts = 0u32;
    loop {
        let ended = tokio::spawn(make()).await;
        if shutdown.is_triggered() {
            return restarts;
        }
        match ended {
            Ok(Ok(())) => tracing::error!(task = name, "ended without being asked to; restarting"),
            Ok(Err(e)) => tracing::error!(task = name, error = format!("{e:#}"), "failed; restarting"),
            Err(e) => tracing::error!(task = name, error = %e, "panicked; restarting"),
        }
        on_restart();
        metrics::counter!("scheduler_loop_restarts_total", "task" => name).increment(1);
        let pause = FIRST_PAUSE.saturating_mul(1 << restarts.min(8)).min(MAX_PAUSE);
        restarts += 1;
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = shutdown.wait() => return restarts,
        }
    }
}

impl Engine {
    /// Starts the supervised loop; it ends (after letting runs finish and
    /// freeing the leader lock) when `shutdown` triggers.
    pub fn spawn(&self, shutdown: Shutdown) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        let restarting = self.clone();
        tokio::spawn(async move {
            let make = || engine.clone().run_loop(shutdown.clone());
            supervise("scheduler engine", shutdown.clone(), make, || {
                restarting.state().status = LoopStatus::Restarting
            })
            .await;
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_panicking_task_is_restarted_until_shutdown() {
        let shutdown = Shutdown::new();
        let calls = Arc::new(AtomicU32::new(0));
        let (c, s) = (calls.clone(), shutdown.clone());
        let make = move || {
            let (c, s) = (c.clone(), s.clone());
            async move {
                match c.fetch_add(1, Ordering::SeqCst) {
                    0 => panic!("first run fails"),
                    1 => anyhow::bail!("second run errors"),
                    _ => {
                        s.trigger();
                        Ok(())
                    }
                }
            }
        };
        let restarts = tokio::time::timeout(Duration::from_secs(30), supervise("test", shutdown, make, || {}))
            .await
            .expect("supervisor ends on shutdown");
        assert_eq!(restarts, 2);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }
}
