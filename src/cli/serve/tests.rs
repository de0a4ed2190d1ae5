//! The server's tests: paths, headers, requests, oEmbed.
use super::*;

fn target(base: Base, relative: &str) -> Target {
    Target {
        base,
        relative: PathBuf::from(relative),
    }
}

fn status_of(url: &str) -> u16 {
    match parse_request_path(url) {
        Ok(t) => panic!("{url:?} was accepted as {t:?}"),
        Err(e) => e.status(),
    }
}

#[test]
fn root_maps_to_index() {
    assert_eq!(
        parse_request_path("/").unwrap(),
        target(Base::Root, "index.html")
    );
    assert_eq!(
        parse_request_path("/?x=1#top").unwrap(),
        target(Base::Root, "index.html")
    );
}

#[test]
fn make_maps_to_the_page_that_makes_an_embed() {
    for url in ["/make", "/make?x=1#top", "/make.html"] {
        assert_eq!(
            parse_request_path(url).unwrap(),
            target(Base::Root, "make.html"),
            "{url}"
        );
    }
    assert_eq!(status_of("/make/"), 404, "a folder, as any other");
}

#[test]
fn page_and_data_paths() {
    assert_eq!(
        parse_request_path("/pkg/castline.js").unwrap(),
        target(Base::Root, "pkg/castline.js")
    );
    assert_eq!(
        parse_request_path("/data/people.csv").unwrap(),
        target(Base::Data, "people.csv")
    );
    assert_eq!(
        parse_request_path("/data/sub/a.json").unwrap(),
        target(Base::Data, "sub/a.json")
    );
    // Only the `/data/` prefix selects the data directory.
    assert_eq!(
        parse_request_path("/database.js").unwrap(),
        target(Base::Root, "database.js")
    );
}

#[test]
fn query_and_fragment_are_dropped() {
    assert_eq!(
        parse_request_path("/app.js?v=2").unwrap(),
        target(Base::Root, "app.js")
    );
    assert_eq!(
        parse_request_path("/data/a.csv#x?y").unwrap(),
        target(Base::Data, "a.csv")
    );
}

#[test]
fn percent_escapes_are_decoded() {
    assert_eq!(
        parse_request_path("/with%20space.txt").unwrap(),
        target(Base::Root, "with space.txt")
    );
    assert_eq!(
        parse_request_path("/%64ata/a.csv").unwrap(),
        target(Base::Data, "a.csv")
    );
    assert_eq!(
        parse_request_path("/caf%C3%A9.md").unwrap(),
        target(Base::Root, "café.md")
    );
    assert_eq!(
        parse_request_path("/a+b.txt").unwrap(),
        target(Base::Root, "a+b.txt")
    );
}

#[test]
fn traversal_is_rejected() {
    for url in [
        "/..",
        "/../secret",
        "/a/../../secret",
        "/data/../secret",
        "/data/..",
        "/%2e%2e/secret",
        "/%2E%2E%2fsecret",
        "/data/%2e%2e/%2e%2e/etc/passwd",
        "/./index.html",
        "//etc/passwd",
        "/%2Fetc/passwd",
        "/data//etc/passwd",
        "/a\\..\\secret",
        "/a%5C..%5Csecret",
        "/a%00.html",
    ] {
        assert_eq!(status_of(url), 400, "{url}");
    }
}

#[test]
fn malformed_requests_are_rejected() {
    for url in [
        "",
        "index.html",
        "http://example.com/",
        "*",
        "/%",
        "/%4",
        "/%zz",
        "/%ff",
    ] {
        assert_eq!(status_of(url), 400, "{url:?}");
    }
}

#[test]
fn directories_are_not_found() {
    for url in ["/data", "/data/", "/pkg/", "/data/sub/"] {
        assert_eq!(status_of(url), 404, "{url}");
    }
}

