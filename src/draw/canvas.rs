//! A canvas `DrawingBackend` that batches: consecutive lines, circles and rectangles of one
//! style go into one path, stroked or filled once, and each canvas style is set only when it
//! changes. plotters-canvas instead begins, styles and strokes a path per element and formats
//! a colour string each time, which is what makes a scene of thousands of nodes slow.
//!
//! Painting order is kept exactly: a batch is flushed as soon as anything of another style
//! (or text) comes, and in `present()` or when the backend is dropped. One
//! visible difference remains by design: translucent shapes merged into one batch are
//! composited once, so where two of them overlap the overlap is not darker (as in sigma.js
//! and most batched renderers). Antialiased edges where shapes of one batch touch can also
//! differ by a shade.
//!
//! In the full build, a run of thousands of filled rectangles (a big network's squares, a
//! crowded time axis's strips) is painted as one image instead (`super::raster`): their
//! corners are on whole pixels, so the image is what the path would paint.

use std::fmt;

use super::device::{align_baseline, crisp, css, font, rect};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas call failed; the message is what the browser said.
#[derive(Debug, Clone)]
pub struct CanvasError(String);

impl fmt::Display for CanvasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "canvas error: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

fn js_error(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(
        e.as_string().unwrap_or_else(|| format!("{e:?}")),
    ))
}

/// A colour, comparable (alpha by its bits) so that "same style" is an exact test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Paint {
    rgb: (u8, u8, u8),
    alpha_bits: u64,
}

impl Paint {
    fn of(c: BackendColor) -> Paint {
        Paint {
            rgb: c.rgb,
            alpha_bits: c.alpha.to_bits(),
        }
    }

    /// Formatted only when the context's style changes, never per element.
    fn css(self) -> String {
        css(self.rgb, self.alpha_bits)
    }
}

/// The path being built, and how it will be painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Batch {
    Stroke { paint: Paint, width: u32 },
    Fill(Paint),
}

/// A canvas backend that merges consecutive same-style primitives into one path.
pub struct BatchedCanvas {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    open: Option<Batch>,
    /// What the context is known to hold; `None` means unknown, so the next use sets it.
    stroke_paint: Option<Paint>,
    line_width: Option<u32>,
    fill_paint: Option<Paint>,
    font: Option<(String, String, u64)>,
    baseline: Option<&'static str>,
    align: Option<&'static str>,
    paths: u32,
    /// Filled rectangles waiting, painted as a path or, if many, as one image.
    #[cfg(feature = "full")]
    run: super::raster::Rects,
}

/// A run is painted as one image from this many filled rectangles, if its box has at most
/// `RASTER_PIXELS_EACH` pixels for each. An image costs a copy of its whole box (a few
/// nanoseconds a pixel), a path a call into the browser and a subpath's raster for each
/// rectangle (a microsecond or two): thousands of nodes on a network are worth an image, a
/// time axis's strips, a thousand rectangles over half a million pixels, are not.
#[cfg(feature = "full")]
const RASTER_FROM: usize = 1000;
#[cfg(feature = "full")]
const RASTER_PIXELS_EACH: u64 = 200;

impl BatchedCanvas {
    /// `None` if the canvas has no 2D context.
    pub fn new(canvas: HtmlCanvasElement) -> Option<BatchedCanvas> {
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(BatchedCanvas {
            canvas,
            context,
            open: None,
            stroke_paint: None,
            line_width: None,
            fill_paint: None,
            font: None,
            baseline: None,
            align: None,
            paths: 0,
            #[cfg(feature = "full")]
            run: super::raster::Rects::default(),
        })
    }

    /// Makes the whole canvas transparent: a layer above another canvas starts each paint so.
    pub fn clear(&mut self) {
        self.flush();
        let (w, h) = (self.canvas.width(), self.canvas.height());
        self.context
            .clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
    }

    /// Number of paths stroked or filled so far (each one canvas paint call): for tests
    /// and benchmarks.
    pub fn paths(&self) -> u32 {
        self.paths
    }

    fn set_fill(&mut self, paint: Paint) {
        if self.fill_paint != Some(paint) {
            self.context.set_fill_style_str(&paint.css());
            self.fill_paint = Some(paint);
        }
    }

