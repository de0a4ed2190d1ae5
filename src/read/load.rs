//! From raw records to a [`Story`], reporting every problem.
//!
//! Each input format (Castline JSON in [`crate::read::json`], and others) reads its file into
//! [`RawStory`]: records as written, each with its [`Origin`] (where it came from). [`build`]
//! then checks them all in one pass. A record with an error is left out and named in the
//! diagnostics; a warning keeps the record and says what was ignored. Every input record ends
//! up in exactly one of the two places.

// Fx, not SipHash: ids chosen to collide could only slow the page showing them, as a huge
// file could, and Fx is the smaller code (1 KB gzip of the first wasm) and the cheaper hash.
use rustc_hash::FxHashMap as HashMap;
use std::fmt;

#[cfg(feature = "full")]
use serde::Deserialize;

use crate::story::dates::When;
use crate::story::index::{IdIndex, IdTable};
use crate::story::model::{
    Actor, Citation, Event, Group, Media, MediaKind, PALETTE, Relation, Rgb, Source, Step,
    StepView, Story,
};

/// Character comparisons spent on "did you mean" hints per input, at most.
pub const HINT_BUDGET: u64 = 20_000_000;

/// The largest input accepted, so a wrong file cannot exhaust a reader's phone.
pub const MAX_INPUT_BYTES: usize = 64_000_000;

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
    /// 1-based line and column in the file, when the format knows them.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The record and field: `events[3] "miami-talks", field "date"`.
    pub location: String,
    pub message: String,
}

/// `file:line:col: error: location: message`, the form editors and CI logs understand.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {severity}: {}: {}", self.location, self.message)
    }
}

/// Where a record came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The record named for people: `events[3] "miami-talks"`, `row 5`.
    pub at: String,
    /// The file, when not the main file of the report (a spreadsheet's `actors.csv`).
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Where each field starts, when known: (name, line, column).
    pub fields: Vec<(String, usize, usize)>,
}

impl Origin {
    pub fn named(at: impl Into<String>) -> Origin {
        Origin {
            at: at.into(),
            ..Origin::default()
        }
    }
}

