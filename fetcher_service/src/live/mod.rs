//! The live timing feed: a client of the LiveTiming SignalR Core hub
//! (`{WIBM_LIVETIMING_URL}/signalrcore`), supervised, whose merged topic
//! state is mapped to a `LiveSessionState` and written to data_scheduler;
//! and [`replay`], a server of the same protocol from a recorded session.
//!
//! - [`merge`]: the patch rules every topic follows (the archive uses them too);
//! - [`state`]: the merged state of every topic of a connection;
//! - [`protocol`]: the JSON hub protocol (0x1E-separated messages);
//! - [`client`]: one connection (negotiate, WebSocket, handshake, Subscribe);
//! - [`supervisor`]: reconnects, silence detection, coalesced publishing.
pub mod board;
pub mod client;
mod error;
pub(crate) mod merge;
pub mod protocol;
pub mod replay;
pub mod run;
pub mod state;
pub mod supervisor;

pub use client::HubConfig;
pub use error::LiveError;
pub use run::{LiveControl, LiveSettings};
pub use state::{TOPICS, TopicState, subscription};
pub use supervisor::{LiveFeed, LiveStatus, SupervisorConfig};
