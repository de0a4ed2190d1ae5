//! Drawing both views through plotters' `DrawingBackend`, so the same code paints the browser
//! canvas and writes SVG natively (tests, static fallbacks).
//!
//! Scenes are in CSS pixels; a [`Pen`] multiplies by the device pixel ratio on the way out, so
//! lines and text are crisp on high-DPI screens without a canvas transform.
//!
//! Beside the drawing code: the batching canvas backend ([`canvas`], wasm only), a backend that
//! records what is drawn ([`record`], for the benchmarks' replay), and static pictures of a
//! whole story as SVG, PNG or text ([`render`]).
//!
//! May import: [`crate::story`], [`crate::place`], and the viewer's state in [`crate::view`]
//! (what is selected, hovered and focused; a paint plan handed to the drawing is issue 16's
//! next step).

#[cfg(target_arch = "wasm32")]
pub mod canvas;
#[cfg(feature = "full")]
pub mod record;
pub mod render;

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle,
};

use crate::place::network::{NetworkScene, Rect};
use crate::place::text::{AXIS_FONT_PX, FONT_FAMILY, LABEL_FONT_PX, RELATION_FONT_PX, text_width};
use crate::place::timeline::{
    AXIS_HEIGHT_PX, KeySample, LANE_PAD_PX, Lane, Mark, MarkKind, SUBROW_PX,
};
use crate::story::model::{Rgb, Shape};
use crate::view::app::{App, Hover, Target};

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

