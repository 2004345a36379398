//! The live timing feed: a client of the LiveTiming SignalR Core hub
//! (`{base}/signalrcore`) and the merged state of its topics.
//!
//! - [`protocol`]: the JSON hub protocol (0x1E-separated messages);
//! - [`client`]: one connection (negotiate, WebSocket, handshake, Subscribe);
//! - [`state`]: the merged state of every topic of a connection.
pub mod client;
mod error;
pub mod protocol;
pub mod state;

pub use client::HubConfig;
pub use error::LiveError;
pub use state::{SUBSCRIBER_TOPICS, TOPICS, TopicState, subscription};
