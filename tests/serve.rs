//! End-to-end checks of `castline serve` over real sockets: the library's
//! `bind`/`run` in a thread, and the `castline` binary as a child process.
//! Requests are written by hand over `TcpStream` so that malformed paths reach
//! the server exactly as sent.

#![cfg(not(target_arch = "wasm32"))]
// Needs the importers and the server of the `full` feature (the default).
#![cfg(feature = "full")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use castline::cli::serve::{
    self, CONTENT_SECURITY_POLICY, ServeConfig, ServeError, ShutdownHandle, content_security_policy,
};

const TIMEOUT: Duration = Duration::from_secs(10);
const INDEX: &str = "<!doctype html><title>Castline</title>";
const WASM: &[u8] = b"\0asm\x01\0\0\0";
const SECRET: &str = "do not serve me";

/// A scratch tree, removed on drop:
/// `secret.txt`, `www/{index.html,app.js,style.css,pkg/castline_bg.wasm,...}`,
/// `data/{people.csv,events.json}`.
struct Site {
    dir: PathBuf,
}

impl Site {
    fn new(name: &str) -> Site {
        let dir =
            std::env::temp_dir().join(format!("castline-serve-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files: &[(&str, &[u8])] = &[
            ("secret.txt", SECRET.as_bytes()),
            ("www/index.html", INDEX.as_bytes()),
            ("www/app.js", b"export const x = 1;\n"),
            ("www/style.css", b"body { margin: 0 }\n"),
            ("www/pkg/castline_bg.wasm", WASM),
            ("www/with space.txt", b"spaced\n"),
            ("www/blob.bin", b"\x01\x02"),
            ("data/people.csv", b"id,name\n1,Ada\n"),
            ("data/events.json", b"[]"),
        ];
        for (path, contents) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        Site { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.join("www")
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn config(&self) -> ServeConfig {
        ServeConfig {
            host: "127.0.0.1".into(),
            port: 0,
            root: self.root(),
            data: self.data(),
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts the library server on a free port in a background thread. The
/// receiver yields once `run` has returned.
fn start(site: &Site) -> (SocketAddr, ShutdownHandle, mpsc::Receiver<()>) {
    let server = serve::bind(&site.config()).expect("bind");
    let addr = server.local_addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0, "port 0 must be replaced by the real port");
    assert_eq!(server.url(), format!("http://{addr}/"));
    let handle = server.shutdown_handle();
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || {
        server.run();
        let _ = done_tx.send(());
    });
    (addr, handle, done_rx)
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request with `Connection: close` and reads the whole reply.
fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read reply");
    parse_reply(&raw)
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line");
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    let reply = Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    assert!(
        reply.header("Transfer-Encoding").is_none(),
        "expected a plain body, got {reply:?}"
    );
    reply
}

fn assert_security_headers(reply: &Reply, addr: SocketAddr) {
    // The server's origin beside each 'self', for WebKit's sandboxed iframes.
    assert_eq!(
        reply.header("Content-Security-Policy"),
        Some(content_security_policy(&format!("http://{addr}")).as_str())
    );
    assert!(CONTENT_SECURITY_POLICY.contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert!(CONTENT_SECURITY_POLICY.starts_with("default-src 'self';"));
    assert_eq!(reply.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(reply.header("Referrer-Policy"), Some("no-referrer"));
    assert_eq!(reply.header("Cache-Control"), Some("no-cache"));
}

#[test]
fn serves_page_and_data_with_types_and_headers() {
    let site = Site::new("ok");
    let (addr, handle, _done) = start(&site);

    let cases: &[(&str, &str, &[u8])] = &[
        ("/", "text/html; charset=utf-8", INDEX.as_bytes()),
        ("/index.html", "text/html; charset=utf-8", INDEX.as_bytes()),
        (
            "/app.js?v=3",
            "text/javascript; charset=utf-8",
            b"export const x = 1;\n",
        ),
        (
            "/style.css",
            "text/css; charset=utf-8",
            b"body { margin: 0 }\n",
        ),
        ("/pkg/castline_bg.wasm", "application/wasm", WASM),
        (
            "/with%20space.txt",
            "text/plain; charset=utf-8",
            b"spaced\n",
        ),
        ("/blob.bin", "application/octet-stream", b"\x01\x02"),
        (
            "/data/people.csv",
            "text/csv; charset=utf-8",
            b"id,name\n1,Ada\n",
        ),
        ("/data/events.json#frag", "application/json", b"[]"),
    ];
    for (target, content_type, body) in cases {
        let reply = get(addr, target);
        assert_eq!(reply.status, 200, "{target}: {reply:?}");
        assert_eq!(
            reply.header("Content-Type"),
            Some(*content_type),
            "{target}"
        );
        assert_eq!(reply.body, *body, "{target}");
        assert_eq!(
            reply.header("Content-Length"),
            Some(body.len().to_string().as_str()),
            "{target}"
        );
        assert_security_headers(&reply, addr);
    }

    // Large files (the real wasm module is hundreds of kB) are sent with a
    // Content-Length too, not chunked; `parse_reply` checks the latter.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(site.root().join("pkg/big.wasm"), &big).unwrap();
    let reply = get(addr, "/pkg/big.wasm");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Content-Length"), Some("200000"));
    assert!(reply.body == big, "large body differs");
    handle.shutdown();
}

#[test]
fn head_sends_headers_without_body() {
    let site = Site::new("head");
    let (addr, handle, _done) = start(&site);
    let reply = request(addr, "HEAD", "/");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        reply.header("Content-Length"),
        Some(INDEX.len().to_string().as_str())
    );
    assert!(reply.body.is_empty(), "{reply:?}");
    assert_security_headers(&reply, addr);
    handle.shutdown();
}

#[test]
fn other_methods_are_not_allowed() {
    let site = Site::new("methods");
    let (addr, handle, _done) = start(&site);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let reply = request(addr, method, "/index.html");
        assert_eq!(reply.status, 405, "{method}: {reply:?}");
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"), "{method}");
        assert!(!reply.body_text().contains("Castline"), "{method}");
        assert_security_headers(&reply, addr);
    }
    handle.shutdown();
}

#[test]
fn missing_files_and_directories_are_404() {
    let site = Site::new("missing");
    let (addr, handle, _done) = start(&site);
    for target in [
        "/nope.html",
        "/pkg",
        "/pkg/",
        "/data",
        "/data/",
        "/data/nope.csv",
        "/people.csv",
        "/index.html/",
    ] {
        let reply = get(addr, target);
        assert_eq!(reply.status, 404, "{target}: {reply:?}");
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/plain; charset=utf-8")
        );
        assert_security_headers(&reply, addr);
    }
    handle.shutdown();
}

#[test]
fn traversal_never_leaves_the_served_directories() {
    let site = Site::new("traversal");
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.dir.join("secret.txt"), site.root().join("leak.txt")).unwrap();
    let (addr, handle, _done) = start(&site);
    let mut targets = vec![
        "/../secret.txt",
        "/pkg/../../secret.txt",
        "/data/../secret.txt",
        "/data/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/data/%2e%2e/secret.txt",
        "/..%5Csecret.txt",
        "/..\\secret.txt",
        "/%2F..%2Fsecret.txt",
        "//secret.txt",
        "/index.html%00.txt",
        "/%",
    ];
    let absolute = format!("/%2F{}", site.dir.join("secret.txt").display());
    targets.push(&absolute);
    #[cfg(unix)]
    targets.push("/leak.txt");
    for target in targets {
        let reply = get(addr, target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: {reply:?}"
        );
        assert!(!reply.body_text().contains(SECRET), "{target} leaked");
        assert_security_headers(&reply, addr);
    }
    // Sanity check that the secret really is where the attempts aimed.
    assert_eq!(
        std::fs::read_to_string(site.root().join("../secret.txt")).unwrap(),
        SECRET
    );
    handle.shutdown();
}

#[test]
fn shutdown_stops_run() {
    let site = Site::new("shutdown");
    let (addr, handle, done) = start(&site);
    assert_eq!(get(addr, "/").status, 200);
    handle.shutdown();
    done.recv_timeout(TIMEOUT)
        .expect("run() should return soon after shutdown()");
}

#[test]
fn bind_refuses_non_loopback_hosts_and_missing_root() {
    let site = Site::new("bind");
    for host in ["0.0.0.0", "::", "10.0.0.1", "example.com"] {
        let config = ServeConfig {
            host: host.into(),
            ..site.config()
        };
        assert!(
            matches!(
                serve::bind(&config),
                Err(ServeError::NonLoopbackHost { .. })
            ),
            "{host}"
        );
    }
    let config = ServeConfig {
        root: site.dir.join("no-such-dir"),
        ..site.config()
    };
    assert!(matches!(
        serve::bind(&config),
        Err(ServeError::Directory { .. })
    ));
    let config = ServeConfig {
        root: site.root().join("index.html"),
        ..site.config()
    };
    assert!(matches!(
        serve::bind(&config),
        Err(ServeError::Directory { .. })
    ));
}

/// Runs the real binary; kills it on drop so a failing test leaves nothing.
struct Cli(Child);

impl Drop for Cli {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn castline() -> Command {
    Command::new(env!("CARGO_BIN_EXE_castline"))
}

#[test]
fn cli_serve_prints_its_url_and_serves() {
    let site = Site::new("cli");
    let child = castline()
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .arg("--data")
        .arg(site.data())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn castline");
    let mut cli = Cli(child);
    let stdout = cli.0.stdout.take().unwrap();
    let (line_tx, line_rx) = mpsc::channel();
    thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = line_tx.send(line);
    });
    let line = line_rx.recv_timeout(TIMEOUT).expect("a line on stdout");
    let url = line
        .trim_end()
        .strip_prefix("Castline is serving the page at http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let addr: SocketAddr = url
        .strip_suffix('/')
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_ne!(addr.port(), 0);

    let reply = get(addr, "/");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body_text(), INDEX);
    assert_eq!(get(addr, "/data/people.csv").status, 200);
    assert_eq!(get(addr, "/../secret.txt").status, 400);
}

#[test]
fn cli_help_and_usage_errors() {
    let help = castline().arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("castline serve"), "{text}");

