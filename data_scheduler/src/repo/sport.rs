//! Seasons, rounds, sessions and standings: the batch write every sync uses,
//! and the joined, cached reads.
use std::collections::{BTreeMap, HashMap};

use protobuf::v1::{
    CacheClass, Circuit, Round, RoundResponse, RoundsResponse, Season, SeasonFilter, SeasonResponse, SeasonStatus,
    SeasonsResponse, Session, SessionResponse, SessionStatus, SessionType, Standings, StandingsFilter,
    StandingsProgressionResponse, StandingsResponse, WriteBatchRequest,
};
use protobuf::{DomainError, PageSpec, RoundNumber, Year};

use super::keys::{self, tag};
use super::precedence::{self, stamp};
use super::{Answer, Loaded, Repo, Result, Written, decode, decode_all, latest, validate};
use crate::store::{Batch, Collection};

impl Repo {
    /// Writes every record of `req` in one transaction (or none of them).
    /// Sessions and standings follow source precedence ([`precedence`]):
    /// one that may not replace the stored record is counted, not written.
    pub async fn write_batch(&self, mut req: WriteBatchRequest) -> Result<Written> {
        let totals = self.season_totals(&req).await?;
        validate::batch(&req, &totals)?;
        self.mark_circuit_images(&mut req).await?;
        let now = protobuf::domain::now_unix();
        let sessions = req.sessions.iter_mut().chain(req.rounds.iter_mut().flat_map(|r| r.sessions.iter_mut()));
        for s in sessions {
            stamp(&mut s.provenance, now);
        }
        for s in &mut req.standings {
            stamp(&mut s.provenance, now);
        }

        let mut batch = Batch::default();
        let mut tags = Vec::new();
        for s in &req.seasons {
            batch.put(keys::put_season(s));
            tags.extend([tag::SEASONS.to_string(), tag::season(s.year)]);
        }
        for r in &req.rounds {
            batch.put(keys::put_round(r));
            tags.extend([tag::rounds(r.season), tag::round(r.season, r.round)]);
            for s in &r.sessions {
                precedence::put_session(&mut batch, keys::put_session(s));
                tags.push(tag::session(s.season, s.round, session_type(s)));
            }
        }
        for s in &req.sessions {
            precedence::put_session(&mut batch, keys::put_session(s));
            tags.extend([
                tag::rounds(s.season),
                tag::round(s.season, s.round),
                tag::session(s.season, s.round, session_type(s)),
            ]);
        }
        for s in &req.standings {
            precedence::put_standings(&mut batch, keys::put_standings(s));
            tags.push(tag::standings(s.season));
        }
        for d in &req.drivers {
            batch.put(keys::put_driver(d));
            tags.extend([tag::DRIVERS.to_string(), tag::driver(&d.id)]);
        }
        for c in &req.constructors {
            batch.put(keys::put_constructor(c));
            tags.extend([tag::CONSTRUCTORS.to_string(), tag::constructor(&c.id)]);
        }
        for c in &req.circuits {
            batch.put(keys::put_circuit(c));
            tags.extend([tag::CIRCUITS.to_string(), tag::circuit(&c.id)]);
        }
        for i in &req.circuit_images {
            batch.put(keys::put_circuit_image(i));
            tags.push(tag::circuit_image(&i.circuit_id));
        }
        for a in &req.aliases {
            batch.put(keys::put_alias(a));
            tags.push(tag::ALIASES.to_string());
        }
        self.commit_at(batch, tags, now).await
    }

    /// `total_rounds` of every season the batch's rounds, sessions and
    /// standings belong to: from the batch itself, else from the store.
    async fn season_totals(&self, req: &WriteBatchRequest) -> Result<HashMap<i32, i32>> {
        let mut totals: HashMap<i32, i32> = req.seasons.iter().map(|s| (s.year, s.total_rounds)).collect();
        let years = req
            .rounds
            .iter()
            .map(|r| r.season)
            .chain(req.sessions.iter().map(|s| s.season))
            .chain(req.standings.iter().map(|s| s.season));
        for year in years {
            if totals.contains_key(&year) {
                continue;
            }
            let total = match self.store.get(Collection::Seasons, &keys::season(year)).await? {
                Some(d) => decode::<Season>(&d)?.total_rounds,
                None => 0,
            };
            totals.insert(year, total);
        }
        Ok(totals)
    }

