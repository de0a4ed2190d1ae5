//! The network derived from the story: who took part in events together (weighted by how
//! often) and the explicit relations, plus per-actor event lists for fast filtering.

use crate::story::index::EventActors;
use crate::story::model::Story;

/// An undirected tie between two actors, `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    /// Number of events both took part in.
    pub weight: u32,
}

/// Derived, read-only structure of a story.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// For each actor, the indexes of its events in chronological order, without repeats
    /// (what a selection's events are found from: [`crate::story::index::of_actors`]).
    pub actor_events: Vec<Vec<usize>>,
    /// Each event's actors, in one list (the time axis and the selection walk them).
    pub event_actors: EventActors,
    /// Co-participation edges, sorted by (a, b).
    pub edges: Vec<Edge>,
    /// For each actor, its neighbours through shared events or relations, sorted.
    pub neighbours: Vec<Vec<usize>>,
    /// The ties each event makes, as indexes into `edges`: event `e`'s are
    /// `event_edges[event_edge_start[e]..event_edge_start[e + 1]]`. A time window's ties are
    /// counted through these, without pairing and sorting actors again.
    event_edge_start: Vec<u32>,
    event_edges: Vec<u32>,
}

impl Graph {
    pub fn new(story: &Story) -> Graph {
        let mut building = GraphBuilding::new(story);
        building.sort();
        building.finish(story)
    }

    /// The ties event `e` makes, as indexes into `edges` (one per pair of its actors).
    pub fn edges_of_event(&self, e: usize) -> &[u32] {
        match (
            self.event_edge_start.get(e),
            self.event_edge_start.get(e + 1),
        ) {
            (Some(&from), Some(&to)) => &self.event_edges[from as usize..to as usize],
            _ => &[],
        }
    }

    /// The ties made by `events` alone, weighted by how many of them each pair shared, in
    /// `edges`' (a, b) order. `scratch` is a zeroed count per edge, left zeroed.
    pub fn edges_of_events(&self, events: &[usize], scratch: &mut Vec<u32>) -> Vec<Edge> {
        scratch.resize(self.edges.len(), 0);
        let mut touched: Vec<u32> = Vec::new();
        for &e in events {
            for &id in self.edges_of_event(e) {
                let count = &mut scratch[id as usize];
                if *count == 0 {
                    touched.push(id);
                }
                *count += 1;
            }
        }
        // Edge indexes are in (a, b) order already. When many were touched, one pass over
        // the counts finds them in that order sooner than sorting them would.
        let weighted = |(id, count): (usize, u32)| Edge {
            weight: count,
            ..self.edges[id]
        };
        if touched.len() > self.edges.len() / 32 {
            scratch
                .iter_mut()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .map(|(id, count)| (id, std::mem::take(count)))
                .map(weighted)
                .collect()
        } else {
            touched.sort_unstable();
            touched
                .into_iter()
                .map(|id| (id as usize, std::mem::take(&mut scratch[id as usize])))
                .map(weighted)
                .collect()
        }
    }

    pub fn event_count(&self, actor: usize) -> usize {
        self.actor_events.get(actor).map_or(0, Vec::len)
    }
}

/// Sorts actor indices by their count in `counts`, most first, ties keeping their order (an
/// index past `counts` counts 0).
pub fn sort_most_first(actors: &mut [usize], counts: &[usize]) {
    crate::story::order::sort_by_keys(actors, |&a| {
        [u64::MAX - counts.get(a).copied().unwrap_or(0) as u64, 0, 0]
    });
}

/// [`Graph::new`] in three parts, so that the page makes a big story's graph over several
/// tasks (W4's 200,000 events pair up their actors, sort the pairs, then list neighbours,
/// each a few hundred ms): `new` pairs, `sort` sorts, `finish` lists.
pub struct GraphBuilding {
    actor_events: Vec<Vec<usize>>,
    event_actors: EventActors,
    /// Every pair of actors of every event, (a, b) with a ≤ b, put in a's bucket (a counting
    /// sort): a's are `pairs[starts[a]..starts[a + 1]]`, each `(b, slot)`, where `slot` is
    /// where it sits in `event_edges`. `sort` makes a tie of each b in a bucket, weighted by
    /// how often it is there. (A map of pairs and a search per event's pair took over a
    /// second at W4's 200,000 events; one sort of all 666,000 pairs, about 65 ms natively.)
    starts: Vec<usize>,
    pairs: Vec<(u32, u32)>,
    event_edge_start: Vec<u32>,
    /// Made by `sort`.
    ties: Option<(Vec<Edge>, Vec<u32>)>,
}

