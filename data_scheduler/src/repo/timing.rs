//! Lap timings and pit stops of races (what the Ergast API's `laps` and
//! `pitstops` answer from). One record per race; sources fill different
//! parts (f1db has pit stops, the LiveTiming archive laps, Jolpica both), so
//! a write replaces only the parts it gives.
use protobuf::v1::{LapTiming, PitStop, RaceTiming, RaceTimingResponse};
use protobuf::{DomainError, RoundNumber, Year};

use super::keys::{self, tag};
use super::{Answer, Loaded, Repo, Result, decode};
use crate::store::{Batch, Collection};

fn invalid(i: usize, field: &str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(format!("races[{i}].{field}"), message)
}

/// Refuses what no reader could use: no driver, lap or stop numbers below 1.
fn validate(i: usize, t: &RaceTiming) -> Result<()> {
    Year::parse_field(&format!("races[{i}].season"), t.season)?;
    RoundNumber::parse_field(&format!("races[{i}].round"), t.round)?;
    for (j, l) in t.laps.iter().enumerate() {
        if l.driver_id.is_empty() || l.lap < 1 || l.position < 1 {
            return Err(invalid(i, &format!("laps[{j}]"), "needs a driver, a lap from 1 and a position from 1"));
        }
    }
    for (j, p) in t.pit_stops.iter().enumerate() {
        if p.driver_id.is_empty() || p.lap < 1 || p.stop < 1 {
            return Err(invalid(i, &format!("pit_stops[{j}]"), "needs a driver, a lap from 1 and a stop from 1"));
        }
    }
    Ok(())
}

fn sort(laps: &mut [LapTiming], stops: &mut [PitStop]) {
    laps.sort_by_key(|l| (l.lap, l.position));
    stops.sort_by(|a, b| (a.lap, &a.time, a.stop, &a.driver_id).cmp(&(b.lap, &b.time, b.stop, &b.driver_id)));
}

impl Repo {
    /// Writes every race's timing in one transaction, keeping the stored
    /// part (laps or pit stops) that a race's write leaves empty.
    pub async fn write_race_timings(&self, races: Vec<RaceTiming>) -> Result<i64> {
        for (i, t) in races.iter().enumerate() {
            validate(i, t)?;
        }
        let mut batch = Batch::default();
        let mut tags = Vec::new();
        for mut t in races {
            let partial = t.laps.is_empty() || t.pit_stops.is_empty();
            if partial
                && let Some(doc) = self.store.get(Collection::RaceTimings, &keys::round(t.season, t.round)).await?
            {
                let stored: RaceTiming = decode(&doc)?;
                if t.laps.is_empty() {
                    t.laps = stored.laps;
                }
                if t.pit_stops.is_empty() {
                    t.pit_stops = stored.pit_stops;
                }
            }
            sort(&mut t.laps, &mut t.pit_stops);
            tags.push(tag::race_timing(t.season, t.round));
            batch.put(keys::put_race_timing(&t));
        }
        self.commit(batch, tags).await
    }

    pub async fn race_timing(&self, season: i32, round: i32) -> Result<Answer> {
        let season = Year::new(season)?.get();
        let round = RoundNumber::new(round)?.get();
        self.read_through(&format!("race_timing:{season}:{round}"), vec![tag::race_timing(season, round)], || async {
            let class = self.season_class(season).await?;
            let doc = self.store.get(Collection::RaceTimings, &keys::round(season, round)).await?;
            let doc = doc.ok_or_else(|| DomainError::not_found(format!("lap timings of {season} round {round}")))?;
            let timing = decode::<RaceTiming>(&doc)?;
            let value = RaceTimingResponse { metadata: None, timing: Some(timing) };
            Ok(Loaded { value, written_at: doc.updated_at, extra_tags: vec![], class })
        })
        .await
    }
}
