//! Communities of actors: groups more tied among themselves than to the rest, found by the
//! Louvain method (Blondel, Guillaume, Lambiotte and Lefebvre 2008) on the weighted ties. The
//! groundwork of a big story's overview (issue 20 §3): thousands of actors drawn as a few
//! hundred communities ([`Overview`], drawn by `place::overview`). Deterministic: nodes are visited in their order, ties between equal
//! gains go to the lowest community, so the same story gives the same communities.

use crate::story::graph::Edge;

/// Gains closer than this are equal (sums of tie weights in floating point).
const EPS: f64 = 1e-12;

/// A partition of the actors and how good it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Communities {
    /// Each actor's community, numbered from 0 in the order of each community's first actor.
    pub of: Vec<usize>,
    /// How many communities there are.
    pub count: usize,
    /// Newman's modularity of the partition on the ties given: the share of tie weight inside
    /// communities less what a random graph of the same degrees would put there.
    pub modularity: f64,
}

/// A story's communities as its overview draws them: each actor's, each one's members, most
/// connected first (by the summed weight of their ties), for its name.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// Each actor's community.
    pub of: Vec<u32>,
    /// Each community's members, the most connected first (ties in story order).
    pub members: Vec<Vec<u32>>,
}

impl Overview {
    /// The communities of `n` actors over their ties `edges` ([`louvain`]).
    pub fn of_graph(n: usize, edges: &[Edge]) -> Overview {
        let found = louvain(n, edges);
        let of = found.of.iter().map(|&c| c as u32).collect();
        Overview::arranged(n, edges, of, found.count)
    }

    /// The overview of a partition found elsewhere (the page's layout worker runs [`louvain`]
    /// on the same ties): `None` unless it is one, each of the `n` actors in one of the
    /// communities numbered from 0 in the order of each community's first actor, as
    /// [`louvain`] numbers them.
    pub fn of_partition(n: usize, edges: &[Edge], of: &[u32]) -> Option<Overview> {
        if of.len() != n {
            return None;
        }
        let mut count = 0usize;
        for &c in of {
            let c = c as usize;
            if c > count {
                return None;
            }
            count = count.max(c + 1);
        }
        // Its modularity is not worked out: the page does not show it, and at W4 it was 30 ms
        // of the task that takes the worker's partition.
        Some(Overview::arranged(n, edges, of.to_vec(), count))
    }

    /// Each community's members, most connected first, for the partition `of` into `count`.
    fn arranged(n: usize, edges: &[Edge], of: Vec<u32>, count: usize) -> Overview {
        let mut degree = vec![0u64; n];
        for e in edges.iter().filter(|e| e.a < n && e.b < n) {
            degree[e.a] += u64::from(e.weight);
            degree[e.b] += u64::from(e.weight);
        }
        let mut members = vec![Vec::new(); count];
        for (a, &c) in of.iter().enumerate() {
            members[c as usize].push(a as u32);
        }
        for m in &mut members {
            // The one shared sort (`order`), stable: equally connected actors keep their
            // story order.
            crate::story::order::sort_by_keys(m, |&a| [u64::MAX - degree[a as usize], 0, 0]);
        }
        Overview { of, members }
    }

    /// A community's name: its two most connected actors and how many more ("Altman,
    /// Brockman + 212"), from the actors' `names`.
    pub fn name(&self, c: usize, names: &[String]) -> String {
        let members = self.members.get(c).map_or(&[][..], |m| &m[..]);
        let named: Vec<&str> = members
            .iter()
            .take(2)
            .filter_map(|&a| names.get(a as usize).map(String::as_str))
            .collect();
        let mut name = named.join(", ");
        let more = members.len().saturating_sub(named.len());
        if more > 0 {
            name.push_str(&format!(" + {more}"));
        }
        name
    }
}

/// Weighted adjacency in compressed rows: node `v`'s neighbours and weights are
/// `to[start[v]..start[v + 1]]` and `weight[..]` alike, and its self-loops' weight apart.
/// Flat arrays rather than a vector per node: W4's half a million ties are one allocation.
struct Net {
    start: Vec<usize>,
    to: Vec<u32>,
    weight: Vec<f64>,
    self_loops: Vec<f64>,
}

