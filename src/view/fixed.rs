//! What is fixed once a story is loaded: the story itself, its graph, and what the viewer
//! derives from them alone (names and radii for the network, lanes for the time axis, the
//! indexes that make a click or a brush cheap, ids to positions). Nothing here changes while
//! the reader reads.

use crate::place::layout::{Layout, Link, REHEAT, TICKS};
use crate::place::network::NetworkInput;
use crate::read::load::Diagnostic;
use crate::story::dates::When;
use crate::story::graph::{Graph, GraphBuilding, sort_most_first};
use crate::story::index::{EventIndex, IdIndex};
use crate::story::model::Story;

/// Stories up to this many actors are laid out at once when loaded; bigger ones settle over
/// several frames while the reader already sees them.
const LAYOUT_AT_ONCE_MAX_ACTORS: usize = 400;

/// The story and what is derived from it alone, built once.
pub struct Fixed {
    pub story: Story,
    pub diagnostics: Vec<Diagnostic>,
    pub graph: Graph,
    pub(crate) names: Vec<String>,
    pub(crate) radius: Vec<f64>,
    /// Label priority of each actor: its number of events.
    pub(crate) priority: Vec<usize>,
    /// Relation ends and labels, as the network scene takes them.
    pub(crate) relation_labels: Vec<(usize, usize, String)>,
    pub(crate) lane_actors: Vec<usize>,
    pub(crate) whens: Vec<When>,
    /// The time index (each actor's events are the graph's): filtering never scans every event.
    pub(crate) index: EventIndex,
    /// Actors by number of events, most first (ties in story order).
    pub(crate) actors_by_priority: Vec<usize>,
    /// Ids to positions, for the JS handle's calls by id.
    actor_ids: IdIndex,
    event_ids: IdIndex,
    /// The search box's folded text, made in parts after the start ([`App::fold_for_search`])
    /// or at the first search: folding a big story's titles would lengthen its start.
    pub(crate) search: std::cell::RefCell<crate::view::search::SearchIndex>,
    /// The communities of a big story's overview, found when first drawn
    /// (`view::overview`): a small story never pays for them.
    pub(crate) communities: std::cell::OnceCell<std::rc::Rc<crate::place::overview::Communities>>,
    /// The story's groups as a partition of its actors, made when the reader first collapses
    /// one (`view::overview`).
    pub(crate) groups: std::cell::OnceCell<std::rc::Rc<crate::place::overview::Communities>>,
}

/// [`Fixed::new`] a part at a time, so that a big story's is not one long task in the page
/// (W4: the graph's three parts, the lanes and the time index are each up to a few hundred
/// ms): `step` makes the
/// next part, `finish` what is left and the whole.
pub struct Fixing {
    story: Story,
    diagnostics: Vec<Diagnostic>,
    building: Option<GraphBuilding>,
    graph: Option<Graph>,
    lanes: Option<Lanes>,
    index: Option<EventIndex>,
}

/// What the time axis and the network's sizes take from the story and its graph.
struct Lanes {
    radius: Vec<f64>,
    event_counts: Vec<usize>,
    lane_actors: Vec<usize>,
    whens: Vec<When>,
}

impl Fixing {
    pub fn new(story: Story, diagnostics: Vec<Diagnostic>) -> Fixing {
        Fixing {
            story,
            diagnostics,
            building: None,
            graph: None,
            lanes: None,
            index: None,
        }
    }

    /// Makes the next part; false when none was left to make.
    pub fn step(&mut self) -> bool {
        let Some(graph) = &self.graph else {
            match self.building.take() {
                None => self.building = Some(GraphBuilding::new(&self.story)),
                Some(mut building) if !building.sorted() => {
                    building.sort();
                    self.building = Some(building);
                }
                Some(building) => self.graph = Some(building.finish(&self.story)),
            }
            return true;
        };
        let Some(lanes) = &self.lanes else {
            self.lanes = Some(lanes(&self.story, graph));
            return true;
        };
        if self.index.is_none() {
            self.index = Some(EventIndex::new(&lanes.whens));
            return true;
        }
        false
    }

    /// The parts made and left to make, for a progress bar.
    pub fn progress(&self) -> f64 {
        let sorted = self.building.as_ref().is_some_and(GraphBuilding::sorted);
        let made = [
            self.building.is_some() || self.graph.is_some(),
            sorted || self.graph.is_some(),
            self.graph.is_some(),
            self.lanes.is_some(),
            self.index.is_some(),
        ];
        made.iter().filter(|m| **m).count() as f64 / (made.len() + 1) as f64
    }

