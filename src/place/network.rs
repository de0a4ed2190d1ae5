//! The network view in screen space: layout positions fitted to the canvas, nudged so each
//! actor has room for its name, labels placed where they overlap nothing, and hit-testing.
//!
//! Coordinates here are CSS pixels with the origin at the canvas's top-left corner.

use crate::place::layout::min_max;
use crate::place::text::{LABEL_FONT_PX, LABEL_HEIGHT_PX, RELATION_FONT_PX, text_width};
use crate::story::index::Grid;

/// `x` within `lo..=hi`, `lo` winning if they cross. Not `f64::clamp`, which panics when
/// bounds computed from a canvas' size cross, and whose panic message brings float
/// formatting into the wasm (issue 6).
pub(crate) fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    x.min(hi).max(lo)
}

/// `n` points on the unit circle as (cosine, sine): the first at `start`, each turned from the
/// one before by the angle whose cosine and sine are `step` (see [`turn`]). Turning by a
/// multiplication needs no `sin` or `cos`, whose range reduction alone took 6 KB of the
/// page's download (issue 6); over 20,000 turns the points stray from the circle by ~1e-12.
pub(crate) fn around(
    start: (f64, f64),
    step: (f64, f64),
    n: usize,
) -> impl Iterator<Item = (f64, f64)> {
    let mut p = start;
    (0..n).map(move |_| {
        let here = p;
        p = (p.0 * step.0 - p.1 * step.1, p.0 * step.1 + p.1 * step.0);
        here
    })
}

/// The angles the pictures turn by, as (cosine, sine), written out for [`around`]; a test
/// checks them against `f64::cos` and `f64::sin`.
pub(crate) mod turn {
    /// The golden angle, π(3 − √5): nodes placed one such turn apart never line up.
    pub const GOLDEN: (f64, f64) = (-0.7373688780783197, 0.6754902942615238);
    pub const DEG_22_5: (f64, f64) = (0.9238795325112867, 0.3826834323650898);
    pub const DEG_45: (f64, f64) = (
        std::f64::consts::FRAC_1_SQRT_2,
        std::f64::consts::FRAC_1_SQRT_2,
    );
    pub const DEG_60: (f64, f64) = (0.5, 0.8660254037844386);
    pub const DEG_72: (f64, f64) = (0.30901699437494745, 0.9510565162951535);
    pub const DEG_90: (f64, f64) = (0.0, 1.0);
    pub const DEG_120: (f64, f64) = (-0.5, 0.8660254037844386);
    pub const DEG_MINUS_54: (f64, f64) = (0.5877852522924731, -0.8090169943749475);
    pub const DEG_MINUS_90: (f64, f64) = (0.0, -1.0);
}

/// Actors beyond this many (by number of events) get no permanent label; hover shows them.
pub const MAX_LABELS: usize = 300;
const MARGIN_PX: f64 = 10.0;
const LABEL_GAP_PX: f64 = 3.0;
/// Networks up to this many actors get nodes nudged apart to make room for names.
const MAKE_ROOM_MAX_ACTORS: usize = 120;
/// Largest CSS px per layout unit when fitting.
const MAX_SCALE: f64 = 1.6;
/// Smallest node drawn, CSS px: still a dot one can see and point at.
const MIN_NODE_RADIUS_PX: f64 = 1.5;
/// Beyond this many actors a name may sit over other nodes (on its own background): a dense
/// network would otherwise have no free spot for any name at all.
const NAMES_OVER_NODES_FROM: usize = MAX_LABELS;

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    pub fn contains(&self, px: f64, py: f64) -> bool {
        px >= self.x && px <= self.x + self.w && py >= self.y && py <= self.y + self.h
    }

    /// True if a circle touches the rectangle.
    pub fn touches_circle(&self, cx: f64, cy: f64, r: f64) -> bool {
        let nx = clamp(cx, self.x, self.x + self.w);
        let ny = clamp(cy, self.y, self.y + self.h);
        (cx - nx).powi(2) + (cy - ny).powi(2) < r * r
    }

    fn inside(&self, width: f64, height: f64) -> bool {
        self.x >= 0.0 && self.y >= 0.0 && self.x + self.w <= width && self.y + self.h <= height
    }
}

/// A placed label: its box and the text's left edge and vertical middle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    pub rect: Rect,
}

/// What the network needs from the model to be placed on screen.
pub struct NetworkInput<'a> {
    pub names: &'a [String],
    /// Node radius, CSS px.
    pub radius: &'a [f64],
    /// Label priority: higher first (e.g. number of events).
    pub priority: &'a [usize],
    /// Relation ends and labels, drawn as dashed lines with their label at the middle.
    pub relations: &'a [(usize, usize, String)],
}

