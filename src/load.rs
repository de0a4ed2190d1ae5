//! Reading Castline JSON (`"format": "castline/1"`) into a [`Story`], reporting every problem.
//!
//! Each record is read on its own, so one bad record does not hide the others: a record with an
//! error is left out and named in the diagnostics; a warning keeps the record and says what was
//! ignored. Every input record ends up in exactly one of the two places.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::dates::When;
use crate::model::{Actor, Citation, Event, Group, PALETTE, Relation, Rgb, Source, Story};

/// The largest input accepted, so a wrong file cannot exhaust a reader's phone.
pub const MAX_INPUT_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record was left out.
    Error,
    /// The record was kept; something in it was ignored or replaced.
    Warning,
}

/// One problem, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// Where in the file: `events[3] "miami-talks", field "date"`, or `line 4, column 7`.
    pub location: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {}: {severity}: {}",
            self.file, self.location, self.message
        )
    }
}

/// A story and what was wrong with its input.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub story: Story,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

#[derive(Deserialize)]
struct RawGroup {
    id: String,
    name: String,
    color: Option<String>,
}

#[derive(Deserialize)]
struct RawActor {
    id: String,
    name: String,
    role: Option<String>,
    group: Option<String>,
    description: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawSource {
    id: String,
    name: String,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawCitation {
    source: String,
    quote: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawEvent {
    id: String,
    title: String,
    date: String,
    date_text: Option<String>,
    #[serde(default)]
    actors: Vec<String>,
    description: Option<String>,
    #[serde(default)]
    sources: Vec<RawCitation>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct RawRelation {
    from: String,
    to: String,
    label: String,
    date: Option<String>,
    #[serde(default)]
    sources: Vec<RawCitation>,
}

const TOP_LEVEL: [&str; 11] = [
    "format",
    "title",
    "summary",
    "published",
    "credit",
    "groups",
    "actors",
    "sources",
    "events",
    "relations",
    "$schema",
];

/// Collects diagnostics for one file.
struct Report {
    file: String,
    diagnostics: Vec<Diagnostic>,
}

impl Report {
    fn push(
        &mut self,
        severity: Severity,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.file.clone(),
            location: location.into(),
            message: message.into(),
        });
    }
}

/// Reads a Castline JSON text. `Err` only when nothing at all can be read (not JSON, too big,
/// not an object); otherwise the story holds every good record and the diagnostics the rest.
pub fn load_json(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let mut report = Report {
        file: file.to_owned(),
        diagnostics: Vec::new(),
    };
    if text.len() > MAX_INPUT_BYTES {
        report.push(
            Severity::Error,
            "whole file",
            format!(
                "the file is {} MB; the limit is {} MB",
                text.len() / 1_000_000,
                MAX_INPUT_BYTES / 1_000_000
            ),
        );
        return Err(report.diagnostics);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let message = match e.classify() {
                serde_json::error::Category::Eof => {
                    "the file ends too early: is it cut off?".to_owned()
                }
                _ => format!("this is not valid JSON: {}", strip_position(&e.to_string())),
            };
            report.push(
                Severity::Error,
                format!("line {}, column {}", e.line(), e.column()),
                message,
            );
            return Err(report.diagnostics);
        }
    };
    let Value::Object(mut root) = root else {
        report.push(
            Severity::Error,
            "whole file",
            "expected a JSON object with \"actors\" and \"events\"",
        );
        return Err(report.diagnostics);
    };
    match root.get("format").and_then(Value::as_str) {
        Some("castline/1") | None => {}
        Some(other) => report.push(
            Severity::Warning,
            "field \"format\"",
            format!("unknown format \"{other}\"; reading it as castline/1"),
        ),
    }
    for key in root.keys() {
        if !TOP_LEVEL.contains(&key.as_str()) {
            report.push(
                Severity::Warning,
                format!("field \"{key}\""),
                "unknown top-level field (ignored)",
            );
        }
    }
    let mut story = Story {
        title: text_field(&root, "title", &mut report).unwrap_or_else(|| "Untitled story".into()),
        summary: text_field(&root, "summary", &mut report),
        credit: text_field(&root, "credit", &mut report),
        published: text_field(&root, "published", &mut report),
        ..Story::default()
    };
    if let Some(Err(e)) = story.published.as_deref().map(When::parse) {
        report.push(Severity::Warning, "field \"published\"", e.to_string());
    }

    let groups = records::<RawGroup>(&mut root, "groups", &mut report);
    let actors = records::<RawActor>(&mut root, "actors", &mut report);
    let sources = records::<RawSource>(&mut root, "sources", &mut report);
    let events = records::<RawEvent>(&mut root, "events", &mut report);
    let relations = records::<RawRelation>(&mut root, "relations", &mut report);

    let mut ids = Ids::default();
    for (i, raw) in groups {
        let at = record_at("groups", i, &raw.id);
        if !check_id(&raw.id, &ids.groups, &at, &mut report)
            || !check_name(&raw.name, "name", &at, &mut report)
        {
            ids.failed_groups.insert(raw.id);
            continue;
        }
        let color = match raw.color.as_deref().map(|c| (c, Rgb::parse(c))) {
            Some((_, Some(c))) => c,
            Some((text, None)) => {
                report.push(
                    Severity::Warning,
                    format!("{at}, field \"color\""),
                    format!("\"{text}\" is not a colour like #1f77b4; using the palette"),
                );
                PALETTE[story.groups.len() % PALETTE.len()]
            }
            None => PALETTE[story.groups.len() % PALETTE.len()],
        };
        ids.groups.insert(raw.id.clone(), story.groups.len());
        story.groups.push(Group {
            id: raw.id,
            name: raw.name.trim().to_owned(),
            color,
        });
    }

    for (i, raw) in actors {
        let at = record_at("actors", i, &raw.id);
        if !check_id(&raw.id, &ids.actors, &at, &mut report)
            || !check_name(&raw.name, "name", &at, &mut report)
        {
            ids.failed_actors.insert(raw.id);
            continue;
        }
        let group = raw.group.as_deref().and_then(|g| {
            let found = ids.groups.get(g).copied();
            if found.is_none() {
                let why = unknown_id("group", g, ids.groups.keys(), ids.failed_groups.contains(g));
                report.push(
                    Severity::Warning,
                    format!("{at}, field \"group\""),
                    format!("{why}; the actor is shown without a group"),
                );
            }
            found
        });
        let url = checked_url(raw.url, &at, "url", &mut report);
        ids.actors.insert(raw.id.clone(), story.actors.len());
        story.actors.push(Actor {
            id: raw.id,
            name: raw.name.trim().to_owned(),
            role: non_empty(raw.role),
            group,
            description: non_empty(raw.description),
            url,
        });
    }

    for (i, raw) in sources {
        let at = record_at("sources", i, &raw.id);
        if !check_id(&raw.id, &ids.sources, &at, &mut report)
            || !check_name(&raw.name, "name", &at, &mut report)
        {
            ids.failed_sources.insert(raw.id);
            continue;
        }
        let url = checked_url(raw.url, &at, "url", &mut report);
        ids.sources.insert(raw.id.clone(), story.sources.len());
        story.sources.push(Source {
            id: raw.id,
            name: raw.name.trim().to_owned(),
            url,
        });
    }

    let mut event_ids = HashMap::new();
    for (i, raw) in events {
        let at = record_at("events", i, &raw.id);
        let mut ok = check_id(&raw.id, &event_ids, &at, &mut report);
        ok &= check_name(&raw.title, "title", &at, &mut report);
        let when = match When::parse(&raw.date) {
            Ok(w) => Some(w),
            Err(e) => {
                report.push(
                    Severity::Error,
                    format!("{at}, field \"date\""),
                    e.to_string(),
                );
                None
            }
        };
        let actors = resolve_all(
            &raw.actors,
            "actor",
            &ids.actors,
            &ids.failed_actors,
            &format!("{at}, field \"actors\""),
            &mut report,
        );
        let citations = citations(raw.sources, &ids, &at, &mut report);
        let (Some(when), Some(actors), Some(sources), true) = (when, actors, citations, ok) else {
            continue;
        };
        event_ids.insert(raw.id.clone(), story.events.len());
        story.events.push(Event {
            id: raw.id,
            title: raw.title.trim().to_owned(),
            when,
            date_text: non_empty(raw.date_text),
            actors,
            description: non_empty(raw.description),
            sources,
            tags: raw.tags,
        });
    }

    for (i, raw) in relations {
        let at = format!("relations[{i}] \"{} → {}\"", raw.from, raw.to);
        let ends = resolve_all(
            &[raw.from.clone(), raw.to.clone()],
            "actor",
            &ids.actors,
            &ids.failed_actors,
            &format!("{at}, fields \"from\"/\"to\""),
            &mut report,
        );
        let label_ok = check_name(&raw.label, "label", &at, &mut report);
        let when = match raw.date.as_deref().map(When::parse) {
            Some(Err(e)) => {
                report.push(
                    Severity::Warning,
                    format!("{at}, field \"date\""),
                    format!("{e}; the relation is shown without a date"),
                );
                None
            }
            Some(Ok(w)) => Some(w),
            None => None,
        };
        let citations = citations(raw.sources, &ids, &at, &mut report);
        let (Some(ends), Some(sources), true) = (ends, citations, label_ok) else {
            continue;
        };
        let (Some(&from), Some(&to)) = (ends.first(), ends.get(1)) else {
            continue;
        };
        story.relations.push(Relation {
            from,
            to,
            label: raw.label.trim().to_owned(),
            when,
            sources,
        });
    }

    story.sort_events();
    Ok(Loaded {
        story,
        diagnostics: report.diagnostics,
    })
}

#[derive(Default)]
struct Ids {
    groups: HashMap<String, usize>,
    actors: HashMap<String, usize>,
    sources: HashMap<String, usize>,
    failed_groups: HashSet<String>,
    failed_actors: HashSet<String>,
    failed_sources: HashSet<String>,
}

fn record_at(list: &str, i: usize, id: &str) -> String {
    if id.trim().is_empty() {
        format!("{list}[{i}]")
    } else {
        format!("{list}[{i}] \"{id}\"")
    }
}

/// serde_json appends "at line L column C"; the location is reported on its own.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn text_field(root: &Map<String, Value>, key: &str, report: &mut Report) -> Option<String> {
    match root.get(key)? {
        Value::String(s) => non_empty(Some(s.clone())),
        Value::Null => None,
        other => {
            report.push(
                Severity::Warning,
                format!("field \"{key}\""),
                format!("expected text, found {} (ignored)", kind_of(other)),
            );
            None
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reads each element of a top-level list on its own, reporting the ones of the wrong shape.
fn records<T: DeserializeOwned>(
    root: &mut Map<String, Value>,
    list: &str,
    report: &mut Report,
) -> Vec<(usize, T)> {
    let items = match root.remove(list) {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(other) => {
            report.push(
                Severity::Error,
                format!("field \"{list}\""),
                format!(
                    "expected a list, found {}; nothing in it was read",
                    kind_of(&other)
                ),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let at = if list == "relations" {
            format!("relations[{i}]")
        } else {
            record_at(list, i, &id)
        };
        let mut unknown = Vec::new();
        let mut note_unknown = |path: serde_ignored::Path| unknown.push(path.to_string());
        let de = serde_ignored::Deserializer::new(item, &mut note_unknown);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(record) => {
                for field in unknown {
                    report.push(
                        Severity::Warning,
                        format!("{at}, field \"{field}\""),
                        "unknown field (ignored)",
                    );
                }
                out.push((i, record));
            }
            Err(e) => {
                let path = e.path().to_string();
                let message = readable_serde(&e.inner().to_string());
                let location = if path == "." {
                    at
                } else {
                    format!("{at}, field \"{path}\"")
                };
                report.push(
                    Severity::Error,
                    location,
                    format!("{message}; the record was left out"),
                );
            }
        }
    }
    out
}

/// Rewords serde's messages for people who write spreadsheets, not Rust.
fn readable_serde(message: &str) -> String {
    let message = strip_position(message);
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("the required field {} is missing", field.replace('`', "\""));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let rest = rest
            .replace("a string", "text")
            .replace("a sequence", "a list")
            .replace('`', "");
        return format!("wrong type: {rest}");
    }
    message.replace('`', "\"")
}

fn check_id(id: &str, seen: &HashMap<String, usize>, at: &str, report: &mut Report) -> bool {
    if id.trim().is_empty() {
        report.push(
            Severity::Error,
            format!("{at}, field \"id\""),
            "the id is empty; the record was left out",
        );
        false
    } else if seen.contains_key(id) {
        report.push(
            Severity::Error,
            format!("{at}, field \"id\""),
            format!("the id \"{id}\" is used twice; this later record was left out"),
        );
        false
    } else {
        true
    }
}

fn check_name(text: &str, field: &str, at: &str, report: &mut Report) -> bool {
    if text.trim().is_empty() {
        report.push(
            Severity::Error,
            format!("{at}, field \"{field}\""),
            format!("the {field} is empty; the record was left out"),
        );
        false
    } else {
        true
    }
}

/// Keeps only http(s) links, so a link from data can never run script.
fn checked_url(url: Option<String>, at: &str, field: &str, report: &mut Report) -> Option<String> {
    let url = non_empty(url)?;
    if is_web_url(&url) {
        Some(url)
    } else {
        report.push(
            Severity::Warning,
            format!("{at}, field \"{field}\""),
            format!("the link \"{url}\" was dropped: only http:// and https:// links are allowed"),
        );
        None
    }
}

/// True for absolute `http:`/`https:` URLs with a host.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/'))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

fn unknown_id<'a>(
    kind: &str,
    id: &str,
    known: impl Iterator<Item = &'a String>,
    failed: bool,
) -> String {
    if failed {
        return format!("the {kind} \"{id}\" was left out because of an error above");
    }
    // Close means a typo or two (swapped letters count once) or a shared long prefix.
    let best = known
        .map(|k| {
            let edits = strsim::damerau_levenshtein(id, k);
            let close =
                edits <= (id.chars().count() / 3).max(1) || strsim::jaro_winkler(id, k) > 0.85;
            (close, std::cmp::Reverse(edits), k)
        })
        .filter(|(close, _, _)| *close)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.2.cmp(a.2)))
        .map(|(_, _, k)| ((), k));
    match best {
        Some((_, k)) => format!("there is no {kind} with id \"{id}\"; did you mean \"{k}\"?"),
        None => format!("there is no {kind} with id \"{id}\""),
    }
}

