//! Importing TimelineJS timelines, from its spreadsheet template (CSV) and from its JSON, into
//! raw records.
//!
//! Each slide becomes an event, the title slide the story's title and summary, and each era an
//! event tagged `era` (Castline has no background bands; as an event it stays visible and
//! filterable). Year/Month/Day/Time become an EDTF date at exactly the precision given; an end
//! date makes it an interval. `Group` becomes an actor (the lane), and an optional `Actors`
//! column or `actors` list (a Castline extension) names more actors. `Media Credit` becomes a
//! source, cited with the media link. TimelineJS text is HTML: it becomes plain text through
//! [`html_to_text`], with http(s) links kept after their text and all other markup dropped.
//! Every slide ends up as an event, as the title, or in an error naming its row or index.

use std::collections::BTreeMap;

// The same hasher as `load`'s id maps: one copy of the hash table's code in the wasm.
use rustc_hash::FxHashSet as HashSet;

use serde_json::value::RawValue;

use crate::read::csv::{Named, Row, Table, derived_id, host_of, read_table, split_list};
use crate::read::load::{
    Diagnostic, Loaded, Origin, Raw, RawCitation, RawEvent, RawStory, Report, Severity, build,
    is_web_url,
};
use crate::story::dates::{DateError, When};

/// The longest title taken from a slide's text when it has no headline.
const TITLE_FROM_TEXT_CHARS: usize = 80;

// ---------------------------------------------------------------------------------------------
// HTML to plain text

/// Text from TimelineJS HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlainText {
    /// The text, with each kept link written after its link text: `Ada (https://…)`.
    pub text: String,
    /// The http(s) links, in order.
    pub links: Vec<String>,
    /// Links that were not absolute http(s) (`javascript:`, `data:`, relative): dropped.
    pub dropped_links: usize,
}

/// Elements whose content is not text: dropped with their content.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "noembed", "noframes", "template",
];

/// Elements that start a new paragraph.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "dl",
    "aside",
    "nav",
    "address",
];

/// Markers in the intermediate text; control characters from the input are dropped, so they
/// cannot collide.
const LINE_BREAK: char = '\u{1}';
const PARAGRAPH: char = '\u{2}';

/// Turns HTML into plain text with a small state machine: tags and comments are dropped,
/// `<script>`-like elements with their content, entities are decoded, whitespace collapses as a
/// browser would collapse it, and block elements and `<br>` become line breaks. Never fails:
/// a `<` that does not start a tag is text, an unknown entity stays as written, and an
/// unterminated tag drops the rest.
pub fn html_to_text(html: &str) -> PlainText {
    convert(html, true)
}

/// Plain text for names and titles: link URLs are collected but not written into the text.
pub fn html_to_name(html: &str) -> PlainText {
    convert(html, false)
}

fn convert(html: &str, inline_links: bool) -> PlainText {
    let mut out = PlainText::default();
    let mut raw = String::with_capacity(html.len());
    // An open <a href> with a kept link: the link and where its text starts in `raw`.
    let mut open_link: Option<(String, usize)> = None;
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(html.len(), |e| i + 4 + e + 3);
            continue;
        }
        if bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
        {
            let end = tag_end(html, i + 1);
            let tag = &html[i + 1..end];
            i = (end + 1).min(html.len());
            let Some((closing, name)) = tag_name(tag) else {
                continue; // <!DOCTYPE>, <?xml?>
            };
            if !closing && RAW_TEXT.contains(&name.as_str()) {
                i = skip_raw_text(html, i, &name);
            } else if name == "a" {
                close_link(&mut raw, &mut open_link, &mut out, inline_links);
                if !closing {
                    match attribute(tag, "href").map(|h| decode_entities(&h)) {
                        Some(href) if is_web_url(href.trim()) => {
                            open_link = Some((href.trim().to_owned(), raw.len()));
                        }
                        Some(href) if !href.trim().is_empty() => out.dropped_links += 1,
                        _ => {}
                    }
                }
            } else if matches!(name.as_str(), "br" | "li" | "tr" | "dt" | "dd") {
                raw.push(LINE_BREAK);
            } else if BLOCKS.contains(&name.as_str()) {
                raw.push(PARAGRAPH);
            }
            continue;
        }
        if bytes[i] == b'&' {
            let (decoded, used) = entity(rest);
            push_text(&mut raw, &decoded);
            i += used;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        push_char(&mut raw, c);
        i += c.len_utf8();
    }
    close_link(&mut raw, &mut open_link, &mut out, inline_links);
    out.text = collapse(&raw);
    out
}

/// Appends text from the input: whitespace is one space for now, control characters go.
fn push_char(raw: &mut String, c: char) {
    if c.is_whitespace() {
        raw.push(' ');
    } else if !c.is_control() {
        raw.push(c);
    }
}

fn push_text(raw: &mut String, text: &str) {
    for c in text.chars() {
        push_char(raw, c);
    }
}

/// Ends an open link: writes the URL after its text unless the text already is the URL.
fn close_link(
    raw: &mut String,
    open: &mut Option<(String, usize)>,
    out: &mut PlainText,
    inline: bool,
) {
    let Some((url, start)) = open.take() else {
        return;
    };
    let text = collapse(raw.get(start..).unwrap_or(""));
    if inline && text.is_empty() {
        push_text(raw, &format!(" {url} "));
    } else if inline && text != url {
        push_text(raw, &format!(" ({url})"));
    }
    out.links.push(url);
}

/// Collapses whitespace runs to one space and the break markers to new lines, trimming both ends.
fn collapse(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let (mut space, mut line, mut paragraph) = (false, false, false);
    for c in raw.chars() {
        match c {
            ' ' => space = true,
            LINE_BREAK => line = true,
            PARAGRAPH => paragraph = true,
            c => {
                if !text.is_empty() {
                    if paragraph {
                        text.push_str("\n\n");
                    } else if line {
                        text.push('\n');
                    } else if space {
                        text.push(' ');
                    }
                }
                (space, line, paragraph) = (false, false, false);
                text.push(c);
            }
        }
    }
    text
}