/// The reader's zoom and pan of the network, applied to the fitted picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// Magnification; 1 shows the whole network.
    pub k: f64,
    /// Pan, CSS px.
    pub x: f64,
    pub y: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera {
            k: 1.0,
            x: 0.0,
            y: 0.0,
        }
    }
}

impl Camera {
    pub const MIN_K: f64 = 0.25;
    pub const MAX_K: f64 = 12.0;

    pub fn is_identity(&self) -> bool {
        *self == Camera::default()
    }

    /// Zooms by `factor` keeping the point `(px, py)` of a `w × h` canvas where it is.
    pub fn zoom_at(&mut self, factor: f64, px: f64, py: f64, w: f64, h: f64) {
        let k = (self.k * factor).clamp(Self::MIN_K, Self::MAX_K);
        let (cx, cy) = (w / 2.0 + self.x, h / 2.0 + self.y);
        let (dx, dy) = ((px - cx) / self.k, (py - cy) / self.k);
        self.x = px - w / 2.0 - dx * k;
        self.y = py - h / 2.0 - dy * k;
        self.k = k;
    }

    /// Moves the picture by `(dx, dy)` CSS px.
    pub fn pan(&mut self, dx: f64, dy: f64) {
        self.x += dx;
        self.y += dy;
    }

    /// Screen position of a point of the fitted picture.
    fn screen_from_fitted(&self, bx: f64, by: f64, w: f64, h: f64) -> (f64, f64) {
        (
            w / 2.0 + self.x + (bx - w / 2.0) * self.k,
            h / 2.0 + self.y + (by - h / 2.0) * self.k,
        )
    }
}

/// How layout units map onto the canvas: kept while the reader drags nodes, so the picture
/// does not jump each time a node moves past the edge of the layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub scale: f64,
    pub cx: f64,
    pub cy: f64,
}

/// The network placed on a canvas of a given size.
#[derive(Debug, Clone, Default)]
pub struct NetworkScene {
    pub width: f64,
    pub height: f64,
    /// Screen positions, after the camera.
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub radius: Vec<f64>,
    pub labels: Vec<Option<Label>>,
    pub relation_labels: Vec<Option<Label>>,
    /// Actors drawn and hit-testable; the others are filtered out (a time window).
    pub shown: Vec<bool>,
    pub camera: Camera,
    pub fit: Option<Fit>,
    /// The fitted picture before the camera, with its labels.
    base_x: Vec<f64>,
    base_y: Vec<f64>,
    base_labels: Vec<Option<Label>>,
    base_relation_labels: Vec<Option<Label>>,
    /// Actors in label priority order, sorted once per placement rather than per view.
    order: Vec<usize>,
    /// The shown nodes on screen, for hit-testing and label room; `None` while nodes may
    /// still move (room-making in small networks), when every node is checked instead.
    grid: Option<Grid>,
    /// Actors with a label, ascending (a few hundred at most): the hit test's fallback.
    labelled: Vec<usize>,
    base_labelled: Vec<usize>,
    /// The labels of this view are still to be placed ([`NetworkScene::place_deferred_labels`]).
    labels_deferred: bool,
}

/// The most a step's framing zooms in: a step of one actor shows them among their neighbours.
pub const FRAME_MAX_K: f64 = 2.5;
/// Room kept on either side of a framed node for a name the picture did not place.
const FRAME_NAME_ROOM_PX: f64 = 60.0;

/// How far beyond the canvas (CSS px) a node may lie and still be drawn: its circle reaches in.
/// What lies this far outside the canvas can still reach into it (a thick line), CSS px.
pub const REACH_PX: f64 = 12.0;

/// Which sides of the network's canvas (`REACH_PX` beyond it) a point lies beyond, a bit per
/// side. A line whose two ends share a bit lies wholly beyond that side: it cannot cross the
/// canvas. Two bytes and an `&` per tie, where a big network tests half a million.
pub fn beyond(scene: &NetworkScene, (x, y): (f64, f64)) -> u8 {
    let m = REACH_PX;
    u8::from(x < -m)
        | u8::from(x > scene.width + m) << 1
        | u8::from(y < -m) << 2
        | u8::from(y > scene.height + m) << 3
}

