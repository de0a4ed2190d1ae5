//! The default story: loaded whole, dated as the article dates it, sourced, laid out readably,
//! filtered by actor, and rendered to SVG by the same drawing code as the page.
#![cfg(not(target_arch = "wasm32"))]

use castline::draw::render::render_svg;
use castline::place::network::Rect;
use castline::story::dates::{Precision, When};
use castline::view::app::App;
use castline::{DEFAULT_STORY, DEFAULT_STORY_FILE};

fn app() -> App {
    match App::from_json(DEFAULT_STORY_FILE, DEFAULT_STORY) {
        Ok(app) => app,
        Err(e) => panic!("the default story does not load: {e:?}"),
    }
}

fn when(app: &App, id: &str) -> When {
    let i = app
        .story
        .event_index(id)
        .unwrap_or_else(|| panic!("no event {id}"));
    app.story.events[i].when
}

fn day(text: &str) -> i64 {
    When::parse(text).unwrap().start_secs
}

#[test]
fn loads_with_no_diagnostics_at_all() {
    let app = app();
    assert!(app.diagnostics.is_empty(), "{:#?}", app.diagnostics);
    assert_eq!(app.story.published.as_deref(), Some("2025-11-25"));
}

#[test]
fn has_the_actors_the_article_names() {
    let app = app();
    for name in [
        "Steve Witkoff",
        "Jared Kushner",
        "Donald Trump",
        "Kirill Dmitriev",
        "Vladimir Putin",
        "Marco Rubio",
        "Volodymyr Zelensky",
        "Rustem Umerov",
        "Mohammed bin Salman",
        "Congressional lawmakers",
        "The Wall Street Journal",
        "Axios",
        "The Post",
    ] {
        assert!(
            app.story.actors.iter().any(|a| a.name == name),
            "missing {name}"
        );
    }
    // Every actor is coloured by a group.
    assert!(app.story.actors.iter().all(|a| a.group.is_some()));
}

#[test]
fn dates_carry_the_precision_the_article_gives() {
    let app = app();
    let drafting = when(&app, "drafting-begins");
    assert_eq!(
        (drafting.precision, drafting.approximate),
        (Precision::Month, false)
    );
    assert_eq!(
        (drafting.start_secs, drafting.end_secs),
        (day("2025-10-01"), day("2025-11-01"))
    );

    let tasked = when(&app, "trump-tasks-officials");
    assert_eq!(tasked.precision, Precision::Month);
    assert!(tasked.approximate);

    let miami = when(&app, "miami-talks");
    assert!(miami.interval && miami.approximate);
    assert_eq!(
        (miami.start_secs, miami.end_secs),
        (day("2025-10-24"), day("2025-10-27"))
    );

    for id in ["zelensky-calls", "umerov-miami"] {
        let w = when(&app, id);
        assert!(
            w.uncertain && w.interval,
            "{id} should be an uncertain span"
        );
        assert!(w.start_secs >= day("2025-10-01") && w.end_secs <= day("2025-12-01"));
    }
    for id in ["axios-report", "rubio-full-scope"] {
        let w = when(&app, id);
        assert!(w.is_point() && !w.uncertain && !w.approximate);
        assert_eq!(w.start_secs, day("2025-11-18"));
    }
    // "last week" against publication on Tuesday 25 Nov 2025: Monday 17 to Sunday 23 Nov.
    for id in ["rubio-handed-copy", "plan-leaks"] {
        let w = when(&app, id);
        assert_eq!(
            (w.start_secs, w.end_secs),
            (day("2025-11-17"), day("2025-11-24")),
            "{id}"
        );
    }
    let geneva = when(&app, "rubio-geneva");
    assert_eq!(
        (geneva.start_secs, geneva.end_secs),
        (day("2025-11-22"), day("2025-11-24"))
    );
    assert_eq!(when(&app, "living-document").start_secs, day("2025-11-23"));
    assert_eq!(when(&app, "wsj-report").start_secs, day("2025-11-24"));
    assert!(when(&app, "cut-to-19-points").end_secs <= day("2025-11-26"));
}

