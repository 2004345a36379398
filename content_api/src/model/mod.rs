//! From the proto records to the public JSON contract (`content_types`):
//! the one place content_api decides how a record reads in JSON. Field
//! names of the seed's round shape are kept as they were; fields are only
//! ever added.

mod career;
mod live;
mod people;
mod round;
mod season;
pub mod session_data;
mod standings;

pub use career::{constructor_career, driver_career};
pub use live::{live, state_of};
pub use people::{constructor, driver};
pub use round::{circuit, circuit_rounds, provenance, round, session};
pub use season::season;
pub use standings::{constructor_standing, driver_standing};

/// Empty proto strings become JSON nulls for optional fields.
pub(crate) fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}
