//! Synthetic stories for benchmarks and stress tests: a seeded generator whose output has the
//! shape of a real investigation, so speed measured on it says something about real data.
//!
//! The shape: a few groups; actors who join events by preferential attachment (the busy get
//! busier, as in a real story where a handful of people appear everywhere), mostly with
//! members of their own group; events of 1–6 participants; bursts in time (a summit week, a
//! leak) over a quiet background; dates of mixed precision (days, months, approximate and
//! uncertain dates, short intervals); a few explicit relations.
//!
//! Everything comes from one SplitMix64 stream, so the same `(actors, events, seed)` always
//! gives the same bytes on every platform, native or wasm. No crate is pulled in for the
//! randomness: the generator is a dozen lines and costs nothing in the download.

use serde::Serialize;

/// The standard benchmark sizes (issue 6): name, actors, events.
pub const WORKLOADS: [(&str, usize, usize); 4] = [
    ("W1", 150, 2_000),
    ("W2", 1_000, 10_000),
    ("W3", 5_000, 50_000),
    ("W4", 20_000, 200_000),
];

/// SplitMix64: tiny, fast and well distributed, which is all a test-data generator needs.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`; `n` must be positive.
    fn below(&mut self, n: usize) -> usize {
        // Multiply-shift rather than modulo: no bias worth measuring at these sizes, no division.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Participants per event, 1 to 6: pairs and small meetings are the most common.
const PARTICIPANT_WEIGHTS: [f64; 6] = [0.15, 0.35, 0.25, 0.13, 0.07, 0.05];
/// Chance that a further participant comes from the first participant's group.
const SAME_GROUP: f64 = 0.65;
/// Chance that a participant is drawn by preferential attachment rather than uniformly.
const PREFERENTIAL: f64 = 0.8;
/// Share of events that fall in a burst rather than the quiet background.
const IN_BURST: f64 = 0.6;
/// The story spans this many days from its first day.
const SPAN_DAYS: i64 = 3 * 365;
/// Days since 1970-01-01 of 2023-01-01, the first day of every generated story.
const FIRST_DAY: i64 = 19_358;

const GIVEN: [&str; 24] = [
    "Ada", "Boris", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kemal",
    "Lena", "Marek", "Nadia", "Omar", "Pilar", "Quentin", "Rosa", "Sven", "Tamar", "Umberto",
    "Vera", "Wanjiru", "Yusuf",
];
const FAMILY: [&str; 20] = [
    "Abara",
    "Berg",
    "Castel",
    "Dunmore",
    "Esposito",
    "Fenwick",
    "Galloway",
    "Haddad",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Sato",
    "Thorne",
];
const ROLES: [&str; 8] = [
    "Minister",
    "Envoy",
    "Banker",
    "Adviser",
    "Lawyer",
    "Journalist",
    "Lobbyist",
    "Official",
];
const KINDS: [&str; 8] = [
    "Meeting",
    "Call",
    "Summit",
    "Dinner",
    "Transfer",
    "Filing",
    "Interview",
    "Visit",
];
const TIES: [&str; 5] = [
    "ally",
    "business partner",
    "adviser to",
    "relative",
    "rival",
];
const GROUP_NAMES: [&str; 12] = [
    "Government",
    "Opposition",
    "Bank",
    "Ministry",
    "Embassy",
    "Consortium",
    "Press",
    "Court",
    "Foundation",
    "Party",
    "Agency",
    "Holding",
];
const COLOURS: [&str; 8] = [
    "#0072b2", "#d55e00", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#8a7a00", "#555555",
];

/// A generated story before it is written out: who is in which group, and each event's
/// participants, date and source.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub groups: usize,
    pub actor_group: Vec<usize>,
    pub sources: usize,
    pub events: Vec<SyntheticEvent>,
    /// `(from, to, label index into the tie names)`.
    pub relations: Vec<(usize, usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct SyntheticEvent {
    /// Distinct actor indexes, the first being the one who "called" the event.
    pub actors: Vec<usize>,
    pub date: String,
    /// The source cited, if any: not every record in a real notebook is sourced yet.
    pub source: Option<usize>,
    pub kind: usize,
}

/// Makes the story's structure; [`generate`] writes it as JSON and [`cooccurrence_edges`]
/// reduces it to the graph the layout sees.
pub fn synthesize(actors: usize, events: usize, seed: u64) -> Synthetic {
    let mut rng = Rng(seed ^ 0x6361_7374_6c69_6e65); // "castline": seed 0 is not all zeros.
    let groups = (actors / 40).clamp(1, GROUP_NAMES.len()).min(actors.max(1));
    // Group sizes are uneven too: actor i joins a group by a skewed draw.
    let actor_group: Vec<usize> = (0..actors)
        .map(|_| {
            let u = rng.unit();
            ((u * u) * groups as f64) as usize % groups
        })
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for (a, &g) in actor_group.iter().enumerate() {
        members[g].push(a);
    }
    // Urns for preferential attachment: an actor appears once per event it joined, so a draw
    // from the urn picks actors in proportion to how busy they already are.
    let mut urn: Vec<usize> = Vec::with_capacity(events * 3);
    let mut group_urn: Vec<Vec<usize>> = vec![Vec::new(); groups];

    // Few bursts, of uneven size: burst k is drawn in proportion to 1/(k+1), so the biggest
    // story week dwarfs the rest, as a scandal's does.
    let bursts: Vec<(i64, f64)> = (0..(events / 1000).clamp(3, 40))
        .map(|_| {
            let centre = rng.below(SPAN_DAYS as usize) as i64;
            let width_days = 1.0 + 6.0 * rng.unit();
            (centre, width_days)
        })
        .collect();

    let sources = (actors / 30).clamp(2, 40);
    let mut out = Vec::with_capacity(events);
    let mut chosen: Vec<usize> = Vec::with_capacity(6);
    for _ in 0..events {
        if actors == 0 {
            break;
        }
        let size = {
            let mut u = rng.unit();
            let mut k = PARTICIPANT_WEIGHTS.len();
            for (i, w) in PARTICIPANT_WEIGHTS.iter().enumerate() {
                if u < *w {
                    k = i + 1;
                    break;
                }
                u -= w;
            }
            k.min(actors)
        };
        chosen.clear();
        let mut tries = 0;
        while chosen.len() < size && tries < 32 {
            tries += 1;
            let group = chosen
                .first()
                .map(|&a| actor_group[a])
                .filter(|_| rng.chance(SAME_GROUP));
            let a = match group {
                Some(g) if !group_urn[g].is_empty() && rng.chance(PREFERENTIAL) => {
                    group_urn[g][rng.below(group_urn[g].len())]
                }
                Some(g) => members[g][rng.below(members[g].len())],
                None if !urn.is_empty() && rng.chance(PREFERENTIAL) => urn[rng.below(urn.len())],
                None => rng.below(actors),
            };
            if !chosen.contains(&a) {
                chosen.push(a);
            }
        }
        for &a in &chosen {
            urn.push(a);
            group_urn[actor_group[a]].push(a);
        }
        let day = if rng.chance(IN_BURST) {
            let (centre, width) = bursts[harmonic_index(&mut rng, bursts.len())];
            // Sum of three uniforms: a cheap bell around the burst's centre.
            let spread = (rng.unit() + rng.unit() + rng.unit() - 1.5) * 2.0 * width;
            (centre + spread.round() as i64).clamp(0, SPAN_DAYS - 1)
        } else {
            rng.below(SPAN_DAYS as usize) as i64
        };
        let date = date_text(&mut rng, FIRST_DAY + day);
        let source = rng.chance(0.5).then(|| rng.below(sources));
        out.push(SyntheticEvent {
            actors: chosen.clone(),
            date,
            source,
            kind: rng.below(KINDS.len()),
        });
    }

    let mut relations = Vec::new();
    if actors >= 2 {
        for _ in 0..(actors / 15).max(1) {
            let from = if urn.is_empty() {
                rng.below(actors)
            } else {
                urn[rng.below(urn.len())]
            };
            let to = rng.below(actors);
            if from != to {
                relations.push((from, to, rng.below(TIES.len())));
            }
        }
    }
    Synthetic {
        groups,
        actor_group,
        sources,
        events: out,
        relations,
    }
}

/// An index in `0..n` drawn with weight `1 / (k + 1)`, Zipf-like; `n` must be positive.
fn harmonic_index(rng: &mut Rng, n: usize) -> usize {
    let total: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
    let mut u = rng.unit() * total;
    for k in 0..n {
        u -= 1.0 / (k + 1) as f64;
        if u < 0.0 {
            return k;
        }
    }
    n - 1
}

/// A date of mixed precision around `day` (days since 1970-01-01), in the EDTF forms the
/// loader reads: mostly exact days, then months, approximate and uncertain dates, intervals.
fn date_text(rng: &mut Rng, day: i64) -> String {
    let (y, m, d) = crate::story::calendar::civil_from_days(day);
    let u = rng.unit();
    if u < 0.6 {
        format!("{y:04}-{m:02}-{d:02}")
    } else if u < 0.7 {
        format!("{y:04}-{m:02}-{d:02}~")
    } else if u < 0.8 {
        format!("{y:04}-{m:02}")
    } else if u < 0.85 {
        format!("{y:04}-{m:02}?")
    } else {
        let (y2, m2, d2) = crate::story::calendar::civil_from_days(day + 1 + rng.below(5) as i64);
        if u < 0.95 {
            format!("{y:04}-{m:02}-{d:02}/{y2:04}-{m2:02}-{d2:02}")
        } else {
            format!("{y:04}-{m:02}-{d:02}~/{y2:04}-{m2:02}-{d2:02}~")
        }
    }
}

/// Every co-participation pair `(a, b)` with `a < b`, once per event they share, sorted:
/// runs of one pair are one tie, as heavy as the run is long.
pub fn cooccurrence_pairs(story: &Synthetic) -> Vec<(u32, u32)> {
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for e in &story.events {
        for (k, &a) in e.actors.iter().enumerate() {
            for &b in &e.actors[k + 1..] {
                pairs.push((a.min(b) as u32, a.max(b) as u32));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// The distinct co-participation pairs `(a, b)` with `a < b`, sorted: the graph a layout of
/// this story lays out. Flattened as `[a0, b0, a1, b1, …]` for handing to JS.
pub fn cooccurrence_edges(story: &Synthetic) -> Vec<u32> {
    let mut pairs = cooccurrence_pairs(story);
    pairs.dedup();
    pairs.into_iter().flat_map(|(a, b)| [a, b]).collect()
}

#[derive(Serialize)]
struct Out<'a> {
    format: &'a str,
    title: String,
    summary: &'a str,
    published: &'a str,
    groups: Vec<OutGroup>,
    actors: Vec<OutActor>,
    sources: Vec<OutSource>,
    events: Vec<OutEvent<'a>>,
    relations: Vec<OutRelation<'a>>,
}

#[derive(Serialize)]
struct OutGroup {
    id: String,
    name: String,
    color: &'static str,
}

#[derive(Serialize)]
struct OutActor {
    id: String,
    name: String,
    role: &'static str,
    group: String,
}

#[derive(Serialize)]
struct OutSource {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct OutEvent<'a> {
    id: String,
    title: String,
    date: &'a str,
    actors: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutCitation>,
}

#[derive(Serialize)]
struct OutCitation {
    source: String,
}

#[derive(Serialize)]
struct OutRelation<'a> {
    from: String,
    to: String,
    label: &'a str,
}

/// A Castline JSON story of `actors` actors and `events` events, the same text for the same
/// seed. Records are kept lean (no descriptions or quotes) so that the largest standard size
/// stays near the loader's input limit.
pub fn generate(actors: usize, events: usize, seed: u64) -> String {
    let s = synthesize(actors, events, seed);
    let actor_id = |a: usize| format!("a{a}");
    let out = Out {
        format: "castline/1",
        title: format!("Synthetic story: {actors} actors, {events} events, seed {seed}"),
        summary: "Generated by castline generate for benchmarks; every name is invented.",
        published: "2026-01-01",
        groups: (0..s.groups)
            .map(|g| OutGroup {
                id: format!("g{g}"),
                name: format!("{} {}", GROUP_NAMES[g % GROUP_NAMES.len()], g + 1),
                color: COLOURS[g % COLOURS.len()],
            })
            .collect(),
        actors: s
            .actor_group
            .iter()
            .enumerate()
            .map(|(a, &g)| OutActor {
                id: actor_id(a),
                // Names repeat after 480 actors; the number keeps them apart, as an
                // investigation's notes would ("Ada Berg (2)").
                name: format!(
                    "{} {} {}",
                    GIVEN[a % GIVEN.len()],
                    FAMILY[(a / GIVEN.len()) % FAMILY.len()],
                    a / (GIVEN.len() * FAMILY.len()) + 1
                ),
                role: ROLES[(a * 7) % ROLES.len()],
                group: format!("g{g}"),
            })
            .collect(),
        sources: (0..s.sources)
            .map(|i| OutSource {
                id: format!("s{i}"),
                name: format!("Source {}", i + 1),
            })
            .collect(),
        events: s
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| OutEvent {
                id: format!("e{i}"),
                title: format!("{} {}", KINDS[e.kind], i + 1),
                date: &e.date,
                actors: e.actors.iter().map(|&a| actor_id(a)).collect(),
                sources: e
                    .source
                    .map(|src| OutCitation {
                        source: format!("s{src}"),
                    })
                    .into_iter()
                    .collect(),
            })
            .collect(),
        relations: s
            .relations
            .iter()
            .map(|&(from, to, tie)| OutRelation {
                from: actor_id(from),
                to: actor_id(to),
                label: TIES[tie],
            })
            .collect(),
    };
    // Serialising plain structs of strings cannot fail; an empty object is a safe fallback.
    serde_json::to_string(&out).unwrap_or_else(|_| "{}".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json::load_json;

    #[test]
    fn same_seed_same_output_and_other_seeds_differ() {
        assert_eq!(generate(150, 2000, 7), generate(150, 2000, 7));
        assert_ne!(generate(150, 2000, 7), generate(150, 2000, 8));
    }

    #[test]
    fn sizes_are_as_asked_and_the_story_loads_without_errors() {
        for (actors, events) in [(150, 2000), (1, 3), (2, 0), (0, 0), (40, 500)] {
            let text = generate(actors, events, 42);
            let loaded = load_json("gen.json", &text).expect("generated JSON parses");
            let errors: Vec<_> = loaded.errors().collect();
            assert!(errors.is_empty(), "{actors}/{events}: {errors:?}");
            assert_eq!(loaded.story.actors.len(), actors);
            assert_eq!(loaded.story.events.len(), events);
            assert!(
                loaded.diagnostics.is_empty(),
                "no warnings either: {:?}",
                loaded.diagnostics
            );
        }
    }

    #[test]
    fn the_shape_is_realistic() {
        let s = synthesize(1000, 10_000, 1);
        let mut count = vec![0usize; 1000];
        for e in &s.events {
            assert!((1..=6).contains(&e.actors.len()));
            for &a in &e.actors {
                count[a] += 1;
            }
        }
        count.sort_unstable_by(|a, b| b.cmp(a));
        // Preferential attachment: the busiest 1% take part in far more than 1% of events.
        let top: usize = count[..10].iter().sum();
        let all: usize = count.iter().sum();
        assert!(top * 100 > all * 5, "top 10 actors: {top} of {all}");
        // Mixed precision: every form of date appears.
        let dates: Vec<&str> = s.events.iter().map(|e| e.date.as_str()).collect();
        assert!(dates.iter().any(|d| d.len() == 10));
        assert!(dates.iter().any(|d| d.len() == 7));
        assert!(dates.iter().any(|d| d.ends_with('?')));
        assert!(dates.iter().any(|d| d.contains('/')));
        assert!(dates.iter().any(|d| d.ends_with('~')));
        // Bursts: the busiest week holds many times its even share of events.
        let days: Vec<i64> = s
            .events
            .iter()
            .map(|e| {
                let d = &e.date[..7];
                let y: i64 = d[..4].parse().unwrap_or(0);
                let m: i64 = d[5..7].parse().unwrap_or(0);
                y * 12 + m
            })
            .collect();
        let mut per_month = std::collections::BTreeMap::new();
        for d in days {
            *per_month.entry(d).or_insert(0usize) += 1;
        }
        let busiest = per_month.values().copied().max().unwrap_or(0);
        assert!(busiest * 36 > 10_000 * 3, "busiest month {busiest}");
        let edges = cooccurrence_edges(&s);
        assert!(edges.len() / 2 > 1000, "{} edges", edges.len() / 2);
        assert!(
            edges
                .chunks(2)
                .all(|p| p[0] < p[1] && (p[1] as usize) < 1000)
        );
    }

    #[test]
    fn calendar_conversion_matches_known_days() {
        assert_eq!(crate::story::calendar::civil_from_days(0), (1970, 1, 1));
        assert_eq!(
            crate::story::calendar::civil_from_days(FIRST_DAY),
            (2023, 1, 1)
        );
        assert_eq!(
            crate::story::calendar::civil_from_days(FIRST_DAY + 365 + 59),
            (2024, 2, 29)
        );
    }
}
