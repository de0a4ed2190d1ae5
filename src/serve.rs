//! The local web server behind `castline serve`: it serves the page (the
//! `www/` directory) and the data files (the `data/` directory, under
//! `/data/`) over HTTP, on loopback only.
//!
//! A server is needed at all because browsers refuse to load ES modules and
//! `application/wasm` from `file://` URLs. This module owns everything about
//! that: which URL paths map to which files, which content types they get,
//! the security headers on every response, and the worker threads.
//!
//! The path handling is split into a pure step ([`parse_request_path`]) and a
//! filesystem step ([`resolve`]) so that each can be tested on its own; the
//! network part is [`bind`] followed by [`Server::run`].

use std::fs::File;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, ResponseBox};

/// Host the server listens on unless told otherwise.
pub const DEFAULT_HOST: &str = "127.0.0.1";
/// Port the server listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8000;
/// Directory holding the page, relative to the working directory.
pub const DEFAULT_ROOT: &str = "www";
/// Directory holding the data files, relative to the working directory.
pub const DEFAULT_DATA: &str = "data";

/// Sent on every response, with the server's origin beside each `'self'`
/// ([`content_security_policy`]). Scripts, styles and images come only from this origin, and
/// `'wasm-unsafe-eval'` is the one relaxation compiling the module requires. Data may be
/// fetched from any https origin (a published Google Sheet): it is read as text by the Rust
/// loaders and never run, so this lets no code in.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self' https:; object-src 'none'; base-uri 'none'; form-action 'none'";

/// [`CONTENT_SECURITY_POLICY`] for a document served from `origin` (`http://127.0.0.1:8000`):
/// the origin is named beside each `'self'`, which allows nothing more. WebKit (Safari's
/// engine; WebKitGTK 2.50 in `make test-webkit`) resolves `'self'` against the document's own
/// origin, and in the embed's sandboxed iframe (no `allow-same-origin`) that origin is opaque
/// and matches nothing, so without the name the viewer's own scripts, styles, wasm and data
/// are refused and the embed stays blank (WebKit bug 316847); Chromium and Firefox match
/// `'self'` against the document's URL, as CSP3 says.
pub fn content_security_policy(origin: &str) -> String {
    CONTENT_SECURITY_POLICY.replace("'self'", &format!("'self' {origin}"))
}

/// The origin a browser reached this server by: `http://` and the request's `Host` when that
/// names loopback (`127.0.0.1:8000`, `localhost:8000`, `[::1]:8000`, as the browser typed it),
/// otherwise the address the server listens on. Nothing else of a `Host` goes into a header.
fn request_origin(host: Option<&str>, addr: SocketAddr) -> String {
    let loopback = host.filter(|host| {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !name.ends_with(':') => (name, Some(port)),
            _ => (*host, None),
        };
        let name_ok =
            name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost") || name == "[::1]";
        let port_ok = port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
        name_ok && port_ok
    });
    match loopback {
        Some(host) => format!("http://{}", host.to_ascii_lowercase()),
        None => format!("http://{addr}"),
    }
}

/// Headers sent on every response, error responses included, after its
/// Content-Security-Policy.
const COMMON_HEADERS: [(&str, &str); 4] = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    // The page is rebuilt often during development; always revalidate.
    ("Cache-Control", "no-cache"),
    // The embedded viewer runs in a sandboxed iframe without allow-same-origin, so its origin
    // is opaque ("null") and every fetch it makes (module scripts, the wasm, the data) is a
    // cross-origin CORS request, even to this server. Everything served here is public page
    // material, as on a static host that sends this header (GitHub Pages does).
    ("Access-Control-Allow-Origin", "*"),
];

/// URL prefix under which the data directory is served.
const DATA_PREFIX: &str = "/data/";

/// Path of the oEmbed endpoint ([`oembed`]).
pub const OEMBED_PATH: &str = "/oembed";

/// The oEmbed discovery link's `href` as the pages write it; the server fills in the
/// endpoint's absolute URL with the page's own URL when it serves a page ([`fill_discovery`]).
pub const OEMBED_HREF_PLACEHOLDER: &str = r#"href="oembed?format=json""#;

