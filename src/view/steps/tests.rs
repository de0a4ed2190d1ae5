//! Going to a step, staying on it, leaving it, and the glide.
use super::*;
use crate::view::input::Input;
use crate::view::state::Target;

fn app(w: f64, h: f64) -> App {
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    app.resize(w, h, w);
    app
}

fn ids(app: &App, actors: &[usize]) -> Vec<String> {
    actors
        .iter()
        .map(|&a| app.story().actors[a].id.clone())
        .collect()
}

#[test]
fn a_step_shows_its_selection_window_and_focus() {
    let mut app = app(800.0, 500.0);
    assert_eq!(app.step_shown(), None, "no step at first");
    app.go_to_step(2, false).unwrap();
    let step = app.story().steps[1].clone();
    assert_eq!(app.step_shown(), Some(1));
    assert_eq!(app.state().step, Some(2));
    assert_eq!(app.summary().last_step, Some(2));
    let state = app.state();
    assert_eq!(state.selected_actors, ids(&app, &step.view.select));
    assert_eq!(
        state.focused_event.as_deref(),
        step.view.focus.map(|e| app.story().events[e].id.as_str())
    );
    assert!(state.time_window.is_some());
    assert!(app.go_to_step(0, false).is_err());
    assert!(app.go_to_step(99, false).is_err());
    assert_eq!(app.state().step, Some(2), "a refused step changes nothing");
}

#[test]
fn a_step_frames_its_actors_and_their_names_at_any_width() {
    // A wide window's network, a phone's (the page's at 375 px), a small embed's.
    for (w, h) in [(1200.0, 700.0), (350.0, 340.0), (300.0, 260.0)] {
        let mut app = app(w, h);
        for n in 1..=app.story().steps.len() {
            app.go_to_step(n, false).unwrap();
            let fit = app.story().steps[n - 1].view.fit.clone();
            // Those the step's window hides are not framed.
            for a in fit.into_iter().filter(|&a| app.network.is_shown(a)) {
                let (x, y) = (app.network.x[a], app.network.y[a]);
                let id = &app.story().actors[a].id;
                assert!(
                    x >= 0.0 && x <= w && y >= 0.0 && y <= h,
                    "step {n}, {w}×{h}: {id} at {x}, {y} is off the canvas"
                );
                if let Some(label) = app.network.labels[a] {
                    assert!(
                        label.rect.x >= -1.0 && label.rect.x + label.rect.w <= w + 1.0,
                        "step {n}, {w}×{h}: {id}'s name is cut: {label:?}"
                    );
                }
            }
        }
        // Step 2's three actors are zoomed to, where their names leave room for it.
        app.go_to_step(2, false).unwrap();
        assert!(
            w < 350.0 || app.reader.camera.k > 1.0,
            "{w}: zoomed to the step's actors"
        );
    }
}

#[test]
fn a_resize_keeps_the_step_framed_and_shown() {
    let mut app = app(1200.0, 700.0);
    app.go_to_step(1, false).unwrap();
    let wide = app.reader.camera;
    app.resize(360.0, 420.0, 360.0);
    assert_eq!(app.step_shown(), Some(0));
    assert_ne!(app.reader.camera, wide, "framed again for the new size");
}

#[test]
fn any_click_or_brush_leaves_the_step_and_keeps_what_the_reader_did() {
    let mut app = app(800.0, 500.0);
    app.go_to_step(1, false).unwrap();
    // A click on one of the step's two actors: selected alone, and the step left.
    let a = app.story().steps[0].view.select[0];
    let (x, y) = (app.network.x[a], app.network.y[a]);
    app.click(Target::Network, x, y, false);
    assert_eq!(app.step_shown(), None);
    assert_eq!(
        app.summary().last_step,
        Some(1),
        "back to the story goes there"
    );
    assert_eq!(app.reader.selection.actors, vec![a]);
    // Back to the story, then a wheel turn on the network leaves it too.
    app.go_to_step(1, false).unwrap();
    assert_eq!(app.step_shown(), Some(0));
    app.input(Input::Wheel {
        on: Target::Network,
        x: 100.0,
        y: 100.0,
        delta_y: -100.0,
    });
    assert_eq!(app.step_shown(), None);
}

#[test]
fn the_pictures_glide_into_a_step_unless_the_reader_prefers_less_motion() {
    let mut app = app(800.0, 500.0);
    app.go_to_step(2, true).unwrap();
    assert!(app.moving_to_step());
    let target = app.reader.camera;
    assert!(
        app.advance_motion(1000.0),
        "the first frame starts the clock"
    );
    assert_eq!(
        app.network.camera,
        Camera::default(),
        "it starts where it was"
    );
    assert!(app.advance_motion(1000.0 + MOTION_MS / 2.0));
    let halfway = app.network.camera;
    assert!(
        halfway.k > 1.0 && halfway.k < target.k,
        "{halfway:?} → {target:?}"
    );
    assert_eq!(
        app.step_shown(),
        Some(1),
        "the glide is not the reader's change"
    );
    assert!(!app.advance_motion(1000.0 + MOTION_MS));
    assert!(!app.moving_to_step());
    assert_eq!(app.network.camera, target);
    // With less motion: there at once.
    let mut app = self::app(800.0, 500.0);
    app.reader.playback.reduced_motion = true;
    app.go_to_step(2, true).unwrap();
    assert!(!app.moving_to_step());
    assert_eq!(app.network.camera, app.reader.camera);
}

#[test]
fn a_press_during_the_glide_ends_it_where_it_goes() {
    let mut app = app(800.0, 500.0);
    app.go_to_step(2, true).unwrap();
    app.advance_motion(0.0);
    app.advance_motion(100.0);
    app.input(Input::Fit {
        on: Target::Timeline,
    });
    assert!(!app.moving_to_step());
    assert_eq!(app.network.camera, app.reader.camera);
}
