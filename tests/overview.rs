//! A big story's overview (issue 20 §3): past a few thousand actors the network draws its
//! communities as marks; clicking one or zooming in opens it, zooming out closes it, and
//! selecting an actor inside one opens it. Nothing is lost: every actor is still found by
//! search and listed while its community is closed. Checked on what the drawing emits,
//! through the recording backend, on a generated story of W3's size.
#![cfg(feature = "full")]

use castline::App;
use castline::draw::record::Recorder;
use castline::draw::{Pen, draw_network, draw_network_marks, draw_timeline};
use castline::place::{Hover, Target};
use castline::write::generate::generate;

const W: f64 = 900.0;
const H: f64 = 600.0;

fn w3() -> App {
    let text = generate(5_000, 50_000, 1);
    let mut app = App::from_text("w3.json", &text).expect("the story loads");
    app.resize(W, H, W);
    app
}

fn record(app: &App) -> Recorder {
    let mut network = Recorder::new(W as u32, H as u32);
    draw_network(&app.frame(), &mut Pen::new(&mut network, 1.0)).expect("recorded");
    network
}

/// Circles filled in a mark's colour at its radius: the marks the picture drew.
fn marks_drawn(app: &App, r: &Recorder) -> usize {
    let Some(communities) = &app.marks.communities else {
        return 0;
    };
    app.marks
        .marks
        .iter()
        .filter(|m| {
            let rgb = communities.colors[m.community as usize];
            r.shapes.iter().any(|g| {
                g.paint.is_fill()
                    && g.paint.rgb() == (rgb.0, rgb.1, rgb.2)
                    && g.circles.chunks_exact(3).any(|c| {
                        (c[0] - m.x.round()).abs() <= 1.0 && (c[1] - m.y.round()).abs() <= 1.0
                    })
            })
        })
        .count()
}

fn closed(app: &App) -> usize {
    app.marks.open.iter().filter(|o| !**o).count()
}

fn community_of(app: &App, a: usize) -> usize {
    let c = app.marks.communities.as_ref().expect("an overview");
    c.overview.of[a] as usize
}

/// The biggest community's mark and a point on it that no actor drawn singly covers.
fn biggest(app: &App) -> (usize, (f64, f64)) {
    let m = &app.marks.marks[0];
    let c = m.community as usize;
    let on_it = (0..20)
        .flat_map(|i| (0..8).map(move |j| (i, j)))
        .map(|(i, j)| {
            let d = m.r * f64::from(i) / 20.0;
            let turn = f64::from(j) * std::f64::consts::FRAC_PI_4;
            (m.x + d * turn.cos(), m.y + d * turn.sin())
        })
        .find(|&(x, y)| app.network.hit(x, y).is_none() && app.marks.hit(x, y) == Some(c))
        .expect("a free point on the mark");
    (c, on_it)
}

#[test]
fn a_w3_story_at_fit_zoom_draws_its_communities_as_at_most_500_marks() {
    let app = w3();
    let marks = app.marks.marks.len();
    assert!(marks > 1 && marks <= 500, "{marks} marks");
    let r = record(&app);
    assert_eq!(marks_drawn(&app, &r), marks, "each mark is painted");
    // Every actor is drawn as itself (its community open) or inside a drawn mark.
    let communities = app.marks.communities.as_ref().expect("an overview");
    for a in 0..app.story().actors.len() {
        let c = communities.overview.of[a] as usize;
        assert!(
            app.marks.open[c] || app.marks.mark(c).is_some(),
            "actor {a} is somewhere"
        );
        assert_eq!(app.network.is_shown(a), app.marks.open[c]);
    }
    // Only the communities of one actor are open at fit zoom: few actors drawn singly.
    let singles = (0..app.story().actors.len())
        .filter(|&a| app.network.is_shown(a))
        .count();
    assert!(singles < 100, "{singles} actors drawn singly at fit zoom");
    // Marks are as big as their members, the biggest first, and named by their most
    // connected actors with the count of the rest.
    let first = &app.marks.marks[0];
    let last = &app.marks.marks[marks - 1];
    assert!(first.members >= last.members && first.r >= last.r);
    let name = app.marks.name(first.community as usize);
    assert!(
        name.ends_with(&format!(" + {}", first.members - 2)),
        "{name}"
    );
    let texts: Vec<&str> = r
        .texts
        .iter()
        .flat_map(|g| g.texts.iter().map(String::as_str))
        .collect();
    assert!(texts.contains(&name), "the biggest mark is named");
    assert!(
        texts.iter().any(|t| t.contains("communities of")),
        "the caption says the picture is an overview"
    );
    // Ties between marks are drawn, within the budget.
    assert!(r.line_count() > 0 && r.line_count() <= castline::place::lod::EDGE_BUDGET);
}

