//! Careers: every season a driver or a constructor raced in, built from the
//! stored race classifications (see [`super::entries`]) with the season's
//! final standing where the standings list them, in one cached answer (a
//! driver page is one read, not one per season).
use std::collections::{BTreeMap, BTreeSet};

use protobuf::domain::FIRST_SEASON;
use protobuf::v1::{
    CacheClass, CareerRace, Constructor, ConstructorCareerResponse, ConstructorSeason, Driver, DriverCareerResponse,
    DriverSeason, RaceEntryIndex, SeasonEntries, SeasonEntry, Session, SessionType, Standings,
};
use protobuf::{DomainError, Year};

use super::keys::tag;
use super::{Answer, Loaded, Repo, Result, decode, entries, latest};
use crate::store::Collection;

impl Repo {
    pub async fn driver_career(&self, id: &str) -> Result<Answer> {
        let id = id.trim();
        if id.is_empty() {
            return Err(DomainError::invalid("id", "must not be empty"));
        }
        self.read_through(&format!("career:driver:{id}"), career_tags(tag::driver(id)), || async {
            let doc = self.store.get(Collection::Drivers, id).await?;
            let doc = doc.ok_or_else(|| DomainError::not_found(format!("driver {id}")))?;
            let driver: Driver = decode(&doc)?;
            let (finals, standings_at) = self.final_standings().await?;
            let (index, races_at) = self.race_entries().await?;
            let (mut by_season, races_provisional) = entries::pick(index, |e| e.driver_id == id);
            self.colour_teams(by_season.values_mut().flatten()).await?;
            let mut standings: BTreeMap<i32, _> = finals
                .iter()
                .filter_map(|s| Some((s.season, s.drivers.iter().find(|d| d.driver_id == id)?.clone())))
                .collect();
            let provisional = races_provisional
                || finals.iter().any(|s| s.is_provisional() && s.drivers.iter().any(|d| d.driver_id == id));
            let years: BTreeSet<i32> = by_season.keys().chain(standings.keys()).copied().collect();
            let seasons: Vec<DriverSeason> = years
                .into_iter()
                .rev()
                .map(|season| DriverSeason {
                    season,
                    standing: standings.remove(&season),
                    entries: by_season.remove(&season).unwrap_or_default(),
                })
                .collect();
            let mut written_at = standings_at.max(races_at).max(doc.updated_at);
            let mut extra_tags = Vec::new();
            let mut class = CacheClass::Reference.holding_provisional(provisional);
            let mut latest_races = Vec::new();
            if let Some(latest) = seasons.first().map(|s| s.season) {
                let rounds = self.load_rounds(latest).await?;
                written_at = written_at.max(rounds.written_at);
                class = class.and(rounds.class);
                extra_tags = rounds.extra_tags;
                latest_races = rounds.value.iter().filter_map(|r| race_of(r, id)).collect();
            }
            let value = DriverCareerResponse { metadata: None, driver: Some(driver), seasons, latest_races };
            Ok(Loaded { value, written_at, extra_tags, class })
        })
        .await
    }

    pub async fn constructor_career(&self, id: &str) -> Result<Answer> {
        let id = id.trim();
        if id.is_empty() {
            return Err(DomainError::invalid("id", "must not be empty"));
        }
        self.read_through(&format!("career:constructor:{id}"), career_tags(tag::constructor(id)), || async {
            let doc = self.store.get(Collection::Constructors, id).await?;
            let doc = doc.ok_or_else(|| DomainError::not_found(format!("constructor {id}")))?;
            let constructor: Constructor = decode(&doc)?;
            let (finals, standings_at) = self.final_standings().await?;
            let (index, races_at) = self.race_entries().await?;
            let newest_provisional = index.last().is_some_and(|s| s.provisional);
            let (mut by_season, _) = entries::pick(index, |e| e.constructor_id == id);
            for e in by_season.values_mut().flatten() {
                e.team_color.clone_from(&constructor.color);
            }
            let mut standings: BTreeMap<i32, Standings> = finals
                .into_iter()
                .filter(|s| s.constructors.iter().any(|c| c.constructor_id == id))
                .map(|s| (s.season, s))
                .collect();
            let years: BTreeSet<i32> = by_season.keys().chain(standings.keys()).copied().collect();
            let mut class = CacheClass::Reference;
            if let Some(&newest) = years.last() {
                let provisional = standings.get(&newest).is_some_and(Standings::is_provisional)
                    || (newest_provisional && by_season.contains_key(&newest));
                class = class.and(self.season_class(newest).await?).holding_provisional(provisional);
            }
            let seasons = years
                .into_iter()
                .rev()
                .map(|season| {
                    let (standing, drivers) = match standings.remove(&season) {
                        Some(s) => (
                            s.constructors.into_iter().find(|c| c.constructor_id == id),
                            s.drivers.into_iter().filter(|d| d.constructor_id == id).collect(),
                        ),
                        None => (None, vec![]),
                    };
                    let entries = by_season.remove(&season).unwrap_or_default();
                    ConstructorSeason { season, standing, drivers, entries }
                })
                .collect();
            let value = ConstructorCareerResponse { metadata: None, constructor: Some(constructor), seasons };
            let written_at = standings_at.max(races_at).max(doc.updated_at);
            Ok(Loaded { value, written_at, extra_tags: vec![], class })
        })
        .await
    }

