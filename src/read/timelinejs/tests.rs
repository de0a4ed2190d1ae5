//! The TimelineJS readers' tests: HTML to text, dates, both formats.
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