/// Until a big network's communities come while the page's worker lays it out (they come
/// from the worker, or from a frame of the page's own), it draws every actor but no names, ties or relations, and says what is coming; once they
/// come, its overview with the ties between the communities' marks.
#[test]
fn until_its_communities_come_a_big_network_draws_its_actors_without_names_or_ties() {
    let text = generate(5_000, 50_000, 1);
    let mut app = App::from_text("w3.json", &text).expect("the story loads");
    app.defer_communities(true);
    app.resize(W, H, W);
    assert!(
        !app.overview_coming(),
        "laid out here, its ties and names are drawn"
    );
    assert!(
        app.lay_out_elsewhere().is_some(),
        "laid out by the page's worker"
    );
    assert!(app.overview_coming());
    let edge = castline::draw::LIGHT.edge;
    let ties = |r: &Recorder| -> usize {
        (r.shapes.iter())
            .filter(|g| !g.paint.is_fill() && g.paint.rgb() == (edge.0, edge.1, edge.2))
            .map(|g| g.lines.len() / 4 + g.path_lens.len())
            .sum()
    };
    let before = record(&app);
    let texts: Vec<&str> = (before.texts.iter())
        .flat_map(|g| g.texts.iter().map(String::as_str))
        .collect();
    assert_eq!(texts, ["Finding the communities of 5,000 actors…"]);
    assert_eq!(ties(&before), 0);
    assert!(
        before.rect_count() + before.circle_count() >= 5_000,
        "every actor drawn"
    );
    app.find_communities();
    assert!(!app.overview_coming());
    let after = record(&app);
    assert!(marks_drawn(&app, &after) > 10);
    assert!(ties(&after) > 0, "the overview's ties are drawn");
    assert!(after.text_count() > 10, "the marks are named");
}

#[test]
fn a_small_story_has_no_overview() {
    let text = generate(1_000, 10_000, 1);
    let mut app = App::from_text("w2.json", &text).expect("the story loads");
    app.resize(W, H, W);
    assert!(app.marks.marks.is_empty() && app.marks.communities.is_none());
    assert!((0..1_000).all(|a| app.network.is_shown(a)));
    // Its time axis keeps a lane per actor.
    let lanes = &app.timeline.lanes;
    assert!(lanes.iter().all(|l| l.community.is_none()));
    assert!(lanes[..lanes.len() - 1].iter().all(|l| l.actor.is_some()));
}

#[test]
fn the_time_axis_of_a_big_story_has_a_lane_per_community_drawn_as_its_density() {
    let app = w3();
    let communities = app.marks.communities.as_ref().expect("an overview").clone();
    let lanes = &app.timeline.lanes;
    let of = |a: usize| communities.overview.of[a] as usize;
    // A lane per community, the biggest first, each named as its mark is.
    let own: Vec<usize> = lanes.iter().filter_map(|l| l.community).collect();
    assert!(own.len() > 1 && lanes.len() <= castline::place::timeline::MAX_LANES + 1);
    assert!(lanes.iter().all(|l| l.actor.is_none()));
    let members = |c: usize| communities.overview.members[c].len();
    assert!(own.windows(2).all(|w| members(w[0]) >= members(w[1])));
    // An actor alone has no mark in the network, nor a lane: it shares the last one.
    assert!(own.iter().all(|&c| members(c) >= 2));
    let count = format!(" + {}", members(own[0]) - 2);
    assert!(communities.names[own[0]].ends_with(&count));
    assert!(lanes[0].label.ends_with(&count), "{}", lanes[0].label);
    // Every event is on the lane of each of its actors' communities, once.
    for (e, event) in app.story().events.iter().enumerate().step_by(97) {
        for (k, lane) in lanes.iter().enumerate() {
            let on = app.timeline.marks[lane.marks.clone()]
                .iter()
                .filter(|m| m.event == e)
                .count();
            let ought = match lane.community {
                Some(c) => usize::from(event.actors.iter().any(|&a| of(a) == c)),
                // The shared lane: any actor of a community without a lane of its own.
                None => usize::from(event.actors.iter().any(|&a| !own.contains(&of(a)))),
            };
            assert_eq!(on, ought, "event {e} on lane {k}");
        }
    }
    // Fifty thousand events: the lanes are density strips in their communities' colours,
    // named at the left.
    let mut timeline = Recorder::new(W as u32, app.timeline.height as u32);
    draw_timeline(&app.frame(), &mut Pen::new(&mut timeline, 1.0)).expect("recorded");
    let texts: Vec<&str> = timeline
        .texts
        .iter()
        .flat_map(|g| g.texts.iter().map(String::as_str))
        .collect();
    assert!(texts.contains(&lanes[0].label.as_str()));
    let rgb = communities.colors[own[0]];
    let top = lanes[0].y;
    assert!(
        timeline.shapes.iter().any(|g| g.paint.is_fill()
            && g.paint.rgb() == (rgb.0, rgb.1, rgb.2)
            && g.rects
                .chunks_exact(4)
                .any(|r| r[1] >= top && r[1] < top + lanes[0].height)),
        "the biggest community's strip is drawn in its colour"
    );
}

