//! Coarse-to-fine (multilevel) force layout for big networks, in the manner of sfdp and FM³:
//! the graph is collapsed level by level (heavy-edge matching, then the leftover leaves of a
//! hub paired with each other), the coarsest graph (a hundred nodes or so) is laid out fully,
//! then each level is expanded (a node's children placed around it) and refined by a few ticks
//! of the same force model ([`Layout`]) from a low heat. The actors' own level runs last, as
//! the layout's own ticks, so the page still spreads them over frames (`Layout::work`).
//!
//! A coarse node stands for `mass` actors: it repels and is repelled in proportion (the tree
//! weighs it so), its circle has their area and its ties are as long as their clusters are
//! wide, so every level spreads as wide as the actors will and a level's picture is already
//! the next one's, only blurred. The finest level then needs far fewer ticks than a layout
//! from a spiral. There is no randomness: matching goes in a fixed order and children are
//! placed on a golden-angle spiral around their parent, so the same graph always gives the
//! same positions, bit for bit.
//!
//! Graphs up to [`PLAIN_MAX`] nodes keep the plain layout and its pictures.

use crate::place::layout::{Layout, Link, TICKS};

/// Up to this many nodes the plain layout runs: it is fast there, and small stories keep
/// the pictures they had.
pub const PLAIN_MAX: usize = 400;
/// Collapsing also stops when a level keeps more than this share of the nodes (the rest
/// cannot be matched: a graph of many isolated nodes, say).
const STALL: f64 = 0.85;

/// How each level is refined after it is expanded.
#[derive(Debug, Clone, Copy)]
struct Schedule {
    /// The heat an expanded coarse level is refined from, and the actors' own level's.
    level_alpha: f64,
    finest_alpha: f64,
    /// Ticks refining an expanded coarse level: more on small levels, where they are cheap.
    level_ticks_small: u32,
    level_ticks_big: u32,
    /// A level of this many nodes or more is "big" for its ticks.
    big_level: usize,
    /// Ticks refining the actors' own level.
    finest_ticks: u32,
    /// How much longer a coarse tie is than an actors' one: by this share of the growth of
    /// the square root of its ends' mass (1: as wide as the clusters; 0: as an actors' tie).
    spread: f64,
    /// Collapsing stops at this many nodes: the coarsest level is laid out from scratch.
    coarsest: usize,
    /// A coarse level keeps, of each node's ties, only this many heaviest as links (a tie
    /// kept by either end stays): coarse graphs are dense, and their weak ties cost ticks
    /// without changing the picture. 0 keeps all.
    keep_links: usize,
}

/// Chosen on generated stories of 1,000 and 5,000 actors (the `experiment` test below): the
/// stress and edge spread of the plain layout's 300 ticks, within a few per cent, for about
/// a third of its work. Keeping 8 ties a node made coarse levels both cheaper and better.
const SCHEDULE: Schedule = Schedule {
    level_alpha: 0.4,
    finest_alpha: 0.3,
    level_ticks_small: 40,
    level_ticks_big: 20,
    big_level: 2000,
    finest_ticks: 50,
    spread: 1.0,
    coarsest: 120,
    keep_links: 8,
};

/// A weighted undirected graph as adjacency lists (CSR), each pair once per direction.
#[derive(Debug, Clone)]
struct Graph {
    start: Vec<u32>,
    adj: Vec<u32>,
    weight: Vec<f64>,
    /// Actors each node stands for.
    mass: Vec<f64>,
    /// Sum of the squared collision radii of those actors (a coarse circle has their area).
    area: Vec<f64>,
}

impl Graph {
    fn len(&self) -> usize {
        self.mass.len()
    }

    fn neighbours(&self, v: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (a, b) = (self.start[v] as usize, self.start[v + 1] as usize);
        self.adj[a..b]
            .iter()
            .zip(&self.weight[a..b])
            .map(|(&u, &w)| (u as usize, w))
    }

    fn degree(&self, v: usize) -> usize {
        (self.start[v + 1] - self.start[v]) as usize
    }

