//! The story's groups collapse into one mark each and expand again (issue 20 §3, KeyLines'
//! combos), on the default story: the members hidden behind a mark at their centroid, named
//! by the group and its count, their ties summed into one line per neighbour; a click on the
//! mark expands it, selecting a member opens it while it is selected, and every actor is still
//! found by search and listed. Checked on what the drawing emits, through the recording
//! backend.
#![cfg(not(target_arch = "wasm32"))]
// The recording backend comes with the `full` feature (the default).
#![cfg(feature = "full")]

use castline::App;
use castline::draw::record::Recorder;
use castline::draw::{Pen, draw_network, draw_network_marks};
use castline::place::overview::Partition;
use castline::place::{Hover, Target};

const W: f64 = 900.0;
const H: f64 = 600.0;

fn story() -> App {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/peace-plan-2025.json"
    ))
    .expect("the default story");
    let mut app = App::from_json("peace-plan-2025.json", &text).expect("the story loads");
    app.resize(W, H, W);
    app
}

fn record(app: &App) -> Recorder {
    let mut network = Recorder::new(W as u32, H as u32);
    draw_network(&app.frame(), &mut Pen::new(&mut network, 1.0)).expect("recorded");
    network
}

fn texts(r: &Recorder) -> Vec<String> {
    r.texts.iter().flat_map(|g| g.texts.clone()).collect()
}

fn members(app: &App, group: &str) -> Vec<usize> {
    let g = app.story().groups.iter().position(|g| g.id == group);
    (0..app.story().actors.len())
        .filter(|&a| g.is_some() && app.story().actors[a].group == g)
        .collect()
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1.0
}

/// Lines drawn with an end at `(x, y)`, each as its other end.
fn lines_from(r: &Recorder, (x, y): (f64, f64)) -> Vec<(f64, f64)> {
    let mut ends = Vec::new();
    for g in r.shapes.iter().filter(|g| !g.paint.is_fill()) {
        for l in g.lines.chunks_exact(4) {
            if near(l[0], x) && near(l[1], y) {
                ends.push((l[2], l[3]));
            } else if near(l[2], x) && near(l[3], y) {
                ends.push((l[0], l[1]));
            }
        }
    }
    ends
}

/// A point on the mark of group `g` that no actor drawn singly covers.
fn free_point(app: &App, g: usize) -> (f64, f64) {
    let m = app.marks.mark(g).expect("the group's mark");
    (0..20)
        .flat_map(|i| (0..8).map(move |j| (i, j)))
        .map(|(i, j)| {
            let d = m.r * f64::from(i) / 20.0;
            let turn = f64::from(j) * std::f64::consts::FRAC_PI_4;
            (m.x + d * turn.cos(), m.y + d * turn.sin())
        })
        .find(|&(x, y)| app.network.hit(x, y).is_none() && app.marks.hit(x, y) == Some(g))
        .expect("a free point on the mark")
}

#[test]
fn collapsing_a_group_hides_its_members_behind_one_mark_named_with_its_count() {
    let mut app = story();
    let us = members(&app, "us");
    assert_eq!(us.len(), 4);
    assert!(app.marks.marks.is_empty(), "nothing is collapsed at first");
    let (xs, ys): (Vec<f64>, Vec<f64>) = us
        .iter()
        .map(|&a| (app.network.x[a], app.network.y[a]))
        .unzip();

    app.collapse_group("us", true)
        .expect("a group of the story");
    assert_eq!(app.state().collapsed_groups, ["us"]);
    assert_eq!(app.summary().collapsed_groups, ["us"]);
    assert_eq!(app.marks.partition(), Some(Partition::Groups));
    for a in 0..app.story().actors.len() {
        assert_eq!(app.network.is_shown(a), !us.contains(&a), "actor {a}");
    }
    assert_eq!(app.marks.marks.len(), 1);
    let m = app.marks.marks[0].clone();
    let g = app.story().groups.iter().position(|g| g.id == "us");
    assert_eq!(Some(m.community as usize), g);
    assert_eq!(m.members, 4);
    // At its members' centroid (alone, nothing pushes it), with the area of four actors.
    assert!(near(m.x, xs.iter().sum::<f64>() / 4.0), "{} {xs:?}", m.x);
    assert!(near(m.y, ys.iter().sum::<f64>() / 4.0), "{} {ys:?}", m.y);
    let total = app.story().actors.len();
    let r = castline::place::overview::mark_radius(4, total, W, H, 1.0);
    assert!((m.r - r).abs() < 1e-9);
    let label = "United States administration · 4";
    assert_eq!(app.marks.label(&m), label);
    assert_eq!(app.group_mark("us"), Some(&m));
    assert_eq!(app.group_mark("russia"), None, "an open group has no mark");

    // Drawn in the group's colour, named, with a caption.
    let r = record(&app);
    let rgb = app.story().groups[m.community as usize].color;
    let disc = r.shapes.iter().any(|s| {
        s.paint.is_fill()
            && s.paint.rgb() == (rgb.0, rgb.1, rgb.2)
            && s.circles
                .chunks_exact(3)
                .any(|c| near(c[0], m.x.round()) && near(c[1], m.y.round()) && near(c[2], m.r))
    });
    assert!(disc, "the mark is painted in the group's colour");
    let words = texts(&r);
    assert!(words.iter().any(|t| t == label), "{words:?}");
    assert!(
        words.iter().any(|t| t.starts_with("1 group collapsed")),
        "{words:?}"
    );
    for &a in &us {
        let name = &app.story().actors[a].name;
        assert!(!words.contains(name), "{name} is hidden, so is its label");
    }

    // Collapsing again changes nothing; an unknown group is an error.
    let version = app.version();
    app.collapse_group("us", true).expect("known");
    assert_eq!(app.version(), version);
    assert!(app.collapse_group("nobody", true).is_err());

    // Expanding brings the actors back and the mark goes.
    app.collapse_group("us", false).expect("known");
    assert!(app.state().collapsed_groups.is_empty());
    assert!(app.marks.marks.is_empty() && app.marks.partition().is_none());
    assert!((0..total).all(|a| app.network.is_shown(a)));
}

