//! In the browser: the batched canvas backend paints what plotters-canvas paints, with far
//! fewer paint calls.
#![cfg(target_arch = "wasm32")]

mod common;

use castline::draw::canvas::BatchedCanvas;
use common::pixels;
use plotters_backend::{BackendColor, BackendStyle, DrawingBackend, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use wasm_bindgen_test::*;
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

const W: u32 = 240;
const H: u32 = 160;

/// A new canvas in the page, `W` × `H`.
fn canvas() -> HtmlCanvasElement {
    let canvas = common::canvas();
    canvas.set_width(W);
    canvas.set_height(H);
    canvas
}

struct Style(BackendColor, u32);

impl BackendStyle for Style {
    fn color(&self) -> BackendColor {
        self.0
    }
    fn stroke_width(&self) -> u32 {
        self.1
    }
}

fn rgb(r: u8, g: u8, b: u8) -> BackendColor {
    BackendColor {
        alpha: 1.0,
        rgb: (r, g, b),
    }
}

/// A network-like scene: runs of same-style edges, filled and ringed nodes, a few rects and
/// a polygon, with style changes in between (painting order matters where they overlap).
fn scene<DB: DrawingBackend>(db: &mut DB) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let grey = Style(rgb(150, 150, 150), 1);
    for i in 0..60 {
        let (x, y) = ((i * 37) % W as i32, (i * 53) % H as i32);
        db.draw_line((x, y), ((x + 71) % W as i32, (y + 29) % H as i32), &grey)?;
    }
    db.draw_line((10, 80), (230, 80), &Style(rgb(0, 0, 0), 2))?;
    let blue = Style(rgb(0, 114, 178), 1);
    let orange = Style(rgb(213, 94, 0), 2);
    for i in 0..40 {
        let c = (10 + (i * 23) % 220, 10 + (i * 41) % 140);
        db.draw_circle(c, 4, &blue, true)?;
    }
    for i in 0..10 {
        db.draw_circle((20 + i * 22, 140), 6, &orange, false)?;
    }
    db.draw_rect((5, 5), (40, 25), &Style(rgb(230, 159, 0), 1), true)?;
    db.draw_rect((50, 5), (90, 25), &Style(rgb(0, 0, 0), 1), false)?;
    db.fill_polygon(
        [(120, 20), (160, 30), (140, 60)],
        &Style(rgb(0, 158, 115), 1),
    )?;
    db.draw_path(
        [(0, 150), (60, 120), (120, 150)],
        &Style(rgb(204, 121, 167), 1),
    )?;
    db.present()
}

#[wasm_bindgen_test]
fn batched_drawing_matches_plotters_canvas_with_fewer_paths() {
    let (a, b) = (canvas(), canvas());
    let mut plain = CanvasBackend::with_canvas_object(a.clone()).unwrap();
    scene(&mut plain).unwrap();
    let mut batched = BatchedCanvas::new(b.clone()).unwrap();
    scene(&mut batched).unwrap();
    // 115 elements in 8 runs of one style.
    assert_eq!(batched.paths(), 8);
    drop(batched);
    let (pa, pb) = (pixels(&a), pixels(&b));
    let inked = pa.chunks(4).filter(|p| p[3] > 0).count();
    let differ = pa
        .chunks(4)
        .zip(pb.chunks(4))
        .filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 48))
        .count();
    assert!(inked > 2000, "the scene drew something: {inked} pixels");
    // Only antialiased seams where shapes of one batch cross may differ.
    assert!(
        differ * 100 < inked * 2,
        "{differ} of {inked} inked pixels differ"
    );
}

/// Node shapes of one group share a batch; wound either way, where they overlap is filled,
/// not cut out as a hole.
#[wasm_bindgen_test]
fn polygons_of_one_style_share_a_path_without_holes() {
    let c = canvas();
    let mut batched = BatchedCanvas::new(c.clone()).unwrap();
    let green = Style(rgb(0, 158, 115), 1);
    batched
        .fill_polygon([(20, 20), (80, 20), (80, 80), (20, 80)], &green)
        .unwrap();
    // The same square shifted, listed the other way round.
    batched
        .fill_polygon([(50, 50), (50, 110), (110, 110), (110, 50)], &green)
        .unwrap();
    batched.present().unwrap();
    assert_eq!(batched.paths(), 1);
    drop(batched);
    let p = pixels(&c);
    for (x, y) in [(30, 30), (65, 65), (100, 100)] {
        let at = ((y * W + x) * 4) as usize;
        assert_eq!(&p[at..at + 4], &[0, 158, 115, 255], "filled at ({x}, {y})");
    }
}

#[wasm_bindgen_test]
fn dropping_the_backend_paints_what_is_still_batched() {
    let c = canvas();
    {
        let mut batched = BatchedCanvas::new(c.clone()).unwrap();
        batched
            .draw_circle((50, 50), 10, &Style(rgb(0, 0, 0), 1), true)
            .unwrap();
    }
    let p = pixels(&c);
    let at = ((50 * W + 50) * 4) as usize;
    assert_eq!(&p[at..at + 4], &[0, 0, 0, 255]);
}

