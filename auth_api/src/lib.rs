//! auth_api (filled by its own issue).
