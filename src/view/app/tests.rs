//! The viewer's own tests: what is kept between frames, gestures, and the story view.
use super::*;

#[test]
fn the_story_view_names_each_actor_once_and_gives_events_their_positions() {
    let app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    let view = app.story_view();
    assert!(view.events.iter().any(|e| e.actors.len() > 1));
    for (event, shown) in app.story().events.iter().zip(&view.events) {
        let names: Vec<&str> = shown.actors.iter().map(|&a| view.actors[a].name).collect();
        let expected: Vec<&str> = event
            .actors
            .iter()
            .map(|&a| app.story().actors[a].name.as_str())
            .collect();
        assert_eq!(names, expected, "{}", event.id);
    }
    // A big story's view is tens of megabytes: each actor's name is in it once.
    let json = serde_json::to_string(&view).unwrap();
    let sources: Vec<&str> = app
        .story()
        .sources
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    for actor in app
        .story()
        .actors
        .iter()
        .filter(|a| !sources.contains(&a.name.as_str()))
    {
        let quoted = serde_json::to_string(&actor.name).unwrap();
        assert_eq!(json.matches(&quoted).count(), 1, "{quoted}");
    }
    // The handle's parts: the outline without events, then the events four at a time.
    let head = app.story_outline();
    assert!(head.events.is_empty());
    assert_eq!(head.event_count, view.events.len());
    let parts: Vec<&str> = (0..view.events.len())
        .step_by(4)
        .flat_map(|first| app.event_views(first, 4))
        .map(|e| e.id)
        .collect();
    let whole: Vec<&str> = view.events.iter().map(|e| e.id).collect();
    assert_eq!(parts, whole);
    assert!(app.event_views(view.events.len() + 1, 4).is_empty());
}

// The page keeps no copy of the story: it asks for its head, and for the items of its lists
// by id, and gets what the story says.
#[test]
fn the_page_asks_for_the_head_and_the_items_it_shows() {
    let app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    let story = app.story();
    let head = app.story_head();
    assert_eq!(head.header.title, story.title);
    assert_eq!(
        (head.actor_count, head.event_count),
        (story.actors.len(), story.events.len())
    );
    for (g, shown) in story.groups.iter().enumerate() {
        let members = story.actors.iter().filter(|a| a.group == Some(g)).count();
        assert_eq!(
            head.header.groups[g].member_count, members,
            "{}",
            head.header.groups[g].id
        );
        assert_eq!(head.header.groups[g].name, shown.name);
    }
    assert_eq!(head.first_date, Some(story.events[0].when.label()));

    // Items by id, in the order asked, unknown ids left out; or all of them.
    let last = story.events.last().unwrap();
    let ids = vec![
        last.id.clone(),
        "no-such-event".into(),
        story.events[0].id.clone(),
    ];
    let items = app.event_items(Some(&ids));
    assert_eq!(
        items.iter().map(|i| i.id).collect::<Vec<_>>(),
        [last.id.as_str(), story.events[0].id.as_str()]
    );
    let names: Vec<&str> = last
        .actors
        .iter()
        .map(|&a| story.actors[a].name.as_str())
        .collect();
    assert_eq!(items[0].actor_names, names);
    assert_eq!(items[0].title, last.title);
    assert_eq!(app.event_items(None).len(), story.events.len());
    let actors = app.actor_items(Some(&["dmitriev".to_string(), "nobody".to_string()]));
    assert_eq!(actors.len(), 1);
    assert_eq!(
        actors[0].name,
        story.actors[app.actor_id("dmitriev").unwrap()].name
    );
    assert_eq!(app.actor_items(None).len(), story.actors.len());

    // Positions to ids, for a change's visible lists.
    assert_eq!(
        app.event_ids_at(Some(&[1, 0])),
        [story.events[1].id.as_str(), story.events[0].id.as_str()]
    );
    assert_eq!(app.actor_ids_at(None).len(), story.actors.len());
    assert!(app.actor_ids_at(Some(&[u32::MAX])).is_empty());

    // Search answers from the story, accent-blind; its text is folded in parts, or what is
    // left of it at a search.
    let total = story.actors.len() + story.events.len();
    assert!(!app.fold_for_search(total - 1), "one entry is left");
    assert!(app.fold_for_search(5));
    assert!(app.fold_for_search(5), "nothing more to fold");
    let found = app.search("DMITRIEV", 8);
    assert_eq!(found[0].id, "dmitriev");
}

