//! The `/championship` answer's shape: what `report` assembles and
//! `describe` puts into words (describe needs only these types, not report).
use serde::{Deserialize, Serialize};

#[cfg(feature = "proto")]
use crate::calendar::Slot;
use crate::rules::{PointsRules, Scoring};

/// A points-scoring session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScoringSession {
    Sprint,
    Race,
}

impl From<Scoring> for ScoringSession {
    fn from(s: Scoring) -> Self {
        match s {
            Scoring::Sprint => Self::Sprint,
            Scoring::Race => Self::Race,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRef {
    pub round: i32,
    /// The round's name, e.g. "Qatar Grand Prix".
    pub name: String,
    pub session: ScoringSession,
    /// Day of the session (`YYYY-MM-DD`), when known.
    pub date: Option<String>,
}

impl SessionRef {
    #[cfg(feature = "proto")]
    pub fn of(slot: &Slot<'_>) -> Self {
        let date = Some(slot.date.clone()).filter(|d| !d.is_empty());
        Self { round: slot.round, name: slot.round_name.clone(), session: slot.kind.into(), date }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemainingSessions {
    pub races: u32,
    pub sprints: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contender {
    pub position: u32,
    /// Driver or constructor id.
    pub id: String,
    pub name: String,
    /// Drivers: the three-letter code.
    pub code: Option<String>,
    /// Drivers: the current team.
    pub team: Option<String>,
    /// Counted points (after dropped scores, where the season had them).
    pub points: f64,
    /// Every point scored, counted or not.
    pub total_points: f64,
    /// The most the counted points can still reach over the remaining
    /// races and sprints (with dropped scores: the best results that can
    /// still count, not a plain sum).
    pub max_points: f64,
    pub gap_to_leader: f64,
    /// Race wins (the first countback criterion).
    pub wins: u32,
    pub can_win: bool,
    /// Can only win by drawing level with the leader and winning countback
    /// (most wins, then most second places, ...).
    pub needs_countback: bool,
    /// What it needs at the next scoring session to clinch (contenders only).
    pub needs: Option<ContenderNeeds>,
    /// The earliest scoring session after which it could have clinched, in
    /// its best case (contenders only).
    pub earliest_clinch: Option<SessionRef>,
    /// Contenders behind the leader: the most points it may lose to the
    /// leader at the next scoring session and still be able to win after
    /// it (negative: it must outscore the leader by that much), others and
    /// countback aside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_to_leader: Option<f64>,
}

/// A rival named in a condition: it must finish no higher than this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RivalLimit {
    pub id: String,
    pub name: String,
    /// The best place the rival may take (past the scoring places: it must
    /// finish outside the points).
    pub no_higher_than: u32,
    pub outside_points: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NeedsKind {
    /// Finish in a position or better (with the named rivals held back).
    Finish,
    /// Constructors: score at least some points.
    Score,
    /// Clinching there is possible but takes more than a simple condition.
    NoSimpleCondition,
    /// No result at that session clinches.
    CannotClinch,
}

/// What one contender needs at the next scoring session to clinch the title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContenderNeeds {
    pub session: SessionRef,
    pub kind: NeedsKind,
    pub can_clinch: bool,
    /// Drivers: the worst finishing position that clinches (with `rivals` held back).
    pub finish_position: Option<u32>,
    /// The fewest points that clinch.
    pub points: Option<f64>,
    pub rivals: Vec<RivalLimit>,
    pub message: String,
}

/// What the leader needs at the next scoring session to clinch the title
/// whatever the others do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderNeeds {
    pub session: SessionRef,
    pub can_clinch: bool,
    /// Drivers: the worst finishing position that still clinches.
    pub finish_position: Option<u32>,
    /// The fewest points that clinch (a constructor's assumes its closest
    /// rival scores the most that session allows).
    pub points: Option<f64>,
    pub message: String,
}

/// One championship (drivers or constructors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TitleFight {
    pub leader: Option<String>,
    pub leader_name: Option<String>,
    /// Nobody else can still finish ahead of the leader.
    pub clinched: bool,
    /// The scoring session after which the leader could no longer be caught.
    pub clinched_at: Option<SessionRef>,
    /// With dropped scores: the rule, and who scored more in total than counted.
    pub dropped_scores_note: Option<String>,
    pub leader_needs: Option<LeaderNeeds>,
    pub standings: Vec<Contender>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Championship {
    pub season: i32,
    /// Always true from 1950 (kept for older clients).
    pub modelled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub rules: Option<PointsRules>,
    /// The last scoring session counted.
    pub after: Option<SessionRef>,
    pub next_session: Option<SessionRef>,
    pub remaining: Option<RemainingSessions>,
    pub drivers: Option<TitleFight>,
    pub constructors: Option<TitleFight>,
}

/// `1st`, `2nd`, `11th`, ...
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl SessionRef {
    pub fn label(&self) -> String {
        let kind = match self.session {
            ScoringSession::Sprint => "sprint",
            ScoringSession::Race => "race",
        };
        format!("the {} {kind}", self.name)
    }
}