impl NetworkScene {
    /// Places layout positions `(lx, ly)` on a `width × height` canvas, fitted to it (or with
    /// the given fit), with every actor shown and no camera.
    pub fn place(
        input: &NetworkInput,
        lx: &[f64],
        ly: &[f64],
        width: f64,
        height: f64,
        fit: Option<Fit>,
    ) -> NetworkScene {
        let n = lx.len();
        let mut scene = NetworkScene {
            width,
            height,
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            radius: input.radius.to_vec(),
            labels: vec![None; n],
            relation_labels: vec![None; input.relations.len()],
            shown: vec![true; n],
            ..NetworkScene::default()
        };
        if n == 0 || width <= 0.0 || height <= 0.0 {
            return scene;
        }
        let fit = fit.unwrap_or_else(|| scene.fit_for(input, lx, ly));
        scene.fit = Some(fit);
        scene.size_nodes(input, fit.scale);
        for (&x, &y) in lx.iter().zip(ly) {
            scene.x.push(width / 2.0 + (x - fit.cx) * fit.scale);
            scene.y.push(height / 2.0 + (y - fit.cy) * fit.scale);
        }
        let order = label_order(input.priority);
        // All-pairs, so only for newsroom-sized networks; bigger ones rely on label culling.
        if n <= MAKE_ROOM_MAX_ACTORS {
            scene.make_room(input, &order);
        }
        // Nodes that may still move cannot be indexed where they are; such networks are
        // small, and their nodes are checked one by one.
        if n <= MAX_LABELS || input.names.len() <= MAX_LABELS {
            scene.grid = None;
        } else {
            scene.index_nodes();
        }
        scene.place_labels(input, &order, true);
        scene.index_nodes();
        scene.base_x = scene.x.clone();
        scene.base_y = scene.y.clone();
        scene.base_labels = scene.labels.clone();
        scene.base_relation_labels = scene.relation_labels.clone();
        scene.base_labelled = scene.labelled.clone();
        scene.order = order;
        scene
    }

    /// Indexes the shown nodes where they are now.
    fn index_nodes(&mut self) {
        let shown = &self.shown;
        self.grid = Some(Grid::new(&self.x, &self.y, &self.radius, |i| {
            shown.get(i).copied().unwrap_or(true)
        }));
    }

    /// Applies the camera and hides filtered-out actors; labels are placed again when either
    /// differs from the fitted picture, unless `moving` (a pan or a gesture under way) and the
    /// network is crowded on the canvas: then they wait for
    /// [`NetworkScene::place_deferred_labels`]. False if the picture stayed as it was.
    pub fn view(
        &mut self,
        input: &NetworkInput,
        camera: Camera,
        shown: &[bool],
        moving: bool,
    ) -> bool {
        let n = self.base_x.len();
        let same_shown = self.shown.len() == n
            && (0..n).all(|i| self.shown[i] == shown.get(i).copied().unwrap_or(true));
        // A selection that hides no node (or the same ones) leaves the picture as it is:
        // labels are not placed again.
        if same_shown && camera == self.camera && self.x.len() == n {
            return false;
        }
        self.camera = camera;
        self.shown = shown.to_vec();
        self.shown.resize(n, true);
        self.labels_deferred = false;
        if let Some(fit) = self.fit {
            self.size_nodes(input, fit.scale * camera.k);
        }
        let all_shown = self.shown.iter().all(|s| *s);
        if camera.is_identity() && all_shown {
            self.x.clone_from(&self.base_x);
            self.y.clone_from(&self.base_y);
            self.labels.clone_from(&self.base_labels);
            self.relation_labels.clone_from(&self.base_relation_labels);
            self.labelled.clone_from(&self.base_labelled);
            self.index_nodes();
            return true;
        }
        for i in 0..n {
            (self.x[i], self.y[i]) =
                camera.screen_from_fitted(self.base_x[i], self.base_y[i], self.width, self.height);
        }
        self.labels.iter_mut().for_each(|l| *l = None);
        self.relation_labels.iter_mut().for_each(|l| *l = None);
        self.labelled.clear();
        self.index_nodes();
        // Among thousands of nodes on the canvas, placing names took a fifth of a pinch
        // step's script at W4 (their room is checked against every node near): while the
        // picture moves they are left out, as the ties chosen before are kept (`lod`).
        if moving && self.nodes_on_canvas() > crate::place::lod::CROWDED_NODES {
            self.labels_deferred = true;
        } else {
            self.place_view_labels(input);
        }
        true
    }

    /// Places the labels a moving view left out, if it did.
    pub fn place_deferred_labels(&mut self, input: &NetworkInput) {
        if std::mem::take(&mut self.labels_deferred) {
            self.place_view_labels(input);
        }
    }

    fn place_view_labels(&mut self, input: &NetworkInput) {
        let order = std::mem::take(&mut self.order);
        self.place_labels(input, &order, false);
        self.order = order;
    }

    /// Shown nodes drawn on the canvas, as the picture counts them.
    fn nodes_on_canvas(&self) -> usize {
        (0..self.x.len()).filter(|&a| self.on_screen(a)).count()
    }

    /// Node `a` is shown and some of it (with its outline or ring) is on the canvas.
    pub fn on_screen(&self, a: usize) -> bool {
        let r = self.radius[a] * 1.5 + 2.0;
        self.is_shown(a)
            && self.x[a] >= -r
            && self.y[a] >= -r
            && self.x[a] <= self.width + r
            && self.y[a] <= self.height + r
    }

