//! The story told in steps (issue 19 §1): the format, the loader's checks, and `convert`'s
//! and the export's round trip.
#![cfg(not(target_arch = "wasm32"))]
// The diagnostics and the other formats come with the `full` feature (the default); the first
// download's reader is tested in `read::json`.
#![cfg(feature = "full")]

use castline::read::json::load_json;
use castline::read::load::{Loaded, Severity};
use castline::write::json::to_json;

const STORY: &str = r#"{"title": "T",
"actors": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
"sources": [{"id": "s", "name": "S", "url": "https://example.org/"}],
"events": [
  {"id": "late", "title": "L", "date": "2025-11-20", "actors": ["a", "b"]},
  {"id": "early", "title": "E", "date": "2025-10-02", "actors": ["b", "c"]}
],
"steps": [
  {"title": "First", "text": "Words.", "sources": [{"source": "s", "quote": "q"}],
   "view": {"select": ["a", "b"], "mode": "any", "window": "2025-11-01..",
            "time": "2025-10-01..2025-12-01", "focus": "late", "fit": ["a", "b"]}},
  {"title": "Second"},
  {"title": "Bad",
   "view": {"select": ["a", "zz"],
            "fit": ["b", "witkof"]}},
  {"title": "Bad too", "view": {"mode": "some", "window": "2025-12..2025-11", "focus": "nope"}},
  {"title": "", "view": {"time": "2025-10.."}}
]}"#;

fn load(text: &str) -> Loaded {
    load_json("story.json", text).expect("loads")
}

fn errors(loaded: &Loaded) -> Vec<String> {
    loaded.errors().map(ToString::to_string).collect()
}

#[test]
fn steps_are_read_with_their_views() {
    let loaded = load(STORY);
    let story = &loaded.story;
    assert_eq!(story.steps.len(), 2, "{:#?}", loaded.diagnostics);
    let first = &story.steps[0];
    assert_eq!(first.title, "First");
    assert_eq!(first.text.as_deref(), Some("Words."));
    assert_eq!(first.sources.len(), 1);
    let v = &first.view;
    assert_eq!(v.select, [0, 1]);
    assert!(v.any);
    assert_eq!(v.window, Some([Some("2025-11-01".to_owned()), None]));
    assert_eq!(
        v.time,
        Some(["2025-10-01".to_owned(), "2025-12-01".to_owned()])
    );
    // Events are sorted by date after reading: the focus follows its event.
    assert_eq!(v.focus.map(|e| story.events[e].id.as_str()), Some("late"));
    assert_eq!(v.fit, [0, 1]);
    assert_eq!(story.steps[1].view, Default::default());
}

#[test]
fn unknown_ids_in_a_step_are_errors_at_their_line_and_column() {
    let loaded = load(STORY);
    let errors = errors(&loaded);
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    // "select": ["a", "zz"] on line 14; "zz" starts at column 29.
    assert!(
        has(
            "story.json:14:29: error: steps[2] \"Bad\", field \"view.select[1]\": there is no actor with id \"zz\"; the step was left out"
        ),
        "{errors:#?}"
    );
    assert!(
        has(
            "story.json:15:26: error: steps[2] \"Bad\", field \"view.fit[1]\": there is no actor with id \"witkof\""
        ),
        "{errors:#?}"
    );
    assert!(has(
        "steps[3] \"Bad too\", field \"view.mode\": the mode \"some\""
    ));
    assert!(has(
        "field \"view.window\": \"2025-12..2025-11\" ends before it starts"
    ));
    assert!(has(
        "field \"view.focus\": there is no event with id \"nope\""
    ));
    assert!(has("steps[4], field \"title\": the title is empty"));
    assert!(has(
        "steps[4], field \"view.time\": the time axis's span needs a start and an end"
    ));
    // Every step record ends in the story or in an error naming it.
    for i in 2..5 {
        assert!(has(&format!("steps[{i}]")), "steps[{i}] is not named");
    }
}

#[test]
fn unknown_fields_of_a_step_and_its_view_are_warnings() {
    let loaded = load(
        r#"{"actors": [{"id": "a", "name": "A"}],
"steps": [{"title": "T", "colour": 1, "view": {"zoom": 2, "fit": ["a"]}}]}"#,
    );
    assert_eq!(loaded.story.steps.len(), 1);
    let warnings: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("field \"colour\": unknown field"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("story.json:2:56: warning: steps[0] \"T\", field \"view.zoom\"")),
        "{warnings:#?}"
    );
}

#[test]
fn steps_come_back_from_convert_and_the_export_unchanged() {
    let loaded = load(STORY);
    let text = to_json(&loaded.story).expect("writes");
    assert!(text.contains("\"window\": \"2025-11-01..\""), "{text}");
    let again = load_json("again.json", &text).expect("reads back");
    assert!(again.diagnostics.is_empty(), "{:#?}", again.diagnostics);
    assert_eq!(again.story.steps, loaded.story.steps);
    assert_eq!(to_json(&again.story).expect("writes"), text);
}

