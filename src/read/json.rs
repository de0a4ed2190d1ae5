//! Reading Castline JSON (`"format": "castline/1"`) into raw records with line and column.
//!
//! The file is parsed once into borrowed raw values, so each record and each field keeps its
//! place in the text; each record is then read on its own, so one bad record does not hide
//! the others. Without the `full` feature a smaller reader takes only clean files (see
//! [`load_json`]).

#[cfg(feature = "full")]
use std::collections::BTreeMap;

#[cfg(feature = "full")]
use serde::de::DeserializeOwned;
#[cfg(feature = "full")]
use serde_json::value::RawValue;

use crate::read::load::Loaded;
#[cfg(feature = "full")]
use crate::read::load::{MAX_INPUT_BYTES, Origin, Raw, RawStory, Report, build};
#[cfg(feature = "full")]
use crate::read::load::{Severity, record_at};

/// Line starts of a text, to turn the position of a borrowed slice into 1-based line and
/// column (in characters, as editors count them).
#[cfg(feature = "full")]
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last position asked for: records come in order, so counting characters on from
    /// there keeps a minified one-line file linear instead of quadratic.
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

#[cfg(feature = "full")]
impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            text,
            starts,
            cursor: std::cell::Cell::new((0, 1, 1)),
        }
    }

    /// Position of a slice of the text (a raw value borrowed from it).
    pub(crate) fn of(&self, part: &str) -> (usize, usize) {
        let offset = (part.as_ptr() as usize)
            .saturating_sub(self.text.as_ptr() as usize)
            .min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let (at, at_line, at_column) = self.cursor.get();
        let chars =
            |from: usize, to: usize| self.text.get(from..to).map_or(0, |s| s.chars().count());
        // Count from the last position, forwards or back (a record's fields are not asked for
        // in text order), unless the line's start is nearer.
        let column = if at_line == line && at <= offset {
            at_column + chars(at, offset)
        } else if at_line == line && at - offset < offset - start {
            at_column - chars(offset, at)
        } else {
            1 + chars(start, offset)
        };
        self.cursor.set((offset, line, column));
        (line, column)
    }
}

/// Reads a Castline JSON text. `Err` only when nothing at all can be read (not JSON, too big,
/// not an object); otherwise the story holds every good record and the diagnostics the rest.
#[cfg(feature = "full")]
pub fn load_json(file: &str, text: &str) -> Result<Loaded, Vec<crate::read::load::Diagnostic>> {
    let mut report = Report::new(file);
    let raw = read(text, &mut report).ok_or_else(|| report.diagnostics.clone())?;
    Ok(build(raw, report))
}

/// Without `full` (the page's first download), a clean file only, read by `read::parts` (at
/// once here; the page reads a big story in parts): each record into its type, which denies
/// unknown fields. Anything the full reader would
/// report (not JSON, a record or field of the wrong type, an unknown field or format) makes
/// the whole file `Err`, and the page then loads the full build, which reads the file again
/// and reports each problem with its line, column and field (see `web`). Positions and
/// reading record by record are left to that build: nothing here would ever show them, and
/// they cost 5 KB gzip of the first download. So does a top-level key written twice, which
/// the full reader takes (the last one counts) and this one refuses.
#[cfg(not(feature = "full"))]
pub fn load_json(file: &str, text: &str) -> Result<Loaded, Vec<crate::read::load::Diagnostic>> {
    crate::read::parts::read_clean(file, text)
}

/// A JSON file's top-level object, its fields borrowed from the text with their positions.
#[cfg(feature = "full")]
pub(crate) struct JsonTop<'a> {
    pub(crate) root: BTreeMap<String, &'a RawValue>,
    pub(crate) lines: Lines<'a>,
    /// The top level as a record: its fields are the top-level keys.
    pub(crate) top: Origin,
}

