//! Drawing both views through plotters' `DrawingBackend`, so the same code paints the browser
//! canvas and writes SVG natively (tests, static fallbacks).
//!
//! Scenes are in CSS pixels; a [`Pen`] multiplies by the device pixel ratio on the way out, so
//! lines and text are crisp on high-DPI screens without a canvas transform.
//!
//! The drawing paints a [`Frame`] handed to it by the viewer (the story, the placed scenes,
//! the reader's marks and the paint plan), never the viewer itself. Beside it: the batching
//! canvas backend ([`canvas`], wasm only) and a backend that records what is drawn
//! ([`record`], for the benchmarks' replay).
//!
//! May import: [`crate::story`], [`crate::place`].

#[cfg(target_arch = "wasm32")]
pub mod canvas;
#[cfg(feature = "full")]
pub mod record;

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle,
};

use crate::place::network::{NetworkScene, Rect};
use crate::place::text::{AXIS_FONT_PX, FONT_FAMILY, LABEL_FONT_PX, RELATION_FONT_PX, text_width};
use crate::place::timeline::{AXIS_HEIGHT_PX, KeySample, Lane, Mark, MarkKind};
use crate::story::model::{Rgb, Shape};
use std::rc::Rc;

use crate::place::lod::{Emphasis, LaneMarks, NetworkPaint};
use crate::place::timeline::TimelineScene;
use crate::place::{Hover, Target};
use crate::story::model::Story;

/// What one paint reads, handed to the drawing by the viewer ([`crate::view::App::frame`]):
/// the story, the placed scenes, what the reader selected, hovers and focuses, and the paint
/// plan. The drawing reads nothing else: it never sees the viewer itself.
pub struct Frame<'a> {
    pub story: &'a Story,
    pub network: &'a NetworkScene,
    pub timeline: &'a TimelineScene,
    pub emphasis: Emphasis<'a>,
    /// The selected actors.
    pub selected: &'a [usize],
    /// The time window, seconds.
    pub window: Option<(i64, i64)>,
    pub hover: Option<Hover>,
    /// Where the keyboard is: its canvas, and the actor and the event it rests on.
    pub keyboard: (Option<Target>, Option<usize>, Option<usize>),
    pub dark: bool,
    /// The paint plan, asked only for what a paint draws: a hover's rings need none of it.
    pub plan: &'a dyn Plan,
}

/// What the next paints draw, worked out once per picture and kept between frames by the
/// viewer ([`crate::view::plan`]).
pub trait Plan {
    /// The network's ties and node groups. Asked only once the network is placed.
    fn network_paint(&self) -> Rc<NetworkPaint>;
    /// Each lane's visible marks and density strip (empty before the axis is placed).
    fn lane_marks(&self) -> Rc<LaneMarks>;
}

/// The colours of everything that is not data: light and dark, both with AA contrast for text.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub background: Rgb,
    pub ink: Rgb,
    pub muted: Rgb,
    pub edge: Rgb,
    pub relation: Rgb,
    pub grid: Rgb,
    pub grid_major: Rgb,
    pub lane_shade: Rgb,
    pub window_shade: Rgb,
    /// The keyboard focus ring.
    pub focus: Rgb,
}

pub const LIGHT: Theme = Theme {
    background: Rgb(0xff, 0xff, 0xff),
    ink: Rgb(0x1b, 0x1b, 0x1b),
    muted: Rgb(0x5a, 0x5a, 0x5a),
    edge: Rgb(0x9a, 0x9a, 0x9a),
    relation: Rgb(0x6a, 0x3d, 0x9a),
    grid: Rgb(0xe4, 0xe4, 0xe4),
    grid_major: Rgb(0xbd, 0xbd, 0xbd),
    lane_shade: Rgb(0xf5, 0xf5, 0xf3),
    window_shade: Rgb(0xff, 0xe9, 0xa8),
    focus: Rgb(0x0b, 0x57, 0xd0),
};

pub const DARK: Theme = Theme {
    background: Rgb(0x17, 0x18, 0x1b),
    ink: Rgb(0xec, 0xec, 0xec),
    muted: Rgb(0xb4, 0xb4, 0xb4),
    edge: Rgb(0x74, 0x76, 0x7c),
    relation: Rgb(0xc3, 0xa6, 0xf0),
    grid: Rgb(0x2c, 0x2e, 0x33),
    grid_major: Rgb(0x4a, 0x4d, 0x55),
    lane_shade: Rgb(0x1f, 0x21, 0x25),
    window_shade: Rgb(0x6b, 0x5a, 0x1e),
    focus: Rgb(0x8a, 0xb4, 0xf8),
};

fn theme(f: &Frame) -> &'static Theme {
    if f.dark { &DARK } else { &LIGHT }
}

/// Opacity of what is not emphasised while something is.
const DIM: f64 = 0.18;

struct Stroke {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

struct Font {
    color: BackendColor,
    size_px: f64,
    style: FontStyle,
    anchor: Pos,
}

impl BackendTextStyle for Font {
    type FontError = std::fmt::Error;