#[test]
fn a_story_without_steps_writes_none() {
    let loaded = load(r#"{"actors": [{"id": "a", "name": "A"}]}"#);
    let text = to_json(&loaded.story).expect("writes");
    assert!(!text.contains("steps"), "{text}");
}

/// The default story's steps reach the page's first download: its lean reader takes them.
#[test]
fn the_default_story_has_steps_and_loads_clean() {
    let loaded = load_json(castline::DEFAULT_STORY_FILE, castline::DEFAULT_STORY).expect("loads");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert!(loaded.story.steps.len() >= 5);
}

const EVENTS_CSV: &str = "id,title,date,actors\n\
m,Miami talks,2025-10-24/2025-10-26,Steve Witkoff; Kirill Dmitriev\n\
l,The leak,2025-11-20,Marco Rubio\n";

#[test]
fn a_steps_sheet_is_told_by_its_step_column_and_read_in_its_numbers_order() {
    use castline::read::csv::{Sheet, load_csv_set};
    let keys = |h: &str| h.split(',').map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        Sheet::of("anything.csv", &keys("step,title,text")),
        Some(Sheet::Steps)
    );
    let steps = "Step,Title,Text,Source,Quote,Select,Mode,Window,Time,Focus,Fit\n\
2,The leak,It leaked.,The Post,q,marco rubio,,2025-11-17..2025-11-23,,l,Marco Rubio\n\
1,Miami,Three days.,WSJ,,Steve Witkoff;Kirill Dmitriev,any,2025-10-24..2025-10-26,2025-10-01..2025-11-30,m,Steve Witkoff; Kirill Dmitriev\n\
x,Bad number,,,,,,,,,\n\
3,Bad actor,,,,Steve Witkoff; Nobody,,,,,Kirill Dmitrev\n";
    let loaded = load_csv_set(&[("events.csv", EVENTS_CSV), ("steps.csv", steps)]).expect("loads");
    let story = &loaded.story;
    let titles: Vec<&str> = story.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Miami", "The leak"], "{:#?}", loaded.diagnostics);
    let miami = &story.steps[0];
    assert!(miami.view.any);
    assert_eq!(miami.view.select.len(), 2);
    assert_eq!(miami.view.fit, miami.view.select);
    assert_eq!(
        miami.view.focus.map(|e| story.events[e].id.as_str()),
        Some("m")
    );
    assert_eq!(
        story.sources[story.steps[1].sources[0].source].name,
        "The Post"
    );
    let errors = errors(&loaded);
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(
        has(
            "steps.csv:4:1: error: row 4 \"Bad number\", field \"step\": \"x\" is not a step number"
        ),
        "{errors:#?}"
    );
    // Unknown actors at their cells: F (select) and K (fit) of line 5.
    assert!(
        has(
            "steps.csv:5:6: error: row 5 \"Bad actor\", field \"view.select[1]\": there is no actor with id \"Nobody\""
        ),
        "{errors:#?}"
    );
    assert!(
        has(
            "steps.csv:5:11: error: row 5 \"Bad actor\", field \"view.fit[0]\": there is no actor with id \"Kirill Dmitrev\"; did you mean"
        ),
        "{errors:#?}"
    );
    // Through convert, the sheet's steps are Castline JSON's.
    let text = to_json(story).expect("writes");
    let again = load_json("again.json", &text).expect("reads back");
    assert_eq!(again.story.steps, story.steps);
}

#[test]
fn a_timelinejs_title_slide_is_the_first_step_and_each_era_a_step_of_its_window() {
    use castline::read::timelinejs::{load_timelinejs_csv, load_timelinejs_json};
    let sheet = "Year,Month,Day,End Year,End Month,End Day,Headline,Text,Type,Group\n\
2020,5,,2021,2,,Design years,<p>Designs.</p>,era,\n\
,,,,,,The river bridge,<p>A bridge.</p>,title,\n\
2020,6,1,,,,A design,<p>One.</p>,,Council\n\
2022,,,,,,Building,<p>Built.</p>,era,\n";
    let loaded = load_timelinejs_csv("bridge.csv", sheet).expect("loads");
    assert!(
        loaded.errors().next().is_none(),
        "{:#?}",
        loaded.diagnostics
    );
    let steps = &loaded.story.steps;
    let titles: Vec<&str> = steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["The river bridge", "Design years", "Building"]);
    assert_eq!(steps[0].text.as_deref(), Some("A bridge."));
    assert_eq!(
        steps[0].view,
        Default::default(),
        "the title slide shows the whole story"
    );
    assert_eq!(
        steps[1].view.window,
        Some([Some("2020-05".to_owned()), Some("2021-02".to_owned())])
    );
    assert_eq!(
        steps[2].view.window,
        Some([Some("2022".to_owned()), Some("2022".to_owned())])
    );
    // Eras stay events too.
    assert_eq!(loaded.story.events.len(), 3);

    let json = r#"{"title": {"text": {"headline": "T", "text": "<p>About</p>"}},
      "events": [{"start_date": {"year": 2020}, "text": {"headline": "E"}}],
      "eras": [{"start_date": {"year": 2019}, "end_date": {"year": 2021}, "text": {"headline": "Era"}}]}"#;
    let loaded = load_timelinejs_json("t.json", json).expect("loads");
    let titles: Vec<&str> = loaded
        .story
        .steps
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, ["T", "Era"], "{:#?}", loaded.diagnostics);
    assert_eq!(
        loaded.story.steps[1].view.window,
        Some([Some("2019".to_owned()), Some("2021".to_owned())])
    );
}
