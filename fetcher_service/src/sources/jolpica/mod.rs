//! Jolpica (the Ergast-compatible API): seasons, calendars with every
//! session's start time, race, sprint and qualifying classifications,
//! driver and constructor standings per round, drivers and constructors.
//!
//! `api` fetches through [`crate::upstream::Fetch`] (pacing, retries and
//! the per-sync cache live in [`crate::client`]) and follows pagination;
//! `parse` validates answers into Ergast-id records; `ids` maps Ergast ids
//! to stable ids; `map` builds the proto records; `sync` assembles one
//! all-or-nothing batch per sync.

pub mod api;
pub mod ids;
pub mod json;
pub mod map;
pub mod parse;
pub mod sync;
pub mod timing;