    fn color(&self) -> BackendColor {
        self.color
    }
    fn size(&self) -> f64 {
        self.size_px
    }
    fn style(&self) -> FontStyle {
        self.style
    }
    fn anchor(&self) -> Pos {
        self.anchor
    }
    fn family(&self) -> FontFamily<'_> {
        FontFamily::Name(FONT_FAMILY)
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        let w = text_width(text, self.size_px).ceil() as i32;
        Ok(((0, 0), (w, self.size_px.ceil() as i32)))
    }
    /// Canvas and SVG draw text natively; rasterising glyphs ourselves is not needed there.
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        Ok(Ok(()))
    }
}

fn color(rgb: Rgb, alpha: f64) -> BackendColor {
    BackendColor {
        alpha,
        rgb: (rgb.0, rgb.1, rgb.2),
    }
}

/// Draws in CSS pixels onto a backend measured in device pixels.
pub struct Pen<'a, DB: DrawingBackend> {
    db: &'a mut DB,
    scale: f64,
    /// Where the scene's top-left corner goes, CSS px (several scenes can share one backend).
    origin: (f64, f64),
    /// Factor on font sizes, for backends that write sizes in other units.
    text_scale: f64,
}

/// The nearest whole pixel, halves up. `f64::round` is a library call in wasm, made for
/// every point of every shape; `floor` is one instruction.
fn nearest(v: f64) -> i32 {
    (v + 0.5).floor() as i32
}

type Drawn<DB> = Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

impl<'a, DB: DrawingBackend> Pen<'a, DB> {
    pub fn new(db: &'a mut DB, device_pixel_ratio: f64) -> Self {
        let scale = if device_pixel_ratio.is_finite() && device_pixel_ratio > 0.0 {
            device_pixel_ratio
        } else {
            1.0
        };
        Pen {
            db,
            scale,
            origin: (0.0, 0.0),
            text_scale: 1.0,
        }
    }

    /// plotters' SVG backend writes `font-size` as the size divided by 1.24; this undoes it.
    pub fn for_svg(mut self) -> Self {
        self.text_scale = 1.24;
        self
    }

    /// Draws the next scene with its top-left corner at `origin` (CSS px).
    pub fn at(mut self, origin: (f64, f64)) -> Self {
        self.origin = origin;
        self
    }

    fn p(&self, x: f64, y: f64) -> BackendCoord {
        (
            nearest((x + self.origin.0) * self.scale),
            nearest((y + self.origin.1) * self.scale),
        )
    }

    fn stroke(&self, rgb: Rgb, alpha: f64, width_px: f64) -> Stroke {
        Stroke {
            color: color(rgb, alpha),
            width: nearest(width_px * self.scale).max(1) as u32,
        }
    }

    fn line(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        rgb: Rgb,
        alpha: f64,
        width: f64,
    ) -> Drawn<DB> {
        let style = self.stroke(rgb, alpha, width);
        self.db
            .draw_line(self.p(from.0, from.1), self.p(to.0, to.1), &style)
    }