    /// Keeps `Circuit::has_image` true for circuits that have an image,
    /// whether it comes in this batch or is already stored.
    async fn mark_circuit_images(&self, req: &mut WriteBatchRequest) -> Result<()> {
        for c in &mut req.circuits {
            c.has_image = req.circuit_images.iter().any(|i| i.circuit_id == c.id)
                || self.store.get(Collection::CircuitImages, &c.id).await?.is_some();
        }
        let missing: Vec<String> = req
            .circuit_images
            .iter()
            .filter(|i| !req.circuits.iter().any(|c| c.id == i.circuit_id))
            .map(|i| i.circuit_id.clone())
            .collect();
        for id in missing {
            if let Some(d) = self.store.get(Collection::Circuits, &id).await? {
                let mut c: Circuit = decode(&d)?;
                c.has_image = true;
                req.circuits.push(c);
            }
        }
        Ok(())
    }

    pub async fn seasons(&self, filter: SeasonFilter) -> Result<SeasonsResponse> {
        let year = filter.year.map(|y| Year::parse_field("year", y)).transpose()?;
        let status = SeasonStatus::try_from(filter.status)
            .map_err(|_| DomainError::invalid("status", format!("unknown status {}", filter.status)))?;
        let page = PageSpec::from_wire(filter.page.as_ref())?;
        let answer = self
            .read_through("seasons", vec![tag::SEASONS.to_string()], || async {
                let docs = self.store.scan(Collection::Seasons, "").await?;
                let mut seasons: Vec<Season> = decode_all(&docs)?;
                seasons.reverse();
                Ok(Loaded {
                    value: SeasonsResponse { metadata: None, seasons, total: 0 },
                    written_at: latest(&docs),
                    extra_tags: vec![],
                    class: CacheClass::CurrentSeason,
                })
            })
            .await?;
        // A listing is filtered and paged per request, so it is decoded.
        let all: SeasonsResponse = answer.decode()?;
        let metadata = answer.metadata;
        let matching: Vec<Season> = all
            .seasons
            .into_iter()
            .filter(|s| year.is_none_or(|y| s.year == y.get()))
            .filter(|s| status == SeasonStatus::Unspecified || s.status == status as i32)
            .collect();
        let total = matching.len() as i32;
        Ok(SeasonsResponse { metadata: Some(metadata), seasons: page.slice(matching), total })
    }

    pub async fn season(&self, year: i32) -> Result<Answer> {
        let year = Year::new(year)?.get();
        self.read_through(&format!("season:{year}"), vec![tag::season(year)], || async {
            let doc = self.store.get(Collection::Seasons, &keys::season(year)).await?;
            let doc = doc.ok_or_else(|| DomainError::not_found(format!("season {year}")))?;
            let season = decode::<Season>(&doc)?;
            let class = if season.status == SeasonStatus::Completed as i32 {
                CacheClass::CompletedSeason
            } else {
                CacheClass::CurrentSeason
            };
            let value = SeasonResponse { metadata: None, season: Some(season) };
            Ok(Loaded { value, written_at: doc.updated_at, extra_tags: vec![], class })
        })
        .await
    }

    pub async fn rounds(&self, year: i32) -> Result<Answer> {
        let year = Year::new(year)?.get();
        self.read_through(&format!("rounds:{year}"), vec![tag::rounds(year)], || async {
            let loaded = self.load_rounds(year).await?;
            Ok(loaded.map(|rounds| RoundsResponse { metadata: None, rounds }))
        })
        .await
    }

