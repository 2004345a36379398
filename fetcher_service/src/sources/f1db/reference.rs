//! Drivers, constructors, circuits, grands prix and countries, and the
//! records they become: `Driver`, `Constructor`, `Circuit` and the Ergast
//! `IdAlias` of each.
use std::collections::HashMap;

use protobuf::v1::{Circuit, Constructor, Driver, IdAlias};
use serde::de::DeserializeOwned;

use super::files::{Tree, err};
use super::model::{CircuitFile, ConstructorFile, CountryFile, DriverFile, GrandPrixFile, Race};
use crate::colours::team_colour;
use crate::ids::{self, Kind};
use crate::upstream::UpstreamError;

pub fn parse<T: DeserializeOwned>(path: &str, bytes: &[u8]) -> Result<T, UpstreamError> {
    serde_yaml_ng::from_slice(bytes).map_err(|e| err(path, format!("not the f1db layout: {e}")))
}

/// The reference files, by id.
#[derive(Debug, Default)]
pub struct Reference {
    pub drivers: HashMap<String, DriverFile>,
    pub constructors: HashMap<String, ConstructorFile>,
    pub circuits: HashMap<String, CircuitFile>,
    pub grands_prix: HashMap<String, GrandPrixFile>,
    pub countries: HashMap<String, CountryFile>,
    /// The latest race held at each circuit: (season, race).
    pub latest_race: HashMap<String, (i32, Race)>,
}

impl Reference {
    pub fn load(tree: &Tree) -> Result<Self, UpstreamError> {
        let mut r = Self::default();
        for (path, bytes) in &tree.reference {
            let dir = path.split('/').next().unwrap_or_default();
            match dir {
                "drivers" => insert(&mut r.drivers, parse::<DriverFile>(path, bytes)?, |d| &d.id),
                "constructors" => insert(&mut r.constructors, parse::<ConstructorFile>(path, bytes)?, |c| &c.id),
                "circuits" => insert(&mut r.circuits, parse::<CircuitFile>(path, bytes)?, |c| &c.id),
                "grands-prix" => insert(&mut r.grands_prix, parse::<GrandPrixFile>(path, bytes)?, |g| &g.id),
                "countries" => insert(&mut r.countries, parse::<CountryFile>(path, bytes)?, |c| &c.id),
                _ => {}
            }
        }
        if r.drivers.is_empty() || r.circuits.is_empty() {
            return Err(err("drivers/", "no drivers or circuits in the f1db tree"));
        }
        for (year, season) in &tree.seasons {
            for (dir, files) in &season.races {
                let Some(bytes) = files.get("race.yml") else { continue };
                let path = format!("seasons/{year}/races/{dir}/race.yml");
                let race: Race = parse(&path, bytes)?;
                let newer =
                    r.latest_race.get(&race.circuit_id).is_none_or(|(y, old)| (*y, old.round) < (*year, race.round));
                if newer {
                    r.latest_race.insert(race.circuit_id.clone(), (*year, race));
                }
            }
        }
        Ok(r)
    }

    fn country(&self, id: Option<&str>) -> Option<&CountryFile> {
        id.and_then(|id| self.countries.get(id))
    }

    fn demonym(&self, id: Option<&str>) -> String {
        self.country(id).and_then(|c| c.demonym.clone()).unwrap_or_default()
    }

    fn alpha2(&self, id: Option<&str>) -> String {
        self.country(id).and_then(|c| c.alpha2_code.clone()).unwrap_or_default()
    }

    pub fn driver_name(&self, id: &str) -> Option<&str> {
        self.drivers.get(id).map(|d| d.name.as_str())
    }

    pub fn constructor_name(&self, id: &str) -> Option<&str> {
        self.constructors.get(id).map(|c| c.name.as_str())
    }

    pub fn driver(&self, d: &DriverFile) -> Driver {
        Driver {
            id: d.id.clone(),
            code: d.abbreviation.clone().unwrap_or_default(),
            permanent_number: d.permanent_number.map_or(0, |n| n as i32),
            first_name: d.first_name.clone(),
            last_name: d.last_name.clone(),
            // The name a driver is known by ("Max Verstappen"), as every
            // source spells it; f1db's fullName adds middle names.
            full_name: d.name.clone(),
            nationality: self.demonym(d.nationality_country_id.as_deref()),
            country_code: self.alpha2(d.nationality_country_id.as_deref()),
            date_of_birth: d.date_of_birth.clone().unwrap_or_default(),
            date_of_death: d.date_of_death.clone().unwrap_or_default(),
        }
    }

    pub fn constructor(&self, c: &ConstructorFile) -> Constructor {
        Constructor {
            id: c.id.clone(),
            name: c.name.clone(),
            full_name: c.full_name.clone().unwrap_or_else(|| c.name.clone()),
            nationality: self.demonym(c.country_id.as_deref()),
            country_code: self.alpha2(c.country_id.as_deref()),
            color: team_colour(&c.id).to_string(),
        }
    }

    pub fn circuit(&self, c: &CircuitFile) -> Circuit {
        let latest = self.latest_race.get(&c.id).map(|(_, r)| r);
        let lower = |s: Option<&str>| s.unwrap_or_default().to_ascii_lowercase();
        Circuit {
            id: c.id.clone(),
            name: c.name.clone(),
            full_name: c.full_name.clone().unwrap_or_else(|| c.name.clone()),
            locality: c.place_name.clone().unwrap_or_default(),
            country: self.country(c.country_id.as_deref()).map(|k| k.name.clone()).unwrap_or_default(),
            country_code: self.alpha2(c.country_id.as_deref()),
            latitude: c.latitude.unwrap_or_default(),
            longitude: c.longitude.unwrap_or_default(),
            length_km: latest.and_then(|r| r.course_length).or(c.length).unwrap_or_default(),
            turns: latest.and_then(|r| r.turns).or(c.turns).map_or(0, |t| t as i32),
            race_laps: latest.and_then(|r| r.laps).map_or(0, |l| l as i32),
            circuit_type: lower(c.r#type.as_deref()),
            direction: lower(c.direction.as_deref()),
            has_image: false,
        }
    }

    /// Every driver, constructor and circuit, sorted by id, with their aliases.
    pub fn records(&self) -> (Vec<Driver>, Vec<Constructor>, Vec<Circuit>, Vec<IdAlias>) {
        let mut drivers: Vec<Driver> = self.drivers.values().map(|d| self.driver(d)).collect();
        drivers.sort_by(|a, b| a.id.cmp(&b.id));
        let mut constructors: Vec<Constructor> = self.constructors.values().map(|c| self.constructor(c)).collect();
        constructors.sort_by(|a, b| a.id.cmp(&b.id));
        let mut circuits: Vec<Circuit> = self.circuits.values().map(|c| self.circuit(c)).collect();
        circuits.sort_by(|a, b| a.id.cmp(&b.id));
        let mut aliases = ids::ergast_aliases(Kind::Driver, drivers.iter().map(|d| d.id.as_str()));
        aliases.extend(ids::ergast_aliases(Kind::Constructor, constructors.iter().map(|c| c.id.as_str())));
        aliases.extend(ids::ergast_aliases(Kind::Circuit, circuits.iter().map(|c| c.id.as_str())));
        (drivers, constructors, circuits, aliases)
    }
}

fn insert<T>(map: &mut HashMap<String, T>, value: T, id: impl Fn(&T) -> &String) {
    map.insert(id(&value).clone(), value);
}
