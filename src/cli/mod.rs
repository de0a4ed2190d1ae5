//! The `castline` command line: what it accepts (`args`: clap's types, the help text and
//! the checks a value can fail on its own), running a parsed command (`commands`: `check`,
//! `convert`, `render`, `generate`, `serve`, `publish`), a story given as a URL (`fetch`:
//! a published Google Sheet), the static folder `publish` writes ([`publish`]), and the
//! local web server behind `castline serve` ([`serve`]). `src/main.rs` only calls [`main`].
//!
//! Owns the terminal: arguments, stdout and stderr, exit codes (0 ok, 1 failure, 2 usage
//! error), and the files the commands read and write. The formats, the story and the drawing
//! stay in the layers below, which know nothing of it.
//!
//! May import: anything below it, clap, and ureq (`fetch` only). Native only, and only with
//! the `full` feature (the readers of every format), as `src/lib.rs` gates it.

mod args;
mod commands;
mod fetch;
pub mod publish;
pub mod serve;

use std::process::ExitCode;

/// The `castline` binary: parses the process's arguments and runs the command.
pub fn main() -> ExitCode {
    match args::parse(std::env::args_os()) {
        Ok(command) => commands::run(command),
        Err(error) => {
            // clap reports `--help` and `--version` as errors too: it prints them to stdout
            // with code 0, and usage errors to stderr with code 2. A closed stdout is not
            // worth a panic.
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    }
}
