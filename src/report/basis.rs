//! 開催根拠 (legal basis) rows of the report: the classification lives in
//! [`crate::domain::basis`], which the minutes read too (their legal notice) without the report.

pub use crate::domain::basis::{Basis, classify_basis};
