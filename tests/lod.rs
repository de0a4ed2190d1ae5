//! Level of detail: a crowded picture keeps its strongest ties and shades busy lanes, and says
//! so; a newsroom-sized story is drawn element by element. Checked on what the drawing code
//! emits, through the recording backend.
#![cfg(feature = "full")]

use castline::App;
use castline::draw::{LIGHT, Pen, draw_network, draw_timeline};
use castline::lod::EDGE_BUDGET;
use castline::record::Recorder;

fn app(text: &str) -> App {
    let mut app = App::from_text("story.json", text).expect("the story loads");
    app.resize(1200.0, 460.0, 1200.0);
    app
}

fn record(app: &App) -> (Recorder, Recorder) {
    let mut network = Recorder::new(1200, 460);
    draw_network(app, &mut Pen::new(&mut network, 1.0)).expect("recorded");
    let mut timeline = Recorder::new(1200, 4000);
    draw_timeline(app, &mut Pen::new(&mut timeline, 1.0)).expect("recorded");
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
    let app = app(&castline::generate::generate(400, 8000, 1));
    let ties = app.graph.edges.len();
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
fn a_newsroom_sized_story_draws_every_tie_and_every_mark() {
    let app = app(castline::DEFAULT_STORY);
    let (network, timeline) = record(&app);
    let (drawn, widths) = tie_lines(&network);
    assert_eq!(drawn, app.graph.edges.len());
    assert!(widths.iter().any(|w| *w > 1), "weights shown by width");
    assert!(!texts(&network).iter().any(|t| t.starts_with("Showing the")));
    assert!(
        !texts(&timeline)
            .iter()
            .any(|t| t.starts_with("Shaded strips"))
    );
    // Every mark is a dot or a box of its own.
    let marks = app.timeline.marks.len();
    assert!(marks > 0);
    assert!(timeline.circle_count() + timeline.rect_count() >= marks);
}

#[test]
fn busy_lanes_become_density_strips_and_the_key_says_so() {
    let app = app(&castline::generate::generate(150, 4000, 1));
    let (_, timeline) = record(&app);
    let marks = app.timeline.marks.len();
    // Far fewer dots than marks: the busy lanes are shaded strips instead.
    assert!(
        timeline.circle_count() * 4 < marks,
        "{} dots for {marks} marks",
        timeline.circle_count()
    );
    assert!(
        texts(&timeline)
            .iter()
            .any(|t| t.starts_with("Shaded strips")),
        "{:?}",
        texts(&timeline)
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