/// The pages an oEmbed `url` may name: the viewer and its compact embedded form.
const EMBEDDABLE_PAGES: [&str; 3] = ["/", "/index.html", "/embed.html"];

/// An embed's size when the consumer sets no limit, CSS px.
pub const OEMBED_WIDTH: u32 = 900;
pub const OEMBED_HEIGHT: u32 = 720;

/// Requests are few (one page, a handful of assets), so a small pool is plenty.
const WORKERS: usize = 4;

/// How often idle workers look at the shutdown flag.
const POLL: Duration = Duration::from_millis(200);

/// Everything that can go wrong while serving, with the HTTP status it maps
/// to given by [`ServeError::status`].
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The request path is malformed or tries to leave the served directories.
    #[error("rejected request path {path:?}: {reason}")]
    BadRequest { path: String, reason: &'static str },
    /// No regular file answers to the request path.
    #[error("no file for request path {path:?}")]
    NotFound { path: String },
    /// Only GET and HEAD are served.
    #[error("method {method} is not allowed (only GET and HEAD are)")]
    MethodNotAllowed { method: String },
    /// The server only ever listens on loopback.
    #[error(
        "refusing to serve on host {host:?}: only loopback is allowed (127.0.0.1, localhost or ::1)"
    )]
    NonLoopbackHost { host: String },
    /// A directory to serve from is missing or unreadable.
    #[error("{what} directory {}: {source}", path.display())]
    Directory {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file exists but could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// An oEmbed request this server does not answer: 400 (malformed), 404 (not one of its
    /// pages) or 501 (a format other than JSON), as the oEmbed spec asks.
    #[error("oEmbed: {reason}")]
    Oembed { status: u16, reason: String },
}

impl ServeError {
    /// The HTTP status code this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            ServeError::BadRequest { .. } => 400,
            ServeError::NotFound { .. } => 404,
            ServeError::MethodNotAllowed { .. } => 405,
            ServeError::Oembed { status, .. } => *status,
            _ => 500,
        }
    }
}

/// Which served directory a request path points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The page directory (`--root`).
    Root,
    /// The data directory (`--data`), reached through `/data/`.
    Data,
}

/// A request path after decoding and validation, not yet checked against the
/// filesystem. `relative` holds only plain name components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub base: Base,
    pub relative: PathBuf,
}

/// Turns a request target (`/data/people.csv?x=1`) into a [`Target`].
///
/// The query string and fragment are dropped and the rest percent-decoded.
/// Anything that could name a file outside the served directories — `.` or
/// `..` segments, an absolute path after decoding, backslashes, NUL — is a
/// [`ServeError::BadRequest`]; paths that can only name a directory are
/// [`ServeError::NotFound`], since there are no listings.
pub fn parse_request_path(url: &str) -> Result<Target, ServeError> {
    let bad = |reason| ServeError::BadRequest {
        path: url.to_owned(),
        reason,
    };
    let not_found = || ServeError::NotFound {
        path: url.to_owned(),
    };

    let path = match url.find(['?', '#']) {
        Some(end) => &url[..end],
        None => url,
    };
    // Absolute-form targets (`http://host/x`) are only for proxies.
    if !path.starts_with('/') {
        return Err(bad("the path must start with '/'"));
    }
    let decoded =
        percent_decode(path).ok_or_else(|| bad("invalid percent-encoding or not UTF-8"))?;
    if decoded.contains('\0') {
        return Err(bad("NUL byte"));
    }
    // A backslash is a separator on Windows; never treat it as a name.
    if decoded.contains('\\') {
        return Err(bad("backslash"));
    }

    if decoded == "/" {
        return Ok(Target {
            base: Base::Root,
            relative: PathBuf::from("index.html"),
        });
    }
    if decoded == "/data" {
        return Err(not_found());
    }
    let (base, rest) = match decoded.strip_prefix(DATA_PREFIX) {
        Some(rest) => (Base::Data, rest),
        None => (Base::Root, &decoded[1..]),
    };

    let segments: Vec<&str> = rest.split('/').collect();
    let mut relative = PathBuf::new();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            // A trailing slash names a directory.
            "" if i + 1 == segments.len() => return Err(not_found()),
            // `//etc/passwd` or `%2Fetc` would make `join` start over at `/`.
            "" => return Err(bad("empty segment (absolute path)")),
            "." | ".." => return Err(bad("'.' or '..' segment")),
            name => relative.push(name),
        }
    }
    // Belt and braces: the loop above should already guarantee this.
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(bad("not a plain relative path"));
    }
    Ok(Target { base, relative })
}