// The words the page says after a change come with the change: the selected actors' names,
// the focused event's title and the legend's group pressed.
#[test]
fn the_summary_names_the_selection_and_the_group_it_is() {
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    let story = app.story().clone();
    let group = story
        .groups
        .iter()
        .enumerate()
        .find(|&(g, _)| story.actors.iter().filter(|a| a.group == Some(g)).count() > 1)
        .map(|(_, g)| g.id.clone())
        .expect("a group of two or more");
    app.select_group(&group).unwrap();
    let summary = app.summary();
    assert_eq!(summary.selected_group.as_deref(), Some(group.as_str()));
    let names: Vec<String> = summary
        .selected_actors
        .iter()
        .map(|id| story.actors[app.actor_id(id).unwrap()].name.clone())
        .collect();
    assert_eq!(summary.selected_names, names);
    // "All" of a group's several actors is not the group's filter; one fewer is not the group.
    app.set_mode(Mode::All);
    assert_eq!(app.summary().selected_group, None);
    app.set_mode(Mode::Any);
    let fewer = summary.selected_actors[1..].to_vec();
    app.select(&fewer).unwrap();
    assert_eq!(app.summary().selected_group, None);
    assert_eq!(app.summary().focused_title, None);
    let event = &story.events[3];
    app.focus_event(Some(&event.id)).unwrap();
    assert_eq!(
        app.summary().focused_title.as_deref(),
        Some(event.title.as_str())
    );
}

// A hover or a repaint with nothing changed draws the ties chosen before; a change of
// the selection or of the view chooses again.
#[test]
fn the_ties_drawn_are_chosen_again_only_when_the_picture_changes() {
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    app.resize(900.0, 600.0, 900.0);
    crate::render::svg_as_shown(&app).unwrap();
    let first = app.network_paint(|| unreachable!("the ties were chosen by the last frame"));
    assert!(first.ties.drawn() > 0 && first.nodes_on_screen() > 0);
    // A pan by nothing (or a theme change) repaints the same picture.
    app.pan(Target::Network, 0.0, 0.0);
    app.network_paint(|| unreachable!("nothing moved"));
    let id = app.story().actors[0].id.clone();
    app.select(&[id]).unwrap();
    let mut chosen = false;
    app.network_paint(|| {
        chosen = true;
        crate::place::lod::NetworkPaint::default()
    });
    assert!(chosen, "a new selection chooses again");
    app.zoom(Target::Network, 2.0, 450.0, 300.0);
    let mut chosen = false;
    app.network_paint(|| {
        chosen = true;
        crate::place::lod::NetworkPaint::default()
    });
    assert!(chosen, "zooming chooses again");
}

// With the whole network on the canvas the ties drawn do not depend on where it is: a
// pan that keeps it there finds the nodes again but draws the ties it chose before. Once
// part of it is off the canvas, every move chooses them again.
/// Draws the picture as a frame would, then what that frame worked out for the network.
fn painted(app: &App) -> std::rc::Rc<crate::place::lod::NetworkPaint> {
    crate::render::svg_as_shown(app).unwrap();
    app.network_paint(|| unreachable!("the last frame worked it out"))
}

#[test]
fn a_network_wholly_on_the_canvas_keeps_its_ties_when_it_moves() {
    use std::rc::Rc;
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    app.resize(900.0, 600.0, 900.0);
    let fitted = painted(&app);
    app.pan(Target::Network, 1.0, 0.0);
    let moved = painted(&app);
    assert!(!Rc::ptr_eq(&fitted, &moved), "the view changed");
    assert!(Rc::ptr_eq(&fitted.ties, &moved.ties), "the same ties");
    app.zoom(Target::Network, 4.0, 450.0, 300.0);
    let zoomed = painted(&app);
    assert!(
        !Rc::ptr_eq(&moved.ties, &zoomed.ties),
        "part is off the canvas"
    );
    app.pan(Target::Network, 1.0, 0.0);
    let zoomed_moved = painted(&app);
    assert!(!Rc::ptr_eq(&zoomed.ties, &zoomed_moved.ties));
    // Zoomed in, fewer ties cross the canvas than in the whole network.
    assert!(zoomed.ties.drawn() < fitted.ties.drawn());
}

