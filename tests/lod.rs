//! Level of detail: a crowded picture keeps its strongest ties and shades busy lanes, and says
//! so; a newsroom-sized story is drawn element by element. Checked on what the drawing code
//! emits, through the recording backend.
#![cfg(feature = "full")]

use castline::App;
use castline::draw::record::Recorder;
use castline::draw::{LIGHT, Pen, draw_network, draw_timeline};
use castline::place::lod::EDGE_BUDGET;

/// The actor-level picture, however crowded: as the page draws a big story before its
/// communities are found (they are never found here), or an opened community. The overview
/// that comes after has its own tests (tests/overview.rs).
fn app(text: &str) -> App {
    let mut app = App::from_text("story.json", text).expect("the story loads");
    app.defer_communities(true);
    app.resize(1200.0, 460.0, 1200.0);
    app
}

fn record(app: &App) -> (Recorder, Recorder) {
    let mut network = Recorder::new(1200, 460);
    draw_network(&app.frame(), &mut Pen::new(&mut network, 1.0)).expect("recorded");
    let mut timeline = Recorder::new(1200, 4000);
    draw_timeline(&app.frame(), &mut Pen::new(&mut timeline, 1.0)).expect("recorded");
    (network, timeline)
}

/// Lines in the colour of co-participation ties, and the widths they were drawn with.
fn tie_lines(r: &Recorder) -> (usize, Vec<u32>) {
    let edge = (LIGHT.edge.0, LIGHT.edge.1, LIGHT.edge.2);
    let groups: Vec<_> = r
        .shapes
        .iter()
        .filter(|g| !g.paint.is_fill() && g.paint.rgb() == edge && !g.lines.is_empty())
        .collect();
    (
        groups.iter().map(|g| g.lines.len() / 4).sum(),
        groups.iter().map(|g| g.paint.width()).collect(),
    )
}

fn texts(r: &Recorder) -> Vec<&str> {
    r.texts
        .iter()
        .flat_map(|g| g.texts.iter().map(String::as_str))
        .collect()
}

#[test]
fn a_crowded_network_draws_its_strongest_ties_thinly_and_says_how_many() {
    let app = app(&castline::write::generate::generate(400, 8000, 1));
    let ties = app.graph().edges.len();
    assert!(ties > EDGE_BUDGET, "the story must be crowded: {ties} ties");
    let (network, _) = record(&app);
    let (drawn, widths) = tie_lines(&network);
    assert_eq!(drawn, EDGE_BUDGET);
    // Thousands of ties: hairlines, weight told by opacity.
    assert!(widths.iter().all(|w| *w == 1), "{widths:?}");
    let caption = format!("Showing the 6,000 strongest of {} ties", thousands(ties));
    assert!(
        texts(&network).iter().any(|t| t.starts_with(&caption)),
        "{:?}",
        texts(&network)
    );
}

#[test]
fn a_selected_hub_keeps_all_its_ties_and_its_neighbours_share_the_budget() {
    let mut app = app(&castline::write::generate::generate(400, 8000, 1));
    let degree = |a: usize| {
        app.graph()
            .edges
            .iter()
            .filter(|e| e.a == a || e.b == a)
            .count()
    };
    let hub = (0..app.story().actors.len())
        .max_by_key(|&a| degree(a))
        .expect("actors");
    let hub_ties = degree(hub);
    // The story must be one where the neighbours' ties among themselves overflow the budget.
    let near: Vec<bool> = (0..app.story().actors.len())
        .map(|a| a == hub || app.graph().neighbours[hub].contains(&a))
        .collect();
    let among = app
        .graph()
        .edges
        .iter()
        .filter(|e| near[e.a] && near[e.b])
        .count();
    assert!(
        among > EDGE_BUDGET + hub_ties,
        "{among} ties around the hub"
    );
    let id = app.story().actors[hub].id.clone();
    app.select(&[id]).expect("selected");
    let (network, _) = record(&app);
    let (drawn, _) = tie_lines(&network);
    assert!(drawn >= hub_ties, "{drawn} drawn, the hub has {hub_ties}");
    assert!(
        drawn <= EDGE_BUDGET + hub_ties,
        "{drawn} drawn: ties among the neighbours are budgeted"
    );
}