    /// Node sizes for a picture drawn `scale` screen px per layout unit: as given while the
    /// layout's spacing fits on screen, smaller when a big network is fitted into the canvas
    /// (or zoomed out), so nodes stay apart instead of piling into one blot; zooming in brings
    /// them back to full size.
    fn size_nodes(&mut self, input: &NetworkInput, scale: f64) {
        // scale^0.6, by `exp` and `ln` (which the page has anyway): `powf` alone is 2 KB of
        // the download.
        let factor = (0.6 * clamp(scale, 1e-6, 1.0).ln()).exp();
        self.radius.clear();
        self.radius.extend(
            input
                .radius
                .iter()
                .map(|r| (r * factor).max(MIN_NODE_RADIUS_PX.min(*r))),
        );
    }

    /// The camera that frames `actors` (those shown: a time window may hide some) with
    /// room for their names in the middle of the canvas: never zoomed out beyond the whole network, nor in beyond
    /// [`FRAME_MAX_K`], and never panned so far that the fitted picture leaves a gap at an
    /// edge. The whole network for no actors.
    pub fn framing(&self, actors: &[usize]) -> Camera {
        let (w, h) = (self.width, self.height);
        let mut bounds: Option<(f64, f64, f64, f64)> = None;
        for &a in actors.iter().filter(|&&a| self.is_shown(a)) {
            let (Some(&x), Some(&y)) = (self.base_x.get(a), self.base_y.get(a)) else {
                continue;
            };
            let r = self.radius.get(a).copied().unwrap_or(0.0);
            // A name may be written on either side of its node (the labels make room for
            // each other), and a selected actor's is bold: room for it, a little wider, on
            // both sides.
            let name = match self.base_labels.get(a) {
                Some(Some(label)) => label.rect.w * 1.1 + 4.0,
                _ => FRAME_NAME_ROOM_PX,
            };
            let (x0, x1) = (x - r - name, x + r + name);
            let (y0, y1) = (y - r - LABEL_HEIGHT_PX, y + r + LABEL_HEIGHT_PX);
            bounds = Some(match bounds {
                None => (x0, y0, x1, y1),
                Some((a0, b0, a1, b1)) => (a0.min(x0), b0.min(y0), a1.max(x1), b1.max(y1)),
            });
        }
        let Some((x0, y0, x1, y1)) = bounds.filter(|_| w > 0.0 && h > 0.0) else {
            return Camera::default();
        };
        let avail_w = (w - 2.0 * MARGIN_PX).max(1.0);
        let avail_h = (h - 2.0 * MARGIN_PX).max(1.0);
        let k = (avail_w / (x1 - x0).max(1.0))
            .min(avail_h / (y1 - y0).max(1.0))
            .clamp(1.0, FRAME_MAX_K);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let limit_x = w / 2.0 * (k - 1.0);
        let limit_y = h / 2.0 * (k - 1.0);
        Camera {
            k,
            x: clamp(-(cx - w / 2.0) * k, -limit_x, limit_x),
            y: clamp(-(cy - h / 2.0) * k, -limit_y, limit_y),
        }
    }

    /// The layout position under a screen point (for dragging a node there).
    pub fn layout_from_screen(&self, sx: f64, sy: f64) -> Option<(f64, f64)> {
        let fit = self.fit?;
        let c = self.camera;
        let bx = self.width / 2.0 + (sx - self.width / 2.0 - c.x) / c.k;
        let by = self.height / 2.0 + (sy - self.height / 2.0 - c.y) / c.k;
        Some((
            (bx - self.width / 2.0) / fit.scale + fit.cx,
            (by - self.height / 2.0) / fit.scale + fit.cy,
        ))
    }

    /// Scales and centres the layout into the canvas, leaving room for names on the sides.
    fn fit_for(&self, input: &NetworkInput, lx: &[f64], ly: &[f64]) -> Fit {
        let (min_x, max_x) = min_max(lx);
        let (min_y, max_y) = min_max(ly);
        let widest = input
            .names
            .iter()
            .take(MAX_LABELS)
            .map(|n| text_width(n, LABEL_FONT_PX))
            .fold(0.0, f64::max);
        let max_r = input.radius.iter().copied().fold(0.0, f64::max);
        let side = MARGIN_PX + max_r + (widest * 0.5).min(self.width * 0.2);
        let top = MARGIN_PX + max_r + LABEL_HEIGHT_PX;
        let avail_w = (self.width - 2.0 * side).max(1.0);
        let avail_h = (self.height - 2.0 * top).max(1.0);
        let span_x = (max_x - min_x).max(1e-9);
        let span_y = (max_y - min_y).max(1e-9);
        // Never blow a small network up to fill the canvas: ties stay a readable length.
        let scale = (avail_w / span_x).min(avail_h / span_y).min(MAX_SCALE);
        Fit {
            scale,
            cx: (min_x + max_x) / 2.0,
            cy: (min_y + max_y) / 2.0,
        }
    }

