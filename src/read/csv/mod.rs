//! Reading Castline spreadsheets (CSV) into raw records, each row with its file, line and column.
//!
//! A story is one `events.csv`, optionally with `actors.csv` and `relations.csv`; which sheet is
//! which is told by its header (file names only break ties). Headers match case-insensitively,
//! with spaces, hyphens and underscores alike (`Date text` = `date_text`). Actors, groups and
//! sources named in cells are created on first mention, so a lone events sheet is a story.
//!
//! Positions: a row's `line` is where it starts in the file (a quoted cell may span lines), its
//! `column` the spreadsheet column number (1 = A), and its name `row N` counts spreadsheet rows
//! with the header as row 1. The table reader ([`read_table`]) and the name helpers are shared
//! with the TimelineJS importer.

// The same hasher as `load`'s id maps: one copy of the hash table's code in the wasm.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::read::load::{
    Diagnostic, Loaded, MAX_INPUT_BYTES, Origin, Raw, RawActor, RawCitation, RawEvent, RawGroup,
    RawRelation, RawSource, RawStory, Report, Severity, build, is_web_url, non_empty,
};

/// Unknown columns reported one by one; past this, one summary warning (a header of a million
/// commas must not become a million warnings).
const MAX_COLUMN_WARNINGS: usize = 50;

/// Typo hints ("did you mean …?") are looked for only among this many names, of at most this
/// many characters, so they stay cheap on huge inputs.
const MAX_HINT_NAMES: usize = 2_000;
const MAX_HINT_CHARS: usize = 80;
/// Character pairs compared for hints in one input, at most: well under a second.
const MAX_HINT_WORK: usize = 10_000_000;

/// Longest id derived from a name or title, so a huge cell does not become a huge id.
const MAX_SLUG_CHARS: usize = 64;

/// One CSV file, parsed: the header and the non-empty rows under it.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub file: String,
    pub header: Row,
    /// Header cells normalised for matching (`date_text`).
    pub keys: Vec<String>,
    pub rows: Vec<Row>,
}

/// One spreadsheet row.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Spreadsheet row number: the header is row 1.
    pub number: usize,
    /// Line of each cell's start; a quoted cell with new lines pushes the next cells down.
    pub lines: Vec<usize>,
    pub cells: Vec<String>,
}

impl Row {
    pub fn line(&self) -> usize {
        self.lines.first().copied().unwrap_or(1)
    }

    /// The cell in a column, or "" when the row is short or the column absent.
    pub fn cell(&self, column: Option<usize>) -> &str {
        column
            .and_then(|c| self.cells.get(c))
            .map_or("", String::as_str)
    }

    /// Where a record read from this row came from; `fields` maps field names (as diagnostics
    /// name them) to columns.
    pub fn origin(&self, file: &str, fields: &[(&str, usize)]) -> Origin {
        Origin {
            at: format!("row {}", self.number),
            file: Some(file.to_owned()),
            line: Some(self.line()),
            column: Some(1),
            fields: fields
                .iter()
                .map(|&(name, c)| {
                    let line = self.lines.get(c).copied().unwrap_or_else(|| self.line());
                    (name.to_owned(), line, c + 1)
                })
                .collect(),
        }
    }
}

