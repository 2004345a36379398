//! website_front (filled by its own issue).