    fn set_stroke(&mut self, paint: Paint, width: u32) {
        if self.stroke_paint != Some(paint) {
            self.context.set_stroke_style_str(&paint.css());
            self.stroke_paint = Some(paint);
        }
        if self.line_width != Some(width) {
            self.context.set_line_width(f64::from(width));
            self.line_width = Some(width);
        }
    }

    /// Makes `batch` the open path, painting the previous one if it differs.
    fn begin(&mut self, batch: Batch) {
        if self.open == Some(batch) {
            return;
        }
        self.flush();
        match batch {
            Batch::Stroke { paint, width } => self.set_stroke(paint, width),
            Batch::Fill(paint) => self.set_fill(paint),
        }
        self.context.begin_path();
        self.open = Some(batch);
    }

    /// Paints the open path, if any, and the filled rectangles waiting.
    fn flush(&mut self) {
        self.flush_path();
        #[cfg(feature = "full")]
        self.paint_run();
    }

    /// Paints the open path, if any.
    fn flush_path(&mut self) {
        match self.open.take() {
            Some(Batch::Stroke { .. }) => self.context.stroke(),
            Some(Batch::Fill(_)) => self.context.fill(),
            None => return,
        }
        self.paths += 1;
    }

    /// Paints the filled rectangles waiting: as one image if they are many and it can be
    /// made, otherwise (or if the browser refuses it) as paths.
    #[cfg(feature = "full")]
    fn paint_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let (w, h) = (self.canvas.width(), self.canvas.height());
        let image = (run.len() >= RASTER_FROM)
            .then(|| run.image_within(w, h, run.len() as u64 * RASTER_PIXELS_EACH))
            .flatten();
        match image.map(|image| self.put(&image)) {
            Some(Ok(())) => self.paths += 1,
            _ => {
                for (at, rgb, alpha) in run.iter() {
                    self.begin(Batch::Fill(Paint::of(BackendColor { alpha, rgb })));
                    let [x, y, w, h] = rect((at[0], at[1]), (at[2], at[3]));
                    self.context.rect(x, y, w, h);
                }
                self.flush_path();
            }
        }
        self.run = run;
        self.run.clear();
    }

    /// Puts a run's image on the canvas: in place if it is opaque, otherwise drawn over what
    /// is there from a canvas of its own.
    #[cfg(feature = "full")]
    fn put(&self, image: &super::raster::Image) -> Result<(), JsValue> {
        // One copy out of the wasm memory, seen as bytes (`Image::pixels` says why that is
        // RGBA).
        let words = js_sys::Uint32Array::from(image.pixels.as_slice());
        let bytes = js_sys::Uint8ClampedArray::new_with_byte_offset_and_length(
            &words.buffer(),
            0,
            image.w * image.h * 4,
        );
        let data =
            web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&bytes, image.w, image.h)?;
        let (x, y) = (f64::from(image.x), f64::from(image.y));
        if image.opaque {
            return self.context.put_image_data(&data, x, y);
        }
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("no document"))?;
        let scratch: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
        scratch.set_width(image.w);
        scratch.set_height(image.h);
        let context: CanvasRenderingContext2d = scratch
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2D context"))?
            .dyn_into()?;
        context.put_image_data(&data, 0.0, 0.0)?;
        self.context
            .draw_image_with_html_canvas_element(&scratch, x, y)
    }

    /// A subpath of the open path from `start` through `rest`, in straight lines.
    #[inline]
    fn trace(&self, start: BackendCoord, rest: impl IntoIterator<Item = BackendCoord>) {
        self.context.move_to(f64::from(start.0), f64::from(start.1));
        for p in rest {
            self.context.line_to(f64::from(p.0), f64::from(p.1));
        }
    }

    /// Opens the batch a shape of `style` joins, filled or stroked with its width, and says
    /// so; `false`, opening nothing, when the shape is invisible (fully transparent).
    #[inline]
    fn open(&mut self, style: &impl BackendStyle, fill: bool) -> bool {
        let color = style.color();
        if color.alpha == 0.0 {
            return false;
        }
        let paint = Paint::of(color);
        self.begin(if fill {
            Batch::Fill(paint)
        } else {
            Batch::Stroke {
                paint,
                width: style.stroke_width(),
            }
        });
        true
    }
}

