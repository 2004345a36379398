use serde::Deserialize;

/// A driver or constructor named by id.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Season {
    pub year: i32,
    /// `upcoming`, `in_progress`, `completed` or `unknown`.
    pub status: String,
    pub total_rounds: i32,
    pub current_round: i32,
    pub first_date: Option<String>,
    pub end_date: Option<String>,
    pub champion_driver: Option<Named>,
    pub champion_constructor: Option<Named>,
}

impl Season {
    pub fn completed(&self) -> bool {
        self.status == "completed"
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SeasonList {
    pub total: i32,
    pub seasons: Vec<Season>,
}
