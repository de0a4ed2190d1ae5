//! The gestures recognised from the pointer stream: click within the slop, drag, long press,
//! pinch, hover; and the typed input as the page sends it.
use super::*;

fn app() -> App {
    let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
    app.resize(620.0, 460.0, 700.0);
    app
}

fn at(app: &App, actor: &str) -> (f64, f64) {
    app.actor_position(actor).expect("placed")
}

fn selected(app: &App) -> Vec<String> {
    app.state().selected_actors
}

fn down(on: Target, pointer: i64, device: Device, (x, y): (f64, f64), time_ms: f64) -> Input {
    Input::PointerDown {
        on,
        pointer,
        device,
        x,
        y,
        time_ms,
    }
}

fn moved(on: Target, pointer: i64, device: Device, (x, y): (f64, f64)) -> Input {
    Input::PointerMove {
        on,
        pointer,
        device,
        x,
        y,
    }
}

fn up(on: Target, pointer: i64, (x, y): (f64, f64)) -> Input {
    Input::PointerUp {
        on,
        pointer,
        x,
        y,
        additive: false,
    }
}

const NET: Target = Target::Network;

#[test]
fn a_press_that_moves_within_the_slop_is_a_click() {
    let mut app = app();
    let p = at(&app, "dmitriev");
    let out = app.input(down(NET, 1, Device::Mouse, p, 0.0));
    assert_eq!(out.tooltip, Tip::Hide);
    assert!(
        out.pressing && out.wake_in_ms.is_none(),
        "a mouse does not long-press"
    );
    app.input(moved(NET, 1, Device::Mouse, (p.0 + 2.0, p.1 + 2.0)));
    let out = app.input(up(NET, 1, (p.0 + 2.0, p.1 + 2.0)));
    assert!(!out.pressing);
    assert_eq!(selected(&app), ["dmitriev"]);
}

#[test]
fn a_press_that_moves_past_the_slop_drags_and_selects_nothing() {
    let mut app = app();
    let p = at(&app, "dmitriev");
    app.input(down(NET, 1, Device::Mouse, p, 0.0));
    let far = (p.0 + 30.0, p.1 + 10.0);
    app.input(moved(NET, 1, Device::Mouse, far));
    app.input(up(NET, 1, far));
    assert!(selected(&app).is_empty());
    let now = at(&app, "dmitriev");
    assert!(
        (now.0 - far.0).abs() < 1.0 && (now.1 - far.1).abs() < 1.0,
        "the node follows"
    );
}

#[test]
fn a_touch_held_still_past_the_time_is_a_long_press_showing_the_tooltip() {
    let mut app = app();
    let p = at(&app, "rubio");
    let out = app.input(down(NET, 7, Device::Touch, p, 1000.0));
    assert_eq!(out.wake_in_ms, Some(LONG_PRESS_MS));
    // A wobble within the slops is still holding still.
    app.input(moved(NET, 7, Device::Touch, (p.0 + 2.0, p.1 + 2.0)));
    // Early: not yet, and when to look again.
    let early = app.input(Input::Tick {
        on: NET,
        time_ms: 1400.0,
    });
    assert_eq!(early.wake_in_ms, Some(100.0));
    assert_eq!(early.tooltip, Tip::Keep);
    let out = app.input(Input::Tick {
        on: NET,
        time_ms: 1500.0,
    });
    let Tip::Show(tooltip) = &out.tooltip else {
        panic!("a tooltip: {out:?}");
    };
    assert!(tooltip.text.contains("Marco Rubio"), "{}", tooltip.text);
    assert!(out.holding && out.pressing);
    // Moves after it change nothing, and letting go is no click.
    let moved_after = app.input(moved(NET, 7, Device::Touch, (p.0 + 40.0, p.1)));
    assert_eq!(
        moved_after,
        Outcome {
            pressing: true,
            holding: true,
            ..Outcome::default()
        }
    );
    let out = app.input(up(NET, 7, (p.0 + 40.0, p.1)));
    assert!(!out.holding && !out.pressing);
    assert!(selected(&app).is_empty());
    assert_eq!(at(&app, "rubio"), p, "no node was dragged");
    // The tooltip dismissed, its ring goes.
    assert!(app.reader.hover.is_some());
    app.input(Input::Dismiss);
    assert!(app.reader.hover.is_none());
}

