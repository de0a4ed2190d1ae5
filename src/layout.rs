//! Force-directed layout of the network, in the manner of d3-force: links pull, nodes repel,
//! a weak gravity keeps loose actors near, and collisions keep circles apart.
//!
//! Positions live in flat arrays. There is no randomness (nodes start on a phyllotaxis spiral),
//! so the same data always gives the same picture. `tick` is separate from any timer so the
//! page can run a few ticks per animation frame while tests run them all at once.

/// A spring between two nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub a: usize,
    pub b: usize,
    /// Rest length in layout units.
    pub distance: f64,
    /// Extra pull for ties seen many times.
    pub weight: f64,
}

/// Ticks until the simulation cools down, as d3's default.
pub const TICKS: u32 = 300;
const ALPHA_MIN: f64 = 0.001;
const VELOCITY_KEEP: f64 = 0.6;
const CHARGE: f64 = -200.0;
const GRAVITY: f64 = 0.1;

#[derive(Debug, Clone)]
pub struct Layout {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    vx: Vec<f64>,
    vy: Vec<f64>,
    /// Collision radius of each node, layout units.
    radius: Vec<f64>,
    links: Vec<Link>,
    /// Per link: (strength, bias) as d3 computes them from the degrees.
    link_params: Vec<(f64, f64)>,
    alpha: f64,
    alpha_decay: f64,
    ticks: u32,
}

