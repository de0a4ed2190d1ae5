//! The real TimelineJS files in `../shared/fixtures/timelinejs/` load whole: every slide is an
//! event, dated at the precision the file gives, with HTML turned into text and links kept.
//! The fixtures are counted here with the csv crate and serde_json directly, not through the
//! importer, so a slide the importer drops is noticed.
#![cfg(not(target_arch = "wasm32"))]
// The importers come with the `full` feature (the default).
#![cfg(feature = "full")]

use castline::read::csv::read_csv_set;
use castline::read::detect::{Format, detect, load_any};
use castline::read::load::{Loaded, Report};
use castline::story::dates::{Precision, When};
use castline::story::model::Story;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/fixtures/timelinejs/"
);

fn fixture(name: &str) -> String {
    let path = format!("{FIXTURES}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the shared fixture {path}: {e}. The TimelineJS fixtures live in \
             shared/fixtures/timelinejs/ beside this crate's directory (as on CI); check it out \
             there to run these tests."
        )
    })
}

fn load(name: &str) -> Loaded {
    let text = fixture(name);
    match load_any(name, &text) {
        Ok(loaded) => loaded,
        Err(e) => panic!("{name} does not load: {e:#?}"),
    }
}

/// Headlines of the slides in the CSV that are not the title slide, read independently.
fn csv_headlines(text: &str) -> (String, Vec<String>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let (headline, kind) = (col("Headline"), col("Type"));
    let mut title = String::new();
    let mut slides = Vec::new();
    for record in reader.records() {
        let record = record.expect("a record");
        if &record[kind] == "title" {
            title = record[headline].to_owned();
        } else {
            slides.push(record[headline].to_owned());
        }
    }
    (title, slides)
}

fn event<'a>(story: &'a Story, title: &str) -> &'a castline::story::model::Event {
    story
        .events
        .iter()
        .find(|e| e.title == title)
        .unwrap_or_else(|| panic!("no event titled {title:?}"))
}

fn span(text: &str) -> (i64, i64) {
    let w = When::parse(text).expect("a date");
    (w.start_secs, w.end_secs)
}

/// What both forms of "Women in Computing" must give.
fn check_women_in_computing(loaded: &Loaded, title: &str, headlines: &[String]) {
    assert!(
        loaded.diagnostics.is_empty(),
        "the sample loads without a single problem: {:#?}",
        loaded.diagnostics
    );
    let story = &loaded.story;
    assert_eq!(story.title, title);
    assert!(
        story
            .summary
            .as_deref()
            .is_some_and(|s| s.starts_with("In this sample timeline") && !s.contains('<'))
    );
    assert_eq!(
        story.events.len(),
        headlines.len(),
        "every slide is an event"
    );
    for headline in headlines {
        event(story, headline.trim());
    }

    // Year only, year and month, day: each keeps its precision.
    let year = event(story, "Rózsa Péter writes recursion");
    assert_eq!(year.when.precision, Precision::Year);
    assert!(!year.when.interval);
    assert_eq!((year.when.start_secs, year.when.end_secs), span("1951"));
    let day = event(story, "Edith Clarke: Bucking the Trend");
    assert_eq!(day.when.precision, Precision::Day);
    assert_eq!((day.when.start_secs, day.when.end_secs), span("1948-03-14"));

    // Ranges run from the start as given to the end as given.
    let ada = event(story, "Ada Lovelace");
    assert!(ada.when.interval);
    assert_eq!(ada.when.precision, Precision::Day);
    assert_eq!(
        (ada.when.start_secs, ada.when.end_secs),
        span("1815-12-10/1852-11-27")
    );
    let eniac = event(story, "...And the women who made it work");
    assert!(eniac.when.interval);
    assert_eq!(
        eniac.when.start_secs,
        span("1943-07").0,
        "starts with July 1943"
    );
    assert_eq!(
        eniac.when.end_secs,
        span("1946").1,
        "ends with the year 1946"
    );
    assert_eq!(
        eniac.when.precision,
        Precision::Year,
        "as precise as its coarser end"
    );
    let space = event(story, "Contributions to space exploration");
    assert_eq!(
        (
            space.when.start_secs,
            space.when.end_secs,
            space.when.precision
        ),
        (span("1956").0, span("1962").1, Precision::Year)
    );

    // HTML is gone, text and links stay.
    for e in &story.events {
        let text = format!("{} {}", e.title, e.description.as_deref().unwrap_or(""));
        assert!(
            !text.contains('<') && !text.contains("&quot;") && !text.contains("&amp;"),
            "markup left in {text:?}"
        );
    }
    let ada_text = ada.description.as_deref().unwrap_or("");
    assert!(
        ada_text.starts_with("Women have been programming since before it was a thing. Take Ada Lovelace (https://en.wikipedia.org/wiki/Ada_Lovelace): Daughter of Lord Byron"),
        "{ada_text}"
    );
    assert!(ada_text.contains(
        "Charles Babbage's Analytical Engine (https://en.wikipedia.org/wiki/Analytical_Engine)"
    ));
    assert!(ada_text.contains("This slide demonstrates a simple \"image\" media type."));
    let quote = day.description.as_deref().unwrap_or("");
    assert!(
        quote.starts_with("There is no demand for women engineers"),
        "the blockquote media is kept as text: {quote:?}"
    );

    // Media credits are sources; the credit's own link is the source's link.
    let museum = &story.sources[eniac.sources[0].source];
    assert_eq!(museum.name, "Computer History Museum");
    assert_eq!(
        museum.url.as_deref(),
        Some("https://www.youtube.com/channel/UCHDr4RtxwA1KqKGwxgdK4Vg")
    );
    assert_eq!(
        eniac.sources[0].url.as_deref(),
        Some("https://www.youtube.com/watch?v=aPweFhhXFvY")
    );
    assert_eq!(
        story.sources[ada.sources[0].source].name,
        "Wikimedia Commons"
    );
    assert!(
        story
            .events
            .iter()
            .any(|e| e.title == "Karen Spärck Jones makes search possible"),
        "non-ASCII text survives"
    );
}

