//! fetcher_service (filled by its own issue).
