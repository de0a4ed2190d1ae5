//! Pictures and links of events and actors (`media`, issue 19 §3): the format, the loader's
//! checks (an image only from `https:`, a link only to `http(s):`, alt text asked for), the
//! TimelineJS media columns and JSON, and the round trip through Castline JSON.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "full")]

use castline::read::json::load_json;
use castline::read::load::{Loaded, Severity};
use castline::read::timelinejs::{load_timelinejs_csv, load_timelinejs_json};
use castline::story::model::{Media, MediaKind};
use castline::write::json::to_json;

fn lines(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(ToString::to_string).collect()
}

fn has(lines: &[String], needle: &str) -> bool {
    lines.iter().any(|l| l.contains(needle))
}

const STORY: &str = r#"{"actors":[{"id":"a","name":"A",
  "media":[{"url":"https://example.org/a.jpg","kind":"image","alt":"A at the podium"}]}],
"events":[{"id":"e","title":"T","date":"2025-10","actors":["a"],"media":[
  {"url":"https://example.org/e.jpg","kind":"image","alt":"The bridge","credit":"Ann Lee / AP","caption":"The bridge at dawn"},
  {"url":"http://example.org/plain.jpg","kind":"image","alt":"x"},
  {"url":"javascript:alert(1)","kind":"image","alt":"x"},
  {"url":"https://example.org/no-alt.png","kind":"image"},
  {"url":"http://example.org/video","kind":"link","caption":"The speech, on video"},
  {"url":"javascript:alert(2)","kind":"link"},
  {"url":"data:text/html,x"},
  {"url":"https://example.org/map","kind":"video"},
  {"kind":"image","alt":"no url"}
]}]}"#;

#[test]
fn images_need_https_links_http_and_each_drop_is_located() {
    let loaded = load_json("m.json", STORY).expect("loads");
    let t = lines(&loaded);
    assert_eq!(loaded.errors().count(), 0, "{t:#?}");
    let event = &loaded.story.events[0];
    let urls: Vec<&str> = event.media.iter().map(|m| m.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://example.org/e.jpg",
            "https://example.org/no-alt.png",
            "http://example.org/video",
            "https://example.org/map",
        ],
        "{t:#?}"
    );
    assert_eq!(
        event.media[0],
        Media {
            url: "https://example.org/e.jpg".into(),
            kind: MediaKind::Image,
            alt: "The bridge".into(),
            credit: Some("Ann Lee / AP".into()),
            caption: Some("The bridge at dawn".into()),
        }
    );
    // An image without alt text is kept with an empty one, and warned about.
    assert_eq!(event.media[1].alt, "");
    assert_eq!(event.media[2].kind, MediaKind::Link);
    // An unknown kind is read as a link: it never loads anything.
    assert_eq!(event.media[3].kind, MediaKind::Link);
    assert_eq!(loaded.story.actors[0].media[0].alt, "A at the podium");

    // Each at its line, column and field.
    assert!(
        has(
            &t,
            "m.json:5:10: warning: events[0] \"e\", field \"media[1].url\": the image \"http://example.org/plain.jpg\" was dropped: only https:// images are shown"
        ),
        "{t:#?}"
    );
    assert!(has(
        &t,
        "m.json:6:10: warning: events[0] \"e\", field \"media[2].url\": the image \"javascript:alert(1)\" was dropped"
    ));
    assert!(has(
        &t,
        "m.json:7:3: warning: events[0] \"e\", field \"media[3].alt\": the image has no alt text"
    ));
    assert!(has(
        &t,
        "m.json:9:10: warning: events[0] \"e\", field \"media[5].url\": the link \"javascript:alert(2)\" was dropped: only http:// and https:// links are allowed"
    ));
    assert!(has(
        &t,
        "m.json:10:10: warning: events[0] \"e\", field \"media[6].url\": the link \"data:text/html,x\" was dropped"
    ));
    assert!(has(
        &t,
        "m.json:11:43: warning: events[0] \"e\", field \"media[7].kind\": unknown kind \"video\""
    ));
    assert!(has(
        &t,
        "m.json:12:3: warning: events[0] \"e\", field \"media[8]\": the media item has no url"
    ));
    assert_eq!(t.len(), 7, "{t:#?}");
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
}

