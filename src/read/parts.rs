//! A clean Castline JSON text read and checked in parts, as the page opens a story (in the
//! first download, or in the full build for a big one): a big story (23.6 MB for 200,000 events) is read a few hundred records at a time, each part a
//! task of its own, so the page paints its progress and stays responsive between them.
//!
//! The top level is scanned once for where each list's value lies (its bytes skipped, not
//! parsed); each record is then read from where it starts (`raw`) through the record types
//! of `read::clean`, and checked at once by `load::Builder`, the lists in the order their checks
//! need (groups, actors, sources, events, relations, steps) whatever the file's order. As the
//! derived reader before it, it takes only a clean file: anything the full reader would report
//! (not JSON, a field unknown, of the wrong type or written twice) is `Err`, and the page then
//! loads the full build, which says where.

use serde::de::IgnoredAny;

use crate::read::clean::{Clean, Record};

use crate::read::load::{
    Builder, Diagnostic, Head, Loaded, MAX_INPUT_BYTES, Origin, Raw, RawStep, Report,
};

/// The top level's lists, in the order they are checked.
const LISTS: [&str; 6] = [
    "groups",
    "actors",
    "sources",
    "events",
    "relations",
    "steps",
];
/// The top level's other fields.
const FIELDS: [&str; 6] = [
    "format",
    "title",
    "summary",
    "published",
    "credit",
    "$schema",
];
/// Whether `key` is one of Castline JSON's top-level fields (the full reader warns of others).
pub fn is_top_level(key: &str) -> bool {
    LISTS.contains(&key) || FIELDS.contains(&key)
}

/// Records read between two looks at the clock.
const BETWEEN_LOOKS: usize = 64;

/// Where each list's value starts and ends in the text, in `LISTS`' order, if the file has it.
type Ranges = [Option<(usize, usize)>; 6];
/// About how many records each list has: its commas between records, plus one, but no more
/// than its bytes could hold (a clean event is twice that and more).
type Counts = [usize; 6];

/// A story being read; see the module's doc.
pub struct Reading {
    text: String,
    lists: Ranges,
    /// The list being read, where its next record starts (0 before its `[`), and how many of
    /// its records have been read.
    list: usize,
    at: usize,
    read: usize,
    /// Made when the top level has been scanned.
    builder: Option<Builder>,
    steps: Vec<Raw<RawStep>>,
    /// The file's name, for the one diagnostic a refusal makes.
    file: String,
    /// Whether the top level has been scanned for where each list lies (`scan`).
    scanned: bool,
    /// A text read while it still comes (`Reading::streaming`).
    #[cfg(feature = "full")]
    stream: Option<Box<Stream>>,
}

/// Why a file is refused; the full build says more.
type Refusal = Vec<Diagnostic>;

