//! Ergast ids to stable ids during one sync (the rules are in
//! [`crate::ids`]). Ids resolved for the first time get an `IdAlias`, and
//! drivers, constructors and circuits not stored yet get a record built
//! from the Ergast answer; both go into the sync's batch, so a failed sync
//! leaves no alias behind either.
use std::collections::HashMap;

use protobuf::v1::{Circuit, Constructor, Driver, IdAlias, WriteBatchRequest};

use super::parse::{ErgastCircuit, ErgastConstructor, ErgastDriver};
use crate::colours::team_colour;
use crate::error::FetchError;
use crate::ids::{self, ERGAST, Kind, slug};
use data_client::Client;

#[derive(Debug, Default)]
pub struct Resolver {
    season: i32,
    aliases: HashMap<(Kind, String), String>,
    drivers: HashMap<String, Driver>,
    constructors: HashMap<String, Constructor>,
    circuits: HashMap<String, Circuit>,
    /// What this sync adds.
    new_aliases: Vec<IdAlias>,
    new_drivers: Vec<Driver>,
    new_constructors: Vec<Constructor>,
    new_circuits: Vec<Circuit>,
}

impl Resolver {
    /// Loads the stored aliases and reference records.
    pub async fn load(client: &Client, season: i32) -> Result<Self, FetchError> {
        let mut r = Self { season, ..Self::default() };
        for kind in [Kind::Driver, Kind::Constructor, Kind::Circuit] {
            for a in client.aliases(kind.as_str(), ERGAST).await? {
                r.aliases.insert((kind, a.source_id), a.id);
            }
        }
        r.drivers = client.drivers().await?.into_iter().map(|d| (d.id.clone(), d)).collect();
        r.constructors = client.constructors().await?.into_iter().map(|c| (c.id.clone(), c)).collect();
        r.circuits = client.circuits().await?.into_iter().map(|c| (c.id.clone(), c)).collect();
        Ok(r)
    }

    /// A resolver with nothing stored (parser tests, Jolpica-only set-ups).
    pub fn empty(season: i32) -> Self {
        Self { season, ..Self::default() }
    }

    /// Season-bound ids (see [`crate::ids::SEASONAL_CONSTRUCTORS`]) resolve for `season`.
    pub fn set_season(&mut self, season: i32) {
        self.season = season;
    }

    /// The stable id of an Ergast driver id already resolved once (in the
    /// stored aliases), for answers that carry the id alone (laps, stops).
    pub fn known_driver(&self, ergast_id: &str) -> Option<String> {
        self.aliases.get(&(Kind::Driver, ergast_id.to_string())).cloned().or_else(|| {
            ids::exception(Kind::Driver, ergast_id, None)
                .map(str::to_string)
                .or_else(|| Some(ids::derive(ergast_id)))
                .filter(|id| self.drivers.contains_key(id))
        })
    }

    pub fn stored_driver(&self, id: &str) -> Option<&Driver> {
        self.drivers.get(id)
    }

    fn remember(&mut self, kind: Kind, ergast_id: &str, id: &str) {
        if self.aliases.insert((kind, ergast_id.to_string()), id.to_string()).is_none() {
            self.new_aliases.push(ids::alias(kind, ergast_id, id));
        }
    }

    pub fn driver(&mut self, d: &ErgastDriver) -> String {
        if let Some(id) = self.aliases.get(&(Kind::Driver, d.id.clone())) {
            return id.clone();
        }
        let family = slug(&d.family_name);
        let same_person = |x: &Driver| {
            d.date_of_birth.as_deref().is_some_and(|dob| dob == x.date_of_birth)
                && (slug(&x.last_name) == family || slug(&x.full_name).ends_with(&family))
        };
        let id = ids::exception(Kind::Driver, &d.id, None)
            .map(str::to_string)
            .or_else(|| Some(ids::derive(&d.id)).filter(|id| self.drivers.contains_key(id)))
            .or_else(|| self.drivers.values().find(|x| same_person(x)).map(|x| x.id.clone()))
            .unwrap_or_else(|| slug(&format!("{} {}", d.given_name, d.family_name)));
        if !self.drivers.contains_key(&id) {
            let driver = Driver {
                id: id.clone(),
                code: d.code.clone().unwrap_or_default(),
                permanent_number: d.permanent_number.unwrap_or(0),
                first_name: d.given_name.clone(),
                last_name: d.family_name.clone(),
                full_name: format!("{} {}", d.given_name, d.family_name),
                nationality: d.nationality.clone().unwrap_or_default(),
                country_code: String::new(),
                date_of_birth: d.date_of_birth.clone().unwrap_or_default(),
                // Ergast does not say.
                date_of_death: String::new(),
            };
            self.drivers.insert(id.clone(), driver.clone());
            self.new_drivers.push(driver);
        }
        self.remember(Kind::Driver, &d.id, &id);
        id
    }

