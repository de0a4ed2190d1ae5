//! Drawing both views through plotters' `DrawingBackend`, so the same code paints the browser
//! canvas and writes SVG natively (tests, static fallbacks).
//!
//! Scenes are in CSS pixels; a [`Pen`] multiplies by the device pixel ratio on the way out, so
//! lines and text are crisp on high-DPI screens without a canvas transform.
//!
//! The drawing paints a [`Frame`] handed to it by the viewer (the story, the placed scenes,
//! the reader's marks and the paint plan), never the viewer itself. Beside it: the batching
//! canvas backend ([`canvas`], wasm only), which paints a long run of filled rectangles as
//! one image ([`raster`], full build only), and a backend that records what is drawn
//! ([`record`], for the benchmarks' replay).
//!
//! May import: [`crate::story`], [`crate::place`].

#[cfg(target_arch = "wasm32")]
pub mod canvas;
#[cfg(any(target_arch = "wasm32", feature = "full"))]
mod device;
mod network;
#[cfg(feature = "full")]
pub mod raster;
#[cfg(feature = "full")]
pub mod record;
mod timeline;

pub use network::{draw_network, draw_network_marks};
pub use timeline::{draw_timeline, draw_timeline_marks};

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle,
};

use crate::place::network::{NetworkScene, Rect};
use crate::place::text::{AXIS_FONT_PX, FONT_FAMILY, text_width};
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
    /// A big network's closed communities, drawn as one mark each.
    pub marks: &'a crate::place::overview::MarkScene,
    /// A big story's communities once found: the time axis's lanes per community take
    /// their colours.
    pub communities: Option<&'a crate::place::overview::Communities>,
    /// A big network's communities are still to come: its actors are drawn without names,
    /// ties or relations, and a caption says so ([`crate::view::app::App::overview_coming`]).
    pub overview_coming: bool,
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

pub(crate) fn theme(f: &Frame) -> &'static Theme {
    if f.dark { &DARK } else { &LIGHT }
}

/// Opacity of what is not emphasised while something is.
pub(crate) const DIM: f64 = 0.18;

pub(crate) struct Stroke {
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

pub(crate) struct Font {
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

pub(crate) fn color(rgb: Rgb, alpha: f64) -> BackendColor {
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
pub(crate) fn nearest(v: f64) -> i32 {
    (v + 0.5).floor() as i32
}

pub(crate) type Drawn<DB> = Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

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

    /// A dashed line as short segments: backends have no dash style of their own. Its
    /// parameters are `line`'s and the dash, deliberately: it is drawn as lines.
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

    /// A small muted note, left-aligned and centred on `at`'s height: the network's count of
    /// ties left out, the key's labels.
    fn note(&mut self, text: &str, at: (f64, f64), t: &Theme) -> Drawn<DB> {
        self.text(
            text,
            at,
            AXIS_FONT_PX,
            t.muted,
            1.0,
            FontStyle::Normal,
            (HPos::Left, VPos::Center),
        )
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
/// large as a circle of that radius (circles have none). The legend's icons are these too
/// (`view::legend`).
pub(crate) fn unit_outline(shape: Shape) -> &'static [(f64, f64)] {
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
