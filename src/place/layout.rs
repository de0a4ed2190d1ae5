//! Force-directed layout of the network, in the manner of d3-force: links pull, nodes repel,
//! a weak gravity keeps loose actors near, and collisions keep circles apart.
//!
//! Positions live in flat arrays. There is no randomness (nodes start on a phyllotaxis spiral),
//! so the same data always gives the same picture. `tick` is separate from any timer so the
//! page can run a few ticks per animation frame while tests run them all at once.
//!
//! Cost per tick is O(n log n + links): repulsion goes through a Barnes–Hut quadtree (far
//! clusters act as one body) and collisions through a uniform grid (only nearby circles are
//! compared). Both are rebuilt every tick into buffers the layout keeps, so a tick allocates
//! nothing once the buffers have grown. Small graphs, up to [`EXACT_MAX`] nodes, take the exact
//! all-pairs path instead: it is as fast there and keeps small stories' pictures exact.

use crate::story::index::Cells;

/// A spring between two nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub a: usize,
    pub b: usize,
    /// Rest length in layout units.
    pub distance: f64,
    /// Extra pull for ties seen many times.
    pub weight: f64,
}

/// The heat a layout starts from when some nodes already have their places (stored
/// positions, an earlier publication): warm enough for new nodes to find theirs and for
/// changed ties to pull, cool enough that the placed ones stay near (d3 reheats a drag to
/// 0.3; that moved the default story's settled actors up to 28 units, 0.1 up to 9: see
/// tests/positions.rs). It cools to rest in about 200 ticks.
pub const REHEAT: f64 = 0.1;
/// Ticks until the simulation cools down, as d3's default.
pub const TICKS: u32 = 300;
/// Up to this many nodes, repulsion and collision compare every pair exactly.
pub const EXACT_MAX: usize = 128;
const ALPHA_MIN: f64 = 0.001;
const VELOCITY_KEEP: f64 = 0.6;
const CHARGE: f64 = -200.0;
const GRAVITY: f64 = 0.1;
/// Barnes–Hut opening angle: a cell whose width is below θ × its distance acts as one body.
/// 0.9 is d3's choice; the error it brings is far below what the eye sees in a network.
const THETA: f64 = 0.9;
/// Below this cell width, the tree stops splitting and keeps coincident points together.
const MAX_DEPTH: u32 = 48;
const NONE: u32 = u32::MAX;

/// One cell of the Barnes–Hut quadtree.
#[derive(Debug, Clone, Copy)]
struct Cell {
    /// Centre and half-width of the square.
    cx: f64,
    cy: f64,
    half: f64,
    /// Sum of positions, then (after `finish`) the centre of mass.
    mx: f64,
    my: f64,
    /// Number of points inside.
    mass: f64,
    /// Children by quadrant (bit 0: east, bit 1: south), `NONE` when absent.
    child: [u32; 4],
    /// For a leaf, the first of its points (chained through `Tree::next`); `NONE` for an
    /// internal cell.
    head: u32,
    depth: u32,
}

/// The quadtree, kept between ticks so its buffers are reused.
#[derive(Debug, Clone, Default)]
struct Tree {
    cells: Vec<Cell>,
    /// Next point in the same leaf, `NONE` at the end of a chain.
    next: Vec<u32>,
    stack: Vec<u32>,
    /// Points in depth-first leaf order.
    order: Vec<u32>,
}

impl Tree {
    fn leaf(cx: f64, cy: f64, half: f64, depth: u32, head: u32) -> Cell {
        Cell {
            cx,
            cy,
            half,
            mx: 0.0,
            my: 0.0,
            mass: 0.0,
            child: [NONE; 4],
            head,
            depth,
        }
    }

    /// Builds the tree over the points, each weighing its `mass`.
    fn build(&mut self, x: &[f64], y: &[f64], m: &[f64]) {
        self.cells.clear();
        self.next.clear();
        self.next.resize(x.len(), NONE);
        let (min_x, max_x) = min_max(x);
        let (min_y, max_y) = min_max(y);
        let half = ((max_x - min_x).max(max_y - min_y) * 0.5).max(1.0) * 1.0001;
        self.cells.push(Tree::leaf(
            (min_x + max_x) * 0.5,
            (min_y + max_y) * 0.5,
            half,
            0,
            NONE,
        ));
        for p in 0..x.len() {
            self.insert(p as u32, x, y);
        }
        // Children are always created after their parent, so a backward pass sums bottom-up.
        for q in (0..self.cells.len()).rev() {
            let c = self.cells[q];
            let (mut mx, mut my, mut mass) = (0.0, 0.0, 0.0);
            if c.head != NONE {
                let mut p = c.head;
                while p != NONE {
                    let w = m[p as usize];
                    mx += x[p as usize] * w;
                    my += y[p as usize] * w;
                    mass += w;
                    p = self.next[p as usize];
                }
            } else {
                for &k in &c.child {
                    if k != NONE {
                        let k = &self.cells[k as usize];
                        mx += k.mx;
                        my += k.my;
                        mass += k.mass;
                    }
                }
            }
            let c = &mut self.cells[q];
            (c.mx, c.my, c.mass) = (mx, my, mass);
        }
        for c in &mut self.cells {
            if c.mass > 0.0 {
                c.mx /= c.mass;
                c.my /= c.mass;
            }
        }
    }

