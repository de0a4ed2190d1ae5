//! Stored positions (`actors[].position`, docs/data-format.md "Positions"): read with their
//! problems named at line and column, kept by the JSON writer, settled deterministically by
//! `view::fixed::settle`, and a story that has them all opens at rest, where they say.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "full")]

use castline::App;
use castline::read::json::load_json;
use castline::view::fixed::settle;
use castline::write::json::to_json;

const DEFAULT: &str = include_str!("../data/peace-plan-2025.json");

fn load(text: &str) -> castline::read::load::Loaded {
    load_json("story.json", text).expect("loads")
}

/// The layout's positions from `App::placement` (after its three fit numbers).
fn placed(app: &App) -> Vec<f64> {
    app.placement()[3..].to_vec()
}

#[test]
fn settled_positions_are_deterministic_and_the_story_then_opens_at_rest() {
    let mut a = load(DEFAULT).story;
    let mut b = load(DEFAULT).story;
    settle(&mut a);
    settle(&mut b);
    assert_eq!(a, b, "the same story settles to the same places");
    assert!(a.actors.iter().all(|x| x.position.is_some()));
    let json = to_json(&a).expect("writes");
    assert!(json.contains("\"position\": ["), "{}", &json[..400]);
    // Read back: the same places, and the viewer's layout does not move from them.
    let back = load(&json);
    assert!(back.diagnostics.is_empty(), "{:?}", back.diagnostics);
    assert_eq!(back.story, a);
    let mut app = App::new(back.story, back.diagnostics);
    assert!(
        !app.layout_running(),
        "a story with every position is at rest"
    );
    let stored: Vec<f64> = a
        .actors
        .iter()
        .flat_map(|x| x.position.expect("settled"))
        .collect();
    assert_eq!(placed(&app), stored);
    assert!(!app.step_layout(100), "nothing to run");
    assert_eq!(placed(&app), stored, "no movement");
    // Written again, the positions are the same text: convert keeps them.
    assert_eq!(to_json(app.story()).expect("writes"), json);
}

#[test]
fn settling_again_keeps_the_actors_near_where_they_were() {
    let mut story = load(DEFAULT).story;
    settle(&mut story);
    let first: Vec<[f64; 2]> = story.actors.iter().filter_map(|a| a.position).collect();
    // Settling a settled story starts from its places: they barely move.
    settle(&mut story);
    let moved = story
        .actors
        .iter()
        .zip(&first)
        .map(|(a, p)| {
            let q = a.position.expect("settled");
            (q[0] - p[0]).hypot(q[1] - p[1])
        })
        .fold(0.0, f64::max);
    assert!(moved < 15.0, "an actor moved {moved} layout units");
}

#[test]
fn a_story_with_some_positions_places_the_others_and_runs_from_there() {
    let mut story = load(DEFAULT).story;
    settle(&mut story);
    let kept = story.actors[0].position;
    for a in story.actors.iter_mut().skip(1).step_by(2) {
        a.position = None;
    }
    let app = App::new(story.clone(), Vec::new());
    // Laid out at once (a small story), starting from the places it had.
    assert!(!app.layout_running());
    let p = &placed(&app)[..2];
    let kept = kept.expect("settled");
    assert!(
        (p[0] - kept[0]).hypot(p[1] - kept[1]) < 60.0,
        "{p:?} vs {kept:?}"
    );
}

#[test]
fn bad_positions_are_warnings_at_their_field_and_the_actor_is_kept() {
    let text = r#"{
  "actors": [
    { "id": "a", "name": "A", "position": [1, 2, 3] },
    { "id": "b", "name": "B", "position": [1e300, 0] },
    { "id": "c", "name": "C", "position": [5.5, -7.25] }
  ],
  "events": [ { "id": "e", "title": "E", "date": "2025", "actors": ["a", "b", "c"] } ]
}"#;
    let loaded = load(text);
    let lines: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0].starts_with("story.json:3:43: warning:") && lines[0].contains("position"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("found 3 numbers"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("story.json:4:43: warning:"),
        "{}",
        lines[1]
    );
    assert_eq!(loaded.story.actors.len(), 3);
    assert_eq!(loaded.story.actors[0].position, None);
    assert_eq!(loaded.story.actors[1].position, None);
    assert_eq!(loaded.story.actors[2].position, Some([5.5, -7.25]));
    // The wrong type is the record's error, at the field, as for any field.
    let wrong = load(r#"{"actors": [{"id": "a", "name": "A", "position": "left"}], "events": []}"#);
    let line = wrong.diagnostics[0].to_string();
    assert!(
        line.contains("error") && line.contains("position"),
        "{line}"
    );
}
