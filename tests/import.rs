//! TimelineJS files load whole: every slide is an event, dated at the precision the file gives,
//! with HTML turned into text and links kept.
//!
//! Each check runs on two sets of files. The project's own, in `tests/fixtures/timelinejs/`
//! (see its README), always. The real TimelineJS sample files in
//! `../shared/fixtures/timelinejs/`, beside the crate's directory as on CI, when they are there:
//! a lone clone has no `../shared`, and then those tests say on stderr that they were skipped
//! and pass. The files are counted here with the csv crate and serde_json directly, not through
//! the importer, so a slide the importer drops is noticed.
#![cfg(not(target_arch = "wasm32"))]
// The importers come with the `full` feature (the default).
#![cfg(feature = "full")]

use std::io::Write;
use std::sync::Once;

use castline::read::csv::read_csv_set;
use castline::read::detect::{Format, detect, load_any};
use castline::read::load::{Loaded, Report};
use castline::story::dates::{Precision, When};
use castline::story::model::{Event, Story};

/// One set of TimelineJS files (one timeline as CSV and as JSON, and a CSV of parser edge
/// cases) and what they must give.
struct Fixtures {
    /// The folder, ending in `/`.
    dir: &'static str,
    /// The timeline as a TimelineJS sheet (CSV).
    csv: &'static str,
    /// The same timeline as TimelineJS JSON.
    json: &'static str,
    /// Slides other than the title, as counted in the CSV.
    slides: usize,
    /// The first words of the title slide's text, the story's summary.
    summary_start: &'static str,
    /// Single dates: headline, the same date as EDTF, its precision.
    dates: &'static [(&'static str, &'static str, Precision)],
    /// Ranges: headline, start and end as EDTF, the precision (that of the coarser end).
    ranges: &'static [(&'static str, &'static str, &'static str, Precision)],
    /// Descriptions: headline, how it starts, what else it contains.
    texts: &'static [(&'static str, &'static str, &'static [&'static str])],
    /// Citations: headline, source name, the source's own link, the citation's link.
    citations: &'static [(
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
    )],
    /// Groups: headline, the actors it names (its group first).
    groups: &'static [(&'static str, &'static [&'static str])],
    /// Headlines of the eras, the only events tagged `era`.
    eras: &'static [&'static str],
    /// Headlines with non-ASCII letters.
    non_ascii: &'static [&'static str],
    parser: ParserEdges,
}

/// A CSV that is not a story, read as an events sheet for its quoting and line counting.
struct ParserEdges {
    file: &'static str,
    /// Each row: title, description, the line it starts on.
    rows: &'static [(&'static str, &'static str, usize)],
    /// The one warning about the column Castline does not know.
    unknown_column: &'static str,
}

