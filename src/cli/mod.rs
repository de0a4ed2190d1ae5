//! The command line's library side: the local web server behind `castline serve`
//! ([`serve`]). The commands themselves are in `src/main.rs`.
//!
//! May import: anything below it. Native only.

pub mod serve;
