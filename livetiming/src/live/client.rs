//! One connection to the LiveTiming SignalR Core hub: negotiate, WebSocket,
//! handshake, Subscribe, then a stream of [`Event`]s.
use std::collections::VecDeque;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::Message as Frame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::protocol::{self, Message};
use super::{LiveError, TopicState};

const SUBSCRIBE_ID: &str = "1";

/// Where the hub is and how to present ourselves.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// `https://livetiming.formula1.com`, or a replay's `http://127.0.0.1:P`.
    pub base_url: String,
    /// An F1TV subscription token: sent as `Authorization: Bearer`, it adds
    /// CarData.z, Position.z and ChampionshipPrediction.
    pub token: Option<SecretString>,
    /// Longest the negotiate requests and the handshake may take.
    pub connect_timeout: Duration,
    /// How often we ping the hub (it drops clients silent for 30 s).
    pub ping_interval: Duration,
}

/// What a connection delivers.
#[derive(Debug)]
pub enum Event {
    /// The Subscribe completion: the full current state of every topic.
    Snapshot(TopicState),
    /// One `feed` message (a patch of `topic`), with the UTC time the hub
    /// stamped it with (its third argument) when it is a readable one.
    Feed { topic: String, payload: Value, date: Option<chrono::DateTime<chrono::Utc>> },
    /// A ping, or a message we ignore: only proof the hub is alive.
    Alive,
}

pub struct Connection {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    queued: VecDeque<Event>,
    ping: tokio::time::Interval,
}

/// Negotiates, opens the WebSocket, completes the handshake and sends
/// Subscribe for `topics`. The snapshot arrives as the first
/// [`Event::Snapshot`] of [`Connection::next`].
pub async fn connect(config: &HubConfig, topics: &[&str]) -> Result<Connection, LiveError> {
    let (token, cookie) = tokio::time::timeout(config.connect_timeout, negotiate(config))
        .await
        .map_err(|_| LiveError::Negotiate(format!("no answer in {:?}", config.connect_timeout)))??;
    let base = config.base_url.trim_end_matches('/');
    let ws_base = base.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1);
    let url = format!("{ws_base}/signalrcore?id={}", encode_query(&token));
    let mut request = url.into_client_request().map_err(|e| LiveError::Connection(e.to_string()))?;
    if let Some(cookie) = cookie {
        request.headers_mut().insert("cookie", header(&cookie)?);
    }
    if let Some(token) = &config.token {
        request.headers_mut().insert("authorization", header(&format!("Bearer {}", token.expose_secret()))?);
    }
    let open = async {
        let (mut ws, _) =
            tokio_tungstenite::connect_async(request).await.map_err(|e| LiveError::Connection(e.to_string()))?;
        send(&mut ws, protocol::handshake()).await?;
        let rest = handshake_reply(&mut ws).await?;
        send(&mut ws, protocol::subscribe(SUBSCRIBE_ID, topics)).await?;
        Ok::<_, LiveError>((ws, rest))
    };
    let (ws, rest) = tokio::time::timeout(config.connect_timeout, open)
        .await
        .map_err(|_| LiveError::Connection(format!("no handshake in {:?}", config.connect_timeout)))??;
    let mut ping = tokio::time::interval(config.ping_interval);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.reset();
    let mut connection = Connection { ws, queued: VecDeque::new(), ping };
    connection.decode(&rest)?;
    Ok(connection)
}