#[test]
fn a_newsroom_sized_story_draws_every_tie_and_every_mark() {
    let app = app(castline::DEFAULT_STORY);
    let (network, timeline) = record(&app);
    let (drawn, widths) = tie_lines(&network);
    assert_eq!(drawn, app.graph().edges.len());
    assert!(widths.iter().any(|w| *w > 1), "weights shown by width");
    assert!(!texts(&network).iter().any(|t| t.starts_with("Showing the")));
    assert!(
        !texts(&timeline)
            .iter()
            .any(|t| t.starts_with("many events, darker"))
    );
    // Every mark is a dot or a box of its own.
    let marks = app.timeline.marks.len();
    assert!(marks > 0);
    assert!(timeline.circle_count() + timeline.rect_count() >= marks);
}

#[test]
fn busy_lanes_become_density_strips_and_the_key_says_so() {
    let app = app(&castline::write::generate::generate(150, 4000, 1));
    let (_, timeline) = record(&app);
    let marks = app.timeline.marks.len();
    // Far fewer dots than marks: the busy lanes are shaded strips instead.
    assert!(
        timeline.circle_count() * 4 < marks,
        "{} dots for {marks} marks",
        timeline.circle_count()
    );
    // A strip needs one row, so busy lanes are short.
    assert!(
        app.timeline.lanes.iter().any(|l| l.height <= 24.0),
        "{:?}",
        app.timeline
            .lanes
            .iter()
            .map(|l| l.height)
            .collect::<Vec<_>>()
    );
    assert!(
        texts(&timeline)
            .iter()
            .any(|t| t.starts_with("many events, darker")),
        "{:?}",
        texts(&timeline)
    );
}

/// Lines in the relation colour: dashes are many short lines, solid relations one each.
fn relation_lines(r: &Recorder) -> usize {
    let relation = (LIGHT.relation.0, LIGHT.relation.1, LIGHT.relation.2);
    r.shapes
        .iter()
        .filter(|g| !g.paint.is_fill() && g.paint.rgb() == relation)
        .map(|g| g.lines.len() / 4)
        .sum()
}

#[test]
fn many_relations_are_drawn_solid_few_are_dashed() {
    let base = castline::write::generate::generate(60, 400, 1);
    let with = |count: usize| {
        let mut story: serde_json::Value = serde_json::from_str(&base).expect("JSON");
        let relations: Vec<serde_json::Value> = (0..count)
            .map(|i| serde_json::json!({"from": format!("a{}", i % 60), "to": format!("a{}", (i * 7 + 1) % 60), "label": "ally"}))
            .filter(|r| r["from"] != r["to"])
            .collect();
        let n = relations.len();
        story["relations"] = serde_json::Value::Array(relations);
        (app(&story.to_string()), n)
    };
    let (few, n_few) = with(20);
    let (network, _) = record(&few);
    // Dashed: several segments per relation.
    assert!(
        relation_lines(&network) > 3 * n_few,
        "{} lines",
        relation_lines(&network)
    );
    let (many, n_many) = with(400);
    assert!(n_many > castline::place::lod::DASHED_RELATIONS_MAX);
    let (network, _) = record(&many);
    let on_screen = relation_lines(&network);
    assert!(
        on_screen <= n_many && on_screen * 10 > n_many * 9,
        "{on_screen} of {n_many}"
    );
}

