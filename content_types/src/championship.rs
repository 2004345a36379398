//! The title fight (`/content/v1/seasons/{year}/championship`) and its
//! what-if (`POST .../championship/what-if`): the answer content_api writes
//! and the website reads, and the request the website sends and content_api
//! parses. The fight itself and the what-if's types are the `championship`
//! crate's (built here without its computation).
use serde::{Deserialize, Deserializer, Serialize};

pub use championship::Championship;
pub use championship::model::ScoringSession;
pub use championship::standing_now::AsItStands;
pub use championship::whatif::{HypotheticalSession, MAX_ORDER, WhatIf, WhatIfRequest};

/// The title fight, and whether it rests on provisional results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChampionshipAnswer {
    #[serde(flatten)]
    pub championship: Championship,
    /// True when a counted race or sprint (or the latest standings) is
    /// provisional: the order at the flag, awaiting the official classification.
    pub provisional: bool,
    /// Says so in a sentence when `provisional`, e.g. "If the provisional
    /// result stands, Max Verstappen is champion."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional_note: Option<String>,
    /// Asked with `as_it_stands=true`: the live race or sprint played as if
    /// it finished now (null when none is live); the fight above includes it.
    #[serde(default, skip_serializing_if = "Asked::is_not_asked")]
    pub as_it_stands: Asked<AsItStands>,
}

/// A field present only when it was asked for: `null` when asked and
/// there is nothing to tell.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Asked<T> {
    #[default]
    NotAsked,
    Answered(Option<T>),
}

impl<T> Asked<T> {
    pub fn is_not_asked(&self) -> bool {
        matches!(self, Self::NotAsked)
    }

    /// What was told, if it was asked and there was something to tell.
    pub fn into_answer(self) -> Option<T> {
        match self {
            Self::NotAsked => None,
            Self::Answered(answer) => answer,
        }
    }
}

/// Present (a value or `null`) means asked; an absent field (the default)
/// means not asked.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Asked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(d).map(Self::Answered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_asked_for_reads_back_as_asked() {
        let asked: Asked<u32> = serde_json::from_str("null").unwrap();
        assert_eq!(asked, Asked::Answered(None));
        assert_eq!(serde_json::to_string(&Asked::<u32>::Answered(None)).unwrap(), "null");
        assert_eq!(serde_json::from_str::<Asked<u32>>("3").unwrap().into_answer(), Some(3));
    }
}
