//! One session's telemetry (OpenF1's car_data and location) read from the
//! LiveTiming archive over HTTP: `/static/{year}/Index.json` names the
//! session's folder by its key ([`SeasonIndex::by_key`]), then
//! `{folder}CarData.z.jsonStream` and `{folder}Position.z.jsonStream` are
//! read as they arrive, a line at a time, each line decoded by
//! [`crate::openf1::telemetry`]. A race's streams are tens of megabytes and
//! about a million samples: a caller that stores or filters the samples as
//! they come ([`TelemetryStream::next`]) never holds a whole session.
//!
//! A 404 means "not there" (no index for the year, no such stream), never
//! an error; any other failure is an error naming the URL.
use std::time::Duration;

use crate::InvalidData;
use crate::index::{SeasonIndex, index_path, parse_index};
use crate::openf1::records::{CarData, Location};
use crate::openf1::telemetry;
use crate::stream::parse_line;

/// A line longer than this is refused (the archive's are a few kilobytes):
/// a body without line breaks must not grow without end.
const MAX_LINE: usize = 16 * 1024 * 1024;

/// Everything that can go wrong; each names the URL it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    /// No answer: connection refused, timeout, a body cut short.
    #[error("livetiming archive: {url}: {message}")]
    Request { url: String, message: String },
    /// An answer other than success or 404.
    #[error("livetiming archive: {url}: HTTP {status}")]
    Status { url: String, status: u16 },
    /// An answer that is not what we expect (its `path` is the URL).
    #[error(transparent)]
    Invalid(#[from] InvalidData),
}

/// The two telemetry streams of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TelemetryKind {
    /// CarData.z: OpenF1's car_data.
    CarData,
    /// Position.z: OpenF1's location.
    Location,
}

impl TelemetryKind {
    pub const ALL: [Self; 2] = [Self::CarData, Self::Location];

    /// The archive's topic.
    pub fn topic(self) -> &'static str {
        match self {
            Self::CarData => "CarData.z",
            Self::Location => "Position.z",
        }
    }
}

/// Samples of one stream line.
#[derive(Debug, Clone, PartialEq)]
pub enum Samples {
    CarData(Vec<CarData>),
    Location(Vec<Location>),
}

/// A session found in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveSession {
    pub year: i32,
    /// Stamped on every sample (the index's meeting key; a caller that
    /// knows it from SessionInfo may set it).
    pub meeting_key: i64,
    pub session_key: i64,
    /// The session's folder, relative to `/static/`, ending in `/`.
    pub path: String,
}

/// Every sample of a session ([`Archive::session_telemetry`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionTelemetry {
    pub session: ArchiveSession,
    pub car_data: Vec<CarData>,
    pub location: Vec<Location>,
}

/// A client of the archive at one base URL (`https://livetiming.formula1.com`).
#[derive(Debug, Clone)]
pub struct Archive {
    http: reqwest::Client,
    base: String,
}

