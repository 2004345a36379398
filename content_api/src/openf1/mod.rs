//! OpenF1's query language for `/openf1/v1/{endpoint}`: the endpoints and
//! their field types ([`schema`]), the query string read into typed
//! conditions ([`query`]), records matched against them ([`filter`]), and
//! the `csv=true` answer ([`csv`]); the records they apply to ([`source`],
//! kept per session) and the answer put together ([`answer`]). The route
//! (`routes::openf1`) calls
//!
//! ```text
//! let endpoint = Endpoint::from_name(name)?;               // else 404
//! let mut query = Query::parse(endpoint, raw_query)?;       // 400 naming the field
//! if query.wants_latest("session_key") { query.resolve_latest("session_key", key) }
//! let filter = Filter::new(&query);
//! let rows = filter.apply(&records);                         // order kept
//! if query.csv { csv::write(endpoint, rows) } else { json }
//! ```
//!
//! What OpenF1 does, read from its query service, and where we differ:
//! - operators `=`, `>`, `>=`, `<`, `<=`, raw or percent-encoded, found in
//!   the pair glued back together after decoding ([`query`]); field names
//!   are lower-cased; `=>`/`=<` are `=` with a value starting `>`/`<`;
//! - repeated `=` on a field is OR, lower/upper bounds pair into ranges,
//!   unpaired bounds are OR too, fields are ANDed ([`filter`]);
//! - a day alone covers the whole UTC day whatever the operator; dates
//!   without a zone are UTC ([`date`]);
//! - text is compared exactly (case-sensitive), booleans read in any case;
//! - `latest` is only read for `session_key` and `meeting_key`, and only in
//!   lower case;
//! - OpenF1 guesses each value's type from its text (so `country_code=MON`
//!   is read as a date, Monday, and matches nothing, and `driver_number=abc`
//!   silently matches nothing); we type values by the field, so such text
//!   stays text and a value that cannot be the field's type is a 400;
//! - OpenF1 answers an unknown field with an empty list (the store has no
//!   such key), a parameter without operator or `csv` with no results with
//!   a 500; we answer 400 naming the parameter, and CSV with the header;
//! - laps, intervals, position, car_data and location need `session_key` or
//!   `meeting_key` conditions with `=` ([`answer::BIG`]): OpenF1 scans its
//!   whole store, we read one session's records at a time;
//! - car_data and location are read from the LiveTiming archive on demand,
//!   through a disk cache ([`crate::telemetry`]), not from the store;
//! - championship_drivers/_teams are read from our standings around each
//!   stored race ([`championship`]).
pub mod answer;
mod championship;
mod csv;
mod date;
mod error;
mod filter;
mod query;
mod schema;
pub mod source;
#[cfg(test)]
mod tests;

pub use csv::file_name as csv_file_name;
#[cfg(test)]
use csv::write as write_csv;
#[cfg(test)]
use error::QueryError;
pub use filter::Filter;
pub use query::Query;
#[cfg(test)]
use query::{Condition, Op, Value};
pub use schema::Endpoint;
#[cfg(test)]
use schema::Kind;
