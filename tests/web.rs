//! In the browser: the viewer paints real pixels on both canvases, at the device pixel ratio.
#![cfg(target_arch = "wasm32")]

mod common;

use castline::web::Viewer;
use common::{canvas, context, pixels};
use wasm_bindgen_test::*;
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A viewer of the text, as the page opens one: the full build reads it at once; the first
/// build (without `full`) only in parts.
fn open(
    network: HtmlCanvasElement,
    timeline: HtmlCanvasElement,
    text: &str,
    name: Option<String>,
) -> Result<Viewer, wasm_bindgen::JsError> {
    #[cfg(feature = "full")]
    return Viewer::new(network, timeline, text, name);
    #[cfg(not(feature = "full"))]
    {
        let mut reading = castline::web::StoryReading::from_bytes(text.as_bytes().to_vec(), name)?;
        Viewer::from_reading(network, timeline, &mut reading)
    }
}

/// A story handed over as bytes that are not UTF-8 is refused (the page then has the full
/// build read the text, which says why).
#[wasm_bindgen_test]
fn a_story_in_bytes_that_are_not_utf8_is_refused() {
    let mut bytes = br#"{"actors": [{"id": "a", "name": "Ol?"}]}"#.to_vec();
    let at = bytes.iter().position(|&b| b == b'?').unwrap();
    bytes[at] = 0xe9; // Latin-1's "é"
    assert!(castline::web::StoryReading::from_bytes(bytes, None).is_err());
}

/// One of the reader's inputs, as the page sends it.
fn input(viewer: &mut Viewer, json: &str) {
    let input = js_sys::JSON::parse(json).unwrap();
    viewer.input(input).unwrap();
}

/// Pixels that are not the white background.
fn inked_pixels(canvas: &HtmlCanvasElement) -> usize {
    pixels(canvas)
        .chunks(4)
        .filter(|p| p[3] > 0 && (p[0] < 200 || p[1] < 200 || p[2] < 200))
        .count()
}

#[wasm_bindgen_test]
fn the_default_story_paints_both_canvases() {
    let (network, timeline) = (canvas(), canvas());
    let mut viewer = open(
        network.clone(),
        timeline.clone(),
        castline::DEFAULT_STORY,
        None,
    )
    .unwrap();
    let height = viewer.resize(600.0, 460.0, 600.0, 2.0);
    assert!(height > 200.0);
    assert_eq!((network.width(), network.height()), (1200, 920));
    assert_eq!(timeline.width(), 1200);
    assert_eq!(
        inked_pixels(&network),
        0,
        "nothing is drawn before the first frame"
    );
    // The first pictures come a canvas a frame, so that the page's start makes no long task.
    let more = viewer.frame(0.0).unwrap();
    assert!(more, "the other canvas is left for the next frame");
    let first = [inked_pixels(&network), inked_pixels(&timeline)];
    assert!(
        first.iter().filter(|&&ink| ink > 2_000).count() == 1 && first.contains(&0),
        "one canvas painted in the first frame: {first:?}"
    );
    let more = viewer.frame(16.0).unwrap();
    assert!(!more, "the default story is laid out before it is shown");
    assert!(inked_pixels(&network) > 2_000, "the network has ink");
    assert!(inked_pixels(&timeline) > 2_000, "the time axis has ink");
}

#[wasm_bindgen_test]
fn selecting_redraws_with_fewer_events() {
    let (network, timeline) = (canvas(), canvas());
    let mut viewer = open(network, timeline.clone(), castline::DEFAULT_STORY, None).unwrap();
    viewer.resize(600.0, 460.0, 600.0, 1.0);
    // The first pictures take a frame each.
    viewer.frame(0.0).unwrap();
    viewer.frame(0.5).unwrap();
    let all = inked_pixels(&timeline);
    viewer.select(vec!["axios".into()]).unwrap();
    viewer.frame(1.0).unwrap();
    let one = inked_pixels(&timeline);
    assert!(
        one < all,
        "filtering to Axios should hide most marks ({one} vs {all})"
    );
    assert!(viewer.select(vec!["nobody".into()]).is_err());
}

#[wasm_bindgen_test]
fn unreadable_data_is_an_error_not_a_panic() {
    let err = open(canvas(), canvas(), "{ not json", Some("bad.json".into())).err();
    let message =
        err.map(|e| String::from(js_sys::Error::from(wasm_bindgen::JsValue::from(e)).message()));
    // The message names the line and column where reading stopped.
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.contains("not valid JSON")),
        "{message:?}"
    );
    assert_eq!(castline::web::panic_message(), None);
}

