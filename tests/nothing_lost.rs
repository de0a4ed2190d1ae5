//! Nothing is lost in silence: over generated inputs in every format, with good and bad
//! records mixed (bad or impossible dates, unknown and duplicate ids, empty names, wrong types,
//! rows with too many cells, HTML and script payloads), every input record ends up either in
//! the story or named by an error, never both and never neither.
//!
//! The accounting, precisely:
//! - An input record is one element of a JSON list (`events[3]`, `actors[0]`, `eras[1]`) or one
//!   CSV row under the header (`row 5` of a given file). Rows whose cells are all blank are
//!   spreadsheet padding, not records. Groups, sources and actors that CSV and TimelineJS
//!   create from names in cells are derived, not input records.
//! - Each generated record carries a unique marker in its title, name or label (`T3`, `N0`,
//!   `L2`), so "in the story" means: the story has an event, actor, source or relation with
//!   that marker (an event title may continue after it: `T3 and more`, for TimelineJS slides
//!   whose title comes from their text), or, for a TimelineJS title slide, the story's title
//!   is the marker.
//! - "Named by an error" means: an error-severity diagnostic of the record's file whose
//!   location is the record's name (`events[3]`, `row 5`), possibly followed by its id or a
//!   field (`events[3] "e1", field "date"`), or is `whole file`.
//! - Every error names some record, or the header or top level of a file: no error is about
//!   nothing.
//!
//! A second property: converting any loaded story to Castline JSON and reading it back gives
//! the same story, with no diagnostics.
#![cfg(not(target_arch = "wasm32"))]
// Needs the importers and the server of the `full` feature (the default).
#![cfg(feature = "full")]

use castline::read::csv::load_csv_set;
use castline::read::detect::load_any;
use castline::read::json::load_json;
use castline::read::load::{Diagnostic, Loaded, Severity};
use castline::story::dates::When;
use castline::story::model::Story;
use castline::write::json::{to_edtf, to_json};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Event,
    Actor,
    Source,
    Relation,
    /// A TimelineJS row: an event, or the title slide.
    Slide,
}

#[derive(Debug, Clone)]
struct Expect {
    file: String,
    at: String,
    marker: String,
    kind: Kind,
}

fn expect(file: &str, at: String, marker: String, kind: Kind) -> Expect {
    Expect {
        file: file.to_owned(),
        at,
        marker,
        kind,
    }
}

fn present(story: &Story, e: &Expect) -> bool {
    let titled = |t: &str| t == e.marker || t.starts_with(&format!("{} ", e.marker));
    match e.kind {
        Kind::Event => story.events.iter().any(|x| titled(&x.title)),
        Kind::Slide => story.events.iter().any(|x| titled(&x.title)) || story.title == e.marker,
        Kind::Actor => story.actors.iter().any(|x| x.name == e.marker),
        Kind::Source => story.sources.iter().any(|x| x.name == e.marker),
        Kind::Relation => story.relations.iter().any(|x| x.label == e.marker),
    }
}

fn names(location: &str, at: &str) -> bool {
    location == at
        || location.starts_with(&format!("{at} "))
        || location.starts_with(&format!("{at},"))
}

