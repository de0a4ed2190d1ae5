//! A `DrawingBackend` that paints nothing and records every primitive the drawing code emits,
//! grouped by style, as flat coordinate arrays.
//!
//! It exists for the benchmark's reference (`recordScene()` in the wasm, replayed by
//! `bench/page/bench.mjs`): the same scene as Castline's redraw, drawn with the fewest canvas
//! calls possible — each style set once, one path and one `stroke()`/`fill()` per style, each
//! font set once. Grouping by style across the whole scene ignores painting order on purpose:
//! the reference is the cost floor of the scene, not a second renderer. Geometry is kept
//! exactly as `BatchedCanvas` sends it to the canvas (device pixels, the same half-pixel shift
//! of straight lines), so the replay rasterises the same shapes.

// The same hasher as `load`'s id maps: one copy of the hash table's code in the wasm.
use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use super::device::{align_baseline, crisp, css, font, rect};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};

/// What the recorder cannot record faithfully (rotated text: the drawing code has none).
#[derive(Debug, Clone)]
pub struct RecordError(&'static str);

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot record: {}", self.0)
    }
}

impl std::error::Error for RecordError {}

/// How a group is painted: a stroke colour and width, or a fill colour. Alpha by its bits, so
/// "same style" is an exact test, as in `BatchedCanvas`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paint {
    Stroke {
        rgb: (u8, u8, u8),
        alpha_bits: u64,
        width: u32,
    },
    Fill {
        rgb: (u8, u8, u8),
        alpha_bits: u64,
    },
}

impl Paint {
    /// How a shape of `style` is painted: filled, or stroked with its width.
    fn of(style: &impl BackendStyle, fill: bool) -> Paint {
        let c = style.color();
        if fill {
            return Paint::fill(c);
        }
        Paint::Stroke {
            rgb: c.rgb,
            alpha_bits: c.alpha.to_bits(),
            width: style.stroke_width(),
        }
    }

    fn fill(c: BackendColor) -> Paint {
        Paint::Fill {
            rgb: c.rgb,
            alpha_bits: c.alpha.to_bits(),
        }
    }

    pub fn is_fill(&self) -> bool {
        matches!(self, Paint::Fill { .. })
    }

    pub fn rgb(&self) -> (u8, u8, u8) {
        match *self {
            Paint::Stroke { rgb, .. } | Paint::Fill { rgb, .. } => rgb,
        }
    }

    /// The line width in device px; 0 for fills.
    pub fn width(&self) -> u32 {
        match *self {
            Paint::Stroke { width, .. } => width,
            Paint::Fill { .. } => 0,
        }
    }

    /// The canvas colour string, formatted as `BatchedCanvas` formats it.
    pub fn css(&self) -> String {
        match *self {
            Paint::Stroke {
                rgb, alpha_bits, ..
            }
            | Paint::Fill { rgb, alpha_bits } => css(rgb, alpha_bits),
        }
    }
}

/// Every shape of one paint, device px. A fill group's paths are polygons (the fill closes
/// them); a stroke group's are polylines as given.
#[derive(Debug, Clone)]
pub struct ShapeGroup {
    pub paint: Paint,
    /// `[x0, y0, x1, y1, …]` per line.
    pub lines: Vec<f64>,
    /// `[x, y, w, h, …]` per rectangle.
    pub rects: Vec<f64>,
    /// `[cx, cy, r, …]` per circle.
    pub circles: Vec<f64>,
    /// The points `[x, y, …]` of every path, one after the other.
    pub paths: Vec<f64>,
    /// How many points each path has, in order.
    pub path_lens: Vec<u32>,
}

impl ShapeGroup {
    fn new(paint: Paint) -> ShapeGroup {
        ShapeGroup {
            paint,
            lines: Vec::new(),
            rects: Vec::new(),
            circles: Vec::new(),
            paths: Vec::new(),
            path_lens: Vec::new(),
        }
    }
}

/// Every text of one font, colour and anchor.
#[derive(Debug, Clone)]
pub struct TextGroup {
    /// The canvas `font` string, as `BatchedCanvas` sets it.
    pub font: String,
    pub color: String,
    /// Canvas `textAlign` and `textBaseline`.
    pub align: &'static str,
    pub baseline: &'static str,
    pub texts: Vec<String>,
    /// `[x, y, …]` per text, device px.
    pub xy: Vec<f64>,
}