#[test]
fn a_wheels_zoom_keeps_the_ties_until_a_pause_in_its_turns() {
    use crate::view::interact::{GESTURE_REST_MS, GestureRest};
    use std::rc::Rc;
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    app.resize(900.0, 600.0, 900.0);
    // Zoomed in, part of the network off the canvas: a new view chooses the ties again.
    app.zoom(Target::Network, 3.0, 450.0, 300.0);
    let rest = painted(&app);
    assert!(rest.ties.drawn() > 0);
    // Turns zooming out: more ties reach the canvas.
    for k in 0..3 {
        app.wheel(Target::Network, 450.0, 300.0, 100.0);
        assert_eq!(
            app.settle_gesture(50.0 * f64::from(k)),
            Some(GestureRest::Waiting)
        );
        let turning = painted(&app);
        assert!(!Rc::ptr_eq(&rest, &turning), "the nodes move");
        assert!(Rc::ptr_eq(&rest.ties, &turning.ties), "the ties of before");
    }
    assert_eq!(
        app.settle_gesture(100.0 + GESTURE_REST_MS),
        Some(GestureRest::Ended { network: true })
    );
    let rested = painted(&app);
    assert!(!Rc::ptr_eq(&rest.ties, &rested.ties), "chosen again");
    // As a view that got there without a wheel chooses them.
    app.pan(Target::Network, 1.0, 0.0);
    app.pan(Target::Network, -1.0, 0.0);
    let reference = painted(&app);
    assert!(!Rc::ptr_eq(&rested.ties, &reference.ties));
    assert_eq!(*rested.ties, *reference.ties);
    assert_ne!(*rest.ties, *rested.ties);
}

// A pinch's step both zooms and pans: one new view, where a zoom and a pan would place
// the network (and its labels) twice.
#[test]
fn a_pinch_step_zooms_and_pans_the_network_in_one_view() {
    let open = || {
        let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        app.resize(900.0, 600.0, 900.0);
        app
    };
    let (mut pinched, mut stepped) = (open(), open());
    let views = pinched.changes.network;
    pinched.pinch(Target::Network, 2.0, 300.0, 200.0, 10.0, -5.0);
    stepped.zoom(Target::Network, 2.0, 300.0, 200.0);
    stepped.pan(Target::Network, 10.0, -5.0);
    assert_eq!(pinched.reader.camera, stepped.reader.camera);
    assert_eq!(pinched.network.x, stepped.network.x);
    assert_eq!(pinched.network.labels, stepped.network.labels);
    assert!(
        pinched.network.labels.iter().any(Option::is_some),
        "a network this small keeps its names while it moves"
    );
    assert_eq!(pinched.changes.network, views + 1, "one new view");
    assert_eq!(stepped.changes.network, views + 2);
}

#[test]
fn restoring_the_time_span_shown_leaves_the_time_axis_as_placed() {
    use crate::view::interact::ViewState;
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    app.resize(900.0, 600.0, 900.0);
    let places = app.changes.timeline;
    let (none, span) = (
        ViewState {
            time_view: None,
            camera: None,
        },
        ViewState {
            time_view: Some(["2025-11-10".into(), "2025-11-25".into()]),
            camera: None,
        },
    );
    app.set_view(&none).unwrap();
    assert_eq!(app.changes.timeline, places, "the whole story, as shown");
    app.set_view(&span).unwrap();
    assert_eq!(app.changes.timeline, places + 1);
    app.set_view(&span).unwrap();
    assert_eq!(app.changes.timeline, places + 1, "the same span again");
    app.set_view(&none).unwrap();
    assert_eq!(app.changes.timeline, places + 2);
    assert_eq!(app.view_state().time_view, None);
}