/// The accounting described at the top of this file.
fn account(
    expects: &[Expect],
    outcome: Result<Loaded, Vec<Diagnostic>>,
) -> Result<Option<Story>, TestCaseError> {
    let (story, diagnostics) = match outcome {
        Ok(l) => (Some(l.story), l.diagnostics),
        Err(d) => (None, d),
    };
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let shown = || {
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    for e in expects {
        let is_present = story.as_ref().is_some_and(|s| present(s, e));
        let is_named = errors
            .iter()
            .any(|d| d.file == e.file && (d.location == "whole file" || names(&d.location, &e.at)));
        prop_assert!(
            is_present != is_named,
            "{e:?}: in the story: {is_present}, named by an error: {is_named}\n{}",
            shown()
        );
    }
    for d in &errors {
        let about_a_record = expects
            .iter()
            .any(|e| e.file == d.file && names(&d.location, &e.at));
        let about_the_file = d.location == "whole file"
            || d.location.starts_with("header")
            || d.location.starts_with("field \"");
        prop_assert!(
            about_a_record || about_the_file,
            "an error about no record: {d}\n{}",
            shown()
        );
    }
    Ok(story)
}

/// Converting to Castline JSON and back changes nothing.
fn round_trips(story: &Story) -> Result<(), TestCaseError> {
    let text = to_json(story).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let again = load_json("converted.json", &text)
        .map_err(|e| TestCaseError::fail(format!("{e:#?}\n{text}")))?;
    prop_assert!(
        again.diagnostics.is_empty(),
        "{:#?}\n{text}",
        again.diagnostics
    );
    prop_assert_eq!(&again.story, story);
    Ok(())
}

/// Text for free-text fields: plain, or payloads that must come through as they are.
fn payload() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z ]{0,12}",
        1 => Just("<script>alert(1)</script>".to_owned()),
        1 => Just("<img src=x onerror=alert(1)>".to_owned()),
        1 => Just("a, \"b\"; c\nd".to_owned()),
        1 => Just("Ünïcödé – “quotes” &amp; &lt;b&gt;".to_owned()),
    ]
}

/// One generated record, as indices into the pools below; `quality` 0–6 is good, 7 an empty
/// name, 8 a wrong type, 9 a structural fault (a missing field, a cell too many, not an
/// object).
#[derive(Debug, Clone)]
struct Gen {
    id: usize,
    quality: usize,
    refs: Vec<usize>,
    date: usize,
    pick: usize,
    text: String,
}

fn gens(max: usize) -> impl Strategy<Value = Vec<Gen>> {
    prop::collection::vec(
        (
            0..6usize,
            0..10usize,
            prop::collection::vec(0..7usize, 0..3),
            0..DATES.len(),
            0..6usize,
            payload(),
        )
            .prop_map(|(id, quality, refs, date, pick, text)| Gen {
                id,
                quality,
                refs,
                date,
                pick,
                text,
            }),
        0..max,
    )
}

const DATES: [&str; 12] = [
    "2025",
    "2025-10",
    "2025-11-18",
    "2025-10-24~/2025-10-26~",
    "../2025-11",
    "2025-11-18T14:30Z",
    "2025-11?",
    "2025-02-30",
    "18 Nov 2025",
    "",
    "2025-13",
    "2025-11-20/2025-11-18",
];
const ACTOR_IDS: [&str; 6] = ["a", "b", "c", "d", "a", ""];
const ACTOR_REFS: [&str; 7] = ["a", "b", "c", "d", "zz", "bb", "a"];
const SOURCE_IDS: [&str; 6] = ["wsj", "ap", "wsj", "bbc", "ft", ""];
const SOURCE_REFS: [&str; 7] = ["wsj", "ap", "bbc", "ft", "wjs", "nope", "ap"];
const EVENT_IDS: [&str; 6] = ["e1", "e2", "e3", "e1", "e4", ""];

/// A text field: the marker when good, else empty, a number, or missing.
fn field(obj: &mut serde_json::Map<String, Value>, key: &str, marker: String, quality: usize) {
    match quality {
        7 => {
            obj.insert(key.into(), json!(""));
        }
        8 => {
            obj.insert(key.into(), json!(42));
        }
        9 => {}
        _ => {
            obj.insert(key.into(), json!(marker));
        }
    }
}

