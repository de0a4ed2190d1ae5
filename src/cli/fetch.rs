//! A story given as a URL (`castline publish https://…/pub?output=csv -o site/`): the text of
//! a published Google Sheet's tab, or of any CSV or JSON file on the web, fetched once with
//! bounds on its redirects, its size and its time, so that a wrong URL fails in one line
//! naming it instead of hanging or filling the memory.
//!
//! Several URLs are read as several files are (the tabs of one sheet are told apart by their
//! header), and the URL stands for the file's name in every diagnostic
//! (`https://…:3:2: error: …`).
//!
//! The client is `ureq` with rustls (docs/performance.md gives its cost): blocking, so it
//! needs no async runtime, and native only (Cargo.toml keeps it out of the wasm builds).

use std::path::Path;
use std::time::Duration;

use crate::read::detect::decode;
use crate::read::load::{Diagnostic, MAX_INPUT_BYTES, Severity};

/// Redirects followed before giving up. Google answers a published sheet's URL with one
/// redirect to another host; five leave room for a link shortener in front of it.
pub const MAX_REDIRECTS: u32 = 5;

/// The whole fetch, from resolving the host to the body's last byte: a server that trickles
/// its answer cannot hold a publish for longer.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The URL an argument names, if it is one (`http://` or `https://`, in any case); every
/// other argument is a file's path.
pub fn url_of(input: &Path) -> Option<&str> {
    let text = input.to_str()?;
    let scheme = text.get(..8)?.to_ascii_lowercase();
    (scheme.starts_with("http://") || scheme == "https://").then_some(text)
}

/// The text at `url`, or one diagnostic naming it and saying what went wrong.
pub fn fetch(url: &str) -> Result<String, Diagnostic> {
    let fail = |message: String| Diagnostic {
        severity: Severity::Error,
        file: url.to_owned(),
        line: None,
        column: None,
        location: "whole file".into(),
        message,
    };
    let limit = MAX_INPUT_BYTES as u64;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .max_redirects(MAX_REDIRECTS)
        // A status is reported here, with its reason, rather than as ureq's error.
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", "text/csv, application/json;q=0.9, */*;q=0.5")
        .call()
        .map_err(|e| fail(describe(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(format!(
            "the server answered HTTP {} {}{}",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            if status.is_redirection() {
                " with no place to go"
            } else {
                ""
            }
        )));
    }
    // Said before reading, when the server says its size, so a huge answer is not downloaded
    // to be refused; the reader's limit below catches the ones that do not say.
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(length) = length.filter(|&l| l > limit) {
        return Err(fail(too_big(Some(length))));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| fail(describe(&e)))?;
    if content_type.starts_with("text/html")
        || content_type.starts_with("application/xhtml")
        || looks_like_markup(&bytes)
    {
        return Err(fail(
            "the answer is a web page (HTML), not CSV or JSON: for a Google Sheet use \
             File > Share > Publish to web > Comma-separated values (.csv), and its link"
                .into(),
        ));
    }
    decode(url, &bytes)
}

/// True when the body starts as HTML or XML does (a sign-in or error page served as
/// `text/plain`), after a byte order mark and white space.
fn looks_like_markup(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let head: Vec<u8> = start
        .and_then(|at| body.get(at..))
        .unwrap_or_default()
        .iter()
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    [
        &b"<!doctype"[..],
        b"<html",
        b"<?xml",
        b"<head",
        b"<body",
        b"<!--",
    ]
    .iter()
    .any(|tag| head.starts_with(tag))
}

fn too_big(length: Option<u64>) -> String {
    let limit = MAX_INPUT_BYTES / 1_000_000;
    match length {
        Some(length) => format!(
            "the answer is {} MB; the limit is {limit} MB",
            length / 1_000_000
        ),
        None => format!("the answer is larger than the limit of {limit} MB"),
    }
}

/// One line for a failed request, in the reader's terms rather than the library's.
fn describe(error: &ureq::Error) -> String {
    use ureq::Error;
    match error {
        Error::HostNotFound => "cannot find the host (DNS): check the URL".into(),
        Error::ConnectionFailed => "cannot connect to the host".into(),
        Error::Timeout(_) => format!("no complete answer within {} s", TIMEOUT.as_secs()),
        Error::TooManyRedirects => format!(
            "more than {MAX_REDIRECTS} redirects (a loop?): open the URL in a browser to see where it goes"
        ),
        Error::RedirectFailed => {
            "a redirect leads nowhere (no Location, or an unusable one)".into()
        }
        Error::BodyExceedsLimit(_) => too_big(None),
        Error::BadUri(e) => format!("not a usable URL: {e}"),
        Error::Io(e) => io_failure(e),
        other => format!("the request failed: {other}"),
    }
}

/// An input or output error, told apart by what a reader can do about it. The resolver's
/// failure reaches us as an io error whose only sign is its text (the system's).
fn io_failure(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let text = error.to_string();
    if text.contains("lookup address") || text.contains("resolve") {
        return format!("cannot find the host (DNS): check the URL ({text})");
    }
    match error.kind() {
        ErrorKind::ConnectionRefused => "cannot connect: the host refused the connection".into(),
        ErrorKind::TimedOut => format!("no complete answer within {} s", TIMEOUT.as_secs()),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::UnexpectedEof => {
            format!("the host closed the connection before answering in full ({text})")
        }
        _ => format!("the connection failed: {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(url_of(Path::new("https://docs.google.com/x/pub?output=csv")).is_some());
        assert!(url_of(Path::new("HTTP://example.org/a.csv")).is_some());
        assert!(url_of(Path::new("http:/a.csv")).is_none());
        assert!(url_of(Path::new("events.csv")).is_none());
        assert!(url_of(Path::new("https")).is_none());
    }

    #[test]
    fn markup_is_seen_under_a_bom_and_white_space() {
        assert!(looks_like_markup(b"\xef\xbb\xbf\n  <!DOCTYPE html><html>"));
        assert!(looks_like_markup(b"<html lang=en>"));
        assert!(!looks_like_markup(b"id,when\n<b>,2024\n"));
        assert!(!looks_like_markup(b"{\"events\": []}"));
        assert!(!looks_like_markup(b""));
    }
}
