//! Castline: who met whom, and when. A story's actors as a network beside a time axis of the
//! events they took part in.
//!
//! The core (everything but [`web`]) is plain Rust, tested natively; [`web`] is the one module
//! that knows about the browser. Drawing is generic over plotters' `DrawingBackend`, so the
//! page's canvas and the native SVG output come from the same code.
//!
//! The modules are layers, each importing only those listed before it (docs/architecture.md
//! is the map): [`story`] (the model, dates, graph and indexes), [`read`] and [`write`] (the
//! formats in and out), [`place`] (layout, the network and time axis on screen, level of
//! detail), [`draw`] (painting a frame through plotters), [`view`] (the viewer's state, the
//! reader's input, and the frames it hands to the drawing), and the outputs: [`web`] (the
//! wasm handle), [`render`] (static pictures) and [`cli`] (the command line's server).
//!
//! Without the `full` feature (the page's first download) the crate reads only Castline JSON
//! and leaves the other formats and the rich diagnostics out; see [`web`] and
//! docs/development.md ("The two wasm builds").

#[cfg(all(feature = "full", not(target_arch = "wasm32")))]
pub mod cli;
pub mod draw;
pub mod place;
pub mod read;
pub mod render;
pub mod story;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod write;

pub use view::App;

/// The first download's allocator: talc instead of the standard library's dlmalloc, 2.5 KB
/// gzip smaller (issue 6) and as fast there. The full build keeps dlmalloc: its reader makes
/// many more small allocations, and loaded a big story 4–8% slower with talc.
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    not(feature = "full")
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The default story, built into the crate so tests and tools always have it.
pub const DEFAULT_STORY: &str = include_str!("../data/peace-plan-2025.json");
/// The name diagnostics give the default story.
pub const DEFAULT_STORY_FILE: &str = "data/peace-plan-2025.json";
