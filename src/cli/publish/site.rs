//! A publication's folder from the viewer's files and one story (`make dist` is one, of the
//! repository's default story, by scripts/dist.mjs): every URL relative, so the
//! folder works at any host's root or sub-path; scripts, styles and wasm under content-hashed
//! names (a host may cache them for ever), the pages and `embed.js` under their own (articles
//! link to them); the pages carry the server's Content-Security-Policy as a `<meta>`, the share
//! card tags, the stand-in, and a `<noscript>` picture; the story's fallbacks beside them.
//! Minifying scripts and styles and precompressed copies are left to `make dist` (Node's
//! terser, scripts/minify.mjs, zlib).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::cli::serve::{CONTENT_SECURITY_POLICY, OEMBED_HEIGHT, OEMBED_WIDTH};
use crate::render::stand_in::{MARK, escape};

/// The story's file in a publication, which the pages load.
pub const STORY_FILE: &str = "story.json";
/// The share card's width, px (as make dist draws it).
pub const CARD_WIDTH: f64 = 1200.0;
const OEMBED_PLACEHOLDER: &str = "<link rel=\"alternate\" type=\"application/json+oembed\" \
    href=\"oembed?format=json\" title=\"Castline (oEmbed)\">";
/// The page that makes an embed (www/make.html): the folder's, not the story's.
pub const MAKE_PAGE: &str = "make.html";
/// Kept under their names: articles link to them.
const STABLE: [&str; 1] = ["embed.js"];

/// What the pages need to know of the story.
pub struct Card<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// The share card's size, px.
    pub width: u32,
    pub height: u32,
    /// The stand-in's HTML, when the story has one.
    pub stand_in: Option<&'a str>,
    /// The absolute URL the folder will be served from, ending in `/`.
    pub base_url: Option<&'a str>,
    /// The view the pages open with, as a link's fragment says it (`select=a,b&window=…`).
    pub view: Option<&'a str>,
    /// `light` or `dark`: the colours fixed, as `?theme=` does.
    pub theme: Option<&'a str>,
}

fn hashed_kind(name: &str) -> bool {
    [".js", ".css", ".wasm"].iter().any(|e| name.ends_with(e))
        && !STABLE.iter().any(|s| name.rsplit('/').next() == Some(*s))
}

fn is_text(name: &str) -> bool {
    [".js", ".css", ".html"].iter().any(|e| name.ends_with(e))
}

/// The path from the folder of `from` to `to`, both relative to the root (`../pkg/x.js`).
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.matches('/').count()].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// The ways a file's source names `target`: its relative path in quotes, with or without `./`.
fn spellings(from: &str, target: &str) -> Vec<(String, String)> {
    let rel = relative(from, target);
    ['"', '\'', '`']
        .iter()
        .flat_map(|q| {
            [
                (format!("{q}{rel}{q}"), rel.clone()),
                (format!("{q}./{rel}{q}"), format!("./{rel}")),
            ]
            .into_iter()
            .map(move |(s, r)| (s, format!("{q}{r}{q}")))
        })
        .collect()
}

fn refers(text: &str, from: &str, target: &str) -> bool {
    target != from
        && spellings(from, target)
            .iter()
            .any(|(s, _)| text.contains(s))
}

/// `text` with each reference to an original name replaced by the hashed one.
fn rewrite(text: &str, from: &str, names: &BTreeMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (original, hashed) in names {
        if original == from {
            continue;
        }
        let new_rel = relative(from, hashed);
        for (q, dot) in [
            ("\"", ""),
            ("'", ""),
            ("`", ""),
            ("\"", "./"),
            ("'", "./"),
            ("`", "./"),
        ] {
            let old = format!("{q}{dot}{}{q}", relative(from, original));
            out = out.replace(&old, &format!("{q}{dot}{new_rel}{q}"));
        }
    }
    out
}

fn hash8(bytes: &[u8]) -> String {
    // FNV-1a over 64 bits: a cache key that changes with the content, not a defence.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", (h ^ (h >> 32)) as u32)
}

