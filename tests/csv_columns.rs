//! The other names a Castline spreadsheet's columns may have (issue 17 §6): sheets made for
//! other tools say `headline`, `when`, `people` or `source url`, and each is read into its
//! field, with its problems reported at its own cell.
#![cfg(not(target_arch = "wasm32"))]
// The CSV reader comes with the `full` feature (the default).
#![cfg(feature = "full")]

use castline::read::csv::load_csv_set;
use castline::read::detect::{Format, detect, load_any};
use castline::read::load::{Loaded, Severity};
use castline::story::dates::When;

fn load(text: &str) -> Loaded {
    assert_eq!(detect(text), Format::CastlineCsv, "{text}");
    load_any("events.csv", text).unwrap_or_else(|d| panic!("refused: {d:#?}"))
}

fn shown(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn each_other_name_is_read_into_its_field() {
    // Header cells are matched as the documented names are: any case, spaces or underscores.
    for title in ["title", "Headline", "HEADLINE"] {
        for date in ["date", "When", " when "] {
            let loaded = load(&format!("{title},{date}\nTalks,2025-10\n"));
            assert!(loaded.diagnostics.is_empty(), "{:#?}", shown(&loaded));
            let event = &loaded.story.events[0];
            assert_eq!(event.title, "Talks", "{title}");
            assert_eq!(Ok(event.when), When::parse("2025-10"), "{date}");
        }
    }
    for actors in ["actors", "People", "participants", "Who", "WHO"] {
        let loaded = load(&format!(
            "title,date,{actors}\nTalks,2025-10,Ann Lee; Bo Ek\n"
        ));
        assert!(loaded.diagnostics.is_empty(), "{:#?}", shown(&loaded));
        let names: Vec<&str> = loaded
            .story
            .actors
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, ["Ann Lee", "Bo Ek"], "{actors}");
        assert_eq!(loaded.story.events[0].actors.len(), 2, "{actors}");
    }
    for url in [
        "url",
        "link",
        "source_url",
        "source url",
        "Source URL",
        "source link",
        "Source-Link",
    ] {
        let loaded = load(&format!(
            "title,date,source,{url}\nTalks,2025-10,The Paper,https://example.org/a\n"
        ));
        assert!(
            loaded.diagnostics.is_empty(),
            "{url}: {:#?}",
            shown(&loaded)
        );
        let citation = &loaded.story.events[0].sources[0];
        assert_eq!(
            citation.url.as_deref(),
            Some("https://example.org/a"),
            "{url}"
        );
        assert_eq!(loaded.story.sources[citation.source].name, "The Paper");
    }
}