#[test]
fn a_collapsed_groups_ties_are_one_line_per_neighbour() {
    let mut app = story();
    let us = members(&app, "us");
    app.collapse_group("us", true).expect("known");
    let m = app.marks.marks[0].clone();
    // The neighbours outside the group, and the ties the members have with them.
    let mut neighbours: Vec<usize> = Vec::new();
    let mut ties = 0;
    for e in &app.graph().edges {
        let (a_in, b_in) = (us.contains(&e.a), us.contains(&e.b));
        if a_in != b_in {
            ties += 1;
            let other = if a_in { e.b } else { e.a };
            if !neighbours.contains(&other) {
                neighbours.push(other);
            }
        }
    }
    assert!(
        ties > neighbours.len(),
        "the story has members sharing a neighbour"
    );
    let ends = lines_from(&record(&app), (m.x, m.y));
    assert_eq!(ends.len(), neighbours.len(), "{ends:?}");
    for &a in &neighbours {
        let at = (app.network.x[a], app.network.y[a]);
        assert!(
            ends.iter()
                .any(|e| near(e.0, at.0.round()) && near(e.1, at.1.round())),
            "a line from the mark to {}",
            app.story().actors[a].name
        );
    }
    // No tie is drawn to or from a hidden member.
    for &a in &us {
        assert!(lines_from(&record(&app), (app.network.x[a], app.network.y[a])).is_empty());
    }
}

#[test]
fn hovering_then_clicking_the_mark_expands_the_group() {
    let mut app = story();
    app.collapse_group("russia", true).expect("known");
    app.collapse_group("us", true).expect("known");
    assert_eq!(app.state().collapsed_groups, ["russia", "us"]);
    let g = app.story().groups.iter().position(|g| g.id == "us");
    let g = g.expect("us");
    let (x, y) = free_point(&app, g);
    let tip = app.pointer_move(Target::Network, x, y).expect("a tooltip");
    assert_eq!(app.reader.hover, Some(Hover::Community(g)));
    assert!(
        tip.text.starts_with("United States administration\n"),
        "{}",
        tip.text
    );
    assert!(tip.text.contains("Group of 4 actors"), "{}", tip.text);
    assert!(tip.text.contains("click to expand"), "{}", tip.text);
    let mut ring = Recorder::new(W as u32, H as u32);
    draw_network_marks(&app.frame(), &mut Pen::new(&mut ring, 1.0)).expect("recorded");
    assert_eq!(ring.circle_count(), 1, "the hover ring goes round the mark");

    app.pointer_down(Target::Network, x, y);
    app.pointer_up(Target::Network, x, y, false);
    assert_eq!(app.state().collapsed_groups, ["russia"], "us expanded");
    assert!(
        app.state().selected_actors.is_empty(),
        "a click selects nobody"
    );
    assert!(members(&app, "us").iter().all(|&a| app.network.is_shown(a)));
    assert_eq!(app.marks.marks.len(), 1, "Russia's mark stays");
    assert_eq!(app.group_mark("us"), None);
    assert!(app.group_mark("russia").is_some());
}