    pub fn constructor(&mut self, c: &ErgastConstructor) -> String {
        // Season-bound exceptions first: the stored alias is season-less.
        if let Some(id) = ids::seasonal_constructor(&c.id, self.season) {
            return self.ensure_constructor(c, id.to_string());
        }
        // A season-bound id's alias names its newest constructor only.
        if !ids::is_seasonal(&c.id)
            && let Some(id) = self.aliases.get(&(Kind::Constructor, c.id.clone()))
        {
            return id.clone();
        }
        let name = slug(&c.name);
        let id = ids::exception(Kind::Constructor, &c.id, None)
            .map(str::to_string)
            .or_else(|| Some(ids::derive(&c.id)).filter(|id| self.constructors.contains_key(id)))
            .or_else(|| self.constructors.values().find(|x| slug(&x.name) == name).map(|x| x.id.clone()))
            .unwrap_or_else(|| ids::derive(&c.id));
        self.ensure_constructor(c, id)
    }

    fn ensure_constructor(&mut self, c: &ErgastConstructor, id: String) -> String {
        if !self.constructors.contains_key(&id) {
            let constructor = Constructor {
                id: id.clone(),
                name: c.name.clone(),
                full_name: c.name.clone(),
                nationality: c.nationality.clone().unwrap_or_default(),
                country_code: String::new(),
                color: team_colour(&id).to_string(),
            };
            self.constructors.insert(id.clone(), constructor.clone());
            self.new_constructors.push(constructor);
        }
        self.remember(Kind::Constructor, &c.id, &id);
        id
    }

    pub fn constructor_name(&self, id: &str) -> Option<&str> {
        self.constructors.get(id).map(|c| c.name.as_str())
    }

    /// Circuits are never matched by coordinates: Caesars Palace and the Las
    /// Vegas Strip circuit lie 300 m apart.
    pub fn circuit(&mut self, c: &ErgastCircuit) -> String {
        if let Some(id) = self.aliases.get(&(Kind::Circuit, c.id.clone())) {
            return id.clone();
        }
        let id = ids::exception(Kind::Circuit, &c.id, None).map_or_else(|| ids::derive(&c.id), str::to_string);
        if !self.circuits.contains_key(&id) {
            let circuit = Circuit {
                id: id.clone(),
                name: c.name.clone(),
                full_name: c.name.clone(),
                locality: c.locality.clone(),
                country: c.country.clone(),
                latitude: c.latitude,
                longitude: c.longitude,
                ..Default::default()
            };
            self.circuits.insert(id.clone(), circuit.clone());
            self.new_circuits.push(circuit);
        }
        self.remember(Kind::Circuit, &c.id, &id);
        id
    }

    /// Moves what this sync resolved for the first time into `batch`.
    pub fn drain_into(&mut self, batch: &mut WriteBatchRequest) {
        batch.aliases.append(&mut self.new_aliases);
        batch.drivers.append(&mut self.new_drivers);
        batch.constructors.append(&mut self.new_constructors);
        batch.circuits.append(&mut self.new_circuits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ergast_driver(id: &str, given: &str, family: &str, dob: &str) -> ErgastDriver {
        ErgastDriver {
            id: id.into(),
            code: None,
            permanent_number: None,
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: Some(dob.into()),
            nationality: None,
        }
    }

    #[test]
    fn drivers_resolve_by_rule_exception_or_birth_date() {
        let mut r = Resolver::empty(2024);
        let stored = Driver {
            id: "kamui-kobayashi".into(),
            last_name: "Kobayashi".into(),
            full_name: "Kamui Kobayashi".into(),
            date_of_birth: "1986-09-13".into(),
            ..Default::default()
        };
        r.drivers.insert(stored.id.clone(), stored);
        assert_eq!(r.driver(&ergast_driver("kobayashi", "Kamui", "Kobayashi", "1986-09-13")), "kamui-kobayashi");
        assert_eq!(r.driver(&ergast_driver("hamilton", "Lewis", "Hamilton", "1985-01-07")), "lewis-hamilton");
        assert_eq!(r.driver(&ergast_driver("max_verstappen", "Max", "Verstappen", "1997-09-30")), "max-verstappen");
        let mut batch = WriteBatchRequest::default();
        r.drain_into(&mut batch);
        // Two drivers were not stored: records for them, aliases for all three.
        assert_eq!(
            batch.drivers.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["lewis-hamilton", "max-verstappen"]
        );
        assert_eq!(batch.aliases.len(), 3);
    }

    #[test]
    fn constructors_follow_the_season() {
        let sauber = ErgastConstructor { id: "sauber".into(), name: "Sauber".into(), nationality: None };
        assert_eq!(Resolver::empty(2024).constructor(&sauber), "kick-sauber");
        assert_eq!(Resolver::empty(2012).constructor(&sauber), "sauber");
        let rb = ErgastConstructor { id: "red_bull".into(), name: "Red Bull".into(), nationality: None };
        let mut r = Resolver::empty(2024);
        assert_eq!(r.constructor(&rb), "red-bull");
        let mut batch = WriteBatchRequest::default();
        r.drain_into(&mut batch);
        assert_eq!(batch.constructors[0].color, "#3671c6");
    }
}