    fn insert(&mut self, p: u32, x: &[f64], y: &[f64]) {
        let (px, py) = (x[p as usize], y[p as usize]);
        let mut q = 0usize;
        loop {
            let c = self.cells[q];
            if c.head == NONE && c.child != [NONE; 4] {
                // Internal: go down, creating the quadrant's leaf if it is empty.
                let k = quadrant(&c, px, py);
                match c.child[k] {
                    NONE => {
                        let cell = child_cell(&c, k, p);
                        self.cells.push(cell);
                        self.cells[q].child[k] = (self.cells.len() - 1) as u32;
                        return;
                    }
                    next => q = next as usize,
                }
            } else if c.head == NONE {
                // The empty root.
                self.cells[q].head = p;
                return;
            } else {
                let h = c.head as usize;
                if c.depth >= MAX_DEPTH || (x[h] == px && y[h] == py) {
                    // Same spot (or as deep as sensible): keep them together in one leaf.
                    self.next[p as usize] = c.head;
                    self.cells[q].head = p;
                    return;
                }
                // Split: the leaf's points (all at one spot) move down to a child, then the
                // new point continues from this now-internal cell.
                let k = quadrant(&c, x[h], y[h]);
                let cell = child_cell(&c, k, c.head);
                self.cells.push(cell);
                let index = (self.cells.len() - 1) as u32;
                let cq = &mut self.cells[q];
                cq.child[k] = index;
                cq.head = NONE;
            }
        }
    }

    /// Fills `out` with every point, leaf by leaf in depth-first order.
    fn leaf_order(&mut self, out: &mut Vec<u32>) {
        out.clear();
        self.stack.clear();
        self.stack.push(0);
        while let Some(q) = self.stack.pop() {
            let c = &self.cells[q as usize];
            let mut p = c.head;
            while p != NONE {
                out.push(p);
                p = self.next[p as usize];
            }
            self.stack
                .extend(c.child.iter().rev().filter(|&&k| k != NONE));
        }
    }

    /// The repulsion of all others on point `i`, `strength × mass / d²` each.
    fn repel(&mut self, i: usize, x: &[f64], y: &[f64], m: &[f64], strength: f64) -> (f64, f64) {
        let (xi, yi) = (x[i], y[i]);
        let (mut fx, mut fy) = (0.0, 0.0);
        let theta2 = THETA * THETA;
        self.stack.clear();
        self.stack.push(0);
        while let Some(q) = self.stack.pop() {
            let c = &self.cells[q as usize];
            if c.mass == 0.0 {
                continue;
            }
            if c.head != NONE {
                let mut p = c.head;
                while p != NONE {
                    let j = p as usize;
                    p = self.next[j];
                    if j == i {
                        continue;
                    }
                    let (mut dx, mut dy) = (x[j] - xi, y[j] - yi);
                    if dx == 0.0 && dy == 0.0 {
                        (dx, dy) = jiggle(i.min(j), i.max(j));
                    }
                    let w = strength / (dx * dx + dy * dy).max(1.0) * m[j];
                    fx += dx * w;
                    fy += dy * w;
                }
                continue;
            }
            let (dx, dy) = (c.mx - xi, c.my - yi);
            let l = dx * dx + dy * dy;
            let width = 2.0 * c.half;
            if width * width < theta2 * l {
                let w = strength * c.mass / l.max(1.0);
                fx += dx * w;
                fy += dy * w;
            } else {
                for &k in &c.child {
                    if k != NONE {
                        self.stack.push(k);
                    }
                }
            }
        }
        (fx, fy)
    }
}

fn quadrant(c: &Cell, px: f64, py: f64) -> usize {
    usize::from(px >= c.cx) | (usize::from(py >= c.cy) << 1)
}

fn child_cell(c: &Cell, k: usize, head: u32) -> Cell {
    let h = c.half * 0.5;
    let cx = if k & 1 == 1 { c.cx + h } else { c.cx - h };
    let cy = if k & 2 == 2 { c.cy + h } else { c.cy - h };
    Tree::leaf(cx, cy, h, c.depth + 1, head)
}

/// A uniform grid of cells at least one collision diameter wide, refilled each tick into
/// reused buffers.
#[derive(Debug, Clone, Default)]
struct Grid {
    /// Predicted positions `x + vx`, `y + vy`, as d3's collide force uses.
    px: Vec<f64>,
    py: Vec<f64>,
    cells: Cells,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    vx: Vec<f64>,
    vy: Vec<f64>,
    /// Collision radius of each node, layout units.
    radius: Vec<f64>,
    /// How strongly each node repels and is repelled: 1 for an actor, the number of actors
    /// a node stands for in a coarse level of a multilevel layout (`place::multilevel`).
    mass: Vec<f64>,
    max_radius: f64,
    links: Vec<Link>,
    /// Per link: (strength, bias) as d3 computes them from the degrees.
    link_params: Vec<(f64, f64)>,
    alpha: f64,
    alpha_decay: f64,
    ticks: u32,
    /// Up to this many nodes, the exact paths run; tests lower it to compare the two.
    exact_max: usize,
    tree: Tree,
    grid: Grid,
    /// How far the current tick has got when it is split over several calls.
    stage: Stage,
    /// The coarse levels of a multilevel layout still to run before this one's own ticks
    /// (`place::multilevel`); none for the plain layout. The first download has only the
    /// plain layout (`view::fixed`).
    #[cfg(feature = "full")]
    prelude: Option<Box<crate::place::multilevel::Ladder>>,
}