/// `Date text`, `date-text`, ` DATE_TEXT ` → `date_text`.
pub(crate) fn normalise_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for word in header
        .trim()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A stable id from a name: lower case, letters and digits kept, anything else one hyphen.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    for c in text.chars().flat_map(char::to_lowercase) {
        if count >= MAX_SLUG_CHARS {
            break;
        }
        if c.is_alphanumeric() {
            out.push(c);
            count += 1;
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
            count += 1;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// How names are compared: case and inner spacing do not matter.
pub(crate) fn name_key(name: &str) -> String {
    name.split_whitespace()
        .flat_map(|w| w.chars().chain(std::iter::once(' ')))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// Splits a `;`-separated cell into its trimmed, non-empty parts.
pub(crate) fn split_list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The host of an http(s) link, to name a source that has no name.
pub(crate) fn host_of(url: &str) -> Option<String> {
    if !is_web_url(url) {
        return None;
    }
    let rest = url.trim().split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The character between cells: a comma, unless the first line has more semicolons (what
/// spreadsheets in many European locales write) or tabs (their "Unicode text").
pub(crate) fn delimiter_of(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (commas, semicolons, tabs) = (count(','), count(';'), count('\t'));
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas && tabs > semicolons {
        b'\t'
    } else {
        b','
    }
}

/// The CSV reader every sheet is read with: no header handling (the first non-empty row is
/// the header), and rows of any length (checked against the header afterwards).
pub(crate) fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// Where a quoted cell that is never closed starts (byte offset), scanning the way csv-core
/// reads: a quote opens a cell only at its start, and `""` inside is a literal quote.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if at_field_start => {
                let open = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Some(open),
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
                at_field_start = false;
            }
            b'\n' | b'\r' => at_field_start = true,
            b if b == delimiter => at_field_start = true,
            _ => at_field_start = false,
        }
        i += 1;
    }
    None
}

/// The line a record starting at `byte` is on. csv's own line count lags by one after a CRLF
/// (it starts the record at the `\n`), so line breaks at the offset are skipped first.
fn line_at(starts: &[usize], text: &str, byte: usize) -> usize {
    let skipped = text.get(byte..).map_or(0, |rest| {
        rest.len() - rest.trim_start_matches(['\r', '\n']).len()
    });
    starts.partition_point(|&s| s <= byte + skipped)
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(1, |s| s.chars().count() + 1);
    (line, column)
}

/// Reads a CSV text into a header and rows, reporting what cannot be read. Entirely empty rows
/// (every cell blank) are skipped: they are spreadsheet padding, not records. `None` when the
/// file is too big or has no header at all.
pub(crate) fn read_table(file: &str, text: &str, report: &mut Report) -> Option<Table> {
    let whole = |report: &mut Report, message: String| {
        let origin = Origin {
            at: "whole file".into(),
            file: Some(file.to_owned()),
            ..Origin::default()
        };
        report.push(Severity::Error, &origin, None, message);
    };
    if text.len() > MAX_INPUT_BYTES {
        whole(
            report,
            format!(
                "the file is {} MB; the limit is {} MB",
                text.len() / 1_000_000,
                MAX_INPUT_BYTES / 1_000_000
            ),
        );
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter_of(text);
    let mut reader = csv_reader(text, delimiter);
    let mut record = csv::StringRecord::new();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut header: Option<(Row, Vec<String>)> = None;
    let mut rows = Vec::new();
    let mut number = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // Not expected for text already in memory; stop rather than guess.
                let line = e.position().map(|p| p.line() as usize);
                let origin = Origin {
                    at: "whole file".into(),
                    file: Some(file.to_owned()),
                    line,
                    ..Origin::default()
                };
                report.push(
                    Severity::Error,
                    &origin,
                    None,
                    format!("the rest of the file could not be read: {e}"),
                );
                break;
            }
        }
        number += 1;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let first_line = record
            .position()
            .map_or(1, |p| line_at(&line_starts, text, p.byte() as usize));
        let mut lines = Vec::with_capacity(record.len());
        let mut line = first_line;
        for cell in record.iter() {
            lines.push(line);
            line += cell.matches('\n').count();
        }
        let row = Row {
            number,
            lines,
            cells: record.iter().map(str::to_owned).collect(),
        };
        if header.is_none() {
            let keys = row.cells.iter().map(|c| normalise_header(c)).collect();
            header = Some((row, keys));
        } else {
            rows.push(row);
        }
    }
    let Some((header, keys)) = header else {
        whole(
            report,
            "the file is empty: the first row must name the columns, like id,title,date,actors"
                .into(),
        );
        return None;
    };
    if let Some(offset) = unclosed_quote(text, delimiter) {
        let (line, column) = line_column(text, offset);
        let origin = Origin {
            at: rows
                .last()
                .map_or_else(|| "header".to_owned(), |r| format!("row {}", r.number)),
            file: Some(file.to_owned()),
            line: Some(line),
            column: Some(column),
            ..Origin::default()
        };
        let what = if rows.is_empty() {
            "The header"
        } else {
            "The row"
        };
        report.push(
            Severity::Error,
            &origin,
            None,
            format!(
                "a quoted cell starts here and is never closed (a missing \"), so the rest of the \
                 file ran into it. Is the file cut off? {what} was left out"
            ),
        );
        // Nothing left when the cut-off quote is in the header itself.
        rows.pop()?;
    }
    Some(Table {
        file: file.to_owned(),
        header,
        keys,
        rows,
    })
}

