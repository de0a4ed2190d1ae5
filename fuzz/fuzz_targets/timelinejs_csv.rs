//! Reads arbitrary UTF-8 as a TimelineJS spreadsheet (CSV): it must never panic or hang,
//! and what it reads must convert to Castline JSON and back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::check(castline::read::timelinejs::load_timelinejs_csv(
            "timeline.csv",
            text,
        ));
    }
});