impl Layout {
    pub fn new(radius: Vec<f64>, links: Vec<Link>) -> Layout {
        let n = radius.len();
        let (mut x, mut y) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
        for i in 0..n {
            let r = 12.0 * (0.5 + i as f64).sqrt();
            let angle = i as f64 * golden;
            x.push(r * angle.cos());
            y.push(r * angle.sin());
        }
        let mut degree = vec![0.0f64; n];
        for l in &links {
            degree[l.a] += 1.0;
            degree[l.b] += 1.0;
        }
        let link_params = links
            .iter()
            .map(|l| {
                let (da, db) = (degree[l.a], degree[l.b]);
                let strength = (1.0 / da.min(db)) * (1.0 + 0.15 * (l.weight - 1.0)).min(1.6);
                (strength, da / (da + db))
            })
            .collect();
        Layout {
            x,
            y,
            vx: vec![0.0; n],
            vy: vec![0.0; n],
            radius,
            links,
            link_params,
            alpha: 1.0,
            alpha_decay: 1.0 - ALPHA_MIN.powf(1.0 / f64::from(TICKS)),
            ticks: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Still moving noticeably.
    pub fn running(&self) -> bool {
        self.alpha >= ALPHA_MIN && !self.is_empty()
    }

    pub fn ticks(&self) -> u32 {
        self.ticks
    }

    /// Runs until cool or until `max_ticks` more ticks have run.
    pub fn run(&mut self, max_ticks: u32) {
        for _ in 0..max_ticks {
            if !self.running() {
                break;
            }
            self.tick();
        }
    }

    /// One simulation step.
    pub fn tick(&mut self) {
        let alpha = self.alpha;
        self.apply_links(alpha);
        self.apply_charge(alpha);
        self.apply_gravity(alpha);
        self.apply_collisions();
        for i in 0..self.len() {
            self.vx[i] *= VELOCITY_KEEP;
            self.vy[i] *= VELOCITY_KEEP;
            self.x[i] += self.vx[i];
            self.y[i] += self.vy[i];
        }
        self.alpha += (0.0 - self.alpha) * self.alpha_decay;
        self.ticks += 1;
    }

    fn apply_links(&mut self, alpha: f64) {
        for (l, &(strength, bias)) in self.links.iter().zip(&self.link_params) {
            let (a, b) = (l.a, l.b);
            let mut dx = self.x[b] + self.vx[b] - self.x[a] - self.vx[a];
            let mut dy = self.y[b] + self.vy[b] - self.y[a] - self.vy[a];
            if dx == 0.0 && dy == 0.0 {
                (dx, dy) = jiggle(a, b);
            }
            let len = (dx * dx + dy * dy).sqrt();
            let k = (len - l.distance) / len * alpha * strength;
            let (fx, fy) = (dx * k, dy * k);
            self.vx[b] -= fx * bias;
            self.vy[b] -= fy * bias;
            self.vx[a] += fx * (1.0 - bias);
            self.vy[a] += fy * (1.0 - bias);
        }
    }

    /// All-pairs repulsion: exact, and cheap for newsroom-sized stories. A Barnes–Hut tree can
    /// replace it behind this method when stories reach thousands of actors.
    fn apply_charge(&mut self, alpha: f64) {
        let n = self.len();
        for i in 0..n {
            for j in (i + 1)..n {
                let mut dx = self.x[j] - self.x[i];
                let mut dy = self.y[j] - self.y[i];
                if dx == 0.0 && dy == 0.0 {
                    (dx, dy) = jiggle(i, j);
                }
                let d2 = (dx * dx + dy * dy).max(1.0);
                let w = CHARGE * alpha / d2;
                self.vx[i] += dx * w;
                self.vy[i] += dy * w;
                self.vx[j] -= dx * w;
                self.vy[j] -= dy * w;
            }
        }
    }

    /// Pulls every node gently toward the origin so unconnected actors stay in the picture.
    fn apply_gravity(&mut self, alpha: f64) {
        for i in 0..self.len() {
            self.vx[i] -= self.x[i] * GRAVITY * alpha;
            self.vy[i] -= self.y[i] * GRAVITY * alpha;
        }
    }

    fn apply_collisions(&mut self) {
        let n = self.len();
        for i in 0..n {
            for j in (i + 1)..n {
                let min = self.radius[i] + self.radius[j];
                let mut dx = (self.x[j] + self.vx[j]) - (self.x[i] + self.vx[i]);
                let mut dy = (self.y[j] + self.vy[j]) - (self.y[i] + self.vy[i]);
                if dx == 0.0 && dy == 0.0 {
                    (dx, dy) = jiggle(i, j);
                }
                let d2 = dx * dx + dy * dy;
                if d2 < min * min {
                    let d = d2.sqrt();
                    let push = (min - d) / d * 0.5 * 0.7;
                    self.vx[i] -= dx * push;
                    self.vy[i] -= dy * push;
                    self.vx[j] += dx * push;
                    self.vy[j] += dy * push;
                }
            }
        }
    }
}

/// A tiny deterministic nudge to separate coincident nodes (d3 uses a random one).
fn jiggle(a: usize, b: usize) -> (f64, f64) {
    let angle = ((a * 7919 + b * 104_729) % 360) as f64 * std::f64::consts::PI / 180.0;
    (1e-3 * angle.cos(), 1e-3 * angle.sin())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Layout {
        let links = vec![
            Link {
                a: 0,
                b: 1,
                distance: 50.0,
                weight: 1.0,
            },
            Link {
                a: 1,
                b: 2,
                distance: 50.0,
                weight: 1.0,
            },
            Link {
                a: 2,
                b: 3,
                distance: 50.0,
                weight: 1.0,
            },
            Link {
                a: 3,
                b: 0,
                distance: 50.0,
                weight: 1.0,
            },
        ];
        Layout::new(vec![10.0; 5], links)
    }

    #[test]
    fn same_input_same_positions() {
        let (mut a, mut b) = (square(), square());
        a.run(TICKS);
        // Sliced runs must land exactly where one long run does.
        for _ in 0..60 {
            b.run(5);
        }
        assert_eq!(a.x, b.x);
        assert_eq!(a.y, b.y);
        assert!(!a.running());
    }

    #[test]
    fn linked_nodes_settle_near_their_rest_length_and_apart() {
        let mut l = square();
        l.run(TICKS);
        let dist =
            |i: usize, j: usize| ((l.x[i] - l.x[j]).powi(2) + (l.y[i] - l.y[j]).powi(2)).sqrt();
        for (i, j) in [(0, 1), (1, 2), (2, 3), (3, 0)] {
            let d = dist(i, j);
            assert!(d > 35.0 && d < 120.0, "link {i}-{j} is {d}");
        }
        for i in 0..5 {
            for j in (i + 1)..5 {
                assert!(dist(i, j) >= 19.0, "{i} and {j} overlap");
            }
        }
        // The unlinked node stays in the picture.
        assert!(l.x[4].hypot(l.y[4]) < 400.0);
    }
}
