//! Natural keys, stored fields and cache tags of every record kind, in one
//! place. Keys are zero-padded so byte order is the natural order.
use prost::Message;
use protobuf::v1::{
    ApiKey, Circuit, CircuitImage, Constructor, Driver, IdAlias, RaceTiming, RefreshToken, Round, Season, Session,
    SessionDataKey, SessionDataSummary, SessionType, Standings, SyncRun, User,
};

use crate::store::{Collection, Field, Put};

pub fn season(year: i32) -> String {
    format!("{year:04}")
}

/// Prefix of every round, session or standings key of a season.
pub fn season_prefix(year: i32) -> String {
    format!("{year:04}/")
}

pub fn round(year: i32, round: i32) -> String {
    format!("{year:04}/{round:02}")
}

pub fn round_prefix(year: i32, round: i32) -> String {
    format!("{year:04}/{round:02}/")
}

pub fn session(year: i32, round: i32, t: SessionType) -> String {
    format!("{year:04}/{round:02}/{}", t.slug())
}

pub fn alias(kind: &str, source: &str, source_id: &str) -> String {
    format!("{kind}/{source}/{source_id}")
}

pub const LIVE_SLOT: &str = "current";

/// One race's lap timings and pit stops, keyed like its round.
pub fn put_race_timing(t: &RaceTiming) -> Put {
    put(Collection::RaceTimings, round(t.season, t.round), vec![("season", int(t.season)), ("round", int(t.round))], t)
}

/// Every document of one session's records: `000000009158/`.
pub fn session_data_prefix(session_key: i64) -> String {
    format!("{session_key:012}/")
}

/// One document of a session's records: a part is a record kind and the
/// chunk's number within it (`laps/0001`), so chunks read back in order.
pub fn session_data_part(kind: &str, chunk: usize) -> String {
    format!("{kind}/{chunk:04}")
}

/// One document of a session's records, `body` a `SessionData` holding
/// only that part's records.
pub fn put_session_data_part(session_key: i64, part: &str, body: Vec<u8>) -> Put {
    Put {
        collection: Collection::SessionData,
        key: format!("{}{part}", session_data_prefix(session_key)),
        fields: vec![("session_key", Field::Int(session_key)), ("part", text(part))],
        body,
    }
}

pub fn session_data_summary(session_key: i64) -> String {
    format!("{session_key:012}")
}

pub fn put_session_data_summary(s: &SessionDataSummary) -> Put {
    put(
        Collection::SessionDataIndex,
        session_data_summary(s.session_key),
        vec![("session_key", Field::Int(s.session_key))],
        s,
    )
}

