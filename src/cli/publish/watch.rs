//! `castline publish --watch`: publishes, then publishes again whenever one of the story's
//! files changes, until stopped. A change with errors is reported and the folder keeps the
//! last good publication (publishing writes nothing when the story has an error).
//!
//! It polls each file's modification time and size twice a second rather than using the
//! `notify` crate: a story is a few files, polling them costs nothing, needs no new
//! dependency, and behaves the same on every system and file system (network shares,
//! editors and spreadsheets that save by replacing the file, which some notify back ends
//! miss). URLs among the inputs are fetched again at each publication but not watched.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::thread::sleep;
use std::time::{Duration, SystemTime};

use super::{PublishOptions, publish};
use crate::cli::fetch::url_of;

/// How often the files are looked at.
pub const POLL: Duration = Duration::from_millis(500);

/// What says a file changed: its modification time and size (`None` while it is missing,
/// as between an editor's delete and write).
type Stamp = Option<(SystemTime, u64)>;

fn stamps(files: &[&Path]) -> Vec<Stamp> {
    files
        .iter()
        .map(|path| {
            let metadata = std::fs::metadata(path).ok()?;
            Some((metadata.modified().ok()?, metadata.len()))
        })
        .collect()
}

fn report(result: Result<String, String>, then: &str) {
    match result {
        Ok(summary) => eprintln!("castline publish: {summary}; {then}"),
        Err(message) => eprintln!("castline publish: {message}; {then}"),
    }
}

/// Publishes, then again after each change of an input file; returns only when there is no
/// file to watch (1).
pub fn watch(options: &PublishOptions) -> ExitCode {
    let files: Vec<&Path> = options
        .inputs
        .iter()
        .map(PathBuf::as_path)
        .filter(|p| url_of(p).is_none())
        .collect();
    if files.is_empty() {
        eprintln!(
            "castline publish: --watch watches the story's files, and every STORY is a URL: \
             publish without --watch, again when the sheet has changed"
        );
        return ExitCode::FAILURE;
    }
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let waiting = format!("watching {} (Ctrl+C stops)", names.join(", "));
    let mut seen = stamps(&files);
    report(publish(options), &waiting);
    loop {
        sleep(POLL);
        let now = stamps(&files);
        if now == seen {
            continue;
        }
        // A file being saved may be written in several steps: publish once it has stayed the
        // same for a whole poll.
        sleep(POLL);
        if stamps(&files) != now {
            continue;
        }
        seen = now;
        report(publish(options), &waiting);
    }
}
