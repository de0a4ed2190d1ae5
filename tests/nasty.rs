//! A corpus of nasty inputs (`tests/nasty/`, plus huge and deep ones made here): truncated
//! files, wrong encodings, byte-order marks, CRLF, huge fields, deep nesting, and script
//! payloads in every text field. Nothing panics or hangs; each gives the story it holds or a
//! clear diagnostic. Files are read as bytes and decoded as the command line does.
#![cfg(not(target_arch = "wasm32"))]
// The importers come with the `full` feature (the default).
#![cfg(feature = "full")]

use std::time::{Duration, Instant};

use castline::read::detect::{decode, load_any, load_files};
use castline::read::load::{Diagnostic, Loaded, MAX_INPUT_BYTES, Severity};
use castline::story::model::Story;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/nasty/");
const PAYLOAD: &str = "<script>alert(1)</script><img src=x onerror=alert(1)>";

/// What a file must give.
enum Outcome {
    /// Loads, with this many events and errors; every listed text appears in a diagnostic.
    Loads(usize, usize, &'static [&'static str]),
    /// Nothing can be read; the one error says this.
    Refused(&'static str),
    /// Not text in a Unicode encoding: refused before reading, saying this.
    NotUnicode(&'static str),
}

const CASES: &[(&str, Outcome)] = &[
    (
        "truncated.json",
        Outcome::Refused("the file ends too early: is it cut off?"),
    ),
    (
        "truncated.csv",
        Outcome::Loads(
            0,
            1,
            &["truncated.csv:2:18: error: row 2: a quoted cell starts here and is never closed"],
        ),
    ),
    (
        "truncated_timeline.csv",
        Outcome::Loads(
            2,
            0,
            &[
                "truncated_timeline.csv:3:1: warning: row 3: this row has 4 cells but the header names 5 columns",
            ],
        ),
    ),
    (
        "truncated_timeline.json",
        Outcome::Refused("the file ends too early"),
    ),
    (
        "latin1.csv",
        Outcome::NotUnicode("latin1.csv:2:4: error: whole file: byte 21 (0xE9) is not UTF-8"),
    ),
    ("utf16.csv", Outcome::Loads(1, 0, &[])),
    (
        "bom_crlf.csv",
        Outcome::Loads(2, 1, &["bom_crlf.csv:5:2: error: row 4, field \"date\""]),
    ),
    ("bom.json", Outcome::Loads(1, 0, &[])),
    ("empty.csv", Outcome::Refused("the file is empty")),
    ("blank.json", Outcome::Refused("the file is empty")),
    ("header_only.csv", Outcome::Loads(0, 0, &[])),
    (
        "not_a_story.csv",
        Outcome::Refused("cannot tell which sheet this is"),
    ),
    (
        "nul_bytes.csv",
        Outcome::Loads(
            1,
            1,
            &["nul_bytes.csv:3:2: error: row 3, field \"date\": the date is empty"],
        ),
    ),
    ("semicolons.csv", Outcome::Loads(1, 0, &[])),
    ("not_json.json", Outcome::Refused("this is not valid JSON")),
    (
        "payloads.json",
        Outcome::Loads(
            1,
            0,
            &[
                "actors[0] \"a\", field \"url\": the link \"javascript:alert(1)\" was dropped",
                "actors[1] \"b\", field \"url\": the link \"data:text/html,<script>alert(1)</script>\" was dropped",
                "events[0] \"e\", field \"sources[0]\": the link \"vbscript:msgbox\" was dropped",
            ],
        ),
    ),
    ("payloads_events.csv", Outcome::Loads(1, 0, &[])),
    (
        "payloads_actors.csv",
        Outcome::Loads(
            0,
            0,
            &[
                "payloads_actors.csv:2:6: warning: row 2, field \"url\": the link \"javascript:alert(1)\" was dropped",
                "payloads_actors.csv:3:6: warning: row 3, field \"url\": the link \"data:text/html;base64\" was dropped",
            ],
        ),
    ),
    ("payloads_relations.csv", Outcome::Loads(0, 0, &[])),
    (
        "payloads_timeline.csv",
        Outcome::Loads(
            1,
            0,
            &[
                "row 3, field \"Text\": 1 link(s) that were not http:// or https:// were dropped",
                "row 3, field \"Media\": the link \"javascript:alert(1)\" was dropped",
            ],
        ),
    ),
    (
        "payloads_timeline.json",
        Outcome::Loads(
            1,
            0,
            &["events[0], field \"media.url\": the link \"javascript:alert(1)\" was dropped"],
        ),
    ),
];

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn shown(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_file_in_the_corpus_is_checked() {
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .expect("tests/nasty exists")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    for file in &files {
        assert!(
            CASES.iter().any(|(name, _)| name == file),
            "tests/nasty/{file} has no expected outcome in tests/nasty.rs"
        );
    }
}

#[test]
fn each_file_gives_its_story_or_a_clear_diagnostic() {
    for (name, outcome) in CASES {
        let bytes = read(name);
        let text = match (decode(name, &bytes), outcome) {
            (Err(d), Outcome::NotUnicode(expected)) => {
                assert!(d.to_string().starts_with(expected), "{name}: {d}");
                continue;
            }
            (Err(d), _) => panic!("{name} does not decode: {d}"),
            (Ok(_), Outcome::NotUnicode(_)) => panic!("{name} decodes but should not"),
            (Ok(text), _) => text,
        };
        match (load_any(name, &text), outcome) {
            (Ok(loaded), Outcome::Loads(events, errors, expected)) => {
                let all = shown(&loaded.diagnostics);
                assert_eq!(loaded.story.events.len(), *events, "{name}:\n{all}");
                assert_eq!(loaded.errors().count(), *errors, "{name}:\n{all}");
                for e in *expected {
                    assert!(all.contains(e), "{name}: no {e:?} in\n{all}");
                }
            }
            (Err(diagnostics), Outcome::Refused(expected)) => {
                let all = shown(&diagnostics);
                assert!(
                    diagnostics.iter().all(|d| d.severity == Severity::Error)
                        && all.contains(expected),
                    "{name}: {all}"
                );
            }
            (Ok(loaded), _) => panic!("{name} loaded: {}", shown(&loaded.diagnostics)),
            (Err(d), _) => panic!("{name} was refused: {}", shown(&d)),
        }
    }
}

/// Every text a reader can see in a story.
fn texts(story: &Story) -> Vec<String> {
    let mut out = vec![story.title.clone()];
    out.extend(story.summary.clone());
    out.extend(story.credit.clone());
    out.extend(story.groups.iter().map(|g| g.name.clone()));
    for a in &story.actors {
        out.push(a.name.clone());
        out.extend(a.role.clone());
        out.extend(a.description.clone());
    }
    out.extend(story.sources.iter().map(|s| s.name.clone()));
    for e in &story.events {
        out.push(e.title.clone());
        out.extend(e.date_text.clone());
        out.extend(e.description.clone());
        out.extend(e.tags.clone());
        out.extend(e.sources.iter().filter_map(|c| c.quote.clone()));
    }
    for r in &story.relations {
        out.push(r.label.clone());
        out.extend(r.sources.iter().filter_map(|c| c.quote.clone()));
    }
    out
}

fn load_named(names: &[&str]) -> Loaded {
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            let text = decode(n, &read(n)).unwrap_or_else(|d| panic!("{d}"));
            ((*n).to_owned(), text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    load_files(&refs).unwrap_or_else(|d| panic!("{}", shown(&d)))
}

#[test]
fn castline_formats_keep_payloads_as_literal_text() {
    let json = load_named(&["payloads.json"]);
    let csv = load_named(&[
        "payloads_events.csv",
        "payloads_actors.csv",
        "payloads_relations.csv",
    ]);
    for loaded in [&json, &csv] {
        let all = shown(&loaded.diagnostics);
        assert_eq!(loaded.errors().count(), 0, "{all}");
        let story = &loaded.story;
        let texts = texts(story);
        // Every text field was written as the payload followed by its name; each comes
        // through whole, never stripped.
        for field in [
            "actor a",
            "actor b",
            "role",
            "actor description",
            "group",
            "source",
            "event",
            "date text",
            "event description",
            "quote",
            "tag",
            "label",
            "relation quote",
        ] {
            let expected = format!("{PAYLOAD} {field}");
            assert!(
                texts.contains(&expected),
                "{expected:?} missing from {texts:#?}"
            );
        }
        // Only http(s) links survive.
        assert!(story.actors.iter().all(|a| a.url.is_none()));
        assert!(story.events[0].sources.iter().all(|c| c.url.is_none()));
    }
    for field in ["title", "summary", "credit"] {
        assert!(texts(&json.story).contains(&format!("{PAYLOAD} {field}")));
    }
}

#[test]
fn timelinejs_payloads_are_removed_as_markup() {
    for name in ["payloads_timeline.csv", "payloads_timeline.json"] {
        let loaded = load_named(&[name]);
        let story = &loaded.story;
        for text in texts(story) {
            assert!(
                !text.contains('<') && !text.contains("alert") && !text.contains("onerror"),
                "{name}: markup left in {text:?}"
            );
        }
        assert_eq!(story.title, "The title");
        assert_eq!(story.summary.as_deref(), Some("About"));
        let e = &story.events[0];
        assert_eq!(e.title, "Headline");
        assert_eq!(e.date_text.as_deref(), Some("Spring"));
        assert_eq!(
            e.description.as_deref(),
            Some("Body link ok (https://example.org/ok)")
        );
        let actors: Vec<&str> = e
            .actors
            .iter()
            .map(|&a| story.actors[a].name.as_str())
            .collect();
        assert_eq!(actors, ["Lane", "Ann", "Bob"], "{name}");
        let source = &story.sources[e.sources[0].source];
        assert_eq!(source.name, "AP");
        assert_eq!(source.url.as_deref(), Some("https://ap.example"));
        assert_eq!(e.sources[0].url.as_deref(), Some("https://example.org/ok"));
    }
}

/// Runs a load and checks it took well under the time a hang would.
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(20), "{what} took {took:?}");
    out
}

fn errors_of(outcome: Result<Loaded, Vec<Diagnostic>>) -> Vec<Diagnostic> {
    match outcome {
        Ok(l) => l
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect(),
        Err(d) => d,
    }
}

#[test]
fn a_one_megabyte_field_loads_in_every_format() {
    let big = "x".repeat(1 << 20);
    let csv = format!("title,date,description\nBig,2025,\"{big}\"\n");
    let json =
        format!(r#"{{"events":[{{"id":"e","title":"Big","date":"2025","description":"{big}"}}]}}"#);
    let tjs_csv = format!("Year,Headline,Text\n2025,Big,\"<p>{big}</p>\"\n");
    let tjs_json = format!(
        r#"{{"events":[{{"start_date":{{"year":2025}},"text":{{"headline":"Big","text":"{big}"}}}}]}}"#
    );
    for (name, text) in [
        ("big.csv", csv),
        ("big.json", json),
        ("big_timeline.csv", tjs_csv),
        ("big_timeline.json", tjs_json),
    ] {
        let loaded = timed(name, || load_any(name, &text)).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(loaded.story.events.len(), 1, "{name}");
        assert_eq!(
            loaded.story.events[0].description.as_ref().map(String::len),
            Some(1 << 20),
            "{name}"
        );
    }
    // A huge title also makes a huge slug and a huge typo check: both are bounded.
    let names: String = (0..2000)
        .map(|i| format!("{big_name}{i};", big_name = &big[..300]))
        .collect();
    let csv = format!("title,date,actors\n{},2025,\"{names}\"\n", &big[..100_000]);
    let loaded = timed("huge names", || load_any("names.csv", &csv)).expect("loads");
    assert_eq!(loaded.story.actors.len(), 2000);
    assert!(loaded.story.events[0].id.len() < 100);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for (name, text) in [
        (
            "deep.json",
            format!(
                "{{\"events\": {}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        ),
        (
            "deep_timeline.json",
            format!(
                "{{\"events\":[{{\"start_date\":{{\"year\":2020}},\"media\":{}{}}}]}}",
                "{\"a\":".repeat(100_000),
                "}".repeat(100_000)
            ),
        ),
        (
            "deep_html.csv",
            format!(
                "Year,Headline,Text\n2020,Deep,\"{}x\"\n",
                "<div>".repeat(200_000)
            ),
        ),
    ] {
        let errors = timed(name, || errors_of(load_any(name, &text)));
        if name == "deep_html.csv" {
            // HTML nesting is not recursion for the text state machine: it just loads.
            assert!(errors.is_empty(), "{name}: {}", shown(&errors));
        } else {
            assert!(!errors.is_empty(), "{name}: deep nesting must be reported");
        }
    }
}

#[test]
fn many_long_new_names_do_not_make_typo_hints_quadratic() {
    // 3 000 distinct 70-letter names, each new: hints compare each with all before it, so
    // without a bound this took over a minute even in a release build.
    let mut csv = String::from("title,date,actors\n");
    let mut seed = 1u64;
    for i in 0..3000 {
        let name: String = (0..70)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + ((seed >> 33) % 10) as u8)
            })
            .collect();
        csv.push_str(&format!("T{i},2025,{name} {i:05}\n"));
    }
    let loaded = timed("names", || load_any("names.csv", &csv)).expect("loads");
    assert_eq!(loaded.story.actors.len(), 3000);
}

#[test]
fn many_scripts_in_timelinejs_text_stay_linear() {
    let text = format!(
        "Year,Headline,Text\n2020,Scripts,\"{}end\"\n",
        "<script>x</script><SCRIPT a='>'>y</script >".repeat(40_000)
    );
    let loaded = timed("scripts", || load_any("scripts.csv", &text)).expect("loads");
    assert_eq!(loaded.story.events[0].description.as_deref(), Some("end"));
}

#[test]
fn oversized_inputs_are_refused_with_the_limit() {
    let big = " ".repeat(MAX_INPUT_BYTES + 1);
    for name in ["big.json", "big.csv"] {
        let text = if name.ends_with("json") {
            format!("{{{big}}}")
        } else {
            format!("title,date\n{big}")
        };
        let errors = errors_of(load_any(name, &text));
        assert!(
            errors.iter().any(|d| d.message.contains(&format!(
                "the limit is {} MB",
                castline::read::load::MAX_INPUT_BYTES / 1_000_000
            ))),
            "{name}: {}",
            shown(&errors)
        );
    }
}
