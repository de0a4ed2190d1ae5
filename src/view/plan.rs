//! The paint plan: what the next paints of each canvas draw (the ties chosen, the network's
//! node groups, each lane's marks and density), worked out once per picture and kept between
//! frames while its key, a count of the changes that alter that picture, stays the same.
//! A hover or a theme change repaints the same plan.

use std::rc::Rc;

use crate::draw::{Frame, Plan};
use crate::place::lod::{Emphasis, LaneMarks, NetworkPaint, TieChoice};
use crate::view::app::App;
use crate::view::state::Target;

/// A value worked out for a frame and kept for the next ones while its key is the same.
struct Memo<K, T>(std::cell::RefCell<Option<(K, Rc<T>)>>);

impl<K, T> Default for Memo<K, T> {
    fn default() -> Self {
        Memo(std::cell::RefCell::new(None))
    }
}

impl<K: PartialEq + Copy, T> Memo<K, T> {
    fn holds(&self, key: K) -> bool {
        self.0.borrow().as_ref().is_some_and(|(k, _)| *k == key)
    }

    fn get(&self, key: K, make: impl FnOnce() -> T) -> Rc<T> {
        let mut slot = self.0.borrow_mut();
        if let Some((k, value)) = slot.as_ref()
            && *k == key
        {
            return value.clone();
        }
        let value = Rc::new(make());
        *slot = Some((key, value.clone()));
        value
    }
}

/// The values kept between frames.
#[derive(Default)]
pub(crate) struct PaintPlan {
    /// The ties and nodes the network draws, once per view and selection.
    paint_cache: Memo<(u64, u64), NetworkPaint>,
    /// The ties drawn, kept apart: with the whole network on the canvas they do not depend on
    /// where it is, so a pan or a layout step that keeps it there draws the same ones.
    tie_cache: Memo<(u64, u64, u64), TieChoice>,
    /// Each lane's visible marks and density, once per placement and selection.
    lane_cache: Memo<(u64, u64), LaneMarks>,
}

/// Counts of changes, one per kind: they key the plan and tell the page what to store and
/// repaint. Each only ever grows.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Changes {
    /// The selection, the window, the focus, or a view (zoom, pan): what the URL stores.
    pub(crate) state: u64,
    /// The selection, the window or the focus alone: both pictures change with it.
    pub(crate) selection: u64,
    /// Where the network's nodes are on screen: placement, camera, filter (not a pan by
    /// 0 px, a hover or a theme).
    pub(crate) network: u64,
    /// Placements of the time axis (size, zoom, pan).
    pub(crate) timeline: u64,
    /// Which of the overview's communities are open: the ties drawn change with it.
    pub(crate) opened: u64,
}