fn theme(app: &App) -> &'static Theme {
    if app.reader.dark { &DARK } else { &LIGHT }
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
pub fn draw_network<DB: DrawingBackend>(app: &App, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(app);
    let scene = &app.network;
    pen.clear(scene.width, scene.height, t.background)?;
    // Not placed yet (no size): nothing to draw but the background.
    if scene.x.len() != app.story().actors.len() {
        return Ok(());
    }
    let shown = |a: usize| scene.is_shown(a);
    const LEVEL_ALPHA: [f64; 3] = [1.0, DIM, DIM * 0.6];
    let emphasis = |a: usize| LEVEL_ALPHA[level(app, a)];
    let at = |a: usize| (scene.x[a], scene.y[a]);
    let crosses = |a, b| beyond(scene, a) & beyond(scene, b) == 0;
    let paint = network_paint(app);
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
    let relations: Vec<usize> = (0..app.story().relations.len())
        .filter(|&k| {
            let r = &app.story().relations[k];
            shown(r.from) && shown(r.to) && crosses(at(r.from), at(r.to))
        })
        .collect();
    // Dashes are drawn as short segments: past a few hundred relations, solid hairlines.
    let dashed = relations.len() <= crate::place::lod::DASHED_RELATIONS_MAX;
    let alpha = |r: &crate::story::model::Relation| 0.9 * emphasis(r.from).min(emphasis(r.to));
    for &k in &relations {
        let r = &app.story().relations[k];
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
            Some((&app.story().relations[k], label.rect))
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
    draw_nodes(app, pen, t, &paint, &LEVEL_ALPHA)?;
    draw_node_labels(app, pen, t, &emphasis)?;
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

/// What lies this far outside the canvas can still reach into it (a thick line), CSS px.
const REACH_PX: f64 = 12.0;

/// Which sides of the network's canvas (`REACH_PX` beyond it) a point lies beyond, a bit per
/// side. A line whose two ends share a bit lies wholly beyond that side: it cannot cross the
/// canvas. Two bytes and an `&` per tie, where a big network tests half a million.
fn beyond(scene: &NetworkScene, (x, y): (f64, f64)) -> u8 {
    let m = REACH_PX;
    u8::from(x < -m)
        | u8::from(x > scene.width + m) << 1
        | u8::from(y < -m) << 2
        | u8::from(y > scene.height + m) << 3
}

/// How an actor is emphasised: 0 bright, 1 dim, 2 filtered out. Emphasis wins over
/// filtering: a selected actor's neighbour stays bright even when it has no event of its own
/// in view (Putin, tied to Dmitriev only by a relation).
fn level(app: &App, a: usize) -> usize {
    let d = &app.derived;
    let visible = d.visible_actors.get(a).copied().unwrap_or(true);
    if d.highlighted.get(a).copied().unwrap_or(false) || (!d.any_highlight && visible) {
        0
    } else if visible {
        1
    } else {
        2
    }
}

/// The ties and nodes a frame of the network draws, in paint order. They only change with
/// the picture's placement, view and selection: a hover or a theme change paints the same
/// ones without scanning every tie and node again. Call only once the network is placed (a
/// position per actor).
fn network_paint(app: &App) -> std::rc::Rc<crate::place::lod::NetworkPaint> {
    let scene = &app.network;
    let d = &app.derived;
    let shown = |a: usize| scene.is_shown(a);
    let at = |a: usize| (scene.x[a], scene.y[a]);
    let edges = d.window_edges.as_deref().unwrap_or(&app.graph().edges);
    app.network_paint(|| {
        // Each node's sides (`beyond`), worked out once for every tie it ends, or HIDDEN.
        const HIDDEN: u8 = 16;
        let side: Vec<u8> = (0..scene.x.len())
            .map(|a| {
                if shown(a) {
                    beyond(scene, at(a))
                } else {
                    HIDDEN
                }
            })
            .collect();
        // With every shown node on the canvas (a fitted network), every tie between them is
        // on it too, and the choice holds wherever they are.
        let all_on_canvas = side.iter().all(|&s| s == 0 || s == HIDDEN);
        let ties = app.tie_choice(all_on_canvas, || {
            // Ties of the selected actors (or of the focused event's) are the point of a
            // selection: always drawn, outside the budget. Ties among their neighbours take
            // their chance in it: a hub's neighbours can share tens of thousands.
            let mut anchor = vec![false; scene.x.len()];
            let focused_actors = app
                .reader
                .selection
                .focused
                .and_then(|e| app.story().events.get(e))
                .map_or(&[][..], |e| &e.actors[..]);
            for &a in app.reader.selection.actors.iter().chain(focused_actors) {
                if let Some(slot) = anchor.get_mut(a) {
                    *slot = true;
                }
            }
            let anchored = |a: usize| d.any_highlight && anchor.get(a).copied().unwrap_or(false);
            // One pass over every tie: W4 has over half a million.
            let (mut bright, mut rest) = (Vec::new(), Vec::new());
            for (k, e) in edges.iter().enumerate() {
                let (a, b) = (side[e.a], side[e.b]);
                if (a | b) & HIDDEN != 0 || a & b != 0 {
                    continue;
                }
                if anchored(e.a) || anchored(e.b) {
                    bright.push(k as u32);
                } else {
                    rest.push(k as u32);
                }
            }
            let budget = crate::place::lod::EDGE_BUDGET.saturating_sub(bright.len());
            let kept = crate::place::lod::strongest(&rest, |k| edges[k as usize].weight, budget);
            // Buckets by (emphasis, width class), painted dim first so bright ties stay on
            // top; their ends, not their index, so a paint never looks up a tie among 500,000.
            const WIDTHS: usize = crate::place::lod::TIE_WIDTHS;
            let mut buckets: Vec<Vec<(u32, u32)>> = vec![Vec::new(); 3 * WIDTHS];
            for &k in bright.iter().chain(&kept) {
                let e = &edges[k as usize];
                let lvl = level(app, e.a).max(level(app, e.b));
                let class = (e.weight.clamp(1, WIDTHS as u32) - 1) as usize;
                buckets[lvl * WIDTHS + class].push((e.a as u32, e.b as u32));
            }
            crate::place::lod::TieChoice {
                buckets,
                left_out: rest.len() - kept.len(),
            }
        });
        // Groups are few: a linear search over (level, colour, shape) keys is cheapest.
        let mut nodes: Vec<crate::place::lod::NodeGroup> = Vec::new();
        for a in (0..scene.x.len()).filter(|&a| scene.on_screen(a)) {
            let (lvl, color) = (level(app, a), app.story().actor_color(a));
            let shape = app.story().actor_shape(a);
            match nodes
                .iter_mut()
                .find(|g| g.level == lvl && g.color == color && g.shape == shape)
            {
                Some(group) => group.members.push(a as u32),
                None => nodes.push(crate::place::lod::NodeGroup {
                    level: lvl,
                    color,
                    shape,
                    members: vec![a as u32],
                }),
            }
        }
        // Dim levels first (higher numbers), in the order the groups came.
        crate::story::order::sort_by_keys(&mut nodes, |g| [u64::MAX - g.level as u64, 0, 0]);
        crate::place::lod::NetworkPaint { ties, nodes }
    })
}

/// Computes and keeps what the next paint of `target` needs before it draws (the ties and
/// nodes to draw, each lane's marks and strip); true if that took any work. A big story
/// does it a frame ahead of the paint, so that no one task both scans half a million ties
/// and paints.
pub fn prepare(app: &App, target: Target) -> bool {
    if app.prepared(target) {
        return false;
    }
    match target {
        Target::Network if app.network.x.len() == app.story().actors.len() => {
            network_paint(app);
        }
        Target::Timeline if app.timeline.scale.is_some() => {
            lane_marks(app);
        }
        // Nothing placed, so nothing to keep: the paint draws the empty picture.
        _ => return false,
    }
    true
}

/// The nodes in the groups `paint` found (dim first), fills then outlines per group, then the
/// rings of the selection on top of everything.
fn draw_nodes<DB: DrawingBackend>(
    app: &App,
    pen: &mut Pen<DB>,
    t: &Theme,
    paint: &crate::place::lod::NetworkPaint,
    level_alpha: &[f64; 3],
) -> Drawn<DB> {
    let scene = &app.network;
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
    for &a in &app.reader.selection.actors {
        if scene.on_screen(a) {
            pen.circle(at(a), scene.radius[a] + 4.5, t.ink, 1.0, false, 2.5)?;
        }
    }
    Ok(())
}

/// The marks of the pointer and the keyboard over the network: a ring around the actor
/// under the pointer and the keyboard's focus ring. In the browser they go on a transparent
/// layer above the picture, so moving them repaints a few rings, not the whole network.
pub fn draw_network_marks<DB: DrawingBackend>(app: &App, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(app);
    let scene = &app.network;
    if scene.x.len() != app.story().actors.len() {
        return Ok(());
    }
    let at = |a: usize| (scene.x[a], scene.y[a]);
    let shown = |a: usize| a < scene.x.len() && scene.is_shown(a);
    if let Some(Hover::Actor(a)) = app.reader.hover
        && shown(a)
    {
        pen.circle(at(a), scene.radius[a] + 3.0, t.ink, 0.8, false, 1.5)?;
    }
    if let (Some(Target::Network), Some(a)) = (app.reader.keyboard.focus, app.reader.keyboard.actor)
        && shown(a)
    {
        pen.circle(at(a), scene.radius[a] + 8.0, t.focus, 1.0, false, 3.0)?;
    }
    Ok(())
}

/// Names: their backgrounds in one batch, then the texts.
fn draw_node_labels<DB: DrawingBackend>(
    app: &App,
    pen: &mut Pen<DB>,
    t: &Theme,
    emphasis: &dyn Fn(usize) -> f64,
) -> Drawn<DB> {
    let scene = &app.network;
    let shown = |a: usize| scene.is_shown(a);
    let labelled: Vec<(usize, Rect)> = (0..scene.x.len())
        .filter(|&a| shown(a))
        .filter_map(|a| Some((a, scene.labels.get(a).copied().flatten()?.rect)))
        .collect();
    for &(_, rect) in &labelled {
        pen.rect(rect, t.background, 0.8, true)?;
    }
    for &(a, rect) in &labelled {
        let style = if app.reader.selection.actors.contains(&a) {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        pen.text(
            &app.story().actors[a].name,
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
pub fn draw_timeline<DB: DrawingBackend>(app: &App, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(app);
    let scene = &app.timeline;
    let d = &app.derived;
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
    if let Some(w) = &app.reader.selection.window {
        let x0 = scale.x(w.start_secs as f64).max(scale.x0);
        let x1 = scale.x(w.end_secs as f64).min(scale.x1);
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
    let lane_rgb = |lane: &Lane| lane_color(app, t, lane);
    // A lane's marker and name fade when its actor has no event in view.
    let lane_alpha = |lane: &Lane| {
        lane.actor
            .map_or(1.0, |a| if d.visible_actors[a] { 1.0 } else { 0.35 })
    };
    for lane in &scene.lanes {
        let mid = lane.y + lane.height / 2.0;
        let shape = lane
            .actor
            .map_or(Shape::Circle, |a| app.story().actor_shape(a));
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
            Some(a) if app.reader.selection.actors.contains(&a) => FontStyle::Bold,
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
    let focus = app.reader.selection.focused;
    let event_alpha = |e: usize| event_alpha(app, e);
    let lanes = lane_marks(app);
    let (crowded, strips) = (&lanes.crowded, &lanes.strips);
    // Links between an event's lanes, where its marks are drawn one by one and few enough
    // that the lines can be told apart.
    let sparse = crowded.iter().all(|c| !c);
    let visible_events = d.visible_event_count();
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
    crate::story::order::sort_by_keys(&mut shaded, |(rgb, ..)| [rgb_key(*rgb), 0, 0]);
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
    for kind in MARK_KINDS {
        for pass in Pass::ALL {
            for &(m, lane) in &lanes.singles {
                let (m, lane) = (&scene.marks[m as usize], &scene.lanes[lane as usize]);
                if m.kind == kind {
                    draw_mark(app, pen, m, lane_rgb(lane), event_alpha(m.event), pass)?;
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
pub fn draw_timeline_marks<DB: DrawingBackend>(app: &App, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(app);
    let scene = &app.timeline;
    if scene.scale.is_none() {
        return Ok(());
    }
    let lanes = lane_marks(app);
    let hovered = match app.reader.hover {
        Some(Hover::Event(e)) => Some(e),
        _ => None,
    };
    let keyboard = match app.reader.keyboard.focus {
        Some(Target::Timeline) => app.reader.keyboard.event,
        _ => None,
    };
    for (e, by_keyboard) in [(hovered, false), (keyboard, true)] {
        let Some(actors) = e
            .and_then(|e| app.story().events.get(e))
            .map(|ev| &ev.actors)
        else {
            continue;
        };
        for (k, lane) in scene.lanes.iter().enumerate() {
            // A lane of its own actor's events only (the last lane gathers the rest).
            if lane.actor.is_some_and(|a| !actors.contains(&a)) {
                continue;
            }
            let crowded = lanes.crowded.get(k).copied().unwrap_or(false);
            let rgb = lane_color(app, t, lane);
            let marks = lanes.visible.get(k).map_or(&[][..], |v| &v[..]);
            for m in marks.iter().map(|&i| &scene.marks[i as usize]) {
                if Some(m.event) != e {
                    continue;
                }
                // A strip shows densities, not marks: the one pointed at is drawn here.
                if crowded && app.reader.selection.focused != Some(m.event) {
                    let alpha = event_alpha(app, m.event);
                    for pass in Pass::ALL {
                        draw_mark(app, pen, m, rgb, alpha, pass)?;
                    }
                }
                mark_ring(pen, t, m, by_keyboard)?;
            }
        }
    }
    Ok(())
}

/// Each lane's visible marks, found in one pass over its marks (a big story's lanes hold
/// tens of thousands) and kept until the axis or the selection changes: a hover or the
/// brush's own frame reuses them.
fn lane_marks(app: &App) -> std::rc::Rc<crate::place::lod::LaneMarks> {
    let scene = &app.timeline;
    let d = &app.derived;
    let Some(scale) = scene.scale else {
        return std::rc::Rc::default();
    };
    // Lanes with more marks than fit side by side become density strips (see `crate::place::lod`).
    let (x0, x1) = (scale.x0, scale.x1);
    app.lane_marks(|| {
        let visible: Vec<Vec<u32>> = scene
            .lanes
            .iter()
            .map(|lane| {
                lane.marks
                    .clone()
                    .filter(|&k| d.visible_events.get(scene.marks[k].event) == Some(&true))
                    .map(|k| k as u32)
                    .collect()
            })
            .collect();
        let crowded: Vec<bool> = scene
            .lanes
            .iter()
            .zip(&visible)
            .map(|(lane, marks)| {
                let rows = ((lane.height - 2.0 * LANE_PAD_PX) / SUBROW_PX).round() as usize;
                crate::place::lod::crowded(marks.len(), rows, x1 - x0)
            })
            .collect();
        let counts: Vec<Option<Vec<u32>>> = visible
            .iter()
            .zip(&crowded)
            .map(|(marks, &crowded)| {
                let spans = marks.iter().map(|&k| {
                    let m = &scene.marks[k as usize];
                    (m.x0, m.x1)
                });
                crowded.then(|| crate::place::lod::bin_counts(spans, x0, x1))
            })
            .collect();
        let busiest = counts
            .iter()
            .flatten()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0);
        let strips = counts
            .iter()
            .map(|c| c.as_ref().map(|c| crate::place::lod::runs(c, x0, busiest)))
            .collect();
        // The marks drawn one by one (in a strip only the focused event's; the pointer's and
        // the keyboard's are on the layer above: `draw_timeline_marks`): widest kind first, so
        // points and bars stay on top of the bands they fall in, then by colour, certainty
        // and fading, so that each look takes one path.
        let focus = app.reader.selection.focused;
        let mut singles: Vec<(u32, u32)> = Vec::new();
        for (k, (lane_marks, &crowded)) in visible.iter().zip(&crowded).enumerate() {
            for &m in lane_marks {
                if !crowded || focus == Some(scene.marks[m as usize].event) {
                    singles.push((m, k as u32));
                }
            }
        }
        crate::story::order::sort_by_keys(&mut singles, |&(m, k)| {
            let m = &scene.marks[m as usize];
            let when = &app.story().events[m.event].when;
            let look = u64::from(when.approximate) << 2
                | u64::from(when.uncertain) << 1
                | u64::from(event_alpha(app, m.event) < 1.0);
            let kind = MARK_KINDS.iter().position(|&k| k == m.kind).unwrap_or(0);
            // The shared lane's colour is the theme's: it sorts as a colour of its own.
            let colour = scene.lanes[k as usize]
                .actor
                .map_or(1 << 24, |a| rgb_key(app.story().actor_color(a)));
            [kind as u64, colour, look]
        });
        crate::place::lod::LaneMarks {
            visible,
            crowded,
            strips,
            singles,
        }
    })
}

/// Kinds of marks in paint order: widest first.
const MARK_KINDS: [MarkKind; 3] = [MarkKind::Band, MarkKind::Bar, MarkKind::Point];

/// A lane's colour: its actor's, or muted for the lane shared by the rest.
fn lane_color(app: &App, t: &Theme, lane: &Lane) -> Rgb {
    lane.actor.map_or(t.muted, |a| app.story().actor_color(a))
}

/// A colour as one number, to sort by.
fn rgb_key(c: Rgb) -> u64 {
    (u64::from(c.0) << 16) | (u64::from(c.1) << 8) | u64::from(c.2)
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

/// How opaque an event's marks are: the others fade while one is focused among a selection.
fn event_alpha(app: &App, e: usize) -> f64 {
    let focus = app.reader.selection.focused;
    if app.derived.any_highlight && focus.is_some() && focus != Some(e) {
        0.45
    } else {
        1.0
    }
}

fn draw_mark<DB: DrawingBackend>(
    app: &App,
    pen: &mut Pen<DB>,
    m: &Mark,
    rgb: Rgb,
    alpha: f64,
    pass: Pass,
) -> Drawn<DB> {
    let t = theme(app);
    let when = &app.story().events[m.event].when;
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
            if app.reader.selection.focused == Some(m.event) {
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
