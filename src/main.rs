//! The `castline` command line. Everything but this entry point is in the library's
//! `castline::cli` (parsing, the commands, the server), where its tests live too.
//!
//! On wasm32 the binary is an empty stub, so that building every target of the crate for the
//! browser (clippy, `cargo test`) still works.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    castline::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