impl Connection {
    /// The next event; an error ends the connection. Malformed messages,
    /// unknown topics and bad payloads are logged and skipped.
    pub async fn next(&mut self) -> Result<Event, LiveError> {
        loop {
            if let Some(event) = self.queued.pop_front() {
                return Ok(event);
            }
            let frame = tokio::select! {
                frame = self.ws.next() => frame,
                _ = self.ping.tick() => {
                    send(&mut self.ws, protocol::ping()).await?;
                    continue;
                }
            };
            match frame {
                None => return Err(LiveError::Closed(None)),
                Some(Err(e)) => return Err(LiveError::Connection(e.to_string())),
                Some(Ok(Frame::Text(text))) => self.decode(&text)?,
                Some(Ok(Frame::Binary(bytes))) => self.decode(&String::from_utf8_lossy(&bytes))?,
                Some(Ok(Frame::Close(reason))) => return Err(LiveError::Closed(reason.map(|r| r.reason.to_string()))),
                Some(Ok(_)) => self.queued.push_back(Event::Alive),
            }
        }
    }

    /// Closes politely (SignalR close message, then the WebSocket close).
    pub async fn close(mut self) {
        let _ = send(&mut self.ws, protocol::close()).await;
        let _ = self.ws.close(None).await;
    }

    fn decode(&mut self, frame: &str) -> Result<(), LiveError> {
        for message in protocol::split(frame) {
            match message {
                Ok(message) => {
                    if let Some(event) = event(message)? {
                        self.queued.push_back(event);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "skipping a malformed hub message");
                    self.queued.push_back(Event::Alive);
                }
            }
        }
        Ok(())
    }
}

/// What one message means for the client; `Err` ends the connection.
fn event(message: Message) -> Result<Option<Event>, LiveError> {
    Ok(Some(match message {
        Message::Ping | Message::Other(_) => Event::Alive,
        Message::Close { error } => return Err(LiveError::Closed(error)),
        Message::Completion { invocation_id, error: Some(error), .. } if invocation_id == SUBSCRIBE_ID => {
            return Err(LiveError::Subscribe(error));
        }
        Message::Completion { invocation_id, result, .. } if invocation_id == SUBSCRIBE_ID => {
            let (state, skipped) = TopicState::from_snapshot(result.unwrap_or(Value::Null));
            for e in skipped {
                tracing::warn!(error = %e, "skipping a topic of the snapshot");
            }
            Event::Snapshot(state)
        }
        Message::Completion { .. } => Event::Alive,
        Message::Invocation { target, mut arguments, .. } if target.eq_ignore_ascii_case("feed") => {
            if arguments.len() < 2 {
                tracing::warn!(arguments = arguments.len(), "skipping a feed message without topic and payload");
                return Ok(Some(Event::Alive));
            }
            let date = arguments.get(2).and_then(Value::as_str).and_then(crate::openf1::input::parse_utc);
            let payload = arguments.swap_remove(1);
            match arguments.swap_remove(0) {
                Value::String(topic) => Event::Feed { topic, payload, date },
                other => {
                    tracing::warn!(topic = %other, "skipping a feed message whose topic is not a name");
                    Event::Alive
                }
            }
        }
        Message::Invocation { target, .. } => {
            tracing::debug!(%target, "ignoring a hub invocation");
            Event::Alive
        }
    }))
}

