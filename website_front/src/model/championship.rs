use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SessionRef {
    pub round: i32,
    pub name: String,
    /// `sprint` or `race`.
    pub session: String,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Contender {
    pub position: u32,
    pub id: String,
    pub name: String,
    pub code: Option<String>,
    pub team: Option<String>,
    pub points: f64,
    pub max_points: f64,
    pub gap_to_leader: f64,
    pub wins: u32,
    pub can_win: bool,
    pub needs_countback: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LeaderNeeds {
    pub session: SessionRef,
    pub can_clinch: bool,
    pub message: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TitleFight {
    pub leader: Option<String>,
    pub leader_name: Option<String>,
    pub clinched: bool,
    pub clinched_at: Option<SessionRef>,
    pub leader_needs: Option<LeaderNeeds>,
    pub standings: Vec<Contender>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Remaining {
    pub races: u32,
    pub sprints: u32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Championship {
    pub season: i32,
    pub modelled: bool,
    pub note: Option<String>,
    pub after: Option<SessionRef>,
    pub next_session: Option<SessionRef>,
    pub remaining: Option<Remaining>,
    pub drivers: Option<TitleFight>,
    pub constructors: Option<TitleFight>,
}