// The page records the view when a wheel's turns pause, on either canvas; only turns
// over the network hold its ties and bring its full picture back at the pause.
#[test]
fn a_wheel_over_the_time_axis_is_a_gesture_that_leaves_the_network_alone() {
    use crate::view::interact::{GESTURE_REST_MS, GestureRest};
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    app.resize(900.0, 600.0, 900.0);
    let views = app.changes.network;
    app.wheel(Target::Timeline, 450.0, 20.0, -100.0);
    assert!(app.gesturing());
    assert_eq!(app.settle_gesture(0.0), Some(GestureRest::Waiting));
    assert_eq!(app.moving_from(), None, "the network is not moving");
    assert_eq!(
        app.settle_gesture(GESTURE_REST_MS),
        Some(GestureRest::Ended { network: false })
    );
    assert!(!app.gesturing());
    assert_eq!(
        app.changes.network, views,
        "nothing of the network to choose again"
    );

    // Turns over the time axis, then over the network: one gesture, which holds the
    // network's view from before its first turn there.
    app.wheel(Target::Timeline, 450.0, 20.0, -100.0);
    app.wheel(Target::Network, 450.0, 300.0, -100.0);
    app.wheel(Target::Timeline, 450.0, 20.0, -100.0);
    assert_eq!(app.moving_from(), Some(views));
    assert_eq!(app.settle_gesture(1000.0), Some(GestureRest::Waiting));
    assert_eq!(
        app.settle_gesture(1000.0 + GESTURE_REST_MS),
        Some(GestureRest::Ended { network: true })
    );
    assert_eq!(app.moving_from(), None);
    assert_eq!(app.settle_gesture(2000.0), None);
}

// A relation's label is shown as written beside the other actor, from either end: no
// sentence is made of labels that are nouns or verbs ("Spoke with of …").
#[test]
fn an_actors_tooltip_lists_its_relations_from_either_end() {
    let app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    let r = app
        .story()
        .relations
        .iter()
        .find(|r| r.label == "spoke with")
        .unwrap();
    let (from, to) = (
        &app.story().actors[r.from].name,
        &app.story().actors[r.to].name,
    );
    assert!(
        app.actor_tooltip(r.from)
            .lines()
            .any(|l| l == format!("spoke with: {to}"))
    );
    assert!(
        app.actor_tooltip(r.to)
            .lines()
            .any(|l| l == format!("{from}: spoke with"))
    );
}

// The same for the time axis' lanes: found again only for a new selection or placement.
#[test]
fn the_lanes_marks_are_found_again_only_when_the_axis_or_selection_changes() {
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    app.resize(900.0, 600.0, 900.0);
    crate::render::svg_as_shown(&app).unwrap();
    let first = app.lane_marks(|| unreachable!("the lanes were found by the last frame"));
    assert!(first.visible.iter().any(|v| !v.is_empty()));
    let found_again = |app: &App| {
        let mut found = false;
        app.lane_marks(|| {
            found = true;
            crate::place::lod::LaneMarks::default()
        });
        found
    };
    app.set_time_window(Some("2025-11-01"), Some("2025-11-30"))
        .unwrap();
    assert!(found_again(&app), "a new window finds them again");
    app.zoom(Target::Timeline, 2.0, 450.0, 20.0);
    assert!(found_again(&app), "zooming the axis finds them again");
    assert!(!found_again(&app), "and then keeps them");
}