fn castline_json(
    actors: &[Gen],
    sources: &[Gen],
    events: &[Gen],
    relations: &[Gen],
) -> (String, Vec<Expect>) {
    let file = "story.json";
    let mut expects = Vec::new();
    let mut list = |name: &str, gens: &[Gen], kind: Kind, letter: char, ids: &[&str]| {
        gens.iter()
            .enumerate()
            .map(|(i, g)| {
                let marker = format!("{letter}{i}");
                expects.push(expect(file, format!("{name}[{i}]"), marker.clone(), kind));
                let mut obj = serde_json::Map::new();
                obj.insert("id".into(), json!(ids[g.id]));
                let key = if kind == Kind::Event { "title" } else { "name" };
                field(&mut obj, key, marker, g.quality);
                obj.insert("description".into(), json!(g.text));
                if kind == Kind::Event {
                    obj.insert("date".into(), json!(DATES[g.date]));
                    let refs: Vec<&str> = g.refs.iter().map(|&r| ACTOR_REFS[r]).collect();
                    obj.insert("actors".into(), json!(refs));
                    let cited = SOURCE_REFS[g.pick];
                    obj.insert(
                        "sources".into(),
                        json!([{ "source": cited, "quote": g.text }]),
                    );
                }
                Value::Object(obj)
            })
            .collect::<Vec<_>>()
    };
    let actors = list("actors", actors, Kind::Actor, 'N', &ACTOR_IDS);
    let sources = list("sources", sources, Kind::Source, 'S', &SOURCE_IDS);
    let events = list("events", events, Kind::Event, 'T', &EVENT_IDS);
    let relations: Vec<Value> = relations
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let marker = format!("L{i}");
            expects.push(expect(
                file,
                format!("relations[{i}]"),
                marker.clone(),
                Kind::Relation,
            ));
            let mut obj = serde_json::Map::new();
            obj.insert(
                "from".into(),
                json!(ACTOR_REFS[g.refs.first().copied().unwrap_or(0)]),
            );
            obj.insert("to".into(), json!(ACTOR_REFS[g.pick]));
            field(&mut obj, "label", marker, g.quality);
            obj.insert("date".into(), json!(DATES[g.date]));
            Value::Object(obj)
        })
        .collect();
    let story = json!({
        "format": "castline/1",
        "title": "Generated",
        "actors": actors,
        "sources": sources,
        "events": events,
        "relations": relations,
    });
    (story.to_string(), expects)
}

/// Writes rows as CSV (quoting what needs it); rows may be longer than the header.
fn csv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let ok =
        writer.write_record(header).is_ok() && rows.iter().all(|r| writer.write_record(r).is_ok());
    assert!(ok, "writing CSV to memory");
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Appends the records of a sheet, skipping rows that are entirely blank (not records).
fn sheet(
    file: &str,
    header: &[&str],
    rows: Vec<(Vec<String>, String, Kind)>,
    expects: &mut Vec<Expect>,
) -> String {
    let mut cells = Vec::new();
    for (i, (row, marker, kind)) in rows.into_iter().enumerate() {
        if row.iter().any(|c| !c.trim().is_empty()) {
            expects.push(expect(file, format!("row {}", i + 2), marker, kind));
        }
        cells.push(row);
    }
    csv_text(header, &cells)
}

fn marker_or_empty(marker: &str, g: &Gen) -> String {
    if g.quality == 7 {
        String::new()
    } else {
        marker.to_owned()
    }
}

/// A cell too many for quality 9: the row must be reported, not read shifted.
fn ragged(mut row: Vec<String>, g: &Gen) -> Vec<String> {
    if g.quality == 9 {
        row.push("surplus".into());
    }
    row
}

const CSV_ACTOR_REFS: [&str; 7] = ["a", "b", "Ann", "bob", "Cy", "zz", "ANN"];

fn castline_csv(
    actors: &[Gen],
    events: &[Gen],
    relations: &[Gen],
) -> (Vec<(String, String)>, Vec<Expect>) {
    let mut expects = Vec::new();
    let actor_rows = actors
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let marker = format!("N{i}");
            let row = vec![
                ACTOR_IDS[g.id].to_owned(),
                marker_or_empty(&marker, g),
                ["", "Team A", "team a", "Team B", "", ""][g.pick].to_owned(),
                [
                    "",
                    "https://example.org/a",
                    "javascript:alert(1)",
                    "",
                    "",
                    "",
                ][g.date % 6]
                    .to_owned(),
            ];
            (ragged(row, g), marker, Kind::Actor)
        })
        .collect();
    let event_rows = events
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let marker = format!("T{i}");
            let refs: Vec<&str> = g.refs.iter().map(|&r| CSV_ACTOR_REFS[r]).collect();
            let row = vec![
                EVENT_IDS[g.id].to_owned(),
                marker_or_empty(&marker, g),
                DATES[g.date].to_owned(),
                refs.join("; "),
                ["", "WSJ", "wsj", "AP", "", ""][g.pick].to_owned(),
                g.text.clone(),
            ];
            (ragged(row, g), marker, Kind::Event)
        })
        .collect();
    let relation_rows = relations
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let marker = format!("L{i}");
            let from = g.refs.first().map_or("", |&r| CSV_ACTOR_REFS[r]);
            let row = vec![
                from.to_owned(),
                CSV_ACTOR_REFS[g.pick].to_owned(),
                marker_or_empty(&marker, g),
                DATES[g.date].to_owned(),
            ];
            (ragged(row, g), marker, Kind::Relation)
        })
        .collect();
    let files = vec![
        (
            "events.csv".to_owned(),
            sheet(
                "events.csv",
                &["id", "Title", "DATE", "actors", "source", "description"],
                event_rows,
                &mut expects,
            ),
        ),
        (
            "actors.csv".to_owned(),
            sheet(
                "actors.csv",
                &["id", "name", "group", "url"],
                actor_rows,
                &mut expects,
            ),
        ),
        (
            "relations.csv".to_owned(),
            sheet(
                "relations.csv",
                &["from", "to", "label", "date"],
                relation_rows,
                &mut expects,
            ),
        ),
    ];
    (files, expects)
}

