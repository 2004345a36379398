//! One module per resource; each handler validates its parameters, asks
//! [`crate::data`] and renders the answer.

pub mod career;
pub mod championship;
pub mod changes;
pub mod circuits;
pub mod live;
pub mod ops;
pub mod people;
pub mod rounds;
pub mod seasons;
pub mod standings;
