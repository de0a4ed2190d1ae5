//! A big story's overview on the network's canvas (issue 20 §3): each closed community drawn
//! as one mark at the centroid of its members where the layout has them now (so it follows a
//! layout still settling), its area in proportion to its members, named by its most connected
//! actors; hit-testing of the marks. Which communities are closed is the viewer's rule
//! (`view::overview`); the sizes that decide it are here. The story's groups the reader
//! collapsed (KeyLines' combos) are marks of the same kind: a partition of the actors by
//! group ([`Communities::of_groups`]), each mark named by its group and its count.

use std::borrow::Cow;
use std::rc::Rc;

use crate::place::network::Rect;
use crate::place::text::{LABEL_FONT_PX, LABEL_HEIGHT_PX, text_width};
use crate::story::communities::Overview;
use crate::story::model::{Rgb, Story};

/// The share of the fitted canvas that all the marks together would cover if none opened:
/// big enough that a community of a few dozen among twenty thousand is still a dot one can
/// point at, small enough that the marks mostly stand apart.
const MARKS_AREA_SHARE: f64 = 0.12;
/// The smallest mark, CSS px radius: a target a pointer can hit.
const MIN_MARK_PX: f64 = 3.0;
/// A community whose mark would be this wide on screen, as a share of the canvas's shorter
/// side, opens into its actors: zoomed in that far its members have room to be told apart.
const OPEN_SHARE: f64 = 0.5;
/// Names given to marks at most, biggest marks first: more would cover the picture.
const MAX_MARK_LABELS: usize = 40;
/// Slack around a mark for the pointer, CSS px (fingers).
const HIT_SLACK_PX: f64 = 3.0;

/// What a partition of the actors into marks is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    /// A big story's communities (Louvain): a click on a mark opens it.
    Communities,
    /// The story's groups, one class each, and one more for the actors of no group (never
    /// closed): a click on a mark expands the group the reader collapsed.
    Groups,
}

/// A story's communities with what their marks show, worked out once per story.
#[derive(Debug, Clone)]
pub struct Communities {
    pub overview: Overview,
    /// Each community's name ([`Overview::name`]), or each group's.
    pub names: Vec<String>,
    /// Each community's colour: the colour most of its members have (their group's).
    pub colors: Vec<Rgb>,
    pub partition: Partition,
}

impl Communities {
    /// The communities of `overview`, named from the actors' `names`, each coloured by its
    /// members' most common colour (`color` of an actor).
    pub fn new(overview: Overview, names: &[String], color: impl Fn(usize) -> Rgb) -> Self {
        let colors = overview
            .members
            .iter()
            .map(|members| {
                // Groups are few: a linear tally per community.
                let mut tally: Vec<(Rgb, usize)> = Vec::new();
                for &a in members {
                    let c = color(a as usize);
                    match tally.iter_mut().find(|(k, _)| *k == c) {
                        Some((_, n)) => *n += 1,
                        None => tally.push((c, 1)),
                    }
                }
                // The first of the most common, as members come most connected first.
                let best = tally.iter().map(|t| t.1).max().unwrap_or(0);
                tally
                    .iter()
                    .find(|t| t.1 == best)
                    .map_or(Rgb(0x80, 0x80, 0x80), |t| t.0)
            })
            .collect();
        let names = (0..overview.members.len())
            .map(|c| overview.name(c, names))
            .collect();
        Communities {
            overview,
            names,
            colors,
            partition: Partition::Communities,
        }
    }

    /// The story's groups as a partition: class `g` is group `g`, its members in the order
    /// of `priority` (every actor, most important first), named and coloured as the group;
    /// the last class holds the actors of no group.
    pub fn of_groups(story: &Story, priority: &[usize]) -> Self {
        let count = story.groups.len();
        let of: Vec<u32> = (story.actors.iter())
            .map(|a| a.group.filter(|&g| g < count).unwrap_or(count) as u32)
            .collect();
        let mut members = vec![Vec::new(); count + 1];
        for &a in priority {
            if let Some(&c) = of.get(a) {
                members[c as usize].push(a as u32);
            }
        }
        let mut names: Vec<String> = story.groups.iter().map(|g| g.name.clone()).collect();
        names.push(String::new());
        let mut colors: Vec<Rgb> = story.groups.iter().map(|g| g.color).collect();
        colors.push(Rgb(0x80, 0x80, 0x80));
        Communities {
            overview: Overview { of, members },
            names,
            colors,
            partition: Partition::Groups,
        }
    }

    pub fn count(&self) -> usize {
        self.overview.members.len()
    }