impl Reading {
    /// Takes the text, refusing it when it is too big; the top level is scanned by the first
    /// `work` (a big story's scan is a task of its own, apart from the text's copy into the
    /// wasm).
    pub fn new(file: &str, mut text: String) -> Result<Reading, Refusal> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(too_big(file));
        }
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Ok(Reading::of(file, text))
    }

    /// A reading of `text` not yet begun.
    fn of(file: &str, text: String) -> Reading {
        Reading {
            lists: [None; 6],
            list: 0,
            at: 0,
            read: 0,
            builder: None,
            steps: Vec::new(),
            file: file.to_owned(),
            scanned: false,
            #[cfg(feature = "full")]
            stream: None,
            text,
        }
    }

    /// Scans the top level, once: `Err` when the file is not a clean Castline JSON object.
    fn scan(&mut self) -> Result<(), Refusal> {
        if !self.scanned {
            let (lists, counts, head) = top_level(&self.text).ok_or_else(|| self.refusal())?;
            self.lists = lists;
            self.scanned = true;
            match &mut self.builder {
                // A text read as it came, as far as a list out of the order the checks need:
                // the lists before it are read, and the story's own fields are known now.
                Some(builder) => builder.head(head),
                None => {
                    let mut builder = Builder::new(head, Report::new(&self.file));
                    // Room made once: a big story's 200,000 events otherwise grow their list
                    // and their index a doubling at a time. Big stories are the full build's.
                    if cfg!(feature = "full") {
                        builder.expect(counts[1], counts[3]);
                    }
                    self.builder = Some(builder);
                }
            }
        }
        Ok(())
    }

    /// Reads and checks records until `time_up()` says so or all are read; `Ok(true)` when
    /// all are.
    pub fn work(&mut self, time_up: &mut dyn FnMut() -> bool) -> Result<bool, Refusal> {
        #[cfg(feature = "full")]
        if let Some(done) = self.work_as_it_comes(time_up)? {
            return Ok(done);
        }
        if !self.scanned {
            self.scan()?;
            if time_up() {
                return Ok(false);
            }
        }
        loop {
            for _ in 0..BETWEEN_LOOKS {
                if !self.next().ok_or_else(|| self.refusal())? {
                    return Ok(true);
                }
            }
            if time_up() {
                return Ok(false);
            }
        }
    }

    /// How much of the text has been read, 0 to 1; NaN while a text of unknown length comes.
    pub fn progress(&self) -> f64 {
        #[cfg(feature = "full")]
        if let Some(stream) = self.stream.as_deref().filter(|s| !s.handed_over) {
            if stream.top == Top::Closed {
                return 1.0;
            }
            // With no length, or one the text has outgrown (a compressed response's), there
            // is no share to give while it comes.
            if !stream.whole && stream.expected < self.text.len().max(1) {
                return f64::NAN;
            }
            let all = stream.expected.max(self.text.len()).max(1);
            return (self.at.max(stream.at) as f64 / all as f64).min(1.0);
        }
        if !self.scanned {
            return 0.0;
        }
        let done: usize = (0..self.list)
            .filter_map(|l| self.lists[l].map(|(s, e)| e - s))
            .sum::<usize>()
            + self
                .lists
                .get(self.list)
                .copied()
                .flatten()
                .map_or(0, |(s, _)| self.at.max(s) - s);
        let all: usize = self.lists.iter().flatten().map(|(s, e)| e - s).sum();
        if all == 0 {
            1.0
        } else {
            done as f64 / all as f64
        }
    }

    /// The story, once `work` has said all is read (what is left is read first).
    pub fn finish(mut self) -> Result<Loaded, Refusal> {
        #[cfg(feature = "full")]
        if self.work_as_it_comes(&mut || false)? == Some(false) {
            // Waiting for more: the text is not all there.
            return Err(self.refusal());
        }
        self.scan()?;
        while self.next().ok_or_else(|| self.refusal())? {}
        match self.builder {
            Some(builder) => Ok(builder.finish(self.steps)),
            None => Err(self.refusal()),
        }
    }

    fn refusal(&self) -> Refusal {
        let mut report = Report::new(&self.file);
        report.whole_file("not a clean Castline file");
        report.diagnostics
    }

    /// Reads and checks the next record: `Some(false)` when there are none left, `None` when
    /// the text is not clean.
    fn next(&mut self) -> Option<bool> {
        let b = self.text.as_bytes();
        let (list, start, end) = loop {
            let Some(&range) = self.lists.get(self.list) else {
                return Some(false);
            };
            let Some((start, end)) = range else {
                self.list += 1;
                continue;
            };
            if self.at > 0 {
                break (self.list, start, end);
            }
            // A list's first look: `null` is no list; otherwise past its `[`.
            if &b[start..end] == b"null" {
                self.list += 1;
                continue;
            }
            (b.get(start) == Some(&b'[')).then_some(())?;
            self.at = blank(b, start + 1);
            if b.get(self.at) != Some(&b']') {
                break (self.list, start, end);
            }
            (self.at + 1 == end).then_some(())?;
            (self.list, self.at) = (self.list + 1, 0);
        };
        debug_assert!(self.at > start);
        // The record is read from where it starts; `raw` says where it ends.
        let text = self.text.get(self.at..end)?;
        let builder = self.builder.as_mut()?;
        let i = self.read;
        let used = match list {
            0 => raw(text, |r| builder.group(i, r))?,
            1 => raw(text, |r| builder.actor(i, r))?,
            2 => raw(text, |r| builder.source(i, r))?,
            3 => raw(text, |r| builder.event(r))?,
            4 => raw(text, |r| builder.relation(r))?,
            _ => raw(text, |r| self.steps.push(r))?,
        };
        self.read += 1;
        self.at = blank(b, self.at + used);
        match b.get(self.at) {
            Some(b',') => self.at = blank(b, self.at + 1),
            // The list ends, and its value with it.
            Some(b']') if self.at + 1 == end => {
                (self.list, self.at, self.read) = (self.list + 1, 0, 0);
            }
            _ => return None,
        }
        Some(true)
    }
}

