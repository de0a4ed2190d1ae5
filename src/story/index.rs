//! Indexes built once so a click, a hover or a brush touches only what it is about, never the
//! whole model: per-actor event lists, an interval index over time (or screen x), and a
//! uniform grid over the network's nodes on screen (whose cells the force layout's collisions
//! use too).
//!
//! Every query returns exactly what a scan of everything would; the tests compare them.

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

use crate::story::dates::When;

/// Positions in a list by their records' ids, without a copy of the ids: each position is
/// kept under its id's hash and told apart by the id where it lies (`id_of`). A big story's
/// 200,000 event ids copied into a map of their own were a tenth of its opening. The table is
/// open addressing over a plain `Vec` rather than a `HashMap` of its own: the first wasm would
/// hold a second copy of the hash table's code for it (1–2 KB; issue 17).
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    /// Each slot a position plus one (0: empty), probed one after another from the hash;
    /// at most half full.
    slots: Vec<u32>,
    /// Each position's hash, to grow the table without the ids.
    hashes: Vec<u32>,
}

impl IdIndex {
    pub fn with_capacity(n: usize) -> IdIndex {
        IdIndex {
            slots: vec![0; (2 * n).next_power_of_two().max(16)],
            hashes: Vec::with_capacity(n),
        }
    }