#[test]
fn content_types() {
    for (name, expected) in [
        ("index.html", "text/html; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("app.MJS", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("a.json", "application/json"),
        ("people.csv", "text/csv; charset=utf-8"),
        ("pkg/castline_bg.wasm", "application/wasm"),
        ("logo.svg", "image/svg+xml"),
        ("shot.png", "image/png"),
        ("favicon.ico", "image/x-icon"),
        ("notes.txt", "text/plain; charset=utf-8"),
        ("README.md", "text/markdown; charset=utf-8"),
        ("archive.tar.gz", "application/octet-stream"),
        ("Makefile", "application/octet-stream"),
    ] {
        assert_eq!(content_type(Path::new(name)), expected, "{name}");
    }
}

#[test]
fn only_loopback_hosts() {
    assert_eq!(
        loopback_addr("127.0.0.1", 8000).unwrap(),
        "127.0.0.1:8000".parse().unwrap()
    );
    assert_eq!(
        loopback_addr("localhost", 0).unwrap(),
        "127.0.0.1:0".parse().unwrap()
    );
    assert_eq!(
        loopback_addr("::1", 9000).unwrap(),
        "[::1]:9000".parse().unwrap()
    );
    for host in [
        "0.0.0.0",
        "::",
        "192.168.1.2",
        "example.com",
        "127.0.0.2",
        "",
    ] {
        assert!(
            matches!(
                loopback_addr(host, 8000),
                Err(ServeError::NonLoopbackHost { .. })
            ),
            "{host}"
        );
    }
}

#[test]
fn common_headers_are_valid_header_text() {
    let csp = content_security_policy("http://127.0.0.1:8000");
    for (name, value) in COMMON_HEADERS
        .into_iter()
        .chain([("Content-Security-Policy", csp.as_str())])
    {
        assert!(
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':'),
            "{name}"
        );
        assert!(
            value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()),
            "{name}: {value}"
        );
    }
}

fn head_of(raw: &str) -> Result<Option<RequestHead>, u16> {
    read_head(&mut io::Cursor::new(raw.as_bytes())).map_err(|HeadError(status)| status)
}

