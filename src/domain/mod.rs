pub mod basis;
pub mod calendar;
pub mod case;
pub mod frequency;
pub mod model;
pub mod schedule;
pub mod vocabulary;
pub mod ward;
