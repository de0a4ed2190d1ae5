//! What follows from the story and the reader's selection, recomputed when the selection
//! changes and never per frame: which events and actors are visible, which are emphasised,
//! and the ties of the time window.

use crate::story::graph::Edge;
use crate::story::measures::{self, Measure};
use crate::view::app::App;
use crate::view::state::Mode;

/// The breadth-first steps a betweenness may take in all before it is sampled: exact for
/// W2 (1,000 actors, 21,682 ties), spread over frames (about a second here).
const BETWEENNESS_STEPS: usize = 100_000_000;
/// The steps worked out at once, in the change that asked: a small story's sizes come
/// with its change, not a frame later.
const STEPS_AT_ONCE: usize = 2_000_000;
/// The fewest sources a sampled betweenness is counted from.
const MIN_SOURCES: usize = 32;

/// A node's radius for its number of events, CSS px: the story's own sizing.
pub fn events_radius(count: usize) -> f64 {
    (5.0 + 2.6 * (count as f64).sqrt()).min(18.0)
}

/// Radii from 5 to 18 CSS px by the square root of each value's share of the largest.
fn relative_radius(values: &[f64]) -> Vec<f64> {
    let max = values.iter().copied().fold(0.0, f64::max);
    values
        .iter()
        .map(|v| {
            if max > 0.0 {
                5.0 + 13.0 * (v / max).sqrt()
            } else {
                5.0
            }
        })
        .collect()
}

/// Flags recomputed when the selection changes, never per frame.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub visible_events: Vec<bool>,
    pub visible_actors: Vec<bool>,
    /// Actors to emphasise; empty when nothing is emphasised.
    pub highlighted: Vec<bool>,
    pub any_highlight: bool,
    /// Ties counted from the events inside the time window, when there is one.
    pub window_edges: Option<Vec<Edge>>,
    /// The visible events, ascending; `None` when nothing filters them (every event).
    pub event_list: Option<Vec<usize>>,
    /// How many actors are visible.
    pub visible_actor_count: usize,
    /// Node radii by the reader's measure on the window's ties, CSS px; `None` while they are
    /// the story's own (its events, `Fixed`'s).
    pub radius: Option<Vec<f64>>,
    /// Of a sampled betweenness, the sources it was counted from.
    pub sampled_from: Option<usize>,
    /// The window and measure the sizes are for: a change of anything else keeps them.
    sized_for: Option<(Option<crate::view::state::Window>, Measure)>,
    /// A betweenness being counted over frames ([`App::step_sizes_for`]); the sizes of before
    /// stay until it is done.
    job: Option<measures::BetweennessJob>,
    /// A zeroed count per tie, lent to `Graph::edges_of_events` on every window change.
    pub(crate) edge_scratch: Vec<u32>,
}

impl Derived {
    /// How many events are visible.
    pub fn visible_event_count(&self) -> usize {
        self.event_list
            .as_ref()
            .map_or(self.visible_events.len(), Vec::len)
    }

    /// The `k`-th visible event in time order.
    pub fn nth_visible(&self, k: usize) -> Option<usize> {
        match &self.event_list {
            Some(list) => list.get(k).copied(),
            None => (k < self.visible_events.len()).then_some(k),
        }
    }

    /// Where a visible event stands among the visible ones (`None` if it is hidden).
    pub fn rank_of(&self, e: usize) -> Option<usize> {
        match &self.event_list {
            Some(list) => list.binary_search(&e).ok(),
            None => (e < self.visible_events.len()).then_some(e),
        }
    }
}