/// The part of a tick still to run. Links and repulsion only add to velocities from
/// positions that do not change until the tick ends, so a tick run in pieces gives exactly
/// the positions of a tick run at once.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Stage {
    #[default]
    Start,
    /// Links from this index on.
    Links(usize),
    /// Repulsion for the tree's nodes from this position in its order on (tree built).
    Charge(usize),
}

/// Links, or nodes' repulsion, handled between two looks at the clock.
const CHUNK: usize = 2048;

impl Layout {
    /// A layout of `radius.len()` nodes; links naming a node that does not exist are dropped.
    pub fn new(radius: Vec<f64>, links: Vec<Link>) -> Layout {
        let n = radius.len();
        let links: Vec<Link> = links.into_iter().filter(|l| l.a < n && l.b < n).collect();
        let (mut x, mut y) = (Vec::with_capacity(n), Vec::with_capacity(n));
        // A sunflower's spiral, as d3-force starts from: each node a golden angle on.
        let spiral =
            crate::place::network::around((1.0, 0.0), crate::place::network::turn::GOLDEN, n);
        for (i, (c, s)) in spiral.enumerate() {
            let r = 12.0 * (0.5 + i as f64).sqrt();
            x.push(r * c);
            y.push(r * s);
        }
        let mut degree = vec![0.0f64; n];
        for l in &links {
            degree[l.a] += 1.0;
            degree[l.b] += 1.0;
        }
        let link_params = links
            .iter()
            .map(|l| {
                let (da, db) = (degree[l.a], degree[l.b]);
                let strength = (1.0 / da.min(db)) * (1.0 + 0.15 * (l.weight - 1.0)).min(1.6);
                (strength, da / (da + db))
            })
            .collect();
        let max_radius = radius.iter().copied().fold(0.0, f64::max);
        Layout {
            x,
            y,
            vx: vec![0.0; n],
            vy: vec![0.0; n],
            mass: vec![1.0; n],
            radius,
            max_radius,
            links,
            link_params,
            alpha: 1.0,
            // 1 - ALPHA_MIN^(1/TICKS), as d3-force; by `exp` and `ln`, not `powf` (2 KB).
            alpha_decay: 1.0 - (ALPHA_MIN.ln() / f64::from(TICKS)).exp(),
            ticks: 0,
            exact_max: EXACT_MAX,
            tree: Tree::default(),
            grid: Grid::default(),
            stage: Stage::Start,
            #[cfg(feature = "full")]
            prelude: None,
        }
    }

    #[cfg(feature = "full")]
    /// Each node's mass (see `mass`); a length other than the layout's is ignored.
    pub(crate) fn set_mass(&mut self, mass: Vec<f64>) {
        if mass.len() == self.len() {
            self.mass = mass;
        }
    }

    #[cfg(feature = "full")]
    /// Runs from `alpha` and cools to rest in `ticks` ticks (rather than [`TICKS`] from 1): a
    /// layout that starts near its rest needs only to be refined.
    pub(crate) fn cool_over(&mut self, alpha: f64, ticks: u32) {
        self.alpha = alpha.clamp(ALPHA_MIN, 1.0);
        self.alpha_decay = decay_over(self.alpha, ticks);
        self.stage = Stage::Start;
    }

    /// The coarse level a multilevel layout is running (`usize::MAX` while its levels are
    /// being made), `None` once the actors' own ticks run (and always for the plain layout).
    pub(crate) fn coarse_level(&self) -> Option<usize> {
        #[cfg(feature = "full")]
        return self.prelude.as_ref().map(|l| l.level());
        #[cfg(not(feature = "full"))]
        None
    }

    /// Whether coarse levels are still to run.
    fn in_prelude(&self) -> bool {
        self.coarse_level().is_some()
    }

    #[cfg(feature = "full")]
    pub(crate) fn set_prelude(&mut self, prelude: Box<crate::place::multilevel::Ladder>) {
        self.prelude = Some(prelude);
    }

    #[cfg(feature = "full")]
    /// The links, as given (those naming a node that does not exist dropped).
    pub(crate) fn links(&self) -> &[Link] {
        &self.links
    }

    #[cfg(feature = "full")]
    pub(crate) fn radius(&self) -> &[f64] {
        &self.radius
    }

    /// Runs what is left of the coarse levels, if any, within `time_up`; true when they are
    /// done (and this layout's own ticks are next).
    #[cfg(not(feature = "full"))]
    fn prelude_work(&mut self, _: &mut dyn FnMut() -> bool) -> bool {
        true
    }