    /// The words on a mark of class `c` with `members` shown: a community's name (which
    /// already counts its members), or a group's name and its count ("Russia · 5").
    pub fn label(&self, c: usize, members: u32) -> Cow<'_, str> {
        let name = self.names.get(c).map_or("", String::as_str);
        match self.partition {
            Partition::Communities => Cow::Borrowed(name),
            Partition::Groups => Cow::Owned(format!("{name} · {members}")),
        }
    }
}

/// The communities (each actor's, as [`crate::story::communities::louvain`] numbers them) of
/// the layout's graph as [`crate::place::layout::Layout::graph`] gives it, over its first
/// `ties` links, the story's ties (the relations follow them): what the page's layout worker
/// finds for the page, so that Louvain's hundred milliseconds and more at W4 are not a task of
/// the page's. `None` when the numbers are no graph.
#[cfg(feature = "full")]
pub fn partition_of_layout_graph(graph: &[f64], ties: usize) -> Option<Vec<u32>> {
    let (radius, links) = crate::place::layout::Layout::graph_parts(graph)?;
    let edges: Vec<crate::story::graph::Edge> = (links.get(..ties)?.iter())
        .map(|l| crate::story::graph::Edge {
            a: l.a,
            b: l.b,
            weight: l.weight as u32,
        })
        .collect();
    let found = crate::story::communities::louvain(radius.len(), &edges);
    Some(found.of.iter().map(|&c| c as u32).collect())
}

/// The radius, CSS px, of the mark of a community of `members` shown actors among `total`
/// in the story, on a `width × height` canvas zoomed `k` times: its area in proportion to
/// its members, growing with the zoom as the picture under it does.
pub fn mark_radius(members: usize, total: usize, width: f64, height: f64, k: f64) -> f64 {
    let share = members as f64 / total.max(1) as f64;
    let fitted = (MARKS_AREA_SHARE * width * height * share / std::f64::consts::PI).sqrt();
    (fitted * k).max(MIN_MARK_PX)
}

/// Whether a mark of radius `r` is big enough on a `width × height` canvas for its
/// community to open into its actors.
pub fn opens(r: f64, width: f64, height: f64) -> bool {
    2.0 * r >= OPEN_SHARE * width.min(height)
}

/// Passes of [`push_apart`] at most.
const APART_PASSES: usize = 40;
/// Room left between two marks, CSS px.
const APART_GAP_PX: f64 = 2.0;

/// Moves overlapping marks apart, the smaller further, a few passes: a force layout puts
/// the centroids of communities that share many ties close together (W3's dozen pile up in
/// the middle), and discs on top of each other cannot be told apart or pointed at. Marks
/// stay near their centroids; the same centroids and radii always give the same places.
/// Distances and radii both grow with the zoom, so the picture keeps its shape.
fn push_apart(marks: &mut [Mark]) {
    for _ in 0..APART_PASSES {
        let mut moved = false;
        for i in 0..marks.len() {
            for j in i + 1..marks.len() {
                let (dx, dy) = (marks[j].x - marks[i].x, marks[j].y - marks[i].y);
                let d = dx.hypot(dy);
                let overlap = marks[i].r + marks[j].r + APART_GAP_PX - d;
                if overlap <= 0.0 {
                    continue;
                }
                moved = true;
                // Coincident centres part along a fixed direction.
                let (ux, uy) = if d > 1e-9 {
                    (dx / d, dy / d)
                } else {
                    (1.0, 0.0)
                };
                let (ai, aj) = (marks[i].r * marks[i].r, marks[j].r * marks[j].r);
                let (si, sj) = (aj / (ai + aj), ai / (ai + aj));
                marks[i].x -= ux * overlap * si;
                marks[i].y -= uy * overlap * si;
                marks[j].x += ux * overlap * sj;
                marks[j].y += uy * overlap * sj;
            }
        }
        if !moved {
            break;
        }
    }
}

/// One closed community's mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub community: u32,
    /// The centroid of its shown members, CSS px, moved as little as keeps it off other marks.
    pub x: f64,
    pub y: f64,
    pub r: f64,
    /// Its members shown (a time window may hide some).
    pub members: u32,
    /// Where its name is written, if there was room.
    pub label: Option<Rect>,
}

/// Whether this build draws overviews of communities: the full one, with which the page
/// opens a big story (`shell/wasm.js`). In the first download finding communities and their
/// words are behind this constant, so the compiler leaves that code out (the page's 200 KB
/// budget); the marks themselves are in both builds, for the groups the reader collapses.
pub const IN_BUILD: bool = cfg!(feature = "full");