    for args in [
        &["bogus"][..],
        &[],
        &["serve", "--nope"],
        &["serve", "--port", "x"],
    ] {
        let out = castline().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Usage:"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }

    let out = castline()
        .args(["serve", "--port", "0", "--host", "0.0.0.0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));

    let out = castline()
        .args(["serve", "--port", "0", "--root"])
        .arg(Path::new("/nonexistent/castline/www"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn oembed_and_discovery_over_http() {
    let site = Site::new("oembed");
    std::fs::write(
        site.root().join("embed.html"),
        format!(
            "<link rel=\"alternate\" {}>",
            serve::OEMBED_HREF_PLACEHOLDER
        ),
    )
    .unwrap();
    let (addr, handle, _done) = start(&site);

    // The page's discovery link names the endpoint with the page's own URL.
    let page = get(addr, "/embed.html?data=data%2Fevents.json");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let expected = format!(
        "href=\"http://{addr}/oembed?format=json&amp;url=http%3A%2F%2F{}%2Fembed.html%3Fdata%3Ddata%252Fevents.json\"",
        addr.to_string().replace(':', "%3A")
    );
    assert!(page.body_text().contains(&expected), "{}", page.body_text());
    // A sandboxed iframe has an opaque origin: its fetches are CORS requests.
    assert_eq!(page.header("Access-Control-Allow-Origin"), Some("*"));

    let url = format!(
        "http%3A%2F%2F{}%2Fembed.html",
        addr.to_string().replace(':', "%3A")
    );
    let reply = get(addr, &format!("/oembed?url={url}&format=json&maxwidth=500"));
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.header("Content-Type"), Some("application/json"));
    assert_eq!(reply.header("Access-Control-Allow-Origin"), Some("*"));
    let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(json["type"], "rich");
    assert_eq!(json["width"], 500);

    assert_eq!(
        get(addr, &format!("/oembed?url={url}&format=xml")).status,
        501
    );
    assert_eq!(
        get(addr, "/oembed?url=http%3A%2F%2Fexample.com%2F").status,
        404
    );
    assert_eq!(get(addr, "/oembed").status, 400);
    handle.shutdown();
}

/// Percent-encodes all but RFC 3986's unreserved characters (a query value).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn oembed_embeds_only_data_a_page_may_fetch() {
    let site = Site::new("oembed-data");
    let (addr, handle, _done) = start(&site);
    // The oEmbed request for a page showing `data`, with the data as the page would have it.
    let ask = |page: &str, data: &str| {
        let page_url = format!("http://{addr}/{page}?data={}", encode(data));
        get(
            addr,
            &format!("/oembed?format=json&url={}", encode(&page_url)),
        )
    };
    for data in [
        "javascript:alert(1)",
        "JavaScript:alert(document.domain)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "javascript://example.org/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:application/json,{}",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "blob:http://127.0.0.1/x",
        // Decided: a scheme-relative URL names another server without a scheme; refused.
        "//evil.example/story.json",
        "\\\\evil.example\\story.json",
        "/\\evil.example/story.json",
    ] {
        for page in ["", "embed.html"] {
            let reply = ask(page, data);
            assert_eq!(
                reply.status,
                404,
                "{page}?data={data:?}: {}",
                reply.body_text()
            );
            assert!(!reply.body_text().contains("<iframe"), "{data:?}");
        }
    }
    // Relative paths and http(s) URLs are embedded as before, the data passed on encoded.
    for data in [
        "data/events.json",
        "events.json",
        "/data/events.json",
        "../data/events.json",
        "data/a:b.json",
        "data/my story.json?v=2#x",
        "https://example.org/story.json",
        "HTTP://example.org/sheet.csv?output=csv",
    ] {
        let reply = ask("embed.html", data);
        assert_eq!(reply.status, 200, "{data:?}: {}", reply.body_text());
        let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        let html = json["html"].as_str().unwrap();
        let src = format!(
            "<iframe src=\"http://{addr}/embed.html?data={}\"",
            encode(data)
        );
        assert!(html.starts_with(&src), "{data:?}: {html}");
    }
    handle.shutdown();
}
