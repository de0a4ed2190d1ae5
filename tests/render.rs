//! Static pictures (`castline render` and [`castline::render`]): the SVG of the default story
//! names every actor, the PNG decodes at the size asked for and has its text drawn (it has more
//! ink than the same picture drawn without fonts), the selection is drawn, the text version has
//! every event, and the command line writes each format and says clearly what went wrong.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

use castline::render::bitmap::{Fonts, png_as_shown, render_png};
use castline::render::{
    NETWORK_HEIGHT_PX, lay_out, picture_size, render_svg, story_text, svg_as_shown,
};
use castline::view::app::Target;
use castline::{App, DEFAULT_STORY, DEFAULT_STORY_FILE};

mod scratch;
use scratch::Scratch;

const BIN: &str = env!("CARGO_BIN_EXE_castline");
const DEFAULT_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/peace-plan-2025.json");

fn app() -> App {
    App::from_json(DEFAULT_STORY_FILE, DEFAULT_STORY).expect("the default story loads")
}

fn fonts() -> Fonts {
    Fonts::load(None).unwrap_or_else(|e| {
        panic!("{e} (scripts/setup.sh installs fonts-dejavu-core; the PNG tests need it)")
    })
}

/// Width, height and RGB pixels of a PNG.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut pixels).expect("PNG pixels");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

/// Pixels that differ from the background (the top-left corner's colour).
fn ink(pixels: &[u8]) -> usize {
    let corner = &pixels[..3];
    pixels
        .chunks_exact(3)
        .filter(|p| {
            p.iter()
                .zip(corner)
                .map(|(a, b)| a.abs_diff(*b) as u32)
                .sum::<u32>()
                > 24
        })
        .count()
}

fn xml_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page's SVG download is made by another `App` (the full wasm build's) given the shown
/// one's sizes, colours, selection, view and placement: it must be the very picture shown,
/// dragged nodes and the fit their drag holds included.
#[test]
fn another_app_given_the_placement_draws_the_picture_shown() {
    let mut shown = app();
    lay_out(&mut shown, 900.0);
    let (x, y) = shown.actor_position("witkoff").expect("witkoff is drawn");
    shown.pointer_down(Target::Network, x, y);
    shown.pointer_move(Target::Network, x - 30.0, y + 20.0);
    shown.pointer_move(Target::Network, x - 60.0, y + 40.0);
    shown.pointer_up(Target::Network, x - 60.0, y + 40.0, false);
    shown.wheel(Target::Network, 300.0, 200.0, -240.0);
    shown.select(&["witkoff".to_owned()]).unwrap();
    shown
        .set_time_window(Some("2025-10-01"), Some("2025-11-20"))
        .unwrap();
    shown.reader.dark = true;

    let copy_of = |placement: Option<&[f64]>| {
        let mut copy = app();
        copy.resize(900.0, NETWORK_HEIGHT_PX, 900.0);
        copy.reader.dark = shown.reader.dark;
        let state = shown.summary();
        copy.select(&state.selected_actors).unwrap();
        let [start, end] = state.time_window.expect("a window");
        copy.set_time_window(Some(&start), Some(&end)).unwrap();
        copy.set_view(&shown.view_state()).unwrap();
        if let Some(p) = placement {
            copy.set_placement(p).unwrap();
        }
        svg_as_shown(&copy).unwrap()
    };
    let expected = svg_as_shown(&shown).unwrap();
    // Not assert_eq!: a failure would print two whole SVG documents.
    assert!(
        copy_of(Some(&shown.placement())) == expected,
        "the same SVG"
    );
    assert!(copy_of(None) != expected, "the drag shows in the picture");

    // A placement for another number of actors is refused, not half applied.
    let mut other = app();
    assert!(other.set_placement(&shown.placement()[..7]).is_err());
    assert!(other.set_placement(&[f64::NAN; 2]).is_err());
}

