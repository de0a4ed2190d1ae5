//! Castline: who met whom, and when. A story's actors as a network beside a time axis of the
//! events they took part in.
//!
//! The core (everything but [`web`]) is plain Rust, tested natively; [`web`] is the one module
//! that knows about the browser. Drawing is generic over plotters' `DrawingBackend`, so the
//! page's canvas and the native SVG output come from the same code.

pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod canvas_backend;
pub mod csv_in;
pub mod csv_out;
pub mod dates;
pub mod detect;
pub mod draw;
pub mod export;
pub mod generate;
pub mod graph;
pub mod interact;
pub mod json_in;
pub mod layout;
pub mod load;
pub mod model;
pub mod network;
pub mod render;
#[cfg(not(target_arch = "wasm32"))]
pub mod serve;
pub mod text;
pub mod timeline;
pub mod timelinejs;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use app::App;

/// The default story, built into the crate so tests and tools always have it.
pub const DEFAULT_STORY: &str = include_str!("../data/peace-plan-2025.json");
/// The name diagnostics give the default story.
pub const DEFAULT_STORY_FILE: &str = "data/peace-plan-2025.json";