    /// The space a node and a right-hand label take.
    fn footprint(&self, label_width: f64, i: usize) -> Rect {
        let r = self.radius[i];
        let h = (2.0 * r).max(LABEL_HEIGHT_PX);
        let left = label_width * 0.5 + r;
        Rect {
            x: self.x[i] - left,
            y: self.y[i] - h / 2.0,
            w: 2.0 * left,
            h,
        }
    }

    /// Pushes apart nodes whose name footprints overlap, a few passes, staying on the canvas.
    fn make_room(&mut self, input: &NetworkInput, order: &[usize]) {
        const PAD: f64 = 4.0;
        // Measured once: the passes below compare every pair many times.
        let widths: Vec<f64> = input
            .names
            .iter()
            .map(|n| text_width(n, LABEL_FONT_PX))
            .collect();
        let width = |i: usize| widths.get(i).copied().unwrap_or(0.0);
        for _ in 0..80 {
            let mut moved = false;
            for (k, &i) in order.iter().enumerate() {
                for &j in &order[k + 1..] {
                    let (a, b) = (self.footprint(width(i), i), self.footprint(width(j), j));
                    let ox = (a.x + a.w + PAD).min(b.x + b.w + PAD) - a.x.max(b.x);
                    let oy = (a.y + a.h + PAD).min(b.y + b.h + PAD) - a.y.max(b.y);
                    if ox <= 0.0 || oy <= 0.0 {
                        continue;
                    }
                    moved = true;
                    // Separate along the axis that needs the smaller move, half each.
                    if ox * 0.5 < oy {
                        let s = if self.x[i] <= self.x[j] { -1.0 } else { 1.0 };
                        self.x[i] += s * ox * 0.25;
                        self.x[j] -= s * ox * 0.25;
                    } else {
                        let s = if self.y[i] <= self.y[j] { -1.0 } else { 1.0 };
                        self.y[i] += s * oy * 0.5;
                        self.y[j] -= s * oy * 0.5;
                    }
                }
            }
            self.clamp_to_canvas();
            if !moved {
                break;
            }
        }
    }

    fn clamp_to_canvas(&mut self) {
        for i in 0..self.x.len() {
            let r = self.radius[i] + MARGIN_PX * 0.5;
            self.x[i] = clamp(self.x[i], r, (self.width - r).max(r));
            self.y[i] = clamp(self.y[i], r, (self.height - r).max(r));
        }
    }

