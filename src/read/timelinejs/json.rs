//! TimelineJS JSON: `title`, `events` and `eras`, each with `start_date` objects.

use super::*;
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
    let caption = rec.text(&media, "caption", "media.caption");
    let thumbnail = rec.text(&media, "thumbnail", "media.thumbnail");
    let alt = rec.text(&media, "alt", "media.alt");
    let media_title = rec.text(&media, "title", "media.title");
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
        caption,
        thumbnail,
        alt,
        media_title,
    })
}