impl App {
    /// How the selection emphasises actors and events now.
    pub fn emphasis(&self) -> Emphasis<'_> {
        let d = &self.derived;
        Emphasis {
            visible_actors: &d.visible_actors,
            visible_events: &d.visible_events,
            visible_event_count: d.visible_event_count(),
            highlighted: &d.highlighted,
            any_highlight: d.any_highlight,
            focused: self.reader.selection.focused,
        }
    }

    /// What a paint reads, handed to [`crate::draw`]: the story, the placed scenes, the
    /// reader's marks, and the viewer as the paint plan.
    pub fn frame(&self) -> Frame<'_> {
        let keyboard = &self.reader.keyboard;
        Frame {
            story: &self.fixed.story,
            network: &self.network,
            timeline: &self.timeline,
            emphasis: self.emphasis(),
            selected: &self.reader.selection.actors,
            window: self
                .reader
                .selection
                .window
                .as_ref()
                .map(|w| (w.start_secs, w.end_secs)),
            hover: self.reader.hover,
            marks: &self.marks,
            communities: self.communities_found().map(|c| &**c),
            overview_coming: self.overview_coming(),
            keyboard: (keyboard.focus, keyboard.actor, keyboard.event),
            dark: self.reader.dark,
            plan: self,
        }
    }

    /// What the network's next paint draws, from `work_out` when its picture changed since
    /// the last call (a hover or a theme change repaints the same ties and nodes).
    pub(crate) fn network_paint(
        &self,
        work_out: impl FnOnce() -> NetworkPaint,
    ) -> Rc<NetworkPaint> {
        self.plan
            .paint_cache
            .get(self.picture_version(Target::Network), work_out)
    }

    /// The ties to draw, from `choose` when the selection changed since the last call or,
    /// unless the whole network is on the canvas (`all_on_canvas`) now and then or a pan, a
    /// wheel's or a pinch's gesture is under way, the view.
    pub(crate) fn tie_choice(
        &self,
        all_on_canvas: bool,
        choose: impl FnOnce() -> TieChoice,
    ) -> Rc<TieChoice> {
        // While a drag pans the network or a wheel or a pinch moves it, the ties chosen
        // before are drawn where they go: a new choice scans every tie (half a million at
        // W4), and a software canvas needs the rest of the frame for the pixels. Ties the
        // move brings in come with the release (`pointer_up`) or a pause in the wheel's or
        // the pinch's steps (`settle_gesture`).
        let view = if all_on_canvas {
            u64::MAX
        } else if let Some(before) = self.moving_from() {
            before
        } else {
            self.changes.network
        };
        self.plan
            .tie_cache
            .get((self.changes.selection, view, self.changes.opened), choose)
    }

    /// Each lane's visible marks and density strip, from `find` when the time axis was
    /// placed again or the selection changed since the last call.
    pub(crate) fn lane_marks(&self, find: impl FnOnce() -> LaneMarks) -> Rc<LaneMarks> {
        self.plan
            .lane_cache
            .get(self.picture_version(Target::Timeline), find)
    }

    /// Whether what a paint of `target` needs first (see `draw::prepare`) is already kept.
    pub(crate) fn prepared(&self, target: Target) -> bool {
        let key = self.picture_version(target);
        match target {
            Target::Network => self.plan.paint_cache.holds(key),
            Target::Timeline => self.plan.lane_cache.holds(key),
        }
    }

    /// Changes whenever the picture on `target` may have (its placement, view or the
    /// selection), but not for a hover or a keyboard move, which only move rings. It keys
    /// the ties and lane marks kept between frames.
    pub fn picture_version(&self, target: Target) -> (u64, u64) {
        let places = match target {
            Target::Network => self.changes.network,
            Target::Timeline => self.changes.timeline,
        };
        (places, self.changes.selection)
    }

    /// Computes and keeps what the next paint of `target` needs before it draws (the ties and
    /// nodes to draw, each lane's marks and strip); true if that took any work. A big story
    /// does it a frame ahead of the paint, so that no one task both scans half a million ties
    /// and paints.
    pub fn prepare(&self, target: Target) -> bool {
        if self.prepared(target) {
            return false;
        }
        match target {
            Target::Network if self.network.x.len() == self.story().actors.len() => {
                self.network_plan();
            }
            Target::Timeline if self.timeline.scale.is_some() => {
                self.lane_plan();
            }
            // Nothing placed, so nothing to keep: the paint draws the empty picture.
            _ => return false,
        }
        true
    }

    /// The ties and nodes a frame of the network draws, in paint order. They only change with
    /// the picture's placement, view and selection: a hover or a theme change paints the same
    /// ones without scanning every tie and node again. Call only once the network is placed (a
    /// position per actor).
    pub(crate) fn network_plan(&self) -> Rc<NetworkPaint> {
        let scene = &self.network;
        let d = &self.derived;
        let emphasis = self.emphasis();
        let shown = |a: usize| scene.is_shown(a);
        let at = |a: usize| (scene.x[a], scene.y[a]);
        let edges = d.window_edges.as_deref().unwrap_or(&self.graph().edges);
        self.network_paint(|| {
            // Each node's sides (`beyond`), worked out once for every tie it ends, or HIDDEN.
            const HIDDEN: u8 = 16;
            let side: Vec<u8> = (0..scene.x.len())
                .map(|a| {
                    if shown(a) {
                        crate::place::network::beyond(scene, at(a))
                    } else {
                        HIDDEN
                    }
                })
                .collect();
            // With every shown node on the canvas (a fitted network), every tie between them is
            // on it too, and the choice holds wherever they are.
            let all_on_canvas = side.iter().all(|&s| s == 0 || s == HIDDEN);
            // Each overview mark is as bright as its brightest member.
            let n = scene.x.len() as u32;
            let mut mark_levels = vec![2u8; self.marks.marks.len()];
            for (a, &c) in self
                .marks
                .communities
                .iter()
                .flat_map(|k| k.overview.of.iter().enumerate())
            {
                if let Some(slot) = self
                    .marks
                    .mark_of
                    .get(c as usize)
                    .and_then(|&i| mark_levels.get_mut(i as usize))
                {
                    *slot = (*slot).min(emphasis.level(a) as u8);
                }
            }
            let mark_level = |id: u32| {
                if id < n {
                    emphasis.level(id as usize) as u8
                } else {
                    mark_levels.get((id - n) as usize).copied().unwrap_or(2)
                }
            };
            // No ties while the overview is still to come: not even chosen (one pass over
            // every tie), nor kept for later.
            let coming = self.overview_coming().then(|| {
                Rc::new(crate::place::lod::TieChoice {
                    buckets: vec![Vec::new(); 3 * crate::place::lod::TIE_WIDTHS],
                    left_out: 0,
                })
            });
            let ties = coming.unwrap_or_else(|| {
                self.tie_choice(all_on_canvas, || {
                    // Ties of the selected actors (or of the focused event's) are the point of a
                    // selection: always drawn, outside the budget. Ties among their neighbours take
                    // their chance in it: a hub's neighbours can share tens of thousands.
                    let mut anchor = vec![false; scene.x.len()];
                    let focused_actors = self
                        .reader
                        .selection
                        .focused
                        .and_then(|e| self.story().events.get(e))
                        .map_or(&[][..], |e| &e.actors[..]);
                    for &a in self.reader.selection.actors.iter().chain(focused_actors) {
                        if let Some(slot) = anchor.get_mut(a) {
                            *slot = true;
                        }
                    }
                    let anchored =
                        |a: usize| d.any_highlight && anchor.get(a).copied().unwrap_or(false);
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
                    // The overview's ties: between marks, or a mark and an open actor, summed.
                    let summed = self.mark_ties(edges, &side);
                    let marks_kept = summed.len().min(crate::place::lod::MARK_TIES);
                    let budget = crate::place::lod::EDGE_BUDGET
                        .saturating_sub(bright.len())
                        .saturating_sub(marks_kept);
                    let kept =
                        crate::place::lod::strongest(&rest, |k| edges[k as usize].weight, budget);
                    // Buckets by (emphasis, width class), painted dim first so bright ties stay on
                    // top; their ends, not their index, so a paint never looks up a tie among 500,000.
                    const WIDTHS: usize = crate::place::lod::TIE_WIDTHS;
                    let mut buckets: Vec<Vec<(u32, u32)>> = vec![Vec::new(); 3 * WIDTHS];
                    for &k in bright.iter().chain(&kept) {
                        let e = &edges[k as usize];
                        let lvl = emphasis.level(e.a).max(emphasis.level(e.b));
                        let class = (e.weight.clamp(1, WIDTHS as u32) - 1) as usize;
                        buckets[lvl * WIDTHS + class].push((e.a as u32, e.b as u32));
                    }
                    let heaviest = summed.first().map_or(1, |t| t.2);
                    for &(a, b, w) in &summed[..marks_kept] {
                        let lvl = usize::from(mark_level(a).max(mark_level(b)));
                        let class = crate::place::lod::summed_width_class(w, heaviest);
                        buckets[lvl * WIDTHS + class].push((a, b));
                    }
                    crate::place::lod::TieChoice {
                        buckets,
                        left_out: rest.len() - kept.len() + summed.len() - marks_kept,
                    }
                })
            });
            // Groups are few: a linear search over (level, colour, shape) keys is cheapest.
            let mut nodes: Vec<crate::place::lod::NodeGroup> = Vec::new();
            for a in (0..scene.x.len()).filter(|&a| scene.on_screen(a)) {
                let (lvl, color) = (emphasis.level(a), self.story().actor_color(a));
                let shape = self.story().actor_shape(a);
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
            crate::place::lod::NetworkPaint {
                ties,
                nodes,
                mark_levels,
            }
        })
    }

    /// The overview's ties among `edges` (actors' `side`s as `network_plan` finds them,
    /// hidden ones 16): those with an end in a closed community, summed by the two things
    /// drawn (an open actor `a`, or mark `i` as `n + i`), heaviest first. Empty without
    /// an overview.
    fn mark_ties(&self, edges: &[crate::story::graph::Edge], side: &[u8]) -> Vec<(u32, u32, u64)> {
        let marks = &self.marks;
        let Some(communities) = marks
            .communities
            .as_ref()
            .filter(|_| !marks.marks.is_empty())
        else {
            return Vec::new();
        };
        let n = side.len() as u32;
        let of = &communities.overview.of;
        let in_window = |a: usize| {
            self.reader.selection.window.is_none()
                || self.derived.visible_actors.get(a).copied().unwrap_or(false)
        };
        // What stands for actor `a`: its mark when its community is closed, itself when open
        // and shown, nothing when the window hides it.
        let drawn_as = |a: usize| -> Option<u32> {
            let mark = *marks.mark_of.get(*of.get(a)? as usize)?;
            if mark != u32::MAX {
                in_window(a).then_some(n + mark)
            } else {
                (side.get(a).copied()? != 16).then_some(a as u32)
            }
        };
        // Between two marks: a dense table (a few hundred marks at most). Between a mark and
        // an open actor: listed, then sorted and summed (few: only open actors' ties). No
        // hash map: its code would be the download's.
        let m = marks.marks.len();
        let mut between = vec![0u64; m * m];
        let mut mixed: Vec<(u32, u32, u64)> = Vec::new();
        for e in edges {
            // Both ends open: an actors' tie, chosen with the rest.
            if marks.actor_open(e.a) && marks.actor_open(e.b) {
                continue;
            }
            let (Some(a), Some(b)) = (drawn_as(e.a), drawn_as(e.b)) else {
                continue;
            };
            let (a, b) = (a.min(b), a.max(b));
            if a == b {
                continue;
            }
            let w = u64::from(e.weight);
            if a >= n {
                between[(a - n) as usize * m + (b - n) as usize] += w;
            } else {
                mixed.push((a, b, w));
            }
        }
        crate::story::order::sort_by_keys(&mut mixed, |&(a, b, _)| [u64::from(a), u64::from(b), 0]);
        let mut out: Vec<(u32, u32, u64)> = Vec::new();
        for run in mixed.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
            out.push((run[0].0, run[0].1, run.iter().map(|t| t.2).sum()));
        }
        for i in 0..m {
            for j in i + 1..m {
                let w = between[i * m + j];
                if w > 0 {
                    out.push((n + i as u32, n + j as u32, w));
                }
            }
        }
        // Heaviest first, then by their ends: the same ties, the same order.
        crate::story::order::sort_by_keys(&mut out, |&(a, b, w)| {
            [u64::MAX - w, u64::from(a), u64::from(b)]
        });
        out
    }

    /// Each lane's visible marks, found in one pass over its marks (a big story's lanes hold
    /// tens of thousands) and kept until the axis or the selection changes: a hover or the
    /// brush's own frame reuses them.
    pub(crate) fn lane_plan(&self) -> Rc<LaneMarks> {
        let scene = &self.timeline;
        let d = &self.derived;
        let emphasis = self.emphasis();
        let Some(scale) = scene.scale else {
            return Rc::default();
        };
        // Lanes with more marks than fit side by side become density strips (see `crate::place::lod`).
        let (x0, x1) = (scale.x0, scale.x1);
        self.lane_marks(|| {
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
                    let rows = ((lane.height - 2.0 * crate::place::timeline::LANE_PAD_PX)
                        / crate::place::timeline::SUBROW_PX)
                        .round() as usize;
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
            let focus = self.reader.selection.focused;
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
                let when = &self.story().events[m.event].when;
                let look = u64::from(when.approximate) << 2
                    | u64::from(when.uncertain) << 1
                    | u64::from(emphasis.event_alpha(m.event) < 1.0);
                let kind = crate::place::lod::MARK_KINDS
                    .iter()
                    .position(|&k| k == m.kind)
                    .unwrap_or(0);
                // The shared lane's colour is the theme's: it sorts as a colour of its own.
                let lane = &scene.lanes[k as usize];
                let community = lane.community.and_then(|c| {
                    let colors = &self.communities_found()?.colors;
                    colors.get(c).copied()
                });
                let colour = match (lane.actor, community) {
                    (Some(a), _) => self.story().actor_color(a).key(),
                    (None, Some(rgb)) => rgb.key(),
                    (None, None) => 1 << 24,
                };
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
}

impl Plan for App {
    fn network_paint(&self) -> Rc<NetworkPaint> {
        self.network_plan()
    }

    fn lane_marks(&self) -> Rc<LaneMarks> {
        self.lane_plan()
    }
}