/// The index of the `>` closing a tag that starts at `from`, skipping quoted attribute values;
/// the end of the text when there is none.
fn tag_end(html: &str, from: usize) -> usize {
    let mut quote = None;
    for (j, b) in html.bytes().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return j,
            _ => {}
        }
    }
    html.len()
}

/// `(closing, lower-case name)` of a tag's text; `None` for declarations and processing
/// instructions.
fn tag_name(tag: &str) -> Option<(bool, String)> {
    let (closing, rest) = match tag.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, tag),
    };
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (!name.is_empty()).then_some((closing, name))
}

/// Skips the content of a raw-text element up to and including its end tag.
fn skip_raw_text(html: &str, from: usize, name: &str) -> usize {
    // Compared in place, ASCII case-insensitively: lower-casing the rest of the text for every
    // <script> would make a text of many scripts quadratic.
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(lt) = html.get(at..).and_then(|rest| rest.find("</")) {
        let start = at + lt;
        let end = start + 2 + name.len();
        if bytes
            .get(start + 2..end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        {
            return (tag_end(html, start + 1) + 1).min(html.len());
        }
        at = start + 2;
    }
    html.len()
}

/// The value of an attribute in a tag's text, as written (entities not yet decoded).
fn attribute(tag: &str, wanted: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    // Skip the tag name.
    let mut i = bytes
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(bytes.len());
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'/')
        {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = tag[start..]
                        .find(q as char)
                        .map_or(tag.len(), |e| start + e);
                    value = tag[start..end].to_owned();
                    i = end + 1;
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = tag[start..i].to_owned();
                }
            }
        }
        if name.eq_ignore_ascii_case(wanted) {
            return Some(value);
        }
        if name.is_empty() {
            i += 1;
        }
    }
    None
}

/// Decodes the entities in a text (an attribute value).
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(at) = text[i..].find('&') {
        out.push_str(&text[i..i + at]);
        let (decoded, used) = entity(&text[i + at..]);
        out.push_str(&decoded);
        i += at + used;
    }
    out.push_str(&text[i..]);
    out
}

/// The entity at the start of `text` (which starts with `&`): its text and its length in bytes.
/// Unknown or malformed entities are the `&` alone, so the rest reads as text.
fn entity(text: &str) -> (String, usize) {
    let body: String = text[1..]
        .chars()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    let terminated = text[1 + body.len()..].starts_with(';');
    let used = 1 + body.len() + usize::from(terminated);
    if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse::<u32>().ok(),
        };
        if let Some(code) = code {
            let c = char::from_u32(code)
                .filter(|c| *c != '\0')
                .unwrap_or('\u{fffd}');
            return (c.to_string(), used);
        }
        return ("&".into(), 1);
    }
    if !terminated {
        return ("&".into(), 1);
    }
    let decoded = match body.as_str() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
        "shy" | "zwj" | "zwnj" => "",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "laquo" => "«",
        "raquo" => "»",
        "bull" => "•",
        "middot" => "·",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "times" => "×",
        "euro" => "€",
        "pound" => "£",
        "eacute" => "é",
        "egrave" => "è",
        "aacute" => "á",
        "agrave" => "à",
        "iacute" => "í",
        "oacute" => "ó",
        "uacute" => "ú",
        "ntilde" => "ñ",
        "ccedil" => "ç",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "szlig" => "ß",
        _ => return ("&".into(), 1),
    };
    (decoded.to_owned(), used)
}

// ---------------------------------------------------------------------------------------------
// Slides, from either format

/// One value and the name of the field it came from (`Month`, `start_date.month`).
#[derive(Debug, Clone, Default)]
struct Part {
    value: String,
    field: String,
}

impl Part {
    fn new(value: impl Into<String>, field: impl Into<String>) -> Part {
        Part {
            value: value.into().trim().to_owned(),
            field: field.into(),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct DateParts {
    year: Part,
    month: Part,
    day: Part,
    /// `13:30`, `1:30 PM`, `13:30:05`.
    time: Part,
}

impl DateParts {
    fn is_empty(&self) -> bool {
        [&self.year, &self.month, &self.day, &self.time]
            .iter()
            .all(|p| p.value.is_empty())
    }
}

/// A slide, however it was written.
#[derive(Debug, Clone, Default)]
struct Slide {
    origin: Origin,
    /// The slide's number: its row, or its index + 1, for ids made when it has none.
    number: usize,
    kind: Part,
    start: DateParts,
    end: DateParts,
    display_date: String,
    headline: Part,
    text: Part,
    media: Part,
    credit: Part,
    group: String,
    actors: Vec<String>,
    unique_id: String,
    /// Read from the `eras` list.
    era: bool,
}

/// A date as the slide gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ymd {
    year: i64,
    month: Option<u8>,
    day: Option<u8>,
    time: Option<(u8, u8, u8)>,
}

impl Ymd {
    fn edtf(&self, with_time: bool) -> String {
        let mut out = if self.year < 0 {
            format!("-{:04}", -self.year)
        } else {
            format!("{:04}", self.year)
        };
        if let Some(m) = self.month {
            out.push_str(&format!("-{m:02}"));
            if let Some(d) = self.day {
                out.push_str(&format!("-{d:02}"));
                if let (Some((h, mi, s)), true) = (self.time, with_time) {
                    out.push_str(&format!("T{h:02}:{mi:02}:{s:02}"));
                }
            }
        }
        out
    }

    /// The most precise field given, where a problem with the whole date is reported.
    fn finest<'a>(&self, parts: &'a DateParts) -> &'a Part {
        if self.day.is_some() {
            &parts.day
        } else if self.month.is_some() {
            &parts.month
        } else {
            &parts.year
        }
    }
}

fn number_in(part: &Part, low: i64, high: i64) -> Option<i64> {
    let text = part.value.strip_prefix('+').unwrap_or(&part.value);
    text.parse::<i64>()
        .ok()
        .filter(|n| (low..=high).contains(n))
}