    /// The standings after the last stored round of every season, newest
    /// season first, and the latest write among them. Only those records
    /// are decoded.
    async fn final_standings(&self) -> Result<(Vec<Standings>, i64)> {
        let docs = self.store.scan(Collection::Standings, "").await?;
        let mut finals = Vec::new();
        let mut written_at = 0;
        // Keys are `yyyy/rr`, so the last of each season is its final standing.
        for (i, doc) in docs.iter().enumerate() {
            let season = &doc.key[..doc.key.find('/').unwrap_or(doc.key.len())];
            let last = docs.get(i + 1).is_none_or(|next| !next.key.starts_with(&format!("{season}/")));
            if last {
                written_at = written_at.max(doc.updated_at);
                finals.push(decode::<Standings>(doc)?);
            }
        }
        finals.reverse();
        Ok((finals, written_at))
    }

    /// Every stored race entry by season (oldest first), and the latest
    /// write among the races: one scan of every race serves all the
    /// careers, kept until a session is written.
    async fn race_entries(&self) -> Result<(Vec<SeasonEntries>, i64)> {
        let answer = self
            .read_through("race_entries", season_tags(tag::rounds), || async {
                let docs = self.store.scan(Collection::Sessions, "").await?;
                let suffix = format!("/{}", SessionType::Race.slug());
                let races: Vec<_> = docs.into_iter().filter(|d| d.key.ends_with(&suffix)).collect();
                let sessions = races.iter().map(decode::<Session>).collect::<Result<Vec<_>>>()?;
                let seasons = entries::index(&sessions);
                let class = CacheClass::Reference.holding_provisional(seasons.iter().any(|s| s.provisional));
                let value = RaceEntryIndex { metadata: None, seasons };
                Ok(Loaded { value, written_at: latest(&races), extra_tags: vec![], class })
            })
            .await?;
        let index: RaceEntryIndex = answer.decode()?;
        Ok((index.seasons, answer.metadata.date))
    }

    /// Fills each entry's team colour from its constructor's record.
    async fn colour_teams(&self, entries: impl Iterator<Item = &mut SeasonEntry>) -> Result<()> {
        let mut colours: BTreeMap<String, String> = BTreeMap::new();
        for e in entries {
            if !colours.contains_key(&e.constructor_id) {
                let doc = self.store.get(Collection::Constructors, &e.constructor_id).await?;
                let colour = doc.map(|d| decode::<Constructor>(&d)).transpose()?.map(|c| c.color).unwrap_or_default();
                colours.insert(e.constructor_id.clone(), colour);
            }
            e.team_color.clone_from(&colours[&e.constructor_id]);
        }
        Ok(())
    }
}

/// `tag` of every season that may be stored (one not stored yet may appear).
fn season_tags(tag: fn(i32) -> String) -> Vec<String> {
    (FIRST_SEASON..).take_while(|y| Year::new(*y).is_ok()).map(tag).collect()
}

/// Invalidated by the record itself and by the standings and the sessions
/// of any season.
fn career_tags(record: String) -> Vec<String> {
    let mut tags = vec![record];
    tags.extend(season_tags(tag::standings));
    tags.extend(season_tags(tag::rounds));
    tags
}

/// The driver's race (and sprint) in round `r`, if they were classified.
fn race_of(r: &protobuf::v1::Round, driver: &str) -> Option<CareerRace> {
    let find = |t: SessionType| {
        r.sessions.iter().find(|s| s.r#type == t as i32)?.results.iter().find(|x| x.driver_id == driver)
    };
    let race = find(SessionType::Race)?;
    let sprint = find(SessionType::Sprint);
    Some(CareerRace {
        season: r.season,
        round: r.round,
        name: r.name.clone(),
        grid: race.grid,
        position_text: race.position_text.clone(),
        status: race.status.clone(),
        sprint_position_text: sprint.map(|s| s.position_text.clone()).unwrap_or_default(),
        points: race.points + sprint.map_or(0.0, |s| s.points),
    })
}