#[test]
fn clicking_a_mark_opens_its_community_and_zooming_out_closes_it() {
    let mut app = w3();
    let (c, (x, y)) = biggest(&app);
    let before = closed(&app);
    // Hovering says what it is.
    let tip = app
        .pointer_move(Target::Network, x, y)
        .expect("a tooltip over the mark");
    assert_eq!(app.reader.hover, Some(Hover::Community(c)));
    assert!(tip.text.starts_with(app.marks.name(c)), "{}", tip.text);
    assert!(tip.text.contains("actors"), "{}", tip.text);
    let ring = {
        let mut layer = Recorder::new(W as u32, H as u32);
        draw_network_marks(&app.frame(), &mut Pen::new(&mut layer, 1.0)).expect("recorded");
        layer.circle_count()
    };
    assert_eq!(ring, 1, "the hover ring goes round the mark");
    app.pointer_down(Target::Network, x, y);
    app.pointer_up(Target::Network, x, y, false);
    assert!(app.marks.open[c], "the click opened it");
    assert_eq!(app.opened_communities(), [c]);
    assert_eq!(closed(&app), before - 1);
    assert!(app.marks.mark(c).is_none());
    let members = &app.marks.communities.as_ref().unwrap().overview.members[c];
    assert!(members.iter().all(|&a| app.network.is_shown(a as usize)));
    // Nothing selected by opening.
    assert!(app.reader.selection.actors.is_empty());
    // Zooming out to the whole picture closes it again.
    for _ in 0..8 {
        app.zoom(Target::Network, 0.7, W / 2.0, H / 2.0);
    }
    assert!(!app.marks.open[c], "zoomed out, it closed");
    assert!(app.opened_communities().is_empty());
    assert!(app.marks.mark(c).is_some());
}

#[test]
fn zooming_in_opens_the_communities_whose_marks_grow_big() {
    let mut app = w3();
    let (c, (x, y)) = biggest(&app);
    let before = closed(&app);
    for _ in 0..12 {
        if app.marks.open[c] {
            break;
        }
        app.zoom(Target::Network, 1.25, x, y);
    }
    assert!(app.marks.open[c], "zoomed in, the biggest opened");
    assert!(closed(&app) < before);
    assert!(app.reader.camera.k > 1.0);
    // And back out: closed again (the reader opened nothing by hand).
    app.fit(Target::Network);
    assert!(!app.marks.open[c]);
    assert_eq!(closed(&app), before);
}

#[test]
fn selecting_an_actor_inside_a_closed_community_opens_it() {
    let mut app = w3();
    let (c, _) = biggest(&app);
    let member = app.marks.communities.as_ref().unwrap().overview.members[c][5] as usize;
    assert!(!app.marks.open[c]);
    let id = app.story().actors[member].id.clone();
    // By search, then the list's or a link's selection: all end in `select`.
    let name = app.story().actors[member].name.clone();
    let found: Vec<String> = app
        .search(&name, 10)
        .iter()
        .map(|e| e.id.to_owned())
        .collect();
    assert!(
        found.contains(&id),
        "search finds it while its community is closed"
    );
    app.select(std::slice::from_ref(&id)).expect("selected");
    assert!(app.marks.open[c], "selecting opened it");
    assert!(app.network.is_shown(member));
    assert_eq!(
        app.network
            .hit(app.network.x[member], app.network.y[member])
            .map(|a| community_of(&app, a)),
        Some(c),
        "its actors can be pointed at"
    );
    // Deselected, it closes again.
    app.clear();
    assert!(!app.marks.open[c]);
    // The keyboard walks actors, opening the community it rests in.
    app.set_keyboard_focus(Some(Target::Network));
    let resting = app
        .reader
        .keyboard
        .actor
        .expect("the keyboard rests on an actor");
    assert!(app.marks.open[community_of(&app, resting)]);
    assert!(app.network.is_shown(resting));
    // A focused event's actors open too.
    let (e, event) = app
        .story()
        .events
        .iter()
        .enumerate()
        .find(|(_, e)| e.actors.iter().any(|&a| community_of(&app, a) == c))
        .map(|(k, e)| (k, e.id.clone()))
        .expect("an event of the community");
    app.set_keyboard_focus(None);
    app.focus_event(Some(&event)).expect("focused");
    for &a in &app.story().events[e].actors.clone() {
        assert!(app.marks.open[community_of(&app, a)]);
    }
}