impl App {
    /// Recomputes visibility and emphasis from the selection, through the indexes: a
    /// selection touches only its actors' events, a window only the events inside it.
    pub(crate) fn derive(&mut self) {
        let sel = &self.reader.selection;
        let n = self.fixed.story.actors.len();
        let n_events = self.fixed.story.events.len();
        let in_window = |e: &usize| {
            sel.window
                .as_ref()
                .is_none_or(|w| self.fixed.whens[*e].overlaps(w.start_secs, w.end_secs))
        };
        let actor_events = &self.fixed.graph.actor_events;
        let event_list: Option<Vec<usize>> = match crate::story::index::of_actors(
            actor_events,
            &sel.actors,
            sel.mode == Mode::Any,
        ) {
            Some(mut events) => {
                events.retain(in_window);
                Some(events)
            }
            None => sel.window.as_ref().map(|w| {
                self.fixed
                    .index
                    .in_window(&self.fixed.whens, w.start_secs, w.end_secs)
            }),
        };
        let mut visible_events = vec![event_list.is_none(); n_events];
        let filtered = event_list.is_some();
        let mut visible_actors = vec![!filtered; n];
        if let Some(list) = &event_list {
            for &e in list {
                visible_events[e] = true;
                for &a in &self.fixed.graph.event_actors[e] {
                    visible_actors[a] = true;
                }
            }
            for &a in &sel.actors {
                visible_actors[a] = true;
            }
        }
        let mut highlighted = vec![false; n];
        let mut any_highlight = false;
        let mut mark = |a: usize| {
            highlighted[a] = true;
            any_highlight = true;
        };
        if let Some(e) = sel.focused {
            self.fixed.graph.event_actors[e]
                .iter()
                .copied()
                .for_each(&mut mark);
        } else {
            for &a in &sel.actors {
                mark(a);
                self.fixed.graph.neighbours[a]
                    .iter()
                    .copied()
                    .for_each(&mut mark);
            }
        }
        // Inside a time window the ties are those of the window's events alone, sorted by
        // (a, b) like the whole story's.
        let window_events = sel.window.as_ref().map(|w| match &event_list {
            // No actor filter: the list is exactly the window's events.
            Some(list) if sel.actors.is_empty() => std::borrow::Cow::Borrowed(list),
            _ => std::borrow::Cow::Owned(self.fixed.index.in_window(
                &self.fixed.whens,
                w.start_secs,
                w.end_secs,
            )),
        });
        let window_edges = window_events.as_ref().map(|events| {
            self.fixed
                .graph
                .edges_of_events(events, &mut self.derived.edge_scratch)
        });
        // While a drag moves (a brush), the sizes stay those of its start: placing the
        // network again at every step would make each a long task; the release sizes anew.
        // A change of the selection alone keeps them too: they count the window's ties.
        let key = (sel.window.clone(), self.reader.size);
        let hold = self.reader.size != Measure::Events
            && self.reader.drag.as_ref().is_some_and(|d| d.moved);
        let (radius, sampled_from, sized_for, job) =
            if hold || self.derived.sized_for.as_ref() == Some(&key) {
                (
                    self.derived.radius.take(),
                    self.derived.sampled_from,
                    self.derived.sized_for.take(),
                    self.derived.job.take(),
                )
            } else {
                let (radius, sampled_from, job) = self.sizes(window_edges.as_deref());
                (radius, sampled_from, Some(key), job)
            };
        let visible_actor_count = if filtered {
            visible_actors.iter().filter(|v| **v).count()
        } else {
            n
        };
        self.derived = Derived {
            edge_scratch: std::mem::take(&mut self.derived.edge_scratch),
            any_highlight,
            visible_events,
            visible_actors,
            highlighted,
            window_edges,
            event_list,
            visible_actor_count,
            radius,
            sampled_from,
            sized_for,
            job,
        };
    }

    /// Counts a big story's betweenness until `time_up`; true once done this call, with the
    /// nodes sized by it and the network placed again.
    pub fn step_sizes_for(&mut self, time_up: &mut dyn FnMut() -> bool) -> bool {
        let Some(job) = self.derived.job.as_mut() else {
            return false;
        };
        while !job.step() {
            if time_up() {
                return false;
            }
        }
        let Some(job) = self.derived.job.take() else {
            return false;
        };
        let b = job.finish();
        self.derived.sampled_from = b.sampled().then_some(b.sources);
        self.derived.radius = Some(relative_radius(&b.scores));
        // The page's words change (the sample's size): a change of state, and a new picture.
        self.changes.state += 1;
        if self.network_size.0 > 0.0 {
            self.place_network();
        }
        true
    }