    /// Builds the graph of `n` nodes from weighted pairs, parallel pairs merged (weights
    /// added) and loops dropped. `pairs` yields `(a, b, weight)`; each pair once.
    fn from_pairs(n: usize, pairs: &[(u32, u32, f64)], mass: Vec<f64>, area: Vec<f64>) -> Graph {
        // Both directions, bucketed by source, then merged per source with a stamp array so
        // the result is in a fixed order (first appearance) without sorting or hashing.
        let mut count = vec![0u32; n + 1];
        for &(a, b, _) in pairs {
            if a != b {
                count[a as usize + 1] += 1;
                count[b as usize + 1] += 1;
            }
        }
        let mut sum = 0;
        for c in &mut count {
            sum += *c;
            *c = sum;
        }
        let mut fill = count.clone();
        let total = count[n] as usize;
        let (mut to, mut wt) = (vec![0u32; total], vec![0.0f64; total]);
        for &(a, b, w) in pairs {
            if a == b {
                continue;
            }
            for (s, t) in [(a, b), (b, a)] {
                let k = fill[s as usize] as usize;
                to[k] = t;
                wt[k] = w;
                fill[s as usize] += 1;
            }
        }
        let mut start = Vec::with_capacity(n + 1);
        let (mut adj, mut weight) = (Vec::with_capacity(total), Vec::with_capacity(total));
        // slot[u]: where u sits in the current source's list, valid when stamp[u] == source.
        let (mut stamp, mut slot) = (vec![u32::MAX; n], vec![0usize; n]);
        start.push(0u32);
        for v in 0..n {
            for k in count[v] as usize..count[v + 1] as usize {
                let u = to[k] as usize;
                if stamp[u] == v as u32 {
                    weight[slot[u]] += wt[k];
                } else {
                    stamp[u] = v as u32;
                    slot[u] = adj.len();
                    adj.push(u as u32);
                    weight.push(wt[k]);
                }
            }
            start.push(adj.len() as u32);
        }
        Graph {
            start,
            adj,
            weight,
            mass,
            area,
        }
    }