#[test]
fn a_touch_that_moves_past_the_slop_is_no_long_press() {
    let mut app = app();
    let p = at(&app, "rubio");
    app.input(down(NET, 7, Device::Touch, p, 0.0));
    let off = (p.0 + LONG_PRESS_SLOP_PX + 1.0, p.1);
    app.input(moved(NET, 7, Device::Touch, off));
    // Back where it began: it has moved all the same.
    app.input(moved(NET, 7, Device::Touch, p));
    let out = app.input(Input::Tick {
        on: NET,
        time_ms: 600.0,
    });
    assert_eq!(out.tooltip, Tip::Keep);
    assert!(!out.holding && out.wake_in_ms.is_none());
    // Let go where it began: past the click slop on the way, so a drag, not a click.
    app.input(up(NET, 7, p));
    assert!(selected(&app).is_empty());
}

#[test]
fn a_tap_selects_and_a_mouse_never_long_presses() {
    let mut app = app();
    let p = at(&app, "dmitriev");
    app.input(down(NET, 3, Device::Touch, p, 0.0));
    app.input(up(NET, 3, p));
    assert_eq!(selected(&app), ["dmitriev"]);
    // A stale wake after the tap finds no press.
    let out = app.input(Input::Tick {
        on: NET,
        time_ms: 500.0,
    });
    assert_eq!(out, Outcome::default());

    let q = at(&app, "witkoff");
    app.input(down(NET, 1, Device::Mouse, q, 0.0));
    let out = app.input(Input::Tick {
        on: NET,
        time_ms: 5000.0,
    });
    assert_eq!(out.tooltip, Tip::Keep);
    app.input(up(NET, 1, q));
    assert_eq!(selected(&app), ["witkoff"], "a slow click is a click");
}

#[test]
fn two_fingers_moving_apart_pinch_and_moving_together_pan() {
    let mut app = app();
    let (cx, cy) = (310.0, 230.0);
    let k0 = app.view_state().camera.expect("a camera").k;
    app.input(down(NET, 1, Device::Touch, (cx - 30.0, cy), 0.0));
    let second = app.input(down(NET, 2, Device::Touch, (cx + 30.0, cy), 10.0));
    assert!(second.pressing && second.wake_in_ms.is_none());
    for i in 1..=6 {
        let step = 10.0 * f64::from(i);
        app.input(moved(NET, 1, Device::Touch, (cx - 30.0 - step, cy)));
        app.input(moved(NET, 2, Device::Touch, (cx + 30.0 + step, cy)));
    }
    // No long press from the first finger, held still before the second came.
    assert_eq!(
        app.input(Input::Tick {
            on: NET,
            time_ms: 900.0
        })
        .tooltip,
        Tip::Keep
    );
    app.input(up(NET, 1, (cx - 90.0, cy)));
    let out = app.input(up(NET, 2, (cx + 90.0, cy)));
    assert!(!out.pressing);
    let pinched = app.view_state().camera.expect("a camera");
    assert!(
        (pinched.k / k0 - 3.0).abs() < 0.05,
        "60 to 180 px apart: k {k0} → {}",
        pinched.k
    );
    assert!(selected(&app).is_empty(), "a pinch selects nothing");

    app.input(down(NET, 4, Device::Touch, (cx - 40.0, cy), 0.0));
    app.input(down(NET, 5, Device::Touch, (cx + 40.0, cy), 0.0));
    for i in 1..=5 {
        let step = 8.0 * f64::from(i);
        app.input(moved(NET, 4, Device::Touch, (cx - 40.0 + step, cy)));
        app.input(moved(NET, 5, Device::Touch, (cx + 40.0 + step, cy)));
    }
    app.input(Input::PointerCancel {
        on: NET,
        pointer: 4,
    });
    app.input(Input::PointerCancel {
        on: NET,
        pointer: 5,
    });
    let panned = app.view_state().camera.expect("a camera");
    assert!(
        (panned.x - pinched.x - 40.0).abs() < 2.0,
        "{pinched:?} → {panned:?}"
    );
    assert!((panned.k - pinched.k).abs() < 0.01);
}

