//! The local web server behind `castline serve`: it serves the page (the
//! `www/` directory) and the data files (the `data/` directory, under
//! `/data/`) over HTTP, on loopback only.
//!
//! A server is needed at all because browsers refuse to load ES modules and
//! `application/wasm` from `file://` URLs. This module owns everything about
//! that: which URL paths map to which files, which content types they get,
//! the security headers on every response, and the connections.
//!
//! The path handling is split into a pure step ([`parse_request_path`]) and a
//! filesystem step ([`resolve`]) so that each can be tested on its own; the
//! network part is [`bind`] followed by [`Server::run`].

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use crate::render::stand_in::escape;

mod oembed;
mod stand_in;
mod url;

pub use oembed::{fill_discovery, oembed};
use url::{parse_query, percent_decode};

/// Host the server listens on unless told otherwise.
pub const DEFAULT_HOST: &str = "127.0.0.1";
/// Port the server listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8000;
/// Directory holding the page, relative to the working directory.
pub const DEFAULT_ROOT: &str = "www";
/// Directory holding the data files, relative to the working directory.
pub const DEFAULT_DATA: &str = "data";

/// Sent on every response, with the server's origin beside each `'self'`
/// ([`content_security_policy`]). Scripts and styles come only from this origin, and
/// `'wasm-unsafe-eval'` is the one relaxation compiling the module requires. Images may also
/// come from any https origin: the story's pictures (`media`), whose URLs the loader keeps
/// only when they are `https:`, shown with `referrerpolicy="no-referrer"`. Data may be
/// fetched from any https origin (a published Google Sheet): it is read as text by the Rust
/// loaders and never run, so this lets no code in. Workers only from this origin or a
/// `blob:` URL the page made: a big story's layout runs in one (`www/shell/worker.js`).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https:; \
    connect-src 'self' https:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'";

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

/// Where `make.html`, the page that makes an embed, is served besides its own name.
pub const MAKE_PATH: &str = "/make";

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

/// How long a connection may wait for its next request (or for the rest of one) before it is
/// closed; a browser opens a new one when it needs it again.
const IDLE: Duration = Duration::from_secs(5);

/// The most a request's line and headers may take; a longer head is refused with 431.
const MAX_HEAD: usize = 16 * 1024;

/// After a failed `accept`, so that a persistent failure does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(200);

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
    // The page that makes an embed (www/make.html) has a short address of its own.
    if decoded == MAKE_PATH {
        return Ok(Target {
            base: Base::Root,
            relative: PathBuf::from("make.html"),
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
    listener: TcpListener,
    site: Arc<Site>,
    stop: Arc<AtomicBool>,
}

/// What every connection needs to answer: where it listens and what it serves.
struct Site {
    addr: SocketAddr,
    root: PathBuf,
    data: PathBuf,
    /// The default story's picture for its pages' first paint.
    pictures: stand_in::StandIns,
}

/// Stops a running [`Server`] from another thread.
#[derive(Debug, Clone)]
pub struct ShutdownHandle {
    stop: Arc<AtomicBool>,
    addr: SocketAddr,
}

impl ShutdownHandle {
    /// Asks the server to stop; [`Server::run`] returns shortly after.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
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

    let listener = TcpListener::bind(requested).map_err(|source| ServeError::Bind {
        addr: requested,
        source: Box::new(source),
    })?;
    let addr = listener.local_addr().unwrap_or(requested);
    Ok(Server {
        listener,
        site: Arc::new(Site {
            addr,
            root,
            data,
            pictures: stand_in::StandIns::default(),
        }),
        stop: Arc::new(AtomicBool::new(false)),
    })
}

impl Server {
    /// The address actually listened on.
    pub fn local_addr(&self) -> SocketAddr {
        self.site.addr
    }

    /// The page's URL, e.g. `http://127.0.0.1:8000/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.site.addr)
    }

    /// A handle that stops [`Server::run`] from another thread.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            stop: Arc::clone(&self.stop),
            addr: self.site.addr,
        }
    }

    /// Serves until shut down, each connection on a thread of its own: a page's burst of
    /// module requests opens several connections at once, and none may wait for another to
    /// close (a pool shared by keep-alive connections can leave one unread).
    pub fn run(self) {
        while !self.stop.load(Ordering::SeqCst) {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if self.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let site = Arc::clone(&self.site);
                    let spawned = thread::Builder::new()
                        .name("castline-serve-connection".into())
                        .spawn(move || site.connection(stream));
                    if let Err(e) = spawned {
                        // The stream was moved into the closure and is closed with it.
                        eprintln!("castline serve: cannot start a thread for a connection: {e}");
                    }
                }
                Err(e) => {
                    eprintln!("castline serve: cannot accept a connection: {e}");
                    thread::sleep(ACCEPT_BACKOFF);
                }
            }
        }
    }
}