#[test]
fn a_sheet_of_other_names_only_is_an_events_sheet() {
    // No `title` and no `date` column: the sheet is still told by its columns.
    let loaded = load(
        "Headline,When,People,Source link\n\
         Talks in Miami,2025-10-24,Steve Witkoff; Kirill Dmitriev,https://www.example.org/x\n",
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", shown(&loaded));
    let event = &loaded.story.events[0];
    assert_eq!(event.title, "Talks in Miami");
    assert_eq!(event.actors.len(), 2);
    // A link without a source names its source after the host, as under `url`.
    assert_eq!(
        loaded.story.sources[event.sources[0].source].name,
        "www.example.org"
    );
    // Among the sheets of one story too.
    let loaded = load_csv_set(&[
        ("a.csv", "id,name,role\nann,Ann Lee,mayor\n"),
        ("b.csv", "headline,when,who\nVisit,2025-11,ann\n"),
    ])
    .expect("loads");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", shown(&loaded));
    assert_eq!(loaded.story.events[0].title, "Visit");
    assert_eq!(loaded.story.actors[0].role.as_deref(), Some("mayor"));
}

#[test]
fn a_script_link_under_source_link_is_reported_at_its_cell() {
    // The title's cell spans two lines, so the link's row starts on line 2 and the link is on
    // line 3: the position is the cell's, not the row's.
    let loaded = load(
        "headline,when,source link\n\
         \"Talks,\nin two lines\",2025-10,javascript:alert(1)\n\
         Plain,2025-11,https://example.org/ok\n",
    );
    assert_eq!(loaded.errors().count(), 0, "{:#?}", shown(&loaded));
    assert_eq!(
        shown(&loaded),
        [
            "events.csv:3:3: warning: row 2, field \"url\": the link \"javascript:alert(1)\" was \
          dropped: only http:// and https:// links are allowed"
        ]
    );
    assert_eq!(
        loaded.story.events.len(),
        2,
        "the record is kept, without the link"
    );
    assert!(loaded.story.sources.iter().all(|s| s.url.is_none()));

    // With a source named beside it, the link is still reported at its own cell (not at the
    // source's), and the citation is kept without it.
    let loaded = load(
        "source,title,Source Link,date,quote\n\
         The Paper,Talks,JavaScript:alert(1),2025-10,they met\n\
         The Paper,Other,data:text/html;base64,2025-11,\n",
    );
    let t = shown(&loaded);
    assert_eq!(
        t,
        [
            "events.csv:2:3: warning: row 2, field \"url\": the link \"JavaScript:alert(1)\" was \
             dropped: only http:// and https:// links are allowed",
            "events.csv:3:3: warning: row 3, field \"url\": the link \"data:text/html;base64\" \
             was dropped: only http:// and https:// links are allowed",
        ]
    );
    let talks = &loaded.story.events[0];
    assert_eq!(talks.sources[0].url, None);
    assert_eq!(talks.sources[0].quote.as_deref(), Some("they met"));
}

#[test]
fn two_columns_of_one_field_are_a_warning_naming_both() {
    // Decided: a warning at the second column, which names the first (read) and itself
    // (ignored). Not an error: no record is left out.
    let loaded = load(
        "title,URL,date,Source URL\n\
         Talks,https://example.org/first,2025-10,https://example.org/second\n",
    );
    let t = shown(&loaded);
    assert_eq!(
        t,
        [
            "events.csv:1:4: warning: header, field \"Source URL\": \"Source URL\" and \"URL\" \
          (column 2) are both the \"url\" column; only \"URL\" is read"
        ],
    );
    assert_eq!(loaded.diagnostics[0].severity, Severity::Warning);
    let event = &loaded.story.events[0];
    assert_eq!(
        event.sources[0].url.as_deref(),
        Some("https://example.org/first")
    );

    // Same for headline and title, people and actors; the same name twice says so.
    let loaded = load("headline,people,title,date,who,Date\nA,X,B,2025,Y,2026\n");
    let t = shown(&loaded);
    assert_eq!(
        t,
        [
            "events.csv:1:3: warning: header, field \"title\": \"title\" and \"headline\" \
             (column 1) are both the \"title\" column; only \"headline\" is read",
            "events.csv:1:5: warning: header, field \"who\": \"who\" and \"people\" (column 2) \
             are both the \"actors\" column; only \"people\" is read",
            "events.csv:1:6: warning: header, field \"Date\": a second \"date\" column; only the \
             first one (column 4) is read",
        ]
    );
    let event = &loaded.story.events[0];
    assert_eq!(event.title, "A");
    assert_eq!(loaded.story.actors[event.actors[0]].name, "X");
    assert_eq!(Ok(event.when), When::parse("2025"));
}

#[test]
fn unknown_columns_still_get_a_hint() {
    let loaded = load("headlne,when,peple,source lnk\nA,2025,X,https://example.org/\n");
    let t = shown(&loaded);
    for (column, hint) in [
        ("headlne", "headline"),
        ("peple", "people"),
        ("source lnk", "source_link"),
    ] {
        assert!(
            t.iter().any(|d| d.contains(&format!(
                "field \"{column}\": unknown column (its cells are ignored); did you mean \
                 \"{hint}\"?"
            ))),
            "{column}: {t:#?}"
        );
    }
}
