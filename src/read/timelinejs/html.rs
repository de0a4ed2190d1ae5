//! TimelineJS text is HTML: it becomes plain text, with http(s) links kept after their text
//! and all other markup dropped.

use crate::read::load::is_web_url;

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