impl Table {
    /// Leaves out, with an error each, the rows with more cells than the header has columns
    /// (unless the extra cells are empty: spreadsheets pad rows with commas). Shorter rows are
    /// kept, their missing cells empty, with a warning: a cut-off file ends with one.
    pub fn drop_ragged_rows(&mut self, report: &mut Report) {
        let width = self.header.cells.len();
        let file = &self.file;
        self.rows.retain(|row| {
            let origin = row.origin(file, &[]);
            if row.cells.len() < width {
                report.push(
                    Severity::Warning,
                    &origin,
                    None,
                    format!(
                        "this row has {} cells but the header names {width} columns; the \
                         missing cells are read as empty",
                        row.cells.len()
                    ),
                );
                return true;
            }
            let extra = row.cells.get(width..).unwrap_or_default();
            if extra.iter().all(|c| c.trim().is_empty()) {
                return true;
            }
            report.push(
                Severity::Error,
                &origin,
                None,
                format!(
                    "this row has {} cells but the header names {width} columns: is there a \
                     comma in a cell without \"quotes\" around it? The row was left out",
                    row.cells.len()
                ),
            );
            false
        });
    }

    /// Finds the known columns, warning once for each unknown or repeated one. `known` lists
    /// each field with the header keys that name it.
    pub fn columns(&self, known: &[(&'static str, &[&str])], report: &mut Report) -> Columns {
        // Which columns hold anything, in one pass (not one pass per column).
        let mut filled = vec![false; self.keys.len()];
        for row in &self.rows {
            for (c, cell) in row.cells.iter().enumerate().take(filled.len()) {
                if !cell.trim().is_empty() {
                    filled[c] = true;
                }
            }
        }
        let mut found: Vec<(&'static str, usize)> = Vec::new();
        let mut unknown = 0;
        for (c, key) in self.keys.iter().enumerate() {
            let written = self.header.cells.get(c).map_or("", |s| s.trim());
            let origin = Origin {
                at: "header".into(),
                file: Some(self.file.clone()),
                line: Some(self.header.line()),
                column: Some(c + 1),
                ..Origin::default()
            };
            let field = known
                .iter()
                .find(|(_, keys)| keys.contains(&key.as_str()))
                .map(|(f, _)| *f);
            let first = field.and_then(|f| found.iter().find(|(g, _)| *g == f));
            match (field, first) {
                // A warning, not an error: no record is left out, and the message names both
                // columns so the author can tell which one to keep.
                (Some(f), Some(&(_, first))) => {
                    let first_written = self.header.cells.get(first).map_or("", |s| s.trim());
                    let message = if self.keys.get(first) == Some(key) {
                        format!(
                            "a second \"{f}\" column; only the first one (column {}) is read",
                            first + 1
                        )
                    } else {
                        format!(
                            "\"{written}\" and \"{first_written}\" (column {}) are both the \
                             \"{f}\" column; only \"{first_written}\" is read",
                            first + 1
                        )
                    };
                    report.push(Severity::Warning, &origin, Some(written), message);
                }
                (Some(f), None) => found.push((f, c)),
                (None, _) if key.is_empty() && !filled[c] => {}
                (None, _) => {
                    unknown += 1;
                    if unknown > MAX_COLUMN_WARNINGS {
                        continue;
                    }
                    let name = if written.is_empty() {
                        format!("column {}", c + 1)
                    } else {
                        written.to_owned()
                    };
                    let hint = closest(key, known.iter().flat_map(|(_, keys)| keys.iter()))
                        .map(|k| format!("; did you mean \"{k}\"?"))
                        .unwrap_or_default();
                    report.push(
                        Severity::Warning,
                        &origin,
                        Some(&name),
                        format!("unknown column (its cells are ignored){hint}"),
                    );
                }
            }
        }
        if unknown > MAX_COLUMN_WARNINGS {
            let origin = Origin {
                at: "header".into(),
                file: Some(self.file.clone()),
                line: Some(self.header.line()),
                ..Origin::default()
            };
            report.push(
                Severity::Warning,
                &origin,
                None,
                format!(
                    "{} more unknown columns (ignored)",
                    unknown - MAX_COLUMN_WARNINGS
                ),
            );
        }
        Columns(found)
    }

    /// A file-level problem located at the header.
    pub fn header_problem(&self, severity: Severity, message: String, report: &mut Report) {
        let origin = Origin {
            at: "header".into(),
            file: Some(self.file.clone()),
            line: Some(self.header.line()),
            column: Some(1),
            ..Origin::default()
        };
        report.push(severity, &origin, None, message);
    }
}

/// The known columns of a table: field name → column index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns(pub Vec<(&'static str, usize)>);

impl Columns {
    pub fn get(&self, field: &str) -> Option<usize> {
        self.0.iter().find(|(f, _)| *f == field).map(|&(_, c)| c)
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Field positions for an [`Origin`], with extra names for fields that diagnostics call
    /// differently from the column (`sources` for the `source` column).
    pub fn fields(&self, aliases: &[(&'static str, &str)]) -> Vec<(&'static str, usize)> {
        let mut out = self.0.clone();
        for &(alias, field) in aliases {
            if let Some(c) = self.get(field) {
                out.push((alias, c));
            }
        }
        out
    }
}

/// The closest of some names to a misspelt one, if any is close enough to be a typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a &'a str>,
) -> Option<&'a str> {
    if name.len() > MAX_HINT_CHARS {
        return None;
    }
    candidates
        .filter(|c| **c != name)
        .map(|c| (strsim::damerau_levenshtein(name, c), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 4).max(1) && c.chars().count() >= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Things created on first mention by name (actors, groups, sources): each distinct name gets
/// one record, with an id made from the name that no other record uses.
#[derive(Debug, Default)]
pub(crate) struct Named {
    /// Every id in use: given explicitly (actors.csv), reserved, or created.
    ids: HashSet<String>,
    /// Lower-cased id → id, so `Trump` finds the actor `trump`.
    by_lower_id: HashMap<String, String>,
    /// Name key → id.
    by_key: HashMap<String, String>,
    /// Names known so far, for typo hints (only the first few are kept: see `similar`).
    hints: Vec<Hint>,
    names_known: usize,
    /// The next suffix to try for an id base, so many names with one slug stay linear.
    suffixes: HashMap<String, usize>,
    /// Edit-distance work spent on hints so far (character pairs compared).
    hint_work: usize,
}

impl Named {
    /// Reserves an id, so that ids made from names do not take it.
    pub fn reserve(&mut self, id: &str) {
        self.ids.insert(id.to_owned());
        self.by_lower_id
            .entry(id.to_lowercase())
            .or_insert_with(|| id.to_owned());
    }

    /// Registers a record that has its own id and name (a row of actors.csv).
    pub fn declare(&mut self, id: &str, name: &str) {
        self.reserve(id);
        let key = name_key(name);
        if !key.is_empty() {
            self.names_known += 1;
            if self.hints.len() < MAX_HINT_NAMES {
                self.hints.push(Hint::new(name.trim(), &key));
            }
            self.by_key.entry(key).or_insert_with(|| id.to_owned());
        }
    }

    /// The id of a name or id already known: the exact id, then the name, then the id in any
    /// case.
    pub fn find(&self, text: &str) -> Option<&str> {
        let text = text.trim();
        self.ids
            .get(text)
            .or_else(|| self.by_key.get(&name_key(text)))
            .or_else(|| self.by_lower_id.get(&text.to_lowercase()))
            .map(String::as_str)
    }

    /// The id for a name, and whether it was created now. `fallback` is the id of names that
    /// have no letters or digits.
    pub fn get_or_create(&mut self, name: &str, fallback: &str) -> (String, bool) {
        if let Some(id) = self.find(name) {
            return (id.to_owned(), false);
        }
        let base = match slug(name) {
            s if s.is_empty() => fallback.to_owned(),
            s => s,
        };
        let id = self.free_id(&base);
        self.declare(&id, name);
        (id, true)
    }

    /// `base`, or `base-2`, `base-3`… whichever is not taken yet.
    pub fn free_id(&mut self, base: &str) -> String {
        let mut id = base.to_owned();
        let n = self.suffixes.entry(base.to_owned()).or_insert(2);
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        id
    }

    /// A known name that `name` is probably a misspelling of.
    pub fn similar(&mut self, name: &str) -> Option<String> {
        // Edit distance is quadratic in length and this compares against every name, for every
        // new name: hints are for stories of typical size, and stop once a fixed amount of
        // work is spent, so a generated file of many long names cannot take minutes.
        let own = Hint::new(name.trim(), &name_key(name));
        if !(4..=MAX_HINT_CHARS).contains(&own.chars) || self.names_known > MAX_HINT_NAMES {
            return None;
        }
        let limit = (own.chars / 6).max(1);
        let mut best: Option<(usize, &Hint)> = None;
        for known in &self.hints {
            // Lengths further apart than the limit cannot be within it; names that differ only
            // in digits (`Team 1`, `Team 2`) are different on purpose.
            if known.key == own.key
                || known.chars.abs_diff(own.chars) > limit
                || known.letters == own.letters
            {
                continue;
            }
            self.hint_work += own.chars * known.chars;
            if self.hint_work > MAX_HINT_WORK {
                return None;
            }
            let d = strsim::damerau_levenshtein(&own.key, &known.key);
            if d <= limit && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, known));
            }
        }
        best.map(|(_, h)| h.display.clone())
    }
}

/// A name prepared for typo hints.
#[derive(Debug)]
struct Hint {
    display: String,
    key: String,
    chars: usize,
    /// The key without its digits.
    letters: String,
}

impl Hint {
    fn new(display: &str, key: &str) -> Hint {
        Hint {
            display: display.to_owned(),
            key: key.to_owned(),
            chars: key.chars().count(),
            letters: key.chars().filter(|c| !c.is_ascii_digit()).collect(),
        }
    }
}

/// Which sheet of a story a CSV file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Events,
    Actors,
    Relations,
}

impl Sheet {
    /// Tells the sheet by its header, then by its file name.
    pub fn of(file: &str, keys: &[String]) -> Option<Sheet> {
        let has = |k: &str| keys.iter().any(|h| h == k);
        // By any of the names the events reader takes, so `headline,when` is an events sheet.
        let names_event = |field: &str| {
            EVENT_COLUMNS
                .iter()
                .filter(|(f, _)| *f == field)
                .flat_map(|(_, names)| names.iter())
                .any(|n| has(n))
        };
        if has("from") && has("to") {
            Some(Sheet::Relations)
        } else if names_event("date") || names_event("title") {
            Some(Sheet::Events)
        } else if has("name") {
            Some(Sheet::Actors)
        } else {
            let name = file
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(file)
                .to_lowercase();
            if name.contains("relation") {
                Some(Sheet::Relations)
            } else if name.contains("actor") {
                Some(Sheet::Actors)
            } else if name.contains("event") {
                Some(Sheet::Events)
            } else {
                None
            }
        }
    }
}

/// Each field with the header keys (normalised, see [`normalise_header`]) that name it: the
/// first is the documented name, the others what spreadsheets made for other tools call it.
const EVENT_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id"]),
    ("title", &["title", "headline"]),
    ("date", &["date", "when"]),
    ("date_text", &["date_text"]),
    (
        "actors",
        &["actors", "actor", "people", "participants", "who"],
    ),
    ("description", &["description"]),
    ("source", &["source"]),
    ("quote", &["quote"]),
    ("url", &["url", "link", "source_url", "source_link"]),
    ("tags", &["tags", "tag"]),
];

const ACTOR_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id"]),
    ("name", &["name"]),
    ("role", &["role"]),
    ("group", &["group"]),
    ("description", &["description"]),
    ("url", &["url", "link"]),
];