/// The folder's files (path → bytes) made from the viewer's: the story is named `STORY_FILE`
/// wherever the viewer names its default story. The story itself, its pictures and the
/// oEmbed file are the caller's.
pub fn site_files(
    viewer: &[(String, Vec<u8>)],
    card: &Card,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut texts: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, bytes) in viewer {
        let bytes = if is_text(name) {
            let text = String::from_utf8(bytes.clone())
                .map_err(|_| format!("the viewer's {name} is not UTF-8"))?;
            text.replace(crate::DEFAULT_STORY_FILE, STORY_FILE)
                .into_bytes()
        } else {
            bytes.clone()
        };
        texts.insert(name.clone(), bytes);
    }
    for page in ["app.js", "embedded.js"] {
        let named = texts
            .get(page)
            .is_some_and(|t| String::from_utf8_lossy(t).contains(STORY_FILE));
        if texts.contains_key(page) && !named {
            return Err(format!(
                "the viewer's {page} does not name {}: it cannot be pointed at the story",
                crate::DEFAULT_STORY_FILE
            ));
        }
    }
    // Hashed leaves first: a file is named once the files it refers to are.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut pending: Vec<String> = texts.keys().filter(|f| hashed_kind(f)).cloned().collect();
    let text_of = |texts: &BTreeMap<String, Vec<u8>>, f: &str| {
        String::from_utf8_lossy(texts.get(f).map_or(&[][..], Vec::as_slice)).into_owned()
    };
    while !pending.is_empty() {
        let ready: Vec<String> = pending
            .iter()
            .filter(|f| {
                let text = text_of(&texts, f);
                f.ends_with(".wasm") || !pending.iter().any(|p| refers(&text, f, p))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(format!(
                "circular references between {}",
                pending.join(", ")
            ));
        }
        for f in ready {
            if !f.ends_with(".wasm") {
                let text = rewrite(&text_of(&texts, &f), &f, &names);
                texts.insert(f.clone(), text.into_bytes());
            }
            let (stem, ext) = f.rsplit_once('.').unwrap_or((&f, ""));
            let hash = hash8(texts.get(&f).map_or(&[][..], Vec::as_slice));
            names.insert(f.clone(), format!("{stem}.{hash}.{ext}"));
            pending.retain(|p| *p != f);
        }
    }
    let mut out = BTreeMap::new();
    for (f, bytes) in &texts {
        let bytes = if f == MAKE_PAGE {
            tool_page(&rewrite(&String::from_utf8_lossy(bytes), f, &names), card).into_bytes()
        } else if f.ends_with(".html") {
            page(&rewrite(&String::from_utf8_lossy(bytes), f, &names), card).into_bytes()
        } else if is_text(f) && !names.contains_key(f) {
            rewrite(&String::from_utf8_lossy(bytes), f, &names).into_bytes()
        } else {
            bytes.clone()
        };
        out.insert(names.get(f).unwrap_or(f).clone(), bytes);
    }
    // A reference left unrewritten would load a file that is not there.
    for (f, bytes) in out.iter().filter(|(f, _)| is_text(f)) {
        let text = String::from_utf8_lossy(bytes);
        if let Some(left) = names.keys().find(|o| refers(&text, f, o)) {
            return Err(format!("{f} still refers to {left}"));
        }
    }
    Ok(out)
}

/// The absolute URL of `rel` in the folder, or `rel` without a base URL.
fn absolute(card: &Card, rel: &str) -> String {
    card.base_url
        .map_or_else(|| rel.to_owned(), |b| format!("{b}{rel}"))
}

/// The URL's `scheme://host[:port]`.
pub fn origin_of(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    url[after..].find('/').map_or(url, |i| &url[..after + i])
}

/// The policy the folder's pages carry, with the folder's origin beside `'self'` when known.
fn policy(card: &Card) -> String {
    let csp = CONTENT_SECURITY_POLICY.to_owned();
    match card.base_url {
        Some(base) => csp.replace("'self'", &format!("'self' {}", origin_of(base))),
        None => csp,
    }
}

/// The pages' oEmbed discovery link: the folder's `oembed.json`, or none without a base URL.
fn discovery(card: &Card) -> String {
    match card.base_url {
        Some(_) => format!(
            "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\" title=\"Castline (oEmbed)\">",
            escape(&absolute(card, "oembed.json"))
        ),
        None => String::new(),
    }
}

/// The page that makes an embed: the policy and the discovery link (which it offers as the
/// oEmbed URL), none of the story's card.
fn tool_page(html: &str, card: &Card) -> String {
    let head = format!(
        "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        escape(&policy(card))
    );
    html.replacen("<meta charset=\"utf-8\">", &head, 1)
        .replacen(OEMBED_PLACEHOLDER, &discovery(card), 1)
}

/// A page with its head tags, oEmbed link, stand-in and `<noscript>` picture.
fn page(html: &str, card: &Card) -> String {
    let csp = policy(card);
    let alt = format!(
        "{}: the network of actors and the time axis of events",
        card.title
    );
    let image = absolute(card, "story.png");
    let mut head = String::new();
    let _ = write!(
        head,
        "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta property=\"og:type\" content=\"website\">\n<meta property=\"og:title\" content=\"{}\">\n",
        escape(&csp),
        escape(card.title)
    );
    // The pages read these when their URL says no view or theme (www/app.js, embedded.js).
    if let Some(view) = card.view {
        let _ = writeln!(
            head,
            "<meta name=\"castline-view\" content=\"{}\">",
            escape(view)
        );
    }
    if let Some(theme) = card.theme {
        let _ = writeln!(
            head,
            "<meta name=\"castline-theme\" content=\"{}\">",
            escape(theme)
        );
    }
    if let Some(summary) = card.summary.filter(|s| !s.is_empty()) {
        let _ = writeln!(
            head,
            "<meta property=\"og:description\" content=\"{}\">",
            escape(summary)
        );
    }
    let _ = write!(
        head,
        "<meta property=\"og:image\" content=\"{0}\">\n<meta property=\"og:image:width\" content=\"{1}\">\n\
         <meta property=\"og:image:height\" content=\"{2}\">\n<meta property=\"og:image:alt\" content=\"{3}\">\n\
         <meta name=\"twitter:card\" content=\"summary_large_image\">\n<meta name=\"twitter:image\" content=\"{0}\">",
        escape(&image),
        card.width,
        card.height,
        escape(&alt)
    );
    let mut html = html.replacen("<meta charset=\"utf-8\">", &head, 1);
    // The page's own title is the story's.
    html = html.replacen(
        "<title>Castline</title>",
        &format!("<title>{}</title>", escape(card.title)),
        1,
    );
    html = html.replacen(OEMBED_PLACEHOLDER, &discovery(card), 1);
    if let Some(stand_in) = card.stand_in {
        html = html.replacen(MARK, stand_in, 1);
    }
    // Without JavaScript: the picture (the stand-in's, or the PNG) and the events as text.
    let open = "<noscript><p class=\"castline-noscript\">";
    if let Some(start) = html.find(open)
        && let Some(len) = html[start..].find("</p></noscript>")
    {
        let words = html[start + open.len()..start + len].to_owned();
        let picture = if card.stand_in.is_some() {
            String::new()
        } else {
            format!(
                "<p><img src=\"story.png\" alt=\"{}\" width=\"{}\"></p>",
                escape(&alt),
                card.width / 2
            )
        };
        let noscript = format!(
            "<noscript><p class=\"castline-noscript\">{words}</p>{picture}<p><a href=\"story.txt\">The events as text</a></p></noscript>"
        );
        html.replace_range(start..start + len + "</p></noscript>".len(), &noscript);
    }
    html
}

