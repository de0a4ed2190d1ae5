//! The story itself, as loaded: actors, events, relations and their dates (the model), the
//! calendar those dates live on, and what is derived once from the story alone (the graph of
//! who met whom, the indexes that make a click or a brush cheap).
//!
//! May import: nothing else in the crate. Everything above builds on it.

pub mod calendar;
pub mod communities;
pub mod dates;
pub mod graph;
pub mod index;
pub mod measures;
pub mod model;
pub mod order;
