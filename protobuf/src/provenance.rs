//! How sure a classification is, and the one precedence rule between two
//! of them: an official classification replaces anything, a provisional one
//! never replaces an official one, and between equals the later write wins.
use crate::v1::{Provenance, ResultSource, ResultStatus, Session, SessionResult, Standings};

impl ResultSource {
    /// Sources that publish the FIA classification (with the stewards'
    /// penalties) are official; anything derived from timing data is the
    /// order at the flag, so provisional.
    pub fn status(self) -> ResultStatus {
        match self {
            Self::F1db | Self::Jolpica | Self::Formula1 => ResultStatus::Official,
            Self::LivetimingArchive | Self::LivetimingLive => ResultStatus::Provisional,
            Self::Unspecified => ResultStatus::Unspecified,
        }
    }
}

impl Provenance {
    /// Results from `source`, with the status that source has; `updated_at`
    /// is stamped when stored.
    pub fn from_source(source: ResultSource) -> Self {
        Self { source: source as i32, status: source.status() as i32, updated_at: 0 }
    }

    pub fn result_status(&self) -> ResultStatus {
        ResultStatus::try_from(self.status).unwrap_or_default()
    }

    pub fn is_provisional(&self) -> bool {
        self.result_status() == ResultStatus::Provisional
    }
}

impl Session {
    /// Whether its classification is provisional (the order at the flag).
    pub fn is_provisional(&self) -> bool {
        self.provenance.as_ref().is_some_and(Provenance::is_provisional)
    }
}

impl Standings {
    /// Whether they count a provisional classification.
    pub fn is_provisional(&self) -> bool {
        self.provenance.as_ref().is_some_and(Provenance::is_provisional)
    }
}

/// The rank of a record's provenance: official above provisional above none.
fn rank(p: Option<&Provenance>) -> u8 {
    match p.map(Provenance::result_status) {
        Some(ResultStatus::Official) => 2,
        Some(ResultStatus::Provisional) => 1,
        _ => 0,
    }
}

/// Whether a stored record with provenance `stored` must be kept when a
/// record with provenance `incoming` is written over it.
pub fn keeps_stored(stored: Option<&Provenance>, incoming: Option<&Provenance>) -> bool {
    rank(stored) > rank(incoming)
}

/// Whether a result line's `position_text` says the driver is classified
/// (a number; R, D, DQ, NC, DNS, DNQ, DNPQ, EX and W are not).
pub fn is_classified(position_text: &str) -> bool {
    !position_text.is_empty() && position_text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a race line's `position_text` says the driver took part
/// (rather than failing to qualify or pre-qualify, not starting or
/// withdrawing).
pub fn started(position_text: &str) -> bool {
    !matches!(position_text, "DNQ" | "DNPQ" | "DNS" | "DNP" | "W")
}

/// Marks every line classified or not from its `position_text`.
pub fn mark_classified(results: &mut [SessionResult]) {
    for r in results {
        r.classified = is_classified(&r.position_text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(source: ResultSource) -> Option<Provenance> {
        Some(Provenance::from_source(source))
    }

    #[test]
    fn official_outranks_provisional_and_equals_replace() {
        let (official, provisional) = (p(ResultSource::Jolpica), p(ResultSource::LivetimingArchive));
        assert!(keeps_stored(official.as_ref(), provisional.as_ref()));
        assert!(!keeps_stored(provisional.as_ref(), official.as_ref()));
        assert!(!keeps_stored(official.as_ref(), p(ResultSource::F1db).as_ref()));
        assert!(!keeps_stored(provisional.as_ref(), p(ResultSource::LivetimingLive).as_ref()));
        assert!(keeps_stored(official.as_ref(), None));
        assert!(!keeps_stored(None, provisional.as_ref()));
    }

    #[test]
    fn classified_only_with_a_numeric_position_text() {
        for t in ["1", "20"] {
            assert!(is_classified(t), "{t}");
        }
        for t in ["R", "D", "DQ", "NC", "DNS", "DNQ", "EX", "W", ""] {
            assert!(!is_classified(t), "{t}");
        }
    }
}