#[test]
fn every_event_and_relation_is_sourced_with_a_quote_from_the_article() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/story/source-article.txt"
    );
    let article = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the source article should be at {path}: {e}"));
    let app = app();
    let citations = app
        .story
        .events
        .iter()
        .map(|e| (e.id.as_str(), &e.sources))
        .chain(
            app.story
                .relations
                .iter()
                .map(|r| (r.label.as_str(), &r.sources)),
        );
    for (what, sources) in citations {
        assert!(!sources.is_empty(), "{what} has no source");
        for c in sources {
            let quote = c
                .quote
                .as_deref()
                .unwrap_or_else(|| panic!("{what} cites without a quote"));
            assert!(
                article.contains(quote),
                "{what}: quote not in the article: {quote}"
            );
        }
    }
    for e in &app.story.events {
        let text = e.date_text.as_deref().unwrap_or("");
        assert!(
            text.is_empty() || article.contains(text),
            "{}: date text not in the article",
            e.id
        );
    }
}

#[test]
fn layout_is_deterministic() {
    let (mut a, mut b) = (app(), app());
    a.resize(600.0, 460.0, 600.0);
    b.resize(600.0, 460.0, 600.0);
    assert_eq!(a.network.x, b.network.x);
    assert_eq!(a.network.y, b.network.y);
    assert!(!a.layout_running());
}

fn label_rects(app: &App) -> Vec<(String, Rect)> {
    let names = app.story.actors.iter().map(|a| a.name.clone());
    let mut out: Vec<(String, Rect)> = names
        .zip(&app.network.labels)
        .filter_map(|(n, l)| l.map(|l| (n, l.rect)))
        .collect();
    for (r, l) in app.story.relations.iter().zip(&app.network.relation_labels) {
        if let Some(l) = l {
            out.push((r.label.clone(), l.rect));
        }
    }
    out
}

#[test]
fn every_label_is_readable_on_desktop_and_phone() {
    for (w, h) in [(620.0, 460.0), (520.0, 420.0), (343.0, 340.0)] {
        let mut app = app();
        app.resize(w, h, w);
        let n = app.story.actors.len();
        assert_eq!(
            app.network.labels.iter().flatten().count(),
            n,
            "{w}x{h}: every actor labelled"
        );
        let rects = label_rects(&app);
        for (i, (na, a)) in rects.iter().enumerate() {
            assert!(
                a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= w && a.y + a.h <= h,
                "{w}x{h}: {na} off canvas"
            );
            for (nb, b) in &rects[i + 1..] {
                assert!(!a.intersects(b), "{w}x{h}: label {na} overlaps {nb}");
            }
            for k in 0..n {
                let (x, y, r) = (app.network.x[k], app.network.y[k], app.network.radius[k]);
                assert!(
                    !a.touches_circle(x, y, r),
                    "{w}x{h}: label {na} covers {}",
                    app.story.actors[k].name
                );
            }
        }
        // Nodes do not sit on each other either.
        for i in 0..n {
            for j in (i + 1)..n {
                let d = (app.network.x[i] - app.network.x[j])
                    .hypot(app.network.y[i] - app.network.y[j]);
                assert!(
                    d > app.network.radius[i] + app.network.radius[j],
                    "{w}x{h}: nodes {i} and {j} overlap"
                );
            }
        }
    }
}

