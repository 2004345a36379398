use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DriverStanding {
    pub position: i32,
    pub position_text: String,
    pub driver_id: String,
    pub driver_number: i32,
    pub driver_code: String,
    pub driver_name: String,
    pub nationality: String,
    pub constructor_id: String,
    pub team: String,
    pub team_color: Option<String>,
    pub points: f64,
    pub wins: i32,
    pub podiums: i32,
    pub poles: i32,
    pub fastest_laps: i32,
    pub dnfs: i32,
    pub races: i32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConstructorStanding {
    pub position: i32,
    pub position_text: String,
    pub constructor_id: String,
    pub name: String,
    pub nationality: String,
    pub color: Option<String>,
    pub points: f64,
    pub wins: i32,
    pub podiums: i32,
    pub poles: i32,
    pub fastest_laps: i32,
    pub dnfs: i32,
    pub races: i32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DriverStandings {
    pub season: i32,
    pub round: i32,
    pub standings: Vec<DriverStanding>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConstructorStandings {
    pub season: i32,
    pub round: i32,
    pub standings: Vec<ConstructorStanding>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProgressionRound {
    pub round: i32,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProgressionSeries {
    pub id: String,
    pub name: String,
    pub code: Option<String>,
    pub team: Option<String>,
    pub color: Option<String>,
    pub points: Vec<Option<f64>>,
    pub positions: Vec<Option<i32>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Progression {
    pub season: i32,
    pub rounds: Vec<ProgressionRound>,
    pub drivers: Vec<ProgressionSeries>,
    pub constructors: Vec<ProgressionSeries>,
}