/// Maps a request target to a regular file inside `root` or `data`.
///
/// After [`parse_request_path`], the candidate and its base directory are
/// canonicalized and the candidate must lie inside the base, so a symbolic
/// link pointing elsewhere is not followed out of the served directories.
pub fn resolve(root: &Path, data: &Path, url: &str) -> Result<PathBuf, ServeError> {
    let target = parse_request_path(url)?;
    let base = match target.base {
        Base::Root => root,
        Base::Data => data,
    };
    let fs_error = |path: &Path, source: io::Error| match source.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => ServeError::NotFound {
            path: url.to_owned(),
        },
        _ => ServeError::Io {
            path: path.to_owned(),
            source,
        },
    };

    let base = base.canonicalize().map_err(|e| fs_error(base, e))?;
    let candidate = base.join(&target.relative);
    let file = candidate
        .canonicalize()
        .map_err(|e| fs_error(&candidate, e))?;
    if !file.starts_with(&base) {
        return Err(ServeError::NotFound {
            path: url.to_owned(),
        });
    }
    let metadata = file.metadata().map_err(|e| fs_error(&file, e))?;
    if !metadata.is_file() {
        return Err(ServeError::NotFound {
            path: url.to_owned(),
        });
    }
    Ok(file)
}

/// The `Content-Type` for a file, chosen by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The socket address for `host`, which must name loopback.
pub fn loopback_addr(host: &str, port: u16) -> Result<SocketAddr, ServeError> {
    let ip: IpAddr = if host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost") {
        // Bind `localhost` to IPv4 explicitly rather than trusting resolution.
        Ipv4Addr::LOCALHOST.into()
    } else if host == "::1" || host == "[::1]" {
        Ipv6Addr::LOCALHOST.into()
    } else {
        return Err(ServeError::NonLoopbackHost {
            host: host.to_owned(),
        });
    };
    Ok(SocketAddr::new(ip, port))
}

/// What `castline serve` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    pub host: String,
    /// 0 lets the operating system pick a free port.
    pub port: u16,
    pub root: PathBuf,
    pub data: PathBuf,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            host: DEFAULT_HOST.to_owned(),
            port: DEFAULT_PORT,
            root: PathBuf::from(DEFAULT_ROOT),
            data: PathBuf::from(DEFAULT_DATA),
        }
    }
}

/// A bound, not yet running server. [`Server::local_addr`] tells the port
/// actually chosen when asked for port 0.
pub struct Server {
    http: tiny_http::Server,
    addr: SocketAddr,
    root: PathBuf,
    data: PathBuf,
    stop: Arc<AtomicBool>,
}

/// Stops a running [`Server`] from another thread.
#[derive(Debug, Clone)]
pub struct ShutdownHandle {
    stop: Arc<AtomicBool>,
}