/// Where the walk of a text that still comes is in its top level.
#[cfg(feature = "full")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Top {
    /// Before the `{`.
    #[default]
    Start,
    /// Past the `{`: a field or the `}`.
    First,
    /// Past a `,`: a field.
    Field,
    /// Past a field's value (a list's `]`): a `,` or the `}`.
    Value,
    /// Past the `}`: only blanks may follow.
    Closed,
}

/// The top level of a text that still comes, walked as far as it has come.
#[cfg(feature = "full")]
#[derive(Default)]
struct Stream {
    /// The start of a character whose end is still to come.
    cut: Vec<u8>,
    top: Top,
    /// Where the walk is when not inside a list.
    at: usize,
    /// Inside a list, past a record: a `,` or the `]` is next.
    after_record: bool,
    /// The top level's fields met, as `top_level` counts them.
    seen: [bool; 12],
    head: Head,
    /// All the text has come (`Reading::end`).
    whole: bool,
    /// A list came before one its checks need: the rest is read once the text is whole,
    /// as a text given whole is.
    handed_over: bool,
    /// The last `work` stopped for want of text.
    hungry: bool,
    /// The text's first character has come (a byte order mark there is dropped).
    begun: bool,
    /// The text's length at which to look again after coming short: a record or a value
    /// still coming is tried again once the text past its start has doubled, so that a huge
    /// one is not read again at every part.
    retry_at: usize,
    /// The text's length, when known (the response's), for progress and room.
    expected: usize,
}

/// What a step of the walk did.
#[cfg(feature = "full")]
enum Walk {
    Went,
    /// The text that has come ends first.
    Hungry,
    /// The last `}` and the end of the text.
    Closed,
    /// A list before one its checks need (see `Stream::handed_over`).
    HandOver,
}

#[cfg(feature = "full")]
impl Reading {
    /// A story read while its text still comes (the full build, as a big story downloads):
    /// `push` each part as it comes, `end` after the last, and `work` between them. Records
    /// are read as they come while the lists come in the order their checks need (Castline's
    /// own files always); from a list out of that order, the rest waits for the whole text.
    /// `expected` is the text's length if known (0 if not).
    pub fn streaming(file: &str, expected: usize) -> Reading {
        let mut reading = Reading::of(file, String::with_capacity(expected.min(MAX_INPUT_BYTES)));
        reading.stream = Some(Box::new(Stream {
            expected,
            ..Stream::default()
        }));
        reading
    }

