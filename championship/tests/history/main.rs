//! The rules against history: every season's results, final standings and
//! title deciders from f1db (the published figures), 1950–2025.
mod data;
mod deciders;
mod eras;
mod standings;
mod whatif;
