//! Filtering through the indexes (per-actor event lists, the time index) gives exactly what a
//! scan of every event gives, on generated stories: single actors, "all" and "any" of
//! several, time windows (closed, open on one side, a moment), and both at once.
#![cfg(not(target_arch = "wasm32"))]

use castline::story::dates::{iso, iso_datetime};
use castline::view::app::{App, Mode};

/// A small deterministic stream for choosing selections.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn check(app: &App, what: &str) {
    let (events, actors, edges) = app.derive_by_scan();
    assert_eq!(app.derived.visible_events, events, "events: {what}");
    assert_eq!(app.derived.visible_actors, actors, "actors: {what}");
    assert_eq!(app.derived.window_edges, edges, "window ties: {what}");
    let state = app.state();
    let expected: Vec<String> = (0..events.len())
        .filter(|&e| events[e])
        .map(|e| app.story().events[e].id.clone())
        .collect();
    assert_eq!(state.visible_events, expected, "state: {what}");
    let summary = app.summary();
    assert_eq!(summary.visible_event_count, expected.len(), "{what}");
    assert_eq!(
        summary.visible_actor_count,
        actors.iter().filter(|a| **a).count(),
        "{what}"
    );
    // The page's list: every visible event once, in order, however it is paged.
    let listed = app.listed_events(usize::MAX);
    assert_eq!(listed.ids, expected, "listed: {what}");
    let page = app.listed_events(7);
    assert_eq!(
        page.before + page.ids.len() + page.after,
        expected.len(),
        "{what}"
    );
    assert_eq!(
        page.ids[..],
        expected[page.before..page.before + page.ids.len()],
        "{what}"
    );
    let mut shown: Vec<String> = app.listed_actors(usize::MAX);
    shown.sort();
    let mut expected_actors: Vec<String> = (0..actors.len())
        .filter(|&a| actors[a])
        .map(|a| app.story().actors[a].id.clone())
        .collect();
    expected_actors.sort();
    assert_eq!(shown, expected_actors, "listed actors: {what}");
}

#[test]
fn indexed_filtering_matches_a_scan_of_every_event() {
    for seed in [1, 2, 3] {
        let text = castline::write::generate::generate(300, 3000, seed);
        let mut app = App::from_json("generated.json", &text).expect("a generated story");
        app.resize(800.0, 500.0, 900.0);
        check(&app, "nothing selected");
        let n_actors = app.story().actors.len();
        let n_events = app.story().events.len();
        let mut rng = Lcg(seed);
        for round in 0..60 {
            // Busy actors share events, so "all" of them is not always empty: pick some from
            // one event, some at random.
            let e = rng.below(n_events);
            let mut ids: Vec<String> = app.story().events[e]
                .actors
                .iter()
                .take(1 + rng.below(3))
                .map(|&a| app.story().actors[a].id.clone())
                .collect();
            if round % 3 == 0 {
                ids.push(app.story().actors[rng.below(n_actors)].id.clone());
            }
            let mode = if round % 2 == 0 { Mode::All } else { Mode::Any };
            app.set_mode(mode);
            app.select(&ids).expect("known actors");
            check(&app, &format!("{ids:?} {mode:?}"));

            let a = &app.story().events[rng.below(n_events)].when;
            let b = &app.story().events[rng.below(n_events)].when;
            let (start, end) = if a.start_secs <= b.start_secs {
                (a, b)
            } else {
                (b, a)
            };
            let window: (Option<String>, Option<String>) = match round % 4 {
                0 => (Some(iso(start.start_secs)), Some(iso(end.start_secs))),
                1 => (None, Some(iso(end.start_secs))),
                2 => (Some(iso(start.start_secs)), None),
                // A few hours: down to events of one moment.
                _ => (
                    Some(iso_datetime(start.start_secs)),
                    Some(iso_datetime(start.start_secs + 3 * 3600)),
                ),
            };
            app.set_time_window(window.0.as_deref(), window.1.as_deref())
                .expect("a window");
            check(&app, &format!("{ids:?} {mode:?} in {window:?}"));

            // A focused event moves the list's page to it.
            if let Some(id) = app.state().visible_events.last().cloned() {
                app.focus_event(Some(&id)).expect("a visible event");
                let page = app.listed_events(5);
                assert!(page.ids.contains(&id), "the focused event is listed");
            }
            app.select(&[]).expect("nothing");
            check(&app, &format!("window {window:?} alone"));
            app.set_time_window(None, None).expect("no window");
        }
        app.select_group("g0").expect("a group");
        check(&app, "a whole group");
    }
}