/// The marks of the closed communities, biggest first (the order they are painted in, so
/// small ones stay on top), and which communities are open.
#[derive(Debug, Clone, Default)]
pub struct MarkScene {
    pub communities: Option<Rc<Communities>>,
    /// Each community's state: open (its actors drawn) or closed (its mark). Empty without
    /// an overview: every actor is drawn.
    pub open: Vec<bool>,
    pub marks: Vec<Mark>,
    /// Each community's mark, as an index into `marks`, or `u32::MAX` (open, or nothing shown).
    pub mark_of: Vec<u32>,
}

impl MarkScene {
    /// Marks for the closed communities of `communities`: each at the centroid of its
    /// members shown (`shown`) at `(x, y)`, of radius `radius[c]`, on a `width × height`
    /// canvas; names placed for the biggest where they overlap no other name, and where they
    /// can, nothing `clear` (of the actors drawn and their names) refuses.
    #[allow(clippy::too_many_arguments)]
    pub fn place(
        communities: Rc<Communities>,
        open: Vec<bool>,
        radius: &[f64],
        shown: impl Fn(usize) -> bool,
        x: &[f64],
        y: &[f64],
        (width, height): (f64, f64),
        clear: impl Fn(&Rect) -> bool,
    ) -> MarkScene {
        let count = communities.count();
        let mut marks = Vec::new();
        for c in (0..count).filter(|&c| !open.get(c).copied().unwrap_or(true)) {
            let (mut sx, mut sy, mut n) = (0.0, 0.0, 0u32);
            for &a in &communities.overview.members[c] {
                let a = a as usize;
                if let (true, Some(&ax), Some(&ay)) = (shown(a), x.get(a), y.get(a)) {
                    sx += ax;
                    sy += ay;
                    n += 1;
                }
            }
            if n > 0 {
                marks.push(Mark {
                    community: c as u32,
                    x: sx / f64::from(n),
                    y: sy / f64::from(n),
                    r: radius.get(c).copied().unwrap_or(MIN_MARK_PX),
                    members: n,
                    label: None,
                });
            }
        }
        // Biggest first; equal ones in community order, so frames do not flicker.
        crate::story::order::sort_by_keys(&mut marks, |m| {
            [u64::from(u32::MAX - m.members), u64::from(m.community), 0]
        });
        push_apart(&mut marks);
        let mut mark_of = vec![u32::MAX; count];
        for (i, m) in marks.iter().enumerate() {
            mark_of[m.community as usize] = i as u32;
        }
        let discs: Vec<(f64, f64, f64)> = marks.iter().map(|m| (m.x, m.y, m.r)).collect();
        let mut placed: Vec<Rect> = Vec::new();
        for (i, m) in marks.iter_mut().enumerate() {
            if placed.len() >= MAX_MARK_LABELS {
                break;
            }
            let name = communities.label(m.community as usize, m.members);
            let w = text_width(&name, LABEL_FONT_PX) + 6.0;
            let h = LABEL_HEIGHT_PX;
            // Under the mark, over it, beside it, then across its middle.
            let candidates = [
                (m.x - w / 2.0, m.y + m.r + 2.0),
                (m.x - w / 2.0, m.y - m.r - 2.0 - h),
                (m.x + m.r + 2.0, m.y - h / 2.0),
                (m.x - m.r - 2.0 - w, m.y - h / 2.0),
                (m.x - w / 2.0, m.y - h / 2.0),
            ];
            let free = |r: &Rect, over_actors: bool| {
                r.x >= 0.0
                    && r.y >= 0.0
                    && r.x + r.w <= width
                    && r.y + r.h <= height
                    && !placed.iter().any(|p| p.intersects(r))
                    && !(discs.iter().enumerate())
                        .any(|(j, &(x, y, r2))| j != i && r.touches_circle(x, y, r2))
                    && (over_actors || clear(r))
            };
            let rects = || (candidates.iter()).map(|&(lx, ly)| Rect { x: lx, y: ly, w, h });
            // Clear of the actors drawn and their names if it can be, else over them: a mark
            // without its name would be a riddle.
            let spot =
                (rects().find(|r| free(r, false))).or_else(|| rects().find(|r| free(r, true)));
            if let Some(rect) = spot {
                placed.push(rect);
                m.label = Some(rect);
            }
        }
        MarkScene {
            communities: Some(communities),
            open,
            marks,
            mark_of,
        }
    }