/// A big network's squares: thousands of filled rectangles on whole pixels, `[x0, y0, x1,
/// y1]`, in runs of a few colours, some see-through, overlapping each other.
fn squares() -> Vec<(BackendColor, Vec<[i32; 4]>)> {
    let colours = [
        BackendColor {
            alpha: 1.0,
            rgb: (0, 114, 178),
        },
        BackendColor {
            alpha: 0.35,
            rgb: (213, 94, 0),
        },
        BackendColor {
            alpha: 0.6,
            rgb: (0, 158, 115),
        },
    ];
    (colours.into_iter().enumerate())
        .map(|(k, colour)| {
            let k = k as i32;
            let rects = (0..1200)
                .map(|i| {
                    let (x, y) = ((i * 37 + k * 11) % W as i32, (i * 53 + k * 7) % H as i32);
                    let side = 2 + (i + k) % 4;
                    [x, y, x + side, y + side]
                })
                .collect();
            (colour, rects)
        })
        .collect()
}

const BACKGROUND: BackendColor = BackendColor {
    alpha: 1.0,
    rgb: (250, 250, 245),
};

/// What the page drew before the image: a path of each colour's squares, filled once.
fn squares_as_paths(canvas: &HtmlCanvasElement, background: bool) {
    let context = common::context(canvas);
    let css = |c: BackendColor| format!("rgba({},{},{},{})", c.rgb.0, c.rgb.1, c.rgb.2, c.alpha);
    if background {
        context.set_fill_style_str(&css(BACKGROUND));
        context.fill_rect(0.0, 0.0, f64::from(W), f64::from(H));
    }
    for (colour, rects) in squares() {
        context.set_fill_style_str(&css(colour));
        context.begin_path();
        for [x0, y0, x1, y1] in rects {
            context.rect(x0.into(), y0.into(), (x1 - x0).into(), (y1 - y0).into());
        }
        context.fill();
    }
}

/// Pixels of two canvases further apart than rounding (two levels in a channel).
fn differing(a: &HtmlCanvasElement, b: &HtmlCanvasElement) -> (usize, usize) {
    let (pa, pb) = (pixels(a), pixels(b));
    let inked = pa.chunks(4).filter(|p| p[3] > 0).count();
    let differ = (pa.chunks(4).zip(pb.chunks(4)))
        .filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 2))
        .count();
    (inked, differ)
}

/// Thousands of squares are one image, not thousands of subpaths, and the image is what
/// their paths paint, over a background (put in place) or not (drawn over what is there).
#[wasm_bindgen_test]
fn thousands_of_squares_are_painted_as_one_image_of_the_same_pixels() {
    for background in [true, false] {
        let (a, b) = (canvas(), canvas());
        // Something under the squares, to be kept where they leave it showing.
        for c in [&a, &b] {
            let context = common::context(c);
            context.set_fill_style_str("rgb(90,90,90)");
            context.fill_rect(0.0, 40.0, f64::from(W), 30.0);
        }
        squares_as_paths(&a, background);
        let mut batched = BatchedCanvas::new(b.clone()).unwrap();
        if background {
            batched
                .draw_rect((0, 0), (W as i32, H as i32), &Style(BACKGROUND, 1), true)
                .unwrap();
        }
        for (colour, rects) in squares() {
            for [x0, y0, x1, y1] in rects {
                batched
                    .draw_rect((x0, y0), (x1, y1), &Style(colour, 1), true)
                    .unwrap();
            }
        }
        batched.present().unwrap();
        assert_eq!(batched.paths(), 1, "one image (background {background})");
        drop(batched);
        let (inked, differ) = differing(&a, &b);
        assert!(inked > 10_000, "the squares drew something: {inked} pixels");
        assert_eq!(
            differ, 0,
            "{differ} of {inked} pixels differ (background {background})"
        );
    }
}

/// `n` squares `side` pixels wide at `at(i)`, the first half black and the rest blue,
/// painted by the batched backend; how many paths it painted.
fn two_colour_squares(
    c: &HtmlCanvasElement,
    n: i32,
    side: i32,
    at: impl Fn(i32) -> (i32, i32),
) -> u32 {
    let mut batched = BatchedCanvas::new(c.clone()).unwrap();
    for i in 0..n {
        let (x, y) = at(i);
        let colour = if i < n / 2 {
            rgb(0, 0, 0)
        } else {
            rgb(0, 114, 178)
        };
        batched
            .draw_rect((x, y), (x + side, y + side), &Style(colour, 1), true)
            .unwrap();
    }
    batched.present().unwrap();
    batched.paths()
}

/// The pixel at (x, y) of a canvas's pixels, `width` wide.
fn pixel(pixels: &[u8], width: u32, x: u32, y: u32) -> &[u8] {
    let at = ((y * width + x) * 4) as usize;
    &pixels[at..at + 4]
}

/// A short run stays a path per colour, as before.
#[wasm_bindgen_test]
fn a_few_squares_are_painted_as_paths() {
    let c = canvas();
    assert_eq!(two_colour_squares(&c, 50, 3, |i| (i * 4, 20)), 2);
    let p = pixels(&c);
    assert_eq!(pixel(&p, W, 1, 21), &[0, 0, 0, 255]);
    assert_eq!(pixel(&p, W, 101, 21), &[0, 114, 178, 255]);
    assert_eq!(pixel(&p, W, 3, 21)[3], 0, "the gap between squares");
}

/// A thousand squares spread thin (a time axis's strips over a tall canvas) stay paths: an
/// image of their box would copy 400 pixels for each.
#[wasm_bindgen_test]
fn squares_spread_thin_are_painted_as_paths() {
    let c = canvas();
    c.set_width(1000);
    c.set_height(400);
    assert_eq!(two_colour_squares(&c, 1000, 1, |i| (i, (i * 7) % 400)), 2);
    let p = pixels(&c);
    assert_eq!(pixel(&p, 1000, 3, 21), &[0, 0, 0, 255]);
    assert_eq!(pixel(&p, 1000, 600, 200), &[0, 114, 178, 255]);
}