/// A black square in the canvas's top-left corner, which any repaint of the picture covers.
fn scribble(canvas: &HtmlCanvasElement) {
    let ctx = context(canvas);
    ctx.set_fill_style_str("#000");
    ctx.fill_rect(0.0, 0.0, 10.0, 10.0);
}

fn scribbled(canvas: &HtmlCanvasElement) -> bool {
    let ctx = context(canvas);
    let p = ctx.get_image_data(2.0, 2.0, 1.0, 1.0).unwrap().data();
    p[3] == 255 && p[0] == 0 && p[1] == 0 && p[2] == 0
}

#[wasm_bindgen_test]
fn a_hover_repaints_the_layer_above_the_network_not_the_network() {
    let (network, timeline, network_layer, timeline_layer) =
        (canvas(), canvas(), canvas(), canvas());
    let mut viewer = open(network.clone(), timeline, castline::DEFAULT_STORY, None).unwrap();
    viewer.set_layers(network_layer.clone(), timeline_layer.clone());
    viewer.resize(600.0, 460.0, 600.0, 2.0);
    assert_eq!(
        (network_layer.width(), network_layer.height()),
        (1200, 920),
        "the layer's buffer is the network's"
    );
    viewer.frame(0.0).unwrap();
    assert_eq!(inked_pixels(&network_layer), 0, "no ring yet");
    assert_eq!(inked_pixels(&timeline_layer), 0);

    let at = viewer.actor_position("witkoff").unwrap();
    let coord = |k: &str| {
        js_sys::Reflect::get(&at, &k.into())
            .unwrap()
            .as_f64()
            .unwrap()
    };
    scribble(&network);
    let (x, y) = (coord("x"), coord("y"));
    input(
        &mut viewer,
        &format!(
            r#"{{"kind":"pointerMove","on":"network","pointer":1,"device":"mouse","x":{x},"y":{y}}}"#
        ),
    );
    viewer.frame(1.0).unwrap();
    assert!(inked_pixels(&network_layer) > 20, "the hover ring is drawn");
    assert!(scribbled(&network), "the network was not repainted");

    input(&mut viewer, r#"{"kind":"pointerLeave","on":"network"}"#);
    viewer.frame(2.0).unwrap();
    assert_eq!(inked_pixels(&network_layer), 0, "the ring is gone");

    // A pan moves the picture: it is repainted (the check above can fail).
    input(
        &mut viewer,
        r#"{"kind":"pan","on":"network","dx":5,"dy":0}"#,
    );
    viewer.frame(3.0).unwrap();
    assert!(!scribbled(&network));
}

// A big story never prepares and paints a canvas in one frame, nor paints both canvases.
#[wasm_bindgen_test]
fn a_big_story_prepares_a_canvas_in_one_frame_and_paints_it_in_the_next() {
    let (network, timeline) = (canvas(), canvas());
    let story = castline::write::generate::generate(400, 4000, 1);
    let mut viewer = open(network.clone(), timeline.clone(), &story, None).unwrap();
    viewer.resize(600.0, 460.0, 600.0, 1.0);
    while !viewer.settle_layout(1000.0) {}
    let inked = || (inked_pixels(&network) > 0, inked_pixels(&timeline) > 0);
    assert!(viewer.frame(0.0).unwrap(), "more to paint");
    assert_eq!(inked(), (false, false), "frame 1 finds the network's ties");
    assert!(viewer.frame(1.0).unwrap());
    assert_eq!(inked(), (true, false), "frame 2 paints the network");
    assert!(viewer.frame(2.0).unwrap());
    assert_eq!(inked(), (true, false), "frame 3 finds the lanes' marks");
    assert!(!viewer.frame(3.0).unwrap(), "nothing left after frame 4");
    assert_eq!(inked(), (true, true), "frame 4 paints the time axis");
}

// Dragging a big story's network pans it on every frame, so every frame's ties are new:
// the picture must still follow, painted at least every other frame.
#[wasm_bindgen_test]
fn a_big_story_dragged_on_every_frame_is_still_painted() {
    let (network, timeline) = (canvas(), canvas());
    let story = castline::write::generate::generate(400, 4000, 1);
    let mut viewer = open(network.clone(), timeline, &story, None).unwrap();
    viewer.resize(600.0, 460.0, 600.0, 1.0);
    while !viewer.settle_layout(1000.0) {}
    while viewer.frame(0.0).unwrap() {}
    let mut painted = 0;
    for k in 0..8 {
        scribble(&network);
        input(
            &mut viewer,
            r#"{"kind":"pan","on":"network","dx":1,"dy":0}"#,
        );
        viewer.frame(f64::from(k)).unwrap();
        if !scribbled(&network) {
            painted += 1;
        }
    }
    assert!(painted >= 4, "painted in {painted} of 8 frames");
}
