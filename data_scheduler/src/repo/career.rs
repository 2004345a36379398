//! Careers: a driver's or a constructor's final standing in every stored
//! season, in one cached answer (a driver page is one read, not one per
//! season).
use protobuf::domain::FIRST_SEASON;
use protobuf::v1::{
    CacheClass, CareerRace, Constructor, ConstructorCareerResponse, ConstructorSeason, Driver, DriverCareerResponse,
    DriverSeason, SessionType, Standings,
};
use protobuf::{DomainError, Year};

use super::keys::tag;
use super::{Answer, Loaded, Repo, Result, decode};
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
            let (finals, mut written_at) = self.final_standings().await?;
            let provisional = finals
                .iter()
                .find(|s| s.drivers.iter().any(|d| d.driver_id == id))
                .is_some_and(Standings::is_provisional);
            let seasons: Vec<DriverSeason> = finals
                .into_iter()
                .filter_map(|s| {
                    let standing = s.drivers.into_iter().find(|d| d.driver_id == id)?;
                    Some(DriverSeason { season: s.season, standing: Some(standing) })
                })
                .collect();
            let mut extra_tags = Vec::new();
            let mut class = CacheClass::Reference.holding_provisional(provisional);
            let mut latest_races = Vec::new();
            if let Some(latest) = seasons.first().map(|s| s.season) {
                let rounds = self.load_rounds(latest).await?;
                written_at = written_at.max(rounds.written_at);
                class = class.and(rounds.class);
                extra_tags = rounds.extra_tags;
                extra_tags.push(tag::rounds(latest));
                latest_races = rounds.value.iter().filter_map(|r| race_of(r, id)).collect();
            }
            let value = DriverCareerResponse { metadata: None, driver: Some(driver), seasons, latest_races };
            Ok(Loaded { value, written_at: written_at.max(doc.updated_at), extra_tags, class })
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
            let (finals, written_at) = self.final_standings().await?;
            let mut class = CacheClass::Reference;
            let mut seasons = Vec::new();
            for s in finals {
                let provisional = s.is_provisional();
                let Some(standing) = s.constructors.into_iter().find(|c| c.constructor_id == id) else { continue };
                if seasons.is_empty() {
                    class = class.and(self.season_class(s.season).await?).holding_provisional(provisional);
                }
                let drivers = s.drivers.into_iter().filter(|d| d.constructor_id == id).collect();
                seasons.push(ConstructorSeason { season: s.season, standing: Some(standing), drivers });
            }
            let value = ConstructorCareerResponse { metadata: None, constructor: Some(constructor), seasons };
            Ok(Loaded { value, written_at: written_at.max(doc.updated_at), extra_tags: vec![], class })
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
}

/// Invalidated by the record itself and by the standings of any season (a
/// season that is not stored yet may appear).
fn career_tags(record: String) -> Vec<String> {
    let years = (FIRST_SEASON..).take_while(|y| Year::new(*y).is_ok());
    std::iter::once(record).chain(years.map(tag::standings)).collect()
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
