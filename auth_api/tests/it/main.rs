//! auth_api's integration tests: the router driven in-process over a real
//! data_scheduler (port 0, temporary embedded store).

mod api_keys;
mod health;
mod helpers;
mod logs;
mod middleware;
mod rate_limit;
mod session;
mod storage;
mod tokens;
mod users;
mod verify;
