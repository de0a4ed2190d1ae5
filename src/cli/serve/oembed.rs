//! oEmbed for the server's pages: the JSON answer for a page's URL (its story's title, the
//! embed's iframe at the asked size), and the discovery link the pages carry.

use std::path::Path;

use super::url::{percent_encode, percent_encode_fragment, percent_encode_path};
use super::*;

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
        escape(&src),
        escape(&title),
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
    !head.contains(':') || crate::read::load::is_web_url(data)
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
    match crate::read::detect::load_any(data_url, &text) {
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