const YEARS: [&str; 6] = ["2020", "1999", "abc", "", "-44", "2021"];
const MONTHS: [&str; 6] = ["", "5", "13", "02", "", "12"];
const DAYS: [&str; 6] = ["", "30", "31", "1", "", "29"];
const END_YEARS: [&str; 6] = ["", "", "2021", "1990", "", "2020"];
const TYPES: [&str; 7] = ["", "", "", "era", "title", "bogus", ""];
const GROUPS: [&str; 6] = ["", "Lane A", "lane a", "Lane B", "", ""];
const UNIQUE_IDS: [&str; 6] = ["u1", "u2", "", "", "u1", ""];
const CREDITS: [&str; 6] = ["", "AP", "<a href=\"https://x.org\">X</a>", "", "ap", ""];

/// Headline and text of a slide: the marker as headline, or (quality 7) no headline and the
/// marker at the start of the text, which then gives the title.
fn slide_text(marker: &str, g: &Gen) -> (String, String) {
    if g.quality == 7 {
        if g.pick.is_multiple_of(2) {
            (String::new(), format!("<p>{marker} <b>and</b> more</p>"))
        } else {
            (String::new(), String::new())
        }
    } else {
        (marker.to_owned(), g.text.clone())
    }
}

fn timelinejs_csv(slides: &[Gen]) -> (String, Vec<Expect>) {
    let mut expects = Vec::new();
    let rows = slides
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let marker = format!("T{i}");
            let (headline, text) = slide_text(&marker, g);
            let kind = TYPES[g.refs.len() * 2 + g.refs.first().copied().unwrap_or(0) % 2];
            // A title slide always has its marker as headline, so the story's title names it.
            let headline = if kind == "title" {
                marker.clone()
            } else {
                headline
            };
            let row = vec![
                YEARS[g.date % 6].to_owned(),
                MONTHS[g.id].to_owned(),
                DAYS[g.pick].to_owned(),
                END_YEARS[(g.date + g.id) % 6].to_owned(),
                headline,
                text,
                kind.to_owned(),
                GROUPS[g.id].to_owned(),
                CREDITS[g.pick].to_owned(),
                CSV_ACTOR_REFS[g.date % 7].to_owned(),
            ];
            (ragged(row, g), marker, Kind::Slide)
        })
        .collect();
    let text = sheet(
        "timeline.csv",
        &[
            "Year",
            "Month",
            "Day",
            "End Year",
            "Headline",
            "Text",
            "Type",
            "Group",
            "Media Credit",
            "Actors",
        ],
        rows,
        &mut expects,
    );
    (text, expects)
}

/// A date field as TimelineJS JSON may write it: text, a number, or (quality 8) a list.
fn json_part(text: &str, g: &Gen) -> Value {
    if g.quality == 8 {
        json!([text])
    } else if let (Ok(n), true) = (text.parse::<i64>(), g.pick.is_multiple_of(2)) {
        json!(n)
    } else {
        json!(text)
    }
}

