//! Writing a [`Story`] back out as Castline JSON (`"format": "castline/1"`), whatever format it
//! was read from, with every date written as an EDTF string equivalent to the one read.
//!
//! The model keeps dates resolved ([`When`]: span, precision, qualifiers), not as written, so
//! [`to_edtf`] rebuilds a string: it proposes the natural spellings of the span and keeps the
//! first that [`When::parse`] reads back to the very same `When`. The parser is the judge, so
//! the round trip holds by construction for everything it proposes.

use serde::Serialize;

use crate::story::dates::{DAY_SECS, Precision, When, civil};
use crate::story::model::{Citation, Media, MediaKind, Story};

/// Castline JSON for a story, pretty-printed with two-space indents and a final new line.
pub fn to_json(story: &Story) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(&out_story(story))?;
    text.push('\n');
    Ok(text)
}

/// The same without white space, for a published folder's `story.json`, which every reader
/// fetches (the indents are about a twentieth of its brotli bytes).
pub fn to_compact_json(story: &Story) -> Result<String, serde_json::Error> {
    serde_json::to_string(&out_story(story))
}

/// The story as Castline JSON's records.
fn out_story(story: &Story) -> OutStory {
    let id_of = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
    let group_ids: Vec<String> = story.groups.iter().map(|g| g.id.clone()).collect();
    let actor_ids: Vec<String> = story.actors.iter().map(|a| a.id.clone()).collect();
    let source_ids: Vec<String> = story.sources.iter().map(|s| s.id.clone()).collect();
    let cite = |sources: &[Citation]| -> Vec<OutCitation> {
        sources
            .iter()
            .map(|c| OutCitation {
                source: id_of(&source_ids, c.source),
                quote: c.quote.clone(),
                url: c.url.clone(),
            })
            .collect()
    };
    OutStory {
        format: "castline/1",
        title: story.title.clone(),
        summary: story.summary.clone(),
        published: story.published.clone(),
        credit: story.credit.clone(),
        groups: story
            .groups
            .iter()
            .map(|g| OutGroup {
                id: g.id.clone(),
                name: g.name.clone(),
                color: g.color.hex(),
            })
            .collect(),
        actors: story
            .actors
            .iter()
            .map(|a| OutActor {
                id: a.id.clone(),
                name: a.name.clone(),
                role: a.role.clone(),
                group: a.group.map(|g| id_of(&group_ids, g)),
                description: a.description.clone(),
                url: a.url.clone(),
                position: a.position,
                media: out_media(&a.media),
            })
            .collect(),
        sources: story
            .sources
            .iter()
            .map(|s| OutSource {
                id: s.id.clone(),
                name: s.name.clone(),
                url: s.url.clone(),
            })
            .collect(),
        events: story
            .events
            .iter()
            .map(|e| OutEvent {
                id: e.id.clone(),
                title: e.title.clone(),
                date: to_edtf(&e.when),
                date_text: e.date_text.clone(),
                actors: e.actors.iter().map(|&a| id_of(&actor_ids, a)).collect(),
                description: e.description.clone(),
                sources: cite(&e.sources),
                tags: e.tags.clone(),
                media: out_media(&e.media),
            })
            .collect(),
        relations: story
            .relations
            .iter()
            .map(|r| OutRelation {
                from: id_of(&actor_ids, r.from),
                to: id_of(&actor_ids, r.to),
                label: r.label.clone(),
                date: r.when.as_ref().map(to_edtf),
                sources: cite(&r.sources),
            })
            .collect(),
        steps: story
            .steps
            .iter()
            .map(|s| {
                let v = &s.view;
                let ids = |list: &[usize]| list.iter().map(|&a| id_of(&actor_ids, a)).collect();
                let side = |t: &Option<String>| t.clone().unwrap_or_default();
                OutStep {
                    title: s.title.clone(),
                    text: s.text.clone(),
                    sources: cite(&s.sources),
                    view: OutStepView {
                        select: ids(&v.select),
                        mode: v.any.then_some("any"),
                        window: v
                            .window
                            .as_ref()
                            .map(|[a, b]| format!("{}..{}", side(a), side(b))),
                        time: v.time.as_ref().map(|[a, b]| format!("{a}..{b}")),
                        focus: v
                            .focus
                            .and_then(|e| story.events.get(e))
                            .map(|e| e.id.clone()),
                        fit: ids(&v.fit),
                    },
                }
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct OutStory {
    format: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<String>,
    groups: Vec<OutGroup>,
    actors: Vec<OutActor>,
    sources: Vec<OutSource>,
    events: Vec<OutEvent>,
    relations: Vec<OutRelation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    steps: Vec<OutStep>,
}

#[derive(Serialize)]
struct OutStep {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutCitation>,
    view: OutStepView,
}

#[derive(Serialize)]
struct OutStepView {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    select: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    window: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    focus: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fit: Vec<String>,
}

#[derive(Serialize)]
struct OutGroup {
    id: String,
    name: String,
    color: String,
}

#[derive(Serialize)]
struct OutActor {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    media: Vec<OutMedia>,
}

#[derive(Serialize)]
struct OutSource {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct OutCitation {
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct OutEvent {
    id: String,
    title: String,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_text: Option<String>,
    actors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutCitation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    media: Vec<OutMedia>,
}

#[derive(Serialize)]
struct OutMedia {
    url: String,
    kind: MediaKind,
    #[serde(skip_serializing_if = "String::is_empty")]
    alt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<String>,
}

fn out_media(media: &[Media]) -> Vec<OutMedia> {
    media
        .iter()
        .map(|m| OutMedia {
            url: m.url.clone(),
            kind: m.kind,
            alt: m.alt.clone(),
            credit: m.credit.clone(),
            caption: m.caption.clone(),
        })
        .collect()
}

#[derive(Serialize)]
struct OutRelation {
    from: String,
    to: String,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutCitation>,
}

/// An EDTF string that [`When::parse`] reads back as exactly `w`.
///
/// Falls back to a day-precision interval covering the same span for the rare level-2 forms it
/// does not spell (significant digits, partial qualifiers), which keeps the span but may lose
/// the precision mark.
pub fn to_edtf(w: &When) -> String {
    let fits = |text: &String| When::parse(text).as_ref() == Ok(w);
    let qualifier = match (w.approximate, w.uncertain) {
        (true, true) => "%",
        (true, false) => "~",
        (false, true) => "?",
        (false, false) => "",
    };
    if !w.interval {
        if w.precision == Precision::Time {
            let t = civil(w.start_secs);
            let text = format!(
                "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                year(t.year()),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            );
            if fits(&text) {
                return text;
            }
        }
        if let Some(text) = single_forms(w.start_secs, w.precision)
            .into_iter()
            .map(|f| format!("{f}{qualifier}"))
            .find(fits)
        {
            return text;
        }
    } else {
        // An open end makes the other end span the whole of `w`.
        let starts = if w.open_start {
            vec!["..".to_owned()]
        } else if w.open_end {
            single_forms(w.start_secs, w.precision)
        } else {
            endpoint_forms(w.start_secs)
        };
        let ends = if w.open_end {
            vec!["..".to_owned()]
        } else if w.open_start {
            single_forms(w.start_secs, w.precision)
        } else {
            endpoint_forms(w.end_secs - DAY_SECS)
        };
        let mark = |f: &String| {
            if f == ".." {
                f.clone()
            } else {
                format!("{f}{qualifier}")
            }
        };
        for s in &starts {
            for e in &ends {
                let text = format!("{}/{}", mark(s), mark(e));
                if fits(&text) {
                    return text;
                }
            }
        }
    }
    let first = civil(w.start_secs).date();
    let last = civil(w.end_secs - 1).date();
    if first == last {
        first.to_string()
    } else {
        format!("{first}/{last}")
    }
}

/// A year as EDTF writes it: four digits, with a sign before the year 0.
fn year(y: i16) -> String {
    if y < 0 {
        format!("-{:04}", -i32::from(y))
    } else {
        format!("{y:04}")
    }
}

/// Spellings of a single date starting at `secs` at a precision, masked (`202X`, `2025-XX`)
/// forms included for spans wider than one unit.
fn single_forms(secs: i64, precision: Precision) -> Vec<String> {
    let t = civil(secs);
    let y = year(t.year());
    let ym = format!("{y}-{:02}", t.month());
    let masked = |keep: usize| -> String {
        let digits = y.len() - 4;
        let mut out = y[..digits + keep].to_owned();
        out.push_str(&"X".repeat(4 - keep));
        out
    };
    match precision {
        Precision::Year => vec![y.clone(), masked(3), masked(2), masked(1)],
        Precision::Season => (21..=41).map(|code| format!("{y}-{code}")).collect(),
        Precision::Month => vec![ym, format!("{y}-XX")],
        Precision::Day | Precision::Time => vec![
            format!("{ym}-{:02}", t.day()),
            format!("{ym}-XX"),
            format!("{y}-XX-XX"),
        ],
    }
}

/// Spellings of an interval endpoint on the day `secs` falls in: year, month or day.
fn endpoint_forms(secs: i64) -> Vec<String> {
    let t = civil(secs);
    let y = year(t.year());
    vec![
        y.clone(),
        format!("{y}-{:02}", t.month()),
        format!("{y}-{:02}-{:02}", t.month(), t.day()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json::load_json;
    use crate::{DEFAULT_STORY, DEFAULT_STORY_FILE};

    #[test]
    fn dates_round_trip() {
        for text in [
            "2025",
            "2025-10",
            "2025-11-18",
            "2025-11-18T14:30Z",
            "2025-11-18T14:30:45+02:00",
            "2025-10-24/2025-10-26",
            "2025-10-24~/2025-10-26~",
            "2025-10~/2025-11",
            "2025-10?/2025-11?",
            "2025-10%",
            "2025?",
            "2025-11-18?",
            "../2025-11",
            "2025-10-24/..",
            "/2025-11-18",
            "2025-10-24/",
            "1943-07/1946",
            "1815-12-10/1852-11-27",
            "1956/1962",
            "2025-21",
            "2025-24",
            "2025-33~",
            "202X",
            "20XX",
            "2025-XX",
            "2025-10-XX",
            "2025-XX-XX",
            "-0044-03-15",
            "0000",
            "2024-02-29",
            "2025-01-01/2025-12-31",
            "2025/2025-12",
            "2025-12-30/2026-01-02",
        ] {
            let w = When::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let written = to_edtf(&w);
            assert_eq!(
                When::parse(&written).as_ref(),
                Ok(&w),
                "{text} was written as {written}"
            );
        }
        assert_eq!(to_edtf(&When::parse("2025-10").unwrap()), "2025-10");
        assert_eq!(
            to_edtf(&When::parse("2025-10-24~/2025-10-26~").unwrap()),
            "2025-10-24~/2025-10-26~"
        );
        assert_eq!(
            to_edtf(&When::parse("2025-11-18T14:30Z").unwrap()),
            "2025-11-18T14:30:00Z"
        );
        assert_eq!(to_edtf(&When::parse("../2025-11").unwrap()), "../2025-11");
    }

    #[test]
    fn every_day_month_and_year_round_trips() {
        // Each day of two years (one leap), as a day, month and range: the round trip is
        // checked by the parser itself, not by a second implementation.
        let start = When::parse("2023-12-25").unwrap().start_secs;
        for i in 0..(366 + 365 + 14) {
            let w = When::parse(&crate::story::dates::iso(start + i * DAY_SECS)).unwrap();
            assert_eq!(When::parse(&to_edtf(&w)).as_ref(), Ok(&w));
            let month = When::parse(&to_edtf(&w)[..7]).unwrap();
            assert_eq!(When::parse(&to_edtf(&month)).as_ref(), Ok(&month));
            let range = When {
                end_secs: w.end_secs + 40 * DAY_SECS,
                interval: true,
                ..w
            };
            assert_eq!(When::parse(&to_edtf(&range)).as_ref(), Ok(&range));
        }
    }

    #[test]
    fn the_default_story_round_trips() {
        let loaded = load_json(DEFAULT_STORY_FILE, DEFAULT_STORY).expect("loads");
        let text = to_json(&loaded.story).expect("serialises");
        assert!(text.starts_with("{\n  \"format\": \"castline/1\",\n"));
        let again = load_json("again.json", &text).expect("reloads");
        assert!(again.diagnostics.is_empty(), "{:#?}", again.diagnostics);
        assert_eq!(again.story, loaded.story);
    }
}