    /// Collapses the graph one level: returns each node's parent and the coarser graph.
    fn coarsen(&self) -> (Vec<u32>, Graph) {
        let n = self.len();
        const FREE: u32 = u32::MAX;
        let mut parent = vec![FREE; n];
        let mut next = 0u32;
        // Light nodes first (few ties), so leaves are matched before hubs take them all.
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&v| (self.degree(v as usize), v));
        // Heavy-edge matching: each free node with its free neighbour of the heaviest tie
        // for their joint mass (so clusters stay even in size).
        for &v in &order {
            let v = v as usize;
            if parent[v] != FREE {
                continue;
            }
            let mut best: Option<(usize, f64)> = None;
            for (u, w) in self.neighbours(v) {
                if parent[u] != FREE || u == v {
                    continue;
                }
                let score = w / (self.mass[u] + self.mass[v]);
                if best.is_none_or(|(_, s)| score > s) {
                    best = Some((u, score));
                }
            }
            if let Some((u, _)) = best {
                parent[v] = next;
                parent[u] = next;
                next += 1;
            }
        }
        // Left over: leaves of one hub (all its neighbours taken) pair with each other, so a
        // star collapses by half a level too; isolated nodes pair in order.
        let mut waiting = vec![FREE; n];
        let mut lone = FREE;
        for &v in &order {
            let v = v as usize;
            if parent[v] != FREE {
                continue;
            }
            let hub = self
                .neighbours(v)
                .fold(None::<(usize, f64)>, |best, (u, w)| match best {
                    Some((_, bw)) if bw >= w => best,
                    _ => Some((u, w)),
                })
                .map(|(u, _)| u);
            let slot = match hub {
                Some(h) => &mut waiting[h],
                None => &mut lone,
            };
            if *slot == FREE {
                *slot = v as u32;
            } else {
                parent[*slot as usize] = next;
                parent[v] = next;
                next += 1;
                *slot = FREE;
            }
        }
        for p in &mut parent {
            if *p == FREE {
                *p = next;
                next += 1;
            }
        }
        let m = next as usize;
        let (mut mass, mut area) = (vec![0.0; m], vec![0.0; m]);
        for ((&p, &m), &a) in parent.iter().zip(&self.mass).zip(&self.area) {
            mass[p as usize] += m;
            area[p as usize] += a;
        }
        let mut pairs = Vec::with_capacity(self.adj.len() / 2);
        for v in 0..n {
            for (u, w) in self.neighbours(v) {
                if u > v && parent[u] != parent[v] {
                    pairs.push((parent[v], parent[u], w));
                }
            }
        }
        (parent, Graph::from_pairs(m, &pairs, mass, area))
    }

    /// The level's links for the layout: as long as the clusters they join are wide.
    fn links(&self, base: f64, spread: f64, keep: usize) -> Vec<Link> {
        // kept[k]: the tie at adjacency slot k is among its source's `keep` heaviest.
        let mut kept = vec![keep == 0; self.adj.len()];
        if keep > 0 {
            let mut slots = Vec::new();
            for v in 0..self.len() {
                let (a, b) = (self.start[v] as usize, self.start[v + 1] as usize);
                slots.clear();
                slots.extend(a..b);
                slots.sort_by(|&i, &j| {
                    self.weight[j]
                        .total_cmp(&self.weight[i])
                        .then(self.adj[i].cmp(&self.adj[j]))
                });
                for &k in slots.iter().take(keep) {
                    kept[k] = true;
                }
            }
        }
        // Whether v keeps its tie to u: u's slot in v's list, found by a scan of v's list
        // once per tie (cheap next to a tick), from both ends.
        let keeps = |v: usize, u: usize| {
            let (a, b) = (self.start[v] as usize, self.start[v + 1] as usize);
            (a..b).any(|k| self.adj[k] as usize == u && kept[k])
        };
        let mut links = Vec::with_capacity(self.adj.len() / 2);
        for v in 0..self.len() {
            let (a, b) = (self.start[v] as usize, self.start[v + 1] as usize);
            let ties = self.adj[a..b]
                .iter()
                .zip(&self.weight[a..b])
                .zip(&kept[a..b]);
            for ((&u, &w), &kept_here) in ties {
                let u = u as usize;
                if u > v && (kept_here || keeps(u, v)) {
                    links.push(Link {
                        a: v,
                        b: u,
                        distance: base
                            * (1.0
                                + spread
                                    * ((self.mass[v].sqrt() + self.mass[u].sqrt()) * 0.5 - 1.0)),
                        weight: w,
                    });
                }
            }
        }
        links
    }
}

/// The coarse levels of a multilevel layout, made ([`Making`]), run before the actors' own
/// level.
#[derive(Debug, Clone)]
pub(crate) struct Levels {
    /// `up[k][i]`: the node of level `k + 1` that node `i` of level `k` belongs to (level 0
    /// is the actors').
    up: Vec<Vec<u32>>,
    /// The graphs of levels 1 and up (index `k - 1` for level `k`).
    graphs: Vec<Graph>,
    /// Rest length of the actors' links, on average.
    base: f64,
    /// The actors' collision radii.
    fine_radius: Vec<f64>,
    schedule: Schedule,
    /// The level running now (1 to `graphs.len()`), and its layout.
    at: usize,
    layout: Layout,
    /// Node-ticks planned for the coarse levels and done so far, for the progress bar.
    planned: f64,
    done: f64,
}

impl Schedule {
    /// Heat and ticks of the refinement of a coarse level of `n` nodes.
    fn level(&self, n: usize) -> (f64, u32) {
        let ticks = if n >= self.big_level {
            self.level_ticks_big
        } else {
            self.level_ticks_small
        };
        (self.level_alpha, ticks)
    }
}

/// The layout of `radius.len()` nodes, coarse to fine when there are more than
/// [`PLAIN_MAX`] of them and the graph collapses; otherwise (and for small graphs always)
/// the plain [`Layout::new`].
/// The coarse levels are made when the layout first runs, a level at a time
/// ([`Ladder::Making`]): a big graph's take a few hundred ms, which the page does not want in
/// one task, nor at all when its layout runs in a worker (which makes its own).
pub fn layout(radius: Vec<f64>, links: Vec<Link>) -> Layout {
    let mut fine = Layout::new(radius, links);
    if fine.len() <= PLAIN_MAX {
        return fine;
    }
    let making = Making::new(&fine, SCHEDULE);
    fine.set_prelude(Box::new(Ladder::Making(Box::new(making))));
    fine
}

