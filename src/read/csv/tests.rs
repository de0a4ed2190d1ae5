//! The spreadsheet reader's tests.
use super::table::MAX_SLUG_CHARS;
use super::*;
use crate::read::load::MAX_INPUT_BYTES;
use crate::story::dates::{Precision, When};

fn load(files: &[(&str, &str)]) -> Loaded {
    load_csv_set(files).expect("loads")
}

/// A lone events sheet, loaded.
fn events(text: &str) -> Loaded {
    load(&[("events.csv", text)])
}

fn texts(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn headers_match_loosely() {
    assert_eq!(normalise_header(" Date text "), "date_text");
    assert_eq!(normalise_header("DATE-TEXT"), "date_text");
    assert_eq!(normalise_header("date__text"), "date_text");
    assert_eq!(slug("Steve Witkoff"), "steve-witkoff");
    assert_eq!(slug("  Rózsa  Péter!"), "rózsa-péter");
    assert_eq!(slug("!!!"), "");
    assert_eq!(slug(&"a".repeat(1000)).len(), MAX_SLUG_CHARS);
    assert_eq!(name_key("  Steve   WITKOFF "), "steve witkoff");
}

#[test]
fn a_lone_events_sheet_is_a_story() {
    let loaded = events(
        "Title,Date,Date text,Actors,Source,Quote,URL,Tags\n\
         Miami talks,2025-10-24~/2025-10-26~,the weekend before Halloween,Steve Witkoff; Kirill Dmitriev,WSJ,\"they met\",https://wsj.com/a,talks;miami\n\
         Plan shown,2025-11,,steve witkoff;Marco Rubio,WSJ,,,\n",
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", texts(&loaded));
    let story = &loaded.story;
    assert_eq!(story.events.len(), 2);
    assert_eq!(story.actors.len(), 3, "same name, same actor");
    assert_eq!(story.actors[0].id, "steve-witkoff");
    assert_eq!(story.sources.len(), 1);
    let miami = &story.events[story.event_index("miami-talks-2").expect("derived id")];
    assert_eq!(
        miami.date_text.as_deref(),
        Some("the weekend before Halloween")
    );
    assert!(miami.when.approximate && miami.when.interval);
    assert_eq!(miami.tags, ["talks", "miami"]);
    assert_eq!(miami.sources[0].quote.as_deref(), Some("they met"));
    assert_eq!(miami.sources[0].url.as_deref(), Some("https://wsj.com/a"));
    let plan = &story.events[story.event_index("plan-shown-3").expect("id")];
    assert_eq!(plan.when.precision, Precision::Month);
}

#[test]
fn sheets_are_told_by_header_and_joined() {
    let loaded = load(&[
        (
            "a.csv",
            "from,to,label,date,source\nwitkoff,kirill  dmitriev,met,2025-10,WSJ\n",
        ),
        (
            "b.csv",
            "id,title,date,actors\ne1,Talks,2025-10-24,Witkoff;Kirill Dmitriev\n",
        ),
        (
            "c.csv",
            "ID,Name,Role,Group\nwitkoff,Steve Witkoff,envoy,United States\ntrump,Donald Trump,President,united states\n",
        ),
    ]);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", texts(&loaded));
    let story = &loaded.story;
    assert_eq!(story.groups.len(), 1);
    assert_eq!(story.groups[0].id, "united-states");
    assert_eq!(story.actors.len(), 3);
    assert_eq!(story.actors[2].id, "kirill-dmitriev");
    assert_eq!(story.relations.len(), 1);
    assert_eq!(
        story.actors[story.relations[0].to].name, "Kirill Dmitriev",
        "the events named him first, so his actor has that name"
    );
    let e = &story.events[0];
    assert_eq!(e.actors.len(), 2);
}

#[test]
fn diagnostics_name_file_row_and_column() {
    let loaded = load(&[
        (
            "events.csv",
            "id,title,date,actors,colour\n\
             e1,Good,2025-10,A,red\n\
             e2,Bad date,2025-02-30,A,\n\
             e1,Duplicate,2025-10,A,\n\
             e4,,2025-10,A,\n\
             ,,,,\n\
             e5,Too many,2025-10,A,,surplus\n\
             e6,\"multi\nline\",not a date,A,\n\
             e7,Fine,2025-11-18T14:30Z,Steve Witkof,\n",
        ),
        ("actors.csv", "id,name\nwitkoff,Steve Witkoff\n"),
    ]);
    let t = texts(&loaded);
    let has = |needle: &str| t.iter().any(|d| d.contains(needle));
    assert!(
        has("events.csv:1:5: warning: header, field \"colour\": unknown column"),
        "{t:#?}"
    );
    assert!(has(
        "events.csv:3:3: error: row 3, field \"date\": \"2025-02-30\" is not a valid date"
    ));
    assert!(has(
        "events.csv:4:1: error: row 4, field \"id\": the id \"e1\" is used twice"
    ));
    assert!(has(
        "events.csv:5:2: error: row 5, field \"title\": the title is empty"
    ));
    assert!(has("events.csv:7:1: error: row 7: this row has 6 cells"));
    assert!(has(
        "events.csv:9:3: error: row 8, field \"date\": \"not a date\""
    ));
    assert!(has(
        "events.csv:10:4: warning: row 9, field \"actors\": \"Steve Witkof\" is a new actor; did you mean \"Steve Witkoff\"?"
    ));
    assert_eq!(loaded.errors().count(), 5, "{t:#?}");
    let ids: Vec<&str> = loaded.story.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e7"]);
    let e7 = &loaded.story.events[1];
    assert_eq!(e7.when.precision, Precision::Time);
}

#[test]
fn bom_crlf_and_padding_rows() {
    let loaded = events("\u{feff}title,date,actors\r\nA,2025,X\r\n,,\r\n\r\nB,2025-10,X\r\n");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", texts(&loaded));
    assert_eq!(loaded.story.events.len(), 2);
    assert_eq!(
        loaded.story.events[1].id, "b-4",
        "a blank line is not a row"
    );
    assert_eq!(loaded.story.events[0].title, "A");
}

#[test]
fn crlf_lines_are_counted_right() {
    let loaded = events("title,date\r\n\"two\r\nlines\",2025-13\r\nB,nope\r\n");
    let t = texts(&loaded);
    assert!(
        t[0].starts_with("events.csv:3:2: error: row 2, field \"date\""),
        "{t:#?}"
    );
    assert!(
        t[1].starts_with("events.csv:4:2: error: row 3, field \"date\""),
        "{t:#?}"
    );
}

#[test]
fn semicolons_and_tabs_separate_cells_too() {
    for text in [
        "title;date;actors\nA, the first;2025;X\n",
        "title\tdate\tactors\nA, the first\t2025\tX\n",
    ] {
        let loaded = events(text);
        assert!(loaded.diagnostics.is_empty(), "{:#?}", texts(&loaded));
        assert_eq!(loaded.story.events[0].title, "A, the first");
    }
}

#[test]
fn a_cut_off_quote_is_reported_where_it_starts() {
    let loaded = events("title,date\nA,2025\nB,2025\n\"C is cut, off\nand more\n");
    let t = texts(&loaded);
    assert!(
        t.iter().any(|d| d.starts_with(
            "events.csv:4:1: error: row 4: a quoted cell starts here and is never closed"
        )),
        "{t:#?}"
    );
    assert_eq!(loaded.story.events.len(), 2);
}

#[test]
fn empty_and_unknown_files() {
    let errs = load_csv("events.csv", "").unwrap_err();
    assert!(errs[0].message.contains("the file is empty"), "{errs:?}");
    let errs = load_csv("x.csv", "foo,bar\n1,2\n").unwrap_err();
    assert!(
        errs[0].message.contains("cannot tell which sheet"),
        "{errs:?}"
    );
    let big = "a".repeat(MAX_INPUT_BYTES + 1);
    assert!(
        load_csv("big.csv", &big).unwrap_err()[0]
            .message
            .contains("limit")
    );
}

#[test]
fn links_and_sources() {
    let loaded = events(
        "title,date,url,quote,source\n\
         A,2025,https://www.example.org/x,,\n\
         B,2025,javascript:alert(1),,\n\
         C,2025,,orphan quote,\n\
         D,2025,data:text/html,,Paper\n",
    );
    let story = &loaded.story;
    assert_eq!(story.events.len(), 4);
    assert_eq!(story.sources[0].name, "www.example.org");
    let t = texts(&loaded);
    assert_eq!(loaded.errors().count(), 0, "{t:#?}");
    assert!(t.iter().any(|d| {
        d.contains("row 3, field \"url\": the link \"javascript:alert(1)\" was dropped")
    }));
    assert!(
        t.iter()
            .any(|d| d.contains("row 4, field \"quote\": a quote needs a source"))
    );
    assert!(
        t.iter().any(|d| d.starts_with(
            "events.csv:5:3: warning: row 5, field \"url\": the link \"data:text/html\" was \
             dropped"
        )),
        "at the link's own cell, though a source is named: {t:#?}"
    );
}

#[test]
fn relations_need_both_ends_and_a_label() {
    let loaded = load(&[
        ("events.csv", "title,date,actors\nA,2025,X;Y\n"),
        (
            "relations.csv",
            "from,to,label,date\nX,Y,knows,2025-13\n,Y,,\nX,Z,met,\n",
        ),
    ]);
    let t = texts(&loaded);
    assert!(
        t.iter().any(|d| d.contains(
            "relations.csv:3:1: error: row 3 \" → Y\", field \"from\": the from is empty"
        )),
        "{t:#?}"
    );
    assert!(
        t.iter()
            .any(|d| d.contains("row 3 \" → Y\", field \"label\""))
    );
    assert!(
        t.iter()
            .any(|d| d.contains("relations.csv:2:4: warning: row 2 \"X → Y\", field \"date\""))
    );
    assert_eq!(loaded.story.relations.len(), 2);
    assert_eq!(
        loaded.story.actors.len(),
        3,
        "Z was created by the relation"
    );
    assert!(When::parse("2025").is_ok());
}

#[test]
fn html_stays_literal() {
    let loaded = events(
        "title,date,description\n<script>alert(1)</script>,2025,<img src=x onerror=alert(1)>\n",
    );
    let e = &loaded.story.events[0];
    assert_eq!(e.title, "<script>alert(1)</script>");
    assert_eq!(
        e.description.as_deref(),
        Some("<img src=x onerror=alert(1)>")
    );
}