/// `13:30`, `13:30:05`, `1:30 PM`, `1 pm` → hours, minutes, seconds.
fn parse_time(text: &str) -> Option<(u8, u8, u8)> {
    let lower = text.trim().to_ascii_lowercase();
    let (clock, pm) = if let Some(c) = lower.strip_suffix("pm") {
        (c.trim(), Some(true))
    } else if let Some(c) = lower.strip_suffix("am") {
        (c.trim(), Some(false))
    } else {
        (lower.as_str(), None)
    };
    let mut parts = clock.split(':');
    let mut next = |max: u8| -> Option<Option<u8>> {
        match parts.next() {
            None => Some(None),
            Some(p) if !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|n| *n <= max).map(Some)
            }
            Some(_) => None,
        }
    };
    let hour = next(23)??;
    let minute = next(59)?.unwrap_or(0);
    let second = next(59)?.unwrap_or(0);
    if parts.next().is_some() {
        return None;
    }
    let hour = match pm {
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(true) => hour % 12 + 12,
        Some(false) => hour % 12,
        None => hour,
    };
    Some((hour, minute, second))
}

/// Reads a date's fields; `Ok(None)` when none is given, `Err` after reporting each problem.
fn read_date(parts: &DateParts, origin: &Origin, report: &mut Report) -> Result<Option<Ymd>, ()> {
    if parts.year.value.is_empty() {
        if parts.is_empty() {
            return Ok(None);
        }
        let given = [&parts.month, &parts.day, &parts.time]
            .into_iter()
            .find(|p| !p.value.is_empty())
            .unwrap_or(&parts.month);
        report.push(
            Severity::Error,
            origin,
            Some(&given.field),
            format!(
                "\"{}\" has no year: fill in {}; the slide was left out",
                given.value, parts.year.field
            ),
        );
        return Err(());
    }
    let mut ok = true;
    let bad = |part: &Part, what: &str, report: &mut Report| {
        report.push(
            Severity::Error,
            origin,
            Some(&part.field),
            format!("\"{}\" is not {what}; the slide was left out", part.value),
        );
    };
    // A part given as a number in `low..=high`; one that is not is reported.
    let mut number = |part: &Part, (low, high), what: &str, report: &mut Report| {
        if part.value.is_empty() {
            return None;
        }
        let n = number_in(part, low, high);
        if n.is_none() {
            bad(part, what, report);
            ok = false;
        }
        n
    };
    let year = number(
        &parts.year,
        (-9999, 9999),
        "a year this tool can draw (like 2025)",
        report,
    );
    let month = number(&parts.month, (1, 12), "a month: write 1 to 12", report);
    let day = number(
        &parts.day,
        (1, 31),
        "a day of the month: write 1 to 31",
        report,
    );
    if day.is_some() && parts.month.value.is_empty() {
        report.push(
            Severity::Error,
            origin,
            Some(&parts.day.field),
            format!(
                "a day needs a month: fill in {}; the slide was left out",
                parts.month.field
            ),
        );
        ok = false;
    }
    let time = match parts.time.value.as_str() {
        "" => None,
        text => {
            let t = parse_time(text);
            if t.is_none() {
                bad(&parts.time, "a time like 13:30 or 1:30 PM", report);
                ok = false;
            } else if parts.day.value.is_empty() {
                report.push(
                    Severity::Warning,
                    origin,
                    Some(&parts.time.field),
                    "a time needs a day; the time was ignored",
                );
            }
            t
        }
    };
    let (Some(year), true) = (year, ok) else {
        return Err(());
    };
    let ymd = Ymd {
        year,
        month: month.map(|m| m as u8),
        day: day.map(|d| d as u8),
        time: time.filter(|_| day.is_some()),
    };
    // Impossible days (30 February) and years beyond the calendar are found by the parser.
    match When::parse(&ymd.edtf(true)) {
        Ok(_) => Ok(Some(ymd)),
        Err(e) => {
            let part = ymd.finest(parts);
            let message = match e {
                DateError::OutOfRange(_) => "is outside the years this tool can draw",
                _ => "is not a date in the calendar",
            };
            report.push(
                Severity::Error,
                origin,
                Some(&part.field),
                format!("{} {message}; the slide was left out", ymd.edtf(false)),
            );
            Err(())
        }
    }
}

/// The slide's date as EDTF, or `None` after reporting why there is none.
fn slide_date(slide: &Slide, report: &mut Report) -> Option<String> {
    let origin = &slide.origin;
    let start = read_date(&slide.start, origin, report);
    let end = read_date(&slide.end, origin, report);
    let (Ok(start), Ok(end)) = (start, end) else {
        return None;
    };
    let Some(start) = start else {
        let message = if end.is_some() {
            "there is an end date but no start date"
        } else {
            "there is no date: every slide except the title needs at least a year"
        };
        report.push(
            Severity::Error,
            origin,
            Some(&slide.start.year.field),
            format!("{message}; the slide was left out"),
        );
        return None;
    };
    let Some(end) = end else {
        return Some(start.edtf(true));
    };
    if start.time.is_some() || end.time.is_some() {
        let field = if start.time.is_some() {
            &slide.start.time.field
        } else {
            &slide.end.time.field
        };
        report.push(
            Severity::Warning,
            origin,
            Some(field),
            "times are not drawn in a range from one date to another; the range is read by days",
        );
    }
    let edtf = format!("{}/{}", start.edtf(false), end.edtf(false));
    let span = |ymd: &Ymd| When::parse(&ymd.edtf(false)).ok();
    if let (Some(a), Some(b)) = (span(&start), span(&end))
        && b.end_secs <= a.start_secs
    {
        report.push(
            Severity::Error,
            origin,
            Some(&slide.end.year.field),
            format!(
                "the end, {}, is before the start, {}; the slide was left out",
                end.edtf(false),
                start.edtf(false)
            ),
        );
        return None;
    }
    match When::parse(&edtf) {
        Ok(_) => Some(edtf),
        Err(e) => {
            let message = match e {
                DateError::Reversed(_) => format!(
                    "the end, {}, is before the start, {}",
                    end.edtf(false),
                    start.edtf(false)
                ),
                other => other.to_string(),
            };
            report.push(
                Severity::Error,
                origin,
                Some(&slide.end.year.field),
                format!("{message}; the slide was left out"),
            );
            None
        }
    }
}

