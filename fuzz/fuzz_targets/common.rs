// Shared by every target: what must hold for any input a loader accepts.

use castline::write::json::to_json;
use castline::read::json::load_json;
use castline::read::load::{Diagnostic, Loaded};

/// Whatever was read converts to Castline JSON that reads back as the same story.
pub fn check(outcome: Result<Loaded, Vec<Diagnostic>>) {
    let Ok(loaded) = outcome else {
        return;
    };
    let Ok(text) = to_json(&loaded.story) else {
        panic!("a loaded story does not serialise");
    };
    match load_json("converted.json", &text) {
        Ok(again) => {
            assert!(
                again.diagnostics.is_empty(),
                "{:#?}\n{text}",
                again.diagnostics
            );
            assert_eq!(again.story, loaded.story, "{text}");
        }
        Err(e) => panic!("converted JSON does not load: {e:#?}\n{text}"),
    }
}
