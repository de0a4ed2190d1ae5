//! A big story's layout run on another thread (the page's worker, `www/shell/worker.js`):
//! the viewer hands over exactly its graph (`App::lay_out_elsewhere`), takes the worker's
//! states (`App::follow_layout`) and comes to rest where the layout run here would, and takes
//! the layout back from the last state when the worker fails or the reader drags a node.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "full")]

use castline::App;
use castline::place::layout::Layout;
use castline::place::multilevel;
use castline::write::generate::generate;

fn big() -> App {
    App::from_json("big.json", &generate(900, 3000, 7)).expect("loads")
}

/// The layout's positions from `App::placement` (after its three fit numbers).
fn placed(app: &App) -> Vec<f64> {
    app.placement()[3..].to_vec()
}

/// What the worker does (`LayoutRun.fromGraph`, `work`, `state`): the viewer's graph laid out
/// coarse to fine, its state handed over every `ticks` ticks and at rest.
fn worker_states(graph: &[f64], ticks: u32) -> Vec<Vec<f64>> {
    let (radius, links) = Layout::graph_parts(graph).expect("a graph");
    let mut layout = multilevel::layout(radius, links);
    let mut states = Vec::new();
    while layout.running() {
        layout.run(ticks);
        states.push(layout.state());
    }
    states
}

#[test]
fn a_big_story_is_laid_out_elsewhere_and_comes_to_rest_where_it_would_here() {
    let mut app = big();
    app.resize(800.0, 600.0, 800.0);
    let start = placed(&app);
    let graph = app
        .lay_out_elsewhere()
        .expect("a big story without positions goes");
    assert!(app.lay_out_elsewhere().is_none(), "once");
    assert!(app.layout_running());
    assert_eq!(app.layout_state(), "running");
    assert_eq!(app.layout_progress(), 0.0);
    // The frames do not step it meanwhile.
    assert_eq!(app.step_layout_for(&mut || false), 0);
    assert_eq!(placed(&app), start);

    let states = worker_states(&graph, 25);
    assert!(states.len() > 2);
    let mut progress = 0.0;
    for (i, state) in states.iter().enumerate() {
        let last = i + 1 == states.len();
        assert_eq!(app.follow_layout(state), !last);
        assert!(app.layout_progress() >= progress, "the bar never goes back");
        progress = app.layout_progress();
        assert_eq!(
            placed(&app),
            state[3..].to_vec(),
            "placed where the worker has them"
        );
    }
    assert!(!app.layout_running());
    assert_eq!(app.layout_state(), "settled");
    assert_eq!(app.layout_progress(), 1.0);
    assert!(!app.follow_layout(&states[0]), "nothing taken once at rest");

    // The same story laid out here, on the frames, rests in the very same places.
    let mut here = big();
    while here.step_layout(100) {}
    assert_eq!(placed(&here), placed(&app));
}

#[test]
fn small_stories_and_stories_with_positions_stay_here() {
    // The worker lays out coarse to fine: past the plain layout's size.
    assert_eq!(
        castline::view::app::LAY_OUT_ELSEWHERE_PAST,
        multilevel::PLAIN_MAX
    );
    let mut small = App::from_json("small.json", &generate(300, 1000, 7)).expect("loads");
    assert!(small.lay_out_elsewhere().is_none());
    let mut story = castline::read::json::load_json("big.json", &generate(900, 3000, 7))
        .expect("loads")
        .story;
    castline::view::fixed::settle(&mut story);
    let mut placed_story = App::new(story, Vec::new());
    assert!(placed_story.lay_out_elsewhere().is_none());
    // Nor once the layout has moved here.
    let mut moved = big();
    moved.step_layout(1);
    assert!(moved.lay_out_elsewhere().is_none());
}

#[test]
fn a_state_of_another_graph_is_refused() {
    let mut app = big();
    let graph = app.lay_out_elsewhere().expect("goes");
    let states = worker_states(&graph, 10);
    let before = placed(&app);
    let mut state = states[0].clone();
    state.pop();
    assert!(
        !app.follow_layout(&state),
        "refused, and the layout taken back"
    );
    assert!(!app.layout_elsewhere());
    assert_eq!(placed(&app), before, "nothing moved");
    assert!(app.layout_running(), "the frames lay it out now");
    let mut app = big();
    app.lay_out_elsewhere().expect("goes");
    state.push(f64::NAN);
    assert!(!app.follow_layout(&state), "a NaN refused");
    let mut app = big();
    app.lay_out_elsewhere().expect("goes");
    assert!(!app.follow_layout(&[]), "the worker failed");
    assert!(!app.layout_elsewhere());
    assert!(Layout::graph_parts(&[2.0, 1.0]).is_none(), "radii missing");
    assert!(
        Layout::graph_parts(&[2.0, 1.0, 1.0, 0.0, 2.0, 70.0, 1.0]).is_none(),
        "no node 2"
    );
    assert!(
        Layout::graph_parts(&[2.0, 1.0, 1.0, 0.0, 1.0, 70.0]).is_none(),
        "a link cut short"
    );
    let (radius, links) = Layout::graph_parts(&[2.0, 1.0, 1.0, 0.0, 1.0, 70.0, 2.0]).expect("ok");
    assert_eq!((radius.len(), links.len(), links[0].weight), (2, 1, 2.0));
}

#[test]
fn taken_back_midway_the_layout_runs_on_here_from_the_last_state() {
    let mut app = big();
    let graph = app.lay_out_elsewhere().expect("goes");
    let states = worker_states(&graph, 20);
    // The first state may still be the coarse levels': the actors' own level runs here next.
    assert!(app.follow_layout(&states[0]));
    let last = placed(&app);
    app.take_layout_back();
    assert!(app.layout_running(), "still warm");
    assert!(app.step_layout(1), "steps here now");
    assert_ne!(placed(&app), last);
    let mut ticks = 0;
    while app.step_layout(10) {
        ticks += 10;
    }
    assert!(
        ticks <= 300,
        "from the worker's heat, not from the start: {ticks} ticks"
    );
    assert!(
        !app.follow_layout(&states[1]),
        "the worker's states are no longer taken"
    );
}

#[test]
fn dragging_a_node_takes_the_layout_back() {
    use castline::view::app::Target;
    let mut app = big();
    app.resize(800.0, 600.0, 800.0);
    let graph = app.lay_out_elsewhere().expect("goes");
    let states = worker_states(&graph, 40);
    assert!(app.follow_layout(&states[0]));
    let id = app.fixed.story.actors[0].id.clone();
    let (x, y) = app.actor_position(&id).expect("drawn");
    app.pointer_down(Target::Network, x, y);
    app.pointer_move(Target::Network, x + 30.0, y + 20.0);
    assert!(!app.layout_elsewhere(), "the drag runs the layout here");
    assert!(app.layout_running());
    assert!(!app.follow_layout(&states[1]));
}