    /// Indexes positions `0..n`; of a repeated id, the first position is the one found.
    pub fn of<'a>(n: usize, id_of: impl Fn(usize) -> &'a str) -> IdIndex {
        let mut index = IdIndex::with_capacity(n);
        for i in 0..n {
            index.push(Self::hash(id_of(i)));
        }
        index
    }

    /// The hash an id is kept under.
    pub fn hash(id: &str) -> u32 {
        let h = FxBuildHasher.hash_one(id);
        (h ^ h >> 32) as u32
    }

    /// The first position whose id is `id`.
    pub fn find<'a>(&self, id: &str, id_of: impl Fn(usize) -> &'a str) -> Option<usize> {
        self.find_hashed(Self::hash(id), id, id_of)
    }

    /// `find`, the id's hash given.
    pub fn find_hashed<'a>(
        &self,
        hash: u32,
        id: &str,
        id_of: impl Fn(usize) -> &'a str,
    ) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut slot = hash as usize & mask;
        // Positions were put in in order, so along the probe the first of a repeat comes first.
        loop {
            let at = (*self.slots.get(slot)? as usize).checked_sub(1)?;
            if self.hashes[at] == hash && id_of(at) == id {
                return Some(at);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Adds the next position (`len()`), whose id has this hash.
    pub fn push(&mut self, hash: u32) {
        self.hashes.push(hash);
        if 2 * self.hashes.len() > self.slots.len() {
            self.slots = vec![0; (4 * self.hashes.len()).next_power_of_two()];
            for at in 0..self.hashes.len() {
                self.put(at);
            }
        } else {
            self.put(self.hashes.len() - 1);
        }
    }

    /// Puts position `at` in the first empty slot from its hash's.
    fn put(&mut self, at: usize) {
        let mask = self.slots.len() - 1;
        let mut slot = self.hashes[at] as usize & mask;
        while self.slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = at as u32 + 1;
    }

    /// Positions added.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

/// Ids in the order they were added, kept in one string and found through an [`IdIndex`]: the
/// reader's groups, actors and sources by id, and the dates it has read. A lookup reads the index's slot and a few bytes
/// of that string; a `HashMap<String, usize>` read its entry and then the key's own heap
/// string, two places far apart in memory for each of W4's 550,000 actor ids in events.
#[derive(Debug, Clone, Default)]
pub struct IdTable {
    text: String,
    /// Where each id ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
    index: IdIndex,
}

impl IdTable {
    /// Room for `n` ids.
    pub fn reserve(&mut self, n: usize) {
        if self.ends.is_empty() && n > 0 {
            self.index = IdIndex::with_capacity(n);
        }
        self.ends.reserve(n);
    }

    /// Adds `id` as the next position, `len()` before the call.
    pub fn push(&mut self, id: &str) {
        self.index.push(IdIndex::hash(id));
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
    }

    /// The first position whose id is `id`.
    pub fn get(&self, id: &str) -> Option<usize> {
        self.index.find(id, |i| self.id(i))
    }

    /// The id at position `i`.
    pub fn id(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j] as usize);
        &self.text[start..self.ends[i] as usize]
    }

    /// The ids, in the order they were added.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.id(i))
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Intervals `[a, b]` (closed) found by overlap with a query span without scanning them all.
///
/// Intervals are grouped by width (powers of two), each group sorted by start: in a group
/// whose widest member is `w`, an interval meeting `[lo, hi]` starts in `[lo - w, hi]`, one
/// binary search away. Intervals of infinite or NaN extent are kept aside and always checked.
#[derive(Debug, Clone, Default)]
pub struct IntervalIndex {
    classes: Vec<WidthClass>,
    /// Ids of intervals with an infinite end (open dates): few, always candidates.
    unbounded: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
struct WidthClass {
    max_width: f64,
    /// `(a, b, id)` sorted by `a`.
    items: Vec<(f64, f64, usize)>,
}

impl IntervalIndex {
    /// Indexes `(a, b, id)` intervals with `a <= b`.
    pub fn new(intervals: impl IntoIterator<Item = (f64, f64, usize)>) -> IntervalIndex {
        let mut index = IntervalIndex::default();
        for (a, b, id) in intervals {
            let width = b - a;
            if !width.is_finite() {
                index.unbounded.push(id);
                continue;
            }
            // Class k holds widths up to 2^k (class 0: up to 1).
            let class = if width <= 1.0 {
                0
            } else {
                (width.log2().ceil() as usize).min(1100)
            };
            if index.classes.len() <= class {
                index.classes.resize_with(class + 1, WidthClass::default);
            }
            let c = &mut index.classes[class];
            c.max_width = c.max_width.max(width);
            c.items.push((a, b, id));
        }
        for c in &mut index.classes {
            crate::story::order::sort_by_keys(&mut c.items, |x| {
                [crate::story::order::f64_key(x.0), x.2 as u64, 0]
            });
        }
        index.classes.retain(|c| !c.items.is_empty());
        index
    }

    /// Calls `f` with the id of every interval that meets `[lo, hi]`, plus every unbounded
    /// one (the caller applies its exact test): each at most once, in no particular order.
    pub fn visit(&self, lo: f64, hi: f64, mut f: impl FnMut(usize)) {
        for c in &self.classes {
            let from = lo - c.max_width;
            let first = c.items.partition_point(|it| it.0 < from);
            for &(a, b, id) in &c.items[first..] {
                if a > hi {
                    break;
                }
                if b >= lo {
                    f(id);
                }
            }
        }
        self.unbounded.iter().copied().for_each(f);
    }
}

/// Each event's actors, all in one list: a walk over every event's actors reads memory in
/// order. Kept as a list per event (an allocation each), W4's walk waited on memory most of
/// the time: 59% of placing the time axis's community lanes natively.
#[derive(Debug, Clone, Default)]
pub struct EventActors {
    /// Where each event's actors start in `actors`, and one past the last's end.
    starts: Vec<usize>,
    actors: Vec<usize>,
}

impl EventActors {
    pub fn new<L: AsRef<[usize]>>(lists: impl IntoIterator<Item = L>) -> EventActors {
        let lists = lists.into_iter();
        let mut starts = Vec::with_capacity(lists.size_hint().0 + 1);
        let mut actors = Vec::with_capacity(lists.size_hint().0);
        starts.push(0);
        for list in lists {
            actors.extend_from_slice(list.as_ref());
            starts.push(actors.len());
        }
        EventActors { starts, actors }
    }

    /// How many events.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each event's actors, in event order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[usize]> + '_ {
        self.starts.windows(2).map(|w| &self.actors[w[0]..w[1]])
    }
}

impl std::ops::Index<usize> for EventActors {
    type Output = [usize];

    /// An event's actors; panics past the last event, as a slice's index does.
    fn index(&self, e: usize) -> &[usize] {
        &self.actors[self.starts[e]..self.starts[e + 1]]
    }
}

/// Which events overlap a time span. (Which involve which actors is the graph's
/// `actor_events`, with [`of_actors`]: made once, not again here.)
#[derive(Debug, Clone, Default)]
pub struct EventIndex {
    time: IntervalIndex,
}

impl EventIndex {
    pub fn new(whens: &[When]) -> EventIndex {
        let time = IntervalIndex::new(whens.iter().enumerate().map(|(e, w)| {
            let a = if w.open_start {
                f64::NEG_INFINITY
            } else {
                w.start_secs as f64
            };
            let b = if w.open_end {
                f64::INFINITY
            } else {
                w.end_secs as f64
            };
            (a, b, e)
        }));
        EventIndex { time }
    }

    /// Events overlapping `[start, end)` as [`When::overlaps`] decides, ascending.
    pub fn in_window(&self, whens: &[When], start_secs: i64, end_secs: i64) -> Vec<usize> {
        let mut out = Vec::new();
        // The f64 query is widened a little so rounding can only add candidates, which the
        // exact test then drops.
        let (lo, hi) = (start_secs as f64, end_secs as f64);
        let slack = 1.0 + lo.abs().max(hi.abs()) * 1e-12;
        self.time.visit(lo - slack, hi + slack, |e| {
            if whens
                .get(e)
                .is_some_and(|w| w.overlaps(start_secs, end_secs))
            {
                out.push(e);
            }
        });
        out.sort_unstable();
        out
    }
}

/// Events involving every actor of `actors` ([`Mode::All`](crate::view::app::Mode)) or at least
/// one (`any`), ascending; `None` when `actors` is empty (no filter: every event).
pub fn of_actors(actor_events: &[Vec<usize>], actors: &[usize], any: bool) -> Option<Vec<usize>> {
    let lists: Vec<&[usize]> = actors
        .iter()
        .map(|&a| actor_events.get(a).map_or(&[][..], Vec::as_slice))
        .collect();
    if lists.is_empty() {
        return None;
    }
    if any {
        let mut out: Vec<usize> = lists.iter().flat_map(|l| l.iter().copied()).collect();
        out.sort_unstable();
        out.dedup();
        return Some(out);
    }
    // Walk the shortest list; each of its events must be in every other list.
    let shortest = lists.iter().min_by_key(|l| l.len()).copied().unwrap_or(&[]);
    Some(
        shortest
            .iter()
            .copied()
            .filter(|e| lists.iter().all(|l| l.binary_search(e).is_ok()))
            .collect(),
    )
}

/// Points sorted into a uniform grid of square cells by a counting sort: row by row, each
/// cell's points in the order they were given, so a walk over them is deterministic. The
/// buffers are kept, so filling it again at the same size allocates nothing. Two grids stand on
/// it: the network's nodes on screen ([`Grid`]) and the force layout's collisions, refilled
/// every tick.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    x0: f64,
    y0: f64,
    cell: f64,
    cols: usize,
    rows: usize,
    /// `start[c]..start[c + 1]` indexes `items` for cell `c`; one extra entry at the end.
    start: Vec<u32>,
    items: Vec<u32>,
    /// Each point's cell, in the order given.
    point_cell: Vec<u32>,
    /// The ids as given, until they are sorted into `items`.
    ids: Vec<u32>,
}