impl Net {
    fn of_edges(n: usize, edges: &[Edge]) -> Net {
        let mut self_loops = vec![0.0; n];
        let mut count = vec![0usize; n + 1];
        for e in edges.iter().filter(|e| e.a != e.b && e.a < n && e.b < n) {
            count[e.a + 1] += 1;
            count[e.b + 1] += 1;
        }
        for v in 0..n {
            count[v + 1] += count[v];
        }
        let mut fill = count.clone();
        let mut to = vec![0u32; count[n]];
        let mut weight = vec![0.0; count[n]];
        for e in edges.iter().filter(|e| e.a < n && e.b < n) {
            let w = f64::from(e.weight);
            if e.a == e.b {
                self_loops[e.a] += w;
                continue;
            }
            for (from, other) in [(e.a, e.b), (e.b, e.a)] {
                to[fill[from]] = other as u32;
                weight[fill[from]] = w;
                fill[from] += 1;
            }
        }
        Net {
            start: count,
            to,
            weight,
            self_loops,
        }
    }

    fn len(&self) -> usize {
        self.self_loops.len()
    }

    /// Node `v`'s neighbours with the weight of each tie.
    fn neighbours(&self, v: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.start[v]..self.start[v + 1];
        self.to[range.clone()]
            .iter()
            .zip(&self.weight[range])
            .map(|(&u, &w)| (u as usize, w))
    }

    /// A node's weighted degree (a self-loop counts twice, as in the adjacency matrix).
    fn degree(&self, v: usize) -> f64 {
        self.neighbours(v).map(|(_, w)| w).sum::<f64>() + 2.0 * self.self_loops[v]
    }

    /// The graph of the communities: one node each, the ties between them summed. Each
    /// community's members are visited together, their ties summed per neighbouring
    /// community in a dense array: no map, no sort of the ties.
    fn collapse(&self, of: &[usize], count: usize) -> Net {
        let mut members_start = vec![0usize; count + 1];
        for &c in of {
            members_start[c + 1] += 1;
        }
        for c in 0..count {
            members_start[c + 1] += members_start[c];
        }
        let mut fill = members_start.clone();
        let mut members = vec![0usize; of.len()];
        for (v, &c) in of.iter().enumerate() {
            members[fill[c]] = v;
            fill[c] += 1;
        }
        let mut self_loops = vec![0.0; count];
        let mut start = Vec::with_capacity(count + 1);
        start.push(0);
        let (mut to, mut weight) = (Vec::new(), Vec::new());
        let mut weight_to = vec![0.0f64; count];
        let mut touched: Vec<usize> = Vec::new();
        for c in 0..count {
            for &v in &members[members_start[c]..members_start[c + 1]] {
                self_loops[c] += self.self_loops[v];
                for (u, w) in self.neighbours(v) {
                    let cu = of[u];
                    if cu == c {
                        // Each inner tie is seen from both ends: half each time.
                        self_loops[c] += w / 2.0;
                    } else {
                        if weight_to[cu] == 0.0 {
                            touched.push(cu);
                        }
                        weight_to[cu] += w;
                    }
                }
            }
            // In the order first met: the same input, the same order (no sort in the download).
            for &cu in &touched {
                to.push(cu as u32);
                weight.push(weight_to[cu]);
                weight_to[cu] = 0.0;
            }
            touched.clear();
            start.push(to.len());
        }
        Net {
            start,
            to,
            weight,
            self_loops,
        }
    }

    /// Newman's modularity of the partition `of` of this net, whose ties weigh `total`.
    fn modularity(&self, of: &[usize], total: f64) -> f64 {
        if total <= 0.0 {
            return 0.0;
        }
        let count = of.iter().copied().max().map_or(0, |m| m + 1);
        let mut inside = vec![0.0; count];
        let mut degree = vec![0.0; count];
        for v in 0..self.len() {
            degree[of[v]] += self.degree(v);
            inside[of[v]] += self.self_loops[v];
            for (u, w) in self.neighbours(v) {
                if of[u] == of[v] {
                    inside[of[v]] += w / 2.0;
                }
            }
        }
        (0..count)
            .map(|c| inside[c] / total - (degree[c] / (2.0 * total)).powi(2))
            .sum()
    }
}

