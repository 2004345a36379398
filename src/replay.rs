//! `wibm replay --session DIR [--speed N] [--port P]`: serves the LiveTiming
//! SignalR Core protocol from a recorded session folder, so the live path
//! runs offline: point a stack at it with `WIBM_LIVETIMING_URL`.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use common::Shutdown;
use fetcher_service::live::replay::{Recording, Replay, ReplayConfig};

pub struct ReplayArgs {
    pub session: PathBuf,
    pub speed: f64,
    pub port: u16,
    /// Start at this offset of the recording (skips the pre-session hour).
    pub skip: Duration,
}

pub async fn replay(args: ReplayArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.speed > 0.0 && args.speed.is_finite(), "--speed must be a positive number");
    let recording = Recording::load(&args.session).with_context(|| format!("reading {}", args.session.display()))?;
    let length = recording.duration();
    let config = ReplayConfig { speed: args.speed, skip: args.skip, ..ReplayConfig::default() };
    let replay = Replay::start(recording, config);
    let shutdown = Shutdown::on_signals();
    let addr = replay
        .serve(SocketAddr::from(([127, 0, 0, 1], args.port)), shutdown.clone())
        .await
        .with_context(|| format!("binding 127.0.0.1:{}", args.port))?;
    let minutes = length.saturating_sub(args.skip).div_f64(args.speed).as_secs_f64() / 60.0;
    eprintln!("replaying {} at {}x (about {minutes:.1} min) on http://{addr}", args.session.display(), args.speed);
    eprintln!("watch it: WIBM_LIVETIMING_URL=http://{addr} wibm, then open /live");
    tokio::select! {
        _ = replay.finished() => eprintln!("the recording is over; still serving its final state (Ctrl-C to stop)"),
        _ = shutdown.wait() => return Ok(()),
    }
    shutdown.wait().await;
    Ok(())
}