#[test]
fn request_heads() {
    let head = head_of("GET /a.js?x=1 HTTP/1.1\r\nHost: h\r\n\r\n")
        .unwrap()
        .unwrap();
    assert_eq!(
        (head.method.as_str(), head.target.as_str()),
        ("GET", "/a.js?x=1")
    );
    assert!(head.keep_alive);
    let head = head_of("\r\nHEAD / HTTP/1.1\r\nConnection: close\r\n\r\n")
        .unwrap()
        .unwrap();
    assert!(!head.keep_alive);
    let head = head_of("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
    assert!(!head.keep_alive);
    let head = head_of("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .unwrap()
        .unwrap();
    assert!(head.keep_alive);
    let head = head_of("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
        .unwrap()
        .unwrap();
    assert_eq!(head.body, 3);
    assert!(head_of("").unwrap().is_none());
    assert_eq!(head_of("GET /\r\n\r\n").err(), Some(400));
    assert_eq!(head_of("GET / HTTP/2.0\r\n\r\n").err(), Some(505));
    assert_eq!(
        head_of("GET / HTTP/1.1\r\n folded\r\n\r\n").err(),
        Some(400)
    );
    assert_eq!(
        head_of("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n").err(),
        Some(400)
    );
    let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
    assert_eq!(head_of(&long).err(), Some(431));
}

/// A scratch directory removed on drop, so tests need no extra crate.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("castline-serve-unit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("www/pkg")).unwrap();
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::write(dir.join("secret.txt"), "secret").unwrap();
        std::fs::write(dir.join("www/index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("data/a.csv"), "a,b\n").unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn resolve_finds_files_in_both_directories() {
    let s = Scratch::new("find");
    let (root, data) = (s.0.join("www"), s.0.join("data"));
    let index = resolve(&root, &data, "/").unwrap();
    assert_eq!(index, root.join("index.html").canonicalize().unwrap());
    let csv = resolve(&root, &data, "/data/a.csv?download").unwrap();
    assert_eq!(csv, data.join("a.csv").canonicalize().unwrap());
}

#[test]
fn resolve_refuses_missing_files_and_directories() {
    let s = Scratch::new("missing");
    let (root, data) = (s.0.join("www"), s.0.join("data"));
    for url in ["/nope.js", "/pkg", "/index.html/x", "/data/nope.csv"] {
        let err = resolve(&root, &data, url).unwrap_err();
        assert_eq!(err.status(), 404, "{url}: {err}");
    }
    let gone = s.0.join("no-data-here");
    let err = resolve(&root, &gone, "/data/a.csv").unwrap_err();
    assert_eq!(err.status(), 404, "{err}");
}

#[cfg(unix)]
#[test]
fn resolve_does_not_follow_links_out_of_the_root() {
    let s = Scratch::new("link");
    let (root, data) = (s.0.join("www"), s.0.join("data"));
    std::os::unix::fs::symlink(s.0.join("secret.txt"), root.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&s.0, data.join("up")).unwrap();
    assert_eq!(
        resolve(&root, &data, "/leak.txt").unwrap_err().status(),
        404
    );
    assert_eq!(
        resolve(&root, &data, "/data/up/secret.txt")
            .unwrap_err()
            .status(),
        404
    );
    // A link that stays inside is fine.
    std::os::unix::fs::symlink(root.join("index.html"), root.join("home.html")).unwrap();
    assert!(resolve(&root, &data, "/home.html").is_ok());
}

const ORIGIN: &str = "http://127.0.0.1:8000";

fn oembed_site(name: &str) -> Scratch {
    let s = Scratch::new(name);
    let story = r#"{"format": "castline/1", "title": "Talks <in> \"Miami\" & after",
        "actors": [{"id": "a", "name": "A"}],
        "events": [{"id": "e", "title": "E", "date": "2025-11", "actors": ["a"]}]}"#;
    std::fs::write(s.0.join("data/s.json"), story).unwrap();
    s
}

fn oembed_json(s: &Scratch, query: &str) -> Result<serde_json::Value, ServeError> {
    let text = oembed(ORIGIN, query, &s.0.join("www"), &s.0.join("data"))?;
    Ok(serde_json::from_str(&text).expect("oEmbed answers JSON"))
}

#[test]
fn oembed_answers_a_rich_response_for_its_own_pages() {
    let s = oembed_site("oembed");
    let page = "http%3A%2F%2F127.0.0.1%3A8000%2F%3Fdata%3Ddata%252Fs.json%23select%3Da";
    let json = oembed_json(&s, &format!("url={page}&maxwidth=600&format=json")).unwrap();
    assert_eq!(json["version"], "1.0");
    assert_eq!(json["type"], "rich");
    assert_eq!(json["provider_name"], "Castline");
    assert_eq!(json["width"], 600);
    assert_eq!(json["height"], OEMBED_HEIGHT);
    assert_eq!(json["title"], r#"Talks <in> "Miami" & after"#);
    let html = json["html"].as_str().unwrap();
    assert!(
        html.starts_with(
            r#"<iframe src="http://127.0.0.1:8000/embed.html?data=data%2Fs.json#select=a""#
        ),
        "{html}"
    );
    assert!(html.contains(r#"title="Talks &lt;in&gt; &quot;Miami&quot; &amp; after""#));
    assert!(
        html.contains(r#"sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox""#)
    );
    assert!(html.contains(r#"width="600" height="720""#));
    assert!(html.ends_with("></iframe>"));

    // localhost is the same server; no format means JSON; limits only ever shrink.
    let json = oembed_json(
        &s,
        "url=http://localhost:8000/embed.html&maxheight=300&maxwidth=5000",
    )
    .unwrap();
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (Some(900), Some(300))
    );
    // Without ?data= the title is the default story's, which this site does not have.
    assert_eq!(json["title"], "Castline");
}

#[test]
fn oembed_refuses_what_it_does_not_embed() {
    let s = oembed_site("oembed-refuse");
    for (query, status) in [
        ("url=http://127.0.0.1:8000/&format=xml", 501),
        ("url=http://example.com/", 404),
        ("url=http://127.0.0.1:8001/", 404),
        ("url=https://127.0.0.1:8000/", 404),
        ("url=http://127.0.0.1:8000.evil.example/", 404),
        ("url=http://127.0.0.1:8000/data/s.json", 404),
        ("url=http://127.0.0.1:8000/../etc/passwd", 404),
        ("url=javascript:alert(1)", 404),
        // The page's data must be a relative path or an http(s) URL.
        ("url=http://127.0.0.1:8000/?data=javascript:alert(1)", 404),
        (
            "url=http://127.0.0.1:8000/%3Fdata%3Djavascript%253Aalert(1)",
            404,
        ),
        (
            "url=http://127.0.0.1:8000/embed.html?data=data:text/html,x",
            404,
        ),
        ("url=http://127.0.0.1:8000/?data=vbscript:msgbox", 404),
        (
            "url=http://127.0.0.1:8000/?data=%2F%2Fevil.example%2Fs.json",
            404,
        ),
        ("format=json", 400),
        ("url=http://127.0.0.1:8000/&maxwidth=wide", 400),
        ("url=http://127.0.0.1:8000/&maxheight=0", 400),
        ("url=%zz", 400),
    ] {
        let err = oembed_json(&s, query).unwrap_err();
        assert_eq!(err.status(), status, "{query}: {err}");
    }
}

#[test]
fn discovery_links_are_filled_in_with_the_page_url() {
    let html = format!("<head><link rel=\"alternate\" {OEMBED_HREF_PLACEHOLDER}></head>");
    let filled = fill_discovery(&html, ORIGIN, "http://127.0.0.1:8000/?data=\"x\"&a=<b>");
    assert_eq!(
        filled,
        "<head><link rel=\"alternate\" href=\"http://127.0.0.1:8000/oembed?format=json&amp;\
         url=http%3A%2F%2F127.0.0.1%3A8000%2F%3Fdata%3D%22x%22%26a%3D%3Cb%3E\"></head>"
    );
    assert_eq!(
        fill_discovery("<p>no link</p>", ORIGIN, "x"),
        "<p>no link</p>"
    );
}

#[test]
fn the_policy_names_the_origin_the_browser_used_beside_self() {
    let addr: SocketAddr = "127.0.0.1:8000".parse().unwrap();
    for (host, origin) in [
        (Some("127.0.0.1:8000"), "http://127.0.0.1:8000"),
        (Some("LocalHost:9000"), "http://localhost:9000"),
        (Some("[::1]:8000"), "http://[::1]:8000"),
        (Some("localhost"), "http://localhost"),
        // Anything else is not written into a header: the listening address is.
        (None, "http://127.0.0.1:8000"),
        (Some("example.com:8000"), "http://127.0.0.1:8000"),
        (
            Some("127.0.0.1:8000; script-src *"),
            "http://127.0.0.1:8000",
        ),
        (Some("127.0.0.1:"), "http://127.0.0.1:8000"),
        (Some("127.0.0.1:123456"), "http://127.0.0.1:8000"),
        (Some("::1"), "http://127.0.0.1:8000"),
        (Some(""), "http://127.0.0.1:8000"),
    ] {
        assert_eq!(request_origin(host, addr), origin, "{host:?}");
    }
    let csp = content_security_policy("http://127.0.0.1:8000");
    assert!(csp.starts_with("default-src 'self' http://127.0.0.1:8000; "));
    assert!(csp.contains("; script-src 'self' http://127.0.0.1:8000 'wasm-unsafe-eval'; "));
    // default-src, script-src, style-src, img-src, connect-src, worker-src.
    assert_eq!(csp.matches("'self' http://127.0.0.1:8000").count(), 6);
    assert!(csp.ends_with("base-uri 'none'; form-action 'none'"));
}