    /// The season's rounds and sessions without results: a calendar is a
    /// few kB where the rounds with results are most of a MB.
    pub async fn calendar(&self, year: i32) -> Result<Answer> {
        let year = Year::new(year)?.get();
        self.read_through(&format!("calendar:{year}"), vec![tag::rounds(year)], || async {
            let mut loaded = self.load_rounds(year).await?;
            for s in loaded.value.iter_mut().flat_map(|r| r.sessions.iter_mut()) {
                // Without its results, a session's status is all that says it
                // happened: one with results stored is finished.
                let unsettled = [SessionStatus::Scheduled as i32, SessionStatus::Unspecified as i32];
                if !s.results.is_empty() && unsettled.contains(&s.status) {
                    s.status = SessionStatus::Finished as i32;
                }
                s.results = Vec::new();
            }
            Ok(loaded.map(|rounds| RoundsResponse { metadata: None, rounds }))
        })
        .await
    }

    /// Every round of `year` with its sessions and circuit, in round order.
    pub(super) async fn load_rounds(&self, year: i32) -> Result<Loaded<Vec<Round>>> {
        // Only a miss needs the class: no store read on a cache hit.
        let class = self.season_class(year).await?;
        let prefix = keys::season_prefix(year);
        let (rounds, sessions) = tokio::try_join!(
            self.store.scan(Collection::Rounds, &prefix),
            self.store.scan(Collection::Sessions, &prefix)
        )?;
        if rounds.is_empty() && self.store.get(Collection::Seasons, &keys::season(year)).await?.is_none() {
            return Err(DomainError::not_found(format!("season {year}")));
        }
        let mut written_at = latest(&rounds).max(latest(&sessions));
        let mut by_round: BTreeMap<i32, Vec<Session>> = BTreeMap::new();
        for s in decode_all::<Session>(&sessions)? {
            by_round.entry(s.round).or_default().push(s);
        }
        let mut out: Vec<Round> = decode_all(&rounds)?;
        for r in &mut out {
            r.sessions = by_round.remove(&r.round).unwrap_or_default();
            sort_sessions(&mut r.sessions);
        }
        let provisional = out.iter().flat_map(|r| &r.sessions).any(Session::is_provisional);
        let (circuit_tags, circuits_at) = self.join_circuits(&mut out).await?;
        written_at = written_at.max(circuits_at);
        Ok(Loaded { value: out, written_at, extra_tags: circuit_tags, class: class.holding_provisional(provisional) })
    }

    pub async fn round(&self, year: i32, round: i32) -> Result<Answer> {
        let year = Year::new(year)?.get();
        let round = RoundNumber::new(round)?.get();
        self.read_through(&format!("round:{year}:{round}"), vec![tag::round(year, round)], || async {
            // Only a miss needs the class: no store read on a cache hit.
            let class = self.season_class(year).await?;
            let (key, prefix) = (keys::round(year, round), keys::round_prefix(year, round));
            let (doc, sessions) = tokio::try_join!(
                self.store.get(Collection::Rounds, &key),
                self.store.scan(Collection::Sessions, &prefix)
            )?;
            let doc = doc.ok_or_else(|| DomainError::not_found(format!("round {round} of season {year}")))?;
            let mut r: Round = decode(&doc)?;
            r.sessions = decode_all(&sessions)?;
            sort_sessions(&mut r.sessions);
            let class = class.holding_provisional(r.sessions.iter().any(Session::is_provisional));
            let mut rounds = vec![r];
            let (circuit_tags, circuits_at) = self.join_circuits(&mut rounds).await?;
            let written_at = doc.updated_at.max(latest(&sessions)).max(circuits_at);
            Ok(Loaded {
                value: RoundResponse { metadata: None, round: rounds.pop() },
                written_at,
                extra_tags: circuit_tags,
                class,
            })
        })
        .await
    }