    /// The next part of the text, as UTF-8 bytes, which may end inside a character.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), Refusal> {
        let refused = self.refusal();
        let stream = self.stream.as_deref_mut().filter(|s| !s.whole);
        let Some(stream) = stream else {
            return Err(refused);
        };
        let joined;
        let bytes = if stream.cut.is_empty() {
            bytes
        } else {
            stream.cut.extend_from_slice(bytes);
            joined = std::mem::take(&mut stream.cut);
            &joined[..]
        };
        if self.text.len() + bytes.len() > MAX_INPUT_BYTES {
            return Err(too_big(&self.file));
        }
        let (whole, cut) = match std::str::from_utf8(bytes) {
            Ok(text) => (text, &[][..]),
            // A character cut at the end of the part: its start waits for the rest.
            Err(e) if e.error_len().is_none() => {
                let (head, cut) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(head).map_err(|_| refused.clone())?, cut)
            }
            Err(_) => return Err(refused),
        };
        self.text.push_str(whole);
        stream.cut.extend_from_slice(cut);
        stream.hungry = false;
        // A byte order mark, once, at the very start, as `Reading::new` drops it.
        if !stream.begun && !self.text.is_empty() {
            stream.begun = true;
            if self.text.starts_with('\u{feff}') {
                self.text.drain(..'\u{feff}'.len_utf8());
            }
        }
        Ok(())
    }

    /// All the text has come.
    pub fn end(&mut self) -> Result<(), Refusal> {
        let refused = self.refusal();
        match self.stream.as_deref_mut() {
            Some(stream) if stream.cut.is_empty() => {
                stream.whole = true;
                stream.hungry = false;
                Ok(())
            }
            _ => Err(refused),
        }
    }

    /// Whether the last `work` stopped for want of text: `push` the next part.
    pub fn hungry(&self) -> bool {
        self.stream.as_deref().is_some_and(|s| s.hungry)
    }

    /// `work` while the text comes: `Some(done)` as `work` says it, or `None` when the rest
    /// is read as a text given whole (none streamed, or handed over and all come).
    fn work_as_it_comes(
        &mut self,
        time_up: &mut dyn FnMut() -> bool,
    ) -> Result<Option<bool>, Refusal> {
        let Some(stream) = self.stream.as_deref_mut() else {
            return Ok(None);
        };
        if stream.handed_over {
            stream.hungry = !stream.whole;
            return Ok((!stream.whole).then_some(false));
        }
        loop {
            for _ in 0..BETWEEN_LOOKS {
                match self.walk().ok_or_else(|| self.refusal())? {
                    Walk::Went => {}
                    Walk::Hungry => {
                        if let Some(stream) = self.stream.as_deref_mut() {
                            stream.hungry = true;
                        }
                        return Ok(Some(false));
                    }
                    Walk::Closed => return Ok(Some(true)),
                    Walk::HandOver => {
                        let Some(stream) = self.stream.as_deref_mut() else {
                            return Ok(None);
                        };
                        stream.handed_over = true;
                        stream.hungry = !stream.whole;
                        return Ok((!stream.whole).then_some(false));
                    }
                }
            }
            if time_up() {
                return Ok(Some(false));
            }
        }
    }

    /// One step of the walk: a record read, a field, a bracket; `None` when the text is not
    /// clean (or has ended short).
    fn walk(&mut self) -> Option<Walk> {
        let file = &self.file;
        let stream = self.stream.as_deref_mut()?;
        let b = self.text.as_bytes();
        // Short of text: wait for more, or refuse a text that has all come.
        let short = |stream: &mut Stream, from: usize| {
            stream.retry_at = b.len() + (b.len() - from.min(b.len()));
            (!stream.whole).then_some(Walk::Hungry)
        };
        if !stream.whole && b.len() < stream.retry_at {
            return Some(Walk::Hungry);
        }
        // Inside a list.
        if self.at > 0 {
            let at = blank(b, self.at);
            if at == b.len() {
                return short(stream, at);
            }
            let ends = match b[at] {
                b',' if stream.after_record => {
                    stream.after_record = false;
                    self.at = at + 1;
                    return Some(Walk::Went);
                }
                b']' => stream.after_record || self.read == 0,
                _ if stream.after_record => return None,
                _ => false,
            };
            if ends {
                (self.list, self.at, self.read) = (self.list + 1, 0, 0);
                stream.after_record = false;
                (stream.top, stream.at) = (Top::Value, at + 1);
                return Some(Walk::Went);
            }
            let text = self.text.get(at..)?;
            let builder = self.builder.as_mut()?;
            let i = self.read;
            let used = match self.list {
                0 => coming(text, |r| builder.group(i, r))?,
                1 => coming(text, |r| builder.actor(i, r))?,
                2 => coming(text, |r| builder.source(i, r))?,
                3 => coming(text, |r| builder.event(r))?,
                4 => coming(text, |r| builder.relation(r))?,
                _ => coming(text, |r| self.steps.push(r))?,
            };
            let Some(used) = used else {
                return short(stream, at);
            };
            self.read += 1;
            self.at = at + used;
            stream.after_record = true;
            return Some(Walk::Went);
        }
        let at = blank(b, stream.at);
        if at == b.len() {
            if stream.top == Top::Closed {
                return Some(if stream.whole {
                    Walk::Closed
                } else {
                    Walk::Hungry
                });
            }
            return short(stream, at);
        }
        match (stream.top, b[at]) {
            (Top::Start, b'{') => stream.top = Top::First,
            (Top::First | Top::Value, b'}') => stream.top = Top::Closed,
            (Top::Value, b',') => stream.top = Top::Field,
            (Top::First | Top::Field, b'"') => {
                let Some(key_end) = skip_string(b, at) else {
                    return short(stream, at);
                };
                let key: String = serde_json::from_str(self.text.get(at..key_end)?).ok()?;
                let colon = blank(b, key_end);
                let start = blank(b, colon + 1);
                if start >= b.len() {
                    return short(stream, at);
                }
                (b[colon] == b':').then_some(())?;
                let list = LISTS.iter().position(|l| *l == key);
                let field = FIELDS.iter().position(|f| *f == key);
                let slot = list.or(field.map(|f| f + LISTS.len()))?;
                (!stream.seen[slot]).then_some(())?;
                if let Some(l) = list {
                    if !stream.seen[..l].iter().all(|&s| s) {
                        return Some(Walk::HandOver);
                    }
                    if b[start] == b'[' {
                        let builder = (self.builder).get_or_insert_with(|| {
                            Builder::new(Head::default(), Report::new(file))
                        });
                        // Room for the events, guessed from the bytes still to come: a clean
                        // event is a hundred bytes and more.
                        if l == 3 {
                            builder.expect(0, stream.expected.saturating_sub(start) / 100);
                        }
                        (self.list, self.at, self.read) = (l, start + 1, 0);
                        stream.after_record = false;
                    } else {
                        let end = start + 4;
                        if end > b.len() {
                            return short(stream, at);
                        }
                        (&b[start..end] == b"null").then_some(())?;
                        self.list = l + 1;
                        (stream.top, stream.at) = (Top::Value, end);
                    }
                } else {
                    let end = skip_value(b, start, &mut 0);
                    // A value running to the end of what has come may go on.
                    let Some(end) = end.filter(|&e| e < b.len() || stream.whole) else {
                        return short(stream, at);
                    };
                    top_field(&key, self.text.get(start..end)?, &mut stream.head)?;
                    (stream.top, stream.at) = (Top::Value, end);
                }
                stream.seen[slot] = true;
                return Some(Walk::Went);
            }
            _ => return None,
        }
        stream.at = at + 1;
        if stream.top == Top::Closed {
            // The story is all read: its own fields go in, and nothing is left to scan.
            let head = std::mem::take(&mut stream.head);
            match &mut self.builder {
                Some(builder) => builder.head(head),
                None => self.builder = Some(Builder::new(head, Report::new(file))),
            }
            self.scanned = true;
            self.list = LISTS.len();
        }
        Some(Walk::Went)
    }
}