/// The first words of a text, for a slide without a headline.
fn title_from(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= TITLE_FROM_TEXT_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(TITLE_FROM_TEXT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// True for text that starts like a URL (`javascript:`, `data:`, `https:`).
fn has_scheme(text: &str) -> bool {
    text.trim().split_once(':').is_some_and(|(s, rest)| {
        !rest.starts_with(char::is_whitespace)
            && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Turns slides into raw records: the title, events and the actors and sources they name.
#[derive(Default)]
struct Builder {
    raw: RawStory,
    actors: Named,
    sources: Named,
    titled: bool,
}

impl Builder {
    fn title(&mut self, slide: &Slide, report: &mut Report) {
        if self.titled {
            report.push(
                Severity::Error,
                &slide.origin,
                Some(&slide.kind.field),
                "a second title slide: TimelineJS shows only the first; this one was left out",
            );
            return;
        }
        self.titled = true;
        self.raw.title = Some(html_to_name(&slide.headline.value).text);
        self.raw.summary = Some(html_to_text(&slide.text.value).text);
    }

    fn actor(&mut self, name: &str, origin: &Origin) -> String {
        let (id, created) = self.actors.get_or_create(name, "actor");
        if created {
            self.raw
                .actors
                .push(crate::read::csv::named_actor(&id, name, origin));
        }
        id
    }

    /// Warns about a media link that is not http(s) (text without a scheme is not a link).
    fn unsafe_link(text: &str, part: &Part, origin: &Origin, report: &mut Report) {
        let scheme = text.split_once(':').map(|(s, _)| s).filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if scheme.is_some() && !is_web_url(text) {
            report.push(
                Severity::Warning,
                origin,
                Some(&part.field),
                format!(
                    "the link \"{text}\" was dropped: only http:// and https:// links are allowed"
                ),
            );
        }
    }

    fn slide(&mut self, slide: &Slide, report: &mut Report) {
        let origin = &slide.origin;
        let kind = slide.kind.value.to_lowercase();
        if kind == "title" {
            return self.title(slide, report);
        }
        let era = slide.era || kind == "era";
        if !matches!(kind.as_str(), "" | "era") {
            report.push(
                Severity::Warning,
                origin,
                Some(&slide.kind.field),
                format!(
                    "unknown slide type \"{}\": TimelineJS knows title and era; read as an \
                     ordinary slide",
                    slide.kind.value
                ),
            );
        }
        let date = slide_date(slide, report);
        let text = html_to_text(&slide.text.value);
        if text.dropped_links > 0 {
            report.push(
                Severity::Warning,
                origin,
                Some(&slide.text.field),
                format!(
                    "{} link(s) that were not http:// or https:// were dropped (their text is kept)",
                    text.dropped_links
                ),
            );
        }
        let mut title = html_to_name(&slide.headline.value).text;
        if title.is_empty() && !text.text.is_empty() {
            title = title_from(&text.text);
            report.push(
                Severity::Warning,
                origin,
                Some(&slide.headline.field),
                "no headline: the first words of the text are used as the title",
            );
        }
        if title.is_empty() {
            report.push(
                Severity::Error,
                origin,
                Some(&slide.headline.field),
                "the slide has neither a headline nor text; it was left out",
            );
        }
        let Some(date) = date.filter(|_| !title.is_empty()) else {
            return;
        };
        let id = match slide.unique_id.trim() {
            "" if slide.era => derived_id(&format!("era {title}"), slide.number),
            "" => derived_id(&title, slide.number),
            id => id.to_owned(),
        };
        // The group's actor may also be named in Actors: it takes part once.
        let mut actors = Vec::new();
        let mut seen = HashSet::default();
        let group = html_to_name(&slide.group).text;
        let named = slide.actors.iter().map(|a| html_to_name(a).text);
        for name in std::iter::once(group).chain(named) {
            if name.trim().is_empty() {
                continue;
            }
            let actor = self.actor(&name, origin);
            if seen.insert(actor.clone()) {
                actors.push(actor);
            }
        }
        let sources = self.citation(slide, &text, report).into_iter().collect();
        // Media that is not a link is embedded content, a <blockquote> quote in TimelineJS's
        // own sample: its words are part of the story, so they join the description.
        let mut description = text.text;
        if !slide.media.value.contains("://") && !has_scheme(&slide.media.value) {
            let embedded = html_to_text(&slide.media.value).text;
            if !embedded.is_empty() {
                if !description.is_empty() {
                    description.push_str("\n\n");
                }
                description.push_str(&embedded);
            }
        }
        self.raw.events.push(Raw {
            record: RawEvent {
                id,
                title,
                date,
                date_text: Some(html_to_name(&slide.display_date).text),
                actors,
                description: Some(description),
                sources,
                tags: if era { vec!["era".into()] } else { Vec::new() },
            },
            origin: origin.clone(),
        });
    }

    /// The slide's citation: its media credit as the source, or the host of its first link,
    /// cited with the media link (or the first link in the text).
    fn citation(
        &mut self,
        slide: &Slide,
        text: &PlainText,
        report: &mut Report,
    ) -> Option<RawCitation> {
        let origin = &slide.origin;
        let media = decode_entities(&slide.media.value);
        let media = media.trim();
        let media_link = is_web_url(media).then(|| media.to_owned());
        if media_link.is_none() {
            Self::unsafe_link(media, &slide.media, origin, report);
        }
        let link = media_link.or_else(|| text.links.first().cloned());
        let credit = html_to_name(&slide.credit.value);
        let name = match (credit.text.as_str(), &link) {
            ("", Some(link)) => host_of(link)?,
            ("", None) => return None,
            (name, _) => name.to_owned(),
        };
        let (id, created) = self.sources.get_or_create(&name, "source");
        if created {
            let url = credit.links.first().cloned();
            self.raw
                .sources
                .push(crate::read::csv::named_source(&id, name, url, origin));
        } else if let Some(link) = credit.links.first() {
            // A credit written once with its link and once without is one source, with it.
            if let Some(source) = self
                .raw
                .sources
                .iter_mut()
                .find(|s| s.record.id == id && s.record.url.is_none())
            {
                source.record.url = Some(link.clone());
            }
        }
        Some(RawCitation {
            source: id,
            quote: None,
            url: link,
        })
    }
}

fn finish(slides: &[Slide], report: &mut Report) -> RawStory {
    let mut builder = Builder::default();
    for slide in slides {
        builder.slide(slide, report);
    }
    builder.raw
}

// ---------------------------------------------------------------------------------------------
// CSV

const CSV_COLUMNS: &[(&str, &[&str])] = &[
    ("Year", &["year"]),
    ("Month", &["month"]),
    ("Day", &["day"]),
    ("Time", &["time"]),
    ("End Year", &["end_year"]),
    ("End Month", &["end_month"]),
    ("End Day", &["end_day"]),
    ("End Time", &["end_time"]),
    ("Display Date", &["display_date"]),
    ("Headline", &["headline"]),
    ("Text", &["text"]),
    ("Media", &["media"]),
    ("Media Credit", &["media_credit"]),
    ("Media Caption", &["media_caption"]),
    ("Media Thumbnail", &["media_thumbnail"]),
    ("Media Alt", &["media_alt", "alt_text", "alt"]),
    ("Media Title", &["media_title"]),
    ("Type", &["type"]),
    ("Group", &["group"]),
    ("Background", &["background"]),
    ("Actors", &["actors", "actor"]),
    ("Unique Id", &["unique_id", "id"]),
];

/// True when a CSV header is TimelineJS's: it has Year and Headline columns.
pub fn is_timelinejs_header(keys: &[String]) -> bool {
    keys.iter().any(|k| k == "year") && keys.iter().any(|k| k == "headline")
}

/// Reads a TimelineJS spreadsheet (CSV).
pub fn load_timelinejs_csv(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let mut report = Report::new(file);
    let raw = read_csv(file, text, &mut report).ok_or_else(|| report.diagnostics.clone())?;
    Ok(build(raw, report))
}

/// Parses a TimelineJS CSV into raw records; `None` if nothing can be read.
pub fn read_csv(file: &str, text: &str, report: &mut Report) -> Option<RawStory> {
    let mut table = read_table(file, text, report)?;
    table.drop_ragged_rows(report);
    let cols = table.columns(CSV_COLUMNS, report);
    if !cols.has("Year") {
        table.header_problem(
            Severity::Error,
            "there is no Year column; every slide except the title needs one".into(),
            report,
        );
    }
    let slides: Vec<Slide> = table
        .rows
        .iter()
        .map(|row| csv_slide(&table, &cols, row))
        .collect();
    Some(finish(&slides, report))
}

fn csv_slide(table: &Table, cols: &crate::read::csv::Columns, row: &Row) -> Slide {
    // Diagnostics name columns as the sheet writes them; `title`, `date`, `actors`, `sources`
    // and `id` are the names the shared checks use.
    let written = |field: &str| {
        cols.get(field)
            .and_then(|c| table.header.cells.get(c))
            .map_or_else(|| field.to_owned(), |h| h.trim().to_owned())
    };
    let mut fields: Vec<(String, usize)> = cols.0.iter().map(|&(f, c)| (written(f), c)).collect();
    for (alias, field) in [
        ("title", "Headline"),
        ("date", "Year"),
        ("sources", "Media Credit"),
        ("id", "Unique Id"),
        ("actors", "Group"),
    ] {
        if let Some(c) = cols.get(field) {
            fields.push((alias.to_owned(), c));
        }
    }
    let field_refs: Vec<(&str, usize)> = fields.iter().map(|(f, c)| (f.as_str(), *c)).collect();
    let origin = row.origin(&table.file, &field_refs);
    let part = |field: &str| Part::new(row.cell(cols.get(field)), written(field));
    Slide {
        origin,
        number: row.number,
        kind: part("Type"),
        start: DateParts {
            year: part("Year"),
            month: part("Month"),
            day: part("Day"),
            time: part("Time"),
        },
        end: DateParts {
            year: part("End Year"),
            month: part("End Month"),
            day: part("End Day"),
            time: part("End Time"),
        },
        display_date: row.cell(cols.get("Display Date")).to_owned(),
        headline: part("Headline"),
        text: part("Text"),
        media: part("Media"),
        credit: part("Media Credit"),
        group: row.cell(cols.get("Group")).to_owned(),
        actors: split_list(row.cell(cols.get("Actors"))),
        unique_id: row.cell(cols.get("Unique Id")).to_owned(),
        era: false,
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

use crate::read::json::{Lines, kind_of};

type Object<'a> = BTreeMap<String, &'a RawValue>;

const EVENT_KEYS: [&str; 12] = [
    "start_date",
    "end_date",
    "text",
    "media",
    "group",
    "display_date",
    "background",
    "autolink",
    "unique_id",
    "actors",
    "type",
    "scale",
];
const DATE_KEYS: [&str; 9] = [
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "millisecond",
    "display_date",
    "format",
];
const TEXT_KEYS: [&str; 2] = ["headline", "text"];
const MEDIA_KEYS: [&str; 8] = [
    "url",
    "caption",
    "credit",
    "thumbnail",
    "alt",
    "title",
    "link",
    "link_target",
];

/// Reads one JSON record (an event, an era or the title) with the positions of its fields.
struct JsonRecord<'a, 'r> {
    lines: &'a Lines<'a>,
    origin: Origin,
    report: &'r mut Report,
    /// A field had the wrong type: the record is left out.
    bad: bool,
}

impl<'a> JsonRecord<'a, '_> {
    fn note(&mut self, path: &str, raw: &RawValue) {
        let (line, column) = self.lines.of(raw.get());
        self.origin.fields.push((path.to_owned(), line, column));
    }

    /// An object field (`start_date`, `text`, `media`); null or absent is empty.
    fn object(&mut self, parent: &Object<'a>, key: &str, known: &[&str]) -> Object<'a> {
        let Some(raw) = parent.get(key) else {
            return Object::new();
        };
        match serde_json::from_str::<Option<Object<'a>>>(raw.get()) {
            Ok(Some(obj)) => {
                for (k, v) in &obj {
                    self.note(&format!("{key}.{k}"), v);
                }
                for k in obj.keys().filter(|k| !known.contains(&k.as_str())) {
                    self.report.push(
                        Severity::Warning,
                        &self.origin,
                        Some(&format!("{key}.{k}")),
                        "unknown field (ignored)",
                    );
                }
                obj
            }
            Ok(None) => Object::new(),
            Err(_) => {
                self.wrong_type(key, raw, "an object");
                Object::new()
            }
        }
    }

    fn wrong_type(&mut self, path: &str, raw: &RawValue, expected: &str) {
        self.bad = true;
        self.report.push(
            Severity::Error,
            &self.origin,
            Some(path),
            format!(
                "wrong type: expected {expected}, found {}; the record was left out",
                kind_of(raw.get())
            ),
        );
    }

    /// A text or number field as text; null or absent is empty.
    fn text(&mut self, obj: &Object<'a>, key: &str, path: &str) -> Part {
        let Some(raw) = obj.get(key) else {
            return Part::new("", path);
        };
        let value = match serde_json::from_str::<serde_json::Value>(raw.get()) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(serde_json::Value::Null) => String::new(),
            Ok(serde_json::Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => i.to_string(),
                (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => {
                    format!("{}", f as i64)
                }
                _ => n.to_string(),
            },
            _ => {
                self.wrong_type(path, raw, "text or a number");
                String::new()
            }
        };
        Part::new(value, path)
    }

    fn date(&mut self, obj: &Object<'a>, key: &str) -> (DateParts, String) {
        let date = self.object(obj, key, &DATE_KEYS);
        let path = |k: &str| format!("{key}.{k}");
        let hour = self.text(&date, "hour", &path("hour"));
        let minute = self.text(&date, "minute", &path("minute"));
        let second = self.text(&date, "second", &path("second"));
        let time = if hour.value.is_empty() {
            hour
        } else {
            let mut clock = hour.value.clone();
            for p in [&minute, &second] {
                clock.push(':');
                clock.push_str(if p.value.is_empty() { "0" } else { &p.value });
            }
            Part::new(clock, hour.field)
        };
        let display = self
            .text(&date, "display_date", &path("display_date"))
            .value;
        (
            DateParts {
                year: self.text(&date, "year", &path("year")),
                month: self.text(&date, "month", &path("month")),
                day: self.text(&date, "day", &path("day")),
                time,
            },
            display,
        )
    }
}

/// Reads a TimelineJS JSON text.
pub fn load_timelinejs_json(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let mut report = Report::new(file);
    let raw = read_json(text, &mut report).ok_or_else(|| report.diagnostics.clone())?;
    Ok(build(raw, report))
}

/// Parses a TimelineJS JSON text into raw records; `None` if nothing can be read.
pub fn read_json(text: &str, report: &mut Report) -> Option<RawStory> {
    let crate::read::json::JsonTop { root, lines, top } =
        crate::read::json::parse_top(text, "\"events\"", report)?;
    for key in root
        .keys()
        .filter(|k| !["title", "events", "eras", "scale"].contains(&k.as_str()))
    {
        report.push(
            Severity::Warning,
            &top,
            Some(key),
            "unknown top-level field (ignored)",
        );
    }
    let mut slides = Vec::new();
    if let Some(raw) = root.get("title") {
        match serde_json::from_str::<Option<Object>>(raw.get()) {
            Ok(Some(title)) => {
                let (line, column) = lines.of(raw.get());
                let mut rec = JsonRecord {
                    lines: &lines,
                    origin: Origin {
                        at: "title".into(),
                        line: Some(line),
                        column: Some(column),
                        ..Origin::default()
                    },
                    report,
                    bad: false,
                };
                let t = rec.object(&title, "text", &TEXT_KEYS);
                let headline = rec.text(&t, "headline", "text.headline");
                let body = rec.text(&t, "text", "text.text");
                if !rec.bad {
                    slides.push(Slide {
                        origin: rec.origin,
                        kind: Part::new("title", "title"),
                        headline,
                        text: body,
                        ..Slide::default()
                    });
                }
            }
            Ok(None) => {}
            Err(_) => report.push(
                Severity::Warning,
                &top,
                Some("title"),
                format!(
                    "expected an object with \"text\", found {} (ignored)",
                    kind_of(raw.get())
                ),
            ),
        }
    }
    for list in ["events", "eras"] {
        let Some(raw) = root.get(list) else {
            continue;
        };
        let items: Vec<&RawValue> = match serde_json::from_str::<Option<Vec<&RawValue>>>(raw.get())
        {
            Ok(items) => items.unwrap_or_default(),
            Err(_) => {
                report.push(
                    Severity::Error,
                    &top,
                    Some(list),
                    format!(
                        "expected a list, found {}; nothing in it was read",
                        kind_of(raw.get())
                    ),
                );
                continue;
            }
        };
        for (i, item) in items.into_iter().enumerate() {
            if let Some(slide) = json_slide(&lines, list, i, item, report) {
                slides.push(slide);
            }
        }
    }
    Some(finish(&slides, report))
}

fn json_slide(
    lines: &Lines,
    list: &str,
    i: usize,
    item: &RawValue,
    report: &mut Report,
) -> Option<Slide> {
    let (line, column) = lines.of(item.get());
    let mut origin = Origin {
        at: format!("{list}[{i}]"),
        line: Some(line),
        column: Some(column),
        ..Origin::default()
    };
    let obj: Object = match serde_json::from_str(item.get()) {
        Ok(obj) => obj,
        Err(_) => {
            report.push(
                Severity::Error,
                &origin,
                None,
                format!(
                    "expected an object with \"start_date\" and \"text\", found {}; the record \
                     was left out",
                    kind_of(item.get())
                ),
            );
            return None;
        }
    };
    let unique_id = obj
        .get("unique_id")
        .and_then(|v| serde_json::from_str::<String>(v.get()).ok())
        .unwrap_or_default();
    if !unique_id.trim().is_empty() {
        origin.at = format!("{list}[{i}] \"{}\"", unique_id.trim());
    }
    let mut rec = JsonRecord {
        lines,
        origin,
        report,
        bad: false,
    };
    for (k, v) in &obj {
        rec.note(k, v);
    }
    for k in obj.keys().filter(|k| !EVENT_KEYS.contains(&k.as_str())) {
        rec.report.push(
            Severity::Warning,
            &rec.origin,
            Some(k),
            "unknown field (ignored)",
        );
    }
    let (start, start_display) = rec.date(&obj, "start_date");
    let (end, _) = rec.date(&obj, "end_date");
    let text = rec.object(&obj, "text", &TEXT_KEYS);
    let headline = rec.text(&text, "headline", "text.headline");
    let body = rec.text(&text, "text", "text.text");
    let media = rec.object(&obj, "media", &MEDIA_KEYS);
    let media_url = rec.text(&media, "url", "media.url");
    let credit = rec.text(&media, "credit", "media.credit");
    let group = rec.text(&obj, "group", "group").value;
    let display = rec.text(&obj, "display_date", "display_date").value;
    let kind = rec.text(&obj, "type", "type");
    let unique = rec.text(&obj, "unique_id", "unique_id").value;
    let actors = match obj.get("actors") {
        None => Vec::new(),
        Some(raw) => match serde_json::from_str::<serde_json::Value>(raw.get()) {
            Ok(serde_json::Value::String(s)) => split_list(&s),
            Ok(serde_json::Value::Null) => Vec::new(),
            Ok(serde_json::Value::Array(items))
                if items.iter().all(serde_json::Value::is_string) =>
            {
                items
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
            _ => {
                rec.wrong_type("actors", raw, "a list of names");
                Vec::new()
            }
        },
    };
    // The shared checks name these fields; point them at what the file calls them.
    for (alias, field) in [
        ("title", "text.headline"),
        ("date", "start_date"),
        ("sources", "media.credit"),
        ("id", "unique_id"),
    ] {
        if let Some(&(_, l, c)) = rec.origin.fields.iter().find(|(f, _, _)| f == field) {
            rec.origin.fields.push((alias.to_owned(), l, c));
        }
    }
    if rec.bad {
        return None;
    }
    Some(Slide {
        origin: rec.origin,
        number: i + 1,
        kind,
        start,
        end,
        display_date: if display.is_empty() {
            start_display
        } else {
            display
        },
        headline,
        text: body,
        media: media_url,
        credit,
        group,
        actors,
        unique_id: unique,
        era: list == "eras",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::dates::Precision;

    fn plain(html: &str) -> String {
        html_to_text(html).text
    }

    #[test]
    fn html_becomes_plain_text_with_links_kept() {
        let p = html_to_text(
            "<p class=\"lead\">Take <a href=\"https://en.wikipedia.org/wiki/Ada_Lovelace\">Ada \
             Lovelace</a>: she&#39;s &quot;first&quot; &amp; <b>best</b>.</p><p>Next&nbsp;one \
             <a href='https://example.org/?a=1&amp;b=2'>https://example.org/?a=1&amp;b=2</a></p>",
        );
        assert_eq!(
            p.text,
            "Take Ada Lovelace (https://en.wikipedia.org/wiki/Ada_Lovelace): she's \"first\" & \
             best.\n\nNext one https://example.org/?a=1&b=2"
        );
        assert_eq!(
            p.links,
            [
                "https://en.wikipedia.org/wiki/Ada_Lovelace",
                "https://example.org/?a=1&b=2"
            ]
        );
        assert_eq!(p.dropped_links, 0);
    }

    #[test]
    fn scripts_and_unsafe_links_are_dropped() {
        let p = html_to_text(
            "a<script>alert('</p>')</script>b<img src=x onerror=\"alert('>')\">c\
             <a href=\"javascript:alert(1)\">click</a> <a href=\" DATA:text/html,x\">d</a>\
             <STYLE>p{}</STYLE><!-- <b>hidden</b> -->e",
        );
        assert_eq!(p.text, "abcclick de");
        assert_eq!(p.dropped_links, 2);
        assert!(p.links.is_empty());
    }

    #[test]
    fn text_that_is_not_html_survives() {
        assert_eq!(plain("a < b && c > d"), "a < b && c > d");
        assert_eq!(
            plain("AT&T &unknown; &#x41;&#66;&#0;"),
            "AT&T &unknown; AB\u{fffd}"
        );
        assert_eq!(
            plain("line<br>break<br/>  and\n\n space"),
            "line\nbreak\nand space"
        );
        assert_eq!(plain("unterminated <b class=\"x"), "unterminated");
        assert_eq!(plain("<script>never closed"), "");
        assert_eq!(plain("&lt;script&gt;"), "<script>");
        assert_eq!(plain("&#xD800;&#1114112;"), "\u{fffd}\u{fffd}");
        assert_eq!(decode_entities("a&amp;b&lt"), "a&b&lt");
    }

    #[test]
    fn times_in_both_clocks() {
        assert_eq!(parse_time("13:30"), Some((13, 30, 0)));
        assert_eq!(parse_time("1:30 PM"), Some((13, 30, 0)));
        assert_eq!(parse_time("12 am"), Some((0, 0, 0)));
        assert_eq!(parse_time("9:05:07"), Some((9, 5, 7)));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("13:30 PM"), None);
        assert_eq!(parse_time("noon"), None);
    }

    fn load_csv(text: &str) -> Loaded {
        load_timelinejs_csv("t.csv", text).expect("loads")
    }

    const HEADER: &str = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background,Actors\n";

    #[test]
    fn csv_slides_keep_their_precision() {
        let loaded = load_csv(&format!(
            "{HEADER},,,,,,,,,The title,<p>Summary</p>,,,,,title,,,\n\
             1951,,,,,,,,,Year only,,,,,,,,,\n\
             1943,7,,,1946,,,,,Month to year,,,,,,,,,\n\
             2025,11,18,1:30 PM,,,,,the Tuesday,With time,,https://example.org/v.mp4,<a href=\"https://museum.example\">Museum</a>,,,,Lane A,,Ann; Bob\n\
             2001,,,,2003,,,,,An era,,,,,,era,,,\n"
        ));
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        let s = &loaded.story;
        assert_eq!(s.title, "The title");
        assert_eq!(s.summary.as_deref(), Some("Summary"));
        assert_eq!(s.events.len(), 4);
        let by = |title: &str| {
            s.events
                .iter()
                .find(|e| e.title == title)
                .unwrap_or_else(|| panic!("{title}"))
        };
        assert_eq!(by("Year only").when.precision, Precision::Year);
        let range = by("Month to year").when;
        assert!(range.interval);
        assert_eq!(range.start_secs, When::parse("1943-07").unwrap().start_secs);
        assert_eq!(range.end_secs, When::parse("1946").unwrap().end_secs);
        let timed = by("With time");
        assert_eq!(timed.when.precision, Precision::Time);
        assert_eq!(
            timed.when.start_secs,
            When::parse("2025-11-18T13:30:00Z").unwrap().start_secs
        );
        assert_eq!(timed.date_text.as_deref(), Some("the Tuesday"));
        let names: Vec<&str> = timed
            .actors
            .iter()
            .map(|&a| s.actors[a].name.as_str())
            .collect();
        assert_eq!(names, ["Lane A", "Ann", "Bob"]);
        let c = &timed.sources[0];
        assert_eq!(s.sources[c.source].name, "Museum");
        assert_eq!(
            s.sources[c.source].url.as_deref(),
            Some("https://museum.example")
        );
        assert_eq!(c.url.as_deref(), Some("https://example.org/v.mp4"));
        assert_eq!(by("An era").tags, ["era"]);
    }

    #[test]
    fn csv_date_mistakes_are_located() {
        let loaded = load_csv(&format!(
            "{HEADER}2025,2,30,,,,,,,Impossible,,,,,,,,,\n\
             2025,13,,,,,,,,Bad month,,,,,,,,,\n\
             ,,,,,,,,,No date,,,,,,,,,\n\
             2025,,5,,,,,,,Day no month,,,,,,,,,\n\
             2025,5,,,2024,,,,,Reversed,,,,,,,,,\n\
             2025,,,,,,,,,,,,,,,,,,\n\
             2025,,,,,,,,,,Text only gives the title,javascript:alert(1),,,,,,,\n\
             2025,,,,,,,,,Odd type,,,,,,bogus,,,\n"
        ));
        let t: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        let has = |needle: &str| t.iter().any(|d| d.contains(needle));
        assert!(
            has("t.csv:2:3: error: row 2, field \"Day\": 2025-02-30 is not a date in the calendar"),
            "{t:#?}"
        );
        assert!(has(
            "t.csv:3:2: error: row 3, field \"Month\": \"13\" is not a month"
        ));
        assert!(has(
            "t.csv:4:1: error: row 4, field \"Year\": there is no date"
        ));
        assert!(has(
            "t.csv:5:3: error: row 5, field \"Day\": a day needs a month"
        ));
        assert!(has(
            "t.csv:6:5: error: row 6, field \"End Year\": the end, 2024, is before the start, 2025-05"
        ));
        assert!(has(
            "t.csv:7:10: error: row 7, field \"Headline\": the slide has neither"
        ));
        assert!(has("row 8, field \"Headline\": no headline"));
        assert!(has(
            "row 8, field \"Media\": the link \"javascript:alert(1)\" was dropped"
        ));
        assert!(has("row 9, field \"Type\": unknown slide type \"bogus\""));
        assert_eq!(loaded.errors().count(), 6, "{t:#?}");
        assert_eq!(loaded.story.events.len(), 2);
    }

    #[test]
    fn json_with_numbers_strings_and_eras() {
        let loaded = load_timelinejs_json(
            "t.json",
            r#"{"title":{"text":{"headline":"T","text":"<b>S</b>"}},
"events":[
 {"start_date":{"year":1815,"month":"12","day":10},"end_date":{"year":"1852"},"text":{"headline":"Ada"},"group":"People","unique_id":"ada"},
 {"start_date":{"year":"2025","month":11,"day":18,"hour":14,"minute":30},"text":{"headline":"Timed","text":"x"},"media":{"credit":"AP"},"actors":["Ann"]},
 {"start_date":{"year":"abc"},"text":{"headline":"Bad"}},
 {"start_date":{"year":2020},"text":{"headline":["wrong"]}},
 "not an object",
 {"start_date":{"year":2020},"text":{"headline":"Extra"},"colour":"red"}
],
"eras":[{"start_date":{"year":1900},"end_date":{"year":1950},"text":{"headline":"Early"}}]}"#,
        )
        .expect("loads");
        let t: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        let s = &loaded.story;
        assert_eq!((s.title.as_str(), s.summary.as_deref()), ("T", Some("S")));
        let titles: Vec<&str> = s.events.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Ada", "Early", "Extra", "Timed"], "{t:#?}");
        let ada = &s.events[0];
        assert_eq!(ada.id, "ada");
        // A range is as precise as its coarser end.
        assert_eq!(ada.when.precision, Precision::Year);
        assert_eq!(
            ada.when.start_secs,
            When::parse("1815-12-10").unwrap().start_secs
        );
        assert_eq!(s.actors[ada.actors[0]].name, "People");
        assert_eq!(s.events[3].when.precision, Precision::Time);
        assert_eq!(s.events[1].tags, ["era"]);
        let has = |needle: &str| t.iter().any(|d| d.contains(needle));
        assert!(
            has("t.json:5:24: error: events[2], field \"start_date.year\": \"abc\" is not a year"),
            "{t:#?}"
        );
        assert!(has(
            "events[3], field \"text.headline\": wrong type: expected text or a number, found a list"
        ));
        assert!(has("t.json:7:2: error: events[4]: expected an object"));
        assert!(has("warning: events[5], field \"colour\": unknown field"));
        assert_eq!(loaded.errors().count(), 3);
    }

    #[test]
    fn broken_json_is_one_error() {
        let errs = load_timelinejs_json("t.json", "{\"events\": [").unwrap_err();
        assert!(errs[0].message.contains("ends too early"));
        let deep = format!("{{\"events\": {}{}}}", "[".repeat(5000), "]".repeat(5000));
        let outcome = load_timelinejs_json("deep.json", &deep);
        let errors = match outcome {
            Ok(l) => l.errors().count(),
            Err(d) => d.len(),
        };
        assert!(errors > 0);
    }
}