/// A record as read, with where it came from.
#[derive(Debug, Clone)]
pub struct Raw<T> {
    pub record: T,
    pub origin: Origin,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawGroup {
    pub id: String,
    pub name: String,
    pub color: Option<String>,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawActor {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub group: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// `[x, y]` in layout units; any count of numbers reads, and `build` says what is wrong.
    pub position: Option<Vec<f64>>,
    #[cfg_attr(feature = "full", serde(default))]
    pub media: Vec<RawMedia>,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawSource {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawCitation {
    pub source: String,
    pub quote: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawEvent {
    pub id: String,
    pub title: String,
    pub date: String,
    pub date_text: Option<String>,
    #[cfg_attr(feature = "full", serde(default))]
    pub actors: Vec<String>,
    pub description: Option<String>,
    #[cfg_attr(feature = "full", serde(default))]
    pub sources: Vec<RawCitation>,
    #[cfg_attr(feature = "full", serde(default))]
    pub tags: Vec<String>,
    #[cfg_attr(feature = "full", serde(default))]
    pub media: Vec<RawMedia>,
}

/// A picture or a link as written: every field optional, so that one bad item is a warning
/// about that item and never costs its event (`checked_media` says what is wrong).
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawMedia {
    pub url: Option<String>,
    /// `"image"` or `"link"`; absent is a link.
    pub kind: Option<String>,
    pub alt: Option<String>,
    pub credit: Option<String>,
    pub caption: Option<String>,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawRelation {
    pub from: String,
    pub to: String,
    pub label: String,
    pub date: Option<String>,
    #[cfg_attr(feature = "full", serde(default))]
    pub sources: Vec<RawCitation>,
}

/// One step of the story told in steps, as written.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawStep {
    pub title: String,
    pub text: Option<String>,
    #[cfg_attr(feature = "full", serde(default))]
    pub sources: Vec<RawCitation>,
    #[cfg_attr(feature = "full", serde(default))]
    pub view: RawStepView,
}

/// A step's view: the keys of a link's fragment (`window` and `time` written `start..end`
/// as there), and `fit`, the actors to frame.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "full", derive(Deserialize))]
pub struct RawStepView {
    #[cfg_attr(feature = "full", serde(default))]
    pub select: Vec<String>,
    pub mode: Option<String>,
    pub window: Option<String>,
    pub time: Option<String>,
    pub focus: Option<String>,
    #[cfg_attr(feature = "full", serde(default))]
    pub fit: Vec<String>,
}

/// A whole input, before checking.
#[derive(Debug, Clone, Default)]
pub struct RawStory {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub credit: Option<String>,
    pub published: Option<String>,
    pub groups: Vec<Raw<RawGroup>>,
    pub actors: Vec<Raw<RawActor>>,
    pub sources: Vec<Raw<RawSource>>,
    pub events: Vec<Raw<RawEvent>>,
    pub relations: Vec<Raw<RawRelation>>,
    pub steps: Vec<Raw<RawStep>>,
}

impl RawStory {
    /// Number of input records of every kind.
    pub fn record_count(&self) -> usize {
        self.groups.len()
            + self.actors.len()
            + self.sources.len()
            + self.events.len()
            + self.relations.len()
            + self.steps.len()
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

/// Collects the diagnostics of one input.
#[derive(Debug, Clone)]
pub struct Report {
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Work left for "did you mean" hints, in character comparisons, so a file full of
    /// unknown ids is still checked in well under a second.
    pub hint_budget: u64,
}

impl Report {
    pub fn new(file: &str) -> Report {
        Report {
            file: file.to_owned(),
            diagnostics: Vec::new(),
            hint_budget: HINT_BUDGET,
        }
    }

    /// Reports a problem with a record, or with one of its fields.
    pub fn push(
        &mut self,
        severity: Severity,
        origin: &Origin,
        field: Option<&str>,
        message: impl Into<String>,
    ) {
        self.push_message(severity, origin, field, message.into());
    }

    /// `push` for one message type: one copy of this in the wasm, not one per caller's type.
    fn push_message(
        &mut self,
        severity: Severity,
        origin: &Origin,
        field: Option<&str>,
        message: String,
    ) {
        // `sources[2]` is found at its list, `sources`, when items have no position of their own.
        let base = field.map(|f| f.split(['[', '.']).next().unwrap_or(f));
        // A field missing from its item (`media[3].alt`) is found at the item, `media[3]`;
        // `view.fit[2]` is found at `view.fit` (a spreadsheet's cell), then at `view`.
        let parent = field
            .and_then(|f| f.rsplit_once('.'))
            .map(|(p, _)| p)
            .filter(|p| p.ends_with(']'));
        let list = field.map(|f| f.split('[').next().unwrap_or(f));
        let find =
            |name: Option<&str>| name.and_then(|f| origin.fields.iter().find(|(n, _, _)| n == f));
        let position = find(field)
            .or_else(|| find(parent))
            .or_else(|| find(list))
            .or_else(|| find(base))
            .map(|&(_, line, column)| (Some(line), Some(column)))
            .unwrap_or((origin.line, origin.column));
        let location = match field {
            Some(f) if origin.at.is_empty() => format!("field \"{f}\""),
            Some(f) => format!("{}, field \"{f}\"", origin.at),
            None => origin.at.clone(),
        };
        self.diagnostics.push(Diagnostic {
            severity,
            file: origin.file.clone().unwrap_or_else(|| self.file.clone()),
            line: position.0,
            column: position.1,
            location,
            message,
        });
    }

    /// A problem with the whole input (too big, not the expected format).
    pub fn whole_file(&mut self, message: impl Into<String>) {
        self.push(Severity::Error, &Origin::named("whole file"), None, message);
    }
}

/// The name of a record for people: its list, position and id.
pub fn record_at(list: &str, i: usize, id: &str) -> String {
    if id.trim().is_empty() {
        format!("{list}[{i}]")
    } else {
        format!("{list}[{i}] \"{id}\"")
    }
}

/// Checks every record and builds the story from the good ones.
pub fn build(raw: RawStory, report: Report) -> Loaded {
    let mut builder = Builder::new(
        Head {
            title: raw.title,
            summary: raw.summary,
            credit: raw.credit,
            published: raw.published,
        },
        report,
    );
    for (i, group) in raw.groups.into_iter().enumerate() {
        builder.group(i, group);
    }
    for (i, actor) in raw.actors.into_iter().enumerate() {
        builder.actor(i, actor);
    }
    for (i, source) in raw.sources.into_iter().enumerate() {
        builder.source(i, source);
    }
    for event in raw.events {
        builder.event(event);
    }
    for relation in raw.relations {
        builder.relation(relation);
    }
    builder.finish(raw.steps)
}

/// The story's own fields, as written.
#[derive(Debug, Clone, Default)]
pub struct Head {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub credit: Option<String>,
    pub published: Option<String>,
}

/// The checks of [`build`], a record at a time, so that a big story can be read and checked
/// in parts (`read::parts`). Records must come list by list in the order of the methods:
/// groups, actors, sources, events, relations, then `finish` with the steps.
pub struct Builder {
    story: Story,
    report: Report,
    ids: Ids,
    /// The events kept, by id (their ids are not copied: `IdIndex`).
    event_ids: IdIndex,
    /// Dates read so far, each with its place in `whens`: a story repeats its dates (W4's
    /// 200,000 events have a few thousand), and reading one is most of an event's check.
    dates: IdTable,
    whens: Vec<When>,
    listed: Listed,
}

/// Most dates `Builder` remembers: enough for any story's repeats, bounded for one whose
/// every date differs.
const DATES_REMEMBERED: usize = 1 << 14;

impl Builder {
    pub fn new(head: Head, report: Report) -> Builder {
        let mut builder = Builder {
            story: Story::default(),
            report,
            ids: Ids::default(),
            event_ids: IdIndex::default(),
            dates: IdTable::default(),
            whens: Vec::new(),
            listed: Listed {
                list: 0,
                last: Vec::new(),
            },
        };
        builder.head(head);
        builder
    }

    /// The story's own fields: title, summary, credit and date of publication. A story read
    /// while it downloads may name them after its lists (`read::parts`), so they can come last.
    pub fn head(&mut self, head: Head) {
        let story = &mut self.story;
        story.title = non_empty(head.title).unwrap_or_else(|| "Untitled story".into());
        story.summary = non_empty(head.summary);
        story.credit = non_empty(head.credit);
        story.published = non_empty(head.published);
        if let Some(Err(e)) = story.published.as_deref().map(When::parse) {
            let meta = Origin::default();
            let report = &mut self.report;
            report.push(Severity::Warning, &meta, Some("published"), e.to_string());
            story.published = None;
        }
    }

    /// Makes room for about this many actors and events (before the first event).
    pub fn expect(&mut self, actors: usize, events: usize) {
        self.story.actors.reserve_exact(actors);
        self.ids.actors.reserve(actors);
        self.story.events.reserve_exact(events);
        if self.event_ids.is_empty() {
            self.event_ids = IdIndex::with_capacity(events);
        }
    }

    /// Problems found so far.
    pub fn problems(&self) -> usize {
        self.report.diagnostics.len()
    }

    /// The `i`th group as written.
    pub fn group(&mut self, i: usize, Raw { record, origin }: Raw<RawGroup>) {
        let (story, report, ids) = (&mut self.story, &mut self.report, &mut self.ids);
        let at = &origin;
        let (kept, failed) = (&ids.groups, &mut ids.failed_groups);
        if !check_named(&record.id, &record.name, i, kept, failed, at, report) {
            return;
        }
        let fallback = PALETTE[story.groups.len() % PALETTE.len()];
        let color = match record.color.as_deref().map(|c| (c, Rgb::parse(c.trim()))) {
            Some((_, Some(c))) => c,
            Some((text, None)) if !text.trim().is_empty() => {
                report.push(
                    Severity::Warning,
                    at,
                    Some("color"),
                    format!("\"{text}\" is not a colour like #1f77b4; using the palette"),
                );
                fallback
            }
            _ => fallback,
        };
        ids.groups.push(&record.id);
        story.groups.push(Group {
            id: record.id,
            name: trimmed(record.name),
            color,
        });
    }

    /// The `i`th actor as written.
    pub fn actor(&mut self, i: usize, Raw { record, origin }: Raw<RawActor>) {
        let (story, report, ids) = (&mut self.story, &mut self.report, &mut self.ids);
        let at = &origin;
        let (kept, failed) = (&ids.actors, &mut ids.failed_actors);
        if !check_named(&record.id, &record.name, i, kept, failed, at, report) {
            return;
        }
        let group = non_empty(record.group).and_then(|g| {
            let found = ids.groups.get(&g);
            if found.is_none() {
                let why = unknown_id(
                    "group",
                    &g,
                    ids.groups.iter(),
                    ids.failed_groups.contains_key(&g),
                    &mut report.hint_budget,
                );
                report.push(
                    Severity::Warning,
                    at,
                    Some("group"),
                    format!("{why}; the actor is shown without a group"),
                );
            }
            found
        });
        let url = checked_url(record.url, at, "url", report);
        let position = checked_position(record.position, at, report);
        let media = checked_media(record.media, at, report);
        ids.actors.push(&record.id);
        story.actors.push(Actor {
            id: record.id,
            name: trimmed(record.name),
            role: non_empty(record.role),
            group,
            description: non_empty(record.description),
            url,
            position,
            media,
        });
    }

    /// The `i`th source as written.
    pub fn source(&mut self, i: usize, Raw { record, origin }: Raw<RawSource>) {
        let (story, report, ids) = (&mut self.story, &mut self.report, &mut self.ids);
        let at = &origin;
        let (kept, failed) = (&ids.sources, &mut ids.failed_sources);
        if !check_named(&record.id, &record.name, i, kept, failed, at, report) {
            return;
        }
        let url = checked_url(record.url, at, "url", report);
        ids.sources.push(&record.id);
        story.sources.push(Source {
            id: record.id,
            name: trimmed(record.name),
            url,
        });
    }

    /// The lists of ids in events and relations name every actor read so far.
    fn listing_actors(&mut self) {
        self.listed.last.resize(self.story.actors.len(), 0);
    }

    /// An event as written.
    pub fn event(&mut self, Raw { record, origin }: Raw<RawEvent>) {
        self.listing_actors();
        let (story, report, ids) = (&mut self.story, &mut self.report, &self.ids);
        let at = &origin;
        let hash = IdIndex::hash(&record.id);
        let taken = (self.event_ids)
            .find_hashed(hash, &record.id, |i| &story.events[i].id)
            .is_some();
        let mut ok = check_id(&record.id, taken, at, report);
        ok &= check_name(&record.title, "title", at, report);
        // Big stories, which repeat their dates most, are the full build's (issue 17's budget).
        let when = if cfg!(feature = "full") {
            remembered(&mut self.dates, &mut self.whens, &record.date)
        } else {
            When::parse(&record.date)
        };
        let when = match when {
            Ok(w) => Some(w),
            Err(e) => {
                report.push(
                    Severity::Error,
                    at,
                    Some("date"),
                    format!("{e}; the record was left out"),
                );
                None
            }
        };
        let actors = resolve_all(
            &record.actors,
            "actor",
            &ids.actors,
            &ids.failed_actors,
            &mut self.listed,
            at,
            "actors",
            report,
        );
        let citations = citations(record.sources, ids, at, report);
        let (Some(when), Some(actors), Some(sources), true) = (when, actors, citations, ok) else {
            return;
        };
        let media = checked_media(record.media, at, report);
        self.event_ids.push(hash);
        story.events.push(Event {
            id: record.id,
            title: trimmed(record.title),
            when,
            date_text: non_empty(record.date_text),
            actors,
            description: non_empty(record.description),
            sources,
            tags: record.tags,
            media,
        });
    }

    /// A relation as written.
    pub fn relation(&mut self, Raw { record, origin }: Raw<RawRelation>) {
        self.listing_actors();
        let (story, report, ids, listed) = (
            &mut self.story,
            &mut self.report,
            &self.ids,
            &mut self.listed,
        );
        let at = &origin;
        let mut actor = |id: &String, field: &str| {
            let (known, failed) = (&ids.actors, &ids.failed_actors);
            let id = std::slice::from_ref(id);
            resolve_all(id, "actor", known, failed, listed, at, field, report)
        };
        let (from, to) = (actor(&record.from, "from"), actor(&record.to, "to"));
        let label_ok = check_name(&record.label, "label", at, report);
        let when = match record
            .date
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(When::parse)
        {
            Some(Err(e)) => {
                report.push(
                    Severity::Warning,
                    at,
                    Some("date"),
                    format!("{e}; the relation is shown without a date"),
                );
                None
            }
            Some(Ok(w)) => Some(w),
            None => None,
        };
        let citations = citations(record.sources, ids, at, report);
        let (Some(from), Some(to), Some(sources), true) = (from, to, citations, label_ok) else {
            return;
        };
        let (Some(&from), Some(&to)) = (from.first(), to.first()) else {
            return;
        };
        story.relations.push(Relation {
            from,
            to,
            label: trimmed(record.label),
            when,
            sources,
        });
    }

    /// Sorts the events and checks the steps, which name them in their sorted places.
    pub fn finish(mut self, steps: Vec<Raw<RawStep>>) -> Loaded {
        self.story.sort_events();
        for Raw { record, origin } in steps {
            let (ids, story) = (&self.ids, &self.story);
            if let Some(step) = check_step(record, ids, story, &origin, &mut self.report) {
                self.story.steps.push(step);
            }
        }
        Loaded {
            story: self.story,
            diagnostics: self.report.diagnostics,
        }
    }
}

/// The text without white space at its ends, reusing its allocation when it has none (a big
/// story's names and titles rarely do).
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_owned()
    }
}

/// A step, its ids found among the records kept (events in their sorted places), or `None`
/// with every problem reported: an unknown id, a mode, a window or a span that cannot be
/// read are errors, each at its own line and column.
fn check_step(
    record: RawStep,
    ids: &Ids,
    story: &Story,
    at: &Origin,
    report: &mut Report,
) -> Option<Step> {
    let mut ok = check_name(&record.title, "title", at, report);
    let sources = citations(record.sources, ids, at, report);
    let view = record.view;
    let mut actors = |list: &[String], field: &str, report: &mut Report| -> Vec<usize> {
        let mut out = Vec::with_capacity(list.len());
        for (j, id) in list.iter().enumerate() {
            match ids.actors.get(id) {
                Some(a) if !out.contains(&a) => out.push(a),
                Some(_) => {}
                None => {
                    ok = false;
                    let why = unknown_id(
                        "actor",
                        id,
                        ids.actors.iter(),
                        ids.failed_actors.contains_key(id.as_str()),
                        &mut report.hint_budget,
                    );
                    report.push(
                        Severity::Error,
                        at,
                        Some(&format!("view.{field}[{j}]")),
                        format!("{why}; the step was left out"),
                    );
                }
            }
        }
        out
    };
    let select = actors(&view.select, "select", report);
    let fit = actors(&view.fit, "fit", report);
    let mut fail = |field: &str, message: String, report: &mut Report| {
        ok = false;
        report.push(
            Severity::Error,
            at,
            Some(field),
            format!("{message}; the step was left out"),
        );
    };
    let any = match non_empty(view.mode).as_deref() {
        None | Some("all") => false,
        Some("any") => true,
        Some(other) => {
            fail(
                "view.mode",
                format!("the mode \"{other}\" is neither \"all\" nor \"any\""),
                report,
            );
            false
        }
    };
    let window = match non_empty(view.window).map(|w| step_range(&w)) {
        None => None,
        Some(Ok([None, None])) => {
            fail(
                "view.window",
                "the window has neither a start nor an end".into(),
                report,
            );
            None
        }
        Some(Ok(range)) => Some(range),
        Some(Err(message)) => {
            fail("view.window", message, report);
            None
        }
    };
    let time = match non_empty(view.time).map(|t| step_range(&t)) {
        None => None,
        Some(Ok([Some(start), Some(end)])) => Some([start, end]),
        Some(Ok(_)) => {
            fail(
                "view.time",
                "the time axis's span needs a start and an end".into(),
                report,
            );
            None
        }
        Some(Err(message)) => {
            fail("view.time", message, report);
            None
        }
    };
    let focus = match non_empty(view.focus) {
        None => None,
        Some(id) => {
            let found = story.events.iter().position(|e| e.id == id);
            if found.is_none() {
                let known = story.events.iter().map(|e| e.id.as_str());
                let why = unknown_id("event", &id, known, false, &mut report.hint_budget);
                fail("view.focus", why, report);
            }
            found
        }
    };
    let (Some(sources), true) = (sources, ok) else {
        return None;
    };
    Some(Step {
        title: record.title.trim().to_owned(),
        text: non_empty(record.text),
        sources,
        view: StepView {
            select,
            any,
            window,
            time,
            focus,
            fit,
        },
    })
}

/// A step's `start..end`, as a link's fragment writes it: each side an EDTF date or empty
/// (an open end), the end not before the start.
fn step_range(text: &str) -> Result<[Option<String>; 2], String> {
    let Some((start, end)) = text.split_once("..") else {
        return Err(format!("\"{text}\" is not written as start..end"));
    };
    let side = |t: &str| -> Result<Option<(String, When)>, String> {
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        When::parse(t)
            .map(|w| Some((t.to_owned(), w)))
            .map_err(|e| e.to_string())
    };
    let (start, end) = (side(start)?, side(end)?);
    if let (Some((_, s)), Some((_, e))) = (&start, &end)
        && e.end_secs <= s.start_secs
    {
        return Err(format!("\"{text}\" ends before it starts"));
    }
    Ok([start.map(|s| s.0), end.map(|e| e.0)])
}

#[derive(Default)]
struct Ids {
    groups: IdTable,
    actors: IdTable,
    sources: IdTable,
    /// The ids of the records left out (few: only with problems), with their place in their
    /// list.
    failed_groups: HashMap<String, usize>,
    failed_actors: HashMap<String, usize>,
    failed_sources: HashMap<String, usize>,
}

pub fn non_empty(text: Option<String>) -> Option<String> {
    text.map(trimmed).filter(|t| !t.is_empty())
}

/// Whether an id can be kept: not empty, and not `taken` by an earlier record.
fn check_id(id: &str, taken: bool, at: &Origin, report: &mut Report) -> bool {
    if id.trim().is_empty() {
        report.push(
            Severity::Error,
            at,
            Some("id"),
            "the id is empty; the record was left out",
        );
        false
    } else if taken {
        report.push(
            Severity::Error,
            at,
            Some("id"),
            format!("the id \"{id}\" is used twice; this later record was left out"),
        );
        false
    } else {
        true
    }
}

/// Whether a named record (a group, an actor or a source), the `i`th of its list, can be
/// kept: its id is new beside those `kept` and it has a name. One left out is reported and
/// its id remembered in `failed`, so that what refers to it can be told why it is missing.
fn check_named(
    id: &str,
    name: &str,
    i: usize,
    kept: &IdTable,
    failed: &mut HashMap<String, usize>,
    at: &Origin,
    report: &mut Report,
) -> bool {
    if check_id(id, kept.get(id).is_some(), at, report) && check_name(name, "name", at, report) {
        return true;
    }
    failed.insert(id.to_owned(), i);
    false
}

fn check_name(text: &str, field: &str, at: &Origin, report: &mut Report) -> bool {
    if text.trim().is_empty() {
        report.push(
            Severity::Error,
            at,
            Some(field),
            format!("the {field} is empty; the record was left out"),
        );
        false
    } else {
        true
    }
}

/// Keeps only http(s) links, so a link from data can never run script.
fn checked_url(
    url: Option<String>,
    at: &Origin,
    field: &str,
    report: &mut Report,
) -> Option<String> {
    let url = non_empty(url)?;
    if is_web_url(&url) {
        Some(url)
    } else {
        report.push(
            Severity::Warning,
            at,
            Some(field),
            format!("the link \"{url}\" was dropped: only http:// and https:// links are allowed"),
        );
        None
    }
}

/// Keeps the media a page may show: an image only from an `https:` URL (the page's CSP
/// allows no other: `img-src 'self' data: https:`), a link only to an `http(s):` one. Each
/// item dropped, and each image without alt text, is a warning at its field
/// (`media[2].url`); the record itself is always kept.
fn checked_media(raw: Vec<RawMedia>, at: &Origin, report: &mut Report) -> Vec<Media> {
    let mut out = Vec::with_capacity(raw.len());
    for (j, m) in raw.into_iter().enumerate() {
        let field = |f: &str| format!("media[{j}].{f}");
        let kind = match m.kind.as_deref().map(str::trim) {
            Some("image") => MediaKind::Image,
            None | Some("" | "link") => MediaKind::Link,
            Some(other) => {
                report.push(
                    Severity::Warning,
                    at,
                    Some(&field("kind")),
                    format!(
                        "unknown kind \"{other}\": read as a link (the kinds are \"image\" and \"link\")"
                    ),
                );
                MediaKind::Link
            }
        };
        let Some(url) = non_empty(m.url) else {
            report.push(
                Severity::Warning,
                at,
                Some(&format!("media[{j}]")),
                "the media item has no url; it was dropped",
            );
            continue;
        };
        let (allowed, rule) = match kind {
            MediaKind::Image => (is_https_url(&url), "only https:// images are shown"),
            MediaKind::Link => (
                is_web_url(&url),
                "only http:// and https:// links are allowed",
            ),
        };
        if !allowed {
            report.push(
                Severity::Warning,
                at,
                Some(&field("url")),
                format!("the {} \"{url}\" was dropped: {rule}", kind_word(kind)),
            );
            continue;
        }
        let alt = non_empty(m.alt);
        if kind == MediaKind::Image && alt.is_none() {
            report.push(
                Severity::Warning,
                at,
                Some(&field("alt")),
                "the image has no alt text: add words that say what it shows; it is shown with \
                 an empty one, which screen readers skip",
            );
        }
        out.push(Media {
            url,
            kind,
            alt: alt.unwrap_or_default(),
            credit: non_empty(m.credit),
            caption: non_empty(m.caption),
        });
    }
    out
}

fn kind_word(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "image",
        MediaKind::Link => "link",
    }
}

/// True for absolute `https:` URLs with a host: the only images a page loads.
pub fn is_https_url(url: &str) -> bool {
    is_web_url(url)
        && url
            .trim_start()
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

/// Largest stored layout coordinate taken: a layout of a million actors spans a few
/// thousand units, so anything beyond is a typo or a broken export, not a place.
pub const MAX_POSITION: f64 = 1.0e6;

/// An actor's stored position: two numbers within [`MAX_POSITION`]. Anything else is a
/// warning at the field, and the actor is laid out as if it had none (it is still shown).
fn checked_position(
    position: Option<Vec<f64>>,
    at: &Origin,
    report: &mut Report,
) -> Option<[f64; 2]> {
    let position = position?;
    match position[..] {
        [x, y]
            if x.is_finite()
                && y.is_finite()
                && x.abs() <= MAX_POSITION
                && y.abs() <= MAX_POSITION =>
        {
            Some([x, y])
        }
        [_, _] => {
            report.push(
                Severity::Warning,
                at,
                Some("position"),
                format!("a position is within ±{MAX_POSITION:e} layout units; the actor is laid out afresh"),
            );
            None
        }
        _ => {
            report.push(
                Severity::Warning,
                at,
                Some("position"),
                format!(
                    "expected [x, y], two numbers; found {} number{}; the actor is laid out afresh",
                    position.len(),
                    if position.len() == 1 { "" } else { "s" }
                ),
            );
            None
        }
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

/// "there is no actor with id "bb"; did you mean "b"?"
pub fn unknown_id<'a>(
    kind: &str,
    id: &str,
    known: impl ExactSizeIterator<Item = &'a str>,
    failed: bool,
    budget: &mut u64,
) -> String {
    if failed {
        return format!("the {kind} \"{id}\" was left out because of an error above");
    }
    // Without `full` there are no hints: any diagnostic sends the page to the full build,
    // which reports them (see `web`).
    #[cfg(not(feature = "full"))]
    let best: Option<(bool, (), &str)> = {
        let _ = (known, budget);
        None
    };
    #[cfg(feature = "full")]
    let best = closest(id, known, budget);
    match best {
        Some((_, _, k)) => format!("there is no {kind} with id \"{id}\"; did you mean \"{k}\"?"),
        None => format!("there is no {kind} with id \"{id}\""),
    }
}

/// The known id closest to `id`, if one is close enough to be a typo, within `budget`.
#[cfg(feature = "full")]
fn closest<'a>(
    id: &str,
    known: impl ExactSizeIterator<Item = &'a str>,
    budget: &mut u64,
) -> Option<(bool, std::cmp::Reverse<usize>, &'a str)> {
    // Each comparison costs about len(id) × len(k); once the budget is spent, no more hints.
    let id_len = id.chars().count() as u64;
    let cost = id_len.max(1) * 24 * known.len() as u64;
    if cost > *budget {
        *budget = 0;
        None
    } else {
        *budget -= cost;
        // Close means a typo or two (swapped letters count once) or a shared long prefix.
        known
            .map(|k| {
                let edits = strsim::osa_distance(id, k);
                let close =
                    edits <= (id_len as usize / 3).max(1) || strsim::jaro_winkler(id, k) > 0.85;
                (close, std::cmp::Reverse(edits), k)
            })
            .filter(|(close, _, _)| *close)
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.2.cmp(a.2)))
    }
}

/// For each known record, the last list of ids that named it (lists counted from 1), so
/// that a record named twice in one list is found without a hash set per list: a set of
/// indices would be one more copy of the hash table's code in the wasm (issue 6).
struct Listed {
    list: usize,
    last: Vec<usize>,
}

impl Listed {
    /// True the first time the current list names record `i`.
    fn first(&mut self, i: usize) -> bool {
        match self.last.get_mut(i) {
            Some(last) if *last == self.list => false,
            Some(last) => {
                *last = self.list;
                true
            }
            None => true,
        }
    }
}

/// Resolves ids, reporting each unknown one; `None` if any is unknown.
#[allow(clippy::too_many_arguments)]
fn resolve_all(
    ids: &[String],
    kind: &str,
    known: &IdTable,
    failed: &HashMap<String, usize>,
    listed: &mut Listed,
    at: &Origin,
    field: &str,
    report: &mut Report,
) -> Option<Vec<usize>> {
    let mut out = Vec::with_capacity(ids.len());
    listed.list += 1;
    let mut ok = true;
    for id in ids {
        match known.get(id) {
            Some(i) if listed.first(i) => out.push(i),
            Some(_) => report.push(
                Severity::Warning,
                at,
                Some(field),
                format!("the {kind} \"{id}\" is listed twice"),
            ),
            None => {
                ok = false;
                let why = unknown_id(
                    kind,
                    id,
                    known.iter(),
                    failed.contains_key(id.as_str()),
                    &mut report.hint_budget,
                );
                report.push(
                    Severity::Error,
                    at,
                    Some(field),
                    format!("{why}; the record was left out"),
                );
            }
        }
    }
    ok.then_some(out)
}

/// `text` as a date, read once for all the records that give it (`Builder::dates`).
fn remembered(
    dates: &mut IdTable,
    whens: &mut Vec<When>,
    text: &str,
) -> Result<When, crate::story::dates::DateError> {
    if let Some(i) = dates.get(text) {
        return Ok(whens[i]);
    }
    let when = When::parse(text)?;
    if dates.len() < DATES_REMEMBERED {
        dates.push(text);
        whens.push(when);
    }
    Ok(when)
}

fn citations(
    raw: Vec<RawCitation>,
    ids: &Ids,
    at: &Origin,
    report: &mut Report,
) -> Option<Vec<Citation>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut ok = true;
    for (j, c) in raw.into_iter().enumerate() {
        // Named only when there is something to say: most citations are only a source.
        let field = || format!("sources[{j}]");
        match ids.sources.get(&c.source) {
            Some(source) => out.push(Citation {
                source,
                quote: non_empty(c.quote),
                url: c
                    .url
                    .and_then(|url| checked_url(Some(url), at, &field(), report)),
            }),
            None => {
                ok = false;
                let why = unknown_id(
                    "source",
                    &c.source,
                    ids.sources.iter(),
                    ids.failed_sources.contains_key(&c.source),
                    &mut report.hint_budget,
                );
                report.push(
                    Severity::Error,
                    at,
                    Some(&field()),
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

    fn event(i: usize, actor: &str) -> Raw<RawEvent> {
        Raw {
            record: RawEvent {
                id: format!("e{i}"),
                title: "t".into(),
                date: "2025-10".into(),
                actors: vec![actor.into()],
                ..RawEvent::default()
            },
            origin: Origin::named(format!("events[{i}]")),
        }
    }

    #[test]
    fn hints_stop_when_their_budget_is_spent_but_every_error_is_reported() {
        let actor = |id: &str| Raw {
            record: RawActor {
                id: id.into(),
                name: id.into(),
                ..RawActor::default()
            },
            origin: Origin::named(id),
        };
        let raw = RawStory {
            actors: vec![actor("witkoff"), actor("kushner")],
            events: vec![event(0, "witkof"), event(1, "kushnr")],
            ..RawStory::default()
        };
        let with_hints = build(raw.clone(), Report::new("a.json"));
        assert!(
            with_hints
                .errors()
                .all(|d| d.message.contains("did you mean"))
        );
        let mut spent = Report::new("a.json");
        spent.hint_budget = 0;
        let without = build(raw, spent);
        assert_eq!(without.errors().count(), 2);
        assert!(
            without
                .errors()
                .all(|d| !d.message.contains("did you mean"))
        );
    }

    #[test]
    fn an_actor_listed_twice_in_one_event_is_kept_once_with_a_warning() {
        let raw = RawStory {
            actors: vec![Raw {
                record: RawActor {
                    id: "a".into(),
                    name: "A".into(),
                    ..RawActor::default()
                },
                origin: Origin::named("actors[0]"),
            }],
            events: vec![Raw {
                record: RawEvent {
                    id: "e".into(),
                    title: "t".into(),
                    date: "2025".into(),
                    actors: vec!["a".into(); 3],
                    ..RawEvent::default()
                },
                origin: Origin::named("events[0]"),
            }],
            ..RawStory::default()
        };
        let loaded = build(raw, Report::new("a.json"));
        assert_eq!(loaded.story.events[0].actors, vec![0]);
        assert_eq!(loaded.diagnostics.len(), 2);
    }

    /// Dates are read once per text (`Builder::dates`) and event ids moved rather than
    /// copied: what a story says must not change with either.
    #[test]
    fn repeated_dates_and_ids_read_as_written() {
        let actor = Raw {
            record: RawActor {
                id: "a".into(),
                name: "A".into(),
                ..RawActor::default()
            },
            origin: Origin::named("actors[0]"),
        };
        let dated = |i: usize, id: &str, date: &str| {
            let mut e = event(i, "a");
            e.record.id = id.into();
            e.record.date = date.into();
            e
        };
        let raw = RawStory {
            actors: vec![actor],
            events: vec![
                dated(0, "late", "2025-11"),
                dated(1, "early", "2025-10-03"),
                dated(2, "bad", "2025-13"),
                dated(3, "late2", "2025-11"),
                dated(4, "bad2", "2025-13"),
                dated(5, "early", "2025-10"),
            ],
            ..RawStory::default()
        };
        let loaded = build(raw, Report::new("a.json"));
        let story = &loaded.story;
        let ids: Vec<&str> = story.events.iter().map(|e| e.id.as_str()).collect();
        // Sorted by date, each with its own id; the twice-used id and both bad dates reported.
        assert_eq!(ids, ["early", "late", "late2"]);
        assert_eq!(story.events[1].when, story.events[2].when);
        assert_eq!(
            story.events[1].when,
            When::parse("2025-11").expect("a month")
        );
        assert_eq!(
            story.events[0].when,
            When::parse("2025-10-03").expect("a day")
        );
        let errors: Vec<&str> = loaded.errors().map(|d| d.location.as_str()).collect();
        assert_eq!(errors.len(), 3, "{:?}", loaded.diagnostics);
        assert!(errors.iter().any(|l| l.contains("events[2]")));
        assert!(errors.iter().any(|l| l.contains("events[4]")));
        assert!(errors.iter().any(|l| l.contains("events[5]")));
    }
}