/// Louvain's communities of `n` actors over the weighted ties `edges` (an actor without a
/// tie is a community of its own).
pub fn louvain(n: usize, edges: &[Edge]) -> Communities {
    let original = Net::of_edges(n, edges);
    let total: f64 = (0..n).map(|v| original.degree(v)).sum::<f64>() / 2.0;
    let mut of: Vec<usize> = (0..n).collect();
    if total <= 0.0 {
        return Communities {
            of,
            count: n,
            modularity: 0.0,
        };
    }
    // The graph of the last level's communities; the actors' own at first.
    let mut collapsed: Option<Net> = None;
    loop {
        let net = collapsed.as_ref().unwrap_or(&original);
        let (level, count) = one_level(net, total);
        if count == net.len() {
            break;
        }
        for c in of.iter_mut() {
            *c = level[*c];
        }
        let next = net.collapse(&level, count);
        collapsed = Some(next);
    }
    let (of, count) = renumber(&of);
    let modularity = original.modularity(&of, total);
    Communities {
        of,
        count,
        modularity,
    }
}

/// One pass of local moves on `net` (total tie weight `total`): each node goes to the
/// neighbouring community that gains the most modularity, until no move gains. Returns each
/// node's community, renumbered from 0, and how many there are.
fn one_level(net: &Net, total: f64) -> (Vec<usize>, usize) {
    let n = net.len();
    let degree: Vec<f64> = (0..n).map(|v| net.degree(v)).collect();
    let mut of: Vec<usize> = (0..n).collect();
    // The summed degree of each community's nodes.
    let mut community_degree = degree.clone();
    let mut weight_to = vec![0.0f64; n];
    let mut touched: Vec<usize> = Vec::new();
    // Enough passes for the moves to settle; each pass that moves nothing ends it.
    for _ in 0..64 {
        let mut moved = false;
        for v in 0..n {
            let own = of[v];
            for (u, w) in net.neighbours(v) {
                if weight_to[of[u]] == 0.0 {
                    touched.push(of[u]);
                }
                weight_to[of[u]] += w;
            }
            community_degree[own] -= degree[v];
            // The gain of joining community c, up to terms equal for every c.
            let gain = |c: usize, to: f64| to - community_degree[c] * degree[v] / (2.0 * total);
            let mut best = own;
            let mut best_gain = gain(own, weight_to[own]);
            // Leave only for a strictly better community; among equally good others, the
            // lowest numbered (the order `touched` found them in would depend on the ties').
            for &c in &touched {
                let g = gain(c, weight_to[c]);
                let better = g > best_gain + EPS;
                let as_good = (g - best_gain).abs() <= EPS && best != own && c < best;
                if c != own && (better || as_good) {
                    best = c;
                    best_gain = g;
                }
            }
            community_degree[best] += degree[v];
            if best != own {
                of[v] = best;
                moved = true;
            }
            for &c in &touched {
                weight_to[c] = 0.0;
            }
            touched.clear();
        }
        if !moved {
            break;
        }
    }
    renumber(&of)
}

/// Communities numbered 0, 1, … in the order of their first member. Labels are below
/// `of.len()` (node numbers): a dense table, no map.
fn renumber(of: &[usize]) -> (Vec<usize>, usize) {
    let mut number = vec![usize::MAX; of.len()];
    let mut count = 0;
    let renumbered = of
        .iter()
        .map(|&c| {
            if number[c] == usize::MAX {
                number[c] = count;
                count += 1;
            }
            number[c]
        })
        .collect();
    (renumbered, count)
}