const RELATION_COLUMNS: &[(&str, &[&str])] = &[
    ("from", &["from"]),
    ("to", &["to"]),
    ("label", &["label"]),
    ("date", &["date", "when"]),
    ("source", &["source"]),
    ("quote", &["quote"]),
];

/// Reads one events sheet alone (actors are created from its `actors` column).
pub fn load_csv(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    load_csv_set(&[(file, text)])
}

/// Reads the sheets of one story together.
pub fn load_csv_set(files: &[(&str, &str)]) -> Result<Loaded, Vec<Diagnostic>> {
    let main = files.first().map_or("input.csv", |f| f.0);
    let mut report = Report::new(main);
    let raw = read_csv_set(files, &mut report).ok_or_else(|| report.diagnostics.clone())?;
    Ok(build(raw, report))
}

/// Reads the sheets of one story into raw records. `None` if no sheet could be read at all.
pub fn read_csv_set(files: &[(&str, &str)], report: &mut Report) -> Option<RawStory> {
    let mut sheets: Vec<(Sheet, Table)> = Vec::new();
    for &(file, text) in files {
        let Some(mut table) = read_table(file, text, report) else {
            continue;
        };
        match Sheet::of(file, &table.keys) {
            Some(sheet) => {
                table.drop_ragged_rows(report);
                sheets.push((sheet, table));
            }
            None => report.push(
                Severity::Error,
                &Origin {
                    at: "whole file".into(),
                    file: Some(file.to_owned()),
                    line: Some(table.header.line()),
                    column: Some(1),
                    ..Origin::default()
                },
                None,
                format!(
                    "cannot tell which sheet this is, so none of its {} rows were read: an events \
                     sheet has title and date columns, an actors sheet a name column, a relations \
                     sheet from and to columns",
                    table.rows.len()
                ),
            ),
        }
    }
    if sheets.is_empty() {
        return None;
    }
    let mut reader = SetReader::default();
    // Actors first, so events and relations find them by id or name.
    for (_, table) in sheets.iter().filter(|(s, _)| *s == Sheet::Actors) {
        reader.actors(table, report);
    }
    for (_, table) in sheets.iter().filter(|(s, _)| *s == Sheet::Events) {
        reader.events(table, report);
    }
    for (_, table) in sheets.iter().filter(|(s, _)| *s == Sheet::Relations) {
        reader.relations(table, report);
    }
    let SetReader {
        raw,
        created_actors,
        ..
    } = reader;
    let mut raw = raw;
    raw.actors.extend(created_actors);
    Some(raw)
}