/// Resolves ids, reporting each unknown one; `None` if any is unknown.
fn resolve_all(
    ids: &[String],
    kind: &str,
    known: &HashMap<String, usize>,
    failed: &HashSet<String>,
    at: &str,
    report: &mut Report,
) -> Option<Vec<usize>> {
    let mut out = Vec::with_capacity(ids.len());
    let mut ok = true;
    for id in ids {
        match known.get(id.as_str()) {
            Some(&i) if !out.contains(&i) => out.push(i),
            Some(_) => report.push(
                Severity::Warning,
                at,
                format!("the {kind} \"{id}\" is listed twice"),
            ),
            None => {
                ok = false;
                let why = unknown_id(kind, id, known.keys(), failed.contains(id.as_str()));
                report.push(
                    Severity::Error,
                    at,
                    format!("{why}; the record was left out"),
                );
            }
        }
    }
    ok.then_some(out)
}

fn citations(
    raw: Vec<RawCitation>,
    ids: &Ids,
    at: &str,
    report: &mut Report,
) -> Option<Vec<Citation>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut ok = true;
    for (j, c) in raw.into_iter().enumerate() {
        let here = format!("{at}, field \"sources[{j}]\"");
        match ids.sources.get(c.source.as_str()) {
            Some(&source) => out.push(Citation {
                source,
                quote: non_empty(c.quote),
                url: checked_url(c.url, &here, "url", report),
            }),
            None => {
                ok = false;
                let why = unknown_id(
                    "source",
                    &c.source,
                    ids.sources.keys(),
                    ids.failed_sources.contains(&c.source),
                );
                report.push(
                    Severity::Error,
                    here,
                    format!("{why}; the record was left out"),
                );
            }
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Loaded {
        load_json("test.json", text).expect("loads")
    }

    #[test]
    fn not_json_is_one_located_error() {
        let errs = load_json("bad.json", "{\n  \"title\": \"x\",\n  oops\n}").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].location, "line 3, column 3");
        assert!(
            errs[0]
                .to_string()
                .starts_with("bad.json: line 3, column 3: error:")
        );
        let cut = load_json("cut.json", "{\"actors\": [").unwrap_err();
        assert!(cut[0].message.contains("ends too early"));
    }

    #[test]
    fn every_bad_record_is_reported_and_the_rest_kept() {
        let loaded = load(
            r#"{"format":"castline/1","title":"T",
            "actors":[{"id":"a","name":"A"},{"id":"b","name":"B"},{"id":"a","name":"Dup"},{"id":"c","name":""},{"id":"d"}],
            "sources":[{"id":"wsj","name":"WSJ"}],
            "events":[
              {"id":"e1","title":"ok","date":"2025-10","actors":["a","b"],"sources":[{"source":"wsj","quote":"q"}]},
              {"id":"e2","title":"bad date","date":"2025-02-30","actors":["a"]},
              {"id":"e3","title":"typo","date":"2025-10","actors":["bb"]},
              {"id":"e4","title":"bad source","date":"2025-10","actors":["a"],"sources":[{"source":"wjs"}]},
              {"id":"e5","title":"wrong type","date":"2025-10","actors":"a"},
              {"id":"e6","title":"uses failed actor","date":"2025-10","actors":["c"]}
            ]}"#,
        );
        assert_eq!(loaded.story.actors.len(), 2);
        assert_eq!(loaded.story.events.len(), 1);
        let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
        let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
        assert!(
            has("actors[2] \"a\", field \"id\": error: the id \"a\" is used twice"),
            "{errors:#?}"
        );
        assert!(has("actors[3] \"c\", field \"name\""));
        assert!(has(
            "actors[4] \"d\": error: the required field \"name\" is missing"
        ));
        assert!(has("events[1] \"e2\", field \"date\""));
        assert!(has("did you mean \"b\"?"));
        assert!(has("did you mean \"wsj\"?"));
        assert!(has("events[4] \"e5\", field \"actors\": error: wrong type"));
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
            text.iter()
                .any(|t| t.contains("field \"colour\": warning: unknown top-level field"))
        );
        assert!(
            text.iter()
                .any(|t| t.contains("actors[0] \"a\", field \"colour\": warning: unknown field"))
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
    fn oversized_input_is_refused() {
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        let errs = load_json("big.json", &big).unwrap_err();
        assert!(errs[0].message.contains("the limit is"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(load_json("deep.json", &deep).is_err());
    }
}
