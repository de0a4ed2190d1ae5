//! Reading the default story as a reader does: brushing and moving a time window, zooming
//! and panning, dragging nodes, several actors in "all" and "any" mode, groups, the keyboard.
#![cfg(not(target_arch = "wasm32"))]

use castline::story::dates::When;
use castline::view::app::{App, Mode, Target};
use castline::view::interact::{CameraState, ViewState};

fn app() -> App {
    let mut app = App::from_json(castline::DEFAULT_STORY_FILE, castline::DEFAULT_STORY)
        .expect("default story");
    app.resize(620.0, 460.0, 700.0);
    app
}

fn ids(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

fn x_of(app: &App, date: &str) -> f64 {
    let scale = app.timeline.scale.expect("a time axis");
    scale.x(When::parse(date).unwrap().start_secs as f64)
}

/// A height inside the lanes, away from any mark (the lane label column is not used).
fn lane_y(app: &App) -> f64 {
    let lane = &app.timeline.lanes[0];
    lane.y + lane.height / 2.0
}

#[test]
fn brushing_sets_a_window_of_whole_days_and_the_network_follows() {
    let mut app = app();
    let y = lane_y(&app);
    let before = app.version();
    app.pointer_down(Target::Timeline, x_of(&app, "2025-11-17") + 2.0, y);
    app.pointer_move(Target::Timeline, x_of(&app, "2025-11-20"), y);
    // Live: the window exists while the pointer is still down.
    assert!(app.reader.selection.window.is_some());
    app.pointer_move(Target::Timeline, x_of(&app, "2025-11-23") + 2.0, y);
    assert!(app.pointer_up(Target::Timeline, x_of(&app, "2025-11-23") + 2.0, y, false));
    assert!(app.version() > before);
    let state = app.state();
    let window = state.time_window.clone().expect("a window");
    assert_eq!(window, ["2025-11-17".to_owned(), "2025-11-23".to_owned()]);
    assert!(ids(&state.visible_events).contains(&"rubio-geneva"));
    assert!(!ids(&state.visible_events).contains(&"miami-talks"));
    // Only actors of the window's events are shown; Trump (October only) is hidden and not hit.
    let trump = app.story().actor_index("trump").unwrap();
    assert!(!app.network.shown[trump]);
    assert_eq!(
        app.network.hit(app.network.x[trump], app.network.y[trump]),
        None
    );
    // Ties are recounted inside the window: Witkoff–Kushner share no event that week…
    let edges = app.derived.window_edges.as_ref().expect("window ties");
    let (w, k) = (
        app.story().actor_index("witkoff").unwrap(),
        app.story().actor_index("kushner").unwrap(),
    );
    let tie = |a: usize, b: usize| {
        edges
            .iter()
            .find(|e| (e.a, e.b) == (a.min(b), a.max(b)))
            .map(|e| e.weight)
    };
    // …except the undated-within-the-drafting events that overlap it ("Oct–Nov?").
    let expected = app
        .story()
        .events
        .iter()
        .filter(|e| {
            e.when.overlaps(
                When::parse("2025-11-17").unwrap().start_secs,
                When::parse("2025-11-24").unwrap().start_secs,
            )
        })
        .filter(|e| e.actors.contains(&w) && e.actors.contains(&k))
        .count() as u32;
    assert_eq!(tie(w, k).unwrap_or(0), expected);
    assert!(
        expected
            < app
                .graph()
                .edges
                .iter()
                .find(|e| (e.a, e.b) == (w.min(k), w.max(k)))
                .unwrap()
                .weight
    );
}

#[test]
fn the_window_moves_and_its_edges_resize_it() {
    let mut app = app();
    app.set_time_window(Some("2025-11-17"), Some("2025-11-20"))
        .unwrap();
    let y = lane_y(&app);
    // Grab the inside and drag four days right: same length, later.
    let (from, to) = (
        x_of(&app, "2025-11-18") + 3.0,
        x_of(&app, "2025-11-22") + 3.0,
    );
    app.pointer_down(Target::Timeline, from, y);
    app.pointer_move(Target::Timeline, to, y);
    app.pointer_up(Target::Timeline, to, y, false);
    assert_eq!(
        app.state().time_window.unwrap(),
        ["2025-11-21".to_owned(), "2025-11-24".to_owned()]
    );
    // Grab the left edge and pull it back to the 19th.
    let edge = x_of(&app, "2025-11-21");
    app.pointer_down(Target::Timeline, edge, y);
    app.pointer_move(Target::Timeline, x_of(&app, "2025-11-19") + 1.0, y);
    app.pointer_up(Target::Timeline, x_of(&app, "2025-11-19") + 1.0, y, false);
    assert_eq!(
        app.state().time_window.unwrap(),
        ["2025-11-19".to_owned(), "2025-11-24".to_owned()]
    );
    // A cancelled drag leaves the window as it was.
    app.pointer_down(Target::Timeline, x_of(&app, "2025-10-05"), y);
    app.pointer_move(Target::Timeline, x_of(&app, "2025-10-12"), y);
    app.pointer_cancel();
    assert_eq!(
        app.state().time_window.unwrap(),
        ["2025-11-19".to_owned(), "2025-11-24".to_owned()]
    );
}

#[test]
fn a_press_that_does_not_move_is_a_click() {
    let mut app = app();
    let (x, y) = app.actor_position("dmitriev").unwrap();
    app.pointer_down(Target::Network, x, y);
    app.pointer_move(Target::Network, x + 1.0, y + 1.0);
    assert!(app.pointer_up(Target::Network, x + 1.0, y + 1.0, false));
    assert_eq!(app.state().selected_actors, ["dmitriev"]);
}

#[test]
fn dragging_a_node_pins_it_where_it_is_dropped() {
    let mut app = app();
    let (x, y) = app.actor_position("putin").unwrap();
    let target = (x - 60.0, y + 40.0);
    app.pointer_down(Target::Network, x, y);
    app.pointer_move(Target::Network, (x + target.0) / 2.0, (y + target.1) / 2.0);
    app.pointer_move(Target::Network, target.0, target.1);
    app.pointer_up(Target::Network, target.0, target.1, false);
    let (nx, ny) = app.actor_position("putin").unwrap();
    assert!(
        (nx - target.0).hypot(ny - target.1) < 12.0,
        "dropped at {nx},{ny}, wanted {target:?}"
    );
    assert!(
        app.state().selected_actors.is_empty(),
        "a drag is not a click"
    );
    // The pin survives a resize (the layout is placed again).
    app.resize(620.0, 460.0, 700.0);
    let (rx, ry) = app.actor_position("putin").unwrap();
    let others_moved = (rx - nx).abs() + (ry - ny).abs();
    assert!(
        others_moved < 60.0,
        "pinned node stays near where it was put: {others_moved}"
    );
}

#[test]
fn wheel_and_pan_move_the_network_camera_and_fit_resets_it() {
    let mut app = app();
    let (x, y) = app.actor_position("rubio").unwrap();
    let (wx, wy) = app.actor_position("witkoff").unwrap();
    app.wheel(Target::Network, x, y, -300.0);
    assert!(app.reader.camera.k > 1.5);
    let (x2, y2) = app.actor_position("rubio").unwrap();
    assert!(
        (x2 - x).abs() < 1e-6 && (y2 - y).abs() < 1e-6,
        "zoom keeps the point under the pointer"
    );
    let (wx2, wy2) = app.actor_position("witkoff").unwrap();
    assert!((wx2 - x).hypot(wy2 - y) > (wx - x).hypot(wy - y) * 1.4);
    // Pressing on the background and dragging pans.
    app.pointer_down(Target::Network, 3.0, 3.0);
    app.pointer_move(Target::Network, 43.0, 23.0);
    app.pointer_up(Target::Network, 43.0, 23.0, false);
    let (x3, y3) = app.actor_position("rubio").unwrap();
    assert!((x3 - x2 - 40.0).abs() < 1e-6 && (y3 - y2 - 20.0).abs() < 1e-6);
    app.fit(Target::Network);
    assert_eq!(app.actor_position("rubio").unwrap(), (x, y));
}

#[test]
fn zooming_the_time_axis_recomputes_its_ticks() {
    let mut app = app();
    let step_before = app.timeline.step;
    let x = x_of(&app, "2025-11-20");
    for _ in 0..6 {
        app.wheel(Target::Timeline, x, 50.0, -400.0);
    }
    let scale = app.timeline.scale.unwrap();
    assert!(scale.end_secs - scale.start_secs < 10.0 * 86_400.0);
    assert_ne!(app.timeline.step, step_before);
    assert!(app.timeline.ticks.iter().all(|t| t.label.len() <= 12));
    // The date under the pointer stays under it.
    assert!((scale.x(When::parse("2025-11-20").unwrap().start_secs as f64) - x).abs() < 1.0);
    let view = app.view_state();
    assert!(view.time_view.is_some());
    app.pan(Target::Timeline, 100.0, 0.0);
    assert!(app.timeline.scale.unwrap().start_secs < scale.start_secs);
    app.fit(Target::Timeline);
    assert_eq!(app.view_state().time_view, None);
}

#[test]
fn a_window_ending_at_midnight_reads_back_as_that_instant() {
    let mut app = app();
    app.set_time_window(Some("2025-11-17"), Some("2025-11-23T00:00:00Z"))
        .unwrap();
    let [start, end] = app.state().time_window.unwrap();
    assert_eq!(
        (start.as_str(), end.as_str()),
        ("2025-11-17", "2025-11-23T00:00:00Z")
    );
    // Read back, the same window: Sunday's events are not in it.
    app.set_time_window(Some(&start), Some(&end)).unwrap();
    assert!(
        !app.state()
            .visible_events
            .iter()
            .any(|e| e == "living-document")
    );
}

#[test]
fn views_round_trip_for_sharing() {
    let mut app = app();
    app.set_view(&ViewState {
        time_view: Some(["2025-11-10".into(), "2025-11-25".into()]),
        camera: Some(CameraState {
            k: 2.0,
            x: 15.0,
            y: -10.0,
        }),
    })
    .unwrap();
    let view = app.view_state();
    assert_eq!(
        view.time_view,
        Some(["2025-11-10".to_owned(), "2025-11-25".to_owned()])
    );
    assert_eq!(
        view.camera,
        Some(CameraState {
            k: 2.0,
            x: 15.0,
            y: -10.0
        })
    );
    let mut other = self::app();
    other.set_view(&view).unwrap();
    assert_eq!(other.actor_position("rubio"), app.actor_position("rubio"));
    assert!(
        other
            .set_view(&ViewState {
                time_view: Some(["2025-11-25".into(), "2025-11-10".into()]),
                camera: None
            })
            .is_err()
    );
}

#[test]
fn all_mode_keeps_shared_events_and_any_mode_the_union() {
    let mut app = app();
    app.select(&["witkoff".into(), "dmitriev".into()]).unwrap();
    let (w, d) = (
        app.story().actor_index("witkoff").unwrap(),
        app.story().actor_index("dmitriev").unwrap(),
    );
    let both: Vec<String> = app
        .story()
        .events
        .iter()
        .filter(|e| e.actors.contains(&w) && e.actors.contains(&d))
        .map(|e| e.id.clone())
        .collect();
    let either: Vec<String> = app
        .story()
        .events
        .iter()
        .filter(|e| e.actors.contains(&w) || e.actors.contains(&d))
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(app.state().visible_events, both);
    assert_eq!(both, ["miami-talks"]);
    app.set_mode(Mode::Any);
    assert_eq!(app.state().visible_events, either);
    assert_eq!(app.state().mode, Mode::Any);
    // Clearing keeps the mode: it is a preference.
    app.clear();
    assert_eq!(app.state().mode, Mode::Any);
}

#[test]
fn a_group_selects_its_actors_in_any_mode() {
    let mut app = app();
    app.select_group("media").unwrap();
    let state = app.state();
    assert_eq!(ids(&state.selected_actors), ["wsj", "axios", "post"]);
    assert_eq!(state.mode, Mode::Any);
    assert_eq!(ids(&state.visible_events).len(), 3);
    assert!(app.select_group("nope").is_err());
}

#[test]
fn the_keyboard_moves_between_actors_and_events_and_selects() {
    let mut app = app();
    app.set_keyboard_focus(Some(Target::Network));
    let first = app.keyboard_item().expect("a first actor");
    assert_eq!(first.kind, "actor");
    // Moving right goes to an actor to the right.
    let start = app.reader.keyboard.actor.unwrap();
    assert!(app.key(Target::Network, "ArrowRight", false));
    let moved = app.reader.keyboard.actor.unwrap();
    assert_ne!(moved, start);
    assert!(app.network.x[moved] > app.network.x[start]);
    assert!(app.key(Target::Network, "Enter", false));
    assert_eq!(
        app.state().selected_actors,
        [app.story().actors[moved].id.clone()]
    );
    assert!(app.keyboard_item().unwrap().label.ends_with("selected"));
    assert!(!app.key(Target::Network, "q", false));

    app.clear();
    app.set_keyboard_focus(Some(Target::Timeline));
    assert_eq!(app.keyboard_item().unwrap().id, app.story().events[0].id);
    assert!(app.key(Target::Timeline, "ArrowRight", false));
    assert!(app.key(Target::Timeline, "ArrowRight", false));
    let third = app.story().events[2].id.clone();
    assert_eq!(app.keyboard_item().unwrap().id, third);
    assert!(app.key(Target::Timeline, "Enter", false));
    assert_eq!(app.state().focused_event, Some(third));
    assert!(app.key(Target::Timeline, "End", false));
    assert_eq!(
        app.keyboard_item().unwrap().id,
        app.story().events.last().unwrap().id
    );
    app.set_keyboard_focus(None);
    assert_eq!(app.keyboard_item(), None);
}