#[test]
fn a_second_finger_abandons_the_first_fingers_drag() {
    let mut app = app();
    let camera = |app: &App| app.view_state().camera.expect("a camera");
    let before = camera(&app);
    // A pan of the empty corner, taken back when the second finger comes.
    let p = (3.0, 3.0);
    app.input(down(NET, 1, Device::Touch, p, 0.0));
    app.input(moved(NET, 1, Device::Touch, (p.0 + 40.0, p.1)));
    assert_ne!(camera(&app), before, "panned");
    app.input(down(NET, 2, Device::Touch, (p.0 + 100.0, p.1 + 50.0), 0.0));
    assert_eq!(camera(&app), before, "put back");
    app.input(up(NET, 1, (p.0 + 40.0, p.1)));
    app.input(up(NET, 2, (p.0 + 100.0, p.1 + 50.0)));
    assert!(selected(&app).is_empty());
}

#[test]
fn a_mouse_hovers_with_a_tooltip_and_a_finger_does_not() {
    let mut app = app();
    let p = at(&app, "rubio");
    let out = app.input(moved(NET, 1, Device::Mouse, p));
    assert_eq!(out.over_item, Some(true));
    assert!(matches!(&out.tooltip, Tip::Show(t) if t.text.contains("Marco Rubio")));
    let out = app.input(moved(NET, 1, Device::Mouse, (2.0, 2.0)));
    assert_eq!((out.over_item, out.tooltip), (Some(false), Tip::Hide));
    assert_eq!(
        app.input(moved(NET, 9, Device::Touch, p)),
        Outcome::default()
    );
    assert_eq!(
        app.input(moved(NET, 9, Device::Other, p)),
        Outcome::default()
    );
    // The pointer leaves: unless a press holds it.
    app.input(moved(NET, 1, Device::Mouse, p));
    app.input(down(NET, 1, Device::Mouse, p, 0.0));
    let out = app.input(Input::PointerLeave { on: NET });
    assert!(out.pressing && out.tooltip == Tip::Keep);
    app.input(up(NET, 1, p));
    app.input(moved(NET, 1, Device::Mouse, p));
    let out = app.input(Input::PointerLeave { on: NET });
    assert_eq!((out.over_item, out.tooltip), (Some(false), Tip::Hide));
    assert!(app.reader.hover.is_none());
}

#[test]
fn each_canvas_has_its_own_pointers() {
    let mut app = app();
    let p = at(&app, "dmitriev");
    app.input(down(Target::Timeline, 1, Device::Touch, (300.0, 40.0), 0.0));
    let out = app.input(down(NET, 2, Device::Touch, p, 0.0));
    assert_eq!(
        out.wake_in_ms,
        Some(LONG_PRESS_MS),
        "a press of its own, not a pinch"
    );
    app.input(up(NET, 2, p));
    assert_eq!(selected(&app), ["dmitriev"]);
}

/// An input as the page writes it, read as `Viewer::input` reads it.
fn parse(json: &str) -> Result<Input, InputError> {
    Input::from_json(json)
}