    /// Whether actor `a` is drawn as itself: there are no marks, or its class is open.
    pub fn actor_open(&self, a: usize) -> bool {
        match self.communities.as_ref() {
            Some(c) => c
                .overview
                .of
                .get(a)
                .is_none_or(|&k| self.open.get(k as usize).copied().unwrap_or(true)),
            None => true,
        }
    }

    /// The community whose mark is under a point: the smallest (painted last, on top) of
    /// those whose circle, with a little slack, holds it.
    pub fn hit(&self, px: f64, py: f64) -> Option<usize> {
        self.marks
            .iter()
            .rev()
            .find(|m| (m.x - px).hypot(m.y - py) <= m.r + HIT_SLACK_PX)
            .map(|m| m.community as usize)
    }

    /// A community's mark, if it is drawn.
    pub fn mark(&self, c: usize) -> Option<&Mark> {
        self.marks.get(*self.mark_of.get(c)? as usize)
    }

    /// A community's name.
    pub fn name(&self, c: usize) -> &str {
        self.communities
            .as_ref()
            .and_then(|k| k.names.get(c))
            .map_or("", String::as_str)
    }

    /// The words written on a mark ([`Communities::label`]).
    pub fn label(&self, m: &Mark) -> Cow<'_, str> {
        self.communities.as_ref().map_or(Cow::Borrowed(""), |k| {
            k.label(m.community as usize, m.members)
        })
    }

    /// What the marks stand for, if there are any.
    pub fn partition(&self) -> Option<Partition> {
        self.communities.as_ref().map(|k| k.partition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_communities() -> Rc<Communities> {
        let overview = Overview {
            of: vec![0, 0, 0, 1, 1],
            members: vec![vec![0, 1, 2], vec![3, 4]],
        };
        let names: Vec<String> = ["A", "B", "C", "D", "E"].map(String::from).to_vec();
        Rc::new(Communities::new(overview, &names, |a| {
            if a < 3 { Rgb(1, 2, 3) } else { Rgb(4, 5, 6) }
        }))
    }

    #[test]
    fn area_grows_with_members_and_the_zoom() {
        let r1 = mark_radius(100, 10_000, 800.0, 600.0, 1.0);
        let r4 = mark_radius(400, 10_000, 800.0, 600.0, 1.0);
        assert!((r4 / r1 - 2.0).abs() < 1e-9, "area ∝ members");
        assert!((mark_radius(100, 10_000, 800.0, 600.0, 3.0) / r1 - 3.0).abs() < 1e-9);
        assert_eq!(mark_radius(1, 1_000_000, 800.0, 600.0, 1.0), MIN_MARK_PX);
        assert!(!opens(r4, 800.0, 600.0));
        assert!(opens(150.0, 800.0, 600.0));
    }

    #[test]
    fn overlapping_marks_are_pushed_apart_the_smaller_further() {
        let mark = |community, x, r| Mark {
            community,
            x,
            y: 0.0,
            r,
            members: 1,
            label: None,
        };
        let mut marks = vec![mark(0, 0.0, 20.0), mark(1, 5.0, 10.0)];
        push_apart(&mut marks);
        let d = (marks[1].x - marks[0].x).hypot(marks[1].y - marks[0].y);
        assert!(d >= 30.0 + APART_GAP_PX - 1e-6, "{d}");
        assert!(
            marks[1].x - 5.0 > -marks[0].x,
            "the small one moved further"
        );
    }

    #[test]
    fn marks_sit_at_their_shown_members_centroid_and_are_hit_there() {
        let x = [0.0, 30.0, 60.0, 200.0, 220.0];
        let y = [100.0, 100.0, 100.0, 50.0, 70.0];
        // The second community is open: only the first has a mark. Actor 2 is hidden.
        let scene = MarkScene::place(
            two_communities(),
            vec![false, true],
            &[10.0, 8.0],
            |a| a != 2,
            &x,
            &y,
            (400.0, 300.0),
            |_| true,
        );
        assert_eq!(scene.marks.len(), 1);
        let m = &scene.marks[0];
        assert_eq!((m.x, m.y, m.members), (15.0, 100.0, 2));
        assert_eq!(scene.mark(0), Some(m));
        assert_eq!(scene.mark(1), None);
        assert_eq!(scene.hit(20.0, 105.0), Some(0));
        assert_eq!(scene.hit(200.0, 50.0), None);
        assert!(!scene.actor_open(0) && scene.actor_open(3));
        assert_eq!(scene.name(0), "A, B + 1");
        assert!(m.label.is_some());
        assert_eq!(
            scene.communities.as_ref().map(|c| c.colors[1]),
            Some(Rgb(4, 5, 6))
        );
    }
}
