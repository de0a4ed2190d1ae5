//! Reading stories in: each input format (Castline JSON, Castline spreadsheets, TimelineJS
//! CSV and JSON) into raw records that keep their file, line and column, then [`load`] checks
//! them all into a [`Story`](crate::story::model::Story) and a list of diagnostics.
//! [`detect`] tells the formats apart by their content.
//!
//! May import: [`crate::story`]. Without the `full` feature (the page's first download) only
//! Castline JSON is read.

mod clean;
#[cfg(feature = "full")]
pub mod csv;
#[cfg(feature = "full")]
pub mod detect;
pub mod json;
pub mod load;
pub mod parts;
#[cfg(feature = "full")]
pub mod timelinejs;