/// The project's own files: a made-up harbour history written for these tests.
const OWN: Fixtures = Fixtures {
    dir: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/timelinejs/"),
    csv: "harbour.csv",
    json: "harbour.json",
    slides: 9,
    summary_start: "A made-up history of a small fishing harbour",
    dates: &[
        ("A storm closes the harbour", "1882-01-17", Precision::Day),
        (
            "The first steamer calls",
            "1885-06-02T14:30:00Z",
            Precision::Time,
        ),
        (
            "Åse Brøndum becomes harbour master",
            "1912",
            Precision::Year,
        ),
        ("The ferry to Holmø begins", "1952-05", Precision::Month),
    ],
    ranges: &[
        (
            "The breakwater is built",
            "1871-04-03",
            "1874-10-29",
            Precision::Day,
        ),
        (
            "Herring boats crowd the basin",
            "1896-08",
            "1903",
            Precision::Year,
        ),
        ("The fish auction hall", "1934", "1938", Precision::Year),
        ("The herring years", "1890", "1910", Precision::Year),
    ],
    texts: &[
        (
            "The breakwater is built",
            "The town's first stone breakwater was laid by the council's engineer, Jens Holm \
             (https://example.org/saelvik/people/jens-holm), with granite",
            &[
                "the Kvarn quarry (https://example.org/saelvik/places/kvarn-quarry). It took \
                 three summers & cost twice the estimate.",
                "This slide shows a plain \"image\" media type.",
            ],
        ),
        (
            "A storm closes the harbour",
            "Not one boat left the harbour for nine days, and the sea",
            &["Harbour log, January 1882"],
        ),
        (
            "Herring boats crowd the basin",
            "In good seasons more than two hundred boats",
            &["the Sælvik Tidende printed", "salting sheds. It stays"],
        ),
        (
            "The first steamer calls",
            "The coastal steamer \"Ørnen\" tied up at the new quay on its way north – the first",
            &["its coordinates hold commas"],
        ),
        (
            "Åse Brøndum becomes harbour master",
            "Åse Brøndum, a skipper’s daughter from Holmø,",
            &["twenty-six years…"],
        ),
    ],
    citations: &[
        (
            "The breakwater is built",
            "Sælvik Town Archive",
            None,
            Some("https://example.org/saelvik/breakwater-1874.jpg"),
        ),
        (
            "The inner basin is dredged",
            "Sælvik Town Archive",
            None,
            Some("https://example.org/saelvik/dredger.jpg"),
        ),
        (
            "Herring boats crowd the basin",
            "Coastal Film Archive",
            Some("https://film.example.org/coastal-archive"),
            Some("https://video.example.org/watch?v=saelvik-1903"),
        ),
        (
            "The first steamer calls",
            "maps.example.org",
            None,
            Some("https://maps.example.org/place/Saelvik+Harbour/@57.431,10.532,15z"),
        ),
    ],
    groups: &[
        ("The breakwater is built", &["Town council"]),
        ("A storm closes the harbour", &["Harbour office"]),
        ("The fish auction hall", &["Fishermen's cooperative"]),
        ("The ferry to Holmø begins", &["Holmø Ferry Company"]),
        ("The herring years", &[]),
    ],
    eras: &["The herring years"],
    non_ascii: &[
        "Åse Brøndum becomes harbour master",
        "The ferry to Holmø begins",
    ],
    parser: ParserEdges {
        file: "parser_edges.csv",
        rows: &[
            (
                "the quay, rebuilt",
                "commas, \"doubled quotes\",  two spaces and \na new line, all in one cell",
                2,
            ),
            ("a plain row", "nothing odd here", 4),
            ("Ærø \"Nord\" ferry", "ø, æ and å in a quoted cell", 5),
            (
                "two breaks",
                "first line\n\nthird line, after an empty one",
                6,
            ),
        ],
        unknown_column: "parser_edges.csv:1:2: warning: header, field \"weight\": unknown column \
                         (its cells are ignored)",
    },
};

/// The real files from the TimelineJS project ("Women in Computing"), read-only, beside this
/// crate's directory.
const SHARED: Fixtures = Fixtures {
    dir: concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fixtures/timelinejs/"
    ),
    csv: "women_in_computing.csv",
    json: "women_in_computing.json",
    slides: 10,
    summary_start: "In this sample timeline",
    dates: &[
        ("Rózsa Péter writes recursion", "1951", Precision::Year),
        (
            "Edith Clarke: Bucking the Trend",
            "1948-03-14",
            Precision::Day,
        ),
    ],
    ranges: &[
        ("Ada Lovelace", "1815-12-10", "1852-11-27", Precision::Day),
        // Starts with July 1943, ends with the year 1946.
        (
            "...And the women who made it work",
            "1943-07",
            "1946",
            Precision::Year,
        ),
        (
            "Contributions to space exploration",
            "1956",
            "1962",
            Precision::Year,
        ),
    ],
    texts: &[
        (
            "Ada Lovelace",
            "Women have been programming since before it was a thing. Take Ada Lovelace \
             (https://en.wikipedia.org/wiki/Ada_Lovelace): Daughter of Lord Byron",
            &[
                "Charles Babbage's Analytical Engine (https://en.wikipedia.org/wiki/Analytical_Engine)",
                "This slide demonstrates a simple \"image\" media type.",
            ],
        ),
        // The blockquote media is kept as text.
        (
            "Edith Clarke: Bucking the Trend",
            "There is no demand for women engineers",
            &[],
        ),
    ],
    citations: &[
        (
            "...And the women who made it work",
            "Computer History Museum",
            Some("https://www.youtube.com/channel/UCHDr4RtxwA1KqKGwxgdK4Vg"),
            Some("https://www.youtube.com/watch?v=aPweFhhXFvY"),
        ),
        (
            "Ada Lovelace",
            "Wikimedia Commons",
            None,
            Some(
                "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a4/Ada_Lovelace_portrait.jpg/713px-Ada_Lovelace_portrait.jpg",
            ),
        ),
    ],
    groups: &[],
    eras: &[],
    non_ascii: &[
        "Karen Spärck Jones makes search possible",
        "Rózsa Péter writes recursion",
    ],
    parser: ParserEdges {
        file: "parser_test.csv",
        rows: &[
            (
                "a good day",
                "let's just pile it  all in here,  commas, \"quoted strings\" and \nnew lines!",
                2,
            ),
            ("an ok day", "this is less ambitious", 4),
            ("a day, i guess", "what else could go wrong?", 5),
        ],
        unknown_column: "parser_test.csv:1:2: warning: header, field \"count\": unknown column \
                         (its cells are ignored)",
    },
};