    /// A dashed line as short segments: backends have no dash style of their own.
    fn dashed(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        rgb: Rgb,
        alpha: f64,
        width: f64,
        dash: f64,
    ) -> Drawn<DB> {
        let len = (to.0 - from.0).hypot(to.1 - from.1);
        if len < 1e-6 {
            return Ok(());
        }
        let (ux, uy) = ((to.0 - from.0) / len, (to.1 - from.1) / len);
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            self.line(
                (from.0 + ux * t, from.1 + uy * t),
                (from.0 + ux * e, from.1 + uy * e),
                rgb,
                alpha,
                width,
            )?;
            t += dash * 2.0;
        }
        Ok(())
    }

    fn rect(&mut self, r: Rect, rgb: Rgb, alpha: f64, fill: bool) -> Drawn<DB> {
        let style = self.stroke(rgb, alpha, 1.0);
        self.db
            .draw_rect(self.p(r.x, r.y), self.p(r.x + r.w, r.y + r.h), &style, fill)
    }

    fn dashed_rect(&mut self, r: Rect, rgb: Rgb, alpha: f64) -> Drawn<DB> {
        let (x0, y0, x1, y1) = (r.x, r.y, r.x + r.w, r.y + r.h);
        self.dashed((x0, y0), (x1, y0), rgb, alpha, 1.0, 3.0)?;
        self.dashed((x0, y1), (x1, y1), rgb, alpha, 1.0, 3.0)?;
        self.line((x0, y0), (x0, y1), rgb, alpha, 1.0)?;
        self.line((x1, y0), (x1, y1), rgb, alpha, 1.0)
    }

    fn circle(
        &mut self,
        c: (f64, f64),
        r: f64,
        rgb: Rgb,
        alpha: f64,
        fill: bool,
        width: f64,
    ) -> Drawn<DB> {
        let style = self.stroke(rgb, alpha, width);
        let radius = nearest(r * self.scale).max(1) as u32;
        self.db.draw_circle(self.p(c.0, c.1), radius, &style, fill)
    }

    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        text: &str,
        at: (f64, f64),
        size: f64,
        rgb: Rgb,
        alpha: f64,
        style: FontStyle,
        anchor: (HPos, VPos),
    ) -> Drawn<DB> {
        let font = Font {
            color: color(rgb, alpha),
            size_px: size * self.scale * self.text_scale,
            style,
            anchor: Pos::new(anchor.0, anchor.1),
        };
        self.db.draw_text(text, &font, self.p(at.0, at.1))
    }

    fn polygon(
        &mut self,
        points: &[(f64, f64)],
        rgb: Rgb,
        alpha: f64,
        fill: bool,
        width: f64,
    ) -> Drawn<DB> {
        let style = self.stroke(rgb, alpha, width);
        let mapped: Vec<BackendCoord> = points.iter().map(|&(x, y)| self.p(x, y)).collect();
        if fill {
            self.db.fill_polygon(mapped, &style)
        } else {
            let closed = mapped.iter().chain(mapped.first()).copied();
            self.db.draw_path(closed, &style)
        }
    }

    /// A node of the given shape, about as large as a circle of radius `r`.
    #[allow(clippy::too_many_arguments)]
    fn shape(
        &mut self,
        shape: Shape,
        c: (f64, f64),
        r: f64,
        rgb: Rgb,
        alpha: f64,
        fill: bool,
        width: f64,
    ) -> Drawn<DB> {
        if shape == Shape::Circle {
            return self.circle(c, r, rgb, alpha, fill, width);
        }
        // A big network draws thousands of these a frame: the unit outlines are worked out
        // once, not with a sine and a cosine per corner per node.
        let unit = unit_outline(shape);
        let mut points = [(0.0, 0.0); 10];
        for (p, &(x, y)) in points.iter_mut().zip(unit) {
            *p = (c.0 + r * x, c.1 + r * y);
        }
        let points = &points[..unit.len()];
        self.polygon(points, rgb, alpha, fill, width)
    }

    fn clear(&mut self, width: f64, height: f64, background: Rgb) -> Drawn<DB> {
        self.rect(
            Rect {
                x: 0.0,
                y: 0.0,
                w: width,
                h: height,
            },
            background,
            1.0,
            true,
        )
    }
}

/// The corners of a node's shape around (0, 0) for a radius of 1, sized to look about as
/// large as a circle of that radius (circles have none).
fn unit_outline(shape: Shape) -> &'static [(f64, f64)] {
    use crate::place::network::{around, turn};
    static OUTLINES: std::sync::OnceLock<[Vec<(f64, f64)>; 5]> = std::sync::OnceLock::new();
    // `n` corners `radius` out, the first at `start`, `step` apart.
    let corners = |n: usize, radius: f64, start: (f64, f64), step: (f64, f64)| {
        around(start, step, n)
            .map(|(c, s)| (radius * c, radius * s))
            .collect::<Vec<_>>()
    };
    let outlines = OUTLINES.get_or_init(|| {
        let star = corners(5, 1.4, turn::DEG_MINUS_90, turn::DEG_72)
            .into_iter()
            .zip(corners(5, 0.62, turn::DEG_MINUS_54, turn::DEG_72))
            .flat_map(|(o, i)| [o, i])
            .collect();
        [
            corners(4, 1.25, turn::DEG_45, turn::DEG_90),
            corners(3, 1.35, turn::DEG_MINUS_90, turn::DEG_120),
            corners(4, 1.25, (1.0, 0.0), turn::DEG_90),
            corners(6, 1.08, (1.0, 0.0), turn::DEG_60),
            star,
        ]
    });
    match shape {
        Shape::Circle => &[],
        Shape::Square => &outlines[0],
        Shape::Triangle => &outlines[1],
        Shape::Diamond => &outlines[2],
        Shape::Hexagon => &outlines[3],
        Shape::Star => &outlines[4],
    }
}

