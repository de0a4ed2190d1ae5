//! Level of detail: what a crowded picture draws instead of every element. Pure functions,
//! used by [`crate::draw`] and tested natively.
//!
//! - Ties: when more would be drawn than [`EDGE_BUDGET`], the strongest are kept and the
//!   picture says how many were left out (zooming in brings the rest back).
//! - Events: a lane with more marks than fit side by side becomes a density strip, shaded by
//!   how many events fall in each few pixels, instead of thousands of overlapping marks.

use crate::place::timeline::MarkKind;

/// Ties drawn at most in one frame; beyond it the weakest are left out of the picture.
pub const EDGE_BUDGET: usize = 6000;

/// Ties beyond this many on screen are drawn one pixel wide, their weight told by opacity.
pub const WIDE_EDGES_MAX: usize = 800;

/// Relations beyond this many on screen are drawn solid rather than dashed.
pub const DASHED_RELATIONS_MAX: usize = 200;

/// Nodes smaller than this radius on screen, CSS px, are drawn as squares of their colour.
pub const TINY_NODE_PX: f64 = 2.5;

/// Beyond this many nodes on screen, each is a square of its group's colour without an
/// outline, moving or not. So many are packed too close for their shapes to be told apart,
/// and thousands of small shapes are most of a software canvas's frame (W4 zoomed in twice:
/// 19,000 shapes, 53 of its 80 ms; squares take half, and a click's repaint went from
/// 61–73 ms to under 50). Zoomed in further, the shapes come back.
pub const CROWDED_NODES: usize = 2000;

/// Beyond this many actors shown (those a time window leaves), the network is an overview:
/// closed communities are drawn as one mark each (`place::overview`). It is where the
/// picture of single actors stops reading ([`CROWDED_NODES`]: squares without outlines,
/// names for a few hundred at most): past it, more actors add pixels, not information.
pub const OVERVIEW_ACTORS: usize = CROWDED_NODES;

/// The ties between communities' marks drawn at most: a few per mark. Their weights are sums
/// over thousands of ties, so a few hundred of the strongest already show the structure;
/// every pair of a hundred marks would be a hairball.
pub const MARK_TIES: usize = 300;

/// Width of one density bin, CSS px.
pub const BIN_PX: f64 = 3.0;

/// Shades of a density strip; few, so each lane paints in a handful of calls.
pub const LEVELS: u8 = 5;

/// Space one mark takes on its row in a lane that still reads mark by mark, CSS px: more
/// than one mark per this much, on average, and bursts overlap into a smudge.
const MARK_SPACING_PX: f64 = 40.0;

/// Tie widths told apart (by width, or by opacity when ties are hairlines).
pub const TIE_WIDTHS: usize = 6;

/// What a network frame draws, worked out once per placement, view and selection, so that a
/// repaint of the same picture (a hover elsewhere, a theme change) only paints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkPaint {
    /// Ties between actors; an end at `n + i` (`n` actors) is the overview's mark `i`.
    pub ties: std::rc::Rc<TieChoice>,
    /// Each overview mark's emphasis level (as [`Emphasis::level`]: its brightest member's),
    /// in the marks' order.
    pub mark_levels: Vec<u8>,
    /// The nodes on screen by (emphasis level, colour, shape), dim levels first.
    pub nodes: Vec<NodeGroup>,
}

impl NetworkPaint {
    /// Number of nodes on screen.
    pub fn nodes_on_screen(&self) -> usize {
        self.nodes.iter().map(|g| g.members.len()).sum()
    }
}

/// The ties a network frame draws, as their two actors, by emphasis level (0 bright, 1 dim,
/// 2 filtered out) and width class: bucket `level * TIE_WIDTHS + class`. The bright ones (of
/// the selected or focused actors) are always drawn; the rest are the strongest within
/// [`EDGE_BUDGET`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TieChoice {
    pub buckets: Vec<Vec<(u32, u32)>>,
    /// Ties on screen left out for the budget.
    pub left_out: usize,
}

impl TieChoice {
    /// Number of ties drawn.
    pub fn drawn(&self) -> usize {
        self.buckets.iter().map(Vec::len).sum()
    }
}

/// Nodes painted alike.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeGroup {
    pub level: usize,
    pub color: crate::story::model::Rgb,
    pub shape: crate::story::model::Shape,
    pub members: Vec<u32>,
}

