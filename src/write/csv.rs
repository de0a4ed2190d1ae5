//! Writing a story's events as a Castline CSV events sheet: the columns of
//! `data/templates/events.csv`, one row per event, dates as EDTF strings ([`to_edtf`]), so the
//! sheet opens in any spreadsheet and reads back into Castline on its own (actors are made from
//! the names in its `actors` column). The page's "CSV" download; Castline JSON
//! ([`crate::write::json::to_json`]) is the complete form.
//!
//! A row has one source; an event's further sources are left out, and the groups, roles and
//! relations live in the actors and relations sheets, which this does not write.

use crate::story::model::Story;
use crate::write::json::to_edtf;

/// The header, as in `data/templates/events.csv`.
pub const EVENT_COLUMNS: [&str; 10] = [
    "id",
    "title",
    "date",
    "date_text",
    "actors",
    "description",
    "source",
    "quote",
    "url",
    "tags",
];

/// The events sheet as CSV text (RFC 4180 quoting, `\n` line ends).
pub fn events_csv(story: &Story) -> String {
    let mut out = String::new();
    push_record(&mut out, &EVENT_COLUMNS);
    for event in &story.events {
        // Lists are `;`-separated, so a name with a `;` in it is written as its id.
        let actors: Vec<&str> = event
            .actors
            .iter()
            .filter_map(|&a| story.actors.get(a))
            .map(|a| {
                if a.name.contains(';') {
                    a.id.as_str()
                } else {
                    a.name.as_str()
                }
            })
            .collect();
        let first = event.sources.first();
        let source = first
            .and_then(|c| story.sources.get(c.source))
            .map_or("", |s| s.name.as_str());
        // The citation's own link (the article), not the outlet's home page.
        let url = first.and_then(|c| c.url.as_deref()).unwrap_or("");
        push_record(
            &mut out,
            &[
                event.id.as_str(),
                event.title.as_str(),
                &to_edtf(&event.when),
                event.date_text.as_deref().unwrap_or(""),
                &actors.join("; "),
                event.description.as_deref().unwrap_or(""),
                source,
                first.and_then(|c| c.quote.as_deref()).unwrap_or(""),
                url,
                &event.tags.join("; "),
            ],
        );
    }
    out
}

/// One CSV line. Written by hand rather than with the `csv` crate's writer, which costs the
/// page's wasm module about 19 kB gzipped for these few lines.
fn push_record(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "full")]
    #[test]
    fn the_default_story_reads_back_with_the_same_events() {
        let loaded = crate::read::json::load_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY)
            .expect("the default story loads");
        let csv = events_csv(&loaded.story);
        assert!(csv.starts_with("id,title,date,date_text,actors,"));
        let back = crate::read::detect::load_files(&[("events.csv", csv.as_str())])
            .expect("the sheet loads");
        let errors: Vec<_> = back
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::read::load::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back.story.events.len(), loaded.story.events.len());
        for (a, b) in loaded.story.events.iter().zip(&back.story.events) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.title, b.title);
            assert_eq!(a.when, b.when, "{}", a.id);
            assert_eq!(a.actors.len(), b.actors.len(), "{}", a.id);
        }
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let mut out = String::new();
        push_record(&mut out, &["plain", "a, b", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(out, "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
    }
}
