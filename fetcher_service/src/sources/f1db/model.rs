//! The f1db YAML files as they are written (only the fields we use).
//!
//! f1db writes dates as bare `YYYY-MM-DD`, times as bare `HH:MM` (UTC) and
//! some numbers as strings, so scalar fields go through [`text`] and
//! [`number`], which accept whatever scalar YAML produced.
use serde::{Deserialize, Deserializer};

/// A position: a number, or a code such as `DNF`, `DSQ`, `DNS`, `NC`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Position {
    Number(i32),
    Code(String),
}

impl Position {
    pub fn number(&self) -> Option<i32> {
        match self {
            Self::Number(n) => Some(*n),
            Self::Code(_) => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
}

/// Any scalar as text (`07:00`, `2024-04-21`, `44`); null as None.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => f.to_string(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Text(t) => t,
    }))
}

/// A number written as a number or as a numeric string; `PL` (pit lane)
/// and other codes read as None.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?.and_then(|s| match s {
        Scalar::Int(i) => Some(i as f64),
        Scalar::Float(f) => Some(f),
        Scalar::Bool(_) => None,
        Scalar::Text(t) => t.trim().parse().ok(),
    }))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Race {
    pub round: i32,
    #[serde(deserialize_with = "text")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub time: Option<String>,
    pub grand_prix_id: String,
    #[serde(default)]
    pub official_name: String,
    pub circuit_id: String,
    #[serde(default)]
    pub circuit_type: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default, deserialize_with = "number")]
    pub course_length: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub turns: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub laps: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub distance: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub sprint_race_laps: Option<f64>,
    #[serde(default, deserialize_with = "text")]
    pub free_practice1_date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub free_practice1_time: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub free_practice2_date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub free_practice2_time: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub free_practice3_date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub free_practice3_time: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub qualifying_date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub qualifying_time: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub sprint_qualifying_date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub sprint_qualifying_time: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub sprint_race_date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub sprint_race_time: Option<String>,
}

/// One row of any `*-results.yml` file (practice, qualifying, sprint, race).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultRow {
    pub position: Position,
    #[serde(default, deserialize_with = "number")]
    pub driver_number: Option<f64>,
    pub driver_id: String,
    pub constructor_id: String,
    #[serde(default, deserialize_with = "number")]
    pub laps: Option<f64>,
    #[serde(default, deserialize_with = "text")]
    pub time: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub gap: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub interval: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub reason_retired: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub points: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub grid_position: Option<f64>,
    #[serde(default, deserialize_with = "text")]
    pub q1: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub q2: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub q3: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FastestLap {
    pub position: Position,
    pub driver_id: String,
    #[serde(default)]
    pub lap: Option<u32>,
    #[serde(default, deserialize_with = "text")]
    pub time: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverStandingRow {
    pub position: Position,
    pub driver_id: String,
    #[serde(default, deserialize_with = "number")]
    pub points: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConstructorStandingRow {
    pub position: Position,
    pub constructor_id: String,
    #[serde(default, deserialize_with = "number")]
    pub points: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverFile {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default, deserialize_with = "text")]
    pub abbreviation: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub permanent_number: Option<f64>,
    #[serde(default, deserialize_with = "text")]
    pub date_of_birth: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub date_of_death: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub nationality_country_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConstructorFile {
    pub id: String,
    pub name: String,
    #[serde(default, deserialize_with = "text")]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub country_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitFile {
    pub id: String,
    pub name: String,
    #[serde(default, deserialize_with = "text")]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub r#type: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub direction: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub place_name: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub country_id: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub latitude: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub longitude: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub length: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub turns: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrandPrixFile {
    pub id: String,
    pub name: String,
    #[serde(default, deserialize_with = "text")]
    pub full_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountryFile {
    pub id: String,
    pub name: String,
    #[serde(default, deserialize_with = "text")]
    pub alpha2_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub demonym: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_times_and_codes_parse() {
        let race: Race = serde_yaml_ng::from_str(
            "round: 5\ndate: 2024-04-21\ntime: 07:00\ngrandPrixId: china\ncircuitId: shanghai\nlaps: 56\n",
        )
        .unwrap();
        assert_eq!(race.time.as_deref(), Some("07:00"));
        assert_eq!(race.date.as_deref(), Some("2024-04-21"));
        let rows: Vec<ResultRow> = serde_yaml_ng::from_str(
            "- position: DNF\n  driverNumber: 1\n  driverId: a\n  constructorId: b\n  gridPosition: PL\n  points: 0.5\n",
        )
        .unwrap();
        assert_eq!(rows[0].position, Position::Code("DNF".into()));
        assert_eq!(rows[0].grid_position, None);
        assert_eq!(rows[0].points, Some(0.5));
    }
}

/// A row of `pit-stops.yml` (f1db has them from 1994): `time` is the
/// stop's duration (`25.885`, `1:01:47.606` for a red-flag wait).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PitStopRow {
    pub driver_id: String,
    #[serde(default, deserialize_with = "number")]
    pub stop: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub lap: Option<f64>,
    #[serde(default, deserialize_with = "text")]
    pub time: Option<String>,
}
