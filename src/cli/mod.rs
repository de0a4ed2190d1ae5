//! The `castline` command line: parsing and running its commands ([`commands`]: `check`,
//! `convert`, `render`, `generate`, `serve`), and the local web server behind `castline serve`
//! ([`serve`]). `src/main.rs` only calls [`main`].
//!
//! May import: anything below it. Native only, and only with the `full` feature (the readers
//! of every format), as `src/lib.rs` gates it.

mod commands;
pub mod serve;

pub use commands::main;