/// Our season, round and session type to F1's `session_key` (the link a
/// session's summary names; a link no summary names any more is ignored).
pub fn put_session_data_link(link: &SessionDataKey) -> Put {
    let t = SessionType::try_from(link.r#type).unwrap_or_default();
    put(
        Collection::SessionDataLinks,
        session(link.season, link.round, t),
        vec![("season", int(link.season)), ("round", int(link.round)), ("session_type", text(t.slug()))],
        link,
    )
}

fn put<M: Message>(collection: Collection, key: String, fields: Vec<(&'static str, Field)>, msg: &M) -> Put {
    Put { collection, key, fields, body: msg.encode_to_vec() }
}

fn int(v: i32) -> Field {
    Field::Int(i64::from(v))
}

fn text(v: &str) -> Field {
    Field::Str(v.to_string())
}

pub fn put_season(s: &Season) -> Put {
    put(Collection::Seasons, season(s.year), vec![("season", int(s.year))], s)
}

/// A round is stored without its sessions and circuit (they have their own
/// collections and are joined on read).
pub fn put_round(r: &Round) -> Put {
    let mut bare = r.clone();
    bare.sessions.clear();
    bare.circuit = None;
    put(Collection::Rounds, round(r.season, r.round), vec![("season", int(r.season)), ("round", int(r.round))], &bare)
}

pub fn put_session(s: &Session) -> Put {
    let t = SessionType::try_from(s.r#type).unwrap_or_default();
    put(
        Collection::Sessions,
        session(s.season, s.round, t),
        vec![("season", int(s.season)), ("round", int(s.round)), ("session_type", text(t.slug()))],
        s,
    )
}

pub fn put_standings(s: &Standings) -> Put {
    put(Collection::Standings, round(s.season, s.round), vec![("season", int(s.season)), ("round", int(s.round))], s)
}

pub fn put_driver(d: &Driver) -> Put {
    put(Collection::Drivers, d.id.clone(), vec![("id", text(&d.id))], d)
}

pub fn put_constructor(c: &Constructor) -> Put {
    put(Collection::Constructors, c.id.clone(), vec![("id", text(&c.id))], c)
}

pub fn put_circuit(c: &Circuit) -> Put {
    put(Collection::Circuits, c.id.clone(), vec![("id", text(&c.id))], c)
}

pub fn put_circuit_image(i: &CircuitImage) -> Put {
    put(Collection::CircuitImages, i.circuit_id.clone(), vec![("circuit_id", text(&i.circuit_id))], i)
}

pub fn put_alias(a: &IdAlias) -> Put {
    put(
        Collection::Aliases,
        alias(&a.kind, &a.source, &a.source_id),
        vec![("kind", text(&a.kind)), ("source", text(&a.source)), ("source_id", text(&a.source_id))],
        a,
    )
}

pub fn put_sync_run(r: &SyncRun) -> Put {
    put(Collection::SyncRuns, r.id.clone(), vec![("id", text(&r.id))], r)
}

pub fn put_user(u: &User) -> Put {
    put(Collection::Users, u.id.clone(), vec![("id", text(&u.id)), ("email", text(&u.email))], u)
}

pub fn put_api_key(k: &ApiKey) -> Put {
    put(Collection::ApiKeys, k.key_hash.clone(), vec![("key_hash", text(&k.key_hash)), ("id", text(&k.id))], k)
}

pub fn put_refresh_token(t: &RefreshToken) -> Put {
    put(Collection::RefreshTokens, t.token_hash.clone(), vec![("token_hash", text(&t.token_hash))], t)
}

pub fn put_live<M: Message>(state: &M) -> Put {
    put(Collection::Live, LIVE_SLOT.to_string(), vec![("slot", text(LIVE_SLOT))], state)
}

/// Cache tags: what an answer depends on and what a write touches.
pub mod tag {
    use protobuf::v1::SessionType;

    pub const SEASONS: &str = "seasons";
    pub const DRIVERS: &str = "drivers";
    pub const CONSTRUCTORS: &str = "constructors";
    pub const CIRCUITS: &str = "circuits";
    /// Other sources' ids of our records (the Ergast ids): no answer of
    /// data_scheduler's own depends on it, but a write announces it.
    pub const ALIASES: &str = "aliases";

    /// The season a tag is about, if it is about one.
    pub fn season_of(tag: &str) -> Option<i32> {
        let mut parts = tag.split(':');
        let kind = parts.next()?;
        let seasonal =
            ["season", "rounds", "round", "session", "standings", "race_timing", "session_data", "session_data_index"];
        if seasonal.contains(&kind) { parts.next()?.parse().ok() } else { None }
    }

    pub fn season(y: i32) -> String {
        format!("season:{y}")
    }
    /// Any round or session of season `y`.
    pub fn rounds(y: i32) -> String {
        format!("rounds:{y}")
    }
    /// Round `r` of `y` or any of its sessions.
    pub fn round(y: i32, r: i32) -> String {
        format!("round:{y}:{r}")
    }
    pub fn session(y: i32, r: i32, t: SessionType) -> String {
        format!("session:{y}:{r}:{}", t.slug())
    }
    pub fn standings(y: i32) -> String {
        format!("standings:{y}")
    }
    pub fn race_timing(y: i32, r: i32) -> String {
        format!("race_timing:{y}:{r}")
    }
    /// One stored session's records (`y` its season, or its year when it
    /// is not one of our sessions), by F1's `session_key`.
    pub fn session_data(y: i32, session_key: i64) -> String {
        format!("session_data:{y}:{session_key}")
    }
    /// The summaries of the sessions of `y`.
    pub fn session_data_index(y: i32) -> String {
        format!("session_data_index:{y}")
    }
    pub fn driver(id: &str) -> String {
        format!("driver:{id}")
    }
    pub fn constructor(id: &str) -> String {
        format!("constructor:{id}")
    }
    pub fn circuit(id: &str) -> String {
        format!("circuit:{id}")
    }
    pub fn circuit_image(id: &str) -> String {
        format!("circuit_image:{id}")
    }
}