#[test]
fn selecting_or_focusing_a_member_opens_its_group_while_it_lasts() {
    let mut app = story();
    let us = members(&app, "us");
    app.collapse_group("us", true).expect("known");
    app.select(&["witkoff".to_owned()]).expect("known");
    assert!(
        us.iter().all(|&a| app.network.is_shown(a)),
        "open for Witkoff"
    );
    assert!(app.marks.marks.is_empty());
    assert_eq!(
        app.state().collapsed_groups,
        ["us"],
        "still collapsed by the reader"
    );
    app.clear();
    assert!(us.iter().all(|&a| !app.network.is_shown(a)), "closed again");
    assert_eq!(app.marks.marks.len(), 1);

    // The legend's group filter selects the members: the group is drawn open.
    app.select_group("us").expect("known");
    assert!(us.iter().all(|&a| app.network.is_shown(a)));
    app.clear();

    app.focus_event(Some("rubio-geneva")).expect("known");
    assert!(
        us.iter().all(|&a| app.network.is_shown(a)),
        "open for Rubio's event"
    );
    app.focus_event(None).expect("none");
    assert_eq!(app.marks.marks.len(), 1);

    // The keyboard reaches a member and opens the group.
    app.set_keyboard_focus(Some(Target::Network));
    let mut reached = false;
    for key in ["Home", "End"]
        .into_iter()
        .chain(std::iter::repeat_n("ArrowRight", 15))
        .chain(std::iter::repeat_n("ArrowLeft", 15))
        .chain(std::iter::repeat_n("ArrowDown", 15))
    {
        app.key(Target::Network, key, false);
        if let Some(a) = app.reader.keyboard.actor
            && us.contains(&a)
        {
            assert!(app.network.is_shown(a), "the keyboard's actor is drawn");
            assert!(app.marks.marks.is_empty());
            reached = true;
            break;
        }
    }
    assert!(reached, "the keys reach a member of the collapsed group");
}

#[test]
fn nothing_is_lost_while_groups_are_collapsed() {
    let mut app = story();
    for g in app.story().groups.clone() {
        app.collapse_group(&g.id, true).expect("known");
    }
    assert_eq!(app.state().collapsed_groups.len(), app.story().groups.len());
    let every: Vec<String> = app.story().actors.iter().map(|a| a.id.clone()).collect();
    // Every actor is in a mark or drawn, in the lists and found by search.
    for (a, id) in every.iter().enumerate() {
        let g = app.story().actors[a]
            .group
            .expect("every actor has a group here");
        assert!(
            app.marks.mark(g).is_some() && !app.network.is_shown(a),
            "{id}"
        );
        let name = app.story().actors[a].name.clone();
        let found = app.search(&name, 10);
        assert!(found.iter().any(|e| e.id == id), "search finds {name}");
    }
    let marked: u32 = app.marks.marks.iter().map(|m| m.members).sum();
    assert_eq!(marked as usize, every.len(), "each actor in one mark");
    let mut listed = app.listed_actors(every.len());
    listed.sort();
    let mut all = every.clone();
    all.sort();
    assert_eq!(listed, all, "the actor buttons list every actor");
    assert_eq!(app.state().visible_actors.len(), every.len());
    assert_eq!(app.summary().visible_event_count, app.story().events.len());
}

#[test]
fn a_time_window_counts_the_members_it_shows() {
    let mut app = story();
    app.collapse_group("us", true).expect("known");
    // A window from late November leaves some of the administration out.
    app.set_time_window(Some("2025-11-20"), Some("2025-12-31"))
        .expect("a window");
    let shown = members(&app, "us")
        .into_iter()
        .filter(|&a| app.derived.visible_actors[a])
        .count();
    assert!(
        shown > 0 && shown < 4,
        "{shown} of the administration in the window"
    );
    let m = app.group_mark("us").expect("a mark");
    assert_eq!(m.members as usize, shown);
    assert_eq!(
        app.marks.label(m),
        format!("United States administration · {shown}")
    );
}

#[test]
fn a_marks_name_is_written_clear_of_the_actors_names_on_a_wide_and_a_phones_canvas() {
    for (w, h) in [(W, H), (340.0, 330.0)] {
        let mut app = story();
        app.resize(w, h, w);
        app.collapse_group("us", true).expect("known");
        app.collapse_group("media", true).expect("known");
        assert_eq!(app.marks.marks.len(), 2);
        for m in &app.marks.marks {
            let label = m.label.expect("each mark is named");
            for a in (0..app.story().actors.len()).filter(|&a| app.network.is_shown(a)) {
                if let Some(name) = app.network.labels[a] {
                    assert!(
                        !name.rect.intersects(&label),
                        "{} over {}'s name at {w}×{h}",
                        app.marks.label(m),
                        app.story().actors[a].name
                    );
                }
            }
        }
    }
}