#[derive(Default)]
struct SetReader {
    raw: RawStory,
    /// Actors created from names in events and relations, added after actors.csv's rows.
    created_actors: Vec<Raw<RawActor>>,
    actors: Named,
    groups: Named,
    sources: Named,
}

impl SetReader {
    fn actors(&mut self, table: &Table, report: &mut Report) {
        let cols = table.columns(ACTOR_COLUMNS, report);
        if !cols.has("name") {
            table.header_problem(
                Severity::Error,
                "there is no \"name\" column; every actor needs a name".into(),
                report,
            );
        }
        let fields = cols.fields(&[]);
        // Ids first, so an id derived from a name never takes another row's explicit id.
        for row in &table.rows {
            let id = row.cell(cols.get("id")).trim();
            if !id.is_empty() {
                self.actors.reserve(id);
            }
        }
        for row in &table.rows {
            let origin = row.origin(&table.file, &fields);
            let name = row.cell(cols.get("name")).to_owned();
            let mut id = row.cell(cols.get("id")).trim().to_owned();
            if id.is_empty() {
                let base = match slug(&name) {
                    s if s.is_empty() => format!("actor-row-{}", row.number),
                    s => s,
                };
                id = self.actors.free_id(&base);
            }
            self.actors.declare(&id, &name);
            let group = non_empty(Some(row.cell(cols.get("group")).to_owned())).map(|g| {
                let (gid, created) = self.groups.get_or_create(&g, "group");
                if created {
                    self.raw.groups.push(Raw {
                        record: RawGroup {
                            id: gid.clone(),
                            name: g,
                            color: None,
                        },
                        origin: origin.clone(),
                    });
                }
                gid
            });
            self.raw.actors.push(Raw {
                record: RawActor {
                    id,
                    name,
                    role: Some(row.cell(cols.get("role")).to_owned()),
                    group,
                    description: Some(row.cell(cols.get("description")).to_owned()),
                    url: Some(row.cell(cols.get("url")).to_owned()),
                },
                origin,
            });
        }
    }

