//! `castline publish` natively, with a stand-in viewer folder (`--viewer`), so these need no
//! wasm: the folder's files, the story laid out (the same every time), publishing again
//! starting from the earlier positions, and the refusals (a folder of something else, a
//! story with errors), each exit status 1 with one line saying why.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "full")]

use std::path::Path;
use std::process::{Command, Output};

mod viewer;

use viewer::viewer;

mod scratch;
use scratch::Scratch;

const BIN: &str = env!("CARGO_BIN_EXE_castline");
const DEFAULT_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/peace-plan-2025.json");

fn publish(scratch: &Scratch, inputs: &[&str], out: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .arg("publish")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .arg("--viewer")
        .arg(viewer(&scratch.0))
        .args(extra)
        .output()
        .expect("run castline")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_story_becomes_a_folder_with_its_page_pictures_and_laid_out_story() {
    let scratch = Scratch::new("publish", "folder");
    let out = scratch.0.join("site");
    let done = publish(
        &scratch,
        &[DEFAULT_PATH],
        &out,
        &[
            "--base-url",
            "https://news.example/a",
            "--title",
            "A <title>",
        ],
    );
    assert!(done.status.success(), "{}", stderr(&done));
    for f in [
        "index.html",
        "embed.html",
        "embed.js",
        "story.json",
        "story.svg",
        "story.png",
        "story.txt",
        "oembed.json",
        ".castline-publish",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let index = read(&out.join("index.html"));
    assert!(
        index.contains("<meta property=\"og:title\" content=\"A &lt;title&gt;\">"),
        "{index}"
    );
    assert!(
        index.contains("content=\"https://news.example/a/story.png\""),
        "{index}"
    );
    assert!(
        index.contains("castline-standin"),
        "the stand-in is in the page"
    );
    assert!(
        index.contains("&#39;self&#39; https://news.example"),
        "the policy names the origin"
    );
    let app = std::fs::read_dir(&out)
        .expect("list")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.starts_with("app.") && n.ends_with(".js"))
        .expect("a hashed app.js");
    assert!(index.contains(&format!("src=\"{app}\"")), "{index}");
    assert!(
        read(&out.join(&app)).contains("'story.json'"),
        "app.js loads the story"
    );
    // The page that makes an embed: the policy and the folder's oEmbed file (which it offers),
    // not the story's card; its script loads the folder's story.
    let make = read(&out.join("make.html"));
    assert!(
        make.contains("&#39;self&#39; https://news.example"),
        "{make}"
    );
    assert!(
        make.contains("href=\"https://news.example/a/oembed.json\""),
        "{make}"
    );
    assert!(!make.contains("og:title"), "{make}");
    let make_js = make
        .split("src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("make.html's script");
    assert!(
        make_js.starts_with("make.") && make_js != "make.js",
        "{make_js}"
    );
    assert!(read(&out.join(make_js)).contains("'story.json'"));
    let story_text = read(&out.join("story.json"));
    // Written without white space: every reader fetches it.
    assert!(!story_text.contains('\n'));
    let story: serde_json::Value = serde_json::from_str(&story_text).expect("JSON");
    assert_eq!(story["title"], "A <title>");
    let actors = story["actors"].as_array().expect("actors");
    assert!(
        actors
            .iter()
            .all(|a| a["position"].as_array().is_some_and(|p| p.len() == 2))
    );
    let oembed: serde_json::Value =
        serde_json::from_str(&read(&out.join("oembed.json"))).expect("JSON");
    assert!(
        oembed["html"]
            .as_str()
            .is_some_and(|h| h.contains("https://news.example/a/embed.html"))
    );

    // The same story publishes to the same story.json.
    let again = scratch.0.join("again");
    assert!(
        publish(&scratch, &[DEFAULT_PATH], &again, &["--title", "A <title>"])
            .status
            .success()
    );
    assert_eq!(
        read(&again.join("story.json")),
        read(&out.join("story.json"))
    );
}

#[test]
fn publishing_again_starts_from_the_earlier_positions_and_replaces_only_its_files() {
    let scratch = Scratch::new("publish", "again");
    let out = scratch.0.join("site");
    assert!(
        publish(&scratch, &[DEFAULT_PATH], &out, &[])
            .status
            .success()
    );
    // Positions moved by hand in the published story: the next publication starts there.
    let file = out.join("story.json");
    let mut story: serde_json::Value = serde_json::from_str(&read(&file)).expect("JSON");
    for actor in story["actors"].as_array_mut().expect("actors") {
        let x = actor["position"][0].as_f64().expect("x");
        actor["position"][0] = serde_json::json!(-x);
    }
    std::fs::write(&file, serde_json::to_string(&story).expect("JSON")).expect("write");
    std::fs::write(out.join("mine.txt"), "the host's own file").expect("write");
    let done = publish(&scratch, &[DEFAULT_PATH], &out, &[]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(
        stderr(&done).contains("where the earlier publication had them"),
        "{}",
        stderr(&done)
    );
    let after: serde_json::Value = serde_json::from_str(&read(&file)).expect("JSON");
    let (before, after) = (
        story["actors"].as_array().expect("a"),
        after["actors"].as_array().expect("a"),
    );
    for (b, a) in before.iter().zip(after) {
        let d = |k: usize| {
            b["position"][k].as_f64().unwrap_or(0.0) - a["position"][k].as_f64().unwrap_or(0.0)
        };
        assert!(
            d(0).hypot(d(1)) < 30.0,
            "{} moved from {} to {}",
            a["id"],
            b["position"],
            a["position"]
        );
    }
    assert!(
        out.join("mine.txt").is_file(),
        "files the publication did not write are kept"
    );
}

#[test]
fn refusals_are_one_line_and_exit_1() {
    let scratch = Scratch::new("publish", "refusals");
    let busy = scratch.0.join("busy");
    std::fs::create_dir_all(&busy).expect("folder");
    std::fs::write(busy.join("notes.txt"), "x").expect("write");
    let refused = publish(&scratch, &[DEFAULT_PATH], &busy, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("holds no earlier publication"),
        "{}",
        stderr(&refused)
    );

    let bad = scratch.0.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"actors": [], "events": [{"id": "e", "title": "E", "date": "2025-02-30"}]}"#,
    )
    .expect("write");
    let out = scratch.0.join("site");
    let failed = publish(&scratch, &[bad.to_str().expect("utf-8")], &out, &[]);
    assert_eq!(failed.status.code(), Some(1));
    let said = stderr(&failed);
    assert!(
        said.contains("bad.json:1:") && said.contains("nothing published: 1 error"),
        "{said}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn select_window_and_theme_are_the_pages_starting_view() {
    let scratch = Scratch::new("publish", "view");
    let out = scratch.0.join("site");
    let view = [
        "--select",
        "witkoff,dmitriev",
        "--window",
        "2025-11-17..2025-11-23",
        "--theme",
        "dark",
        "--base-url",
        "https://news.example/h/",
    ];
    let output = publish(&scratch, &[DEFAULT_PATH], &out, &view);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for page in ["index.html", "embed.html"] {
        let html = read(&out.join(page));
        assert!(
            html.contains(
                r#"<meta name="castline-view" content="select=witkoff,dmitriev&amp;window=2025-11-17..2025-11-23">"#
            ) && html.contains(r#"<meta name="castline-theme" content="dark">"#),
            "{page}: {html}"
        );
    }
    let oembed = read(&out.join("oembed.json"));
    assert!(
        oembed.contains("embed.html?theme=dark#select=witkoff,dmitriev"),
        "{oembed}"
    );
    // The pictures show that view too: the stand-in counts the events it opens with, and the
    // fallback picture differs from the whole story's.
    let html = read(&out.join("index.html"));
    let shown: usize = html
        .split("Showing ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the stand-in's status line");
    assert!(
        shown < 17 && html.contains(&format!("Showing {shown} of 17 events")),
        "the stand-in's status counts the opening view's events: {shown}"
    );
    let whole = scratch.0.join("whole");
    let plain = publish(&scratch, &[DEFAULT_PATH], &whole, &[]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert_ne!(read(&out.join("story.svg")), read(&whole.join("story.svg")));
    assert!(read(&whole.join("index.html")).contains("Showing 17 of 17 events"));

    let unknown = publish(&scratch, &[DEFAULT_PATH], &out, &["--select", "witkof"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("--select: there is no actor with id \"witkof\""),
        "{}",
        stderr(&unknown)
    );
    let bad = publish(
        &scratch,
        &[DEFAULT_PATH],
        &out,
        &["--window", "2025-13..2026"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("--window: "), "{}", stderr(&bad));
    let read_back = read(&out.join("index.html"));
    assert!(
        read_back.contains("castline-view"),
        "a refused publish writes nothing"
    );
}

/// Polls `done` every 100 ms for up to `secs`; false if it never held.
fn within(secs: u64, done: impl Fn() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn watch_publishes_again_when_a_story_file_changes() {
    let scratch = Scratch::new("publish", "watch");
    let sheet = scratch.0.join("events.csv");
    std::fs::write(
        &sheet,
        "title,date,actors\nFirst meeting,2025-10-24,Jane Doe; John Roe\n",
    )
    .expect("write the sheet");
    let out = scratch.0.join("site");
    let mut child = Command::new(BIN)
        .arg("publish")
        .arg(&sheet)
        .arg("-o")
        .arg(&out)
        .arg("--viewer")
        .arg(viewer(&scratch.0))
        .arg("--watch")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run castline publish --watch");
    let story = out.join("story.json");
    let holds = |text: &str| std::fs::read_to_string(&story).is_ok_and(|s| s.contains(text));
    let first = within(60, || holds("First meeting"));
    // Changed after the first publication: the folder follows without another command.
    std::fs::write(
        &sheet,
        "title,date,actors\nFirst meeting,2025-10-24,Jane Doe; John Roe\nSecond meeting,2025-11-02,Jane Doe\n",
    )
    .expect("change the sheet");
    let second = within(60, || holds("Second meeting"));
    let still_running = child.try_wait().expect("child status").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first publication within 60 s");
    assert!(second, "published again within 60 s of the change");
    assert!(still_running, "--watch keeps running");
}
