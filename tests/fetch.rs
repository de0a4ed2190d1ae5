//! A story given as URLs (`castline publish|check|convert http://…`), against a small HTTP
//! server on 127.0.0.1 in this test (no network): a redirect to another path, as Google's
//! published sheets answer, publishes; the tabs of one sheet as several URLs are one story;
//! a 404, a web page, an answer too big and a redirect loop each fail in one line naming
//! the URL, with exit status 1.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "full")]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};

mod viewer;

use viewer::viewer;

mod scratch;
use scratch::Scratch;

const BIN: &str = env!("CARGO_BIN_EXE_castline");
const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/templates");
/// The readers' limit (src/read/load.rs `MAX_INPUT_BYTES`).
const MAX_INPUT_BYTES: usize = 64_000_000;

/// Starts the server on a free port and returns its origin (`http://127.0.0.1:PORT`). Its
/// thread lives as long as the test process.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    origin
}

/// Answers one request by its path; no CORS headers anywhere (a command line needs none).
fn answer(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // The headers, up to the empty line.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split(' ').nth(1).unwrap_or("/").to_owned();
    let template =
        |name: &str| std::fs::read(Path::new(TEMPLATES).join(name)).expect("template sheet");
    let reply = |status: &str, headers: &str, body: &[u8]| {
        let mut head = format!(
            "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n",
            body.len()
        )
        .into_bytes();
        head.extend_from_slice(body);
        head
    };
    let csv = "Content-Type: text/csv\r\n";
    let bytes = match path.as_str() {
        // Google's answer to a published tab: a redirect elsewhere, where the CSV is.
        "/pub?gid=1&output=csv" => reply(
            "307 Temporary Redirect",
            "Location: /elsewhere/events.csv\r\n",
            b"",
        ),
        "/pub?gid=2&output=csv" => reply("307 Temporary Redirect", "Location: /actors.csv\r\n", b""),
        "/elsewhere/events.csv" => reply("200 OK", csv, &template("events.csv")),
        "/actors.csv" => reply("200 OK", csv, &template("actors.csv")),
        "/relations.csv" => reply("200 OK", csv, &template("relations.csv")),
        "/bad.csv" => reply("200 OK", csv, b"id,title,date\nx,X,2025-02-30\n"),
        "/page" => reply(
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            b"<!doctype html><title>Sign in</title>",
        ),
        // A web page that says it is text: told by its first bytes.
        "/plain-page" => reply(
            "200 OK",
            "Content-Type: text/plain\r\n",
            b"\n<!DOCTYPE html><title>Sign in</title>",
        ),
        "/loop" => reply("302 Found", "Location: /loop-again\r\n", b""),
        "/loop-again" => reply("302 Found", "Location: /loop\r\n", b""),
        // Says its size: refused before the body is read (none is sent).
        "/big" => format!(
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/csv\r\nContent-Length: {}\r\n\r\n",
            MAX_INPUT_BYTES + 1
        )
        .into_bytes(),
        // Does not say its size: refused when the body passes the limit.
        "/big-stream" => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/csv\r\n\r\nid,title,date\n",
            );
            let row = "x,".repeat(50_000).into_bytes();
            let mut sent = 0;
            while sent <= MAX_INPUT_BYTES && stream.write_all(&row).is_ok() {
                sent += row.len();
            }
            return;
        }
        _ => reply("404 Not Found", "Content-Type: text/plain\r\n", b"not here"),
    };
    // The client may hang up first (a refused answer): that is no failure of the server.
    let _ = stream.write_all(&bytes);
}

/// Runs castline without the proxies of the environment, which would take 127.0.0.1 away.
fn castline(args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    for proxy in ["http_proxy", "https_proxy", "all_proxy", "no_proxy"] {
        command.env_remove(proxy).env_remove(proxy.to_uppercase());
    }
    command.args(args).output().expect("run castline")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_sheets_tabs_behind_redirects_publish_as_one_story() {
    let origin = serve();
    let scratch = Scratch::new("fetch", "publish");
    let out = scratch.0.join("site");
    let viewer = viewer(&scratch.0);
    let tabs = [
        format!("{origin}/pub?gid=1&output=csv"),
        format!("{origin}/pub?gid=2&output=csv"),
        format!("{origin}/relations.csv"),
    ];
    let output = castline(&[
        "publish",
        &tabs[0],
        &tabs[1],
        &tabs[2],
        "-o",
        out.to_str().expect("utf-8"),
        "--viewer",
        viewer.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let story = std::fs::read_to_string(out.join("story.json")).expect("story.json");
    assert!(
        story.contains("first-meeting") && story.contains("jane-doe"),
        "events and actors from the two redirected tabs: {story}"
    );
    assert!(
        story.contains("negotiates with"),
        "the relations tab: {story}"
    );
}

#[test]
fn diagnostics_name_the_url_and_convert_reads_one() {
    let origin = serve();
    let bad = format!("{origin}/bad.csv");
    let checked = castline(&["check", &bad]);
    assert_eq!(checked.status.code(), Some(1));
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(said.starts_with(&format!("{bad}:2:")), "{said}");

    let converted = castline(&[
        "convert",
        &format!("{origin}/elsewhere/events.csv"),
        "-o",
        "-",
    ]);
    assert_eq!(converted.status.code(), Some(0), "{}", stderr(&converted));
    assert!(String::from_utf8_lossy(&converted.stdout).contains("first-meeting"));
}

/// Each failure: exit 1, and one line naming the URL says why (the tally follows it).
#[test]
fn failures_are_one_line_naming_the_url() {
    let origin = serve();
    let scratch = Scratch::new("fetch", "failures");
    let out = scratch.0.join("site");
    let viewer = viewer(&scratch.0);
    let cases = [
        ("/missing.csv", "HTTP 404 Not Found"),
        ("/page", "web page (HTML), not CSV or JSON"),
        ("/plain-page", "web page (HTML), not CSV or JSON"),
        ("/big", "the answer is 64 MB; the limit is 64 MB"),
        ("/big-stream", "larger than the limit of 64 MB"),
        ("/loop", "more than 5 redirects"),
    ];
    for (path, reason) in cases {
        let url = format!("{origin}{path}");
        let output = castline(&[
            "publish",
            &url,
            "-o",
            out.to_str().expect("utf-8"),
            "--viewer",
            viewer.to_str().expect("utf-8"),
        ]);
        assert_eq!(output.status.code(), Some(1), "{path}: {}", stderr(&output));
        let said = stderr(&output);
        let lines: Vec<&str> = said.lines().collect();
        assert_eq!(lines.len(), 2, "{path}: the reason and the tally: {said}");
        assert!(
            lines[0].starts_with(&format!("{url}: error: ")) && lines[0].contains(reason),
            "{path}: {said}"
        );
        assert!(lines[1].contains("nothing published"), "{path}: {said}");
        assert!(!out.exists(), "{path}: nothing written");
    }
    // No server at all.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/a.csv", closed.local_addr().expect("address"));
    drop(closed);
    let output = castline(&["check", &url]);
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.starts_with(&format!("{url}: error: ")) && said.contains("connect"),
        "{said}"
    );
}