    /// The id of an actor named in a cell, creating the actor when it is new.
    fn actor(&mut self, name: &str, origin: &Origin, field: &str, report: &mut Report) -> String {
        if let Some(id) = self.actors.find(name) {
            return id.to_owned();
        }
        let similar = self.actors.similar(name);
        let (id, created) = self.actors.get_or_create(name, "actor");
        if created {
            if let Some(other) = similar {
                report.push(
                    Severity::Warning,
                    origin,
                    Some(field),
                    format!(
                        "\"{name}\" is a new actor; did you mean \"{other}\"? (names must match \
                         exactly, apart from upper and lower case)"
                    ),
                );
            }
            self.created_actors.push(named_actor(&id, name, origin));
        }
        id
    }

    /// A row's citation from its `source` and `quote` cells and `url` (an events sheet's link
    /// cell; relations have none), creating the source on first mention.
    fn citation(
        &mut self,
        row: &Row,
        cols: &Columns,
        url: &str,
        origin: &Origin,
        report: &mut Report,
    ) -> Option<RawCitation> {
        let (source, quote) = (row.cell(cols.get("source")), row.cell(cols.get("quote")));
        // Checked here rather than in `load`, which would place it at the source column (the
        // citation's only position): the link is reported at its own cell.
        let dropped = |url: &str, report: &mut Report| {
            report.push(
                Severity::Warning,
                origin,
                Some("url"),
                format!(
                    "the link \"{url}\" was dropped: only http:// and https:// links are allowed"
                ),
            );
        };
        let url = match url.trim() {
            "" => "",
            url if is_web_url(url) => url,
            url => {
                dropped(url, report);
                ""
            }
        };
        let name = match (source.trim(), url) {
            ("", "") => {
                if !quote.trim().is_empty() {
                    report.push(
                        Severity::Warning,
                        origin,
                        Some("quote"),
                        "a quote needs a source; name it in the source column (the quote was \
                         ignored)",
                    );
                }
                return None;
            }
            ("", url) => match host_of(url) {
                Some(host) => host,
                None => {
                    dropped(url, report);
                    return None;
                }
            },
            (name, _) => name.to_owned(),
        };
        let (id, created) = self.sources.get_or_create(&name, "source");
        if created {
            self.raw.sources.push(named_source(&id, name, None, origin));
        }
        Some(RawCitation {
            source: id,
            quote: Some(quote.to_owned()),
            url: Some(url.to_owned()),
        })
    }

