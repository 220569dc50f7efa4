//! The interchange records live in [`crate::interchange`] (plain data, no store behind them);
//! this name stays for the code that reached them through the store.

pub use crate::interchange::*;