type TextKey = (String, (u8, u8, u8), u64, &'static str, &'static str);

/// The recording backend; `size` is what `get_size` answers (the canvas in device px).
pub struct Recorder {
    size: (u32, u32),
    pub shapes: Vec<ShapeGroup>,
    pub texts: Vec<TextGroup>,
    shape_index: HashMap<Paint, usize>,
    text_index: HashMap<TextKey, usize>,
}

impl Recorder {
    pub fn new(width: u32, height: u32) -> Recorder {
        Recorder {
            size: (width, height),
            shapes: Vec::new(),
            texts: Vec::new(),
            shape_index: HashMap::default(),
            text_index: HashMap::default(),
        }
    }

    /// Groups come in the order their style first appears, so the background comes first.
    fn group(&mut self, paint: Paint) -> &mut ShapeGroup {
        let next = self.shapes.len();
        let i = *self.shape_index.entry(paint).or_insert(next);
        if i == next {
            self.shapes.push(ShapeGroup::new(paint));
        }
        &mut self.shapes[i]
    }

    /// The group a shape of `style` joins, filled or stroked; `None` when it is invisible
    /// (drawn fully transparent), as `BatchedCanvas` skips it.
    fn visible(&mut self, style: &impl BackendStyle, fill: bool) -> Option<&mut ShapeGroup> {
        if style.color().alpha == 0.0 {
            return None;
        }
        Some(self.group(Paint::of(style, fill)))
    }

    pub fn line_count(&self) -> usize {
        self.shapes.iter().map(|g| g.lines.len() / 4).sum()
    }

    pub fn rect_count(&self) -> usize {
        self.shapes.iter().map(|g| g.rects.len() / 4).sum()
    }

    pub fn circle_count(&self) -> usize {
        self.shapes.iter().map(|g| g.circles.len() / 3).sum()
    }

    pub fn path_count(&self) -> usize {
        self.shapes.iter().map(|g| g.path_lens.len()).sum()
    }

    pub fn text_count(&self) -> usize {
        self.texts.iter().map(|g| g.texts.len()).sum()
    }
}

type Recorded = Result<(), DrawingErrorKind<RecordError>>;

// The methods' signatures are plotters' `DrawingBackend`'s, alike in every backend here
// (canvas.rs, render/bitmap.rs): a duplicate finder pairs them, but they share no logic; what
// the bodies share with canvas.rs is in `device`.
impl DrawingBackend for Recorder {
    type ErrorType = RecordError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Recorded {
        Ok(())
    }