// Node sizes follow the reader's measure: the broker of a path is the biggest by betweenness,
// the busiest by events, and a window counts only its own ties.
#[test]
fn node_sizes_follow_the_measure_on_the_window() {
    let text = r#"{"title": "Sizes", "actors": [
        {"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"},
        {"id": "d", "name": "D"}, {"id": "e", "name": "E"}],
      "events": [
        {"id": "1", "title": "One", "date": "2025-01-05", "actors": ["a", "b"]},
        {"id": "2", "title": "Two", "date": "2025-02-05", "actors": ["b", "c"]},
        {"id": "3", "title": "Three", "date": "2025-03-05", "actors": ["c", "d"]},
        {"id": "4", "title": "Four", "date": "2025-03-06", "actors": ["c", "e"]}]}"#;
    let mut app = App::from_json("sizes.json", text).unwrap();
    app.resize(600.0, 400.0, 600.0);
    let biggest = |app: &App| {
        let radius = app
            .derived
            .radius
            .clone()
            .unwrap_or(app.fixed.radius.clone());
        let max = radius.iter().copied().fold(0.0, f64::max);
        let ids: Vec<&str> = (0..radius.len())
            .filter(|&a| radius[a] == max)
            .map(|a| app.story().actors[a].id.as_str())
            .collect();
        ids.join(",")
    };
    // The story's own sizes: events in the whole story (c has three).
    assert!(app.derived.radius.is_none());
    assert_eq!(biggest(&app), "c");
    app.set_size(Measure::Betweenness);
    assert_eq!(app.summary().size, "betweenness");
    assert_eq!(biggest(&app), "c");
    // The scene draws the new sizes: the broker's node is the largest on the canvas.
    let c = app.fixed.actor_id("c").unwrap();
    let drawn_max = app.network.radius.iter().copied().fold(0.0, f64::max);
    assert_eq!(app.network.radius[c], drawn_max);
    // January and February alone: the ties a–b and b–c, with b between.
    app.set_time_window(Some("2025-01-01"), Some("2025-02-28"))
        .unwrap();
    assert_eq!(biggest(&app), "b");
    app.set_size(Measure::Ties);
    assert_eq!(biggest(&app), "b");
    // Events are the story's own sizes, window or not (c has three).
    app.set_size(Measure::Events);
    assert!(app.derived.radius.is_none());
    assert_eq!(biggest(&app), "c");
    assert_eq!(app.summary().size_sampled_from, None);
    app.set_time_window(None, None).unwrap();
    assert!(app.derived.radius.is_none(), "the story's own sizes again");

    // A brush holds the sizes while it moves, and sizes anew at its release.
    app.set_size(Measure::Ties);
    let whole = app.derived.radius.clone();
    let scale = app.timeline.scale.expect("the time axis is placed");
    let (x0, x1) = (scale.x0 + 2.0, scale.x0 + (scale.x1 - scale.x0) * 0.3);
    app.pointer_down(Target::Timeline, x0, 20.0);
    app.drag_to(x1, 20.0);
    assert!(
        app.reader.selection.window.is_some(),
        "the brush made a window"
    );
    assert_eq!(app.derived.radius, whole, "held while the brush moves");
    app.pointer_up(Target::Timeline, x1, 20.0, false);
    assert_ne!(
        app.derived.radius, whole,
        "the window's ties at the release"
    );
}

// A big story's betweenness is counted over frames: until it is done the sizes of before stay
// and the page is told it is counting; then the nodes take it, exactly as counted at once.
#[test]
fn a_big_betweenness_is_counted_over_frames() {
    let text = crate::write::generate::generate(300, 3000, 2);
    let mut app = App::from_json("big.json", &text).unwrap();
    app.resize(800.0, 600.0, 800.0);
    app.set_size(Measure::Betweenness);
    assert!(app.sizing() && app.summary().size_counting);
    assert!(
        app.derived.radius.is_none(),
        "the sizes of before, until it is done"
    );
    let mut frames = 0;
    // One source a frame.
    while !app.step_sizes_for(&mut || true) {
        frames += 1;
        assert!(frames < 10_000, "it ends");
    }
    assert!(frames > 1, "spread over frames: {frames}");
    assert!(!app.sizing() && !app.summary().size_counting);
    let n = app.story().actors.len();
    let exact = crate::story::measures::betweenness(n, &app.fixed.graph.edges, usize::MAX);
    let radius = app.derived.radius.clone().expect("sized by betweenness");
    let top = |v: &[f64]| (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap();
    assert_eq!(top(&radius), top(&exact.scores));
    // A click changes the selection, not the window's ties: the sizes stay, nothing recounted.
    let first = app.story().actors[0].id.clone();
    app.select(&[first]).unwrap();
    assert!(!app.sizing());
    assert_eq!(app.derived.radius.as_ref(), Some(&radius));
}