impl ShutdownHandle {
    /// Asks the workers to finish; [`Server::run`] returns shortly after.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Checks the configuration and opens the listening socket.
///
/// The page directory must exist. A missing data directory is only warned
/// about, because the page is still usable without it.
pub fn bind(config: &ServeConfig) -> Result<Server, ServeError> {
    let requested = loopback_addr(&config.host, config.port)?;
    let directory_error = |what, path: &Path, source| ServeError::Directory {
        what,
        path: path.to_owned(),
        source,
    };
    let root = config
        .root
        .canonicalize()
        .map_err(|e| directory_error("page", &config.root, e))?;
    if !root.is_dir() {
        return Err(directory_error(
            "page",
            &config.root,
            io::ErrorKind::NotADirectory.into(),
        ));
    }
    // Absolute so that the data directory does not move if the working
    // directory changes; canonicalized per request in `resolve`.
    let data =
        std::path::absolute(&config.data).map_err(|e| directory_error("data", &config.data, e))?;
    if !data.is_dir() {
        eprintln!(
            "castline serve: warning: data directory {} does not exist; /data/ will answer 404",
            data.display()
        );
    }

    let http = tiny_http::Server::http(requested).map_err(|source| ServeError::Bind {
        addr: requested,
        source,
    })?;
    let addr = http.server_addr().to_ip().unwrap_or(requested);
    Ok(Server {
        http,
        addr,
        root,
        data,
        stop: Arc::new(AtomicBool::new(false)),
    })
}

impl Server {
    /// The address actually listened on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's URL, e.g. `http://127.0.0.1:8000/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// A handle that stops [`Server::run`] from another thread.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            stop: Arc::clone(&self.stop),
        }
    }

    /// Serves requests on a small pool of threads until shut down.
    pub fn run(self) {
        thread::scope(|scope| {
            for i in 1..WORKERS {
                let spawned = thread::Builder::new()
                    .name(format!("castline-serve-{i}"))
                    .spawn_scoped(scope, || self.work());
                if let Err(e) = spawned {
                    // Fewer workers is slower, not wrong.
                    eprintln!("castline serve: cannot start worker thread {i}: {e}");
                }
            }
            self.work();
        });
    }

    fn work(&self) {
        while !self.stop.load(Ordering::SeqCst) {
            match self.http.recv_timeout(POLL) {
                Ok(Some(request)) => self.handle(request),
                Ok(None) => {}
                Err(e) => {
                    eprintln!("castline serve: cannot accept a connection: {e}");
                    // Avoid spinning if accepting keeps failing.
                    thread::sleep(POLL);
                }
            }
        }
    }

    fn handle(&self, request: Request) {
        let method = request.method().clone();
        let url = request.url().to_owned();
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str());
        let csp = content_security_policy(&request_origin(host, self.addr));
        let response = match self.respond_to(&method, &url, &csp) {
            Ok(response) => response,
            Err(err) => {
                eprintln!(
                    "castline serve: {method} {url:?} -> {}: {err}",
                    err.status()
                );
                error_response(&err, &csp)
            }
        };
        if let Err(e) = request.respond(response) {
            eprintln!("castline serve: cannot send the response to {method} {url:?}: {e}");
        }
    }

    fn respond_to(&self, method: &Method, url: &str, csp: &str) -> Result<ResponseBox, ServeError> {
        if !matches!(method, Method::Get | Method::Head) {
            return Err(ServeError::MethodNotAllowed {
                method: method.to_string(),
            });
        }
        let origin = format!("http://{}", self.addr);
        if url.split(['?', '#']).next() == Some(OEMBED_PATH) {
            let query = url.split('#').next().and_then(|u| u.split_once('?'));
            let json = oembed(
                &origin,
                query.map_or("", |(_, q)| q),
                &self.root,
                &self.data,
            )?;
            let response = Response::from_string(json);
            return Ok(with_headers(response, csp, "application/json", &[]).boxed());
        }
        let path = resolve(&self.root, &self.data, url)?;
        if content_type(&path).starts_with("text/html") {
            let html = std::fs::read_to_string(&path).map_err(|source| ServeError::Io {
                path: path.clone(),
                source,
            })?;
            let page = format!("{origin}{}", url.split('#').next().unwrap_or("/"));
            let response = Response::from_string(fill_discovery(&html, &origin, &page));
            return Ok(with_headers(response, csp, content_type(&path), &[]).boxed());
        }
        let file = File::open(&path).map_err(|source| ServeError::Io {
            path: path.clone(),
            source,
        })?;
        let response = Response::from_file(file)
            // Send Content-Length rather than chunks for files of known size.
            .with_chunked_threshold(usize::MAX);
        Ok(with_headers(response, csp, content_type(&path), &[]).boxed())
    }
}

/// A short plain-text error page; details go to stderr, not to the client.
fn error_response(err: &ServeError, csp: &str) -> ResponseBox {
    let status = err.status();
    let reason = tiny_http::StatusCode(status).default_reason_phrase();
    let response = Response::from_string(format!("{status} {reason}\n")).with_status_code(status);
    let extra: &[(&str, &str)] = match err {
        ServeError::MethodNotAllowed { .. } => &[("Allow", "GET, HEAD")],
        _ => &[],
    };
    with_headers(response, csp, "text/plain; charset=utf-8", extra).boxed()
}