    fn present(&mut self) -> Recorded {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Recorded {
        if color.alpha == 0.0 {
            return Ok(());
        }
        let (x, y) = (f64::from(point.0), f64::from(point.1));
        self.group(Paint::fill(color))
            .rects
            .extend([x, y, 1.0, 1.0]);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Recorded {
        if let Some(group) = self.visible(style, false) {
            group.lines.extend(crisp(from, to));
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Recorded {
        if let Some(group) = self.visible(style, fill) {
            group.rects.extend(rect(upper_left, bottom_right));
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Recorded {
        if let Some(group) = self.visible(style, false) {
            push_path(group, path);
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Recorded {
        if let Some(group) = self.visible(style, true) {
            push_path(group, path);
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Recorded {
        if let Some(group) = self.visible(style, fill) {
            let (cx, cy) = (f64::from(center.0), f64::from(center.1));
            group.circles.extend([cx, cy, f64::from(radius)]);
        }
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Recorded {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        // A rotated label would need a transform per text; refuse rather than record it wrong.
        if !matches!(style.transform(), FontTransform::None) {
            return Err(DrawingErrorKind::DrawingError(RecordError("rotated text")));
        }
        let (align, baseline) = align_baseline(style.anchor());
        let font = font(
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        );
        let key = (font, color.rgb, color.alpha.to_bits(), align, baseline);
        let next = self.texts.len();
        let i = *self.text_index.entry(key.clone()).or_insert(next);
        if i == next {
            self.texts.push(TextGroup {
                font: key.0,
                color: css(color.rgb, color.alpha.to_bits()),
                align,
                baseline,
                texts: Vec::new(),
                xy: Vec::new(),
            });
        }
        let group = &mut self.texts[i];
        group.texts.push(text.to_owned());
        group.xy.extend([f64::from(pos.0), f64::from(pos.1)]);
        Ok(())
    }
}

fn push_path(group: &mut ShapeGroup, path: impl IntoIterator<Item = BackendCoord>) {
    let before = group.paths.len();
    for (x, y) in path {
        group.paths.extend([f64::from(x), f64::from(y)]);
    }
    let points = (group.paths.len() - before) / 2;
    if points > 0 {
        group.path_lens.push(points as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::App;
    use crate::draw::{LIGHT, Pen, draw_network, draw_timeline};

    /// Counts each primitive call, independently of how the recorder groups them (plotters'
    /// `MockedBackend` idea).
    #[derive(Default)]
    struct Counter {
        lines: usize,
        rects: usize,
        circles: usize,
        paths: usize,
        polygons: usize,
        texts: usize,
        /// Each primitive in order: a shape's batch (filled, colour, alpha bits, stroke
        /// width), as a batching canvas would merge it, or `None` for a text.
        stream: Vec<Option<Batch>>,
    }

    type Batch = (bool, (u8, u8, u8), u64, u32);

    impl Counter {
        fn shape<S: BackendStyle>(&mut self, s: &S, fill: bool) -> usize {
            let c = s.color();
            if c.alpha == 0.0 {
                return 0;
            }
            let width = if fill { 0 } else { s.stroke_width() };
            self.stream
                .push(Some((fill, c.rgb, c.alpha.to_bits(), width)));
            1
        }
    }

    // As `Recorder`'s, the signatures are the trait's, shortened by these names.
    type P = BackendCoord;

    impl DrawingBackend for Counter {
        type ErrorType = RecordError;
        fn get_size(&self) -> (u32, u32) {
            (1200, 800)
        }
        fn ensure_prepared(&mut self) -> Recorded {
            Ok(())
        }
        fn present(&mut self) -> Recorded {
            Ok(())
        }
        fn draw_pixel(&mut self, _: BackendCoord, c: BackendColor) -> Recorded {
            self.rects += usize::from(c.alpha != 0.0);
            if c.alpha != 0.0 {
                self.stream.push(Some((true, c.rgb, c.alpha.to_bits(), 0)));
            }
            Ok(())
        }
        fn draw_line<S: BackendStyle>(&mut self, _: P, _: P, s: &S) -> Recorded {
            self.lines += self.shape(s, false);
            Ok(())
        }
        fn draw_rect<S: BackendStyle>(&mut self, _: P, _: P, s: &S, fill: bool) -> Recorded {
            self.rects += self.shape(s, fill);
            Ok(())
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = P>>(
            &mut self,
            _: I,
            s: &S,
        ) -> Recorded {
            self.paths += self.shape(s, false);
            Ok(())
        }
        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = P>>(
            &mut self,
            _: I,
            s: &S,
        ) -> Recorded {
            self.polygons += self.shape(s, true);
            Ok(())
        }
        fn draw_circle<S: BackendStyle>(&mut self, _: P, _: u32, s: &S, fill: bool) -> Recorded {
            self.circles += self.shape(s, fill);
            Ok(())
        }
        fn draw_text<S: BackendTextStyle>(&mut self, _: &str, s: &S, _: BackendCoord) -> Recorded {
            if s.color().alpha != 0.0 {
                self.texts += 1;
                self.stream.push(None);
            }
            Ok(())
        }
    }

    fn laid_out(text: &str) -> App {
        let mut app = App::from_text("story.json", text).expect("the story loads");
        crate::render::lay_out(&mut app, 1200.0);
        app
    }

    fn record(app: &App) -> (Recorder, Recorder) {
        let mut network = Recorder::new(1200, 460);
        draw_network(&app.frame(), &mut Pen::new(&mut network, 1.0)).expect("recorded");
        let mut timeline = Recorder::new(1200, 300);
        draw_timeline(&app.frame(), &mut Pen::new(&mut timeline, 1.0)).expect("recorded");
        (network, timeline)
    }

    /// The `Counter` of one picture, "network" or "timeline".
    fn count(app: &App, which: &str) -> Counter {
        let mut counter = Counter::default();
        let drawn = if which == "network" {
            draw_network(&app.frame(), &mut Pen::new(&mut counter, 1.0))
        } else {
            draw_timeline(&app.frame(), &mut Pen::new(&mut counter, 1.0))
        };
        drawn.expect("counted");
        counter
    }

    fn assert_same_as_counted(app: &App) {
        let (network, timeline) = record(app);
        for (recorder, which) in [(&network, "network"), (&timeline, "timeline")] {
            let counter = count(app, which);
            assert_eq!(recorder.line_count(), counter.lines, "{which} lines");
            assert_eq!(recorder.rect_count(), counter.rects, "{which} rects");
            assert_eq!(recorder.circle_count(), counter.circles, "{which} circles");
            assert_eq!(
                recorder.path_count(),
                counter.paths + counter.polygons,
                "{which} paths"
            );
            assert_eq!(recorder.text_count(), counter.texts, "{which} texts");
            // One group per style: no two groups share a paint.
            let paints: std::collections::HashSet<Paint> =
                recorder.shapes.iter().map(|g| g.paint).collect();
            assert_eq!(paints.len(), recorder.shapes.len());
        }
    }

    #[test]
    fn records_every_primitive_of_the_default_story() {
        assert_same_as_counted(&laid_out(crate::DEFAULT_STORY));
    }

    #[test]
    fn records_every_primitive_of_a_generated_story() {
        assert_same_as_counted(&laid_out(&crate::write::generate::generate(60, 400, 1)));
    }

    // A text ends a batching canvas's open path. Drawn between two shapes that would share
    // that path (the outlines of two approximate events and their "~", the lines of two
    // ticks and their labels), it makes two paints of what could be one.
    #[test]
    fn shapes_come_grouped_by_paint_and_no_text_splits_them() {
        for story in [
            crate::DEFAULT_STORY.to_owned(),
            crate::write::generate::generate(60, 400, 1),
        ] {
            let app = laid_out(&story);
            for which in ["network", "timeline"] {
                let counter = count(&app, which);
                assert!(counter.texts > 0 && counter.stream.len() > counter.texts);
                // And the shapes come grouped by paint: a batching canvas paints few more
                // paths than there are paints (this story's time axis took 533 paths for 23
                // paints when each lane's marks came in the data's order).
                let mut paths = counter.stream.clone();
                paths.dedup();
                let paths = paths.iter().flatten().count();
                let paints: std::collections::HashSet<_> =
                    counter.stream.iter().flatten().collect();
                let most = 2 * paints.len();
                assert!(paths <= most, "{which}: {paths} paths, {most} at most");
                let mut before_texts = None;
                for (i, pair) in counter.stream.windows(2).enumerate() {
                    match pair {
                        [Some(shape), None] => before_texts = Some(*shape),
                        [None, Some(shape)] => assert_ne!(
                            before_texts.take(),
                            Some(*shape),
                            "{which}: texts split one paint before primitive {}",
                            i + 1
                        ),
                        _ => {}
                    }
                }
            }
        }
    }

    #[test]
    fn one_line_per_edge_and_one_label_per_placed_name() {
        // A small story, fully in view: every co-participation edge is one line of the edge
        // colour, and every placed name and relation label is one text.
        let app = laid_out(crate::DEFAULT_STORY);
        let (network, _) = record(&app);
        let edge_lines: usize = network
            .shapes
            .iter()
            .filter(|g| {
                !g.paint.is_fill() && g.paint.rgb() == (LIGHT.edge.0, LIGHT.edge.1, LIGHT.edge.2)
            })
            .map(|g| g.lines.len() / 4)
            .sum();
        assert!(!app.graph().edges.is_empty());
        assert_eq!(edge_lines, app.graph().edges.len());
        let names = app.network.labels.iter().flatten().count()
            + app.network.relation_labels.iter().flatten().count();
        assert_eq!(network.text_count(), names);
        assert!(network.circle_count() + network.path_count() >= app.story().actors.len());
        // The background is painted first, so it is the first group.
        assert!(network.shapes[0].paint.is_fill());
        assert_eq!(&network.shapes[0].rects[..4], &[0.0, 0.0, 1200.0, 460.0]);
    }

    #[test]
    fn straight_lines_are_shifted_half_a_pixel_as_on_the_canvas() {
        assert_eq!(crisp((3, 5), (3, 9)), [2.5, 5.0, 2.5, 9.0]);
        assert_eq!(crisp((3, 5), (8, 5)), [3.0, 4.5, 8.0, 4.5]);
        assert_eq!(crisp((0, 0), (4, 3)), [0.0, 0.0, 4.0, 3.0]);
    }
}