/// Checks the size, skips a byte-order mark and parses the top-level object, reporting what
/// stops it; `expected` says what the object should hold ("\"actors\" and \"events\"").
#[cfg(feature = "full")]
pub(crate) fn parse_top<'a>(
    text: &'a str,
    expected: &str,
    report: &mut Report,
) -> Option<JsonTop<'a>> {
    if text.len() > MAX_INPUT_BYTES {
        report.whole_file(format!(
            "the file is {} MB; the limit is {} MB",
            text.len() / 1_000_000,
            MAX_INPUT_BYTES / 1_000_000
        ));
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = Lines::new(text);
    let root: BTreeMap<String, &RawValue> = match serde_json::from_str(text) {
        Ok(root) => root,
        Err(e) => {
            let message = match e.classify() {
                serde_json::error::Category::Eof => {
                    "the file ends too early: is it cut off?".to_owned()
                }
                serde_json::error::Category::Data => {
                    format!("expected a JSON object with {expected}")
                }
                _ => format!("this is not valid JSON: {}", strip_position(&e.to_string())),
            };
            let origin = Origin {
                at: "whole file".into(),
                line: Some(e.line()),
                column: Some(e.column()),
                ..Origin::default()
            };
            report.push(Severity::Error, &origin, None, message);
            return None;
        }
    };
    let top = Origin {
        fields: root
            .iter()
            .map(|(k, v)| {
                let (line, column) = lines.of(v.get());
                (k.clone(), line, column)
            })
            .collect(),
        ..Origin::default()
    };
    Some(JsonTop { root, lines, top })
}

/// Parses the text into raw records, reporting what cannot be read; `None` if nothing can.
#[cfg(feature = "full")]
pub fn read(text: &str, report: &mut Report) -> Option<RawStory> {
    let JsonTop { root, lines, top } = parse_top(text, "\"actors\" and \"events\"", report)?;
    for key in root.keys().filter(|k| !crate::read::parts::is_top_level(k)) {
        report.push(
            Severity::Warning,
            &top,
            Some(key),
            "unknown top-level field (ignored)",
        );
    }
    let text_field = |key: &str, report: &mut Report| -> Option<String> {
        let raw = root.get(key)?;
        match serde_json::from_str::<Option<String>>(raw.get()) {
            Ok(v) => v,
            Err(_) => {
                report.push(
                    Severity::Warning,
                    &top,
                    Some(key),
                    format!("expected text, found {} (ignored)", kind_of(raw.get())),
                );
                None
            }
        }
    };
    match text_field("format", report).as_deref() {
        Some("castline/1") | None => {}
        Some(other) => report.push(
            Severity::Warning,
            &top,
            Some("format"),
            format!("unknown format \"{other}\"; reading it as castline/1"),
        ),
    }
    Some(RawStory {
        title: text_field("title", report),
        summary: text_field("summary", report),
        credit: text_field("credit", report),
        published: text_field("published", report),
        groups: records(&root, "groups", &lines, &top, report),
        actors: records(&root, "actors", &lines, &top, report),
        sources: records(&root, "sources", &lines, &top, report),
        events: records(&root, "events", &lines, &top, report),
        relations: records(&root, "relations", &lines, &top, report),
        steps: records(&root, "steps", &lines, &top, report),
    })
}

/// serde_json appends "at line L column C"; the position is reported on its own.
#[cfg(feature = "full")]
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// What a JSON value is, from its first character, for "expected …, found …" messages (the
/// TimelineJS reader says it the same way).
#[cfg(feature = "full")]
pub(crate) fn kind_of(raw: &str) -> &'static str {
    match raw.trim_start().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "a list",
        Some(b'"') => "text",
        Some(b't' | b'f') => "true/false",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// Reads each element of a top-level list on its own, reporting the ones of the wrong shape.
