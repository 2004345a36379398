//! The JSON shapes of the API, converted from the proto records. Field
//! names of the seed's round shape are kept as they were; fields are only
//! ever added.

pub mod live;
pub mod people;
pub mod round;
pub mod season;
pub mod standings;

/// Empty proto strings become JSON nulls for optional fields.
pub(crate) fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}