/// The shared files when they are there; otherwise `None`, after saying so once.
fn shared() -> Option<&'static Fixtures> {
    static SKIPPED: Once = Once::new();
    if std::path::Path::new(SHARED.dir).is_dir() {
        return Some(&SHARED);
    }
    // Straight to stderr: the test harness keeps `eprintln!` of passing tests to itself.
    SKIPPED.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: ../shared/fixtures/timelinejs/ is absent (a lone clone); the real \
             TimelineJS files were not checked"
        );
    });
    None
}

impl Fixtures {
    fn read(&self, name: &str) -> String {
        let path = format!("{}{name}", self.dir);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read the fixture {path}: {e}"))
    }

    fn load(&self, name: &str) -> Loaded {
        match load_any(name, &self.read(name)) {
            Ok(loaded) => loaded,
            Err(e) => panic!("{name} does not load: {e:#?}"),
        }
    }
}

/// The title and the headlines of the other slides (eras too) in a TimelineJS CSV, read
/// independently.
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

/// The title and the headlines of the events and eras in a TimelineJS JSON, read independently.
fn json_headlines(text: &str) -> (String, Vec<String>) {
    let json: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let headline = |e: &serde_json::Value| e["text"]["headline"].as_str().unwrap_or("").to_owned();
    let events = json["events"].as_array().expect("events");
    let eras = json["eras"].as_array().map_or(&[][..], Vec::as_slice);
    let title = json["title"]["text"]["headline"].as_str().expect("title");
    (
        title.to_owned(),
        events.iter().chain(eras).map(headline).collect(),
    )
}

fn event<'a>(story: &'a Story, title: &str) -> &'a Event {
    story
        .events
        .iter()
        .find(|e| e.title == title)
        .unwrap_or_else(|| panic!("no event titled {title:?}"))
}

fn span(text: &str) -> (i64, i64) {
    let w = When::parse(text).unwrap_or_else(|e| panic!("{text} is not a date: {e:?}"));
    (w.start_secs, w.end_secs)
}

/// What both forms of a set's timeline must give.
fn check_timeline(set: &Fixtures, loaded: &Loaded, title: &str, headlines: &[String]) {
    // Images without alt text are warned about (issue 19 §3), and these files give none.
    let problems: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| !d.message.starts_with("the image has no alt text"))
        .collect();
    assert!(
        problems.is_empty(),
        "the timeline loads without another problem: {problems:#?}"
    );
    let story = &loaded.story;
    assert_eq!(story.title, title);
    assert!(
        story
            .summary
            .as_deref()
            .is_some_and(|s| s.starts_with(set.summary_start) && !s.contains('<')),
        "{:?}",
        story.summary
    );
    assert_eq!(
        story.events.len(),
        headlines.len(),
        "every slide is an event"
    );
    for headline in headlines {
        event(story, headline.trim());
    }

    // Year only, year and month, day, time: each keeps its precision.
    for &(title, edtf, precision) in set.dates {
        let e = event(story, title);
        assert!(!e.when.interval, "{title}");
        assert_eq!(e.when.precision, precision, "{title}");
        assert_eq!((e.when.start_secs, e.when.end_secs), span(edtf), "{title}");
    }
    // Ranges run from the start as given to the end as given, as precise as the coarser end.
    for &(title, start, end, precision) in set.ranges {
        let e = event(story, title);
        assert!(e.when.interval, "{title}");
        assert_eq!(e.when.precision, precision, "{title}");
        assert_eq!(
            (e.when.start_secs, e.when.end_secs),
            (span(start).0, span(end).1),
            "{title} runs from {start} to {end}"
        );
    }

    // HTML is gone, text and links stay.
    for e in &story.events {
        let text = format!("{} {}", e.title, e.description.as_deref().unwrap_or(""));
        assert!(
            !text.contains('<') && !text.contains("&quot;") && !text.contains("&amp;"),
            "markup left in {text:?}"
        );
    }
    for &(title, start, parts) in set.texts {
        let text = event(story, title).description.as_deref().unwrap_or("");
        assert!(text.starts_with(start), "{title}: {text:?}");
        for part in parts {
            assert!(text.contains(part), "{title}: {part:?} not in {text:?}");
        }
    }

    // Media credits are sources; the credit's own link is the source's link, the media link
    // the citation's.
    for &(title, name, source_url, url) in set.citations {
        let e = event(story, title);
        assert_eq!(e.sources.len(), 1, "{title}");
        let source = &story.sources[e.sources[0].source];
        assert_eq!(
            (source.name.as_str(), source.url.as_deref()),
            (name, source_url),
            "{title}"
        );
        assert_eq!(e.sources[0].url.as_deref(), url, "{title}");
    }

    // Each group is an actor.
    for &(title, actors) in set.groups {
        let names: Vec<&str> = event(story, title)
            .actors
            .iter()
            .map(|&a| story.actors[a].name.as_str())
            .collect();
        assert_eq!(names, actors, "{title}");
    }

    // Eras are events tagged `era`, and nothing else is.
    let eras: Vec<&str> = story
        .events
        .iter()
        .filter(|e| e.tags.iter().any(|t| t == "era"))
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(eras, set.eras);

    for title in set.non_ascii {
        assert!(!title.is_ascii());
        event(story, title);
    }
}