#[test]
fn the_svg_of_the_default_story_names_every_actor() {
    let mut app = app();
    let svg = render_svg(&mut app, 900.0).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
    assert!(svg.contains(r#"width="900""#));
    for actor in &app.story().actors {
        assert!(
            svg.contains(&xml_escaped(&actor.name)),
            "{} is not in the SVG",
            actor.name
        );
    }
}

#[test]
fn the_png_has_the_size_asked_for_and_its_text() {
    let fonts = fonts();
    let mut app = app();
    let with_text = render_png(&mut app, 700.0, 2.0, Some(&fonts)).unwrap();
    let (css_w, css_h) = picture_size(&app);
    let (w, h, pixels) = decode(&with_text);
    assert_eq!(w, 1400);
    assert_eq!(w, (css_w * 2.0).ceil() as u32);
    assert_eq!(h, (css_h * 2.0).ceil() as u32);
    assert!(h > 2 * 460, "the time axis is below the network: {h}");

    // The same picture without fonts is what plotters' bitmap backend draws on its own.
    let (_, _, bare) = decode(&png_as_shown(&app, 2.0, None).unwrap());
    let (with, without) = (ink(&pixels), ink(&bare));
    assert!(without > 0, "the shapes are drawn without text too");
    // Thirteen names, a dozen lane labels, ticks and the key: thousands of pixels of text.
    assert!(
        with > without + 20_000,
        "text adds ink: {with} with text, {without} without"
    );
    // Text is drawn in the ink colour (#1b1b1b), so dark pixels appear only with it.
    let dark = |p: &[u8]| {
        p.chunks_exact(3)
            .filter(|c| c.iter().all(|&v| v < 60))
            .count()
    };
    assert!(dark(&pixels) > 2_000, "{}", dark(&pixels));
    assert!(dark(&bare) < dark(&pixels) / 10, "{}", dark(&bare));
}

#[test]
fn a_selection_is_drawn_in_the_picture() {
    let mut plain = app();
    let mut selected = app();
    selected.select(&["dmitriev".to_owned()]).unwrap();
    let (a, b) = (
        render_svg(&mut plain, 900.0).unwrap(),
        render_svg(&mut selected, 900.0).unwrap(),
    );
    assert_ne!(a, b);
    // What is not selected is dimmed: opacities below one appear that the plain picture lacks.
    assert!(b.matches("opacity=\"0.1").count() > a.matches("opacity=\"0.1").count());
}

#[test]
fn the_text_version_has_every_event_and_actor() {
    let app = app();
    let text = story_text(&app);
    assert!(text.starts_with(&app.story().title));
    for event in &app.story().events {
        assert!(text.contains(&event.title), "{}", event.title);
    }
    for actor in &app.story().actors {
        assert!(text.contains(&actor.name), "{}", actor.name);
    }
}

#[test]
fn a_huge_png_is_refused_rather_than_allocated() {
    let mut app = app();
    lay_out(&mut app, 9000.0);
    let err = png_as_shown(&app, 4.0, None).unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
}

fn render(args: &[&str], dir: &Path) -> (i32, String) {
    let out = Command::new(BIN)
        .arg("render")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the castline binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_writes_svg_png_and_text() {
    let dir = Scratch::new("render", "formats");
    let (code, err) = render(
        &[DEFAULT_PATH, "--out", "story.svg", "--width", "800"],
        &dir.0,
    );
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(dir.path("story.svg")).unwrap();
    assert!(svg.contains(r#"width="800""#) && svg.contains("Kirill Dmitriev"));

    let (code, err) = render(
        &[
            DEFAULT_PATH,
            "--out=story.png",
            "--width=600",
            "--scale=2",
            "--select",
            "witkoff,dmitriev",
        ],
        &dir.0,
    );
    assert_eq!(code, 0, "{err}");
    let (w, _, _) = decode(&std::fs::read(dir.path("story.png")).unwrap());
    assert_eq!(w, 1200);

    let (code, err) = render(&[DEFAULT_PATH, "--out", "story.txt"], &dir.0);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path("story.txt")).unwrap();
    assert!(text.contains("Kirill Dmitriev"));
}

#[test]
fn the_command_says_what_went_wrong() {
    let dir = Scratch::new("render", "errors");
    // A font that is not there: a clear message, exit 1, no file.
    let (code, err) = render(
        &[DEFAULT_PATH, "--out", "a.png", "--font", "no-such-font.ttf"],
        &dir.0,
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no-such-font.ttf") && err.contains("fonts-dejavu-core"),
        "{err}"
    );
    assert!(!dir.path("a.png").exists());
    // An unknown actor in --select.
    let (code, err) = render(
        &[DEFAULT_PATH, "--out", "a.svg", "--select", "nobody"],
        &dir.0,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("nobody"), "{err}");
    // Usage errors: exit 2.
    for args in [
        &[DEFAULT_PATH, "--out", "a.gif"][..],
        &[DEFAULT_PATH],
        &["--out", "a.svg"],
        &[DEFAULT_PATH, "--out", "a.svg", "--width", "0"],
        &[DEFAULT_PATH, "--out", "a.svg", "--width", "wide"],
        &[DEFAULT_PATH, "--out", "a.svg", "--bogus"],
    ] {
        let (code, err) = render(args, &dir.0);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}
