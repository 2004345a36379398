//! A circuit's history: every stored round held there and who won its race,
//! for the circuit's page (one answer, not a read per season).
use protobuf::v1::{CacheClass, CircuitRound, CircuitRoundsResponse, Round, Session, SessionType};
use protobuf::{DomainError, Year};

use super::keys::{self, tag};
use super::{Answer, Loaded, Repo, Result, decode, decode_all, latest};
use crate::store::Collection;

impl Repo {
    pub async fn circuit_rounds(&self, id: &str) -> Result<Answer> {
        let id = id.trim();
        if id.is_empty() {
            return Err(DomainError::invalid("id", "must not be empty"));
        }
        let mut tags = vec![tag::circuit(id)];
        tags.extend((protobuf::domain::FIRST_SEASON..).take_while(|y| Year::new(*y).is_ok()).map(tag::rounds));
        self.read_through(&format!("circuit_rounds:{id}"), tags, || async {
            let doc = self.store.get(Collection::Circuits, id).await?;
            let doc = doc.ok_or_else(|| DomainError::not_found(format!("circuit {id}")))?;
            let docs = self.store.scan(Collection::Rounds, "").await?;
            let mut written_at = latest(&docs).max(doc.updated_at);
            let held: Vec<Round> = decode_all::<Round>(&docs)?.into_iter().filter(|r| r.circuit_id == id).collect();
            let mut rounds = Vec::with_capacity(held.len());
            let mut provisional = false;
            for r in held.into_iter().rev() {
                let key = keys::session(r.season, r.round, SessionType::Race);
                let mut out =
                    CircuitRound { season: r.season, round: r.round, name: r.name, date: r.date, ..Default::default() };
                if let Some(doc) = self.store.get(Collection::Sessions, &key).await? {
                    written_at = written_at.max(doc.updated_at);
                    let race: Session = decode(&doc)?;
                    provisional |= race.is_provisional();
                    if let Some(w) = race.results.into_iter().find(|x| x.position == 1) {
                        out.winner_driver_id = w.driver_id;
                        out.winner_name = w.driver_name;
                        out.winner_constructor_id = w.constructor_id;
                        out.winner_team = w.team;
                    }
                }
                rounds.push(out);
            }
            let class = CacheClass::Reference.holding_provisional(provisional);
            Ok(Loaded {
                value: CircuitRoundsResponse { metadata: None, rounds },
                written_at,
                extra_tags: vec![],
                class,
            })
        })
        .await
    }
}