fn with_headers<R: io::Read>(
    mut response: Response<R>,
    csp: &str,
    content_type: &str,
    extra: &[(&str, &str)],
) -> Response<R> {
    let csp = [("Content-Security-Policy", csp)];
    let content_type = [("Content-Type", content_type)];
    for (name, value) in csp
        .iter()
        .chain(&COMMON_HEADERS)
        .chain(extra)
        .chain(&content_type)
    {
        match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            Ok(header) => response.add_header(header),
            // Only reachable if a constant above is not valid header text.
            Err(()) => eprintln!("castline serve: invalid header {name}: {value}"),
        }
    }
    response
}

/// Answers an oEmbed request (<https://oembed.com>, section 2.2) for a page of this server,
/// whose origin is `origin` (`http://127.0.0.1:8000`): a `rich` response whose HTML is a
/// sandboxed iframe of the compact viewer (`embed.html`) showing the same data and view.
///
/// `url` must be one of this server's pages ([`EMBEDDABLE_PAGES`]), else 404; `format` may only
/// be `json` (501 otherwise, as the spec asks); `maxwidth` and `maxheight` bound the size.
/// The title is the story's, read from the data file the page would show.
pub fn oembed(origin: &str, query: &str, root: &Path, data: &Path) -> Result<String, ServeError> {
    let fail = |status, reason: &str| ServeError::Oembed {
        status,
        reason: reason.to_owned(),
    };
    let params = parse_query(query).ok_or_else(|| fail(400, "malformed query string"))?;
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    match param("format").map(String::as_str) {
        None | Some("json") => {}
        Some(_) => return Err(fail(501, "only format=json is implemented")),
    }
    let limit = |name: &str| -> Result<Option<u32>, ServeError> {
        match param(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|&n| n > 0)
                .map(Some)
                .ok_or_else(|| fail(400, "maxwidth and maxheight must be positive integers")),
        }
    };
    let (max_width, max_height) = (limit("maxwidth")?, limit("maxheight")?);
    let url = param("url").ok_or_else(|| fail(400, "the url parameter is required"))?;

    // The url must be this server's, and one of its pages.
    let rest = own_path(origin, url).ok_or_else(|| fail(404, "not a page of this server"))?;
    let (rest, fragment) = rest.split_once('#').unwrap_or((&rest, ""));
    let (path, page_query) = rest.split_once('?').unwrap_or((rest, ""));
    if !EMBEDDABLE_PAGES.contains(&path) {
        return Err(fail(404, "not a page of this server"));
    }
    let page_params = parse_query(page_query).ok_or_else(|| fail(404, "malformed page URL"))?;
    let data_param = page_params
        .iter()
        .find(|(k, _)| k == "data")
        .map(|(_, v)| v.as_str());
    if data_param.is_some_and(|d| !embeddable_data(d)) {
        return Err(fail(
            404,
            "the page's data is not a relative path or an http(s) URL",
        ));
    }

    let mut src = format!("{origin}/embed.html");
    if let Some(d) = data_param {
        src.push_str("?data=");
        src.push_str(&percent_encode(d));
    }
    // The fragment holds the view (selection, window); it is passed on unchanged but for
    // characters that could leave the attribute, which the page's own parser never needs.
    if !fragment.is_empty() {
        src.push('#');
        src.push_str(&percent_encode_fragment(fragment));
    }
    let title = story_title(root, data, data_param.unwrap_or(crate::DEFAULT_STORY_FILE));
    let width = max_width.map_or(OEMBED_WIDTH, |m| m.min(OEMBED_WIDTH));
    let height = max_height.map_or(OEMBED_HEIGHT, |m| m.min(OEMBED_HEIGHT));
    let html = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{width}\" height=\"{height}\" \
         sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\" \
         loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
        html_escape(&src),
        html_escape(&title),
    );
    let body = serde_json::json!({
        "version": "1.0",
        "type": "rich",
        "provider_name": "Castline",
        "provider_url": format!("{origin}/"),
        "title": title,
        "html": html,
        "width": width,
        "height": height,
    });
    Ok(body.to_string())
}