#[test]
fn nodes_a_few_pixels_across_are_drawn_as_squares() {
    let app = app(&castline::write::generate::generate(3000, 6000, 1));
    let tiny = (0..app.story().actors.len())
        .filter(|&a| app.network.radius[a] < castline::place::lod::TINY_NODE_PX)
        .count();
    assert!(tiny > 500, "{tiny} tiny nodes");
    let (network, _) = record(&app);
    let background = (LIGHT.background.0, LIGHT.background.1, LIGHT.background.2);
    let squares: usize = network
        .shapes
        .iter()
        .filter(|g| g.paint.is_fill() && g.paint.rgb() != background)
        .map(|g| g.rects.len() / 4)
        .sum();
    // Every tiny node on the canvas is one square (the caption's box is background-coloured).
    let on_canvas = (0..app.story().actors.len())
        .filter(|&a| {
            let (x, y) = (app.network.x[a], app.network.y[a]);
            app.network.radius[a] < castline::place::lod::TINY_NODE_PX
                && (0.0..=1200.0).contains(&x)
                && (0.0..=460.0).contains(&y)
        })
        .count();
    assert!(
        squares >= on_canvas && on_canvas > 0,
        "{squares} squares, {on_canvas} tiny nodes"
    );
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Everything a drawing emitted, to compare two of them.
fn fingerprint(r: &Recorder) -> String {
    format!("{:?} {:?}", r.shapes, r.texts)
}

// A big story finds the ties and lanes a paint needs a frame before it paints (`web.rs`):
// what is prepared is kept, and painting from it draws what a paint from scratch draws.
#[test]
fn a_paint_prepared_a_frame_ahead_draws_what_a_paint_from_scratch_draws() {
    use castline::view::app::Target;
    let text = castline::write::generate::generate(400, 8000, 1);
    let mut prepared = app(&text);
    for target in [Target::Network, Target::Timeline] {
        assert!(prepared.prepare(target), "the first time takes work");
        assert!(!prepared.prepare(target), "then it is kept");
    }
    let (network, timeline) = record(&prepared);
    let (network_fresh, timeline_fresh) = record(&app(&text));
    assert_eq!(fingerprint(&network), fingerprint(&network_fresh));
    assert_eq!(fingerprint(&timeline), fingerprint(&timeline_fresh));
    // A selection changes which ties and marks are drawn: both are found again.
    prepared.toggle_actor(0, false);
    assert!(prepared.prepare(Target::Network));
    assert!(prepared.prepare(Target::Timeline));
    // A paint finds and keeps them too, so nothing is left to prepare after it.
    prepared.toggle_actor(1, false);
    record(&prepared);
    assert!(!prepared.prepare(Target::Network));
    assert!(!prepared.prepare(Target::Timeline));
}

#[test]
fn zoomed_in_the_network_draws_the_ties_that_reach_the_canvas_and_no_others() {
    use castline::view::app::Target;
    let mut app = app(&castline::write::generate::generate(150, 1500, 7));
    app.zoom(Target::Network, 5.0, 600.0, 230.0);
    let (network, _) = record(&app);
    let (drawn, _) = tie_lines(&network);
    let s = &app.network;
    // draw's REACH_PX: how far beyond the canvas a wide line can still reach into it.
    let m = 12.0;
    let reaching = app
        .graph()
        .edges
        .iter()
        .filter(|e| {
            let (x0, y0, x1, y1) = (s.x[e.a], s.y[e.a], s.x[e.b], s.y[e.b]);
            !(x0.max(x1) < -m
                || y0.max(y1) < -m
                || x0.min(x1) > s.width + m
                || y0.min(y1) > s.height + m)
        })
        .count();
    assert!(reaching > 0 && reaching < app.graph().edges.len() && reaching < EDGE_BUDGET);
    assert_eq!(drawn, reaching);
}

/// Nodes drawn as shapes (circles and polygons in a fill of a group's colour), and as squares.
fn node_marks(app: &App, r: &Recorder) -> (usize, usize) {
    let colours: Vec<_> = (0..app.story().actors.len())
        .map(|a| {
            let c = app.story().actor_color(a);
            (c.0, c.1, c.2)
        })
        .collect();
    let fills = r
        .shapes
        .iter()
        .filter(|g| g.paint.is_fill() && colours.contains(&g.paint.rgb()));
    fills.fold((0, 0), |(shapes, squares), g| {
        (
            shapes + g.circles.len() / 3 + g.path_lens.len(),
            squares + g.rects.len() / 4,
        )
    })
}

/// The co-participation ties drawn, as lines moved by `dx` and rounded to 1/100 px, sorted.
fn tie_set(r: &Recorder, dx: f64) -> Vec<[i64; 4]> {
    let edge = (LIGHT.edge.0, LIGHT.edge.1, LIGHT.edge.2);
    let at = |v: f64| (v * 100.0).round() as i64;
    let mut lines: Vec<[i64; 4]> = r
        .shapes
        .iter()
        .filter(|g| !g.paint.is_fill() && g.paint.rgb() == edge)
        .flat_map(|g| g.lines.chunks(4))
        .map(|l| [at(l[0] + dx), at(l[1]), at(l[2] + dx), at(l[3])])
        .collect();
    lines.sort_unstable();
    lines
}

/// Nodes on the canvas (their centres).
fn nodes_on_canvas(app: &App) -> usize {
    let s = &app.network;
    (0..s.x.len())
        .filter(|&a| s.x[a] >= 0.0 && s.x[a] <= s.width && s.y[a] >= 0.0 && s.y[a] <= s.height)
        .count()
}

/// A crowded network zoomed in, and its picture at rest: part of it off the canvas, more
/// than `CROWDED_NODES` nodes on it, big enough for their shapes were they fewer.
fn crowded_and_zoomed_in() -> (App, Recorder) {
    let mut app = app(&castline::write::generate::generate(4000, 16000, 3));
    app.zoom(castline::view::app::Target::Network, 3.0, 600.0, 230.0);
    let (at_rest, _) = record(&app);
    let s = &app.network;
    let on_screen = nodes_on_canvas(&app);
    let big = (0..s.x.len())
        .filter(|&a| s.radius[a] >= castline::place::lod::TINY_NODE_PX)
        .count();
    assert!(
        on_screen > castline::place::lod::CROWDED_NODES && on_screen < s.x.len() && big > 100,
        "{on_screen} nodes on screen, {big} big enough for a shape"
    );
    (app, at_rest)
}

#[test]
fn a_crowded_network_draws_its_nodes_as_squares_until_zoomed_in_enough() {
    use castline::view::app::Target;
    let (mut app, at_rest) = crowded_and_zoomed_in();
    let (shapes, squares) = node_marks(&app, &at_rest);
    assert_eq!(shapes, 0, "no shapes among thousands, at rest too");
    assert!(
        squares > castline::place::lod::CROWDED_NODES,
        "{squares} squares"
    );
    // Closer in, fewer nodes on the canvas: their shapes again.
    while nodes_on_canvas(&app) > castline::place::lod::CROWDED_NODES {
        app.zoom(Target::Network, 1.5, 600.0, 230.0);
    }
    let (closer, _) = record(&app);
    let (shapes, _) = node_marks(&app, &closer);
    assert!(shapes > 100, "{shapes} shapes");
}

/// A spot right of the middle with no node under it, where a press pans the network.
fn empty_spot(app: &App) -> (f64, f64) {
    (0..60)
        .flat_map(|i| (0..23).map(move |j| (20.0 * f64::from(i), 20.0 * f64::from(j))))
        .find(|&(x, y)| x > 500.0 && app.network.hit(x, y).is_none())
        .expect("an empty spot")
}

#[test]
fn a_pan_of_a_crowded_network_draws_the_ties_of_the_press_until_the_release() {
    use castline::view::app::Target;
    let (mut app, at_rest) = crowded_and_zoomed_in();

    // A press where there is no node, then a drag of 120 px to the left.
    let (x, y) = empty_spot(&app);
    app.pointer_down(Target::Network, x, y);
    for k in 1..=8 {
        app.pointer_move(Target::Network, x - 15.0 * f64::from(k), y);
    }
    let (panning, _) = record(&app);
    // The ties chosen at the press, moved with the network.
    assert_eq!(tie_set(&panning, 0.0), tie_set(&at_rest, -120.0));

    app.pointer_up(Target::Network, x - 120.0, y, false);
    let (released, _) = record(&app);
    assert_ties_chosen_again(&mut app, &released, &tie_set(&at_rest, -120.0));
}

/// The names a view reached without a move places: `app`'s camera, from the fitted picture.
fn labels_at_rest(app: &App) -> Vec<Option<castline::place::network::Label>> {
    let (mut reference, _) = crowded_and_zoomed_in();
    let (c, r) = (app.reader.camera, reference.reader.camera);
    reference.pan(castline::view::app::Target::Network, c.x - r.x, c.y - r.y);
    assert_eq!(reference.reader.camera, app.reader.camera);
    reference.network.labels.clone()
}

fn names_placed(app: &App) -> usize {
    app.network.labels.iter().flatten().count()
}

#[test]
fn a_crowded_network_leaves_its_names_out_while_a_pan_or_a_pinch_moves_it() {
    use castline::view::app::Target;
    use castline::view::interact::{GESTURE_REST_MS, GestureRest};
    let (mut app, _) = crowded_and_zoomed_in();
    assert!(
        names_placed(&app) > 10,
        "{} names at rest",
        names_placed(&app)
    );

    // A pinch: no names while its steps come, those of the view it reached at the pause.
    for k in 0..3 {
        app.pinch(Target::Network, 1.0, 600.0, 230.0, -40.0, 0.0);
        app.settle_gesture(100.0 * f64::from(k));
        assert_eq!(names_placed(&app), 0, "step {k}");
    }
    assert_eq!(
        app.settle_gesture(200.0 + GESTURE_REST_MS),
        Some(GestureRest::Ended { network: true })
    );
    assert!(names_placed(&app) > 10);
    assert_eq!(app.network.labels, labels_at_rest(&app));

    // A pan (back to the right, where the nodes are): none while it drags, those of where it
    // ends at the release.
    let (x, y) = empty_spot(&app);
    app.pointer_down(Target::Network, x, y);
    for k in 1..=4 {
        app.pointer_move(Target::Network, x + 15.0 * f64::from(k), y);
        assert_eq!(names_placed(&app), 0, "move {k}");
    }
    app.pointer_up(Target::Network, x + 60.0, y, false);
    assert!(names_placed(&app) > 10);
    assert_eq!(app.network.labels, labels_at_rest(&app));
}

/// At rest again after a move: the ties in `rested` are not `before` (those chosen before
/// the move, where they went) but those a view reached without a move chooses.
fn assert_ties_chosen_again(app: &mut App, rested: &Recorder, before: &[[i64; 4]]) {
    let ties_now = tie_set(rested, 0.0);
    assert_ne!(ties_now, before, "chosen again where the network is now");
    app.pan(castline::view::app::Target::Network, 0.0, 0.0);
    let (reference, _) = record(app);
    assert_eq!(tie_set(&reference, 0.0), ties_now);
}

#[test]
fn a_pinch_of_a_crowded_network_draws_the_ties_from_before_until_a_pause_in_its_steps() {
    use castline::view::app::Target;
    use castline::view::interact::{GESTURE_REST_MS, GestureRest};
    let (mut app, at_rest) = crowded_and_zoomed_in();
    assert_eq!(
        app.settle_gesture(0.0),
        None,
        "no gesture, nothing to wait for"
    );

    // Two fingers moving left together, 40 px a step, a frame after each.
    for k in 0..3 {
        app.pinch(Target::Network, 1.0, 600.0, 230.0, -40.0, 0.0);
        assert_eq!(
            app.settle_gesture(100.0 * f64::from(k)),
            Some(GestureRest::Waiting)
        );
    }
    let (moving, _) = record(&app);
    assert_eq!(tie_set(&moving, 0.0), tie_set(&at_rest, -120.0));

    // A pause ends it.
    assert_eq!(
        app.settle_gesture(200.0 + GESTURE_REST_MS - 1.0),
        Some(GestureRest::Waiting)
    );
    assert_eq!(
        app.settle_gesture(200.0 + GESTURE_REST_MS),
        Some(GestureRest::Ended { network: true })
    );
    assert_eq!(app.settle_gesture(1000.0), None);
    let (rested, _) = record(&app);
    assert_ties_chosen_again(&mut app, &rested, &tie_set(&at_rest, -120.0));
}
