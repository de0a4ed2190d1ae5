//! What the browser tests share (tests/web.rs, tests/web_backend.rs): canvases in the test
//! page and their pixels.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A new canvas in the page, at the browser's default size.
pub fn canvas() -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

pub fn context(canvas: &HtmlCanvasElement) -> CanvasRenderingContext2d {
    canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap()
}

/// The whole canvas as RGBA bytes, row by row.
pub fn pixels(canvas: &HtmlCanvasElement) -> Vec<u8> {
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    context(canvas)
        .get_image_data(0.0, 0.0, w, h)
        .unwrap()
        .data()
        .to_vec()
}
