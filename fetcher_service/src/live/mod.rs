//! The live timing feed: a client of the LiveTiming SignalR Core hub
//! (`{WIBM_LIVETIMING_URL}/signalrcore`), supervised, whose merged topic
//! state is mapped to a `LiveSessionState` and written to data_scheduler;
//! and [`replay`], a server of the same protocol from a recorded session.
//!
//! The hub protocol, the client of one connection, the merged topic state
//! and the patch rules live in the `livetiming` crate and are re-exported
//! here ([`client`], [`protocol`], [`state`], [`merge`]);
//! - [`supervisor`]: reconnects, silence detection, coalesced publishing;
//! - [`records`]: the session's records derived from every frame, written coalesced.
pub mod board;
pub mod records;
pub mod replay;
pub mod run;
pub mod supervisor;

pub use livetiming::live::{HubConfig, LiveError, client, protocol, state};
pub use livetiming::merge;
pub use run::{LiveControl, LiveSettings};
pub use state::{TOPICS, TopicState, subscription};
pub use supervisor::{LiveFeed, LiveStatus, MissingTopic, SupervisorConfig};
