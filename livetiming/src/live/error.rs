//! The errors of the live client.

/// What can go wrong on a live connection. Protocol and payload errors of one
/// message are logged and the message skipped; connection errors end the
/// connection and the supervisor reconnects.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LiveError {
    #[error("live: negotiate failed: {0}")]
    Negotiate(String),
    #[error("live: connection failed: {0}")]
    Connection(String),
    #[error("live: the hub closed the connection{}", .0.as_deref().map(|e| format!(": {e}")).unwrap_or_default())]
    Closed(Option<String>),
    #[error("live: no frame for {0:?}")]
    Silent(std::time::Duration),
    #[error("live: malformed message: {0}")]
    Protocol(String),
    #[error("live: unknown topic `{0}`")]
    UnknownTopic(String),
    #[error("live: {topic}: bad payload: {message}")]
    BadPayload { topic: String, message: String },
    #[error("live: the hub refused Subscribe: {0}")]
    Subscribe(String),
}