/// A time axis' lanes as a frame draws them: per lane, the indexes of its visible marks,
/// whether they are too many to draw one by one, and if so its density strip, shaded
/// against the busiest bin of all lanes (kept with the rest, so a repaint does not bin and
/// shade again).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LaneMarks {
    pub visible: Vec<Vec<u32>>,
    pub crowded: Vec<bool>,
    pub strips: Vec<Option<Vec<Run>>>,
    /// The marks drawn one by one, as (mark, lane) indexes in paint order.
    pub singles: Vec<(u32, u32)>,
}

/// The width class (0 to [`TIE_WIDTHS`] − 1) of a tie between marks weighing `weight` when
/// the heaviest drawn weighs `max`: logarithmic, as summed weights span orders of magnitude.
pub fn summed_width_class(weight: u64, max: u64) -> usize {
    if max <= 1 || weight <= 1 {
        return 0;
    }
    let f = (weight as f64).ln() / (max as f64).ln();
    ((f * (TIE_WIDTHS - 1) as f64).round() as usize).min(TIE_WIDTHS - 1)
}

/// Which of `candidates` (edge indices, in order) to draw: all of them within the budget,
/// otherwise the `budget` heaviest, ties in weight broken by order so frames are stable.
pub fn strongest(candidates: &[u32], weight: impl Fn(u32) -> u32, budget: usize) -> Vec<u32> {
    if candidates.len() <= budget {
        return candidates.to_vec();
    }
    // Weights are small counts: a histogram finds the cut-off without sorting.
    const TOP: usize = 64;
    let mut histogram = [0usize; TOP + 1];
    for &e in candidates {
        histogram[(weight(e) as usize).min(TOP)] += 1;
    }
    let mut cut = TOP;
    let mut above = 0;
    while cut > 0 && above + histogram[cut] < budget {
        above += histogram[cut];
        cut -= 1;
    }
    // All edges heavier than `cut`, then those of weight `cut` in order until the budget.
    let mut room_at_cut = budget - above;
    let mut kept = Vec::with_capacity(budget);
    for &e in candidates {
        let w = (weight(e) as usize).min(TOP);
        if w > cut {
            kept.push(e);
        } else if w == cut && room_at_cut > 0 {
            kept.push(e);
            room_at_cut -= 1;
        }
    }
    kept
}

/// True if `marks` marks on `rows` rows over `width` px would overlap: then the lane is drawn
/// as a density strip.
pub fn crowded(marks: usize, rows: usize, width: f64) -> bool {
    marks as f64 * MARK_SPACING_PX > rows.max(1) as f64 * width.max(0.0)
}

/// Events per bin over `[x0, x1)`: each span `(a, b)` counts once in every bin it touches.
pub fn bin_counts(spans: impl Iterator<Item = (f64, f64)>, x0: f64, x1: f64) -> Vec<u32> {
    let n = (((x1 - x0) / BIN_PX).ceil().max(0.0) as usize).max(1);
    let bin = |x: f64| (((x - x0) / BIN_PX).floor().max(0.0) as usize).min(n - 1);
    // A difference array: a six-month band adds two entries, not one per bin.
    let mut delta = vec![0i64; n + 1];
    for (a, b) in spans {
        if b < x0 || a > x1 {
            continue;
        }
        delta[bin(a)] += 1;
        delta[bin(b) + 1] -= 1;
    }
    let mut running = 0i64;
    delta[..n]
        .iter()
        .map(|d| {
            running += d;
            running.max(0) as u32
        })
        .collect()
}

/// A stretch of neighbouring bins with one shade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    pub x0: f64,
    pub x1: f64,
    /// 1 (fewest events) to [`LEVELS`] (most).
    pub level: u8,
}

/// The shade of a bin of `count` events when the busiest bin holds `max`: logarithmic, so a
/// single event still shows beside a burst of hundreds.
pub fn level(count: u32, max: u32) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    // ln(1 + n) of whole counts needs no `ln_1p` (its own 0.5 KB of the download).
    let f = (f64::from(count) + 1.0).ln() / (f64::from(max) + 1.0).ln();
    ((f * f64::from(LEVELS)).ceil() as u8).clamp(1, LEVELS)
}

/// Opacity of a shade.
pub fn level_alpha(level: u8) -> f64 {
    0.15 + 0.85 * f64::from(level) / f64::from(LEVELS)
}

/// Neighbouring bins of one shade merged into runs, from `x0`; empty bins are left out.
pub fn runs(counts: &[u32], x0: f64, max: u32) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (i, &c) in counts.iter().enumerate() {
        let l = level(c, max);
        if l == 0 {
            continue;
        }
        let (a, b) = (x0 + i as f64 * BIN_PX, x0 + (i + 1) as f64 * BIN_PX);
        match out.last_mut() {
            Some(r) if r.level == l && (r.x1 - a).abs() < 1e-9 => r.x1 = b,
            _ => out.push(Run {
                x0: a,
                x1: b,
                level: l,
            }),
        }
    }
    out
}