    /// Fills each round's circuit; returns the circuits' tags and latest write.
    async fn join_circuits(&self, rounds: &mut [Round]) -> Result<(Vec<String>, i64)> {
        let mut ids: Vec<String> = rounds.iter().map(|r| r.circuit_id.clone()).collect();
        ids.sort();
        ids.dedup();
        let mut circuits = HashMap::new();
        let mut written_at = 0;
        for id in &ids {
            if let Some(d) = self.store.get(Collection::Circuits, id).await? {
                written_at = written_at.max(d.updated_at);
                circuits.insert(id.clone(), decode::<Circuit>(&d)?);
            }
        }
        for r in rounds {
            r.circuit = circuits.get(&r.circuit_id).cloned();
        }
        Ok((ids.iter().map(|id| tag::circuit(id)).collect(), written_at))
    }

    pub async fn session(&self, year: i32, round: i32, t: i32) -> Result<Answer> {
        let year = Year::new(year)?.get();
        let round = RoundNumber::new(round)?.get();
        let t = SessionType::from_wire(t)?;
        self.read_through(
            &format!("session:{year}:{round}:{}", t.slug()),
            vec![tag::session(year, round, t)],
            || async {
                // Only a miss needs the class: no store read on a cache hit.
                let class = self.season_class(year).await?;
                let doc = self.store.get(Collection::Sessions, &keys::session(year, round, t)).await?;
                let doc = doc
                    .ok_or_else(|| DomainError::not_found(format!("{} of round {round} of season {year}", t.slug())))?;
                let session = decode::<Session>(&doc)?;
                let class = class.holding_provisional(session.is_provisional());
                let value = SessionResponse { metadata: None, session: Some(session) };
                Ok(Loaded { value, written_at: doc.updated_at, extra_tags: vec![], class })
            },
        )
        .await
    }

    pub async fn standings(&self, filter: StandingsFilter) -> Result<Answer> {
        let year = Year::new(filter.season)?.get();
        let after = filter.after_round.map(|r| RoundNumber::parse_field("after_round", r)).transpose()?;
        let key = match after {
            Some(r) => format!("standings:{year}:{r}"),
            None => format!("standings:{year}:latest"),
        };
        self.read_through(&key, vec![tag::standings(year)], || async {
            // Only a miss needs the class: no store read on a cache hit.
            let class = self.season_class(year).await?;
            let doc = match after {
                Some(r) => self.store.get(Collection::Standings, &keys::round(year, r.get())).await?,
                None => self.store.scan(Collection::Standings, &keys::season_prefix(year)).await?.pop(),
            };
            let doc = doc.ok_or_else(|| match after {
                Some(r) => DomainError::not_found(format!("standings after round {r} of season {year}")),
                None => DomainError::not_found(format!("standings of season {year}")),
            })?;
            let standings = decode::<Standings>(&doc)?;
            let class = class.holding_provisional(standings.is_provisional());
            let value = StandingsResponse { metadata: None, standings: Some(standings) };
            Ok(Loaded { value, written_at: doc.updated_at, extra_tags: vec![], class })
        })
        .await
    }

    pub async fn standings_progression(&self, year: i32) -> Result<Answer> {
        let year = Year::new(year)?.get();
        self.read_through(&format!("progression:{year}"), vec![tag::standings(year)], || async {
            // Only a miss needs the class: no store read on a cache hit.
            let class = self.season_class(year).await?;
            let docs = self.store.scan(Collection::Standings, &keys::season_prefix(year)).await?;
            if docs.is_empty() {
                return Err(DomainError::not_found(format!("standings of season {year}")));
            }
            let rounds: Vec<Standings> = decode_all(&docs)?;
            let class = class.holding_provisional(rounds.iter().any(Standings::is_provisional));
            Ok(Loaded {
                value: StandingsProgressionResponse { metadata: None, rounds },
                written_at: latest(&docs),
                extra_tags: vec![],
                class,
            })
        })
        .await
    }
}

fn session_type(s: &Session) -> SessionType {
    SessionType::try_from(s.r#type).unwrap_or_default()
}

/// Weekend order: by scheduled start when every start is known, else by type.
fn sort_sessions(sessions: &mut [Session]) {
    if sessions.iter().all(|s| s.start_time.is_some()) {
        sessions.sort_by_key(|s| (s.start_time, session_type(s).weekend_order()));
    } else {
        sessions.sort_by_key(|s| session_type(s).weekend_order());
    }
}
