//! website_front's integration tests: pages rendered from real data (f1db
//! seasons 2021–2024 and a few older ones — see `stack` — imported into an
//! in-process data_scheduler, served by content_api over HTTP) and checked
//! in headless Chromium.

mod browser;
mod careers;
mod contrast;
mod fight_card;
mod find;
mod fresh;
mod kept;
mod live;
mod live_board;
mod live_plus;
mod outage;
mod pages;
mod provisional;
mod session_pages;
mod stack;
mod streams;
mod weight;
mod whatif_chain;