/// The coarse levels a [`Layout`] made by [`layout`] runs before the actors' own: its
/// `prelude`.
#[derive(Debug, Clone)]
pub(crate) enum Ladder {
    /// Still being made, a level per step.
    Making(Box<Making>),
    /// Made: run a level at a time, coarsest first.
    Made(Box<Levels>),
    /// Made, and the graph did not collapse: the plain layout runs.
    Flat,
}

impl Ladder {
    /// The level running now (0 once the coarse levels are done); `usize::MAX` while they
    /// are being made.
    pub(crate) fn level(&self) -> usize {
        match self {
            Ladder::Making(_) => usize::MAX,
            Ladder::Made(levels) => levels.at,
            Ladder::Flat => 0,
        }
    }

    /// Heat and ticks of the actors' own level once the coarse levels are done; `None` when
    /// there are none (the plain layout's own then).
    pub(crate) fn finest_cooling(&self) -> Option<(f64, u32)> {
        let schedule = match self {
            Ladder::Making(making) => &making.schedule,
            Ladder::Made(levels) => &levels.schedule,
            Ladder::Flat => return None,
        };
        Some((schedule.finest_alpha, schedule.finest_ticks))
    }

    /// The share of the coarse levels' work done (none while they are being made).
    pub(crate) fn progress(&self) -> f64 {
        match self {
            Ladder::Made(levels) => levels.progress(),
            Ladder::Making(_) | Ladder::Flat => 0.0,
        }
    }

    /// Makes the levels, then runs them, until `time_up()` or until they are done: true
    /// when done (`x`, `y` then hold the last level expanded, if there were any levels).
    pub(crate) fn work(
        &mut self,
        time_up: &mut dyn FnMut() -> bool,
        x: &mut [f64],
        y: &mut [f64],
    ) -> bool {
        loop {
            match self {
                Ladder::Making(making) => {
                    if making.step() {
                        let making = std::mem::replace(self, Ladder::Flat);
                        if let Ladder::Making(making) = making
                            && let Some(levels) = making.finish()
                        {
                            *self = Ladder::Made(Box::new(levels));
                        }
                    }
                    if time_up() {
                        return false;
                    }
                }
                Ladder::Made(levels) => return levels.work(time_up, x, y),
                Ladder::Flat => return true,
            }
        }
    }
}

/// The coarse levels being made: the actors' graph, then a coarser graph per step, until
/// the coarsest is small enough or collapsing stalls.
#[derive(Debug, Clone)]
pub(crate) struct Making {
    schedule: Schedule,
    base: f64,
    fine_radius: Vec<f64>,
    /// The actors' ties, until their graph is made from them.
    pairs: Vec<(u32, u32, f64)>,
    /// The finest graph not yet collapsed (`None` before the actors' is made).
    graph: Option<Graph>,
    up: Vec<Vec<u32>>,
    graphs: Vec<Graph>,
    done: bool,
}

impl Making {
    fn new(fine: &Layout, schedule: Schedule) -> Making {
        let links = fine.links();
        let base = if links.is_empty() {
            70.0
        } else {
            links.iter().map(|l| l.distance).sum::<f64>() / links.len() as f64
        };
        let pairs = links
            .iter()
            .map(|l| (l.a as u32, l.b as u32, l.weight.max(1e-3)))
            .collect();
        Making {
            schedule,
            base,
            fine_radius: fine.radius().to_vec(),
            pairs,
            graph: None,
            up: Vec::new(),
            graphs: Vec::new(),
            done: false,
        }
    }

    /// One step: the actors' graph, or the next coarser one. True when all are made.
    fn step(&mut self) -> bool {
        if self.done {
            return true;
        }
        let Some(graph) = &self.graph else {
            let n = self.fine_radius.len();
            let area = self.fine_radius.iter().map(|r| r * r).collect();
            let pairs = std::mem::take(&mut self.pairs);
            self.graph = Some(Graph::from_pairs(n, &pairs, vec![1.0; n], area));
            return false;
        };
        if graph.len() <= self.schedule.coarsest || self.graphs.len() >= 40 {
            self.done = true;
            return true;
        }
        let (parent, coarse) = graph.coarsen();
        if coarse.len() as f64 > STALL * graph.len() as f64 {
            self.done = true;
            return true;
        }
        self.up.push(parent);
        self.graph = Some(coarse.clone());
        self.graphs.push(coarse);
        false
    }