impl GraphBuilding {
    pub fn new(story: &Story) -> GraphBuilding {
        let n = story.actors.len();
        // The events' actors in one list first: the passes below then walk it rather than
        // 200,000 events and a list each (in the wasm, two walks of those took longer than
        // the sort they spare).
        let event_actors = EventActors::new(story.events.iter().map(|e| &e.actors));
        // How many pairs each bucket holds. There is a bucket for every index an event
        // lists, as the pairs always had (a story made by hand may list one past its actors).
        let m = event_actors
            .iter()
            .flatten()
            .map(|&a| a + 1)
            .max()
            .unwrap_or(0)
            .max(n);
        let mut starts = vec![0usize; m + 1];
        let mut event_edge_start = Vec::with_capacity(event_actors.len() + 1);
        event_edge_start.push(0u32);
        let mut total = 0usize;
        for actors in event_actors.iter() {
            for (k, &a) in actors.iter().enumerate() {
                for &b in &actors[k + 1..] {
                    starts[a.min(b) + 1] += 1;
                }
            }
            total += actors.len() * actors.len().saturating_sub(1) / 2;
            event_edge_start.push(total as u32);
        }
        for a in 0..m {
            starts[a + 1] += starts[a];
        }
        let mut actor_events = vec![Vec::new(); n];
        let mut fill = starts.clone();
        let mut pairs = vec![(0, 0); total];
        let mut slot = 0;
        for (ei, actors) in event_actors.iter().enumerate() {
            for (k, &a) in actors.iter().enumerate() {
                // Events come in order, so only the last entry can repeat (an actor listed
                // twice in one event, which the checks let through once only anyway).
                if let Some(list) = actor_events.get_mut(a)
                    && list.last() != Some(&ei)
                {
                    list.push(ei);
                }
                for &b in &actors[k + 1..] {
                    let at = &mut fill[a.min(b)];
                    pairs[*at] = (a.max(b) as u32, slot);
                    *at += 1;
                    slot += 1;
                }
            }
        }
        GraphBuilding {
            actor_events,
            event_actors,
            starts,
            pairs,
            event_edge_start,
            ties: None,
        }
    }

    /// Whether `sort` has run.
    pub fn sorted(&self) -> bool {
        self.ties.is_some()
    }

    /// Sorts the pairs into ties (once).
    pub fn sort(&mut self) {
        if self.ties.is_some() {
            return;
        }
        let pairs = std::mem::take(&mut self.pairs);
        let mut edges: Vec<Edge> = Vec::new();
        let mut event_edges = vec![0u32; pairs.len()];
        // While a bucket is made: each partner's tie (NONE: not met yet), and the partners
        // met, sorted so that the ties come in (a, b) order. (Sorting the pairs themselves
        // would add a sort's code to the first download.)
        const NONE: u32 = u32::MAX;
        let mut tie_of = vec![NONE; self.starts.len()];
        let mut partners: Vec<usize> = Vec::new();
        for (a, bucket) in self.starts.windows(2).enumerate() {
            let bucket = &pairs[bucket[0]..bucket[1]];
            partners.clear();
            for &(b, _) in bucket {
                if tie_of[b as usize] == NONE {
                    tie_of[b as usize] = 0;
                    partners.push(b as usize);
                }
            }
            partners.sort_unstable();
            for &b in &partners {
                tie_of[b] = edges.len() as u32;
                edges.push(Edge { a, b, weight: 0 });
            }
            for &(b, slot) in bucket {
                let tie = tie_of[b as usize];
                edges[tie as usize].weight += 1;
                event_edges[slot as usize] = tie;
            }
            for &b in &partners {
                tie_of[b] = NONE;
            }
        }
        self.ties = Some((edges, event_edges));
    }