#[test]
fn nothing_is_lost_while_communities_are_closed() {
    let app = w3();
    assert!(closed(&app) > 0);
    let n = app.story().actors.len();
    // The screen readers' list (every visible actor, asked for all) names every actor.
    let mut listed = app.listed_actors(n);
    listed.sort();
    let mut all: Vec<String> = app.story().actors.iter().map(|a| a.id.clone()).collect();
    all.sort();
    assert_eq!(listed, all);
    // Search finds actors of every community, closed or not.
    let communities = app.marks.communities.as_ref().unwrap().clone();
    for members in &communities.overview.members {
        let a = members[members.len() / 2] as usize;
        let actor = &app.story().actors[a];
        assert!(
            app.search(&actor.name, 5).iter().any(|e| e.id == actor.id),
            "{} is found",
            actor.name
        );
    }
    assert_eq!(app.state().visible_actors.len(), n);
}

#[test]
fn the_static_render_of_a_big_story_is_its_overview() {
    let text = generate(5_000, 50_000, 1);
    let mut app = App::from_text("w3.json", &text).expect("the story loads");
    let svg = castline::render::render_svg(&mut app, 1000.0).expect("an SVG");
    let name = app
        .marks
        .name(app.marks.marks[0].community as usize)
        .to_owned();
    assert!(svg.contains(&name), "the SVG names the biggest community");
    assert!(svg.contains("communities of"));
}

/// The e2e test's drag in an overview (tests/e2e/worker.test.mjs) as the page makes it: the
/// story, canvas sizes and deferred communities of that test, settled or not.
#[test]
fn a_node_of_an_opened_community_follows_a_drag() {
    use castline::view::input::{Device, Input};
    for settled in [false, true] {
        let text = generate(6_000, 20_000, 5);
        let mut app = App::from_text("w.json", &text).expect("the story loads");
        app.defer_communities(true);
        app.resize(640.0, 460.0, 560.0);
        if settled {
            while app.step_layout(1000) {}
        }
        app.find_communities();
        let id = app.story().actors[0].id.clone();
        app.select(std::slice::from_ref(&id)).expect("selected");
        let (x, y) = app.actor_position(&id).expect("drawn");
        assert!(app.network.is_shown(0), "its community opened");
        let on = Target::Network;
        let device = Device::Mouse;
        app.input(Input::PointerMove {
            on,
            pointer: 1,
            device,
            x,
            y,
        });
        app.input(Input::PointerDown {
            on,
            pointer: 1,
            device,
            x,
            y,
            time_ms: 0.0,
        });
        for k in 1..=5 {
            let k = f64::from(k);
            let (x, y) = (x + 12.0 * k, y + 8.0 * k);
            app.input(Input::PointerMove {
                on,
                pointer: 1,
                device,
                x,
                y,
            });
        }
        let (x1, y1) = (x + 60.0, y + 40.0);
        app.input(Input::PointerUp {
            on,
            pointer: 1,
            x: x1,
            y: y1,
            additive: false,
        });
        let (ax, ay) = app.actor_position(&id).expect("drawn");
        assert!(
            (ax - x1).hypot(ay - y1) < 2.0,
            "settled {settled}: dragged from {:?} to {:?}",
            (x, y),
            (ax, ay)
        );
    }
}

#[test]
fn in_an_overview_the_communities_stand_in_for_collapsed_groups() {
    let mut app = w3();
    let id = app.story().groups.first().expect("groups").id.clone();
    app.collapse_group(&id, true).expect("a group of the story");
    assert_eq!(app.state().collapsed_groups, std::slice::from_ref(&id));
    assert_eq!(
        app.marks.partition(),
        Some(castline::place::overview::Partition::Communities),
        "the marks are still the communities"
    );
    assert_eq!(app.group_mark(&id), None);
}