    fn events(&mut self, table: &Table, report: &mut Report) {
        let cols = table.columns(EVENT_COLUMNS, report);
        for required in ["title", "date"] {
            if !cols.has(required) {
                table.header_problem(
                    Severity::Error,
                    format!("there is no \"{required}\" column; every event needs a {required}"),
                    report,
                );
            }
        }
        let fields = cols.fields(&[("sources", "source")]);
        for row in &table.rows {
            let origin = row.origin(&table.file, &fields);
            let title = row.cell(cols.get("title")).to_owned();
            let id = match row.cell(cols.get("id")).trim() {
                "" => derived_id(&title, row.number),
                id => id.to_owned(),
            };
            let actors = split_list(row.cell(cols.get("actors")))
                .iter()
                .map(|name| self.actor(name, &origin, "actors", report))
                .collect();
            let url = row.cell(cols.get("url"));
            let citation = self.citation(row, &cols, url, &origin, report);
            self.raw.events.push(Raw {
                record: RawEvent {
                    id,
                    title,
                    date: row.cell(cols.get("date")).to_owned(),
                    date_text: Some(row.cell(cols.get("date_text")).to_owned()),
                    actors,
                    description: Some(row.cell(cols.get("description")).to_owned()),
                    sources: citation.into_iter().collect(),
                    tags: split_list(row.cell(cols.get("tags"))),
                },
                origin,
            });
        }
    }