    /// The graph, its neighbours listed (sorting first if `sort` has not run).
    pub fn finish(mut self, story: &Story) -> Graph {
        self.sort();
        let (edges, event_edges) = self.ties.unwrap_or_default();
        let n = story.actors.len();
        let mut neighbours = vec![Vec::new(); n];
        let pairs = edges
            .iter()
            .map(|e| (e.a, e.b))
            .chain(story.relations.iter().map(|r| (r.from, r.to)));
        for (a, b) in pairs {
            if a == b {
                continue;
            }
            if let Some(list) = neighbours.get_mut(a) {
                list.push(b);
            }
            if let Some(list) = neighbours.get_mut(b) {
                list.push(a);
            }
        }
        for list in &mut neighbours {
            list.sort_unstable();
            list.dedup();
        }
        Graph {
            actor_events: self.actor_events,
            event_actors: self.event_actors,
            edges,
            neighbours,
            event_edge_start: self.event_edge_start,
            event_edges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json::load_json;

    #[test]
    fn shared_events_weight_the_edges() {
        let story = load_json(
            "t.json",
            r#"{"actors":[{"id":"a","name":"A"},{"id":"b","name":"B"},{"id":"c","name":"C"},{"id":"d","name":"D"}],
            "events":[{"id":"1","title":"x","date":"2025-10","actors":["a","b","c"]},
                      {"id":"2","title":"y","date":"2025-11","actors":["b","a"]}],
            "relations":[{"from":"c","to":"d","label":"ally"}]}"#,
        )
        .unwrap()
        .story;
        let g = Graph::new(&story);
        assert_eq!(
            g.edges,
            vec![
                Edge {
                    a: 0,
                    b: 1,
                    weight: 2
                },
                Edge {
                    a: 0,
                    b: 2,
                    weight: 1
                },
                Edge {
                    a: 1,
                    b: 2,
                    weight: 1
                }
            ]
        );
        assert_eq!(g.actor_events[0], vec![0, 1]);
        assert_eq!(g.event_count(3), 0);
        // A story made in code may list an actor twice in an event: its events, once each,
        // are what a selection of it finds, in either mode.
        let mut twice = story.clone();
        twice.events[1].actors = vec![1, 0, 1];
        let g2 = Graph::new(&twice);
        assert_eq!(g2.actor_events[1], vec![0, 1]);
        for any in [false, true] {
            let found = crate::story::index::of_actors(&g2.actor_events, &[1, 0], any);
            assert_eq!(found, Some(vec![0, 1]), "any: {any}");
        }
        assert_eq!(g.neighbours[2], vec![0, 1, 3]);
        assert_eq!(g.neighbours[3], vec![2]);

        // Event 1 alone: one tie of weight 1; both events: the story's ties.
        let mut scratch = Vec::new();
        assert_eq!(
            g.edges_of_events(&[1], &mut scratch),
            vec![Edge {
                a: 0,
                b: 1,
                weight: 1
            }]
        );
        assert!(
            scratch.iter().all(|&c| c == 0),
            "the scratch is left zeroed"
        );
        assert_eq!(g.edges_of_events(&[1, 0], &mut scratch), g.edges);
        assert_eq!(g.edges_of_events(&[], &mut scratch), vec![]);
    }

    #[test]
    fn the_ties_are_every_pair_of_every_events_actors_counted() {
        // The bucketed pairs against a plain count of each pair in a sorted map, on a made-up
        // story with events of one to six actors.
        let text = crate::write::generate::generate(300, 3_000, 7);
        let story = load_json("g.json", &text).unwrap().story;
        let mut counted = std::collections::BTreeMap::new();
        for event in &story.events {
            for (k, &a) in event.actors.iter().enumerate() {
                for &b in &event.actors[k + 1..] {
                    *counted.entry((a.min(b), a.max(b))).or_insert(0u32) += 1;
                }
            }
        }
        let g = Graph::new(&story);
        let edges: Vec<Edge> = counted
            .into_iter()
            .map(|((a, b), weight)| Edge { a, b, weight })
            .collect();
        assert!(edges.len() > 1_000);
        assert_eq!(g.edges, edges);
        // Each event's entries are its own pairs' ties, in the order its actors pair.
        for (e, event) in story.events.iter().enumerate() {
            let mut pairs = Vec::new();
            for (k, &a) in event.actors.iter().enumerate() {
                for &b in &event.actors[k + 1..] {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
            let ties: Vec<(usize, usize)> = g
                .edges_of_event(e)
                .iter()
                .map(|&i| (g.edges[i as usize].a, g.edges[i as usize].b))
                .collect();
            assert_eq!(ties, pairs, "event {e}");
        }
    }
}
