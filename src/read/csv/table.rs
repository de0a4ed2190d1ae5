//! The grid of one CSV file: its delimiter, header and rows with their lines, unclosed quotes
//! found and named, the known columns and the typo hints for unknown ones, and the helpers
//! that turn names into ids. Shared with the TimelineJS importer.

// The same hasher as `load`'s id maps: one copy of the hash table's code in the wasm.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::read::load::{MAX_INPUT_BYTES, Origin, Report, Severity, is_web_url};

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
pub(super) const MAX_SLUG_CHARS: usize = 64;

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