/// The record `text` starts with, as `raw` reads it, from a text that may end inside it:
/// `Some(None)` when it does (nothing is handed to `take`), `None` when it is not clean.
#[cfg(feature = "full")]
fn coming<T: Record>(text: &str, take: impl FnOnce(Raw<T>)) -> Option<Option<usize>> {
    let mut records = serde_json::Deserializer::from_str(text).into_iter::<Clean<T>>();
    match records.next() {
        None => Some(None),
        Some(Err(e)) => e.is_eof().then_some(None),
        Some(Ok(Clean(record))) => {
            take(Raw {
                record,
                origin: Origin::default(),
            });
            Some(Some(records.byte_offset()))
        }
    }
}

/// The refusal of a text over [`MAX_INPUT_BYTES`].
fn too_big(file: &str) -> Refusal {
    let mut report = Report::new(file);
    report.whole_file("the file is too big");
    report.diagnostics
}

/// Reads a clean Castline JSON text at once: `Reading` with no pauses.
pub fn read_clean(file: &str, text: &str) -> Result<Loaded, Refusal> {
    Reading::new(file, text.to_owned())?.finish()
}

/// The record `text` starts with, read cleanly (`read::clean`) with no origin (a clean file
/// has nothing to point at) and handed to `take`; how many bytes it was.
///
/// The full build, which reads big stories, lets serde_json say where the record ends, so its
/// bytes are gone over once; the first build, which reads small ones, finds the end first
/// (`skip_value`), which is 0.8 KB brotli less of its download (issue 17's budget).
fn raw<T: Record>(text: &str, take: impl FnOnce(Raw<T>)) -> Option<usize> {
    let (record, used) = if cfg!(feature = "full") {
        let mut records = serde_json::Deserializer::from_str(text).into_iter::<Clean<T>>();
        (records.next()?.ok()?.0, records.byte_offset())
    } else {
        let end = skip_value(text.as_bytes(), 0, &mut 0)?;
        (
            serde_json::from_str::<Clean<T>>(text.get(..end)?).ok()?.0,
            end,
        )
    };
    take(Raw {
        record,
        origin: Origin::default(),
    });
    Some(used)
}