impl Drop for BatchedCanvas {
    /// Paints what is still batched, so forgetting `present()` loses nothing.
    fn drop(&mut self) {
        self.flush();
    }
}

/// Twice the signed area of a polygon (shoelace); positive when clockwise on screen (y down).
fn signed_area2(points: &[BackendCoord]) -> i64 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum()
}

// The methods' signatures are plotters' `DrawingBackend`'s: every backend spells them out
// again by design (the bodies are what differ).
impl DrawingBackend for BatchedCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width(), self.canvas.height())
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.flush();
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.begin(Batch::Fill(Paint::of(color)));
        self.context
            .rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if self.open(style, false) {
            let [x0, y0, x1, y1] = crisp(from, to);
            self.context.move_to(x0, y0);
            self.context.line_to(x1, y1);
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        #[cfg(feature = "full")]
        if fill {
            let color = style.color();
            if color.alpha != 0.0 {
                // What was drawn before it is painted first.
                self.flush_path();
                self.run
                    .push(upper_left, bottom_right, color.rgb, color.alpha);
            }
            return Ok(());
        }
        if self.open(style, fill) {
            let [x, y, w, h] = rect(upper_left, bottom_right);
            self.context.rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let mut path = path.into_iter();
        if let Some(start) = path.next()
            && self.open(style, false)
        {
            self.trace(start, path);
        }
        Ok(())
    }

    /// Polygons join the open batch wound one way (clockwise on screen): under the non-zero
    /// rule, overlapping subpaths of one winding never cut holes in each other, as opposite
    /// windings would.
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let mut points: Vec<BackendCoord> = path.into_iter().collect();
        if points.is_empty() {
            return Ok(());
        }
        if signed_area2(&points) < 0 {
            points.reverse();
        }
        self.begin(Batch::Fill(Paint::of(style.color())));
        self.trace(points[0], points[1..].iter().copied());
        // No closePath: fill() closes every subpath itself, and a call into the browser per
        // polygon is what a big network's nodes cost most.
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if !self.open(style, fill) {
            return Ok(());
        }
        let (cx, cy, r) = (f64::from(center.0), f64::from(center.1), f64::from(radius));
        // A new subpath at the circle's rightmost point, or the arc would be joined to the
        // previous shape by a line.
        self.context.move_to(cx + r, cy);
        self.context
            .arc(cx, cy, r, 0.0, std::f64::consts::TAU)
            .map_err(js_error)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        let angle = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        } * std::f64::consts::PI
            / 180.0;
        let (mut x, mut y) = (f64::from(pos.0), f64::from(pos.1));
        if angle != 0.0 {
            self.context.save();
            self.context.translate(x, y).map_err(js_error)?;
            self.context.rotate(angle).map_err(js_error)?;
            (x, y) = (0.0, 0.0);
        }
        let (align, baseline) = align_baseline(style.anchor());
        if self.baseline != Some(baseline) {
            self.context.set_text_baseline(baseline);
            self.baseline = Some(baseline);
        }
        if self.align != Some(align) {
            self.context.set_text_align(align);
            self.align = Some(align);
        }
        self.set_fill(Paint::of(color));
        let (face, family, size) = (style.style(), style.family(), style.size());
        let same_font = self.font.as_ref().is_some_and(|(s, f, bits)| {
            s == face.as_str() && f == family.as_str() && *bits == size.to_bits()
        });
        if !same_font {
            self.context
                .set_font(&font(face.as_str(), size, family.as_str()));
            self.font = Some((
                face.as_str().to_owned(),
                family.as_str().to_owned(),
                size.to_bits(),
            ));
        }
        let drawn = self.context.fill_text(text, x, y).map_err(js_error);
        if angle != 0.0 {
            self.context.restore();
            // `restore` brought back the styles of before `save`: forget what we knew.
            (self.stroke_paint, self.line_width, self.fill_paint) = (None, None, None);
            (self.font, self.baseline, self.align) = (None, None, None);
        }
        drawn
    }
}
