//! The pointer's and the keyboard's rings are drawn on their own layer: a hover or a keyboard
//! move changes what `draw_*_marks` emits and nothing of the pictures under them, which the
//! page then need not repaint. Checked on what the drawing code emits (recording backend).
#![cfg(feature = "full")]

use castline::App;
use castline::draw::record::Recorder;
use castline::draw::{
    LIGHT, Pen, draw_network, draw_network_marks, draw_timeline, draw_timeline_marks,
};
use castline::view::app::{Hover, Target};

type Draw =
    fn(
        &castline::draw::Frame,
        &mut Pen<'_, Recorder>,
    ) -> Result<(), plotters_backend::DrawingErrorKind<castline::draw::record::RecordError>>;

fn record(app: &App, draw: Draw) -> Recorder {
    let mut r = Recorder::new(1200, 4000);
    draw(&app.frame(), &mut Pen::new(&mut r, 1.0)).expect("recorded");
    r
}

/// Everything a drawing emitted, to compare two of them.
fn fingerprint(r: &Recorder) -> String {
    format!("{:?} {:?}", r.shapes, r.texts)
}

/// Rings: unfilled circles and rectangles in the given colour.
fn rings(r: &Recorder, rgb: castline::story::model::Rgb) -> usize {
    r.shapes
        .iter()
        .filter(|g| !g.paint.is_fill() && g.paint.rgb() == (rgb.0, rgb.1, rgb.2))
        .map(|g| g.circles.len() / 3 + g.rects.len() / 4)
        .sum()
}

fn fills(r: &Recorder) -> usize {
    r.shapes
        .iter()
        .filter(|g| g.paint.is_fill())
        .map(|g| g.circles.len() / 3 + g.rects.len() / 4 + g.path_lens.len())
        .sum()
}

fn default_app() -> App {
    let mut app = App::from_text("story.json", castline::DEFAULT_STORY).expect("the story loads");
    app.resize(1200.0, 460.0, 1200.0);
    app
}

#[test]
fn hovering_an_actor_rings_it_on_the_layer_and_leaves_the_network_alone() {
    let mut app = default_app();
    let network = fingerprint(&record(&app, draw_network));
    assert_eq!(rings(&record(&app, draw_network_marks), LIGHT.ink), 0);

    let (x, y) = app.actor_position("witkoff").expect("Witkoff is drawn");
    app.pointer_move(Target::Network, x, y).expect("a tooltip");
    assert!(matches!(app.reader.hover, Some(Hover::Actor(_))));
    assert_eq!(
        fingerprint(&record(&app, draw_network)),
        network,
        "the network under the ring is the same picture"
    );
    let layer = record(&app, draw_network_marks);
    assert_eq!(rings(&layer, LIGHT.ink), 1, "one ring, around Witkoff");
    assert_eq!(fills(&layer), 0, "nothing but the ring on the layer");
}

#[test]
fn the_keyboard_ring_is_on_the_layer() {
    let mut app = default_app();
    let network = fingerprint(&record(&app, draw_network));
    app.set_keyboard_focus(Some(Target::Network));
    assert!(
        app.reader.keyboard.actor.is_some(),
        "the keyboard rests on an actor"
    );
    assert_eq!(fingerprint(&record(&app, draw_network)), network);
    assert_eq!(rings(&record(&app, draw_network_marks), LIGHT.focus), 1);
    app.set_keyboard_focus(None);
    assert_eq!(rings(&record(&app, draw_network_marks), LIGHT.focus), 0);
}

#[test]
fn hovering_an_event_rings_each_of_its_marks_on_the_layer() {
    let mut app = default_app();
    let timeline = fingerprint(&record(&app, draw_timeline));
    // An event with several actors has a mark in each of their lanes.
    let e = (0..app.story().events.len())
        .find(|&e| app.timeline.marks.iter().filter(|m| m.event == e).count() >= 2)
        .expect("an event with marks in two lanes");
    let marks = app.timeline.marks.iter().filter(|m| m.event == e).count();
    app.reader.hover = Some(Hover::Event(e));
    assert_eq!(fingerprint(&record(&app, draw_timeline)), timeline);
    let layer = record(&app, draw_timeline_marks);
    assert_eq!(rings(&layer, LIGHT.ink), marks, "a ring per mark");
    assert_eq!(fills(&layer), 0, "no lane is a density strip here");
}

// In a density strip marks are not drawn one by one; the one pointed at is, on the layer.
#[test]
fn an_event_pointed_at_in_a_density_strip_is_drawn_on_the_layer() {
    let text = castline::write::generate::generate(150, 2000, 7);
    let mut app = App::from_text("w1.json", &text).expect("the story loads");
    app.resize(1200.0, 460.0, 1200.0);
    let timeline = fingerprint(&record(&app, draw_timeline));
    // The busiest actor's lane is a strip: its first event.
    let busiest = app.timeline.lanes[0].marks.clone();
    let m = &app.timeline.marks[busiest.start];
    let e = m.event;
    app.reader.hover = Some(Hover::Event(e));
    assert_eq!(fingerprint(&record(&app, draw_timeline)), timeline);
    let layer = record(&app, draw_timeline_marks);
    assert!(rings(&layer, LIGHT.ink) >= 1);
    assert!(
        fills(&layer) >= 1,
        "the mark itself is drawn above the strip ({} fills)",
        fills(&layer)
    );
}
