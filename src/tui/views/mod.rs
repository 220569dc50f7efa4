//! Drawing: pure functions of the app's state, one file per screen.

mod actions;
mod bodies;
mod chrome;
mod home;
mod meeting;
mod minutes;
mod wide;

pub use chrome::draw;
