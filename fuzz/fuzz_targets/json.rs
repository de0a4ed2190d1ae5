//! Reads arbitrary UTF-8 as Castline JSON: it must never panic or hang,
//! and what it reads must convert to Castline JSON and back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::check(castline::read::json::load_json("fuzz.json", text));
    }
});