/// Newman's modularity of the partition `of` of `n` actors over the weighted ties `edges`.
pub fn modularity(n: usize, edges: &[Edge], of: &[usize]) -> f64 {
    let net = Net::of_edges(n, edges);
    let total: f64 = (0..n).map(|v| net.degree(v)).sum::<f64>() / 2.0;
    net.modularity(of, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clique(members: &[usize], out: &mut Vec<Edge>) {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                out.push(Edge { a, b, weight: 1 });
            }
        }
    }

    #[test]
    fn two_cliques_joined_by_one_tie_are_two_communities() {
        let mut edges = Vec::new();
        clique(&[0, 1, 2, 3, 4], &mut edges);
        clique(&[5, 6, 7, 8, 9], &mut edges);
        edges.push(Edge {
            a: 4,
            b: 5,
            weight: 1,
        });
        let found = louvain(10, &edges);
        assert_eq!(found.count, 2);
        assert_eq!(found.of, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
        // 21 ties, 10 inside each, degrees 21 a side: 20/21 − 2·(21/42)² ≈ 0.452.
        assert!(
            (found.modularity - (20.0 / 21.0 - 0.5)).abs() < 1e-9,
            "{}",
            found.modularity
        );
    }

    #[test]
    fn a_ring_of_cliques_makes_each_clique_a_community() {
        // Eight cliques of five, each tied to the next by one tie: the textbook case where
        // Louvain finds the cliques.
        let (k, size) = (8, 5);
        let mut edges = Vec::new();
        for c in 0..k {
            let members: Vec<usize> = (c * size..(c + 1) * size).collect();
            clique(&members, &mut edges);
            let next = ((c + 1) % k) * size;
            edges.push(Edge {
                a: (c * size + size - 1).min(next),
                b: (c * size + size - 1).max(next),
                weight: 1,
            });
        }
        let found = louvain(k * size, &edges);
        assert_eq!(found.count, k);
        for c in 0..k {
            let first = found.of[c * size];
            assert!(
                (c * size..(c + 1) * size).all(|v| found.of[v] == first),
                "clique {c} kept whole"
            );
        }
        assert!(found.modularity > 0.7, "{}", found.modularity);
        // The same input, the same communities.
        assert_eq!(found, louvain(k * size, &edges));
    }

    #[test]
    fn heavier_ties_hold_their_ends_together() {
        // A square whose two opposite sides are heavy: the heavy sides are the communities.
        let edges = [
            Edge {
                a: 0,
                b: 1,
                weight: 10,
            },
            Edge {
                a: 2,
                b: 3,
                weight: 10,
            },
            Edge {
                a: 0,
                b: 3,
                weight: 1,
            },
            Edge {
                a: 1,
                b: 2,
                weight: 1,
            },
        ];
        let found = louvain(4, &edges);
        assert_eq!(found.of, [0, 0, 1, 1]);
    }

    #[test]
    fn actors_without_ties_stand_alone() {
        let found = louvain(3, &[]);
        assert_eq!(
            (found.of, found.count, found.modularity),
            (vec![0, 1, 2], 3, 0.0)
        );
        let one = louvain(
            4,
            &[Edge {
                a: 1,
                b: 2,
                weight: 1,
            }],
        );
        assert_eq!(one.count, 3);
        assert_eq!(one.of[1], one.of[2]);
    }

    #[test]
    fn an_overview_lists_members_most_connected_first_and_names_them() {
        // A star of four around actor 3 and a pair: the hub leads its community's name.
        let mut edges: Vec<Edge> = [0, 1, 2, 4]
            .iter()
            .map(|&b| Edge {
                a: b.min(3),
                b: b.max(3),
                weight: 1,
            })
            .collect();
        edges.push(Edge {
            a: 5,
            b: 6,
            weight: 3,
        });
        let overview = Overview::of_graph(7, &edges);
        assert_eq!(overview.members.len(), 2);
        assert_eq!(overview.members[0], [3, 0, 1, 2, 4]);
        assert_eq!(overview.members[1], [5, 6]);
        assert_eq!(overview.of, [0, 0, 0, 0, 0, 1, 1]);
        let names: Vec<String> = ["Ann", "Bo", "Cy", "Hub", "Di", "Ed", "Flo"]
            .map(String::from)
            .to_vec();
        assert_eq!(overview.name(0, &names), "Hub, Ann + 3");
        assert_eq!(overview.name(1, &names), "Ed, Flo");
        // Every actor is in exactly one community's members: nothing is lost.
        let mut all: Vec<u32> = overview.members.concat();
        all.sort_unstable();
        assert_eq!(all, (0..7).collect::<Vec<u32>>());
    }

    #[test]
    fn modularity_of_everything_in_one_community_is_zero() {
        let mut edges = Vec::new();
        clique(&[0, 1, 2, 3], &mut edges);
        assert!(modularity(4, &edges, &[0, 0, 0, 0]).abs() < 1e-12);
    }
}