/// How the selection emphasises actors and events, as the drawing and the paint plan read it.
#[derive(Debug, Clone, Copy)]
pub struct Emphasis<'a> {
    pub visible_actors: &'a [bool],
    pub visible_events: &'a [bool],
    /// How many events are visible.
    pub visible_event_count: usize,
    /// Actors to emphasise; empty when nothing is emphasised.
    pub highlighted: &'a [bool],
    pub any_highlight: bool,
    /// The event picked on the axis or in the list.
    pub focused: Option<usize>,
}

impl Emphasis<'_> {
    /// How an actor is emphasised: 0 bright, 1 dim, 2 filtered out. Emphasis wins over
    /// filtering: a selected actor's neighbour stays bright even when it has no event of its
    /// own in view (Putin, tied to Dmitriev only by a relation).
    pub fn level(&self, a: usize) -> usize {
        let visible = self.visible_actors.get(a).copied().unwrap_or(true);
        if self.highlighted.get(a).copied().unwrap_or(false) || (!self.any_highlight && visible) {
            0
        } else if visible {
            1
        } else {
            2
        }
    }

    /// How opaque an event's marks are: the others fade while one is focused among a
    /// selection.
    pub fn event_alpha(&self, e: usize) -> f64 {
        let focus = self.focused;
        if self.any_highlight && focus.is_some() && focus != Some(e) {
            0.45
        } else {
            1.0
        }
    }
}

/// Kinds of marks in paint order: widest first.
pub const MARK_KINDS: [MarkKind; 3] = [MarkKind::Band, MarkKind::Bar, MarkKind::Point];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_the_budget_every_edge_is_kept() {
        let c: Vec<u32> = (0..10).collect();
        assert_eq!(strongest(&c, |_| 1, 10), c);
    }

    #[test]
    fn over_the_budget_the_heaviest_are_kept_in_order() {
        let c: Vec<u32> = (0..10).collect();
        // Weights 0..10 reversed: edge 9 is the lightest.
        let kept = strongest(&c, |e| 10 - e, 4);
        assert_eq!(kept, vec![0, 1, 2, 3]);
        // Equal weights: the first ones, so frames do not flicker between choices.
        let kept = strongest(&c, |e| if e % 2 == 0 { 2 } else { 1 }, 7);
        assert_eq!(kept, vec![0, 1, 2, 3, 4, 6, 8]);
        assert_eq!(kept.len(), 7);
    }

    #[test]
    fn heavy_weights_beyond_the_histogram_still_win() {
        let c: Vec<u32> = (0..5).collect();
        let kept = strongest(&c, |e| if e == 3 { 500 } else { 1 }, 1);
        assert_eq!(kept, vec![3]);
    }

    #[test]
    fn crowding_depends_on_rows_and_width() {
        assert!(!crowded(5, 1, 200.0));
        assert!(crowded(6, 1, 200.0));
        assert!(!crowded(6, 4, 200.0));
    }

    #[test]
    fn spans_count_in_every_bin_they_touch() {
        let counts = bin_counts([(0.0, 0.0), (1.0, 1.0), (4.0, 10.0)].into_iter(), 0.0, 12.0);
        assert_eq!(counts, vec![2, 1, 1, 1]);
        // Outside the range: not counted; at the edge: clamped into the last bin.
        let counts = bin_counts([(-50.0, -40.0), (12.0, 12.0)].into_iter(), 0.0, 12.0);
        assert_eq!(counts, vec![0, 0, 0, 1]);
    }

    #[test]
    fn levels_are_logarithmic_and_never_hide_one_event() {
        assert_eq!(level(0, 100), 0);
        assert_eq!(level(1, 1000), 1);
        assert_eq!(level(1000, 1000), LEVELS);
        assert!(level(30, 1000) < level(300, 1000));
        assert!(level_alpha(1) < level_alpha(LEVELS));
    }

    #[test]
    fn runs_merge_neighbours_of_one_shade() {
        let r = runs(&[1, 1, 0, 9, 9, 1], 10.0, 9);
        assert_eq!(r.len(), 3);
        assert_eq!((r[0].x0, r[0].x1), (10.0, 10.0 + 2.0 * BIN_PX));
        assert_eq!(r[1].level, LEVELS);
        assert_eq!(
            (r[1].x0, r[1].x1),
            (10.0 + 3.0 * BIN_PX, 10.0 + 5.0 * BIN_PX)
        );
        assert_eq!(r[2].level, level(1, 9));
    }
}
