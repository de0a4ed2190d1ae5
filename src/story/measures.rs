//! Who matters in a set of ties: an actor's number of events, of tie partners (degree), and
//! how often it lies on the shortest paths between others (betweenness, Brandes 2001). The
//! viewer sizes the network's nodes by the one the reader chooses, on the ties of the time
//! window they brushed.

use crate::story::graph::Edge;

/// What a node's size shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// The actor's events (in the window).
    #[default]
    Events,
    /// Its tie partners (in the window): degree.
    Ties,
    /// The shortest paths between others through it: betweenness, the brokers between groups.
    Betweenness,
}

impl Measure {
    /// The name the fragment, the handle and the page use.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Events => "events",
            Measure::Ties => "ties",
            Measure::Betweenness => "betweenness",
        }
    }

    pub fn parse(name: &str) -> Option<Measure> {
        [Measure::Events, Measure::Ties, Measure::Betweenness]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// Each actor's number of distinct tie partners among `edges` (pairs with `a != b`, each
/// pair once, as [`crate::story::graph::Graph`] keeps them).
pub fn degree(n: usize, edges: &[Edge]) -> Vec<f64> {
    let mut d = vec![0.0; n];
    for e in edges {
        d[e.a] += 1.0;
        d[e.b] += 1.0;
    }
    d
}

/// Betweenness and whether it was sampled.
#[derive(Debug, Clone, PartialEq)]
pub struct Betweenness {
    /// Per actor: the pairs of others whose shortest paths pass through it (each unordered
    /// pair once; a pair with several shortest paths counts the share through it).
    pub scores: Vec<f64>,
    /// The sources the paths were counted from; fewer than the actors means sampled, the
    /// scores scaled up to the whole (Brandes and Pich 2007).
    pub sources: usize,
}

impl Betweenness {
    pub fn sampled(&self) -> bool {
        self.sources < self.scores.len()
    }
}

/// Betweenness of each of `n` actors over the unweighted, undirected ties `edges`, counted
/// from every actor when `n` is at most `max_sources`, else from `max_sources` of them
/// spread evenly over the actors (deterministic: the same story gives the same picture).
pub fn betweenness(n: usize, edges: &[Edge], max_sources: usize) -> Betweenness {
    let mut job = BetweennessJob::new(n, edges, max_sources);
    while !job.step() {}
    job.finish()
}

/// Betweenness counted a source at a time, so that a big story's is spread over frames.
#[derive(Debug, Clone)]
pub struct BetweennessJob {
    adjacency: Vec<Vec<usize>>,
    sources: usize,
    next: usize,
    scores: Vec<f64>,
    // Reused per source: Brandes's stack (predecessors are not kept: paths are counted back
    // through the distances), the queue, path counts, distances and dependencies.
    order: Vec<usize>,
    queue: std::collections::VecDeque<usize>,
    paths: Vec<f64>,
    distance: Vec<usize>,
    dependency: Vec<f64>,
}

impl BetweennessJob {
    /// The job of [`betweenness`]`(n, edges, max_sources)`.
    pub fn new(n: usize, edges: &[Edge], max_sources: usize) -> BetweennessJob {
        BetweennessJob {
            adjacency: adjacency(n, edges),
            sources: n.min(max_sources.max(1)),
            next: 0,
            scores: vec![0.0; n],
            order: Vec::with_capacity(n),
            queue: std::collections::VecDeque::with_capacity(n),
            paths: vec![0.0; n],
            distance: vec![usize::MAX; n],
            dependency: vec![0.0; n],
        }
    }

    /// The breadth-first steps a source takes: what a caller budgets by.
    pub fn steps_per_source(n: usize, edges: usize) -> usize {
        (n + 2 * edges).max(1)
    }

    /// Counts the paths from the next source; true once every source is counted.
    pub fn step(&mut self) -> bool {
        let n = self.scores.len();
        if self.next >= self.sources {
            return true;
        }
        // Evenly spread: source k of `sources` is actor ⌊k·n/sources⌋.
        let s = self.next * n / self.sources;
        self.next += 1;
        let (adjacency, order, queue) = (&self.adjacency, &mut self.order, &mut self.queue);
        let (paths, distance, dependency) =
            (&mut self.paths, &mut self.distance, &mut self.dependency);
        order.clear();
        paths.fill(0.0);
        distance.fill(usize::MAX);
        dependency.fill(0.0);
        paths[s] = 1.0;
        distance[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for &w in &adjacency[v] {
                if distance[w] == usize::MAX {
                    distance[w] = distance[v] + 1;
                    queue.push_back(w);
                }
                if distance[w] == distance[v] + 1 {
                    paths[w] += paths[v];
                }
            }
        }
        for &w in order.iter().rev() {
            for &v in &adjacency[w] {
                if distance[v] != usize::MAX && distance[v] + 1 == distance[w] {
                    dependency[v] += paths[v] / paths[w] * (1.0 + dependency[w]);
                }
            }
            if w != s {
                self.scores[w] += dependency[w];
            }
        }
        self.next >= self.sources
    }

    /// How far it is, 0 to 1.
    pub fn progress(&self) -> f64 {
        self.next as f64 / self.sources.max(1) as f64
    }

    /// The scores once every source is counted.
    pub fn finish(self) -> Betweenness {
        let n = self.scores.len();
        // Each unordered pair was counted from both ends; a sample stands for all the sources.
        let scale = 0.5 * n as f64 / self.sources.max(1) as f64;
        Betweenness {
            scores: self.scores.into_iter().map(|s| s * scale).collect(),
            sources: self.sources,
        }
    }
}

fn adjacency(n: usize, edges: &[Edge]) -> Vec<Vec<usize>> {
    let mut adjacency = vec![Vec::new(); n];
    for e in edges.iter().filter(|e| e.a != e.b) {
        adjacency[e.a].push(e.b);
        adjacency[e.b].push(e.a);
    }
    adjacency
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(pairs: &[(usize, usize)]) -> Vec<Edge> {
        pairs
            .iter()
            .map(|&(a, b)| Edge { a, b, weight: 1 })
            .collect()
    }

    fn close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!((g - w).abs() < 1e-9, "actor {i}: {g} against {w} ({got:?})");
        }
    }

    #[test]
    fn a_stars_centre_lies_between_every_pair_of_its_leaves() {
        // Centre 0, leaves 1..=5: the 10 pairs of leaves all pass through the centre.
        let star = edges(&[(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)]);
        close(
            &betweenness(6, &star, 100).scores,
            &[10.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        );
        close(&degree(6, &star), &[5.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn on_a_path_the_middle_is_between_most() {
        // 0-1-2-3-4: actor 1 is between 0 and each of 2, 3, 4; actor 2 between {0,1} and {3,4}.
        let path = edges(&[(0, 1), (1, 2), (2, 3), (3, 4)]);
        close(
            &betweenness(5, &path, 100).scores,
            &[0.0, 3.0, 4.0, 3.0, 0.0],
        );
        close(&degree(5, &path), &[1.0, 2.0, 2.0, 2.0, 1.0]);
    }

    #[test]
    fn two_cliques_joined_by_one_actor_make_it_the_broker() {
        // Cliques {0,1,2,3} and {5,6,7,8}, each tied to actor 4 through one member (3 and 5).
        let mut pairs = Vec::new();
        for clique in [[0, 1, 2, 3], [5, 6, 7, 8]] {
            for i in 0..4 {
                for j in i + 1..4 {
                    pairs.push((clique[i], clique[j]));
                }
            }
        }
        pairs.extend([(3, 4), (4, 5)]);
        let b = betweenness(9, &edges(&pairs), 100);
        assert!(!b.sampled());
        // 4 lies between each of the 4 on one side and each of the 4 on the other: 16 pairs;
        // 3 between its three clique mates and the five beyond it: 15; likewise 5.
        close(&b.scores, &[0.0, 0.0, 0.0, 15.0, 16.0, 15.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn two_shortest_paths_share_the_pair() {
        // A square 0-1-3, 0-2-3: the pair (0, 3) has two shortest paths, half through each.
        let square = edges(&[(0, 1), (0, 2), (1, 3), (2, 3)]);
        close(&betweenness(4, &square, 100).scores, &[0.5, 0.5, 0.5, 0.5]);
    }

    #[test]
    fn a_sample_is_said_and_scaled_to_the_whole() {
        // A ring of 12: every source sees the same total, so the sample's total is the whole's.
        let ring: Vec<(usize, usize)> = (0..12usize)
            .map(|i| (i.min((i + 1) % 12), i.max((i + 1) % 12)))
            .collect();
        let exact = betweenness(12, &edges(&ring), 100);
        let sampled = betweenness(12, &edges(&ring), 4);
        assert!(sampled.sampled() && !exact.sampled());
        assert_eq!(sampled.sources, 4);
        let total = |b: &Betweenness| b.scores.iter().sum::<f64>();
        assert!((total(&sampled) - total(&exact)).abs() < 1e-9);
        // The same input, the same picture.
        assert_eq!(sampled, betweenness(12, &edges(&ring), 4));
    }

    #[test]
    fn measures_are_named_for_the_fragment() {
        for m in [Measure::Events, Measure::Ties, Measure::Betweenness] {
            assert_eq!(Measure::parse(m.name()), Some(m));
        }
        assert_eq!(Measure::parse("size"), None);
    }
}
