//! renkei (連携): the facilitator's desk for multi-agency welfare meetings.

#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod cases;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod document;
pub mod domain;
pub mod i18n;
pub mod interchange;
pub mod keys;
pub mod ledger_file;
pub mod limits;
pub mod minutes;
pub mod office;
pub mod report;
pub mod store;
pub mod temp_file;
pub mod text;
pub mod tui;
pub mod upcoming;
pub mod user_file;
pub mod zone;