impl Cells {
    /// Sorts `points`, an id and a position each, into `cols × rows` cells `cell` wide from
    /// `(x0, y0)`; a point outside goes to the nearest cell (a NaN to the first).
    pub fn fill(
        &mut self,
        (x0, y0): (f64, f64),
        cell: f64,
        (cols, rows): (usize, usize),
        points: impl IntoIterator<Item = (u32, f64, f64)>,
    ) {
        (self.x0, self.y0, self.cell, self.cols, self.rows) = (x0, y0, cell, cols, rows);
        let count = cols * rows;
        self.start.clear();
        self.start.resize(count + 1, 0);
        self.point_cell.clear();
        self.ids.clear();
        for (id, x, y) in points {
            let c = self.row(y) * cols + self.col(x);
            self.point_cell.push(c as u32);
            self.ids.push(id);
            self.start[c] += 1;
        }
        // Each cell's end, then, placing the points from the last, each cell's start.
        for c in 1..=count {
            self.start[c] += self.start[c - 1];
        }
        self.items.clear();
        self.items.resize(self.ids.len(), 0);
        for (&id, &c) in self.ids.iter().zip(&self.point_cell).rev() {
            let at = &mut self.start[c as usize];
            *at -= 1;
            self.items[*at as usize] = id;
        }
    }