    /// The whole, the parts not made yet made now.
    pub fn finish(self) -> Fixed {
        let story = self.story;
        let n = story.actors.len();
        let graph = match (self.graph, self.building) {
            (Some(graph), _) => graph,
            (None, Some(building)) => building.finish(&story),
            (None, None) => Graph::new(&story),
        };
        let lanes = self.lanes.unwrap_or_else(|| lanes(&story, &graph));
        let index = (self.index).unwrap_or_else(|| EventIndex::new(&lanes.whens));
        let mut actors_by_priority: Vec<usize> = (0..n).collect();
        sort_most_first(&mut actors_by_priority, &lanes.event_counts);
        // The first of a repeated id wins, as `Story::actor_index` finds it.
        let actor_ids = IdIndex::of(n, |i| &story.actors[i].id);
        let event_ids = IdIndex::of(story.events.len(), |i| &story.events[i].id);
        Fixed {
            names: story.actors.iter().map(|a| a.name.clone()).collect(),
            priority: lanes.event_counts,
            relation_labels: story
                .relations
                .iter()
                .map(|r| (r.from, r.to, r.label.clone()))
                .collect(),
            whens: lanes.whens,
            index,
            actors_by_priority,
            actor_ids,
            event_ids,
            search: std::cell::RefCell::default(),
            communities: std::cell::OnceCell::new(),
            groups: std::cell::OnceCell::new(),
            story,
            diagnostics: self.diagnostics,
            graph,
            radius: lanes.radius,
            lane_actors: lanes.lane_actors,
        }
    }
}

/// Radii and lanes: by group, then first event, then story order.
fn lanes(story: &Story, graph: &Graph) -> Lanes {
    let n = story.actors.len();
    let radius: Vec<f64> = (0..n)
        .map(|a| crate::view::derived::events_radius(graph.event_count(a)))
        .collect();
    let first_event = |a: usize| {
        graph.actor_events[a]
            .first()
            .map_or(i64::MAX, |&e| story.events[e].when.start_secs)
    };
    let event_counts: Vec<usize> = (0..n).map(|a| graph.event_count(a)).collect();
    let lane_key = |&a: &usize| {
        let group = story.actors[a].group.map_or(u64::MAX, |g| g as u64);
        [
            group,
            crate::story::order::i64_key(first_event(a)),
            a as u64,
        ]
    };
    let mut lane_actors: Vec<usize> = (0..n).filter(|&a| event_counts[a] > 0).collect();
    crate::story::order::sort_by_keys(&mut lane_actors, lane_key);
    // Past the lane cap, the busiest actors keep their own lanes.
    if lane_actors.len() > crate::place::timeline::MAX_LANES {
        sort_most_first(&mut lane_actors, &event_counts);
        let (top, rest) = lane_actors.split_at_mut(crate::place::timeline::MAX_LANES);
        crate::story::order::sort_by_keys(top, lane_key);
        rest.sort_unstable();
    }
    Lanes {
        radius,
        event_counts,
        lane_actors,
        whens: story.events.iter().map(|e| e.when).collect(),
    }
}

impl Fixed {
    pub fn new(story: Story, diagnostics: Vec<Diagnostic>) -> Fixed {
        Fixing::new(story, diagnostics).finish()
    }

    /// The network's force layout at its start: ties pull, relations too. A story whose
    /// actors all have stored positions (`castline publish`) starts there at rest: nothing
    /// moves on open. Otherwise a small story is laid out to rest at once (from the positions
    /// it has, if any); a big one settles over frames ([`crate::view::App::step_layout_for`]).
    pub(crate) fn layout(&self) -> Layout {
        let mut layout = self.fresh_layout();
        let places: Vec<Option<[f64; 2]>> = self.story.actors.iter().map(|a| a.position).collect();
        layout.start_from(&places);
        if self.story.actors.len() <= LAYOUT_AT_ONCE_MAX_ACTORS {
            layout.run(TICKS);
        }
        layout
    }