#[test]
fn the_page_sends_typed_inputs_and_an_unknown_canvas_or_field_is_an_error() {
    let input = parse(
        r#"{"kind":"pointerDown","on":"timeline","pointer":3,"device":"touch","x":1,"y":2.5,"timeMs":40}"#,
    );
    assert_eq!(
        input.unwrap(),
        down(Target::Timeline, 3, Device::Touch, (1.0, 2.5), 40.0)
    );
    let input =
        parse(r#"{"kind":"pointerMove","on":"network","pointer":1,"device":"","x":1,"y":2}"#);
    assert_eq!(input.unwrap(), moved(NET, 1, Device::Other, (1.0, 2.0)));
    assert_eq!(
        parse(r#"{"kind":"keyboardFocus","on":null}"#),
        Ok(Input::KeyboardFocus { on: None })
    );
    assert_eq!(parse(r#"{"kind":"dismiss"}"#), Ok(Input::Dismiss));
    let error = |json: &str| parse(json).unwrap_err().to_string();
    assert_eq!(
        error(r#"{"kind":"fit","on":"legend"}"#),
        r#"unknown canvas "legend""#
    );
    assert_eq!(
        error(r#"{"kind":"fit","on":null}"#),
        "field `on` is of the wrong type"
    );
    assert_eq!(error(r#"{"kind":"fit"}"#), "missing field `on`");
    assert_eq!(error(r#"{"on":"network"}"#), "missing field `kind`");
    assert_eq!(
        error(r#"{"kind":"fit","on":"network","extra":1}"#),
        r#"unknown field "extra""#
    );
    assert_eq!(
        error(r#"{"kind":"fit","on":"network","x":1}"#),
        r#"a "fit" has no field `x`"#,
        "every field given is used"
    );
    assert_eq!(
        error(r#"{"kind":"wheel","on":"network","x":1,"y":2}"#),
        "missing field `deltaY`"
    );
    assert_eq!(
        error(r#"{"kind":"zoom","on":"network","factor":null,"x":1,"y":2}"#),
        "field `factor` is of the wrong type"
    );
    assert_eq!(
        error(r#"{"kind":"pointerUp","on":"network","pointer":1,"x":1,"y":2,"additive":1}"#),
        "field `additive` is of the wrong type"
    );
    assert_eq!(
        error(r#"{"kind":"scroll","on":"network"}"#),
        r#"unknown input "scroll""#
    );
    // What the page reads back.
    let out = Outcome {
        tooltip: Tip::Show(Tooltip {
            text: "A".into(),
            x: 1.0,
            y: 2.0,
            image: None,
        }),
        over_item: Some(true),
        wake_in_ms: Some(500.0),
        acting_on: Some(NET),
        ..Outcome::default()
    };
    assert_eq!(
        serde_json::to_string(&out).unwrap(),
        r#"{"tooltip":{"show":{"text":"A","x":1.0,"y":2.0}},"overItem":true,"pressing":false,"holding":false,"wakeInMs":500.0,"used":false}"#
    );
    let hidden = Outcome {
        tooltip: Tip::Hide,
        ..Outcome::default()
    };
    assert!(
        serde_json::to_string(&hidden)
            .unwrap()
            .starts_with(r#"{"tooltip":"hide","#)
    );
}

#[test]
fn keys_zoom_pan_and_fit_come_through_the_same_entry() {
    let mut app = app();
    let out = app.input(Input::KeyboardFocus { on: Some(NET) });
    assert_eq!(out, Outcome::default());
    assert_eq!(app.reader.keyboard.focus, Some(NET));
    let out = app.input(Input::Key {
        on: NET,
        key: "ArrowRight".into(),
    });
    assert!(out.used && out.acting_on == Some(NET));
    let out = app.input(Input::Key {
        on: NET,
        key: "q".into(),
    });
    assert!(!out.used && out.acting_on.is_none());
    let k0 = app.view_state().camera.unwrap().k;
    app.input(Input::Zoom {
        on: NET,
        factor: 2.0,
        x: 310.0,
        y: 230.0,
    });
    assert!((app.view_state().camera.unwrap().k / k0 - 2.0).abs() < 1e-9);
    app.input(Input::Pan {
        on: Target::Timeline,
        dx: 50.0,
        dy: 0.0,
    });
    assert!(app.view_state().time_view.is_some());
    app.input(Input::Fit {
        on: Target::Timeline,
    });
    app.input(Input::Fit { on: NET });
    assert_eq!(app.view_state().time_view, None);
    assert_eq!(app.view_state().camera.unwrap().k, k0);
    app.input(Input::Wheel {
        on: NET,
        x: 310.0,
        y: 230.0,
        delta_y: -100.0,
    });
    assert!(app.gesturing());
}
