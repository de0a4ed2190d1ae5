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
//!
//! The HTML of the slides' text is read in [`html`]; the spreadsheet in [`sheet`], the JSON
//! in [`json`]; both give the slides this module turns into records.

mod html;
mod json;
mod sheet;

pub use html::{PlainText, decode_entities, html_to_name, html_to_text};
pub use json::{load_timelinejs_json, read_json};
pub use sheet::{is_timelinejs_header, load_timelinejs_csv, read_csv};

use std::collections::BTreeMap;

// The same hasher as `load`'s id maps: one copy of the hash table's code in the wasm.
use rustc_hash::FxHashSet as HashSet;

use serde_json::value::RawValue;

use crate::read::csv::{Named, Row, Table, derived_id, host_of, read_table, split_list};
use crate::read::load::{
    Diagnostic, Loaded, Origin, Raw, RawCitation, RawEvent, RawMedia, RawStep, RawStepView,
    RawStory, Report, Severity, build, is_web_url,
};
use crate::story::dates::{DateError, When};

/// The longest title taken from a slide's text when it has no headline.
const TITLE_FROM_TEXT_CHARS: usize = 80;

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
    /// The media's caption, thumbnail, alt text and title (`Media Caption`, `media.caption`…).
    caption: Part,
    thumbnail: Part,
    alt: Part,
    media_title: Part,
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
        let (title, summary) = (
            html_to_name(&slide.headline.value).text,
            html_to_text(&slide.text.value).text,
        );
        // The title slide is also the first step of the story told in steps: the whole
        // story, as TimelineJS opens on it.
        if !title.trim().is_empty() {
            self.raw.steps.insert(
                0,
                Raw {
                    record: RawStep {
                        title: title.clone(),
                        text: Some(summary.clone()),
                        ..RawStep::default()
                    },
                    origin: slide.origin.clone(),
                },
            );
        }
        self.raw.title = Some(title);
        self.raw.summary = Some(summary);
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
        // An era is also a step whose window is the era, in the slides' order after the title.
        if era {
            let window = match date.split_once('/') {
                Some((start, end)) => format!("{start}..{end}"),
                None => format!("{date}..{date}"),
            };
            self.raw.steps.push(Raw {
                record: RawStep {
                    title: title.clone(),
                    text: Some(description.clone()),
                    view: RawStepView {
                        window: Some(window),
                        ..RawStepView::default()
                    },
                    ..RawStep::default()
                },
                origin: origin.clone(),
            });
        }
        let mut origin = origin.clone();
        let media = Self::media(slide, &mut origin, report);
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
                media,
            },
            origin,
        });
    }

    /// The slide's media as Castline's: an image (by its file's extension) or a link, with
    /// the alt text, credit and caption (its title before it); an `<iframe>` embed (YouTube,
    /// Vimeo, maps) becomes a link to what it embeds, as nothing embedded runs in the page.
    /// A thumbnail of a medium that is not an image is shown as its picture (an image's own
    /// thumbnail is left: the image is shown). The loader checks
    /// the URLs and the alt text (`load::checked_media`): `origin` learns where each item's
    /// fields are, so that its diagnostics point at the sheet's cells.
    fn media(slide: &Slide, origin: &mut Origin, report: &mut Report) -> Vec<RawMedia> {
        let text = |part: &Part| Some(html_to_name(&part.value).text).filter(|t| !t.is_empty());
        let caption = match (text(&slide.media_title), text(&slide.caption)) {
            (Some(title), Some(caption)) => Some(format!("{title}: {caption}")),
            (title, caption) => title.or(caption),
        };
        let value = decode_entities(&slide.media.value);
        let value = value.trim();
        let url = if is_web_url(value) {
            Some(value.to_owned())
        } else {
            embed_src(&slide.media.value).filter(|src| {
                let ok = is_web_url(src);
                if !ok {
                    Self::unsafe_link(src, &slide.media, origin, report);
                }
                ok
            })
        };
        let mut out = Vec::new();
        let mut place = |out: &mut Vec<RawMedia>, media: RawMedia, url: &Part, alt: &Part| {
            let j = out.len();
            let at = |field: &str| {
                origin
                    .fields
                    .iter()
                    .find(|(f, _, _)| f == field)
                    .map(|&(_, l, c)| (l, c))
            };
            let alt_at = at(&alt.field).or_else(|| at(&url.field));
            if let Some((l, c)) = at(&url.field) {
                origin.fields.push((format!("media[{j}]"), l, c));
                origin.fields.push((format!("media[{j}].url"), l, c));
                origin.fields.push((format!("media[{j}].kind"), l, c));
            }
            if let Some((l, c)) = alt_at {
                origin.fields.push((format!("media[{j}].alt"), l, c));
            }
            out.push(media);
        };
        let alt = text(&slide.alt);
        let credit = text(&slide.credit);
        let image = url.as_deref().is_some_and(looks_like_image);
        if let Some(url) = url {
            let media = RawMedia {
                url: Some(url),
                kind: Some(if image { "image" } else { "link" }.into()),
                alt: alt.clone().filter(|_| image),
                credit: credit.clone(),
                caption,
            };
            place(&mut out, media, &slide.media, &slide.alt);
        }
        let thumbnail = decode_entities(&slide.thumbnail.value).trim().to_owned();
        // An image's thumbnail is a smaller copy of it, for TimelineJS's navigation: the
        // image itself is shown instead.
        if !thumbnail.is_empty() && !image {
            let media = RawMedia {
                url: Some(thumbnail),
                kind: Some("image".into()),
                alt,
                credit,
                caption: None,
            };
            place(&mut out, media, &slide.thumbnail, &slide.alt);
        }
        out
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

/// True for a URL whose path ends like a picture's file: how TimelineJS tells an image from
/// other media, without loading it.
fn looks_like_image(url: &str) -> bool {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// The `src` of an `<iframe>` embed (`<iframe src="https://www.youtube.com/embed/…">`).
fn embed_src(html: &str) -> Option<String> {
    // ASCII lower case keeps every byte where it was, so its offsets index `html`.
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<iframe")?;
    let at = start + lower.get(start..)?.find("src=")? + 4;
    let rest = html.get(at..)?;
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = rest.get(1..)?;
    let end = value.find(quote)?;
    Some(decode_entities(value.get(..end)?).trim().to_owned())
}

fn finish(slides: &[Slide], report: &mut Report) -> RawStory {
    let mut builder = Builder::default();
    for slide in slides {
        builder.slide(slide, report);
    }
    builder.raw
}

#[cfg(test)]
mod tests;
