use serde::{Deserialize, Serialize};

/// `/content/v1/changes` (not in the envelope): the version of the data the
/// answering content_api process serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesVersion {
    /// Changes whenever a write is announced to that process (or it starts
    /// following the writes again): while it is the same, no write has
    /// completed since, so what was built from its answers is current.
    pub version: String,
}