#[test]
fn media_of_the_wrong_type_is_an_error_of_its_record() {
    let loaded = load_json(
        "m.json",
        r#"{"actors":[{"id":"a","name":"A"}],"events":[
{"id":"e","title":"T","date":"2025","actors":["a"],"media":"https://example.org/a.jpg"}]}"#,
    )
    .expect("loads");
    let t = lines(&loaded);
    assert!(
        has(&t, "events[0] \"e\", field \"media\": wrong type"),
        "{t:#?}"
    );
    assert!(loaded.story.events.is_empty());
}

#[test]
fn convert_keeps_media() {
    let loaded = load_json("m.json", STORY).expect("loads");
    let json = to_json(&loaded.story).expect("writes");
    assert!(
        json.contains("\"caption\": \"The bridge at dawn\""),
        "{json}"
    );
    let again = load_json("again.json", &json).expect("reads back");
    assert_eq!(again.story, loaded.story);
    // Only the image without alt text is told of again: everything dropped stays dropped.
    let t = lines(&again);
    assert_eq!(t.len(), 1, "{t:#?}");
    assert!(has(&t, "field \"media[1].alt\": the image has no alt text"));
}

const HEADER: &str = "Year,Month,Day,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Media Alt,Group\n";

#[test]
fn timelinejs_sheet_media_columns_become_media() {
    let loaded = load_timelinejs_csv(
        "t.csv",
        &format!(
            "{HEADER}2025,1,2,Photo,x,https://example.org/p.JPG?w=800,<a href=\"https://ap.example\">AP</a>,<b>The</b> crowd,,A crowd on the bridge,Lane\n\
             2025,1,3,Video,x,https://www.youtube.com/watch?v=abc,Vimeo Ltd,The speech,https://example.org/thumb.png,The speaker,Lane\n\
             2025,1,4,Embed,x,\"<iframe src=\"\"https://player.vimeo.com/video/1\"\"></iframe>\",,Clip,,,Lane\n\
             2025,1,5,No alt,x,https://example.org/n.png,,,,,Lane\n\
             2025,1,6,Plain http,x,http://example.org/old.gif,,,,alt,Lane\n\
             2025,1,7,Thumb of image,x,https://example.org/i.png,,,https://example.org/t.png,alt,Lane\n\
             2025,1,8,Unsafe embed,x,\"<iframe src=\"\"javascript:alert(1)\"\"></iframe>\",,,,,Lane\n"
        ),
    )
    .expect("loads");
    let t = lines(&loaded);
    let s = &loaded.story;
    assert_eq!(s.events.len(), 7, "{t:#?}");
    let media = |title: &str| {
        &s.events
            .iter()
            .find(|e| e.title == title)
            .expect(title)
            .media
    };
    assert_eq!(
        media("Photo")[..],
        [Media {
            url: "https://example.org/p.JPG?w=800".into(),
            kind: MediaKind::Image,
            alt: "A crowd on the bridge".into(),
            credit: Some("AP".into()),
            caption: Some("The crowd".into()),
        }]
    );
    // A video is a link; its thumbnail is its picture, with the alt text.
    let video = media("Video");
    assert_eq!(video.len(), 2);
    assert_eq!(
        (
            video[0].kind,
            video[0].url.as_str(),
            video[0].caption.as_deref()
        ),
        (
            MediaKind::Link,
            "https://www.youtube.com/watch?v=abc",
            Some("The speech")
        )
    );
    assert_eq!(
        (video[1].kind, video[1].url.as_str(), video[1].alt.as_str()),
        (
            MediaKind::Image,
            "https://example.org/thumb.png",
            "The speaker"
        )
    );
    let embed = media("Embed");
    assert_eq!(
        (embed[0].kind, embed[0].url.as_str()),
        (MediaKind::Link, "https://player.vimeo.com/video/1")
    );
    assert_eq!(media("No alt")[0].alt, "");
    assert!(media("Plain http").is_empty());
    // An image's thumbnail is a copy of it, for TimelineJS's navigation.
    assert_eq!(media("Thumb of image").len(), 1);
    assert!(media("Unsafe embed").is_empty());
    // Each problem at its cell: row, column letter's number and the sheet's column.
    assert!(
        has(
            &t,
            "t.csv:5:10: warning: row 5, field \"media[0].alt\": the image has no alt text"
        ),
        "{t:#?}"
    );
    assert!(has(
        &t,
        "t.csv:6:6: warning: row 6, field \"media[0].url\": the image \"http://example.org/old.gif\" was dropped"
    ));
    assert!(has(
        &t,
        "t.csv:8:6: warning: row 8, field \"Media\": the link \"javascript:alert(1)\" was dropped"
    ));
    assert_eq!(t.len(), 3, "{t:#?}");
}