#[test]
fn timelinejs_csv_loads_every_slide() {
    let text = fixture("women_in_computing.csv");
    assert_eq!(detect(&text), Format::TimelineJsCsv);
    let (title, headlines) = csv_headlines(&text);
    assert_eq!(headlines.len(), 10);
    check_women_in_computing(&load("women_in_computing.csv"), &title, &headlines);
}

#[test]
fn timelinejs_json_loads_every_event() {
    let text = fixture("women_in_computing.json");
    assert_eq!(detect(&text), Format::TimelineJsJson);
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let events = json["events"].as_array().expect("events");
    let headlines: Vec<String> = events
        .iter()
        .map(|e| e["text"]["headline"].as_str().unwrap_or("").to_owned())
        .collect();
    let title = json["title"]["text"]["headline"].as_str().expect("title");
    check_women_in_computing(&load("women_in_computing.json"), title, &headlines);
}

#[test]
fn both_forms_give_the_same_dates() {
    let csv = load("women_in_computing.csv").story;
    let json = load("women_in_computing.json").story;
    let dates = |s: &Story| -> Vec<(String, When)> {
        s.events.iter().map(|e| (e.title.clone(), e.when)).collect()
    };
    assert_eq!(dates(&csv), dates(&json));
}

#[test]
fn quoted_commas_doubled_quotes_and_new_lines_parse() {
    // parser_test.csv is not a story (it has no dates); read its rows as an events sheet.
    let text = fixture("parser_test.csv");
    let mut report = Report::new("parser_test.csv");
    let raw = read_csv_set(&[("parser_test.csv", &text)], &mut report).expect("reads");
    let titles: Vec<&str> = raw.events.iter().map(|e| e.record.title.as_str()).collect();
    assert_eq!(titles, ["a good day", "an ok day", "a day, i guess"]);
    assert_eq!(
        raw.events[0].record.description.as_deref(),
        Some("let's just pile it  all in here,  commas, \"quoted strings\" and \nnew lines!")
    );
    let lines: Vec<Option<usize>> = raw.events.iter().map(|e| e.origin.line).collect();
    assert_eq!(
        lines,
        [Some(2), Some(4), Some(5)],
        "a quoted new line moves later rows down"
    );
    // The `count` column is unknown to Castline and said so, once.
    let unknown: Vec<String> = report
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("unknown column"))
        .collect();
    assert_eq!(
        unknown,
        [
            "parser_test.csv:1:2: warning: header, field \"count\": unknown column (its cells are ignored)"
        ]
    );
}

/// The templates and examples in `data/` are what people copy: they must load cleanly.
#[test]
fn templates_and_examples_load_without_a_single_diagnostic() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/data/");
    let read = |name: &str| {
        std::fs::read_to_string(format!("{root}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    for (files, events, actors) in [
        (
            &[
                "templates/events.csv",
                "templates/actors.csv",
                "templates/relations.csv",
            ][..],
            3,
            3,
        ),
        (
            &[
                "examples/harbour/events.csv",
                "examples/harbour/actors.csv",
                "examples/harbour/relations.csv",
            ],
            6,
            7,
        ),
        (&["examples/bridge-timelinejs.csv"], 5, 4),
        (&["examples/bridge-timelinejs.json"], 4, 4),
    ] {
        let texts: Vec<(String, String)> =
            files.iter().map(|f| ((*f).to_owned(), read(f))).collect();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let loaded = castline::read::detect::load_files(&refs).unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(
            loaded.diagnostics.is_empty(),
            "{files:?}: {:#?}",
            loaded.diagnostics
        );
        assert_eq!(
            (loaded.story.events.len(), loaded.story.actors.len()),
            (events, actors),
            "{files:?}"
        );
    }
}
