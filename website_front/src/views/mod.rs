//! The HTML of every page, as maud templates compiled into the binary.
//! Views take data already fetched and return markup; they do no I/O.

pub mod circuit;
pub mod errors;
pub mod fmt;
pub mod home;
pub mod index;
pub mod layout;
pub mod live;
pub mod live_plus;
pub mod parts;
pub mod people;
pub mod round;
pub mod season;
pub mod seasons;
pub mod session;