    /// The column of `x`, the nearest one when outside.
    #[inline]
    pub fn col(&self, x: f64) -> usize {
        // `as` truncates, which is the floor once negatives are 0.
        (((x - self.x0) / self.cell).max(0.0) as usize).min(self.cols - 1)
    }

    /// The row of `y`, the nearest one when outside.
    #[inline]
    pub fn row(&self, y: f64) -> usize {
        (((y - self.y0) / self.cell).max(0.0) as usize).min(self.rows - 1)
    }

    /// The column and row of the `nth` point given to [`fill`](Cells::fill).
    #[inline]
    pub fn cell_of(&self, nth: usize) -> (usize, usize) {
        let c = self.point_cell[nth] as usize;
        (c % self.cols, c / self.cols)
    }

    /// The points of the cells in columns `c0..=c1` of `row`, cell by cell: one slice, as a
    /// row's cells are consecutive.
    #[inline]
    pub fn run(&self, row: usize, c0: usize, c1: usize) -> &[u32] {
        let base = row * self.cols;
        &self.items[self.start[base + c0] as usize..self.start[base + c1 + 1] as usize]
    }

    /// Calls `f` with every point in `[x0, x1] × [y0, y1]`, and possibly a few more nearby
    /// (those in the same cells), in the order of [`run`](Cells::run) row by row.
    #[inline]
    pub fn visit(&self, x0: f64, y0: f64, x1: f64, y1: f64, mut f: impl FnMut(usize)) {
        if self.items.is_empty() || x1 < self.x0 - self.cell || y1 < self.y0 - self.cell {
            return;
        }
        if !(x0 <= x1 && y0 <= y1) {
            return;
        }
        let (c0, c1) = (self.col(x0), self.col(x1));
        for row in self.row(y0)..=self.row(y1) {
            for &i in self.run(row, c0, c1) {
                f(i as usize);
            }
        }
    }
}

/// A uniform grid over circles on screen (the network's nodes): which circles lie near a
/// point or a rectangle, without looking at the others.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    cells: Cells,
    /// The largest radius indexed: queries widen by it.
    pub max_radius: f64,
}

/// About this many circles per cell on average; fewer cells for small networks.
const GRID_MAX_CELLS: usize = 1 << 16;