    /// Greedy placement: the most important actors first, each at the first candidate spot
    /// that stays on the canvas and clears every node and every label already placed.
    fn place_labels(&mut self, input: &NetworkInput, order: &[usize], may_move_nodes: bool) {
        let mut placed: Vec<Rect> = Vec::new();
        self.labelled.clear();
        let shown = order
            .iter()
            .filter(|&&i| self.shown.get(i).copied().unwrap_or(true));
        for &i in shown.take(MAX_LABELS) {
            let Some(name) = input.names.get(i) else {
                continue;
            };
            let w = text_width(name, LABEL_FONT_PX);
            let mut spot = self.label_spot(i, self.x[i], self.y[i], w, &placed);
            // No room where the node is: move the node a little, the nearest spot first.
            if spot.is_none() && may_move_nodes && input.names.len() <= MAX_LABELS {
                'search: for step in 1..=16 {
                    let d = f64::from(step) * 6.0;
                    for (c, s) in around((1.0, 0.0), turn::DEG_22_5, 16) {
                        let (nx, ny) = (self.x[i] + d * c, self.y[i] + d * s);
                        if !self.node_fits(i, nx, ny, &placed) {
                            continue;
                        }
                        if let Some(rect) = self.label_spot(i, nx, ny, w, &placed) {
                            (self.x[i], self.y[i]) = (nx, ny);
                            spot = Some(rect);
                            break 'search;
                        }
                    }
                }
            }
            if let Some(rect) = spot {
                placed.push(rect);
                self.labels[i] = Some(Label { rect });
                self.labelled.push(i);
            }
        }
        self.labelled.sort_unstable();
        for (k, (a, b, text)) in input.relations.iter().enumerate() {
            let (a, b) = (*a, *b);
            if !(self.is_shown(a) && self.is_shown(b)) {
                continue;
            }
            let (Some(&ax), Some(&ay), Some(&bx), Some(&by)) =
                (self.x.get(a), self.y.get(a), self.x.get(b), self.y.get(b))
            else {
                continue;
            };
            let w = text_width(text, RELATION_FONT_PX);
            let h = RELATION_FONT_PX + 3.0;
            let spot = [0.5, 0.4, 0.6, 0.3, 0.7]
                .iter()
                .map(|t| {
                    let (mx, my) = (ax + (bx - ax) * t, ay + (by - ay) * t);
                    Rect {
                        x: mx - w / 2.0,
                        y: my - h / 2.0,
                        w,
                        h,
                    }
                })
                .find(|rect| self.is_free(rect, &placed));
            if let Some(rect) = spot {
                placed.push(rect);
                self.relation_labels[k] = Some(Label { rect });
            }
        }
    }

    /// The first free spot around node `i` drawn at `(x, y)` for a label `w` wide.
    fn label_spot(&self, i: usize, x: f64, y: f64, w: f64, placed: &[Rect]) -> Option<Rect> {
        let h = LABEL_HEIGHT_PX;
        let r = self.radius[i];
        let g = LABEL_GAP_PX;
        let candidates = [
            (x + r + g, y - h / 2.0),
            (x - r - g - w, y - h / 2.0),
            (x - w / 2.0, y + r + g),
            (x - w / 2.0, y - r - g - h),
            (x + r * 0.7 + g, y - r * 0.7 - h),
            (x + r * 0.7 + g, y + r * 0.7),
            (x - r * 0.7 - g - w, y - r * 0.7 - h),
            (x - r * 0.7 - g - w, y + r * 0.7),
        ];
        candidates
            .iter()
            .map(|&(cx, cy)| Rect { x: cx, y: cy, w, h })
            .find(|rect| {
                self.is_free_except(rect, placed, Some(i)) && !rect.touches_circle(x, y, r + 1.0)
            })
    }

    /// Node `i` could stand at `(x, y)`: on the canvas, clear of other nodes and of labels.
    fn node_fits(&self, i: usize, x: f64, y: f64, placed: &[Rect]) -> bool {
        let r = self.radius[i];
        let m = MARGIN_PX * 0.5;
        x - r >= m
            && y - r >= m
            && x + r <= self.width - m
            && y + r <= self.height - m
            && !placed.iter().any(|p| p.touches_circle(x, y, r + 1.0))
            && (0..self.x.len()).all(|j| {
                j == i
                    || !self.is_shown(j)
                    || (self.x[j] - x).hypot(self.y[j] - y) > r + self.radius[j] + 4.0
            })
    }

    /// Drawn and hit-testable: not filtered out by a time window.
    pub fn is_shown(&self, i: usize) -> bool {
        self.shown.get(i).copied().unwrap_or(true)
    }

    fn is_free_except(&self, rect: &Rect, placed: &[Rect], except: Option<usize>) -> bool {
        rect.inside(self.width, self.height)
            && !placed.iter().any(|p| p.intersects(rect))
            && (self.x.len() > NAMES_OVER_NODES_FROM || !self.touches_a_node(rect, except))
    }

    fn is_free(&self, rect: &Rect, placed: &[Rect]) -> bool {
        self.is_free_except(rect, placed, None)
    }

    /// Whether `rect` leaves every actor drawn and every actor's name clear (an overview's
    /// mark names itself where it can).
    pub fn clear_of_actors(&self, rect: &Rect) -> bool {
        !self.touches_a_node(rect, None)
            && !(self.labelled.iter()).any(|&i| {
                self.labels
                    .get(i)
                    .copied()
                    .flatten()
                    .is_some_and(|l| l.rect.intersects(rect))
            })
    }

    /// True if a shown node other than `except` (with a pixel of slack) touches `rect`.
    fn touches_a_node(&self, rect: &Rect, except: Option<usize>) -> bool {
        let touches = |j: usize| {
            Some(j) != except
                && self.is_shown(j)
                && rect.touches_circle(self.x[j], self.y[j], self.radius[j] + 1.0)
        };
        match &self.grid {
            Some(grid) => {
                let m = grid.max_radius + 1.0;
                let mut hit = false;
                grid.visit(
                    rect.x - m,
                    rect.y - m,
                    rect.x + rect.w + m,
                    rect.y + rect.h + m,
                    |j| hit = hit || touches(j),
                );
                hit
            }
            None => (0..self.x.len()).any(touches),
        }
    }

    /// The actor under a point: on its circle (with a little slack for fingers) or its label.
    pub fn hit(&self, px: f64, py: f64) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        let mut consider = |i: usize| {
            if !self.is_shown(i) {
                return;
            }
            let d = (self.x[i] - px).hypot(self.y[i] - py);
            // The nearest wins; between equals, the first (as a scan in order would).
            if d <= self.radius[i] + 4.0
                && best.is_none_or(|(bi, bd)| d < bd || (d == bd && i < bi))
            {
                best = Some((i, d));
            }
        };
        match &self.grid {
            Some(grid) => {
                let m = grid.max_radius + 4.0;
                grid.visit(px - m, py - m, px + m, py + m, &mut consider);
            }
            None => (0..self.x.len()).for_each(&mut consider),
        }
        best.map(|(i, _)| i).or_else(|| {
            self.labelled.iter().copied().find(|&i| {
                self.labels
                    .get(i)
                    .copied()
                    .flatten()
                    .is_some_and(|l| l.rect.contains(px, py))
            })
        })
    }
}