/// A request's method, target and whether the client keeps the connection open after it.
struct RequestHead {
    method: String,
    target: String,
    keep_alive: bool,
    /// Bytes of body the client announced (Content-Length), to be read past.
    body: u64,
    /// The `Host` header, as sent.
    host: Option<String>,
}

/// What a request head could not be read as, answered with this status before closing.
struct HeadError(u16);

/// A response: status, content type, extra headers and a body of known length.
struct Reply {
    status: u16,
    content_type: &'static str,
    extra: &'static [(&'static str, &'static str)],
    body: Body,
}

enum Body {
    Text(Vec<u8>),
    File(File, u64),
}

impl Site {
    /// Answers the requests of one connection until the client closes it, asks to, or sends
    /// nothing for [`IDLE`].
    fn connection(&self, stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(IDLE));
        let _ = stream.set_write_timeout(Some(IDLE));
        let Ok(write_half) = stream.try_clone() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        let mut writer = io::BufWriter::new(write_half);
        loop {
            let head = match read_head(&mut reader) {
                Ok(Some(head)) => head,
                Ok(None) => break, // closed, or idle for too long
                Err(HeadError(status)) => {
                    let reply = text_reply(status, &[]);
                    let csp = content_security_policy(&request_origin(None, self.addr));
                    let _ = write_reply(&mut writer, &reply, &csp, false, false);
                    break;
                }
            };
            // A GET with a body is odd but harmless: read past it, or close if it is large.
            let mut keep_alive = head.keep_alive;
            if head.body > 0 {
                let skipped = io::copy(
                    &mut (&mut reader).take(head.body.min(MAX_HEAD as u64)),
                    &mut io::sink(),
                );
                keep_alive &=
                    head.body <= MAX_HEAD as u64 && matches!(skipped, Ok(n) if n == head.body);
            }
            let reply = match self.respond_to(&head.method, &head.target) {
                Ok(reply) => reply,
                Err(err) => {
                    eprintln!(
                        "castline serve: {} {:?} -> {}: {err}",
                        head.method,
                        head.target,
                        err.status()
                    );
                    error_reply(&err)
                }
            };
            let head_only = head.method == "HEAD";
            let csp = content_security_policy(&request_origin(head.host.as_deref(), self.addr));
            if let Err(e) = write_reply(&mut writer, &reply, &csp, head_only, keep_alive) {
                if !matches!(
                    e.kind(),
                    io::ErrorKind::BrokenPipe
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::ConnectionAborted
                ) {
                    eprintln!(
                        "castline serve: cannot send the response to {} {:?}: {e}",
                        head.method, head.target
                    );
                }
                break;
            }
            if !keep_alive {
                break;
            }
        }
        let _ = writer.get_ref().shutdown(Shutdown::Both);
    }

    fn respond_to(&self, method: &str, url: &str) -> Result<Reply, ServeError> {
        if !matches!(method, "GET" | "HEAD") {
            return Err(ServeError::MethodNotAllowed {
                method: method.to_owned(),
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
            return Ok(Reply::text(200, "application/json", json.into_bytes()));
        }
        let path = resolve(&self.root, &self.data, url)?;
        let io_error = |source| ServeError::Io {
            path: path.clone(),
            source,
        };
        if content_type(&path).starts_with("text/html") {
            let html = std::fs::read_to_string(&path).map_err(io_error)?;
            let html = self.pictures.page(&html, url, &self.data);
            let page = format!("{origin}{}", url.split('#').next().unwrap_or("/"));
            let filled = fill_discovery(&html, &origin, &page);
            return Ok(Reply::text(200, content_type(&path), filled.into_bytes()));
        }
        let file = File::open(&path).map_err(io_error)?;
        let len = file.metadata().map_err(io_error)?.len();
        Ok(Reply {
            status: 200,
            content_type: content_type(&path),
            extra: &[],
            body: Body::File(file, len),
        })
    }
}

impl Reply {
    fn text(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type,
            extra: &[],
            body: Body::Text(body),
        }
    }
}