    /// The levels made, the coarsest laid out from the spiral; `None` if the graph did not
    /// collapse.
    fn finish(self) -> Option<Levels> {
        let Making {
            schedule,
            base,
            fine_radius,
            up,
            graphs,
            ..
        } = self;
        let top = graphs.len();
        let top_graph = graphs.last()?;
        let mut layout = level_layout(top_graph, base, &schedule);
        // The coarsest level is laid out fully, from the spiral.
        layout.cool_over(1.0, TICKS);
        let mut planned = (top_graph.len() as f64) * f64::from(TICKS);
        for g in &graphs[..top - 1] {
            planned += g.len() as f64 * f64::from(schedule.level(g.len()).1);
        }
        Some(Levels {
            up,
            graphs,
            base,
            fine_radius,
            schedule,
            at: top,
            layout,
            planned,
            done: 0.0,
        })
    }

    /// All the levels at once.
    #[cfg(test)]
    fn all(fine: &Layout, schedule: Schedule) -> Option<Levels> {
        let mut making = Making::new(fine, schedule);
        while !making.step() {}
        making.finish()
    }
}

impl Levels {
    /// The share of the coarse levels' work done, scaled to end where the actors' own
    /// level's progress starts, so the bar never goes back.
    pub(crate) fn progress(&self) -> f64 {
        let start = (self.schedule.finest_alpha.ln() / 0.001f64.ln()).clamp(0.0, 1.0);
        (self.done / self.planned.max(1.0)).clamp(0.0, 1.0) * start
    }

    /// Runs the coarse levels until `time_up()` or until they are done; at each level's end
    /// the actors are placed where that level has them (`x`, `y`), so the picture shows
    /// the layout forming. True when done: `x`, `y` then hold the last level expanded.
    pub(crate) fn work(
        &mut self,
        time_up: &mut dyn FnMut() -> bool,
        x: &mut [f64],
        y: &mut [f64],
    ) -> bool {
        loop {
            let before = self.layout.ticks();
            self.layout.work(time_up);
            self.done += f64::from(self.layout.ticks() - before) * self.layout.len() as f64;
            if self.layout.running() {
                return false;
            }
            // This level is at rest: expand it into the next finer one.
            let parent = &self.up[self.at - 1];
            let (px, py) = (&self.layout.x, &self.layout.y);
            if self.at == 1 {
                expand(parent, px, py, &self.fine_radius, x, y);
                self.at = 0;
                return true;
            }
            let g = &self.graphs[self.at - 2];
            let mut next = level_layout(g, self.base, &self.schedule);
            let radius: Vec<f64> = g.area.iter().map(|a| a.sqrt()).collect();
            expand(parent, px, py, &radius, &mut next.x, &mut next.y);
            let (alpha, ticks) = self.schedule.level(g.len());
            next.cool_over(alpha, ticks);
            self.layout = next;
            self.at -= 1;
            // Show the actors where this level has them: each at its node's place.
            let mut place: Vec<u32> = (0..x.len() as u32).collect();
            for up in &self.up[..self.at] {
                for p in &mut place {
                    *p = up[*p as usize];
                }
            }
            for (i, &p) in place.iter().enumerate() {
                x[i] = self.layout.x[p as usize];
                y[i] = self.layout.y[p as usize];
            }
            if time_up() {
                return false;
            }
        }
    }
}

/// The layout of one coarse level, its nodes weighing what they stand for.
fn level_layout(g: &Graph, base: f64, schedule: &Schedule) -> Layout {
    let radius = g.area.iter().map(|a| a.sqrt()).collect();
    let links = g.links(base, schedule.spread, schedule.keep_links);
    let mut layout = Layout::new(radius, links);
    layout.set_mass(g.mass.clone());
    layout
}