fn timelinejs_json(events: &[Gen], eras: &[Gen]) -> (String, Vec<Expect>) {
    let file = "timeline.json";
    let mut expects = Vec::new();
    let mut list = |name: &str, letter: char, gens: &[Gen]| -> Vec<Value> {
        gens.iter()
            .enumerate()
            .map(|(i, g)| {
                let marker = format!("{letter}{i}");
                expects.push(expect(
                    file,
                    format!("{name}[{i}]"),
                    marker.clone(),
                    Kind::Slide,
                ));
                if g.quality == 9 {
                    return json!("not an object");
                }
                let (headline, text) = slide_text(&marker, g);
                let mut obj = json!({
                    "start_date": {
                        "year": json_part(YEARS[g.date % 6], g),
                        "month": json_part(MONTHS[g.id], g),
                        "day": DAYS[g.pick],
                    },
                    "text": { "headline": headline, "text": text },
                    "group": GROUPS[g.id],
                    "media": { "credit": CREDITS[g.pick] },
                    "unique_id": UNIQUE_IDS[g.id],
                });
                let end = END_YEARS[(g.date + g.id) % 6];
                if !end.is_empty() {
                    obj["end_date"] = json!({ "year": end });
                }
                obj
            })
            .collect()
    };
    let events = list("events", 'T', events);
    let eras = list("eras", 'R', eras);
    let text = json!({
        "title": { "text": { "headline": "Generated", "text": "<p>About</p>" } },
        "events": events,
        "eras": eras,
    })
    .to_string();
    (text, expects)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn castline_json_loses_nothing(
        actors in gens(8),
        sources in gens(5),
        events in gens(12),
        relations in gens(6),
    ) {
        let (text, expects) = castline_json(&actors, &sources, &events, &relations);
        let outcome = load_any("story.json", &text);
        if let Some(story) = account(&expects, outcome)? {
            round_trips(&story)?;
        }
    }

    #[test]
    fn castline_csv_loses_nothing(
        actors in gens(8),
        events in gens(12),
        relations in gens(6),
    ) {
        let (files, expects) = castline_csv(&actors, &events, &relations);
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        let outcome = load_csv_set(&refs);
        if let Some(story) = account(&expects, outcome)? {
            round_trips(&story)?;
        }
    }

    #[test]
    fn timelinejs_csv_loses_nothing(slides in gens(14)) {
        let (text, expects) = timelinejs_csv(&slides);
        let outcome = load_any("timeline.csv", &text);
        if let Some(story) = account(&expects, outcome)? {
            round_trips(&story)?;
        }
    }

    #[test]
    fn timelinejs_json_loses_nothing(events in gens(12), eras in gens(4)) {
        let (text, expects) = timelinejs_json(&events, &eras);
        let outcome = load_any("timeline.json", &text);
        if let Some(story) = account(&expects, outcome)? {
            round_trips(&story)?;
        }
    }

    /// Dates written back by `convert` read as the very same date.
    #[test]
    fn dates_round_trip(
        year in -2000i32..3000,
        month in 1u8..=12,
        day in 1u8..=28,
        shape in 0usize..8,
        length in 0i64..4000,
        qualifier in prop::sample::select(vec!["", "~", "?", "%"]),
    ) {
        let y = if year < 0 { format!("-{:04}", -year) } else { format!("{year:04}") };
        let d = format!("{y}-{month:02}-{day:02}");
        let start = When::parse(&d).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let end = castline::story::dates::iso(start.start_secs + length * castline::story::dates::DAY_SECS);
        let end = end.get(..end.len().min(10)).unwrap_or("");
        let text = match shape {
            0 => format!("{y}{qualifier}"),
            1 => format!("{y}-{month:02}{qualifier}"),
            2 => format!("{d}{qualifier}"),
            3 => format!("{d}{qualifier}/{end}{qualifier}"),
            4 => format!("{y}-{month:02}/{}", &end[..7.min(end.len())]),
            5 => format!("../{d}"),
            6 => format!("{d}/.."),
            _ => format!("{d}T{:02}:{:02}Z", length % 24, length % 60),
        };
        if let Ok(w) = When::parse(&text) {
            let written = to_edtf(&w);
            prop_assert_eq!(When::parse(&written), Ok(w), "{} was written as {}", text, written);
        }
    }
}