    #[cfg(feature = "full")]
    fn prelude_work(&mut self, time_up: &mut dyn FnMut() -> bool) -> bool {
        let Some(ladder) = self.prelude.as_mut() else {
            return true;
        };
        if ladder.work(time_up, &mut self.x, &mut self.y) {
            let cooling = ladder.finest_cooling();
            self.prelude = None;
            // No coarse levels (the graph did not collapse): the plain layout's own cooling.
            if let Some((alpha, ticks)) = cooling {
                self.cool_over(alpha, ticks);
            }
            return true;
        }
        false
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Still moving noticeably.
    pub fn running(&self) -> bool {
        (self.alpha >= ALPHA_MIN || self.in_prelude()) && !self.is_empty()
    }

    pub fn ticks(&self) -> u32 {
        self.ticks
    }

    /// How far the layout has cooled, 0 at the start to 1 when it stops: the share of the
    /// (geometric) way from alpha 1 to the stopping alpha, for a progress bar.
    pub fn progress(&self) -> f64 {
        if !self.running() {
            return 1.0;
        }
        #[cfg(feature = "full")]
        if let Some(ladder) = &self.prelude {
            return ladder.progress();
        }
        (self.alpha.ln() / ALPHA_MIN.ln()).clamp(0.0, 1.0)
    }

    /// Runs until cool or until `max_ticks` more ticks have run (a multilevel layout's
    /// coarse levels, bounded and cheap, run to the end first and are not counted).
    pub fn run(&mut self, max_ticks: u32) {
        self.prelude_work(&mut || false);
        for _ in 0..max_ticks {
            if !self.running() {
                break;
            }
            self.tick();
        }
    }

    /// Runs ticks, in pieces, until `time_up()` says so or the layout is cool: a tick of a
    /// big graph (tens of milliseconds at 20,000 nodes) is spread over several animation
    /// frames instead of blocking one. Returns the number of ticks completed; a multilevel
    /// layout's coarse levels count one when they move the nodes (each level's end).
    pub fn work(&mut self, time_up: &mut dyn FnMut() -> bool) -> u32 {
        if self.in_prelude() {
            let before = self.coarse_level();
            if !self.prelude_work(time_up) {
                return u32::from(self.coarse_level() != before);
            }
            if time_up() {
                return 1;
            }
        }
        let mut done = 0;
        // Small graphs: whole ticks, the exact paths.
        if self.len() <= self.exact_max {
            while self.running() {
                self.tick();
                done += 1;
                if time_up() {
                    break;
                }
            }
            return done;
        }
        while self.running() {
            let alpha = self.alpha;
            match self.stage {
                Stage::Start => self.stage = Stage::Links(0),
                Stage::Links(from) => {
                    let to = (from + CHUNK).min(self.links.len());
                    self.apply_links_range(alpha, from, to);
                    if to == self.links.len() {
                        self.tree.build(&self.x, &self.y, &self.mass);
                        let mut order = std::mem::take(&mut self.tree.order);
                        self.tree.leaf_order(&mut order);
                        self.tree.order = order;
                        self.stage = Stage::Charge(0);
                    } else {
                        self.stage = Stage::Links(to);
                    }
                }
                Stage::Charge(from) => {
                    let to = (from + CHUNK).min(self.tree.order.len());
                    self.apply_charge_range(alpha, from, to);
                    if to == self.tree.order.len() {
                        self.finish_tick(alpha);
                        self.stage = Stage::Start;
                        done += 1;
                    } else {
                        self.stage = Stage::Charge(to);
                    }
                }
            }
            if time_up() {
                break;
            }
        }
        done
    }

    /// Starts from known places: each `Some` node there, each `None` one at the middle of
    /// its placed neighbours (a tiny nudge apart), or, with none placed, on the spiral moved
    /// beside the placed ones. When every node is placed the layout is at rest (nothing moves
    /// until a reheat); otherwise it runs from [`REHEAT`]. Places for nodes beyond the layout
    /// are ignored; too few leave the rest unplaced.
    pub fn start_from(&mut self, places: &[Option<[f64; 2]>]) {
        let n = self.len();
        let place = |i: usize| places.get(i).copied().flatten();
        let placed = (0..n).filter(|&i| place(i).is_some()).count();
        if placed == 0 {
            return;
        }
        // Places given: the layout refines them, it does not lay the graph out anew.
        #[cfg(feature = "full")]
        {
            self.prelude = None;
        }
        let (mut sx, mut sy) = (vec![0.0; n], vec![0.0; n]);
        let mut count = vec![0.0f64; n];
        for l in &self.links {
            for (from, to) in [(l.a, l.b), (l.b, l.a)] {
                if let (None, Some([x, y])) = (place(to), place(from)) {
                    sx[to] += x;
                    sy[to] += y;
                    count[to] += 1.0;
                }
            }
        }
        let known: Vec<f64> = (0..n).filter_map(place).map(|[x, _]| x).collect();
        let (_, right) = min_max(&known);
        let (spiral_left, _) = min_max(&self.x);
        for i in 0..n {
            (self.x[i], self.y[i]) = match place(i) {
                Some([x, y]) => (x, y),
                None if count[i] > 0.0 => {
                    let (dx, dy) = jiggle(i, n);
                    (sx[i] / count[i] + 100.0 * dx, sy[i] / count[i] + 100.0 * dy)
                }
                // Loose and new: the spiral, to the right of the placed nodes.
                None => (self.x[i] - spiral_left + right + 50.0, self.y[i]),
            };
            (self.vx[i], self.vy[i]) = (0.0, 0.0);
        }
        self.alpha = if placed == n { 0.0 } else { REHEAT };
        self.stage = Stage::Start;
    }

    /// The graph as numbers, for another thread to lay out (the page's worker):
    /// `[n, radius × n, (a, b, distance, weight) × links]`. [`Layout::graph_parts`] gives the
    /// radii and links back, from which [`crate::place::multilevel::layout`] makes this very
    /// layout, tick for tick.
    pub fn graph(&self) -> Vec<f64> {
        // A loop, not an iterator chain: 900 bytes less of the first wasm.
        let mut out = Vec::with_capacity(1 + self.len() + 4 * self.links.len());
        out.push(self.len() as f64);
        out.extend_from_slice(&self.radius);
        for l in &self.links {
            out.extend([l.a as f64, l.b as f64, l.distance, l.weight]);
        }
        out
    }

    /// The radii and links of [`Layout::graph`]'s numbers; `None` if they are not a graph.
    pub fn graph_parts(graph: &[f64]) -> Option<(Vec<f64>, Vec<Link>)> {
        let (&n, rest) = graph.split_first()?;
        if !(n >= 0.0 && n.fract() == 0.0 && n <= rest.len() as f64) {
            return None;
        }
        let (radius, links) = rest.split_at(n as usize);
        if links.len() % 4 != 0 || !graph.iter().all(|v| v.is_finite()) {
            return None;
        }
        let node = |v: f64| (v >= 0.0 && v < n && v.fract() == 0.0).then_some(v as usize);
        let links = links
            .chunks_exact(4)
            .map(|l| {
                Some(Link {
                    a: node(l[0])?,
                    b: node(l[1])?,
                    distance: l[2],
                    weight: l[3],
                })
            })
            .collect::<Option<Vec<Link>>>()?;
        Some((radius.to_vec(), links))
    }

    /// Where the nodes are and how hot the layout is, for the thread that shows it:
    /// `[progress, alpha, alpha decay, x0, y0, x1, y1, …]`; while the coarse levels run, the
    /// heat the actors' own level will start from, so that a layout taking the state over
    /// ([`Layout::take_state`]) refines these positions as that level would.
    #[cfg(feature = "full")]
    pub fn state(&self) -> Vec<f64> {
        let heat = match self.prelude.as_ref().and_then(|l| l.finest_cooling()) {
            Some((alpha, ticks)) => {
                let alpha = alpha.clamp(ALPHA_MIN, 1.0);
                [alpha, decay_over(alpha, ticks)]
            }
            None => [self.alpha, self.alpha_decay],
        };
        let mut out = Vec::with_capacity(3 + 2 * self.len());
        out.push(self.progress());
        out.extend(heat);
        for (x, y) in self.x.iter().zip(&self.y) {
            out.extend([*x, *y]);
        }
        out
    }

    /// Takes on the [`Layout::state`] of the same graph's layout run elsewhere: its positions
    /// and its heat, so that stepped from here it runs on as that one would have (but for
    /// the velocities, which start again from rest). False, and nothing changed, for a state
    /// of another graph.
    pub fn take_state(&mut self, state: &[f64]) -> bool {
        if state.len() != 3 + 2 * self.len() || !state.iter().all(|v| v.is_finite()) {
            return false;
        }
        let nodes = self.x.iter_mut().zip(self.y.iter_mut());
        for ((x, y), p) in nodes.zip(state[3..].chunks_exact(2)) {
            (*x, *y) = (p[0], p[1]);
        }
        self.vx.fill(0.0);
        self.vy.fill(0.0);
        self.alpha = state[1].clamp(0.0, 1.0);
        self.alpha_decay = state[2].clamp(0.0, 1.0);
        // The state is further on than any coarse levels still to run here.
        #[cfg(feature = "full")]
        {
            self.prelude = None;
        }
        self.stage = Stage::Start;
        true
    }

    /// Warms the layout to `alpha` (at most 1) so it runs again from where the nodes are.
    pub fn reheat(&mut self, alpha: f64) {
        if self.in_prelude() {
            // Still being laid out coarse to fine: it runs on and refines at the end anyway.
            return;
        }
        self.alpha = alpha.clamp(0.0, 1.0);
        self.stage = Stage::Start;
    }

    /// One simulation step (after a multilevel layout's coarse levels, run to the end).
    pub fn tick(&mut self) {
        self.prelude_work(&mut || false);
        let alpha = self.alpha;
        self.apply_links(alpha);
        if self.len() <= self.exact_max {
            self.apply_charge_exact(alpha);
        } else {
            self.apply_charge_tree(alpha);
        }
        self.finish_tick(alpha);
    }

    /// Gravity, collisions and moving the nodes: the end of a tick.
    fn finish_tick(&mut self, alpha: f64) {
        self.apply_gravity(alpha);
        if self.len() <= self.exact_max {
            self.apply_collisions_exact();
        } else {
            self.apply_collisions_grid();
        }
        for i in 0..self.len() {
            self.vx[i] *= VELOCITY_KEEP;
            self.vy[i] *= VELOCITY_KEEP;
            self.x[i] += self.vx[i];
            self.y[i] += self.vy[i];
        }
        self.alpha += (0.0 - self.alpha) * self.alpha_decay;
        self.ticks += 1;
    }

    fn apply_links(&mut self, alpha: f64) {
        self.apply_links_range(alpha, 0, self.links.len());
    }

    fn apply_links_range(&mut self, alpha: f64, from: usize, to: usize) {
        let links = self.links[from..to].iter().zip(&self.link_params[from..to]);
        for (l, &(strength, bias)) in links {
            let (a, b) = (l.a, l.b);
            let mut dx = self.x[b] + self.vx[b] - self.x[a] - self.vx[a];
            let mut dy = self.y[b] + self.vy[b] - self.y[a] - self.vy[a];
            if dx == 0.0 && dy == 0.0 {
                (dx, dy) = jiggle(a, b);
            }
            let len = (dx * dx + dy * dy).sqrt();
            let k = (len - l.distance) / len * alpha * strength;
            let (fx, fy) = (dx * k, dy * k);
            self.vx[b] -= fx * bias;
            self.vy[b] -= fy * bias;
            self.vx[a] += fx * (1.0 - bias);
            self.vy[a] += fy * (1.0 - bias);
        }
    }

    /// All-pairs repulsion, for small graphs.
    fn apply_charge_exact(&mut self, alpha: f64) {
        let n = self.len();
        for i in 0..n {
            for j in (i + 1)..n {
                let mut dx = self.x[j] - self.x[i];
                let mut dy = self.y[j] - self.y[i];
                if dx == 0.0 && dy == 0.0 {
                    (dx, dy) = jiggle(i, j);
                }
                let d2 = (dx * dx + dy * dy).max(1.0);
                let w = CHARGE * alpha / d2;
                let (mi, mj) = (self.mass[i], self.mass[j]);
                self.vx[i] += dx * w * mj;
                self.vy[i] += dy * w * mj;
                self.vx[j] -= dx * w * mi;
                self.vy[j] -= dy * w * mi;
            }
        }
    }

    /// Barnes–Hut repulsion: O(n log n).
    fn apply_charge_tree(&mut self, alpha: f64) {
        self.tree.build(&self.x, &self.y, &self.mass);
        // Neighbours in the tree walk nearly the same cells: visiting nodes in tree order
        // keeps those cells in cache. Each node's force depends only on positions, so the
        // order changes nothing in the result.
        let mut order = std::mem::take(&mut self.tree.order);
        self.tree.leaf_order(&mut order);
        self.tree.order = order;
        self.apply_charge_range(alpha, 0, self.tree.order.len());
    }

    /// Repulsion for the nodes at positions `from..to` of the tree's order (tree built).
    fn apply_charge_range(&mut self, alpha: f64, from: usize, to: usize) {
        let order = std::mem::take(&mut self.tree.order);
        for &i in &order[from..to] {
            let i = i as usize;
            let (fx, fy) = self
                .tree
                .repel(i, &self.x, &self.y, &self.mass, CHARGE * alpha);
            self.vx[i] += fx;
            self.vy[i] += fy;
        }
        self.tree.order = order;
    }

    /// Pulls every node gently toward the origin so unconnected actors stay in the picture.
    fn apply_gravity(&mut self, alpha: f64) {
        for i in 0..self.len() {
            self.vx[i] -= self.x[i] * GRAVITY * alpha;
            self.vy[i] -= self.y[i] * GRAVITY * alpha;
        }
    }

    fn apply_collisions_exact(&mut self) {
        let n = self.len();
        for i in 0..n {
            for j in (i + 1)..n {
                let xi = (self.x[i] + self.vx[i], self.y[i] + self.vy[i]);
                collide(
                    &self.radius,
                    &self.x,
                    &self.y,
                    &mut self.vx,
                    &mut self.vy,
                    (i, j),
                    xi,
                );
            }
        }
    }

    /// Collisions through a uniform grid: each node meets only the nodes in its own and the
    /// eight neighbouring cells, each pair once.
    fn apply_collisions_grid(&mut self) {
        let Layout {
            x,
            y,
            vx,
            vy,
            radius,
            max_radius,
            grid: g,
            ..
        } = self;
        let n = x.len();
        g.px.clear();
        g.py.clear();
        g.px.extend(x.iter().zip(vx.iter()).map(|(x, v)| x + v));
        g.py.extend(y.iter().zip(vy.iter()).map(|(y, v)| y + v));
        let (min_x, max_x) = min_max(&g.px);
        let (min_y, max_y) = min_max(&g.py);
        // Cells one diameter wide, but never more cells than about 4n: a node flung far away
        // must not make the grid huge.
        let span = (max_x - min_x).max(max_y - min_y).max(1.0);
        let side_cap = (2.0 * (n as f64).sqrt()).ceil().max(1.0);
        let cell = (2.0 * *max_radius).max(span / side_cap).max(1e-9);
        let cols = ((max_x - min_x) / cell) as usize + 1;
        let rows = ((max_y - min_y) / cell) as usize + 1;
        // Each cell's nodes in node order, so the pairs are visited in the same order every
        // time and the layout stays deterministic.
        let points = g.px.iter().zip(&g.py).enumerate();
        let points = points.map(|(i, (&x, &y))| (i as u32, x, y));
        g.cells.fill((min_x, min_y), cell, (cols, rows), points);
        for i in 0..n {
            let (c, r) = g.cells.cell_of(i);
            let (xi, yi) = (x[i] + vx[i], y[i] + vy[i]);
            let (c0, c1) = (c.saturating_sub(1), (c + 1).min(cols - 1));
            for rr in r.saturating_sub(1)..(r + 2).min(rows) {
                for &j in g.cells.run(rr, c0, c1) {
                    let j = j as usize;
                    if j > i {
                        collide(radius, x, y, vx, vy, (i, j), (xi, yi));
                    }
                }
            }
        }
    }
}

/// Pushes `i` and `j` apart if their circles overlap at their predicted positions;
/// `(xi, yi)` is `i`'s predicted position as the caller last saw it.
fn collide(
    radius: &[f64],
    x: &[f64],
    y: &[f64],
    vx: &mut [f64],
    vy: &mut [f64],
    (i, j): (usize, usize),
    (xi, yi): (f64, f64),
) {
    let min = radius[i] + radius[j];
    let mut dx = (x[j] + vx[j]) - xi;
    let mut dy = (y[j] + vy[j]) - yi;
    if dx == 0.0 && dy == 0.0 {
        (dx, dy) = jiggle(i, j);
    }
    let d2 = dx * dx + dy * dy;
    if d2 < min * min {
        let d = d2.sqrt();
        let push = (min - d) / d * 0.5 * 0.7;
        vx[i] -= dx * push;
        vy[i] -= dy * push;
        vx[j] += dx * push;
        vy[j] += dy * push;
    }
}

/// The decay that cools from `alpha` to rest in `ticks` ticks.
#[cfg(feature = "full")]
fn decay_over(alpha: f64, ticks: u32) -> f64 {
    1.0 - ((ALPHA_MIN / alpha).ln() / f64::from(ticks.max(1))).exp()
}

/// The smallest and largest of `v` (NaNs passed over); `(∞, -∞)` when empty. The network's
/// fit to the canvas uses it too.
pub(crate) fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// A tiny deterministic nudge to separate coincident nodes (d3 uses a random one): each
/// coordinate moved by under 1e-3, never by 0, as the pair picks.
fn jiggle(a: usize, b: usize) -> (f64, f64) {
    let h = a.wrapping_mul(7919).wrapping_add(b.wrapping_mul(104_729));
    let nudge = |k: usize| ((k % 1000) as f64 + 0.5) * 2e-6 - 1e-3;
    (nudge(h), nudge(h / 1000))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn square() -> Layout {
        let links = vec![
            Link {
                a: 0,
                b: 1,
                distance: 50.0,
                weight: 1.0,
            },
            Link {
                a: 1,
                b: 2,
                distance: 50.0,
                weight: 1.0,
            },
            Link {
                a: 2,
                b: 3,
                distance: 50.0,
                weight: 1.0,
            },
            Link {
                a: 3,
                b: 0,
                distance: 50.0,
                weight: 1.0,
            },
        ];
        Layout::new(vec![10.0; 5], links)
    }

    #[test]
    fn same_input_same_positions() {
        let (mut a, mut b) = (square(), square());
        a.run(TICKS);
        // Sliced runs must land exactly where one long run does.
        for _ in 0..60 {
            b.run(5);
        }
        assert_eq!(a.x, b.x);
        assert_eq!(a.y, b.y);
        assert!(!a.running());
    }

    #[test]
    fn linked_nodes_settle_near_their_rest_length_and_apart() {
        let mut l = square();
        l.run(TICKS);
        let dist =
            |i: usize, j: usize| ((l.x[i] - l.x[j]).powi(2) + (l.y[i] - l.y[j]).powi(2)).sqrt();
        for (i, j) in [(0, 1), (1, 2), (2, 3), (3, 0)] {
            let d = dist(i, j);
            assert!(d > 35.0 && d < 120.0, "link {i}-{j} is {d}");
        }
        for i in 0..5 {
            for j in (i + 1)..5 {
                assert!(dist(i, j) >= 19.0, "{i} and {j} overlap");
            }
        }
        // The unlinked node stays in the picture.
        assert!(l.x[4].hypot(l.y[4]) < 400.0);
    }

    /// A generated story's co-participation graph, as the app would lay it out.
    fn generated(actors: usize, events: usize) -> Layout {
        Layout::new(vec![12.0; actors], generated_links(actors, events, 3))
    }

    /// The links of a generated story's co-participation graph (seed `seed`), as the bench
    /// lays them out.
    pub(crate) fn generated_links(actors: usize, events: usize, seed: u64) -> Vec<Link> {
        let s = crate::write::generate::synthesize(actors, events, seed);
        crate::write::generate::cooccurrence_edges(&s)
            .chunks_exact(2)
            .map(|p| Link {
                a: p[0] as usize,
                b: p[1] as usize,
                distance: 70.0,
                weight: 1.0,
            })
            .collect()
    }

    #[test]
    fn progress_rises_from_zero_to_one() {
        let mut l = square();
        assert_eq!(l.progress(), 0.0);
        let mut last = 0.0;
        while l.running() {
            l.run(10);
            assert!(l.progress() >= last);
            last = l.progress();
        }
        assert_eq!(l.progress(), 1.0);
        assert!(l.ticks() <= TICKS + 1);
    }

    #[test]
    fn barnes_hut_repulsion_is_close_to_the_exact_sum() {
        let mut l = generated(600, 3000);
        l.run(40);
        let (x, y) = (l.x.clone(), l.y.clone());
        let n = x.len();
        let m = l.mass.clone();
        l.tree.build(&x, &y, &m);
        let (mut err2, mut norm2) = (0.0, 0.0);
        for i in 0..n {
            let (fx, fy) = l.tree.repel(i, &x, &y, &m, CHARGE);
            let (mut ex, mut ey) = (0.0, 0.0);
            for j in 0..n {
                if j != i {
                    let (dx, dy) = (x[j] - x[i], y[j] - y[i]);
                    let w = CHARGE / (dx * dx + dy * dy).max(1.0);
                    ex += dx * w;
                    ey += dy * w;
                }
            }
            err2 += (fx - ex).powi(2) + (fy - ey).powi(2);
            norm2 += ex * ex + ey * ey;
        }
        let relative = (err2 / norm2).sqrt();
        assert!(relative < 0.05, "RMS relative error {relative}");
    }

    fn median_link(l: &Layout) -> f64 {
        let mut lengths: Vec<f64> = l
            .links
            .iter()
            .map(|k| (l.x[k.a] - l.x[k.b]).hypot(l.y[k.a] - l.y[k.b]))
            .collect();
        lengths.sort_by(f64::total_cmp);
        lengths[lengths.len() / 2]
    }

    /// The closest pair of circles, as a share of the sum of their radii.
    fn closest_pair(l: &Layout) -> f64 {
        let mut worst = f64::INFINITY;
        for i in 0..l.len() {
            for j in (i + 1)..l.len() {
                let d = (l.x[i] - l.x[j]).hypot(l.y[i] - l.y[j]);
                worst = worst.min(d / (l.radius[i] + l.radius[j]));
            }
        }
        worst
    }

    #[test]
    fn a_large_graph_is_deterministic_when_sliced_and_as_good_as_the_exact_one() {
        let mut a = generated(400, 2500);
        let mut b = a.clone();
        let mut exact = a.clone();
        exact.exact_max = usize::MAX;
        a.run(TICKS);
        exact.run(TICKS);
        while b.running() {
            b.run(7);
        }
        assert_eq!(a.x, b.x);
        assert_eq!(a.y, b.y);
        assert!(a.x.iter().chain(&a.y).all(|v| v.is_finite()));
        // Barnes–Hut and the grid give links of the same length as exact forces do. (Dense
        // generated graphs stretch links past their rest length either way: many neighbours
        // repel each other while each link's pull is divided by its ends' degree, as in d3.)
        let (m, e) = (median_link(&a), median_link(&exact));
        assert!((m / e - 1.0).abs() < 0.1, "median link {m}, exact {e}");
        assert!(m > 35.0 && m < 4.0 * 70.0, "median link {m}");
        // No two circles overlap by more than a tenth of their radii.
        let worst = closest_pair(&a);
        assert!(worst > 0.9, "closest pair at {worst} of their radii");
    }

    /// A tick split over many calls, a chunk at a time, lands exactly where whole ticks do.
    #[test]
    fn ticks_in_pieces_give_the_same_positions() {
        let mut whole = generated(400, 2500);
        whole.exact_max = 50;
        let mut pieces = whole.clone();
        whole.run(40);
        let mut calls = 0;
        while pieces.ticks() < 40 {
            // Time is up after every chunk.
            pieces.work(&mut || true);
            calls += 1;
        }
        assert!(calls > 40, "{calls} calls: ticks were split");
        assert_eq!(whole.x, pieces.x);
        assert_eq!(whole.y, pieces.y);
    }

    #[test]
    fn coincident_nodes_and_bad_links_do_no_harm() {
        let links = vec![
            Link {
                a: 0,
                b: 500,
                distance: 50.0,
                weight: 1.0,
            },
            Link {
                a: 0,
                b: 1,
                distance: 50.0,
                weight: 1.0,
            },
        ];
        let mut l = Layout::new(vec![5.0; 300], links);
        for i in 0..300 {
            (l.x[i], l.y[i]) = (1.0, 1.0);
        }
        l.run(TICKS);
        assert!(l.x.iter().chain(&l.y).all(|v| v.is_finite()));
        let spread = l.x.iter().fold(0.0f64, |m, v| m.max((v - l.x[0]).abs()));
        assert!(spread > 10.0, "coincident nodes were pushed apart");
    }
}