fn check_csv(set: &Fixtures) {
    let text = set.read(set.csv);
    assert_eq!(detect(&text), Format::TimelineJsCsv);
    let (title, headlines) = csv_headlines(&text);
    assert_eq!(headlines.len(), set.slides);
    check_timeline(set, &set.load(set.csv), &title, &headlines);
}

fn check_json(set: &Fixtures) {
    let text = set.read(set.json);
    assert_eq!(detect(&text), Format::TimelineJsJson);
    let (title, headlines) = json_headlines(&text);
    assert_eq!(headlines.len(), set.slides);
    check_timeline(set, &set.load(set.json), &title, &headlines);
}

fn check_same_dates(set: &Fixtures) {
    let csv = set.load(set.csv).story;
    let json = set.load(set.json).story;
    let dates = |s: &Story| -> Vec<(String, When)> {
        s.events.iter().map(|e| (e.title.clone(), e.when)).collect()
    };
    assert_eq!(dates(&csv), dates(&json));
}

fn check_parser_edges(set: &Fixtures) {
    // The parser-edge CSV is not a story (it has no dates); read its rows as an events sheet.
    let edges = &set.parser;
    let text = set.read(edges.file);
    let mut report = Report::new(edges.file);
    let raw = read_csv_set(&[(edges.file, &text)], &mut report).expect("reads");
    let rows: Vec<(&str, &str, usize)> = raw
        .events
        .iter()
        .map(|e| {
            (
                e.record.title.as_str(),
                e.record.description.as_deref().unwrap_or(""),
                e.origin.line.expect("a line"),
            )
        })
        .collect();
    // Line numbers: a quoted new line moves later rows down.
    assert_eq!(rows, edges.rows);
    // The column unknown to Castline is said so, once.
    let unknown: Vec<String> = report
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("unknown column"))
        .collect();
    assert_eq!(unknown, [edges.unknown_column]);
}

#[test]
fn timelinejs_csv_loads_every_slide() {
    check_csv(&OWN);
}

#[test]
fn timelinejs_json_loads_every_event() {
    check_json(&OWN);
}

#[test]
fn both_forms_give_the_same_dates() {
    check_same_dates(&OWN);
}

#[test]
fn quoted_commas_doubled_quotes_and_new_lines_parse() {
    check_parser_edges(&OWN);
}

#[test]
fn shared_timelinejs_csv_loads_every_slide() {
    if let Some(set) = shared() {
        check_csv(set);
    }
}

#[test]
fn shared_timelinejs_json_loads_every_event() {
    if let Some(set) = shared() {
        check_json(set);
    }
}

#[test]
fn shared_both_forms_give_the_same_dates() {
    if let Some(set) = shared() {
        check_same_dates(set);
    }
}

#[test]
fn shared_quoted_commas_doubled_quotes_and_new_lines_parse() {
    if let Some(set) = shared() {
        check_parser_edges(set);
    }
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
                "templates/steps.csv",
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
        // The steps sheet and the TimelineJS examples' title slides and eras.
        let steps = if files[0].starts_with("examples/harbour") {
            0
        } else {
            2
        };
        assert_eq!(loaded.story.steps.len(), steps, "{files:?}");
    }
}
