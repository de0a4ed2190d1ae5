//! The network derived from the story: who took part in events together (weighted by how
//! often) and the explicit relations, plus per-actor event lists for fast filtering.

use std::collections::BTreeMap;

use crate::model::Story;

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
    /// For each actor, the indexes of its events in chronological order.
    pub actor_events: Vec<Vec<usize>>,
    /// Co-participation edges, sorted by (a, b).
    pub edges: Vec<Edge>,
    /// For each actor, its neighbours through shared events or relations, sorted.
    pub neighbours: Vec<Vec<usize>>,
}

impl Graph {
    pub fn new(story: &Story) -> Graph {
        let n = story.actors.len();
        let mut actor_events = vec![Vec::new(); n];
        // A BTreeMap gives the edges in (a, b) order without a sort, and is the map
        // `App::derive` counts a window's ties in: one copy of its code in the wasm (issue 6).
        let mut weights: BTreeMap<(usize, usize), u32> = BTreeMap::new();
        for (ei, event) in story.events.iter().enumerate() {
            for (k, &a) in event.actors.iter().enumerate() {
                if let Some(list) = actor_events.get_mut(a) {
                    list.push(ei);
                }
                for &b in &event.actors[k + 1..] {
                    *weights.entry((a.min(b), a.max(b))).or_default() += 1;
                }
            }
        }
        let edges: Vec<Edge> = weights
            .into_iter()
            .map(|((a, b), weight)| Edge { a, b, weight })
            .collect();
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
            actor_events,
            edges,
            neighbours,
        }
    }

    pub fn event_count(&self, actor: usize) -> usize {
        self.actor_events.get(actor).map_or(0, Vec::len)
    }
}

/// Sorts actor indices by their count in `counts`, most first, ties keeping their order (an
/// index past `counts` counts 0). One function for every such sort: each closure given to
/// `sort_by_key` is a copy of the whole sort in the wasm (issue 6).
pub fn sort_most_first(actors: &mut [usize], counts: &[usize]) {
    actors.sort_by_key(|&a| std::cmp::Reverse(counts.get(a).copied().unwrap_or(0)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_in::load_json;

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
        assert_eq!(g.neighbours[2], vec![0, 1, 3]);
        assert_eq!(g.neighbours[3], vec![2]);
    }
}