/// `OPTIONS /signalrcore/negotiate` (for the load balancer's `AWSALBCORS`
/// cookie) then `POST /signalrcore/negotiate?negotiateVersion=1`. Returns the
/// connection token and the cookies to present on the WebSocket.
async fn negotiate(config: &HubConfig) -> Result<(String, Option<String>), LiveError> {
    let base = config.base_url.trim_end_matches('/');
    let url = format!("{base}/signalrcore/negotiate");
    let http = reqwest::Client::builder()
        .timeout(config.connect_timeout)
        .build()
        .map_err(|e| LiveError::Negotiate(e.to_string()))?;
    let failed = |e: reqwest::Error| LiveError::Negotiate(e.without_url().to_string());
    let options = http.request(reqwest::Method::OPTIONS, &url).send().await.map_err(failed)?;
    let mut cookies = cookies(options.headers());
    let mut post = http.post(format!("{url}?negotiateVersion=1"));
    if !cookies.is_empty() {
        post = post.header("cookie", cookies.join("; "));
    }
    if let Some(token) = &config.token {
        post = post.bearer_auth(token.expose_secret());
    }
    let answer = post.send().await.map_err(failed)?;
    if !answer.status().is_success() {
        return Err(LiveError::Negotiate(format!("POST negotiate answered {}", answer.status())));
    }
    for cookie in self::cookies(answer.headers()) {
        let name = cookie.split('=').next().unwrap_or_default().to_string();
        cookies.retain(|c| !c.starts_with(&format!("{name}=")));
        cookies.push(cookie);
    }
    let body: Value = answer.json().await.map_err(failed)?;
    let token = body
        .get("connectionToken")
        .or_else(|| body.get("connectionId"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| LiveError::Negotiate("the answer has no connectionToken".into()))?;
    Ok((token.to_string(), (!cookies.is_empty()).then(|| cookies.join("; "))))
}

/// `name=value` of every `Set-Cookie` (attributes dropped).
fn cookies(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(|c| c.trim().to_string())
        .filter(|c| c.contains('='))
        .collect()
}

/// Reads frames until the handshake answer; returns what followed it in the
/// same frame (the hub may send a ping right behind it).
async fn handshake_reply(ws: &mut WebSocketStream<MaybeTlsStream<TcpStream>>) -> Result<String, LiveError> {
    loop {
        let text = match ws.next().await {
            None => return Err(LiveError::Closed(None)),
            Some(Err(e)) => return Err(LiveError::Connection(e.to_string())),
            Some(Ok(Frame::Text(text))) => text.to_string(),
            Some(Ok(Frame::Close(reason))) => return Err(LiveError::Closed(reason.map(|r| r.reason.to_string()))),
            Some(Ok(_)) => continue,
        };
        let (reply, rest) = text.split_once(protocol::RECORD_SEPARATOR).unwrap_or((&text, ""));
        let reply: Value =
            serde_json::from_str(reply).map_err(|_| LiveError::Protocol(format!("handshake answer `{reply}`")))?;
        if let Some(error) = reply.get("error").and_then(Value::as_str) {
            return Err(LiveError::Connection(format!("handshake refused: {error}")));
        }
        return Ok(rest.to_string());
    }
}

async fn send(ws: &mut WebSocketStream<MaybeTlsStream<TcpStream>>, text: String) -> Result<(), LiveError> {
    ws.send(Frame::Text(text.into())).await.map_err(|e| LiveError::Connection(e.to_string()))
}

fn header(value: &str) -> Result<HeaderValue, LiveError> {
    HeaderValue::from_str(value).map_err(|_| LiveError::Connection("a header value is not valid".into()))
}

/// Percent-encodes a query value (connection tokens may hold `+`, `/`, `=`).
fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_messages_become_events_and_bad_ones_are_skipped() {
        let feed = Message::Invocation {
            invocation_id: None,
            target: "feed".into(),
            arguments: vec!["LapCount".into(), serde_json::json!({"CurrentLap": 2}), "2024-01-01T00:00:00Z".into()],
        };
        assert!(matches!(event(feed), Ok(Some(Event::Feed { topic, date: Some(_), .. })) if topic == "LapCount"));
        let short = Message::Invocation { invocation_id: None, target: "feed".into(), arguments: vec![] };
        assert!(matches!(event(short), Ok(Some(Event::Alive))));
        let numeric =
            Message::Invocation { invocation_id: None, target: "feed".into(), arguments: vec![1.into(), 2.into()] };
        assert!(matches!(event(numeric), Ok(Some(Event::Alive))));
        assert!(matches!(event(Message::Close { error: Some("bye".into()) }), Err(LiveError::Closed(Some(_)))));
        let refused = Message::Completion { invocation_id: "1".into(), result: None, error: Some("no".into()) };
        assert!(matches!(event(refused), Err(LiveError::Subscribe(_))));
    }

    #[test]
    fn tokens_are_query_encoded() {
        assert_eq!(encode_query("a+b/c=="), "a%2Bb%2Fc%3D%3D");
    }
}