impl Grid {
    /// Indexes circle `i` at `(x[i], y[i])` of radius `r[i]` for every `i` where `keep(i)`;
    /// circles with a non-finite centre are left out (they can be neither hit nor touched).
    pub fn new(x: &[f64], y: &[f64], r: &[f64], keep: impl Fn(usize) -> bool) -> Grid {
        let ids: Vec<usize> = (0..x.len().min(y.len()))
            .filter(|&i| keep(i) && x[i].is_finite() && y[i].is_finite())
            .collect();
        if ids.is_empty() {
            return Grid::default();
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        let mut max_radius: f64 = 0.0;
        for &i in &ids {
            (x0, x1) = (x0.min(x[i]), x1.max(x[i]));
            (y0, y1) = (y0.min(y[i]), y1.max(y[i]));
            max_radius = max_radius.max(r.get(i).copied().unwrap_or(0.0));
        }
        let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        // Cells about the size of a node, but never more than GRID_MAX_CELLS of them.
        let mut cell = (2.0 * max_radius).max(8.0);
        let target = ids.len().clamp(1, GRID_MAX_CELLS) as f64;
        cell = cell.max((w * h / target).sqrt());
        let cols = ((w / cell).floor() as usize + 1).min(4096);
        let rows = ((h / cell).floor() as usize + 1).min(4096);
        cell = cell.max(w / cols as f64).max(h / rows as f64);
        let mut cells = Cells::default();
        let points = ids.iter().map(|&i| (i as u32, x[i], y[i]));
        cells.fill((x0, y0), cell, (cols, rows), points);
        Grid { cells, max_radius }
    }

    /// Calls `f` with every indexed circle whose centre lies in `[x0, x1] × [y0, y1]`, and
    /// possibly a few more nearby (callers test exactly), in index order within each cell.
    pub fn visit(&self, x0: f64, y0: f64, x1: f64, y1: f64, f: impl FnMut(usize)) {
        self.cells.visit(x0, y0, x1, y1, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_events_actors_are_its_own_in_one_list() {
        let lists = vec![vec![2, 0], vec![], vec![1], vec![0, 1, 2]];
        let flat = EventActors::new(&lists);
        assert_eq!(flat.len(), 4);
        for (e, list) in lists.iter().enumerate() {
            assert_eq!(&flat[e], list.as_slice(), "event {e}");
        }
        let walked: Vec<&[usize]> = flat.iter().collect();
        assert_eq!(walked, lists.iter().map(Vec::as_slice).collect::<Vec<_>>());
        assert!(EventActors::new(Vec::<Vec<usize>>::new()).is_empty());
        assert!(EventActors::default().iter().next().is_none());
    }

    #[test]
    fn ids_are_found_without_a_copy_the_first_of_a_repeat_and_past_a_shared_hash() {
        let ids = ["e1", "e2", "e1", "x"];
        let index = IdIndex::of(ids.len(), |i| ids[i]);
        assert_eq!(index.len(), 4);
        assert_eq!(index.find("e2", |i| ids[i]), Some(1));
        assert_eq!(index.find("e1", |i| ids[i]), Some(0));
        assert_eq!(index.find("x", |i| ids[i]), Some(3));
        assert_eq!(index.find("e3", |i| ids[i]), None);
        // Ids whose hashes are the same (made so here) are told apart by the ids themselves.
        let mut shared = IdIndex::default();
        for _ in 0..3 {
            shared.push(7);
        }
        let named = ["a", "b", "a"];
        assert_eq!(shared.find_hashed(7, "b", |i| named[i]), Some(1));
        assert_eq!(shared.find_hashed(7, "a", |i| named[i]), Some(0));
        assert_eq!(shared.find_hashed(7, "c", |i| named[i]), None);
        assert_eq!(shared.find_hashed(8, "a", |i| named[i]), None);
        // Grown from nothing, a push at a time, every id still found at its place.
        let many: Vec<String> = (0..5_000).map(|i| format!("id{}", i % 4_000)).collect();
        let mut grown = IdIndex::default();
        assert_eq!(grown.find("id1", |i| &many[i]), None);
        for id in &many {
            grown.push(IdIndex::hash(id));
        }
        for (i, id) in many.iter().enumerate() {
            assert_eq!(grown.find(id, |i| &many[i]), Some(i % 4_000), "{id}");
        }
        assert_eq!(grown.find("id4000", |i| &many[i]), None);
    }

    #[test]
    fn a_table_of_ids_finds_each_at_its_place_and_lists_them_in_order() {
        let mut table = IdTable::default();
        assert_eq!(table.get("a"), None);
        let ids: Vec<String> = (0..3_000).map(|i| format!("a{i}")).collect();
        for id in &ids {
            table.push(id);
        }
        // A repeat is found at its first place; the empty id is an id like any other.
        table.push("a7");
        table.push("");
        table.push("Зеленський");
        assert_eq!(table.len(), 3_003);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.get(id), Some(i));
        }
        assert_eq!(table.get(""), Some(3_001));
        assert_eq!(table.get("Зеленський"), Some(3_002));
        assert_eq!(table.get("a3000"), None);
        assert_eq!(table.id(3_000), "a7");
        let listed: Vec<&str> = table.iter().take(3).collect();
        assert_eq!(listed, ["a0", "a1", "a2"]);
        let mut reserved = IdTable::default();
        reserved.reserve(10);
        reserved.push("x");
        assert_eq!((reserved.get("x"), reserved.get("y")), (Some(0), None));
    }

    /// A small deterministic stream for test data (the generator's is private).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn intervals_found_are_exactly_those_a_scan_finds() {
        let mut rng = Lcg(7);
        let mut spans: Vec<(f64, f64, usize)> = (0..3000)
            .map(|i| {
                let a = rng.next() * 10_000.0;
                // Mostly short, some long, a few enormous: every width class.
                let w = match i % 10 {
                    0 => rng.next() * 5000.0,
                    1 => 0.0,
                    _ => rng.next() * 20.0,
                };
                (a, a + w, i)
            })
            .collect();
        spans.push((f64::NEG_INFINITY, 50.0, 3000));
        spans.push((9000.0, f64::INFINITY, 3001));
        let index = IntervalIndex::new(spans.iter().copied());
        for _ in 0..300 {
            let lo = rng.next() * 11_000.0 - 500.0;
            let hi = lo + rng.next() * 300.0;
            let mut found = Vec::new();
            index.visit(lo, hi, |id| found.push(id));
            found.retain(|&id| spans[id].0 <= hi && spans[id].1 >= lo);
            found.sort_unstable();
            let expected: Vec<usize> = spans
                .iter()
                .filter(|s| s.0 <= hi && s.1 >= lo)
                .map(|s| s.2)
                .collect();
            assert_eq!(found, expected, "[{lo}, {hi}]");
        }
    }