#[cfg(feature = "full")]
fn records<T: DeserializeOwned>(
    root: &BTreeMap<String, &RawValue>,
    list: &str,
    lines: &Lines,
    top: &Origin,
    report: &mut Report,
) -> Vec<Raw<T>> {
    let Some(raw) = root.get(list) else {
        return Vec::new();
    };
    let items: Vec<&RawValue> = match serde_json::from_str::<Option<Vec<&RawValue>>>(raw.get()) {
        Ok(items) => items.unwrap_or_default(),
        Err(_) => {
            report.push(
                Severity::Error,
                top,
                Some(list),
                format!(
                    "expected a list, found {}; nothing in it was read",
                    kind_of(raw.get())
                ),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let fields: BTreeMap<String, &RawValue> =
            serde_json::from_str(item.get()).unwrap_or_default();
        // A step has no id: its title names it.
        let name_field = if list == "steps" { "title" } else { "id" };
        let id = fields
            .get(name_field)
            .and_then(|v| serde_json::from_str::<String>(v.get()).ok())
            .unwrap_or_default();
        let at = if list == "relations" {
            let end = |k: &str| {
                fields
                    .get(k)
                    .and_then(|v| serde_json::from_str::<String>(v.get()).ok())
                    .unwrap_or_else(|| "?".into())
            };
            format!("relations[{i}] \"{} → {}\"", end("from"), end("to"))
        } else {
            record_at(list, i, &id)
        };
        let (line, column) = lines.of(item.get());
        let mut positions: Vec<(String, usize, usize)> = fields
            .iter()
            .map(|(k, v)| {
                let (l, c) = lines.of(v.get());
                (k.clone(), l, c)
            })
            .collect();
        // A step's view holds ids in lists: each key and each id has its own place, so
        // that an unknown id is reported where it is written.
        if let Some(view) = fields.get("view").filter(|_| list == "steps") {
            nested_positions("view", view, lines, &mut positions);
        }
        positions.extend(item_positions(&fields, "media", lines));
        let origin = Origin {
            at,
            file: None,
            line: Some(line),
            column: Some(column),
            fields: positions,
        };
        match read_record::<T>(item.get()) {
            Ok((record, unknown)) => {
                for field in unknown {
                    report.push(
                        Severity::Warning,
                        &origin,
                        Some(&field),
                        "unknown field (ignored)",
                    );
                }
                out.push(Raw { record, origin });
            }
            Err((path, message)) => {
                let field = (path != ".").then_some(path.as_str());
                report.push(
                    Severity::Error,
                    &origin,
                    field,
                    format!("{message}; the record was left out"),
                );
            }
        }
    }
    out
}

/// Where each item of a record's list field (`media`) and each of the item's fields start,
/// named `media[1]` and `media[1].url`, so that a problem with one item is reported at it.
#[cfg(feature = "full")]
fn item_positions(
    fields: &BTreeMap<String, &RawValue>,
    list: &str,
    lines: &Lines,
) -> Vec<(String, usize, usize)> {
    let Some(raw) = fields.get(list) else {
        return Vec::new();
    };
    let items: Vec<&RawValue> = serde_json::from_str(raw.get()).unwrap_or_default();
    let mut out = Vec::new();
    for (j, item) in items.into_iter().enumerate() {
        let (l, c) = lines.of(item.get());
        out.push((format!("{list}[{j}]"), l, c));
        let inner: BTreeMap<String, &RawValue> =
            serde_json::from_str(item.get()).unwrap_or_default();
        for (k, v) in inner {
            let (l, c) = lines.of(v.get());
            out.push((format!("{list}[{j}].{k}"), l, c));
        }
    }
    out
}

/// The places of an object's keys (`view.fit`) and of its lists' items (`view.fit[2]`).
#[cfg(feature = "full")]
fn nested_positions(
    path: &str,
    value: &RawValue,
    lines: &Lines,
    out: &mut Vec<(String, usize, usize)>,
) {
    let Ok(keys) = serde_json::from_str::<BTreeMap<String, &RawValue>>(value.get()) else {
        return;
    };
    for (key, v) in keys {
        let (l, c) = lines.of(v.get());
        let at = format!("{path}.{key}");
        if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(v.get()) {
            for (j, item) in items.into_iter().enumerate() {
                let (l, c) = lines.of(item.get());
                out.push((format!("{at}[{j}]"), l, c));
            }
        }
        out.push((at, l, c));
    }
}

/// One record: the record and its unknown fields, or the field path and message of the error.
#[cfg(feature = "full")]
fn read_record<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<String>), (String, String)> {
    let mut unknown = Vec::new();
    let mut note_unknown = |path: serde_ignored::Path| unknown.push(path.to_string());
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(serde_ignored::Deserializer::new(
        &mut de,
        &mut note_unknown,
    )) {
        Ok(record) => Ok((record, unknown)),
        Err(e) => Err((e.path().to_string(), readable_serde(&e.inner().to_string()))),
    }
}

/// Rewords serde's messages for people who write spreadsheets, not Rust.
#[cfg(feature = "full")]
fn readable_serde(message: &str) -> String {
    let message = strip_position(message);
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("the required field {} is missing", field.replace('`', "\""));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let rest = rest
            .replace("a string", "text")
            .replace("a sequence", "a list")
            .replace("a map", "an object")
            .replace('`', "");
        return format!("wrong type: {rest}");
    }
    message.replace('`', "\"")
}

#[cfg(all(test, feature = "full"))]
mod tests {
    use super::*;
    use crate::read::load::{Loaded, Severity, is_web_url};

    fn load(text: &str) -> Loaded {
        load_json("test.json", text).expect("loads")
    }