/// Places each child near its parent: a node has one or two children (a matched pair),
/// set on either side of it a little less than their radius out, along a direction that
/// turns by the golden angle from one parent to the next so that pairs do not all lie one way.
fn expand(parent: &[u32], px: &[f64], py: &[f64], radius: &[f64], x: &mut [f64], y: &mut [f64]) {
    let dirs: Vec<(f64, f64)> =
        crate::place::network::around((1.0, 0.0), crate::place::network::turn::GOLDEN, px.len())
            .collect();
    let mut seen = vec![false; px.len()];
    for (i, &p) in parent.iter().enumerate() {
        let p = p as usize;
        let side = if seen[p] { -1.0 } else { 1.0 };
        seen[p] = true;
        let r = 0.8 * radius[i] * side;
        x[i] = px[p] + r * dirs[p].0;
        y[i] = py[p] + r * dirs[p].1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated story's co-participation graph, as the bench lays it out.
    fn generated(actors: usize, events: usize) -> (Vec<f64>, Vec<Link>) {
        let links = crate::place::layout::tests::generated_links(actors, events, 1);
        (vec![12.0; actors], links)
    }

    /// Sampled normalised stress against graph distances at the best scale, as
    /// bench/quality.mjs measures it: 0 is a perfect embedding; lower is better.
    fn stress(l: &Layout) -> f64 {
        let n = l.len();
        let mut adj = vec![Vec::new(); n];
        for k in l.links() {
            adj[k.a].push(k.b);
            adj[k.b].push(k.a);
        }
        let mut ratios = Vec::new();
        let step = (n / 48).max(1);
        for s in (0..n).step_by(step) {
            let mut dist = vec![usize::MAX; n];
            dist[s] = 0;
            let mut queue = std::collections::VecDeque::from([s]);
            while let Some(u) = queue.pop_front() {
                for &v in &adj[u] {
                    if dist[v] == usize::MAX {
                        dist[v] = dist[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            for (t, &d) in dist.iter().enumerate() {
                if t != s && d != usize::MAX {
                    let e = (l.x[s] - l.x[t]).hypot(l.y[s] - l.y[t]);
                    ratios.push(e / d as f64);
                }
            }
        }
        let num: f64 = ratios.iter().sum();
        let den: f64 = ratios.iter().map(|r| r * r).sum();
        let scale = if den > 0.0 { num / den } else { 1.0 };
        ratios
            .iter()
            .map(|r| (scale * r - 1.0).powi(2))
            .sum::<f64>()
            / ratios.len() as f64
    }

    /// Coefficient of variation of the links' lengths; lower is more even.
    fn edge_spread(l: &Layout) -> f64 {
        let lengths: Vec<f64> = l
            .links()
            .iter()
            .map(|k| (l.x[k.a] - l.x[k.b]).hypot(l.y[k.a] - l.y[k.b]))
            .collect();
        let m = lengths.len() as f64;
        let mean = lengths.iter().sum::<f64>() / m;
        let var = lengths.iter().map(|v| v * v).sum::<f64>() / m - mean * mean;
        var.max(0.0).sqrt() / mean
    }

    /// Node-ticks a layout spends until it rests, each tick weighing its level's nodes: the
    /// coarse levels' as planned (each runs its ticks to the end), the actors' as counted.
    fn settle_effort(l: &mut Layout) -> f64 {
        let coarse = Making::all(l, SCHEDULE).map_or(0.0, |levels| levels.planned);
        let coarse = if l.coarse_level().is_some() {
            coarse
        } else {
            0.0
        };
        let mut effort = coarse;
        while l.running() {
            let before = l.ticks();
            l.work(&mut || true);
            effort += f64::from(l.ticks() - before) * l.len() as f64;
        }
        effort
    }

    /// `cliques` cliques of `size` nodes, each tied to the next by one link: a ring.
    fn ring_of_cliques(cliques: usize, size: usize) -> (Vec<f64>, Vec<Link>) {
        let link = |a, b| Link {
            a,
            b,
            distance: 70.0,
            weight: 1.0,
        };
        let mut links = Vec::new();
        for c in 0..cliques {
            let first = c * size;
            for i in 0..size {
                for j in (i + 1)..size {
                    links.push(link(first + i, first + j));
                }
            }
            links.push(link(first, ((c + 1) % cliques) * size + 1));
        }
        (vec![12.0; cliques * size], links)
    }

    #[test]
    fn the_same_graph_gives_the_same_positions_bit_for_bit() {
        let (radius, links) = generated(1200, 8000);
        let mut whole = layout(radius.clone(), links.clone());
        assert_eq!(
            whole.coarse_level(),
            Some(usize::MAX),
            "a big graph goes coarse to fine, its levels made when it first runs"
        );
        let mut sliced = whole.clone();
        let mut again = layout(radius, links);
        whole.run(TICKS);
        again.run(TICKS);
        // A level's tick split over calls, time up after every chunk.
        while sliced.running() {
            sliced.work(&mut || true);
        }
        assert!(!whole.running() && whole.coarse_level().is_none());
        assert!(whole.x.iter().chain(&whole.y).all(|v| v.is_finite()));
        assert_eq!(whole.x, again.x);
        assert_eq!(whole.y, again.y);
        assert_eq!(whole.x, sliced.x);
        assert_eq!(whole.y, sliced.y);
    }

    #[test]
    fn the_levels_are_made_a_step_at_a_time_when_the_layout_first_runs() {
        let (radius, links) = generated(1200, 8000);
        let mut sliced = layout(radius, links);
        // Time up after every piece: the actors' graph, then a coarser one per call.
        let mut steps = 0;
        while sliced.coarse_level() == Some(usize::MAX) {
            sliced.work(&mut || true);
            steps += 1;
        }
        assert!(steps >= 3, "made in {steps} calls");
        assert!(sliced.coarse_level().is_some_and(|level| level >= 2));
    }

    #[test]
    fn a_graph_made_into_no_coarse_levels_keeps_the_plain_layout() {
        // Already as small as the coarsest level may be: no level is made.
        let (radius, links) = generated(PLAIN_MAX + 100, 3000);
        let mut multi = Layout::new(radius.clone(), links.clone());
        let schedule = Schedule {
            coarsest: multi.len(),
            ..SCHEDULE
        };
        let making = Making::new(&multi, schedule);
        multi.set_prelude(Box::new(Ladder::Making(Box::new(making))));
        assert_runs_as_plain(multi, radius, links);
    }

    #[test]
    fn small_graphs_keep_the_plain_layout() {
        let (radius, links) = generated(PLAIN_MAX, 3000);
        let multi = layout(radius.clone(), links.clone());
        assert!(multi.coarse_level().is_none());
        assert_runs_as_plain(multi, radius, links);
    }

    /// `multi`, run to rest, is the plain layout of the same graph, tick for tick.
    fn assert_runs_as_plain(mut multi: Layout, radius: Vec<f64>, links: Vec<Link>) {
        let mut plain = Layout::new(radius, links);
        multi.run(TICKS);
        plain.run(TICKS);
        assert_eq!(multi.x, plain.x);
        assert_eq!(multi.y, plain.y);
        assert_eq!(multi.ticks(), plain.ticks());
    }

    #[test]
    fn cliques_on_a_ring_come_out_apart_and_no_worse_than_the_plain_layout() {
        let (cliques, size) = (30, 20);
        let (radius, links) = ring_of_cliques(cliques, size);
        let mut multi = layout(radius.clone(), links.clone());
        assert!(multi.coarse_level().is_some());
        let mut plain = Layout::new(radius, links);
        multi.run(TICKS);
        plain.run(TICKS);
        let (sm, sp) = (stress(&multi), stress(&plain));
        assert!(sm <= sp * 1.1, "stress {sm}, plain {sp}");
        let (em, ep) = (edge_spread(&multi), edge_spread(&plain));
        assert!(em <= ep * 1.1, "edge spread {em}, plain {ep}");
        // Each node is nearer its own clique's middle than any other clique's.
        let middles: Vec<(f64, f64)> = (0..cliques)
            .map(|c| {
                let nodes = c * size..(c + 1) * size;
                let sx: f64 = multi.x[nodes.clone()].iter().sum();
                let sy: f64 = multi.y[nodes].iter().sum();
                (sx / size as f64, sy / size as f64)
            })
            .collect();
        for i in 0..multi.len() {
            let d = |(mx, my): (f64, f64)| (multi.x[i] - mx).hypot(multi.y[i] - my);
            let own = d(middles[i / size]);
            for (c, &m) in middles.iter().enumerate() {
                assert!(c == i / size || d(m) > own, "node {i} is nearer clique {c}");
            }
        }
    }

    #[test]
    fn a_generated_story_of_2000_actors_settles_with_far_less_work_and_as_well() {
        let (radius, links) = generated(2000, 16_000);
        let mut multi = layout(radius.clone(), links.clone());
        let mut plain = Layout::new(radius, links);
        let (em, ep) = (settle_effort(&mut multi), settle_effort(&mut plain));
        assert!(em < ep / 2.5, "multilevel {em} node-ticks, plain {ep}");
        // The actors' own level runs far fewer ticks than the plain layout's.
        assert!(
            multi.ticks() * 4 < plain.ticks(),
            "{} ticks, plain {}",
            multi.ticks(),
            plain.ticks()
        );
        let (sm, sp) = (stress(&multi), stress(&plain));
        assert!(sm <= sp * 1.1, "stress {sm}, plain {sp}");
        let (cm, cp) = (edge_spread(&multi), edge_spread(&plain));
        assert!(cm <= cp * 1.1, "edge spread {cm}, plain {cp}");
    }

    fn env(name: &str, default: f64) -> f64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    #[test]
    #[ignore = "prints timings and quality; run by hand with --release"]
    fn experiment() {
        let schedule = Schedule {
            level_alpha: env("ML_LA", SCHEDULE.level_alpha),
            finest_alpha: env("ML_FA", SCHEDULE.finest_alpha),
            level_ticks_small: env("ML_LS", f64::from(SCHEDULE.level_ticks_small)) as u32,
            level_ticks_big: env("ML_LB", f64::from(SCHEDULE.level_ticks_big)) as u32,
            big_level: env("ML_BIG", SCHEDULE.big_level as f64) as usize,
            finest_ticks: env("ML_FT", f64::from(SCHEDULE.finest_ticks)) as u32,
            spread: env("ML_SP", SCHEDULE.spread),
            coarsest: env("ML_CO", SCHEDULE.coarsest as f64) as usize,
            keep_links: env("ML_KEEP", SCHEDULE.keep_links as f64) as usize,
        };
        let sizes: &[(usize, usize)] = if env("ML_W4", 0.0) > 0.0 {
            &[(1000, 10_000), (5000, 50_000), (20_000, 200_000)]
        } else {
            &[(1000, 10_000), (5000, 50_000)]
        };
        let plain_too = env("ML_PLAIN", 1.0) > 0.0;
        for &(actors, events) in sizes {
            let (radius, links) = generated(actors, events);
            if plain_too {
                let t = std::time::Instant::now();
                let mut plain = Layout::new(radius.clone(), links.clone());
                plain.run(TICKS);
                println!(
                    "{actors} plain {:?} stress {:.3} cv {:.3}",
                    t.elapsed(),
                    stress(&plain),
                    edge_spread(&plain)
                );
            }
            let t = std::time::Instant::now();
            let mut multi = Layout::new(radius.clone(), links.clone());
            let ladder = Making::all(&multi, schedule).unwrap();
            println!(
                "  built in {:?}: levels {:?}",
                t.elapsed(),
                ladder
                    .graphs
                    .iter()
                    .map(|g| (g.len(), g.adj.len() / 2))
                    .collect::<Vec<_>>()
            );
            multi.set_prelude(Box::new(Ladder::Made(Box::new(ladder))));
            let mut level = usize::MAX;
            let mut lt = std::time::Instant::now();
            while let Some(at) = multi.coarse_level() {
                if at != level {
                    println!("  level {level} took {:?}", lt.elapsed());
                    lt = std::time::Instant::now();
                    level = at;
                }
                multi.work(&mut || true);
            }
            println!(
                "  level {level} took {:?}; expanded: stress {:.3} cv {:.3}",
                lt.elapsed(),
                stress(&multi),
                edge_spread(&multi)
            );
            multi.run(TICKS);
            println!(
                "{actors} multilevel {:?} stress {:.3} cv {:.3}",
                t.elapsed(),
                stress(&multi),
                edge_spread(&multi)
            );
        }
    }
}
