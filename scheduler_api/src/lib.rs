//! scheduler_api (filled by its own issue).