/// The oEmbed response for the folder's page (`oembed.json`), with `base` its absolute URL.
pub fn oembed(base: &str, card: &Card) -> String {
    let html = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{OEMBED_WIDTH}\" height=\"{OEMBED_HEIGHT}\" \
         sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\" loading=\"lazy\" \
         style=\"border:0;max-width:100%\"></iframe>",
        escape(&format!(
            "{base}embed.html{}{}",
            card.theme
                .map(|t| format!("?theme={t}"))
                .unwrap_or_default(),
            card.view.map(|v| format!("#{v}")).unwrap_or_default()
        )),
        escape(card.title)
    );
    let json = serde_json::json!({
        "version": "1.0",
        "type": "rich",
        "provider_name": "Castline",
        "provider_url": base,
        "title": card.title,
        "width": OEMBED_WIDTH,
        "height": OEMBED_HEIGHT,
        "thumbnail_url": format!("{base}story.png"),
        "thumbnail_width": card.width,
        "thumbnail_height": card.height,
        "html": html,
    });
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative("index.html", "pkg/a.js"), "pkg/a.js");
        assert_eq!(relative("shell/core.js", "pkg/a.js"), "../pkg/a.js");
        assert_eq!(relative("shell/core.js", "shell/dom.js"), "dom.js");
        assert_eq!(relative("a/b/c.js", "d.js"), "../../d.js");
    }

    #[test]
    fn leaves_are_hashed_first_and_every_reference_follows() {
        let viewer = vec![
            (
                "index.html".to_owned(),
                b"<meta charset=\"utf-8\"><script src=\"app.js\"></script>".to_vec(),
            ),
            (
                "app.js".to_owned(),
                b"import './shell/x.js'; const D = 'data/peace-plan-2025.json';".to_vec(),
            ),
            ("shell/x.js".to_owned(), b"import \"../pkg/c.js\";".to_vec()),
            ("pkg/c.js".to_owned(), b"fetch('c_bg.wasm')".to_vec()),
            ("pkg/c_bg.wasm".to_owned(), vec![0, 97, 115, 109]),
            ("embed.js".to_owned(), b"'embed.html'".to_vec()),
        ];
        let card = Card {
            title: "T <b>",
            summary: None,
            width: 1200,
            height: 900,
            stand_in: None,
            base_url: None,
            view: None,
            theme: None,
        };
        let out = site_files(&viewer, &card).expect("a site");
        let names: Vec<&String> = out.keys().collect();
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("pkg/c_bg.") && n.ends_with(".wasm")),
            "{names:?}"
        );
        assert!(
            out.contains_key("embed.js") && out.contains_key("index.html"),
            "{names:?}"
        );
        let index = String::from_utf8_lossy(&out["index.html"]).into_owned();
        assert!(
            index.contains("<title>") || index.contains("og:title\" content=\"T &lt;b&gt;\""),
            "{index}"
        );
        let app = names
            .iter()
            .find(|n| n.starts_with("app."))
            .expect("hashed app.js");
        assert!(index.contains(&format!("src=\"{app}\"")), "{index}");
        let app_text = String::from_utf8_lossy(&out[*app]).into_owned();
        assert!(
            app_text.contains("'story.json'") && app_text.contains("'./shell/x."),
            "{app_text}"
        );
        let x = names
            .iter()
            .find(|n| n.starts_with("shell/x."))
            .expect("hashed x");
        assert!(String::from_utf8_lossy(&out[*x]).contains("\"../pkg/c."));
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://example.org/news/a/"),
            "https://example.org"
        );
        assert_eq!(origin_of("http://127.0.0.1:8000/"), "http://127.0.0.1:8000");
    }
}