/// Whether a page's `?data=` may go into an embed: a path relative to the page, or an absolute
/// http(s) URL. Anything with another scheme (`javascript:`, `data:`, `vbscript:`, `file:`) is
/// refused, and so is a scheme-relative `//host/…` (or `\\host`, which browsers read the same
/// way): it names another server without saying how to reach it, and an embedder who means
/// one can write `https://`. Control characters are refused outright, since URL parsers drop
/// tabs and line breaks (`java\tscript:`) before looking for the scheme.
fn embeddable_data(data: &str) -> bool {
    if data.chars().any(char::is_control) {
        return false;
    }
    // URL parsers strip leading and trailing spaces too.
    let data = data.trim_matches(' ');
    if data.is_empty() {
        return true;
    }
    let mut chars = data.chars();
    if matches!(
        (chars.next(), chars.next()),
        (Some('/' | '\\'), Some('/' | '\\'))
    ) {
        return false;
    }
    // A scheme is whatever comes before a `:` that precedes any `/`, `\`, `?` or `#`.
    let head = data.split(['/', '\\', '?', '#']).next().unwrap_or(data);
    !head.contains(':') || crate::load::is_web_url(data)
}

/// The path, query and fragment of `url` if it is on `origin` (or on `localhost` with the same
/// port, the same server by another name).
fn own_path(origin: &str, url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let own = origin.strip_prefix("http://")?;
    let localhost = own
        .strip_prefix("127.0.0.1:")
        .map(|port| format!("localhost:{port}"));
    let same = authority.eq_ignore_ascii_case(own)
        || localhost.is_some_and(|l| authority.eq_ignore_ascii_case(&l));
    if !same {
        return None;
    }
    // `http://host` and `http://host?x` name the root page.
    Some(if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    })
}

/// The title of the story a page shows with `?data=data_url`: only files in the data
/// directory are read (a page may name other origins' data; those are not fetched here).
fn story_title(root: &Path, data: &Path, data_url: &str) -> String {
    let fallback = || "Castline".to_owned();
    let Some(relative) = data_url.strip_prefix("data/") else {
        return fallback();
    };
    let Ok(path) = resolve(
        root,
        data,
        &format!("{DATA_PREFIX}{}", percent_encode_path(relative)),
    ) else {
        return fallback();
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return fallback();
    };
    match crate::detect::load_any(data_url, &text) {
        Ok(loaded) if !loaded.story.title.trim().is_empty() => loaded.story.title,
        _ => fallback(),
    }
}

/// The page with its oEmbed discovery link pointing at this server's endpoint for `page_url`.
/// Pages without the placeholder are returned unchanged.
pub fn fill_discovery(html: &str, origin: &str, page_url: &str) -> String {
    let href = format!(
        "href=\"{origin}{OEMBED_PATH}?format=json&amp;url={}\"",
        percent_encode(page_url)
    );
    html.replacen(OEMBED_HREF_PLACEHOLDER, &href, 1)
}

/// `application/x-www-form-urlencoded` pairs; `None` if an escape is malformed.
fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |t: &str| percent_decode(&t.replace('+', " "));
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so the result is safe in
/// a query value and in an HTML attribute alike.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Like [`percent_encode`], but keeps `/` (for paths).
fn percent_encode_path(text: &str) -> String {
    text.split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

/// Keeps a fragment's own syntax (`=&,:.` and escapes already there) and encodes the rest.
fn percent_encode_fragment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~=&,:%".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Text safe inside a double-quoted HTML attribute or an element.
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is
/// not UTF-8. (`+` stays `+`: it only means space in query strings.)
fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex_digit(*bytes.get(i + 1)?)?;
            let low = hex_digit(*bytes.get(i + 2)?)?;
            out.push((high << 4) | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
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
                Header::from_bytes(name.as_bytes(), value.as_bytes()).is_ok(),
                "{name}"
            );
        }
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
        assert_eq!(csp.matches("'self' http://127.0.0.1:8000").count(), 5);
        assert!(csp.ends_with("base-uri 'none'; form-action 'none'"));
    }

    /// A scratch directory removed on drop, so tests need no extra crate.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("castline-serve-unit-{name}-{}", std::process::id()));
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
}