#[test]
fn timelinejs_json_media_becomes_media() {
    let loaded = load_timelinejs_json(
        "t.json",
        r#"{"events":[
 {"start_date":{"year":2025},"text":{"headline":"Photo"},
  "media":{"url":"https://example.org/p.webp","alt":"A bridge","credit":"AP","caption":"At dawn","title":"Opening"}},
 {"start_date":{"year":2024},"text":{"headline":"Video"},
  "media":{"url":"https://vimeo.com/1","caption":"The film","thumbnail":"https://example.org/t.jpg"}}
]}"#,
    )
    .expect("loads");
    let t = lines(&loaded);
    let s = &loaded.story;
    let photo = &s
        .events
        .iter()
        .find(|e| e.title == "Photo")
        .expect("photo")
        .media;
    assert_eq!(
        photo[..],
        [Media {
            url: "https://example.org/p.webp".into(),
            kind: MediaKind::Image,
            alt: "A bridge".into(),
            credit: Some("AP".into()),
            caption: Some("Opening: At dawn".into()),
        }]
    );
    let video = &s
        .events
        .iter()
        .find(|e| e.title == "Video")
        .expect("video")
        .media;
    assert_eq!(
        video.iter().map(|m| m.kind).collect::<Vec<_>>(),
        [MediaKind::Link, MediaKind::Image]
    );
    // The thumbnail has no alt text: asked for at the thumbnail's own place.
    assert!(
        has(
            &t,
            "t.json:5:73: warning: events[1], field \"media[1].alt\": the image has no alt text"
        ),
        "{t:#?}"
    );
    assert_eq!(t.len(), 1, "{t:#?}");
    // And through Castline JSON and back, the media is the same.
    let json = to_json(s).expect("writes");
    let again = load_json("again.json", &json).expect("reads back");
    assert_eq!(again.story.events, s.events);
}

/// What the page is given: each event's and actor's media in its list item, the first
/// picture in the tooltip, and the credits in the text version.
#[test]
fn the_viewer_gives_the_media_to_the_page_and_the_text_names_credits() {
    use castline::view::app::{App, Target};
    let mut app = App::from_json("m.json", STORY).expect("loads");
    app.resize(600.0, 400.0, 600.0);
    let items = serde_json::to_value(app.event_items(None)).expect("serialises");
    let media = &items[0]["media"];
    assert_eq!(media.as_array().map(Vec::len), Some(4), "{items:#}");
    assert_eq!(
        media[0],
        serde_json::json!({"url": "https://example.org/e.jpg", "kind": "image", "alt": "The bridge",
            "credit": "Ann Lee / AP", "caption": "The bridge at dawn"})
    );
    assert_eq!(media[2]["kind"], "link");
    let actors = serde_json::to_value(app.actor_items(None)).expect("serialises");
    assert_eq!(actors[0]["media"][0]["alt"], "A at the podium");

    let (x, y) = app.actor_position("a").expect("drawn");
    let tip = app.pointer_move(Target::Network, x, y).expect("a tooltip");
    let image = tip.image.expect("the actor's picture");
    assert_eq!(
        (image.url.as_str(), image.alt.as_str()),
        ("https://example.org/a.jpg", "A at the podium")
    );

    let text = castline::render::story_text(&app);
    assert!(
        text.contains(
            "  Image: The bridge. The bridge at dawn. Credit: Ann Lee / AP. <https://example.org/e.jpg>"
        ),
        "{text}"
    );
    assert!(text.contains("  Link: The speech, on video. <http://example.org/video>"));
    assert!(text.contains("  Image: A at the podium. <https://example.org/a.jpg>"));
    assert!(!text.contains("javascript:"));
}