/// The top level: where each list lies and the story's own fields; `None` unless it is one
/// object of known fields, each written once, in a known format.
fn top_level(text: &str) -> Option<(Ranges, Counts, Head)> {
    let b = text.as_bytes();
    let mut lists = [None; 6];
    let mut counts = [0; 6];
    let mut head = Head::default();
    let mut seen = [false; 12];
    let mut at = blank(b, 0);
    (b.get(at) == Some(&b'{')).then_some(())?;
    at = blank(b, at + 1);
    if b.get(at) == Some(&b'}') {
        return (blank(b, at + 1) == b.len()).then_some((lists, counts, head));
    }
    loop {
        let key_end = skip_value(b, at, &mut 0)?;
        let key: String = serde_json::from_str(text.get(at..key_end)?).ok()?;
        at = blank(b, key_end);
        (b.get(at) == Some(&b':')).then_some(())?;
        let start = blank(b, at + 1);
        let mut commas = 0;
        let end = skip_value(b, start, &mut commas)?;
        let value = text.get(start..end)?;
        let list = LISTS.iter().position(|l| *l == key);
        let field = FIELDS.iter().position(|f| *f == key);
        let slot = list.or(field.map(|f| f + LISTS.len()))?;
        (!std::mem::replace(&mut seen[slot], true)).then_some(())?;
        if let Some(l) = list {
            lists[l] = Some((start, end));
            // At most one record per 48 bytes, so that a list of commas makes no room.
            counts[l] = (commas + 1).min((end - start) / 48);
        } else {
            top_field(&key, value, &mut head)?;
        }
        at = blank(b, end);
        match b.get(at) {
            Some(b',') => at = blank(b, at + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    (blank(b, at + 1) == b.len()).then_some((lists, counts, head))
}

/// A top-level field other than a list, checked, the story's own ones kept in `head`.
fn top_field(key: &str, value: &str, head: &mut Head) -> Option<()> {
    if key == "$schema" {
        serde_json::from_str::<IgnoredAny>(value).ok()?;
        return Some(());
    }
    let v: Option<String> = serde_json::from_str(value).ok()?;
    match key {
        "format" => matches!(v.as_deref(), None | Some("castline/1")).then_some(())?,
        "title" => head.title = v,
        "summary" => head.summary = v,
        "published" => head.published = v,
        _ => head.credit = v,
    }
    Some(())
}

/// Past any JSON white space from `at`.
fn blank(b: &[u8], mut at: usize) -> usize {
    while matches!(b.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// Where the JSON value starting at `at` ends: a string or a bracketed value by its closing
/// mark, anything else at the next delimiter; `commas` counts those directly inside it. Only
/// the bounds are found; serde_json checks the value itself when it reads it.
fn skip_value(b: &[u8], at: usize, commas: &mut usize) -> Option<usize> {
    let mut i = at;
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match *b.get(i)? {
                    b'"' => {
                        i = skip_string(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    b',' if depth == 1 => *commas += 1,
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            while !matches!(
                b.get(i),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                i += 1;
            }
            (i > at).then_some(i)
        }
    }
}

/// Past the string whose opening quote is at `at`.
fn skip_string(b: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up story of 2,000 events and the default story, read a part at a time: the
    /// same story as at once, the progress rising to 1.
    #[test]
    fn a_story_read_in_parts_is_the_story_read_at_once() {
        let big = crate::write::generate::generate(200, 2_000, 7);
        // A part is `BETWEEN_LOOKS` records.
        assert!(in_parts(&big) >= 2_000 / BETWEEN_LOOKS);
        in_parts(crate::DEFAULT_STORY);
    }

    /// The parts it took.
    fn in_parts(text: &str) -> usize {
        let whole = read_clean("s.json", text).expect("clean");
        let mut reading = Reading::new("s.json", text.to_owned()).expect("clean");
        let (mut parts, mut last) = (0, 0.0);
        while !reading.work(&mut || true).expect("clean") {
            let progress = reading.progress();
            assert!(
                progress >= last && progress <= 1.0,
                "{progress} after {last}"
            );
            last = progress;
            parts += 1;
        }
        assert_eq!(reading.progress(), 1.0);
        let parted = reading.finish().expect("clean");
        assert_eq!(parted.story, whole.story);
        assert!(parted.diagnostics.is_empty(), "{:?}", parted.diagnostics);
        assert!(whole.story.events.len() > 10);
        parts
    }

    /// The scan counts each list's records, to make room for them once, but never more than
    /// its bytes could hold: a list of commas (refused later) makes no room.
    #[test]
    fn lists_are_counted_and_a_list_of_commas_makes_no_room() {
        let text = crate::write::generate::generate(120, 900, 3);
        let (_, counts, _) = top_level(&text).expect("a clean top level");
        assert_eq!((counts[1], counts[3]), (120, 900));
        let commas = format!(r#"{{"events": [{}]}}"#, ",".repeat(96_000));
        let (_, counts, _) = top_level(&commas).expect("the top level's bounds only");
        assert!(counts[3] <= commas.len() / 48, "{}", counts[3]);
        assert!(read_clean("c.json", &commas).is_err());
    }

    /// `text` pushed `part` bytes at a time, worked on between parts as the page does.
    #[cfg(feature = "full")]
    fn streamed(text: &[u8], part: usize) -> Result<Loaded, Refusal> {
        let mut reading = Reading::streaming("s.json", text.len());
        for chunk in text.chunks(part) {
            reading.push(chunk)?;
            while !reading.work(&mut || false)? && !reading.hungry() {}
        }
        reading.end()?;
        while !reading.work(&mut || true)? {}
        reading.finish()
    }

    /// A story read while it comes, in parts of any size (a character's bytes split between
    /// two), is the story read whole; its records are read before the last part has come.
    #[cfg(feature = "full")]
    #[test]
    fn a_story_read_as_it_comes_is_the_story_read_whole() {
        let big = crate::write::generate::generate(200, 2_000, 7);
        for text in [big.as_str(), crate::DEFAULT_STORY] {
            let whole = read_clean("s.json", text).expect("clean");
            for part in [1, 7, 64, 1_000, 65_536] {
                if part == 1 && text.len() > 100_000 {
                    continue;
                }
                let loaded = streamed(text.as_bytes(), part).expect("clean");
                assert_eq!(loaded.story, whole.story, "parts of {part} bytes");
                assert!(loaded.diagnostics.is_empty());
            }
        }
        // Half of it come: the groups, actors and sources are read, and events with them.
        let mut reading = Reading::streaming("s.json", big.len());
        reading
            .push(&big.as_bytes()[..big.len() / 2])
            .expect("clean so far");
        assert!(!reading.work(&mut || false).expect("clean so far"));
        assert!(reading.hungry());
        assert_eq!(reading.list, 3, "reading the events");
        assert!(
            reading.read > 500,
            "{} events read from half the text",
            reading.read
        );
        assert!(reading.progress() > 0.4 && reading.progress() < 0.6);
        // With no length given, or one the text outgrows (a compressed response's), there is
        // no share to give until all has come; then all is read.
        for expected in [0, big.len() / 4] {
            let mut reading = Reading::streaming("s.json", expected);
            let (half, rest) = big.as_bytes().split_at(big.len() / 2);
            reading.push(half).expect("clean so far");
            assert!(!reading.work(&mut || false).expect("clean so far"));
            assert!(reading.progress().is_nan(), "{expected}");
            reading.push(rest).expect("clean");
            reading.end().expect("all come");
            while !reading.work(&mut || false).expect("clean") {}
            assert_eq!(reading.progress(), 1.0);
            let loaded = reading.finish().expect("clean");
            assert_eq!(loaded.story.events.len(), 2_000);
        }
        // Names in other alphabets, split inside their characters, and a byte order mark.
        let text = "\u{feff}{\"title\": \"Зеленський 🇺🇦\", \"actors\": [{\"id\": \"z\", \"name\": \"Володимир Зеленський\"}, {\"id\": \"é\", \"name\": \"Élysée ✓\"}], \"events\": [{\"id\": \"e\", \"title\": \"Зустріч\", \"date\": \"2025-11\", \"actors\": [\"z\", \"é\"]}]}";
        let whole = read_clean("s.json", text).expect("clean");
        for part in 1..6 {
            let loaded = streamed(text.as_bytes(), part).expect("clean");
            assert_eq!(loaded.story, whole.story, "parts of {part} bytes");
        }
        assert_eq!(whole.story.actors[0].name, "Володимир Зеленський");
    }

    /// Read while they come, a byte at a time, the texts the whole reading takes or refuses
    /// are taken as the same story or refused: lists out of order are read once all has
    /// come, and bytes that are not UTF-8 are refused.
    #[cfg(feature = "full")]
    #[test]
    fn what_comes_in_parts_is_read_or_refused_as_it_is_whole() {
        let texts = [
            ANY_ORDER,
            "{}",
            " \n{ }\n",
            "\u{feff}{\"actors\": [], \"events\": null, \"$schema\": {\"a\": [1, \"]\"]}}",
            "{\"actors\":[ ],\"events\":[\n]}",
            r#"{"groups": [], "actors": [{"id": "a", "name": "A ] } \" [ {"}], "sources": null}"#,
            r#"{"actors": [{"id": "a", "name": "A"}], "title": "Last", "published": "2025-11-20"}"#,
        ];
        for text in texts.into_iter().chain(REFUSED) {
            let whole = read_clean("t.json", text);
            let parted = streamed(text.as_bytes(), 1);
            match (whole, parted) {
                (Ok(w), Ok(p)) => assert_eq!(w.story, p.story, "{text}"),
                (Err(_), Err(_)) => {}
                (w, p) => panic!("{text}: whole {:?}, in parts {:?}", w.is_ok(), p.is_ok()),
            }
        }
        let mut reading = Reading::streaming("s.json", 0);
        assert!(reading.push(b"{\"title\": \"\xff\"}").is_err());
        // A character cut short at the end.
        let mut reading2 = Reading::streaming("s.json", 0);
        reading2
            .push(b"{\"title\": \"\xd0")
            .expect("the rest may come");
        assert!(reading2.end().is_err());
        drop(reading);
    }

    const ANY_ORDER: &str = r#" { "steps": [{"title": "S", "view": {"select": ["a"]}}],
            "relations": [{"from": "a", "to": "b", "label": "met"}],
            "events" : [ {"id": "e", "title": "T", "date": "2025-11", "actors": ["a", "b"],
                          "sources": [{"source": "s"}]} ],
            "sources": [{"id": "s", "name": "S"}],
            "actors": [{"id": "a", "name": "A", "group": "g"}, {"id": "b", "name": "B"}],
            "groups": [{"id": "g", "name": "G"}], "title": "Any order" } "#;

    /// The lists are checked in the order their checks need, whatever the file's order.
    #[test]
    fn lists_are_read_in_any_order() {
        let loaded = read_clean("t.json", ANY_ORDER).expect("clean");
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let s = &loaded.story;
        assert_eq!(s.title, "Any order");
        assert_eq!((s.groups.len(), s.actors.len(), s.sources.len()), (1, 2, 1));
        assert_eq!(
            (s.events.len(), s.relations.len(), s.steps.len()),
            (1, 1, 1)
        );
        assert_eq!(s.actors[0].group, Some(0));
        assert_eq!(s.events[0].actors, vec![0, 1]);
    }

    #[test]
    fn empty_and_null_lists_blanks_and_a_byte_order_mark_are_clean() {
        for text in [
            "{}",
            " \n{ }\n",
            "\u{feff}{\"actors\": [], \"events\": null, \"$schema\": {\"a\": [1, \"]\"]}}",
            "{\"actors\":[ ],\"events\":[\n]}",
        ] {
            let loaded = read_clean("t.json", text).expect(text);
            assert!(loaded.diagnostics.is_empty(), "{text}");
            assert_eq!(loaded.story.events.len(), 0);
        }
        // Brackets and quotes inside strings do not end a record.
        let text = r#"{"actors": [{"id": "a", "name": "A ] } \" [ {"}]}"#;
        let loaded = read_clean("t.json", text).expect("clean");
        assert_eq!(loaded.story.actors[0].name, "A ] } \" [ {");
    }

    #[test]
    fn what_is_not_clean_json_is_refused() {
        for text in REFUSED {
            assert!(read_clean("t.json", text).is_err(), "{text}");
        }
    }

    const REFUSED: [&str; 18] = [
        "",
        "[]",
        "{",
        r#"{"title": "T"} x"#,
        r#"{"title": "T", "title": "U"}"#,
        r#"{"colour": 1}"#,
        r#"{"format": "castline/2"}"#,
        r#"{"title": "T",}"#,
        r#"{"title" "T"}"#,
        r#"{"actors": [{"id": "a", "name": "A"},]}"#,
        r#"{"actors": [{"id": "a", "name": "A"} {"id": "b", "name": "B"}]}"#,
        r#"{"actors": [{"id": "a", "name": "A"}"#,
        r#"{"actors": {"id": "a", "name": "A"}}"#,
        r#"{"actors": [{"id": "a", "name": "A"]}"#,
        r#"{"actors": [tru]}"#,
        r#"{"events": [{"id": "e", "title": "T", "date": "2025", "actors": ["a"]}] ]}"#,
        r#"{"$schema": [1,]}"#,
        // An unknown field: the full build's record types would take it, so both say no.
        r#"{"actors": [{"id": "a", "name": "A", "colour": "red"}]}"#,
    ];
}