    /// Lays the network out to rest, whatever its size, from the positions the story has
    /// (warmed to [`REHEAT`] so changed ties still pull) or from the start, and returns each
    /// actor's place rounded to 0.01 layout units, as `castline publish` stores them. The
    /// same story always gives the same places.
    pub fn settled_positions(&self) -> Vec<[f64; 2]> {
        let mut layout = self.fresh_layout();
        let places: Vec<Option<[f64; 2]>> = self.story.actors.iter().map(|a| a.position).collect();
        if places.iter().any(Option::is_some) {
            layout.start_from(&places);
            layout.reheat(REHEAT);
        }
        // Cooling from 1 takes TICKS ticks; from REHEAT fewer. Bounded all the same.
        layout.run(TICKS);
        // `+ 0.0` writes -0 as 0.
        let round = |v: f64| (v * 100.0).round() / 100.0 + 0.0;
        layout
            .x
            .iter()
            .zip(&layout.y)
            .map(|(&x, &y)| [round(x), round(y)])
            .collect()
    }

    fn fresh_layout(&self) -> Layout {
        let mut links: Vec<Link> = self
            .graph
            .edges
            .iter()
            .map(|e| Link {
                a: e.a,
                b: e.b,
                distance: 70.0,
                weight: f64::from(e.weight),
            })
            .collect();
        links.extend(
            self.story
                .relations
                .iter()
                .filter(|r| r.from != r.to)
                .map(|r| Link {
                    a: r.from,
                    b: r.to,
                    distance: 80.0,
                    weight: 1.0,
                }),
        );
        let radius = self.radius.iter().map(|r| r + 22.0).collect();
        // Coarse to fine for a big story; small ones keep the plain layout and their pictures.
        // The first download lays out with the plain one: it is 9 KB brotli smaller without
        // the coarsening, and a big story's layout runs in the full build's worker.
        #[cfg(feature = "full")]
        return crate::place::multilevel::layout(radius, links);
        #[cfg(not(feature = "full"))]
        Layout::new(radius, links)
    }

    /// The actor with this id, by hash rather than by scanning the story.
    pub fn actor_id(&self, id: &str) -> Option<usize> {
        self.actor_ids.find(id, |i| &self.story.actors[i].id)
    }

    /// The event with this id.
    pub fn event_id(&self, id: &str) -> Option<usize> {
        self.event_ids.find(id, |i| &self.story.events[i].id)
    }

    /// The time span of the whole story, seconds.
    pub fn story_span(&self) -> Option<(f64, f64)> {
        crate::place::timeline::domain(&self.whens)
    }

    /// The network as the scene takes it, its nodes `radius` CSS px (the story's own sizes
    /// when `None`).
    pub(crate) fn network_input<'a>(&'a self, radius: Option<&'a [f64]>) -> NetworkInput<'a> {
        NetworkInput {
            names: &self.names,
            radius: radius.unwrap_or(&self.radius),
            priority: &self.priority,
            relations: &self.relation_labels,
        }
    }
}

/// Lays the story's network out to rest and stores each actor's place in it, as `castline
/// publish` does before it writes the story: the viewer then opens at rest. Positions the
/// story already has (an earlier publication's) are where the layout starts from.
pub fn settle(story: &mut Story) {
    let places = Fixed::new(story.clone(), Vec::new()).settled_positions();
    for (actor, place) in story.actors.iter_mut().zip(places) {
        actor.position = Some(place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Made a part at a time, as the page makes a big story's, the fixed parts are those
    /// made at once.
    #[test]
    fn fixed_in_parts_is_fixed_at_once() {
        let text = crate::write::generate::generate(300, 3_000, 4);
        let loaded = crate::read::json::load_json("g.json", &text).expect("reads");
        let whole = Fixed::new(loaded.story.clone(), vec![]);
        let mut fixing = Fixing::new(loaded.story, vec![]);
        let mut parts = 0;
        let mut last = fixing.progress();
        while fixing.step() {
            parts += 1;
            assert!(fixing.progress() > last);
            last = fixing.progress();
        }
        assert_eq!(parts, 5);
        let parted = fixing.finish();
        let debug = |f: &Fixed| {
            format!(
                "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                f.graph,
                f.radius,
                f.priority,
                f.lane_actors,
                f.actors_by_priority,
                f.index,
                f.names,
                f.relation_labels
            )
        };
        assert_eq!(debug(&parted), debug(&whole));
        assert_eq!(parted.story, whole.story);
        assert!(whole.graph.edges.len() > 100);
    }
}