    #[test]
    fn not_json_is_one_located_error() {
        let errs = load_json("bad.json", "{\n  \"title\": \"x\",\n  oops\n}").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (Some(3), Some(3)));
        assert!(
            errs[0]
                .to_string()
                .starts_with("bad.json:3:3: error: whole file: this is not valid JSON"),
            "{}",
            errs[0]
        );
        let cut = load_json("cut.json", "{\"actors\": [").unwrap_err();
        assert!(cut[0].message.contains("ends too early"));
        let list = load_json("list.json", "[1, 2]").unwrap_err();
        assert!(list[0].message.contains("expected a JSON object"));
    }

    #[test]
    fn every_bad_record_is_reported_with_its_line_and_the_rest_kept() {
        let text = r#"{"format":"castline/1","title":"T",
"actors":[{"id":"a","name":"A"},{"id":"b","name":"B"},{"id":"a","name":"Dup"},{"id":"c","name":""},{"id":"d"}],
"sources":[{"id":"wsj","name":"WSJ"}],
"events":[
  {"id":"e1","title":"ok","date":"2025-10","actors":["a","b"],"sources":[{"source":"wsj","quote":"q"}]},
  {"id":"e2","title":"bad date","date":"2025-02-30","actors":["a"]},
  {"id":"e3","title":"typo","date":"2025-10","actors":["bb"]},
  {"id":"e4","title":"bad source","date":"2025-10","actors":["a"],"sources":[{"source":"wjs"}]},
  {"id":"e5","title":"wrong type","date":"2025-10","actors":"a"},
  {"id":"e6","title":"uses failed actor","date":"2025-10","actors":["c"]}
]}"#;
        let loaded = load(text);
        assert_eq!(loaded.story.actors.len(), 2);
        assert_eq!(loaded.story.events.len(), 1);
        let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
        let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
        assert!(
            has("test.json:2:61: error: actors[2] \"a\", field \"id\": the id \"a\" is used twice"),
            "{errors:#?}"
        );
        assert!(has("actors[3] \"c\", field \"name\""));
        assert!(has(
            "test.json:2:100: error: actors[4] \"d\": the required field \"name\" is missing"
        ));
        assert!(has(
            "test.json:6:40: error: events[1] \"e2\", field \"date\""
        ));
        assert!(has("test.json:7:"));
        assert!(has("did you mean \"b\"?"));
        assert!(has("did you mean \"wsj\"?"));
        assert!(has("events[4] \"e5\", field \"actors\": wrong type"));
        assert!(has("\"c\" was left out because of an error above"));
        assert_eq!(errors.len(), 8, "{errors:#?}");
    }

    #[test]
    fn unsafe_links_are_dropped_with_a_warning() {
        let loaded = load(
            r#"{"actors":[{"id":"a","name":"A","url":"javascript:alert(1)"},{"id":"b","name":"B","url":"https://example.org/b"}],
                "sources":[{"id":"s","name":"S","url":"data:text/html,x"}]}"#,
        );
        assert_eq!(loaded.story.actors[0].url, None);
        assert_eq!(
            loaded.story.actors[1].url.as_deref(),
            Some("https://example.org/b")
        );
        assert_eq!(loaded.story.sources[0].url, None);
        let warnings = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        assert_eq!(warnings, 2);
        assert!(
            !is_web_url("https:///x") && !is_web_url("http://a b") && is_web_url("HTTP://A.org")
        );
    }

    #[test]
    fn unknown_fields_warn_and_keep_the_record() {
        let loaded = load(r#"{"colour":1,"actors":[{"id":"a","name":"A","colour":"red"}]}"#);
        assert_eq!(loaded.story.actors.len(), 1);
        let text: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|t| t
                .contains("test.json:1:11: warning: field \"colour\": unknown top-level field")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("actors[0] \"a\", field \"colour\": unknown field"))
        );
    }

    #[test]
    fn events_come_out_in_chronological_order() {
        let loaded = load(
            r#"{"actors":[{"id":"a","name":"A"}],"events":[
            {"id":"late","title":"L","date":"2025-11-24","actors":["a"]},
            {"id":"month","title":"M","date":"2025-10","actors":["a"]},
            {"id":"day","title":"D","date":"2025-10-24","actors":["a"]}]}"#,
        );
        let ids: Vec<&str> = loaded.story.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["month", "day", "late"]);
    }

    #[test]
    fn a_list_of_the_wrong_type_is_one_error() {
        let loaded = load(r#"{"title": 5, "events": {"id": "x"}}"#);
        let text: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("error: field \"events\": expected a list, found an object")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("warning: field \"title\": expected text, found a number"))
        );
    }

    #[test]
    fn positions_on_one_long_line_count_characters() {
        let text = "{\"a\": \"é\", \"b\": 1, \"c\": [1, 2]}";
        let lines = Lines::new(text);
        let at = |needle: &str| lines.of(&text[text.find(needle).unwrap()..]);
        assert_eq!(at("\"b\""), (1, 12));
        assert_eq!(at("1,"), (1, 17));
        // Asking for an earlier place again starts over from the line, not from the cursor.
        assert_eq!(at("\"a\""), (1, 2));
        assert_eq!(at("[1"), (1, 25));
    }

    /// Any order of questions, forwards and back on long lines, gives the counted answer.
    #[test]
    fn positions_in_any_order_match_counting_from_the_start() {
        let text = "{\"é\": \"ü\", \"b\": [1, \"ß\"],\n \"c\": \"日本\", \"d\": 2}";
        let lines = Lines::new(text);
        let expected = |offset: usize| {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (line, text[line_start..offset].chars().count() + 1)
        };
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        // A fixed shuffle: strides through the offsets, so the cursor moves both ways.
        for k in 0..offsets.len() {
            let offset = offsets[(k * 7) % offsets.len()];
            assert_eq!(
                lines.of(&text[offset..]),
                expected(offset),
                "at byte {offset}"
            );
        }
    }

    #[test]
    fn oversized_input_is_refused() {
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        let errs = load_json("big.json", &big).unwrap_err();
        assert!(errs[0].message.contains("the limit is"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!(
            "{{\"events\": {}{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let outcome = load_json("deep.json", &deep);
        let diagnostics = match &outcome {
            Ok(l) => l.diagnostics.clone(),
            Err(d) => d.clone(),
        };
        assert!(
            diagnostics.iter().any(|d| d.severity == Severity::Error),
            "{diagnostics:#?}"
        );
    }
}

/// The first download's reader: a clean file as the full reader reads it; anything that
/// reader would report refused whole, so that the page loads the full build.
#[cfg(all(test, not(feature = "full")))]
mod lean_tests {
    use super::*;

    #[test]
    fn the_default_story_is_clean() {
        let loaded = load_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).expect("loads");
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        assert!(loaded.story.events.len() > 10 && loaded.story.actors.len() > 5);
        // Its steps too: the page shows them without the full build.
        assert!(loaded.story.steps.len() >= 5);
    }

    #[test]
    fn what_the_full_reader_would_report_is_refused_whole() {
        for text in [
            r#"{"colour": 1}"#,
            r#"{"format": "castline/2"}"#,
            r#"{"title": 5}"#,
            r#"{"events": {"id": "x"}}"#,
            r#"{"actors": [5]}"#,
            r#"{"actors": [{"id": "a", "name": "A", "colour": "red"}]}"#,
            r#"{"steps": [{"title": "T", "view": {"zoom": 2}}]}"#,
            "[1, 2]",
            "{\"actors\": [",
        ] {
            assert!(load_json("t.json", text).is_err(), "{text}");
        }
    }

    #[test]
    fn nulls_a_schema_of_any_kind_and_a_byte_order_mark_are_clean() {
        let text = "\u{feff}{\"$schema\": {\"a\": [1]}, \"format\": null, \"title\": null, \"groups\": null}";
        let loaded = load_json("t.json", text).expect("loads");
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        assert_eq!(loaded.story.title, "Untitled story");
    }
}

/// The first download reads a clean story's media as the full reader does, and refuses one
/// with something to report (an unknown field in an item), so the full build says what.
#[cfg(all(test, not(feature = "full")))]
mod lean_media_tests {
    use super::*;
    use crate::story::model::MediaKind;

    #[test]
    fn clean_media_loads_and_a_problem_is_refused_whole() {
        let text = r#"{"actors":[{"id":"a","name":"A","media":[{"url":"https://x.org/a.jpg","kind":"image","alt":"A"}]}],
            "events":[{"id":"e","title":"T","date":"2025","actors":["a"],
            "media":[{"url":"https://x.org/v","kind":"link","caption":"Video","credit":"TV"}]}]}"#;
        let loaded = load_json("t.json", text).expect("loads");
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        assert_eq!(loaded.story.actors[0].media[0].kind, MediaKind::Image);
        assert_eq!(
            loaded.story.events[0].media[0].credit.as_deref(),
            Some("TV")
        );
        let unknown = text.replace("\"caption\"", "\"title\"");
        assert!(load_json("t.json", &unknown).is_err());
    }
}