#[test]
fn selecting_an_actor_shows_only_its_events() {
    let mut app = app();
    app.resize(600.0, 460.0, 600.0);
    let all: Vec<String> = app.story.events.iter().map(|e| e.id.clone()).collect();
    assert_eq!(app.state().visible_events, all);

    app.select(&["dmitriev".to_owned()]).unwrap();
    let d = app.story.actor_index("dmitriev").unwrap();
    let expected: Vec<String> = app
        .story
        .events
        .iter()
        .filter(|e| e.actors.contains(&d))
        .map(|e| e.id.clone())
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.len());
    let state = app.state();
    assert_eq!(state.visible_events, expected);
    assert_eq!(state.selected_actors, ["dmitriev"]);
    // Dmitriev's neighbours are emphasised, the rest dimmed.
    let witkoff = app.story.actor_index("witkoff").unwrap();
    let mbs = app.story.actor_index("mbs").unwrap();
    assert!(app.derived.highlighted[witkoff] && !app.derived.highlighted[mbs]);

    // Clicking the actor's node toggles it off again.
    let (x, y) = app.actor_position("dmitriev").unwrap();
    assert!(app.click(castline::view::app::Target::Network, x, y, false));
    assert_eq!(app.state().visible_events, all);
    assert!(app.click(castline::view::app::Target::Network, x, y, false));
    assert_eq!(app.state().selected_actors, ["dmitriev"]);
    app.clear();
    assert_eq!(app.state().visible_events, all);
    assert!(app.select(&["nobody".to_owned()]).is_err());
}

#[test]
fn a_time_window_keeps_the_events_that_overlap_it() {
    let mut app = app();
    app.set_time_window(Some("2025-11-22"), Some("2025-11-23"))
        .unwrap();
    let state = app.state();
    assert_eq!(
        state.time_window,
        Some(["2025-11-22".to_owned(), "2025-11-23".to_owned()])
    );
    for id in ["rubio-geneva", "living-document", "plan-leaks"] {
        assert!(
            state.visible_events.iter().any(|e| e == id),
            "{id} should be visible"
        );
    }
    for id in ["axios-report", "wsj-report", "drafting-begins"] {
        assert!(
            !state.visible_events.iter().any(|e| e == id),
            "{id} should be hidden"
        );
    }
    assert!(state.visible_actors.iter().any(|a| a == "rubio"));
    // Trump's only event is in October; Dmitriev's demands are dated only "Oct–Nov?".
    assert!(!state.visible_actors.iter().any(|a| a == "trump"));
    assert!(state.visible_actors.iter().any(|a| a == "dmitriev"));
    assert!(
        app.set_time_window(Some("2025-11-30"), Some("2025-11-01"))
            .is_err()
    );
    app.set_time_window(None, None).unwrap();
    assert_eq!(app.state().time_window, None);
}

#[test]
fn clicking_an_event_on_the_time_axis_focuses_it() {
    let mut app = app();
    app.resize(700.0, 460.0, 700.0);
    let e = app.story.event_index("axios-report").unwrap();
    let mark = *app.timeline.marks.iter().find(|m| m.event == e).unwrap();
    assert!(app.click(
        castline::view::app::Target::Timeline,
        mark.x0,
        mark.y,
        false
    ));
    assert_eq!(app.state().focused_event.as_deref(), Some("axios-report"));
    let axios = app.story.actor_index("axios").unwrap();
    assert!(app.derived.highlighted[axios]);
    let tip = app
        .pointer_move(castline::view::app::Target::Timeline, mark.x0, mark.y)
        .unwrap();
    assert!(
        tip.text.contains("Axios reports") && tip.text.contains("18 Nov 2025"),
        "{}",
        tip.text
    );
}

#[test]
fn svg_render_contains_every_actor_and_the_axis() {
    let mut app = app();
    let svg = render_svg(&mut app, 900.0).unwrap();
    assert!(svg.starts_with("<svg"));
    let texts = svg_texts(&svg);
    for a in &app.story.actors {
        assert!(
            texts.contains(&a.name.as_str()),
            "{} missing from the SVG: {texts:?}",
            a.name
        );
    }
    // Every lane of the time axis is named, shortened with an ellipsis where it must be.
    assert_eq!(app.timeline.lanes.len(), 12);
    for lane in &app.timeline.lanes {
        assert!(texts.contains(&lane.label.as_str()), "lane {}", lane.label);
    }
    assert!(texts.contains(&"son-in-law"));
    for t in &app.timeline.ticks {
        assert!(texts.contains(&t.label.as_str()), "tick {}", t.label);
    }
    assert!(app.timeline.ticks.len() >= 3);
}

/// The text content of every `<text>` element.
fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim()))
        .collect()
}