    #[test]
    fn the_grid_finds_every_centre_in_a_rectangle() {
        let mut rng = Lcg(3);
        let n = 5000;
        let x: Vec<f64> = (0..n).map(|_| rng.next() * 900.0 - 50.0).collect();
        let y: Vec<f64> = (0..n).map(|_| rng.next() * 600.0).collect();
        let r: Vec<f64> = (0..n).map(|_| 5.0 + rng.next() * 13.0).collect();
        let grid = Grid::new(&x, &y, &r, |i| i % 7 != 0);
        for _ in 0..300 {
            let (qx, qy) = (rng.next() * 1000.0 - 100.0, rng.next() * 700.0 - 50.0);
            let (w, h) = (rng.next() * 80.0, rng.next() * 40.0);
            let mut found = Vec::new();
            grid.visit(qx, qy, qx + w, qy + h, |i| found.push(i));
            let mut inside: Vec<usize> = found
                .into_iter()
                .filter(|&i| x[i] >= qx && x[i] <= qx + w && y[i] >= qy && y[i] <= qy + h)
                .collect();
            inside.sort_unstable();
            let expected: Vec<usize> = (0..n)
                .filter(|&i| i % 7 != 0)
                .filter(|&i| x[i] >= qx && x[i] <= qx + w && y[i] >= qy && y[i] <= qy + h)
                .collect();
            assert_eq!(inside, expected);
        }
    }
}