impl Archive {
    /// `timeout` bounds connecting and each wait for more of an answer (a
    /// large stream may take longer than that in all, while it flows).
    pub fn new(base_url: &str, timeout: Duration) -> Result<Self, ArchiveError> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeout)
            .read_timeout(timeout)
            .build()
            .map_err(|e| ArchiveError::Request { url: base_url.to_string(), message: e.to_string() })?;
        Ok(Self { http, base: base_url.trim_end_matches('/').to_string() })
    }

    /// The full URL of an archive path (`/static/...`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GETs `path`: `None` on a 404.
    async fn get(&self, path: &str) -> Result<Option<(String, reqwest::Response)>, ArchiveError> {
        let url = self.url(path);
        let res = match self.http.get(&url).send().await {
            Ok(res) => res,
            Err(e) => return Err(ArchiveError::Request { message: e.without_url().to_string(), url }),
        };
        match res.status().as_u16() {
            404 => Ok(None),
            _ if res.status().is_success() => Ok(Some((url, res))),
            status => Err(ArchiveError::Status { url, status }),
        }
    }

    /// A season's Index.json; `None` when the archive has none.
    pub async fn season_index(&self, year: i32) -> Result<Option<SeasonIndex>, ArchiveError> {
        let Some((url, res)) = self.get(&index_path(year)).await? else { return Ok(None) };
        let body = res.bytes().await.map_err(|e| ArchiveError::Request { url: url.clone(), message: e.to_string() })?;
        parse_index(&body, year).map(Some).map_err(|e| InvalidData { path: url, ..e }.into())
    }

    /// The session keyed `session_key` in `year`'s index; `None` when the
    /// archive does not list it (yet).
    pub async fn session(&self, year: i32, session_key: i64) -> Result<Option<ArchiveSession>, ArchiveError> {
        let Some(index) = self.season_index(year).await? else { return Ok(None) };
        let Some((meeting, session)) = index.by_key(session_key) else { return Ok(None) };
        if !index.is_session_folder(&session.path) {
            return Err(InvalidData::new(
                &self.url(&index.path),
                format!("{} {}.Path", meeting.name, session.name),
                format!("`{}` is not a session folder of {year}", session.path),
            )
            .into());
        }
        Ok(Some(ArchiveSession {
            year,
            meeting_key: meeting.key.unwrap_or_default(),
            session_key,
            path: session.path.clone(),
        }))
    }

    /// One telemetry stream of `session`, to read as it arrives; `None`
    /// when the archive has no such stream.
    pub async fn telemetry(
        &self,
        session: &ArchiveSession,
        kind: TelemetryKind,
    ) -> Result<Option<TelemetryStream>, ArchiveError> {
        let path = format!("/static/{}{}.jsonStream", session.path, kind.topic());
        let Some((url, response)) = self.get(&path).await? else { return Ok(None) };
        Ok(Some(TelemetryStream {
            response,
            url,
            kind,
            meeting_key: session.meeting_key,
            session_key: session.session_key,
            pending: Vec::new(),
            scanned: 0,
            lines: 0,
            ended: false,
        }))
    }

    /// Every sample of the session keyed `session_key` (a missing stream is
    /// empty); `None` when the archive does not list the session. A race
    /// holds about a million samples: to keep memory bounded, read
    /// [`Self::telemetry`]'s streams instead.
    pub async fn session_telemetry(
        &self,
        year: i32,
        session_key: i64,
    ) -> Result<Option<SessionTelemetry>, ArchiveError> {
        let Some(session) = self.session(year, session_key).await? else { return Ok(None) };
        let mut out = SessionTelemetry { session, car_data: Vec::new(), location: Vec::new() };
        for kind in TelemetryKind::ALL {
            let Some(mut stream) = self.telemetry(&out.session, kind).await? else { continue };
            while let Some(samples) = stream.next().await? {
                match samples {
                    Samples::CarData(s) => out.car_data.extend(s),
                    Samples::Location(s) => out.location.extend(s),
                }
            }
        }
        Ok(Some(out))
    }
}

/// One `.z` stream being read; [`Self::next`] gives its samples line by
/// line.
pub struct TelemetryStream {
    response: reqwest::Response,
    url: String,
    kind: TelemetryKind,
    meeting_key: i64,
    session_key: i64,
    /// Bytes received and not yet read as lines.
    pending: Vec<u8>,
    /// How much of `pending` is known to hold no line break.
    scanned: usize,
    lines: usize,
    ended: bool,
}

impl TelemetryStream {
    /// The URL being read.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The samples of the next line; `None` at the end of the stream. A
    /// line that does not parse or decode is an error naming the URL and
    /// the line.
    pub async fn next(&mut self) -> Result<Option<Samples>, ArchiveError> {
        loop {
            if let Some(end) = self.pending[self.scanned..].iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=self.scanned + end).collect();
                self.scanned = 0;
                self.lines += 1;
                match self.decode(&line)? {
                    Some(samples) => return Ok(Some(samples)),
                    None => continue,
                }
            }
            self.scanned = self.pending.len();
            if self.ended {
                return Ok(None);
            }
            if self.pending.len() > MAX_LINE {
                let field = format!("line {}", self.lines + 1);
                return Err(InvalidData::new(&self.url, field, format!("longer than {MAX_LINE} bytes")).into());
            }
            let chunk = self.response.chunk().await.map_err(|e| ArchiveError::Request {
                url: self.url.clone(),
                message: format!("reading line {}: {}", self.lines + 1, e.without_url()),
            })?;
            match chunk {
                Some(bytes) => self.pending.extend_from_slice(&bytes),
                None => {
                    self.ended = true;
                    if !self.pending.is_empty() {
                        // The last line, without a line break.
                        self.pending.push(b'\n');
                    }
                }
            }
        }
    }

    /// One line's samples; `None` for a blank line.
    fn decode(&self, line: &[u8]) -> Result<Option<Samples>, ArchiveError> {
        let field = || format!("line {}", self.lines);
        let text = std::str::from_utf8(line)
            .map_err(|e| InvalidData::new(&self.url, field(), format!("not UTF-8: {e}")))?
            .trim_end_matches('\n');
        let text = if self.lines == 1 { text.strip_prefix('\u{feff}').unwrap_or(text) } else { text };
        let Some((_, payload)) = parse_line(text, &self.url, self.lines)? else { return Ok(None) };
        let bad = |message: String| InvalidData::new(&self.url, field(), message);
        let samples = match self.kind {
            TelemetryKind::CarData => {
                Samples::CarData(telemetry::car_data(&payload, self.meeting_key, self.session_key).map_err(bad)?)
            }
            TelemetryKind::Location => {
                Samples::Location(telemetry::location(&payload, self.meeting_key, self.session_key).map_err(bad)?)
            }
        };
        Ok(Some(samples))
    }
}