/// Paints the network: co-participation edges, relations (dashed), nodes, labels.
///
/// Elements are drawn grouped by style (dim before bright), so a batching backend paints each
/// group in one call; off-screen elements are skipped and a crowded picture keeps only its
/// strongest ties (see [`crate::place::lod`]), saying so in a caption.
pub fn draw_network<DB: DrawingBackend>(f: &Frame, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(f);
    let scene = &f.network;
    pen.clear(scene.width, scene.height, t.background)?;
    // Not placed yet (no size): nothing to draw but the background.
    if scene.x.len() != f.story.actors.len() {
        return Ok(());
    }
    let shown = |a: usize| scene.is_shown(a);
    const LEVEL_ALPHA: [f64; 3] = [1.0, DIM, DIM * 0.6];
    let emphasis = |a: usize| LEVEL_ALPHA[f.emphasis.level(a)];
    let at = |a: usize| (scene.x[a], scene.y[a]);
    let crosses = |a, b| {
        crate::place::network::beyond(scene, a) & crate::place::network::beyond(scene, b) == 0
    };
    let paint = f.plan.network_paint();
    const WIDTHS: usize = crate::place::lod::TIE_WIDTHS;
    // Many ties: one-pixel lines (which canvases draw far faster than wide ones), the weight
    // told by opacity instead of width, so a dense network is not a grey slab.
    let hairlines = paint.ties.drawn() > crate::place::lod::WIDE_EDGES_MAX;
    for lvl in (0..3).rev() {
        for class in 0..WIDTHS {
            let (alpha, width) = if hairlines {
                let weight = 0.3 + 0.7 * class as f64 / (WIDTHS - 1) as f64;
                (0.6 * LEVEL_ALPHA[lvl] * weight, 1.0)
            } else {
                (0.6 * LEVEL_ALPHA[lvl], (1.0 + 1.2 * class as f64).min(6.0))
            };
            for &(a, b) in &paint.ties.buckets[lvl * WIDTHS + class] {
                pen.line(at(a as usize), at(b as usize), t.edge, alpha, width)?;
            }
        }
    }
    let relations: Vec<usize> = (0..f.story.relations.len())
        .filter(|&k| {
            let r = &f.story.relations[k];
            shown(r.from) && shown(r.to) && crosses(at(r.from), at(r.to))
        })
        .collect();
    // Dashes are drawn as short segments: past a few hundred relations, solid hairlines.
    let dashed = relations.len() <= crate::place::lod::DASHED_RELATIONS_MAX;
    let alpha = |r: &crate::story::model::Relation| 0.9 * emphasis(r.from).min(emphasis(r.to));
    for &k in &relations {
        let r = &f.story.relations[k];
        if dashed {
            pen.dashed(at(r.from), at(r.to), t.relation, alpha(r), 1.5, 4.0)?;
        } else {
            pen.line(at(r.from), at(r.to), t.relation, alpha(r), 1.0)?;
        }
    }
    // Labels over all the lines, their backgrounds before their texts: a text between two
    // lines would end the lines' path (and a line drawn later would cross an earlier label).
    let labelled: Vec<(&crate::story::model::Relation, Rect)> = relations
        .iter()
        .filter_map(|&k| {
            let label = scene.relation_labels.get(k).copied().flatten()?;
            Some((&f.story.relations[k], label.rect))
        })
        .collect();
    for &(r, rect) in &labelled {
        pen.rect(rect, t.background, 0.85 * alpha(r), true)?;
    }
    for &(r, rect) in &labelled {
        let mid = (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0);
        pen.text(
            &r.label,
            mid,
            RELATION_FONT_PX,
            t.relation,
            alpha(r),
            FontStyle::Italic,
            (HPos::Center, VPos::Center),
        )?;
    }
    draw_nodes(f, pen, t, &paint, &LEVEL_ALPHA)?;
    draw_node_labels(f, pen, t, &emphasis)?;
    let left_out = paint.ties.left_out;
    if left_out > 0 {
        let drawn = paint.ties.drawn();
        let caption = format!(
            "Showing the {} strongest of {} ties here; zoom in for the rest",
            grouped(drawn),
            grouped(drawn + left_out)
        );
        let w = text_width(&caption, AXIS_FONT_PX) + 8.0;
        let r = Rect {
            x: 4.0,
            y: scene.height - 20.0,
            w,
            h: 16.0,
        };
        pen.rect(r, t.background, 0.85, true)?;
        pen.text(
            &caption,
            (r.x + 4.0, r.y + r.h / 2.0),
            AXIS_FONT_PX,
            t.muted,
            1.0,
            FontStyle::Normal,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

/// The nodes in the groups `paint` found (dim first), fills then outlines per group, then the
/// rings of the selection on top of everything.
fn draw_nodes<DB: DrawingBackend>(
    f: &Frame,
    pen: &mut Pen<DB>,
    t: &Theme,
    paint: &crate::place::lod::NetworkPaint,
    level_alpha: &[f64; 3],
) -> Drawn<DB> {
    let scene = &f.network;
    let on_screen = paint.nodes_on_screen();
    let crowded = on_screen > crate::place::lod::CROWDED_NODES;
    let at = |a: usize| (scene.x[a], scene.y[a]);
    for group in &paint.nodes {
        let (rgb, shape) = (group.color, group.shape);
        let alpha = level_alpha[group.level];
        for a in group.members.iter().map(|&a| a as usize) {
            let r = scene.radius[a];
            // A few pixels across, or packed by the thousand, a shape cannot be told from a
            // square: the square is the cheapest thing a canvas fills, and the colour still
            // tells the group.
            if crowded || r < crate::place::lod::TINY_NODE_PX {
                let rect = Rect {
                    x: scene.x[a] - r,
                    y: scene.y[a] - r,
                    w: 2.0 * r,
                    h: 2.0 * r,
                };
                pen.rect(rect, rgb, alpha, true)?;
            } else {
                pen.shape(shape, at(a), r, rgb, alpha, true, 1.0)?;
            }
        }
        if !crowded {
            for a in group
                .members
                .iter()
                .map(|&a| a as usize)
                .filter(|&a| scene.radius[a] >= crate::place::lod::TINY_NODE_PX)
            {
                pen.shape(
                    shape,
                    at(a),
                    scene.radius[a],
                    t.background,
                    alpha,
                    false,
                    1.5,
                )?;
            }
        }
    }
    for &a in f.selected {
        if scene.on_screen(a) {
            pen.circle(at(a), scene.radius[a] + 4.5, t.ink, 1.0, false, 2.5)?;
        }
    }
    Ok(())
}

/// The marks of the pointer and the keyboard over the network: a ring around the actor
/// under the pointer and the keyboard's focus ring. In the browser they go on a transparent
/// layer above the picture, so moving them repaints a few rings, not the whole network.
pub fn draw_network_marks<DB: DrawingBackend>(f: &Frame, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(f);
    let scene = &f.network;
    if scene.x.len() != f.story.actors.len() {
        return Ok(());
    }
    let at = |a: usize| (scene.x[a], scene.y[a]);
    let shown = |a: usize| a < scene.x.len() && scene.is_shown(a);
    if let Some(Hover::Actor(a)) = f.hover
        && shown(a)
    {
        pen.circle(at(a), scene.radius[a] + 3.0, t.ink, 0.8, false, 1.5)?;
    }
    if let (Some(Target::Network), Some(a)) = (f.keyboard.0, f.keyboard.1)
        && shown(a)
    {
        pen.circle(at(a), scene.radius[a] + 8.0, t.focus, 1.0, false, 3.0)?;
    }
    Ok(())
}

/// Names: their backgrounds in one batch, then the texts.
fn draw_node_labels<DB: DrawingBackend>(
    f: &Frame,
    pen: &mut Pen<DB>,
    t: &Theme,
    emphasis: &dyn Fn(usize) -> f64,
) -> Drawn<DB> {
    let scene = &f.network;
    let shown = |a: usize| scene.is_shown(a);
    let labelled: Vec<(usize, Rect)> = (0..scene.x.len())
        .filter(|&a| shown(a))
        .filter_map(|a| Some((a, scene.labels.get(a).copied().flatten()?.rect)))
        .collect();
    for &(_, rect) in &labelled {
        pen.rect(rect, t.background, 0.8, true)?;
    }
    for &(a, rect) in &labelled {
        let style = if f.selected.contains(&a) {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        pen.text(
            &f.story.actors[a].name,
            (rect.x, rect.y + rect.h / 2.0),
            LABEL_FONT_PX,
            t.ink,
            emphasis(a).max(0.35),
            style,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

/// A count with thousands separated, as a caption reads it: 21,682.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Paints the time axis: ticks, lanes, links between an event's lanes, marks and a key.
pub fn draw_timeline<DB: DrawingBackend>(f: &Frame, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(f);
    let scene = &f.timeline;
    let d = &f.emphasis;
    pen.clear(scene.width, scene.height, t.background)?;
    let Some(scale) = scene.scale else {
        return pen.text(
            "No dated events",
            (scene.width / 2.0, AXIS_HEIGHT_PX + 20.0),
            AXIS_FONT_PX,
            t.muted,
            1.0,
            FontStyle::Normal,
            (HPos::Center, VPos::Center),
        );
    };
    let lanes_bottom = scene
        .lanes
        .last()
        .map_or(AXIS_HEIGHT_PX, |l| l.y + l.height);
    for (i, lane) in scene.lanes.iter().enumerate() {
        if i % 2 == 0 {
            pen.rect(
                Rect {
                    x: 0.0,
                    y: lane.y,
                    w: scene.width,
                    h: lane.height,
                },
                t.lane_shade,
                1.0,
                true,
            )?;
        }
    }
    if let Some((start_secs, end_secs)) = f.window {
        let x0 = scale.x(start_secs as f64).max(scale.x0);
        let x1 = scale.x(end_secs as f64).min(scale.x1);
        if x1 > x0 {
            pen.rect(
                Rect {
                    x: x0,
                    y: AXIS_HEIGHT_PX,
                    w: x1 - x0,
                    h: lanes_bottom - AXIS_HEIGHT_PX,
                },
                t.window_shade,
                0.45,
                true,
            )?;
            // Handles on the edges say they can be dragged.
            for x in [x0, x1] {
                pen.line((x, AXIS_HEIGHT_PX), (x, lanes_bottom), t.ink, 0.7, 1.5)?;
                let mid = (AXIS_HEIGHT_PX + lanes_bottom) / 2.0;
                let grip = Rect {
                    x: x - 3.0,
                    y: mid - 10.0,
                    w: 6.0,
                    h: 20.0,
                };
                pen.rect(grip, t.background, 1.0, true)?;
                pen.rect(grip, t.ink, 0.8, false)?;
            }
        }
    }
    for &minor in &scene.minor {
        let x = scale.x(minor as f64);
        pen.line((x, AXIS_HEIGHT_PX), (x, lanes_bottom), t.grid, 0.6, 1.0)?;
    }
    // Lines, then labels: a text between two lines would end their path.
    for tick in &scene.ticks {
        let x = scale.x(tick.secs as f64);
        let rgb = if tick.major { t.grid_major } else { t.grid };
        pen.line((x, AXIS_HEIGHT_PX - 5.0), (x, lanes_bottom), rgb, 1.0, 1.0)?;
    }
    pen.line(
        (scene.label_width, AXIS_HEIGHT_PX),
        (scene.width, AXIS_HEIGHT_PX),
        t.grid_major,
        1.0,
        1.0,
    )?;
    for tick in &scene.ticks {
        let x = scale.x(tick.secs as f64);
        let half = text_width(&tick.label, AXIS_FONT_PX) / 2.0;
        // Keep the first and last labels on the canvas.
        let cx = crate::place::network::clamp(
            x,
            scale.x0.min(x) + half.min(x - scene.label_width),
            scene.width - half - 2.0,
        );
        pen.text(
            &tick.label,
            (cx, AXIS_HEIGHT_PX - 9.0),
            AXIS_FONT_PX,
            t.muted,
            1.0,
            FontStyle::Normal,
            (HPos::Center, VPos::Bottom),
        )?;
    }
    let lane_rgb = |lane: &Lane| lane_color(f, t, lane);
    // A lane's marker and name fade when its actor has no event in view.
    let lane_alpha = |lane: &Lane| {
        lane.actor
            .map_or(1.0, |a| if d.visible_actors[a] { 1.0 } else { 0.35 })
    };
    for lane in &scene.lanes {
        let mid = lane.y + lane.height / 2.0;
        let shape = lane.actor.map_or(Shape::Circle, |a| f.story.actor_shape(a));
        pen.shape(
            shape,
            (10.0, mid),
            4.0,
            lane_rgb(lane),
            lane_alpha(lane),
            true,
            1.0,
        )?;
    }
    for lane in &scene.lanes {
        let mid = lane.y + lane.height / 2.0;
        let alpha = lane_alpha(lane);
        let style = match lane.actor {
            Some(a) if f.selected.contains(&a) => FontStyle::Bold,
            _ => FontStyle::Normal,
        };
        pen.text(
            &lane.label,
            (19.0, mid),
            AXIS_FONT_PX,
            t.ink,
            alpha,
            style,
            (HPos::Left, VPos::Center),
        )?;
    }
    let focus = f.emphasis.focused;
    let event_alpha = |e: usize| f.emphasis.event_alpha(e);
    let lanes = f.plan.lane_marks();
    let (crowded, strips) = (&lanes.crowded, &lanes.strips);
    // Links between an event's lanes, where its marks are drawn one by one and few enough
    // that the lines can be told apart.
    let sparse = crowded.iter().all(|c| !c);
    let visible_events = d.visible_event_count;
    // Past the limit only the focused event's link is drawn: no walk over every event.
    let all = sparse && visible_events <= LINKS_MAX;
    let every = if all { scene.links.len() } else { 0 };
    for e in (0..every).chain(focus.filter(|_| !all)) {
        let Some(&Some((x, top, bottom))) = scene.links.get(e) else {
            continue;
        };
        if d.visible_events[e] && bottom > top {
            pen.line((x, top), (x, bottom), t.muted, 0.55 * event_alpha(e), 1.0)?;
        }
    }
    // Lanes never overlap, so what they draw is painted across lanes, grouped by look: each
    // look then takes one path, not one per lane or per change of certainty in a lane. First
    // the density strips, by colour and shade.
    let mut shaded: Vec<(Rgb, &Lane, &[crate::place::lod::Run])> = scene
        .lanes
        .iter()
        .zip(strips)
        .filter_map(|(lane, strip)| Some((lane_rgb(lane), lane, strip.as_deref()?)))
        .collect();
    crate::story::order::sort_by_keys(&mut shaded, |(rgb, ..)| [Rgb::key(*rgb), 0, 0]);
    for level in 1..=crate::place::lod::LEVELS {
        for &(rgb, lane, runs) in &shaded {
            let (top, h) = (lane.y + 3.0, lane.height - 6.0);
            for r in runs.iter().filter(|r| r.level == level) {
                let rect = Rect {
                    x: r.x0,
                    y: top,
                    w: r.x1 - r.x0,
                    h,
                };
                pen.rect(rect, rgb, crate::place::lod::level_alpha(level), true)?;
            }
        }
    }
    // Then the marks drawn one by one, in the order `lane_marks` found: kind by kind (widest
    // first), here pass by pass.
    for kind in crate::place::lod::MARK_KINDS {
        for pass in Pass::ALL {
            for &(m, lane) in &lanes.singles {
                let (m, lane) = (&scene.marks[m as usize], &scene.lanes[lane as usize]);
                if m.kind == kind {
                    draw_mark(f, pen, m, lane_rgb(lane), event_alpha(m.event), pass)?;
                }
            }
        }
    }
    if strips.iter().flatten().any(|runs| !runs.is_empty()) {
        let note = "Shaded strips: many events, darker where more";
        pen.text(
            note,
            (scene.width - 4.0, scene.height - 10.0),
            AXIS_FONT_PX,
            t.muted,
            1.0,
            FontStyle::Normal,
            (HPos::Right, VPos::Center),
        )?;
    }
    draw_key(pen, t, &scene.key)
}

/// The marks of the pointer and the keyboard on the time axis: a ring around each mark of the
/// event under the pointer, the keyboard's focus ring around the keyboard's event, and in a
/// density strip the mark itself. In the browser they go on a transparent layer above the
/// picture, so moving them repaints a few rings, not every lane.
pub fn draw_timeline_marks<DB: DrawingBackend>(f: &Frame, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(f);
    let scene = &f.timeline;
    if scene.scale.is_none() {
        return Ok(());
    }
    let lanes = f.plan.lane_marks();
    let hovered = match f.hover {
        Some(Hover::Event(e)) => Some(e),
        _ => None,
    };
    let keyboard = match f.keyboard.0 {
        Some(Target::Timeline) => f.keyboard.2,
        _ => None,
    };
    for (e, by_keyboard) in [(hovered, false), (keyboard, true)] {
        let Some(actors) = e.and_then(|e| f.story.events.get(e)).map(|ev| &ev.actors) else {
            continue;
        };
        for (k, lane) in scene.lanes.iter().enumerate() {
            // A lane of its own actor's events only (the last lane gathers the rest).
            if lane.actor.is_some_and(|a| !actors.contains(&a)) {
                continue;
            }
            let crowded = lanes.crowded.get(k).copied().unwrap_or(false);
            let rgb = lane_color(f, t, lane);
            let marks = lanes.visible.get(k).map_or(&[][..], |v| &v[..]);
            for m in marks.iter().map(|&i| &scene.marks[i as usize]) {
                if Some(m.event) != e {
                    continue;
                }
                // A strip shows densities, not marks: the one pointed at is drawn here.
                if crowded && f.emphasis.focused != Some(m.event) {
                    let alpha = f.emphasis.event_alpha(m.event);
                    for pass in Pass::ALL {
                        draw_mark(f, pen, m, rgb, alpha, pass)?;
                    }
                }
                mark_ring(pen, t, m, by_keyboard)?;
            }
        }
    }
    Ok(())
}

/// A lane's colour: its actor's, or muted for the lane shared by the rest.
fn lane_color(f: &Frame, t: &Theme, lane: &Lane) -> Rgb {
    lane.actor.map_or(t.muted, |a| f.story.actor_color(a))
}

/// Links between an event's marks are drawn up to this many visible events.
const LINKS_MAX: usize = 1500;

/// Marks are painted in passes (all fills, all outlines, then each glyph) so a batching
/// backend merges each pass into few calls: a text between two outlines would end the
/// outlines' path, and a glyph of the other kind would set the font again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Fill,
    Outline,
    /// "~" before an approximate date's mark.
    Approximate,
    /// "?" after an uncertain date's mark.
    Uncertain,
}

impl Pass {
    const ALL: [Pass; 4] = [
        Pass::Fill,
        Pass::Outline,
        Pass::Approximate,
        Pass::Uncertain,
    ];
}

fn draw_mark<DB: DrawingBackend>(
    f: &Frame,
    pen: &mut Pen<DB>,
    m: &Mark,
    rgb: Rgb,
    alpha: f64,
    pass: Pass,
) -> Drawn<DB> {
    let t = theme(f);
    let when = &f.story.events[m.event].when;
    // An uncertain span reads as "somewhere in here": lighter than what is known.
    let shape_alpha = if when.uncertain && m.kind != MarkKind::Point {
        alpha * 0.6
    } else {
        alpha
    };
    let shape = (m.x0, m.x1, m.y);
    match pass {
        Pass::Fill => mark_fill(pen, t, m.kind, shape, rgb, shape_alpha, when.approximate),
        Pass::Outline => {
            mark_outline(pen, m.kind, shape, rgb, shape_alpha, when.approximate)?;
            if f.emphasis.focused == Some(m.event) {
                mark_ring(pen, t, m, false)?;
            }
            Ok(())
        }
        Pass::Approximate if when.approximate => pen.text(
            "~",
            (m.x0 - 6.0, m.y),
            AXIS_FONT_PX + 1.0,
            t.ink,
            alpha,
            FontStyle::Bold,
            (HPos::Right, VPos::Center),
        ),
        Pass::Uncertain if when.uncertain => {
            let x = if m.kind == MarkKind::Point {
                m.x0 + 7.0
            } else {
                m.x1 + 3.0
            };
            pen.text(
                "?",
                (x, m.y),
                AXIS_FONT_PX,
                t.ink,
                alpha,
                FontStyle::Bold,
                (HPos::Left, VPos::Center),
            )
        }
        Pass::Approximate | Pass::Uncertain => Ok(()),
    }
}

/// A ring around a mark: the focused event's in ink; the keyboard's in the focus colour and
/// wider, so it shows beside the focused one.
fn mark_ring<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    t: &Theme,
    m: &Mark,
    keyboard: bool,
) -> Drawn<DB> {
    // The keyboard's ring is in the focus colour and wider, so it shows beside a selection.
    let (rgb, pad, width) = if keyboard {
        (t.focus, 4.5, 2.5)
    } else {
        (t.ink, 2.5, 2.0)
    };
    match m.kind {
        MarkKind::Point => pen.circle(
            (m.x0, m.y),
            Mark::POINT_RADIUS_PX + pad,
            rgb,
            1.0,
            false,
            width,
        )?,
        _ => {
            let r = Rect {
                x: m.x0 - pad,
                y: m.y - 3.5 - pad,
                w: m.x1 - m.x0 + 2.0 * pad,
                h: 7.0 + 2.0 * pad,
            };
            pen.rect(r, rgb, 1.0, false)?;
            if keyboard {
                let inner = Rect {
                    x: r.x + 1.0,
                    y: r.y + 1.0,
                    w: r.w - 2.0,
                    h: r.h - 2.0,
                };
                pen.rect(inner, rgb, 1.0, false)?;
            }
        }
    }
    Ok(())
}

/// The shape alone: shared by the marks and the key, so the key shows exactly what is drawn.
fn mark_shape<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    t: &Theme,
    kind: MarkKind,
    shape: (f64, f64, f64),
    rgb: Rgb,
    alpha: f64,
    approximate: bool,
) -> Drawn<DB> {
    mark_fill(pen, t, kind, shape, rgb, alpha, approximate)?;
    mark_outline(pen, kind, shape, rgb, alpha, approximate)
}

/// The box of a span mark.
fn span_rect(kind: MarkKind, (x0, x1, y): (f64, f64, f64)) -> Rect {
    let half = if kind == MarkKind::Band { 4.5 } else { 3.5 };
    Rect {
        x: x0,
        y: y - half,
        w: x1 - x0,
        h: 2.0 * half,
    }
}

/// The inside of a mark: a dot, a band's tint, a bar.
fn mark_fill<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    t: &Theme,
    kind: MarkKind,
    shape: (f64, f64, f64),
    rgb: Rgb,
    alpha: f64,
    approximate: bool,
) -> Drawn<DB> {
    let (x0, _, y) = shape;
    match kind {
        MarkKind::Point if approximate => pen.circle(
            (x0, y),
            Mark::POINT_RADIUS_PX,
            t.background,
            alpha,
            true,
            1.0,
        ),
        MarkKind::Point => pen.circle((x0, y), Mark::POINT_RADIUS_PX, rgb, alpha, true, 1.0),
        MarkKind::Band => pen.rect(span_rect(kind, shape), rgb, 0.22 * alpha, true),
        MarkKind::Bar => {
            let a = if approximate { 0.5 } else { 0.9 };
            pen.rect(span_rect(kind, shape), rgb, a * alpha, true)
        }
    }
}

/// The edge of a mark: a ring for an approximate day, a frame (dashed when approximate).
fn mark_outline<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    kind: MarkKind,
    shape: (f64, f64, f64),
    rgb: Rgb,
    alpha: f64,
    approximate: bool,
) -> Drawn<DB> {
    let (x0, _, y) = shape;
    match kind {
        MarkKind::Point if approximate => {
            pen.circle((x0, y), Mark::POINT_RADIUS_PX - 0.5, rgb, alpha, false, 2.0)
        }
        MarkKind::Point => Ok(()),
        _ if approximate => pen.dashed_rect(span_rect(kind, shape), rgb, alpha),
        MarkKind::Band => pen.rect(span_rect(kind, shape), rgb, alpha, false),
        MarkKind::Bar => Ok(()),
    }
}

/// The key to the marks, drawn with the same shapes as the marks themselves.
fn draw_key<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    t: &Theme,
    key: &[crate::place::timeline::KeyItem],
) -> Drawn<DB> {
    for k in key {
        let (x, y) = (k.x, k.y);
        let w = k.sample.width();
        match k.sample {
            KeySample::Mark(MarkKind::Point) => mark_shape(
                pen,
                t,
                MarkKind::Point,
                (x + 5.0, x + 5.0, y),
                t.muted,
                1.0,
                false,
            )?,
            KeySample::Mark(kind) => mark_shape(pen, t, kind, (x, x + w, y), t.muted, 1.0, false)?,
            KeySample::Glyph(g) => pen.text(
                g,
                (x + 4.0, y),
                AXIS_FONT_PX + 1.0,
                t.ink,
                1.0,
                FontStyle::Bold,
                (HPos::Center, VPos::Center),
            )?,
        }
        pen.text(
            k.label,
            (x + w + 4.0, y),
            AXIS_FONT_PX,
            t.muted,
            1.0,
            FontStyle::Normal,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}