/// Indexes by descending priority; ties keep data order so placement is deterministic.
fn label_order(priority: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..priority.len()).collect();
    crate::story::graph::sort_most_first(&mut order, priority);
    order
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_written_out_turns_are_their_angles_cosines_and_sines() {
        use super::turn::*;
        let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
        for (written, degrees) in [
            (DEG_22_5, 22.5),
            (DEG_45, 45.0),
            (DEG_60, 60.0),
            (DEG_72, 72.0),
            (DEG_90, 90.0),
            (DEG_120, 120.0),
            (DEG_MINUS_54, -54.0),
            (DEG_MINUS_90, -90.0),
            (GOLDEN, golden.to_degrees()),
        ] {
            let a = f64::to_radians(degrees);
            assert!((written.0 - a.cos()).abs() < 1e-15, "{degrees}");
            assert!((written.1 - a.sin()).abs() < 1e-15, "{degrees}");
        }
        // Turning stays on the circle and lands where sine and cosine say.
        let (n, at) = (20_000, 19_999.0 * golden);
        let last = super::around((1.0, 0.0), GOLDEN, n).last().unwrap();
        assert!((last.0 - at.cos()).abs() < 1e-10 && (last.1 - at.sin()).abs() < 1e-10);
        let sixteen: Vec<_> = super::around((1.0, 0.0), DEG_22_5, 17).collect();
        assert!((sixteen[16].0 - 1.0).abs() < 1e-14 && sixteen[16].1.abs() < 1e-14);
    }

    use super::*;

    #[test]
    fn clamp_keeps_within_and_lets_the_low_bound_win_when_bounds_cross() {
        assert_eq!(clamp(5.0, 0.0, 10.0), 5.0);
        assert_eq!(clamp(-1.0, 0.0, 10.0), 0.0);
        assert_eq!(clamp(11.0, 0.0, 10.0), 10.0);
        // A canvas narrower than a label: no panic, the low bound.
        assert_eq!(clamp(5.0, 10.0, 0.0), 10.0);
    }

    #[test]
    fn crowded_nodes_get_room_and_labels_never_overlap() {
        let names = [
            "Alpha Centauri",
            "Beta",
            "Gamma Ray",
            "Delta Force",
            "Epsilon",
        ]
        .map(String::from);
        let radius = [8.0; 5];
        let priority = [5, 4, 3, 2, 1];
        let input = NetworkInput {
            names: &names,
            radius: &radius,
            priority: &priority,
            relations: &[(0, 1, "ally".to_owned())],
        };
        // Almost on top of each other: fitting and room-making must spread them.
        let lx = [0.0, 1.0, 2.0, 3.0, 4.0];
        let ly = [0.0, 0.5, 0.0, 0.5, 0.0];
        let s = NetworkScene::place(&input, &lx, &ly, 400.0, 300.0, None);
        let rects: Vec<Rect> = s
            .labels
            .iter()
            .chain(&s.relation_labels)
            .flatten()
            .map(|l| l.rect)
            .collect();
        assert_eq!(s.labels.iter().flatten().count(), 5, "every name placed");
        for (i, a) in rects.iter().enumerate() {
            assert!(a.inside(400.0, 300.0));
            for b in &rects[i + 1..] {
                assert!(!a.intersects(b), "{a:?} overlaps {b:?}");
            }
            for j in 0..5 {
                assert!(!a.touches_circle(s.x[j], s.y[j], s.radius[j]));
            }
        }
        assert_eq!(s.hit(s.x[2], s.y[2]), Some(2));
        assert_eq!(s.hit(-50.0, -50.0), None);
        let l = s.labels[3].unwrap().rect;
        assert_eq!(s.hit(l.x + l.w / 2.0, l.y + l.h / 2.0), Some(3));
    }

    #[test]
    fn a_small_network_is_not_blown_up_to_the_corners() {
        let names = ["A".to_owned(), "B".to_owned()];
        let input = NetworkInput {
            names: &names,
            radius: &[8.0, 8.0],
            priority: &[1, 1],
            relations: &[],
        };
        let s = NetworkScene::place(&input, &[0.0, 70.0], &[0.0, 0.0], 900.0, 500.0, None);
        let d = (s.x[1] - s.x[0]).hypot(s.y[1] - s.y[0]);
        assert!(d <= 70.0 * MAX_SCALE + 1e-9, "{d}");
        assert!(((s.x[0] + s.x[1]) / 2.0 - 450.0).abs() < 1.0, "centred");
    }

    #[test]
    fn the_camera_zooms_around_the_pointer_and_maps_back_to_the_layout() {
        let names = ["A".to_owned(), "B".to_owned(), "C".to_owned()];
        let input = NetworkInput {
            names: &names,
            radius: &[8.0; 3],
            priority: &[3, 2, 1],
            relations: &[],
        };
        let (lx, ly) = ([0.0, 100.0, 50.0], [0.0, 0.0, 80.0]);
        let mut s = NetworkScene::place(&input, &lx, &ly, 600.0, 400.0, None);
        let (x1, y1) = (s.x[1], s.y[1]);
        let mut camera = Camera::default();
        camera.zoom_at(2.0, x1, y1, 600.0, 400.0);
        s.view(&input, camera, &[true; 3], false);
        // The node under the pointer stays there; the others spread out.
        assert!((s.x[1] - x1).abs() < 1e-9 && (s.y[1] - y1).abs() < 1e-9);
        let before = (x1 - 300.0).abs();
        assert!((s.x[0] - x1).abs() > before);
        // Screen back to layout: node 2's screen position maps to (close to) its layout spot.
        let (bx, by) = s.layout_from_screen(s.x[2], s.y[2]).unwrap();
        assert!(
            (bx - 50.0).abs() < 20.0 && (by - 80.0).abs() < 20.0,
            "{bx},{by}"
        );
        // Hidden actors are neither labelled nor hit.
        s.view(&input, Camera::default(), &[true, false, true], false);
        assert!(s.labels[1].is_none());
        assert_eq!(s.hit(s.x[1], s.y[1]), None);
        assert_eq!(s.hit(s.x[0], s.y[0]), Some(0));
    }

    /// The nodes' circles (with the hit slack) by scanning all of them, then the labels.
    fn hit_by_scan(s: &NetworkScene, px: f64, py: f64) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for i in (0..s.x.len()).filter(|&i| s.is_shown(i)) {
            let d = (s.x[i] - px).hypot(s.y[i] - py);
            if d <= s.radius[i] + 4.0 && best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i, d));
            }
        }
        best.map(|(i, _)| i).or_else(|| {
            s.labels
                .iter()
                .position(|l| l.is_some_and(|l| l.rect.contains(px, py)))
        })
    }

    #[test]
    fn the_grid_hits_and_labels_exactly_as_a_scan_of_every_node() {
        // A big crowded network (past room-making and the label cap), deterministic.
        let n = 1500;
        let mut seed = 11u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let names: Vec<String> = (0..n).map(|i| format!("Actor number {i}")).collect();
        let radius: Vec<f64> = (0..n).map(|i| 3.0 + (i % 5) as f64).collect();
        let priority: Vec<usize> = (0..n).map(|i| (i * 7919) % 101).collect();
        let relations = vec![(0, 1, "ally".to_owned()), (5, 9, "rival".to_owned())];
        let input = NetworkInput {
            names: &names,
            radius: &radius,
            priority: &priority,
            relations: &relations,
        };
        let lx: Vec<f64> = (0..n).map(|_| next() * 2000.0).collect();
        let ly: Vec<f64> = (0..n).map(|_| next() * 1400.0).collect();
        let mut s = NetworkScene::place(&input, &lx, &ly, 1800.0, 1200.0, None);
        let mut camera = Camera::default();
        camera.zoom_at(3.0, 800.0, 600.0, 1800.0, 1200.0);
        let shown: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
        for (camera, shown) in [
            (Camera::default(), vec![true; n]),
            (camera, vec![true; n]),
            (camera, shown.clone()),
            (Camera::default(), shown),
        ] {
            s.view(&input, camera, &shown, false);
            assert!(s.labels.iter().flatten().count() > 10, "labels placed");
            for _ in 0..2000 {
                let (px, py) = (next() * 1860.0 - 30.0, next() * 1260.0 - 30.0);
                assert_eq!(s.hit(px, py), hit_by_scan(&s, px, py), "at {px},{py}");
            }
            // Every node's centre hits (that node or a nearer one), as a scan says.
            for i in (0..n).step_by(7) {
                assert_eq!(s.hit(s.x[i], s.y[i]), hit_by_scan(&s, s.x[i], s.y[i]));
            }
            // Labels placed again checking every node land in the same spots.
            let (labels, relation_labels) = (s.labels.clone(), s.relation_labels.clone());
            let mut scan = s.clone();
            scan.grid = None;
            scan.labels.iter_mut().for_each(|l| *l = None);
            scan.relation_labels.iter_mut().for_each(|l| *l = None);
            let order = label_order(&priority);
            scan.place_labels(&input, &order, false);
            assert_eq!(scan.labels, labels);
            assert_eq!(scan.relation_labels, relation_labels);
        }
    }
}