/// Reads one request's line and headers. `Ok(None)` when the client closed the connection
/// (or sent nothing for [`IDLE`]) before a request began.
fn read_head(reader: &mut impl BufRead) -> Result<Option<RequestHead>, HeadError> {
    let mut used = 0;
    let mut line = String::new();
    // Blank lines before a request are allowed (RFC 9112, section 2.2).
    loop {
        line.clear();
        match read_line(reader, &mut line, &mut used) {
            Ok(0) => return Ok(None),
            Ok(_) if line.trim_end_matches(['\r', '\n']).is_empty() => continue,
            Ok(_) => break,
            Err(e) if is_timeout(&e) => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Err(HeadError(431)),
            Err(_) => return Ok(None),
        }
    }
    let request_line = line.trim_end_matches(['\r', '\n']).to_owned();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError(400));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) || target.is_empty() {
        return Err(HeadError(400));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => return Err(HeadError(505)),
        _ => return Err(HeadError(400)),
    };
    let mut keep_alive = http11;
    let mut body = 0;
    let mut host = None;
    loop {
        line.clear();
        match read_line(reader, &mut line, &mut used) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Err(HeadError(431)),
            Err(_) => return Ok(None),
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        // Obsolete line folding is refused (RFC 9112, section 5.2).
        let Some((name, value)) = header
            .split_once(':')
            .filter(|_| !header.starts_with([' ', '\t']))
        else {
            return Err(HeadError(400));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("Connection") {
            let value = value.to_ascii_lowercase();
            if value.contains("close") {
                keep_alive = false;
            } else if value.contains("keep-alive") {
                keep_alive = true;
            }
        } else if name.eq_ignore_ascii_case("Host") {
            host = Some(value.to_owned());
        } else if name.eq_ignore_ascii_case("Content-Length") {
            body = value.parse().map_err(|_| HeadError(400))?;
        } else if name.eq_ignore_ascii_case("Transfer-Encoding") {
            // A body whose end only its chunks tell: answer, then close.
            keep_alive = false;
        }
    }
    Ok(Some(RequestHead {
        method: method.to_owned(),
        target: target.to_owned(),
        keep_alive,
        body,
        host,
    }))
}

/// One line of the head, counting towards [`MAX_HEAD`] (InvalidData past it).
fn read_line(reader: &mut impl BufRead, line: &mut String, used: &mut usize) -> io::Result<usize> {
    let mut bytes = Vec::new();
    let n = reader
        .by_ref()
        .take((MAX_HEAD - *used) as u64 + 1)
        .read_until(b'\n', &mut bytes)?;
    *used += n;
    if *used > MAX_HEAD {
        return Err(io::ErrorKind::InvalidData.into());
    }
    // Header text is ASCII; anything else is kept as it reads, never trusted.
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(n)
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn write_reply(
    out: &mut impl Write,
    reply: &Reply,
    csp: &str,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let length = match &reply.body {
        Body::Text(bytes) => bytes.len() as u64,
        Body::File(_, len) => *len,
    };
    write!(
        out,
        "HTTP/1.1 {} {}\r\n",
        reply.status,
        reason(reply.status)
    )?;
    let content_type = [("Content-Type", reply.content_type)];
    let csp = [("Content-Security-Policy", csp)];
    for (name, value) in csp
        .iter()
        .chain(&COMMON_HEADERS)
        .chain(reply.extra)
        .chain(&content_type)
    {
        write!(out, "{name}: {value}\r\n")?;
    }
    write!(out, "Content-Length: {length}\r\n")?;
    if !keep_alive {
        write!(out, "Connection: close\r\n")?;
    }
    write!(out, "\r\n")?;
    if !head_only {
        match &reply.body {
            Body::Text(bytes) => out.write_all(bytes)?,
            Body::File(file, len) => {
                let sent = io::copy(&mut file.take(*len), out)?;
                if sent != *len {
                    // The file shrank while it was sent: the length said is wrong now.
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
            }
        }
    }
    out.flush()
}

/// The reason phrase of each status this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Internal Server Error",
    }
}

/// A short plain-text page for an error status.
fn text_reply(status: u16, extra: &'static [(&'static str, &'static str)]) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8",
        extra,
        body: Body::Text(format!("{status} {}\n", reason(status)).into_bytes()),
    }
}

/// A short plain-text error page; details go to stderr, not to the client.
fn error_reply(err: &ServeError) -> Reply {
    let extra: &'static [(&'static str, &'static str)] = match err {
        ServeError::MethodNotAllowed { .. } => &[("Allow", "GET, HEAD")],
        _ => &[],
    };
    text_reply(err.status(), extra)
}

#[cfg(test)]
mod tests;