/// The page finds the communities in a frame of their own, then gives the time axis its lanes
/// per community in the next (`Viewer::frame`): each is one task, not both.
#[test]
fn the_time_axis_takes_its_community_lanes_after_the_communities_are_found() {
    let text = generate(2_500, 8_000, 4);
    let mut app = App::from_text("w.json", &text).expect("the story loads");
    app.defer_communities(true);
    app.resize(W, H, W);
    assert!(app.communities_due() && !app.community_lanes_due());
    assert!(app.timeline.lanes.iter().all(|l| l.community.is_none()));
    app.find_communities();
    assert!(
        app.community_lanes_due(),
        "the lanes are due once they are found"
    );
    assert!(app.timeline.lanes.iter().all(|l| l.community.is_none()));
    let height = app.timeline_height();
    app.place_timeline();
    assert!(!app.community_lanes_due());
    assert!(app.timeline.lanes.iter().any(|l| l.community.is_some()));
    assert!(
        app.timeline_height() < height,
        "fewer lanes than the forty actors'"
    );
}

/// The page places the community lanes a lane at a time across frames (at W4, 300,000 marks
/// in one task were 50–90 ms): each call places at least one lane and says when all are, and
/// the axis placed so is the axis placed at once. Until then the axis by actor stays shown;
/// placing the axis anew meanwhile (a zoom, a resize) leaves nothing half done.
#[test]
fn the_community_lanes_are_placed_a_lane_at_a_time_as_the_axis_placed_at_once() {
    let text = generate(2_500, 8_000, 4);
    let open = || {
        let mut app = App::from_text("w.json", &text).expect("the story loads");
        app.defer_communities(true);
        app.resize(W, H, W);
        app.find_communities();
        app
    };
    let mut at_once = open();
    at_once.place_timeline();
    let lanes = at_once.timeline.lanes.len();
    assert!(lanes > 3, "{lanes} lanes");

    let mut in_parts = open();
    let by_actor = in_parts.timeline.lanes.clone();
    let mut calls = 0;
    while !in_parts.place_community_lanes_for(&mut || true) {
        calls += 1;
        assert_eq!(
            in_parts.timeline.lanes, by_actor,
            "the old axis is shown meanwhile"
        );
        assert!(in_parts.community_lanes_due());
    }
    assert_eq!(calls + 1, lanes, "one lane a call");
    assert!(!in_parts.community_lanes_due());
    assert_eq!(in_parts.timeline.lanes, at_once.timeline.lanes);
    assert_eq!(in_parts.timeline.marks, at_once.timeline.marks);
    assert_eq!(in_parts.timeline_height(), at_once.timeline_height());

    let mut interrupted = open();
    assert!(!interrupted.place_community_lanes_for(&mut || true));
    interrupted.place_timeline();
    assert!(!interrupted.community_lanes_due());
    assert_eq!(interrupted.timeline.lanes, at_once.timeline.lanes);
    assert!(
        interrupted.place_community_lanes_for(&mut || true),
        "nothing left to place"
    );
    assert_eq!(interrupted.timeline.marks, at_once.timeline.marks);
}

/// A big story's layout worker finds its communities too, over the same ties, and the page
/// takes them as its own: the same communities, the same marks. If the worker is stopped
/// first, the page finds them itself.
#[test]
fn the_communities_found_by_the_layout_worker_are_the_pages_own() {
    let text = generate(2_500, 8_000, 4);
    let open = |defer: bool| {
        let mut app = App::from_text("w.json", &text).expect("the story loads");
        app.defer_communities(defer);
        app.resize(W, H, W);
        app
    };
    let here = open(false);
    let mut page = open(true);
    let graph = page.lay_out_elsewhere().expect("laid out elsewhere");
    let ties = page.communities_elsewhere();
    assert_eq!(ties, page.graph().edges.len());
    assert!(!page.communities_due(), "the page waits for the worker's");
    let of = castline::place::overview::partition_of_layout_graph(&graph, ties).expect("found");
    assert!(
        !page.take_communities(&of[1..]),
        "a partition of other actors is refused"
    );
    let mut gap = of.clone();
    gap[0] = u32::MAX;
    assert!(
        !page.take_communities(&gap),
        "so is one numbered unlike Louvain's"
    );
    assert!(page.communities_due(), "and the page finds them itself");
    let mut page = open(true);
    page.lay_out_elsewhere().expect("laid out elsewhere");
    assert!(page.take_communities(&of));
    assert!(!page.communities_due());
    let (a, b) = (
        here.marks.communities.as_ref(),
        page.marks.communities.as_ref(),
    );
    assert_eq!(a.expect("found here").overview, b.expect("taken").overview);
    assert_eq!(here.marks.marks, page.marks.marks);
    // A worker stopped (a drag, a failure) leaves the communities to the page.
    let mut stopped = open(true);
    stopped.lay_out_elsewhere().expect("laid out elsewhere");
    stopped.take_layout_back();
    assert!(stopped.communities_due());
}
