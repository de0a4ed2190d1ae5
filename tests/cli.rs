//! The built `castline` binary: `check` prints `file:line:col: error: …` lines and exits 1 on
//! errors, 0 on warnings only and 2 on usage errors; `convert` writes Castline JSON that reads
//! back as the same story and never overwrites its input; every command's help goes to stdout
//! with 0, and a bad value or an unknown option is a usage error (2).
#![cfg(not(target_arch = "wasm32"))]
// The command line needs the `full` feature (the default).
#![cfg(feature = "full")]

use std::path::Path;
use std::process::{Command, Output};

use castline::read::detect::load_files;
use castline::read::json::load_json;
use castline::{DEFAULT_STORY, DEFAULT_STORY_FILE};

mod scratch;
use scratch::Scratch;

const BIN: &str = env!("CARGO_BIN_EXE_castline");
const DEFAULT_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/peace-plan-2025.json");

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the castline binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `file:line:col: error|warning: …`, the form editors and CI logs link to.
fn is_diagnostic_line(line: &str) -> bool {
    let mut parts = line.splitn(4, ':');
    let (Some(file), Some(l), Some(c), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !file.is_empty()
        && l.parse::<usize>().is_ok()
        && c.parse::<usize>().is_ok()
        && (rest.starts_with(" error: ") || rest.starts_with(" warning: "))
}

#[test]
fn check_passes_the_default_story() {
    let out = run(&["check", DEFAULT_PATH], Path::new("."));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    assert!(
        text(&out.stderr)
            .contains("1 file, 1 story, 17 events and 13 actors read; 0 errors, 0 warnings"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_reports_every_problem_of_a_csv_set_and_fails() {
    let dir = Scratch::new("cli", "check");
    dir.file(
        "events.csv",
        b"id,title,date,actors,colour\n\
          e1,Talks,2025-10,Steve Witkoff,red\n\
          e2,Bad date,2025-02-30,Steve Witkoff,\n\
          e1,Twice,2025-11,Kirill Dmitriev,\n",
    );
    dir.file(
        "actors.csv",
        b"id,name,group\nwitkoff,Steve Witkoff,US\n,,US\n",
    );
    dir.file(
        "warnings.json",
        br#"{"actors":[{"id":"a","name":"A","url":"javascript:x"}]}"#,
    );
    let out = run(
        &["check", "events.csv", "actors.csv", "warnings.json"],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.iter().all(|l| is_diagnostic_line(l)), "{stdout}");
    for expected in [
        "events.csv:1:5: warning: header, field \"colour\": unknown column",
        "events.csv:3:3: error: row 3, field \"date\": \"2025-02-30\" is not a valid date",
        "events.csv:4:1: error: row 4, field \"id\": the id \"e1\" is used twice",
        "actors.csv:3:2: error: row 3, field \"name\": the name is empty",
        "warnings.json:1:39: warning: actors[0] \"a\", field \"url\": the link \"javascript:x\" was dropped",
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in\n{stdout}");
    }
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(
        text(&out.stderr)
            .contains("3 files, 2 stories, 1 event and 3 actors read; 3 errors, 2 warnings"),
        "{}",
        text(&out.stderr)
    );

    // Warnings alone do not fail the check.
    let out = run(&["check", "warnings.json"], &dir.0);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn check_refuses_what_it_cannot_read() {
    let dir = Scratch::new("cli", "unreadable");
    dir.file("latin1.csv", b"title,date\nCaf\xe9,2025\n");
    let out = run(&["check", "latin1.csv", "missing.json"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("latin1.csv:2:4: error: whole file: byte 14 (0xE9) is not UTF-8"),
        "{stdout}"
    );
    assert!(
        stdout.contains("missing.json: error: whole file: cannot read the file"),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["check"][..],
        &["check", "--bogus", "x.json"],
        &["convert", "x.json"],
        &["convert", "-o", "out.json"],
    ] {
        let out = run(args, Path::new("."));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains("Usage:"), "{args:?}");
    }
    let help = run(&["--help"], Path::new("."));
    assert!(text(&help.stdout).contains("castline convert IN... -o OUT.json"));
}

#[test]
fn convert_round_trips_the_default_story() {
    let dir = Scratch::new("cli", "convert");
    let out_path = dir.0.join("out.json");
    let out = run(
        &[
            "convert",
            DEFAULT_PATH,
            "-o",
            out_path.to_str().expect("UTF-8 path"),
        ],
        Path::new("."),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("(17 events, 13 actors,"),
        "{}",
        text(&out.stderr)
    );
    let written = std::fs::read_to_string(&out_path).expect("written");
    let original = load_json(DEFAULT_STORY_FILE, DEFAULT_STORY).expect("loads");
    let again = load_json("out.json", &written).expect("reloads");
    assert!(again.diagnostics.is_empty(), "{:#?}", again.diagnostics);
    let (a, b) = (&original.story, &again.story);
    let events =
        |s: &castline::story::model::Story| -> Vec<(String, String, castline::story::dates::When)> {
            s.events
                .iter()
                .map(|e| (e.id.clone(), e.title.clone(), e.when))
                .collect()
        };
    assert_eq!(events(a), events(b), "same events with the same dates");
    let actors = |s: &castline::story::model::Story| -> Vec<String> {
        s.actors.iter().map(|a| a.id.clone()).collect()
    };
    assert_eq!(actors(a), actors(b));
    assert_eq!(a, b, "and everything else");
}

#[test]
fn convert_writes_a_csv_set_and_refuses_to_overwrite_its_input() {
    let dir = Scratch::new("cli", "convert-csv");
    let events = b"title,date,actors\nTalks,2025-10-24~/2025-10-26~,Ann;Bob\nLater,2025-11,Ann\n";
    let actors = b"id,name,group\nann,Ann,Team\n";
    dir.file("events.csv", events);
    dir.file("actors.csv", actors);
    let out = run(
        &["convert", "events.csv", "actors.csv", "-o", "story.json"],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(dir.0.join("story.json")).expect("written");
    assert!(
        written.contains("\"date\": \"2025-10-24~/2025-10-26~\""),
        "{written}"
    );
    let expected = load_files(&[
        ("events.csv", std::str::from_utf8(events).expect("UTF-8")),
        ("actors.csv", std::str::from_utf8(actors).expect("UTF-8")),
    ])
    .expect("loads");
    assert_eq!(
        load_json("story.json", &written).expect("reloads").story,
        expected.story
    );

    // To standard output.
    let out = run(&["convert", "events.csv", "-o", "-"], &dir.0);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("{\n  \"format\": \"castline/1\""));

    // Never over an input, however it is spelt.
    let out = run(
        &["convert", "events.csv", "actors.csv", "-o", "./actors.csv"],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("refusing to overwrite the input actors.csv"));
    assert_eq!(
        std::fs::read(dir.0.join("actors.csv")).expect("still there"),
        actors
    );

    // Errors: the good records are written, the exit status says some were left out.
    dir.file("bad.csv", b"title,date\nGood,2025\nBad,2025-13\n");
    let out = run(&["convert", "bad.csv", "-o", "bad.json"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bad.csv:3:2: error: row 3, field \"date\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("the records with errors were left out"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(dir.0.join("bad.json")).expect("written");
    assert_eq!(
        load_json("bad.json", &written)
            .expect("reloads")
            .story
            .events
            .len(),
        1
    );

    // Nothing readable: nothing written.
    dir.file("empty.csv", b"");
    let out = run(&["convert", "empty.csv", "-o", "empty.json"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.0.join("empty.json").exists());
}

#[test]
fn generate_writes_the_same_clean_story_for_the_same_seed() {
    let scratch = Scratch::new("cli", "generate");
    let dir = scratch.0.clone();
    let a = run(
        &[
            "generate", "--actors", "40", "--events", "150", "--seed", "7",
        ],
        &dir,
    );
    let b = run(
        &["generate", "--actors=40", "--events=150", "--seed=7"],
        &dir,
    );
    let c = run(
        &[
            "generate", "--actors", "40", "--events", "150", "--seed", "8",
        ],
        &dir,
    );
    assert!(a.status.success(), "{}", text(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "same seed, same story");
    assert_ne!(a.stdout, c.stdout, "another seed, another story");
    let loaded = load_json("generated.json", &text(&a.stdout)).expect("loads");
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(
        (loaded.story.actors.len(), loaded.story.events.len()),
        (40, 150)
    );
    // -o writes the file, and check agrees it is clean.
    let out = run(
        &[
            "generate", "--actors", "10", "--events", "20", "-o", "g.json",
        ],
        &dir,
    );
    assert!(out.status.success());
    assert!(run(&["check", "g.json"], &dir).status.success());
    for bad in [
        &["generate", "--actors", "10"][..],
        &["generate", "--actors", "x", "--events", "3"],
        &["generate", "--colour", "red"],
    ] {
        assert_eq!(run(bad, &dir).status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn help_and_version_go_to_stdout_and_exit_0() {
    for (command, options) in [
        ("check", &["FILE"][..]),
        ("convert", &["-o, --output"]),
        (
            "render",
            &[
                "-o, --out",
                "--output",
                "--width",
                "--scale",
                "--select",
                "--font",
            ],
        ),
        (
            "generate",
            &["--actors", "--events", "--seed", "-o, --output"],
        ),
        ("serve", &["--host", "--port", "--root", "--data"]),
    ] {
        for help in [
            &[command, "--help"][..],
            &[command, "-h"],
            &["help", command],
        ] {
            let out = run(help, Path::new("."));
            assert_eq!(out.status.code(), Some(0), "{help:?}");
            assert_eq!(text(&out.stderr), "", "{help:?}");
            let stdout = text(&out.stdout);
            assert!(
                stdout.contains(&format!("Usage: castline {command}")),
                "{help:?}: {stdout}"
            );
            for option in options {
                assert!(stdout.contains(option), "{help:?} lacks {option}: {stdout}");
            }
        }
    }
    for version in ["-V", "--version"] {
        let out = run(&[version], Path::new("."));
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            text(&out.stdout),
            format!("castline {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn bad_values_and_unknown_flags_exit_with_2() {
    let out = run(&["serve", "--port=70000"], Path::new("."));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--port") && stderr.contains("70000") && stderr.contains("Usage:"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    for args in [
        &["serve", "--verbose"][..],
        &["check", "-x", "a.json"],
        &["convert", "a.json", "-o", "b.json", "--pretty"],
        &["render", "a.json", "--out", "a.svg", "--height", "300"],
        &["generate", "--actors", "3", "--events", "3", "--fast"],
        &["--verbose", "check", "a.json"],
    ] {
        let out = run(args, Path::new("."));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("unexpected argument"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