    /// A betweenness is being counted over frames.
    pub fn sizing(&self) -> bool {
        self.derived.job.is_some()
    }

    /// Node radii by the reader's measure on the window's ties (the story's when there is no
    /// window), and the sources of a sampled betweenness; `None` for the story's own sizes,
    /// by its events, which a window leaves as they are: placing the network again at each
    /// step of a brush would slow every brush.
    fn sizes(
        &self,
        window_edges: Option<&[Edge]>,
    ) -> (
        Option<Vec<f64>>,
        Option<usize>,
        Option<measures::BetweennessJob>,
    ) {
        let n = self.fixed.story.actors.len();
        let edges = window_edges.unwrap_or(&self.fixed.graph.edges);
        match self.reader.size {
            Measure::Events => (None, None, None),
            Measure::Ties => (
                Some(relative_radius(&measures::degree(n, edges))),
                None,
                None,
            ),
            Measure::Betweenness => {
                // Exact while the budget allows, sampled from evenly spread actors beyond.
                let per_source = measures::BetweennessJob::steps_per_source(n, edges.len());
                let sources = (BETWEENNESS_STEPS / per_source).max(MIN_SOURCES);
                let mut job = measures::BetweennessJob::new(n, edges, sources);
                if sources.min(n) * per_source > STEPS_AT_ONCE {
                    // Counted over frames; the sizes of before stay until then.
                    return (
                        self.derived.radius.clone(),
                        self.derived.sampled_from,
                        Some(job),
                    );
                }
                while !job.step() {}
                let b = job.finish();
                let sampled = b.sampled().then_some(b.sources);
                (Some(relative_radius(&b.scores)), sampled, None)
            }
        }
    }

    /// [`App::derive`]'s visibility and window ties by scanning every event, as it was done
    /// before the indexes: what the indexes must agree with.
    #[doc(hidden)]
    pub fn derive_by_scan(&self) -> (Vec<bool>, Vec<bool>, Option<Vec<Edge>>) {
        let story = &self.fixed.story;
        let sel = &self.reader.selection;
        let visible_events: Vec<bool> = story
            .events
            .iter()
            .map(|e| {
                let involved = match sel.mode {
                    Mode::All => sel.actors.iter().all(|a| e.actors.contains(a)),
                    Mode::Any => {
                        sel.actors.is_empty() || sel.actors.iter().any(|a| e.actors.contains(a))
                    }
                };
                involved
                    && sel
                        .window
                        .as_ref()
                        .is_none_or(|w| e.when.overlaps(w.start_secs, w.end_secs))
            })
            .collect();
        let filtered = !sel.actors.is_empty() || sel.window.is_some();
        let mut visible_actors = vec![!filtered; story.actors.len()];
        if filtered {
            for (e, _) in visible_events.iter().enumerate().filter(|(_, v)| **v) {
                for &a in &story.events[e].actors {
                    visible_actors[a] = true;
                }
            }
            for &a in &sel.actors {
                visible_actors[a] = true;
            }
        }
        let window_edges = sel.window.as_ref().map(|w| {
            let mut weights: std::collections::BTreeMap<(usize, usize), u32> = Default::default();
            for e in story
                .events
                .iter()
                .filter(|e| e.when.overlaps(w.start_secs, w.end_secs))
            {
                for (k, &a) in e.actors.iter().enumerate() {
                    for &b in &e.actors[k + 1..] {
                        *weights.entry((a.min(b), a.max(b))).or_default() += 1;
                    }
                }
            }
            weights
                .into_iter()
                .map(|((a, b), weight)| Edge { a, b, weight })
                .collect()
        });
        (visible_events, visible_actors, window_edges)
    }
}