    fn relations(&mut self, table: &Table, report: &mut Report) {
        let cols = table.columns(RELATION_COLUMNS, report);
        if !cols.has("label") {
            table.header_problem(
                Severity::Error,
                "there is no \"label\" column; every relation needs a label".into(),
                report,
            );
        }
        let fields = cols.fields(&[("sources", "source")]);
        for row in &table.rows {
            let mut origin = row.origin(&table.file, &fields);
            let (from, to) = (row.cell(cols.get("from")), row.cell(cols.get("to")));
            origin.at = format!("row {} \"{} → {}\"", row.number, from.trim(), to.trim());
            let mut ok = true;
            for (field, value) in [
                ("from", from),
                ("to", to),
                ("label", row.cell(cols.get("label"))),
            ] {
                if value.trim().is_empty() {
                    report.push(
                        Severity::Error,
                        &origin,
                        Some(field),
                        format!("the {field} is empty; the record was left out"),
                    );
                    ok = false;
                }
            }
            if !ok {
                continue;
            }
            let from = self.actor(from, &origin, "from", report);
            let to = self.actor(to, &origin, "to", report);
            let citation = self.citation(row, &cols, "", &origin, report);
            self.raw.relations.push(Raw {
                record: RawRelation {
                    from,
                    to,
                    label: row.cell(cols.get("label")).to_owned(),
                    date: Some(row.cell(cols.get("date")).to_owned()),
                    sources: citation.into_iter().collect(),
                },
                origin,
            });
        }
    }
}

/// The id of an event whose id cell is empty: its title's slug and its row, so it stays the
/// same as long as the row does not move.
pub(crate) fn derived_id(title: &str, row: usize) -> String {
    match slug(title) {
        s if s.is_empty() => format!("row-{row}"),
        s => format!("{s}-{row}"),
    }
}

/// A source made from a name in a cell, located where it was first cited.
pub(crate) fn named_source(
    id: &str,
    name: String,
    url: Option<String>,
    origin: &Origin,
) -> Raw<RawSource> {
    Raw {
        record: RawSource {
            id: id.to_owned(),
            name,
            url,
        },
        origin: origin.clone(),
    }
}

/// An actor made from a name in a cell (of a spreadsheet or a TimelineJS sheet), located
/// where the name was first written.
pub(crate) fn named_actor(id: &str, name: &str, origin: &Origin) -> Raw<RawActor> {
    Raw {
        record: RawActor {
            id: id.to_owned(),
            name: name.trim().to_owned(),
            ..RawActor::default()
        },
        origin: Origin {
            at: format!("{}, actor \"{}\"", origin.at, name.trim()),
            ..origin.clone()
        },
    }
}

#[cfg(test)]
mod tests;
